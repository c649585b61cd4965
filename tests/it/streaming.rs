//! Streaming queries: they end (row limit, time limit, KILL), their jobs are cancelled so slots
//! are never leaked, and changelog results carry an `op` column.

use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{Conn, Row};

use crate::harness::{server, unique};

async fn unbounded(conn: &mut Conn) -> String {
    let t = unique("stream");
    conn.query_drop(format!(
        "CREATE TEMPORARY TABLE {t} (id BIGINT, k INT) WITH ('connector'='datagen', 'rows-per-second'='50', \
         'fields.k.min'='1', 'fields.k.max'='3')"
    ))
    .await
    .expect("unbounded datagen table");
    t
}

async fn running_jobs(name: &str) -> usize {
    let live = ["RUNNING", "CREATED", "INITIALIZING", "RESTARTING"];
    server().jobs().await.iter().filter(|(_, n, s)| n == name && live.contains(&s.as_str())).count()
}

/// Waits until the JobManager reports no running job named `name` (cancelling is asynchronous).
async fn no_job_left_running(name: &str) {
    for _ in 0..60 {
        if running_jobs(name).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("jobs still running on the JobManager: {:?}", server().jobs().await);
}

#[tokio::test]
async fn unbounded_selects_stop_at_max_rows_and_free_their_slots() {
    let mut c = server().connect().await;
    let t = unbounded(&mut c).await;
    let job_name = unique("truncated");
    c.query_drop(format!("SET 'pipeline.name' = '{job_name}'")).await.unwrap();
    c.query_drop("SET weir.max_rows = 5").await.unwrap();
    // More truncated streaming SELECTs in a row than the TaskManager has slots (4).
    for i in 0..6 {
        let rows: Vec<Row> = c.query(format!("SELECT id FROM {t}")).await.unwrap_or_else(|e| panic!("round {i}: {e}"));
        assert_eq!(rows.len(), 5, "round {i}");
        let w: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
        assert!(w.iter().any(|x| x.2.contains("weir.max_rows")), "round {i}: {w:?}");
    }
    no_job_left_running(&job_name).await;
}

#[tokio::test]
async fn sql_select_limit_truncates_silently() {
    let mut c = server().connect().await;
    let t = unbounded(&mut c).await;
    c.query_drop("SET sql_select_limit = 3").await.unwrap();
    let rows: Vec<Row> = c.query(format!("SELECT id FROM {t}")).await.unwrap();
    assert_eq!(rows.len(), 3);
    c.query_drop("SET sql_select_limit = DEFAULT").await.unwrap();
}

#[tokio::test]
async fn fetch_timeout_ends_a_quiet_stream() {
    let mut c = server().connect().await;
    let t = unbounded(&mut c).await;
    c.query_drop("SET weir.max_rows = 0").await.unwrap();
    c.query_drop("SET weir.fetch_timeout = 3").await.unwrap();
    let rows: Vec<Row> = c.query(format!("SELECT id FROM {t} WHERE k > 100")).await.unwrap();
    assert!(rows.is_empty());
    let w: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(w.iter().any(|x| x.2.contains("weir.fetch_timeout")), "{w:?}");
}

#[tokio::test]
async fn kill_query_from_another_connection_cancels_a_stream() {
    let s = server();
    let mut a = s.connect().await;
    let t = unbounded(&mut a).await;
    a.query_drop("SET weir.max_rows = 0").await.unwrap();
    a.query_drop("SET weir.fetch_timeout = 0").await.unwrap();
    let id = a.id();
    let killer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(4)).await;
        let mut b = server().connect().await;
        b.query_drop(format!("KILL QUERY {id}")).await.expect("KILL QUERY");
    });
    let e = a.query_drop(format!("SELECT id FROM {t} WHERE k > 100")).await.unwrap_err();
    assert!(e.to_string().contains("1317"), "{e}");
    killer.await.unwrap();
    let one: Option<i64> = a.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "the killed query's connection is still usable");
}

#[tokio::test]
async fn a_streaming_aggregate_is_a_changelog_with_an_op_column() {
    let mut c = server().connect().await;
    let t = unbounded(&mut c).await;
    c.query_drop("SET weir.max_rows = 12").await.unwrap();
    let rows: Vec<Row> = c.query(format!("SELECT k, COUNT(*) AS n FROM {t} GROUP BY k")).await.unwrap();
    assert_eq!(rows.len(), 12);
    let cols = rows[0].columns_ref();
    assert_eq!(cols[0].name_str(), "op");
    let ops: Vec<String> = rows.iter().map(|r| r.get::<String, _>(0).unwrap()).collect();
    assert!(ops.iter().all(|o| ["+I", "-U", "+U", "-D"].contains(&o.as_str())), "{ops:?}");
    assert!(ops.iter().any(|o| o == "-U" || o == "+U"), "counts are updated: {ops:?}");
    // An insert-only streaming query has no op column.
    let rows: Vec<Row> = c.query(format!("SELECT id FROM {t}")).await.unwrap();
    assert_eq!(rows[0].columns_ref()[0].name_str(), "id");
}
