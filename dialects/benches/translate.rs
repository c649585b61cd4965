//! Translation throughput on the whole corpus (every MySQL and Oracle case, each statement
//! translated afresh every iteration: nothing is cached). `cargo bench -p weir-dialects --bench
//! translate`; criterion prints the time per corpus pass, and statements per second follow from
//! the case count printed first. The README's ratio against sqlglot comes from this figure and
//! `sqlglot.transpile` over the same statements in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use weir_dialects::corpus::{self, Case};
use weir_dialects::{MapSchema, SourceDialect, translate};

/// The allocator the weir binary runs with (src/main.rs), so the figure is the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load() -> Vec<(Case, MapSchema)> {
    let root = corpus::default_root();
    let mut out = Vec::new();
    for dialect in [SourceDialect::MySql, SourceDialect::Oracle] {
        let schema = corpus::schema(&root, dialect).expect("corpus schema");
        for case in corpus::load(&root, dialect).expect("corpus") {
            out.push((case, schema.clone()));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let cases = load();
    eprintln!("translating {} corpus statements per iteration", cases.len());
    let mut group = c.benchmark_group("translate");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for (case, schema) in &cases {
                let _ = black_box(translate(
                    black_box(&case.source),
                    case.dialect,
                    &case.target,
                    schema,
                    case.ddl_with.as_deref(),
                ));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
