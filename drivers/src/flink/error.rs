//! The error type of the local Flink module.

use std::path::PathBuf;
use std::time::Duration;

use super::ports::{PortConflict, describe_conflicts};
use super::role::FlinkProcess;

/// Everything that can go wrong while provisioning, starting, supervising or stopping a local
/// Flink.
#[derive(Debug, thiserror::Error)]
pub enum FlinkError {
    /// The version string is empty, malformed or of a major line Weir does not know.
    #[error("unsupported Flink version {0:?} (expected e.g. 1.20.3 or 2.2.0)")]
    UnsupportedVersion(String),

    /// A directory that should be a Flink home is not one.
    #[error("{path} is not a usable Flink home: {reason}")]
    NotAFlinkHome {
        /// The directory.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },

    /// An external program (python3, mvn, tar, unzip, java) could not be started.
    #[error("could not run {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why it did not start (`NotFound` when it is not installed).
        source: std::io::Error,
    },

    /// An external program ran and failed.
    #[error("{program} failed ({status}):\n{output}")]
    CommandFailed {
        /// The program with its first arguments.
        program: String,
        /// Its exit status.
        status: String,
        /// The last lines it printed.
        output: String,
    },

    /// A file-system or OS operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },

    /// The downloaded archive does not have the layout of `apache-flink-libraries`.
    #[error("{archive} does not contain the Flink jars (no lib/flink-dist-*.jar): {detail}")]
    ArchiveLayout {
        /// The archive.
        archive: PathBuf,
        /// What was found instead.
        detail: String,
    },

    /// A cluster asks for connectors that do not exist for its Flink version.
    #[error("no {connectors} connector for Flink {flink_version} (there: {available})")]
    UnknownConnector {
        /// The Flink version.
        flink_version: String,
        /// The connectors asked for that do not exist, comma-separated.
        connectors: String,
        /// The connectors that exist for the version.
        available: String,
    },

    /// A downloaded jar is not the one pinned.
    #[error("checksum mismatch for {artifact}: expected sha256 {expected}, got {actual} (the download was discarded)")]
    ChecksumMismatch {
        /// `group:artifact:version`.
        artifact: String,
        /// The pinned SHA-256.
        expected: String,
        /// The downloaded file's.
        actual: String,
    },

    /// The cluster specification is inconsistent.
    #[error("invalid Flink cluster spec: {0}")]
    InvalidSpec(String),

    /// Ports the cluster needs are held by processes that are not part of it.
    #[error(
        "Flink cluster {cluster} cannot use its ports: {}",
        describe_conflicts(conflicts)
    )]
    PortsInUse {
        /// The cluster name.
        cluster: String,
        /// Each port taken, with what is known of its holder.
        conflicts: Vec<PortConflict>,
    },

    /// A process of the cluster that Weir talks to is not running (the supervisor restarts it).
    #[error("the {process} of Flink cluster {cluster} is not running")]
    NotRunning {
        /// The cluster name.
        cluster: String,
        /// The process.
        process: FlinkProcess,
    },

    /// Live processes of the cluster run with a configuration other than the one requested.
    #[error(
        "Flink cluster {cluster} is running with a different configuration; stop it first \
         (`weir flink stop`)"
    )]
    ConfigChanged {
        /// The cluster name.
        cluster: String,
    },

    /// `BashJavaUtils` did not print the memory settings of a JobManager or TaskManager.
    #[error("could not compute the {process} memory settings: {detail}")]
    ResourceParams {
        /// The process whose settings were asked for.
        process: FlinkProcess,
        /// What went wrong.
        detail: String,
    },

    /// A Flink process exited while the cluster was starting.
    #[error("{process} of Flink cluster {cluster} exited ({status}); last log lines:\n{log_tail}")]
    ProcessExited {
        /// The cluster name.
        cluster: String,
        /// The process.
        process: FlinkProcess,
        /// Its exit status, as far as it is known.
        status: String,
        /// The last lines of its logs.
        log_tail: String,
    },

    /// The cluster did not become ready in time.
    #[error("Flink cluster {cluster} not ready after {waited:?}: {detail}")]
    NotReady {
        /// The cluster name.
        cluster: String,
        /// How long was waited.
        waited: Duration,
        /// What was still missing.
        detail: String,
    },

    /// The cluster has been stopped.
    #[error("Flink cluster {0} has been stopped")]
    Stopped(String),

    /// An HTTP request to the JobManager or the SQL Gateway failed.
    #[error("request to {url} failed: {source}")]
    Http {
        /// The URL.
        url: String,
        /// The underlying error.
        source: reqwest::Error,
    },

    /// The JobManager does not know the job (HTTP 404 on `/jobs/:id...`).
    #[error("the JobManager at {endpoint} does not know job {job}")]
    UnknownJob {
        /// The JobManager's REST base URL.
        endpoint: String,
        /// The job id.
        job: String,
    },

    /// The REST API answered with an error status; `message` is Flink's own text.
    #[error("{url} answered {status}: {message}")]
    Rest {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Flink's `errors`, joined.
        message: String,
    },

    /// The HTTP client could not be built.
    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),
}

impl FlinkError {
    /// An [`FlinkError::Io`] with its context.
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| Self::Io { context, source }
    }
}
