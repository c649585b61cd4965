//! Weir's Flink driver.
//!
//! * [`gateway`]: the client of Flink's SQL Gateway REST API (version negotiation, sessions with
//!   heartbeats, statements, paged results streamed as Arrow record batches), with the differences
//!   between Flink versions kept in [`gateway::Capabilities`].
//! * [`flink`]: a local Flink that Weir provisions (a Flink home assembled from PyPI's
//!   `apache-flink-libraries` and Maven Central's `flink-sql-gateway`) and supervises (a standalone
//!   session cluster and its SQL Gateway, as processes with pidfiles and logs).
//!
//! * [`web`]: the HTTP client builder every REST call of Weir uses (rustls on ring).
//!
//! This crate never depends on the server (`weir`) nor on `weir-dialects`.

pub mod flink;
pub mod gateway;
pub mod web;
