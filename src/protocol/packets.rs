//! Server response packets: OK, ERR, EOF, and the ok-or-EOF terminator of a result set.

use mysql_common::constants::{CapabilityFlags, StatusFlags};

use super::error::MySqlError;
use super::wire::WriteExt;

/// The content of an OK packet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OkPacket {
    pub affected_rows: u64,
    pub last_insert_id: u64,
    pub status: u16,
    pub warnings: u16,
    pub info: String,
}

/// Encodes an OK packet (header 0x00), or with `eof_header` the 0xFE-headed OK that ends a result
/// set when CLIENT_DEPRECATE_EOF is on.
pub fn ok(p: &OkPacket, caps: CapabilityFlags, eof_header: bool) -> Vec<u8> {
    let mut b = Vec::with_capacity(16 + p.info.len());
    b.put_u8(if eof_header { 0xFE } else { 0x00 });
    b.put_lenenc_int(p.affected_rows);
    b.put_lenenc_int(p.last_insert_id);
    b.put_u16(p.status);
    b.put_u16(p.warnings);
    // MySQL writes the info length-encoded whether or not CLIENT_SESSION_TRACK is on, and
    // libmysqlclient and Connector/J read it that way.
    let _ = caps;
    if !p.info.is_empty() {
        b.put_lenenc_bytes(p.info.as_bytes());
    }
    b
}

/// Encodes an ERR packet, its message in UTF-8.
pub fn err(e: &MySqlError) -> Vec<u8> {
    err_in(e, super::charset::default_charset())
}

/// Encodes an ERR packet, its message in the character set `cs` (the results').
pub fn err_in(e: &MySqlError, cs: &super::charset::Charset) -> Vec<u8> {
    let mut b = Vec::with_capacity(16 + e.message.len());
    b.put_u8(0xFF);
    b.put_u16(e.code);
    b.put_u8(b'#');
    b.extend_from_slice(&e.state);
    // MySQL truncates messages to 512 bytes; keep room for long Flink messages but stay bounded.
    let msg = truncate_utf8(&e.message, 8192);
    b.extend_from_slice(&cs.encode(msg));
    b
}

/// Encodes a classic EOF packet (for clients without CLIENT_DEPRECATE_EOF).
pub fn eof(status: u16, warnings: u16) -> Vec<u8> {
    let mut b = Vec::with_capacity(5);
    b.put_u8(0xFE);
    b.put_u16(warnings);
    b.put_u16(status);
    b
}

/// Status flags for a session in autocommit mode, optionally inside a (nominal) transaction and
/// with more results to follow.
///
/// NO_BACKSLASH_ESCAPES is always on: Flink's string literals know no backslash escapes, and
/// drivers that interpolate parameters themselves (PyMySQL, Connector/J, mysql2) then escape a
/// quote by doubling it, which is what Flink reads.
pub fn status_flags(autocommit: bool, in_transaction: bool, more_results: bool) -> u16 {
    let mut s = StatusFlags::SERVER_STATUS_NO_BACKSLASH_ESCAPES;
    if autocommit {
        s |= StatusFlags::SERVER_STATUS_AUTOCOMMIT;
    }
    if in_transaction {
        s |= StatusFlags::SERVER_STATUS_IN_TRANS;
    }
    if more_results {
        s |= StatusFlags::SERVER_MORE_RESULTS_EXISTS;
    }
    s.bits()
}

pub(crate) fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::error::codes;

    #[test]
    fn err_packet_layout() {
        let e = MySqlError::new(codes::ER_NO_SUCH_TABLE, "Table 'x' doesn't exist");
        let b = err(&e);
        assert_eq!(b[0], 0xFF);
        assert_eq!(u16::from_le_bytes([b[1], b[2]]), 1146);
        assert_eq!(&b[3..9], b"#42S02");
        assert_eq!(&b[9..], b"Table 'x' doesn't exist");
    }

    #[test]
    fn long_messages_are_cut_on_a_char_boundary() {
        let s = "é".repeat(5000);
        let t = truncate_utf8(&s, 8191);
        assert!(t.len() <= 8191);
        assert!(s.starts_with(t));
    }
}
