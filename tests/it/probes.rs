//! What BI tools and drivers see when they probe the server: a SELECT without FROM reading
//! system variables is Weir's to answer, whatever MySQL functions it uses and whatever the
//! session's dialect (Metabase's time-zone probe, issue 17).

use mysql_async::consts::ColumnType;
use mysql_async::prelude::*;
use mysql_async::{Conn, Row};

use crate::harness::{server, server_error};

/// Metabase's MySQL driver, on every sync, to learn the database's time zone.
const METABASE_TIME_ZONE_PROBE: &str = "SELECT @@GLOBAL.time_zone AS global_tz, @@system_time_zone AS system_tz, time_format(timediff(now(), convert_tz(now(), @@GLOBAL.time_zone, '+00:00')), '%H:%i') AS 'offset'";

async fn session(dialect: &str) -> Conn {
    let s = server();
    let mut c = if dialect == "mysql" {
        // A user whose configured dialect is mysql.
        Conn::new(s.opts("bi_mysql", "mysqlpass")).await.expect("bi_mysql logs in")
    } else {
        s.connect().await
    };
    c.query_drop(format!("SET weir.dialect = '{dialect}'")).await.unwrap();
    c
}

#[tokio::test]
async fn metabases_time_zone_probe_is_answered_in_every_dialect() {
    for dialect in ["flink", "mysql", "oracle"] {
        let mut c = session(dialect).await;
        let row: Row = c.query_first(METABASE_TIME_ZONE_PROBE).await.unwrap_or_else(|e| panic!("{dialect}: {e}")).unwrap();
        let names: Vec<String> = row.columns_ref().iter().map(|col| col.name_str().into_owned()).collect();
        assert_eq!(names, ["global_tz", "system_tz", "offset"], "{dialect}");
        let values: (String, String, String) = mysql_async::from_row(row);
        assert_eq!(values, ("SYSTEM".to_string(), "UTC".to_string(), "00:00".to_string()), "{dialect}");
        // The session's time zone moves NOW(): the probe then sees the offset.
        c.query_drop("SET time_zone = '+02:00'").await.unwrap();
        let (_, _, offset): (String, String, String) = c.query_first(METABASE_TIME_ZONE_PROBE).await.unwrap().unwrap();
        assert_eq!(offset, "02:00", "{dialect}");
    }
}

#[tokio::test]
async fn a_probe_of_variables_gets_mysqls_date_and_time_functions_and_types() {
    let mut c = session("flink").await;
    let row: Row = c
        .query_first(
            "SELECT @@version_comment, TIMEDIFF(CONVERT_TZ('2024-01-01 10:00:00', '+00:00', '+05:30'), '2024-01-01 10:00:00') AS d, \
             TIME_FORMAT('-25:01:02', '%H:%i:%s %h %p') AS t, DATE_FORMAT('2024-03-05 14:07:09', '%W %D %M %Y %U %u') AS f, \
             CONVERT_TZ('2024-01-01 10:00:00', 'SYSTEM', 'nowhere') AS n, NOW(3) AS now3",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.columns_ref()[1].column_type(), ColumnType::MYSQL_TYPE_TIME, "TIMEDIFF is a TIME");
    assert_eq!(row.columns_ref()[5].column_type(), ColumnType::MYSQL_TYPE_DATETIME, "NOW() is a DATETIME");
    assert_eq!(row.get::<String, _>(1).as_deref(), Some("05:30:00"));
    assert_eq!(row.get::<String, _>(2).as_deref(), Some("-25:01:02 01 AM"));
    assert_eq!(row.get::<String, _>(3).as_deref(), Some("Tuesday 5th March 2024 09 10"));
    assert_eq!(row.get::<Option<String>, _>(4), Some(None), "an unknown zone gives NULL, as in MySQL");
    let now3: String = row.get(5).unwrap();
    assert_eq!(now3.len(), "2026-01-01 00:00:00.000".len(), "{now3}");
    // A function neither Weir nor MySQL knows is 1305, an unknown variable 1193: not 1235.
    let e = server_error(c.query_drop("SELECT @@version, no_such_function(1)").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str(), e.message.as_str()), (1305, "42000", "FUNCTION default_database.no_such_function does not exist"));
    let e = server_error(c.query_drop("SELECT @@no_such_variable, TIME_FORMAT(NOW(), '%H')").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1193, "HY000"), "{e:?}");
    // Without a system variable, a SELECT without FROM keeps Flink's semantics.
    let upper: Option<String> = c.query_first("SELECT UPPER('a')").await.unwrap();
    assert_eq!(upper.as_deref(), Some("A"));
}
