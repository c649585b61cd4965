//! What the job daemon costs: 100 managed RUNNING jobs on a cluster whose JobManager is a fake
//! (an HTTP server answering `/jobs/overview` with the 100 Flink jobs running), the registry in a
//! SQLite store as `weir serve` keeps it. The daemon polls once a second; the process's CPU time
//! over the measured window, as a share of one core, is printed.
//!
//! `cargo bench --bench jobs_daemon [-- SECONDS]` (default 30).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use weir::catalog::CatalogStore;
use weir::config::ClusterConfig;
use weir::jobs::registry::{JobRecord, Val, VersionRecord};
use weir::jobs::{JobState, Jobs, pipeline_name};
use weir::routing::Clusters;

const JOBS: usize = 100;

/// Process CPU time (user + system) from /proc/self/stat, in clock ticks of 10 ms.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn jid(i: usize) -> String {
    format!("{i:032x}")
}

async fn fake_jobmanager(listener: tokio::net::TcpListener) {
    let jobs: Vec<String> = (0..JOBS)
        .map(|i| {
            format!(
                r#"{{"jid":"{}","name":"{}","start-time":1796342159480,"end-time":-1,"duration":306,"state":"RUNNING","last-modification":1796342159786,"tasks":{{"running":2,"total":2}}}}"#,
                jid(i),
                pipeline_name(&format!("job{i}"), 1)
            )
        })
        .collect();
    let body = format!(r#"{{"jobs":[{}]}}"#, jobs.join(","));
    loop {
        let Ok((mut s, _)) = listener.accept().await else { return };
        let body = body.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            while let Ok(n) = s.read(&mut buf).await {
                if n == 0 {
                    return;
                }
                let reply = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                if s.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(30);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jm = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fake_jobmanager(listener));

    let dir = std::env::temp_dir().join(format!("weir-jobs-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = CatalogStore::open(&format!("sqlite://{}?mode=rwc", dir.join("catalog.db").display())).await.unwrap();
    let mut configs = BTreeMap::new();
    configs.insert("c".to_string(), ClusterConfig { gateway: Some("http://127.0.0.1:9".into()), jobmanager: Some(jm), ..ClusterConfig::default() });
    let clusters = std::sync::Arc::new(Clusters::new(&configs, 0));
    let jobs = Jobs::new(store, clusters, dir.clone(), Duration::from_secs(1));
    for i in 0..JOBS {
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
    let daemon = weir::jobs::daemon::Daemon::spawn(jobs.clone(), shutdown.clone());
    // Warm-up: the lease, the first look at every job.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (t0, c0) = (Instant::now(), cpu_ticks());
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let (elapsed, ticks) = (t0.elapsed(), cpu_ticks() - c0);
    shutdown.cancel();
    let _ = daemon.await;
    let running = jobs.registry.all().await.unwrap().iter().filter(|j| j.state == JobState::Running).count();
    assert_eq!(running, JOBS, "every job still RUNNING (the daemon agreed with the JobManager)");
    let cpu = Duration::from_millis(ticks * 10);
    println!(
        "job daemon, {JOBS} RUNNING jobs, one poll a second: {:.2}% of one core ({cpu:?} CPU in {elapsed:.1?})",
        100.0 * cpu.as_secs_f64() / elapsed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
