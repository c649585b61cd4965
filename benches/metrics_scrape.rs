//! What a Prometheus scrape costs with 1,000 managed jobs: the jobs RUNNING in a SQLite store as
//! `weir serve` keeps it, on a cluster whose JobManager is a fake (an HTTP server answering
//! `/jobs/overview` and each job's `/checkpoints`), sampled by the watcher every 5 s as in `weir
//! serve`, served by Weir's HTTP listener. `GET /metrics` is timed SCRAPES times (each on a new
//! connection, as Prometheus's first scrape is), while the watcher keeps sampling; p50, p99 and
//! the exposition's size are printed. First, what counting one statement costs Weir:
//! `Metrics::statement` (its counter and its latency histogram) called in a loop on one thread,
//! then on two at once (Weir's two Tokio workers on this machine), in ns per call.
//!
//! `cargo bench --bench metrics_scrape [-- JOBS [SCRAPES]]` (default 1000 jobs, 200 scrapes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio_util::sync::CancellationToken;
use weir::catalog::CatalogStore;
use weir::config::ClusterConfig;
use weir::jobs::registry::{JobRecord, Val, VersionRecord};
use weir::jobs::{JobState, Jobs, pipeline_name};
use weir::observe::Metrics;
use weir::routing::Clusters;

fn jid(i: usize) -> String {
    format!("{i:032x}")
}

/// Answers `/jobs/overview` with every job RUNNING, and any other path with a completed
/// checkpoint a few seconds old.
async fn fake_jobmanager(listener: tokio::net::TcpListener, jobs: usize) {
    let overview: Vec<String> = (0..jobs)
        .map(|i| {
            format!(
                r#"{{"jid":"{}","name":"{}","start-time":1796342159480,"end-time":-1,"duration":306,"state":"RUNNING","last-modification":1796342159786,"tasks":{{"running":2,"total":2}}}}"#,
                jid(i),
                pipeline_name(&format!("job{i}"), 1)
            )
        })
        .collect();
    let overview = Arc::new(format!(r#"{{"jobs":[{}]}}"#, overview.join(",")));
    loop {
        let Ok((s, _)) = listener.accept().await else { return };
        let overview = overview.clone();
        tokio::spawn(async move {
            let (r, mut w) = s.into_split();
            let mut r = BufReader::new(r);
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).await.unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
                let body = if path == "/jobs/overview" {
                    overview.to_string()
                } else {
                    format!(
                        r#"{{"latest":{{"completed":{{"id":7,"is_savepoint":false,"external_path":"file:/tmp/chk-7","discarded":false,"latest_ack_timestamp":{}}}}}}}"#,
                        now - 3000
                    )
                };
                let reply = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                if w.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// One `GET /metrics` on a new connection: the time until the whole body is read, and its size.
async fn scrape(addr: std::net::SocketAddr) -> (Duration, usize) {
    let t = Instant::now();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: weir\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut body = Vec::new();
    s.read_to_end(&mut body).await.unwrap();
    (t.elapsed(), body.len())
}

/// Wall-clock ns per statement counted with `threads` threads (sessions) calling at once:
/// through the families (`Metrics::statement`) or through each session's handles
/// (`Metrics::statement_with`, what a session does).
fn per_statement_ns(threads: u64, with_handles: bool) -> f64 {
    const CALLS: u64 = 2_000_000;
    let m = Metrics::new();
    let labels = [("select", "local"), ("set", "local"), ("show", "metadata"), ("select", "flink")];
    let t = Instant::now();
    std::thread::scope(|s| {
        for k in 0..threads {
            let m = &m;
            s.spawn(move || {
                let mut handles = weir::observe::metrics::StatementHandles::default();
                for i in 0..CALLS {
                    let (labels, took) = (labels[((i + k) % 4) as usize], Duration::from_micros(50 + i % 100));
                    if with_handles {
                        m.statement_with(&mut handles, labels, took, None);
                    } else {
                        m.statement(labels, took, None);
                    }
                }
            });
        }
    });
    t.elapsed().as_nanos() as f64 / CALLS as f64
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    println!("counting a statement (Metrics::statement): {:.0} ns on one thread, {:.0} ns each on two at once", per_statement_ns(1, false), per_statement_ns(2, false));
    println!(
        "counting a statement through a session's handles (Metrics::statement_with): {:.0} ns on one thread, {:.0} ns each on two at once",
        per_statement_ns(1, true),
        per_statement_ns(2, true)
    );
    let mut args = std::env::args().skip(1).filter_map(|a| a.parse::<usize>().ok());
    let jobs_n = args.next().unwrap_or(1000);
    let scrapes = args.next().unwrap_or(200);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jm = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fake_jobmanager(listener, jobs_n));

    let dir = std::env::temp_dir().join(format!("weir-scrape-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = CatalogStore::open(&format!("sqlite://{}?mode=rwc", dir.join("catalog.db").display())).await.unwrap();
    let mut configs = BTreeMap::new();
    configs.insert("c".to_string(), ClusterConfig { gateway: Some("http://127.0.0.1:9".into()), jobmanager: Some(jm), ..ClusterConfig::default() });
    let clusters = Arc::new(Clusters::new(&configs, 0));
    let jobs = Jobs::new(store.clone(), clusters.clone(), dir.clone(), Duration::from_secs(1));
    for i in 0..jobs_n {
        let name = format!("job{i}");
        let job = JobRecord::created(&name, "c", "", BTreeMap::new(), "bench", 0);
        let v = VersionRecord {
            job: name.clone(),
            version: 1,
            body: "INSERT INTO s SELECT 1".into(),
            options: BTreeMap::new(),
            jars: Vec::new(),
            catalog: "default_catalog".into(),
            database: "default_database".into(),
            created_by: "bench".into(),
            created_at: 0,
        };
        jobs.registry.create(&job, &v).await.unwrap();
        jobs.registry
            .set(
                &name,
                &[],
                &[
                    ("state", JobState::Running.as_str().into()),
                    ("desired", "running".into()),
                    ("flink_job_id", Val::Str(jid(i))),
                    ("flink_state", "RUNNING".into()),
                    ("running_version", Val::Int(1)),
                ],
            )
            .await
            .unwrap();
    }

    let shutdown = CancellationToken::new();
    let metrics = Arc::new(Metrics::new());
    let watched = weir::observe::watch::Watched {
        metrics: metrics.clone(),
        clusters: clusters.clone(),
        jobs: jobs.clone(),
        datasyncs: weir::datasync::Datasyncs::new(jobs.clone()),
        alerts: weir::observe::alerts::Alerts::new(&store),
    };
    let watcher = weir::observe::watch::spawn(watched, weir::observe::watch::INTERVAL, shutdown.clone());
    let http = weir::observe::http::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = http.local_addr().unwrap();
    let server = weir::observe::http::spawn(http, metrics.clone(), None, None, shutdown.clone());

    // The watcher's first sample holds every job with its checkpoint age.
    let t0 = Instant::now();
    loop {
        let text = metrics.encode();
        if text.matches("weir_job_checkpoint_age_seconds{").count() == jobs_n {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(60), "the watcher did not sample {jobs_n} jobs");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("first sample of {jobs_n} jobs after {:.1?}", t0.elapsed());
    for _ in 0..10 {
        scrape(addr).await;
    }
    let mut took = Vec::with_capacity(scrapes);
    let mut size = 0;
    for _ in 0..scrapes {
        let (t, n) = scrape(addr).await;
        took.push(t);
        size = n;
        // Prometheus scrapes every few seconds; here a scrape every 25 ms spreads 200 of them over
        // the watcher's rounds (every 5 s), so some meet a round under way.
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    took.sort();
    println!(
        "GET /metrics with {jobs_n} managed jobs, {scrapes} scrapes: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({size} bytes)",
        percentile(&took, 0.5).as_secs_f64() * 1000.0,
        percentile(&took, 0.99).as_secs_f64() * 1000.0,
        took[took.len() - 1].as_secs_f64() * 1000.0,
    );
    shutdown.cancel();
    let _ = watcher.await;
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&dir);
}
