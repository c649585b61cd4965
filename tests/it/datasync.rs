//! Datasyncs as a user meets them: a MariaDB database with its binlog on (scripts/cdc-mariadb.sh,
//! started by the test run) is synced by one statement into another MariaDB database and into a
//! Paimon lake — first its snapshot, then every change while a writer inserts, updates and
//! deletes — and the sink equals the source row for row; SNAPSHOT mode copies and finishes; bad
//! statements get MySQL's errors and record nothing.

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder};

use crate::harness::{scratch_dir, server, server_error, unique};
use crate::jobs::{job_view, wait_state};

fn cdc_port() -> u16 {
    std::env::var("WEIR_TEST_CDC_PORT").expect("WEIR_TEST_CDC_PORT is set (scripts/test-env.sh)").parse().expect("a port")
}

/// A connection to the binlog MariaDB as `weir` (all privileges).
pub(crate) async fn mariadb() -> Conn {
    let opts = OptsBuilder::default().ip_or_hostname("127.0.0.1").tcp_port(cdc_port()).user(Some("weir")).pass(Some("weir")).prefer_socket(false);
    Conn::new(opts).await.expect("the binlog MariaDB (scripts/cdc-mariadb.sh) answers")
}

/// A shop: `customers` (1,000 rows), `orders` (`n` rows, several types), `audit_log` (no primary key).
pub(crate) async fn make_shop(m: &mut Conn, db: &str, n: u32) {
    m.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    m.query_drop(format!(
        "CREATE TABLE {db}.customers (id INT PRIMARY KEY, name VARCHAR(40), tier TINYINT UNSIGNED, since DATE);
         INSERT INTO {db}.customers SELECT seq, CONCAT('c', seq), seq % 4, DATE '2020-01-01' + INTERVAL seq DAY FROM {db}.seq_1_to_1000;
         CREATE TABLE {db}.orders (id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(64),
                                   created DATETIME(3), big BIGINT UNSIGNED, state ENUM('new','paid','sent'));
         INSERT INTO {db}.orders SELECT seq, seq % 1000 + 1, seq * 1.25, IF(seq % 7 = 0, NULL, CONCAT('n', seq)),
                TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq * 7001 MICROSECOND, seq * 1000000007, ELT(seq % 3 + 1, 'new', 'paid', 'sent')
                FROM {db}.seq_1_to_{n};
         CREATE TABLE {db}.audit_log (at DATETIME, what TEXT);
         INSERT INTO {db}.audit_log VALUES ('2026-01-01 00:00:00', 'created'), ('2026-01-01 00:00:01', 'loaded');"
    ))
    .await
    .unwrap();
}

/// A table's row count and the sum of a checksum of every row (all columns).
pub(crate) async fn checksum(m: &mut Conn, db: &str, table: &str) -> (i64, String) {
    let cols: Vec<String> = m
        .exec("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", (db, table))
        .await
        .unwrap();
    assert!(!cols.is_empty(), "{db}.{table} has no columns");
    let row = cols.iter().map(|c| format!("IFNULL(CAST(`{c}` AS CHAR), '\\\\N')")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT COUNT(*), CAST(COALESCE(SUM(CRC32(CONCAT_WS('|', {row}))), 0) AS CHAR) FROM `{db}`.`{table}`");
    m.query_first(sql).await.unwrap().unwrap()
}

/// Waits until each sink table equals its source table row for row.
pub(crate) async fn wait_equal(m: &mut Conn, pairs: &[(&str, &str, &str, &str)], limit: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let mut diffs = Vec::new();
        for (sdb, st, ddb, dt) in pairs {
            let (a, b) = (checksum(m, sdb, st).await, checksum(m, ddb, dt).await);
            if a != b {
                diffs.push(format!("{sdb}.{st} {a:?} vs {ddb}.{dt} {b:?}"));
            }
        }
        if diffs.is_empty() {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "sink differs from source after {limit:?}: {diffs:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Inserts, updates and deletes about `rate` rows a second in `db.orders` for `run`.
pub(crate) async fn write_changes(db: String, rate: u32, run: Duration) -> u64 {
    let start = Instant::now();
    write_changes_while(db, rate, move |_| start.elapsed() < run, || false).await
}

/// As [`write_changes`], for as long as `go(changes written so far)` says, writing nothing
/// while `paused()`.
pub(crate) async fn write_changes_while(db: String, rate: u32, go: impl Fn(u64) -> bool, paused: impl Fn() -> bool) -> u64 {
    let mut m = mariadb().await;
    // Each call writes ids of its own.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let base = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * 1_000_000;
    let mut k: u64 = 0;
    let per_tick = u64::from(rate / 10).max(1);
    while go(k) {
        if paused() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        for _ in 0..per_tick {
            k += 1;
            let sql = match k % 10 {
                0..=4 => format!("INSERT INTO {db}.orders (id, customer, amount, note, created, big, state) VALUES ({}, {}, {}.50, 'w{k}', NOW(3), {k}, 'new')", 10_000_000 + base + k, k % 1000 + 1, k % 100),
                5..=7 => format!("UPDATE {db}.orders SET note = 'u{k}', amount = amount + 1, state = 'paid' WHERE id = {}", (k * 7919) % 5000 + 1),
                8 => format!("DELETE FROM {db}.orders WHERE id = {}", (k * 104_729) % 5000 + 1),
                _ => format!("UPDATE {db}.customers SET tier = {} WHERE id = {}", k % 4, k % 1000 + 1),
            };
            m.query_drop(sql).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    k
}

/// `CREATE CATALOG` of the binlog MariaDB, as `user`.
pub(crate) async fn jdbc_catalog(c: &mut Conn, name: &str, db: &str, user: &str, password: &str) {
    c.query_drop(format!(
        "CREATE CATALOG {name} WITH ('type' = 'jdbc', 'base-url' = 'jdbc:mysql://127.0.0.1:{}', 'default-database' = '{db}', 'username' = '{user}', 'password' = '{password}')",
        cdc_port()
    ))
    .await
    .unwrap();
}

/// Rows of WEIR_DATASYNC_TABLES: (source table, sink table, phase, rows copied).
pub(crate) async fn progress(c: &mut Conn, name: &str) -> Vec<(String, String, String, Option<u64>)> {
    c.exec("SELECT SOURCE_TABLE, SINK_TABLE, PHASE, ROWS_COPIED FROM information_schema.WEIR_DATASYNC_TABLES WHERE DATASYNC_NAME = ? ORDER BY SOURCE_TABLE", (name,))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mariadb_database_is_synced_by_one_statement_snapshot_then_every_change() {
    let mut m = mariadb().await;
    let (src_db, dst_db) = (unique("shop"), unique("ods"));
    make_shop(&mut m, &src_db, 100_000).await;
    m.query_drop(format!("CREATE DATABASE {dst_db}")).await.unwrap();

    let mut c = server().connect().await;
    let (src, dst, name) = (unique("src"), unique("dst"), unique("sync"));
    jdbc_catalog(&mut c, &src, &src_db, "cdc", "cdc").await;
    jdbc_catalog(&mut c, &dst, &dst_db, "weir", "weir").await;
    c.query_drop(format!(
        "CREATE DATASYNC {name} FROM {src}.{src_db} EXCLUDE ('audit_log') TO {dst}.{dst_db} WITH ('sink.table.prefix' = 'ods_', 'checkpoint.interval' = '2 s')"
    ))
    .await
    .unwrap();
    let info = c.info().to_string();
    assert!(info.contains("2 table(s)") && info.contains("CDC"), "{info}");

    // The sink tables exist with the source's types and key, and the snapshot arrives.
    let ddl: (String, String) = m.query_first(format!("SHOW CREATE TABLE {dst_db}.ods_orders")).await.unwrap().unwrap();
    assert!(ddl.1.contains("`big` bigint(20) unsigned") && ddl.1.contains("PRIMARY KEY (`id`)") && ddl.1.contains("enum('new','paid','sent')"), "{}", ddl.1);
    let pairs = [(src_db.as_str(), "orders", dst_db.as_str(), "ods_orders"), (src_db.as_str(), "customers", dst_db.as_str(), "ods_customers")];
    let took = wait_equal(&mut m, &pairs, Duration::from_secs(300)).await;
    eprintln!("snapshot of 101,000 rows equal after {took:?}");
    let audit: Vec<String> = m.query(format!("SHOW TABLES FROM {dst_db} LIKE '%audit%'")).await.unwrap();
    assert!(audit.is_empty(), "the excluded table is not synced: {audit:?}");

    // Then changes, while they happen.
    // 2,000 changes, up to 200 a second (a loaded machine writes them more slowly).
    let written = write_changes_while(src_db.clone(), 200, |k| k < 2_000, || false).await;
    let took = wait_equal(&mut m, &pairs, Duration::from_secs(120)).await;
    eprintln!("{written} changes equal {took:?} after the writer stopped");

    // What Weir shows about it.
    // Flink's metrics reach its REST API with a delay (its metric fetcher): poll.
    let mut rows = Vec::new();
    for _ in 0..120 {
        rows = progress(&mut c, &name).await;
        if rows.iter().all(|r| r.2 == "BINLOG") && rows.get(1).and_then(|r| r.3).unwrap_or(0) >= 100_000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(rows.iter().map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str())).collect::<Vec<_>>(), [("customers", "ods_customers", "BINLOG"), ("orders", "ods_orders", "BINLOG")]);
    assert!(rows[1].3.unwrap_or(0) >= 100_000, "{rows:?}");
    let listed: Vec<mysql_async::Row> = c.query(format!("SHOW DATASYNCS LIKE '{name}'")).await.unwrap();
    let cell = |i: usize| listed[0].get::<String, _>(i).unwrap();
    assert_eq!((cell(3), cell(4), cell(5)), ("CDC".to_string(), "customers, orders".to_string(), "RUNNING".to_string()));
    let shown: (String, String, String) = c.query_first(format!("SHOW CREATE DATASYNC {name}")).await.unwrap().unwrap();
    assert!(shown.1.starts_with(&format!("CREATE DATASYNC {name} FROM")), "{}", shown.1);
    assert!(shown.2.contains("'connector' = 'mysql-cdc'") && shown.2.contains("'password' = '******'") && !shown.2.contains("'password' = 'cdc'"), "{}", shown.2);

    // Its job is a managed job; DROP DATASYNC stops it and keeps the sink.
    let job = job_view(&mut c, &name).await.expect("the datasync's job is in WEIR_JOBS");
    assert_eq!(job.state, "RUNNING");
    let e = server_error(c.query_drop(format!("DROP JOB {name}")).await.unwrap_err());
    assert_eq!(e.code, 3730, "{}", e.message);
    c.query_drop(format!("DROP DATASYNC {name}")).await.unwrap();
    assert!(job_view(&mut c, &name).await.is_none());
    let flink_id = job.flink_job_id.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server().jobs().await.iter().any(|j| j.0 == flink_id && j.2 == "RUNNING") {
        assert!(Instant::now() < deadline, "the datasync's Flink job still runs after DROP DATASYNC");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (n, _) = checksum(&mut m, &dst_db, "ods_orders").await;
    assert!(n > 99_000, "the sink table stays: {n} rows");
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_mode_copies_every_table_once_and_finishes() {
    let mut m = mariadb().await;
    let (src_db, dst_db) = (unique("shop"), unique("copy"));
    make_shop(&mut m, &src_db, 5_000).await;
    m.query_drop(format!("CREATE DATABASE {dst_db}")).await.unwrap();
    let mut c = server().connect().await;
    let (src, dst, name) = (unique("src"), unique("dst"), unique("snap"));
    // SNAPSHOT mode reads with plain SELECTs: an account without binlog privileges will do.
    jdbc_catalog(&mut c, &src, &src_db, "reader", "reader").await;
    jdbc_catalog(&mut c, &dst, &dst_db, "weir", "weir").await;
    c.query_drop(format!("CREATE DATASYNC {name} FROM {src}.{src_db} TO {dst}.{dst_db} MODE SNAPSHOT")).await.unwrap();
    wait_state(&mut c, &name, "FINISHED", Duration::from_secs(180)).await;
    let pairs = [
        (src_db.as_str(), "orders", dst_db.as_str(), "orders"),
        (src_db.as_str(), "customers", dst_db.as_str(), "customers"),
        (src_db.as_str(), "audit_log", dst_db.as_str(), "audit_log"),
    ];
    wait_equal(&mut m, &pairs, Duration::from_secs(5)).await;
    let phases: Vec<String> = progress(&mut c, &name).await.into_iter().map(|r| r.2).collect();
    assert_eq!(phases, ["DONE", "DONE", "DONE"]);

    // Its lineage: each sink table comes from its source table, column by column, via the datasync.
    let (from, to) = (format!("{src}.{src_db}.orders"), format!("{dst}.{dst_db}.orders"));
    let upstream: Vec<(String, String, String, String, String, String)> = c.query(format!("SHOW LINEAGE OF TABLE {to} UPSTREAM")).await.unwrap();
    assert!(upstream.iter().any(|r| r.2 == from && r.3 == to && r.4 == format!("DATASYNC {name}")), "{upstream:?}");
    let columns: Vec<(String, String, String, String, String, String)> = c.query(format!("SHOW LINEAGE OF TABLE {to} COLUMN id UPSTREAM")).await.unwrap();
    assert!(columns.iter().any(|r| r.2 == format!("{from}.id") && r.3 == format!("{to}.id") && r.5 == "COPY"), "{columns:?}");
    let impact: Vec<(String, String, Option<String>, Option<String>)> = c.query(format!("SHOW IMPACT OF TABLE {from}")).await.unwrap();
    assert!(impact.iter().any(|r| r.0 == "DATASYNC" && r.1 == name && r.3.as_deref() == Some("NO")), "finished, so not running: {impact:?}");

    // Dropped, it no longer feeds anything.
    let edges_sql = "SELECT TO_TABLE FROM information_schema.WEIR_TABLE_LINEAGE WHERE VIA_TYPE = 'DATASYNC' AND VIA_NAME = ?";
    let edges: Vec<String> = c.exec(edges_sql, (&name,)).await.unwrap();
    assert_eq!(edges.len(), 3, "one edge per table: {edges:?}");
    c.query_drop(format!("DROP DATASYNC {name}")).await.unwrap();
    let edges: Vec<String> = c.exec(edges_sql, (&name,)).await.unwrap();
    assert!(edges.is_empty(), "{edges:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_table_is_synced_into_a_paimon_lake_and_follows_changes() {
    let mut m = mariadb().await;
    let src_db = unique("shop");
    make_shop(&mut m, &src_db, 1_000).await;
    let warehouse = scratch_dir("datasync-paimon");
    let mut c = server().connect().await;
    let (src, lake, name) = (unique("src"), unique("lake"), unique("tolake"));
    jdbc_catalog(&mut c, &src, &src_db, "cdc", "cdc").await;
    c.query_drop(format!("CREATE CATALOG {lake} WITH ('type' = 'paimon', 'warehouse' = 'file://{}')", warehouse.display())).await.unwrap();
    c.query_drop(format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES ('customers', 'orders') TO {lake}.ods WITH ('checkpoint.interval' = '2 s')")).await.unwrap();

    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let lake_sql = format!("SELECT COUNT(*), SUM(CAST(tier AS BIGINT)), MAX(name) FROM {lake}.ods.customers");
    let source_sql = format!("SELECT COUNT(*), CAST(SUM(tier) AS SIGNED), MAX(name) FROM {src_db}.customers");
    type Sums = (i64, Option<i64>, Option<String>);
    for change in [None, Some(format!("UPDATE {src_db}.customers SET tier = tier + 10, name = 'zz' WHERE id <= 100"))] {
        if let Some(sql) = change {
            m.query_drop(sql).await.unwrap();
        }
        let want: Sums = m.query_first(source_sql.as_str()).await.unwrap().unwrap();
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let got: Option<Sums> = c.query_first(lake_sql.as_str()).await.ok().flatten();
            if got.as_ref() == Some(&want) {
                break;
            }
            assert!(Instant::now() < deadline, "the Paimon table has {got:?}, the source {want:?}");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let orders: (i64,) = c.query_first(format!("SELECT COUNT(*) FROM {lake}.ods.orders")).await.unwrap().unwrap();
    assert_eq!(orders.0, 1_000);
    c.query_drop(format!("DROP DATASYNC {name}")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_datasyncs_get_mysql_errors_and_record_nothing() {
    let mut m = mariadb().await;
    let (src_db, dst_db) = (unique("shop"), unique("ods"));
    make_shop(&mut m, &src_db, 100).await;
    m.query_drop(format!("CREATE DATABASE {dst_db}")).await.unwrap();
    let mut c = server().connect().await;
    let (src, dst, reader, wrong) = (unique("src"), unique("dst"), unique("rd"), unique("bad"));
    jdbc_catalog(&mut c, &src, &src_db, "cdc", "cdc").await;
    jdbc_catalog(&mut c, &dst, &dst_db, "weir", "weir").await;
    jdbc_catalog(&mut c, &reader, &src_db, "reader", "reader").await;
    // Flink checks a JDBC catalog's password when it is created: this one changes afterwards.
    m.query_drop("CREATE USER IF NOT EXISTS 'rotated'@'%' IDENTIFIED BY 'before'; GRANT SELECT ON *.* TO 'rotated'@'%'; ALTER USER 'rotated'@'%' IDENTIFIED BY 'before'")
        .await
        .unwrap();
    jdbc_catalog(&mut c, &wrong, &src_db, "rotated", "before").await;
    m.query_drop("ALTER USER 'rotated'@'%' IDENTIFIED BY 'after'").await.unwrap();
    let nobinlog = unique("ref");
    c.query_drop(format!(
        "CREATE CATALOG {nobinlog} WITH ('type' = 'jdbc', 'base-url' = 'jdbc:mysql://127.0.0.1:3306', 'default-database' = 'mysql', 'username' = 'weir', 'password' = 'weir')"
    ))
    .await
    .unwrap();
    let name = unique("bad");
    let to = format!("TO {dst}.{dst_db}");
    let cases: Vec<(String, u16, &str)> = vec![
        (format!("CREATE DATASYNC {name} FROM nocatalog.shop {to}"), 1049, "Unknown catalog 'nocatalog'"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} {to}"), 1173, "audit_log' has no primary key"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES ('orders', 'nope') {to}"), 1146, "nope' doesn't exist"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES LIKE 'x%' {to}"), 1146, "No table"),
        (format!("CREATE DATASYNC {name} FROM {src}.nodb {to}"), 1049, "Unknown database 'nodb'"),
        (format!("CREATE DATASYNC {name} FROM {wrong}.{src_db} {to}"), 1429, "Access denied"),
        (format!("CREATE DATASYNC {name} FROM {nobinlog}.mysql TABLES ('db') {to}"), 1381, "log_bin is OFF"),
        (format!("CREATE DATASYNC {name} FROM {reader}.{src_db} TABLES ('orders') {to}"), 1227, "REPLICATION SLAVE"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES ('orders') {to} WITH ('prefix' = 'x')"), 1210, "unknown option 'prefix'"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES ('orders') {to} WITH ('table.orders.key' = 'nope')"), 1210, "column 'nope'"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES ('orders') TO {dst}.nodb"), 1049, "Unknown database 'nodb'"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TABLES ('orders') TO {src}.{src_db}"), 1235, "source database"),
        (format!("CREATE DATASYNC {name} FROM {src}.{src_db} TO {dst}"), 1064, "catalog.database"),
        (format!("DROP DATASYNC {name}"), 1305, "does not exist"),
    ];
    for (sql, code, text) in &cases {
        let e = server_error(c.query_drop(sql).await.unwrap_err());
        assert_eq!(e.code, *code, "{sql}: {}", e.message);
        assert!(e.message.contains(text), "{sql}: {}", e.message);
        let listed: Vec<mysql_async::Row> = c.query(format!("SHOW DATASYNCS LIKE '{name}'")).await.unwrap();
        assert!(listed.is_empty() && job_view(&mut c, &name).await.is_none(), "{sql} recorded something");
    }
    // A declared key makes the keyless table syncable; a second datasync may not write its tables.
    c.query_drop(format!("CREATE DATASYNC {name} FROM {src}.{src_db} {to} WITH ('table.audit_log.key' = 'at')")).await.unwrap();
    let again = unique("twice");
    let e = server_error(c.query_drop(format!("CREATE DATASYNC {again} FROM {src}.{src_db} TABLES ('orders') {to}")).await.unwrap_err());
    assert_eq!(e.code, 1050, "{}", e.message);
    assert!(e.message.contains(&format!("already written by datasync '{name}'")), "{}", e.message);
    c.query_drop(format!("CREATE DATASYNC IF NOT EXISTS {name} FROM {src}.{src_db} {to}")).await.unwrap();
    let w: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(w.first().map(|x| x.1), Some(1050), "{w:?}");
    c.query_drop(format!("DROP DATASYNC {name}")).await.unwrap();
    c.query_drop(format!("DROP DATASYNC IF EXISTS {name}")).await.unwrap();
    let w: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(w.first().map(|x| x.1), Some(1305), "{w:?}");
    // The connection is still usable.
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_table_and_an_added_column_reach_the_sink_and_a_dropped_column_stops_the_datasync() {
    let mut m = mariadb().await;
    let (src_db, dst_db) = (unique("shop"), unique("ods"));
    make_shop(&mut m, &src_db, 2_000).await;
    m.query_drop(format!("CREATE DATABASE {dst_db}")).await.unwrap();
    let mut c = server().connect().await;
    let (src, dst, name) = (unique("src"), unique("dst"), unique("evolving"));
    jdbc_catalog(&mut c, &src, &src_db, "cdc", "cdc").await;
    jdbc_catalog(&mut c, &dst, &dst_db, "weir", "weir").await;
    c.query_drop(format!("CREATE DATASYNC {name} FROM {src}.{src_db} EXCLUDE ('audit_log') TO {dst}.{dst_db} WITH ('checkpoint.interval' = '2 s')")).await.unwrap();
    let pairs = [(src_db.as_str(), "orders", dst_db.as_str(), "orders"), (src_db.as_str(), "customers", dst_db.as_str(), "customers")];
    wait_equal(&mut m, &pairs, Duration::from_secs(180)).await;

    // Once it reads the binlog: changes, a quiet moment (the rows a restart replays from before
    // the ALTER then carry no column they lack; README, Datasyncs), a column added to orders and
    // set on some rows at once, a new table, a keyless one, and changes again.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !progress(&mut c, &name).await.iter().all(|r| r.2 == "BINLOG") {
        assert!(Instant::now() < deadline, "not in the binlog phase: {:?}", progress(&mut c, &name).await);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    write_changes(src_db.clone(), 100, Duration::from_secs(8)).await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    m.query_drop(format!(
        "ALTER TABLE {src_db}.orders ADD COLUMN channel VARCHAR(16) DEFAULT 'web';
         UPDATE {src_db}.orders SET channel = 'shop' WHERE id % 3 = 0 AND id <= 2000;
         CREATE TABLE {src_db}.refunds (id INT PRIMARY KEY, order_id BIGINT NOT NULL, amount DECIMAL(10,2));
         INSERT INTO {src_db}.refunds SELECT seq, seq * 7, seq / 4 FROM {src_db}.seq_1_to_300;
         CREATE TABLE {src_db}.scratch (x INT);"
    ))
    .await
    .unwrap();
    let writer = tokio::spawn(write_changes(src_db.clone(), 100, Duration::from_secs(15)));
    tokio::time::sleep(Duration::from_secs(2)).await;
    m.query_drop(format!("INSERT INTO {src_db}.refunds VALUES (1000, 1, 9.99); DELETE FROM {src_db}.refunds WHERE id = 5; UPDATE {src_db}.orders SET channel = 'app' WHERE id = 7")).await.unwrap();
    writer.await.unwrap();
    let pairs = [
        (src_db.as_str(), "orders", dst_db.as_str(), "orders"),
        (src_db.as_str(), "customers", dst_db.as_str(), "customers"),
        (src_db.as_str(), "refunds", dst_db.as_str(), "refunds"),
    ];
    let took = wait_equal(&mut m, &pairs, Duration::from_secs(240)).await;
    eprintln!("schema changes followed; equal {took:?} after the writer stopped");

    let second = format!("{name}_2");
    let jobs: Vec<(String, String)> = c.exec("SELECT JOB_NAME, STATE FROM information_schema.WEIR_JOBS WHERE JOB_NAME IN (?, ?) ORDER BY JOB_NAME", (&name, &second)).await.unwrap();
    assert_eq!(jobs, [(name.clone(), "RUNNING".to_string()), (second.clone(), "RUNNING".to_string())]);
    let events: Vec<String> = c.exec("SELECT DETAIL FROM information_schema.WEIR_JOB_EVENTS WHERE JOB_NAME = ? AND EVENT = 'schema'", (&name,)).await.unwrap();
    assert!(events.iter().any(|e| e.contains("gained column(s) channel") && e.contains("taken before the change")), "{events:?}");
    assert!(events.iter().any(|e| e.contains("refunds") && e.contains(&second)), "{events:?}");
    assert!(events.iter().any(|e| e.contains("scratch") && e.contains("no primary key")), "{events:?}");
    let tables: Vec<String> = c.exec("SELECT SOURCE_TABLE FROM information_schema.WEIR_DATASYNC_TABLES WHERE DATASYNC_NAME = ? ORDER BY SOURCE_TABLE", (&name,)).await.unwrap();
    assert_eq!(tables, ["customers", "orders", "refunds"]);

    // A change the sink cannot follow stops the datasync's job, saying what changed.
    m.query_drop(format!("ALTER TABLE {src_db}.customers DROP COLUMN since")).await.unwrap();
    let stopped = wait_state(&mut c, &name, "STOPPED", Duration::from_secs(60)).await;
    assert!(stopped.reason.contains("customers") && stopped.reason.contains("since"), "{stopped:?}");
    c.query_drop(format!("DROP DATASYNC {name}")).await.unwrap();
    assert!(job_view(&mut c, &second).await.is_none(), "DROP DATASYNC drops every job of it");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_source_tables_flink_ddl_is_generated_from_its_own_information_schema() {
    let mut m = mariadb().await;
    let db = unique("shop");
    m.query_drop(format!(
        "CREATE DATABASE {db};
         CREATE TABLE {db}.items (id BIGINT UNSIGNED PRIMARY KEY, active TINYINT(1) NOT NULL, kind ENUM('a','b'), price DECIMAL(9,2), seen DATETIME(3));
         INSERT INTO {db}.items VALUES (1, 1, 'a', 9.50, '2026-01-01 00:00:00.250'), (2, 0, NULL, NULL, NULL);"
    ))
    .await
    .unwrap();
    let mut c = server().connect().await;
    let cat = unique("src");
    jdbc_catalog(&mut c, &cat, &db, "cdc", "cdc").await;

    let (_, cdc): (String, String) = c.query_first(format!("SHOW CREATE TABLE {cat}.{db}.items FOR FLINK AS CDC")).await.unwrap().unwrap();
    assert!(cdc.starts_with("CREATE TABLE `items` (`id` DECIMAL(20, 0) NOT NULL, `active` BOOLEAN NOT NULL, `kind` STRING, `price` DECIMAL(9, 2), `seen` TIMESTAMP(3), PRIMARY KEY (`id`) NOT ENFORCED) WITH ('connector' = 'mysql-cdc'"), "{cdc}");
    assert!(cdc.contains("'password' = '******'") && cdc.contains(&format!("'database-name' = '{db}'")), "{cdc}");
    let notes: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(notes.iter().any(|n| n.1 == 1246 && n.2.contains("'active'") && n.2.contains("BOOLEAN")), "{notes:?}");
    assert!(notes.iter().any(|n| n.1 == 1246 && n.2.contains("'kind'")), "{notes:?}");

    // The JDBC form runs as written (with the password put back) and reads the table.
    let (_, jdbc): (String, String) = c.query_first(format!("SHOW CREATE TABLE {cat}.{db}.items FOR FLINK AS JDBC")).await.unwrap().unwrap();
    assert!(jdbc.contains("'connector' = 'jdbc'") && jdbc.contains("'driver' = 'org.mariadb.jdbc.Driver'"), "{jdbc}");
    let runnable = jdbc.replacen("CREATE TABLE `items`", "CREATE TEMPORARY TABLE `items_ddl`", 1).replace("'******'", "'cdc'");
    c.query_drop(runnable).await.unwrap();
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let rows: Vec<(String, Option<String>)> = c.query("SELECT CAST(id AS STRING), CAST(seen AS STRING) FROM items_ddl ORDER BY id").await.unwrap();
    assert_eq!(rows, [("1".to_string(), Some("2026-01-01 00:00:00.250".to_string())), ("2".to_string(), None)]);

    let (_, paimon): (String, String) = c.query_first(format!("SHOW CREATE TABLE {cat}.{db}.items FOR FLINK AS PAIMON")).await.unwrap().unwrap();
    assert!(paimon.ends_with("PRIMARY KEY (`id`) NOT ENFORCED)"), "{paimon}");
    let e = server_error(c.query_drop(format!("SHOW CREATE TABLE {cat}.{db}.nope FOR FLINK AS CDC")).await.unwrap_err());
    assert_eq!(e.code, 1146, "{}", e.message);
}
