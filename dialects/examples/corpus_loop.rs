//! Where translation time goes, for profilers and the README's throughput analysis: translates
//! the whole corpus in passes, then parses it only (sqlparser's share, the floor any translator
//! built on it pays), then tokenizes it only, and lists the slowest statements.
//! `cargo run --release -p weir-dialects --example corpus_loop -- [PASSES] [SUBSTRING]`
//! (SUBSTRING keeps only the cases whose source contains it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::hint::black_box;
use std::time::{Duration, Instant};

use sqlparser::dialect::{Dialect, MySqlDialect, OracleDialect};
use sqlparser::tokenizer::Tokenizer;
use weir_dialects::corpus::{self, Case};
use weir_dialects::{MapSchema, Options, SourceDialect, parse, translate};

/// The allocator the weir binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn per_pass(passes: u32, mut pass: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..passes {
        pass();
    }
    start.elapsed() / passes
}

fn main() {
    let mut args = std::env::args().skip(1);
    let passes: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(300);
    let filter = args.next();
    let root = corpus::default_root();
    let mut cases: Vec<(Case, MapSchema)> = Vec::new();
    for dialect in [SourceDialect::MySql, SourceDialect::Oracle] {
        let schema = corpus::schema(&root, dialect).expect("corpus schema");
        for case in corpus::load(&root, dialect).expect("corpus") {
            if filter.as_deref().is_none_or(|f| case.source.contains(f)) {
                cases.push((case, schema.clone()));
            }
        }
    }
    let translate_all = || {
        for (case, schema) in &cases {
            let _ = black_box(translate(&case.source, case.dialect, &case.target, schema, case.ddl_with.as_deref()));
        }
    };
    let options = Options::default();
    let parse_all = || {
        for (case, _) in &cases {
            let _ = black_box(parse::parse_one(&case.source, case.dialect, &options));
        }
    };
    let tokenize_all = || {
        for (case, _) in &cases {
            let dialect: &dyn Dialect = match case.dialect {
                SourceDialect::MySql => &MySqlDialect {},
                SourceDialect::Oracle => &OracleDialect {},
            };
            let _ = black_box(Tokenizer::new(dialect, &case.source).tokenize_with_location());
        }
    };
    println!("{} statements, per pass:", cases.len());
    println!("  translate (parse, lower, print): {:?}", per_pass(passes, translate_all));
    println!("  parse only (sqlparser + Weir's patches): {:?}", per_pass(passes, parse_all));
    println!("  tokenize only (sqlparser): {:?}", per_pass(passes, tokenize_all));
    let mut slowest: Vec<(Duration, &str)> = cases
        .iter()
        .map(|(case, schema)| {
            let t = per_pass(50, || {
                let _ = black_box(translate(&case.source, case.dialect, &case.target, schema, case.ddl_with.as_deref()));
            });
            (t, case.source.as_str())
        })
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!("slowest statements:");
    for (t, sql) in slowest.iter().take(10) {
        let head: String = sql.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(70).collect();
        println!("  {t:>10.1?}  {head}");
    }
}
