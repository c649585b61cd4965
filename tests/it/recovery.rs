//! Flink processes die; Weir restarts them; clients get clear errors meanwhile and then carry on,
//! without restarting Weir.
//!
//! These kill processes of the cluster every other test shares, so they are `#[ignore]`d in the
//! shared run and run on their own, one at a time, by scripts/test.sh
//! (`cargo test --test it -- --ignored --test-threads=1`).

use std::time::{Duration, Instant};

use mysql_async::prelude::*;

use crate::harness::{server, unique};

fn pid_of(process: &str) -> i32 {
    pid_in("local", process)
}

/// The pid of a process of the test run's cluster `cluster` (`local`: Flink 1.20, `v22`: 2.2).
fn pid_in(cluster: &str, process: &str) -> i32 {
    let path = server().data_dir.join("flink").join(cluster).join("pids").join(format!("{process}.pid"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    v["pid"].as_i64().unwrap_or_else(|| panic!("no pid in {}", path.display())) as i32
}

fn kill9(pid: i32) {
    let status = std::process::Command::new("kill").arg("-9").arg(pid.to_string()).status().expect("kill");
    assert!(status.success(), "kill -9 {pid}");
}

/// Runs a bounded batch query until it succeeds, returning the errors seen before.
async fn until_queries_work(limit: Duration) -> Vec<String> {
    let start = Instant::now();
    let mut errors = Vec::new();
    loop {
        let attempt = async {
            let mut c = server().connect().await;
            c.query_drop("SET 'execution.runtime-mode' = 'batch'").await?;
            let n: Option<i64> = c.query_first("SELECT COUNT(*) FROM (VALUES (1), (2), (3)) AS t(x)").await?;
            Ok::<_, mysql_async::Error>(n)
        };
        match attempt.await {
            Ok(Some(3)) => return errors,
            Ok(other) => panic!("unexpected answer {other:?}"),
            Err(e) => errors.push(e.to_string()),
        }
        assert!(start.elapsed() < limit, "queries did not work again within {limit:?}: {errors:?}");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::test]
#[ignore = "disruptive: scripts/test.sh runs it alone after the shared suite"]
async fn a_killed_sql_gateway_is_restarted_and_sessions_recover() {
    let mut c = server().connect().await;
    c.query_drop("CREATE TEMPORARY VIEW v AS SELECT 1 AS x").await.unwrap();
    // A table of Weir's catalog: the gateway that held it in its session memory dies.
    let t = unique("kept");
    c.query_drop(format!("CREATE TABLE {t} (x INT) WITH ('connector'='datagen','number-of-rows'='4')")).await.unwrap();
    let before = pid_of("sql-gateway");
    kill9(before);
    // Meanwhile: a clear error naming the cluster, never a hang or a dropped connection.
    let e = c.query_drop("SELECT * FROM v").await.unwrap_err();
    assert!(e.to_string().contains("local"), "the error names the cluster: {e}");
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "the connection is still usable");
    until_queries_work(Duration::from_secs(180)).await;
    assert_ne!(pid_of("sql-gateway"), before, "a new gateway process");
    // The old connection carries on too, on a fresh Flink session.
    let n: Option<i64> = c.query_first("SELECT CHAR_LENGTH('abc')").await.unwrap();
    assert_eq!(n, Some(3));
    // The TEMPORARY view went with the old Flink session; the catalog's table did not.
    let e = c.query_drop("SELECT * FROM v").await.unwrap_err();
    assert!(e.to_string().contains("v"), "{e}");
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let n: Option<i64> = c.query_first(format!("SELECT COUNT(*) FROM {t}")).await.unwrap();
    assert_eq!(n, Some(4), "the table outlived the gateway restart");
    c.query_drop(format!("DROP TABLE {t}")).await.unwrap();
}

#[tokio::test]
#[ignore = "disruptive: scripts/test.sh runs it alone after the shared suite"]
async fn a_killed_taskmanager_is_restarted_and_jobs_run_again() {
    let before = pid_of("taskmanager");
    kill9(before);
    until_queries_work(Duration::from_secs(240)).await;
    assert_ne!(pid_of("taskmanager"), before, "a new TaskManager process");
}

/// A managed job lost with its JobManager (no high availability: a restarted JobManager knows no
/// jobs) is resubmitted by Weir from its newest completed checkpoint: the sink ends with every
/// id exactly once. Prints how long after the JobManager answered again the job ran again.
#[tokio::test]
#[ignore = "disruptive: scripts/test.sh runs it alone after the shared suite"]
async fn a_managed_job_lost_with_a_killed_jobmanager_is_recovered_from_its_checkpoint_exactly_once() {
    managed_job_survives_a_jobmanager_kill("local", &server().jobmanager).await;
}

#[tokio::test]
#[ignore = "disruptive: scripts/test.sh runs it alone after the shared suite"]
async fn a_managed_job_lost_with_a_killed_flink_2_2_jobmanager_is_recovered_exactly_once() {
    managed_job_survives_a_jobmanager_kill("v22", &server().jobmanager_2).await;
}

async fn managed_job_survives_a_jobmanager_kill(cluster: &str, jobmanager: &str) {
    use crate::jobs::{assert_exactly_once, job_view, sequence_and_sink, sink_ids, wait_rows, wait_state};
    let mut c = server().connect().await;
    let (src, snk, dir) = sequence_and_sink(&mut c, 3000, 100).await;
    let job = unique("lost");
    c.query_drop(format!(
        "CREATE JOB {job} WITH ('execution.checkpointing.interval' = '1 s', 'weir.cluster' = '{cluster}') AS INSERT INTO {snk} SELECT id FROM {src}"
    ))
    .await
    .unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let before = wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    wait_rows(&dir, 200, Duration::from_secs(60)).await;

    kill9(pid_in(cluster, "jobmanager"));
    let killed = Instant::now();
    // The JobManager comes back (Weir supervises it) without the job.
    let overview = format!("{jobmanager}/overview");
    let back = loop {
        if crate::harness::try_http_get(&overview).await.is_some() {
            break Instant::now();
        }
        assert!(killed.elapsed() < Duration::from_secs(180), "the JobManager did not come back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let running_again = loop {
        let v = job_view(&mut c, &job).await.unwrap();
        if v.state == "RUNNING" && v.flink_job_id != before.flink_job_id {
            break Instant::now();
        }
        assert!(back.elapsed() < Duration::from_secs(120), "not running again: {v:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    println!(
        "recovery ({cluster}): JobManager back {:?} after kill -9; the job ran again {:?} after that",
        back - killed,
        running_again.saturating_duration_since(back)
    );
    let runs: Vec<(Option<String>, Option<String>)> =
        c.exec("SELECT RESTORED_FROM, END_STATE FROM information_schema.WEIR_JOB_RUNS WHERE JOB_NAME = ? ORDER BY RUN", (&job,)).await.unwrap();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0].1.as_deref(), Some("LOST"));
    assert!(runs[1].0.as_deref().is_some_and(|p| p.contains("/chk-")), "resumed from a checkpoint: {runs:?}");
    wait_state(&mut c, &job, "FINISHED", Duration::from_secs(180)).await;
    assert_exactly_once(&sink_ids(&dir), 3000);
}

/// Weir and the JobManager killed together mid-run: the restarted Weir finds the job lost and
/// resubmits it from its newest completed checkpoint; every id exactly once.
#[tokio::test]
#[ignore = "disruptive: scripts/test.sh runs it alone after the shared suite"]
async fn weir_and_the_jobmanager_killed_together_the_restarted_weir_recovers_the_job_exactly_once() {
    use crate::harness::{ExtraWeir, scratch_dir};
    use crate::jobs::{assert_exactly_once, job_view, sequence_and_sink, sink_ids, wait_rows, wait_state};
    // The test run's cluster as an external one, with the heartbeat timeout Weir gives the
    // clusters it manages (so the restarted Weir knows how long orphaned tasks may live).
    let clusters = format!(
        "default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\nflink_conf = {{ \"heartbeat.timeout\" = \"15000\" }}\n",
        std::env::var("WEIR_TEST_GATEWAY").unwrap(),
        server().jobmanager
    );
    let mut weir = ExtraWeir::start_with(scratch_dir("both-killed"), &clusters, "").await;
    let mut c = weir.connect().await;
    let (src, snk, dir) = sequence_and_sink(&mut c, 3000, 100).await;
    let job = unique("twice_lost");
    c.query_drop(format!("CREATE JOB {job} WITH ('execution.checkpointing.interval' = '1 s') AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let before = wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    wait_rows(&dir, 200, Duration::from_secs(60)).await;
    drop(c);

    weir.kill9();
    kill9(pid_of("jobmanager"));
    weir.start_again().await;

    let mut c = weir.connect().await;
    let start = Instant::now();
    loop {
        let v = job_view(&mut c, &job).await.unwrap();
        if v.state == "RUNNING" && v.flink_job_id != before.flink_job_id {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(180), "not running again: {v:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    wait_state(&mut c, &job, "FINISHED", Duration::from_secs(180)).await;
    assert_exactly_once(&sink_ids(&dir), 3000);
}

/// A datasync's `orders` row: (phase, rows copied since creation).
async fn orders_progress(c: &mut mysql_async::Conn, name: &str) -> (String, u64) {
    let rows = crate::datasync::progress(c, name).await;
    rows.into_iter().find(|r| r.0 == "orders").map(|r| (r.2, r.3.unwrap_or(0))).unwrap_or_default()
}

/// A datasync (100,000 rows, a writer changing ~100 rows/s throughout) through a Weir of the
/// test's own: the TaskManager killed mid-snapshot, the JobManager killed mid-binlog, then Weir
/// itself; afterwards the sink equals the source row for row — nothing lost, nothing doubled.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "disruptive: scripts/test.sh runs it alone after the shared suite"]
async fn a_datasync_survives_killed_taskmanager_jobmanager_and_weir_with_the_sink_equal_to_the_source() {
    use crate::datasync::{jdbc_catalog, make_shop, mariadb, wait_equal, write_changes_while};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use crate::harness::{ExtraWeir, scratch_dir};
    use crate::jobs::{job_view, wait_state};
    let clusters = format!(
        "default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\nflink_conf = {{ \"heartbeat.timeout\" = \"15000\" }}\n",
        std::env::var("WEIR_TEST_GATEWAY").unwrap(),
        server().jobmanager
    );
    let mut weir = ExtraWeir::start_with(scratch_dir("datasync-killed"), &clusters, "").await;
    let mut m = mariadb().await;
    let (src_db, dst_db) = (unique("shop"), unique("ods"));
    make_shop(&mut m, &src_db, 100_000).await;
    m.query_drop(format!("CREATE DATABASE {dst_db}")).await.unwrap();
    let mut c = weir.connect().await;
    let (src, dst, name) = (unique("src"), unique("dst"), unique("survivor"));
    jdbc_catalog(&mut c, &src, &src_db, "cdc", "cdc").await;
    jdbc_catalog(&mut c, &dst, &dst_db, "weir", "weir").await;
    c.query_drop(format!(
        "CREATE DATASYNC {name} FROM {src}.{src_db} EXCLUDE ('audit_log') TO {dst}.{dst_db} WITH ('checkpoint.interval' = '2 s', 'source.scan.incremental.snapshot.chunk.size' = '2000')"
    ))
    .await
    .unwrap();
    // The writer changes rows until Weir has come back from the last kill (pausing once, below).
    let writing = Arc::new(AtomicBool::new(true));
    let paused = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn(write_changes_while(
        src_db.clone(),
        100,
        {
            let writing = writing.clone();
            move |_| writing.load(Ordering::Relaxed)
        },
        {
            let paused = paused.clone();
            move || paused.load(Ordering::Relaxed)
        },
    ));

    // Mid-snapshot: the TaskManager.
    let start = Instant::now();
    let copied = loop {
        let n: Option<i64> = m.query_first(format!("SELECT COUNT(*) FROM {dst_db}.orders")).await.unwrap();
        if n.unwrap_or(0) > 0 {
            break n.unwrap_or(0);
        }
        assert!(start.elapsed() < Duration::from_secs(120), "the snapshot never started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    kill9(pid_of("taskmanager"));
    println!("datasync: TaskManager killed with {copied} of 100,000 orders copied");
    tokio::time::sleep(Duration::from_secs(25)).await;
    wait_state(&mut c, &name, "RUNNING", Duration::from_secs(180)).await;

    // Mid-binlog: the JobManager, once the snapshot is over and checkpointed. Seen in the sink
    // itself (Flink may not report the restarted tasks' metrics for minutes): the writer pauses
    // until the sink equals the source, then three checkpoint intervals pass and it writes again.
    // (A JobManager lost while a table's snapshot is read is a gap of its own: README, datasyncs.)
    // Weir resubmits the job from its newest checkpoint.
    paused.store(true, Ordering::Relaxed);
    let pairs = [(src_db.as_str(), "orders", dst_db.as_str(), "orders"), (src_db.as_str(), "customers", dst_db.as_str(), "customers")];
    wait_equal(&mut m, &pairs, Duration::from_secs(300)).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    paused.store(false, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (_, rows_before) = orders_progress(&mut c, &name).await;
    let before = job_view(&mut c, &name).await.unwrap();
    kill9(pid_of("jobmanager"));
    let start = Instant::now();
    loop {
        let v = job_view(&mut c, &name).await.unwrap();
        if v.state == "RUNNING" && v.flink_job_id != before.flink_job_id {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(240), "the datasync's job did not run again: {v:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    drop(c);

    // Weir itself.
    weir.kill9();
    tokio::time::sleep(Duration::from_secs(3)).await;
    weir.start_again().await;
    tokio::time::sleep(Duration::from_secs(5)).await;

    writing.store(false, Ordering::Relaxed);
    let written = writer.await.unwrap();
    let took = wait_equal(&mut m, &pairs, Duration::from_secs(300)).await;
    println!("datasync: {written} changes through three kills; the sink equal to the source {took:?} after the writer stopped");
    let mut c = weir.connect().await;
    assert_eq!(job_view(&mut c, &name).await.unwrap().state, "RUNNING");
    // Its progress holds across the runs: in the binlog phase, and never below what it showed
    // before the JobManager died (Flink's own count starts again with each run: the new run alone
    // emits only the writer's changes). How many rows that was depends on when the TaskManager
    // died: what the first attempt emitted after Weir's last sample of it and before its last
    // checkpoint is emitted by no later attempt (README, WEIR_DATASYNC_TABLES).
    let start = Instant::now();
    loop {
        let (phase, rows) = orders_progress(&mut c, &name).await;
        if phase == "BINLOG" && rows >= rows_before {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "orders {phase} with {rows} rows after the kills, {rows_before} before");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    c.query_drop(format!("DROP DATASYNC {name}")).await.unwrap();
}

