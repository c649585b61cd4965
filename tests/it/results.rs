//! Batch-mode results that come straight from Weir's own result sink (`weir-result`) rather than
//! through Flink's collect protocol: a client sees the same rows, column types and errors either
//! way, ORDER BY holds, a result cut short stops its job, and a job that fails mid-result is
//! reported with Flink's own error.

use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{Conn, Row, Value};

use crate::harness::{http_get, server, server_error, unique};

/// A batch session whose jobs are named `job`.
async fn batch_session(job: &str) -> Conn {
    let mut c = server().connect().await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    c.query_drop(format!("SET 'pipeline.name' = '{job}'")).await.unwrap();
    c
}

/// The plan of the newest job named `name` on the JobManager, as its REST API gives it.
async fn plan_of(name: &str) -> String {
    for _ in 0..40 {
        if let Some((jid, _, _)) = server().jobs().await.into_iter().find(|(_, n, _)| n == name) {
            return http_get(&format!("{}/jobs/{jid}/plan", server().jobmanager)).await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no job named {name}: {:?}", server().jobs().await);
}

/// Waits until no job named `name` runs.
async fn no_job_running(name: &str) {
    for _ in 0..60 {
        let live = server().jobs().await.into_iter().filter(|(_, n, s)| n == name && !["FINISHED", "CANCELED", "FAILED"].contains(&s.as_str())).count();
        if live == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("a job named {name} still runs: {:?}", server().jobs().await);
}

/// A result as the client sees it: each column's name, type, flags and decimals, then the rows.
async fn answer(c: &mut Conn, sql: &str) -> (Vec<String>, Vec<Vec<Value>>) {
    let mut result = c.query_iter(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    let columns: Vec<String> = result
        .columns_ref()
        .iter()
        .map(|col| format!("{} {:?} {:?} {} {}", col.name_str(), col.column_type(), col.flags(), col.decimals(), col.column_length()))
        .collect();
    let rows: Vec<Row> = result.collect().await.unwrap();
    (columns, rows.into_iter().map(Row::unwrap).collect())
}

#[tokio::test]
async fn a_large_ordered_batch_result_comes_straight_from_the_sink_in_order() {
    let job = unique("direct_order");
    let mut c = batch_session(&job).await;
    let t = unique("numbers");
    c.query_drop(format!(
        "CREATE TEMPORARY TABLE {t} (id BIGINT, name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '50000', \
         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '50000', 'fields.name.length' = '16')"
    ))
    .await
    .unwrap();
    let rows: Vec<(i64, String)> = c.query(format!("SELECT id, name FROM {t} ORDER BY id DESC")).await.unwrap();
    assert_eq!(rows.len(), 50_000);
    assert!(rows.windows(2).all(|w| w[0].0 == w[1].0 + 1), "rows out of order");
    assert_eq!((rows[0].0, rows[49_999].0), (50_000, 1));
    assert!(rows.iter().all(|(_, n)| n.len() == 16));
    let plan = plan_of(&job).await;
    assert!(plan.contains("weir-result"), "the job did not write to Weir's result sink: {plan}");
    // The sink's table was only a way to submit the job: nothing is left behind.
    let tables: Vec<String> = c.query("SHOW TABLES FROM default_catalog.default_database").await.unwrap();
    assert!(!tables.iter().any(|t| t.starts_with("weir_result_")), "{tables:?}");

    // Off for this session: the same query goes through Flink's collect protocol.
    let job2 = unique("collected");
    c.query_drop(format!("SET 'pipeline.name' = '{job2}'")).await.unwrap();
    c.query_drop("SET weir.direct_results = 0").await.unwrap();
    let collected: Vec<(i64, String)> = c.query(format!("SELECT id, name FROM {t} ORDER BY id DESC LIMIT 3")).await.unwrap();
    assert_eq!(collected.iter().map(|r| r.0).collect::<Vec<_>>(), vec![50_000, 49_999, 49_998]);
    let plan = plan_of(&job2).await;
    assert!(!plan.contains("weir-result") && plan.to_ascii_lowercase().contains("collect"), "{plan}");
}

#[tokio::test]
async fn every_type_reads_the_same_straight_from_the_sink_as_through_the_gateway() {
    let job = unique("direct_types");
    let mut c = batch_session(&job).await;
    c.query_drop("SET 'table.local-time-zone' = 'Asia/Shanghai'").await.unwrap();
    let sql = "SELECT b, ti, si, i, bi, f, d, de, c3, vc, bin, dt, tm, ts, ltz, arr, m, r, n, n2 FROM (VALUES \
        (TRUE, CAST(-8 AS TINYINT), CAST(300 AS SMALLINT), 70000, CAST(9000000000 AS BIGINT), CAST(1.5 AS FLOAT), CAST(2.25 AS DOUBLE), \
         CAST(-12.30 AS DECIMAL(10, 2)), CAST('ab' AS CHAR(3)), 'héllo', CAST(X'00ff' AS VARBINARY(4)), DATE '2024-02-29', TIME '12:34:56', \
         TIMESTAMP '2024-01-02 03:04:05.123', TO_TIMESTAMP_LTZ(0, 3), ARRAY[1, 2], MAP['k', 1], ROW(1, 'x'), CAST(NULL AS INT), CAST(NULL AS STRING)), \
        (FALSE, CAST(127 AS TINYINT), CAST(-1 AS SMALLINT), -1, CAST(-1 AS BIGINT), CAST(-0.5 AS FLOAT), CAST(1e300 AS DOUBLE), \
         CAST(0 AS DECIMAL(10, 2)), CAST('' AS CHAR(3)), '', CAST(X'' AS VARBINARY(4)), DATE '1970-01-01', TIME '00:00:00', \
         TIMESTAMP '1999-12-31 23:59:59.999', TO_TIMESTAMP_LTZ(86400000, 3), ARRAY[3], MAP['z', 2], ROW(2, 'y'), 7, 's')) \
        AS t(b, ti, si, i, bi, f, d, de, c3, vc, bin, dt, tm, ts, ltz, arr, m, r, n, n2) ORDER BY i";
    let direct = answer(&mut c, sql).await;
    assert!(plan_of(&job).await.contains("weir-result"));
    c.query_drop("SET weir.direct_results = 0").await.unwrap();
    let collected = answer(&mut c, sql).await;
    assert_eq!(direct.0, collected.0, "column definitions differ");
    assert_eq!(direct.1, collected.1, "rows differ");
    assert_eq!(direct.1.len(), 2);
    // The instant 0 in the session's zone (UTC+8), as MySQL shows a TIMESTAMP.
    assert_eq!(direct.1[1][14], Value::Bytes(b"1970-01-01 08:00:00.000".to_vec()), "{:?}", direct.1[1]);
}

#[tokio::test]
async fn a_result_cut_short_stops_its_job_and_the_session_goes_on() {
    let job = unique("direct_cut");
    let mut c = batch_session(&job).await;
    let t = unique("many");
    c.query_drop(format!("CREATE TEMPORARY TABLE {t} (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '100000000')")).await.unwrap();
    c.query_drop("SET sql_select_limit = 10").await.unwrap();
    let rows: Vec<i64> = c.query(format!("SELECT id FROM {t}")).await.unwrap();
    assert_eq!(rows.len(), 10);
    assert!(plan_of(&job).await.contains("weir-result"));
    no_job_running(&job).await;
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn a_query_that_fails_while_running_is_reported_with_flinks_error_either_way() {
    let job = unique("direct_fail");
    let mut c = batch_session(&job).await;
    let t = unique("words");
    c.query_drop(format!("CREATE TEMPORARY TABLE {t} (s STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '1000', 'fields.s.length' = '5')"))
        .await
        .unwrap();
    let sql = format!("SELECT CAST(s AS INT) FROM {t}");
    let direct = server_error(c.query_drop(&sql).await.expect_err("an unparseable CAST fails at run time"));
    assert!(plan_of(&job).await.contains("weir-result"));
    c.query_drop("SET weir.direct_results = 0").await.unwrap();
    let collected = server_error(c.query_drop(&sql).await.expect_err("fails through the gateway too"));
    assert_eq!((direct.code, &direct.state), (collected.code, &collected.state), "{direct:?} vs {collected:?}");
    assert!(direct.message.contains("For input string") && collected.message.contains("For input string"), "{direct:?} vs {collected:?}");
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn a_query_flink_refuses_is_refused_as_before_and_one_a_table_cannot_hold_still_runs() {
    let mut c = batch_session(&unique("direct_refused")).await;
    let e = server_error(c.query_drop("SELECT nope FROM (VALUES (1)) AS t(a)").await.expect_err("unknown column"));
    assert_eq!(e.code, 1054, "{e:?}");
    assert!(e.message.contains("nope"), "{e:?}");
    // Two columns of one name: a query may return them, a table may not hold them.
    let (columns, rows) = answer(&mut c, "SELECT 1 AS a, 2 AS a").await;
    assert_eq!(columns.len(), 2);
    assert!(columns.iter().all(|col| col.starts_with("a ")), "{columns:?}");
    assert_eq!(rows, vec![vec![Value::Bytes(b"1".to_vec()), Value::Bytes(b"2".to_vec())]]);
}
