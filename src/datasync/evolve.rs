//! The datasync watcher: source schema changes while a CDC datasync runs.
//!
//! Every few seconds (one Weir at a time, under a lease in the store) each running CDC
//! datasync's source is read again:
//! - a new table that matches the datasync's tables (and has a key) is picked up: its sink table
//!   is created and a job of its own (`<datasync>_<n>`) starts copying it, snapshot then binlog —
//!   the running job's graph, and so its state, is untouched;
//! - columns added at the end of a synced table reach the sink: Weir adds them to the sink table,
//!   cancels the table's job, gives it a version with the new columns and starts it from a
//!   checkpoint completed before the change (the newest one seen at the previous look, while the
//!   schema was still the old one). The operators are the same, so their state maps; the binlog
//!   from that checkpoint on — the `ALTER` included — is read again, and the rows changed since are
//!   written again with their new columns (upserts: nothing doubles). Without such a checkpoint (a
//!   change in the job's first seconds) it restarts from a savepoint taken at the stop and says
//!   that rows changed between the `ALTER` and then may lack the new columns until changed again;
//! - any other change (a column dropped, renamed, retyped or moved) stops the table's job with a
//!   savepoint and an event naming the change: the sink never silently diverges.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use super::service::{Wiring, describe_table, sink_error};
use super::{Column, Datasync, Datasyncs, Mode, SinkKind, SyncedTable, plan};
use crate::error::WeirError;
use crate::jobs::JobState;
use crate::statement::StartFrom;

/// How often the sources are read.
pub const WATCH_EVERY: Duration = Duration::from_secs(5);
const LEASE: &str = "datasync-watcher";
const LEASE_MS: i64 = 30_000;

/// What changed in one synced table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    None,
    /// Columns appended after the recorded ones.
    Added(Vec<Column>),
    /// Anything else, described.
    Incompatible(String),
}

/// Compares a table's recorded columns with the source's now.
pub fn compare(recorded: &[Column], now: &[Column]) -> Change {
    for (i, r) in recorded.iter().enumerate() {
        match now.get(i) {
            None => {
                let gone: Vec<&str> = recorded[i..].iter().map(|c| c.name.as_str()).collect();
                return Change::Incompatible(format!("column(s) {} dropped", gone.join(", ")));
            }
            Some(n) if n.name != r.name => {
                return Change::Incompatible(format!("column {} is now {} (renamed, dropped or moved)", r.name, n.name));
            }
            Some(n) if n.source_type != r.source_type => {
                return Change::Incompatible(format!("column {} changed type from {} to {}", r.name, r.source_type, n.source_type));
            }
            Some(_) => {}
        }
    }
    if now.len() > recorded.len() { Change::Added(now[recorded.len()..].to_vec()) } else { Change::None }
}

pub struct Watcher {
    datasyncs: Arc<Datasyncs>,
    /// Per job: the newest completed checkpoint seen while its tables' schemas were as recorded.
    safe: Mutex<HashMap<String, String>>,
}

/// A table's columns at the source now, with their Flink types (`Err`: one has none).
async fn columns_now(src: &mut super::server::Server, db: &str, table: &str) -> Result<Vec<Column>, String> {
    let cols = src.columns(db, table).await.map_err(|e| e.message)?;
    cols.into_iter()
        .map(|c| {
            let flink_type = plan::flink_type(&c.column_type).map_err(|why| format!("column {} has type {} ({why})", c.name, c.column_type))?;
            Ok(Column { name: c.name, source_type: c.column_type, flink_type, nullable: c.nullable, default: c.default })
        })
        .collect()
}

impl Watcher {
    pub fn spawn(datasyncs: Arc<Datasyncs>, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        let w = Watcher { datasyncs, safe: Mutex::new(HashMap::new()) };
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(WATCH_EVERY) => {}
                    _ = shutdown.cancelled() => return,
                }
                if !w.datasyncs.jobs.registry.lease(LEASE, LEASE_MS).await.unwrap_or(false) {
                    continue;
                }
                let all = match w.datasyncs.registry.all().await {
                    Ok(all) => all,
                    Err(e) => {
                        warn!(error = %e, "datasync watcher: the registry did not answer");
                        continue;
                    }
                };
                for d in all.into_iter().filter(|d| d.mode == Mode::Cdc) {
                    if let Err(e) = w.watch(d.clone()).await {
                        warn!(datasync = %d.name, error = %e, "datasync watcher: could not read the source's schema");
                    }
                }
            }
        })
    }

    async fn running(&self, job: &str) -> bool {
        matches!(self.datasyncs.jobs.registry.get(job).await, Ok(Some(j)) if j.state == JobState::Running)
    }

    async fn watch(&self, mut d: Datasync) -> Result<(), WeirError> {
        if !self.running(&d.name).await {
            return Ok(());
        }
        let o = plan::options(&d.name, &d.options)?;
        let (wiring, mut src, mut sink) = self.datasyncs.wiring(&d).await?;
        let result = self.evolve(&mut d, &o, &wiring, &mut src, sink.as_mut()).await;
        src.close().await;
        if let Some(s) = sink {
            s.close().await;
        }
        result
    }

    async fn evolve(&self, d: &mut Datasync, o: &plan::Options, w: &Wiring, src: &mut super::server::Server, mut sink: Option<&mut super::server::Server>) -> Result<(), WeirError> {
        let db = d.source_database.clone();
        let jobs = &self.datasyncs.jobs;
        // Changed tables, job by job: a job's checkpoint is remembered as from before any change
        // only when every table of it was seen unchanged after the checkpoint completed.
        for job in d.jobs() {
            if !self.running(&job).await {
                continue;
            }
            let candidate = self.latest_checkpoint(&job).await;
            let mut unchanged = true;
            let indices: Vec<usize> = (0..d.tables.len()).filter(|&i| d.job_of(&d.tables[i]) == job).collect();
            for i in indices {
                let t = d.tables[i].clone();
                let now = match columns_now(src, &db, &t.source).await {
                    Ok(now) if now.is_empty() => Err(format!("source table {} is gone", t.source)),
                    Ok(now) => Ok(now),
                    Err(e) => Err(format!("source table {} changed: {e}", t.source)),
                };
                let change = match &now {
                    Ok(now) => compare(&t.columns, now),
                    Err(e) => Change::Incompatible(e.clone()),
                };
                match change {
                    Change::None => {}
                    Change::Incompatible(what) => {
                        unchanged = false;
                        let what = if what.starts_with("source table") { what } else { format!("source table {} changed: {what}", t.source) };
                        self.stop(&job, &format!("{what}; the datasync cannot follow it (recreate it)")).await;
                        break;
                    }
                    Change::Added(cols) => {
                        unchanged = false;
                        let now = now.unwrap_or_default();
                        self.follow_added(d, o, w, &job, i, &cols, now, sink.as_deref_mut()).await?;
                        break;
                    }
                }
            }
            if unchanged
                && let (Some(path), Ok(mut m)) = (candidate, self.safe.lock())
            {
                m.insert(job.clone(), path);
            }
        }
        // New tables.
        let all = src.tables(&db).await.map_err(|e| super::service::source_error(&d.source_catalog, &w.source, e))?;
        let chosen = plan::select(&all, &d.filter, &d.exclude).unwrap_or_default();
        let new: Vec<String> = chosen.into_iter().filter(|n| !d.tables.iter().any(|t| &t.source == n) && !d.skipped.iter().any(|(s, _)| s == n)).collect();
        if new.is_empty() {
            return Ok(());
        }
        let mut added = Vec::new();
        for name in new {
            match describe_table(src, &d.source_catalog, &db, &name, &d.name, o, Mode::Cdc).await {
                Ok(mut t) => {
                    t.sink = plan::sink_name(o, &name);
                    added.push(t);
                }
                Err(e) => {
                    let why = e.to_mysql().message;
                    jobs.registry.event(&d.name, "schema", JobState::Running, &format!("new source table {name} is not synced: {why}")).await?;
                    d.skipped.push((name, why));
                }
            }
        }
        if added.is_empty() {
            self.datasyncs.registry.update(d).await?;
            return Ok(());
        }
        let n = d.jobs().len() + 1;
        let job = format!("{}_{n}", d.name);
        let start_index = d.tables.len();
        for (k, t) in added.iter_mut().enumerate() {
            t.server_ids = plan::server_ids_of(d.server_ids.0, start_index + k, o.parallelism);
            t.job = job.clone();
        }
        let last = d.server_ids.0 + u32::try_from(start_index + added.len()).unwrap_or(u32::MAX / 2) * o.parallelism - 1;
        if last > d.server_ids.1 {
            let names: Vec<&str> = added.iter().map(|t| t.source.as_str()).collect();
            let why = format!("the datasync's server-id range {}-{} has no ids left", d.server_ids.0, d.server_ids.1);
            jobs.registry.event(&d.name, "schema", JobState::Running, &format!("new source table(s) {} not synced: {why}", names.join(", "))).await?;
            d.skipped.extend(added.iter().map(|t| (t.source.clone(), why.clone())));
            self.datasyncs.registry.update(d).await?;
            return Ok(());
        }
        self.datasyncs.create_sink_tables(d, o, &added, sink).await?;
        d.tables.extend(added.iter().cloned());
        self.datasyncs.registry.update(d).await?;
        let names: Vec<&str> = added.iter().map(|t| t.source.as_str()).collect();
        match self.datasyncs.create_job(d, o, &job, &added, w).await {
            Ok(id) => {
                let detail = format!("new source table(s) {} picked up by job {job} (Flink job {id})", names.join(", "));
                jobs.registry.event(&d.name, "schema", JobState::Running, &detail).await?;
                info!(datasync = %d.name, "{detail}");
            }
            Err(e) => {
                d.tables.retain(|t| t.job != job);
                let why = e.to_mysql().message;
                d.skipped.extend(added.iter().map(|t| (t.source.clone(), why.clone())));
                self.datasyncs.registry.update(d).await?;
                jobs.registry.event(&d.name, "schema", JobState::Running, &format!("new source table(s) {} not synced: {why}", names.join(", "))).await?;
            }
        }
        Ok(())
    }

    /// Columns added to table `i` (of job `job`): the sink gains them, the job a version with
    /// them, started from a checkpoint from before the change.
    #[allow(clippy::too_many_arguments)]
    async fn follow_added(
        &self,
        d: &mut Datasync,
        o: &plan::Options,
        w: &Wiring,
        job: &str,
        i: usize,
        cols: &[Column],
        now: Vec<Column>,
        sink: Option<&mut super::server::Server>,
    ) -> Result<(), WeirError> {
        let jobs = &self.datasyncs.jobs;
        let t = d.tables[i].clone();
        self.add_columns(d, &t, cols, w.source_mariadb, sink).await?;
        d.tables[i].columns = now;
        self.datasyncs.registry.update(d).await?;
        let tables: Vec<SyncedTable> = d.tables.iter().filter(|x| d.job_of(x) == job).cloned().collect();
        let script = Datasyncs::script(d, o, &tables, w);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        let safe = self.safe.lock().ok().and_then(|m| m.get(job).cloned()).filter(|p| crate::jobs::restore::is_complete(p));
        let (from, note) = match safe {
            Some(path) => {
                jobs.stop(job, false, false).await?;
                (path.clone(), format!("started from checkpoint {path}, taken before the change"))
            }
            None => match jobs.stop(job, true, false).await? {
                Some(p) => (p.clone(), format!("started from savepoint {p} (no checkpoint from before the change was known: rows changed between the ALTER and it keep the column's default until changed again)")),
                None => (String::new(), "started from its newest state".to_string()),
            },
        };
        let scope = crate::catalog::Scope { catalog: crate::catalog::DEFAULT_CATALOG.to_string(), database: "default_database".to_string() };
        let version = jobs.alter_body(job, &script, scope, &[], &d.created_by).await?;
        let start = if from.is_empty() { StartFrom::LatestState } else { StartFrom::Savepoint(from) };
        jobs.start(job, &start).await?;
        if let Ok(mut m) = self.safe.lock() {
            m.remove(job);
        }
        let detail = format!("source table {} gained column(s) {}: added to sink table {}; version {version} {note}", t.source, names.join(", "), t.sink);
        jobs.registry.event(job, "schema", JobState::Starting, &detail).await?;
        info!(datasync = %d.name, job = %job, "{detail}");
        Ok(())
    }

    /// The job's newest completed checkpoint (not a savepoint).
    async fn latest_checkpoint(&self, job: &str) -> Option<String> {
        let jobs = &self.datasyncs.jobs;
        let record = jobs.registry.get(job).await.ok().flatten()?;
        let cluster = jobs.cluster(&record.cluster).ok()?;
        let jm = cluster.jobmanager()?;
        let c = jm.latest_checkpoint(record.flink_job_id.as_deref()?).await.ok().flatten()?;
        (!c.is_savepoint).then_some(c.external_path)
    }

    /// Adds columns to a sink table.
    async fn add_columns(&self, d: &Datasync, t: &SyncedTable, cols: &[Column], source_mariadb: bool, sink: Option<&mut super::server::Server>) -> Result<(), WeirError> {
        match (d.sink_kind, sink) {
            (SinkKind::Jdbc, Some(server)) => {
                for c in cols {
                    let address = server.address.clone();
                    server.add_column(&d.sink_database, &t.sink, c, source_mariadb).await.map_err(|e| sink_error(&d.sink_catalog, &address, e))?;
                }
                Ok(())
            }
            _ => {
                let cluster = self.datasyncs.jobs.cluster(&d.cluster)?;
                let q = crate::catalog::quote;
                let adds: Vec<String> = cols.iter().map(|c| format!("{} {}", q(&c.name), c.flink_type)).collect();
                let ddl = format!("ALTER TABLE {}.{}.{} ADD ({})", q(&d.sink_catalog), q(&d.sink_database), q(&t.sink), adds.join(", "));
                self.datasyncs.run_on_cluster(cluster, &d.name, &ddl, &[]).await
            }
        }
    }

    /// Stops a job with a savepoint because its source changed, saying what changed.
    async fn stop(&self, job: &str, why: &str) {
        let jobs = &self.datasyncs.jobs;
        warn!(job, "{why}");
        // With a savepoint; if that fails the job is left as Flink has it, and the reason is
        // still written on a job that is stopped by then.
        if jobs.stop_because(job, true, false, why).await.is_err() {
            let _ = jobs.registry.set(job, &[JobState::Stopped], &[("reason", why.to_string().into())]).await;
        }
        let _ = jobs.registry.event(job, "schema", JobState::Stopped, why).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ty: &str) -> Column {
        Column { name: name.into(), source_type: ty.into(), flink_type: String::new(), nullable: true, default: None }
    }

    #[test]
    fn appended_columns_are_followed_and_anything_else_is_named() {
        let before = [col("id", "int(11)"), col("note", "varchar(10)")];
        assert_eq!(compare(&before, &before), Change::None);
        assert_eq!(compare(&before, &[col("id", "int(11)"), col("note", "varchar(10)"), col("x", "date")]), Change::Added(vec![col("x", "date")]));
        assert_eq!(compare(&before, &[col("id", "int(11)")]), Change::Incompatible("column(s) note dropped".into()));
        assert_eq!(compare(&before, &[col("id", "int(11)"), col("memo", "varchar(10)")]), Change::Incompatible("column note is now memo (renamed, dropped or moved)".into()));
        assert_eq!(compare(&before, &[col("id", "bigint(20)"), col("note", "varchar(10)")]), Change::Incompatible("column id changed type from int(11) to bigint(20)".into()));
    }
}
