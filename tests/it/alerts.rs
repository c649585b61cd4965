//! Alerts (issue 15): an operator creates channels to a webhook, a DingTalk robot, a WeCom robot
//! and a mailbox, and rules on job events; a job made to fail in Flink produces exactly the
//! expected messages, each once, at receivers started here — an HTTP server that checks
//! DingTalk's signature as DingTalk documents it, and an SMTP server (aiosmtpd) requiring
//! STARTTLS and AUTH. A receiver that is down gets its messages later; Weir killed with alerts
//! pending delivers them after its restart, once. A job Flink restarts three times a run is
//! counted exactly (Flink's restarts plus Weir's resubmission), its `JOB RESTARTS` rules fire once
//! each, and the window survives a restart of Weir. Bad alert statements get MySQL's errors and
//! record nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{Hmac, Mac};
use mysql_async::prelude::*;
use mysql_async::Conn;
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::harness::{ExtraWeir, env, free_port, http_status, scratch_dir, server, server_error, unique};
use crate::jobs::{sequence_and_sink, start_failing_job, wait_state};

const DINGTALK_SECRET: &str = "SEC-test-secret";

/// A row of SHOW ALERT RULES: name, event, for, send to, template, every, created by.
type RuleRow = (String, String, String, String, Option<String>, Option<String>, String);

/// One POST a receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    body: serde_json::Value,
}

/// An HTTP server standing in for a webhook endpoint and DingTalk's and WeCom's robots: it
/// answers as a robot does (`{"errcode": 0}`), and refuses a DingTalk call whose signature is
/// wrong or older than an hour (errcode 310000, as DingTalk does).
pub struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    bad_signatures: Arc<Mutex<Vec<String>>>,
    task: Option<JoinHandle<()>>,
}

impl Receiver {
    pub fn new() -> Receiver {
        Receiver { port: free_port(), got: Arc::default(), bad_signatures: Arc::default(), task: None }
    }

    pub async fn start(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("the receiver's port");
        let (got, bad) = (self.got.clone(), self.bad_signatures.clone());
        self.task = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (got, bad) = (got.clone(), bad.clone());
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut r = BufReader::new(r);
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
                    let mut length = 0usize;
                    loop {
                        let mut h = String::new();
                        if r.read_line(&mut h).await.unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    let _ = r.read_exact(&mut body).await;
                    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                    let answer = if path == "/dingtalk" && !signature_ok(query) {
                        bad.lock().unwrap().push(target.clone());
                        r#"{"errcode":310000,"errmsg":"sign not match"}"#
                    } else {
                        got.lock().unwrap().push(Received { path: path.to_string(), body });
                        r#"{"errcode":0,"errmsg":"ok"}"#
                    };
                    let reply = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len());
                    let _ = w.write_all(reply.as_bytes()).await;
                });
            }
        }));
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn at(&self, path: &str) -> Vec<serde_json::Value> {
        self.got.lock().unwrap().iter().filter(|r| r.path == path).map(|r| r.body.clone()).collect()
    }
}

/// DingTalk's check: `sign` = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))),
/// `timestamp` (ms) within an hour of now.
fn signature_ok(query: &str) -> bool {
    let params: BTreeMap<String, String> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), percent_decode(v)))
        .collect();
    let (Some(ts), Some(sign)) = (params.get("timestamp"), params.get("sign")) else { return false };
    let Ok(ms) = ts.parse::<i64>() else { return false };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    if (now - ms).abs() > 3_600_000 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(DINGTALK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{ts}\n{DINGTALK_SECRET}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()) == *sign && params.contains_key("access_token")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// aiosmtpd on a port of its own: STARTTLS with the test run's certificate, AUTH required.
struct Smtp {
    port: u16,
    out: PathBuf,
    child: Child,
}

impl Smtp {
    async fn start(dir: &Path) -> Smtp {
        let port = free_port();
        let tls = Path::new(&env("WEIR_TLS_CA")).parent().expect("tls dir").to_path_buf();
        let out = dir.join("mail.jsonl");
        let python = std::env::var("WEIR_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env("HOME")).join(".cache/weir")).join("venv/bin/python");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/alerts/smtp_receiver.py");
        let child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(tls.join("server.pem"))
            .arg(tls.join("server.key"))
            .args(["alerts", "mail-pass"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the SMTP receiver (aiosmtpd, installed by scripts/install-deps.sh)");
        let start = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "the SMTP receiver did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Smtp { port, out, child }
    }

    fn mails(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out).unwrap_or_default().lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn weir_with_fast_alerts(name: &str) -> ExtraWeir {
    let clusters = format!(
        "default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\n",
        env("WEIR_TEST_GATEWAY"),
        server().jobmanager
    );
    ExtraWeir::start_with(scratch_dir(name), &clusters, "[alerts]\ninterval_ms = 300\n").await
}

/// A job that fails in Flink twice (see [`start_failing_job`]), once Weir has given up on it.
async fn failing_job(c: &mut Conn) -> String {
    let job = start_failing_job(c, "alerting").await;
    wait_state(c, &job, "FAILED", Duration::from_secs(120)).await;
    job
}

async fn events(c: &mut Conn, job: &str, names: &[&str]) -> usize {
    let all: Vec<String> = c.exec("SELECT EVENT FROM information_schema.WEIR_JOB_EVENTS WHERE JOB_NAME = ?", (job,)).await.unwrap();
    all.iter().filter(|e| names.contains(&e.as_str())).count()
}

/// Waits until every alert is DELIVERED (60 s at most); returns (rule, channel, subject) of each.
async fn all_delivered(c: &mut Conn, expected: usize) -> Vec<(String, String, String)> {
    let start = Instant::now();
    loop {
        let rows: Vec<(String, String, String, String, String)> =
            c.query("SELECT RULE_NAME, CHANNEL, SUBJECT, STATE, LAST_ERROR FROM information_schema.WEIR_ALERTS ORDER BY ALERT_ID").await.unwrap();
        if rows.len() == expected && rows.iter().all(|r| r.3 == "DELIVERED") {
            return rows.into_iter().map(|r| (r.0, r.1, r.2)).collect();
        }
        assert!(start.elapsed() < Duration::from_secs(60), "alerts not all delivered: {rows:?} (expected {expected})");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn a_failing_job_reaches_a_webhook_dingtalk_wecom_and_a_mailbox_once_each() {
    let weir = weir_with_fast_alerts("alerts-reach").await;
    let mut receiver = Receiver::new();
    receiver.start().await;
    let smtp = Smtp::start(&weir.dir).await;
    let mut c = weir.connect().await;
    c.query_drop(format!("CREATE ALERT CHANNEL hook TYPE WEBHOOK WITH ('url' = '{}')", receiver.url("/hook"))).await.unwrap();
    c.query_drop(format!(
        "CREATE ALERT CHANNEL ding TYPE DINGTALK WITH ('url' = '{}', 'secret' = '{DINGTALK_SECRET}')",
        receiver.url("/dingtalk?access_token=tok")
    ))
    .await
    .unwrap();
    c.query_drop(format!("CREATE ALERT CHANNEL wecom TYPE WECOM WITH ('url' = '{}')", receiver.url("/wecom?key=k"))).await.unwrap();
    c.query_drop(format!(
        "CREATE ALERT CHANNEL mail TYPE EMAIL WITH ('host' = '127.0.0.1', 'port' = '{}', 'from' = 'weir@example.com', 'to' = 'ops@example.com, dba@example.com', 'username' = 'alerts', 'password' = 'mail-pass', 'ca_file' = '{}')",
        smtp.port,
        env("WEIR_TLS_CA")
    ))
    .await
    .unwrap();

    // Each channel's test message is delivered now, and says so.
    for ch in ["hook", "ding", "wecom", "mail"] {
        let row: (String, String, String) = c.query_first(format!("TEST ALERT CHANNEL {ch}")).await.unwrap().unwrap();
        assert_eq!(row.1, "YES", "{ch}: {row:?}");
    }
    assert_eq!(receiver.at("/hook").len(), 1);
    assert_eq!(receiver.at("/dingtalk").len(), 1);
    assert_eq!(receiver.at("/wecom").len(), 1);
    assert_eq!(smtp.mails().len(), 1);

    // Secrets never come back: the signing secret, the mail password, nor the robots' tokens in
    // their URLs (which still say where they point).
    let shown: Vec<(String, String, String, String)> = c.query("SHOW ALERT CHANNELS").await.unwrap();
    assert_eq!(shown.len(), 4);
    assert!(shown.iter().all(|r| !r.2.contains(DINGTALK_SECRET) && !r.2.contains("mail-pass")), "{shown:?}");
    let options = |name: &str| shown.iter().find(|r| r.0 == name).map(|r| r.2.clone()).unwrap_or_default();
    assert!(options("ding").contains(&format!("'url' = '{}'", receiver.url("/dingtalk?access_token=******"))), "{shown:?}");
    assert!(options("wecom").contains(&format!("'url' = '{}'", receiver.url("/wecom?key=******"))), "{shown:?}");

    c.query_drop("CREATE ALERT RULE failures ON JOB FAILED FOR JOBS LIKE 'alerting%' SEND TO hook, ding, wecom, mail TEMPLATE 'job {job} is {state}: {reason}'").await.unwrap();
    c.query_drop("CREATE ALERT RULE recoveries ON JOB RECOVERED SEND TO hook").await.unwrap();
    c.query_drop("CREATE ALERT RULE elsewhere ON JOB FAILED FOR JOBS LIKE 'nothing_matches%' SEND TO hook").await.unwrap();

    let job = failing_job(&mut c).await;
    let failed = events(&mut c, &job, &["failed", "lost"]).await;
    let recovered = events(&mut c, &job, &["recovered"]).await;
    assert!(failed >= 2 && recovered == 1, "failed {failed}, recovered {recovered}");
    let alerts = all_delivered(&mut c, failed * 4 + recovered).await;
    assert!(alerts.iter().all(|(rule, _, subject)| subject == &job && rule != "elsewhere"), "{alerts:?}");

    let hook = receiver.at("/hook");
    let failures: Vec<&serde_json::Value> = hook.iter().filter(|b| b["rule"] == "failures").collect();
    assert_eq!(failures.len(), failed);
    assert!(failures.iter().all(|b| b["subject"] == job.as_str() && b["message"].as_str().unwrap().starts_with(&format!("job {job} is "))), "{failures:?}");
    assert!(failures.iter().any(|b| b["message"].as_str().unwrap().contains("/ by zero")), "the reason is Flink's root cause: {failures:?}");
    assert_eq!(hook.iter().filter(|b| b["rule"] == "recoveries").count(), recovered);
    let ding = receiver.at("/dingtalk");
    assert_eq!(ding.len(), 1 + failed);
    assert!(ding.iter().all(|b| b["msgtype"] == "markdown" && b["markdown"]["title"].is_string()), "{ding:?}");
    assert!(receiver.bad_signatures.lock().unwrap().is_empty(), "every DingTalk call was signed right");
    assert_eq!(receiver.at("/wecom").len(), 1 + failed);
    assert!(receiver.at("/wecom").iter().all(|b| b["markdown"]["content"].as_str().is_some_and(|t| !t.is_empty())));
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1 + failed);
    assert!(mails.iter().all(|m| m["tls"] == true && m["authenticated"] == true && m["user"] == "alerts" && m["to"].as_array().map(Vec::len) == Some(2)), "{mails:?}");

    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

#[tokio::test]
async fn a_receiver_down_and_weir_killed_with_alerts_pending_still_get_each_alert_once() {
    let mut weir = weir_with_fast_alerts("alerts-pending").await;
    let mut receiver = Receiver::new();
    let mut c = weir.connect().await;
    // The webhook's URL carries its token, which no error shows.
    let hook = receiver.url("/hook?team=db&token=hook-token");
    c.query_drop(format!("CREATE ALERT CHANNEL hook TYPE WEBHOOK WITH ('url' = '{hook}', 'timeout_secs' = '2')")).await.unwrap();
    c.query_drop("CREATE ALERT RULE failures ON JOB FAILED SEND TO hook").await.unwrap();
    let tested: (String, String, String) = c.query_first("TEST ALERT CHANNEL hook").await.unwrap().unwrap();
    assert!(tested.1 == "NO" && tested.2.contains("no answer") && !tested.2.contains("hook-token"), "{tested:?}");
    let job = failing_job(&mut c).await;
    let failed = events(&mut c, &job, &["failed", "lost"]).await;

    // Nothing listens: the alerts are queued and retried.
    let start = Instant::now();
    loop {
        let tried: Vec<(String, i64, String)> = c.query("SELECT STATE, ATTEMPTS, LAST_ERROR FROM information_schema.WEIR_ALERTS").await.unwrap();
        if tried.len() == failed && tried.iter().all(|t| t.0 == "PENDING" && t.1 >= 1) {
            assert!(tried.iter().all(|t| t.2.contains("no answer") && !t.2.contains("hook-token")), "{tried:?}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{tried:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    drop(c);
    weir.crash_and_restart().await;
    receiver.start().await;
    let mut c = weir.connect().await;
    all_delivered(&mut c, failed).await;
    // A few more rounds: nothing is sent twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(receiver.at("/hook").len(), failed, "each alert once");
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

/// The restart rules' alerts the receiver got, by rule.
fn by_rule(receiver: &Receiver) -> BTreeMap<String, Vec<serde_json::Value>> {
    let mut out: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for b in receiver.at("/hook") {
        out.entry(b["rule"].as_str().unwrap_or_default().to_string()).or_default().push(b);
    }
    out
}

#[tokio::test]
async fn a_job_flink_restarts_three_times_a_run_fires_each_restart_rule_once_and_weir_keeps_the_window() {
    let mut weir = weir_with_fast_alerts("alerts-restarts").await;
    let mut receiver = Receiver::new();
    receiver.start().await;
    let mut c = weir.connect().await;
    c.query_drop(format!("CREATE ALERT CHANNEL hook TYPE WEBHOOK WITH ('url' = '{}')", receiver.url("/hook"))).await.unwrap();
    // Flink restarts the job three times a run, 1 s apart, then fails it; Weir resubmits it once
    // (a restart of its own), Flink restarts that run three times, then Weir gives up: 3 + 1 + 3.
    c.query_drop("CREATE ALERT RULE over_2 ON JOB RESTARTS > 2 WITHIN 10 MINUTES FOR JOBS LIKE 'flapping%' SEND TO hook").await.unwrap();
    c.query_drop("CREATE ALERT RULE over_6 ON JOB RESTARTS > 6 WITHIN 10 MINUTES FOR JOBS LIKE 'flapping%' SEND TO hook").await.unwrap();
    c.query_drop("CREATE ALERT RULE over_7 ON JOB RESTARTS > 7 WITHIN 10 MINUTES FOR JOBS LIKE 'flapping%' SEND TO hook").await.unwrap();
    let (src, _, _) = sequence_and_sink(&mut c, 1_000_000, 10).await;
    let sink = unique("void");
    c.query_drop(format!("CREATE TABLE {sink} (x BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    let job = unique("flapping");
    c.query_drop(format!(
        "CREATE JOB {job} WITH ('restart-strategy.type' = 'fixed-delay', 'restart-strategy.fixed-delay.attempts' = '3', \
         'restart-strategy.fixed-delay.delay' = '1 s', 'weir.restart.attempts' = '1') AS INSERT INTO {sink} SELECT id / (id - id) FROM {src}"
    ))
    .await
    .unwrap();
    c.query_drop(format!("START JOB {job}")).await.unwrap();
    let failed = wait_state(&mut c, &job, "FAILED", Duration::from_secs(180)).await;
    assert!(failed.reason.contains("gave up after 1 resubmission"), "{failed:?}");

    // The count: every one of Flink's restarts (an event each) and Weir's resubmission.
    let restarts: Option<i64> = c.exec_first("SELECT RESTARTS FROM information_schema.WEIR_JOBS WHERE JOB_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(restarts, Some(7));
    assert_eq!(events(&mut c, &job, &["restarted"]).await, 6);
    assert_eq!(events(&mut c, &job, &["recovered"]).await, 1);
    // The watcher's next sample has it too.
    let (metrics, want) = (format!("http://127.0.0.1:{}/metrics", weir.http_port), format!("weir_job_restarts{{job=\"{job}\"}} 7"));
    let start = Instant::now();
    loop {
        let scraped = http_status(&metrics).await.map(|r| r.1).unwrap_or_default();
        if scraped.contains(&want) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{want} not in {scraped}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // Each rule the count passed fires once; the one it did not pass, never.
    all_delivered(&mut c, 2).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let got = by_rule(&receiver);
    assert_eq!(got.keys().map(String::as_str).collect::<Vec<_>>(), ["over_2", "over_6"], "{got:?}");
    assert!(got.values().all(|v| v.len() == 1 && v[0]["subject"] == job.as_str()), "once each: {got:?}");
    let message = |rule: &str| got[rule][0]["message"].as_str().unwrap_or_default().to_string();
    assert_eq!((got["over_6"][0]["value"].as_str(), got["over_6"][0]["job"].as_str()), (Some("7"), Some(job.as_str())), "the webhook's fields: {got:?}");
    // The count as it was when the rule first held: 3, or 4 when the job daemon recorded Flink's
    // third restart and Weir's resubmission in one tick (it counts once a second, the rules are
    // evaluated every 300 ms here).
    assert!(
        [3, 4].iter().any(|n| message("over_2").starts_with(&format!("Weir: job {job} restarted {n} times (JOB RESTARTS > 2 WITHIN 600 SECONDS)"))),
        "{got:?}"
    );
    assert!(message("over_6").starts_with(&format!("Weir: job {job} restarted 7 times (JOB RESTARTS > 6 WITHIN 600 SECONDS)")), "{got:?}");

    // Weir restarts: the window is the store's, so a rule made now sees the seven restarts at once
    // (and the rules that fired do not fire again).
    drop(c);
    weir.crash_and_restart().await;
    let mut c = weir.connect().await;
    c.query_drop("CREATE ALERT RULE over_5 ON JOB RESTARTS > 5 WITHIN 10 MINUTES FOR JOBS LIKE 'flapping%' SEND TO hook").await.unwrap();
    all_delivered(&mut c, 3).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let got = by_rule(&receiver);
    assert_eq!(got.keys().map(String::as_str).collect::<Vec<_>>(), ["over_2", "over_5", "over_6"], "{got:?}");
    assert!(got.values().all(|v| v.len() == 1), "once each, across the restart: {got:?}");
    assert_eq!(got["over_5"][0]["value"], "7", "{got:?}");
    c.query_drop(format!("DROP JOB {job}")).await.unwrap();
}

#[tokio::test]
async fn a_running_job_that_never_completes_a_checkpoint_fires_checkpoint_age_once_and_a_checkpointing_one_never() {
    let weir = weir_with_fast_alerts("alerts-checkpoint-age").await;
    let mut receiver = Receiver::new();
    receiver.start().await;
    let mut c = weir.connect().await;
    c.query_drop(format!("CREATE ALERT CHANNEL hook TYPE WEBHOOK WITH ('url' = '{}')", receiver.url("/hook"))).await.unwrap();
    c.query_drop("CREATE ALERT RULE stale ON CHECKPOINT AGE > 20 SECONDS FOR JOBS LIKE 'ckpt%' SEND TO hook").await.unwrap();
    let (src, _, _) = sequence_and_sink(&mut c, 1_000_000, 10).await;
    let sink = unique("void");
    c.query_drop(format!("CREATE TABLE {sink} (x BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    let (never, often) = (unique("ckpt_never"), unique("ckpt_often"));
    c.query_drop(format!("CREATE JOB {never} AS INSERT INTO {sink} SELECT id FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE JOB {often} WITH ('execution.checkpointing.interval' = '1 s') AS INSERT INTO {sink} SELECT id FROM {src}")).await.unwrap();
    for job in [&never, &often] {
        c.query_drop(format!("START JOB {job}")).await.unwrap();
        wait_state(&mut c, job, "RUNNING", Duration::from_secs(120)).await;
    }
    let delivered = all_delivered(&mut c, 1).await;
    assert_eq!(delivered, vec![("stale".to_string(), "hook".to_string(), never.clone())]);
    // Several more rounds of the watcher: no repeat without EVERY, and the checkpointing job stays quiet.
    tokio::time::sleep(Duration::from_secs(11)).await;
    let got = receiver.at("/hook");
    assert_eq!(got.len(), 1, "{got:?}");
    let message = got[0]["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("Weir: job {never} has no completed checkpoint for ")), "{message}");
    assert_eq!((got[0]["event"].as_str(), got[0]["job"].as_str()), (Some("CHECKPOINT AGE > 20 SECONDS"), Some(never.as_str())), "{got:?}");
    assert!(got[0]["value"].as_str().and_then(|v| v.parse::<f64>().ok()).is_some_and(|age| age > 20.0), "{got:?}");
    for job in [&never, &often] {
        c.query_drop(format!("STOP JOB {job} WITHOUT SAVEPOINT")).await.unwrap();
        c.query_drop(format!("DROP JOB {job}")).await.unwrap();
    }
}

#[tokio::test]
async fn bad_alert_statements_get_mysql_errors_and_record_nothing() {
    let mut c = server().connect().await;
    let channel = unique("ch");
    let code = |e: mysql_async::Error| server_error(e).code;
    assert_eq!(code(c.query_drop(format!("CREATE ALERT CHANNEL {channel} TYPE PAGER WITH ('url' = 'http://x')")).await.unwrap_err()), 1064);
    assert_eq!(code(c.query_drop(format!("CREATE ALERT CHANNEL {channel} TYPE WEBHOOK WITH ('link' = 'http://x')")).await.unwrap_err()), 1210);
    assert_eq!(code(c.query_drop(format!("CREATE ALERT CHANNEL {channel} TYPE WEBHOOK WITH ('url' = 'gopher://x')")).await.unwrap_err()), 1210);
    assert_eq!(code(c.query_drop(format!("CREATE ALERT CHANNEL {channel} TYPE EMAIL WITH ('host' = 'h', 'from' = 'nobody', 'to' = 'a@b')")).await.unwrap_err()), 1210);
    let shown: Vec<(String, String, String, String)> = c.query(format!("SHOW ALERT CHANNELS LIKE '{channel}'")).await.unwrap();
    assert!(shown.is_empty(), "nothing half-recorded: {shown:?}");

    // An SMTP server that does not answer: the test says why.
    let closed = free_port();
    c.query_drop(format!("CREATE ALERT CHANNEL {channel} TYPE EMAIL WITH ('host' = '127.0.0.1', 'port' = '{closed}', 'from' = 'weir@example.com', 'to' = 'ops@example.com', 'timeout_secs' = '3')")).await.unwrap();
    let row: (String, String, String) = c.query_first(format!("TEST ALERT CHANNEL {channel}")).await.unwrap().unwrap();
    assert_eq!(row.1, "NO");
    assert!(row.2.contains(&format!("127.0.0.1:{closed}")) && row.2.to_lowercase().contains("connection refused"), "{row:?}");
    assert_eq!(code(c.query_drop(format!("CREATE ALERT CHANNEL {channel} TYPE WEBHOOK WITH ('url' = 'http://x')")).await.unwrap_err()), 1050);

    let rule = unique("rule");
    let e = server_error(c.query_drop(format!("CREATE ALERT RULE {rule} ON JOB FAILED SEND TO {channel}, no_such_channel")).await.unwrap_err());
    assert_eq!((e.code, e.message.contains("no_such_channel")), (1305, true), "{e:?}");
    assert_eq!(code(c.query_drop(format!("CREATE ALERT RULE {rule} ON JOB EXPLODED SEND TO {channel}")).await.unwrap_err()), 1064);
    assert_eq!(code(c.query_drop(format!("CREATE ALERT RULE {rule} ON JOB FAILED SEND TO {channel} EVERY 5 MINUTES")).await.unwrap_err()), 1210);
    assert_eq!(code(c.query_drop(format!("CREATE ALERT RULE {rule} ON CLUSTER DOWN FOR CLUSTER no_such_cluster SEND TO {channel}")).await.unwrap_err()), 1210);
    let rules: Vec<RuleRow> = c.query(format!("SHOW ALERT RULES LIKE '{rule}'")).await.unwrap();
    assert!(rules.is_empty(), "{rules:?}");
    // A pattern no job matches yet is allowed: it matches jobs created later.
    c.query_drop(format!("CREATE ALERT RULE {rule} ON CHECKPOINT AGE > 10 MINUTES FOR JOBS LIKE 'not_yet%' SEND TO {channel} EVERY 1 HOUR")).await.unwrap();
    let rules: Vec<RuleRow> = c.query(format!("SHOW ALERT RULES LIKE '{rule}'")).await.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!((rules[0].1.as_str(), rules[0].2.as_str(), rules[0].5.as_deref()), ("CHECKPOINT AGE > 600 SECONDS", "JOBS LIKE 'not_yet%'", Some("3600 SECONDS")));

    // A channel a rule sends to cannot be dropped; the rule first, then the channel.
    assert_eq!(code(c.query_drop(format!("DROP ALERT CHANNEL {channel}")).await.unwrap_err()), 3730);
    c.query_drop(format!("DROP ALERT RULE {rule}")).await.unwrap();
    c.query_drop(format!("DROP ALERT CHANNEL {channel}")).await.unwrap();
    assert_eq!(code(c.query_drop(format!("DROP ALERT CHANNEL {channel}")).await.unwrap_err()), 1305);
    c.query_drop(format!("DROP ALERT CHANNEL IF EXISTS {channel}")).await.unwrap();
    assert_eq!(code(c.query_drop("TEST ALERT CHANNEL no_such_channel").await.unwrap_err()), 1305);
    // The connection is still usable.
    let one: Option<i64> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn two_tenants_alert_rules_hear_only_their_own_jobs_and_neither_sees_the_others_rules_or_channels() {
    let weir = weir_with_fast_alerts("alerts-tenants").await;
    let mut receiver = Receiver::new();
    receiver.start().await;
    let mut root = weir.connect().await;
    root.query_drop("CREATE TENANT acme").await.unwrap();
    root.query_drop("CREATE TENANT globex").await.unwrap();
    for (user, tenant) in [("alert_a", "acme"), ("alert_b", "globex")] {
        root.query_drop(format!("CREATE USER {user} IDENTIFIED BY 'pw' TENANT {tenant}")).await.unwrap();
        root.query_drop(format!("GRANT SELECT, INSERT, CREATE, CREATE JOB, OPERATE JOB, ALERT ADMIN ON *.* TO {user}")).await.unwrap();
    }
    let login = |user: &'static str| {
        let opts = weir.opts().user(Some(user)).pass(Some("pw"));
        async move { Conn::new(opts).await.unwrap_or_else(|e| panic!("{user} logs in: {e}")) }
    };
    let (mut a, mut b) = (login("alert_a").await, login("alert_b").await);
    // Each tenant, and the administrator, hears every job failure it may see on a channel of its own.
    for (c, who) in [(&mut a, "a"), (&mut b, "b"), (&mut root, "root")] {
        c.query_drop(format!("CREATE ALERT CHANNEL hook_{who} TYPE WEBHOOK WITH ('url' = '{}')", receiver.url(&format!("/{who}")))).await.unwrap();
        c.query_drop(format!("CREATE ALERT RULE failures_{who} ON JOB FAILED SEND TO hook_{who}")).await.unwrap();
    }

    // acme's job fails: acme's rule and the administrator's fire, globex's never.
    // acme's job is named in acme's namespace (`acme.name`): so WEIR_JOBS lists it, and its alerts say.
    let job = start_failing_job(&mut a, "alerting").await;
    let named = format!("acme.{job}");
    wait_state(&mut a, &named, "FAILED", Duration::from_secs(120)).await;
    let start = Instant::now();
    while receiver.at("/a").is_empty() || receiver.at("/root").is_empty() {
        assert!(start.elapsed() < Duration::from_secs(60), "acme's and root's alerts: {:?} {:?}", receiver.at("/a"), receiver.at("/root"));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(receiver.at("/a").iter().all(|x| x["job"] == named.as_str()), "{:?}", receiver.at("/a"));
    assert!(receiver.at("/b").is_empty(), "globex heard of acme's job: {:?}", receiver.at("/b"));

    // globex sees none of acme's rules, channels or alerts, and cannot touch them: they do not exist for it.
    let rules: Vec<String> = b.query("SHOW ALERT RULES").await.unwrap().into_iter().map(|r: mysql_async::Row| r.get(0).unwrap()).collect();
    assert_eq!(rules, ["globex.failures_b"]);
    let channels: Vec<String> = b.query("SHOW ALERT CHANNELS").await.unwrap().into_iter().map(|r: mysql_async::Row| r.get(0).unwrap()).collect();
    assert_eq!(channels, ["globex.hook_b"]);
    let alerts: Vec<String> = b.query("SELECT RULE_NAME FROM information_schema.WEIR_ALERTS").await.unwrap();
    assert!(alerts.is_empty(), "{alerts:?}");
    let seen_by_a: Vec<String> = a.query("SELECT DISTINCT RULE_NAME FROM information_schema.WEIR_ALERTS").await.unwrap();
    assert_eq!(seen_by_a, ["acme.failures_a"]);
    for (sql, code) in [
        ("DROP ALERT RULE failures_a", 1305),
        ("DROP ALERT CHANNEL hook_a", 1305),
        ("TEST ALERT CHANNEL hook_a", 1305),
        ("CREATE ALERT RULE borrowed ON JOB FAILED SEND TO hook_a", 1305),
    ] {
        let e = crate::harness::server_error(b.query_drop(sql).await.expect_err(sql));
        assert_eq!(e.code, code, "{sql}: {}", e.message);
        assert!(!e.message.contains("acme") && !e.message.contains("alert_a"), "{sql}: {}", e.message);
    }
    // DROP … IF EXISTS of another tenant's is a Note, as of one that does not exist; nothing is dropped.
    b.query_drop("DROP ALERT RULE IF EXISTS failures_a").await.unwrap();
    let rules: Vec<String> = a.query("SHOW ALERT RULES").await.unwrap().into_iter().map(|r: mysql_async::Row| r.get(0).unwrap()).collect();
    assert_eq!(rules, ["acme.failures_a"]);
    // The administrator sees all three.
    let all: Vec<String> = root.query("SHOW ALERT RULES").await.unwrap().into_iter().map(|r: mysql_async::Row| r.get(0).unwrap()).collect();
    assert_eq!(all.len(), 3, "{all:?}");
    a.query_drop(format!("DROP JOB {job}")).await.unwrap();
}
