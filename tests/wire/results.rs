//! COM_QUERY: text result sets, OKs, errors, multi-statements.

use mysql_async::prelude::*;
use mysql_async::{Row, Value};

use crate::harness::{TestServer, assert_server_error};
use crate::mock::{BATCH_ROWS, row_name};

fn expected_rows(n: usize) -> Vec<(i64, Option<String>)> {
    (1..=n as i64).map(|i| (i, row_name(i))).collect()
}

#[tokio::test]
async fn a_text_result_with_nulls_and_many_batches_arrives_whole_and_in_order() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    for n in [0, 1, BATCH_ROWS, BATCH_ROWS + 1, 1000, 20_000] {
        let rows: Vec<(i64, Option<String>)> = conn.query(format!("SELECT rows {n}")).await.unwrap();
        assert_eq!(rows.len(), n);
        assert!(rows == expected_rows(n), "{n} rows differ");
    }
    // Column metadata: names, and NOT NULL where Arrow says so.
    let mut result = conn.query_iter("SELECT rows 3").await.unwrap();
    let columns = result.columns().unwrap();
    let names: Vec<String> = columns.iter().map(|c| c.name_str().into_owned()).collect();
    assert_eq!(names, ["id", "name"]);
    assert!(columns[0].flags().contains(mysql_async::consts::ColumnFlags::NOT_NULL_FLAG));
    assert!(!columns[1].flags().contains(mysql_async::consts::ColumnFlags::NOT_NULL_FLAG));
    assert_eq!(columns[0].column_type(), mysql_async::consts::ColumnType::MYSQL_TYPE_LONGLONG);
    let raw: Vec<Row> = result.collect().await.unwrap();
    drop(result);
    assert_eq!(raw[2].as_ref(1), Some(&Value::NULL), "row 3's name is NULL, not a string");
    assert_eq!(raw[0].as_ref(1), Some(&Value::Bytes(b"name-1".to_vec())));
}

#[tokio::test]
async fn a_row_of_many_types_reads_the_same_in_text_and_binary() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let text: Row = conn.query_first("SELECT types").await.unwrap().unwrap();
    let text: Vec<Value> = text.unwrap();
    let b = |s: &str| Value::Bytes(s.as_bytes().to_vec());
    assert_eq!(
        text,
        vec![
            b("-8"),
            b("18446744073709551615"),
            b("2.5"),
            b("19.99"),
            b("1"),
            b("2024-02-29"),
            b("2023-11-14 22:13:20.123456"),
            b("héllo"),
            Value::NULL,
        ]
    );

    let stmt = conn.prep("SELECT types").await.unwrap();
    let binary: Row = conn.exec_first(&stmt, ()).await.unwrap().unwrap();
    let binary: Vec<Value> = binary.unwrap();
    assert_eq!(
        binary,
        vec![
            Value::Int(-8),
            Value::UInt(u64::MAX),
            Value::Double(2.5),
            b("19.99"),
            Value::Int(1),
            Value::Date(2024, 2, 29, 0, 0, 0, 0),
            Value::Date(2023, 11, 14, 22, 13, 20, 123_456),
            b("héllo"),
            Value::NULL,
        ]
    );
}

#[tokio::test]
async fn an_ok_reply_carries_affected_rows_last_insert_id_and_info() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    conn.query_drop("OK").await.unwrap();
    assert_eq!(conn.affected_rows(), 3);
    assert_eq!(conn.last_insert_id(), Some(42));
    assert_eq!(conn.info(), "Rows matched: 3  Changed: 3  Warnings: 0");
}

#[tokio::test]
async fn errors_keep_code_sqlstate_and_message_and_the_connection_stays_usable() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;

    let e = conn.query_drop("FAIL").await.unwrap_err();
    assert_eq!(assert_server_error(e, 1146, "42S02"), "Table 'shop.nope' doesn't exist");
    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);

    let e = conn.query_drop("FAIL RANGE").await.unwrap_err();
    assert_eq!(
        assert_server_error(e, 1690, "22003"),
        "BIGINT UNSIGNED value is out of range in '(`prix` - 1)' — übertrieben"
    );

    let e = conn.query_drop("SELEC 1").await.unwrap_err();
    let msg = assert_server_error(e, 1064, "42000");
    assert!(msg.contains("near 'SELEC 1'"), "{msg}");

    let e = conn.query_drop("   ").await.unwrap_err();
    assert_eq!(assert_server_error(e, 1065, "42000"), "Query was empty");

    let rows: Vec<(i64, Option<String>)> = conn.query("SELECT rows 30").await.unwrap();
    assert!(rows == expected_rows(30));
}

#[tokio::test]
async fn an_error_in_the_middle_of_a_result_reaches_the_client_and_the_connection_stays_usable() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let e = conn.query::<(i64, Option<String>), _>("SELECT rows 50 then FAIL").await.unwrap_err();
    assert_server_error(e, 3024, "HY000");
    let rows: Vec<(i64, Option<String>)> = conn.query("SELECT rows 10").await.unwrap();
    assert!(rows == expected_rows(10));
}

#[tokio::test]
async fn a_multi_statement_query_gives_one_result_per_statement() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;

    let mut result = conn.query_iter("SELECT 1; SELECT 1").await.unwrap();
    let first: Vec<i64> = result.collect().await.unwrap();
    let second: Vec<i64> = result.collect().await.unwrap();
    assert!(result.is_empty(), "exactly two result sets");
    drop(result);
    assert_eq!((first, second), (vec![1], vec![1]));

    // Result sets and OKs mixed, in order.
    let mut result = conn.query_iter("SELECT rows 9; OK; SELECT 1").await.unwrap();
    let rows: Vec<(i64, Option<String>)> = result.collect().await.unwrap();
    assert!(rows == expected_rows(9));
    let ok: Vec<Row> = result.collect().await.unwrap();
    assert!(ok.is_empty());
    assert_eq!(result.affected_rows(), 3);
    let last: Vec<i64> = result.collect().await.unwrap();
    assert_eq!(last, vec![1]);
    assert!(result.is_empty());
    drop(result);

    // An error ends the batch: the statements after it never run.
    let id = conn.id();
    let mut result = conn.query_iter("SELECT 1; FAIL; SELECT rows 5").await.unwrap();
    let first: Vec<i64> = result.collect().await.unwrap();
    assert_eq!(first, vec![1]);
    let e = result.collect::<Row>().await.unwrap_err();
    assert_server_error(e, 1146, "42S02");
    drop(result);
    let tail: Vec<String> = server.journal().queries_of(id).into_iter().rev().take(2).collect();
    assert_eq!(tail, ["FAIL", "SELECT 1"], "SELECT rows 5 must not run after the error");

    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
}

#[tokio::test]

async fn an_error_in_the_middle_of_a_multi_statement_result_ends_the_batch() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    let mut result = conn.query_iter("SELECT rows 10 then FAIL; SELECT 1").await.unwrap();
    let e = result.collect::<(i64, Option<String>)>().await.unwrap_err();
    assert_server_error(e, 3024, "HY000");
    drop(result);
    // After an ERR the client expects nothing more of this query: the server must not run (nor
    // send) the statements after the failed one, or the next command reads their results.
    let next = conn.query::<(i64, Option<String>), _>("SELECT rows 3").await;
    assert!(
        matches!(&next, Ok(rows) if *rows == expected_rows(3)),
        "the next query gets its own result, got {next:?}"
    );
    let ran: Vec<String> = server.journal().queries_of(id);
    assert_eq!(ran, ["SELECT rows 10 then FAIL", "SELECT rows 3"], "SELECT 1 must not run after the failed statement");
}

#[tokio::test]
async fn a_row_of_less_common_types_reads_the_same_in_text_and_binary() {
    use mysql_async::consts::{ColumnFlags, ColumnType};
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let b = |s: &[u8]| Value::Bytes(s.to_vec());

    let mut result = conn.query_iter("SELECT more types").await.unwrap();
    let columns = result.columns().unwrap();
    let described: Vec<(ColumnType, u8)> = columns.iter().map(|c| (c.column_type(), c.decimals())).collect();
    assert_eq!(described[7..11], [
        (ColumnType::MYSQL_TYPE_DATE, 0),
        (ColumnType::MYSQL_TYPE_TIME, 6),
        (ColumnType::MYSQL_TYPE_TIME, 0),
        (ColumnType::MYSQL_TYPE_TIMESTAMP, 3),
    ]);
    assert!(columns[2].flags().contains(ColumnFlags::UNSIGNED_FLAG), "UInt8 is unsigned");
    assert!(!columns[0].flags().contains(ColumnFlags::UNSIGNED_FLAG));
    assert_eq!((columns[13].column_type(), columns[13].character_set()), (ColumnType::MYSQL_TYPE_BLOB, 63), "binary is a BLOB");
    assert_eq!(columns[15].column_type(), ColumnType::MYSQL_TYPE_NULL);
    let text: Vec<Row> = result.collect().await.unwrap();
    drop(result);
    assert_eq!(
        text.into_iter().next().unwrap().unwrap(),
        vec![
            b(b"-300"),
            b(b"-70000"),
            b(b"200"),
            b(b"4000000000"),
            b(b"0.5"),
            b(b"12345"),
            b(b"-0.0000000001"),
            b(b"2000-01-01"),
            b(b"01:02:03.000123"),
            b(b"25:00:00"),
            b(b"2023-11-14 22:13:20.123"),
            b(b"large"),
            b(b"view"),
            b(&[0, 1, 2, 255]),
            b(b"+1-02"),
            Value::NULL,
        ]
    );

    let stmt = conn.prep("SELECT more types").await.unwrap();
    let binary: Row = conn.exec_first(&stmt, ()).await.unwrap().unwrap();
    assert_eq!(
        binary.unwrap(),
        vec![
            Value::Int(-300),
            Value::Int(-70_000),
            Value::Int(200),
            Value::Int(4_000_000_000),
            Value::Float(0.5),
            b(b"12345"),
            b(b"-0.0000000001"),
            Value::Date(2000, 1, 1, 0, 0, 0, 0),
            Value::Time(false, 0, 1, 2, 3, 123),
            Value::Time(false, 1, 1, 0, 0, 0),
            Value::Date(2023, 11, 14, 22, 13, 20, 123_000),
            b(b"large"),
            b(b"view"),
            b(&[0, 1, 2, 255]),
            b(b"+1-02"),
            Value::NULL,
        ]
    );
}

#[tokio::test]

async fn decimal256_values_arrive_as_decimals() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let text: Vec<String> = conn.query("SELECT decimal256").await.unwrap();
    assert_eq!(text, ["19.99", "-0.05"]);
    let stmt = conn.prep("SELECT decimal256").await.unwrap();
    let binary: Vec<String> = conn.exec(&stmt, ()).await.unwrap();
    assert_eq!(binary, ["19.99", "-0.05"]);
}
