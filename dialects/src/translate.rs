//! The public entry points: translate one MySQL or Oracle statement (or a script of them) into
//! Flink SQL.
//!
//! ```
//! use weir_dialects::{translate, FlinkTarget, NoSchema, SourceDialect};
//!
//! let t = translate("SELECT IFNULL(a, 0) FROM t LIMIT 5, 10", SourceDialect::MySql,
//!                   &FlinkTarget::V1_20, &NoSchema, None).unwrap();
//! assert_eq!(t.sql, "SELECT COALESCE(a, 0) FROM t LIMIT 10 OFFSET 5");
//! ```

use std::fmt;

use crate::error::TranslateError;
use crate::lexer;
use crate::lower::Lowerer;
use crate::notes::Note;
use crate::parse;
use crate::printer;
use crate::schema::SchemaContext;

/// The SQL dialect a statement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceDialect {
    /// MySQL (and MariaDB) SQL.
    MySql,
    /// Oracle SQL (not PL/SQL).
    Oracle,
}

impl SourceDialect {
    /// The dialect named `name` (`mysql`, `mariadb`, `oracle`; any case).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "mysql" | "mariadb" => Some(Self::MySql),
            "oracle" => Some(Self::Oracle),
            _ => None,
        }
    }

    /// The dialect's name as `SET weir.dialect` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::MySql => "mysql",
            Self::Oracle => "oracle",
        }
    }
}

impl fmt::Display for SourceDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The Flink version the translation is for: functions added in Flink 2.x (REGEXP_SUBSTR,
/// TRANSLATE, PERCENTILE, two-argument LTRIM/RTRIM, ...) are used only when `major >= 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlinkTarget {
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

impl FlinkTarget {
    /// Flink 1.20.
    pub const V1_20: FlinkTarget = FlinkTarget { major: 1, minor: 20 };
    /// Flink 2.2.
    pub const V2_2: FlinkTarget = FlinkTarget { major: 2, minor: 2 };

    /// The version in a string such as `1.20.3` or `2.2`.
    pub fn parse(version: &str) -> Option<FlinkTarget> {
        let mut parts = version.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().unwrap_or("0").parse().ok()?;
        Some(FlinkTarget { major, minor })
    }

    /// True when the target has the functions Flink 2.0 added.
    pub fn has_2x_functions(&self) -> bool {
        self.major >= 2
    }
}

impl Default for FlinkTarget {
    fn default() -> Self {
        Self::V1_20
    }
}

impl fmt::Display for FlinkTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Choices that change how some constructs translate. [`Options::default`] is what a Weir
/// session uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// MySQL string literals treat `\` as an escape character. Off by default: Weir's sessions
    /// announce `NO_BACKSLASH_ESCAPES`, so clients send `\` as a plain character. Turn it on for
    /// scripts written for a MySQL server with the default SQL mode.
    pub mysql_backslash_escapes: bool,
    /// MySQL compares strings under its default case-insensitive collation: comparisons, `LIKE`,
    /// `IN`, `INSTR`/`LOCATE` and `REGEXP` between strings are made case-insensitive in Flink
    /// (`LOWER(...)` on both sides, `(?i)` for patterns) when both sides are known to be strings.
    /// On by default.
    pub mysql_case_insensitive: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { mysql_backslash_escapes: false, mysql_case_insensitive: true }
    }
}

/// A translated statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The Flink SQL text (one statement, no trailing `;`).
    pub sql: String,
    /// What was rewritten or dropped, in source order.
    pub notes: Vec<Note>,
}

/// Translates one statement into Flink SQL.
///
/// `schema` answers column types (the session's Flink catalog; [`crate::NoSchema`] when none);
/// `ddl_with` is the session's `weir.ddl.with`, the connector options a CREATE TABLE gets when
/// it has no `WITH (...)` of its own (`'connector' = 'jdbc', 'url' = '...'`, with or without the
/// surrounding parentheses; `#{table}` is replaced by the table's name).
pub fn translate(
    sql: &str,
    from: SourceDialect,
    target: &FlinkTarget,
    schema: &dyn SchemaContext,
    ddl_with: Option<&str>,
) -> Result<Translation, TranslateError> {
    translate_with(sql, from, target, schema, ddl_with, &Options::default())
}

/// [`translate`] with explicit [`Options`].
pub fn translate_with(
    sql: &str,
    from: SourceDialect,
    target: &FlinkTarget,
    schema: &dyn SchemaContext,
    ddl_with: Option<&str>,
    options: &Options,
) -> Result<Translation, TranslateError> {
    let statement = parse::parse_one(sql, from, options)?;
    let mut lowerer = Lowerer::new(from, *target, schema, options, ddl_with);
    let flink = lowerer.statement(&statement)?;
    Ok(Translation { sql: printer::statement(&flink), notes: lowerer.into_notes() })
}

/// Translates every statement of a script (statements separated by `;`; SQL*Plus `/` lines are
/// ignored), each on its own: one result per statement, in order. Positions in errors and notes
/// are positions in the whole script.
pub fn translate_script(
    sql: &str,
    from: SourceDialect,
    target: &FlinkTarget,
    schema: &dyn SchemaContext,
    ddl_with: Option<&str>,
) -> Vec<Result<Translation, TranslateError>> {
    translate_script_with(sql, from, target, schema, ddl_with, &Options::default())
}

/// [`translate_script`] with explicit [`Options`].
pub fn translate_script_with(
    sql: &str,
    from: SourceDialect,
    target: &FlinkTarget,
    schema: &dyn SchemaContext,
    ddl_with: Option<&str>,
    options: &Options,
) -> Vec<Result<Translation, TranslateError>> {
    let cleaned = parse::blank_script_directives(sql, from);
    lexer::split_statements(&cleaned)
        .into_iter()
        .map(|piece| {
            let offset = piece.as_ptr() as usize - cleaned.as_ptr() as usize;
            let (line, column) = line_column(&cleaned, offset);
            match translate_with(piece, from, target, schema, ddl_with, options) {
                Ok(mut t) => {
                    for n in &mut t.notes {
                        if n.line == 1 {
                            n.column += column - 1;
                        }
                        if n.line > 0 {
                            n.line += line - 1;
                        }
                    }
                    Ok(t)
                }
                Err(e) => Err(e.shifted(line, column)),
            }
        })
        .collect()
}

/// The 1-based line and column of byte `offset` in `text` (columns count characters).
fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u64 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_names() {
        assert_eq!(FlinkTarget::parse("1.20.3"), Some(FlinkTarget::V1_20));
        assert_eq!(FlinkTarget::parse("2.2.0"), Some(FlinkTarget::V2_2));
        assert!(FlinkTarget::parse("x").is_none());
        assert_eq!(SourceDialect::from_name("Oracle"), Some(SourceDialect::Oracle));
        assert_eq!(SourceDialect::from_name("flink"), None);
    }

    #[test]
    fn line_columns() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
