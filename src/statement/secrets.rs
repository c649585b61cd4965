//! Secrets in statement texts: the values of `'password' = '…'`-style options and the
//! credentials in any URL (`?access_token=…`, `user:password@`; the driver's scanner, which masks
//! its logs), account passwords (`IDENTIFIED BY '…'`, `SET PASSWORD … = '…'`) and the URLs of
//! alert channels (robot URLs carry their access token) are masked wherever Weir shows a
//! statement back (SHOW CREATE, PROCESSLIST, errors, logs, the audit); what Weir records and
//! sends to Flink keeps them. [`mask_urls`] masks only URLs' credentials, for what shows a URL
//! itself (SHOW ALERT CHANNELS, delivery errors).

use std::borrow::Cow;

use super::words::{Token, tokenize};
pub use weir_drivers::gateway::{MASK, mask_url_secrets as mask_urls};

/// Option keys whose values are secret besides the driver's (`password`, `secret`, …).
const URL_KEYS: &[&str] = &["url", "webhook", "token", "access_token", "key"];

/// `text` with its secrets masked.
pub fn mask(text: &str) -> Cow<'_, str> {
    let options = weir_drivers::gateway::mask_secrets(text);
    let lower_has = |needle: &[u8]| options.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle));
    if !(lower_has(b"identified") || lower_has(b"password") || lower_has(b"alert")) {
        return options;
    }
    let tokens = tokenize(&options);
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let next_string = |from: usize| tokens.get(from).filter(|n| matches!(n.token, Token::Str(_))).map(|n| n.span.clone());
        // IDENTIFIED BY '…' (also IDENTIFIED WITH plugin BY '…').
        if t.is_keyword("BY") && tokens[..i].iter().rev().take(3).any(|p| p.is_keyword("IDENTIFIED")) {
            spans.extend(next_string(i + 1));
        }
        // SET PASSWORD [FOR account] = '…'.
        if t.is_punct('=') && tokens.first().is_some_and(|f| f.is_keyword("SET")) && tokens.get(1).is_some_and(|s| s.is_keyword("PASSWORD")) {
            spans.extend(next_string(i + 1));
        }
        // 'url' = '…' in an alert channel's options.
        if let Token::Str(key) = &t.token
            && URL_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
            && tokens.iter().take(3).any(|w| w.is_keyword("ALERT"))
            && tokens.get(i + 1).is_some_and(|e| e.is_punct('='))
        {
            spans.extend(next_string(i + 2));
        }
    }
    if spans.is_empty() {
        return options;
    }
    let mut out = String::with_capacity(options.len());
    let mut copied = 0;
    for s in spans {
        if s.start < copied {
            continue;
        }
        out.push_str(&options[copied..s.start]);
        out.push('\'');
        out.push_str(MASK);
        out.push('\'');
        copied = s.end;
    }
    out.push_str(&options[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_passwords_are_masked() {
        assert_eq!(mask("CREATE USER 'bi'@'%' IDENTIFIED BY 's3cret' REQUIRE SSL"), "CREATE USER 'bi'@'%' IDENTIFIED BY '******' REQUIRE SSL");
        assert_eq!(mask("ALTER USER bi IDENTIFIED WITH caching_sha2_password BY 'x'"), "ALTER USER bi IDENTIFIED WITH caching_sha2_password BY '******'");
        assert_eq!(mask("SET PASSWORD FOR 'bi'@'%' = 'n3w'"), "SET PASSWORD FOR 'bi'@'%' = '******'");
        assert_eq!(mask("set password = 'n3w'"), "set password = '******'");
        assert_eq!(mask("CREATE USER a IDENTIFIED BY 'p1', b IDENTIFIED BY 'p2'"), "CREATE USER a IDENTIFIED BY '******', b IDENTIFIED BY '******'");
    }

    #[test]
    fn alert_channel_urls_and_option_passwords_are_masked() {
        assert_eq!(
            mask("CREATE ALERT CHANNEL d TYPE DINGTALK WITH ('url' = 'https://oapi/robot/send?access_token=abc', 'secret' = 'SEC1')"),
            "CREATE ALERT CHANNEL d TYPE DINGTALK WITH ('url' = '******', 'secret' = '******')"
        );
        assert_eq!(mask("CREATE CATALOG c WITH ('password' = 'p')"), "CREATE CATALOG c WITH ('password' = '******')");
        assert_eq!(mask("SELECT 'identified by' FROM t"), "SELECT 'identified by' FROM t");
        assert_eq!(mask("SELECT url FROM t WHERE 'url' = 'x'"), "SELECT url FROM t WHERE 'url' = 'x'");
    }
}
