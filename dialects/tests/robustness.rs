//! The in-CI stand-in for the fuzz target (`dialects/fuzz`): every corpus statement, truncated
//! and with tokens swapped, dropped or repeated, goes through `translate` in both dialects. Every
//! input must give a translation or a typed error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use weir_dialects::corpus::{self, Case};
use weir_dialects::{FlinkTarget, NoSchema, SourceDialect, translate};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn cases() -> Vec<Case> {
    let root = corpus::default_root();
    let mut all = corpus::load(&root, SourceDialect::MySql).expect("mysql corpus");
    all.extend(corpus::load(&root, SourceDialect::Oracle).expect("oracle corpus"));
    all
}

/// Mutations of one statement: truncations at several points, and token-level edits.
fn mutations(sql: &str, rng: &mut Rng) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    for k in 1..=6 {
        let cut = chars.len() * k / 7;
        out.push(chars[..cut].iter().collect());
    }
    let tokens: Vec<&str> = sql.split_whitespace().collect();
    for _ in 0..12 {
        let mut t: Vec<&str> = tokens.clone();
        if t.len() < 2 {
            break;
        }
        match rng.below(4) {
            0 => {
                let (a, b) = (rng.below(t.len()), rng.below(t.len()));
                t.swap(a, b);
            }
            1 => {
                t.remove(rng.below(t.len()));
            }
            2 => {
                let i = rng.below(t.len());
                let w = t[i];
                t.insert(i, w);
            }
            _ => {
                let i = rng.below(t.len());
                let j = rng.below(tokens.len());
                t[i] = tokens[j];
            }
        }
        out.push(t.join(" "));
    }
    out
}

#[test]
fn mutated_corpus_never_panics() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut inputs = 0usize;
    for case in cases() {
        for m in mutations(&case.source, &mut rng) {
            for dialect in [SourceDialect::MySql, SourceDialect::Oracle] {
                for target in [FlinkTarget::V1_20, FlinkTarget::V2_2] {
                    let _ = translate(&m, dialect, &target, &NoSchema, Some("'connector' = 'blackhole'"));
                    inputs += 1;
                }
            }
        }
    }
    assert!(inputs > 1000, "only {inputs} inputs");
}

#[test]
fn odd_inputs_give_typed_errors() {
    let deep = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
    let nested_add_months = format!("SELECT {}d{} FROM t", "ADD_MONTHS(".repeat(40), ", 1)".repeat(40));
    for sql in ["", ";", "SELECT", "\u{0}", "SELECT '", "SELECT `", "/*", "SELECT 1; SELECT 2", deep.as_str(), nested_add_months.as_str()] {
        for dialect in [SourceDialect::MySql, SourceDialect::Oracle] {
            let _ = translate(sql, dialect, &FlinkTarget::V1_20, &NoSchema, None);
        }
    }
}
