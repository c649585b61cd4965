//! SQL text work for Weir, free of networking and server types.
//!
//! * [`lexer`]: a small lexer that knows where strings, quoted identifiers and comments are, so
//!   that statements can be split and `?` placeholders found without parsing.
//! * [`literal`]: typed values printed as Flink SQL literals (prepared-statement parameters).
//! * [`session_dialect`]: the MySQL syntax sessions speak (no backslash escapes, as in Flink).
//!
//! MySQL/Oracle → Flink SQL translation grows here behind the same crate boundary.

pub mod lexer;
pub mod literal;
pub mod session_dialect;
