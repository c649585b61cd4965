//! The rewrite tables: functions ([`functions`]), types ([`types`]) and date format models
//! ([`formats`]). Each is a table from a source name to a small rule, so adding a function or a
//! type is adding a row.

pub mod formats;
pub(crate) mod functions;
pub mod types;
