#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test helper: failing loudly is its job
//! Helpers for translation tests, in the style of sqlparser's `verified_stmt`: translate, compare
//! with the expected Flink SQL, and check the output is still SQL a parser accepts.

#![allow(dead_code)]

use sqlparser::parser::Parser;
use weir_dialects::session_dialect::MySqlNoBackslashEscapes;
use weir_dialects::{FlinkTarget, FlinkType, MapSchema, SourceDialect, TranslateError, Translation, translate};

/// Tables the unit tests read.
pub fn schema() -> MapSchema {
    use FlinkType::*;
    MapSchema::new()
        .with_table(
            "orders",
            &[
                ("id", Int),
                ("customer_id", Int),
                ("amount", Decimal(10, 2)),
                ("status", Varchar(20)),
                ("created_at", Timestamp(0)),
                ("order_date", Date),
                ("rate", Double),
                ("active", TinyInt),
                ("flag", Boolean),
            ],
        )
        .with_table("customers", &[("id", Int), ("name", Varchar(50)), ("city", Varchar(30)), ("value", Int)])
        .with_table(
            "emp",
            &[
                ("empno", SmallInt),
                ("ename", Varchar(10)),
                ("job", Varchar(9)),
                ("mgr", SmallInt),
                ("hiredate", Timestamp(0)),
                ("sal", Decimal(7, 2)),
                ("comm", Decimal(7, 2)),
                ("deptno", TinyInt),
            ],
        )
        .with_table("dept", &[("deptno", TinyInt), ("dname", Varchar(14)), ("loc", Varchar(13))])
}

/// Translates with the test schema for Flink 1.20.
pub fn run(dialect: SourceDialect, sql: &str) -> Result<Translation, TranslateError> {
    translate(sql, dialect, &FlinkTarget::V1_20, &schema(), Some("'connector' = 'blackhole'"))
}

/// Asserts that Flink SQL text still parses (backquoted identifiers, `''` escapes). Flink's
/// CREATE TABLE (`COMMENT '...' WITH (...)`, `NOT ENFORCED`) is beyond sqlparser's MySQL syntax and
/// is checked against Flink itself instead (`conformance/translation/tools/`); so are Unicode
/// identifiers (`U&"a\000Ab"`, a name holding a line break), read here as a back-quoted name.
pub fn assert_parses(flink: &str) {
    if flink.starts_with("CREATE TABLE") || flink.starts_with("CREATE TEMPORARY TABLE") {
        return;
    }
    let mut text = flink.to_string();
    while let Some(start) = text.find("U&\"") {
        let body = &text[start + 3..];
        let Some(len) = body.char_indices().find(|&(i, c)| c == '"' && !body[i + 1..].starts_with('"') && !body[..i].ends_with('"')).map(|(i, _)| i) else {
            panic!("an unterminated Unicode identifier\n{flink}");
        };
        text.replace_range(start..start + 3 + len + 1, "`unicode_identifier`");
    }
    if let Err(e) = Parser::parse_sql(&MySqlNoBackslashEscapes::default(), &text) {
        panic!("translation does not parse back: {e}\n{flink}");
    }
}

/// Asserts that `sql` translates to `expected` (and that the output parses).
pub fn translates_to(dialect: SourceDialect, sql: &str, expected: &str) {
    match run(dialect, sql) {
        Ok(t) => {
            assert_eq!(t.sql, expected, "\nsource: {sql}");
            assert_parses(&t.sql);
        }
        Err(e) => panic!("{sql}\nfailed: {e}"),
    }
}

/// Asserts that `sql` is refused as Unsupported with a construct containing `construct`.
pub fn refused(dialect: SourceDialect, sql: &str, construct: &str) {
    match run(dialect, sql) {
        Ok(t) => panic!("{sql}\nwas translated to {}", t.sql),
        Err(TranslateError::Unsupported { construct: c, .. }) => {
            assert!(c.contains(construct), "{sql}\nrefused as `{c}`, expected `{construct}`")
        }
        Err(e) => panic!("{sql}\nfailed with {e:?}, expected Unsupported"),
    }
}
