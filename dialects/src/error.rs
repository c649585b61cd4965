//! Why a statement could not be translated.
//!
//! Every error carries the line and column (1-based, in the text given to
//! [`translate`](crate::translate) or [`translate_script`](crate::translate_script)) of the
//! construct it is about, so the server can answer MySQL error 1064 (parse) or 1235 (not
//! supported) with a message that points at it.

/// A position in the source text (1-based line and column; 0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: u64,
    /// Column, from 1.
    pub column: u64,
}

impl Pos {
    /// A position.
    pub fn new(line: u64, column: u64) -> Self {
        Self { line, column }
    }

    /// From a sqlparser location.
    pub fn from_location(l: sqlparser::tokenizer::Location) -> Self {
        Self { line: l.line, column: l.column }
    }

    /// True when the position is not known.
    pub fn is_unknown(&self) -> bool {
        self.line == 0
    }
}

/// A statement that could not be translated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// The source text is not valid SQL of the source dialect (MySQL error 1064).
    #[error("{message} (line {line}, column {column})")]
    Parse {
        /// Line of the offending token.
        line: u64,
        /// Column of the offending token.
        column: u64,
        /// What the parser expected or found.
        message: String,
    },
    /// A construct that has no faithful Flink translation (MySQL error 1235). The construct is
    /// named as a user would recognise it (`CONNECT BY`, `MERGE`, `ROWNUM`, ...).
    #[error("{construct} is not supported (line {line}, column {column})")]
    Unsupported {
        /// What was refused, e.g. `CONNECT BY`, and why when that helps.
        construct: String,
        /// Line where the construct starts.
        line: u64,
        /// Column where the construct starts.
        column: u64,
    },
    /// A CREATE TABLE with no connector options: neither its own `WITH (...)` nor the session's
    /// `weir.ddl.with`.
    #[error(
        "CREATE TABLE {table} needs connector options: add WITH (...) to the statement or set weir.ddl.with (line {line}, column {column})"
    )]
    MissingConnectorOptions {
        /// The table being created.
        table: String,
        /// Line of the statement.
        line: u64,
        /// Column of the statement.
        column: u64,
    },
    /// The `ddl_with` options list given by the session is not a valid Flink options list.
    #[error("weir.ddl.with is not a Flink options list ('key' = 'value', ...): {message}")]
    InvalidDdlOptions {
        /// What is wrong with it.
        message: String,
    },
    /// The text holds no statement, or more than one where one was expected.
    #[error("{message}")]
    Statements {
        /// What was found instead of exactly one statement.
        message: String,
    },
}

impl TranslateError {
    /// An [`TranslateError::Unsupported`] at `pos`.
    pub fn unsupported(construct: impl Into<String>, pos: Pos) -> Self {
        Self::Unsupported { construct: construct.into(), line: pos.line, column: pos.column }
    }

    /// The position the error points at, when it has one.
    pub fn position(&self) -> Option<Pos> {
        match self {
            Self::Parse { line, column, .. }
            | Self::Unsupported { line, column, .. }
            | Self::MissingConnectorOptions { line, column, .. } => Some(Pos::new(*line, *column)),
            Self::InvalidDdlOptions { .. } | Self::Statements { .. } => None,
        }
    }

    /// True for errors that mean "valid source SQL, but Weir will not translate it" (MySQL
    /// error 1235), as opposed to text that does not parse.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, Self::Unsupported { .. })
    }

    /// The same error placed at `at` when it knows no place of its own (sqlparser gives some
    /// statements, `DROP PROCEDURE` or `LOCK TABLES`, no span): a refusal always points somewhere.
    pub(crate) fn placed(self, at: Pos) -> Self {
        match self {
            Self::Parse { line: 0, message, .. } => Self::Parse { line: at.line, column: at.column, message },
            Self::Unsupported { construct, line: 0, .. } => Self::Unsupported { construct, line: at.line, column: at.column },
            Self::MissingConnectorOptions { table, line: 0, .. } => Self::MissingConnectorOptions { table, line: at.line, column: at.column },
            other => other,
        }
    }

    /// The same error moved by a statement's offset in a script: positions on the statement's
    /// first line move right by `first_column - 1`, every line moves down by `first_line - 1`.
    pub(crate) fn shifted(self, first_line: u64, first_column: u64) -> Self {
        let shift = |line: u64, column: u64| {
            if line == 0 {
                (line, column)
            } else if line == 1 {
                (first_line, column + first_column - 1)
            } else {
                (line + first_line - 1, column)
            }
        };
        match self {
            Self::Parse { line, column, message } => {
                let (line, column) = shift(line, column);
                Self::Parse { line, column, message }
            }
            Self::Unsupported { construct, line, column } => {
                let (line, column) = shift(line, column);
                Self::Unsupported { construct, line, column }
            }
            Self::MissingConnectorOptions { table, line, column } => {
                let (line, column) = shift(line, column);
                Self::MissingConnectorOptions { table, line, column }
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_names_the_construct_and_where() {
        let e = TranslateError::unsupported("CONNECT BY", Pos::new(3, 1));
        assert_eq!(e.to_string(), "CONNECT BY is not supported (line 3, column 1)");
        assert!(e.is_unsupported());
    }

    #[test]
    fn shifting_moves_first_line_columns_only() {
        let e = TranslateError::unsupported("X", Pos::new(1, 5)).shifted(4, 3);
        assert_eq!(e.position(), Some(Pos::new(4, 7)));
        let e = TranslateError::unsupported("X", Pos::new(2, 5)).shifted(4, 3);
        assert_eq!(e.position(), Some(Pos::new(5, 5)));
    }
}
