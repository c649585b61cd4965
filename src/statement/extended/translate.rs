//! `TRANSLATE [FROM (mysql | mariadb | oracle)] <statement>`: the statement is kept as source
//! text (its positions matter for the translator's notes and errors).

use super::{Extended, Parser};
use crate::statement::SyntaxError;

/// The dialects a statement may be translated from.
const DIALECTS: &[&str] = &["mysql", "mariadb", "oracle"];

/// After `TRANSLATE`.
pub fn parse(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let mut from = None;
    if p.keywords(&["FROM"]) {
        let dialect = p.ident("a dialect (mysql, mariadb or oracle)")?.to_ascii_lowercase();
        if !DIALECTS.contains(&dialect.as_str()) {
            return Err(p.error_before(&format!("unknown dialect '{dialect}' (mysql, mariadb or oracle)")));
        }
        from = Some(dialect);
    }
    if p.at_end() {
        return Err(p.error("expected a statement to translate"));
    }
    Ok(Some(Extended::Translate { from, statement: p.rest().to_string() }))
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    #[test]
    fn translate() {
        assert_eq!(
            parse_text("TRANSLATE FROM oracle SELECT * FROM dual;"),
            Ok(Some(Extended::Translate { from: Some("oracle".into()), statement: "SELECT * FROM dual".into() }))
        );
        assert_eq!(
            parse_text("translate SELECT IFNULL(a, 0) FROM t"),
            Ok(Some(Extended::Translate { from: None, statement: "SELECT IFNULL(a, 0) FROM t".into() }))
        );
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let e = parse_text("TRANSLATE").unwrap_err();
        assert_eq!((e.column, e.message.as_str()), (10, "expected a statement to translate"));
        let e = parse_text("TRANSLATE FROM sybase SELECT 1").unwrap_err();
        assert_eq!((e.column, e.near.as_str()), (16, "sybase SELECT 1"));
    }
}
