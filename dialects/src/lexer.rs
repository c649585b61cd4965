//! Where the code is in a SQL text: outside string literals, quoted identifiers and comments.
//!
//! Flink SQL's lexical rules are used: `'...'` strings with `''` for a quote and no backslash
//! escapes, `` `...` `` and `"..."` quoted (doubling the quote escapes it), `-- ...` line comments
//! and `/* ... */` block comments. MySQL's `#` line comment is accepted as well, since MySQL
//! clients send it (Flink itself would reject it, which is then Flink's error to give).

/// Walks the text once, calling `on_code_byte(offset, byte)` for every byte outside comments and
/// quotes, and for the opening quote of each quoted string or identifier.
fn scan(sql: &str, mut on_code_byte: impl FnMut(usize, u8)) {
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                on_code_byte(i, q);
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        if i + 1 < b.len() && b[i + 1] == q {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            c => {
                on_code_byte(i, c);
                i += 1;
            }
        }
    }
}

/// Splits a text into statements at top-level `;`, dropping empty ones (only whitespace or
/// comments). Each statement keeps its own text, trimmed. A statement set's body (`... STATEMENT
/// SET BEGIN stmt; stmt; END`) stays whole: its `;` cut nothing until the `END` that begins a
/// statement of the body.
pub fn split_statements(sql: &str) -> Vec<&str> {
    let mut cuts = Vec::new();
    // The words of the statement so far (upper-cased), and whether a body is open.
    let mut word = String::new();
    let mut words: Vec<String> = Vec::new();
    let mut in_body = false;
    let mut body_statement_start = false;
    let end_word = |word: &mut String, words: &mut Vec<String>, in_body: &mut bool, start: &mut bool| {
        if word.is_empty() {
            return;
        }
        let w = std::mem::take(word).to_ascii_uppercase();
        if *in_body {
            if *start && w == "END" {
                *in_body = false;
            }
            *start = false;
        } else {
            words.push(w);
            let n = words.len();
            if n >= 3 && words[n - 3] == "STATEMENT" && words[n - 2] == "SET" && words[n - 1] == "BEGIN" {
                *in_body = true;
                *start = true;
            }
        }
    };
    let mut last = 0usize;
    scan(sql, |i, c| {
        // A gap is a comment skipped: it ends a word.
        if i > last + 1 {
            end_word(&mut word, &mut words, &mut in_body, &mut body_statement_start);
        }
        last = i;
        if c.is_ascii_alphanumeric() || c == b'_' {
            word.push(c as char);
            return;
        }
        end_word(&mut word, &mut words, &mut in_body, &mut body_statement_start);
        if c == b';' {
            if in_body {
                body_statement_start = true;
            } else {
                cuts.push(i);
                words.clear();
            }
        } else if !c.is_ascii_whitespace() && in_body {
            body_statement_start = false;
        }
    });
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(sql.len())) {
        let piece = sql[start..cut].trim();
        if !is_blank(piece) {
            out.push(piece);
        }
        start = (cut + 1).min(sql.len());
    }
    out
}

/// True when the text holds only whitespace and comments.
pub fn is_blank(sql: &str) -> bool {
    let mut code = false;
    scan(sql, |_, c| {
        if !c.is_ascii_whitespace() {
            code = true;
        }
    });
    !code
}

/// Byte offsets of the `?` placeholders that are code (not inside strings, identifiers, comments).
pub fn placeholders(sql: &str) -> Vec<usize> {
    let mut at = Vec::new();
    scan(sql, |i, c| {
        if c == b'?' {
            at.push(i);
        }
    });
    at
}

/// Replaces each placeholder, in order, by the matching entry of `values`.
///
/// The caller checks that `values` has one entry per placeholder.
pub fn substitute(sql: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(sql.len() + values.iter().map(String::len).sum::<usize>());
    let mut last = 0;
    for (pos, v) in placeholders(sql).into_iter().zip(values) {
        out.push_str(&sql[last..pos]);
        out.push_str(v);
        last = pos + 1;
    }
    out.push_str(&sql[last..]);
    out
}

/// The text with leading whitespace and comments removed (e.g. a driver's `/* ApplicationName=… */`).
pub fn strip_leading_comments(sql: &str) -> &str {
    let mut s = sql.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("/*") {
            match rest.find("*/") {
                Some(end) => s = rest[end + 2..].trim_start(),
                None => return "",
            }
        } else if s.starts_with("--") || s.starts_with('#') {
            match s.find('\n') {
                Some(end) => s = s[end + 1..].trim_start(),
                None => return "",
            }
        } else {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_set_body_stays_whole() {
        let sql = "CREATE JOB j AS EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT ';'; INSERT INTO b SELECT 2; END; START JOB j;";
        assert_eq!(
            split_statements(sql),
            vec!["CREATE JOB j AS EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT ';'; INSERT INTO b SELECT 2; END", "START JOB j"]
        );
        let sql = "execute statement set begin\n insert into a select 1;\n insert into b select 1;\nend;\nSELECT 1";
        assert_eq!(split_statements(sql).len(), 2);
        // Flink's interactive form is three statements of its own.
        assert_eq!(split_statements("BEGIN STATEMENT SET; INSERT INTO a SELECT 1; END").len(), 3);
        // `END` inside a body statement (a CASE) does not close the body.
        let sql = "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT CASE WHEN x THEN 1 END FROM t; END; SELECT 2";
        assert_eq!(split_statements(sql).len(), 2);
    }

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let sql = "SELECT 'a;b'; SELECT `x;y` FROM t -- c;d\n; /* e;f */ ; SELECT \"g;h\";";
        assert_eq!(
            split_statements(sql),
            vec!["SELECT 'a;b'", "SELECT `x;y` FROM t -- c;d", "SELECT \"g;h\""]
        );
    }

    #[test]
    fn finds_placeholders_outside_strings_and_comments() {
        let sql = "SELECT ?, '?', `?`, 'it''s ?' /* ? */ -- ?\n, ?";
        let at = placeholders(sql);
        assert_eq!(at.len(), 2);
        assert_eq!(substitute(sql, &["1".into(), "2".into()]), "SELECT 1, '?', `?`, 'it''s ?' /* ? */ -- ?\n, 2");
    }

    #[test]
    fn flink_strings_have_no_backslash_escapes() {
        // In Flink SQL 'a\' is a complete string, so the ? after it is a placeholder.
        assert_eq!(placeholders(r"SELECT 'a\', ?").len(), 1);
    }

    #[test]
    fn strips_driver_comments() {
        assert_eq!(strip_leading_comments("/* ApplicationName=DBeaver */ SHOW TABLES"), "SHOW TABLES");
        assert_eq!(strip_leading_comments("-- x\n# y\n  SELECT 1"), "SELECT 1");
        assert!(is_blank(" /* only */ -- comments\n"));
        assert!(!is_blank("''"));
    }

    #[test]
    fn unterminated_quotes_and_comments_do_not_panic() {
        for s in ["'abc", "/* abc", "`x", "--", "?'", "\"", "/*"] {
            let _ = split_statements(s);
            let _ = placeholders(s);
            let _ = strip_leading_comments(s);
        }
    }
}
