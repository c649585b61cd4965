//! Weir's integration tests: real clients against a real Weir in front of a real Flink.
//! One test binary, one Weir and one Flink cluster for all of them (see `harness`).

mod catalog;
mod dialect;
mod harness;
mod metadata;
mod protocol;
mod recovery;
mod routing;
mod spine;
mod streaming;
mod translate;
