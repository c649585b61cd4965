//! Observing Weir: its metrics ([`metrics`]: counted as things happen, sampled by the
//! [`watch`]er), the HTTP listener that serves them with health and readiness ([`http`]), and
//! the alerts that reach people when jobs, datasyncs or clusters need them ([`alerts`]).

pub mod alerts;
pub mod http;
pub mod lineage_page;
pub mod metrics;
pub mod watch;

pub use metrics::Metrics;
