//! The bounds on template work: how many items `range` may give, how deep templates may nest
//! and how large a rendered page may grow. Each limit is a constant; going over is a diagnostic.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::Value;

/// Items one `range(…)` call may give. Tera's own `range` has no bound, so
/// `range(end=100000000)` would allocate gigabytes before the loop starts.
pub const MAX_RANGE_ITEMS: usize = 10_000;

/// Items all `range(…)` calls of one page may give together, so that nested loops
/// (`range` inside `range`) stay bounded too.
pub const MAX_RANGE_ITEMS_PER_PAGE: usize = 1_000_000;

/// How deep blocks (`if`, `for`, `block`, `macro`, `filter`), brackets in one expression and
/// chains of `include`/`extends`/`import` or of macro calls may nest. Tera recurses once per
/// level with no bound of its own, so a deeper template could exhaust the stack (an abort).
pub const MAX_TEMPLATE_NESTING: usize = 64;

/// Macro calls one call may expand into, counting call sites (not loop iterations): macros
/// that each call the next twice double the work and the output at every level.
pub const MAX_MACRO_CALLS: u64 = 100_000;

/// Bytes one rendered page may have. Tera writes a page progressively into the writer it is
/// given, so the render stops as soon as a page passes this size.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

thread_local! {
    /// Items the `range` calls of the page being rendered on this thread have given so far.
    /// Each page renders on one thread from start to end (`start_page` resets it).
    static RANGE_ITEMS: Cell<usize> = const { Cell::new(0) };
}

/// Starts the `range` budget of a new page on this thread.
pub fn start_page() {
    RANGE_ITEMS.with(|n| n.set(0));
}

/// An argument of `range` as a count, or an error naming it.
fn count_arg(
    args: &HashMap<String, Value>,
    name: &str,
    default: Option<usize>,
) -> tera::Result<usize> {
    match args.get(name) {
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "range(): `{name}` must be a whole number ≥ 0, not {v}"
                ))
            }),
        None => default
            .ok_or_else(|| tera::Error::msg(format!("range() needs `{name}`, e.g. range(end=10)"))),
    }
}

/// `range(start=0, end=N, step_by=1)`, as Tera's, but refusing more than `MAX_RANGE_ITEMS`
/// items per call, `MAX_RANGE_ITEMS_PER_PAGE` per page, and a `step_by` of 0 (which makes
/// Tera's own version panic).
pub fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let start = count_arg(args, "start", Some(0))?;
    let end = count_arg(args, "end", None)?;
    let step = count_arg(args, "step_by", Some(1))?;
    if step == 0 {
        return Err(tera::Error::msg("range(): `step_by` must be at least 1"));
    }
    if start > end {
        return Err(tera::Error::msg(format!(
            "range(): `start` ({start}) is after `end` ({end})"
        )));
    }
    let items = (end - start).div_ceil(step);
    if items > MAX_RANGE_ITEMS {
        return Err(tera::Error::msg(format!(
            "range() of {items} items is over the limit of {MAX_RANGE_ITEMS} per call (MAX_RANGE_ITEMS); loop over data from the page context, or use a smaller `end`"
        )));
    }
    let total = RANGE_ITEMS.with(|n| {
        let total = n.get().saturating_add(items);
        n.set(total);
        total
    });
    if total > MAX_RANGE_ITEMS_PER_PAGE {
        return Err(tera::Error::msg(format!(
            "the range() calls of this page give over {MAX_RANGE_ITEMS_PER_PAGE} items together (MAX_RANGE_ITEMS_PER_PAGE); nested loops multiply: loop over data from the page context instead"
        )));
    }
    Ok(Value::Array(
        (start..end).step_by(step).map(Value::from).collect(),
    ))
}

/// A page buffer that refuses to grow past `MAX_PAGE_BYTES`.
#[derive(Debug, Default)]
pub struct Bounded {
    pub bytes: Vec<u8>,
    /// Set when a write was refused: the render failed because of the limit.
    pub over: bool,
}

impl Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.over = true;
            return Err(io::Error::other(format!(
                "page over {} MiB (MAX_PAGE_BYTES)",
                MAX_PAGE_BYTES >> 20
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, u64)]) -> HashMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect()
    }

    #[test]
    fn range_is_tera_s_within_the_limits() {
        start_page();
        let r = range(&args(&[("start", 1), ("end", 10), ("step_by", 3)])).unwrap();
        assert_eq!(r, serde_json::json!([1, 4, 7]));
        assert!(range(&args(&[("end", 100_000_000)])).is_err());
        assert!(range(&args(&[("end", 5), ("step_by", 0)])).is_err());
        assert!(range(&args(&[("start", 5), ("end", 1)])).is_err());
        start_page();
        for _ in 0..MAX_RANGE_ITEMS_PER_PAGE / MAX_RANGE_ITEMS {
            range(&args(&[("end", MAX_RANGE_ITEMS as u64)])).unwrap();
        }
        let e = range(&args(&[("end", 1)])).unwrap_err();
        assert!(e.to_string().contains("MAX_RANGE_ITEMS_PER_PAGE"), "{e}");
        start_page();
        assert!(range(&args(&[("end", 1)])).is_ok());
    }

    #[test]
    fn the_page_buffer_stops_at_the_limit() {
        let mut w = Bounded::default();
        w.write_all(&[b'x'; 1024]).unwrap();
        let chunk = vec![b'y'; MAX_PAGE_BYTES];
        assert!(w.write_all(&chunk).is_err());
        assert!(w.over);
        assert_eq!(w.bytes.len(), 1024);
    }
}
