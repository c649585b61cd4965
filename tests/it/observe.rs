//! Monitoring (issue 15): an operator points a load balancer at `/ready` and Prometheus at
//! `/metrics`. `/ready` follows the default cluster's SQL Gateway (here reached through a relay
//! the test can cut), `/health` only says the process answers, and a taken HTTP port stops Weir
//! at start with a message naming it. (The counters themselves are checked against a known
//! sequence of statements, parsed by Prometheus's own parser, in
//! conformance/clients/python/test_observe.py.)

use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::harness::{ExtraWeir, env, free_port, http_status, scratch_dir};

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
    let weir = ExtraWeir::start_with(scratch_dir("observe-ready"), &clusters, "").await;
    let body = wait_ready(&weir, 200).await;
    assert!(body.contains("'local'"), "{body}");

    relay.stop();
    let body = wait_ready(&weir, 503).await;
    assert!(body.contains("'local'") && body.starts_with("not ready"), "names the cluster and why: {body}");
    let health = http_status(&format!("http://127.0.0.1:{}/health", weir.http_port)).await;
    assert_eq!(health.map(|h| h.0), Some(200), "the process still answers");
    let metrics = http_status(&format!("http://127.0.0.1:{}/metrics", weir.http_port)).await.expect("/metrics answers");
    assert_eq!(metrics.0, 200);
    assert!(metrics.1.contains("# TYPE weir_statements counter"), "{}", metrics.1);

    relay.start().await;
    wait_ready(&weir, 200).await;
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
