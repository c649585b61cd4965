//! Lineage:
//!
//! ```text
//! SHOW LINEAGE OF [TABLE] name [COLUMN c] [UPSTREAM | DOWNSTREAM] [DEPTH n]
//! SHOW IMPACT OF TABLE name [COLUMN c]
//! ```

use super::{Extended, Parser};
use crate::statement::{ObjectName, SyntaxError};

/// Which way `SHOW LINEAGE` walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    Upstream,
    Downstream,
    /// Both ways (no direction given).
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineageStatement {
    Show { table: ObjectName, column: Option<String>, walk: Walk, depth: Option<u32> },
    Impact { table: ObjectName, column: Option<String> },
}

/// `name`, `db.name` or `catalog.db.name`.
pub(super) fn object_name(p: &mut Parser<'_>, what: &str) -> Result<ObjectName, SyntaxError> {
    let mut parts = vec![p.ident(what)?];
    while parts.len() < 3 && p.punct('.', ".").is_ok() {
        parts.push(p.ident(what)?);
    }
    Ok(parts)
}

/// After `SHOW LINEAGE`.
pub fn show(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    p.expect(&["OF"])?;
    p.keywords(&["TABLE"]);
    let table = object_name(p, "a table name")?;
    let column = if p.keywords(&["COLUMN"]) { Some(p.ident("a column name")?) } else { None };
    let walk = if p.keywords(&["UPSTREAM"]) {
        Walk::Upstream
    } else if p.keywords(&["DOWNSTREAM"]) {
        Walk::Downstream
    } else {
        Walk::Both
    };
    let depth = if p.keywords(&["DEPTH"]) {
        let n = p.number("a depth (a positive number)")?;
        if n == 0 {
            return Err(p.error_before("the DEPTH must be at least 1"));
        }
        Some(n)
    } else {
        None
    };
    p.end("COLUMN c, UPSTREAM, DOWNSTREAM, DEPTH n or the end of SHOW LINEAGE")?;
    Ok(Some(Extended::Lineage(LineageStatement::Show { table, column, walk, depth })))
}

/// After `SHOW IMPACT`.
pub fn impact(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    p.expect(&["OF", "TABLE"])?;
    let table = object_name(p, "a table name")?;
    let column = if p.keywords(&["COLUMN"]) { Some(p.ident("a column name")?) } else { None };
    p.end("COLUMN c or the end of SHOW IMPACT")?;
    Ok(Some(Extended::Lineage(LineageStatement::Impact { table, column })))
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    fn of(sql: &str) -> LineageStatement {
        match parse_text(sql) {
            Ok(Some(Extended::Lineage(l))) => l,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn lineage_statements_read_every_clause() {
        assert_eq!(
            of("SHOW LINEAGE OF TABLE cat.db.orders COLUMN amount UPSTREAM DEPTH 2"),
            LineageStatement::Show { table: vec!["cat".into(), "db".into(), "orders".into()], column: Some("amount".into()), walk: Walk::Upstream, depth: Some(2) }
        );
        assert_eq!(of("show lineage of t"), LineageStatement::Show { table: vec!["t".into()], column: None, walk: Walk::Both, depth: None });
        assert_eq!(of("SHOW LINEAGE OF t DOWNSTREAM"), LineageStatement::Show { table: vec!["t".into()], column: None, walk: Walk::Downstream, depth: None });
        assert_eq!(of("SHOW IMPACT OF TABLE `db`.t COLUMN c"), LineageStatement::Impact { table: vec!["db".into(), "t".into()], column: Some("c".into()) });
    }

    #[test]
    fn malformed_lineage_statements_are_syntax_errors() {
        for (sql, near) in [
            ("SHOW LINEAGE t", "t"),
            ("SHOW LINEAGE OF t DEPTH 0", "0"),
            ("SHOW LINEAGE OF t DEPTH x", "x"),
            ("SHOW LINEAGE OF t SIDEWAYS", "SIDEWAYS"),
            ("SHOW IMPACT OF t", "OF t"),
        ] {
            let e = parse_text(sql).unwrap_err();
            assert_eq!(e.near, near, "{sql}: {e}");
        }
    }
}
