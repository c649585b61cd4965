//! The values a statement's result is made of: its kind ([`ResultKind`]), and its rows as Arrow
//! batches with a changelog kind per row ([`ChangelogBatch`], [`RowKind`]). The result itself,
//! which reads these from the gateway, is [`StatementResult`](super::StatementResult).

use arrow_array::RecordBatch;

/// Flink's `ResultKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// DDL, SET and the like: the rows are a single `result` column saying `OK`.
    Success,
    /// Rows worth showing: query results, SHOW and DESCRIBE output, an INSERT's `job id`.
    SuccessWithContent,
}

/// Rows of one result page.
#[derive(Debug, Clone)]
pub struct ChangelogBatch {
    /// The change each row makes (one per row of `batch`). A query in batch mode, or a streaming
    /// query whose plan only inserts, has only [`RowKind::Insert`].
    pub kinds: Vec<RowKind>,
    /// The rows, with the statement's schema.
    pub batch: RecordBatch,
}

/// How a row changes the result (Flink's `RowKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// `+I`: a new row.
    Insert,
    /// `-U`: the old content of an updated row, followed by its [`RowKind::UpdateAfter`].
    UpdateBefore,
    /// `+U`: the new content of an updated row.
    UpdateAfter,
    /// `-D`: a row that is gone.
    Delete,
}

impl RowKind {
    /// Flink's short form: `+I`, `-U`, `+U`, `-D`.
    pub fn short(self) -> &'static str {
        match self {
            RowKind::Insert => "+I",
            RowKind::UpdateBefore => "-U",
            RowKind::UpdateAfter => "+U",
            RowKind::Delete => "-D",
        }
    }

    /// The kind named as in the gateway's JSON (`"UPDATE_BEFORE"`).
    pub(crate) fn from_name(name: &str) -> Option<RowKind> {
        match name {
            "INSERT" => Some(RowKind::Insert),
            "UPDATE_BEFORE" => Some(RowKind::UpdateBefore),
            "UPDATE_AFTER" => Some(RowKind::UpdateAfter),
            "DELETE" => Some(RowKind::Delete),
            _ => None,
        }
    }
}
