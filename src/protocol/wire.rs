//! Primitive encodings of the MySQL client/server protocol: fixed-width little-endian integers,
//! length-encoded integers and strings, NUL-terminated strings.
//!
//! [`Reader`] never panics: every read is checked and a short packet is a [`Malformed`] error,
//! because every byte it reads comes from a client.

use std::fmt;

/// A packet that does not have the shape its command promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed packet: {}", self.0)
    }
}

impl std::error::Error for Malformed {}

/// A checked cursor over a received payload.
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Everything not yet read.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.buf)
    }

    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], Malformed> {
        if self.buf.len() < n {
            return Err(Malformed(what));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    pub fn u8(&mut self, what: &'static str) -> Result<u8, Malformed> {
        Ok(self.take(1, what)?[0])
    }

    pub fn u16(&mut self, what: &'static str) -> Result<u16, Malformed> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u24(&mut self, what: &'static str) -> Result<u32, Malformed> {
        let b = self.take(3, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], 0]))
    }

    pub fn u32(&mut self, what: &'static str) -> Result<u32, Malformed> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u64(&mut self, what: &'static str) -> Result<u64, Malformed> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A length-encoded integer. `0xFB` (NULL) is returned as `None`.
    pub fn lenenc_int(&mut self, what: &'static str) -> Result<Option<u64>, Malformed> {
        let first = self.u8(what)?;
        Ok(match first {
            0xFB => None,
            0xFC => Some(u64::from(self.u16(what)?)),
            0xFD => Some(u64::from(self.u24(what)?)),
            0xFE => Some(self.u64(what)?),
            0xFF => return Err(Malformed(what)),
            n => Some(u64::from(n)),
        })
    }

    /// A length-encoded string (NULL is an error here: callers that allow NULL read the int).
    pub fn lenenc_bytes(&mut self, what: &'static str) -> Result<&'a [u8], Malformed> {
        let len = self.lenenc_int(what)?.ok_or(Malformed(what))?;
        let len = usize::try_from(len).map_err(|_| Malformed(what))?;
        self.take(len, what)
    }

    /// Bytes up to (not including) the next NUL; the NUL is consumed. A missing NUL takes the rest.
    pub fn nul_terminated(&mut self) -> &'a [u8] {
        match self.buf.iter().position(|&b| b == 0) {
            Some(i) => {
                let s = &self.buf[..i];
                self.buf = &self.buf[i + 1..];
                s
            }
            None => self.rest(),
        }
    }
}

/// Appends protocol encodings to a payload buffer.
pub trait WriteExt {
    fn put_u8(&mut self, v: u8);
    fn put_u16(&mut self, v: u16);
    fn put_u24(&mut self, v: u32);
    fn put_u32(&mut self, v: u32);
    fn put_u64(&mut self, v: u64);
    fn put_lenenc_int(&mut self, v: u64);
    fn put_lenenc_bytes(&mut self, v: &[u8]);
    fn put_nul_str(&mut self, v: &[u8]);
}

impl WriteExt for Vec<u8> {
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_u24(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes()[..3]);
    }
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_lenenc_int(&mut self, v: u64) {
        match v {
            0..=250 => self.push(v as u8),
            251..=0xFFFF => {
                self.push(0xFC);
                self.put_u16(v as u16);
            }
            0x1_0000..=0xFF_FFFF => {
                self.push(0xFD);
                self.put_u24(v as u32);
            }
            _ => {
                self.push(0xFE);
                self.put_u64(v);
            }
        }
    }
    fn put_lenenc_bytes(&mut self, v: &[u8]) {
        self.put_lenenc_int(v.len() as u64);
        self.extend_from_slice(v);
    }
    fn put_nul_str(&mut self, v: &[u8]) {
        self.extend_from_slice(v);
        self.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenenc_round_trips_at_every_width() {
        for v in [0u64, 250, 251, 0xFFFF, 0x1_0000, 0xFF_FFFF, 0x100_0000, u64::MAX] {
            let mut buf = Vec::new();
            buf.put_lenenc_int(v);
            let mut r = Reader::new(&buf);
            assert_eq!(r.lenenc_int("v").unwrap(), Some(v));
            assert!(r.is_empty());
        }
    }

    #[test]
    fn short_reads_are_errors_not_panics() {
        let mut r = Reader::new(&[0xFC, 1]);
        assert_eq!(r.lenenc_int("len"), Err(Malformed("len")));
        let mut r = Reader::new(&[5, b'a']);
        assert!(r.lenenc_bytes("s").is_err());
        let mut r = Reader::new(&[0xFF]);
        assert!(r.lenenc_int("x").is_err());
    }

    #[test]
    fn nul_terminated_without_nul_takes_rest() {
        let mut r = Reader::new(b"abc\0def");
        assert_eq!(r.nul_terminated(), b"abc");
        assert_eq!(r.nul_terminated(), b"def");
        assert!(r.is_empty());
    }
}
