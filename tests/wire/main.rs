#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job
//! The protocol layer's fast tier: `weir::protocol` served over loopback TCP with a scripted
//! mock behind its `Hooks`/`Session` traits, driven by real MySQL clients (mysql_async, a
//! minimal hand-written client, and the mariadb command-line tools when installed). No Flink,
//! no environment variables; every server listens on 127.0.0.1 with an OS-assigned port.

mod auth;
mod cli;
mod commands;
mod harness;
mod hostile;
mod limits;
mod mock;
mod prepared;
mod raw;
mod results;
