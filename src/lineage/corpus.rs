//! The hand-written lineage corpus (`conformance/lineage/corpus.txt`): each statement's
//! expected table and column edges, compared exactly with what [`super::analyze`] finds.

use std::collections::{BTreeSet, HashMap};

use super::{MapSchema, Scope, analyze};

struct Case {
    name: String,
    dialect: Option<String>,
    sql: String,
    tables: BTreeSet<(String, String)>,
    columns: BTreeSet<String>,
    unresolved: BTreeSet<String>,
    targets: BTreeSet<String>,
}

fn scope() -> Scope {
    Scope::new("cat", "db")
}

/// `t`, `db.t`, `cat.db.t` → qualified; with `column`, the last part is a column.
fn qualify(name: &str, column: bool) -> String {
    let mut parts: Vec<String> = name.split('.').map(str::to_string).collect();
    let col = if column { parts.pop() } else { None };
    let t = scope().qualify(&parts);
    match col {
        Some(c) => format!("{t}.{c}"),
        None => t,
    }
}

fn read() -> (MapSchema, Vec<Case>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/conformance/lineage/corpus.txt")).unwrap();
    let mut schema = HashMap::new();
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || (line.trim().is_empty() && cases.last().is_none_or(|c| !c.sql.is_empty())) {
            continue;
        }
        if let Some(rest) = line.strip_prefix("schema ") {
            let (name, cols) = rest.split_once(':').unwrap();
            schema.insert(qualify(name.trim(), false), cols.split(',').map(|c| c.trim().to_string()).collect());
        } else if let Some(rest) = line.strip_prefix("=== ") {
            let (name, dialect) = match rest.rsplit_once(", translated ") {
                Some((n, d)) => (n.to_string(), Some(d.trim().to_string())),
                None => (rest.to_string(), None),
            };
            cases.push(Case { name, dialect, sql: String::new(), tables: BTreeSet::new(), columns: BTreeSet::new(), unresolved: BTreeSet::new(), targets: BTreeSet::new() });
        } else if let Some(rest) = line.strip_prefix("> ") {
            let c = cases.last_mut().unwrap();
            let words: Vec<&str> = rest.split_whitespace().collect();
            match words.as_slice() {
                ["table", from, "->", to] => {
                    c.tables.insert((qualify(from, false), qualify(to, false)));
                    c.targets.insert(qualify(to, false));
                }
                ["column", from, "->", to, kind] => {
                    c.columns.insert(format!("{} -> {} {kind}", qualify(from, true), qualify(to, true)));
                }
                ["unresolved", table] => {
                    c.unresolved.insert(qualify(table, false));
                }
                ["unresolved", table, column] => {
                    c.unresolved.insert(format!("{}.{column}", qualify(table, false)));
                }
                ["target", t] => {
                    c.targets.insert(qualify(t, false));
                }
                other => panic!("unreadable expectation {other:?}"),
            }
        } else if let Some(c) = cases.last_mut() {
            c.sql.push_str(line);
            c.sql.push('\n');
        }
    }
    (MapSchema(schema), cases)
}

#[test]
fn the_corpus_gives_the_expected_edges() {
    let (schema, cases) = read();
    assert!(cases.len() >= 60, "the corpus has {} statements", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let sql = match case.dialect.as_deref() {
            Some(d) => {
                let dialect = weir_dialects::SourceDialect::from_name(d).unwrap();
                let target = weir_dialects::FlinkTarget { major: 1, minor: 20 };
                match weir_dialects::translate(case.sql.trim(), dialect, &target, &weir_dialects::NoSchema, None) {
                    Ok(t) => t.sql,
                    Err(e) => {
                        failures.push(format!("{}: translation failed: {e}", case.name));
                        continue;
                    }
                }
            }
            None => case.sql.trim().to_string(),
        };
        let found = match analyze(&sql, &scope(), &schema) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{}: {e} ({sql})", case.name));
                continue;
            }
        };
        let tables: BTreeSet<(String, String)> = found.iter().flat_map(|l| l.reads.iter().map(|r| (r.clone(), l.target.clone()))).collect();
        let columns: BTreeSet<String> = found
            .iter()
            .flat_map(|l| l.columns.iter().map(|e| format!("{}.{} -> {}.{} {}", e.from_table, e.from_column, e.to_table, e.to_column, e.kind)))
            .collect();
        let unresolved: BTreeSet<String> = found
            .iter()
            .flat_map(|l| l.unresolved.iter().map(|u| match &u.column {
                Some(c) => format!("{}.{c}", u.table),
                None => u.table.clone(),
            }))
            .collect();
        let targets: BTreeSet<String> = found.iter().map(|l| l.target.clone()).collect();
        if tables != case.tables || columns != case.columns || unresolved != case.unresolved || targets != case.targets {
            failures.push(format!(
                "{}\n  sql: {sql}\n  tables:     {tables:?}\n  expected:   {:?}\n  columns:    {columns:?}\n  expected:   {:?}\n  unresolved: {unresolved:?}\n  expected:   {:?}\n  targets: {targets:?} expected {:?}",
                case.name, case.tables, case.columns, case.unresolved, case.targets
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}
