//! The catalog of record: what a user creates through Weir outlives the Flink session that
//! created it. Tables, views and databases made on one connection are there on every other, on
//! the other Flink version, and after Weir itself is killed and restarted.

use mysql_async::prelude::*;
use mysql_async::{Conn, Opts};

use crate::harness::{ExtraWeir, scratch_dir, server, server_error, unique};

/// A bounded datagen table of `rows` rows with ids 1..=rows.
fn create_table(name: &str, rows: u32) -> String {
    format!(
        "CREATE TABLE {name} (id INT, amount DOUBLE, PRIMARY KEY (id) NOT ENFORCED) COMMENT 'orders' WITH (\
         'connector'='datagen','number-of-rows'='{rows}','fields.id.kind'='sequence',\
         'fields.id.start'='1','fields.id.end'='{rows}','fields.amount.min'='1','fields.amount.max'='10')"
    )
}

/// A connection in batch mode, so counts come back as one row.
async fn batch(mut c: Conn) -> Conn {
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    c
}

async fn count(c: &mut Conn, from: &str) -> i64 {
    c.query_first(format!("SELECT COUNT(*) FROM {from}")).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_table_created_on_one_connection_is_queried_on_another() {
    let t = unique("orders");
    let mut creator = server().connect().await;
    creator.query_drop(create_table(&t, 7)).await.unwrap();
    drop(creator);

    let mut reader = batch(server().connect().await).await;
    assert_eq!(count(&mut reader, &t).await, 7);
    let tables: Vec<String> = reader.query("SHOW TABLES").await.unwrap();
    assert!(tables.contains(&t), "SHOW TABLES on a fresh session lists {t}: {tables:?}");
    reader.query_drop(format!("DROP TABLE {t}")).await.unwrap();

    let mut third = server().connect().await;
    let e = server_error(third.query_drop(format!("SELECT * FROM {t}")).await.unwrap_err());
    assert_eq!(e.code, 1146, "a dropped table is gone for everyone: {}", e.message);
}

#[tokio::test]
async fn two_connections_creating_the_same_table_one_succeeds_the_other_gets_1050() {
    let t = unique("race");
    let (mut a, mut b) = (server().connect().await, server().connect().await);
    let ddl = create_table(&t, 1);
    let (ra, rb) = tokio::join!(a.query_drop(ddl.as_str()), b.query_drop(ddl.as_str()));
    let outcomes = [ra, rb];
    assert_eq!(outcomes.iter().filter(|r| r.is_ok()).count(), 1, "exactly one CREATE wins: {outcomes:?}");
    for r in outcomes {
        if let Err(e) = r {
            let e = server_error(e);
            assert_eq!((e.code, e.state.as_str()), (1050, "42S01"));
            assert!(e.message.contains(&t), "{}", e.message);
        }
    }
    // IF NOT EXISTS of a recorded table is a note, not an error; the connection goes on.
    a.query_drop(format!("CREATE TABLE IF NOT EXISTS {t} (x INT) WITH ('connector'='datagen')")).await.unwrap();
    let w: Vec<(String, u32, String)> = a.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(w.first().map(|x| x.1), Some(1050), "{w:?}");
    a.query_drop(format!("DROP TABLE {t}")).await.unwrap();
}

#[tokio::test]
async fn a_view_over_two_tables_works_on_a_fresh_session() {
    let (orders, customers, v) = (unique("orders"), unique("customers"), unique("order_view"));
    let mut c = server().connect().await;
    c.query_drop(create_table(&orders, 5)).await.unwrap();
    c.query_drop(create_table(&customers, 3)).await.unwrap();
    c.query_drop(format!("CREATE VIEW {v} AS SELECT o.id FROM {orders} o JOIN {customers} c ON o.id = c.id")).await.unwrap();
    drop(c);

    let mut fresh = batch(server().connect().await).await;
    assert_eq!(count(&mut fresh, &v).await, 3, "the view and both its tables are there");

    // The view needs the table: dropping it is refused unless CASCADE says to drop the view too.
    let e = server_error(fresh.query_drop(format!("DROP TABLE {orders}")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (3730, "HY000"));
    assert!(e.message.contains(&v), "the error names the view: {}", e.message);
    assert_eq!(count(&mut fresh, &v).await, 3, "nothing was dropped");
    fresh.query_drop(format!("DROP TABLE {orders} CASCADE")).await.unwrap();
    let e = server_error(fresh.query_drop(format!("SELECT * FROM {v}")).await.unwrap_err());
    assert_eq!(e.code, 1146, "{}", e.message);
    fresh.query_drop(format!("DROP TABLE {customers}")).await.unwrap();
}

#[tokio::test]
async fn a_table_follows_the_session_to_the_other_flink_version() {
    let t = unique("versioned");
    let mut c = server().connect().await;
    c.query_drop(create_table(&t, 4)).await.unwrap();
    c.query_drop("SET weir.flink = '2.2'").await.unwrap();
    let (cluster,): (String,) = c.query_first("SELECT @@weir.flink").await.unwrap().unwrap();
    assert_eq!(cluster, "v22");
    let mut c = batch(c).await;
    assert_eq!(count(&mut c, &t).await, 4, "created on 1.20, queried on 2.2");
    // And the other way round: altered on 2.2, seen on 1.20.
    c.query_drop(format!("ALTER TABLE {t} SET ('number-of-rows' = '2', 'fields.id.end' = '2')")).await.unwrap();
    let mut on_1_20 = batch(server().connect().await).await;
    assert_eq!(count(&mut on_1_20, &t).await, 2);
    on_1_20.query_drop(format!("DROP TABLE {t}")).await.unwrap();
}

#[tokio::test]
async fn a_database_created_through_weir_is_usable_from_every_connection() {
    let db = unique("sales");
    let mut c = server().connect().await;
    c.query_drop(format!("CREATE DATABASE {db} COMMENT 'made through Weir'")).await.unwrap();
    let e = server_error(c.query_drop(format!("CREATE DATABASE {db}")).await.unwrap_err());
    assert_eq!(e.code, 1007, "{}", e.message);
    drop(c);

    // A connection that names the database at connect time lands in it.
    let opts = Opts::from(server().opts("root", "").db_name(Some(db.clone())));
    let mut c = Conn::new(opts).await.unwrap();
    c.query_drop(create_table("items", 2)).await.unwrap();
    drop(c);

    let mut other = batch(server().connect().await).await;
    assert_eq!(count(&mut other, &format!("{db}.items")).await, 2);
    other.query_drop(format!("USE {db}")).await.unwrap();
    let tables: Vec<String> = other.query("SHOW TABLES").await.unwrap();
    assert_eq!(tables, vec!["items".to_string()]);

    let e = server_error(other.query_drop(format!("DROP DATABASE {db}")).await.unwrap_err());
    assert_eq!(e.code, 3730, "a database with tables is not dropped without CASCADE: {}", e.message);
    other.query_drop("USE default_database").await.unwrap();
    other.query_drop(format!("DROP DATABASE {db} CASCADE")).await.unwrap();
    let e = server_error(other.query_drop(format!("USE {db}")).await.unwrap_err());
    assert_eq!(e.code, 1049, "{}", e.message);
}

#[tokio::test]
async fn tables_survive_weir_being_killed_and_restarted() {
    let mut weir = ExtraWeir::start(scratch_dir("restart"), "").await;
    let t = unique("durable");
    let mut c = weir.connect().await;
    c.query_drop(create_table(&t, 6)).await.unwrap();
    drop(c);

    weir.crash_and_restart().await;

    let mut c = batch(weir.connect().await).await;
    assert_eq!(count(&mut c, &t).await, 6, "the table outlived kill -9");
    c.query_drop(format!("DROP TABLE {t}")).await.unwrap();
}

#[tokio::test]
async fn two_weir_instances_share_one_catalog_in_mariadb() {
    let store = unique("weir_catalog");
    let mut admin = Conn::new(Opts::from_url("mysql://weir:weir@127.0.0.1:3306").unwrap()).await.expect("MariaDB on 127.0.0.1:3306 (scripts/install-deps.sh starts it)");
    admin.query_drop(format!("CREATE DATABASE {store}")).await.unwrap();
    let section = format!("[catalog]\nurl = \"mysql://weir:weir@127.0.0.1:3306/{store}\"\npoll_interval_ms = 200\n");
    let one = ExtraWeir::start(scratch_dir("shared-one"), &section).await;
    let two = ExtraWeir::start(scratch_dir("shared-two"), &section).await;

    let t = unique("shared");
    one.connect().await.query_drop(create_table(&t, 3)).await.unwrap();
    // Visible through the other instance within its poll interval.
    let mut c = batch(two.connect().await).await;
    let mut seen = None;
    for _ in 0..50 {
        match c.query_first::<i64, _>(format!("SELECT COUNT(*) FROM {t}")).await {
            Ok(n) => {
                seen = n;
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    assert_eq!(seen, Some(3), "instance two sees the table instance one created");

    // DDL from both instances at once is serialized by the store: one CREATE wins.
    let u = unique("contested");
    let (mut a, mut b) = (one.connect().await, two.connect().await);
    let ddl = create_table(&u, 1);
    let (ra, rb) = tokio::join!(a.query_drop(ddl.as_str()), b.query_drop(ddl.as_str()));
    assert_eq!([&ra, &rb].iter().filter(|r| r.is_ok()).count(), 1, "{ra:?} {rb:?}");
    let loser = if ra.is_err() { ra } else { rb };
    assert_eq!(server_error(loser.unwrap_err()).code, 1050);
    admin.query_drop(format!("DROP DATABASE {store}")).await.unwrap();
}

#[tokio::test]
async fn the_catalog_dumps_to_a_script_that_loads_into_another_weir() {
    let source = ExtraWeir::start(scratch_dir("dump-from"), "").await;
    let (db, t) = (unique("archive"), unique("events"));
    let mut c = source.connect().await;
    c.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    c.query_drop(create_table(&format!("{db}.{t}"), 5)).await.unwrap();
    c.query_drop(format!("CREATE VIEW {db}.recent AS SELECT id FROM {db}.{t} WHERE id > 2")).await.unwrap();
    drop(c);

    let weir = env!("CARGO_BIN_EXE_weir");
    let script = source.dir.join("catalog.sql");
    let out = std::process::Command::new(weir)
        .args(["catalog", "dump", "--config"])
        .arg(source.dir.join("weir.toml"))
        .arg(&script)
        .output()
        .unwrap();
    assert!(out.status.success(), "dump: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.contains(&format!("CREATE VIEW IF NOT EXISTS `default_catalog`.`{db}`.`recent`")), "{text}");

    // A new Weir with an empty data dir, loaded from the script before it starts.
    let target_dir = scratch_dir("dump-to");
    std::fs::create_dir_all(&target_dir).unwrap();
    let config = target_dir.join("load.toml");
    std::fs::write(&config, format!("[server]\ndata_dir = \"{}\"\n", target_dir.join("data").display())).unwrap();
    let out = std::process::Command::new(weir).args(["catalog", "load", "--config"]).arg(&config).arg(&script).output().unwrap();
    assert!(out.status.success(), "load: {}", String::from_utf8_lossy(&out.stderr));
    let target = ExtraWeir::start(target_dir, "").await;
    let mut c = batch(target.connect().await).await;
    assert_eq!(count(&mut c, &format!("{db}.recent")).await, 3);

    // A script that is not a catalog script is refused with the statement named.
    let bad = source.dir.join("bad.sql");
    std::fs::write(&bad, "SELECT 1;").unwrap();
    let out = std::process::Command::new(weir).args(["catalog", "load", "--config"]).arg(&config).arg(&bad).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SELECT 1"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn a_view_the_other_version_cannot_express_is_refused_there_by_name() {
    let (t, v) = (unique("cities"), unique("a_counts"));
    let mut on_2_2 = server().connect().await;
    on_2_2.query_drop("SET weir.flink = '2.2'").await.unwrap();
    on_2_2.query_drop(format!("CREATE TABLE {t} (city STRING) WITH ('connector'='datagen','number-of-rows'='3')")).await.unwrap();
    // REGEXP_COUNT exists from Flink 2.0 on.
    on_2_2.query_drop(format!("CREATE VIEW {v} AS SELECT REGEXP_COUNT(city, 'a') AS n FROM {t}")).await.unwrap();

    let mut on_1_20 = server().connect().await;
    let e = server_error(on_1_20.query_drop(format!("SELECT * FROM {v}")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1235, "42000"));
    assert!(e.message.contains(&v) && e.message.contains("1.20.3") && e.message.contains("REGEXP_COUNT"), "{}", e.message);
    // The table it reads is fine on 1.20, and the connection goes on.
    let mut on_1_20 = batch(on_1_20).await;
    assert_eq!(count(&mut on_1_20, &t).await, 3);
    on_2_2.query_drop(format!("DROP TABLE {t} CASCADE")).await.unwrap();
}

#[tokio::test]
async fn an_in_memory_catalog_made_through_weir_keeps_its_databases_and_tables() {
    let cat = unique("mem");
    let mut c = server().connect().await;
    c.query_drop(format!("CREATE CATALOG {cat} WITH ('type' = 'generic_in_memory')")).await.unwrap();
    c.query_drop(format!("CREATE DATABASE {cat}.sales")).await.unwrap();
    c.query_drop(create_table(&format!("{cat}.sales.orders"), 2)).await.unwrap();
    drop(c);

    let mut fresh = batch(server().connect().await).await;
    fresh.query_drop(format!("USE CATALOG {cat}")).await.unwrap();
    let dbs: Vec<String> = fresh.query("SHOW DATABASES").await.unwrap();
    assert!(dbs.contains(&"sales".to_string()), "{dbs:?}");
    fresh.query_drop("USE sales").await.unwrap();
    assert_eq!(count(&mut fresh, "orders").await, 2);
    fresh.query_drop("USE CATALOG default_catalog").await.unwrap();

    let e = server_error(fresh.query_drop(format!("DROP CATALOG {cat}")).await.unwrap_err());
    assert_eq!(e.code, 3730, "{}", e.message);
    fresh.query_drop(format!("DROP CATALOG {cat} CASCADE")).await.unwrap();
    let catalogs: Vec<String> = fresh.query_map("SHOW CATALOGS", |r: mysql_async::Row| r.get::<String, _>(0).unwrap_or_default()).await.unwrap();
    assert!(!catalogs.contains(&cat), "{catalogs:?}");
}

#[tokio::test]
async fn a_mysql_create_table_from_a_mysql_dialect_session_is_recorded_for_everyone() {
    let t = unique("mysql_made");
    let mut c = server().connect().await;
    c.query_drop("SET weir.dialect = 'mysql'").await.unwrap();
    c.query_drop("SET weir.ddl.with = '''connector'' = ''datagen'', ''number-of-rows'' = ''4'''").await.unwrap();
    c.query_drop(format!("CREATE TABLE {t} (id INT NOT NULL PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")).await.unwrap();
    drop(c);
    let mut other = batch(server().connect().await).await;
    assert_eq!(count(&mut other, &t).await, 4, "the translated table is in the catalog of record");
    other.query_drop(format!("DROP TABLE {t}")).await.unwrap();
}
