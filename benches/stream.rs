//! Result streaming: the same bounded query read through Weir (a MySQL client, text protocol)
//! and straight from the Flink SQL Gateway (Weir's REST driver, the rows as the gateway pages
//! them), alternating, on the same cluster in the same run.
//!
//! The query is `SELECT id, v FROM rows` over a bounded datagen table of `(BIGINT, STRING(16))`
//! in batch mode, with no rate limit (datagen's default is 10,000 rows a second, which is what
//! an earlier measurement of "9,972 rows/s" measured). For each path it prints the time to the
//! first row (job start included), the rate from the first row to the last, and the whole
//! statement's rate; for Weir also its resident memory (VmRSS) before and at peak.
//!
//! `cargo bench --bench stream` with WEIR_ADDR (127.0.0.1:3307), WEIR_GATEWAY
//! (http://127.0.0.1:18083), WEIR_PID (for RSS), BENCH_ROWS (1000000), BENCH_ROUNDS (3).
//! `bench/stream.sh` starts a release Weir and adds the mysql CLI comparison with MariaDB.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};
use weir_drivers::gateway::GatewayClient;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// One read of the whole result.
struct Read {
    rows: u64,
    first_row: Duration,
    total: Duration,
}

impl Read {
    fn report(&self, path: &str) {
        let streaming = self.total.saturating_sub(self.first_row).as_secs_f64();
        println!(
            "  {path:<14} {} rows: first row after {:.2} s, then {:.0} rows/s; whole statement {:.2} s ({:.0} rows/s)",
            self.rows,
            self.first_row.as_secs_f64(),
            self.rows.saturating_sub(1) as f64 / streaming.max(1e-9),
            self.total.as_secs_f64(),
            self.rows as f64 / self.total.as_secs_f64(),
        );
    }
}

fn table(rows: u64) -> String {
    format!(
        "CREATE TEMPORARY TABLE IF NOT EXISTS stream_rows (id BIGINT, v STRING) WITH ('connector' = 'datagen', \
         'number-of-rows' = '{rows}', 'rows-per-second' = '1000000000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', \
         'fields.id.end' = '{rows}', 'fields.v.length' = '16')"
    )
}

const QUERY: &str = "SELECT id, v FROM stream_rows";

async fn through_weir(c: &mut Conn, pid: Option<&str>, peak: &mut u64) -> Read {
    let t = Instant::now();
    let mut result = c.query_iter(QUERY).await.expect("the query through Weir");
    let mut stream = result.stream::<(i64, String)>().await.expect("row stream").expect("a result set");
    let (mut rows, mut first_row) = (0u64, Duration::ZERO);
    while let Some(row) = stream.next().await {
        row.expect("a row");
        if rows == 0 {
            first_row = t.elapsed();
        }
        rows += 1;
        if rows.is_multiple_of(100_000)
            && let Some(r) = pid.and_then(rss_kib)
        {
            *peak = (*peak).max(r);
        }
    }
    Read { rows, first_row, total: t.elapsed() }
}

async fn from_gateway(session: &weir_drivers::gateway::FlinkSession) -> Read {
    let t = Instant::now();
    let mut r = session.execute(QUERY, &BTreeMap::new()).await.expect("the query on the gateway");
    let (mut rows, mut first_row) = (0u64, Duration::ZERO);
    while let Some(batch) = r.rows.next_batch().await.expect("a page") {
        if rows == 0 && batch.batch.num_rows() > 0 {
            first_row = t.elapsed();
        }
        rows += batch.batch.num_rows() as u64;
    }
    Read { rows, first_row, total: t.elapsed() }
}

#[tokio::main]
async fn main() {
    let addr = env("WEIR_ADDR", "127.0.0.1:3307");
    let gateway = env("WEIR_GATEWAY", "http://127.0.0.1:18083");
    let rows: u64 = env("BENCH_ROWS", "1000000").parse().expect("BENCH_ROWS");
    let rounds: usize = env("BENCH_ROUNDS", "3").parse().expect("BENCH_ROUNDS");
    let pid = std::env::var("WEIR_PID").ok();

    let (host, port) = addr.rsplit_once(':').expect("WEIR_ADDR host:port");
    let opts = OptsBuilder::default().ip_or_hostname(host).tcp_port(port.parse().expect("port")).user(Some("root")).prefer_socket(false);
    let mut c = Conn::new(opts).await.expect("connect to Weir");
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.expect("batch mode");
    c.query_drop(table(rows)).await.expect("the datagen table through Weir");

    let client = GatewayClient::connect(&gateway).await.expect("connect to the SQL Gateway");
    let config = BTreeMap::from([("execution.runtime-mode".to_string(), "batch".to_string())]);
    let session = client.open_session(Some("bench-stream"), &config).await.expect("a gateway session");
    let mut r = session.execute(&table(rows), &BTreeMap::new()).await.expect("the datagen table on the gateway");
    while r.rows.next_batch().await.expect("its answer").is_some() {}

    let before = pid.as_deref().and_then(rss_kib);
    let mut peak = before.unwrap_or(0);
    println!("streaming `{QUERY}`: {rows} rows of (BIGINT, STRING(16)), batch mode, {rounds} rounds");
    for round in 1..=rounds {
        println!(" round {round}");
        // Alternate which goes first, so both see the same moments of the machine.
        if round % 2 == 1 {
            through_weir(&mut c, pid.as_deref(), &mut peak).await.report("through Weir");
            from_gateway(&session).await.report("gateway REST");
        } else {
            from_gateway(&session).await.report("gateway REST");
            through_weir(&mut c, pid.as_deref(), &mut peak).await.report("through Weir");
        }
    }
    let _ = session.close().await;
    match before {
        Some(b) => println!("  Weir RSS: {} MiB before, {} MiB at peak, grew {} MiB", b / 1024, peak / 1024, peak.saturating_sub(b) / 1024),
        None => println!("  (set WEIR_PID to sample Weir's RSS)"),
    }
}
