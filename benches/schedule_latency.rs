//! How long a schedule takes to start a job once what it depends on has ended, against a running
//! Weir and its real Flink: a chain of batch jobs (each reads the table the one before it
//! writes), one schedule, run several times. For each link the gap is Flink's own clock: the
//! next job's `start-time` minus the previous job's `end-time` (`GET /jobs/overview`), so it
//! holds everything between the two — the job daemon noticing the end, the schedule daemon's
//! step, the submission through the SQL Gateway and Flink accepting the job.
//!
//! `cargo bench --bench schedule_latency` with WEIR_ADDR (127.0.0.1:3307), WEIR_JOBMANAGER
//! (http://127.0.0.1:18081, the cluster the jobs run on), BENCH_CHAIN (6 jobs), BENCH_RUNS (5).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};
use weir_drivers::flink::JobManagerClient;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

const BATCH: &str = "WITH ('execution.runtime-mode' = 'batch', 'restart-strategy.type' = 'none', 'weir.restart.attempts' = '0')";

#[tokio::main]
async fn main() {
    let addr = env("WEIR_ADDR", "127.0.0.1:3307");
    let jobmanager = env("WEIR_JOBMANAGER", "http://127.0.0.1:18081");
    let chain: usize = env("BENCH_CHAIN", "6").parse().expect("BENCH_CHAIN");
    let runs: usize = env("BENCH_RUNS", "5").parse().expect("BENCH_RUNS");
    let (host, port) = addr.rsplit_once(':').expect("WEIR_ADDR host:port");
    let opts = OptsBuilder::default().ip_or_hostname(host).tcp_port(port.parse().expect("port")).user(Some("root")).prefer_socket(false);
    let mut c = Conn::new(opts).await.expect("connect to Weir");
    let jm = JobManagerClient::new(&jobmanager).expect("the JobManager's address");

    // A chain: src -> t1 -> t2 -> … (a job each), in one schedule.
    let tag = format!("lat{}", std::process::id());
    let dir = std::env::temp_dir().join(format!("weir-bench-{tag}"));
    c.query_drop(format!(
        "CREATE TABLE {tag}_t0 (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '10', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '10')"
    ))
    .await
    .expect("the chain's source");
    let mut jobs = Vec::new();
    for i in 1..=chain {
        let path = dir.join(format!("t{i}"));
        c.query_drop(format!("CREATE TABLE {tag}_t{i} (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://{}', 'format' = 'csv')", path.display()))
            .await
            .expect("a table of the chain");
        let job = format!("{tag}_j{i}");
        c.query_drop(format!("CREATE JOB {job} {BATCH} AS INSERT INTO {tag}_t{i} SELECT id FROM {tag}_t{}", i - 1)).await.expect("a job of the chain");
        jobs.push(job);
    }
    let schedule = format!("{tag}_chain");
    c.query_drop(format!("CREATE SCHEDULE {schedule} AS JOBS ({})", jobs.join(", "))).await.expect("the schedule");

    let mut gaps = Vec::new();
    for run in 1..=runs {
        c.query_drop(format!("RUN SCHEDULE {schedule}")).await.expect("RUN SCHEDULE");
        let start = Instant::now();
        loop {
            let state: Option<String> = c
                .exec_first("SELECT STATE FROM information_schema.WEIR_SCHEDULE_RUNS WHERE SCHEDULE_NAME = ? ORDER BY RUN_ID DESC", (&schedule,))
                .await
                .expect("the run");
            match state.as_deref() {
                Some("SUCCEEDED") => break,
                Some("RUNNING") | None => {}
                Some(other) => panic!("run {run} ended {other}"),
            }
            assert!(start.elapsed() < Duration::from_secs(600), "run {run} did not end");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // This run's Flink job of each link: the newest of its name.
        let flink = jm.jobs().await.expect("Flink's jobs");
        let newest =
            |job: &str| flink.iter().filter(|o| o.name == format!("weir-job:{job}:v1")).max_by_key(|o| o.start_time).cloned().expect("the job ran in Flink");
        let mut run_gaps = Vec::new();
        for pair in jobs.windows(2) {
            let (before, after) = (newest(&pair[0]), newest(&pair[1]));
            run_gaps.push(after.start_time - before.end_time);
        }
        println!("run {run}: {:.1} s in all; gaps (ms) {run_gaps:?}", start.elapsed().as_secs_f64());
        gaps.extend(run_gaps);
    }
    gaps.sort_unstable();
    println!(
        "dependency end -> next submission, {} links: p50 {} ms, p90 {} ms, max {} ms",
        gaps.len(),
        percentile(&gaps, 0.5),
        percentile(&gaps, 0.9),
        gaps.last().copied().unwrap_or(0)
    );

    let _ = c.query_drop(format!("DROP SCHEDULE {schedule}")).await;
    for job in &jobs {
        let _ = c.query_drop(format!("DROP JOB {job}")).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
