//! Secrets in SQL texts and Flink's messages: the value of a `'password' = '…'`-style option (a
//! JDBC catalog's or table's password, an object store's secret key) and the credentials in a
//! URL (a robot's `access_token`, a `key`, the password of `user:password@host`) are masked
//! wherever a text is shown back or logged. What is sent to Flink keeps them.

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

/// `text` with the value of every secret option (`'key' = 'value'`) replaced by `'******'`, and
/// the credentials of every URL in it masked ([`mask_url_secrets`]).
pub fn mask_secrets(text: &str) -> Cow<'_, str> {
    let options = mask_secret_options(text);
    let urls = match mask_url_secrets(&options) {
        Cow::Owned(masked) => Some(masked),
        Cow::Borrowed(_) => None,
    };
    match urls {
        Some(masked) => Cow::Owned(masked),
        None => options,
    }
}

/// Whether a URL's query parameter carries a credential: a token (`access_token`), a key
/// (WeCom's `key`, `api_key`), a secret, a password or a signature.
fn is_secret_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let exact = ["key", "sign", "sig", "auth", "pwd", "passwd", "apikey"];
    let endings = [
        "token",
        "secret",
        "password",
        "_key",
        "-key",
        ".key",
        "signature",
        "credential",
    ];
    exact.contains(&name.as_str()) || endings.iter().any(|e| name.ends_with(e))
}

/// Where the URL whose authority starts at `from` (right after its `://`) ends in `text`: at
/// whitespace, a quote, a bracket or the end.
fn url_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| c.is_whitespace() || "'\"`<>(){}".contains(c))
        .map_or(text.len(), |n| from + n)
}

/// `text` with the credentials of each `scheme://…` URL in it replaced by `******`: the password
/// of `user:password@host` and the values of query parameters that name a token, key, secret,
/// password or signature (`?access_token=…`, `&key=…`). The scheme, host, path and the other
/// parameters stay, so a masked URL still says where it points.
pub fn mask_url_secrets(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    // Byte ranges of `text` to replace by the mask, in order.
    let mut secrets: Vec<std::ops::Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let sep = from + found;
        let end = url_end(text, sep + 3);
        let rest = &text[sep + 3..end];
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        if let Some(at) = authority.rfind('@')
            && let Some(colon) = authority[..at].find(':')
            && colon + 1 < at
        {
            secrets.push(sep + 3 + colon + 1..sep + 3 + at);
        }
        if let Some(q) = rest.find('?') {
            let query_start = sep + 3 + q + 1;
            let query_end = text[query_start..end]
                .find('#')
                .map_or(end, |n| query_start + n);
            let mut param_start = query_start;
            for param in text[query_start..query_end].split(['&', ';']) {
                if let Some((name, value)) = param.split_once('=')
                    && !value.is_empty()
                    && is_secret_param(name)
                {
                    let value_start = param_start + name.len() + 1;
                    secrets.push(value_start..value_start + value.len());
                }
                param_start += param.len() + 1;
            }
        }
        from = end.max(sep + 3);
    }
    if secrets.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in secrets {
        out.push_str(&text[copied..range.start]);
        out.push_str(MASK);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// `text` with the value of every secret option (`'key' = 'value'`) replaced by `'******'`.
fn mask_secret_options(text: &str) -> Cow<'_, str> {
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

    #[test]
    fn the_credentials_of_urls_are_masked_and_where_they_point_is_kept() {
        // A DingTalk robot, a WeCom robot, a webhook with a user's password and a token.
        assert_eq!(
            mask_url_secrets("https://oapi.dingtalk.com/robot/send?access_token=abc123"),
            "https://oapi.dingtalk.com/robot/send?access_token=******"
        );
        assert_eq!(
            mask_url_secrets("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=******"
        );
        assert_eq!(
            mask_url_secrets(
                "https://ops:hunter2@hooks.example.com:8443/weir?team=db&token=t0k&x=1#frag"
            ),
            "https://ops:******@hooks.example.com:8443/weir?team=db&token=******&x=1#frag"
        );
        // Inside a statement and inside an error message; a user without a password, an empty
        // value, and harmless parameters stay.
        let sql = "CREATE ALERT CHANNEL d TYPE DINGTALK WITH ('url' = 'https://h/robot/send?access_token=abc', 'secret' = 'SEC1')";
        assert_eq!(
            mask_secrets(sql),
            "CREATE ALERT CHANNEL d TYPE DINGTALK WITH ('url' = 'https://h/robot/send?access_token=******', 'secret' = '******')"
        );
        assert_eq!(
            mask_url_secrets(
                "error sending request for url (http://127.0.0.1:9/hook?api_key=k): connection refused"
            ),
            "error sending request for url (http://127.0.0.1:9/hook?api_key=******): connection refused"
        );
        for kept in [
            "jdbc:mysql://weir@127.0.0.1:3306/shop?useSSL=false&key=",
            "https://example.com/a?b=c",
            "no url here: key=value",
        ] {
            assert!(matches!(mask_url_secrets(kept), Cow::Borrowed(_)), "{kept}");
        }
        assert_eq!(
            mask_url_secrets("http://u:p@[::1]:8080/x?token=t"),
            "http://u:******@[::1]:8080/x?token=******"
        );
        assert_eq!(
            mask_url_secrets(
                "jdbc:mysql://weir:pw@h:3306/db?user=weir&password=pw and mysql://h/?Password=x"
            ),
            "jdbc:mysql://weir:******@h:3306/db?user=weir&password=****** and mysql://h/?Password=******"
        );
    }
}
