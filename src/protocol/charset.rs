//! The character sets a connection may speak: one table of MySQL character sets (name,
//! collations, codec), how statement text is decoded from the client's set and how text results,
//! column names and error messages are encoded into the result set.
//!
//! Inside Weir all text is UTF-8. Supported: utf8mb4, utf8mb3 (alias utf8), latin1 (MySQL's
//! latin1 is Windows cp1252), ascii and binary. A character the results' set cannot hold
//! becomes `?`, as MySQL converts it.
//!
//! The bytes of a `_binary'...'` literal are not text: they are passed on undecoded as a hex
//! literal `X'..'` (MySQL's equivalent binary string), whatever the client's set.

use std::borrow::Cow;

use super::error::{MySqlError, codes};

/// How a character set's bytes map to Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    /// UTF-8 with characters of at most `max_len` bytes (4: utf8mb4, 3: utf8mb3).
    Utf8 { max_len: usize },
    /// Windows cp1252 (MySQL's latin1).
    Cp1252,
    Ascii,
    /// No conversion: text is its UTF-8 bytes.
    Binary,
}

/// One MySQL character set.
#[derive(Debug, PartialEq, Eq)]
pub struct Charset {
    /// The name `@@character_set_*` shows.
    pub name: &'static str,
    /// Other names `SET NAMES` accepts.
    aliases: &'static [&'static str],
    /// Its collations (id, name); the first is the default.
    pub collations: &'static [(u8, &'static str)],
    codec: Codec,
}

/// The one table of supported character sets.
pub static CHARSETS: &[Charset] = &[
    Charset {
        name: "utf8mb4",
        aliases: &[],
        collations: &[
            (255, "utf8mb4_0900_ai_ci"),
            (45, "utf8mb4_general_ci"),
            (46, "utf8mb4_bin"),
            (224, "utf8mb4_unicode_ci"),
            (246, "utf8mb4_unicode_520_ci"),
        ],
        codec: Codec::Utf8 { max_len: 4 },
    },
    Charset {
        name: "utf8mb3",
        aliases: &["utf8"],
        collations: &[(33, "utf8mb3_general_ci"), (83, "utf8mb3_bin"), (192, "utf8mb3_unicode_ci"), (214, "utf8mb3_unicode_520_ci")],
        codec: Codec::Utf8 { max_len: 3 },
    },
    Charset {
        name: "latin1",
        aliases: &[],
        collations: &[
            (8, "latin1_swedish_ci"),
            (5, "latin1_german1_ci"),
            (15, "latin1_danish_ci"),
            (31, "latin1_german2_ci"),
            (47, "latin1_bin"),
            (48, "latin1_general_ci"),
            (49, "latin1_general_cs"),
            (94, "latin1_spanish_ci"),
        ],
        codec: Codec::Cp1252,
    },
    Charset { name: "ascii", aliases: &[], collations: &[(11, "ascii_general_ci"), (65, "ascii_bin")], codec: Codec::Ascii },
    Charset { name: "binary", aliases: &[], collations: &[(63, "binary")], codec: Codec::Binary },
];

/// The default character set (utf8mb4).
pub fn default_charset() -> &'static Charset {
    &CHARSETS[0]
}

/// The character set called `name` (any case, aliases too).
pub fn by_name(name: &str) -> Option<&'static Charset> {
    CHARSETS.iter().find(|c| c.name.eq_ignore_ascii_case(name) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

/// The character set and collation name of collation `id` (a handshake's character set byte).
/// The language-specific Unicode collations this table does not name (utf8mb4 224..=247, utf8mb3
/// 192..=215) stand for their set's Unicode collation.
pub fn by_collation_id(id: u8) -> Option<(&'static Charset, &'static str)> {
    let id = match id {
        225..=245 | 247 => 224,
        193..=213 | 215 => 192,
        other => other,
    };
    CHARSETS.iter().find_map(|c| c.collations.iter().find(|(i, _)| *i == id).map(|(_, n)| (c, *n)))
}

/// The character set of collation `name` (any case; `utf8_bin` names utf8mb3's).
pub fn by_collation_name(name: &str) -> Option<(&'static Charset, &'static str)> {
    let name = name.to_ascii_lowercase();
    let name = match name.strip_prefix("utf8_") {
        Some(rest) => format!("utf8mb3_{rest}"),
        None => name,
    };
    CHARSETS.iter().find_map(|c| c.collations.iter().find(|(_, n)| *n == name).map(|(_, n)| (c, *n)))
}

/// MySQL's 1115 for a character set it does not know.
pub fn unknown_charset(name: &str) -> MySqlError {
    MySqlError::new(codes::ER_UNKNOWN_CHARACTER_SET, format!("Unknown character set: '{name}'"))
}

/// MySQL's 1273 for a collation it does not know.
pub fn unknown_collation(name: &str) -> MySqlError {
    MySqlError::new(codes::ER_UNKNOWN_COLLATION, format!("Unknown collation: '{name}'"))
}

/// The character sets a connection speaks now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charsets {
    /// How statement text arrives (`character_set_client`).
    pub client: &'static Charset,
    /// How text results, column names and messages leave (`character_set_results`; `None` when
    /// NULL: no conversion).
    pub results: Option<&'static Charset>,
}

impl Default for Charsets {
    fn default() -> Self {
        Self { client: default_charset(), results: Some(default_charset()) }
    }
}

impl Charsets {
    /// The set text leaves in.
    pub fn out(&self) -> &'static Charset {
        self.results.unwrap_or(default_charset())
    }
}

impl Charset {
    /// The id of its default collation.
    pub fn collation_id(&self) -> u8 {
        self.collations[0].0
    }

    /// The name of its default collation.
    pub fn default_collation(&self) -> &'static str {
        self.collations[0].1
    }

    /// Whether text must be converted from UTF-8 to be sent in this set.
    pub fn converts(&self) -> bool {
        !matches!(self.codec, Codec::Utf8 { max_len: 4 } | Codec::Binary)
    }

    /// Whether `collation` (a name) is one of its collations.
    pub fn has_collation(&self, collation: &str) -> bool {
        by_collation_name(collation).is_some_and(|(c, _)| std::ptr::eq(c, self))
    }

    /// Decodes text (a database name, a table name), replacing what does not decode.
    pub fn decode_lossy<'a>(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        match self.decode(bytes) {
            Ok(s) => s,
            Err(_) => String::from_utf8_lossy(bytes),
        }
    }

    /// Decodes text from this set; the error is MySQL's 1300 naming the first bad bytes.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Cow<'a, str>, MySqlError> {
        let bad = |at: usize| {
            let bad = &bytes[at..bytes.len().min(at + 4)];
            MySqlError::new(
                codes::ER_INVALID_CHARACTER_STRING,
                format!("Invalid {} character string: '{}'", self.name, hex::encode_upper(bad)),
            )
        };
        match self.codec {
            Codec::Utf8 { max_len } => {
                let s = std::str::from_utf8(bytes).map_err(|e| bad(e.valid_up_to()))?;
                if max_len < 4
                    && let Some((at, _)) = s.char_indices().find(|(_, c)| c.len_utf8() > max_len)
                {
                    return Err(bad(at));
                }
                Ok(Cow::Borrowed(s))
            }
            Codec::Binary => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| bad(e.valid_up_to())),
            Codec::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
                Some(at) => Err(bad(at)),
                None => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| bad(e.valid_up_to())),
            },
            Codec::Cp1252 => match std::str::from_utf8(bytes) {
                Ok(s) if s.is_ascii() => Ok(Cow::Borrowed(s)),
                _ => Ok(Cow::Owned(bytes.iter().map(|&b| cp1252_char(b)).collect())),
            },
        }
    }

    /// Encodes text into this set; what it cannot hold becomes `?`.
    pub fn encode<'a>(&self, s: &'a str) -> Cow<'a, [u8]> {
        match self.codec {
            Codec::Utf8 { max_len: 4 } | Codec::Binary => Cow::Borrowed(s.as_bytes()),
            _ if s.is_ascii() => Cow::Borrowed(s.as_bytes()),
            Codec::Utf8 { max_len } => {
                let mut out = String::with_capacity(s.len());
                for c in s.chars() {
                    out.push(if c.len_utf8() > max_len { '?' } else { c });
                }
                Cow::Owned(out.into_bytes())
            }
            Codec::Ascii => Cow::Owned(s.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }).collect()),
            Codec::Cp1252 => Cow::Owned(s.chars().map(|c| cp1252_byte(c).unwrap_or(b'?')).collect()),
        }
    }

    /// Decodes a statement: `_binary'...'` literals become `X'..'` with their bytes undecoded,
    /// the rest is decoded from this set.
    pub fn decode_statement<'a>(&self, bytes: &'a [u8]) -> Result<Cow<'a, str>, MySqlError> {
        let literals = binary_literals(bytes);
        if literals.is_empty() {
            return self.decode(bytes);
        }
        let mut out = String::with_capacity(bytes.len() * 2);
        let mut at = 0;
        for (span, content) in literals {
            out.push_str(&self.decode(&bytes[at..span.start])?);
            out.push_str("X'");
            out.push_str(&hex::encode_upper(content));
            out.push('\'');
            at = span.end;
        }
        out.push_str(&self.decode(&bytes[at..])?);
        Ok(Cow::Owned(out))
    }
}

/// The bytes 0x80..=0x9F of cp1252 (the rest of the set is Latin-1: byte = code point). The five
/// bytes cp1252 leaves undefined map to the C1 controls, as in MySQL's latin1.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}',
    '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}',
    '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

fn cp1252_byte(c: char) -> Option<u8> {
    match u32::from(c) {
        n @ (0..=0x7F | 0xA0..=0xFF) => Some(n as u8),
        _ => CP1252_HIGH.iter().position(|&h| h == c).map(|i| 0x80 + i as u8),
    }
}

/// The `_binary'...'` literals of a statement: each one's byte span (introducer to closing quote)
/// and its content (`''` read as one quote; Weir's sessions run with NO_BACKSLASH_ESCAPES).
/// Strings, quoted identifiers and comments are skipped, so text inside them is never taken for one.
fn binary_literals(b: &[u8]) -> Vec<(std::ops::Range<usize>, Vec<u8>)> {
    const INTRODUCER: &[u8] = b"_binary";
    let mut found = Vec::new();
    if !b.windows(INTRODUCER.len()).any(|w| w.eq_ignore_ascii_case(INTRODUCER)) {
        return found;
    }
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    // The end of the quoted run starting at `i` (just past its closing quote), and its content.
    let quoted = |i: usize| -> (usize, Vec<u8>) {
        let q = b[i];
        let mut content = Vec::new();
        let mut j = i + 1;
        while j < b.len() {
            if b[j] == q {
                if b.get(j + 1) == Some(&q) {
                    content.push(q);
                    j += 2;
                    continue;
                }
                return (j + 1, content);
            }
            content.push(b[j]);
            j += 1;
        }
        (j, content)
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' | b'`' => i = quoted(i).0,
            b'#' => i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p + 1),
            b'-' if b.get(i + 1) == Some(&b'-') => i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p + 1),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = b[i + 2..].windows(2).position(|w| w == b"*/").map_or(b.len(), |p| i + 2 + p + 2);
            }
            _ if b[i..].len() >= INTRODUCER.len()
                && b[i..i + INTRODUCER.len()].eq_ignore_ascii_case(INTRODUCER)
                && (i == 0 || !is_word(b[i - 1])) =>
            {
                let mut j = i + INTRODUCER.len();
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'\'' || b[j] == b'"') {
                    let (end, content) = quoted(j);
                    found.push((i..end, content));
                    i = end;
                } else {
                    i += INTRODUCER.len();
                }
            }
            c if is_word(c) => {
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs(name: &str) -> &'static Charset {
        by_name(name).unwrap()
    }

    #[test]
    fn names_collations_and_ids_resolve_through_one_table() {
        assert_eq!(cs("UTF8").name, "utf8mb3");
        assert_eq!(cs("latin1").collation_id(), 8);
        assert!(by_name("none").is_none() && by_name("sjis").is_none());
        assert_eq!(by_collation_id(45).map(|(c, n)| (c.name, n)), Some(("utf8mb4", "utf8mb4_general_ci")));
        assert_eq!(by_collation_id(63).map(|(c, _)| c.name), Some("binary"));
        assert!(by_collation_id(13).is_none(), "sjis is refused");
        assert_eq!(by_collation_name("utf8_bin").map(|(c, n)| (c.name, n)), Some(("utf8mb3", "utf8mb3_bin")));
        assert!(cs("latin1").has_collation("LATIN1_BIN") && !cs("latin1").has_collation("utf8mb4_bin"));
    }

    #[test]
    fn latin1_is_cp1252_both_ways() {
        let l = cs("latin1");
        assert_eq!(l.decode(b"caf\xe9 \x80 \x81").unwrap(), "café € \u{81}");
        assert_eq!(&*l.encode("café € \u{81} 😀"), b"caf\xe9 \x80 \x81 ?");
        for b in 0..=255u8 {
            assert_eq!(&*l.encode(&l.decode(&[b]).unwrap()), &[b], "byte {b:#04x} round-trips");
        }
    }

    #[test]
    fn bad_bytes_are_1300_naming_the_set_and_the_bytes() {
        let e = cs("utf8mb4").decode(b"a\xff\xfe").unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (1300, "Invalid utf8mb4 character string: 'FFFE'"));
        assert!(cs("utf8mb3").decode("😀".as_bytes()).unwrap_err().message.contains("utf8mb3"));
        assert_eq!(&*cs("utf8mb3").encode("a😀é"), "a?é".as_bytes());
        assert!(cs("ascii").decode(b"\xe9").is_err());
        assert_eq!(&*cs("ascii").encode("é"), b"?");
    }

    #[test]
    fn binary_literals_pass_undecoded_as_hex() {
        let l = cs("latin1");
        assert_eq!(l.decode_statement(b"SELECT _binary'\xff''\x00', '\xe9'").unwrap(), "SELECT X'FF2700', 'é'");
        assert_eq!(cs("utf8mb4").decode_statement(b"SELECT _BINARY '\xff'").unwrap(), "SELECT X'FF'");
        // Not an introducer: inside a string, a comment, a longer word.
        let same = b"SELECT '_binary''x', my_binary, `_binary` -- _binary'y'\n /* _binary'z' */";
        assert_eq!(l.decode_statement(same).unwrap().as_bytes(), same);
        assert_eq!(cs("utf8mb4").decode_statement(b"SELECT _binary").unwrap(), "SELECT _binary");
        assert_eq!(cs("utf8mb4").decode_statement(b"SELECT _binary'\xff' , '\xff'").unwrap_err().code, 1300);
    }
}
