//! Each synced table's progress, read from its job's JobManager: the rows its source emitted
//! (snapshot rows and changes) and its phase.
//!
//! Flink CDC's MySQL source reports no phase of its own; Weir tells it by what it can see: a
//! SNAPSHOT-mode job is `SNAPSHOT` while it runs and `DONE` once finished; a CDC table is
//! `BINLOG` once its source has fetched a change from the binlog (`currentFetchEventTimeLag` is
//! set only by binlog events) or has emitted at least the rows its table held when the datasync
//! was created and a checkpoint has completed since the job started, else `SNAPSHOT`. A job that
//! is not running gives its state (`STOPPED`, `FAILED`, …) as every table's phase.
//!
//! Flink counts a source's rows per run of its job; a recovered or restarted job starts again
//! from zero. The rows shown are since the datasync was created: the registry keeps what the
//! runs before the current one emitted, as last sampled (the watcher reads every table every
//! 5 s). A figure of rows emitted, not of distinct rows, and approximate across a failure: a
//! run restored from a checkpoint emits again what it emitted after that checkpoint (counted
//! twice), and what a failed run emitted after its last sample but before its last checkpoint
//! is emitted by no later run (not counted).

use weir_drivers::flink::JobManagerClient;

use super::registry::Registry;
use super::{Datasync, Mode};
use crate::jobs::{JobRecord, JobState};

/// One row of `information_schema.WEIR_DATASYNC_TABLES`.
#[derive(Debug, Clone, PartialEq)]
pub struct TableProgress {
    pub datasync: String,
    pub source_table: String,
    pub sink_table: String,
    pub phase: String,
    pub rows: Option<u64>,
    /// Milliseconds between the newest change fetched and its commit at the source.
    pub lag_ms: Option<i64>,
}

/// The metrics of the source operator `src_<table>` of a vertex, by their names in Flink's
/// metric ids (`Source__src_orders[1].numRecordsOut`).
fn source_operator(vertex_name: &str, table: &str) -> Option<String> {
    let wanted = format!("Source: src_{table}[");
    let start = vertex_name.find(&wanted)?;
    let rest = &vertex_name[start + "Source: ".len()..];
    let end = rest.find(']')?;
    Some(format!("Source__{}", &rest[..=end]))
}

/// Each table's progress; `job` is the datasync's job record, `jm` its cluster's JobManager,
/// `counts` where the rows of its earlier runs are kept.
pub async fn of(d: &Datasync, job: Option<&JobRecord>, jm: Option<&JobManagerClient>, counts: &Registry) -> Vec<TableProgress> {
    let row = |t: &super::SyncedTable, phase: &str, rows: Option<u64>, lag: Option<i64>| TableProgress {
        datasync: d.name.clone(),
        source_table: t.source.clone(),
        sink_table: t.sink.clone(),
        phase: phase.to_string(),
        rows,
        lag_ms: lag,
    };
    let Some(job) = job else { return d.tables.iter().map(|t| row(t, "UNKNOWN", None, None)).collect() };
    let running = matches!(job.state, JobState::Running | JobState::Starting | JobState::Recovering);
    if !running {
        let phase = if job.state == JobState::Finished { "DONE" } else { job.state.as_str() };
        let mut out = Vec::new();
        for t in &d.tables {
            let rows = counts.rows_counted(&d.name, &t.source).await.ok().flatten();
            out.push(row(t, phase, rows, None));
        }
        return out;
    }
    let (Some(jm), Some(id)) = (jm, job.flink_job_id.as_deref()) else {
        return d.tables.iter().map(|t| row(t, "SNAPSHOT", None, None)).collect();
    };
    let vertices = jm.vertices(id).await.unwrap_or_default();
    let checkpointed = matches!(jm.latest_checkpoint(id).await, Ok(Some(_)));
    let mut out = Vec::new();
    for t in &d.tables {
        let found = vertices.iter().find_map(|v| source_operator(&v.name, &t.source).map(|op| (v.id.clone(), op)));
        let (rows, lag) = match found {
            Some((vid, op)) => {
                let names = vec![format!("{op}.numRecordsOut"), format!("{op}.currentFetchEventTimeLag")];
                let metrics = jm.vertex_metrics(id, &vid, &names).await.unwrap_or_default();
                let get = |n: &str| metrics.iter().find(|m| m.id == n);
                let this_run = get(&names[0]).and_then(|m| m.sum).map(|v| v.max(0.0) as u64);
                let rows = match this_run {
                    Some(n) => Some(counts.rows_since_creation(&d.name, &t.source, id, n).await.unwrap_or(n)),
                    None => None,
                };
                let lag = get(&names[1]).and_then(|m| m.max).filter(|v| *v >= 0.0).map(|v| v as i64);
                (rows, lag)
            }
            None => (None, None),
        };
        let phase = match d.mode {
            Mode::Snapshot => "SNAPSHOT",
            Mode::Cdc if lag.is_some() => "BINLOG",
            Mode::Cdc if checkpointed && rows.unwrap_or(0) >= t.rows_at_creation => "BINLOG",
            Mode::Cdc => "SNAPSHOT",
        };
        out.push(row(t, phase, rows, lag));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_operator_of_a_table_is_found_in_its_vertex_name() {
        let v = "Source: src_orders[9] -> DropUpdateBefore[10] -> ConstraintEnforcer[11] -> Sink: orders[11]";
        assert_eq!(source_operator(v, "orders").as_deref(), Some("Source__src_orders[9]"));
        assert_eq!(source_operator(v, "order"), None);
    }
}
