//! The translation corpus: MySQL and Oracle statements with the Flink SQL they must translate
//! to, in `conformance/translation/{mysql,oracle}/*.sql`.
//!
//! # File format
//!
//! A file holds cases, each introduced by a `-- case:` line and made of blocks:
//!
//! ```text
//! -- case: limit_with_offset
//! -- target: 2.2                          (optional: the Flink version, default 1.20)
//! -- with: 'connector' = 'blackhole'      (optional: the session's weir.ddl.with)
//! -- names: ["name", "COUNT(*)"]           (optional: the source dialect's column names, JSON)
//! -- names differ: <why>                   (optional, with `-- weir names:`: the column names
//! -- weir names: ["id", "id0"]              Weir gives where they cannot be the source's)
//! SELECT name FROM customers LIMIT 5, 10;  (the source statement, any number of lines)
//! -- flink:
//! SELECT name FROM customers LIMIT 10 OFFSET 5
//! -- mariadb:                              (Oracle cases: the same query for MariaDB)
//! SELECT name FROM customers LIMIT 10 OFFSET 5
//! ```
//!
//! A case that must be refused has `-- refused: <text>` instead of a `-- flink:` block; the
//! translation must fail with [`TranslateError::Unsupported`](crate::TranslateError) whose
//! construct contains the text. Lines starting with `--` before the first case are comments, as
//! are `-- ` lines inside a block that are not one of the markers above. A trailing `;` ends a
//! block's text and is not part of it.
//!
//! Column names are checked by the differential runner: a MySQL case's must be MariaDB's, an
//! Oracle case's Oracle's (computed from the statement by Oracle's rule, or the case's
//! `-- names:`); where Weir cannot give them, the case says so and why (`-- names differ:`) and
//! what Weir gives instead (`-- weir names:`).
//!
//! The differential runner also reads annotations this parser keeps as comments:
//! `-- types differ: <why>` with `-- weir types: [...]` (the column types Weir gives where Flink's
//! legitimately differ from the source's), `-- empty: <why>` (an answer that is empty on purpose),
//! `-- collation: <columns>: <why>` (MySQL grouping keys compared case-insensitively) and, for
//! Oracle cases, `-- portable: <why>` (the Oracle statement means the same on MariaDB, so it is
//! its own reference).
//!
//! Each dialect directory also holds `schema.txt`, the tables the cases read (the format of
//! [`MapSchema::parse`]), and the shared dataset lives in `conformance/translation/dataset/`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::schema::MapSchema;
use crate::source_dialect::SourceDialect;
use crate::target::FlinkTarget;

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The exact Flink SQL text.
    Flink(String),
    /// Refusal, with a text the Unsupported construct contains.
    Refused(String),
}

/// One corpus case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The file the case is in.
    pub file: PathBuf,
    /// The case's name (unique within its dialect).
    pub name: String,
    /// The line of its `-- case:` marker.
    pub line: usize,
    /// The source dialect.
    pub dialect: SourceDialect,
    /// The Flink version translated for.
    pub target: FlinkTarget,
    /// The session's `weir.ddl.with`, if the case sets one.
    pub ddl_with: Option<String>,
    /// The source statement.
    pub source: String,
    /// What the translation must give.
    pub expected: Expected,
    /// The MariaDB form of the statement (Oracle cases), for differential runs.
    pub mariadb: Option<String>,
    /// The source dialect's column names (`-- names:`, a JSON list), when the case gives them.
    pub names: Option<String>,
    /// Why Weir's column names cannot be the source dialect's (`-- names differ:`).
    pub names_differ: Option<String>,
    /// The column names Weir gives instead (`-- weir names:`, a JSON list).
    pub weir_names: Option<String>,
}

impl Case {
    /// True when the case is a query (its results can be compared).
    pub fn is_query(&self) -> bool {
        let s = crate::lexer::strip_leading_comments(&self.source).trim_start_matches('(').trim_start();
        let first = s.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        matches!(first.as_str(), "SELECT" | "WITH") && matches!(self.expected, Expected::Flink(_))
    }
}

/// A malformed corpus file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// The file.
    pub file: PathBuf,
    /// The line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}

/// The `conformance/translation` directory of this repository.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("conformance").join("translation")
}

/// The directory of a dialect's cases.
pub fn dialect_dir(root: &Path, dialect: SourceDialect) -> PathBuf {
    root.join(dialect.name())
}

#[derive(PartialEq)]
enum Block {
    Source,
    Flink,
    MariaDb,
}

/// Parses one corpus file's text.
pub fn parse_cases(text: &str, file: &Path, dialect: SourceDialect) -> Result<Vec<Case>, CorpusError> {
    let err = |line: usize, message: String| CorpusError { file: file.to_path_buf(), line, message };
    let mut cases: Vec<Case> = Vec::new();
    let mut block = Block::Source;
    let mut buffers: (Vec<&str>, Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new(), Vec::new());
    let mut current: Option<Case> = None;

    fn join(lines: &[&str]) -> String {
        let text = lines.join("\n");
        let text = text.trim();
        text.strip_suffix(';').unwrap_or(text).trim_end().to_string()
    }

    let finish = |case: Option<Case>, buffers: &mut (Vec<&str>, Vec<&str>, Vec<&str>), cases: &mut Vec<Case>| -> Result<(), CorpusError> {
        let Some(mut case) = case else { return Ok(()) };
        case.source = join(&buffers.0);
        if case.source.is_empty() {
            return Err(err(case.line, format!("case {} has no source statement", case.name)));
        }
        match (&case.expected, buffers.1.is_empty()) {
            (Expected::Refused(_), true) => {}
            (Expected::Refused(_), false) => return Err(err(case.line, format!("case {} is refused but has a flink block", case.name))),
            (Expected::Flink(_), _) => {
                let flink = join(&buffers.1);
                if flink.is_empty() {
                    return Err(err(case.line, format!("case {} has neither a flink block nor a refusal", case.name)));
                }
                case.expected = Expected::Flink(flink);
            }
        }
        if !buffers.2.is_empty() {
            case.mariadb = Some(join(&buffers.2));
        }
        if case.names_differ.is_some() != case.weir_names.is_some() {
            return Err(err(case.line, format!("case {}: `-- names differ:` and `-- weir names:` go together", case.name)));
        }
        if cases.iter().any(|c| c.name == case.name) {
            return Err(err(case.line, format!("case {} appears twice", case.name)));
        }
        *buffers = (Vec::new(), Vec::new(), Vec::new());
        cases.push(case);
        Ok(())
    };

    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let t = line.trim();
        if let Some(name) = t.strip_prefix("-- case:") {
            finish(current.take(), &mut buffers, &mut cases)?;
            let name = name.trim();
            if name.is_empty() {
                return Err(err(n, "a case needs a name".into()));
            }
            current = Some(Case {
                file: file.to_path_buf(),
                name: name.to_string(),
                line: n,
                dialect,
                target: FlinkTarget::V1_20,
                ddl_with: None,
                source: String::new(),
                expected: Expected::Flink(String::new()),
                mariadb: None,
                names: None,
                names_differ: None,
                weir_names: None,
            });
            block = Block::Source;
            continue;
        }
        let Some(case) = current.as_mut() else { continue };
        if let Some(v) = t.strip_prefix("-- target:") {
            case.target = FlinkTarget::parse(v).ok_or_else(|| err(n, format!("bad target {v}")))?;
        } else if let Some(v) = t.strip_prefix("-- with:") {
            case.ddl_with = Some(v.trim().to_string());
        } else if let Some(v) = t.strip_prefix("-- names:") {
            case.names = Some(v.trim().to_string());
        } else if let Some(v) = t.strip_prefix("-- names differ:") {
            case.names_differ = Some(v.trim().to_string());
        } else if let Some(v) = t.strip_prefix("-- weir names:") {
            case.weir_names = Some(v.trim().to_string());
        } else if let Some(v) = t.strip_prefix("-- refused:") {
            case.expected = Expected::Refused(v.trim().to_string());
        } else if t == "-- flink:" {
            block = Block::Flink;
        } else if t == "-- mariadb:" {
            block = Block::MariaDb;
        } else if t.starts_with("-- ") && block != Block::Source {
            // A comment inside an expected block.
        } else {
            match block {
                Block::Source => buffers.0.push(line),
                Block::Flink => buffers.1.push(line),
                Block::MariaDb => buffers.2.push(line),
            }
        }
    }
    finish(current.take(), &mut buffers, &mut cases)?;
    Ok(cases)
}

/// Every case of a dialect: all `*.sql` files of its directory, in file-name order.
pub fn load(root: &Path, dialect: SourceDialect) -> Result<Vec<Case>, CorpusError> {
    let dir = dialect_dir(root, dialect);
    let io = |e: std::io::Error| CorpusError { file: dir.clone(), line: 0, message: e.to_string() };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut all: Vec<Case> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| CorpusError { file: f.clone(), line: 0, message: e.to_string() })?;
        for case in parse_cases(&text, &f, dialect)? {
            if let Some(other) = all.iter().find(|c| c.name == case.name) {
                return Err(CorpusError {
                    file: f.clone(),
                    line: case.line,
                    message: format!("case {} also in {}", case.name, other.file.display()),
                });
            }
            all.push(case);
        }
    }
    Ok(all)
}

/// The schema a dialect's cases read (`schema.txt` in its directory).
pub fn schema(root: &Path, dialect: SourceDialect) -> Result<MapSchema, CorpusError> {
    let path = dialect_dir(root, dialect).join("schema.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| CorpusError { file: path.clone(), line: 0, message: e.to_string() })?;
    MapSchema::parse(&text).map_err(|message| CorpusError { file: path, line: 0, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
-- A header comment.
-- case: one
SELECT a
FROM t;
-- flink:
SELECT a FROM t
-- mariadb:
SELECT a FROM t;

-- case: two
-- target: 2.2
-- names: [\"b\"]
-- names differ: a reason
-- weir names: [\"B\"]
SELECT b FROM u CONNECT BY x
-- refused: CONNECT BY
";

    #[test]
    fn parses_cases() {
        let cases = parse_cases(SAMPLE, Path::new("x.sql"), SourceDialect::Oracle).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].source, "SELECT a\nFROM t");
        assert_eq!(cases[0].expected, Expected::Flink("SELECT a FROM t".into()));
        assert_eq!(cases[0].mariadb.as_deref(), Some("SELECT a FROM t"));
        assert!(cases[0].is_query());
        assert_eq!(cases[1].target, FlinkTarget::V2_2);
        assert_eq!(cases[1].expected, Expected::Refused("CONNECT BY".into()));
        assert_eq!(cases[1].line, 10);
        assert_eq!(cases[1].names.as_deref(), Some("[\"b\"]"));
        assert_eq!(cases[1].names_differ.as_deref(), Some("a reason"));
        assert_eq!(cases[1].weir_names.as_deref(), Some("[\"B\"]"));
        assert_eq!(cases[1].source, "SELECT b FROM u CONNECT BY x");
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse_cases("-- case: a\nSELECT 1\n", Path::new("x"), SourceDialect::MySql).is_err());
        assert!(parse_cases("-- case: a\n-- names differ: why\nSELECT 1\n-- flink:\nSELECT 1", Path::new("x"), SourceDialect::MySql).is_err());
        assert!(parse_cases("-- case: a\nSELECT 1\n-- flink:\nSELECT 1\n-- case: a\nSELECT 1\n-- flink:\nSELECT 1", Path::new("x"), SourceDialect::MySql).is_err());
    }
}
