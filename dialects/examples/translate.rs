//! Translates a MySQL or Oracle script to Flink SQL, for trying rules by hand:
//! `cargo run -p weir-dialects --example translate -- [--from mysql|oracle] [--flink 1.20|2.2]
//! [--schema FILE] [--ddl-with OPTIONS] [FILE]` (standard input without FILE). The Flink SQL goes
//! to stdout, notes and errors to stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::io::Read;

use weir_dialects::{FlinkTarget, MapSchema, SourceDialect, translate_script};

fn main() {
    let mut from = SourceDialect::MySql;
    let mut target = FlinkTarget::V1_20;
    let mut schema = MapSchema::new();
    let mut ddl_with = None;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--from" => from = args.next().and_then(|d| SourceDialect::from_name(&d)).unwrap_or(from),
            "--flink" => target = args.next().and_then(|v| FlinkTarget::parse(&v)).unwrap_or(target),
            "--ddl-with" => ddl_with = args.next(),
            "--schema" => {
                let path = args.next().unwrap_or_default();
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
                schema = MapSchema::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
            other => file = Some(other.to_string()),
        }
    }
    let mut sql = String::new();
    match &file {
        Some(path) => sql = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        None => {
            let _ = std::io::stdin().read_to_string(&mut sql);
        }
    }
    for result in translate_script(&sql, from, &target, &schema, ddl_with.as_deref()) {
        match result {
            Ok(t) => {
                println!("{};", t.sql);
                for n in t.notes {
                    eprintln!("  note: {n}");
                }
            }
            Err(e) => eprintln!("  error: {e}"),
        }
    }
}
