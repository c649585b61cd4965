//! Controlling schedules against real Flink, as an operator does: a CRON schedule (with seconds)
//! fires by itself; a schedule of schedules merges their DAGs; a schedule that runs AFTER
//! another starts when that one succeeded; PAUSE lets the running job finish and starts nothing
//! more until RESUME; a job past the schedule's TIMEOUT is cancelled in Flink and fails its task;
//! STOP SCHEDULE cancels what runs and skips what waits; ON FAILURE STOP tries a failing job
//! RETRY + 1 times, then ends the run, cancelling what runs; once runs have history the shorter of
//! two ready jobs starts first (SDJF), unless a WEIGHT says otherwise; Weir killed with -9 in the middle of a
//! run picks the run up where it was: the running job adopted (run once in Flink), the waiting
//! one started after it.

use std::time::{Duration, Instant};

use mysql_async::Conn;
use mysql_async::prelude::*;

use crate::harness::{ExtraWeir, env, jobs_of, scratch_dir, server, unique};
use crate::schedule::{BATCH, Cleanup, fs_table, source, tasks, wait_run};

/// A datagen source slow enough to keep a job running: `rows` rows at `per_second`.
async fn slow_source(c: &mut Conn, name: &str, rows: u32, per_second: u32) {
    c.query_drop(format!(
        "CREATE TABLE {name} (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '{rows}', 'rows-per-second' = '{per_second}', \
         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '{rows}')"
    ))
    .await
    .unwrap();
}

/// Waits until the schedule's latest run's task for `job` is in `state`.
async fn wait_task(c: &mut Conn, schedule: &str, job: &str, state: &str, limit: Duration) {
    let start = Instant::now();
    loop {
        let t = tasks(c, schedule).await;
        if t.get(job).is_some_and(|x| x.0 == state) {
            return;
        }
        assert!(start.elapsed() < limit, "task {job} of {schedule} not {state} after {limit:?}: {t:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The latest run of a schedule: (run id, state, triggered by).
async fn latest_run(c: &mut Conn, schedule: &str) -> Option<(i64, String, String)> {
    c.exec_first("SELECT RUN_ID, STATE, TRIGGERED_BY FROM information_schema.WEIR_SCHEDULE_RUNS WHERE SCHEDULE_NAME = ? ORDER BY RUN_ID DESC", (schedule,))
        .await
        .unwrap()
}

/// Waits until Flink lists no Flink job of the managed job `job` that has not ended (a test
/// failure after `limit`: a stopped run's job runs on).
async fn nothing_of_it_runs_in_flink(job: &str, limit: Duration) {
    let start = Instant::now();
    loop {
        let live: Vec<(String, String, String)> = jobs_of(&server().jobmanager)
            .await
            .into_iter()
            .filter(|(_, name, state)| name == &format!("weir-job:{job}:v1") && !["CANCELED", "FAILED", "FINISHED"].contains(&state.as_str()))
            .collect();
        if live.is_empty() {
            return;
        }
        assert!(start.elapsed() < limit, "a stopped run's job {job} runs on in Flink: {live:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Flink's state of the job a task ran (by the task's FLINK_JOB_ID).
async fn flink_state_of_task(c: &mut Conn, schedule: &str, job: &str) -> String {
    let id: Option<String> = c
        .exec_first("SELECT FLINK_JOB_ID FROM information_schema.WEIR_SCHEDULE_TASKS WHERE SCHEDULE_NAME = ? AND JOB_NAME = ? ORDER BY RUN_ID DESC", (schedule, job))
        .await
        .unwrap()
        .flatten();
    let id = id.unwrap_or_else(|| panic!("task {job} of {schedule} has no Flink job"));
    let jobs = jobs_of(&server().jobmanager).await;
    jobs.into_iter().find(|(jid, _, _)| *jid == id).map(|(_, _, state)| state).unwrap_or_else(|| panic!("Flink does not list job {id}"))
}

#[tokio::test]
async fn a_schedule_after_another_runs_once_that_one_succeeded() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("scha_{p}"));
    let (src, t1, t2) = (n("src"), n("t1"), n("t2"));
    source(&mut c, &src, 20).await;
    fs_table(&mut c, &t1).await;
    fs_table(&mut c, &t2).await;
    let (load, report) = (n("load"), n("report"));
    let (first, second) = (n("first"), n("second"));
    let _cleanup = Cleanup { jobs: vec![load.clone(), report.clone()], schedules: vec![second.clone(), first.clone()] };
    c.query_drop(format!("CREATE JOB {load} {BATCH} AS INSERT INTO {t1} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {report} {BATCH} AS INSERT INTO {t2} SELECT id * 10 FROM {t1}")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {first} AS JOBS ({load})")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {second} AFTER {first} AS JOBS ({report})")).await.unwrap();

    // Nothing runs the second schedule by itself.
    assert!(latest_run(&mut c, &second).await.is_none());
    c.query_drop(format!("RUN SCHEDULE {first}")).await.unwrap();
    assert_eq!(wait_run(&mut c, &first, Duration::from_secs(300)).await.0, "SUCCEEDED");
    // Its success starts the second, which says why it ran.
    let start = Instant::now();
    while latest_run(&mut c, &second).await.is_none() {
        assert!(start.elapsed() < Duration::from_secs(30), "{second} did not run after {first} succeeded");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(wait_run(&mut c, &second, Duration::from_secs(300)).await.0, "SUCCEEDED");
    let (id, _, triggered) = latest_run(&mut c, &second).await.unwrap();
    assert_eq!(triggered, "AFTER");
    let t = tasks(&mut c, &second).await;
    assert_eq!(t[&report].0, "SUCCEEDED");
    // Once per success: no second run of it appears while the first schedule stays as it was.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(latest_run(&mut c, &second).await.unwrap().0, id);
}

#[tokio::test]
async fn pause_lets_the_running_job_finish_and_starts_nothing_until_resume() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("schp_{p}"));
    let (slow, fast, t1, t2) = (n("slow"), n("fast"), n("t1"), n("t2"));
    // About six seconds of rows: long enough to pause while it runs.
    slow_source(&mut c, &slow, 30, 5).await;
    source(&mut c, &fast, 5).await;
    fs_table(&mut c, &t1).await;
    fs_table(&mut c, &t2).await;
    let (long, short) = (n("long"), n("short"));
    let schedule = n("sched");
    let _cleanup = Cleanup { jobs: vec![long.clone(), short.clone()], schedules: vec![schedule.clone()] };
    c.query_drop(format!("CREATE JOB {long} {BATCH} AS INSERT INTO {t1} SELECT id FROM {slow}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {short} {BATCH} AS INSERT INTO {t2} SELECT id FROM {fast}")).await.unwrap();
    // One at a time, the long job first.
    c.query_drop(format!("CREATE SCHEDULE {schedule} PARALLELISM 1 AS JOBS ({long}, {short})")).await.unwrap();
    c.query_drop(format!("ALTER SCHEDULE {schedule} WEIGHT {long} = 10")).await.unwrap();
    c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap();
    wait_task(&mut c, &schedule, &long, "RUNNING", Duration::from_secs(120)).await;

    c.query_drop(format!("PAUSE SCHEDULE {schedule}")).await.unwrap();
    assert_eq!(latest_run(&mut c, &schedule).await.unwrap().1, "PAUSED");
    // The running job finishes; the waiting one is not started.
    wait_task(&mut c, &schedule, &long, "SUCCEEDED", Duration::from_secs(120)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let t = tasks(&mut c, &schedule).await;
    assert_eq!(t[&short].0, "WAITING", "{t:?}");
    assert_eq!(latest_run(&mut c, &schedule).await.unwrap().1, "PAUSED");

    c.query_drop(format!("RESUME SCHEDULE {schedule}")).await.unwrap();
    assert_eq!(wait_run(&mut c, &schedule, Duration::from_secs(300)).await.0, "SUCCEEDED");
    let t = tasks(&mut c, &schedule).await;
    assert_eq!((t[&long].0.as_str(), t[&short].0.as_str()), ("SUCCEEDED", "SUCCEEDED"));
    // The waiting job started after the running one ended.
    assert!(t[&short].2 >= t[&long].3, "{t:?}");
}

#[tokio::test]
async fn a_job_past_the_timeout_is_cancelled_and_stop_schedule_cancels_the_run() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("scht_{p}"));
    let (slow, t1, t2, t3) = (n("slow"), n("t1"), n("t2"), n("t3"));
    // Far longer than any timeout below: 600 rows at 5 a second.
    slow_source(&mut c, &slow, 600, 5).await;
    for t in [&t1, &t2, &t3] {
        fs_table(&mut c, t).await;
    }
    let (timed, stopped, waiting) = (n("timed"), n("stopped"), n("waiting"));
    let (with_timeout, to_stop) = (n("timeout"), n("stop"));
    let _cleanup = Cleanup { jobs: vec![timed.clone(), stopped.clone(), waiting.clone()], schedules: vec![with_timeout.clone(), to_stop.clone()] };
    c.query_drop(format!("CREATE JOB {timed} {BATCH} AS INSERT INTO {t1} SELECT id FROM {slow}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {stopped} {BATCH} AS INSERT INTO {t2} SELECT id FROM {slow}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {waiting} {BATCH} AS INSERT INTO {t3} SELECT id FROM {t2}")).await.unwrap();

    // TIMEOUT: the job is cancelled in Flink, its task and the run fail saying why.
    c.query_drop(format!("CREATE SCHEDULE {with_timeout} TIMEOUT 5 SECONDS AS JOBS ({timed})")).await.unwrap();
    c.query_drop(format!("RUN SCHEDULE {with_timeout}")).await.unwrap();
    let (state, reason) = wait_run(&mut c, &with_timeout, Duration::from_secs(180)).await;
    assert_eq!(state, "FAILED", "{reason}");
    let task_reason: String = c
        .exec_first("SELECT REASON FROM information_schema.WEIR_SCHEDULE_TASKS WHERE SCHEDULE_NAME = ? AND JOB_NAME = ?", (&with_timeout, &timed))
        .await
        .unwrap()
        .unwrap();
    assert!(task_reason.to_lowercase().contains("timeout") || task_reason.to_lowercase().contains("timed out"), "{task_reason}");
    let start = Instant::now();
    loop {
        let s = flink_state_of_task(&mut c, &with_timeout, &timed).await;
        if s == "CANCELED" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "Flink's job is {s}, not CANCELED");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // STOP SCHEDULE, as soon as the task is RUNNING (its job perhaps still being submitted):
    // the run stops, the waiting job is skipped, and nothing of it runs on in Flink.
    c.query_drop(format!("CREATE SCHEDULE {to_stop} AS JOBS ({stopped}, {waiting})")).await.unwrap();
    c.query_drop(format!("RUN SCHEDULE {to_stop}")).await.unwrap();
    wait_task(&mut c, &to_stop, &stopped, "RUNNING", Duration::from_secs(120)).await;
    c.query_drop(format!("STOP SCHEDULE {to_stop}")).await.unwrap();
    let (state, _) = wait_run(&mut c, &to_stop, Duration::from_secs(120)).await;
    assert_eq!(state, "STOPPED");
    let t = tasks(&mut c, &to_stop).await;
    assert_eq!(t[&waiting].0, "SKIPPED", "{t:?}");
    assert_ne!(t[&stopped].0, "SUCCEEDED", "{t:?}");
    // Give a submission that was in flight time to reach Flink, then nothing may run.
    tokio::time::sleep(Duration::from_secs(5)).await;
    nothing_of_it_runs_in_flink(&stopped, Duration::from_secs(60)).await;
    assert!(!jobs_of(&server().jobmanager).await.iter().any(|(_, name, state)| name == &format!("weir-job:{stopped}:v1") && state == "FINISHED"));
    // The connection is still usable, and a stopped schedule can run again.
    let one: Option<u8> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn weir_killed_mid_run_picks_the_run_up_where_it_was() {
    let clusters = format!("default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\n", env("WEIR_TEST_GATEWAY"), server().jobmanager);
    let mut weir = ExtraWeir::start_with(scratch_dir(&unique("sched_kill")), &clusters, "").await;
    let mut c = weir.connect().await;
    let n = |p: &str| unique(&format!("schk_{p}"));
    let (slow, t1, t2) = (n("slow"), n("t1"), n("t2"));
    slow_source(&mut c, &slow, 40, 5).await;
    fs_table(&mut c, &t1).await;
    fs_table(&mut c, &t2).await;
    let (first, then) = (n("first"), n("then"));
    let schedule = n("sched");
    c.query_drop(format!("CREATE JOB {first} {BATCH} AS INSERT INTO {t1} SELECT id FROM {slow}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {then} {BATCH} AS INSERT INTO {t2} SELECT id + 1 FROM {t1}")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {schedule} AS JOBS ({first}, {then})")).await.unwrap();
    c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap();
    wait_task(&mut c, &schedule, &first, "RUNNING", Duration::from_secs(120)).await;
    let start = Instant::now();
    while flink_runs(&first).await == 0 {
        assert!(start.elapsed() < Duration::from_secs(60), "{first} never reached Flink");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    drop(c);

    // kill -9 while the first job runs in Flink and the second waits for it.
    weir.kill9();
    tokio::time::sleep(Duration::from_secs(2)).await;
    weir.start_again().await;
    let mut c = weir.connect().await;
    let (state, reason) = wait_run(&mut c, &schedule, Duration::from_secs(300)).await;
    assert_eq!((state.as_str(), reason.as_str()), ("SUCCEEDED", ""));
    let t = tasks(&mut c, &schedule).await;
    assert_eq!((t[&first].0.as_str(), t[&first].1), ("SUCCEEDED", 1), "adopted, not started again: {t:?}");
    assert_eq!(t[&then].0, "SUCCEEDED");
    assert!(t[&then].2 >= t[&first].3, "the second started after the first ended: {t:?}");
    // Flink ran each job once: the running one was adopted, not submitted a second time.
    assert_eq!(flink_runs(&first).await, 1);
    assert_eq!(flink_runs(&then).await, 1);
    // One run, not a second one started by the restart.
    let runs: Vec<i64> = c.exec("SELECT RUN_ID FROM information_schema.WEIR_SCHEDULE_RUNS WHERE SCHEDULE_NAME = ?", (&schedule,)).await.unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    for j in [&first, &then] {
        // The job daemon shows the finish at its next tick (the schedule saw it in Flink first).
        crate::jobs::wait_state(&mut c, j, "FINISHED", Duration::from_secs(30)).await;
        c.query_drop(format!("DROP JOB {j}")).await.unwrap();
    }
}

/// How many times Flink ran version 1 of managed job `job`.
async fn flink_runs(job: &str) -> usize {
    jobs_of(&server().jobmanager).await.iter().filter(|(_, name, _)| name == &format!("weir-job:{job}:v1")).count()
}

#[tokio::test]
async fn a_cron_schedule_fires_by_itself_and_a_schedule_of_schedules_merges_their_dags() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("schc_{p}"));
    let (src, t1, t2, t3) = (n("src"), n("t1"), n("t2"), n("t3"));
    source(&mut c, &src, 10).await;
    for t in [&t1, &t2, &t3] {
        fs_table(&mut c, t).await;
    }
    let (ticker, load, report) = (n("ticker"), n("load"), n("report"));
    let (every, loads, reports, both) = (n("every"), n("loads"), n("reports"), n("both"));
    let _cleanup = Cleanup { jobs: vec![ticker.clone(), load.clone(), report.clone()], schedules: vec![every.clone(), both.clone(), loads.clone(), reports.clone()] };
    c.query_drop(format!("CREATE JOB {ticker} {BATCH} AS INSERT INTO {t1} SELECT id FROM {src}")).await.unwrap();

    // Every four seconds (a leading seconds field), with no RUN SCHEDULE.
    c.query_drop(format!("CREATE SCHEDULE {every} CRON '*/4 * * * * *' TIMEZONE 'UTC' AS JOBS ({ticker})")).await.unwrap();
    let start = Instant::now();
    loop {
        let fired: Vec<(i64, String, String)> = c
            .exec("SELECT RUN_ID, STATE, TRIGGERED_BY FROM information_schema.WEIR_SCHEDULE_RUNS WHERE SCHEDULE_NAME = ? ORDER BY RUN_ID", (&every,))
            .await
            .unwrap();
        if fired.iter().filter(|r| r.1 == "SUCCEEDED").count() >= 2 {
            assert!(fired.iter().all(|r| r.2 == "CRON"), "{fired:?}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "the CRON schedule did not run twice: {fired:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // (It keeps firing until the cleanup stops and drops it.)

    // Two schedules, one reading what the other's job writes: as one schedule, lineage orders
    // them across the two.
    c.query_drop(format!("CREATE JOB {load} {BATCH} AS INSERT INTO {t2} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {report} {BATCH} AS INSERT INTO {t3} SELECT id * 2 FROM {t2}")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {reports} AS JOBS ({report})")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {loads} AS JOBS ({load})")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {both} PARALLELISM 2 AS SCHEDULES ({reports}, {loads})")).await.unwrap();
    let explained: Vec<(String, String, Option<String>)> =
        c.query(format!("EXPLAIN SCHEDULE {both}")).await.unwrap().into_iter().map(|r: mysql_async::Row| (r.get::<String, _>(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap())).collect();
    assert!(explained.iter().any(|(_, job, dep)| job == &report && dep.as_deref() == Some(load.as_str())), "{explained:?}");
    c.query_drop(format!("RUN SCHEDULE {both}")).await.unwrap();
    assert_eq!(wait_run(&mut c, &both, Duration::from_secs(300)).await.0, "SUCCEEDED");
    let t = tasks(&mut c, &both).await;
    assert_eq!(t.len(), 2, "{t:?}");
    assert!(t[&report].2 >= t[&load].3, "the report ran after the load, though PARALLELISM 2 allowed both: {t:?}");
}

#[tokio::test]
async fn on_failure_stop_retries_a_failing_job_twice_then_ends_the_run_and_cancels_what_runs() {
    let mut c = server().connect().await;
    let n = |p: &str| unique(&format!("schs_{p}"));
    let (src, slow, t1, t2, t3) = (n("src"), n("slow"), n("t1"), n("t2"), n("t3"));
    source(&mut c, &src, 20).await;
    // Far longer than the failing job's three attempts: 600 rows at 5 a second.
    slow_source(&mut c, &slow, 600, 5).await;
    for t in [&t1, &t2, &t3] {
        fs_table(&mut c, t).await;
    }
    let (bad, long, after_long) = (n("bad"), n("long"), n("after_long"));
    let schedule = n("stop");
    let _cleanup = Cleanup { jobs: vec![bad.clone(), long.clone(), after_long.clone()], schedules: vec![schedule.clone()] };
    c.query_drop(format!("CREATE JOB {bad} {BATCH} AS INSERT INTO {t1} SELECT id / (id - id) FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {long} {BATCH} AS INSERT INTO {t2} SELECT id FROM {slow}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {after_long} {BATCH} AS INSERT INTO {t3} SELECT id FROM {t2}")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {schedule} PARALLELISM 2 RETRY 2 ON FAILURE STOP AS JOBS ({bad}, {long}, {after_long})")).await.unwrap();
    c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap();

    // The failing job is tried three times (RETRY 2), the long one runs meanwhile; then the run
    // fails naming the job and the policy.
    let (state, reason) = wait_run(&mut c, &schedule, Duration::from_secs(300)).await;
    assert_eq!(state, "FAILED", "{reason}");
    assert!(reason.contains(&bad) && reason.contains("ON FAILURE STOP"), "{reason}");
    let t = tasks(&mut c, &schedule).await;
    assert_eq!((t[&bad].0.as_str(), t[&bad].1), ("FAILED", 3), "RETRY 2: three attempts: {t:?}");
    assert_eq!(t[&after_long].0, "SKIPPED", "what waited never starts: {t:?}");
    assert_ne!(t[&long].0, "SUCCEEDED", "the long job was stopped with the run: {t:?}");
    // Flink ran the failing job three times, each failed; the long one is cancelled, not left running.
    let flink = jobs_of(&server().jobmanager).await;
    let runs_of = |job: &str| flink.iter().filter(|(_, name, _)| name == &format!("weir-job:{job}:v1")).map(|(_, _, s)| s.clone()).collect::<Vec<_>>();
    assert_eq!(runs_of(&bad), vec!["FAILED".to_string(); 3], "{flink:?}");
    assert!(runs_of(&after_long).is_empty(), "{flink:?}");
    nothing_of_it_runs_in_flink(&long, Duration::from_secs(60)).await;
    let one: Option<u8> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

/// The jobs of a schedule's run in the order they started.
async fn started_in_order(c: &mut Conn, schedule: &str, run: i64) -> Vec<String> {
    c.exec("SELECT JOB_NAME FROM information_schema.WEIR_SCHEDULE_TASKS WHERE SCHEDULE_NAME = ? AND RUN_ID = ? ORDER BY START_TIME, JOB_NAME", (schedule, run)).await.unwrap()
}

#[tokio::test]
async fn with_history_the_shorter_of_two_ready_jobs_starts_first_and_a_weight_overrides_it() {
    let mut c = server().connect().await;
    let p = unique("sdjf");
    let (short_src, slow, t1, t2) = (format!("{p}_short_src"), format!("{p}_slow"), format!("{p}_t1"), format!("{p}_t2"));
    source(&mut c, &short_src, 10).await;
    // About 3 s: 30 rows at 10 a second.
    slow_source(&mut c, &slow, 30, 10).await;
    fs_table(&mut c, &t1).await;
    fs_table(&mut c, &t2).await;
    // Named so that without history (names decide) the long one goes first.
    let (long, short) = (format!("{p}_a_long"), format!("{p}_b_short"));
    let schedule = format!("{p}_pick");
    let _cleanup = Cleanup { jobs: vec![long.clone(), short.clone()], schedules: vec![schedule.clone()] };
    c.query_drop(format!("CREATE JOB {long} {BATCH} AS INSERT INTO {t1} SELECT id FROM {slow}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {short} {BATCH} AS INSERT INTO {t2} SELECT id FROM {short_src}")).await.unwrap();
    c.query_drop(format!("CREATE SCHEDULE {schedule} PARALLELISM 1 AS JOBS ({long}, {short})")).await.unwrap();

    let mut orders = Vec::new();
    for run in 1..=3 {
        if run == 3 {
            c.query_drop(format!("ALTER SCHEDULE {schedule} WEIGHT {long} = 10")).await.unwrap();
        }
        c.query_drop(format!("RUN SCHEDULE {schedule}")).await.unwrap();
        let (state, reason) = wait_run(&mut c, &schedule, Duration::from_secs(300)).await;
        assert_eq!(state, "SUCCEEDED", "run {run}: {reason}");
        let (id, _, _) = latest_run(&mut c, &schedule).await.unwrap();
        orders.push(started_in_order(&mut c, &schedule, id).await);
    }
    // No history: by name. Then each job's median duration: the short one first. Then the weight.
    assert_eq!(orders[0], [long.clone(), short.clone()], "run 1 (no history)");
    assert_eq!(orders[1], [short.clone(), long.clone()], "run 2 (the short one is known to be short)");
    assert_eq!(orders[2], [long.clone(), short.clone()], "run 3 (WEIGHT {long} = 10)");
    // EXPLAIN SCHEDULE shows the expected durations it chose by, learnt from the runs.
    let explained: Vec<mysql_async::Row> = c.query(format!("EXPLAIN SCHEDULE {schedule}")).await.unwrap();
    let expected_ms = |job: &str| -> i64 {
        let row = explained.iter().find(|r| r.get::<String, _>(1).as_deref() == Some(job)).unwrap_or_else(|| panic!("{job} in {explained:?}"));
        let ms: Option<String> = row.get(5).unwrap();
        ms.and_then(|m| m.parse().ok()).unwrap_or_else(|| panic!("no expected duration for {job}: {row:?}"))
    };
    assert!(expected_ms(&short) < expected_ms(&long), "short {} ms, long {} ms", expected_ms(&short), expected_ms(&long));
}
