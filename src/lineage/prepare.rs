//! Flink SQL made readable by sqlparser's generic dialect, without changing what it reads or
//! writes: a statement set becomes its statements, `EXECUTE INSERT` an `INSERT`, a window TVF's
//! `TABLE t` argument the name `t`, `FOR SYSTEM_TIME AS OF x` (a temporal join's time, which
//! feeds no column) goes, and plural interval units (`INTERVAL '10' MINUTES`) become singular.

use crate::statement::words::{self, Spanned, Token};

/// Rewrites, as (token index, what to do).
enum Edit {
    Drop,
    Replace(&'static str),
}

/// Plural interval units and their singular.
const UNITS: &[(&str, &str)] = &[("SECONDS", "SECOND"), ("MINUTES", "MINUTE"), ("HOURS", "HOUR"), ("DAYS", "DAY"), ("MONTHS", "MONTH"), ("YEARS", "YEAR")];

/// The statements of `sql` (one statement, or a statement set), each ready for sqlparser.
pub fn statements(sql: &str) -> Vec<String> {
    let tokens = words::tokenize(sql);
    let kw = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_keyword(w));
    let body = if kw(0, "EXECUTE") && kw(1, "STATEMENT") && kw(2, "SET") && kw(3, "BEGIN") {
        let start = tokens.get(4).map(|t| t.span.start).unwrap_or(sql.len());
        let end = tokens.iter().rposition(|t| t.is_keyword("END")).and_then(|i| tokens.get(i)).map(|t| t.span.start).unwrap_or(sql.len());
        sql.get(start..end.max(start)).unwrap_or("")
    } else if kw(0, "BEGIN") && kw(1, "STATEMENT") && kw(2, "SET") {
        let start = tokens.get(3).map(|t| t.span.start).unwrap_or(sql.len());
        let start = if tokens.get(3).is_some_and(|t| t.is_punct(';')) { tokens.get(4).map(|t| t.span.start).unwrap_or(sql.len()) } else { start };
        let end = tokens.iter().rposition(|t| t.is_keyword("END")).and_then(|i| tokens.get(i)).map(|t| t.span.start).unwrap_or(sql.len());
        sql.get(start..end.max(start)).unwrap_or("")
    } else if kw(0, "EXECUTE") && kw(1, "INSERT") {
        let start = tokens.get(1).map(|t| t.span.start).unwrap_or(0);
        sql.get(start..).unwrap_or("")
    } else {
        sql
    };
    weir_dialects::lexer::split_statements(body).into_iter().map(rewrite).filter(|s| !s.trim().is_empty()).collect()
}

/// One statement with the rewrites applied.
fn rewrite(sql: &str) -> String {
    let tokens = words::tokenize(sql);
    let mut edits: Vec<(usize, Edit)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
        let next = tokens.get(i + 1);
        if t.is_keyword("TABLE") && prev.is_some_and(|p| p.token == Token::LParen || p.is_punct(',')) && next.is_some_and(|n| n.ident().is_some()) {
            edits.push((i, Edit::Drop));
        } else if t.is_keyword("FOR") && next.is_some_and(|n| n.is_keyword("SYSTEM_TIME")) && keyword_at(&tokens, i + 2, "AS") && keyword_at(&tokens, i + 3, "OF") {
            let mut j = i + 4;
            // The time attribute: a dotted name.
            if tokens.get(j).is_some_and(|n| n.ident().is_some()) {
                j += 1;
                while tokens.get(j).is_some_and(|n| n.token == Token::Dot) && tokens.get(j + 1).is_some_and(|n| n.ident().is_some()) {
                    j += 2;
                }
            }
            for k in i..j {
                edits.push((k, Edit::Drop));
            }
            i = j;
            continue;
        } else if let Some(w) = t.keyword()
            && let Some((_, singular)) = UNITS.iter().find(|(p, _)| *p == w)
            && prev.is_some_and(|p| matches!(p.token, Token::Str(_)))
        {
            edits.push((i, Edit::Replace(singular)));
        }
        i += 1;
    }
    if edits.is_empty() {
        return sql.trim().to_string();
    }
    let mut out = String::with_capacity(sql.len());
    let mut at = 0;
    for (index, edit) in edits {
        let Some(t) = tokens.get(index) else { continue };
        out.push_str(sql.get(at..t.span.start).unwrap_or(""));
        if let Edit::Replace(w) = edit {
            out.push_str(w);
        }
        at = t.span.end;
    }
    out.push_str(sql.get(at..).unwrap_or(""));
    out.trim().to_string()
}

fn keyword_at(tokens: &[Spanned], i: usize, w: &str) -> bool {
    tokens.get(i).is_some_and(|t| t.is_keyword(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_sets_become_their_statements() {
        assert_eq!(
            statements("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END"),
            vec!["INSERT INTO a SELECT 1".to_string(), "INSERT INTO b SELECT 2".to_string()]
        );
        assert_eq!(statements("BEGIN STATEMENT SET; INSERT INTO a SELECT 1; END;"), vec!["INSERT INTO a SELECT 1".to_string()]);
        assert_eq!(statements("EXECUTE INSERT INTO a SELECT x FROM t"), vec!["INSERT INTO a SELECT x FROM t".to_string()]);
    }

    #[test]
    fn flink_only_syntax_is_rewritten() {
        assert_eq!(
            statements("SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' MINUTES))"),
            vec!["SELECT * FROM TABLE(TUMBLE( bid, DESCRIPTOR(ts), INTERVAL '10' MINUTE))".to_string()]
        );
        assert_eq!(
            statements("SELECT o.id FROM o JOIN r FOR SYSTEM_TIME AS OF o.proc AS r2 ON o.c = r2.c"),
            vec!["SELECT o.id FROM o JOIN r      AS r2 ON o.c = r2.c".to_string()]
        );
        // A table named `table` in a column list stays.
        assert_eq!(statements("SELECT `table` FROM t"), vec!["SELECT `table` FROM t".to_string()]);
    }
}
