//! The spine, as a user lives it: a MySQL client connects to Weir and works with a real Flink.

use mysql_async::prelude::*;
use mysql_async::consts::ColumnType;
use mysql_async::{Conn, OptsBuilder, Row, Value};

use crate::harness::{server, server_error, unique};

async fn datagen(conn: &mut Conn, rows: u32) -> String {
    let t = unique("gen");
    conn.query_drop(format!(
        "CREATE TEMPORARY TABLE {t} (id BIGINT, name STRING, price DECIMAL(10,2)) WITH ('connector'='datagen', \
         'number-of-rows'='{rows}', 'fields.id.kind'='sequence', 'fields.id.start'='1', 'fields.id.end'='{rows}', \
         'fields.name.length'='5')"
    ))
    .await
    .expect("datagen table is created");
    t
}

#[tokio::test]
async fn a_client_connects_and_its_probes_are_answered_at_once() {
    let mut c = server().connect().await;
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
    let db: Option<String> = c.query_first("SELECT DATABASE()").await.unwrap();
    assert_eq!(db.as_deref(), Some("default_database"));
    let comment: Option<String> = c.query_first("select @@version_comment limit 1").await.unwrap();
    assert!(comment.unwrap().contains("Weir"));
    // mysql-connector-python compares @@autocommit to the integer 1.
    let row: Row = c.query_first("SELECT @@session.autocommit, @@max_allowed_packet, @@transaction_isolation").await.unwrap().unwrap();
    assert_eq!(row.columns_ref()[0].column_type(), ColumnType::MYSQL_TYPE_LONGLONG, "an integer column");
    assert_eq!(row.get::<i64, _>(0), Some(1));
    assert_eq!(row.get::<String, _>(2).as_deref(), Some("REPEATABLE-READ"));
    let e = c.query_drop("SELECT @@no_such_variable").await.unwrap_err();
    assert!(e.to_string().contains("1193"), "{e}");
    // Weir keeps no user variables: SET @x is refused (1235), not an unknown system variable.
    let e = c.query_drop("SET @x = 1").await.unwrap_err();
    assert!(e.to_string().contains("1235"), "{e}");
    let vars: Vec<(String, String)> = c.query("SHOW VARIABLES LIKE 'sql_mode'").await.unwrap();
    assert_eq!(vars.len(), 1);
}

#[tokio::test]
async fn a_batch_aggregate_over_datagen_returns_a_normal_result_set() {
    let mut c = server().connect().await;
    let t = datagen(&mut c, 100).await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let (n, s): (i64, i64) = c.query_first(format!("SELECT COUNT(*) AS n, SUM(id) AS s FROM {t}")).await.unwrap().unwrap();
    assert_eq!((n, s), (100, 5050));
    let rows: Vec<(i64, String)> = c.query(format!("SELECT id, name FROM {t} WHERE id <= 3 ORDER BY id")).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert!(rows.iter().all(|r| r.1.len() == 5));
}

#[tokio::test]
async fn prepared_statements_bind_typed_values_and_awkward_strings() {
    let mut c = server().connect().await;
    let t = datagen(&mut c, 50).await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let ids: Vec<i64> = c.exec(format!("SELECT id FROM {t} WHERE id BETWEEN ? AND ? ORDER BY id"), (3, 5)).await.unwrap();
    assert_eq!(ids, vec![3, 4, 5]);
    let s: Option<String> = c.exec_first("SELECT ? AS s", ("it's a \\ test '?'",)).await.unwrap();
    assert_eq!(s.as_deref(), Some("it's a \\ test '?'"));
    let n: Option<Option<i64>> = c.exec_first("SELECT CAST(? AS BIGINT)", (Value::NULL,)).await.unwrap();
    assert_eq!(n, Some(None));
    // Bytes that are not UTF-8 travel as BINARY; temporal values as typed literals.
    let b: Option<Vec<u8>> = c.exec_first("SELECT ?", (vec![0u8, 0xFF, 0x80],)).await.unwrap();
    assert_eq!(b, Some(vec![0u8, 0xFF, 0x80]));
    let ts: Option<String> = c.exec_first("SELECT CAST(? AS STRING)", (Value::Date(2024, 2, 29, 13, 14, 15, 123_000),)).await.unwrap();
    assert_eq!(ts.as_deref(), Some("2024-02-29 13:14:15.123"));
    let d: Option<String> = c.exec_first("SELECT CAST(? AS STRING)", (Value::Date(2024, 2, 29, 0, 0, 0, 0),)).await.unwrap();
    assert!(d.as_deref().is_some_and(|d| d.starts_with("2024-02-29")), "{d:?}");
    // A '?' inside a string is not a placeholder.
    let s: Option<(String, i64)> = c.exec_first("SELECT 'why?', ?", (7,)).await.unwrap();
    assert_eq!(s, Some(("why?".to_string(), 7)));
}

#[tokio::test]
async fn errors_name_the_problem_and_the_connection_stays_usable() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("SELECT * FROM no_such_table").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1146, "42S02"), "{}", e.message);
    assert!(e.message.contains("no_such_table"));
    let e = server_error(c.query_drop("SELEC 1").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{}", e.message);
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
    // As in MySQL (and MariaDB), a SELECT without FROM keeps the last statement's diagnostics;
    // a statement that uses a table clears them.
    let warnings: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(warnings.iter().map(|w| (w.0.as_str(), w.1)).collect::<Vec<_>>(), [("Error", 1064)], "{warnings:?}");
    c.query_drop("SHOW TABLES").await.unwrap();
    let warnings: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(warnings.is_empty(), "SHOW TABLES cleared the diagnostics: {warnings:?}");
}

#[tokio::test]
async fn an_insert_submits_a_job_whose_id_comes_back_in_the_ok_packet() {
    let mut c = server().connect().await;
    let t = datagen(&mut c, 10).await;
    let sink = unique("sink");
    c.query_drop(format!("CREATE TEMPORARY TABLE {sink} (id BIGINT) WITH ('connector'='blackhole')")).await.unwrap();
    c.query_drop(format!("INSERT INTO {sink} SELECT id FROM {t}")).await.unwrap();
    let info = c.info().to_string();
    let job = info.rsplit(' ').next().unwrap_or("").to_string();
    assert_eq!(job.len(), 32, "info carries the job id: {info}");
    assert!(job.chars().all(|ch| ch.is_ascii_hexdigit()));
    let jobs: Vec<Row> = c.query("SHOW JOBS").await.unwrap();
    assert!(jobs.iter().any(|r| r.get::<String, _>(0).as_deref() == Some(job.as_str())), "SHOW JOBS lists {job}");
    assert!(server().jobs().await.iter().any(|(id, _, _)| *id == job), "the JobManager knows {job}");
}

#[tokio::test]
async fn transactions_are_accepted_with_a_warning_that_flink_has_none() {
    let mut c = server().connect().await;
    c.query_drop("START TRANSACTION").await.unwrap();
    assert_eq!(c.get_warnings(), 1);
    let w: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(w[0].2.contains("no transactions"), "{w:?}");
    c.query_drop("COMMIT").await.unwrap();
    c.query_drop("SET autocommit=1, sql_mode = CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES'), NAMES utf8mb4").await.unwrap();
}

#[tokio::test]
async fn caching_sha2_and_native_accounts_log_in_and_wrong_passwords_are_refused() {
    let s = server();
    let mut c = Conn::new(s.opts("weir_sha2", "sha2pass")).await.expect("caching_sha2 login");
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
    let user: Option<String> = c.query_first("SELECT CURRENT_USER()").await.unwrap();
    assert_eq!(user.as_deref(), Some("weir_sha2@%"));
    let mut c = Conn::new(s.opts("weir_native", "nativepass")).await.expect("native login");
    c.ping().await.unwrap();
    let e = Conn::new(s.opts("weir_native", "wrong")).await.unwrap_err();
    assert!(e.to_string().contains("1045"), "{e}");
    let e = Conn::new(s.opts("nobody", "")).await.unwrap_err();
    assert!(e.to_string().contains("1045"), "{e}");
}

#[tokio::test]
async fn tls_logins_work_and_verify_the_server_certificate() {
    let s = server();
    let opts: OptsBuilder = s.opts("weir_sha2", "sha2pass").ssl_opts(s.tls());
    let mut c = Conn::new(opts).await.expect("TLS login");
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn the_bi_users_sessions_start_in_batch_mode_from_the_config() {
    let s = server();
    let mut c = Conn::new(s.opts("bi", "bipass")).await.expect("bi logs in");
    let t = datagen(&mut c, 20).await;
    // No SET: the account's flink_options put the session in batch mode, so GROUP BY is final.
    let rows: Vec<(i64, i64)> = c.query(format!("SELECT id % 2 AS k, COUNT(*) FROM {t} GROUP BY id % 2 ORDER BY k")).await.unwrap();
    assert_eq!(rows, vec![(0, 10), (1, 10)]);
}

#[tokio::test]
async fn a_cluster_that_cannot_be_reached_is_named_in_a_clear_error() {
    let s = server();
    // The account `lost` is routed to the cluster `nowhere`, whose gateway nobody runs.
    let mut c = Conn::new(s.opts("lost", "lostpass")).await.expect("lost logs in");
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "local answers do not need Flink");
    let e = server_error(c.query_drop("SELECT CHAR_LENGTH('abc')").await.unwrap_err());
    assert_eq!(e.code, 1105, "{}", e.message);
    assert!(e.message.contains("'nowhere'"), "the error names the cluster: {}", e.message);
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "the connection stays usable");
}

#[tokio::test]
async fn stop_job_stops_a_running_streaming_job() {
    let s = server();
    let mut c = s.connect().await;
    let src = unique("endless");
    let sink = unique("sink");
    c.query_drop(format!("CREATE TEMPORARY TABLE {src} (id BIGINT) WITH ('connector'='datagen', 'rows-per-second'='10')")).await.unwrap();
    c.query_drop(format!("CREATE TEMPORARY TABLE {sink} (id BIGINT) WITH ('connector'='blackhole')")).await.unwrap();
    c.query_drop(format!("INSERT INTO {sink} SELECT id FROM {src}")).await.unwrap();
    let job = c.info().rsplit(' ').next().unwrap_or("").to_string();
    c.query_drop(format!("STOP JOB '{job}'")).await.expect("STOP JOB");
    for _ in 0..60 {
        let state = s.jobs().await.into_iter().find(|j| j.0 == job).map(|j| j.2);
        if matches!(state.as_deref(), Some("CANCELED") | Some("FINISHED")) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    panic!("job {job} still running after STOP JOB");
}

#[tokio::test]
async fn a_mistyped_extended_statement_is_a_syntax_error_at_its_position_and_reaches_no_flink() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("SHOW FLINK CLUSTERS now").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{}", e.message);
    assert!(e.message.contains("near 'now' at line 1, column 21"), "{}", e.message);
    let e = server_error(c.query_drop("TRANSLATE FROM sybase SELECT 1").await.unwrap_err());
    assert_eq!(e.code, 1064, "{}", e.message);
    assert!(e.message.contains("unknown dialect 'sybase'") && e.message.contains("column 16"), "{}", e.message);
    let e = server_error(c.query_drop("TRANSLATE").await.unwrap_err());
    assert!(e.message.contains("expected a statement to translate"), "{}", e.message);
    let clusters: Vec<Row> = c.query("SHOW FLINK CLUSTERS LIKE '%'").await.unwrap();
    assert!(!clusters.is_empty(), "the connection is still usable");
}

#[tokio::test]
async fn a_query_of_only_comments_is_answered_ok_as_mysql_does() {
    let mut c = server().connect().await;
    for sql in ["-- nothing here", "/* c */", "# x"] {
        c.query_drop(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn drivers_read_the_system_variables_they_set_at_connect() {
    // go-sql-driver's DSN option sql_notes=false sends `SET sql_notes=false` at connect.
    let mut c = server().connect().await;
    c.query_drop("SET sql_notes = false").await.unwrap();
    let row: Row = c
        .query_first("SELECT @@sql_notes, @@read_only, @@innodb_read_only, @@server_id, @@group_concat_max_len, @@lock_wait_timeout, @@last_insert_id")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.get::<i64, _>(0), Some(0));
    assert_eq!(row.get::<i64, _>(1), Some(0));
    assert_eq!(row.get::<i64, _>(4), Some(1024));
    let socket: Vec<(String, String)> = c.query("SHOW VARIABLES LIKE 'socket'").await.unwrap();
    assert_eq!(socket.len(), 1);
}

#[tokio::test]
async fn flinks_syntax_errors_are_mysqls_1064_with_flinks_position() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("SELECT 1 FROM").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{}", e.message);
    assert!(e.message.contains("line 1, column 13"), "{}", e.message);
    let t = unique("typed");
    let e = server_error(c.query_drop(format!("CREATE TEMPORARY TABLE {t} (d datetime) WITH ('connector'='datagen')")).await.unwrap_err());
    assert_eq!(e.code, 1064, "an unknown column type is a syntax error, not an unknown column: {}", e.message);
    assert!(e.message.contains("'datetime'"), "{}", e.message);
    // In streaming mode a query is explained first; the position is still the user's.
    c.query_drop("SET 'execution.runtime-mode' = 'streaming'").await.unwrap();
    let e = server_error(c.query_drop("SELECT nocol FROM (VALUES (1)) AS v(a)").await.unwrap_err());
    assert_eq!(e.code, 1054, "{}", e.message);
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_its_wait_timeout() {
    let mut c = server().connect().await;
    c.query_drop("SET SESSION wait_timeout = 1").await.unwrap();
    let t: Option<i64> = c.query_first("SELECT @@wait_timeout").await.unwrap();
    assert_eq!(t, Some(1));
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let e = c.query_drop("SELECT 1").await.expect_err("the server closed the idle connection");
    let text = e.to_string();
    assert!(text.contains("4031") || text.to_lowercase().contains("inactivity") || matches!(e, mysql_async::Error::Io(_)), "{text}");
    // Others are served; a connection that keeps talking stays.
    let mut d = server().connect().await;
    d.query_drop("SET SESSION wait_timeout = 2").await.unwrap();
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let one: Option<i64> = d.query_first("SELECT 1").await.unwrap();
        assert_eq!(one, Some(1));
    }
}

#[tokio::test]
async fn timestamp_ltz_columns_are_mysql_timestamps_and_timestamps_are_datetimes() {
    let mut c = server().connect().await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let row: Row = c
        .query_first("SELECT CAST(TIMESTAMP '2024-01-02 03:04:05' AS TIMESTAMP_LTZ(3)) AS ltz, TIMESTAMP '2024-01-02 03:04:05' AS ts")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.columns_ref()[0].column_type(), ColumnType::MYSQL_TYPE_TIMESTAMP, "TIMESTAMP_LTZ");
    assert_eq!(row.columns_ref()[1].column_type(), ColumnType::MYSQL_TYPE_DATETIME, "TIMESTAMP");
}

#[tokio::test]
async fn an_unsigned_parameter_above_bigint_reaches_flink_as_a_decimal() {
    let mut c = server().connect().await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let v: Option<String> = c.exec_first("SELECT CAST(? AS STRING) AS v", (u64::MAX,)).await.unwrap();
    assert_eq!(v.as_deref(), Some("18446744073709551615"));
}
