//! Weir: a MySQL wire-protocol gateway in front of Apache Flink.
//!
//! The rooms, each depending only on those below it (README, "Layering"):
//! * [`protocol`]: Weir's own MySQL protocol layer (engine-agnostic, behind two traits).
//! * [`session`]: a client's session: per-connection state, and the dispatch of each statement
//!   to the room that answers it.
//! * [`statement`]: what a statement is, classified once from its text.
//! * [`metadata`]: information_schema, SHOW and DESCRIBE in MySQL's shape (embedded DataFusion).
//! * [`routing`]: the Flink clusters, a session's binding to one, its Flink session's lifecycle
//!   and pool, materialization of recorded objects, and results.
//! * [`catalog`]: Weir's catalog of record.
//! * [`jobs`]: managed jobs — their registry in the store, their lifecycle, and the daemon that
//!   keeps them in step with Flink and recovers them.
//! * [`observe`]: metrics (Prometheus text, `information_schema.WEIR_METRICS`), the HTTP
//!   listener (`/metrics`, `/health`, `/ready`).
//! * [`lineage`]: table and column lineage from a statement's tree, and the recorded lineage as
//!   a graph (pure: no I/O).
//! * [`lineage_store`]: the recorded lineage in the store.
//! * [`schedule`]: schedules of batch jobs in the order lineage gives, and their daemon.
//! * [`server`]: the listener and the protocol hooks (only `main` uses it).
//! * [`config`], [`error`], [`value`], [`variables`]: the TOML configuration, the one
//!   error-to-MySQL mapping, locally computed values, MySQL's system variables.

pub mod auth;
pub mod catalog;
pub mod config;
pub mod datasync;
pub mod diagnostics;
pub mod error;
pub mod jobs;
pub mod lineage;
pub mod lineage_store;
pub mod metadata;
pub mod observe;
pub mod protocol;
pub mod routing;
pub mod schedule;
pub mod server;
pub mod session;
pub mod statement;
pub mod value;
pub mod variables;
