//! The client of Flink's SQL Gateway REST API.
//!
//! * [`GatewayClient::connect`] negotiates the API version (V2 to V4; Flink 1.17 and later) and
//!   keeps the differences between versions in [`Capabilities`].
//! * [`GatewayClient::open_session`] opens a [`FlinkSession`]; keepalive is the caller's (see
//!   [`FlinkSession`]).
//! * [`FlinkSession::execute`] runs one statement and returns a [`StatementResult`] whose
//!   [`ResultStream`] yields [`ChangelogBatch`]es: Arrow record batches typed by the table in
//!   [`types`], with Flink's change kind per row. Results are fetched with `rowFormat=JSON`.
//! * Failures are a [`GatewayError`] by outcome; Flink's own are a [`FlinkSqlError`] reduced to
//!   the root cause of the Java stack trace.
//!
//! Calls are logged with `tracing` at debug level.

mod capabilities;
mod client;
mod convert;
mod direct;
mod error;
mod exception;
mod http;
mod operation;
mod result;
mod scalar;
mod secrets;
mod session;
mod stream;
pub mod types;
mod wire;

pub use capabilities::{ApiVersion, Capabilities, VersionedStatement};
pub use client::GatewayClient;
pub use http::CallCounters;
pub use direct::ResultListener;
pub use error::GatewayError;
pub use exception::FlinkSqlError;
pub use result::{ChangelogBatch, ResultKind, RowKind};
pub use secrets::{MASK, mask_secrets, mask_url_secrets};
pub use session::FlinkSession;
pub use stream::{ResultStream, StatementResult};
