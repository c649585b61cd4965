//! Weir's integration tests: real clients against a real Weir in front of a real Flink.
//! One test binary, one Weir and one Flink cluster for all of them (see `harness`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

mod access;
mod alerts;
mod catalog;
mod charsets;
mod connections;
mod connectors;
mod datasync;
mod diagnostics;
mod dialect;
mod harness;
mod hostile;
mod jobs;
mod lineage;
mod metadata;
mod observe;
mod prepared;
mod probes;
mod protocol;
mod results;
mod recovery;
mod routing;
mod schedule;
mod schedule_control;
mod second_weir;
mod spine;
mod streaming;
mod translate;
