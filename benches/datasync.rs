//! Datasync speed, beside the reference in the same run: the snapshot throughput of
//! `CREATE DATASYNC` against a hand-written Flink SQL CDC job doing the same copy (same source
//! table, same JDBC sink, same cluster), and the change latency of the datasync (commit at the
//! source to visible in the sink), p50 and p99.
//!
//! Needs a running Weir and the binlog MariaDB of a test run (scripts/test-env.sh,
//! scripts/cdc-mariadb.sh): `source <run>/env.sh && cargo bench --profile dev --bench datasync -- [rows]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: source a test run's env.sh"))
}

async fn connect(port: u16, user: &str, password: &str) -> Conn {
    let opts = OptsBuilder::default().ip_or_hostname("127.0.0.1").tcp_port(port).user(Some(user)).pass(Some(password)).prefer_socket(false);
    Conn::new(opts).await.unwrap()
}

async fn count(m: &mut Conn, table: &str) -> i64 {
    m.query_first(format!("SELECT COUNT(*) FROM {table}")).await.unwrap().unwrap_or(0)
}

/// Seconds until `table` holds `rows` rows.
async fn until_rows(m: &mut Conn, table: &str, rows: i64, start: Instant) -> f64 {
    loop {
        if count(m, table).await >= rows {
            return start.elapsed().as_secs_f64();
        }
        assert!(start.elapsed() < Duration::from_secs(900), "{table} never reached {rows} rows");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let rows: i64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200_000);
    let cdc_port: u16 = env("WEIR_TEST_CDC_PORT").parse().unwrap();
    let weir_port: u16 = env("WEIR_PORT").parse().unwrap();
    let mut m = connect(cdc_port, "weir", "weir").await;
    let tag = std::process::id();
    let (src, dst_ref, dst_ds) = (format!("bsrc_{tag}"), format!("bref_{tag}"), format!("bds_{tag}"));
    for db in [&src, &dst_ref, &dst_ds] {
        m.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    }
    let ddl = "(id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(64), created DATETIME(3))";
    m.query_drop(format!(
        "CREATE TABLE {src}.orders {ddl};
         INSERT INTO {src}.orders SELECT seq, seq % 1000, seq * 1.25, CONCAT('note ', seq), TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND FROM {src}.seq_1_to_{rows};
         CREATE TABLE {dst_ref}.orders {ddl};"
    ))
    .await
    .unwrap();
    let mut w = Conn::new(OptsBuilder::default().ip_or_hostname("127.0.0.1").tcp_port(weir_port).user(Some("root")).prefer_socket(false)).await.unwrap();

    // The reference: the same copy written by hand in Flink SQL (a streaming CDC job).
    let reference = format!(
        "SET 'execution.checkpointing.interval' = '10 s';
         CREATE TEMPORARY TABLE ref_src (id BIGINT NOT NULL, customer INT NOT NULL, amount DECIMAL(12, 2), note VARCHAR(64), created TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED)
           WITH ('connector' = 'mysql-cdc', 'hostname' = '127.0.0.1', 'port' = '{cdc_port}', 'username' = 'cdc', 'password' = 'cdc', 'database-name' = '{src}', 'table-name' = 'orders', 'server-id' = '6900', 'server-time-zone' = 'UTC');
         CREATE TEMPORARY TABLE ref_sink (id BIGINT NOT NULL, customer INT NOT NULL, amount DECIMAL(12, 2), note VARCHAR(64), created TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED)
           WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://127.0.0.1:{cdc_port}/{dst_ref}?permitMysqlScheme', 'driver' = 'org.mariadb.jdbc.Driver', 'table-name' = 'orders', 'username' = 'weir', 'password' = 'weir');"
    );
    w.query_drop(reference).await.unwrap();
    let start = Instant::now();
    w.query_drop("INSERT INTO ref_sink SELECT * FROM ref_src").await.unwrap();
    let reference_secs = until_rows(&mut m, &format!("{dst_ref}.orders"), rows, start).await;

    // The datasync.
    w.query_drop(format!(
        "CREATE CATALOG bs_{tag} WITH ('type' = 'jdbc', 'base-url' = 'jdbc:mysql://127.0.0.1:{cdc_port}', 'default-database' = '{src}', 'username' = 'cdc', 'password' = 'cdc');
         CREATE CATALOG bd_{tag} WITH ('type' = 'jdbc', 'base-url' = 'jdbc:mysql://127.0.0.1:{cdc_port}', 'default-database' = '{dst_ds}', 'username' = 'weir', 'password' = 'weir');"
    ))
    .await
    .unwrap();
    let start = Instant::now();
    w.query_drop(format!("CREATE DATASYNC bench_{tag} FROM bs_{tag}.{src} TO bd_{tag}.{dst_ds}")).await.unwrap();
    let datasync_secs = until_rows(&mut m, &format!("{dst_ds}.orders"), rows, start).await;

    // Change latency: a row committed every 50 ms for 20 s, each timed until the sink has it.
    let mut watcher = connect(cdc_port, "weir", "weir").await;
    let mut latencies = Vec::new();
    let mut pending: Vec<(i64, Instant)> = Vec::new();
    let run = Instant::now();
    let mut next_id = 100_000_000i64;
    while run.elapsed() < Duration::from_secs(20) || !pending.is_empty() {
        if run.elapsed() < Duration::from_secs(20) {
            m.query_drop(format!("INSERT INTO {src}.orders VALUES ({next_id}, 1, 1.00, 'live', NOW(3))")).await.unwrap();
            pending.push((next_id, Instant::now()));
            next_id += 1;
        }
        let low = pending.first().map(|p| p.0).unwrap_or(next_id);
        let seen: Vec<i64> = watcher.query(format!("SELECT id FROM {dst_ds}.orders WHERE id >= {low}")).await.unwrap();
        let now = Instant::now();
        pending.retain(|(id, at)| {
            if seen.contains(id) {
                latencies.push(now.duration_since(*at).as_secs_f64() * 1000.0);
                false
            } else {
                true
            }
        });
        assert!(run.elapsed() < Duration::from_secs(120), "changes never arrived: {} pending", pending.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    latencies.sort_by(|a, b| a.total_cmp(b));

    println!("datasync snapshot of {rows} rows: {datasync_secs:.1} s ({:.0} rows/s)", rows as f64 / datasync_secs);
    println!("hand-written Flink SQL CDC job, same copy: {reference_secs:.1} s ({:.0} rows/s)", rows as f64 / reference_secs);
    println!("ratio (datasync / reference throughput): {:.2}", reference_secs / datasync_secs);
    println!(
        "change latency over {} changes (commit at the source to visible in the sink, checkpoint interval 10 s, JDBC sink): p50 {:.0} ms, p99 {:.0} ms",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );

    w.query_drop(format!("DROP DATASYNC bench_{tag}")).await.unwrap();
    let jobs: Vec<(String, String)> = w.query("SELECT JOB_ID, JOB_NAME FROM information_schema.JOBS WHERE STATUS = 'RUNNING'").await.unwrap_or_default();
    for (id, name) in jobs {
        if name.contains("ref_sink") {
            let _ = w.query_drop(format!("STOP JOB '{id}'")).await;
        }
    }
    for db in [&src, &dst_ref, &dst_ds] {
        m.query_drop(format!("DROP DATABASE {db}")).await.unwrap();
    }
}
