//! SQL text work for Weir, free of networking and server types.
//!
//! * [`lexer`]: a small lexer that knows where strings, quoted identifiers and comments are, so
//!   that statements can be split and `?` placeholders found without parsing.
//! * [`literal`]: typed values printed as Flink SQL literals (prepared-statement parameters).
//! * [`session_dialect`]: the MySQL syntax sessions speak (no backslash escapes, as in Flink).
//! * Translation of MySQL and Oracle SQL into Flink SQL: [`translate()`] and
//!   [`translate_script()`].
//!
//! # Translation
//!
//! What is asked for is the statement's [`SourceDialect`] ([`source_dialect`]), the Flink
//! version it is for ([`target`]) and the [`Options`] ([`options`]). A statement is parsed with
//! sqlparser's MySQL or Oracle dialect ([`source_dialect`], [`parse`]), lowered into a small Flink syntax tree ([`flink_ast`]) by rules kept in tables
//! ([`rules`]: functions, types, date formats; the lowering itself in `lower`), and printed by
//! Weir's own Flink printer ([`printer`]). Operand types come from a [`SchemaContext`] the
//! server fills from the session's Flink catalog; they decide rewrites such as MySQL's decimal
//! division or Oracle's `date + n`.
//!
//! The result's columns get the source dialect's names (`COUNT(*)`, Oracle's `NVL(ID,0)`) as
//! Flink aliases where Flink's would differ (`EXPR$0`); see the `names` rules of the lowering.
//!
//! What has no faithful Flink form is refused with [`TranslateError::Unsupported`], naming the
//! construct and its line and column; what is rewritten or dropped on purpose is reported as a
//! [`Note`]. The [`corpus`] module reads the conformance cases of
//! `conformance/translation/{mysql,oracle}/`.

pub mod corpus;
pub mod error;
pub mod flink_ast;
pub mod keywords;
pub mod lexer;
pub mod literal;
mod lower;
pub mod notes;
pub mod options;
pub mod parse;
pub mod printer;
pub mod rules;
pub mod schema;
pub mod session_dialect;
pub mod source_dialect;
pub mod target;
pub mod translate;

pub use error::{Pos, TranslateError};
pub use notes::Note;
pub use options::Options;
pub use schema::{FlinkType, MapSchema, NoSchema, SchemaContext};
pub use source_dialect::SourceDialect;
pub use target::FlinkTarget;
pub use translate::{Translation, translate, translate_script, translate_script_with, translate_with};
