//! Fuzzing Weir's MySQL protocol layer: the packet reader, the connection phase and the
//! dispatch of every COM_* command, over the mock session of [`mock`].
//!
//! One input is everything one client sends on a connection, frames and all (what a packet
//! capture of a client holds). [`connection`] serves it with `weir::protocol::conn::serve_stream`
//! over an in-memory pipe, the client half-closing after its last byte, and reads the server's
//! answer until it closes. The property: the server never panics, always closes (a connection
//! that neither answers nor ends is a [`Outcome::Hung`]), and allocates in proportion to what
//! the client sent, not to what it announced (checked by the drivers with [`alloc::Counting`]).
//!
//! Drivers: `fuzz_targets/protocol.rs` (libFuzzer, nightly: `cargo +nightly fuzz run --features
//! libfuzzer protocol`) and `src/bin/protocol_stable.rs` (any toolchain: mutations of the
//! captured client sessions in `seeds/protocol/`, see [`mutate`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

pub mod alloc;
pub mod mock;
pub mod mutate;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

/// How long one connection may take before it counts as hung (real time: the mock never waits).
pub const HANG_AFTER: Duration = Duration::from_secs(5);

/// How one input's connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server closed the connection after answering with these packets.
    Closed(Summary),
    /// The server neither closed nor finished within [`HANG_AFTER`].
    Hung,
}

/// What the server sent back on one connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub packets: usize,
    /// The server accepted the login (an OK after the greeting).
    pub logged_in: bool,
    /// The codes of its ERR packets, in order.
    pub errors: Vec<u16>,
    /// Bytes after the last whole packet (the server's output must end on a packet boundary).
    pub trailing: usize,
    /// The most bytes the connection had allocated at once (set by [`check`] under
    /// [`alloc::Counting`]).
    pub allocated: usize,
}

thread_local! {
    static RUNTIME: RefCell<Option<tokio::runtime::Runtime>> = const { RefCell::new(None) };
}

/// Runs one client byte stream through Weir's protocol layer; see the crate documentation.
pub fn connection(data: &[u8]) -> Outcome {
    RUNTIME.with(|cell| {
        let mut rt = cell.borrow_mut();
        let rt = rt.get_or_insert_with(|| {
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a current-thread runtime")
        });
        rt.block_on(serve_one(data))
    })
}

async fn serve_one(data: &[u8]) -> Outcome {
    let hooks = Arc::new(mock::FuzzHooks::default());
    let (client, server) = tokio::io::duplex(64 * 1024);
    let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
    let serve = weir::protocol::conn::serve_stream(hooks, server, peer, 7, CancellationToken::new());
    let (mut rd, mut wr) = tokio::io::split(client);
    let write = async move {
        // The server may stop reading early (it closed): the rest is never read.
        let _ = wr.write_all(data).await;
        let _ = wr.shutdown().await;
    };
    let read = async move {
        let mut out = Vec::new();
        let _ = rd.read_to_end(&mut out).await;
        out
    };
    match tokio::time::timeout(HANG_AFTER, async { tokio::join!(serve, write, read) }).await {
        Ok(((), (), out)) => Outcome::Closed(summarize(&out)),
        Err(_) => Outcome::Hung,
    }
}

/// Splits the server's output into packets.
pub fn summarize(out: &[u8]) -> Summary {
    let mut s = Summary::default();
    let mut at = 0;
    while out.len() - at >= 4 {
        let len = usize::from(out[at]) | usize::from(out[at + 1]) << 8 | usize::from(out[at + 2]) << 16;
        let seq = out[at + 3];
        let Some(p) = out.get(at + 4..at + 4 + len) else { break };
        if s.packets > 0 && seq >= 2 && !s.logged_in && p.first() == Some(&0x00) && s.errors.is_empty() {
            s.logged_in = true;
        }
        if p.first() == Some(&0xFF) && p.len() >= 3 {
            s.errors.push(u16::from_le_bytes([p[1], p[2]]));
        }
        s.packets += 1;
        at += 4 + len;
    }
    s.trailing = out.len() - at;
    s
}

/// Why an input failed, for the drivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Hung,
    /// The server's output ended inside a packet.
    TornReply { trailing: usize },
    /// The connection allocated more than `cap` bytes at its peak.
    Allocation { peak: usize, cap: usize },
}

/// The allocation a connection may reach for an input of `len` bytes: a fixed allowance (pipe,
/// buffers, runtime, a result set; the seeds peak near 0.5 MiB) plus a multiple of what the
/// client sent. A reader that sized its buffer from a header (up to the mock's 4 MiB
/// max_allowed_packet) instead of from the bytes that came exceeds it.
pub fn allocation_cap(len: usize) -> usize {
    (1 << 20) + 16 * len
}

/// Runs one input and checks the property. The allocation is checked only when
/// [`alloc::Counting`] is the global allocator.
pub fn check(data: &[u8]) -> Result<Summary, Failure> {
    let (outcome, usage) = alloc::measure(|| connection(data));
    let cap = allocation_cap(data.len());
    if usage.peak > cap {
        return Err(Failure::Allocation { peak: usage.peak, cap });
    }
    match outcome {
        Outcome::Hung => Err(Failure::Hung),
        Outcome::Closed(s) if s.trailing > 0 => Err(Failure::TornReply { trailing: s.trailing }),
        Outcome::Closed(s) => Ok(Summary { allocated: usage.peak, ..s }),
    }
}
