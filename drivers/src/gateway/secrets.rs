//! Secrets in SQL texts and Flink's messages: the value of a `'password' = '…'`-style option (a
//! JDBC catalog's or table's password, an object store's secret key) is masked wherever a text is
//! shown back or logged. What is sent to Flink keeps it.

use std::borrow::Cow;

/// What a masked value reads as.
pub const MASK: &str = "******";

/// Whether an option key names a secret: `password`, `*.password`, `*-password`, `secret`, ….
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "secret-key",
        "secret.key",
        "secretkey",
    ]
    .iter()
    .any(|s| key == *s || key.ends_with(&format!(".{s}")) || key.ends_with(&format!("-{s}")))
}

/// The single-quoted strings of `text` (outside comments, back-quoted and double-quoted names):
/// each one's unescaped content and byte range, with whether only whitespace and one `=` separate
/// it from the string before.
fn strings(text: &str) -> Vec<(String, std::ops::Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(String, std::ops::Range<usize>, bool)> = Vec::new();
    let (mut i, mut since_last, mut equals) = (0, true, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => {
                let start = i;
                let mut content = Vec::new();
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            content.push(b'\'');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if bytes[i] == b'\\' && i + 1 < bytes.len() {
                        content.push(bytes[i + 1]);
                        i += 2;
                        continue;
                    }
                    content.push(bytes[i]);
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                let follows = since_last && equals == 1 && !out.is_empty();
                out.push((
                    String::from_utf8_lossy(&content).into_owned(),
                    start..i,
                    follows,
                ));
                (since_last, equals) = (true, 0);
                continue;
            }
            b'`' | b'"' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                since_last = false;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'=' => equals += 1,
            c if c.is_ascii_whitespace() => {}
            _ => since_last = false,
        }
        i += 1;
    }
    out
}

/// `text` with the value of every secret option (`'key' = 'value'`) replaced by `'******'`.
pub fn mask_secrets(text: &str) -> Cow<'_, str> {
    let might_hold_one = text
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"passw") || w.eq_ignore_ascii_case(b"secre"));
    if !might_hold_one {
        return Cow::Borrowed(text);
    }
    let strings = strings(text);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for pair in strings.windows(2) {
        let ((key, _, _), (_, value, follows)) = (&pair[0], &pair[1]);
        if *follows && is_secret_key(key) && value.start >= copied {
            out.push_str(&text[copied..value.start]);
            out.push('\'');
            out.push_str(MASK);
            out.push('\'');
            copied = value.end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_and_the_rest_is_kept() {
        let sql = "CREATE CATALOG src WITH ('type' = 'jdbc', 'username' = 'weir', 'password'='s3cr''et', 'base-url' = 'jdbc:mysql://h')";
        assert_eq!(
            mask_secrets(sql),
            "CREATE CATALOG src WITH ('type' = 'jdbc', 'username' = 'weir', 'password'='******', 'base-url' = 'jdbc:mysql://h')"
        );
        let t = "CREATE TABLE t (x INT) WITH ('connector' = 'mysql-cdc', /* c */ 'PASSWORD' =\n 'p', 's3.secret-key' = 'k')";
        assert_eq!(
            mask_secrets(t),
            "CREATE TABLE t (x INT) WITH ('connector' = 'mysql-cdc', /* c */ 'PASSWORD' =\n '******', 's3.secret-key' = '******')"
        );
        // Flink's messages list a table's options this way.
        assert_eq!(
            mask_secrets("Table options are:\n\n'password'='weir'\n'url'='x'"),
            "Table options are:\n\n'password'='******'\n'url'='x'"
        );
        assert_eq!(mask_secrets("SELECT 1"), "SELECT 1");
        assert_eq!(
            mask_secrets("SELECT 'passwords' = 'kept'"),
            "SELECT 'passwords' = 'kept'"
        );
        assert_eq!(
            mask_secrets("SELECT 'password', 'kept'"),
            "SELECT 'password', 'kept'"
        );
        assert_eq!(
            mask_secrets("SELECT 'password' = x = 'kept'"),
            "SELECT 'password' = x = 'kept'"
        );
    }
}
