//! TRANSLATE: a client asks how MySQL or Oracle SQL reads in Flink SQL, without running it.

use mysql_async::prelude::*;

use crate::harness::{server, server_error};

#[tokio::test]
async fn translate_returns_the_flink_sql_and_what_was_rewritten() {
    let mut c = server().connect().await;
    let (sql, notes): (String, String) =
        c.query_first("TRANSLATE SELECT IFNULL(a, 0) FROM t LIMIT 5, 10").await.unwrap().unwrap();
    // The unaliased item keeps the name MySQL gives it (its text as written).
    assert_eq!(sql, "SELECT COALESCE(a, 0) AS `IFNULL(a, 0)` FROM t LIMIT 10 OFFSET 5");
    assert!(notes.contains("IFNULL became COALESCE"), "{notes}");
}

#[tokio::test]
async fn what_cannot_be_translated_is_refused_naming_the_construct_and_its_place() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("TRANSLATE FROM oracle SELECT * FROM emp CONNECT BY PRIOR id = mgr").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1235, "42000"), "{}", e.message);
    assert!(e.message.contains("CONNECT BY") && e.message.contains("line 1, column"), "{}", e.message);
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}
