//! Schedules against real Flink: a DAG of batch jobs (two sources fanning into a join, a chain of
//! three, one independent) runs in the order lineage gives, never more than PARALLELISM at once,
//! each job once (Flink's own job list shows it); a failing job with ON FAILURE SKIP DOWNSTREAM
//! skips exactly what depends on it, and the ends of a failed run and of a run that succeeded
//! beside it reach a webhook as exactly the SCHEDULE FAILED and SCHEDULE FINISHED messages
//! expected, with the run's summary; bad schedules get MySQL errors.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use mysql_async::Conn;
use mysql_async::prelude::*;

use crate::harness::{jobs_of, scratch_dir, server, server_error, unique};

/// A row of EXPLAIN SCHEDULE.
type Explained = (String, String, Option<String>, Option<String>, String, Option<String>, String);
/// A row of WEIR_SCHEDULE_TASKS: job, state, attempt, start, end.
type TaskRow = (String, String, i64, Option<String>, Option<String>);

pub(crate) const BATCH: &str = "WITH ('execution.runtime-mode' = 'batch', 'restart-strategy.type' = 'none', 'weir.restart.attempts' = '0')";

/// Drops the jobs and schedules a test made, even when it failed.
pub(crate) struct Cleanup {
    pub(crate) jobs: Vec<String>,
    pub(crate) schedules: Vec<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let (jobs, schedules) = (std::mem::take(&mut self.jobs), std::mem::take(&mut self.schedules));
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let mut c = server().connect().await;
                for s in schedules {
                    let _ = c.query_drop(format!("STOP SCHEDULE {s}")).await;
                    let _ = c.query_drop(format!("DROP SCHEDULE IF EXISTS {s}")).await;
                }
                for j in jobs {
                    let _ = c.query_drop(format!("STOP JOB {j} WITHOUT SAVEPOINT")).await;
                    let _ = c.query_drop(format!("DROP JOB IF EXISTS {j}")).await;
                }
            });
        })
        .join();
    }
}

pub(crate) async fn fs_table(c: &mut Conn, name: &str) {
    let dir = scratch_dir(name);
    c.query_drop(format!("CREATE TABLE {name} (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://{}', 'format' = 'csv')", dir.display())).await.unwrap();
}

pub(crate) async fn source(c: &mut Conn, name: &str, rows: u32) {
    c.query_drop(format!("CREATE TABLE {name} (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '{rows}', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '{rows}')"))
        .await
        .unwrap();
}

/// The run's state once it ended (a test failure after `limit`).
pub(crate) async fn wait_run(c: &mut Conn, schedule: &str, limit: Duration) -> (String, String) {
    let start = Instant::now();
    loop {
        let row: Option<(String, String)> =
            c.exec_first("SELECT STATE, REASON FROM information_schema.WEIR_SCHEDULE_RUNS WHERE SCHEDULE_NAME = ? ORDER BY RUN_ID DESC", (schedule,)).await.unwrap();
        if let Some((state, reason)) = &row
            && state != "RUNNING"
            && state != "PAUSED"
        {
            return (state.clone(), reason.clone());
        }
        let tasks: Vec<(String, String, String)> = c.exec("SELECT JOB_NAME, STATE, REASON FROM information_schema.WEIR_SCHEDULE_TASKS WHERE SCHEDULE_NAME = ?", (schedule,)).await.unwrap();
        assert!(start.elapsed() < limit, "schedule {schedule} still {row:?} after {limit:?}: {tasks:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Each task: (state, attempt, start, end).
pub(crate) async fn tasks(c: &mut Conn, schedule: &str) -> BTreeMap<String, (String, i64, Option<String>, Option<String>)> {
    let rows: Vec<TaskRow> = c
        .exec("SELECT JOB_NAME, STATE, ATTEMPT, START_TIME, END_TIME FROM information_schema.WEIR_SCHEDULE_TASKS WHERE SCHEDULE_NAME = ?", (schedule,))
        .await
        .unwrap();
    rows.into_iter().map(|(j, s, a, st, e)| (j, (s, a, st, e))).collect()
}

#[tokio::test]
async fn a_dag_of_batch_jobs_runs_in_lineage_order_within_its_parallelism_each_job_once() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("sch_{p}"));
    let (src_a, src_b) = (n("src_a"), n("src_b"));
    let (ta, tb, tj, tc, td, te, tf) = (n("ta"), n("tb"), n("tj"), n("tc"), n("td"), n("te"), n("tf"));
    source(&mut c, &src_a, 200).await;
    source(&mut c, &src_b, 200).await;
    for t in [&ta, &tb, &tj, &tc, &td, &te, &tf] {
        fs_table(&mut c, t).await;
    }
    let jobs: Vec<(String, String)> = vec![
        (n("a"), format!("INSERT INTO {ta} SELECT id FROM {src_a}")),
        (n("b"), format!("INSERT INTO {tb} SELECT id FROM {src_b}")),
        (n("j"), format!("INSERT INTO {tj} SELECT x.id FROM {ta} x JOIN {tb} y ON x.id = y.id")),
        (n("c"), format!("INSERT INTO {tc} SELECT id FROM {src_a}")),
        (n("d"), format!("INSERT INTO {td} SELECT id * 2 FROM {tc}")),
        (n("e"), format!("INSERT INTO {te} SELECT id + 1 FROM {td}")),
        (n("f"), format!("INSERT INTO {tf} SELECT id FROM {src_b}")),
    ];
    let schedule = n("dag");
    let _cleanup = Cleanup { jobs: jobs.iter().map(|(j, _)| j.clone()).collect(), schedules: vec![schedule.clone()] };
    for (j, body) in &jobs {
        c.query_drop(format!("CREATE JOB {j} {BATCH} AS {body}")).await.unwrap();
    }
    let name = |i: usize| jobs[i].0.clone();
    let list = jobs.iter().map(|(j, _)| j.as_str()).collect::<Vec<_>>().join(", ");
    c.query_drop(format!("CREATE SCHEDULE {schedule} PARALLELISM 2 ON FAILURE STOP AS JOBS ({list})")).await.unwrap();

    // EXPLAIN: the edges lineage gives, each with its table.
    let explained: Vec<Explained> = c.query(format!("EXPLAIN SCHEDULE {schedule}")).await.unwrap();
    let edges: Vec<(String, String, String)> = explained.iter().filter_map(|(_, j, d, t, _, _, _)| Some((d.clone()?, j.clone(), t.clone()?))).collect();
    let q = |t: &str| format!("default_catalog.default_database.{t}");
    let mut expected = vec![(name(0), name(2), q(&ta)), (name(1), name(2), q(&tb)), (name(3), name(4), q(&tc)), (name(4), name(5), q(&td))];
    expected.sort();
    let mut got = edges.clone();
    got.sort();
    assert_eq!(got, expected);

    c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap();
    let e = server_error(c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap_err());
    assert_eq!(e.code, 3730, "{}", e.message);
    let (state, reason) = wait_run(&mut c, &schedule, Duration::from_secs(600)).await;
    assert_eq!((state.as_str(), reason.as_str()), ("SUCCEEDED", ""));
    let t = tasks(&mut c, &schedule).await;
    for (job, (state, attempt, start, end)) in &t {
        assert_eq!((state.as_str(), *attempt), ("SUCCEEDED", 1), "{job}");
        assert!(start.is_some() && end.is_some(), "{job}");
    }
    // Each reader started after what it reads ended.
    for (w, r, _) in &expected {
        let (end_w, start_r) = (t[w].3.clone().unwrap(), t[r].2.clone().unwrap());
        assert!(start_r >= end_w, "{r} started at {start_r}, before {w} ended at {end_w}");
    }
    // Never more than two at once.
    let mut points: Vec<(String, i32)> = t.values().flat_map(|(_, _, s, e)| [(s.clone().unwrap(), 1), (e.clone().unwrap(), -1)]).collect();
    points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut now = 0;
    for (_, d) in points {
        now += d;
        assert!(now <= 2, "more than PARALLELISM 2 jobs ran at once");
    }
    // Flink ran each job once.
    let flink = jobs_of(&server().jobmanager).await;
    for (j, _) in &jobs {
        let runs = flink.iter().filter(|(_, n, _)| n == &format!("weir-job:{j}:v1")).count();
        assert_eq!(runs, 1, "{j} ran {runs} times in Flink");
    }
    // History exists now: EXPLAIN shows learned durations.
    let explained: Vec<Explained> = c.query(format!("EXPLAIN SCHEDULE {schedule}")).await.unwrap();
    assert!(explained.iter().all(|r| r.5.is_some() && r.6.starts_with("history")), "{explained:?}");
}

#[tokio::test]
async fn a_failing_job_with_skip_downstream_skips_exactly_its_descendants() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("schf_{p}"));
    let (src, t1, t2, t3, t4) = (n("src"), n("t1"), n("t2"), n("t3"), n("t4"));
    source(&mut c, &src, 50).await;
    for t in [&t1, &t2, &t3, &t4] {
        fs_table(&mut c, t).await;
    }
    let (bad, after_bad, ok, alone) = (n("bad"), n("after_bad"), n("ok"), n("alone"));
    let (schedule, good) = (n("skip"), n("good"));
    let _cleanup = Cleanup { jobs: vec![bad.clone(), after_bad.clone(), ok.clone(), alone.clone()], schedules: vec![schedule.clone(), good.clone()] };
    c.query_drop(format!("CREATE JOB {bad} {BATCH} AS INSERT INTO {t1} SELECT id / (id - id) FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {after_bad} {BATCH} AS INSERT INTO {t2} SELECT id FROM {t1}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {ok} {BATCH} AS INSERT INTO {t3} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {alone} {BATCH} AS INSERT INTO {t4} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {schedule} PARALLELISM 2 RETRY 1 ON FAILURE SKIP DOWNSTREAM AS JOBS ({bad}, {after_bad}, {ok})")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {good} AS JOBS ({alone})")).await.unwrap();
    // The runs' ends reach people: an alert on a failure, and every finish with its summary —
    // the same two rules for each schedule.
    let mut receiver = crate::alerts::Receiver::new();
    receiver.start().await;
    let hook = n("hook");
    c.query_drop(format!("CREATE ALERT CHANNEL {hook} TYPE WEBHOOK WITH ('url' = '{}')", receiver.url("/hook"))).await.unwrap();
    let mut rules = Vec::new();
    for s in [&schedule, &good] {
        let (failed_rule, finished_rule) = (format!("{s}_failed"), format!("{s}_finished"));
        c.query_drop(format!("CREATE ALERT RULE {failed_rule} ON SCHEDULE FAILED FOR SCHEDULE {s} SEND TO {hook}")).await.unwrap();
        c.query_drop(format!("CREATE ALERT RULE {finished_rule} ON SCHEDULE FINISHED FOR SCHEDULE {s} SEND TO {hook} TEMPLATE '{{subject}} {{state}}: {{value}}'")).await.unwrap();
        rules.extend([failed_rule, finished_rule]);
    }
    let (failed_rule, finished_rule) = (format!("{schedule}_failed"), format!("{schedule}_finished"));
    c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap();
    c.query_drop(format!("RUN SCHEDULE {good}")).await.unwrap();
    let (state, reason) = wait_run(&mut c, &good, Duration::from_secs(600)).await;
    assert_eq!((state.as_str(), reason.as_str()), ("SUCCEEDED", ""));
    let (state, reason) = wait_run(&mut c, &schedule, Duration::from_secs(600)).await;
    assert_eq!(state, "FAILED");
    assert!(reason.contains(&bad), "{reason}");
    let t = tasks(&mut c, &schedule).await;
    assert_eq!((t[&bad].0.as_str(), t[&bad].1), ("FAILED", 2), "RETRY 1: two attempts");
    assert_eq!(t[&after_bad].0, "SKIPPED");
    assert_eq!(t[&ok].0, "SUCCEEDED");

    let start = std::time::Instant::now();
    while receiver.at("/hook").len() < 3 {
        assert!(start.elapsed() < Duration::from_secs(30), "schedule alerts: {:?}", receiver.at("/hook"));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let got = receiver.at("/hook");
    let mut rules_heard: Vec<&str> = got.iter().filter_map(|b| b["rule"].as_str()).collect();
    rules_heard.sort_unstable();
    let mut expected = vec![failed_rule.as_str(), finished_rule.as_str(), rules[3].as_str()];
    expected.sort_unstable();
    assert_eq!(rules_heard, expected, "the failed run: FAILED and FINISHED once each; the run that succeeded: FINISHED once, FAILED never: {got:?}");
    let failed = got.iter().find(|b| b["rule"] == failed_rule.as_str()).expect("the failure's alert");
    assert!(failed["message"].as_str().unwrap().contains(&bad), "{failed}");
    let finished = got.iter().find(|b| b["rule"] == finished_rule.as_str()).expect("the finish's alert");
    let text = finished["message"].as_str().unwrap();
    assert!(text.starts_with(&format!("{schedule} FAILED: run ")), "{text}");
    assert!(text.contains("3 task(s), 1 failed"), "{text}");
    for (job, state) in [(&bad, "FAILED (attempt 2"), (&after_bad, "SKIPPED"), (&ok, "SUCCEEDED (attempt 1, ")] {
        assert!(text.contains(&format!("{job} {state}")), "{job} {state} in {text}");
    }
    let finished_good = got.iter().find(|b| b["rule"] == rules[3].as_str()).expect("the good run's finish");
    let text = finished_good["message"].as_str().unwrap();
    assert!(text.starts_with(&format!("{good} SUCCEEDED: run ")) && text.contains("1 task(s), 0 failed"), "{text}");
    assert!(text.contains(&format!("\n{alone} SUCCEEDED (attempt 1, ")) && text.contains(" s)"), "the job, its attempt and its duration: {text}");
    for rule in &rules {
        c.query_drop(format!("DROP ALERT RULE {rule}")).await.unwrap();
    }
    c.query_drop(format!("DROP ALERT CHANNEL {hook}")).await.unwrap();
}

#[tokio::test]
async fn bad_schedules_get_mysql_errors_and_change_nothing() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("sche_{p}"));
    let (src, t1, t2) = (n("src"), n("t1"), n("t2"));
    source(&mut c, &src, 5).await;
    fs_table(&mut c, &t1).await;
    fs_table(&mut c, &t2).await;
    let (x, y, streaming) = (n("x"), n("y"), n("streaming"));
    let _cleanup = Cleanup { jobs: vec![x.clone(), y.clone(), streaming.clone()], schedules: vec![] };
    c.query_drop(format!("CREATE JOB {x} {BATCH} AS INSERT INTO {t1} SELECT id FROM {t2}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {y} {BATCH} AS INSERT INTO {t2} SELECT id FROM {t1}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {streaming} AS INSERT INTO {t1} SELECT id FROM {src}")).await.unwrap();
    let s = n("s");
    let err = |e: mysql_async::Error| {
        let e = server_error(e);
        (e.code, e.message)
    };
    let (code, m) = err(c.query_drop(format!("CREATE SCHEDULE {s} AS JOBS ({x}, {y})")).await.unwrap_err());
    assert_eq!(code, 1462, "{m}");
    assert!(m.contains("cycle") && m.contains(&x) && m.contains(&y), "{m}");
    let (code, m) = err(c.query_drop(format!("CREATE SCHEDULE {s} AS JOBS ({x}, no_such_job)")).await.unwrap_err());
    assert_eq!((code, m), (1305, format!("JOB no_such_job does not exist (schedule '{s}' names it)")));
    let (code, m) = err(c.query_drop(format!("CREATE SCHEDULE {s} AS JOBS ({streaming})")).await.unwrap_err());
    assert_eq!(code, 1235, "{m}");
    assert!(m.contains("streaming"), "{m}");
    let (code, m) = err(c.query_drop(format!("CREATE SCHEDULE {s} CRON '61 * * * *' AS JOBS ({x})")).await.unwrap_err());
    assert_eq!(code, 1210, "{m}");
    assert!(m.contains("61 * * * *"), "{m}");
    let (code, m) = err(c.query_drop(format!("CREATE SCHEDULE {s} CRON '0 2 * * *' TIMEZONE 'Mars/Olympus' AS JOBS ({x})")).await.unwrap_err());
    assert_eq!((code, m.as_str()), (1298, "Unknown or incorrect time zone: 'Mars/Olympus'"));
    let (code, m) = err(c.query_drop(format!("CREATE SCHEDULE {s} PARALLELISM 0 AS JOBS ({x})")).await.unwrap_err());
    assert_eq!(code, 1064, "{m}");
    let (code, _) = err(c.query_drop(format!("RUN SCHEDULE {s}")).await.unwrap_err());
    assert_eq!(code, 1305);
    let none: Vec<(String,)> = c.exec("SELECT SCHEDULE_NAME FROM information_schema.WEIR_SCHEDULE_RUNS WHERE SCHEDULE_NAME = ?", (&s,)).await.unwrap();
    assert!(none.is_empty());
    let one: Option<u32> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}
