//! Password verification for `mysql_native_password` and `caching_sha2_password`.
//!
//! The server never holds a password, only the two hashes the plugins' challenge-response schemes
//! need (written by `weir passwd`):
//! * native: `SHA1(SHA1(password))`; the client sends `SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw)))`;
//! * caching_sha2: `SHA256(SHA256(password))`; the client's fast-auth scramble is
//!   `SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + salt)`; full auth sends the password itself
//!   (only accepted over TLS).

use sha1::{Digest, Sha1};
use sha2::Sha256;

/// What the server stores for an account.
#[derive(Clone, PartialEq, Eq)]
pub enum StoredPassword {
    /// The account has no password: only an empty auth response is accepted.
    Empty,
    Hashed { native: [u8; 20], sha2: [u8; 32] },
}

impl std::fmt::Debug for StoredPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("Empty"),
            Self::Hashed { .. } => f.write_str("Hashed(..)"),
        }
    }
}

impl StoredPassword {
    /// Hashes a clear-text password (used by `weir passwd` and tests).
    pub fn from_cleartext(password: &str) -> Self {
        if password.is_empty() {
            return Self::Empty;
        }
        let stage1: [u8; 20] = Sha1::digest(password.as_bytes()).into();
        let native: [u8; 20] = Sha1::digest(stage1).into();
        let s1: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        let sha2: [u8; 32] = Sha256::digest(s1).into();
        Self::Hashed { native, sha2 }
    }

    /// The form written to the config file: `*<hex native>` for native.
    pub fn native_hex(&self) -> Option<String> {
        match self {
            Self::Empty => None,
            Self::Hashed { native, .. } => Some(format!("*{}", hex::encode_upper(native))),
        }
    }

    pub fn sha2_hex(&self) -> Option<String> {
        match self {
            Self::Empty => None,
            Self::Hashed { sha2, .. } => Some(hex::encode(sha2)),
        }
    }

    /// Parses the two stored hashes back from the config file.
    pub fn from_hex(native: &str, sha2: &str) -> Result<Self, String> {
        let native = native.strip_prefix('*').unwrap_or(native);
        let n = hex::decode(native).map_err(|e| format!("native hash: {e}"))?;
        let s = hex::decode(sha2).map_err(|e| format!("caching_sha2 hash: {e}"))?;
        let native: [u8; 20] = n.try_into().map_err(|_| "native hash must be 20 bytes".to_string())?;
        let sha2: [u8; 32] = s.try_into().map_err(|_| "caching_sha2 hash must be 32 bytes".to_string())?;
        Ok(Self::Hashed { native, sha2 })
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// Checks a `mysql_native_password` response.
    pub fn verify_native(&self, salt: &[u8], response: &[u8]) -> bool {
        match self {
            Self::Empty => response.is_empty(),
            Self::Hashed { native, .. } => {
                if response.len() != 20 {
                    return false;
                }
                let mut h = Sha1::new();
                h.update(salt);
                h.update(native);
                let mask: [u8; 20] = h.finalize().into();
                let stage1: Vec<u8> = response.iter().zip(mask).map(|(a, b)| a ^ b).collect();
                let candidate: [u8; 20] = Sha1::digest(&stage1).into();
                constant_time_eq(&candidate, native)
            }
        }
    }

    /// Checks a `caching_sha2_password` fast-auth scramble.
    pub fn verify_sha2_fast(&self, salt: &[u8], response: &[u8]) -> bool {
        match self {
            Self::Empty => response.is_empty(),
            Self::Hashed { sha2, .. } => {
                if response.len() != 32 {
                    return false;
                }
                let mut h = Sha256::new();
                h.update(sha2);
                h.update(salt);
                let mask: [u8; 32] = h.finalize().into();
                let stage1: Vec<u8> = response.iter().zip(mask).map(|(a, b)| a ^ b).collect();
                let candidate: [u8; 32] = Sha256::digest(&stage1).into();
                constant_time_eq(&candidate, sha2)
            }
        }
    }

    /// Checks a password sent in clear (caching_sha2 full auth over TLS). The client sends it
    /// NUL-terminated.
    pub fn verify_cleartext(&self, sent: &[u8]) -> bool {
        let sent = sent.strip_suffix(&[0]).unwrap_or(sent);
        match self {
            Self::Empty => sent.is_empty(),
            Self::Hashed { sha2, .. } => {
                let s1: [u8; 32] = Sha256::digest(sent).into();
                let candidate: [u8; 32] = Sha256::digest(s1).into();
                constant_time_eq(&candidate, sha2)
            }
        }
    }
}

/// Whether a `caching_sha2_password` response says "no password": nothing, or a lone NUL, which
/// Connector/J sends without TLS (`useSSL=false`, as DBeaver connects) and MySQL accepts alike.
pub fn is_empty_password_response(response: &[u8]) -> bool {
    matches!(response, [] | [0])
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use mysql_common::auth::plugins::{caching_sha2_password::scramble_sha256, mysql_native_password::scramble_native};

    const SALT: &[u8; 20] = b"abcdefghij0123456789";

    #[test]
    fn no_password_is_nothing_or_a_lone_nul() {
        assert!(is_empty_password_response(b""));
        assert!(is_empty_password_response(&[0]));
        assert!(!is_empty_password_response(&[0, 0]));
        assert!(!is_empty_password_response(b"x"));
    }

    #[test]
    fn native_accepts_the_right_password_only() {
        let stored = StoredPassword::from_cleartext("secret");
        let good = scramble_native(SALT, b"secret").unwrap();
        let bad = scramble_native(SALT, b"Secret").unwrap();
        assert!(stored.verify_native(SALT, &good));
        assert!(!stored.verify_native(SALT, &bad));
        assert!(!stored.verify_native(SALT, b""));
    }

    #[test]
    fn sha2_fast_auth_accepts_the_right_password_only() {
        let stored = StoredPassword::from_cleartext("sha2pass");
        let good = scramble_sha256(SALT, b"sha2pass").unwrap();
        let bad = scramble_sha256(SALT, b"sha2pas").unwrap();
        assert!(stored.verify_sha2_fast(SALT, &good));
        assert!(!stored.verify_sha2_fast(SALT, &bad));
        assert!(stored.verify_cleartext(b"sha2pass\0"));
        assert!(!stored.verify_cleartext(b"nope\0"));
    }

    #[test]
    fn empty_password_accepts_only_an_empty_response() {
        let stored = StoredPassword::Empty;
        assert!(stored.verify_native(SALT, b""));
        assert!(!stored.verify_native(SALT, &[1; 20]));
        assert!(stored.verify_sha2_fast(SALT, b""));
    }

    #[test]
    fn hashes_round_trip_through_their_text_form() {
        let stored = StoredPassword::from_cleartext("pw");
        let back = StoredPassword::from_hex(&stored.native_hex().unwrap(), &stored.sha2_hex().unwrap()).unwrap();
        assert!(back == stored);
        // MySQL's PASSWORD('pw') for the native hash.
        assert_eq!(stored.native_hex().unwrap().len(), 41);
    }
}
