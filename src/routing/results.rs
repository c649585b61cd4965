//! How a Flink result becomes a MySQL response's rows: the leading `op` column of a changelog,
//! the streaming-mode limits (`weir.max_rows`, `weir.fetch_timeout`, `sql_select_limit`) that
//! cut a result short and cancel its Flink job, and small results read as text cells.

use std::sync::Arc;
use std::time::Duration;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};
use weir_drivers::gateway::{ChangelogBatch, ResultStream, StatementResult};

use crate::diagnostics::{Warnings, add_warning};
use crate::error::WeirError;
use crate::protocol::{MySqlError, Rows, codes};
use crate::variables::{self, SessionVars};

/// Warning code for a result that Weir cut short (MySQL's ER_QUERY_TIMEOUT is about the same idea).
const WARN_TRUNCATED: u16 = 3024;

/// Where a result stops early.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// `weir.max_rows` (streaming mode only).
    max_rows: Option<u64>,
    /// `sql_select_limit` (any mode).
    select_limit: Option<u64>,
    /// `weir.fetch_timeout` (streaming mode only).
    timeout: Option<Duration>,
}

impl Limits {
    pub fn new(vars: &SessionVars, streaming: bool) -> Self {
        let num = |name: &str| -> u64 {
            variables::lookup(name).and_then(|d| vars.get(d).parse().ok()).unwrap_or(0)
        };
        let max_rows = num("weir.max_rows");
        let timeout = num("weir.fetch_timeout");
        let select_limit = num("sql_select_limit");
        Self {
            max_rows: (streaming && max_rows > 0).then_some(max_rows),
            select_limit: (select_limit < u64::MAX).then_some(select_limit),
            timeout: (streaming && timeout > 0).then(|| Duration::from_secs(timeout)),
        }
    }

    pub fn none() -> Self {
        Self { max_rows: None, select_limit: None, timeout: None }
    }
}

struct StreamState {
    rows: Option<ResultStream>,
    sent: u64,
    limits: Limits,
    deadline: Option<tokio::time::Instant>,
    with_op: bool,
    schema: SchemaRef,
    token: CancellationToken,
    warnings: Warnings,
    /// The cluster the result comes from (errors name it).
    cluster: String,
}

impl StreamState {
    /// Stops the Flink operation (and its job) when the result ends before Flink's end.
    fn stop_early(&mut self) {
        if let Some(rows) = self.rows.take() {
            tokio::spawn(async move {
                if let Err(e) = rows.cancel().await {
                    debug!(error = %e, "cancelling a truncated result");
                }
            });
        }
    }
}

/// A Flink result's field as MySQL clients should see it: a `TIMESTAMP_LTZ` (Flink's `TIMESTAMP
/// WITH LOCAL TIME ZONE`, an instant shown in the session's zone) is MySQL's TIMESTAMP, not its
/// DATETIME.
fn mysql_field(field: &Arc<Field>) -> Arc<Field> {
    let ltz = field.metadata().get("flink.type").is_some_and(|t| t.ends_with("WITH LOCAL TIME ZONE"));
    if !ltz {
        return field.clone();
    }
    let mut metadata = field.metadata().clone();
    metadata.insert("mysql.type".to_string(), "timestamp".to_string());
    Arc::new(field.as_ref().clone().with_metadata(metadata))
}

/// The columns a Flink result with `fields` is sent with: a leading `op` column if `with_op`.
pub fn result_fields(fields: &[Arc<Field>], with_op: bool) -> Vec<Arc<Field>> {
    let mut out: Vec<Arc<Field>> = if with_op { vec![Arc::new(Field::new("op", DataType::Utf8, false))] } else { Vec::new() };
    out.extend(fields.iter().map(mysql_field));
    out
}

/// The rows of a Flink result from `cluster`, with a leading `op` column if `with_op`, cut at `limits`.
pub fn result_rows(result: StatementResult, cluster: &str, with_op: bool, limits: Limits, token: CancellationToken, warnings: Warnings) -> Rows {
    let schema = Arc::new(Schema::new(result_fields(result.schema.fields(), with_op)));
    let state = StreamState {
        rows: Some(result.rows),
        sent: 0,
        deadline: limits.timeout.map(|t| tokio::time::Instant::now() + t),
        limits,
        with_op,
        schema: schema.clone(),
        token,
        warnings,
        cluster: cluster.to_string(),
    };
    let batches = futures::stream::unfold(state, |mut st| async move {
        loop {
            let cap = [st.limits.max_rows, st.limits.select_limit].into_iter().flatten().min();
            if cap.is_some_and(|c| st.sent >= c) {
                if st.limits.max_rows.is_some_and(|m| st.sent >= m) && st.limits.select_limit.is_none_or(|l| l > st.sent) {
                    add_warning(&st.warnings, WARN_TRUNCATED, format!("Result truncated at weir.max_rows = {} rows; its Flink job was cancelled", st.sent));
                }
                st.stop_early();
                return None;
            }
            let rows = st.rows.as_mut()?;
            let deadline = st.deadline;
            let next = tokio::select! {
                b = rows.next_batch() => b,
                _ = st.token.cancelled() => {
                    st.stop_early();
                    return Some((Err(WeirError::Interrupted.to_mysql()), st));
                }
                _ = sleep_until(deadline) => {
                    let secs = st.limits.timeout.map(|t| t.as_secs()).unwrap_or(0);
                    add_warning(&st.warnings, WARN_TRUNCATED, format!("Result ended after weir.fetch_timeout = {secs} s with {} rows; its Flink job was cancelled", st.sent));
                    st.stop_early();
                    return None;
                }
            };
            match next {
                Ok(None) => return None,
                Ok(Some(b)) if b.batch.num_rows() == 0 => continue,
                Ok(Some(b)) => {
                    let remaining = cap.map(|c| c - st.sent).unwrap_or(u64::MAX);
                    match to_batch(&st.schema, b, st.with_op, remaining) {
                        Ok(batch) => {
                            st.sent += batch.num_rows() as u64;
                            return Some((Ok(batch), st));
                        }
                        Err(e) => {
                            st.stop_early();
                            return Some((Err(e), st));
                        }
                    }
                }
                Err(e) => {
                    st.rows = None;
                    warn!(error = %e, "result stream failed");
                    let err = crate::error::gateway_error(&st.cluster, &e);
                    return Some((Err(err), st));
                }
            }
        }
    });
    Rows { schema, batches: Box::pin(batches) }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => futures::future::pending().await,
    }
}

fn to_batch(schema: &SchemaRef, b: ChangelogBatch, with_op: bool, remaining: u64) -> Result<RecordBatch, MySqlError> {
    let n = (b.batch.num_rows() as u64).min(remaining) as usize;
    let data = b.batch.slice(0, n);
    let internal = |e: arrow_schema::ArrowError| MySqlError::new(codes::ER_UNKNOWN_ERROR, format!("internal error converting a Flink result: {e}"));
    if !with_op {
        return RecordBatch::try_new(schema.clone(), data.columns().to_vec()).map_err(internal);
    }
    let ops: StringArray = b.kinds.iter().take(n).map(|k| Some(k.short())).collect();
    let mut cols: Vec<ArrayRef> = vec![Arc::new(ops)];
    cols.extend(data.columns().iter().cloned());
    RecordBatch::try_new(schema.clone(), cols).map_err(internal)
}

/// The plan's root changelog mode holds more than inserts.
pub fn plan_is_changelog(plan: &str) -> bool {
    let section = plan.split("== Optimized Physical Plan ==").nth(1).unwrap_or(plan);
    let Some(start) = section.find("changelogMode=[") else { return false };
    let rest = &section[start + "changelogMode=[".len()..];
    let modes = rest.split(']').next().unwrap_or("");
    modes.split(',').any(|m| m.trim() != "I")
}

/// A small Flink result as text cells.
pub fn text_rows(batches: &[RecordBatch]) -> Vec<Vec<Option<String>>> {
    use datafusion::arrow::util::display::array_value_to_string;
    let mut out = Vec::new();
    for b in batches {
        for row in 0..b.num_rows() {
            out.push(b.columns().iter().map(|c| if c.is_null(row) { None } else { array_value_to_string(c, row).ok() }).collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_root_changelog_mode() {
        let plan = "== Abstract Syntax Tree ==\nLogicalAggregate\n\n== Optimized Physical Plan ==\nGroupAggregate(groupBy=[a], select=[a, COUNT(*) AS c], changelogMode=[I,UB,UA])\n+- Exchange(changelogMode=[I])\n";
        assert!(plan_is_changelog(plan));
        let plan = "== Optimized Physical Plan ==\nCalc(select=[a], changelogMode=[I])\n";
        assert!(!plan_is_changelog(plan));
    }
}
