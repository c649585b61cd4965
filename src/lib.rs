//! Weir: a MySQL wire-protocol gateway in front of Apache Flink.
//!
//! * [`protocol`]: Weir's own MySQL protocol layer (engine-agnostic, behind two traits).
//! * [`session`]: a client's session: statement classification, local answers, Flink forwarding.
//! * [`metadata`]: information_schema, SHOW and DESCRIBE in MySQL's shape (embedded DataFusion).
//! * [`clusters`]: the Flink clusters sessions run on (managed: provisioned and supervised).
//! * [`server`]: shared state, the protocol hooks and the listener.
//! * [`config`], [`error`]: the TOML configuration and the one error-to-MySQL mapping.

pub mod catalog;
pub mod clusters;
pub mod config;
pub mod error;
pub mod metadata;
pub mod protocol;
pub mod server;
pub mod session;
