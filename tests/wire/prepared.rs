//! The binary protocol: COM_STMT_PREPARE, COM_STMT_EXECUTE with bound parameters (and long
//! data), COM_STMT_CLOSE.

use mysql_async::prelude::*;
use mysql_async::{Params, Row, Value};
use weir::protocol::ParamValue;

use crate::harness::{TestServer, assert_server_error};
use crate::mock::{Event, row_name};

/// The parameters the session received for the last execute of `stmt` on `conn`.
fn last_params(server: &TestServer, conn: u32, stmt: u32) -> Vec<ParamValue> {
    server
        .journal()
        .of(conn)
        .into_iter()
        .rev()
        .find_map(|e| match e {
            Event::Execute { stmt: s, params, .. } if s == stmt => Some(params),
            _ => None,
        })
        .expect("an execute reached the session")
}

#[tokio::test]
async fn a_prepared_statement_binds_typed_parameters_and_the_session_sees_them() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    let stmt = conn.prep("ECHO ?, ?, ?, ?, ?, ?, ?, ?").await.unwrap();
    assert_eq!(stmt.num_params(), 8);
    assert!(
        server.journal().of(id).contains(&Event::Prepare { conn: id, stmt: stmt.id(), sql: "ECHO ?, ?, ?, ?, ?, ?, ?, ?".into() }),
        "prepare reached the session under the id the client got"
    );

    let sent = vec![
        Value::Int(-7),
        Value::UInt(u64::MAX),
        Value::Double(1.5),
        Value::Bytes(b"it's \\ x".to_vec()),
        Value::NULL,
        Value::Bytes(vec![0xFF, 0x00, 0x80]),
        Value::Date(2024, 2, 29, 13, 14, 15, 123_456),
        Value::Bytes(Vec::new()),
    ];
    let row: Row = conn.exec_first(&stmt, Params::Positional(sent.clone())).await.unwrap().unwrap();
    assert_eq!(
        last_params(&server, id, stmt.id()),
        vec![
            ParamValue::Int(-7),
            ParamValue::UInt(u64::MAX),
            ParamValue::Double(1.5),
            ParamValue::Text(b"it's \\ x".to_vec()),
            ParamValue::Null,
            ParamValue::Binary(vec![0xFF, 0x00, 0x80]),
            ParamValue::DateTime { year: 2024, month: 2, day: 29, hour: 13, minute: 14, second: 15, micros: 123_456 },
            ParamValue::Text(Vec::new()),
        ]
    );
    // The session echoed them back, in the binary row format.
    assert_eq!(row.unwrap(), sent);

    // A second execute of the same statement with other values (and other NULLs).
    let again = vec![
        Value::NULL,
        Value::Int(0),
        Value::Double(-0.25),
        Value::NULL,
        Value::Bytes("ünïcödé".as_bytes().to_vec()),
        Value::Int(i64::MIN),
        Value::Date(1999, 12, 31, 0, 0, 0, 0),
        Value::NULL,
    ];
    let row: Row = conn.exec_first(&stmt, Params::Positional(again)).await.unwrap().unwrap();
    assert_eq!(
        last_params(&server, id, stmt.id()),
        vec![
            ParamValue::Null,
            ParamValue::Int(0),
            ParamValue::Double(-0.25),
            ParamValue::Null,
            ParamValue::Text("ünïcödé".as_bytes().to_vec()),
            ParamValue::Int(i64::MIN),
            ParamValue::DateTime { year: 1999, month: 12, day: 31, hour: 0, minute: 0, second: 0, micros: 0 },
            ParamValue::Null,
        ]
    );
    assert_eq!(row.as_ref(5), Some(&Value::Int(i64::MIN)));
    assert_eq!(row.as_ref(6), Some(&Value::Date(1999, 12, 31, 0, 0, 0, 0)));
}

#[tokio::test]
async fn a_prepared_result_with_nulls_and_many_batches_arrives_whole_in_binary_rows() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;

    let stmt = conn.prep("SELECT 1").await.unwrap();
    assert_eq!(stmt.num_columns(), 1, "columns known at prepare time are announced");
    let one: Vec<i64> = conn.exec(&stmt, ()).await.unwrap();
    assert_eq!(one, vec![1]);

    let stmt = conn.prep("SELECT rows 500").await.unwrap();
    assert_eq!(stmt.num_columns(), 2);
    let rows: Vec<(i64, Option<String>)> = conn.exec(&stmt, ()).await.unwrap();
    let expected: Vec<(i64, Option<String>)> = (1..=500).map(|i| (i, row_name(i))).collect();
    assert!(rows == expected);

    let stmt = conn.prep("OK").await.unwrap();
    conn.exec_drop(&stmt, ()).await.unwrap();
    assert_eq!((conn.affected_rows(), conn.last_insert_id()), (3, Some(42)));
}

#[tokio::test]
async fn prepare_and_execute_errors_keep_their_code_and_the_connection_stays_usable() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let e = conn.prep("FAIL").await.unwrap_err();
    assert_eq!(assert_server_error(e, 1146, "42S02"), "Table 'shop.nope' doesn't exist");
    let e = conn.prep("SELEC ?").await.unwrap_err();
    assert_server_error(e, 1064, "42000");

    let stmt = conn.prep("SELECT rows 40 then FAIL").await.unwrap();
    let e = conn.exec::<Row, _, _>(&stmt, ()).await.unwrap_err();
    assert_server_error(e, 3024, "HY000");

    let stmt = conn.prep("ECHO ?").await.unwrap();
    let echoed: Vec<i64> = conn.exec(&stmt, (5,)).await.unwrap();
    assert_eq!(echoed, vec![5]);
}

#[tokio::test]
async fn closing_a_prepared_statement_reaches_the_session() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    let a = conn.prep("ECHO ?").await.unwrap();
    let b = conn.prep("SELECT 1").await.unwrap();
    assert_ne!(a.id(), b.id(), "each statement gets its own id");
    let (a_id, b_id) = (a.id(), b.id());
    conn.close(a).await.unwrap();
    // COM_STMT_CLOSE has no reply; a ping after it proves the server read it.
    conn.ping().await.unwrap();
    let closed: Vec<u32> = server
        .journal()
        .of(id)
        .into_iter()
        .filter_map(|e| match e {
            Event::CloseStatement { stmt, .. } => Some(stmt),
            _ => None,
        })
        .collect();
    assert_eq!(closed, vec![a_id]);
    let one: Vec<i64> = conn.exec(&b, ()).await.unwrap();
    assert_eq!(one, vec![1], "the other statement still works");
    assert!(b_id > 0);
}

#[tokio::test]
async fn a_parameter_bigger_than_16_mib_travels_as_long_data_and_arrives_intact() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    let stmt = conn.prep("ECHO ?, ?").await.unwrap();
    let big: Vec<u8> = (0..17 * 1024 * 1024 + 3).map(|i| b'a' + (i % 26) as u8).collect();
    let row: Row = conn.exec_first(&stmt, (7, big.clone())).await.unwrap().unwrap();
    let params = last_params(&server, id, stmt.id());
    assert_eq!(params.len(), 2);
    assert_eq!(params[0], ParamValue::Int(7));
    match &params[1] {
        ParamValue::Text(b) | ParamValue::Binary(b) => {
            assert_eq!(b.len(), big.len());
            assert!(*b == big, "the long data arrived intact");
        }
        other => panic!("expected bytes, got {:?}", std::mem::discriminant(other)),
    }
    let echoed: Vec<u8> = row.get(1).unwrap();
    assert!(echoed == big, "and came back intact in a row of more than 16 MiB");
}
