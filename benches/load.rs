//! Load driver (issue 17): many connections against a running Weir, beside MariaDB in the same
//! run.
//!
//! 1. **Idle connections.** `SELECT 1` latency on one connection (p50/p99 of `--probes`
//!    queries) with no other connection open, then with `--idle` (1,000) connections open and
//!    idle — each opened and checked with a `SELECT 1`, all of them asked again at the end;
//!    the server's RSS (`/proc/<pid>/status`) before, with the connections open and after they
//!    closed (and the probes once more then, which tells the machine's drift from the idle
//!    connections' effect). The same on MariaDB.
//! 2. **A mix.** `--clients` (200) clients for `--duration` seconds, each in a loop of one
//!    statement then `--think-ms` (100 ms, ±50%): local probes (`SELECT 1`, `@@version`,
//!    `@@version_comment`, `DATABASE()`/`USER()`/`CONNECTION_ID()`, `SET autocommit`), metadata
//!    (`SHOW DATABASES`, `SHOW TABLES FROM`, `SHOW COLUMNS`, `information_schema.TABLES` and
//!    `COLUMNS` over a database of 10 tables the driver creates) and a statement whose error is
//!    its own (an unknown information_schema table: 1109); beside them `--flink-clients` (4)
//!    clients on Weir with short Flink statements (`SHOW CURRENT DATABASE`, and every
//!    `--flink-job-every`-th (5) a batch `COUNT(*)` over a bounded 100-row datagen table: a job)
//!    every `--flink-think-ms` (1000 ms). Any error other than a statement's own counts as an
//!    error. After the warm-up (the first fifth of the run, at least 60 s, at most half): per
//!    category p50/p99/p99.9 and throughput, and Weir's RSS (sampled every 5 s). Then the same
//!    mix on MariaDB for `--mariadb-duration` seconds (default: `--duration`) — with the same
//!    Flink clients on Weir beside it, so both servers share the machine with the same Flink
//!    work — and the ratios Weir / MariaDB. `--no-metadata` leaves the metadata statements out.
//!
//! ```sh
//! cargo bench --bench load -- --weir 127.0.0.1:3307 [--weir-pid PID] [--mariadb 127.0.0.1:3306]
//!     [--idle 1000] [--clients 200] [--duration 600] [--phase idle|mix|all] [--no-mariadb]
//! ```
//! Weir's pid defaults to the process listening on its port. The open-files limit is raised to
//! its hard limit (both ends of 1,000 connections may live on this machine). MariaDB's
//! `max_connections` (151 by default) is raised for the run when it is below what the run opens
//! (`SET GLOBAL`, the weir account has the privilege) and put back at the end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

#[path = "support/rng.rs"]
mod rng;

use rng::Rng;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};

#[derive(Clone)]
struct Args {
    weir: String,
    weir_pid: Option<u32>,
    mariadb: Option<String>,
    idle: usize,
    clients: usize,
    flink_clients: usize,
    duration: u64,
    mariadb_duration: Option<u64>,
    think_ms: u64,
    flink_think_ms: u64,
    flink_job_every: u64,
    probes: usize,
    phase: String,
    /// Leave the metadata statements out of the mix (to see what they cost the others).
    no_metadata: bool,
}

fn args() -> Args {
    let mut a = Args {
        weir: std::env::var("WEIR_ADDR").unwrap_or_else(|_| "127.0.0.1:3307".into()),
        weir_pid: std::env::var("WEIR_PID").ok().and_then(|p| p.parse().ok()),
        mariadb: Some("127.0.0.1:3306".into()),
        idle: 1000,
        clients: 200,
        flink_clients: 4,
        duration: 600,
        mariadb_duration: None,
        think_ms: 100,
        flink_think_ms: 1000,
        flink_job_every: 5,
        probes: 20_000,
        phase: "all".into(),
        no_metadata: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--bench" {
            continue; // what `cargo bench` adds
        }
        if flag == "--no-mariadb" {
            a.mariadb = None;
            continue;
        }
        if flag == "--no-metadata" {
            a.no_metadata = true;
            continue;
        }
        let v = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        let n = || v.replace('_', "").parse::<u64>().unwrap_or_else(|_| panic!("{flag}: a number"));
        match flag.as_str() {
            "--weir" => a.weir = v.clone(),
            "--weir-pid" => a.weir_pid = Some(n() as u32),
            "--mariadb" => a.mariadb = Some(v.clone()),
            "--idle" => a.idle = n() as usize,
            "--clients" => a.clients = n() as usize,
            "--flink-clients" => a.flink_clients = n() as usize,
            "--duration" => a.duration = n(),
            "--mariadb-duration" => a.mariadb_duration = Some(n()),
            "--think-ms" => a.think_ms = n(),
            "--flink-think-ms" => a.flink_think_ms = n(),
            "--flink-job-every" => a.flink_job_every = n().max(1),
            "--probes" => a.probes = n() as usize,
            "--phase" => a.phase = v.clone(),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// A server under test: where it listens, how to log in, its pid (for RSS).
#[derive(Clone)]
struct Target {
    name: &'static str,
    addr: String,
    user: &'static str,
    password: &'static str,
    pid: Option<u32>,
    /// The database the metadata statements read.
    schema: &'static str,
}

impl Target {
    fn opts(&self) -> OptsBuilder {
        let (host, port) = self.addr.rsplit_once(':').expect("host:port");
        OptsBuilder::default()
            .ip_or_hostname(host.to_string())
            .tcp_port(port.parse().expect("port"))
            .user(Some(self.user))
            .pass(Some(self.password))
            .prefer_socket(false)
    }

    async fn connect(&self) -> Result<Conn, mysql_async::Error> {
        Conn::new(self.opts()).await
    }

    fn rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid?)).ok()?;
        let kib: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }
}

fn fmt_rss(v: Option<f64>) -> String {
    v.map_or_else(|| "?".into(), |m| format!("{m:.0} MiB"))
}

/// The pid of the process listening on `addr`'s port (by the socket's inode in /proc).
fn pid_listening_on(addr: &str) -> Option<u32> {
    let port: u16 = addr.rsplit_once(':')?.1.parse().ok()?;
    let suffix = format!(":{port:04X}");
    let mut inodes = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() > 9 && f[1].ends_with(&suffix) && f[3] == "0A" {
                inodes.push(format!("socket:[{}]", f[9]));
            }
        }
    }
    for p in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else { continue };
        for fd in fds.flatten() {
            if let Ok(t) = std::fs::read_link(fd.path())
                && inodes.iter().any(|i| t.to_string_lossy() == *i)
            {
                return Some(pid);
            }
        }
    }
    None
}

/// Raises the open-files limit to its hard limit; returns (soft, hard) after.
fn raise_nofile() -> (u64, u64) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local rlimit.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        if lim.rlim_cur < lim.rlim_max {
            let want = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
            libc::setrlimit(libc::RLIMIT_NOFILE, &want);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        }
    }
    (lim.rlim_cur, lim.rlim_max)
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

/// `SELECT 1` latencies (µs) on one connection, after a warm-up.
async fn probe(conn: &mut Conn, n: usize) -> Vec<u32> {
    for _ in 0..500 {
        conn.query_drop("SELECT 1").await.expect("SELECT 1");
    }
    let mut t = Vec::with_capacity(n);
    for _ in 0..n {
        let s = Instant::now();
        conn.query_drop("SELECT 1").await.expect("SELECT 1");
        t.push(s.elapsed().as_micros() as u32);
    }
    t.sort_unstable();
    t
}

struct IdleResult {
    opened: usize,
    errors: usize,
    base: Vec<u32>,
    loaded: Vec<u32>,
    /// Again once the idle connections have closed (tells the machine's drift from their effect).
    after: Vec<u32>,
    rss: [Option<f64>; 3],
    answered_after: usize,
}

async fn idle_phase(t: &Target, wanted: usize, probes: usize) -> IdleResult {
    let mut probe_conn = t.connect().await.expect("probe connection");
    let limit: Option<u64> = probe_conn.query_first("SELECT @@max_connections").await.ok().flatten();
    // Leave room on servers that count connections (MariaDB's max_connections).
    let count = match limit {
        Some(m) if (m as usize) < wanted + 20 => (m as usize).saturating_sub(20),
        _ => wanted,
    };
    let base = probe(&mut probe_conn, probes).await;
    let rss_before = t.rss_mib();
    let mut idle = Vec::with_capacity(count);
    let mut errors = 0;
    let started = Instant::now();
    for chunk in (0..count).collect::<Vec<_>>().chunks(50) {
        let opened = futures::future::join_all(chunk.iter().map(|_| async {
            let mut c = t.connect().await?;
            c.query_drop("SELECT 1").await?;
            Ok::<Conn, mysql_async::Error>(c)
        }))
        .await;
        for c in opened {
            match c {
                Ok(c) => idle.push(c),
                Err(e) => {
                    errors += 1;
                    if errors <= 3 {
                        eprintln!("  {}: opening an idle connection: {e}", t.name);
                    }
                }
            }
        }
    }
    println!("  {}: {} idle connections opened in {:.1} s ({errors} errors)", t.name, idle.len(), started.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = t.rss_mib();
    let loaded = probe(&mut probe_conn, probes).await;
    // Every idle connection still answers.
    let mut answered_after = 0;
    for chunk in idle.chunks_mut(100) {
        let r = futures::future::join_all(chunk.iter_mut().map(|c| c.query_drop("SELECT 1"))).await;
        answered_after += r.iter().filter(|r| r.is_ok()).count();
    }
    let opened = idle.len();
    for c in idle {
        let _ = c.disconnect().await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = t.rss_mib();
    let after = probe(&mut probe_conn, probes).await;
    let _ = probe_conn.disconnect().await;
    IdleResult { opened, errors, base, loaded, after, rss: [rss_before, rss_idle, rss_after], answered_after }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Category {
    Local,
    Metadata,
    OwnError,
    Flink,
    FlinkJob,
}

impl Category {
    fn label(self) -> &'static str {
        match self {
            Category::Local => "local probes",
            Category::Metadata => "metadata",
            Category::OwnError => "statement's own error (1109)",
            Category::Flink => "Flink, no job (on Weir)",
            Category::FlinkJob => "Flink, batch job (on Weir)",
        }
    }
}

/// The mix: (weight, category, statement, the error that is the statement's own).
fn mix(schema: &str) -> Vec<(u32, Category, String, Option<u16>)> {
    use Category::*;
    vec![
        (30, Local, "SELECT 1".into(), None),
        (10, Local, "SELECT @@version".into(), None),
        (10, Local, "SELECT @@version_comment LIMIT 1".into(), None),
        (10, Local, "SELECT DATABASE(), USER(), CONNECTION_ID()".into(), None),
        (10, Local, "SET autocommit = 1".into(), None),
        (5, Metadata, "SHOW DATABASES".into(), None),
        (5, Metadata, format!("SHOW TABLES FROM {schema}"), None),
        (5, Metadata, format!("SHOW COLUMNS FROM {schema}.t5"), None),
        (6, Metadata, format!("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{schema}'"), None),
        (
            6,
            Metadata,
            format!("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{schema}' AND TABLE_NAME = 't3'"),
            None,
        ),
        (3, OwnError, "SELECT * FROM information_schema.NO_SUCH_VIEW".into(), Some(1109)),
    ]
}

#[derive(Default)]
struct Tally {
    samples: BTreeMap<Category, Vec<u32>>,
    /// Errors that are not the statement's own: (category, what) -> count.
    errors: BTreeMap<(Category, String), u64>,
    own_errors: u64,
    /// Statements of the warm-up (answered, latency not kept).
    warmup: u64,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        for (k, mut v) in o.samples {
            self.samples.entry(k).or_default().append(&mut v);
        }
        for (k, v) in o.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.own_errors += o.own_errors;
        self.warmup += o.warmup;
    }

    fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Counts one statement's outcome; its latency is kept when it started after `measure_from`
    /// (the warm-up's end). False when the connection is gone.
    fn record(&mut self, cat: Category, sql: &str, started: Instant, r: Result<(), mysql_async::Error>, own: Option<u16>, measure_from: Instant) -> bool {
        let us = started.elapsed().as_micros() as u32;
        let keep = started >= measure_from;
        match r {
            Ok(()) if own.is_none() => {
                if keep {
                    self.samples.entry(cat).or_default().push(us);
                } else {
                    self.warmup += 1;
                }
                true
            }
            Err(mysql_async::Error::Server(e)) if Some(e.code) == own => {
                self.own_errors += 1;
                if keep {
                    self.samples.entry(cat).or_default().push(us);
                } else {
                    self.warmup += 1;
                }
                true
            }
            Ok(()) => {
                *self.errors.entry((cat, format!("{sql}: no error, expected {own:?}"))).or_default() += 1;
                true
            }
            Err(mysql_async::Error::Server(e)) => {
                *self.errors.entry((cat, format!("{sql}: ERROR {} {}", e.code, e.message))).or_default() += 1;
                true
            }
            Err(e) => {
                // The connection is gone: the client reconnects.
                *self.errors.entry((cat, format!("{sql}: {e}"))).or_default() += 1;
                false
            }
        }
    }
}


async fn think(rng: &mut Rng, ms: u64) {
    if ms > 0 {
        let jitter = ms / 2 + rng.next() % (ms + 1);
        tokio::time::sleep(Duration::from_millis(jitter)).await;
    }
}

async fn mix_client(t: Target, id: u64, stop: Arc<AtomicBool>, think_ms: u64, measure_from: Instant, no_metadata: bool) -> Tally {
    let mut statements = mix(t.schema);
    if no_metadata {
        statements.retain(|s| s.1 != Category::Metadata);
    }
    let total: u32 = statements.iter().map(|s| s.0).sum();
    let mut rng = Rng(id.wrapping_mul(7919) + 1);
    let mut tally = Tally::default();
    // Spread the clients' first statements over one think time.
    tokio::time::sleep(Duration::from_millis(rng.next() % (think_ms + 1))).await;
    let mut conn: Option<Conn> = None;
    while !stop.load(Ordering::Relaxed) {
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match t.connect().await {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    *tally.errors.entry((Category::Local, format!("connect: {e}"))).or_default() += 1;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            },
        };
        let mut pick = (rng.next() % u64::from(total)) as u32;
        let (_, cat, sql, own) = statements.iter().find(|s| {
            if pick < s.0 {
                return true;
            }
            pick -= s.0;
            false
        }).expect("a statement");
        let started = Instant::now();
        let r = c.query_drop(sql.as_str()).await;
        if !tally.record(*cat, sql, started, r, *own, measure_from) {
            conn = None;
        }
        think(&mut rng, think_ms).await;
    }
    if let Some(c) = conn {
        let _ = c.disconnect().await;
    }
    tally
}

async fn flink_client(t: Target, id: u64, stop: Arc<AtomicBool>, think_ms: u64, job_every: u64, measure_from: Instant) -> Tally {
    let mut rng = Rng(id.wrapping_mul(104_729) + 3);
    let mut tally = Tally::default();
    tokio::time::sleep(Duration::from_millis(rng.next() % (think_ms + 1))).await;
    let mut conn: Option<Conn> = None;
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        if conn.is_none() {
            let setup = async {
                let mut c = t.connect().await?;
                c.query_drop("SET 'execution.runtime-mode' = 'batch'").await?;
                c.query_drop("SET 'parallelism.default' = '1'").await?;
                c.query_drop("CREATE TEMPORARY TABLE load_rows (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '100')")
                    .await?;
                Ok::<Conn, mysql_async::Error>(c)
            };
            match setup.await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    *tally.errors.entry((Category::Flink, format!("setup: {e}"))).or_default() += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        n += 1;
        let (cat, sql) = if n.is_multiple_of(job_every) {
            (Category::FlinkJob, "SELECT COUNT(*) FROM load_rows")
        } else {
            (Category::Flink, "SHOW CURRENT DATABASE")
        };
        let started = Instant::now();
        let r = c.query_drop(sql).await;
        if !tally.record(cat, sql, started, r, None, measure_from) {
            conn = None;
        }
        think(&mut rng, think_ms).await;
    }
    if let Some(c) = conn {
        let _ = c.disconnect().await;
    }
    tally
}

/// Creates the database of 10 tables the metadata statements read (idempotent).
async fn prepare_schema(t: &Target) {
    let mut c = t.connect().await.expect("setup connection");
    c.query_drop(format!("CREATE DATABASE IF NOT EXISTS {}", t.schema)).await.expect("CREATE DATABASE");
    for i in 0..10 {
        let ddl = if t.name == "Weir" {
            format!(
                "CREATE TABLE IF NOT EXISTS {}.t{i} (id BIGINT, name STRING, amount DECIMAL(10, 2)) WITH ('connector' = 'datagen')",
                t.schema
            )
        } else {
            format!("CREATE TABLE IF NOT EXISTS {}.t{i} (id BIGINT, name VARCHAR(20), amount DECIMAL(10, 2))", t.schema)
        };
        c.query_drop(ddl).await.expect("CREATE TABLE");
    }
    let _ = c.disconnect().await;
}

struct MixResult {
    tally: Tally,
    seconds: f64,
    /// (seconds since start, RSS MiB)
    rss: Vec<(f64, f64)>,
    warmup: f64,
}

/// The mix on `t`, with the Flink clients on `flink` (Weir) beside it — in the MariaDB phase too,
/// so that both servers share the machine with the same Flink work.
async fn mix_phase(t: &Target, a: &Args, duration: u64, flink: &Target) -> MixResult {
    prepare_schema(t).await;
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let warmup = (duration as f64 / 5.0).max(60.0).min(duration as f64 / 2.0);
    let measure_from = start + Duration::from_secs_f64(warmup);
    let mut tasks = Vec::new();
    for i in 0..a.clients {
        tasks.push(tokio::spawn(mix_client(t.clone(), i as u64, stop.clone(), a.think_ms, measure_from, a.no_metadata)));
    }
    for i in 0..a.flink_clients {
        tasks.push(tokio::spawn(flink_client(flink.clone(), i as u64, stop.clone(), a.flink_think_ms, a.flink_job_every, measure_from)));
    }
    let mut rss = Vec::new();
    let deadline = start + Duration::from_secs(duration);
    let mut next_report = start + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(m) = t.rss_mib() {
            rss.push((start.elapsed().as_secs_f64(), m));
        }
        if Instant::now() >= next_report {
            println!("  {}: {:.0} s, RSS {}", t.name, start.elapsed().as_secs_f64(), fmt_rss(t.rss_mib()));
            next_report += Duration::from_secs(60);
        }
        tokio::time::sleep(Duration::from_secs(5).min(deadline.saturating_duration_since(Instant::now()))).await;
    }
    stop.store(true, Ordering::Relaxed);
    let seconds = start.elapsed().as_secs_f64();
    let mut tally = Tally::default();
    for task in tasks {
        tally.merge(task.await.expect("a client task"));
    }
    if let Some(m) = t.rss_mib() {
        rss.push((start.elapsed().as_secs_f64(), m));
    }
    MixResult { tally, seconds: seconds - warmup, rss, warmup }
}

/// RSS after the warm-up: (first, last, min, max, max of the middle third, max of the last
/// third, slope in MiB per minute by least squares).
fn rss_trend(r: &MixResult) -> Option<(f64, f64, f64, f64, f64, f64, f64)> {
    let after: Vec<(f64, f64)> = r.rss.iter().copied().filter(|(t, _)| *t >= r.warmup).collect();
    if after.len() < 3 {
        return None;
    }
    let n = after.len() as f64;
    let (mt, mr) = (after.iter().map(|x| x.0).sum::<f64>() / n, after.iter().map(|x| x.1).sum::<f64>() / n);
    let cov: f64 = after.iter().map(|(t, r)| (t - mt) * (r - mr)).sum();
    let var: f64 = after.iter().map(|(t, _)| (t - mt) * (t - mt)).sum();
    let slope = if var > 0.0 { cov / var * 60.0 } else { 0.0 };
    let max_of = |v: &[(f64, f64)]| v.iter().map(|x| x.1).fold(0.0, f64::max);
    let third = after.len() / 3;
    let (middle, last) = (&after[third..2 * third], &after[2 * third..]);
    let min = after.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
    Some((after[0].1, after[after.len() - 1].1, min, max_of(&after), max_of(middle), max_of(last), slope))
}

fn print_mix(t: &Target, r: &mut MixResult) {
    let total: usize = r.tally.samples.values().map(Vec::len).sum();
    println!(
        "  {}: {} statements in the {:.0} s warm-up, then {total} in {:.0} s ({:.0}/s); {} errors that are not the statement's own, {} own errors (1109), over the whole run",
        t.name,
        r.tally.warmup,
        r.warmup,
        r.seconds,
        total as f64 / r.seconds,
        r.tally.error_count(),
        r.tally.own_errors
    );
    println!("    latency after the warm-up:");
    for ((cat, what), n) in r.tally.errors.iter().take(10) {
        println!("    error x{n} [{}]: {what}", cat.label());
    }
    for (cat, v) in &mut r.tally.samples {
        v.sort_unstable();
        println!(
            "    {:<30} n={:<8} p50 {:>8.2} ms  p99 {:>8.2} ms  p99.9 {:>8.2} ms  max {:>8.2} ms",
            cat.label(),
            v.len(),
            pct(v, 0.5),
            pct(v, 0.99),
            pct(v, 0.999),
            pct(v, 1.0)
        );
    }
    if let Some((first, last, min, max, middle, end, slope)) = rss_trend(r) {
        println!(
            "    RSS after the {:.0} s warm-up: {first:.0} -> {last:.0} MiB (min {min:.0}, max {max:.0}; max of the middle third {middle:.0}, of the last third {end:.0}), least-squares trend {slope:+.2} MiB/min",
            r.warmup
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    let (soft, hard) = raise_nofile();
    println!("open-files limit: {soft} (hard {hard}); {} idle connections need about as many descriptors here", a.idle);
    let weir = Target {
        name: "Weir",
        addr: a.weir.clone(),
        user: "root",
        password: "",
        pid: a.weir_pid.or_else(|| pid_listening_on(&a.weir)),
        schema: "weir_load",
    };
    let mariadb = a.mariadb.as_ref().map(|addr| Target {
        name: "MariaDB",
        addr: addr.clone(),
        user: "weir",
        password: "weir",
        pid: pid_listening_on(addr),
        schema: "weir_load",
    });
    println!("Weir at {} (pid {:?}); MariaDB at {:?} (pid {:?})", weir.addr, weir.pid, mariadb.as_ref().map(|m| &m.addr), mariadb.as_ref().and_then(|m| m.pid));
    let targets: Vec<&Target> = std::iter::once(&weir).chain(mariadb.as_ref()).collect();
    let restore = match &mariadb {
        Some(m) => raise_max_connections(m, a.idle.max(a.clients) + 50).await,
        None => None,
    };

    if a.phase == "all" || a.phase == "idle" {
        println!("\n== idle connections: SELECT 1 on one connection, {} probes, with 0 and with {} idle connections", a.probes, a.idle);
        let mut results = Vec::new();
        for t in &targets {
            let r = idle_phase(t, a.idle, a.probes).await;
            println!(
                "  {}: 0 idle p50 {:.3} ms p99 {:.3} ms | {} idle p50 {:.3} ms p99 {:.3} ms | closed again p50 {:.3} ms p99 {:.3} ms | with / without p50 {:.2} p99 {:.2} | RSS {} -> {} -> {} (closed) | {} of {} answered again, {} errors",
                t.name,
                pct(&r.base, 0.5),
                pct(&r.base, 0.99),
                r.opened,
                pct(&r.loaded, 0.5),
                pct(&r.loaded, 0.99),
                pct(&r.after, 0.5),
                pct(&r.after, 0.99),
                pct(&r.loaded, 0.5) / pct(&r.base, 0.5),
                pct(&r.loaded, 0.99) / pct(&r.base, 0.99),
                fmt_rss(r.rss[0]),
                fmt_rss(r.rss[1]),
                fmt_rss(r.rss[2]),
                r.answered_after,
                r.opened,
                r.errors
            );
            results.push((t.name, r));
        }
        if let [(_, w), (_, m)] = &results[..] {
            println!(
                "  Weir / MariaDB, SELECT 1 with idle connections open: p50 {:.2}, p99 {:.2}",
                pct(&w.loaded, 0.5) / pct(&m.loaded, 0.5),
                pct(&w.loaded, 0.99) / pct(&m.loaded, 0.99)
            );
        }
    }

    if a.phase == "all" || a.phase == "mix" {
        println!(
            "\n== mix: {} clients (think {} ms ±50%) + {} Flink clients on Weir, {} s each",
            a.clients, a.think_ms, a.flink_clients, a.duration
        );
        let mut w = mix_phase(&weir, &a, a.duration, &weir).await;
        print_mix(&weir, &mut w);
        if let Some(m) = &mariadb {
            let mut r = mix_phase(m, &a, a.mariadb_duration.unwrap_or(a.duration), &weir).await;
            print_mix(m, &mut r);
            println!("  Weir / MariaDB on the same mix:");
            let wt: usize = w.tally.samples.iter().filter(|(c, _)| **c <= Category::OwnError).map(|(_, v)| v.len()).sum();
            let mt: usize = r.tally.samples.iter().filter(|(c, _)| **c <= Category::OwnError).map(|(_, v)| v.len()).sum();
            println!("    throughput {:.2} (statements/s, without Weir's Flink clients)", (wt as f64 / w.seconds) / (mt as f64 / r.seconds));
            for cat in [Category::Local, Category::Metadata, Category::OwnError] {
                if let (Some(x), Some(y)) = (w.tally.samples.get(&cat), r.tally.samples.get(&cat)) {
                    println!(
                        "    {:<30} p50 {:.2}  p99 {:.2}",
                        cat.label(),
                        pct(x, 0.5) / pct(y, 0.5),
                        pct(x, 0.99) / pct(y, 0.99)
                    );
                }
            }
        }
    }
    if let (Some(m), Some(old)) = (&mariadb, restore) {
        let mut c = m.connect().await.expect("MariaDB");
        c.query_drop(format!("SET GLOBAL max_connections = {old}")).await.expect("restoring max_connections");
        println!("\nMariaDB's max_connections is back to {old}");
    }
}

/// Raises MariaDB's `max_connections` to `needed` when below; returns the value to put back.
async fn raise_max_connections(m: &Target, needed: usize) -> Option<u64> {
    let mut c = m.connect().await.ok()?;
    let old: u64 = c.query_first("SELECT @@max_connections").await.ok().flatten()?;
    if old as usize >= needed {
        return None;
    }
    match c.query_drop(format!("SET GLOBAL max_connections = {needed}")).await {
        Ok(()) => {
            println!("MariaDB's max_connections raised from {old} to {needed} for the run");
            Some(old)
        }
        Err(e) => {
            println!("MariaDB's max_connections is {old} and cannot be raised ({e}): its idle phase opens fewer");
            None
        }
    }
}
