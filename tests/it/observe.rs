//! Monitoring (issue 15): an operator points a load balancer at `/ready` and Prometheus at
//! `/metrics`. `/ready` follows the default cluster's SQL Gateway (here reached through a relay
//! the test can cut), and a `CLUSTER DOWN` rule tells a webhook once; `/health` only says the
//! process answers, and a taken HTTP port stops Weir at start with a message naming it. With the
//! HTTP listener off Weir keeps no metrics, and `WEIR_METRICS` says so. (The counters themselves are checked against a known
//! sequence of statements, parsed by Prometheus's own parser, in
//! conformance/clients/python/test_observe.py.) Prometheus scrapes the managed Flink clusters
//! themselves at the endpoints `SHOW FLINK CLUSTERS` lists: each cluster's JobManager and
//! TaskManager answer with Flink's own metrics.

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::harness::{ExtraWeir, env, free_port, http_status, scratch_dir, server, try_http_get};

/// A TCP relay from a local port to the test run's SQL Gateway: stopping it makes the gateway
/// unreachable for whoever uses the relay's port, starting it again brings it back.
struct Relay {
    port: u16,
    target: String,
    accept: Option<JoinHandle<()>>,
}

impl Relay {
    fn new(target: &str) -> Relay {
        Relay { port: free_port(), target: target.trim_start_matches("http://").trim_end_matches('/').to_string(), accept: None }
    }

    async fn start(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("the relay's port");
        let target = self.target.clone();
        self.accept = Some(tokio::spawn(async move {
            let mut pipes = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                pipes.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Closes the listener and every relayed connection.
    fn stop(&mut self) {
        if let Some(a) = self.accept.take() {
            a.abort();
        }
    }
}

async fn ready(weir: &ExtraWeir) -> (u16, String) {
    http_status(&format!("http://127.0.0.1:{}/ready", weir.http_port)).await.unwrap_or((0, String::new()))
}

/// Polls `/ready` until it answers `code` (30 s at most).
async fn wait_ready(weir: &ExtraWeir, code: u16) -> String {
    let start = Instant::now();
    loop {
        let (got, body) = ready(weir).await;
        if got == code {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "/ready stayed {got} ({body}), expected {code}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn ready_follows_the_default_clusters_gateway_and_health_only_the_process() {
    let mut relay = Relay::new(&env("WEIR_TEST_GATEWAY"));
    relay.start().await;
    let clusters = format!("default_cluster = \"local\"\n[clusters.local]\ngateway = \"http://127.0.0.1:{}\"\n", relay.port);
    let weir = ExtraWeir::start_with(scratch_dir("observe-ready"), &clusters, "[alerts]\ninterval_ms = 300\n").await;
    let body = wait_ready(&weir, 200).await;
    assert!(body.contains("'local'"), "{body}");
    let mut receiver = crate::alerts::Receiver::new();
    receiver.start().await;
    let mut c = weir.connect().await;
    c.query_drop(format!("CREATE ALERT CHANNEL hook TYPE WEBHOOK WITH ('url' = '{}')", receiver.url("/hook"))).await.unwrap();
    c.query_drop("CREATE ALERT RULE down ON CLUSTER DOWN FOR CLUSTER local SEND TO hook").await.unwrap();
    drop(c);

    relay.stop();
    let body = wait_ready(&weir, 503).await;
    assert!(body.contains("'local'") && body.starts_with("not ready"), "names the cluster and why: {body}");
    // The watcher notices within its 5 s round; the rule tells the webhook once while it is down.
    let start = Instant::now();
    while receiver.at("/hook").is_empty() {
        assert!(start.elapsed() < Duration::from_secs(30), "no CLUSTER DOWN alert");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(6)).await;
    let got = receiver.at("/hook");
    assert_eq!(got.len(), 1, "once, not every round: {got:?}");
    assert_eq!((got[0]["rule"].as_str(), got[0]["subject"].as_str(), got[0]["cluster"].as_str()), (Some("down"), Some("local"), Some("local")), "{got:?}");
    assert!(got[0]["reason"].as_str().is_some_and(|r| r.contains("does not answer")), "{got:?}");
    let health = http_status(&format!("http://127.0.0.1:{}/health", weir.http_port)).await;
    assert_eq!(health.map(|h| h.0), Some(200), "the process still answers");
    let metrics = http_status(&format!("http://127.0.0.1:{}/metrics", weir.http_port)).await.expect("/metrics answers");
    assert_eq!(metrics.0, 200);
    assert!(metrics.1.contains("# TYPE weir_statements counter"), "{}", metrics.1);

    relay.start().await;
    wait_ready(&weir, 200).await;
}

/// The rows of `weir_statements_total` in WEIR_METRICS.
async fn statements_counted(c: &mut mysql_async::Conn) -> Vec<(String, String, f64)> {
    c.query("SELECT NAME, LABELS, `VALUE` FROM information_schema.WEIR_METRICS WHERE NAME = 'weir_statements_total'").await.unwrap()
}

#[tokio::test]
async fn with_the_http_listener_off_weir_keeps_no_metrics_and_weir_metrics_says_so() {
    let clusters = format!("default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\n", env("WEIR_TEST_GATEWAY"));
    let mut weir = ExtraWeir::start_with(scratch_dir("observe-off"), &clusters, "").await;
    let mut c = weir.connect().await;
    c.query_drop("SELECT 1").await.unwrap();
    assert!(!statements_counted(&mut c).await.is_empty(), "on by default: the statements are counted");
    drop(c);

    // The operator turns the listener off: metrics go with it.
    weir.kill9();
    let config = weir.dir.join("weir.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let off: String = text.lines().map(|l| if l.starts_with("http_listen") { "http_listen = \"\"".to_string() } else { l.to_string() }).collect::<Vec<_>>().join("\n");
    std::fs::write(&config, off).expect("config");
    weir.start_again().await;
    let mut c = weir.connect().await;
    c.query_drop("SELECT 1").await.unwrap();
    assert_eq!(statements_counted(&mut c).await, vec![], "nothing is kept");
    let warnings: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!((warnings[0].0.as_str(), warnings[0].1), ("Warning", 1289), "{warnings:?}");
    assert!(warnings[0].2.contains("metrics are off") && warnings[0].2.contains("http_listen"), "{warnings:?}");
    assert_eq!(try_http_get(&format!("http://127.0.0.1:{}/health", weir.http_port)).await, None, "nothing listens for HTTP");
}

#[tokio::test]
async fn a_taken_http_port_stops_weir_at_start_naming_it() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("a port to hold");
    let taken = held.local_addr().expect("its address").port();
    let dir = scratch_dir("observe-taken");
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("weir.toml");
    std::fs::write(
        &config,
        format!(
            "default_cluster = \"local\"\n[server]\nlisten = \"127.0.0.1:{}\"\nhttp_listen = \"127.0.0.1:{taken}\"\ndata_dir = \"{}\"\n[clusters.local]\ngateway = \"{}\"\n",
            free_port(),
            dir.join("data").display(),
            env("WEIR_TEST_GATEWAY"),
        ),
    )
    .expect("config");
    let out = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_weir")).arg("serve").arg("--config").arg(&config).output(),
    )
    .await
    .expect("Weir exits instead of serving")
    .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("cannot listen on 127.0.0.1:{taken}")) && stderr.contains("http_listen"), "{stderr}");

    // A bad address in the config is refused before anything starts, naming the key.
    std::fs::write(&config, format!("[server]\nhttp_listen = \"localhost:metrics\"\ndata_dir = \"{}\"\n", dir.join("data").display())).expect("config");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_weir")).arg("serve").arg("--config").arg(&config).output().await.expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("http_listen 'localhost:metrics'"), "{stderr}");
    drop(held);
}

/// A row of SHOW FLINK CLUSTERS: Name, Version, Rest_api, Endpoint, Managed, Status, Sessions,
/// Metrics_endpoints.
type ClusterRow = (String, Option<String>, Option<String>, String, String, String, String, Option<String>);

/// The value of the first sample of `metric` (any labels) in a Prometheus text exposition.
fn sample(exposition: &str, metric: &str) -> Option<f64> {
    exposition
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find(|l| l.strip_prefix(metric).is_some_and(|rest| rest.starts_with(['{', ' '])))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// `GET http://<endpoint>/metrics` once it answers (a reporter starts with its process; 60 s at most).
async fn scrape(endpoint: &str) -> String {
    let start = Instant::now();
    loop {
        if let Some(body) = try_http_get(&format!("http://{endpoint}/metrics")).await {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "nothing answers a scrape at {endpoint}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn prometheus_scrapes_each_managed_clusters_jobmanager_and_taskmanager_where_show_flink_clusters_says() {
    let mut c = server().connect().await;
    let rows: Vec<ClusterRow> = c.query("SHOW FLINK CLUSTERS").await.unwrap();
    let from_schema: Vec<(String, Option<String>)> = c.query("SELECT NAME, METRICS_ENDPOINTS FROM information_schema.FLINK_CLUSTERS ORDER BY NAME").await.unwrap();
    let mut listed: Vec<(String, Option<String>)> = rows.iter().map(|r| (r.0.clone(), r.7.clone())).collect();
    listed.sort();
    assert_eq!(listed, from_schema, "SHOW FLINK CLUSTERS and information_schema.FLINK_CLUSTERS agree");

    // The external cluster runs no reporter of Weir's.
    let nowhere = rows.iter().find(|r| r.0 == "nowhere").expect("the test run's external cluster");
    assert_eq!(nowhere.7, None);
    let managed: Vec<&ClusterRow> = rows.iter().filter(|r| r.4 == "YES").collect();
    if managed.is_empty() && std::env::var("WEIR_TEST_EXTERNAL_FLINK").is_ok() {
        println!("the test run's Flink is another Weir's: no reporter of this Weir's to scrape");
        return;
    }
    let names: Vec<&str> = managed.iter().map(|r| r.0.as_str()).collect();
    assert!(names.contains(&"local") && names.contains(&"v22"), "both test clusters are managed: {names:?}");

    for cluster in managed {
        let (name, version) = (&cluster.0, cluster.1.as_deref().unwrap_or("?"));
        let endpoints = cluster.7.as_deref().unwrap_or_else(|| panic!("{name}: no metrics endpoints"));
        let [jobmanager, taskmanager] = endpoints.split(',').collect::<Vec<_>>()[..] else { panic!("{name}: two endpoints expected, got {endpoints}") };
        assert!(jobmanager.starts_with("127.0.0.1:") && taskmanager.starts_with("127.0.0.1:"), "{endpoints}");

        // The JobManager's reporter: Prometheus's text format with Flink's JobManager metrics.
        let scraped = scrape(jobmanager).await;
        assert!(scraped.contains("# TYPE flink_jobmanager_numRegisteredTaskManagers gauge"), "{name} ({version}) at {jobmanager}:\n{}", scraped.chars().take(2000).collect::<String>());
        let registered = sample(&scraped, "flink_jobmanager_numRegisteredTaskManagers");
        assert!(registered.is_some_and(|n| n >= 1.0), "{name}: the JobManager counts its TaskManager: {registered:?}");
        assert!(sample(&scraped, "flink_taskmanager_Status_JVM_Memory_Heap_Used").is_none(), "{name}: {jobmanager} is the JobManager's alone");

        // The TaskManager's reporter, on the other port: its own metrics, none of the JobManager's.
        let scraped = scrape(taskmanager).await;
        let heap = sample(&scraped, "flink_taskmanager_Status_JVM_Memory_Heap_Used");
        assert!(heap.is_some_and(|bytes| bytes > 0.0), "{name} ({version}) at {taskmanager}: {heap:?}\n{}", scraped.chars().take(2000).collect::<String>());
        assert!(sample(&scraped, "flink_jobmanager_numRegisteredTaskManagers").is_none(), "{name}: {taskmanager} is the TaskManager's alone");
        println!("{name} (Flink {version}): JobManager at {jobmanager} counts {registered:?} TaskManager(s); TaskManager at {taskmanager} uses {heap:?} bytes of heap");
    }
}
