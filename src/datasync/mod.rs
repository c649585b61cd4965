//! Datasyncs: one statement that copies a MySQL/MariaDB database (or chosen tables) into another
//! store — a snapshot, then every change from the binlog, for as long as it runs.
//!
//! A datasync is a managed job ([`crate::jobs`]) of the same name, so stop, start, recovery,
//! savepoints and `WEIR_JOBS` apply to it unchanged. What this module adds:
//! - [`server`]: the source (and a JDBC sink's) MySQL server read through its own
//!   `information_schema` (exact types, keys) and probed for what CDC needs;
//! - [`plan`]: which tables, what they are called in the sink, their keys and `server-id`s, and the
//!   Flink SQL of the job (pure: no I/O);
//! - [`registry`]: the datasync's record in Weir's store;
//! - [`service`]: `CREATE`, `DROP` and the listings, in that order of checks: nothing is recorded or
//!   started until every check passed;
//! - [`progress`]: each table's phase and rows, from the job's JobManager.

pub mod evolve;
pub mod plan;
pub mod progress;
pub mod registry;
pub mod server;
pub mod service;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::jobs::Jobs;
pub use crate::statement::{SyncMode as Mode, TableFilter};
use registry::Registry;

/// The store a datasync writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SinkKind {
    /// A MySQL/MariaDB database behind a recorded JDBC catalog; Weir creates the tables.
    Jdbc,
    /// A Paimon catalog's database: primary-key tables created through Flink.
    Paimon,
}

/// One column of a synced table, as the source declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The source's `COLUMN_TYPE` (`bigint(20) unsigned`, `decimal(10,2)`, `enum('a','b')`).
    pub source_type: String,
    /// The Flink type both the job's source and sink declare.
    pub flink_type: String,
    pub nullable: bool,
    /// The source's `COLUMN_DEFAULT` as the server writes it (a column added with a default gives
    /// existing rows that value without a binlog event: the sink column gets the same default).
    #[serde(default)]
    pub default: Option<String>,
}

/// One table a datasync copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedTable {
    pub source: String,
    pub sink: String,
    /// Its primary key, or the key the statement declared (`'table.<name>.key'`).
    pub key: Vec<String>,
    pub columns: Vec<Column>,
    /// The `server-id` range its CDC source reads the binlog with (`first-last`).
    pub server_ids: String,
    /// Its rows when the datasync was created (how far its snapshot has to go).
    #[serde(default)]
    pub rows_at_creation: u64,
    /// The managed job that copies it: the datasync's own (empty), or the job of the tables
    /// picked up later (`<datasync>_<n>`), so the first job's graph — and its state — never change.
    #[serde(default)]
    pub job: String,
}

/// A recorded datasync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Datasync {
    pub name: String,
    /// The statement as written.
    pub statement: String,
    pub source_catalog: String,
    pub source_database: String,
    pub sink_catalog: String,
    pub sink_database: String,
    pub sink_kind: SinkKind,
    pub mode: Mode,
    pub filter: TableFilter,
    pub exclude: Vec<String>,
    pub options: Vec<(String, String)>,
    pub tables: Vec<SyncedTable>,
    /// The whole `server-id` range reserved for it (`first`, `last`).
    pub server_ids: (u32, u32),
    pub cluster: String,
    pub created_by: String,
    pub created_at: i64,
    /// Source tables that match but are not synced, with why (e.g. no primary key), so the
    /// watcher says so once.
    #[serde(default)]
    pub skipped: Vec<(String, String)>,
}

impl SyncedTable {
    /// Its column list for a `CREATE TABLE`: each column with the type `ty` gives it (NOT NULL
    /// where the source says so and for key columns), then the key with `key_suffix` (Flink's
    /// `NOT ENFORCED`); names back-quoted.
    pub fn column_list(&self, ty: fn(&Column) -> &str, key_suffix: &str) -> String {
        let q = |n: &str| format!("`{}`", n.replace('`', "``"));
        let mut parts: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{} {}{}", q(&c.name), ty(c), if c.nullable && !self.key.contains(&c.name) { "" } else { " NOT NULL" }))
            .collect();
        if !self.key.is_empty() {
            parts.push(format!("PRIMARY KEY ({}){key_suffix}", self.key.iter().map(|k| q(k)).collect::<Vec<_>>().join(", ")));
        }
        parts.join(", ")
    }
}

impl Datasync {
    /// The job that copies a table.
    pub fn job_of<'a>(&'a self, t: &'a SyncedTable) -> &'a str {
        if t.job.is_empty() { &self.name } else { &t.job }
    }

    /// Every job of the datasync, its own first.
    pub fn jobs(&self) -> Vec<String> {
        let mut out = vec![self.name.clone()];
        for t in &self.tables {
            let j = self.job_of(t).to_string();
            if !out.contains(&j) {
                out.push(j);
            }
        }
        out
    }
}

/// What can go wrong with a datasync, in its terms (mapped to MySQL codes in `crate::error`).
#[derive(Debug, thiserror::Error)]
pub enum DatasyncError {
    #[error("Datasync '{0}' already exists")]
    Exists(String),
    #[error("DATASYNC {0} does not exist")]
    Unknown(String),
    #[error("Cannot create datasync '{name}': a job named '{name}' exists (a datasync runs as the job of its name)")]
    JobNameTaken { name: String },
    #[error("Catalog '{catalog}' cannot be a datasync's {role}: {why}")]
    Catalog { catalog: String, role: &'static str, why: String },
    #[error("Datasync source '{catalog}' ({address}): {message}")]
    Source { catalog: String, address: String, code: u16, message: String },
    #[error("Datasync sink '{catalog}' ({address}): {message}")]
    Sink { catalog: String, address: String, code: u16, message: String },
    /// The source's binlog is not what CDC needs.
    #[error("Datasync source '{catalog}' ({address}) cannot be read as a binlog: {missing}")]
    Binlog { catalog: String, address: String, missing: String },
    /// The CDC account lacks a privilege.
    #[error("Access denied; the datasync's source account {account} needs {missing} (granted ON *.*)")]
    Privileges { account: String, missing: String },
    #[error("Table '{database}.{table}' doesn't exist in datasync source '{catalog}'")]
    UnknownTable { catalog: String, database: String, table: String },
    #[error("No table of '{catalog}.{database}' matches the datasync's {filter}")]
    NoTables { catalog: String, database: String, filter: String },
    #[error(
        "Table '{database}.{table}' has no primary key: a CDC datasync needs one to apply updates and deletes (EXCLUDE ('{table}'), or declare one with 'table.{table}.key' = 'col, ...')"
    )]
    NoPrimaryKey { database: String, table: String },
    #[error("Column '{column}' of '{table}' has type {source_type}, which a datasync cannot copy faithfully: {why}")]
    Type { table: String, column: String, source_type: String, why: String },
    #[error("Table '{table}' of '{catalog}.{database}' is already written by datasync '{other}'")]
    SinkTaken { catalog: String, database: String, table: String, other: String },
    #[error("Incorrect option for datasync '{name}': {message}")]
    Option { name: String, message: String },
    #[error("{0}")]
    Connector(String),
    #[error("Cannot {action} job '{job}': it runs datasync '{datasync}' (use DROP DATASYNC / CREATE DATASYNC)")]
    JobOfDatasync { job: String, datasync: String, action: &'static str },
    #[error("Weir's datasync registry failed: {0}")]
    Store(String),
}

/// The datasyncs of this Weir.
pub struct Datasyncs {
    pub registry: Registry,
    pub(crate) jobs: Arc<Jobs>,
}

impl Datasyncs {
    pub fn new(jobs: Arc<Jobs>) -> Arc<Self> {
        Arc::new(Self { registry: Registry::new(jobs.store.backend()), jobs })
    }
}
