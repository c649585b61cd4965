//! Observing Weir: its metrics ([`metrics`]: counted as things happen, sampled by the
//! [`watch`]er), and the HTTP listener that serves them with health and readiness ([`http`]).

pub mod http;
pub mod metrics;
pub mod watch;

pub use metrics::Metrics;
