//! A compact binary form for the rebuild state: unsigned LEB128 numbers and length-prefixed
//! UTF-8 strings. Reading checks every length, so a damaged file is refused, never a panic.

/// Writes numbers and strings into a byte buffer.
#[derive(Default)]
pub(super) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn n(&mut self, mut v: u64) {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    pub fn s(&mut self, s: &str) {
        self.n(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// A 128-bit fingerprint, as two numbers.
    pub fn u128(&mut self, v: u128) {
        self.n(v as u64);
        self.n((v >> 64) as u64);
    }

    /// An optional string: a 0 or 1, then the string if there is one.
    pub fn opt_s(&mut self, s: Option<&str>) {
        self.n(u64::from(s.is_some()));
        if let Some(s) = s {
            self.s(s);
        }
    }

    pub fn strs<'a>(&mut self, list: impl ExactSizeIterator<Item = &'a String>) {
        self.n(list.len() as u64);
        list.for_each(|s| self.s(s));
    }
}

/// Reads what a `Writer` wrote; `None` at any malformed or truncated value.
pub(super) struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    pub fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader { bytes, at: 0 }
    }

    pub fn n(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// A count or index, bounded by what is left to read (so no huge allocation).
    pub fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.n()?).ok()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    pub fn s(&mut self) -> Option<String> {
        let len = self.len()?;
        let raw = self.bytes.get(self.at..self.at + len)?;
        self.at += len;
        String::from_utf8(raw.to_vec()).ok()
    }

    /// What `Writer::opt_s` wrote.
    pub fn opt_s(&mut self) -> Option<Option<String>> {
        Some(match self.n()? {
            0 => None,
            _ => Some(self.s()?),
        })
    }

    pub fn u128(&mut self) -> Option<u128> {
        Some(u128::from(self.n()?) | (u128::from(self.n()?) << 64))
    }

    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.n()?).ok()
    }

    pub fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.len()?;
        (0..n).map(|_| self.s()).collect()
    }

    /// The next `n` bytes as they are.
    pub fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let raw = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(raw)
    }

    /// Where it is, in bytes from the start.
    pub fn at(&self) -> usize {
        self.at
    }

    pub fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_truncation() {
        let mut w = Writer::default();
        w.n(0);
        w.n(300);
        w.n(u64::MAX);
        w.s("héllo");
        w.strs(["a".to_string(), String::new()].iter());
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.n(), Some(0));
        assert_eq!(r.n(), Some(300));
        assert_eq!(r.n(), Some(u64::MAX));
        assert_eq!(r.s().as_deref(), Some("héllo"));
        assert_eq!(r.strs(), Some(vec!["a".to_string(), String::new()]));
        assert!(r.done());
        let cut = &w.bytes[..w.bytes.len() - 3];
        let mut r = Reader::new(cut);
        let (_, _, _) = (r.n(), r.n(), r.n());
        assert!(r.s().is_none() || r.strs().is_none());
    }
}
