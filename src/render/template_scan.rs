//! A lexical scan of one template's tags (not a parse: Tera parses later) for what the
//! template checks need: references to other templates, macro calls, and nesting depth.

use std::collections::BTreeMap;
use std::path::Path;

use super::limits::{MAX_RANGE_ITEMS, MAX_TEMPLATE_NESTING};
use super::template_lex::line_col;
use super::template_lex::{Tok, tags};
use crate::diagnostics::{Diagnostic, Loc};

/// How one template refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Uses {
    Includes,
    Extends,
    Imports,
}

impl Uses {
    pub(super) fn verb(self) -> &'static str {
        match self {
            Uses::Includes => "includes",
            Uses::Extends => "extends",
            Uses::Imports => "imports",
        }
    }
}

/// Where a reference or call sits: in which macro (`None`: the template's own body), at
/// which line and column, and how many blocks deep (within that macro or body).
#[derive(Debug, Clone)]
pub(super) struct Site {
    pub in_macro: Option<String>,
    pub at: (usize, usize),
    pub depth: usize,
}

/// What the scan of one template found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// `include`, `extends` and `import` targets.
    pub refs: Vec<(Uses, String, Site)>,
    /// Macro calls: namespace (`self` or an import alias) and macro name.
    pub calls: Vec<(String, String, Site)>,
    /// Import aliases (`m` in `{% import "macros.html" as m %}`) to template names.
    pub aliases: BTreeMap<String, String>,
    /// Deepest block nesting of the template's body and of each macro's.
    pub depth: usize,
    pub macro_depth: BTreeMap<String, usize>,
}

/// A `set_global`: the variable, the expression's tokens, the tag's offset.
type Assign<'a> = (String, &'a [(Tok<'a>, usize)], usize);

/// The block nesting while scanning: depth, and the macro being defined with its base depth.
#[derive(Default)]
struct Nesting {
    depth: usize,
    in_macro: Option<(String, usize)>,
}

impl Nesting {
    fn site(&self, at: (usize, usize)) -> Site {
        Site {
            in_macro: self.in_macro.as_ref().map(|m| m.0.clone()),
            at,
            depth: self
                .depth
                .saturating_sub(self.in_macro.as_ref().map_or(0, |m| m.1)),
        }
    }

    /// Records the current depth as the deepest of the body or macro, if it is.
    fn note(&self, s: &mut Scan) {
        let site = self.site((0, 0));
        let deepest = match site.in_macro {
            Some(m) => s.macro_depth.entry(m).or_default(),
            None => &mut s.depth,
        };
        *deepest = (*deepest).max(site.depth);
    }
}

/// Scans one template. Too-deep nesting, an over-limit literal `range` and a doubling
/// `set_global` are errors here, at their tag.
pub(super) fn scan(name: &str, src: &str) -> Result<Scan, Diagnostic> {
    let fail = |at: usize, message: String, help: &str| {
        let (line, col) = line_col(src, at);
        let file = Path::new("templates").join(name);
        Diagnostic::error(Some(Loc::new(file, line, col)), message).with_help(help.to_string())
    };
    let mut s = Scan::default();
    let mut n = Nesting::default();
    let all = tags(src);
    let mut globals: Vec<Assign> = Vec::new();
    for tag in &all {
        let toks = match tag.toks.first() {
            Some((Tok::Punct('-'), _)) => &tag.toks[1..],
            _ => &tag.toks[..],
        };
        if let Some((at, message, help)) = over_limit(toks) {
            return Err(fail(at, message, help));
        }
        for (ns, callee, at) in macro_calls(toks) {
            s.calls.push((ns, callee, n.site(line_col(src, at))));
        }
        let (Some((Tok::Ident(word), at)), true) = (toks.first(), tag.statement) else {
            continue;
        };
        match *word {
            "include" | "extends" | "import" => {
                references(toks, n.site(line_col(src, tag.start)), &mut s)
            }
            "macro" | "if" | "for" | "block" | "filter" => {
                n.depth += 1;
                if let ("macro", Some((Tok::Ident(m), _))) = (*word, toks.get(1)) {
                    n.in_macro = Some((m.to_string(), n.depth));
                }
                n.note(&mut s);
                if n.depth > MAX_TEMPLATE_NESTING {
                    let message = format!(
                        "blocks nested more than {MAX_TEMPLATE_NESTING} levels deep (MAX_TEMPLATE_NESTING)"
                    );
                    return Err(fail(
                        *at,
                        message,
                        "flatten the template: move inner parts into macros or separate templates",
                    ));
                }
            }
            "set_global" => {
                if let Some((Tok::Ident(var), _)) = toks.get(1) {
                    globals.push((var.to_string(), &toks[2..], tag.start));
                }
            }
            "endmacro" | "endif" | "endfor" | "endblock" | "endfilter" => {
                if *word == "endmacro" {
                    n.in_macro = None;
                }
                n.depth = n.depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    if let Some(at) = doubling(&globals) {
        return Err(fail(
            at,
            "`set_global` uses `set_global` variables twice: repeated, it doubles a value each time".to_string(),
            "build the text in a loop that outputs it directly, or append a bounded piece each time (`s ~ x`)",
        ));
    }
    Ok(s)
}

/// An expression limit the tag's tokens break: too deep an expression, or a literal `range`
/// of too many items; with the offset, the message and the help.
fn over_limit(toks: &[(Tok, usize)]) -> Option<(usize, String, &'static str)> {
    if let Some(at) = too_deep(toks) {
        let message = format!(
            "expression nested more than {MAX_TEMPLATE_NESTING} levels deep (MAX_TEMPLATE_NESTING)"
        );
        return Some((at, message, "split the expression with `{% set %}`"));
    }
    let (at, items) = literal_range(toks)?;
    let message = format!(
        "range() of {items} items is over the limit of {MAX_RANGE_ITEMS} per call (MAX_RANGE_ITEMS)"
    );
    Some((
        at,
        message,
        "loop over data from the page context, or use a smaller `end`",
    ))
}

/// Records what an `include`, `extends` or `import` tag (`toks`, at `site`) refers to.
fn references(toks: &[(Tok, usize)], site: Site, s: &mut Scan) {
    let strings = toks.iter().skip(1).map_while(|(t, _)| match t {
        Tok::Str(text) => Some(Some(text.to_string())),
        Tok::Punct('[' | ']' | ',') => Some(None),
        _ => None,
    });
    match toks.first() {
        Some((Tok::Ident("include"), _)) => {
            s.refs
                .extend(strings.flatten().map(|t| (Uses::Includes, t, site.clone())));
        }
        Some((Tok::Ident("extends"), _)) => {
            s.refs.extend(
                strings
                    .flatten()
                    .take(1)
                    .map(|t| (Uses::Extends, t, site.clone())),
            );
        }
        _ => {
            if let [
                _,
                (Tok::Str(file), _),
                (Tok::Ident("as"), _),
                (Tok::Ident(alias), _),
                ..,
            ] = toks
            {
                s.aliases.insert(alias.to_string(), file.to_string());
                s.refs.push((Uses::Imports, file.to_string(), site));
            }
        }
    }
}

/// The first `set_global` whose expression reads `set_global` variables twice or more (like
/// `s = s ~ s`): in a loop that doubles a value each time, past any memory in 40 rounds.
fn doubling(globals: &[Assign]) -> Option<usize> {
    let names: Vec<&str> = globals.iter().map(|g| g.0.as_str()).collect();
    globals.iter().find_map(|(_, expr, at)| {
        let reads = expr
            .iter()
            .enumerate()
            .filter(|(i, (t, _))| {
                let after_dot = *i > 0 && expr[i - 1].0 == Tok::Punct('.');
                matches!(t, Tok::Ident(n) if names.contains(n)) && !after_dot
            })
            .count();
        (reads >= 2).then_some(*at)
    })
}

/// The offset of the first bracket nested deeper than the limit in a tag, if any.
fn too_deep(toks: &[(Tok, usize)]) -> Option<usize> {
    let mut depth = 0usize;
    for (t, at) in toks {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_TEMPLATE_NESTING {
            return Some(*at);
        }
    }
    None
}

/// The macro calls of a tag: `ns::name(` as (namespace, name, offset).
fn macro_calls(toks: &[(Tok, usize)]) -> Vec<(String, String, usize)> {
    toks.windows(4)
        .filter_map(|w| match w {
            [
                (Tok::Ident(ns), at),
                (Tok::PathSep, _),
                (Tok::Ident(name), _),
                (Tok::Punct('('), _),
            ] => Some((ns.to_string(), name.to_string(), *at)),
            _ => None,
        })
        .collect()
}

/// A `range(…)` whose literal arguments give more than `MAX_RANGE_ITEMS` items: its offset
/// and item count.
fn literal_range(toks: &[(Tok, usize)]) -> Option<(usize, u128)> {
    for (i, (t, at)) in toks.iter().enumerate() {
        let (Tok::Ident("range"), Some((Tok::Punct('('), _))) = (t, toks.get(i + 1)) else {
            continue;
        };
        if i > 0 && toks[i - 1].0 == Tok::PathSep {
            continue;
        }
        let mut args: BTreeMap<&str, u128> = BTreeMap::new();
        for arg in toks[i + 2..].windows(3) {
            match arg {
                [(Tok::Punct(')'), _), ..] => break,
                [(Tok::Ident(k), _), (Tok::Punct('='), _), (Tok::Int(v), _)] => {
                    args.insert(k, v.replace('_', "").parse().unwrap_or(u128::MAX));
                }
                _ => {}
            }
        }
        let start = args.get("start").copied().unwrap_or(0);
        let step = args.get("step_by").copied().unwrap_or(1).max(1);
        if let Some(end) = args.get("end") {
            let items = end.saturating_sub(start).div_ceil(step);
            if items > MAX_RANGE_ITEMS as u128 {
                return Some((*at, items));
            }
        }
    }
    None
}
