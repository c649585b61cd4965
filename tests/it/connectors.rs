//! Connectors provisioned like Flink itself: each managed cluster runs with its connector set
//! (SHOW CONNECTORS lists it, loaded on the running classpath), a statement needing a connector
//! its cluster lacks fails with MySQL's 1235 naming both, and a JDBC catalog over MariaDB reads
//! its tables through Weir without its password ever being shown back.

use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{Conn, Opts, Row};

use crate::harness::{server, server_error, unique};

/// SHOW CONNECTORS as (cluster, connector, version, artifact, loaded) rows.
async fn connectors(c: &mut Conn, sql: &str) -> Vec<(String, String, String, String, String)> {
    c.query(sql).await.unwrap()
}

#[tokio::test]
async fn show_connectors_lists_each_clusters_set_on_its_running_classpath() {
    let mut c = server().connect().await;
    let rows = connectors(&mut c, "SHOW CONNECTORS").await;
    let of = |cluster: &str| -> Vec<&(String, String, String, String, String)> { rows.iter().filter(|r| r.0 == cluster).collect() };
    let names = |cluster: &str| -> Vec<String> {
        let mut n: Vec<String> = of(cluster).iter().map(|r| r.1.clone()).collect();
        n.dedup();
        n
    };
    // The default set: every connector that exists for the version. Flink 2.2 has no MySQL CDC.
    assert_eq!(names("local"), ["jdbc", "mysql-cdc", "paimon", "prometheus"], "{rows:?}");
    assert_eq!(names("v22"), ["jdbc", "paimon", "prometheus"], "{rows:?}");
    assert!(of("nowhere").is_empty(), "an external cluster has no set Weir knows: {rows:?}");
    for r in of("local").into_iter().chain(of("v22")) {
        assert_eq!(r.4, "YES", "on the JobManager's, TaskManager's and SQL Gateway's classpath: {r:?}");
    }
    assert!(
        rows.contains(&("local".into(), "jdbc".into(), "8.4.0".into(), "com.mysql:mysql-connector-j:8.4.0".into(), "YES".into())),
        "the JDBC connector comes with the MySQL driver: {rows:?}"
    );
    assert!(rows.iter().any(|r| r.0 == "local" && r.3 == "org.apache.flink:flink-sql-connector-mysql-cdc:3.5.0"), "{rows:?}");
    let cdc = connectors(&mut c, "SHOW CONNECTORS LIKE 'mysql%'").await;
    assert!(!cdc.is_empty() && cdc.iter().all(|r| r.0 == "local" && r.1 == "mysql-cdc"), "{cdc:?}");
    // The same rows in information_schema.
    let v22: Vec<(String, String)> = c
        .query("SELECT DISTINCT CONNECTOR, LOADED FROM information_schema.WEIR_CONNECTORS WHERE CLUSTER = 'v22' ORDER BY CONNECTOR")
        .await
        .unwrap();
    assert_eq!(v22, [("jdbc".into(), "YES".into()), ("paimon".into(), "YES".into()), ("prometheus".into(), "YES".into())]);
    let e = server_error(c.query_drop("SHOW CONNECTORS FROM local").await.unwrap_err());
    assert_eq!(e.code, 1064, "{}", e.message);
}

#[tokio::test]
async fn a_connector_the_cluster_lacks_is_1235_naming_it_and_the_cluster() {
    let s = server();
    // v2user's sessions run on the Flink 2.2 cluster, which has no MySQL CDC connector.
    let mut c = Conn::new(s.opts("v2user", "v2pass")).await.unwrap();
    let t = unique("cdc");
    c.query_drop(format!(
        "CREATE TEMPORARY TABLE {t} (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'mysql-cdc', \
         'hostname' = '127.0.0.1', 'port' = '3306', 'username' = 'weir', 'password' = 'weir', 'database-name' = 'x', 'table-name' = 'y')"
    ))
    .await
    .unwrap();
    let e = server_error(c.query_drop(format!("SELECT * FROM {t}")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1235, "42000"), "{}", e.message);
    assert!(e.message.contains("Connector 'mysql-cdc'") && e.message.contains("cluster 'v22'"), "{}", e.message);
    assert!(!e.message.contains("factory") && !e.message.contains("ClassNotFound"), "no Flink internals: {}", e.message);
    // The same table on the 1.20 cluster, which has the connector, gets past the factory lookup.
    c.query_drop("SET weir.flink = '1.20'").await.unwrap();
    c.query_drop(format!(
        "CREATE TEMPORARY TABLE {t} (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'mysql-cdc', \
         'hostname' = '127.0.0.1', 'port' = '3306', 'username' = 'weir', 'password' = 'weir', 'database-name' = 'x', 'table-name' = 'y')"
    ))
    .await
    .unwrap();
    let plan: Vec<Row> = c.query(format!("EXPLAIN SELECT * FROM {t}")).await.unwrap();
    assert!(!plan.is_empty());
}

#[tokio::test]
async fn a_jdbc_catalog_reads_a_mariadb_table_and_never_shows_its_password() {
    let mut admin = Conn::new(Opts::from_url("mysql://weir:weir@127.0.0.1:3306").unwrap()).await.expect("MariaDB on 127.0.0.1:3306");
    let db = unique("conn_src");
    admin.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    admin.query_drop(format!("CREATE TABLE {db}.people (id INT PRIMARY KEY, name VARCHAR(20))")).await.unwrap();
    admin.query_drop(format!("INSERT INTO {db}.people VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')")).await.unwrap();

    let mut c = server().connect().await;
    let cat = unique("src");
    c.query_drop(format!(
        "CREATE CATALOG {cat} WITH ('type' = 'jdbc', 'base-url' = 'jdbc:mysql://127.0.0.1:3306', \
         'default-database' = '{db}', 'username' = 'weir', 'password' = 'weir')"
    ))
    .await
    .unwrap();
    c.query_drop(format!("USE CATALOG {cat}")).await.unwrap();
    let databases: Vec<String> = c.query("SHOW DATABASES").await.unwrap();
    assert!(databases.contains(&db), "{databases:?}");
    let tables: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert_eq!(tables, ["people"]);
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let people: Vec<(i32, String)> = c.query("SELECT id, name FROM people ORDER BY id").await.unwrap();
    assert_eq!(people, [(1, "ann".to_string()), (2, "bob".to_string()), (3, "cy".to_string())]);

    let (name, ddl): (String, String) = c.query_first(format!("SHOW CREATE CATALOG {cat}")).await.unwrap().unwrap();
    assert_eq!(name, cat);
    assert!(ddl.contains("'type' = 'jdbc'") && ddl.contains("'username' = 'weir'"), "{ddl}");
    assert!(ddl.contains("'password' = '******'") && !ddl.contains("'password' = 'weir'"), "{ddl}");
    // An operator's `weir catalog dump` of the store masks it too, unless asked for secrets.
    let (ok, dumped, err) = crate::harness::cli_on_test_store("catalog dump", &[]);
    assert!(ok, "{err}");
    assert!(dumped.contains(&format!("CATALOG IF NOT EXISTS `{cat}` WITH (")) && dumped.contains("'password' = '******'"), "{dumped}");
    assert!(!dumped.contains("'password' = 'weir'"), "the dump holds the password");
    let (ok, full, err) = crate::harness::cli_on_test_store("catalog dump", &["--with-secrets"]);
    assert!(ok && full.contains("'password' = 'weir'"), "{err}");

    // PROCESSLIST shows a running statement's secrets masked too.
    let mut watcher = server().connect().await;
    c.query_drop("USE CATALOG default_catalog").await.unwrap();
    c.query_drop("SET 'execution.runtime-mode' = 'streaming'").await.unwrap();
    let slow = unique("slow");
    c.query_drop(format!("CREATE TEMPORARY TABLE {slow} (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'number-of-rows' = '6')"))
        .await
        .unwrap();
    let query = format!("SELECT id, 'password' = 'hunter2' AS same FROM {slow}");
    let running = tokio::spawn(async move {
        let rows: Vec<Row> = c.query(query).await.unwrap();
        (c, rows.len())
    });
    let mut seen = None;
    for _ in 0..100 {
        let list: Vec<Row> = watcher.query("SHOW FULL PROCESSLIST").await.unwrap();
        seen = list.iter().filter_map(|r| r.get::<Option<String>, _>("Info").flatten()).find(|info| info.contains(&slow));
        if seen.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seen = seen.expect("the slow SELECT shows in PROCESSLIST");
    assert!(seen.contains("'password' = '******'") && !seen.contains("hunter2"), "{seen}");
    let (mut c, rows) = running.await.unwrap();
    assert_eq!(rows, 6);

    c.query_drop(format!("DROP CATALOG {cat}")).await.unwrap();
    admin.query_drop(format!("DROP DATABASE {db}")).await.unwrap();
}
