//! The schedule daemon: four times a second, under the store's lease (one Weir of several runs
//! it), it fires CRON schedules that are due and drives every active run — a running task whose
//! Flink job finished succeeds, one whose job failed (Weir's own restart attempts spent) is
//! retried or fails, one past its TIMEOUT is cancelled; then [`super::plan::step`] says what
//! starts, what is skipped and whether the run ends. Every transition is a compare-and-set in the
//! store, written before the action it records: a task is RUNNING (with no Flink job yet) before
//! its job is started, so after a crash a RUNNING task whose job started since is adopted, never
//! started a second time. A run that succeeds fires the schedules AFTER it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use super::plan::{self, Expected, Step};
use super::registry::{RunRecord, TaskRecord};
use super::service::HISTORY;
use super::{RunState, Schedules, TaskState};
use crate::error::WeirError;
use crate::jobs::JobState;
use crate::statement::{OnFailure, StartFrom};

const LEASE: &str = "schedule-daemon";
const LEASE_MS: i64 = 10_000;
const TICK: Duration = Duration::from_millis(250);

/// Where the daemon reads the time (tests move it by hand).
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> i64;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        crate::catalog::store::now_ms()
    }
}

pub struct Daemon {
    schedules: Arc<Schedules>,
    clock: Arc<dyn Clock>,
    leader: bool,
}

impl Daemon {
    pub fn spawn(schedules: Arc<Schedules>, clock: Arc<dyn Clock>, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        let mut d = Daemon { schedules, clock, leader: false };
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(TICK) => {}
                }
                if let Err(e) = d.tick().await {
                    warn!(error = %e, "schedule daemon");
                }
            }
            if d.leader {
                let _ = d.schedules.jobs.registry.release_lease(LEASE).await;
            }
        })
    }

    pub async fn tick(&mut self) -> Result<(), WeirError> {
        if !self.schedules.jobs.registry.lease(LEASE, LEASE_MS).await? {
            self.leader = false;
            return Ok(());
        }
        if !self.leader {
            info!("this Weir runs the schedule daemon");
            self.leader = true;
        }
        self.fire_crons().await?;
        for run in self.schedules.registry.active_runs().await? {
            if let Err(e) = self.advance(&run).await {
                warn!(schedule = %run.schedule, run = run.run_id, error = %e, "schedule run");
            }
        }
        Ok(())
    }

    /// Starts a run of each CRON schedule whose time has come (one run per firing: the next
    /// firing is moved forward by compare-and-set first).
    async fn fire_crons(&self) -> Result<(), WeirError> {
        let now = self.clock.now_ms();
        for s in self.schedules.registry.all().await? {
            let (Some(due), Some(cron)) = (s.next_fire, &s.definition.options.cron) else { continue };
            if due > now {
                continue;
            }
            let next = plan::next_fire(cron, s.definition.options.timezone.as_deref(), now).unwrap_or(i64::MAX);
            if !self.schedules.registry.advance_fire(&s.definition.name, due, next).await? || s.paused {
                continue;
            }
            if let Err(e) = self.schedules.run(&s.definition.name, "CRON").await {
                warn!(schedule = %s.definition.name, error = %e, "CRON could not start a run");
            }
        }
        Ok(())
    }

    async fn advance(&self, run: &RunRecord) -> Result<(), WeirError> {
        let Some(s) = self.schedules.registry.get(&run.schedule).await? else { return Ok(()) };
        let o = &s.definition.options;
        let retry = i64::from(o.retry.unwrap_or(0));
        let mut tasks = self.schedules.registry.tasks(Some(&run.schedule), Some(run.run_id)).await?;
        for t in tasks.iter_mut().filter(|t| t.state == TaskState::Running) {
            self.watch(t, retry, o.timeout_secs).await?;
        }
        // What the watch changed.
        let tasks = self.schedules.registry.tasks(Some(&run.schedule), Some(run.run_id)).await?;
        let jobs: Vec<String> = tasks.iter().map(|t| t.job.clone()).collect();
        let plan = self.schedules.plan(&run.schedule, &jobs).await?;
        let states: BTreeMap<String, TaskState> = tasks.iter().map(|t| (t.job.clone(), t.state)).collect();
        let running = tasks.iter().filter(|t| t.state == TaskState::Running).count();
        let mut capacity = (o.parallelism.unwrap_or(1) as usize).saturating_sub(running);
        if run.state == RunState::Paused {
            capacity = 0;
        }
        if capacity > 0 {
            capacity = capacity.min(self.free_slots(&tasks).await);
        }
        let expected = Expected::learn(&self.schedules.history().await?, HISTORY);
        let policy = o.on_failure.unwrap_or(OnFailure::Stop);
        for step in plan::step(&plan, &states, policy, capacity, &s.definition.weights, &expected) {
            let task = |job: &str| tasks.iter().find(|t| t.job == job).cloned();
            match step {
                Step::Start(job) => {
                    if let Some(t) = task(&job) {
                        self.start(&t).await?;
                    }
                }
                Step::Skip { job, because } => {
                    if let Some(t) = task(&job) {
                        self.schedules.registry.set_task(&t, TaskState::Waiting, TaskState::Skipped, t.attempt, None, None, None, &because).await?;
                    }
                }
                Step::Stop { because } => {
                    if self.schedules.registry.set_run(&run.schedule, run.run_id, RunState::ACTIVE, RunState::Failed, &because).await? {
                        self.schedules.end_tasks(&run.schedule, run.run_id, &because).await?;
                        info!(target: "weir::schedule::events", schedule = %run.schedule, run = run.run_id, reason = %because, "schedule run failed");
                    }
                }
                Step::Finish { failed } => {
                    let (state, reason) = if failed.is_empty() { (RunState::Succeeded, String::new()) } else { (RunState::Failed, format!("job(s) {} failed", failed.join(", "))) };
                    if self.schedules.registry.set_run(&run.schedule, run.run_id, &[RunState::Running], state, &reason).await? {
                        info!(target: "weir::schedule::events", schedule = %run.schedule, run = run.run_id, state = state.as_str(), reason, "schedule run finished");
                        if state == RunState::Succeeded {
                            self.fire_after(&run.schedule).await?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The task slots free on the clusters of a run's jobs (unbounded when unknown).
    async fn free_slots(&self, tasks: &[TaskRecord]) -> usize {
        let mut clusters = Vec::new();
        for t in tasks.iter().filter(|t| t.state == TaskState::Waiting) {
            if let Ok(j) = self.schedules.jobs.registry.job(&t.job).await
                && !clusters.contains(&j.cluster)
            {
                clusters.push(j.cluster);
            }
        }
        let mut free = usize::MAX;
        for c in clusters {
            if let Some(jm) = self.schedules.jobs.clusters.get(&c).and_then(|c| c.jobmanager().cloned())
                && let Ok(n) = jm.free_slots().await
            {
                free = free.min(usize::try_from(n).unwrap_or(usize::MAX));
            }
        }
        free
    }

    /// Marks the task RUNNING (no Flink job yet), then starts its job and records the Flink job.
    async fn start(&self, t: &TaskRecord) -> Result<(), WeirError> {
        let now = self.clock.now_ms();
        let attempt = t.attempt + 1;
        if !self.schedules.registry.set_task(t, TaskState::Waiting, TaskState::Running, attempt, None, Some(now), None, "").await? {
            return Ok(());
        }
        let running = TaskRecord { state: TaskState::Running, attempt, start_time: Some(now), ..t.clone() };
        self.submit(&running).await
    }

    async fn submit(&self, t: &TaskRecord) -> Result<(), WeirError> {
        match self.schedules.jobs.start(&t.job, &StartFrom::WithoutState).await {
            Ok(started) => {
                if self.schedules.registry.set_task(t, TaskState::Running, TaskState::Running, t.attempt, Some(&started.flink_job_id), t.start_time, None, "").await? {
                    info!(schedule = %t.schedule, run = t.run_id, job = %t.job, attempt = t.attempt, flink_job = %started.flink_job_id, "schedule task started");
                } else {
                    // The run ended while its job was being started (STOP SCHEDULE, a failure
                    // under ON FAILURE STOP): the job must not run on without it.
                    info!(schedule = %t.schedule, run = t.run_id, job = %t.job, flink_job = %started.flink_job_id, "the run ended while its job started: stopping the job");
                    if let Err(e) = self.schedules.jobs.stop(&t.job, false, false).await {
                        warn!(schedule = %t.schedule, job = %t.job, error = %e, "could not stop a job its ended run had started");
                    }
                }
            }
            Err(e) => self.attempt_failed(t, i64::MAX, &format!("could not start: {}", e.to_mysql().message)).await?,
        }
        Ok(())
    }

    /// A RUNNING task: adopted after a crash, finished, failed, or past its timeout.
    async fn watch(&self, t: &mut TaskRecord, retry: i64, timeout_secs: Option<u64>) -> Result<(), WeirError> {
        let job = self.schedules.jobs.registry.job(&t.job).await?;
        let Some(jid) = t.flink_job_id.clone() else {
            // Weir stopped between marking the task and recording its job: the job's run since
            // the task started is this task's; without one, the job was never started.
            let runs = self.schedules.jobs.registry.runs(Some(&t.job)).await?;
            let since = t.start_time.unwrap_or(0);
            match runs.iter().filter(|r| r.started_at >= since).max_by_key(|r| r.started_at) {
                Some(r) => {
                    self.schedules.registry.set_task(t, TaskState::Running, TaskState::Running, t.attempt, Some(&r.flink_job_id), t.start_time, None, "adopted after a restart").await?;
                    info!(schedule = %t.schedule, job = %t.job, flink_job = %r.flink_job_id, "schedule task adopted");
                }
                None if JobState::STARTABLE.contains(&job.state) => self.submit(t).await?,
                None => {}
            }
            return Ok(());
        };
        // Success straight from the JobManager, recorded in the job registry at once (so that
        // WEIR_JOBS and a DROP JOB right after agree with the schedule).
        let finished_in_flink = match self.schedules.jobs.clusters.get(&job.cluster).and_then(|c| c.jobmanager().cloned()) {
            Some(jm) => jm.jobs().await.ok().and_then(|l| l.into_iter().find(|o| o.jid == jid)).is_some_and(|o| o.state == "FINISHED"),
            None => false,
        };
        if finished_in_flink && job.flink_job_id.as_deref() == Some(jid.as_str()) {
            self.schedules.jobs.record_flink_end(&job, &jid, "FINISHED").await?;
        }
        let now = self.clock.now_ms();
        // The job's state now is this task's run's (or a recovery of it by the job daemon).
        if finished_in_flink || job.state == JobState::Finished {
            self.schedules.registry.set_task(t, TaskState::Running, TaskState::Succeeded, t.attempt, Some(&jid), t.start_time, Some(now), "").await?;
            return Ok(());
        }
        if matches!(job.state, JobState::Failed | JobState::Canceled | JobState::Stopped) {
            let why = if job.reason.is_empty() { format!("job {} is {}", t.job, job.state) } else { job.reason.clone() };
            return self.attempt_failed(t, retry, &why).await;
        }
        if let (Some(limit), Some(start)) = (timeout_secs, t.start_time)
            && now - start > i64::try_from(limit.saturating_mul(1000)).unwrap_or(i64::MAX)
        {
            let _ = self.schedules.jobs.stop(&t.job, false, false).await;
            return self.attempt_failed(t, retry, &format!("timed out after {limit} s (TIMEOUT)")).await;
        }
        Ok(())
    }

    /// One attempt of a task failed: it waits for another while RETRY allows, else it FAILED.
    async fn attempt_failed(&self, t: &TaskRecord, retry: i64, why: &str) -> Result<(), WeirError> {
        let now = self.clock.now_ms();
        if t.attempt <= retry {
            let reason = format!("attempt {} failed: {why}; retrying", t.attempt);
            self.schedules.registry.set_task(t, TaskState::Running, TaskState::Waiting, t.attempt, None, None, None, &reason).await?;
        } else {
            self.schedules.registry.set_task(t, TaskState::Running, TaskState::Failed, t.attempt, t.flink_job_id.as_deref(), t.start_time, Some(now), why).await?;
            info!(target: "weir::schedule::events", schedule = %t.schedule, run = t.run_id, job = %t.job, reason = why, "schedule task failed");
        }
        Ok(())
    }

    /// The schedules AFTER `done` whose every predecessor's last run succeeded since their own
    /// last run started.
    async fn fire_after(&self, done: &str) -> Result<(), WeirError> {
        let runs = self.schedules.registry.runs(None).await?;
        let last = |name: &str| runs.iter().filter(|r| r.schedule == name).max_by_key(|r| r.run_id).cloned();
        for s in self.schedules.registry.all().await? {
            let after = s.definition.options.after.clone().unwrap_or_default();
            if !after.iter().any(|a| a == done) || s.paused {
                continue;
            }
            let since = last(&s.definition.name).map(|r| r.start_time).unwrap_or(0);
            let ready = after.iter().all(|a| last(a).is_some_and(|r| r.state == RunState::Succeeded && r.end_time.unwrap_or(0) >= since));
            if ready && let Err(e) = self.schedules.run(&s.definition.name, "AFTER").await {
                warn!(schedule = %s.definition.name, error = %e, "AFTER could not start a run");
            }
        }
        Ok(())
    }
}
