//! Managed jobs as a user meets them: a job is created, started, stopped with a savepoint, changed
//! and resumed where it stopped; Weir's view of it agrees with the JobManager (a job cancelled
//! from outside shows CANCELED, a failing one FAILED with Flink's root cause); bad statements get
//! MySQL errors and change nothing; Weir itself can be killed mid-run. Every job copies a
//! checkpointed datagen sequence into a filesystem sink, so "nothing lost, nothing twice" is
//! checked on the rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, Row};

use crate::harness::{ExtraWeir, http_patch, jobs_of, scratch_dir, server, server_error, unique};

/// One managed job's row of information_schema.WEIR_JOBS.
#[derive(Debug, Clone, PartialEq)]
pub struct JobView {
    pub state: String,
    pub version: u64,
    pub running_version: Option<u64>,
    pub flink_job_id: Option<String>,
    pub reason: String,
}

pub async fn job_view(c: &mut Conn, name: &str) -> Option<JobView> {
    let row: Option<Row> = c
        .exec_first("SELECT STATE, VERSION, RUNNING_VERSION, FLINK_JOB_ID, REASON FROM information_schema.WEIR_JOBS WHERE JOB_NAME = ?", (name,))
        .await
        .expect("WEIR_JOBS answers");
    row.map(|r| JobView {
        state: r.get(0).unwrap(),
        version: r.get(1).unwrap(),
        running_version: r.get(2).unwrap(),
        flink_job_id: r.get(3).unwrap(),
        reason: r.get(4).unwrap(),
    })
}

/// Waits until the job is in `state` (a test failure after `limit`, with what it was).
pub async fn wait_state(c: &mut Conn, name: &str, state: &str, limit: Duration) -> JobView {
    let start = Instant::now();
    loop {
        let v = job_view(c, name).await.unwrap_or_else(|| panic!("job {name} is not in WEIR_JOBS"));
        if v.state == state {
            return v;
        }
        let events: Vec<(String, String)> = c.exec("SELECT EVENT, DETAIL FROM information_schema.WEIR_JOB_EVENTS WHERE JOB_NAME = ?", (name,)).await.unwrap();
        assert!(start.elapsed() < limit, "job {name} not {state} after {limit:?}: {v:?}; events {events:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The ids in a filesystem sink's committed files (in-progress files are hidden, `.part-…`).
pub fn sink_ids(dir: &Path) -> Vec<i64> {
    let mut ids = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return ids };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with('.') || !e.path().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        ids.extend(text.lines().filter(|l| !l.is_empty()).map(|l| l.trim().parse::<i64>().unwrap_or_else(|_| panic!("a sink line {l:?}"))));
    }
    ids.sort_unstable();
    ids
}

/// Each of 1..=n exactly once.
pub fn assert_exactly_once(ids: &[i64], n: i64) {
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    for id in ids {
        *seen.entry(*id).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).map(|(i, _)| *i).take(10).collect();
    let missing: Vec<_> = (1..=n).filter(|i| !seen.contains_key(i)).take(10).collect();
    assert!(twice.is_empty() && missing.is_empty() && ids.len() as i64 == n, "{} rows; twice: {twice:?}; missing: {missing:?}", ids.len());
}

pub async fn wait_rows(dir: &Path, at_least: usize, limit: Duration) {
    let start = Instant::now();
    while sink_ids(dir).len() < at_least {
        assert!(start.elapsed() < limit, "fewer than {at_least} rows in {} after {limit:?}", dir.display());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A rate-limited sequence 1..=n and a CSV sink in a fresh directory; returns (source, sink, dir).
pub async fn sequence_and_sink(c: &mut Conn, n: i64, per_second: i64) -> (String, String, PathBuf) {
    let src = unique("seq");
    let snk = unique("copied");
    let dir = scratch_dir("job-sink");
    c.query_drop(format!(
        "CREATE TABLE {src} (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '{per_second}', \
         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '{n}')"
    ))
    .await
    .unwrap();
    c.query_drop(format!("CREATE TABLE {snk} (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://{}', 'format' = 'csv')", dir.display()))
        .await
        .unwrap();
    (src, snk, dir)
}

async fn stopped_with_savepoint_then_resumed_after_alter(cluster: &str) {
    let mut c = server().connect().await;
    let (src, snk, dir) = sequence_and_sink(&mut c, 1500, 100).await;
    let job = unique("copy");
    c.query_drop(format!(
        "CREATE JOB {job} COMMENT 'copies the sequence' WITH ('execution.checkpointing.interval' = '1 s', 'weir.cluster' = '{cluster}') \
         AS INSERT INTO {snk} SELECT id FROM {src}"
    ))
    .await
    .unwrap();
    assert_eq!(job_view(&mut c, &job).await.map(|v| (v.state, v.version)), Some(("CREATED".to_string(), 1)));

    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let running = wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    wait_rows(&dir, 100, Duration::from_secs(60)).await;

    c.query_drop(format!("STOP JOB {job}")).await.unwrap();
    assert_eq!(job_view(&mut c, &job).await.unwrap().state, "STOPPED");
    let savepoints: Vec<(String, String, u64)> =
        c.exec("SELECT PATH, TRIGGERED_BY, VERSION FROM information_schema.WEIR_SAVEPOINTS WHERE JOB_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(savepoints.len(), 1, "{savepoints:?}");
    let (path, trigger, version) = savepoints[0].clone();
    assert_eq!((trigger.as_str(), version), ("stop", 1));
    let stopped_at = sink_ids(&dir);
    assert!(!stopped_at.is_empty() && (stopped_at.len() as i64) < 1500, "stopped mid-way: {} rows", stopped_at.len());
    assert!(jobs_of(&jm(cluster)).await.iter().all(|(id, _, state)| Some(id) != running.flink_job_id.as_ref() || state != "RUNNING"));

    // A new version (the same plan written differently); the running one had version 1.
    c.query_drop(format!("ALTER JOB {job} AS INSERT INTO {snk} SELECT id AS id FROM {src}")).await.unwrap();
    let v = job_view(&mut c, &job).await.unwrap();
    assert_eq!((v.version, v.running_version), (2, Some(1)));
    // Version 2 has no state of its own: resuming from version 1's savepoint is asked for by name.
    c.query_drop(format!("START JOB {job} FROM SAVEPOINT '{path}'")).await.unwrap();
    let finished = wait_state(&mut c, &job, "FINISHED", Duration::from_secs(120)).await;
    assert_eq!(finished.running_version, Some(2));
    assert_exactly_once(&sink_ids(&dir), 1500);

    let runs: Vec<(u64, Option<String>, Option<String>)> =
        c.exec("SELECT VERSION, RESTORED_FROM, END_STATE FROM information_schema.WEIR_JOB_RUNS WHERE JOB_NAME = ? ORDER BY RUN", (&job,)).await.unwrap();
    assert_eq!(runs, vec![(1, None, Some("STOPPED".into())), (2, Some(path.clone()), Some("FINISHED".into()))]);

    // Rolling back makes version 1's definition version 3.
    c.query_drop(format!("ROLLBACK JOB {job} TO VERSION 1")).await.unwrap();
    let first: Option<(String, u64, String)> = c.query_first(format!("SHOW CREATE JOB {job} VERSION 1")).await.unwrap();
    let third: Option<(String, u64, String)> = c.query_first(format!("SHOW CREATE JOB {job}")).await.unwrap();
    let (first, third) = (first.unwrap(), third.unwrap());
    assert_eq!(third.1, 3);
    assert_eq!(first.2, third.2, "version 3 is version 1's definition");
    assert!(first.2.contains(&format!("AS INSERT INTO {snk} SELECT id FROM {src}")) && first.2.contains("COMMENT 'copies the sequence'"), "{}", first.2);
    let versions: Vec<u64> = c.exec("SELECT VERSION FROM information_schema.WEIR_JOB_VERSIONS WHERE JOB_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(versions, vec![1, 2, 3]);

    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
    let e = server_error(c.query_drop(format!("SHOW CREATE JOB {job}")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1305, "42000"), "{}", e.message);
}

fn jm(cluster: &str) -> String {
    if cluster == "v22" { server().jobmanager_2.clone() } else { server().jobmanager.clone() }
}

#[tokio::test]
async fn a_job_stopped_with_a_savepoint_resumes_where_it_stopped_on_flink_1_20() {
    stopped_with_savepoint_then_resumed_after_alter("local").await;
}

#[tokio::test]
async fn a_job_stopped_with_a_savepoint_resumes_where_it_stopped_on_flink_2_2() {
    stopped_with_savepoint_then_resumed_after_alter("v22").await;
}

#[tokio::test]
async fn a_job_cancelled_outside_weir_shows_canceled_within_seconds_and_is_not_restarted() {
    let mut c = server().connect().await;
    let (src, snk, _dir) = sequence_and_sink(&mut c, 1_000_000, 5).await;
    let job = unique("drift");
    c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let v = wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    let jid = v.flink_job_id.expect("a Flink job id");

    let cancelled = Instant::now();
    http_patch(&format!("{}/jobs/{jid}?mode=cancel", server().jobmanager)).await;
    let v = wait_state(&mut c, &job, "CANCELED", Duration::from_secs(5)).await;
    println!("CANCELED shown {:?} after the cancel", cancelled.elapsed());
    assert!(v.reason.contains("outside Weir"), "{v:?}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(job_view(&mut c, &job).await.unwrap().state, "CANCELED", "not restarted");
    let live = jobs_of(&server().jobmanager).await.into_iter().filter(|(_, name, state)| name.contains(&job) && state == "RUNNING").count();
    assert_eq!(live, 0, "no Flink job of it runs");
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

/// Creates and starts a streaming job that divides by zero in Flink, with Flink's restarts off and
/// one resubmission by Weir: its Flink job fails twice (events `failed`, `recovered`, `failed`).
pub async fn start_failing_job(c: &mut Conn, prefix: &str) -> String {
    let (src, _snk, _dir) = sequence_and_sink(c, 1_000_000, 10).await;
    let sink = unique("void");
    c.query_drop(format!("CREATE TABLE {sink} (x BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    let job = unique(prefix);
    c.query_drop(format!(
        "CREATE JOB {job} WITH ('restart-strategy.type' = 'none', 'weir.restart.attempts' = '1') AS INSERT INTO {sink} SELECT id / (id - id) FROM {src}"
    ))
    .await
    .unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    job
}

#[tokio::test]
async fn a_job_that_fails_in_flink_is_failed_with_flinks_root_cause_after_weirs_attempts() {
    let mut c = server().connect().await;
    let job = start_failing_job(&mut c, "broken").await;
    let v = wait_state(&mut c, &job, "FAILED", Duration::from_secs(120)).await;
    assert!(v.reason.contains("/ by zero") && v.reason.contains("gave up after 1 resubmission"), "{v:?}");
    let runs: Vec<(Option<String>, Option<String>)> =
        c.exec("SELECT END_STATE, ROOT_CAUSE FROM information_schema.WEIR_JOB_RUNS WHERE JOB_NAME = ? ORDER BY RUN", (&job,)).await.unwrap();
    assert_eq!(runs.len(), 2, "the first run and Weir's one resubmission: {runs:?}");
    for (end, cause) in &runs {
        assert_eq!(end.as_deref(), Some("FAILED"));
        assert!(cause.as_deref().is_some_and(|c| c.contains("ArithmeticException")), "{cause:?}");
    }
    let events: Vec<String> = c.exec("SELECT EVENT FROM information_schema.WEIR_JOB_EVENTS WHERE JOB_NAME = ? ORDER BY EVENT_ID", (&job,)).await.unwrap();
    assert_eq!(events.first().map(String::as_str), Some("created"));
    assert!(events.iter().any(|e| e == "recovered") && events.last().map(String::as_str) == Some("failed"), "{events:?}");
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

#[tokio::test]
async fn bad_job_statements_get_mysql_errors_and_change_nothing() {
    let mut c = server().connect().await;
    let (src, snk, _dir) = sequence_and_sink(&mut c, 1_000_000, 5).await;
    let job = unique("checked");
    let code = |e: mysql_async::Error| {
        let e = server_error(e);
        (e.code, e.state, e.message)
    };

    let (n, state, m) = code(c.query_drop(format!("START JOB {job}")).await.unwrap_err());
    assert_eq!((n, state.as_str()), (1305, "42000"), "{m}");
    assert_eq!(m, format!("JOB {job} does not exist"));
    let (n, _, m) = code(c.query_drop(format!("CREATE JOB {job} AS SELECT 1")).await.unwrap_err());
    assert_eq!(n, 1064, "{m}");
    let (n, _, m) = code(c.query_drop(format!("CREATE JOB {job} WITH ('weir.restart.atempts' = '2') AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap_err());
    assert_eq!(n, 1210, "{m}");
    assert!(m.contains("weir.restart.atempts"), "{m}");
    // A job over a TEMPORARY table would lose it with the session.
    let tmp = unique("tmp");
    c.query_drop(format!("CREATE TEMPORARY TABLE {tmp} (id BIGINT) WITH ('connector' = 'datagen')")).await.unwrap();
    let (n, _, m) = code(c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {tmp}")).await.unwrap_err());
    assert_eq!(n, 1235, "{m}");
    assert!(m.contains("TEMPORARY"), "{m}");
    assert!(job_view(&mut c, &job).await.is_none(), "nothing recorded");

    c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    let (n, state, m) = code(c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap_err());
    assert_eq!((n, state.as_str(), m), (1050, "42S01", format!("Job '{job}' already exists")));
    c.query_drop(format!("CREATE JOB IF NOT EXISTS {job} AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    let warnings: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(warnings, vec![("Note".into(), 1050, format!("Job '{job}' already exists"))]);

    let (n, _, m) = code(c.query_drop(format!("START JOB {job} FROM SAVEPOINT '/nowhere/savepoint-1'")).await.unwrap_err());
    assert_eq!(n, 1017, "{m}");
    // Invalid SQL is refused before a version is recorded.
    let (n, _, m) = code(c.query_drop(format!("ALTER JOB {job} AS INSERT INTO {snk} SELECT nosuch FROM {src}")).await.unwrap_err());
    assert_eq!(n, 1054, "{m}");
    let v = job_view(&mut c, &job).await.unwrap();
    assert_eq!((v.state.as_str(), v.version), ("CREATED", 1));

    // Two START JOB at once: one wins, the other is told the job's state.
    let mut other = server().connect().await;
    let (a, b) = tokio::join!(c.query_drop(format!("START JOB {job}")), other.query_drop(format!("START JOB {job}")));
    let errors: Vec<_> = [a, b].into_iter().filter_map(Result::err).map(code).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 3730, "{:?}", errors[0]);
    assert_eq!(wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await.version, 1);
    let runs: Vec<u64> = c.exec("SELECT RUN FROM information_schema.WEIR_JOB_RUNS WHERE JOB_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(runs.len(), 1, "one Flink job");

    let (n, _, m) = code(c.query_drop(format!("DROP JOB {job}")).await.unwrap_err());
    assert_eq!(n, 3730, "{m}");
    assert!(m.contains("RUNNING"), "{m}");
    c.query_drop(format!("STOP JOB {job} WITHOUT SAVEPOINT")).await.unwrap();
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
    c.query_drop(format!("DROP JOB IF EXISTS {job}")).await.unwrap();
    let warnings: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(warnings, vec![("Note".into(), 1305, format!("JOB {job} does not exist"))]);
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "the connection is still usable");
}

#[tokio::test]
async fn a_statement_set_job_sent_with_other_statements_runs_both_inserts() {
    let mut c = server().connect().await;
    let src = unique("rows");
    c.query_drop(format!("CREATE TABLE {src} (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '20')"))
        .await
        .unwrap();
    let (a, b) = (scratch_dir("set-a"), scratch_dir("set-b"));
    let (ta, tb) = (unique("evens"), unique("odds"));
    for (t, d) in [(&ta, &a), (&tb, &b)] {
        c.query_drop(format!("CREATE TABLE {t} (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://{}', 'format' = 'csv')", d.display())).await.unwrap();
    }
    let job = unique("split");
    // One text: the statement set's `;` do not end the CREATE JOB.
    c.query_drop(format!(
        "CREATE JOB {job} AS EXECUTE STATEMENT SET BEGIN \
           INSERT INTO {ta} SELECT id FROM {src} WHERE MOD(id, 2) = 0; \
           INSERT INTO {tb} SELECT id FROM {src} WHERE MOD(id, 2) = 1; \
         END; START JOB {job}"
    ))
    .await
    .unwrap();
    wait_state(&mut c, &job, "FINISHED", Duration::from_secs(120)).await;
    assert_eq!(sink_ids(&a), (1..=10).map(|i| i * 2).collect::<Vec<_>>());
    assert_eq!(sink_ids(&b), (0..10).map(|i| i * 2 + 1).collect::<Vec<_>>());
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

/// The moment Flink says a bounded job FINISHED, DROP JOB takes it: Weir asks Flink before it
/// refuses a job its registry still shows RUNNING (the job daemon records the end on its next
/// tick, up to a second later).
#[tokio::test]
async fn a_job_flink_has_just_finished_is_dropped_at_once() {
    let mut c = server().connect().await;
    let (src, snk, job) = (unique("few"), unique("void"), unique("brief"));
    c.query_drop(format!("CREATE TABLE {src} (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '5')"))
        .await
        .unwrap();
    c.query_drop(format!("CREATE TABLE {snk} (id BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {src}; START JOB {job}")).await.unwrap();
    let jid = job_view(&mut c, &job).await.and_then(|v| v.flink_job_id).expect("START JOB records its Flink job");
    let start = Instant::now();
    loop {
        let flink = server().jobs().await;
        if flink.iter().any(|(id, _, state)| *id == jid && state == "FINISHED") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "Flink job {jid} never finished: {flink:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
    assert_eq!(job_view(&mut c, &job).await, None);
}

#[tokio::test]
async fn weir_killed_mid_run_adopts_its_running_job_on_restart_and_never_starts_a_second() {
    let clusters = format!("default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\n", std::env::var("WEIR_TEST_GATEWAY").unwrap(), server().jobmanager);
    let mut weir = ExtraWeir::start_with(scratch_dir("jobs-weir"), &clusters, "").await;
    let mut c = weir.connect().await;
    let (src, snk, dir) = sequence_and_sink(&mut c, 1500, 100).await;
    let job = unique("survivor");
    c.query_drop(format!("CREATE JOB {job} WITH ('execution.checkpointing.interval' = '1 s') AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let before = wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    drop(c);

    weir.crash_and_restart().await;

    let mut c = weir.connect().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = job_view(&mut c, &job).await.unwrap();
    assert_eq!((after.state.as_str(), &after.flink_job_id), ("RUNNING", &before.flink_job_id), "the same Flink job, still running");
    let copies = jobs_of(&server().jobmanager).await.into_iter().filter(|(_, name, state)| name.contains(&job) && state == "RUNNING").count();
    assert_eq!(copies, 1, "exactly one Flink job of it");
    wait_state(&mut c, &job, "FINISHED", Duration::from_secs(120)).await;
    assert_exactly_once(&sink_ids(&dir), 1500);
}

async fn savepoints_of(c: &mut Conn, job: &str) -> Vec<(String, String, Option<String>)> {
    c.exec("SELECT PATH, TRIGGERED_BY, DISPOSED FROM information_schema.WEIR_SAVEPOINTS WHERE JOB_NAME = ? ORDER BY COMPLETED", (job,)).await.unwrap()
}

fn local(path: &str) -> PathBuf {
    PathBuf::from(path.trim_start_matches("file://").trim_start_matches("file:"))
}

#[tokio::test]
async fn savepoints_are_taken_on_demand_and_periodically_and_old_ones_are_disposed_of() {
    let mut c = server().connect().await;
    let (src, snk, _dir) = sequence_and_sink(&mut c, 1_000_000, 20).await;
    let job = unique("kept");
    c.query_drop(format!(
        "CREATE JOB {job} WITH ('weir.savepoint.interval' = '2 s', 'weir.savepoint.retain' = '2') AS INSERT INTO {snk} SELECT id FROM {src}"
    ))
    .await
    .unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    let path: Option<String> = c.query_first(format!("SAVEPOINT JOB {job}")).await.unwrap();
    let path = path.expect("SAVEPOINT JOB gives the savepoint's path");
    assert!(local(&path).join("_metadata").is_file(), "{path} is a complete savepoint");

    let start = Instant::now();
    loop {
        let all = savepoints_of(&mut c, &job).await;
        let kept = all.iter().filter(|(_, _, disposed)| disposed.is_none()).count();
        // A new savepoint is recorded before the oldest is disposed of: a reader may see three
        // for a moment, so wait for the retention to have run.
        if all.len() >= 4 && kept == 2 {
            assert!(all.iter().any(|(_, trigger, _)| trigger == "periodic"), "{all:?}");
            for (p, _, disposed) in &all {
                assert_eq!(local(p).exists(), disposed.is_none(), "{p}: disposed of on disk too");
            }
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "periodic savepoints: {all:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    c.query_drop(format!("STOP JOB {job} WITHOUT SAVEPOINT")).await.unwrap();
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

#[tokio::test]
async fn a_start_from_latest_state_skips_an_incomplete_newer_savepoint() {
    let mut c = server().connect().await;
    let (src, snk, _dir) = sequence_and_sink(&mut c, 1_000_000, 20).await;
    let job = unique("careful");
    // No checkpointing: savepoints are the only state.
    c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    let older: Option<String> = c.query_first(format!("SAVEPOINT JOB {job}")).await.unwrap();
    let newer: Option<String> = c.query_first(format!("SAVEPOINT JOB {job}")).await.unwrap();
    let (older, newer) = (older.unwrap(), newer.unwrap());
    // The newer one loses its metadata (a savepoint that never completed on disk).
    std::fs::remove_file(local(&newer).join("_metadata")).unwrap();
    c.query_drop(format!("STOP JOB {job} WITHOUT SAVEPOINT")).await.unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let restored: Option<Option<String>> =
        c.exec_first("SELECT RESTORED_FROM FROM information_schema.WEIR_JOB_RUNS WHERE JOB_NAME = ? ORDER BY RUN DESC LIMIT 1", (&job,)).await.unwrap();
    assert_eq!(restored.flatten().as_deref(), Some(older.as_str()), "the newest complete one, not {newer}");
    wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;
    c.query_drop(format!("STOP JOB {job} WITHOUT SAVEPOINT")).await.unwrap();
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

/// Compiles a scalar function `weirtest.Twice` (x -> 2x) into a jar against Flink 1.20's API jar.
fn udf_jar() -> PathBuf {
    let cache = std::env::var("WEIR_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/weir"));
    let api = cache.join("flink/1.20.3/lib/flink-table-api-java-uber-1.20.3.jar");
    assert!(api.is_file(), "{} (provisioned by `weir flink provision 1.20.3`)", api.display());
    let dir = scratch_dir("udf");
    let src = dir.join("src/weirtest");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("Twice.java"),
        "package weirtest;\npublic class Twice extends org.apache.flink.table.functions.ScalarFunction {\n  public Long eval(Long x) { return x == null ? null : 2 * x; }\n}\n",
    )
    .unwrap();
    let classes = dir.join("classes");
    let ok = std::process::Command::new("javac")
        .args(["--release", "11", "-d"])
        .arg(&classes)
        .arg("-cp")
        .arg(&api)
        .arg(src.join("Twice.java"))
        .status()
        .expect("javac (scripts/install-deps.sh installs a JDK)");
    assert!(ok.success(), "javac");
    let jar = dir.join("twice.jar");
    let ok = std::process::Command::new("jar").arg("cf").arg(&jar).arg("-C").arg(&classes).arg(".").status().expect("jar");
    assert!(ok.success(), "jar");
    jar
}

#[tokio::test]
async fn a_job_keeps_the_jars_its_session_added_for_its_functions() {
    let jar = udf_jar();
    let mut c = server().connect().await;
    let (src, snk, dir) = sequence_and_sink(&mut c, 50, 1000).await;
    let f = unique("twice");
    c.query_drop(format!("ADD JAR '{}'", jar.display())).await.unwrap();
    // A function of the catalog of record whose class is in the session's jar.
    c.query_drop(format!("CREATE FUNCTION {f} AS 'weirtest.Twice'")).await.unwrap();
    let job = unique("doubled");
    c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT {f}(id) FROM {src}")).await.unwrap();
    let jars: Option<String> = c.exec_first("SELECT JARS FROM information_schema.WEIR_JOB_VERSIONS WHERE JOB_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(jars, Some(jar.display().to_string()));
    // Started from another connection, which never added the jar: the job's own Flink session does.
    let mut other = server().connect().await;
    other.query_drop(format!("START JOB {job}")).await.unwrap();
    wait_state(&mut other, &job, "FINISHED", Duration::from_secs(120)).await;
    assert_eq!(sink_ids(&dir), (1..=50).map(|i| i * 2).collect::<Vec<_>>());
    other.query_drop(format!("DROP JOB {job}")).await.unwrap();
    other.query_drop(format!("DROP FUNCTION {f}")).await.unwrap();
}

#[tokio::test]
async fn two_weirs_on_one_store_run_one_daemon_and_the_other_takes_over_when_it_dies() {
    use mysql_async::Opts;
    let store = unique("weir_jobs_store");
    let mut admin = Conn::new(Opts::from_url("mysql://weir:weir@127.0.0.1:3306").unwrap()).await.expect("MariaDB on 127.0.0.1:3306");
    admin.query_drop(format!("CREATE DATABASE {store}")).await.unwrap();
    let clusters = format!("default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\n", std::env::var("WEIR_TEST_GATEWAY").unwrap(), server().jobmanager);
    let section = format!("[catalog]\nurl = \"mysql://weir:weir@127.0.0.1:3306/{store}\"\npoll_interval_ms = 200\n");
    let one = ExtraWeir::start_with(scratch_dir("lease-one"), &clusters, &section).await;
    let two = ExtraWeir::start_with(scratch_dir("lease-two"), &clusters, &section).await;
    let runs_daemon = |w: &ExtraWeir| std::fs::read_to_string(w.dir.join("weir.out")).unwrap_or_default().contains("this Weir runs the job daemon");
    // Whichever takes the lease first holds it (on a busy machine that may be the second to
    // start); the other waits.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !runs_daemon(&one) && !runs_daemon(&two) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(runs_daemon(&one) != runs_daemon(&two), "exactly one instance runs the daemon, the other waits");
    let (mut holder, waiter) = if runs_daemon(&one) { (one, two) } else { (two, one) };

    let mut c = waiter.connect().await;
    let (src, snk, _dir) = sequence_and_sink(&mut c, 1_000_000, 5).await;
    let job = unique("shared_job");
    c.query_drop(format!("CREATE JOB {job} AS INSERT INTO {snk} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    // The holder's daemon sees it run.
    let v = wait_state(&mut c, &job, "RUNNING", Duration::from_secs(90)).await;

    holder.kill9();
    let jid = v.flink_job_id.expect("a Flink job id");
    http_patch(&format!("{}/jobs/{jid}?mode=cancel", server().jobmanager)).await;
    // The other takes the lease once it expires (10 s) and brings the job in step.
    let v = wait_state(&mut c, &job, "CANCELED", Duration::from_secs(20)).await;
    assert!(v.reason.contains("outside Weir"), "{v:?}");
    assert!(runs_daemon(&waiter), "the instance that waited runs the daemon now");
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
    drop(c);
    drop(waiter);
    admin.query_drop(format!("DROP DATABASE {store}")).await.unwrap();
}
