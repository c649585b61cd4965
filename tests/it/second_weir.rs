//! A second Weir on the same machine (issue 17): with another data dir but the Flink ports of a
//! cluster someone else runs, it does not use that cluster. Its SHOW FLINK CLUSTERS says which
//! port is taken and by whom, statements fail naming the port, and once the ports are free it
//! starts its own Flink and answers, without a restart.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mysql_async::Conn;
use mysql_async::prelude::*;

use crate::harness::{ExtraWeir, scratch_dir, server, server_error};

/// A row of SHOW FLINK CLUSTERS: Name, Version, Rest_api, Endpoint, Managed, Status, Sessions,
/// Metrics_endpoints.
type ClusterRow = (String, Option<String>, Option<String>, String, String, String, String, Option<String>);

/// The port of a `http://host:port` URL.
fn port_of(url: &str) -> u16 {
    url.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).unwrap_or_else(|| panic!("no port in {url}"))
}

/// The `jobmanager.rpc.port` the test run's cluster `local` was started with, when the test run's
/// Weir manages it (its rendered Flink configuration is in its data dir).
fn test_run_rpc_port() -> Option<u16> {
    let conf = std::fs::read_to_string(server().data_dir.join("flink/local/conf/flink-conf.yaml")).ok()?;
    conf.lines().find_map(|l| l.strip_prefix("jobmanager.rpc.port:")).and_then(|p| p.trim().trim_matches('"').parse().ok())
}

/// `weir flink stop --data-dir <dir>` when dropped: whatever the second Weir started is stopped
/// even when the test fails half-way (declare it before the Weir, so the Weir is killed first).
struct StopsFlinkOnDrop(PathBuf);

impl StopsFlinkOnDrop {
    /// `weir flink stop --data-dir <dir>`: its output when it fails.
    fn stop(&self) -> Result<(), String> {
        let out = Command::new(env!("CARGO_BIN_EXE_weir")).arg("flink").arg("stop").arg("--data-dir").arg(&self.0).output().map_err(|e| e.to_string())?;
        if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
    }
}

impl Drop for StopsFlinkOnDrop {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// A managed cluster `local` of Flink 1.20.3 on the given ports, small and without connectors.
fn cluster_on(rest: u16, rpc: u16, gateway: u16) -> String {
    format!(
        "default_cluster = \"local\"\n[clusters.local]\nversion = \"1.20.3\"\njobmanager_rest_port = {rest}\njobmanager_rpc_port = {rpc}\ngateway_port = {gateway}\ntask_slots = 1\nconnectors = []\n"
    )
}

/// The status of `cluster` once `done` accepts it (polled every half second, up to `limit`).
async fn status_when(c: &mut Conn, cluster: &str, limit: Duration, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let rows: Vec<ClusterRow> = c.query("SHOW FLINK CLUSTERS").await.unwrap();
        let row = rows.into_iter().find(|r| r.0 == cluster).unwrap_or_else(|| panic!("no cluster {cluster}"));
        assert_eq!(row.4, "YES", "Weir manages it");
        if done(&row.5) {
            return row.5;
        }
        assert!(start.elapsed() < limit, "cluster {cluster} still {:?} after {limit:?}", row.5);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A query that needs a Flink job: a bounded batch aggregate.
async fn count_through_flink(c: &mut Conn) -> Result<Option<i64>, mysql_async::Error> {
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await?;
    c.query_first("SELECT COUNT(*) FROM (VALUES (1), (2), (3)) AS t(x)").await
}

#[tokio::test]
async fn a_second_weir_on_the_ports_of_another_weirs_flink_says_so_and_does_not_use_it() {
    let rest = port_of(&server().jobmanager);
    let gateway = port_of(&std::env::var("WEIR_TEST_GATEWAY").expect("WEIR_TEST_GATEWAY"));
    let managed_here = test_run_rpc_port();
    let rpc = managed_here.unwrap_or_else(crate::harness::free_port);
    let dir = scratch_dir("second-weir");
    // Should it ever start a Flink of its own on the test run's ports, it goes at once.
    let _stop = StopsFlinkOnDrop(dir.join("data"));
    let weir = ExtraWeir::start_with(dir.clone(), &cluster_on(rest, rpc, gateway), "").await;
    let mut c = weir.connect().await;

    let status = status_when(&mut c, "local", Duration::from_secs(60), |s| s.starts_with("UNAVAILABLE")).await;
    assert!(status.contains(&format!("{rest} (rest.port)")), "{status}");
    assert!(status.contains(&format!("port {gateway} (sql-gateway.endpoint.rest.port) is in use by another process: pid ")), "{status}");
    assert!(status.contains("Weir starts its own cluster once they are free"), "{status}");
    if managed_here.is_some() {
        let owner = format!("the jobmanager of Flink cluster 'local' of the Weir with data dir {}", server().data_dir.display());
        assert!(status.contains(&owner), "the holder is named: {status}");
    }

    // A statement fails at once with the cluster-unavailable error, naming the port; it never
    // runs on the other Weir's Flink.
    let e = server_error(count_through_flink(&mut c).await.unwrap_err());
    assert_eq!(e.code, 1105, "{}", e.message);
    assert!(e.message.contains("Flink cluster 'local' is unavailable: port") && e.message.contains(&format!("{rest} (rest.port)")), "{}", e.message);
    // It stays honest round after round: the monitor never connects to the foreign gateway.
    let watched = Instant::now();
    while watched.elapsed() < Duration::from_secs(5) {
        let status = status_when(&mut c, "local", Duration::ZERO, |_| true).await;
        assert!(status.starts_with("UNAVAILABLE: port"), "{status}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(!dir.join("data/flink/local/pids/jobmanager.pid").exists(), "nothing was started");
}

#[tokio::test]
async fn a_second_weir_starts_its_own_flink_once_the_ports_are_free() {
    // Someone holds the three ports (this test itself, standing in for another Weir).
    let squatters: Vec<TcpListener> = (0..3).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let [rest, rpc, gateway] = [0, 1, 2].map(|i| squatters[i].local_addr().unwrap().port());
    let dir = scratch_dir("takeover");
    let data = dir.join("data");
    let stop = StopsFlinkOnDrop(data.clone());
    let mut weir = ExtraWeir::start_with(dir.clone(), &cluster_on(rest, rpc, gateway), "").await;
    let mut c = weir.connect().await;

    let status = status_when(&mut c, "local", Duration::from_secs(60), |s| s.starts_with("UNAVAILABLE")).await;
    let me = format!("pid {}", std::process::id());
    let taken = format!("ports {rest} (rest.port), {rpc} (jobmanager.rpc.port) and {gateway} (sql-gateway.endpoint.rest.port) are in use by another process: {me} (");
    assert!(status.starts_with(&format!("UNAVAILABLE: {taken}")), "{status}");
    let e = server_error(count_through_flink(&mut c).await.unwrap_err());
    assert_eq!(e.code, 1105, "{}", e.message);
    assert!(e.message.contains(&taken), "{}", e.message);

    // The other one goes away: this Weir starts its own cluster, no restart needed.
    drop(squatters);
    let freed = Instant::now();
    status_when(&mut c, "local", Duration::from_secs(300), |s| s == "READY").await;
    println!("takeover: READY {:.1?} after the ports were freed", freed.elapsed());
    assert_eq!(count_through_flink(&mut c).await.unwrap(), Some(3));
    assert!(jobmanager_pid_in(&data).is_some(), "the JobManager is this Weir's: its pidfile is in {}", data.display());
    let overview = crate::harness::http_get(&format!("http://127.0.0.1:{rest}/overview")).await;
    assert!(overview.contains("\"flink-version\":\"1.20.3\""), "{overview}");

    drop(c);
    weir.kill9();
    stop.stop().unwrap_or_else(|e| panic!("weir flink stop --data-dir {}: {e}", data.display()));
    assert!(TcpListener::bind(("127.0.0.1", rest)).is_ok(), "the JobManager's port is free again");
}

/// The pid in a data dir's pidfile of the JobManager of cluster `local`.
fn jobmanager_pid_in(data_dir: &Path) -> Option<i64> {
    let text = std::fs::read_to_string(data_dir.join("flink/local/pids/jobmanager.pid")).ok()?;
    serde_json::from_str::<serde_json::Value>(&text).ok()?["pid"].as_i64()
}
