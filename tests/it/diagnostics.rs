//! Warnings, notes and errors as MySQL clients read them: `DROP … IF EXISTS` of a missing object
//! answers OK with MySQL's note, `@@warning_count`/`@@error_count` and `SHOW COUNT(*) WARNINGS`
//! give the last statement's counts (issue 17).

use mysql_async::prelude::*;
use mysql_async::Conn;

use crate::harness::{server, unique};

async fn warnings(c: &mut Conn) -> Vec<(String, u32, String)> {
    c.query("SHOW WARNINGS").await.unwrap()
}

fn note(code: u32, message: &str) -> Vec<(String, u32, String)> {
    vec![("Note".to_string(), code, message.to_string())]
}

#[tokio::test]
async fn drop_if_exists_of_a_missing_object_is_ok_with_mysqls_note() {
    let mut c = server().connect().await;
    let missing = unique("nosuch");
    for (statement, code, message) in [
        (format!("DROP TABLE IF EXISTS {missing}"), 1051, format!("Unknown table 'default_database.{missing}'")),
        (format!("DROP TEMPORARY TABLE IF EXISTS {missing}"), 1051, format!("Unknown table 'default_database.{missing}'")),
        (format!("DROP TABLE IF EXISTS no_db_{missing}.t"), 1051, format!("Unknown table 'no_db_{missing}.t'")),
        (format!("DROP VIEW IF EXISTS {missing}"), 4092, format!("Unknown VIEW: 'default_database.{missing}'")),
        (format!("DROP DATABASE IF EXISTS {missing}"), 1008, format!("Can't drop database '{missing}'; database doesn't exist")),
        (format!("DROP FUNCTION IF EXISTS {missing}"), 1305, format!("FUNCTION default_database.{missing} does not exist")),
        (format!("DROP TEMPORARY FUNCTION IF EXISTS {missing}"), 1305, format!("FUNCTION default_database.{missing} does not exist")),
    ] {
        c.query_drop(&statement).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
        assert_eq!(c.get_warnings(), 1, "{statement}: the OK packet counts the note");
        assert_eq!(warnings(&mut c).await, note(code, &message), "{statement}");
        let count: Option<u64> = c.query_first("SELECT @@warning_count").await.unwrap();
        assert_eq!(count, Some(1), "{statement}");
    }
    // An object that exists is dropped, with no note; the second DROP finds it gone.
    let t = unique("dropped");
    c.query_drop(format!("CREATE TEMPORARY TABLE {t} (id INT) WITH ('connector' = 'datagen')")).await.unwrap();
    c.query_drop(format!("DROP TEMPORARY TABLE IF EXISTS {t}")).await.unwrap();
    assert_eq!(c.get_warnings(), 0);
    assert_eq!(warnings(&mut c).await, vec![]);
    c.query_drop(format!("DROP TEMPORARY TABLE IF EXISTS {t}")).await.unwrap();
    assert_eq!(warnings(&mut c).await, note(1051, &format!("Unknown table 'default_database.{t}'")));
    // sql_notes = 0 keeps notes out, as in MySQL.
    c.query_drop("SET sql_notes = 0").await.unwrap();
    c.query_drop(format!("DROP TABLE IF EXISTS {missing}")).await.unwrap();
    assert_eq!(c.get_warnings(), 0);
    // Without IF EXISTS, a missing table is still MySQL's error.
    let e = c.query_drop(format!("DROP TABLE {missing}")).await.unwrap_err();
    assert!(e.to_string().contains("1051"), "{e}");
}

#[tokio::test]
async fn a_mysql_session_gets_the_same_notes() {
    let s = server();
    let mut c = Conn::new(s.opts("bi_mysql", "mysqlpass")).await.expect("bi_mysql logs in");
    let missing = unique("nosuch");
    c.query_drop(format!("DROP TABLE IF EXISTS {missing}")).await.unwrap();
    assert_eq!(warnings(&mut c).await, note(1051, &format!("Unknown table 'default_database.{missing}'")));
}

#[tokio::test]
async fn warning_count_and_error_count_are_the_last_statements() {
    let mut c = server().connect().await;
    let missing = unique("nosuch");
    c.query_drop(format!("DROP TABLE IF EXISTS {missing}")).await.unwrap();
    let counts: Option<(u64, u64)> = c.query_first("SELECT @@warning_count, @@error_count").await.unwrap();
    assert_eq!(counts, Some((1, 0)));
    let shown: Option<u64> = c.query_first("SHOW COUNT(*) WARNINGS").await.unwrap();
    assert_eq!(shown, Some(1));
    // A SELECT without FROM keeps the diagnostics, as in MySQL: SHOW WARNINGS still has the note.
    assert_eq!(warnings(&mut c).await.len(), 1);
    assert!(c.query_drop(format!("SELECT * FROM {missing}")).await.is_err());
    let counts: Option<(u64, u64)> = c.query_first("SELECT @@warning_count, @@error_count").await.unwrap();
    assert_eq!(counts, Some((1, 1)), "the error is counted in both");
    let errors: Option<u64> = c.query_first("SHOW COUNT(*) ERRORS").await.unwrap();
    assert_eq!(errors, Some(1));
    let rows: Vec<(String, String)> = c.query("SHOW VARIABLES LIKE 'error_count'").await.unwrap();
    assert_eq!(rows, vec![("error_count".to_string(), "1".to_string())]);
    // A statement that uses a table resets them.
    c.query_drop("SHOW TABLES").await.unwrap();
    let counts: Option<(u64, u64)> = c.query_first("SELECT @@warning_count, @@error_count").await.unwrap();
    assert_eq!(counts, Some((0, 0)));
    let e = c.query_drop("SET warning_count = 3").await.unwrap_err();
    assert!(e.to_string().contains("1238"), "{e}");
}
