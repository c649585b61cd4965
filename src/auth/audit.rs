//! The audit trail: one record per statement and per login attempt.
//!
//! Each record is first appended to a JSON-lines file in the data dir (`audit/audit.jsonl`,
//! rotated at `file_max_bytes`, `files_kept` old files) before the statement is answered: one
//! `write` to the operating system, so a record of an acknowledged statement survives a kill -9.
//! The file is the write-ahead record; the store's `weir_audit` (what `information_schema.
//! WEIR_AUDIT` reads) follows within `flush_ms`, and at start every record of the file the store
//! lacks is copied in. A record that cannot be written to the file fails the statement (1030)
//! with `on_failure = "refuse"` (and later statements are refused until a record can be written
//! again), or is logged and skipped with `"allow"`. A store that cannot take records is retried;
//! the file keeps them meanwhile.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use tracing::{info, warn};

use crate::config::{AuditConfig, AuditFailure};

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Milliseconds since the epoch.
    pub event_time: i64,
    pub user: String,
    pub host: String,
    pub tenant: String,
    pub connection_id: u64,
    /// `connect` for a login attempt, else the statement's kind (its metrics label).
    pub kind: String,
    /// The statement's text, secrets masked (a login: empty).
    pub statement: String,
    /// The objects it names (`catalog.db.table`, jobs, …), comma-separated.
    pub objects: String,
    /// `OK` or the MySQL error code.
    pub result: String,
    pub rows: u64,
    pub duration_us: u64,
}

/// A record as the file holds it: with its instance and sequence.
#[derive(Serialize, Deserialize)]
struct Line {
    origin: String,
    seq: u64,
    #[serde(flatten)]
    record: Record,
}

struct File {
    file: std::fs::File,
    size: u64,
    seq: u64,
    /// A record that could not be written, retried before the next.
    unwritten: Option<Record>,
}

pub struct Audit {
    config: AuditConfig,
    dir: PathBuf,
    /// This data dir's id: the store keys records by it and their sequence.
    origin: String,
    file: Mutex<Option<File>>,
    healthy: AtomicBool,
    /// Records written to the file and not yet to the store.
    pending: Mutex<Vec<(u64, Record)>>,
    wake: tokio::sync::Notify,
    pool: Mutex<Option<AnyPool>>,
}

fn io(e: std::io::Error) -> String {
    e.to_string()
}

impl Audit {
    /// Opens (creating) the audit directory under `data_dir`.
    pub fn open(data_dir: &Path, config: AuditConfig) -> Result<Self, String> {
        let dir = data_dir.join("audit");
        let origin = if config.enabled {
            std::fs::create_dir_all(&dir).map_err(|e| format!("audit directory {}: {e}", dir.display()))?;
            let origin_file = dir.join("origin");
            match std::fs::read_to_string(&origin_file) {
                Ok(o) if !o.trim().is_empty() => o.trim().to_string(),
                _ => {
                    let o = format!("{:016x}", rand::random::<u64>());
                    std::fs::write(&origin_file, &o).map_err(|e| format!("{}: {e}", origin_file.display()))?;
                    o
                }
            }
        } else {
            String::new()
        };
        let audit = Self {
            config,
            dir,
            origin,
            file: Mutex::new(None),
            healthy: AtomicBool::new(true),
            pending: Mutex::new(Vec::new()),
            wake: tokio::sync::Notify::new(),
            pool: Mutex::new(None),
        };
        if audit.config.enabled {
            let seq = audit.files().iter().filter_map(|f| last_seq(f)).max().unwrap_or(0);
            let f = audit.open_current(seq).map_err(|e| format!("audit file: {e}"))?;
            if let Ok(mut slot) = audit.file.lock() {
                *slot = Some(f);
            }
        }
        Ok(audit)
    }

    pub fn enabled(&self) -> bool {
        self.config.enabled
    }

    /// Whether locally answered probes are recorded.
    pub fn probes(&self) -> bool {
        self.config.probes
    }

    fn current(&self) -> PathBuf {
        self.dir.join("audit.jsonl")
    }

    /// The files, oldest first (regular files only: the current one may be a device).
    fn files(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = (1..=self.config.files_kept).rev().map(|i| self.dir.join(format!("audit.jsonl.{i}"))).filter(|p| p.is_file()).collect();
        if self.current().is_file() {
            out.push(self.current());
        }
        out
    }

    fn open_current(&self, seq: u64) -> std::io::Result<File> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(self.current())?;
        let size = file.metadata()?.len();
        Ok(File { file, size, seq, unwritten: None })
    }

    fn rotate(&self, f: &mut File) -> std::io::Result<()> {
        for i in (1..self.config.files_kept).rev() {
            let from = self.dir.join(format!("audit.jsonl.{i}"));
            if from.exists() {
                std::fs::rename(&from, self.dir.join(format!("audit.jsonl.{}", i + 1)))?;
            }
        }
        if self.config.files_kept > 0 {
            std::fs::rename(self.current(), self.dir.join("audit.jsonl.1"))?;
        } else {
            std::fs::remove_file(self.current())?;
        }
        *f = self.open_current(f.seq)?;
        Ok(())
    }

    fn append(&self, f: &mut File, record: Record) -> Result<(), Box<(String, Record)>> {
        let seq = f.seq + 1;
        let line = Line { origin: self.origin.clone(), seq, record };
        let mut text = match serde_json::to_string(&line) {
            Ok(t) => t,
            Err(e) => return Err(Box::new((e.to_string(), line.record))),
        };
        text.push('\n');
        if let Err(e) = f.file.write_all(text.as_bytes()) {
            return Err(Box::new((io(e), line.record)));
        }
        f.seq = seq;
        f.size += text.len() as u64;
        if let Ok(mut p) = self.pending.lock() {
            p.push((seq, line.record));
        }
        if f.size >= self.config.file_max_bytes
            && let Err(e) = self.rotate(f)
        {
            warn!(error = %e, "audit file rotation failed; writing on in the current file");
        }
        Ok(())
    }

    /// Whether statements may run: with `on_failure = "refuse"`, not while the last record
    /// could not be written (it is retried here first).
    pub fn ready(&self) -> Result<(), String> {
        if !self.config.enabled || self.healthy.load(Ordering::Acquire) || self.config.on_failure == AuditFailure::Allow {
            return Ok(());
        }
        let Ok(mut slot) = self.file.lock() else {
            return Err("audit file lock poisoned".into());
        };
        let Some(f) = slot.as_mut() else {
            return Err("no audit file".into());
        };
        if let Some(r) = f.unwritten.take()
            && let Err(failed) = self.append(f, r)
        {
            let (e, r) = *failed;
            f.unwritten = Some(r);
            return Err(e);
        }
        self.healthy.store(true, Ordering::Release);
        Ok(())
    }

    /// Appends one record before its statement is answered.
    pub fn write(&self, record: Record) -> Result<(), String> {
        if !self.config.enabled {
            return Ok(());
        }
        let result = {
            let Ok(mut slot) = self.file.lock() else {
                return Err("audit file lock poisoned".into());
            };
            let Some(f) = slot.as_mut() else {
                return Err("no audit file".into());
            };
            match self.append(f, record) {
                Ok(()) => Ok(()),
                Err(failed) => {
                    let (e, r) = *failed;
                    if self.config.on_failure == AuditFailure::Refuse {
                        f.unwritten = Some(r);
                    }
                    Err(e)
                }
            }
        };
        match &result {
            Ok(()) => self.wake.notify_one(),
            Err(e) => {
                warn!(error = %e, "audit record not written");
                if self.config.on_failure == AuditFailure::Refuse {
                    self.healthy.store(false, Ordering::Release);
                } else {
                    return Ok(());
                }
            }
        }
        result
    }

    /// Copies into the store the records of the files it lacks, then keeps copying new ones
    /// (every `flush_ms`, or sooner when records arrive) until `stop`.
    pub async fn run(self: std::sync::Arc<Self>, pool: AnyPool, stop: tokio_util::sync::CancellationToken) {
        if !self.config.enabled {
            return;
        }
        if let Ok(mut p) = self.pool.lock() {
            *p = Some(pool.clone());
        }
        if let Err(e) = self.recover(&pool).await {
            warn!(error = %e, "audit records of the files could not be copied into the store; retrying with the next records");
        }
        let every = Duration::from_millis(self.config.flush_ms.max(10));
        loop {
            tokio::select! {
                _ = stop.cancelled() => {
                    let _ = self.flush(&pool).await;
                    return;
                }
                _ = self.wake.notified() => tokio::time::sleep(every).await,
                _ = tokio::time::sleep(every) => {}
            }
            if let Err(e) = self.flush(&pool).await {
                warn!(error = %e, "audit records not yet in the store; retrying");
            }
        }
    }

    /// Every record of the files with a sequence above the store's newest for this origin.
    async fn recover(&self, pool: &AnyPool) -> Result<(), String> {
        let newest: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM weir_audit WHERE origin = ?")
            .bind(&self.origin)
            .fetch_one(pool)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| e.to_string())?;
        let mut missing = Vec::new();
        for f in self.files() {
            let text = std::fs::read_to_string(&f).map_err(io)?;
            for line in text.lines() {
                // A line cut short by a crash mid-write is not a record.
                if let Ok(l) = serde_json::from_str::<Line>(line)
                    && l.origin == self.origin
                    && l.seq as i64 > newest
                {
                    missing.push((l.seq, l.record));
                }
            }
        }
        if !missing.is_empty() {
            info!(records = missing.len(), "audit records copied from the file into the store");
        }
        if let Ok(mut p) = self.pending.lock() {
            p.retain(|(s, _)| *s as i64 > newest);
            let known: std::collections::HashSet<u64> = p.iter().map(|(s, _)| *s).collect();
            missing.retain(|(s, _)| !known.contains(s));
            p.extend(missing);
            p.sort_by_key(|(s, _)| *s);
        }
        self.flush(pool).await
    }

    /// Writes the pending records to the store.
    pub async fn flush(&self, pool: &AnyPool) -> Result<(), String> {
        let batch: Vec<(u64, Record)> = self.pending.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default();
        if batch.is_empty() {
            return Ok(());
        }
        let result = async {
            let mut tx = pool.begin().await?;
            for (seq, r) in &batch {
                sqlx::query("DELETE FROM weir_audit WHERE origin = ? AND seq = ?").bind(&self.origin).bind(*seq as i64).execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO weir_audit (origin, seq, event_time, account_user, account_host, tenant, connection_id, kind, statement, objects, result, row_count, duration_us)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&self.origin)
                .bind(*seq as i64)
                .bind(r.event_time)
                .bind(&r.user)
                .bind(&r.host)
                .bind(&r.tenant)
                .bind(r.connection_id as i64)
                .bind(&r.kind)
                .bind(&r.statement)
                .bind(&r.objects)
                .bind(&r.result)
                .bind(r.rows as i64)
                .bind(r.duration_us as i64)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        }
        .await;
        if let Err(e) = result {
            // Back in the queue, in order, ahead of what arrived meanwhile.
            if let Ok(mut p) = self.pending.lock() {
                let newer = std::mem::take(&mut *p);
                *p = batch;
                p.extend(newer);
            }
            return Err(e.to_string());
        }
        Ok(())
    }

    /// The records in the store (after copying the pending ones), newest last, at most `limit`;
    /// only `tenant`'s when given.
    pub async fn records(&self, tenant: Option<&str>, limit: i64) -> Result<Vec<Record>, String> {
        let Some(pool) = self.pool.lock().ok().and_then(|p| p.clone()) else {
            return Ok(Vec::new());
        };
        self.flush(&pool).await?;
        let sql =
            "SELECT event_time, account_user, account_host, tenant, connection_id, kind, statement, objects, result, row_count, duration_us FROM weir_audit";
        let rows = match tenant {
            Some(t) => {
                sqlx::query(sqlx::AssertSqlSafe(format!("{sql} WHERE tenant = ? ORDER BY event_time DESC, seq DESC LIMIT ?"))).bind(t.to_string()).bind(limit)
            }
            None => sqlx::query(sqlx::AssertSqlSafe(format!("{sql} ORDER BY event_time DESC, seq DESC LIMIT ?"))).bind(limit),
        }
        .fetch_all(&pool)
        .await
        .map_err(|e| e.to_string())?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let s = |i: usize| r.try_get::<String, _>(i).map_err(|e| e.to_string());
            let n = |i: usize| r.try_get::<i64, _>(i).map_err(|e| e.to_string());
            out.push(Record {
                event_time: n(0)?,
                user: s(1)?,
                host: s(2)?,
                tenant: s(3)?,
                connection_id: n(4)? as u64,
                kind: s(5)?,
                statement: s(6)?,
                objects: s(7)?,
                result: s(8)?,
                rows: n(9)? as u64,
                duration_us: n(10)? as u64,
            });
        }
        out.reverse();
        Ok(out)
    }
}

/// The sequence of a file's last complete record.
fn last_seq(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().rev().find_map(|l| serde_json::from_str::<Line>(l).ok()).map(|l| l.seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> Record {
        Record {
            event_time: n as i64,
            user: "bi".into(),
            host: "localhost".into(),
            tenant: String::new(),
            connection_id: 7,
            kind: "select".into(),
            statement: format!("SELECT {n}"),
            objects: String::new(),
            result: "OK".into(),
            rows: 1,
            duration_us: 10,
        }
    }

    #[test]
    fn records_go_to_the_file_rotate_and_continue_their_sequence_after_a_restart() {
        let dir = std::env::temp_dir().join(format!("weir-audit-{}", rand::random::<u64>()));
        let config = AuditConfig { file_max_bytes: 600, files_kept: 2, ..AuditConfig::default() };
        let a = Audit::open(&dir, config.clone()).unwrap();
        for n in 0..10 {
            a.write(record(n)).unwrap();
        }
        assert!(dir.join("audit/audit.jsonl.1").exists(), "rotated");
        let origin = a.origin.clone();
        drop(a);
        let b = Audit::open(&dir, config).unwrap();
        assert_eq!(b.origin, origin);
        b.write(record(10)).unwrap();
        let seqs: Vec<u64> = b.pending.lock().unwrap().iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, vec![11]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
