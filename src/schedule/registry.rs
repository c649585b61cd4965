//! Schedules, their runs and each run's tasks in the store. Every change of a run's or a task's
//! state is a compare-and-set on its row, so two Weir instances (or a statement and the daemon)
//! that race meet here and one wins; a run and its tasks are created in one transaction.

use sqlx::{AnyPool, Row};

use super::{Definition, RunState, ScheduleError, TaskState};
use crate::catalog::store::{Backend, now_ms};

fn db(e: sqlx::Error) -> ScheduleError {
    ScheduleError::Store(e.to_string())
}

/// A recorded schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRecord {
    pub definition: Definition,
    pub paused: bool,
    /// When its CRON fires next (ms).
    pub next_fire: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub schedule: String,
    pub run_id: i64,
    pub state: RunState,
    /// `RUN`, `CRON` or `AFTER`.
    pub trigger: String,
    pub start_time: i64,
    pub end_time: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    pub schedule: String,
    pub run_id: i64,
    pub job: String,
    pub state: TaskState,
    pub attempt: i64,
    pub flink_job_id: Option<String>,
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    pub reason: String,
}

pub struct Registry {
    pool: AnyPool,
}

fn schedule_row(r: &sqlx::any::AnyRow) -> Result<ScheduleRecord, ScheduleError> {
    let definition: String = r.try_get(0).map_err(db)?;
    Ok(ScheduleRecord {
        definition: serde_json::from_str(&definition).map_err(|e| ScheduleError::Store(format!("unreadable schedule: {e}")))?,
        paused: r.try_get::<i64, _>(1).map_err(db)? != 0,
        next_fire: r.try_get(2).map_err(db)?,
        created_by: r.try_get(3).map_err(db)?,
        created_at: r.try_get(4).map_err(db)?,
    })
}

fn run_row(r: &sqlx::any::AnyRow) -> Result<RunRecord, ScheduleError> {
    let state: String = r.try_get(2).map_err(db)?;
    Ok(RunRecord {
        schedule: r.try_get(0).map_err(db)?,
        run_id: r.try_get(1).map_err(db)?,
        state: RunState::parse(&state).ok_or_else(|| ScheduleError::Store(format!("unknown run state '{state}'")))?,
        trigger: r.try_get(3).map_err(db)?,
        start_time: r.try_get(4).map_err(db)?,
        end_time: r.try_get(5).map_err(db)?,
        reason: r.try_get(6).map_err(db)?,
    })
}

fn task_row(r: &sqlx::any::AnyRow) -> Result<TaskRecord, ScheduleError> {
    let state: String = r.try_get(3).map_err(db)?;
    Ok(TaskRecord {
        schedule: r.try_get(0).map_err(db)?,
        run_id: r.try_get(1).map_err(db)?,
        job: r.try_get(2).map_err(db)?,
        state: TaskState::parse(&state).ok_or_else(|| ScheduleError::Store(format!("unknown task state '{state}'")))?,
        attempt: r.try_get(4).map_err(db)?,
        flink_job_id: r.try_get(5).map_err(db)?,
        start_time: r.try_get(6).map_err(db)?,
        end_time: r.try_get(7).map_err(db)?,
        reason: r.try_get(8).map_err(db)?,
    })
}

const SCHEDULE_COLUMNS: &str = "definition, paused, next_fire, created_by, created_at";
const RUN_COLUMNS: &str = "schedule, run_id, state, trigger_kind, start_time, end_time, reason";
const TASK_COLUMNS: &str = "schedule, run_id, job, state, attempt, flink_job_id, start_time, end_time, reason";

fn json(d: &Definition) -> Result<String, ScheduleError> {
    serde_json::to_string(d).map_err(|e| ScheduleError::Store(e.to_string()))
}

impl Registry {
    pub fn new(backend: &Backend) -> Self {
        Self { pool: backend.pool().clone() }
    }

    pub async fn insert(&self, d: &Definition, next_fire: Option<i64>, user: &str) -> Result<(), ScheduleError> {
        let now = now_ms();
        let r = sqlx::query("INSERT INTO weir_schedules (name, definition, paused, next_fire, created_by, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?, ?)")
            .bind(&d.name)
            .bind(json(d)?)
            .bind(next_fire)
            .bind(user)
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await;
        match r {
            Ok(_) => Ok(()),
            Err(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => Err(ScheduleError::Exists(d.name.clone())),
            Err(e) => Err(db(e)),
        }
    }

    pub async fn update(&self, d: &Definition, next_fire: Option<i64>) -> Result<(), ScheduleError> {
        sqlx::query("UPDATE weir_schedules SET definition = ?, next_fire = ?, updated_at = ? WHERE name = ?")
            .bind(json(d)?)
            .bind(next_fire)
            .bind(now_ms())
            .bind(&d.name)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    pub async fn set_paused(&self, name: &str, paused: bool) -> Result<(), ScheduleError> {
        sqlx::query("UPDATE weir_schedules SET paused = ?, updated_at = ? WHERE name = ?").bind(i64::from(paused)).bind(now_ms()).bind(name).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    /// Moves a CRON schedule's next firing from `from` to `to`: false when another instance did.
    pub async fn advance_fire(&self, name: &str, from: i64, to: i64) -> Result<bool, ScheduleError> {
        let r = sqlx::query("UPDATE weir_schedules SET next_fire = ? WHERE name = ? AND next_fire = ?").bind(to).bind(name).bind(from).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn get(&self, name: &str) -> Result<Option<ScheduleRecord>, ScheduleError> {
        let sql = format!("SELECT {SCHEDULE_COLUMNS} FROM weir_schedules WHERE name = ?");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_optional(&self.pool).await.map_err(db)?;
        row.as_ref().map(schedule_row).transpose()
    }

    pub async fn schedule(&self, name: &str) -> Result<ScheduleRecord, ScheduleError> {
        self.get(name).await?.ok_or_else(|| ScheduleError::Unknown(name.to_string()))
    }

    pub async fn all(&self) -> Result<Vec<ScheduleRecord>, ScheduleError> {
        let sql = format!("SELECT {SCHEDULE_COLUMNS} FROM weir_schedules ORDER BY name");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(schedule_row).collect()
    }

    /// Forgets a schedule and its history.
    pub async fn delete(&self, name: &str) -> Result<bool, ScheduleError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let r = sqlx::query("DELETE FROM weir_schedules WHERE name = ?").bind(name).execute(&mut *tx).await.map_err(db)?;
        sqlx::query("DELETE FROM weir_schedule_runs WHERE schedule = ?").bind(name).execute(&mut *tx).await.map_err(db)?;
        sqlx::query("DELETE FROM weir_schedule_tasks WHERE schedule = ?").bind(name).execute(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    /// A new run with every job WAITING, unless one is active: `None` then.
    pub async fn start_run(&self, schedule: &str, trigger: &str, jobs: &[String]) -> Result<Option<i64>, ScheduleError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let active: i64 = sqlx::query("SELECT COUNT(*) FROM weir_schedule_runs WHERE schedule = ? AND state IN ('RUNNING', 'PAUSED')")
            .bind(schedule)
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db)?;
        if active > 0 {
            return Ok(None);
        }
        let last: Option<i64> = sqlx::query("SELECT MAX(run_id) FROM weir_schedule_runs WHERE schedule = ?")
            .bind(schedule)
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db)?;
        let run_id = last.unwrap_or(0) + 1;
        let now = now_ms();
        sqlx::query("INSERT INTO weir_schedule_runs (schedule, run_id, state, trigger_kind, start_time, end_time, reason) VALUES (?, ?, 'RUNNING', ?, ?, NULL, '')")
            .bind(schedule)
            .bind(run_id)
            .bind(trigger)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for j in jobs {
            sqlx::query("INSERT INTO weir_schedule_tasks (schedule, run_id, job, state, attempt, flink_job_id, start_time, end_time, reason) VALUES (?, ?, ?, 'WAITING', 0, NULL, NULL, NULL, '')")
                .bind(schedule)
                .bind(run_id)
                .bind(j)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        // Two instances racing for the same run id meet on the primary key: one commits.
        tx.commit().await.map_err(db)?;
        Ok(Some(run_id))
    }

    /// Moves a run from one of `when` to `to` (ending it when `to` is not active).
    pub async fn set_run(&self, schedule: &str, run_id: i64, when: &[RunState], to: RunState, reason: &str) -> Result<bool, ScheduleError> {
        let states: Vec<String> = when.iter().map(|s| format!("'{}'", s.as_str())).collect();
        let end = if RunState::ACTIVE.contains(&to) { None } else { Some(now_ms()) };
        let sql = format!("UPDATE weir_schedule_runs SET state = ?, end_time = ?, reason = ? WHERE schedule = ? AND run_id = ? AND state IN ({})", states.join(", "));
        let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(to.as_str()).bind(end).bind(reason).bind(schedule).bind(run_id).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn runs(&self, schedule: Option<&str>) -> Result<Vec<RunRecord>, ScheduleError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM weir_schedule_runs WHERE (? IS NULL OR schedule = ?) ORDER BY schedule, run_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(schedule).bind(schedule).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(run_row).collect()
    }

    /// Runs that ended at or after `since` (ms), oldest end first.
    pub async fn runs_ended_since(&self, since: i64) -> Result<Vec<RunRecord>, ScheduleError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM weir_schedule_runs WHERE end_time IS NOT NULL AND end_time >= ? ORDER BY end_time, schedule, run_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(since).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(run_row).collect()
    }

    pub async fn active_runs(&self) -> Result<Vec<RunRecord>, ScheduleError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM weir_schedule_runs WHERE state IN ('RUNNING', 'PAUSED') ORDER BY schedule, run_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(run_row).collect()
    }

    pub async fn tasks(&self, schedule: Option<&str>, run_id: Option<i64>) -> Result<Vec<TaskRecord>, ScheduleError> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM weir_schedule_tasks WHERE (? IS NULL OR schedule = ?) AND (? IS NULL OR run_id = ?) ORDER BY schedule, run_id, job"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(schedule).bind(schedule).bind(run_id).bind(run_id).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(task_row).collect()
    }

    /// Moves a task from `from` to `to` with its attempt, Flink job, times and reason: false when
    /// it was no longer `from`.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_task(
        &self,
        t: &TaskRecord,
        from: TaskState,
        to: TaskState,
        attempt: i64,
        flink_job_id: Option<&str>,
        start_time: Option<i64>,
        end_time: Option<i64>,
        reason: &str,
    ) -> Result<bool, ScheduleError> {
        let r = sqlx::query(
            "UPDATE weir_schedule_tasks SET state = ?, attempt = ?, flink_job_id = ?, start_time = ?, end_time = ?, reason = ? WHERE schedule = ? AND run_id = ? AND job = ? AND state = ?",
        )
        .bind(to.as_str())
        .bind(attempt)
        .bind(flink_job_id)
        .bind(start_time)
        .bind(end_time)
        .bind(reason)
        .bind(&t.schedule)
        .bind(t.run_id)
        .bind(&t.job)
        .bind(from.as_str())
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(r.rows_affected() == 1)
    }
}
