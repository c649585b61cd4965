//! The managed-job statements: what each does to the registry and to Flink. Every transition is
//! a compare-and-set on the job's state in the store (two concurrent `START JOB` of one job: one
//! wins, the other is told the job's state), and nothing is recorded half-way: a statement Flink
//! refuses leaves the job as it was.

use std::collections::BTreeMap;
use std::time::Duration;

use tracing::{info, warn};
use weir_drivers::flink::FlinkError;

use super::registry::{JobRecord, RunRecord, SavepointRecord, Val, VersionRecord};
use super::settings::{self, Settings};
use super::{JobError, JobState, Jobs, restore};
use crate::catalog::Scope;
use crate::catalog::store::now_ms;
use crate::error::WeirError;
use crate::statement::StartFrom;

/// How long a savepoint (or a stop with one) may take before the statement gives up.
const SAVEPOINT_WAIT: Duration = Duration::from_secs(300);

/// How long `SAVEPOINT JOB` waits for a just-started job's tasks to run.
const TASKS_RUNNING_WAIT: Duration = Duration::from_secs(30);

/// Flink's refusal of a savepoint because some task of the job is not running yet.
fn tasks_not_running(message: &str) -> bool {
    message.contains("Not all required tasks are currently running") || message.contains("is not being executed at the moment")
}

/// What `CREATE JOB` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Created,
    /// `IF NOT EXISTS` and the job was there.
    AlreadyExisted,
}

/// A `CREATE JOB` statement, with the creating session's context.
pub struct CreateJob<'a> {
    pub name: &'a str,
    pub if_not_exists: bool,
    pub comment: Option<&'a str>,
    pub options: &'a [(String, String)],
    pub body: &'a str,
    pub scope: Scope,
    /// The jars the creating session added.
    pub jars: &'a [String],
    pub user: &'a str,
    /// The creating session's cluster (a job runs there unless `weir.cluster` says otherwise).
    pub session_cluster: &'a str,
}

/// What a started job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub version: u32,
    pub flink_job_id: String,
    pub restored_from: Option<String>,
}

/// Everything recorded, for information_schema.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub jobs: Vec<JobRecord>,
    pub versions: Vec<VersionRecord>,
    pub runs: Vec<RunRecord>,
    pub events: Vec<super::EventRecord>,
    pub savepoints: Vec<SavepointRecord>,
}

fn state_error(action: &'static str, job: &JobRecord) -> WeirError {
    let hint = match job.state {
        JobState::Starting | JobState::Running | JobState::Recovering => " (STOP JOB it first)",
        JobState::Stopping => " (its stop is under way)",
        _ => "",
    };
    JobError::State { action, job: job.name.clone(), state: job.state, hint }.into()
}

impl Jobs {
    pub async fn create(&self, c: CreateJob<'_>) -> Result<Created, WeirError> {
        let (weir, flink) = settings::split(c.options);
        let parsed = Settings::parse(c.name, &weir)?;
        let cluster_name = parsed.cluster.clone().unwrap_or_else(|| c.session_cluster.to_string());
        let cluster = self.cluster(&cluster_name)?;
        if self.registry.get(c.name).await?.is_some() {
            return if c.if_not_exists { Ok(Created::AlreadyExisted) } else { Err(JobError::Exists(c.name.to_string()).into()) };
        }
        self.validate(&cluster, c.name, c.body, &flink, &c.scope, c.jars).await?;
        let now = now_ms();
        let job = JobRecord::created(c.name, &cluster_name, c.comment.unwrap_or(""), weir, c.user, now);
        let first = VersionRecord {
            job: c.name.to_string(),
            version: 1,
            body: c.body.to_string(),
            options: flink,
            jars: c.jars.to_vec(),
            catalog: c.scope.catalog.clone(),
            database: c.scope.database.clone(),
            created_by: c.user.to_string(),
            created_at: now,
        };
        match self.registry.create(&job, &first).await {
            Ok(()) => {}
            Err(JobError::Exists(_)) if c.if_not_exists => return Ok(Created::AlreadyExisted),
            Err(e) => return Err(e.into()),
        }
        self.registry.event(c.name, "created", JobState::Created, "version 1").await?;
        info!(job = c.name, "managed job created");
        Ok(Created::Created)
    }

    /// `START JOB`: answers once Flink accepted the job (the daemon sees it run).
    pub async fn start(&self, name: &str, from: &StartFrom) -> Result<Started, WeirError> {
        let job = self.registry.job(name).await?;
        if !JobState::STARTABLE.contains(&job.state) {
            return Err(state_error("start", &job));
        }
        let version = self.registry.version(name, job.version).await?.ok_or(JobError::UnknownVersion { job: name.to_string(), version: job.version })?;
        let restore = match from {
            StartFrom::Savepoint(path) => {
                if !restore::is_complete(path) {
                    return Err(JobError::NoSavepoint(path.clone()).into());
                }
                Some(path.clone())
            }
            StartFrom::WithoutState => None,
            StartFrom::LatestState => self.newest_state(name, job.version).await?.map(|c| c.path),
        };
        let claimed = self
            .registry
            .set(
                name,
                JobState::STARTABLE,
                &[
                    ("state", JobState::Starting.as_str().into()),
                    ("desired", "running".into()),
                    ("reason", "".into()),
                    // The previous run's job id goes: the daemon must not read its end as this start's.
                    ("flink_job_id", Val::Null),
                    ("flink_state", Val::Null),
                ],
            )
            .await?;
        if !claimed {
            let now = self.registry.job(name).await?;
            return Err(state_error("start", &now));
        }
        match self.submit(&job, &version, restore.as_deref()).await {
            Ok(jid) => {
                self.record_run(&job, version.version, &jid, restore.as_deref()).await?;
                // A STOP that came while the job was being submitted found no Flink job to
                // cancel (see `stop`, which reads the job again once it holds it): this start
                // cancels what it submitted rather than leave it running under a stopped job.
                let now = self.registry.job(name).await?;
                if now.state != JobState::Starting {
                    let cancelled = match self.jobmanager(&job, "stopped") {
                        Ok(jm) => jm.cancel(&jid).await.map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    self.registry.end_run(name, &jid, "STOPPED", None).await?;
                    let detail = match &cancelled {
                        Ok(()) => format!("stopped while it was being started: Flink job {jid} cancelled"),
                        Err(e) => format!("stopped while it was being started: Flink job {jid} could not be cancelled: {e}"),
                    };
                    warn!(job = name, flink_job = %jid, "{detail}");
                    self.registry.event(name, "start abandoned", now.state, &detail).await?;
                    return Err(state_error("start", &now));
                }
                let detail = match &restore {
                    Some(p) => format!("version {} as Flink job {jid}, restored from {p}", version.version),
                    None => format!("version {} as Flink job {jid}, without state", version.version),
                };
                self.registry.event(name, "started", JobState::Starting, &detail).await?;
                Ok(Started { version: version.version, flink_job_id: jid, restored_from: restore })
            }
            Err(e) => {
                let reason = e.to_string();
                self.registry
                    .set(name, &[JobState::Starting], &[("state", job.state.as_str().into()), ("desired", "stopped".into()), ("reason", reason.clone().into())])
                    .await?;
                self.registry.event(name, "start failed", job.state, &reason).await?;
                Err(e)
            }
        }
    }

    pub(crate) async fn record_run(&self, job: &JobRecord, version: u32, jid: &str, restored_from: Option<&str>) -> Result<(), WeirError> {
        let web_ui = self.cluster(&job.cluster).ok().and_then(|c| c.jobmanager().map(|jm| format!("{}/#/job/running/{jid}/overview", jm.endpoint()))).unwrap_or_default();
        let run = RunRecord {
            job: job.name.clone(),
            run: 0,
            version,
            cluster: job.cluster.clone(),
            flink_job_id: jid.to_string(),
            restored_from: restored_from.map(str::to_string),
            started_at: now_ms(),
            ended_at: None,
            end_state: None,
            root_cause: None,
            web_ui,
        };
        self.registry.add_run(&run).await?;
        Ok(())
    }

    /// The newest completed checkpoint or savepoint of `version` of the job.
    pub(crate) async fn newest_state(&self, name: &str, version: u32) -> Result<Option<restore::Candidate>, WeirError> {
        let savepoints = self.registry.savepoints(Some(name)).await?;
        let runs = self.registry.runs(Some(name)).await?;
        Ok(restore::newest(version, &savepoints, &runs, &self.checkpoint_dir(name)))
    }

    /// `STOP JOB`: with a savepoint unless told otherwise; returns the savepoint's path.
    pub async fn stop(&self, name: &str, savepoint: bool, drain: bool) -> Result<Option<String>, WeirError> {
        self.stop_because(name, savepoint, drain, "").await
    }

    /// A stop Weir decides itself: the job is recorded STOPPED with `reason` in the same write,
    /// so nobody reading it ever sees it stopped without the reason.
    pub async fn stop_because(&self, name: &str, savepoint: bool, drain: bool, reason: &str) -> Result<Option<String>, WeirError> {
        let job = self.registry.job(name).await?;
        if !JobState::ACTIVE.contains(&job.state) {
            return Err(state_error("stop", &job));
        }
        let jm = self.jobmanager(&job, "stopped")?;
        if !self.registry.set(name, JobState::ACTIVE, &[("state", JobState::Stopping.as_str().into()), ("desired", "stopped".into())]).await? {
            let now = self.registry.job(name).await?;
            return Err(state_error("stop", &now));
        }
        // Its Flink job as recorded now that the stop holds it: a start finishing meanwhile has
        // recorded its job before checking for a stop (see `start`).
        let held = self.registry.job(name).await?;
        let Some(jid) = held.flink_job_id.clone() else {
            self.registry.set(name, &[JobState::Stopping], &[("state", JobState::Stopped.as_str().into()), ("reason", reason.into())]).await?;
            self.registry.event(name, "stopped", JobState::Stopped, "it had no Flink job").await?;
            return Ok(None);
        };
        let dir = format!("file://{}", self.savepoint_dir(name).display());
        let outcome = if savepoint { jm.stop_with_savepoint(&jid, &dir, drain, SAVEPOINT_WAIT).await.map(Some) } else { jm.cancel(&jid).await.map(|()| None) };
        match outcome {
            Ok(path) => {
                if let Some(p) = &path {
                    self.record_savepoint(&job, p, "stop").await?;
                }
                self.registry.end_run(name, &jid, "STOPPED", None).await?;
                self.registry.set(name, &[JobState::Stopping], &[("state", JobState::Stopped.as_str().into()), ("reason", reason.into())]).await?;
                let detail = match &path {
                    Some(p) => format!("with savepoint {p}"),
                    None => "without a savepoint".to_string(),
                };
                self.registry.event(name, "stopped", JobState::Stopped, &detail).await?;
                Ok(path)
            }
            Err(FlinkError::UnknownJob { .. }) => {
                // The JobManager no longer has it (lost with a restart): it is stopped.
                self.registry.end_run(name, &jid, "LOST", None).await?;
                self.registry.set(name, &[JobState::Stopping], &[("state", JobState::Stopped.as_str().into()), ("reason", reason.into())]).await?;
                self.registry.event(name, "stopped", JobState::Stopped, &format!("Flink no longer had job {jid}; no savepoint was taken")).await?;
                Ok(None)
            }
            Err(e) => {
                let message = e.to_string();
                self.registry
                    .set(name, &[JobState::Stopping], &[("state", job.state.as_str().into()), ("desired", "running".into())])
                    .await?;
                self.registry.event(name, "stop failed", job.state, &message).await?;
                Err(JobError::Flink { cluster: job.cluster.clone(), job: name.to_string(), action: "stop", message }.into())
            }
        }
    }

    /// `SAVEPOINT JOB`: a savepoint of the running job now.
    pub async fn savepoint(&self, name: &str) -> Result<String, WeirError> {
        let job = self.registry.job(name).await?;
        let (JobState::Running, Some(jid)) = (job.state, job.flink_job_id.clone()) else {
            return Err(state_error("take a savepoint of", &job));
        };
        let jm = self.jobmanager(&job, "savepointed")?;
        let dir = format!("file://{}", self.savepoint_dir(name).display());
        // A job Flink calls RUNNING may still be deploying its tasks: a savepoint is refused
        // until they all run, so the statement waits for that (up to TASKS_RUNNING_WAIT).
        let deadline = tokio::time::Instant::now() + TASKS_RUNNING_WAIT;
        let path = loop {
            match jm.savepoint(&jid, &dir, SAVEPOINT_WAIT).await {
                Ok(path) => break path,
                Err(e) if tasks_not_running(&e.to_string()) && tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => {
                    return Err(JobError::Flink { cluster: job.cluster.clone(), job: name.to_string(), action: "take a savepoint of", message: e.to_string() }.into());
                }
            }
        };
        self.record_savepoint(&job, &path, "manual").await?;
        Ok(path)
    }

    /// Records a completed savepoint of the job's running version and disposes of those past
    /// the job's retention.
    pub(crate) async fn record_savepoint(&self, job: &JobRecord, path: &str, trigger: &str) -> Result<(), WeirError> {
        let now = now_ms();
        let version = job.running_version.unwrap_or(job.version);
        self.registry
            .add_savepoint(&SavepointRecord {
                id: 0,
                job: job.name.clone(),
                version,
                path: path.to_string(),
                kind: "savepoint".into(),
                trigger: trigger.into(),
                completed_at: Some(now),
                disposed_at: None,
                created_at: now,
            })
            .await?;
        self.registry.event(&job.name, "savepoint", job.state, &format!("{trigger}: {path}")).await?;
        let retain = Settings::parse(&job.name, &job.settings).map(|s| s.savepoint_retain).unwrap_or(3) as usize;
        let mut kept: Vec<SavepointRecord> = self
            .registry
            .savepoints(Some(&job.name))
            .await?
            .into_iter()
            .filter(|s| s.kind == "savepoint" && s.disposed_at.is_none() && s.completed_at.is_some())
            .collect();
        kept.sort_by_key(|s| std::cmp::Reverse((s.completed_at, s.id)));
        for old in kept.into_iter().skip(retain) {
            let dir = restore::local_path(&old.path);
            if let Err(e) = std::fs::remove_dir_all(&dir)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                warn!(job = %job.name, path = %old.path, error = %e, "disposing of a savepoint");
                continue;
            }
            self.registry.dispose_savepoint(old.id).await?;
        }
        Ok(())
    }

    /// `ALTER JOB name AS ...`: a new version (checked by Flink first); a running job keeps its
    /// version until it is restarted.
    pub async fn alter_body(&self, name: &str, body: &str, scope: Scope, jars: &[String], user: &str) -> Result<u32, WeirError> {
        let job = self.registry.job(name).await?;
        let current = self.registry.version(name, job.version).await?.ok_or(JobError::UnknownVersion { job: name.to_string(), version: job.version })?;
        let cluster = self.cluster(&job.cluster)?;
        self.validate(&cluster, name, body, &current.options, &scope, jars).await?;
        let v = VersionRecord {
            body: body.to_string(),
            catalog: scope.catalog,
            database: scope.database,
            jars: jars.to_vec(),
            created_by: user.to_string(),
            created_at: now_ms(),
            ..current
        };
        let n = self.registry.add_version(v).await?;
        self.registry.event(name, "altered", job.state, &format!("version {n}: a new statement")).await?;
        Ok(n)
    }

    /// `ALTER JOB name SET (...)`: Weir's keys change in place; Flink's make a new version.
    pub async fn alter_options(&self, name: &str, options: &[(String, String)], user: &str) -> Result<Option<u32>, WeirError> {
        let job = self.registry.job(name).await?;
        let (weir, flink) = settings::split(options);
        let mut merged = job.settings.clone();
        merged.extend(weir);
        let parsed = Settings::parse(name, &merged)?;
        if let Some(c) = &parsed.cluster
            && *c != job.cluster
        {
            self.cluster(c)?;
            if !JobState::STARTABLE.contains(&job.state) {
                return Err(state_error("move", &job));
            }
            self.registry.set(name, JobState::STARTABLE, &[("cluster", Val::Str(c.clone()))]).await?;
        }
        self.registry.set_settings(name, &merged).await?;
        if flink.is_empty() {
            self.registry.event(name, "altered", job.state, "Weir's options").await?;
            return Ok(None);
        }
        let current = self.registry.version(name, job.version).await?.ok_or(JobError::UnknownVersion { job: name.to_string(), version: job.version })?;
        let mut opts: BTreeMap<String, String> = current.options.clone();
        opts.extend(flink);
        let cluster = self.cluster(parsed.cluster.as_deref().unwrap_or(&job.cluster))?;
        let scope = Scope { catalog: current.catalog.clone(), database: current.database.clone() };
        self.validate(&cluster, name, &current.body, &opts, &scope, &current.jars).await?;
        let n = self.registry.add_version(VersionRecord { options: opts, created_by: user.to_string(), created_at: now_ms(), ..current }).await?;
        self.registry.event(name, "altered", job.state, &format!("version {n}: Flink options")).await?;
        Ok(Some(n))
    }

    /// `ROLLBACK JOB name TO VERSION n`: version n's definition becomes a new version.
    pub async fn rollback(&self, name: &str, to: u32, user: &str) -> Result<u32, WeirError> {
        let job = self.registry.job(name).await?;
        let old = self.registry.version(name, to).await?.ok_or(JobError::UnknownVersion { job: name.to_string(), version: to })?;
        let n = self.registry.add_version(VersionRecord { created_by: user.to_string(), created_at: now_ms(), ..old }).await?;
        self.registry.event(name, "rolled back", job.state, &format!("version {n}: the definition of version {to}")).await?;
        Ok(n)
    }

    /// Records that Flink job `jid` of `job` ended on its own (`FINISHED`: its input ended) or
    /// was cancelled outside Weir (`CANCELED`), as the job daemon does when it sees it; for any
    /// other Flink state, nothing. The daemon, a schedule that saw the end first, and `DROP JOB`
    /// all record it here, once (the state moves only from an active one).
    pub async fn record_flink_end(&self, job: &JobRecord, jid: &str, flink_state: &str) -> Result<(), WeirError> {
        let (state, reason, event) = match flink_state {
            "FINISHED" => (JobState::Finished, "", "its input ended"),
            "CANCELED" => (JobState::Canceled, "cancelled outside Weir (not restarted)", "cancelled outside Weir (not restarted)"),
            _ => return Ok(()),
        };
        let reg = &self.registry;
        reg.end_run(&job.name, jid, flink_state, None).await?;
        let mut changes = vec![("state", state.as_str().into()), ("desired", "stopped".into())];
        if !reason.is_empty() {
            changes.push(("reason", reason.into()));
        }
        if reg.set(&job.name, JobState::ACTIVE, &changes).await? {
            reg.event(&job.name, &flink_state.to_ascii_lowercase(), state, event).await?;
        }
        Ok(())
    }

    /// What Flink says of an active job's current Flink job, when its JobManager answers.
    async fn flink_state_of(&self, job: &JobRecord) -> Option<(String, String)> {
        let jid = job.flink_job_id.as_deref()?;
        let jm = self.jobmanager(job, "watched").ok()?;
        let list = jm.jobs().await.ok()?;
        list.into_iter().find(|o| o.jid == jid).map(|o| (o.jid, o.state))
    }

    /// `DROP JOB`: refused while it runs; false when it did not exist (`IF EXISTS`). A job the
    /// registry still shows active whose Flink job has ended (the daemon records that on its
    /// next tick) is recorded as ended first, and dropped.
    pub async fn drop_job(&self, name: &str, if_exists: bool) -> Result<bool, WeirError> {
        let Some(mut job) = self.registry.get(name).await? else {
            return if if_exists { Ok(false) } else { Err(JobError::Unknown(name.to_string()).into()) };
        };
        if JobState::ACTIVE.contains(&job.state)
            && let Some((jid, flink_state)) = self.flink_state_of(&job).await
        {
            self.record_flink_end(&job, &jid, &flink_state).await?;
            job = self.registry.get(name).await?.unwrap_or(job);
        }
        let idle = JobState::STARTABLE;
        if !idle.contains(&job.state) || !self.registry.delete(name, idle).await? {
            let now = self.registry.get(name).await?.unwrap_or(job);
            return Err(state_error("drop", &now));
        }
        info!(job = name, "managed job dropped");
        Ok(true)
    }

    /// `SHOW CREATE JOB`: the version's statement as a `CREATE JOB`.
    pub async fn show_create(&self, name: &str, version: Option<u32>) -> Result<(u32, String), WeirError> {
        let job = self.registry.job(name).await?;
        let n = version.unwrap_or(job.version);
        let v = self.registry.version(name, n).await?.ok_or(JobError::UnknownVersion { job: name.to_string(), version: n })?;
        let mut options: Vec<(String, String)> = job.settings.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        options.extend(v.options.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut text = format!("CREATE JOB {}", crate::catalog::quote(name));
        if !job.comment.is_empty() {
            text.push_str(&format!(" COMMENT {}", weir_dialects::literal::quote(&job.comment)));
        }
        if !options.is_empty() {
            let list: Vec<String> = options.iter().map(|(k, v)| format!("{} = {}", weir_dialects::literal::quote(k), weir_dialects::literal::quote(v))).collect();
            text.push_str(&format!(" WITH ({})", list.join(", ")));
        }
        text.push_str(" AS ");
        text.push_str(&v.body);
        Ok((n, text))
    }

    pub async fn snapshot(&self) -> Result<Snapshot, WeirError> {
        Ok(Snapshot {
            jobs: self.registry.all().await?,
            versions: self.registry.versions(None).await?,
            runs: self.registry.runs(None).await?,
            events: self.registry.events(None).await?,
            savepoints: self.registry.savepoints(None).await?,
        })
    }
}
