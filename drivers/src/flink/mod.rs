//! A local Flink that Weir provisions and supervises.
//!
//! * [`provision()`] assembles a Flink home in Weir's cache from PyPI's `apache-flink-libraries`
//!   and Maven Central's `flink-sql-gateway` (or [`FlinkHome::from_existing`] uses a real
//!   distribution).
//! * [`LocalCluster`] runs a standalone session cluster (JobManager, TaskManager) and its SQL
//!   Gateway as detached JVMs without Flink's shell scripts, with pidfiles so that a restarted Weir
//!   adopts them, and a supervisor that restarts a process that died. It starts only on free
//!   ports ([`LocalCluster::port_conflicts`] names who holds one) and is used only while the
//!   processes on its ports are its own ([`LocalCluster::check_owned`]).
//! * What differs between Flink 1.x and 2.x is decided by [`FlinkMajor`].

mod cluster;
mod conf;
mod connectors;
mod error;
mod http;
mod jobmanager;
mod ports;
mod process;
mod provision;
mod result_sink;
mod role;
mod sockdiag;
mod spec;
mod version;

pub use cluster::{
    ClusterOverview, ClusterStatus, GATEWAY_HEAP, JobSummary, LocalCluster, stop_all_in,
};
pub use connectors::{
    Artifact, Connector, ConnectorJar, artifacts, available, check_available, connectors_dir,
    provision_connectors,
};
pub use conf::{
    DEFAULT_SESSION_IDLE_TIMEOUT, FLINK_HEARTBEAT_TIMEOUT_MS, HEARTBEAT_TIMEOUT_MS,
    PROMETHEUS_REPORTER_FACTORY,
};
pub use error::FlinkError;
pub use jobmanager::{CompletedCheckpoint, JobManagerClient, JobOverview, TaskCounts, Vertex, VertexMetric, root_cause_of};
pub use ports::{PortConflict, PortHolder, PortUse, describe_conflicts};
pub use provision::{COMPLETE_MARKER, FlinkHome, default_cache_root, provision};
pub use result_sink::{RESULT_SINK_CONNECTOR, build_result_sink};
pub use role::FlinkProcess;
pub use spec::{
    ClusterPorts, ClusterSpec, DEFAULT_JOBMANAGER_MEMORY, DEFAULT_TASK_SLOTS,
    DEFAULT_TASKMANAGER_MEMORY, PROMETHEUS_PORT_KEY, PrometheusPorts,
};
pub use version::{ConfigFormat, FlinkMajor};
