//! One Weir (with its supervised Flink) for the whole test binary.
//!
//! `scripts/test.sh` starts it and exports `WEIR_TEST_ADDR` (and the data dir, JobManager URL,
//! TLS CA). Without those, the harness starts its own the same way, so `cargo test` alone works
//! too (the first run provisions Flink, which takes minutes).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, Opts, OptsBuilder, SslOpts};

pub struct TestServer {
    pub host: String,
    pub port: u16,
    pub data_dir: PathBuf,
    pub jobmanager: String,
    /// The JobManager of the Flink 2.2 cluster (`v22`).
    pub jobmanager_2: String,
    pub tls_ca: PathBuf,
    _child: Option<Child>,
}

static SERVER: OnceLock<TestServer> = OnceLock::new();

pub fn server() -> &'static TestServer {
    SERVER.get_or_init(|| {
        if std::env::var("WEIR_TEST_ADDR").is_err() {
            return start_own();
        }
        from_env(None)
    })
}

pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (scripts/test.sh sets it)"))
}

fn from_env(child: Option<Child>) -> TestServer {
    let addr = env("WEIR_TEST_ADDR");
    let (host, port) = addr.rsplit_once(':').expect("WEIR_TEST_ADDR is host:port");
    TestServer {
        host: host.to_string(),
        port: port.parse().expect("WEIR_TEST_ADDR port"),
        data_dir: PathBuf::from(env("WEIR_TEST_DATA_DIR")),
        jobmanager: env("WEIR_TEST_JOBMANAGER"),
        jobmanager_2: env("WEIR_TEST_JOBMANAGER_2"),
        tls_ca: PathBuf::from(env("WEIR_TLS_CA")),
        _child: child,
    }
}

/// Starts `weir serve` with the test config, like scripts/test.sh does.
fn start_own() -> TestServer {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_weir");
    let cache = std::env::var("WEIR_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").expect("HOME")).join(".cache/weir")
    });
    let run = cache.join("test-run-cargo");
    let status = Command::new("bash")
        .arg(root.join("scripts/test-env.sh"))
        .arg(&run)
        .arg(bin)
        .env("WEIR_TEST_PORT", "33072")
        .status()
        .expect("running scripts/test-env.sh");
    assert!(status.success(), "scripts/test-env.sh failed");
    let env_text = std::fs::read_to_string(run.join("env.sh")).expect("env.sh");
    for line in env_text.lines() {
        if let Some((k, v)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            // SAFETY: set once, before any other thread of this test binary reads these.
            unsafe { std::env::set_var(k, v) };
        }
    }
    let log = std::fs::File::create(run.join("weir.out")).expect("log file");
    let child = Command::new(bin)
        .arg("serve")
        .arg("--config")
        .arg(run.join("weir.toml"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("starting weir");
    let server = from_env(Some(child));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(server.wait_ready(Duration::from_secs(900)));
    server
}

impl TestServer {
    pub fn opts(&self, user: &str, password: &str) -> OptsBuilder {
        OptsBuilder::default()
            .ip_or_hostname(self.host.clone())
            .tcp_port(self.port)
            .user(Some(user))
            .pass(Some(password))
            .prefer_socket(false)
    }

    /// A root connection over plain TCP.
    pub async fn connect(&self) -> Conn {
        Conn::new(self.opts("root", "")).await.expect("root connects")
    }

    pub fn tls(&self) -> SslOpts {
        SslOpts::default().with_root_certs(vec![self.tls_ca.clone().into()])
    }

    pub async fn wait_ready(&self, limit: Duration) {
        /// A row of SHOW FLINK CLUSTERS: Name, Version, Rest_api, Endpoint, Managed, Status, Sessions,
        /// Metrics_endpoints.
        type ClusterRow = (String, Option<String>, Option<String>, String, String, String, String, Option<String>);
        let start = Instant::now();
        loop {
            if let Ok(mut c) = Conn::new(Opts::from(self.opts("root", ""))).await {
                let rows: Vec<ClusterRow> = c.query("SHOW FLINK CLUSTERS").await.unwrap_or_default();
                let managed: Vec<_> = rows.iter().filter(|r| r.4 == "YES").collect();
                if !managed.is_empty() && managed.iter().all(|r| r.5 == "READY") {
                    return;
                }
            }
            assert!(start.elapsed() < limit, "Weir/Flink not ready after {limit:?}");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Jobs as the JobManager's own REST API reports them: (id, name, state).
    pub async fn jobs(&self) -> Vec<(String, String, String)> {
        jobs_of(&self.jobmanager).await
    }
}

/// Jobs of the JobManager at `jobmanager`: (id, name, state).
pub async fn jobs_of(jobmanager: &str) -> Vec<(String, String, String)> {
    {
        let url = format!("{jobmanager}/jobs/overview");
        let body = http_get(&url).await;
        let v: serde_json::Value = serde_json::from_str(&body).expect("JSON from /jobs/overview");
        v["jobs"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|j| {
                        let field = |k: &str| j[k].as_str().unwrap_or("").to_string();
                        (field("jid"), field("name"), field("state"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One HTTP/1.1 request without a body over a TcpStream (the JobManager's REST API on loopback):
/// the response's head and its (de-chunked) body, or None when nothing answers in full.
async fn http_exchange(method: &str, url: &str) -> Option<(String, String)> {
    http_exchange_with(method, url, "").await
}

/// `GET url` as `user` with `password` (HTTP Basic), or without credentials: the status code,
/// the response's head and its body (None when nothing answers in full).
pub async fn http_get_as(url: &str, login: Option<(&str, &str)>) -> Option<(u16, String, String)> {
    use base64::Engine;
    let header = login.map(|(u, p)| format!("Authorization: Basic {}\r\n", base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}")))).unwrap_or_default();
    let (head, body) = http_exchange_with("GET", url, &header).await?;
    let code = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((code, head, body))
}

/// [`http_exchange`] with extra header lines (each ending in CRLF).
async fn http_exchange_with(method: &str, url: &str, headers: &str) -> Option<(String, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://")?;
    let (hostport, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let exchange = async {
        let mut s = tokio::net::TcpStream::connect(hostport).await.ok()?;
        let req = format!("{method} {path} HTTP/1.1\r\nHost: {hostport}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await.ok()?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.ok()?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        let (head, body) = text.split_once("\r\n\r\n")?;
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
        Some((head.to_string(), body))
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), exchange).await.ok().flatten()
}

/// [`http_get`], or None when nothing answers in full (a JobManager that is down or starting).
pub async fn try_http_get(url: &str) -> Option<String> {
    let (head, body) = http_exchange("GET", url).await?;
    head.starts_with("HTTP/1.1 200").then_some(body)
}

/// `GET url`: the status code and the body (None when nothing answers in full).
pub async fn http_status(url: &str) -> Option<(u16, String)> {
    let (head, body) = http_exchange("GET", url).await?;
    let code = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((code, body))
}

/// `PATCH url` (Flink's cancel of a job), whatever it answers.
pub async fn http_patch(url: &str) {
    let _ = http_exchange("PATCH", url).await;
}

/// A minimal HTTP GET over a TcpStream (the JobManager's REST API on loopback).
pub async fn http_get(url: &str) -> String {
    try_http_get(url).await.unwrap_or_else(|| panic!("GET {url} gave no 200 response"))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// The MySQL error a statement failed with (a test failure when it failed otherwise).
pub fn server_error(e: mysql_async::Error) -> mysql_async::ServerError {
    match e {
        mysql_async::Error::Server(s) => s,
        other => panic!("expected a MySQL error packet, got {other}"),
    }
}

/// A table name unique to this test process and call site.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Another Weir process of the test's own, in front of the test run's Flink gateways (as
/// external clusters), with its own data dir and listener; killed with -9 when dropped.
pub struct ExtraWeir {
    pub port: u16,
    /// Its HTTP listener (`/metrics`, `/health`, `/ready`).
    pub http_port: u16,
    pub dir: PathBuf,
    child: Option<Child>,
}

impl ExtraWeir {
    /// Starts one with `extra` appended to its config (e.g. a `[catalog]` section).
    pub async fn start(dir: PathBuf, extra: &str) -> ExtraWeir {
        let clusters = format!(
            "default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\n\n[clusters.v22]\ngateway = \"{}\"\n",
            env("WEIR_TEST_GATEWAY"),
            env("WEIR_TEST_GATEWAY_2"),
        );
        Self::start_with(dir, &clusters, extra).await
    }

    /// Starts one with its own cluster section (`default_cluster` and `[clusters.*]`).
    pub async fn start_with(dir: PathBuf, clusters: &str, extra: &str) -> ExtraWeir {
        Self::launch(dir, clusters, "", extra).await
    }

    /// Starts one in front of the test run's Flink 1.20 gateway with `server` lines added to its
    /// `[server]` section (e.g. `max_connections = 3`).
    pub async fn start_with_server(dir: PathBuf, server: &str) -> ExtraWeir {
        let clusters = format!("default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\n", env("WEIR_TEST_GATEWAY"));
        Self::launch(dir, &clusters, server, "").await
    }

    async fn launch(dir: PathBuf, clusters: &str, server: &str, extra: &str) -> ExtraWeir {
        let port = free_port();
        let http_port = free_port();
        std::fs::create_dir_all(&dir).expect("data dir");
        let (top, tables) = clusters.split_once("\n[").map(|(a, b)| (a.to_string(), format!("[{b}"))).unwrap_or_default();
        let config = format!(
            "{top}\n[server]\nlisten = \"127.0.0.1:{port}\"\nhttp_listen = \"127.0.0.1:{http_port}\"\ndata_dir = \"{}\"\nsession_pool = 0\n{server}\n\n{tables}\n{extra}\n",
            dir.join("data").display(),
        );
        std::fs::write(dir.join("weir.toml"), config).expect("config");
        let mut w = ExtraWeir { port, http_port, dir, child: None };
        w.spawn();
        w.wait().await;
        w
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("weir.out")).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_weir"))
            .arg("serve")
            .arg("--config")
            .arg(self.dir.join("weir.toml"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("starting weir");
        self.child = Some(child);
    }

    async fn wait(&self) {
        let start = Instant::now();
        while Conn::new(self.opts()).await.is_err() {
            assert!(start.elapsed() < Duration::from_secs(60), "Weir on port {} did not come up; see {}/weir.out", self.port, self.dir.display());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn opts(&self) -> OptsBuilder {
        OptsBuilder::default().ip_or_hostname("127.0.0.1").tcp_port(self.port).user(Some("root")).prefer_socket(false)
    }

    pub async fn connect(&self) -> Conn {
        Conn::new(self.opts()).await.expect("root connects to the extra Weir")
    }

    /// `kill -9`, then a fresh start on the same config and data.
    pub async fn crash_and_restart(&mut self) {
        self.kill9();
        self.spawn();
        self.wait().await;
    }

    /// Starts it again after [`Self::kill9`], on the same config and data.
    pub async fn start_again(&mut self) {
        self.spawn();
        self.wait().await;
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for ExtraWeir {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A second Flink SQL Gateway process in front of the test run's Flink 1.20 JobManager, started
/// with the command line and configuration of the gateway Weir supervises, on its own port.
pub struct ExtraGateway {
    pub port: u16,
    command: Vec<String>,
    conf_dir: String,
    log: PathBuf,
    child: Option<Child>,
}

impl ExtraGateway {
    pub async fn start(log: PathBuf) -> ExtraGateway {
        let pidfile = server().data_dir.join("flink/local/pids/sql-gateway.pid");
        let text = std::fs::read_to_string(&pidfile).unwrap_or_else(|e| panic!("{}: {e}", pidfile.display()));
        let pid = serde_json::from_str::<serde_json::Value>(&text).expect("pidfile JSON")["pid"].as_i64().expect("pid");
        let split = |path: String| -> Vec<String> {
            std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")).split(|b| *b == 0).filter(|a| !a.is_empty()).map(|a| String::from_utf8_lossy(a).into_owned()).collect()
        };
        let command = split(format!("/proc/{pid}/cmdline"));
        let conf_dir = split(format!("/proc/{pid}/environ"))
            .into_iter()
            .find_map(|v| v.strip_prefix("FLINK_CONF_DIR=").map(str::to_string))
            .expect("the supervised gateway's FLINK_CONF_DIR");
        let mut g = ExtraGateway { port: free_port(), command, conf_dir, log, child: None };
        g.spawn().await;
        g
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts the process and waits for its REST API.
    pub async fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("gateway log");
        let args: Vec<String> = self
            .command
            .iter()
            .skip(1)
            .map(|a| if a.starts_with("-Dlog.file=") { format!("-Dlog.file={}", self.log.display()) } else { a.clone() })
            .collect();
        let child = Command::new(&self.command[0])
            .args(args)
            .arg(format!("-Dsql-gateway.endpoint.rest.port={}", self.port))
            .env("FLINK_CONF_DIR", &self.conf_dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("starting a second SQL Gateway");
        self.child = Some(child);
        let start = Instant::now();
        loop {
            let ok = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok();
            if ok && http_get(&format!("{}/v1/info", self.url())).await.contains("\"version\"") {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(120), "the second SQL Gateway did not come up; see {}", self.log.display());
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for ExtraGateway {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A directory for a test's own files, fresh for each call.
pub fn scratch_dir(name: &str) -> PathBuf {
    let base = std::env::var("WEIR_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env("HOME")).join(".cache/weir"));
    let dir = base.join("test-scratch").join(unique(name));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `weir <command> --config <a config naming the test server's data dir> <args>`, as an operator
/// runs it beside the server: (succeeded, stdout, stderr).
pub fn cli_on_test_store(command: &str, args: &[&str]) -> (bool, String, String) {
    let dir = scratch_dir(&unique("cli"));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("weir.toml");
    std::fs::write(&config, format!("[server]\ndata_dir = \"{}\"\n", env("WEIR_TEST_DATA_DIR"))).unwrap();
    let mut words: Vec<&str> = command.split(' ').collect();
    words.push("--config");
    let out = Command::new(env!("CARGO_BIN_EXE_weir")).args(&words).arg(&config).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}
