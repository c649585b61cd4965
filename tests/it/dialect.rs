//! `SET weir.dialect`: a session that speaks MySQL or Oracle SQL, translated to Flink SQL before
//! it reaches Flink, with column types from the session's own Flink catalog.

use mysql_async::prelude::*;
use mysql_async::Conn;

use crate::harness::{server, server_error, unique};

/// A temporary view of shop customers, made in Flink SQL (the session's default dialect).
async fn customers_view(c: &mut Conn) -> String {
    let view = unique("customers");
    c.query_drop(format!(
        "CREATE TEMPORARY VIEW {view} AS SELECT * FROM (VALUES \
         (1, 'Ana', 'Portugal'), (2, 'Bruno', 'portugal'), (3, 'Chen', 'Germany'), (4, 'Dana', CAST(NULL AS STRING))) \
         AS t (id, name, country)"
    ))
    .await
    .unwrap();
    view
}

#[tokio::test]
async fn a_mysql_session_runs_mysql_sql_with_mysql_semantics() {
    let mut c = server().connect().await;
    let view = customers_view(&mut c).await;
    c.query_drop("SET weir.dialect = 'mysql'").await.unwrap();
    let dialect: Option<String> = c.query_first("SELECT @@weir.dialect").await.unwrap();
    assert_eq!(dialect.as_deref(), Some("mysql"));
    // Moving to a source dialect moves the session to batch mode (root's config sets none).
    let options: Vec<(String, String)> = c.query("SET").await.unwrap();
    assert!(options.iter().any(|(k, v)| k == "execution.runtime-mode" && v == "batch"), "{options:?}");
    // MySQL: double-quoted strings, case-insensitive comparison (the view's column is a string:
    // its type came from DESCRIBE of the TEMPORARY view), LIMIT offset, count, IFNULL.
    let names: Vec<(String, String)> = c
        .query(format!(r#"SELECT name, IFNULL(country, "?") FROM {view} WHERE country = "PORTUGAL" OR country IS NULL ORDER BY id LIMIT 1, 5"#))
        .await
        .unwrap();
    assert_eq!(names, vec![("Bruno".to_string(), "portugal".to_string()), ("Dana".to_string(), "?".to_string())]);
    let notes: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(notes.iter().any(|n| n.0 == "Note" && n.2.contains("IFNULL became COALESCE")), "{notes:?}");
    // Prepared statements too: the parameters are bound, then the statement is translated.
    let bound: Vec<String> = c
        .exec(format!("SELECT name FROM {view} WHERE country = ? ORDER BY id LIMIT ?, ?"), ("PORTUGAL", 0, 1))
        .await
        .unwrap();
    assert_eq!(bound, vec!["Ana".to_string()]);
    // Metadata statements are not translated.
    let described: Vec<mysql_async::Row> = c.query(format!("DESCRIBE {view}")).await.unwrap();
    assert_eq!(described.len(), 3);
}

#[tokio::test]
async fn an_oracle_session_refuses_what_it_cannot_translate_and_keeps_working() {
    let mut c = server().connect().await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let view = customers_view(&mut c).await;
    c.query_drop("SET weir.dialect = 'oracle'").await.unwrap();
    // Oracle: unquoted names match the catalog's whatever their case, NVL, '' is NULL, ROWNUM.
    let first: Vec<(String, String)> = c
        .query(format!("SELECT NAME, NVL(COUNTRY, 'none') FROM (SELECT * FROM {} ORDER BY ID DESC) WHERE ROWNUM <= 2", view.to_uppercase()))
        .await
        .unwrap();
    assert_eq!(first, vec![("Dana".to_string(), "none".to_string()), ("Chen".to_string(), "Germany".to_string())]);
    let e = server_error(c.query_drop(format!("SELECT id FROM {view}\nCONNECT BY PRIOR id = id")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1235, "42000"), "{}", e.message);
    assert!(e.message.contains("CONNECT BY") && e.message.contains("line 2, column 1"), "{}", e.message);
    let n: Option<i64> = c.query_first(format!("SELECT COUNT(*) FROM {view} WHERE country = ''")).await.unwrap();
    assert_eq!(n, Some(0), "'' is NULL in Oracle: nothing equals it");
}

#[tokio::test]
async fn unknown_dialects_are_refused_with_error_1231() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("SET weir.dialect = 'sqlserver'").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1231, "42000"), "{}", e.message);
    assert!(e.message.contains("weir.dialect") && e.message.contains("sqlserver"), "{}", e.message);
    let dialect: Option<String> = c.query_first("SELECT @@weir.dialect").await.unwrap();
    assert_eq!(dialect.as_deref(), Some("flink"), "the session keeps its dialect");
}

#[tokio::test]
async fn a_user_configured_for_mysql_starts_in_mysql_with_batch_mode() {
    let s = server();
    let mut c = Conn::new(s.opts("bi_mysql", "mysqlpass")).await.expect("bi_mysql logs in");
    let dialect: Option<String> = c.query_first("SELECT @@weir.dialect").await.unwrap();
    assert_eq!(dialect.as_deref(), Some("mysql"));
    let options: Vec<(String, String)> = c.query("SET").await.unwrap();
    assert!(options.iter().any(|(k, v)| k == "execution.runtime-mode" && v == "batch"), "{options:?}");
    // A BI tool's bounded aggregate: one final row, as in MySQL (no changelog of updates).
    let total: Option<(i64, String)> =
        c.query_first("SELECT COUNT(*), CONCAT(SUM(x), ' in all') FROM (SELECT 2 AS x UNION ALL SELECT 1) AS t").await.unwrap();
    assert_eq!(total, Some((2, "3 in all".to_string())));
    // Flink SQL for a moment, then back to the configured dialect.
    c.query_drop("SET weir.dialect = 'flink'").await.unwrap();
    let flink: Option<String> = c.query_first("SELECT @@weir.dialect").await.unwrap();
    assert_eq!(flink.as_deref(), Some("flink"));
    c.query_drop("SET weir.dialect = DEFAULT").await.unwrap();
    let back: Option<String> = c.query_first("SELECT @@weir.dialect").await.unwrap();
    assert_eq!(back.as_deref(), Some("mysql"));
}

#[tokio::test]
async fn a_mysql_drop_table_drops_the_temporary_table_before_the_permanent_one() {
    let mut c = server().connect().await;
    let table = unique("shadowed");
    c.query_drop(format!("CREATE TABLE {table} (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3')")).await.unwrap();
    c.query_drop("SET weir.dialect = 'mysql'").await.unwrap();
    c.query_drop("SET weir.ddl.with = '''connector'' = ''datagen'', ''number-of-rows'' = ''2'''").await.unwrap();
    // As in MySQL, a TEMPORARY table of the same name hides the permanent one...
    c.query_drop(format!("CREATE TEMPORARY TABLE {table} (a INT, b VARCHAR(10))")).await.unwrap();
    let hidden: Option<i64> = c.query_first(format!("SELECT COUNT(*) FROM {table}")).await.unwrap();
    assert_eq!(hidden, Some(2));
    // ...and DROP TABLE drops it, not the permanent one.
    c.query_drop(format!("DROP TABLE {table}")).await.unwrap();
    let notes: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(notes.iter().any(|n| n.2.contains(&format!("drops the session's TEMPORARY table {table}"))), "{notes:?}");
    let permanent: Option<i64> = c.query_first(format!("SELECT COUNT(*) FROM {table}")).await.unwrap();
    assert_eq!(permanent, Some(3));
    // The next DROP TABLE drops the permanent table; then the name is unknown (1051).
    c.query_drop(format!("DROP TABLE {table}")).await.unwrap();
    let e = server_error(c.query_drop(format!("DROP TABLE {table}")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1051, "42S02"), "{}", e.message);
    // Another connection never saw the temporary table, and the permanent one is gone for it too.
    let mut other = server().connect().await;
    let e = server_error(other.query_drop(format!("SELECT * FROM {table}")).await.unwrap_err());
    assert_eq!(e.code, 1146, "{}", e.message);
}

#[tokio::test]
async fn a_mysql_session_creates_a_database_fills_it_and_drops_it_with_its_tables() {
    let mut c = server().connect().await;
    c.query_drop("SET weir.dialect = 'mysql'").await.unwrap();
    let db = unique("shop_db");
    c.query_drop(format!("CREATE DATABASE {db} CHARACTER SET utf8mb4")).await.unwrap();
    let notes: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(notes.iter().any(|n| n.2.contains("character set and collation dropped")), "{notes:?}");
    // IF NOT EXISTS of an existing one is a no-op, as in MySQL.
    c.query_drop(format!("CREATE DATABASE IF NOT EXISTS {db}")).await.unwrap();
    c.query_drop(format!("USE {db}")).await.unwrap();
    c.query_drop("CREATE TABLE items (id INT) WITH ('connector' = 'datagen', 'number-of-rows' = '4')").await.unwrap();
    let n: Option<i64> = c.query_first("SELECT COUNT(*) FROM items").await.unwrap();
    assert_eq!(n, Some(4));
    // Another connection sees the database and its table.
    let mut other = server().connect().await;
    let tables: Vec<String> = other.query(format!("SHOW TABLES FROM {db}")).await.unwrap();
    assert_eq!(tables, ["items"]);
    // DROP DATABASE takes its tables with it, as MySQL's does.
    c.query_drop("USE default_database").await.unwrap();
    c.query_drop(format!("DROP DATABASE {db}")).await.unwrap();
    let e = server_error(other.query_drop(format!("SHOW TABLES FROM {db}")).await.unwrap_err());
    assert_eq!(e.code, 1049, "{}", e.message);
    c.query_drop(format!("DROP DATABASE IF EXISTS {db}")).await.unwrap();
    // A statement Flink has no equivalent for is refused naming it.
    let e = server_error(c.query_drop("DROP PROCEDURE IF EXISTS p").await.unwrap_err());
    assert_eq!(e.code, 1235, "{}", e.message);
    assert!(e.message.starts_with("DROP PROCEDURE statement is not supported"), "{}", e.message);
    // DO evaluates and returns nothing (drivers ping with it), in every dialect.
    c.query_drop("DO 1, @@version").await.unwrap();
    // Expressions of MySQL's functions too (Flink has no DO); an unknown function is MySQL's 1305.
    c.query_drop("DO 1 + 1, UPPER('a'), CONCAT(@@version, 'x')").await.unwrap();
    let e = server_error(c.query_drop("DO nosuch(1)").await.unwrap_err());
    assert_eq!((e.code, e.message.as_str()), (1305, "FUNCTION default_database.nosuch does not exist"));
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "the connection goes on after DO's error");
    c.query_drop("SET weir.dialect = 'flink'").await.unwrap();
    c.query_drop("DO 1").await.unwrap();
    c.query_drop("DO 1 + 1").await.unwrap();
    let e = server_error(c.query_drop("DO @@nosuch").await.unwrap_err());
    assert_eq!(e.code, 1193, "{}", e.message);
}
