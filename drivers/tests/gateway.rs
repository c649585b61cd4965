//! The gateway client against a real Flink SQL Gateway in front of a running session cluster.
//!
//! Set `WEIR_TEST_GATEWAY` to the gateway's base URL, e.g.
//! `WEIR_TEST_GATEWAY=http://127.0.0.1:29083 cargo test -p weir-drivers --test gateway`.
//! The JobManager's REST address is read from the gateway's session configuration
//! (`rest.address`, `rest.port`) to check job states.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, DurationMillisecondType, Float32Type, Float64Type, Int8Type,
    Int16Type, Int32Type, Int64Type, IntervalYearMonthType, Time64MicrosecondType,
    TimestampMicrosecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use weir_drivers::gateway::{
    ApiVersion, ChangelogBatch, FlinkSession, GatewayClient, GatewayError, ResultKind,
    ResultStream, RowKind, StatementResult,
};

fn endpoint() -> String {
    std::env::var("WEIR_TEST_GATEWAY").unwrap_or_else(|_| {
        panic!(
            "WEIR_TEST_GATEWAY is not set: set it to the base URL of a running Flink SQL Gateway whose \
             session cluster has free slots, e.g. WEIR_TEST_GATEWAY=http://127.0.0.1:29083"
        )
    })
}

async fn client() -> GatewayClient {
    let endpoint = endpoint();
    match GatewayClient::connect(&endpoint).await {
        Ok(c) => c,
        Err(e) => panic!("cannot connect to the gateway at {endpoint}: {e}"),
    }
}

async fn session(props: &[(&str, &str)]) -> FlinkSession {
    let props: BTreeMap<String, String> = props
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    client()
        .await
        .open_session(Some("weir-driver-test"), &props)
        .await
        .expect("open session")
}

async fn batch_session() -> FlinkSession {
    session(&[("execution.runtime-mode", "batch")]).await
}

async fn run(s: &FlinkSession, sql: &str) -> StatementResult {
    s.execute(sql, &BTreeMap::new())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn run_err(s: &FlinkSession, sql: &str) -> GatewayError {
    match s.execute(sql, &BTreeMap::new()).await {
        Ok(r) => {
            let _ = r.rows.close().await;
            panic!("{sql} succeeded")
        }
        Err(e) => e,
    }
}

/// Every batch of a bounded result.
async fn collect(mut rows: ResultStream) -> (Vec<RowKind>, Vec<RecordBatch>) {
    let mut kinds = Vec::new();
    let mut batches = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(60), rows.next_batch()).await {
            Ok(Ok(Some(b))) => {
                assert!(
                    b.batch.num_rows() > 0,
                    "next_batch yields only non-empty batches"
                );
                assert_eq!(b.kinds.len(), b.batch.num_rows());
                kinds.extend(b.kinds);
                batches.push(b.batch);
            }
            Ok(Ok(None)) => return (kinds, batches),
            Ok(Err(e)) => panic!("fetching: {e}"),
            Err(_) => panic!("no end of the result after 60 s"),
        }
    }
}

/// The one batch of a one-row result.
async fn single_row(rows: ResultStream) -> RecordBatch {
    let (_, batches) = collect(rows).await;
    match <[RecordBatch; 1]>::try_from(batches) {
        Ok([b]) if b.num_rows() == 1 => b,
        other => panic!("expected one row, got {other:?}"),
    }
}

/// The next non-empty batch within `secs` seconds.
async fn next_within(rows: &mut ResultStream, secs: u64) -> ChangelogBatch {
    match tokio::time::timeout(Duration::from_secs(secs), rows.next_batch()).await {
        Ok(Ok(Some(b))) => b,
        Ok(Ok(None)) => panic!("the result ended"),
        Ok(Err(e)) => panic!("fetching: {e}"),
        Err(_) => panic!("no rows after {secs} s"),
    }
}

/// The state of a job, from the JobManager the gateway submits to.
async fn job_state(s: &FlinkSession, job: &str) -> String {
    let props = s.properties().await.expect("session properties");
    let (host, port) = (
        props.get("rest.address").expect("rest.address"),
        props.get("rest.port").map_or("8081", String::as_str),
    );
    let url = format!("http://{host}:{port}/jobs/{job}");
    // Weir's one HTTP client setup (rustls on ring; no process-wide crypto provider).
    let http = weir_drivers::web::client_builder().build().expect("HTTP client");
    let job: serde_json::Value = http
        .get(&url)
        .send()
        .await
        .expect("JobManager REST")
        .json()
        .await
        .expect("job JSON");
    job["state"].as_str().unwrap_or_default().to_string()
}

async fn wait_for_job_state(s: &FlinkSession, job: &str, wanted: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let state = job_state(s, job).await;
        if wanted.contains(&state.as_str()) || Instant::now() > deadline {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn flink_error(e: GatewayError) -> weir_drivers::gateway::FlinkSqlError {
    match e {
        GatewayError::Flink(f) => f,
        other => panic!("expected a Flink error, got {other:?}"),
    }
}

#[tokio::test]
async fn negotiates_the_api_version() {
    let c = client().await;
    let expected = if c.flink_version().starts_with("1.20") {
        ApiVersion::V3
    } else {
        ApiVersion::V4
    };
    assert_eq!(c.api_version(), expected, "Flink {}", c.flink_version());
    assert_eq!(c.capabilities().api, expected);
    assert!(c.capabilities().row_format_param && c.capabilities().configure_session);
    assert_eq!(c.endpoint(), endpoint().trim_end_matches('/'));
    c.ping().await.expect("ping");
}

#[tokio::test]
async fn sessions_keep_their_properties_and_close() {
    let c = client().await;
    let props = BTreeMap::from([("weir.test.key".to_string(), "v1".to_string())]);
    let s = c.open_session(None, &props).await.expect("open");
    assert_eq!(s.handle().len(), 36);
    assert_eq!(
        s.properties()
            .await
            .expect("properties")
            .get("weir.test.key")
            .map(String::as_str),
        Some("v1")
    );
    s.heartbeat().await.expect("heartbeat");
    s.close().await.expect("close");
    assert!(matches!(
        s.heartbeat().await,
        Err(GatewayError::SessionNotFound)
    ));
    assert!(matches!(
        s.execute("SELECT 1", &BTreeMap::new()).await,
        Err(GatewayError::SessionNotFound)
    ));
}

#[tokio::test]
async fn ddl_set_and_a_batch_group_by() {
    let s = session(&[]).await;
    let r = run(&s, "CREATE TEMPORARY TABLE gen (k INT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '100', 'fields.k.min' = '1', 'fields.k.max' = '3', 'fields.v.kind' = 'sequence', 'fields.v.start' = '1', 'fields.v.end' = '100')").await;
    assert_eq!(
        (r.is_query, r.kind, r.job_id.is_none()),
        (false, ResultKind::Success, true)
    );
    r.rows.close().await.expect("close");
    let r = run(&s, "SET 'execution.runtime-mode' = 'batch'").await;
    assert_eq!(r.kind, ResultKind::Success);
    assert_eq!(
        single_row(r.rows)
            .await
            .column(0)
            .as_string::<i32>()
            .value(0),
        "OK"
    );

    let r = run(
        &s,
        "SELECT k, COUNT(*) AS c, SUM(v) AS total FROM gen GROUP BY k",
    )
    .await;
    assert!(r.is_query && r.job_id.is_some());
    assert_eq!(r.kind, ResultKind::SuccessWithContent);
    let types: Vec<_> = r
        .schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect();
    assert_eq!(
        types,
        [
            ("k".into(), DataType::Int32),
            ("c".into(), DataType::Int64),
            ("total".into(), DataType::Int64)
        ]
    );
    assert_eq!(
        r.schema
            .field(0)
            .metadata()
            .get("flink.type")
            .map(String::as_str),
        Some("INT")
    );
    let (kinds, batches) = collect(r.rows).await;
    assert!(
        kinds.iter().all(|k| *k == RowKind::Insert),
        "batch mode has only inserts: {kinds:?}"
    );
    assert!((1..=3).contains(&kinds.len()));
    let sum = |i: usize| -> i64 {
        batches
            .iter()
            .flat_map(|b| b.column(i).as_primitive::<Int64Type>().values().to_vec())
            .sum()
    };
    let (counts, totals) = (sum(1), sum(2));
    assert_eq!((counts, totals), (100, 5050));
    s.close().await.expect("close");
}

#[tokio::test]
async fn every_type_round_trips() {
    let s = batch_session().await;
    let sql = "SELECT CAST(TRUE AS BOOLEAN) AS b, CAST(-128 AS TINYINT) AS ti, CAST(32767 AS SMALLINT) AS si, 2147483647 AS i, \
        CAST(-9223372036854775808 AS BIGINT) AS bi, CAST(1.5 AS FLOAT) AS f, CAST(2.25 AS DOUBLE) AS d, CAST('NaN' AS DOUBLE) AS nan, \
        CAST('1234567890123456789012345678.1234567891' AS DECIMAL(38, 10)) AS dec38, CAST(0 AS DECIMAL(38, 10)) AS dec0, \
        CAST(-1.5 AS DECIMAL(5, 2)) AS decneg, CAST(1E10 AS DECIMAL(20, 0)) AS decexp, \
        CAST('ab' AS CHAR(3)) AS c, CAST('héllo' AS VARCHAR(10)) AS vc, CAST('abc' AS STRING) AS s, \
        CAST('ab' AS BINARY(3)) AS bn, CAST('abc' AS BYTES) AS vb, \
        DATE '2024-02-29' AS dt, TIME '12:34:56' AS tm, \
        CAST(TIMESTAMP '2024-01-02 03:04:05.123' AS TIMESTAMP(3)) AS ts3, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts6, \
        TO_TIMESTAMP_LTZ(0, 3) AS ltz, \
        INTERVAL '2-3' YEAR TO MONTH AS iym, INTERVAL '1 02:03:04.567' DAY TO SECOND(3) AS ids, \
        ARRAY[1, 2, CAST(NULL AS INT)] AS arr, MAP['k', 1] AS mp, CAST(ROW(1, 'x') AS ROW<a INT, b STRING>) AS rw, \
        CAST(NULL AS INT) AS ni, CAST(NULL AS DECIMAL(10, 2)) AS ndec, CAST(NULL AS TIMESTAMP(3)) AS nts, CAST(NULL AS BYTES) AS nb, \
        CAST(NULL AS DATE) AS nd, CAST(NULL AS ARRAY<INT>) AS narr";
    let r = run(&s, sql).await;
    let schema = r.schema.clone();
    let b = single_row(r.rows).await;
    let col = |name: &str| -> ArrayRef {
        b.column_by_name(name)
            .unwrap_or_else(|| panic!("no column {name}"))
            .clone()
    };
    let ty = |name: &str| -> String {
        schema
            .field_with_name(name)
            .unwrap()
            .metadata()
            .get("flink.type")
            .cloned()
            .unwrap_or_default()
    };
    let dt = |name: &str| -> DataType { schema.field_with_name(name).unwrap().data_type().clone() };

    assert!(col("b").as_boolean().value(0));
    assert_eq!(col("ti").as_primitive::<Int8Type>().value(0), -128);
    assert_eq!(col("si").as_primitive::<Int16Type>().value(0), 32767);
    assert_eq!(col("i").as_primitive::<Int32Type>().value(0), i32::MAX);
    assert_eq!(col("bi").as_primitive::<Int64Type>().value(0), i64::MIN);
    assert_eq!(col("f").as_primitive::<Float32Type>().value(0), 1.5);
    assert_eq!(col("d").as_primitive::<Float64Type>().value(0), 2.25);
    assert!(col("nan").as_primitive::<Float64Type>().value(0).is_nan());

    assert_eq!(
        (dt("dec38"), ty("dec38")),
        (DataType::Decimal128(38, 10), "DECIMAL(38, 10)".to_string())
    );
    assert_eq!(
        col("dec38")
            .as_primitive::<Decimal128Type>()
            .value_as_string(0),
        "1234567890123456789012345678.1234567891"
    );
    assert_eq!(
        col("dec0")
            .as_primitive::<Decimal128Type>()
            .value_as_string(0),
        "0.0000000000"
    );
    assert_eq!(
        col("decneg")
            .as_primitive::<Decimal128Type>()
            .value_as_string(0),
        "-1.50"
    );
    assert_eq!(
        col("decexp")
            .as_primitive::<Decimal128Type>()
            .value_as_string(0),
        "10000000000"
    );

    assert_eq!(
        (ty("c"), col("c").as_string::<i32>().value(0)),
        ("CHAR(3)".to_string(), "ab ")
    );
    assert_eq!(col("vc").as_string::<i32>().value(0), "héllo");
    assert_eq!(ty("s"), "VARCHAR(2147483647)");
    assert_eq!(
        schema
            .field_with_name("s")
            .unwrap()
            .metadata()
            .get("flink.length")
            .map(String::as_str),
        Some("2147483647")
    );
    assert_eq!(
        (dt("bn"), col("bn").as_binary::<i32>().value(0)),
        (DataType::Binary, b"ab\0".as_slice())
    );
    assert_eq!(
        (ty("vb"), col("vb").as_binary::<i32>().value(0)),
        ("VARBINARY(2147483647)".to_string(), b"abc".as_slice())
    );

    assert_eq!(col("dt").as_primitive::<Date32Type>().value(0), 19782);
    assert_eq!(
        col("tm").as_primitive::<Time64MicrosecondType>().value(0),
        45_296_000_000
    );
    assert_eq!(
        (dt("ts3"), ty("ts3")),
        (
            DataType::Timestamp(TimeUnit::Microsecond, None),
            "TIMESTAMP(3)".to_string()
        )
    );
    assert_eq!(
        schema
            .field_with_name("ts3")
            .unwrap()
            .metadata()
            .get("flink.precision")
            .map(String::as_str),
        Some("3")
    );
    assert_eq!(
        col("ts3")
            .as_primitive::<TimestampMicrosecondType>()
            .value(0),
        1_704_164_645_123_000
    );
    assert_eq!(
        col("ts6")
            .as_primitive::<TimestampMicrosecondType>()
            .value(0),
        1_704_164_645_123_456
    );
    assert_eq!(ty("ltz"), "TIMESTAMP(3) WITH LOCAL TIME ZONE");

    assert_eq!(
        col("iym").as_primitive::<IntervalYearMonthType>().value(0),
        27
    );
    assert_eq!(
        col("ids")
            .as_primitive::<DurationMillisecondType>()
            .value(0),
        93_784_567
    );

    assert_eq!(
        (ty("arr"), col("arr").as_string::<i32>().value(0)),
        ("ARRAY<INT>".to_string(), "[1,2,null]")
    );
    assert_eq!(col("mp").as_string::<i32>().value(0), r#"{"k":1}"#);
    assert_eq!(ty("rw"), "ROW<`a` INT, `b` VARCHAR(2147483647)>");
    assert_eq!(col("rw").as_string::<i32>().value(0), r#"{"a":1,"b":"x"}"#);

    for name in ["ni", "ndec", "nts", "nb", "nd", "narr"] {
        assert!(col(name).is_null(0), "{name} is NULL");
        assert!(schema.field_with_name(name).unwrap().is_nullable());
    }
    assert!(!schema.field_with_name("i").unwrap().is_nullable());
    s.close().await.expect("close");
}

#[tokio::test]
async fn timestamp_ltz_is_the_session_wall_clock() {
    let s = session(&[
        ("execution.runtime-mode", "batch"),
        ("table.local-time-zone", "Asia/Shanghai"),
    ])
    .await;
    let b = single_row(run(&s, "SELECT TO_TIMESTAMP_LTZ(0, 3) AS ltz").await.rows).await;
    // The epoch in Asia/Shanghai is 08:00 on the wall clock.
    assert_eq!(
        b.column(0)
            .as_primitive::<TimestampMicrosecondType>()
            .value(0),
        8 * 3_600_000_000
    );
    s.close().await.expect("close");
}

#[tokio::test]
async fn syntax_errors_are_parser_exceptions_with_a_position() {
    let s = batch_session().await;
    let f = flink_error(run_err(&s, "SELECT FROM x").await);
    assert_eq!(f.exception, "org.apache.flink.table.api.SqlParserException");
    assert!(f.message.contains("line 1, column 8"), "{}", f.message);
    assert!(!f.message.contains("Was expecting"), "{}", f.message);
    assert!(f.detail.contains("Caused by:"));
    s.close().await.expect("close");
}

#[tokio::test]
async fn unknown_tables_and_columns_are_validation_exceptions() {
    let s = batch_session().await;
    let f = flink_error(run_err(&s, "SELECT * FROM no_such_table").await);
    assert_eq!(
        f.exception,
        "org.apache.flink.table.api.ValidationException"
    );
    assert!(
        f.message.contains("Object 'no_such_table' not found"),
        "{}",
        f.message
    );
    let f = flink_error(run_err(&s, "SELECT nocol FROM (VALUES (1)) AS t(a)").await);
    assert!(
        f.message.contains("Column 'nocol' not found in any table"),
        "{}",
        f.message
    );
    run(
        &s,
        "CREATE TEMPORARY TABLE dup (a INT) WITH ('connector' = 'blackhole')",
    )
    .await
    .rows
    .close()
    .await
    .expect("close");
    let f = flink_error(
        run_err(
            &s,
            "CREATE TEMPORARY TABLE dup (a INT) WITH ('connector' = 'blackhole')",
        )
        .await,
    );
    assert!(
        f.message.contains("already exists"),
        "{}: {}",
        f.exception,
        f.message
    );
    s.close().await.expect("close");
}

#[tokio::test]
async fn insert_returns_its_job_id() {
    let s = batch_session().await;
    run(&s, "CREATE TEMPORARY TABLE src (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '10')").await.rows.close().await.expect("close");
    run(
        &s,
        "CREATE TEMPORARY TABLE sink (a INT) WITH ('connector' = 'blackhole')",
    )
    .await
    .rows
    .close()
    .await
    .expect("close");
    let r = run(&s, "INSERT INTO sink SELECT a FROM src").await;
    let job = r.job_id.clone().expect("job id");
    assert_eq!(job.len(), 32);
    assert_eq!(
        (r.is_query, r.kind),
        (false, ResultKind::SuccessWithContent)
    );
    assert_eq!(
        single_row(r.rows)
            .await
            .column(0)
            .as_string::<i32>()
            .value(0),
        job
    );
    assert_eq!(
        wait_for_job_state(&s, &job, &["FINISHED"]).await,
        "FINISHED"
    );
    s.close().await.expect("close");
}

const UNBOUNDED: &str = "CREATE TEMPORARY TABLE events (k INT, v BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.k.min' = '1', 'fields.k.max' = '3')";

#[tokio::test]
async fn cancel_stops_a_streaming_query() {
    let s = session(&[("execution.runtime-mode", "streaming")]).await;
    run(&s, UNBOUNDED).await.rows.close().await.expect("close");
    let r = run(&s, "SELECT k, v FROM events").await;
    let job = r.job_id.clone().expect("job id");
    let mut rows = r.rows;
    for _ in 0..2 {
        let b = next_within(&mut rows, 60).await;
        assert!(b.kinds.iter().all(|k| *k == RowKind::Insert));
    }
    assert_eq!(job_state(&s, &job).await, "RUNNING");
    rows.cancel().await.expect("cancel");
    let state = wait_for_job_state(&s, &job, &["CANCELED"]).await;
    assert!(
        state == "CANCELED" || state == "CANCELLING",
        "job {job} is {state}"
    );
    s.close().await.expect("close");
}

#[tokio::test]
async fn dropping_an_unfinished_stream_cancels_its_job() {
    let s = session(&[("execution.runtime-mode", "streaming")]).await;
    run(&s, UNBOUNDED).await.rows.close().await.expect("close");
    let r = run(&s, "SELECT k FROM events").await;
    let job = r.job_id.clone().expect("job id");
    let mut rows = r.rows;
    next_within(&mut rows, 60).await;
    drop(rows);
    let state = wait_for_job_state(&s, &job, &["CANCELED"]).await;
    assert!(
        state == "CANCELED" || state == "CANCELLING",
        "job {job} is {state}"
    );
    s.close().await.expect("close");
}

#[tokio::test]
async fn a_streaming_group_by_is_a_changelog() {
    let s = session(&[("execution.runtime-mode", "streaming")]).await;
    run(&s, UNBOUNDED).await.rows.close().await.expect("close");
    let r = run(&s, "SELECT k, COUNT(*) AS c FROM events GROUP BY k").await;
    let mut rows = r.rows;
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(seen.contains(&RowKind::UpdateBefore) && seen.contains(&RowKind::UpdateAfter)) {
        assert!(Instant::now() < deadline, "no updates in 60 s: {seen:?}");
        let b = next_within(&mut rows, 60).await;
        assert_eq!(b.kinds.len(), b.batch.num_rows());
        seen.extend(b.kinds);
    }
    assert_eq!(seen[0], RowKind::Insert);
    assert_eq!(RowKind::UpdateBefore.short(), "-U");
    rows.cancel().await.expect("cancel");
    s.close().await.expect("close");
}

#[tokio::test]
async fn an_unreachable_gateway_is_unreachable() {
    // Port 1 on the loopback: nothing listens there.
    match GatewayClient::connect("http://127.0.0.1:1").await {
        Err(GatewayError::Unreachable { endpoint, .. }) => {
            assert_eq!(endpoint, "http://127.0.0.1:1")
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
}
