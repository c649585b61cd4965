//! Load driver for the spine's benchmarks, against a running Weir and its Flink SQL Gateway:
//!
//! * round trip: the same statement that runs no job (`SHOW CURRENT CATALOG`), N times through
//!   Weir (mysql_async) and N times straight to the SQL Gateway (Weir's own REST driver),
//!   alternating; p50/p99 of each and the overhead Weir adds;
//! * streaming: 10M rows from a bounded datagen table (batch mode) read by a client, sampling
//!   Weir's resident memory (VmRSS) before and during;
//! * connect + first Flink statement (`SHOW CURRENT CATALOG`, no job) through a Weir with its
//!   session pool (WEIR_ADDR) and one without (WEIR_ADDR_NOPOOL), in the same run.
//!
//! `cargo bench --bench gateway` with WEIR_ADDR (127.0.0.1:3307), WEIR_ADDR_NOPOOL (optional),
//! WEIR_GATEWAY (http://127.0.0.1:18083), WEIR_PID (for RSS), BENCH_N (200), BENCH_ROWS
//! (10000000). `bench/run.sh` starts everything and runs all benchmarks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};
use weir_drivers::gateway::GatewayClient;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn opts_for(addr: &str) -> OptsBuilder {
    let (host, port) = addr.rsplit_once(':').expect("address host:port");
    OptsBuilder::default().ip_or_hostname(host).tcp_port(port.parse().expect("port")).user(Some("root")).prefer_socket(false)
}

fn rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() {
    let addr = env("WEIR_ADDR", "127.0.0.1:3307");
    let gateway = env("WEIR_GATEWAY", "http://127.0.0.1:18083");
    let n: usize = env("BENCH_N", "200").parse().expect("BENCH_N");
    let rows: u64 = env("BENCH_ROWS", "10000000").parse().expect("BENCH_ROWS");
    let opts = opts_for(&addr);

    // Connect + first Flink statement, with and without the session pool.
    let mut connect_rows = vec![("with session pool", addr.clone())];
    if let Ok(nopool) = std::env::var("WEIR_ADDR_NOPOOL") {
        connect_rows.push(("without session pool", nopool));
    }
    println!("connect + first `SHOW CURRENT CATALOG`, n = {}", n / 4);
    for (label, a) in &connect_rows {
        let mut times = Vec::new();
        for _ in 0..(n / 4).max(1) {
            let t = Instant::now();
            let mut c = Conn::new(opts_for(a)).await.expect("connect");
            let _: Vec<String> = c.query("SHOW CURRENT CATALOG").await.expect("first statement");
            times.push(t.elapsed());
            c.disconnect().await.expect("disconnect");
            // Let the pool refill between connections, as between real clients.
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
        times.sort();
        println!("  {label:<22}: p50 {:?}  p99 {:?}", percentile(&times, 0.5), percentile(&times, 0.99));
    }

    // Round trip through Weir and straight to the SQL Gateway, alternating (so both see the same
    // moments of the machine and of the gateway).
    let mut conn = Conn::new(opts.clone()).await.expect("connect to Weir");
    let stmt = "SHOW CURRENT CATALOG";
    let _: Vec<String> = conn.query(stmt).await.expect("warm-up");
    let client = GatewayClient::connect(&gateway).await.expect("connect to the SQL Gateway");
    let session = client.open_session(Some("bench-direct"), &BTreeMap::new()).await.expect("session");
    let mut r = session.execute(stmt, &BTreeMap::new()).await.expect("direct warm-up");
    while r.rows.next_batch().await.expect("direct rows").is_some() {}
    let mut via_weir = Vec::with_capacity(n);
    let mut direct = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let _: Vec<String> = conn.query(stmt).await.expect("through Weir");
        via_weir.push(t.elapsed());
        let t = Instant::now();
        let mut r = session.execute(stmt, &BTreeMap::new()).await.expect("direct");
        while r.rows.next_batch().await.expect("direct rows").is_some() {}
        direct.push(t.elapsed());
    }
    let _ = session.close().await;
    via_weir.sort();
    direct.sort();
    let (w50, d50) = (percentile(&via_weir, 0.5), percentile(&direct, 0.5));
    println!("round trip of `{stmt}`, n = {n}");
    println!("  through Weir : p50 {:?}  p99 {:?}", w50, percentile(&via_weir, 0.99));
    println!("  direct REST  : p50 {:?}  p99 {:?}", d50, percentile(&direct, 0.99));
    println!("  Weir adds    : p50 {:?}  (ratio {:.2})", w50.saturating_sub(d50), w50.as_secs_f64() / d50.as_secs_f64());

    // Streaming a large result.
    let pid = std::env::var("WEIR_PID").ok();
    let before = pid.as_deref().and_then(rss_kib);
    conn.query_drop("SET 'execution.runtime-mode' = 'batch'").await.expect("batch mode");
    conn.query_drop(format!(
        "CREATE TEMPORARY TABLE bench_rows (id BIGINT, v STRING) WITH ('connector'='datagen', 'number-of-rows'='{rows}', \
         'rows-per-second'='1000000000', 'fields.id.kind'='sequence', 'fields.id.start'='1', 'fields.id.end'='{rows}', 'fields.v.length'='16')"
    ))
    .await
    .expect("datagen table");
    let t = Instant::now();
    let mut result = conn.query_iter("SELECT id, v FROM bench_rows").await.expect("streaming query");
    let mut count = 0u64;
    let mut peak = before.unwrap_or(0);
    let mut stream = result.stream::<(i64, String)>().await.expect("row stream").expect("a result set");
    use futures::StreamExt;
    while let Some(row) = stream.next().await {
        row.expect("row");
        count += 1;
        if count.is_multiple_of(100_000)
            && let Some(r) = pid.as_deref().and_then(rss_kib)
        {
            peak = peak.max(r);
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("streamed {count} rows in {secs:.1} s ({:.0} rows/s)", count as f64 / secs);
    match before {
        Some(b) => println!("  Weir RSS: {} MiB before, {} MiB peak, grew {} MiB", b / 1024, peak / 1024, peak.saturating_sub(b) / 1024),
        None => println!("  (set WEIR_PID to sample Weir's RSS)"),
    }
}
