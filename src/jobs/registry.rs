//! The job registry in the store (the catalog of record's database): a job, its versions, its
//! Flink runs, its events and its savepoints, and the daemon's lease. Every state change is a
//! compare-and-set on the job's row, so two statements (or two Weir instances) that race for one
//! job meet here and exactly one wins.

use std::collections::BTreeMap;

use sqlx::{AnyPool, Row};

use super::{JobError, JobState};
use crate::catalog::store::{Backend, now_ms};

fn db(e: sqlx::Error) -> JobError {
    JobError::Store(e.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, JobError> {
    serde_json::to_string(v).map_err(|e| JobError::Store(e.to_string()))
}

fn parse_json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, JobError> {
    serde_json::from_str(s).map_err(|e| JobError::Store(format!("unreadable {what}: {e}")))
}

/// A value written into a job's row.
#[derive(Debug, Clone)]
pub enum Val {
    Str(String),
    Int(i64),
    Null,
}

impl From<&str> for Val {
    fn from(s: &str) -> Self {
        Val::Str(s.to_string())
    }
}
impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::Str(s)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Val::Null)
    }
}

fn event_of(r: &sqlx::any::AnyRow) -> Result<EventRecord, JobError> {
    Ok(EventRecord {
        id: r.try_get(0).map_err(db)?,
        job: r.try_get(1).map_err(db)?,
        at: r.try_get(2).map_err(db)?,
        event: r.try_get(3).map_err(db)?,
        state: r.try_get(4).map_err(db)?,
        detail: r.try_get(5).map_err(db)?,
    })
}

/// A job's row.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub name: String,
    pub cluster: String,
    pub comment: String,
    /// Weir's own `weir.*` options.
    pub settings: BTreeMap<String, String>,
    /// The newest version (what the next START runs).
    pub version: u32,
    /// The version of the current or last run.
    pub running_version: Option<u32>,
    pub state: JobState,
    /// What the user asked for: the daemon keeps a job with `desired_running` running.
    pub desired_running: bool,
    pub flink_job_id: Option<String>,
    pub flink_state: Option<String>,
    pub started_at: Option<i64>,
    /// Flink's restarts seen plus Weir's resubmissions.
    pub restarts: i64,
    /// When Weir resubmitted it (ms), for the attempts-within-a-window bound.
    pub attempts: Vec<i64>,
    pub reason: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl JobRecord {
    /// A job just created: never started, no run, no attempts.
    pub fn created(name: &str, cluster: &str, comment: &str, settings: BTreeMap<String, String>, user: &str, now: i64) -> Self {
        Self {
            name: name.to_string(),
            cluster: cluster.to_string(),
            comment: comment.to_string(),
            settings,
            version: 1,
            running_version: None,
            state: JobState::Created,
            desired_running: false,
            flink_job_id: None,
            flink_state: None,
            started_at: None,
            restarts: 0,
            attempts: Vec::new(),
            reason: String::new(),
            created_by: user.to_string(),
            created_at: now,
            updated_at: now,
        }
    }
}

/// One version of a job's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub job: String,
    pub version: u32,
    pub body: String,
    /// Flink configuration for its statement.
    pub options: BTreeMap<String, String>,
    /// Jars the creating session had added (`ADD JAR`), added again wherever it is submitted.
    pub jars: Vec<String>,
    pub catalog: String,
    pub database: String,
    pub created_by: String,
    pub created_at: i64,
}

/// One Flink job a managed job has had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub job: String,
    pub run: i64,
    pub version: u32,
    pub cluster: String,
    pub flink_job_id: String,
    pub restored_from: Option<String>,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub end_state: Option<String>,
    pub root_cause: Option<String>,
    pub web_ui: String,
}

/// The event of one Flink restart of a job's Flink job.
pub const RESTARTED: &str = "restarted";

/// The events each of which is one restart of a job (its `restarts` grew by one with each):
/// Flink's restarts, and Weir's resubmissions whether or not Flink took them.
pub const RESTART_EVENTS: &[&str] = &[RESTARTED, "recovered", "resubmission failed"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: i64,
    pub job: String,
    pub at: i64,
    pub event: String,
    pub state: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavepointRecord {
    pub id: i64,
    pub job: String,
    pub version: u32,
    pub path: String,
    /// `savepoint` or `checkpoint`.
    pub kind: String,
    /// `stop`, `manual`, `periodic`, `recovery`.
    pub trigger: String,
    pub completed_at: Option<i64>,
    pub disposed_at: Option<i64>,
    pub created_at: i64,
}

pub struct Registry {
    pool: AnyPool,
    owner: String,
}

const JOB_COLUMNS: &str = "name, cluster, comment, settings, version, running_version, state, desired, flink_job_id, flink_state, started_at, restarts, attempts, reason, created_by, created_at, updated_at";

fn version_of(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn job_row(r: &sqlx::any::AnyRow) -> Result<JobRecord, JobError> {
    let s = |i: usize| r.try_get::<String, _>(i).map_err(db);
    let i = |i: usize| r.try_get::<i64, _>(i).map_err(db);
    let oi = |i: usize| r.try_get::<Option<i64>, _>(i).map_err(db);
    let os = |i: usize| r.try_get::<Option<String>, _>(i).map_err(db);
    let state_text = s(6)?;
    Ok(JobRecord {
        name: s(0)?,
        cluster: s(1)?,
        comment: s(2)?,
        settings: parse_json("settings", &s(3)?)?,
        version: version_of(i(4)?),
        running_version: oi(5)?.map(version_of),
        state: JobState::parse(&state_text).ok_or_else(|| JobError::Store(format!("unknown job state '{state_text}'")))?,
        desired_running: s(7)? == "running",
        flink_job_id: os(8)?,
        flink_state: os(9)?,
        started_at: oi(10)?,
        restarts: i(11)?,
        attempts: parse_json("attempts", &s(12)?)?,
        reason: s(13)?,
        created_by: s(14)?,
        created_at: i(15)?,
        updated_at: i(16)?,
    })
}

impl Registry {
    pub fn new(backend: &Backend) -> Self {
        Self { pool: backend.pool().clone(), owner: backend.owner().to_string() }
    }

    /// This Weir instance's id in the store.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Records a new job with its version 1, in one transaction; [`JobError::Exists`] when the
    /// name is taken (whichever instance took it).
    pub async fn create(&self, job: &JobRecord, first: &VersionRecord) -> Result<(), JobError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let inserted = sqlx::query(
            "INSERT INTO weir_jobs (name, cluster, comment, settings, version, running_version, state, desired, flink_job_id, flink_state, started_at, restarts, attempts, reason, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, NULL, ?, 'stopped', NULL, NULL, NULL, 0, '[]', '', ?, ?, ?)",
        )
        .bind(&job.name)
        .bind(&job.cluster)
        .bind(&job.comment)
        .bind(json(&job.settings)?)
        .bind(i64::from(first.version))
        .bind(job.state.as_str())
        .bind(&job.created_by)
        .bind(job.created_at)
        .bind(job.created_at)
        .execute(&mut *tx)
        .await;
        if inserted.is_err() {
            drop(tx);
            if self.get(&job.name).await?.is_some() {
                return Err(JobError::Exists(job.name.clone()));
            }
            inserted.map_err(db)?;
            return Err(JobError::Store("the job could not be recorded".into()));
        }
        insert_version(&mut tx, first).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    pub async fn get(&self, name: &str) -> Result<Option<JobRecord>, JobError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM weir_jobs WHERE name = ?");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_optional(&self.pool).await.map_err(db)?;
        row.as_ref().map(job_row).transpose()
    }

    /// The job, or [`JobError::Unknown`].
    pub async fn job(&self, name: &str) -> Result<JobRecord, JobError> {
        self.get(name).await?.ok_or_else(|| JobError::Unknown(name.to_string()))
    }

    pub async fn all(&self) -> Result<Vec<JobRecord>, JobError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM weir_jobs ORDER BY name");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(job_row).collect()
    }

    /// Sets columns of a job's row, only while its state is one of `when` (any state when
    /// empty); true when the row was changed. The compare-and-set every transition goes through.
    pub async fn set(&self, name: &str, when: &[JobState], values: &[(&'static str, Val)]) -> Result<bool, JobError> {
        let mut sql = String::from("UPDATE weir_jobs SET updated_at = ?");
        for (column, _) in values {
            sql.push_str(", ");
            sql.push_str(column);
            sql.push_str(" = ?");
        }
        sql.push_str(" WHERE name = ?");
        if !when.is_empty() {
            sql.push_str(" AND state IN (");
            sql.push_str(&vec!["?"; when.len()].join(", "));
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms());
        for (_, v) in values {
            q = match v {
                Val::Str(s) => q.bind(s.clone()),
                Val::Int(i) => q.bind(*i),
                Val::Null => q.bind(Option::<String>::None),
            };
        }
        q = q.bind(name.to_string());
        for s in when {
            q = q.bind(s.as_str());
        }
        Ok(q.execute(&self.pool).await.map_err(db)?.rows_affected() == 1)
    }

    /// A job's Weir settings, replaced.
    pub async fn set_settings(&self, name: &str, settings: &BTreeMap<String, String>) -> Result<(), JobError> {
        self.set(name, &[], &[("settings", Val::Str(json(settings)?))]).await.map(|_| ())
    }

    /// Records `attempts` (resubmission times); the resubmission about to be made counts as a
    /// restart (its event, `recovered` or `resubmission failed`, follows it).
    pub async fn set_attempts(&self, name: &str, attempts: &[i64]) -> Result<(), JobError> {
        sqlx::query("UPDATE weir_jobs SET attempts = ?, restarts = restarts + 1, updated_at = ? WHERE name = ?")
            .bind(json(&attempts)?)
            .bind(now_ms())
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Flink restarted the job's Flink job `jid` `n` more times: the job's restart count grows by
    /// `n` and each restart is an event (`restarted`), together.
    pub async fn restarted(&self, name: &str, jid: &str, n: u64, state: JobState) -> Result<(), JobError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let now = now_ms();
        sqlx::query("UPDATE weir_jobs SET restarts = restarts + ?, updated_at = ? WHERE name = ?")
            .bind(i64::try_from(n).unwrap_or(i64::MAX))
            .bind(now)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for _ in 0..n {
            sqlx::query("INSERT INTO weir_job_events (job, at, event, state, detail) VALUES (?, ?, ?, ?, ?)")
                .bind(name)
                .bind(now)
                .bind(RESTARTED)
                .bind(state.as_str())
                .bind(format!("Flink restarted job {jid}"))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    /// How many of Flink's restarts of `jid` are recorded (its `restarted` events since its run
    /// began): what the job daemon has counted of it, across Weir restarts.
    pub async fn restarts_recorded(&self, name: &str, jid: &str) -> Result<u64, JobError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM weir_job_events WHERE job = ? AND event = ? AND at >= (SELECT COALESCE(MIN(started_at), 0) FROM weir_job_runs WHERE job = ? AND flink_job_id = ?)",
        )
        .bind(name)
        .bind(RESTARTED)
        .bind(name)
        .bind(jid)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(u64::try_from(row.try_get::<i64, _>(0).map_err(db)?).unwrap_or(0))
    }

    /// Every restart of every job since `since` (ms): (job, when), oldest first — Flink's
    /// restarts and Weir's resubmissions, the events that grew the jobs' restart counts.
    pub async fn restarts_since(&self, since: i64) -> Result<Vec<(String, i64)>, JobError> {
        let events = RESTART_EVENTS.iter().map(|_| "?").collect::<Vec<_>>().join(", ");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT job, at FROM weir_job_events WHERE at >= ? AND event IN ({events}) ORDER BY id"))).bind(since);
        for e in RESTART_EVENTS {
            q = q.bind(*e);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(|r| Ok((r.try_get(0).map_err(db)?, r.try_get(1).map_err(db)?))).collect()
    }

    /// Records the next version of a job (the newest + 1) and makes it the job's version.
    pub async fn add_version(&self, mut v: VersionRecord) -> Result<u32, JobError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let newest: Option<i64> = sqlx::query("SELECT MAX(version) FROM weir_job_versions WHERE job = ?")
            .bind(&v.job)
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db)?;
        v.version = version_of(newest.unwrap_or(0) + 1);
        insert_version(&mut tx, &v).await?;
        sqlx::query("UPDATE weir_jobs SET version = ?, updated_at = ? WHERE name = ?")
            .bind(i64::from(v.version))
            .bind(now_ms())
            .bind(&v.job)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(v.version)
    }

    /// The rows of `sql` (whose two parameters are the job's name, `''` for every job).
    async fn rows_of(&self, sql: &'static str, job: Option<&str>) -> Result<Vec<sqlx::any::AnyRow>, JobError> {
        let name = job.unwrap_or("");
        sqlx::query(sql).bind(name).bind(name).fetch_all(&self.pool).await.map_err(db)
    }

    pub async fn version(&self, job: &str, version: u32) -> Result<Option<VersionRecord>, JobError> {
        Ok(self.versions(Some(job)).await?.into_iter().find(|v| v.version == version))
    }

    pub async fn versions(&self, job: Option<&str>) -> Result<Vec<VersionRecord>, JobError> {
        let rows = self.rows_of(
            "SELECT job, version, body, options, catalog_name, database_name, created_by, created_at, jars FROM weir_job_versions WHERE job = ? OR ? = '' ORDER BY job, version",
            job,
        )
        .await?;
        rows.iter()
            .map(|r| {
                let s = |i: usize| r.try_get::<String, _>(i).map_err(db);
                Ok(VersionRecord {
                    job: s(0)?,
                    version: version_of(r.try_get(1).map_err(db)?),
                    body: s(2)?,
                    options: parse_json("options", &s(3)?)?,
                    catalog: s(4)?,
                    database: s(5)?,
                    created_by: s(6)?,
                    created_at: r.try_get(7).map_err(db)?,
                    jars: parse_json("jars", &s(8)?)?,
                })
            })
            .collect()
    }

    /// Records a run (a Flink job submitted for the managed job) and points the job at it.
    pub async fn add_run(&self, run: &RunRecord) -> Result<i64, JobError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let newest: Option<i64> = sqlx::query("SELECT MAX(run) FROM weir_job_runs WHERE job = ?")
            .bind(&run.job)
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db)?;
        let number = newest.unwrap_or(0) + 1;
        sqlx::query(
            "INSERT INTO weir_job_runs (job, run, version, cluster, flink_job_id, restored_from, started_at, ended_at, end_state, root_cause, web_ui)
             VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)",
        )
        .bind(&run.job)
        .bind(number)
        .bind(i64::from(run.version))
        .bind(&run.cluster)
        .bind(&run.flink_job_id)
        .bind(run.restored_from.clone())
        .bind(run.started_at)
        .bind(&run.web_ui)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("UPDATE weir_jobs SET flink_job_id = ?, running_version = ?, started_at = ?, flink_state = NULL, updated_at = ? WHERE name = ?")
            .bind(&run.flink_job_id)
            .bind(i64::from(run.version))
            .bind(run.started_at)
            .bind(now_ms())
            .bind(&run.job)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(number)
    }

    /// Records how a run ended (the first ending recorded stands).
    pub async fn end_run(&self, job: &str, flink_job_id: &str, end_state: &str, root_cause: Option<&str>) -> Result<(), JobError> {
        sqlx::query("UPDATE weir_job_runs SET ended_at = ?, end_state = ?, root_cause = ? WHERE job = ? AND flink_job_id = ? AND ended_at IS NULL")
            .bind(now_ms())
            .bind(end_state)
            .bind(root_cause.map(str::to_string))
            .bind(job)
            .bind(flink_job_id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    pub async fn runs(&self, job: Option<&str>) -> Result<Vec<RunRecord>, JobError> {
        let rows = self.rows_of(
            "SELECT job, run, version, cluster, flink_job_id, restored_from, started_at, ended_at, end_state, root_cause, web_ui FROM weir_job_runs WHERE job = ? OR ? = '' ORDER BY job, run",
            job,
        )
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RunRecord {
                    job: r.try_get(0).map_err(db)?,
                    run: r.try_get(1).map_err(db)?,
                    version: version_of(r.try_get(2).map_err(db)?),
                    cluster: r.try_get(3).map_err(db)?,
                    flink_job_id: r.try_get(4).map_err(db)?,
                    restored_from: r.try_get(5).map_err(db)?,
                    started_at: r.try_get(6).map_err(db)?,
                    ended_at: r.try_get(7).map_err(db)?,
                    end_state: r.try_get(8).map_err(db)?,
                    root_cause: r.try_get(9).map_err(db)?,
                    web_ui: r.try_get(10).map_err(db)?,
                })
            })
            .collect()
    }

    pub async fn event(&self, job: &str, event: &str, state: JobState, detail: &str) -> Result<(), JobError> {
        sqlx::query("INSERT INTO weir_job_events (job, at, event, state, detail) VALUES (?, ?, ?, ?, ?)")
            .bind(job)
            .bind(now_ms())
            .bind(event)
            .bind(state.as_str())
            .bind(detail)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    pub async fn events(&self, job: Option<&str>) -> Result<Vec<EventRecord>, JobError> {
        let rows = self.rows_of(
            "SELECT id, job, at, event, state, detail FROM weir_job_events WHERE job = ? OR ? = '' ORDER BY id",
            job,
        )
        .await?;
        rows.iter().map(event_of).collect()
    }

    /// The events recorded after event `id`, oldest first, at most `limit` (a watcher's cursor).
    pub async fn events_after(&self, id: i64, limit: i64) -> Result<Vec<EventRecord>, JobError> {
        let rows = sqlx::query("SELECT id, job, at, event, state, detail FROM weir_job_events WHERE id > ? ORDER BY id LIMIT ?")
            .bind(id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(event_of).collect()
    }

    /// The id of the newest event (0 when there is none).
    pub async fn last_event_id(&self) -> Result<i64, JobError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM weir_job_events").fetch_one(&self.pool).await.map_err(db)?;
        row.try_get(0).map_err(db)
    }

    pub async fn add_savepoint(&self, s: &SavepointRecord) -> Result<(), JobError> {
        sqlx::query(
            "INSERT INTO weir_savepoints (job, version, path, kind, trigger_kind, completed_at, disposed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.job)
        .bind(i64::from(s.version))
        .bind(&s.path)
        .bind(&s.kind)
        .bind(&s.trigger)
        .bind(s.completed_at)
        .bind(s.disposed_at)
        .bind(s.created_at)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    pub async fn dispose_savepoint(&self, id: i64) -> Result<(), JobError> {
        sqlx::query("UPDATE weir_savepoints SET disposed_at = ? WHERE id = ?").bind(now_ms()).bind(id).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    pub async fn savepoints(&self, job: Option<&str>) -> Result<Vec<SavepointRecord>, JobError> {
        let rows = self.rows_of(
            "SELECT id, job, version, path, kind, trigger_kind, completed_at, disposed_at, created_at FROM weir_savepoints WHERE job = ? OR ? = '' ORDER BY id",
            job,
        )
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SavepointRecord {
                    id: r.try_get(0).map_err(db)?,
                    job: r.try_get(1).map_err(db)?,
                    version: version_of(r.try_get(2).map_err(db)?),
                    path: r.try_get(3).map_err(db)?,
                    kind: r.try_get(4).map_err(db)?,
                    trigger: r.try_get(5).map_err(db)?,
                    completed_at: r.try_get(6).map_err(db)?,
                    disposed_at: r.try_get(7).map_err(db)?,
                    created_at: r.try_get(8).map_err(db)?,
                })
            })
            .collect()
    }

    /// Removes a job and everything recorded of it, only while it is in one of `when`.
    pub async fn delete(&self, name: &str, when: &[JobState]) -> Result<bool, JobError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut sql = String::from("DELETE FROM weir_jobs WHERE name = ? AND state IN (");
        sql.push_str(&vec!["?"; when.len()].join(", "));
        sql.push(')');
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name.to_string());
        for s in when {
            q = q.bind(s.as_str());
        }
        if q.execute(&mut *tx).await.map_err(db)?.rows_affected() != 1 {
            return Ok(false);
        }
        for table in ["weir_job_versions", "weir_job_runs", "weir_job_events", "weir_savepoints"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE job = ?"))).bind(name).execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    /// Takes or renews the lease `name` for `ttl_ms`: true while this instance holds it. A lease
    /// whose holder stopped renewing it passes to whoever asks after it expired.
    pub async fn lease(&self, name: &str, ttl_ms: i64) -> Result<bool, JobError> {
        let now = now_ms();
        let renewed = sqlx::query("UPDATE weir_leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)")
            .bind(&self.owner)
            .bind(now + ttl_ms)
            .bind(name)
            .bind(&self.owner)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if renewed.rows_affected() == 1 {
            return Ok(true);
        }
        let inserted = sqlx::query("INSERT INTO weir_leases (name, holder, expires_at) VALUES (?, ?, ?)")
            .bind(name)
            .bind(&self.owner)
            .bind(now + ttl_ms)
            .execute(&self.pool)
            .await;
        Ok(inserted.is_ok())
    }

    /// Gives the lease up (a clean shutdown), so another instance takes over at once.
    pub async fn release_lease(&self, name: &str) -> Result<(), JobError> {
        sqlx::query("DELETE FROM weir_leases WHERE name = ? AND holder = ?").bind(name).bind(&self.owner).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }
}

async fn insert_version(tx: &mut sqlx::Transaction<'_, sqlx::Any>, v: &VersionRecord) -> Result<(), JobError> {
    sqlx::query(
        "INSERT INTO weir_job_versions (job, version, body, options, jars, catalog_name, database_name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&v.job)
    .bind(i64::from(v.version))
    .bind(&v.body)
    .bind(json(&v.options)?)
    .bind(json(&v.jars)?)
    .bind(&v.catalog)
    .bind(&v.database)
    .bind(&v.created_by)
    .bind(v.created_at)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    Ok(())
}
