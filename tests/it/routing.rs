//! Multi-version routing: each session lands on the Flink cluster of the version it asks for, by
//! `SET weir.flink`, the connection attribute `weir.flink`, the user's cluster or the server
//! default, in that order.

use mysql_async::prelude::*;
use mysql_async::{Conn, Row};

use crate::harness::{jobs_of, server, server_error, unique};

async fn cluster_of(c: &mut Conn) -> (String, String) {
    c.query_first("SELECT @@weir.flink, @@weir.flink_version").await.unwrap().unwrap()
}

/// The clusters SHOW FLINK CLUSTERS lists.
async fn cluster_names(c: &mut Conn) -> Vec<String> {
    let rows: Vec<Row> = c.query("SHOW FLINK CLUSTERS").await.unwrap();
    rows.iter().map(|r| r.get::<String, _>(0).unwrap_or_default()).collect()
}

#[tokio::test]
async fn sessions_start_on_the_server_default() {
    let mut c = server().connect().await;
    assert_eq!(cluster_of(&mut c).await, ("local".to_string(), "1.20.3".to_string()));
    assert!(cluster_names(&mut c).await.contains(&"v22".to_string()));
}

#[tokio::test]
async fn the_connection_attribute_picks_a_version_prefix() {
    let s = server();
    let mut c = Conn::new(s.opts("root", "").connect_attribute("weir.flink", "2.2")).await.unwrap();
    assert_eq!(cluster_of(&mut c).await, ("v22".to_string(), "2.2.0".to_string()));
    let mut c = Conn::new(s.opts("root", "").connect_attribute("weir.flink", "2")).await.unwrap();
    assert_eq!(cluster_of(&mut c).await.0, "v22");
    // A prefix matches whole parts: '1.2' is not 1.20.3.
    let e = Conn::new(s.opts("root", "").connect_attribute("weir.flink", "1.2")).await.unwrap_err();
    assert!(e.to_string().contains("1.2"), "{e}");
}

#[tokio::test]
async fn the_users_cluster_applies_and_set_weir_flink_overrides_it() {
    let s = server();
    let mut c = Conn::new(s.opts("v2user", "v2pass")).await.unwrap();
    assert_eq!(cluster_of(&mut c).await.0, "v22");
    c.query_drop("SET weir.flink = '1.20'").await.unwrap();
    assert_eq!(cluster_of(&mut c).await, ("local".to_string(), "1.20.3".to_string()));
}

#[tokio::test]
async fn switching_mid_session_keeps_database_and_options_but_not_temporary_tables() {
    let mut c = server().connect().await;
    let t = unique("tmp");
    c.query_drop(format!("CREATE TEMPORARY TABLE {t} (id INT) WITH ('connector'='datagen', 'number-of-rows'='3')")).await.unwrap();
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    c.query_drop("SET weir.flink = '2.2'").await.unwrap();
    let w: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(w.iter().any(|x| x.2.contains("TEMPORARY")), "the switch says what is lost: {w:?}");
    assert_eq!(cluster_of(&mut c).await.0, "v22");
    let mode: Vec<(String, String)> = c.query("SET").await.unwrap();
    assert!(mode.iter().any(|(k, v)| k == "execution.runtime-mode" && v == "batch"), "SET options carried over");
    let e = c.query_drop(format!("SELECT * FROM {t}")).await.unwrap_err();
    assert!(e.to_string().contains("1146"), "temporary tables stay behind: {e}");
    let db: Option<String> = c.query_first("SELECT DATABASE()").await.unwrap();
    assert_eq!(db.as_deref(), Some("default_database"));
    let e = c.query_drop("SET weir.flink = 'no-such-cluster'").await.unwrap_err();
    assert!(e.to_string().contains("1231"), "{e}");
}

#[tokio::test]
async fn a_switch_is_refused_while_a_statement_set_is_open() {
    let mut c = server().connect().await;
    c.query_drop("BEGIN STATEMENT SET").await.unwrap();
    let e = c.query_drop("SET weir.flink = '2.2'").await.unwrap_err();
    assert!(e.to_string().contains("STATEMENT SET"), "{e}");
    c.query_drop("END").await.ok();
}

#[tokio::test]
async fn jobs_from_two_sessions_run_on_the_right_versions() {
    let s = server();
    let mut on_1 = s.connect().await;
    let mut on_2 = Conn::new(s.opts("root", "").connect_attribute("weir.flink", "2.2")).await.unwrap();
    let mut jobs = Vec::new();
    for c in [&mut on_1, &mut on_2] {
        let src = unique("src");
        let sink = unique("sink");
        c.query_drop(format!("CREATE TEMPORARY TABLE {src} (id BIGINT) WITH ('connector'='datagen', 'number-of-rows'='5')")).await.unwrap();
        c.query_drop(format!("CREATE TEMPORARY TABLE {sink} (id BIGINT) WITH ('connector'='blackhole')")).await.unwrap();
        c.query_drop(format!("INSERT INTO {sink} SELECT id FROM {src}")).await.unwrap();
        jobs.push(c.info().rsplit(' ').next().unwrap_or("").to_string());
    }
    let on_jm1: Vec<String> = jobs_of(&s.jobmanager).await.into_iter().map(|j| j.0).collect();
    let on_jm2: Vec<String> = jobs_of(&s.jobmanager_2).await.into_iter().map(|j| j.0).collect();
    assert!(on_jm1.contains(&jobs[0]) && !on_jm2.contains(&jobs[0]), "job {} runs on Flink 1.20", jobs[0]);
    assert!(on_jm2.contains(&jobs[1]) && !on_jm1.contains(&jobs[1]), "job {} runs on Flink 2.2", jobs[1]);
}

#[tokio::test]
async fn a_statement_the_sessions_flink_lacks_is_refused_naming_the_version() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("SHOW MATERIALIZED TABLES").await.unwrap_err());
    assert_eq!(e.code, 1235, "{}", e.message);
    assert!(e.message.contains("2.2") && e.message.contains("1.20.3"), "{}", e.message);
    c.query_drop("SET weir.flink = '2.2'").await.unwrap();
    let _: Vec<Row> = c.query("SHOW MATERIALIZED TABLES").await.expect("Flink 2.2 has it");
}

/// Two clusters of one version (two SQL Gateways in front of one JobManager): a session bound to
/// the one that goes down gets an error naming it, new sessions asking for the version go to the
/// other, and the first is used again once it is back, without restarting Weir.
#[tokio::test]
async fn sessions_fail_over_between_two_clusters_of_one_version_and_come_back() {
    use crate::harness::{ExtraGateway, ExtraWeir, scratch_dir};
    use std::time::{Duration, Instant};
    let dir = scratch_dir("failover");
    std::fs::create_dir_all(&dir).unwrap();
    let mut gateways = [ExtraGateway::start(dir.join("gw-a.log")).await, ExtraGateway::start(dir.join("gw-b.log")).await];
    let clusters = format!(
        "default_cluster = \"a\"\n[clusters.a]\ngateway = \"{}\"\n\n[clusters.b]\ngateway = \"{}\"\n",
        gateways[0].url(),
        gateways[1].url()
    );
    let weir = ExtraWeir::start_with(dir.join("weir"), &clusters, "").await;
    let by_version = || Conn::new(weir.opts().connect_attribute("weir.flink", "1.20"));

    let mut first = by_version().await.unwrap();
    let (name, version) = cluster_of(&mut first).await;
    assert_eq!(version, "1.20.3");
    let _: Vec<String> = first.query("SHOW CURRENT CATALOG").await.unwrap();
    let (down, other) = if name == "a" { (0, "b") } else { (1, "a") };

    gateways[down].kill9();
    let e = server_error(first.query_drop("SHOW CURRENT DATABASE").await.unwrap_err());
    assert!(e.message.contains(&format!("'{name}'")), "the error names the cluster that went down: {}", e.message);
    assert_eq!(cluster_of(&mut first).await.0, name, "the connection itself is still usable");

    // New sessions asking for 1.20 land on the healthy cluster once Weir has noticed.
    let start = Instant::now();
    loop {
        let mut c = by_version().await.unwrap();
        if cluster_of(&mut c).await.0 == other {
            let _: Vec<String> = c.query("SHOW CURRENT CATALOG").await.unwrap();
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no failover to '{other}' within 30 s");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // Back up: the cluster is used again, by name and by the first connection.
    gateways[down].spawn().await;
    let start = Instant::now();
    loop {
        let ok = async {
            let mut c = Conn::new(weir.opts().connect_attribute("weir.flink", name.as_str())).await?;
            c.query::<String, _>("SHOW CURRENT CATALOG").await
        };
        if ok.await.is_ok() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "'{name}' was not used again within 30 s of coming back");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let catalogs: Vec<String> = first.query("SHOW CURRENT CATALOG").await.unwrap();
    assert_eq!(catalogs, vec!["default_catalog".to_string()]);
}
