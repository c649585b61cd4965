//! Schedules: groups of batch managed jobs run in the order their data asks for. The DAG comes
//! from lineage (a job that reads what another writes runs after it, through views); a run
//! starts ready jobs shortest-dependent-job-first within `PARALLELISM` and the cluster's free
//! task slots, applies the failure policy, retries and timeouts; every transition is persisted
//! so a run resumes after a crash without running anything twice.
//!
//! * [`plan`]: the DAG, SDJF, what a run does next, the cron clock (pure).
//! * [`registry`]: schedules, runs and tasks in the store.
//! * [`service`]: the statements.
//! * [`daemon`]: fires CRON and AFTER schedules and drives runs, under the store's lease.

pub mod daemon;
pub mod plan;
pub mod registry;
pub mod service;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::jobs::Jobs;
use crate::lineage_store::LineageStore;
use crate::statement::{Members, ScheduleOptions};

/// A run's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunState {
    Running,
    Succeeded,
    Failed,
    Stopped,
    Paused,
}

/// A task's (one job in one run) state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskState {
    Waiting,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

macro_rules! names {
    ($t:ty { $($v:ident => $s:literal),* }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}

names!(RunState { Running => "RUNNING", Succeeded => "SUCCEEDED", Failed => "FAILED", Stopped => "STOPPED", Paused => "PAUSED" });
names!(TaskState { Waiting => "WAITING", Running => "RUNNING", Succeeded => "SUCCEEDED", Failed => "FAILED", Skipped => "SKIPPED" });

impl RunState {
    /// States of a run that is not over.
    pub const ACTIVE: &[RunState] = &[RunState::Running, RunState::Paused];
}

/// A schedule as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub options: ScheduleOptions,
    pub members: Members,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub weights: BTreeMap<String, i64>,
}

/// What can go wrong with a schedule, in its terms (mapped to MySQL codes in `crate::error`).
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("Schedule '{0}' already exists")]
    Exists(String),
    #[error("SCHEDULE {0} does not exist")]
    Unknown(String),
    #[error("JOB {job} does not exist (schedule '{schedule}' names it)")]
    UnknownJob { schedule: String, job: String },
    #[error("Job '{job}' is a streaming job: a schedule runs batch jobs (CREATE JOB … WITH ('execution.runtime-mode' = 'batch'))")]
    Streaming { job: String },
    #[error("Schedule '{schedule}' has no jobs ({why})")]
    NoJobs { schedule: String, why: String },
    #[error("The jobs of schedule '{schedule}' depend on each other in a cycle: {cycle}")]
    Cycle { schedule: String, cycle: String },
    #[error("Incorrect CRON expression '{expression}' for schedule '{schedule}': {message}")]
    Cron { schedule: String, expression: String, message: String },
    #[error("Unknown or incorrect time zone: '{0}'")]
    TimeZone(String),
    #[error("Schedules depend on each other in a cycle: {0}")]
    ScheduleCycle(String),
    #[error("Cannot {action} schedule '{schedule}': {why}")]
    State { action: &'static str, schedule: String, why: String },
    #[error("Weir's schedule registry failed: {0}")]
    Store(String),
}

/// The schedules of this Weir.
pub struct Schedules {
    pub registry: registry::Registry,
    pub(crate) jobs: Arc<Jobs>,
    pub(crate) lineage: Arc<LineageStore>,
}

impl Schedules {
    pub fn new(jobs: Arc<Jobs>, lineage: Arc<LineageStore>) -> Arc<Self> {
        Arc::new(Self { registry: registry::Registry::new(jobs.store.backend()), jobs, lineage })
    }
}
