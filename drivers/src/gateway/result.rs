//! What a statement returns: its description, and its rows as Arrow batches with a changelog kind
//! per row.

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;

use super::stream::ResultStream;

/// The result of [`FlinkSession::execute`](super::FlinkSession::execute), read from its first
/// page.
#[derive(Debug)]
pub struct StatementResult {
    /// The job the statement submitted (INSERT, SELECT), if any.
    pub job_id: Option<String>,
    /// Whether the statement is a query (`isQueryResult`): SELECT, VALUES, WITH, but not SHOW,
    /// DESCRIBE, EXPLAIN, SET or INSERT.
    pub is_query: bool,
    /// Whether the statement returns rows beyond Flink's `OK` (`resultKind`).
    pub kind: ResultKind,
    /// The columns, with Flink's types as field metadata (see [`super::types`]).
    pub schema: SchemaRef,
    /// The rows, fetched page by page; already holding the first page.
    pub rows: ResultStream,
}

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
