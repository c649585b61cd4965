//! Rewrites the corpus files with the current translation of every case in each `-- flink:`
//! block (like sqllogictest's `--complete`): `cargo run -p weir-dialects --example corpus_bless
//! [-- FILE...]`. Review the diff before committing: a blessed case is only as right as the
//! person who read it. Refused cases (`-- refused:`) are left as they are; cases that fail to
//! translate are reported and keep their old text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::fmt::Write;
use std::path::{Path, PathBuf};

use weir_dialects::corpus::{self, Case, Expected};
use weir_dialects::{SourceDialect, translate};

fn render(header: &str, cases: &[Case]) -> String {
    let mut out = String::from(header);
    for c in cases {
        let _ = writeln!(out, "-- case: {}", c.name);
        if c.target != weir_dialects::FlinkTarget::V1_20 {
            let _ = writeln!(out, "-- target: {}", c.target);
        }
        if let Some(w) = &c.ddl_with {
            let _ = writeln!(out, "-- with: {w}");
        }
        for (marker, value) in [("names", &c.names), ("names differ", &c.names_differ), ("weir names", &c.weir_names)] {
            if let Some(v) = value {
                let _ = writeln!(out, "-- {marker}: {v}");
            }
        }
        let _ = writeln!(out, "{};", c.source);
        match &c.expected {
            Expected::Flink(f) => {
                let _ = writeln!(out, "-- flink:\n{f}");
            }
            Expected::Refused(r) => {
                let _ = writeln!(out, "-- refused: {r}");
            }
        }
        if let Some(m) = &c.mariadb {
            let _ = writeln!(out, "-- mariadb:\n{m};");
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn bless(file: &Path, dialect: SourceDialect) {
    let root = corpus::default_root();
    let schema = corpus::schema(&root, dialect).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let header: String = text.lines().take_while(|l| !l.trim().starts_with("-- case:")).map(|l| format!("{l}\n")).collect();
    let mut cases = corpus::parse_cases(&text.replace("-- flink:\n-- case:", "-- flink:\n?\n-- case:"), file, dialect)
        .unwrap_or_else(|e| panic!("{e}"));
    for c in &mut cases {
        if let Expected::Flink(_) = c.expected {
            match translate(&c.source, dialect, &c.target, &schema, c.ddl_with.as_deref()) {
                Ok(t) => c.expected = Expected::Flink(t.sql),
                Err(e) => eprintln!("{}:{} {}: {e}", file.display(), c.line, c.name),
            }
        }
    }
    std::fs::write(file, render(&header, &cases)).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
}

fn main() {
    let root = corpus::default_root();
    let mut files: Vec<(PathBuf, SourceDialect)> = Vec::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for dialect in [SourceDialect::MySql, SourceDialect::Oracle] {
        let dir = corpus::dialect_dir(&root, dialect);
        let mut in_dir: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "sql")).collect())
            .unwrap_or_default();
        in_dir.sort();
        for f in in_dir {
            let name = f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if args.is_empty() || args.iter().any(|a| f.ends_with(a) || *a == name) {
                files.push((f, dialect));
            }
        }
    }
    for (f, d) in files {
        bless(&f, d);
    }
}
