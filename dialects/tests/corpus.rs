//! Runs every case of `conformance/translation/{mysql,oracle}/*.sql`: the translation must equal
//! the expected Flink SQL exactly (and still parse), or be refused as expected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

mod common;

use weir_dialects::corpus::{self, Case, Expected};
use weir_dialects::{SourceDialect, TranslateError, translate};

fn check(case: &Case, schema: &weir_dialects::MapSchema) -> Result<(), String> {
    let result = translate(&case.source, case.dialect, &case.target, schema, case.ddl_with.as_deref());
    let at = format!("{}:{} ({})", case.file.display(), case.line, case.name);
    match (&case.expected, result) {
        (Expected::Flink(want), Ok(t)) if *want == t.sql => {
            common::assert_parses(&t.sql);
            Ok(())
        }
        (Expected::Flink(want), Ok(t)) => Err(format!("{at}\n  expected: {want}\n  got:      {}", t.sql)),
        (Expected::Flink(_), Err(e)) => Err(format!("{at}\n  failed: {e}")),
        (Expected::Refused(what), Err(TranslateError::Unsupported { construct, .. })) if construct.contains(what.as_str()) => Ok(()),
        (Expected::Refused(what), Err(e)) => Err(format!("{at}\n  expected a refusal naming `{what}`, got: {e}")),
        (Expected::Refused(what), Ok(t)) => Err(format!("{at}\n  expected a refusal naming `{what}`, got: {}", t.sql)),
    }
}

fn run(dialect: SourceDialect, minimum: usize) {
    let root = corpus::default_root();
    let cases = corpus::load(&root, dialect).unwrap_or_else(|e| panic!("{e}"));
    let schema = corpus::schema(&root, dialect).unwrap_or_else(|e| panic!("{e}"));
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c, &schema).err()).collect();
    let queries = cases.iter().filter(|c| c.is_query()).count();
    let refused = cases.iter().filter(|c| matches!(c.expected, Expected::Refused(_))).count();
    println!("{dialect}: {} cases ({queries} queries, {refused} refusals), {} failed", cases.len(), failures.len());
    if dialect == SourceDialect::Oracle {
        let missing: Vec<&str> = cases.iter().filter(|c| c.is_query() && c.mariadb.is_none()).map(|c| c.name.as_str()).collect();
        assert!(missing.is_empty(), "Oracle query cases without a -- mariadb: form: {missing:?}");
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(cases.len() >= minimum, "only {} {dialect} cases", cases.len());
}

#[test]
fn mysql_corpus() {
    run(SourceDialect::MySql, 150);
}

#[test]
fn oracle_corpus() {
    run(SourceDialect::Oracle, 150);
}
