//! Managed jobs: Weir owns the Flink jobs it starts for `CREATE JOB` — their versions, runs,
//! savepoints and events live in the store ([`registry`]), the statements' lifecycle
//! ([`lifecycle`]) submits and stops them through the clusters' SQL Gateways and JobManagers, and
//! the daemon ([`daemon`]) keeps what Weir shows in step with each JobManager and resubmits a job
//! that failed or was lost from its newest completed checkpoint or savepoint of the same version
//! ([`restore`]).
//!
//! States: `CREATED` (recorded, never started), `STARTING` (submitted, Flink not yet running it),
//! `RUNNING`, `RECOVERING` (lost or failed; Weir is resubmitting it), `STOPPING`, `STOPPED`
//! (stopped through Weir), `FINISHED` (a bounded job ended), `FAILED` (Weir's attempts are spent),
//! `CANCELED` (cancelled outside Weir; not restarted).

pub mod daemon;
pub mod lifecycle;
pub mod registry;
pub mod restore;
pub(crate) mod settings;
pub mod submit;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use lifecycle::{Created, Snapshot};
pub use registry::{EventRecord, JobRecord, Registry, RunRecord, SavepointRecord, VersionRecord};
pub use settings::Settings;

use crate::catalog::CatalogStore;
use crate::routing::Clusters;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    Created,
    Starting,
    Running,
    Recovering,
    Stopping,
    Stopped,
    Finished,
    Failed,
    Canceled,
}

impl JobState {
    pub const ALL: [JobState; 9] = [
        JobState::Created,
        JobState::Starting,
        JobState::Running,
        JobState::Recovering,
        JobState::Stopping,
        JobState::Stopped,
        JobState::Finished,
        JobState::Failed,
        JobState::Canceled,
    ];

    /// States a job can be started from.
    pub const STARTABLE: &[JobState] = &[JobState::Created, JobState::Stopped, JobState::Finished, JobState::Failed, JobState::Canceled];
    /// States in which a Flink job of it runs or is about to.
    pub const ACTIVE: &[JobState] = &[JobState::Starting, JobState::Running, JobState::Recovering];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Created => "CREATED",
            JobState::Starting => "STARTING",
            JobState::Running => "RUNNING",
            JobState::Recovering => "RECOVERING",
            JobState::Stopping => "STOPPING",
            JobState::Stopped => "STOPPED",
            JobState::Finished => "FINISHED",
            JobState::Failed => "FAILED",
            JobState::Canceled => "CANCELED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl std::fmt::Display for JobState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What can go wrong with a managed job, in the job's terms (mapped to MySQL codes in
/// `crate::error`).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("Job '{0}' already exists")]
    Exists(String),
    #[error("JOB {0} does not exist")]
    Unknown(String),
    #[error("JOB {job} has no VERSION {version}")]
    UnknownVersion { job: String, version: u32 },
    /// The job's state does not allow the statement.
    #[error("Cannot {action} job '{job}': it is {state}{hint}")]
    State { action: &'static str, job: String, state: JobState, hint: &'static str },
    #[error("Can't find savepoint '{0}': no completed savepoint or checkpoint is there")]
    NoSavepoint(String),
    #[error("Incorrect option for job '{job}': {message}")]
    Option { job: String, message: String },
    #[error("A job cannot use TEMPORARY objects (they die with the session that created them): {0}")]
    Temporary(String),
    #[error("Flink cluster '{cluster}' has no JobManager REST address Weir knows ('jobmanager' in its config): job '{job}' cannot be {action} there")]
    NoJobManager { cluster: String, job: String, action: &'static str },
    #[error("Flink's JobManager of cluster '{cluster}' refused to {action} job '{job}': {message}")]
    Flink { cluster: String, job: String, action: &'static str, message: String },
    #[error("Weir's job registry failed: {0}")]
    Store(String),
}

/// The managed jobs of this Weir: the registry, and what starting and recovering them needs.
pub struct Jobs {
    pub registry: Registry,
    pub(crate) store: Arc<CatalogStore>,
    pub(crate) clusters: Arc<Clusters>,
    /// Where checkpoints and savepoints go: `<data_dir>/jobs/<name>/...`.
    pub(crate) data_dir: PathBuf,
    pub(crate) cluster_wait: Duration,
}

impl Jobs {
    pub fn new(store: Arc<CatalogStore>, clusters: Arc<Clusters>, data_dir: PathBuf, cluster_wait: Duration) -> Arc<Self> {
        Arc::new(Self { registry: Registry::new(store.backend()), store, clusters, data_dir, cluster_wait })
    }

    /// The directory of a job's checkpoints (one subdirectory per Flink job id).
    pub fn checkpoint_dir(&self, job: &str) -> PathBuf {
        self.data_dir.join("jobs").join(file_name(job)).join("checkpoints")
    }

    pub fn savepoint_dir(&self, job: &str) -> PathBuf {
        self.data_dir.join("jobs").join(file_name(job)).join("savepoints")
    }
}

/// A job name as a directory name: letters, digits, `_` and `-` kept, anything else hex-escaped.
fn file_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02x}"));
            }
        }
    }
    out
}

/// The Flink job name of a managed job's version: how the daemon recognizes its jobs on a
/// JobManager (after a Weir crash between a submission and its record).
pub fn pipeline_name(job: &str, version: u32) -> String {
    format!("weir-job:{job}:v{version}")
}

/// The managed job a Flink job name ([`pipeline_name`]) belongs to.
pub fn managed_job_of(pipeline: &str) -> Option<&str> {
    let rest = pipeline.strip_prefix("weir-job:")?;
    let (job, version) = rest.rsplit_once(":v")?;
    version.parse::<u32>().ok().map(|_| job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flink_job_name_names_its_managed_job() {
        assert_eq!(managed_job_of(&pipeline_name("acme.etl", 3)), Some("acme.etl"));
        assert_eq!(managed_job_of("weir-job:a:vx"), None);
        assert_eq!(managed_job_of("insert-into_default_catalog.default_database.t"), None);
    }

    #[test]
    fn states_read_back() {
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn job_names_are_safe_directory_names() {
        assert_eq!(file_name("copy_1-x"), "copy_1-x");
        assert_eq!(file_name("../a b"), "%2e%2e%2fa%20b");
    }
}
