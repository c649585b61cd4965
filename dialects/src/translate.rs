//! The public entry points: translate one MySQL or Oracle statement (or a script of them) into
//! Flink SQL, by parsing ([`crate::parse`]), lowering and printing ([`crate::printer`]) it.
//!
//! The types that say what is asked for live in modules of their own, which parsing and lowering
//! use without depending on these entry points: [`SourceDialect`] (in [`crate::source_dialect`]),
//! [`FlinkTarget`] (in [`crate::target`]) and [`Options`] (in [`crate::options`]). They are
//! re-exported here.
//!
//! ```
//! use weir_dialects::{translate, FlinkTarget, NoSchema, SourceDialect};
//!
//! let t = translate("SELECT IFNULL(a, 0) FROM t LIMIT 5, 10", SourceDialect::MySql,
//!                   &FlinkTarget::V1_20, &NoSchema, None).unwrap();
//! // The column keeps MySQL's name for it.
//! assert_eq!(t.sql, "SELECT COALESCE(a, 0) AS `IFNULL(a, 0)` FROM t LIMIT 10 OFFSET 5");
//! ```

pub use crate::options::Options;
pub use crate::source_dialect::SourceDialect;
pub use crate::target::FlinkTarget;

use crate::error::{Pos, TranslateError};
use crate::lexer;
use crate::lower::Lowerer;
use crate::notes::Note;
use crate::parse;
use crate::printer;
use crate::schema::SchemaContext;

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
    let placed = |e: TranslateError| e.placed(statement_start(sql));
    let statement = parse::parse_one(sql, from, options).map_err(placed)?;
    let mut lowerer = Lowerer::new(from, *target, schema, options, ddl_with);
    let mut flink = lowerer.statement(&statement).map_err(placed)?;
    lowerer.name_columns(sql, &statement, &mut flink);
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

/// Where the statement in `sql` starts: its first character after blanks and comments.
fn statement_start(sql: &str) -> Pos {
    let (line, column) = line_column(sql, sql.len() - lexer::strip_leading_comments(sql).len());
    Pos::new(line, column)
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
    fn line_columns() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }

    #[test]
    fn a_refused_statement_sqlparser_gives_no_place_is_placed_where_it_starts() {
        let e = translate("/* app */\n  LOCK TABLES t READ", SourceDialect::MySql, &FlinkTarget::V1_20, &crate::NoSchema, None).unwrap_err();
        assert!(e.to_string().ends_with("(line 2, column 3)"), "{e}");
        let script = translate_script("SELECT 1;\nDROP PROCEDURE p", SourceDialect::MySql, &FlinkTarget::V1_20, &crate::NoSchema, None);
        let e = script[1].as_ref().unwrap_err();
        assert!(e.to_string().ends_with("(line 2, column 1)"), "{e}");
    }
}
