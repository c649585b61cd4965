//! Prepared statements as drivers use them (COM_STMT_PREPARE before COM_STMT_EXECUTE): the
//! columns are known at prepare time (JDBC's `getMetaData()`, `mysql_stmt_result_metadata()`), a
//! statement that does not parse is refused at prepare, a bound NULL reaches Flink typed, and a
//! statement too large for Flink is refused without breaking the connection.

use mysql_async::consts::ColumnType;
use mysql_async::prelude::*;
use mysql_async::{Conn, Row, Value};

use crate::harness::{server, server_error, unique};

async fn datagen(conn: &mut Conn, rows: u32) -> String {
    let t = unique("prep");
    conn.query_drop(format!(
        "CREATE TEMPORARY TABLE {t} (id BIGINT, name STRING, price DECIMAL(10,2)) WITH ('connector'='datagen', \
         'number-of-rows'='{rows}', 'fields.id.kind'='sequence', 'fields.id.start'='1', 'fields.id.end'='{rows}', \
         'fields.name.length'='5')"
    ))
    .await
    .expect("datagen table is created");
    t
}

fn shape(stmt: &mysql_async::Statement) -> Vec<(String, ColumnType)> {
    stmt.columns().iter().map(|c| (c.name_str().into_owned(), c.column_type())).collect()
}

#[tokio::test]
async fn a_prepared_statement_announces_its_columns_before_it_runs() {
    let mut c = server().connect().await;

    // Answered by Weir: evaluated for their shape.
    let stmt = c.prep("SELECT 1").await.unwrap();
    assert_eq!(shape(&stmt), vec![("1".to_string(), ColumnType::MYSQL_TYPE_LONGLONG)]);
    let stmt = c.prep("SHOW DATABASES").await.unwrap();
    assert_eq!(stmt.columns().iter().map(|c| c.name_str().into_owned()).collect::<Vec<_>>(), vec!["Database"]);
    let stmt = c.prep("SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?").await.unwrap();
    assert_eq!((stmt.num_params(), stmt.num_columns()), (1, 2));
    let found: Vec<String> = c.exec(&stmt, ("default_database",)).await.unwrap().into_iter().map(|(s, _): (String, String)| s).collect();
    assert_eq!(found, vec!["default_database"]);

    // A Flink query: Flink describes it (placeholders typed by their context), nothing runs.
    let t = datagen(&mut c, 20).await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let stmt = c.prep(format!("SELECT id, name, price, id * 2 AS twice FROM {t} WHERE id > ? AND name <> ?")).await.unwrap();
    let announced = shape(&stmt);
    assert_eq!(
        announced,
        vec![
            ("id".to_string(), ColumnType::MYSQL_TYPE_LONGLONG),
            ("name".to_string(), ColumnType::MYSQL_TYPE_BLOB),
            ("price".to_string(), ColumnType::MYSQL_TYPE_NEWDECIMAL),
            ("twice".to_string(), ColumnType::MYSQL_TYPE_LONGLONG),
        ]
    );
    assert_eq!(stmt.num_params(), 2);
    // (Flink names a query's job by its text, which names the table.)
    let ran: Vec<_> = server().jobs().await.into_iter().filter(|(_, name, _)| name.contains(&t)).collect();
    assert!(ran.is_empty(), "preparing ran no job: {ran:?}");
    // The execute's columns are the ones announced.
    let rows: Vec<Row> = c.exec(&stmt, (17, "")).await.unwrap();
    assert_eq!(rows.len(), 3);
    let got: Vec<(String, ColumnType)> = rows[0].columns_ref().iter().map(|c| (c.name_str().into_owned(), c.column_type())).collect();
    assert_eq!(got, announced);

    // In streaming mode a changelog query's leading `op` column is announced too.
    let grouped = format!("SELECT name, COUNT(*) AS n FROM {t} GROUP BY name");
    let stmt = c.prep(&grouped).await.unwrap();
    assert_eq!(stmt.columns().iter().map(|c| c.name_str().into_owned()).collect::<Vec<_>>(), vec!["name", "n"]);
    c.close(stmt).await.unwrap();
    c.query_drop("SET 'execution.runtime-mode' = 'streaming'").await.unwrap();
    let stmt = c.prep(&grouped).await.unwrap();
    assert_eq!(stmt.columns().iter().map(|c| c.name_str().into_owned()).collect::<Vec<_>>(), vec!["op", "name", "n"]);
    // Statements answering OK have no columns.
    let stmt = c.prep(format!("INSERT INTO {t} SELECT * FROM {t}")).await.unwrap();
    assert_eq!(stmt.num_columns(), 0);
}

#[tokio::test]
async fn a_prepared_statement_that_does_not_parse_or_names_no_table_is_refused_at_prepare() {
    let mut c = server().connect().await;
    let e = server_error(c.prep("SELEC 1").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{}", e.message);
    assert!(e.message.contains("near 'SELEC 1' at line 1"), "{}", e.message);
    let e = server_error(c.prep("SELECT * FROM no_such_table WHERE id = ?").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1146, "42S02"), "{}", e.message);
    let e = server_error(c.prep("SELECT * FROM t WHER id = ?").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{}", e.message);
    assert!(e.message.contains("line 1, column"), "Flink's position, in the user's text: {}", e.message);
    // The connection is usable, and prepares again.
    let stmt = c.prep("SELECT ? + 0").await;
    assert!(stmt.is_ok(), "{stmt:?}");
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn a_null_bound_into_a_statement_for_flink_is_typed_by_its_context() {
    let mut c = server().connect().await;
    let t = datagen(&mut c, 10).await;
    let sink = unique("prep_sink");
    c.query_drop(format!("CREATE TEMPORARY TABLE {sink} (id BIGINT, name STRING, price DECIMAL(10,2), seen TIMESTAMP(3)) WITH ('connector'='blackhole')"))
        .await
        .unwrap();
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    // NULLs (sent as MySQL's NULL type, as drivers do) into an INSERT's VALUES: the sink's types.
    c.exec_drop(format!("INSERT INTO {sink} VALUES (?, ?, ?, ?)"), (1, Value::NULL, Value::NULL, Value::NULL)).await.unwrap();
    assert!(c.info().starts_with("Job ID: "), "the INSERT was submitted: {}", c.info());
    c.exec_drop(format!("INSERT INTO {sink} (price, id) VALUES (?, ?), (?, ?)"), (Value::NULL, Value::NULL, 2.5, 7)).await.unwrap();
    assert!(c.info().starts_with("Job ID: "), "{}", c.info());
    // In a comparison, and as a select item.
    let n: Option<i64> = c.exec_first(format!("SELECT COUNT(*) FROM {t} WHERE id = ?"), (Value::NULL,)).await.unwrap();
    assert_eq!(n, Some(0));
    let row: Option<(Option<String>, i64)> = c.exec_first(format!("SELECT ? AS x, id FROM {t} WHERE id = ?"), (Value::NULL, 3)).await.unwrap();
    assert_eq!(row, Some((None, 3)));
}

#[tokio::test]
async fn a_statement_larger_than_flink_may_be_sent_is_refused_and_the_connection_stays_usable() {
    let mut c = server().connect().await;
    let t = datagen(&mut c, 5).await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let big = "x".repeat(2 << 20);
    let e = server_error(c.exec_drop(format!("SELECT CHAR_LENGTH(?) FROM {t}"), (big.as_str(),)).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1301, "HY000"), "{}", e.message);
    assert!(e.message.contains("max_flink_statement_bytes (1048576)"), "names the limit and the key: {}", e.message);
    let e = server_error(c.query_drop(format!("SELECT '{big}' FROM {t}")).await.unwrap_err());
    assert_eq!(e.code, 1301, "{}", e.message);
    // What Weir answers itself is not bounded by it, and the connection goes on.
    let echoed: Option<String> = c.exec_first("SELECT ?", (big.as_str(),)).await.unwrap();
    assert_eq!(echoed.map(|s| s.len()), Some(2 << 20));
    let rows: Vec<i64> = c.exec(format!("SELECT id FROM {t} WHERE id < ? ORDER BY id"), (3,)).await.unwrap();
    assert_eq!(rows, vec![1, 2]);
}
