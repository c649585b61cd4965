//! The job daemon: once a second it asks each cluster's JobManager what its managed jobs are
//! doing and brings the registry in step (what Weir shows agrees with the JobManager within a
//! few seconds), and it resubmits a job that failed terminally or was lost with its JobManager
//! from its newest completed state of the same version, a bounded number of times. A job
//! cancelled outside Weir is shown as such and left alone. With several Weir instances on one
//! store, the one holding the store's lease runs it. On start it reconciles: it adopts a Flink
//! job of a managed job that runs without being recorded (a crash between a submission and its
//! record) rather than starting a second copy.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};
use weir_drivers::flink::JobOverview;

use super::registry::{JobRecord, Val};
use super::settings::Settings;
use super::{JobState, Jobs, pipeline_name};
use crate::catalog::store::now_ms;

const LEASE: &str = "jobs-daemon";
const LEASE_MS: i64 = 10_000;
const TICK: Duration = Duration::from_secs(1);
/// A JobManager that has not answered for this long has lost its jobs as far as Weir can tell.
const UNREACHABLE_AFTER: Duration = Duration::from_secs(3);
/// How long a job may be STARTING without a recorded Flink job before the daemon looks for it.
const STARTING_GRACE_MS: i64 = 120_000;
/// How far the JobManager's clock may be behind Weir's when a Flink job's start time is compared
/// with the moment Weir claimed the start.
const CLOCK_SLACK_MS: i64 = 5_000;
/// Added to a cluster's heartbeat timeout before a lost job is resubmitted.
const ORPHAN_MARGIN: Duration = Duration::from_secs(2);
/// How much longer than the heartbeat timeout a lost job waits for the TaskManagers to free the
/// slots of its old tasks (cancelling a task can take seconds: a CDC source closes its binlog
/// connection, whose `server-id` the resubmitted job's source would otherwise fight over).
const ORPHAN_SLOTS_WAIT: Duration = Duration::from_secs(60);
/// The shortest pause between two resubmissions of one job.
const RESUBMIT_BACKOFF: Duration = Duration::from_secs(2);
/// How long after a Flink job changed (its state, or a task's) the daemon keeps counting its
/// restarts each tick.
const RESTART_LOOK: Duration = Duration::from_secs(5);
/// Flink job states in which its restarts are not counted: not yet scheduled (no history yet).
const RESTARTS_UNCOUNTED: &[&str] = &["INITIALIZING", "CREATED"];

/// Flink job states in which the job is on its way or running.
const FLINK_LIVE: &[&str] = &["INITIALIZING", "CREATED", "RUNNING", "RESTARTING", "FAILING", "CANCELLING", "RECONCILING"];

pub struct Daemon {
    jobs: Arc<Jobs>,
    /// Since when a cluster's JobManager has not answered.
    unreachable_since: HashMap<String, Instant>,
    /// When a job may be resubmitted next.
    next_attempt: HashMap<String, Instant>,
    /// Since when each job has been lost (its JobManager died or forgot it).
    lost_since: HashMap<String, Instant>,
    /// When each running job's last periodic savepoint was taken (or it started running).
    last_periodic: HashMap<String, Instant>,
    /// Flink's restarts counted of each Flink job watched, by its id.
    flink_restarts: HashMap<String, Counted>,
    leader: bool,
}

/// What the daemon counted of one Flink job's restarts.
struct Counted {
    /// Restarts recorded (as events and in the job's count).
    restarts: u64,
    /// The job's `last-modification` when last seen.
    last_modification: i64,
    /// Until when its restarts are counted each tick.
    look_until: Instant,
    /// Ticks in a row on which the JobManager did not say how many restarts it made.
    failed_asks: u32,
    /// Ticks a FAILED Flink job waited for the JobManager's cached copy of its graph to say so.
    graph_waits: u32,
}

/// Ticks a FAILED Flink job's recovery waits for its last restarts to be counted (one a second).
const RESTART_ASKS_BEFORE_RECOVERY: u32 = 5;
/// Ticks a FAILED Flink job's recovery waits for the JobManager's cached copy of its graph (what
/// its exceptions are read from) to show it FAILED: longer than Flink's default
/// `web.refresh-interval` (3 s), so its root cause and last restarts are read whole.
const GRAPH_WAITS_BEFORE_RECOVERY: u32 = 6;

impl Daemon {
    pub fn spawn(jobs: Arc<Jobs>, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        let mut d = Daemon {
            jobs,
            unreachable_since: HashMap::new(),
            next_attempt: HashMap::new(),
            lost_since: HashMap::new(),
            last_periodic: HashMap::new(),
            flink_restarts: HashMap::new(),
            leader: false,
        };
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(TICK) => {}
                }
                d.tick().await;
            }
            if d.leader {
                let _ = d.jobs.registry.release_lease(LEASE).await;
            }
        })
    }

    async fn tick(&mut self) {
        match self.jobs.registry.lease(LEASE, LEASE_MS).await {
            Ok(true) => {
                if !self.leader {
                    info!("this Weir runs the job daemon");
                }
                self.leader = true;
            }
            Ok(false) => {
                self.leader = false;
                return;
            }
            Err(e) => {
                warn!(error = %e, "job daemon: the store's lease");
                return;
            }
        }
        let jobs = match self.jobs.registry.all().await {
            Ok(j) => j,
            Err(e) => {
                warn!(error = %e, "job daemon: reading the registry");
                return;
            }
        };
        let watched: Vec<JobRecord> = jobs.into_iter().filter(|j| JobState::ACTIVE.contains(&j.state) || j.state == JobState::Stopping).collect();
        let mut overviews: HashMap<String, Option<Vec<JobOverview>>> = HashMap::new();
        self.flink_restarts.retain(|jid, _| watched.iter().any(|j| j.flink_job_id.as_deref() == Some(jid.as_str())));
        for job in watched {
            if !overviews.contains_key(&job.cluster) {
                let o = self.overview(&job.cluster).await;
                overviews.insert(job.cluster.clone(), o);
            }
            let overview = overviews.get(&job.cluster).cloned().flatten();
            if let Err(e) = self.watch(&job, overview.as_deref()).await {
                warn!(job = %job.name, error = %e, "job daemon");
            }
        }
    }

    /// The cluster's jobs, or None when its JobManager does not answer.
    async fn overview(&mut self, cluster: &str) -> Option<Vec<JobOverview>> {
        let jm = self.jobs.clusters.get(cluster)?.jobmanager()?.clone();
        match jm.jobs().await {
            Ok(list) => {
                self.unreachable_since.remove(cluster);
                Some(list)
            }
            Err(e) => {
                self.unreachable_since.entry(cluster.to_string()).or_insert_with(Instant::now);
                tracing::debug!(cluster, error = %e, "job daemon: JobManager does not answer");
                None
            }
        }
    }

    async fn watch(&mut self, job: &JobRecord, overview: Option<&[JobOverview]>) -> Result<(), crate::error::WeirError> {
        let reg = &self.jobs.registry;
        let Some(list) = overview else {
            let long = self.unreachable_since.get(&job.cluster).is_some_and(|t| t.elapsed() >= UNREACHABLE_AFTER);
            self.lost_since.entry(job.name.clone()).or_insert_with(Instant::now);
            if long && matches!(job.state, JobState::Running | JobState::Starting) {
                let reason = format!("the JobManager of cluster '{}' does not answer", job.cluster);
                if reg.set(&job.name, &[job.state], &[("state", JobState::Recovering.as_str().into()), ("reason", reason.clone().into()), ("flink_state", Val::Null)]).await? {
                    reg.event(&job.name, "lost", JobState::Recovering, &reason).await?;
                }
            }
            return Ok(());
        };
        let found = job.flink_job_id.as_deref().and_then(|jid| list.iter().find(|o| o.jid == jid));
        let Some(o) = found else {
            // A START JOB under way (submitted, its run not yet recorded) is the statement's;
            // one left so for minutes died with its Weir, and the daemon takes it over.
            if job.state == JobState::Starting && job.flink_job_id.is_none() && now_ms() - job.updated_at < STARTING_GRACE_MS {
                return Ok(());
            }
            if job.state == JobState::Stopping {
                reg.set(&job.name, &[JobState::Stopping], &[("state", JobState::Stopped.as_str().into())]).await?;
                return Ok(());
            }
            let reason = match &job.flink_job_id {
                Some(jid) => format!("the JobManager of cluster '{}' no longer knows Flink job {jid} (it restarted without high availability)", job.cluster),
                None => "it has no Flink job".to_string(),
            };
            self.lost_since.entry(job.name.clone()).or_insert_with(Instant::now);
            return self.recover(job, list, &reason).await;
        };
        self.lost_since.remove(&job.name);
        self.count_restarts(job, o).await?;
        let jobs = self.jobs.clone();
        let reg = &jobs.registry;
        if job.flink_state.as_deref() != Some(o.state.as_str()) {
            reg.set(&job.name, &[], &[("flink_state", o.state.clone().into())]).await?;
        }
        match o.state.as_str() {
            "RUNNING" => {
                if matches!(job.state, JobState::Starting | JobState::Recovering)
                    && reg.set(&job.name, &[job.state], &[("state", JobState::Running.as_str().into()), ("reason", "".into())]).await?
                {
                    reg.event(&job.name, "running", JobState::Running, &format!("Flink job {} runs", o.jid)).await?;
                    self.last_periodic.insert(job.name.clone(), Instant::now());
                }
                self.periodic_savepoint(job).await;
            }
            "FINISHED" | "CANCELED" if job.state != JobState::Stopping => self.jobs.record_flink_end(job, &o.jid, &o.state).await?,
            // Its last restarts are counted before the job moves on to a new Flink job (whose
            // count starts over): a JobManager that did not answer is asked again next tick.
            "FAILED" if self.flink_restarts.get(&o.jid).is_some_and(|c| c.failed_asks > 0 && c.failed_asks < RESTART_ASKS_BEFORE_RECOVERY) => {}
            "FAILED" if !self.graph_shows_failed(job, o).await? => {}
            "FAILED" => {
                let cause = match self.jobs.jobmanager(job, "watched") {
                    Ok(jm) => jm.root_cause(&o.jid).await.ok().flatten(),
                    Err(_) => None,
                };
                let cause = cause.unwrap_or_else(|| "Flink reports the job FAILED".to_string());
                reg.end_run(&job.name, &o.jid, "FAILED", Some(&cause)).await?;
                if job.state != JobState::Stopping {
                    if job.state != JobState::Recovering {
                        reg.event(&job.name, "failed", job.state, &cause).await?;
                    }
                    self.recover(job, list, &format!("Flink job {} failed: {cause}", o.jid)).await?;
                }
            }
            "SUSPENDED" if job.state != JobState::Stopping => {
                self.recover(job, list, &format!("Flink suspended job {}", o.jid)).await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Resubmits a lost or failed job from its newest completed state of the same version,
    /// unless its attempts are spent (then it is FAILED) — or adopts a Flink job of it that runs
    /// unrecorded.
    async fn recover(&mut self, job: &JobRecord, list: &[JobOverview], reason: &str) -> Result<(), crate::error::WeirError> {
        let reg = &self.jobs.registry;
        let version = job.running_version.unwrap_or(job.version);
        let name = pipeline_name(&job.name, version);
        // A start that submitted the job but stopped (Weir killed) before recording its run:
        // the Flink job it submitted is this start's, running or already ended (a short batch
        // job), and is adopted rather than submitted a second time.
        if job.state == JobState::Starting && job.flink_job_id.is_none() {
            let recorded: std::collections::HashSet<String> = reg.runs(Some(&job.name)).await?.into_iter().map(|r| r.flink_job_id).collect();
            let since = job.updated_at - CLOCK_SLACK_MS;
            if let Some(o) = list.iter().filter(|o| o.name == name && !recorded.contains(&o.jid) && o.start_time >= since).max_by_key(|o| o.start_time) {
                self.jobs.record_run(job, version, &o.jid, None).await?;
                reg.event(&job.name, "adopted", job.state, &format!("Flink job {} of version {version} was submitted by a start that did not finish: adopted, not started again", o.jid)).await?;
                return Ok(());
            }
        }
        if let Some(o) = list.iter().find(|o| o.name == name && FLINK_LIVE.contains(&o.state.as_str()) && Some(o.jid.as_str()) != job.flink_job_id.as_deref()) {
            self.jobs.record_run(job, version, &o.jid, None).await?;
            reg.event(&job.name, "adopted", job.state, &format!("Flink job {} of version {version} runs: adopted, not started again", o.jid)).await?;
            return Ok(());
        }
        if let Some(jid) = &job.flink_job_id {
            reg.end_run(&job.name, jid, "LOST", Some(reason)).await?;
        }
        if job.state != JobState::Recovering {
            if !reg.set(&job.name, JobState::ACTIVE, &[("state", JobState::Recovering.as_str().into()), ("reason", reason.into()), ("flink_state", Val::Null)]).await? {
                return Ok(());
            }
            reg.event(&job.name, "lost", JobState::Recovering, reason).await?;
        }
        if self.next_attempt.get(&job.name).is_some_and(|t| Instant::now() < *t) {
            return Ok(());
        }
        // A job lost with its JobManager may still run on the TaskManagers until they notice
        // (their heartbeat timeout): its tasks would write beside the resubmitted ones.
        if let Some(since) = self.lost_since.get(&job.name)
            && let Ok(cluster) = self.jobs.cluster(&job.cluster)
        {
            let timeout = cluster.orphaned_tasks_for() + ORPHAN_MARGIN;
            if since.elapsed() < timeout {
                return Ok(());
            }
            // The TaskManagers noticed by now; wait until they have also freed the old tasks' slots.
            if since.elapsed() < timeout + ORPHAN_SLOTS_WAIT
                && let Some(jm) = cluster.jobmanager()
                && jm.slots_of_unknown_jobs().await.unwrap_or(0) > 0
            {
                return Ok(());
            }
        }
        let settings = Settings::parse(&job.name, &job.settings).unwrap_or_else(|_| Settings::defaults());
        let now = now_ms();
        let window = i64::try_from(settings.restart_window.as_millis()).unwrap_or(i64::MAX);
        let mut attempts: Vec<i64> = job.attempts.iter().copied().filter(|t| now - *t < window).collect();
        if attempts.len() >= settings.restart_attempts as usize {
            let why = format!(
                "{reason}; Weir gave up after {} resubmission(s) within {:?} (weir.restart.attempts = {})",
                attempts.len(),
                settings.restart_window,
                settings.restart_attempts
            );
            if reg.set(&job.name, &[JobState::Recovering], &[("state", JobState::Failed.as_str().into()), ("desired", "stopped".into()), ("reason", why.clone().into())]).await? {
                reg.event(&job.name, "failed", JobState::Failed, &why).await?;
            }
            return Ok(());
        }
        attempts.push(now);
        reg.set_attempts(&job.name, &attempts).await?;
        self.next_attempt.insert(job.name.clone(), Instant::now() + RESUBMIT_BACKOFF * attempts.len() as u32);
        let Some(v) = reg.version(&job.name, version).await? else {
            return Ok(());
        };
        let restore = self.jobs.newest_state(&job.name, version).await?;
        let from = restore.as_ref().map(|c| c.path.clone());
        match self.jobs.submit(job, &v, from.as_deref()).await {
            Ok(jid) => {
                self.lost_since.remove(&job.name);
                self.jobs.record_run(job, version, &jid, from.as_deref()).await?;
                let detail = match &restore {
                    Some(c) => format!("resubmitted version {version} as Flink job {jid} from its newest completed {} {}", c.kind, c.path),
                    None => format!("resubmitted version {version} as Flink job {jid} without state (it had no completed checkpoint or savepoint)"),
                };
                if reg.set(&job.name, &[JobState::Recovering], &[("state", JobState::Starting.as_str().into())]).await? {
                    reg.event(&job.name, "recovered", JobState::Starting, &detail).await?;
                } else if let Ok(jm) = self.jobs.jobmanager(job, "cancelled") {
                    // Stopped meanwhile: the new Flink job must not outlive the user's STOP.
                    let _ = jm.cancel(&jid).await;
                }
            }
            Err(e) => {
                reg.event(&job.name, "resubmission failed", JobState::Recovering, &e.to_string()).await?;
            }
        }
        Ok(())
    }

    /// Whether the JobManager's cached copy of FAILED Flink job `o`'s graph shows it FAILED too
    /// (its last failure is then in its exceptions); when it does, its restarts are counted from
    /// it once more. True as well after [`GRAPH_WAITS_BEFORE_RECOVERY`] ticks or when the
    /// JobManager cannot say: the recovery does not wait for ever.
    async fn graph_shows_failed(&mut self, job: &JobRecord, o: &JobOverview) -> Result<bool, crate::error::WeirError> {
        let Ok(jm) = self.jobs.jobmanager(job, "watched") else { return Ok(true) };
        let waited = self.flink_restarts.get(&o.jid).map_or(GRAPH_WAITS_BEFORE_RECOVERY, |c| c.graph_waits);
        let caught_up = match jm.cached_state(&o.jid).await {
            Ok(state) => state == o.state,
            Err(_) => true,
        };
        if !caught_up && waited < GRAPH_WAITS_BEFORE_RECOVERY {
            if let Some(c) = self.flink_restarts.get_mut(&o.jid) {
                c.graph_waits += 1;
            }
            return Ok(false);
        }
        if caught_up {
            self.record_restarts(job, o, &jm).await?;
        }
        Ok(true)
    }

    /// Records Flink's own restarts of the job's Flink job `o` (as its JobManager counts them)
    /// that are not recorded yet. Asked only when the JobManager shows the Flink job changed —
    /// its state, or a task's (`last-modification`: a restart fails and deploys tasks) — and for
    /// a few seconds after, so a thousand quiet jobs cost nothing.
    async fn count_restarts(&mut self, job: &JobRecord, o: &JobOverview) -> Result<(), crate::error::WeirError> {
        let reg = &self.jobs.registry;
        let now = Instant::now();
        let counted = match self.flink_restarts.entry(o.jid.clone()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                // First seen by this daemon: what an earlier one recorded (a Weir restart).
                let restarts = reg.restarts_recorded(&job.name, &o.jid).await?;
                v.insert(Counted { restarts, last_modification: o.last_modification, look_until: now, failed_asks: 0, graph_waits: 0 })
            }
        };
        if counted.last_modification != o.last_modification || job.flink_state.as_deref() != Some(o.state.as_str()) {
            counted.last_modification = o.last_modification;
            counted.look_until = now + RESTART_LOOK;
        }
        // (An ask that failed is repeated whatever the window: see the FAILED arm of `watch`.)
        if (now > counted.look_until && counted.failed_asks == 0) || RESTARTS_UNCOUNTED.contains(&o.state.as_str()) {
            return Ok(());
        }
        let Ok(jm) = self.jobs.jobmanager(job, "watched") else { return Ok(()) };
        self.record_restarts(job, o, &jm).await
    }

    /// Asks the JobManager how many times it restarted Flink job `o` and records those not
    /// recorded yet.
    async fn record_restarts(&mut self, job: &JobRecord, o: &JobOverview, jm: &weir_drivers::flink::JobManagerClient) -> Result<(), crate::error::WeirError> {
        let asked = jm.restarts(&o.jid).await;
        let Some(counted) = self.flink_restarts.get_mut(&o.jid) else { return Ok(()) };
        let restarts = match asked {
            Ok(n) => n,
            Err(e) => {
                tracing::debug!(job = %job.name, error = %e, "job daemon: counting Flink's restarts");
                counted.failed_asks += 1;
                return Ok(());
            }
        };
        counted.failed_asks = 0;
        if restarts > counted.restarts {
            self.jobs.registry.restarted(&job.name, &o.jid, restarts - counted.restarts, job.state).await?;
            counted.restarts = restarts;
        }
        Ok(())
    }

    /// A savepoint every `weir.savepoint.interval` while the job runs.
    async fn periodic_savepoint(&mut self, job: &JobRecord) {
        let Ok(Settings { savepoint_interval: Some(every), .. }) = Settings::parse(&job.name, &job.settings) else { return };
        let last = *self.last_periodic.entry(job.name.clone()).or_insert_with(Instant::now);
        if last.elapsed() < every {
            return;
        }
        self.last_periodic.insert(job.name.clone(), Instant::now());
        let jobs = self.jobs.clone();
        let job = job.clone();
        tokio::spawn(async move {
            let (Ok(jm), Some(jid)) = (jobs.jobmanager(&job, "savepointed"), job.flink_job_id.clone()) else { return };
            let dir = format!("file://{}", jobs.savepoint_dir(&job.name).display());
            match jm.savepoint(&jid, &dir, Duration::from_secs(300)).await {
                Ok(path) => {
                    if let Err(e) = jobs.record_savepoint(&job, &path, "periodic").await {
                        warn!(job = %job.name, error = %e, "recording a periodic savepoint");
                    }
                }
                Err(e) => warn!(job = %job.name, error = %e, "periodic savepoint"),
            }
        });
    }
}
