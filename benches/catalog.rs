//! What the catalog of record costs a statement: a statement naming three recorded tables
//! (`EXPLAIN` of a join, which plans on Flink and runs no job) on a fresh session, where Weir
//! first creates the three tables in the new Flink session, beside the same statement on a
//! session that already has them; against a Weir whose store holds 5,000 tables (WEIR_ADDR) and,
//! in the same run, one whose store holds 10 (WEIR_ADDR_SMALL), to show nothing grows with the
//! catalog's size. `bench/catalog.sh` fills the stores and starts both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn opts_for(addr: &str) -> OptsBuilder {
    let (host, port) = addr.rsplit_once(':').expect("address host:port");
    OptsBuilder::default().ip_or_hostname(host).tcp_port(port.parse().expect("port")).user(Some("root")).prefer_socket(false)
}

fn p(sorted: &[Duration], q: f64) -> Duration {
    sorted[(((sorted.len() as f64 - 1.0) * q).round() as usize).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn statement(i: usize, tables: usize) -> String {
    let (a, b, c) = (i % tables, (i * 7 + 1) % tables, (i * 13 + 2) % tables);
    format!("EXPLAIN PLAN FOR SELECT a.id FROM t{a} a JOIN t{b} b ON a.id = b.id JOIN t{c} c ON a.id = c.id")
}

async fn timed(c: &mut Conn, sql: &str) -> Duration {
    let t = Instant::now();
    let _: Vec<String> = c.query(sql).await.expect("statement");
    t.elapsed()
}

async fn measure(addr: &str, tables: usize, n: usize) -> (Vec<Duration>, Vec<Duration>) {
    let mut fresh = Vec::new();
    let mut warm = Vec::new();
    let mut warm_conn = Conn::new(opts_for(addr)).await.expect("connect");
    for i in 0..n {
        let sql = statement(i, tables);
        // A fresh session: its Flink session has none of the three tables yet.
        let mut c = Conn::new(opts_for(addr)).await.expect("connect");
        let _: Vec<String> = c.query("SHOW CURRENT CATALOG").await.expect("session bound");
        fresh.push(timed(&mut c, &sql).await);
        c.disconnect().await.ok();
        // A session that has them: the second run of the statement on one connection.
        timed(&mut warm_conn, &sql).await;
        warm.push(timed(&mut warm_conn, &sql).await);
    }
    fresh.sort();
    warm.sort();
    (fresh, warm)
}

#[tokio::main]
async fn main() {
    let n: usize = env("BENCH_N", "100").parse().expect("BENCH_N");
    let runs = [("5,000 tables in the store", env("WEIR_ADDR", "127.0.0.1:33095"), 5000), ("10 tables in the store", env("WEIR_ADDR_SMALL", "127.0.0.1:33096"), 10)];
    println!("statement naming 3 recorded tables (EXPLAIN of a join), n = {n}");
    println!("| store | fresh session p50 / p99 | tables already there p50 / p99 | added at p50 |");
    println!("|---|---|---|---|");
    for (label, addr, tables) in runs {
        let (fresh, warm) = measure(&addr, tables, n).await;
        println!(
            "| {label} | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.1} ms |",
            ms(p(&fresh, 0.5)),
            ms(p(&fresh, 0.99)),
            ms(p(&warm, 0.5)),
            ms(p(&warm, 0.99)),
            ms(p(&fresh, 0.5)) - ms(p(&warm, 0.5))
        );
    }
}
