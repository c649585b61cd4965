//! Real local Flink clusters: provisioned from PyPI and Maven Central into Weir's default cache
//! (so later runs reuse it), started on free ports, supervised and stopped. These tests fail, and
//! do not skip, when Flink cannot be had.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use weir_drivers::flink::{
    ClusterPorts, ClusterSpec, ClusterStatus, FlinkError, FlinkProcess, LocalCluster,
    default_cache_root, provision, stop_all_in,
};

type TestResult = Result<(), Box<dyn Error>>;

const READY_DEADLINE: Duration = Duration::from_secs(240);
const STOP_GRACE: Duration = Duration::from_secs(30);

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Another test may have installed it already.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// Three distinct ports the OS considers free right now.
fn free_ports() -> Result<ClusterPorts, Box<dyn Error>> {
    let listeners = [
        std::net::TcpListener::bind("127.0.0.1:0")?,
        std::net::TcpListener::bind("127.0.0.1:0")?,
        std::net::TcpListener::bind("127.0.0.1:0")?,
    ];
    Ok(ClusterPorts {
        jobmanager_rest: listeners[0].local_addr()?.port(),
        jobmanager_rpc: listeners[1].local_addr()?.port(),
        gateway_rest: listeners[2].local_addr()?.port(),
    })
}

/// An empty data directory for one test.
fn fresh_data_dir(label: &str) -> Result<PathBuf, Box<dyn Error>> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("flink-{label}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Pids of live processes whose command line mentions `dir` (zombies have an empty one).
fn processes_mentioning(dir: &Path) -> Vec<u32> {
    let needle = dir.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(&needle))
        })
        .collect()
}

/// Kills whatever still runs from a test's directory when the test ends, passed or failed: the
/// processes are detached and would outlive the test otherwise.
struct KillLeftovers(PathBuf);

impl Drop for KillLeftovers {
    fn drop(&mut self) {
        for pid in processes_mentioning(&self.0) {
            eprintln!("killing leftover pid {pid}");
            if let Ok(pid) = libc::pid_t::try_from(pid) {
                // SAFETY: kill(2) has no memory-safety preconditions.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
    }
}

/// A minimal HTTP/1.0 GET returning the JSON body, independent of the code under test.
async fn get_json(port: u16, path: &str) -> Result<serde_json::Value, Box<dyn Error>> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8(response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or("no end of HTTP headers")?;
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return Err(format!("GET {path}: {head}").into());
    }
    Ok(serde_json::from_str(body)?)
}

/// The JobManager's view of one configuration key (`GET /jobmanager/config`).
async fn jobmanager_config(port: u16, key: &str) -> Result<Option<String>, Box<dyn Error>> {
    let config = get_json(port, "/jobmanager/config").await?;
    let entries = config.as_array().ok_or("config is not a list")?;
    Ok(entries
        .iter()
        .find(|entry| entry["key"] == key)
        .and_then(|entry| entry["value"].as_str().map(str::to_owned)))
}

/// Provisions `version`, starts a cluster and waits until it is ready; checks what every version
/// must show.
async fn start_ready_cluster(
    version: &str,
    data_dir: &Path,
) -> Result<(Arc<LocalCluster>, ClusterSpec), Box<dyn Error>> {
    let started = Instant::now();
    let home = provision(version, &default_cache_root()).await?;
    eprintln!("[{version}] provision: {:.1?}", started.elapsed());
    let again = Instant::now();
    assert_eq!(provision(version, &default_cache_root()).await?, home);
    assert!(
        again.elapsed() < Duration::from_secs(1),
        "second provision not cached"
    );

    let name = format!("test-{}", version.replace('.', ""));
    let run_dir = data_dir.join("flink").join(&name);
    let spec = ClusterSpec::new(name, home, run_dir, free_ports()?);
    let started = Instant::now();
    let cluster = LocalCluster::start_or_adopt(spec.clone()).await?;
    cluster.wait_ready(READY_DEADLINE).await?;
    eprintln!("[{version}] cold start to ready: {:.1?}", started.elapsed());
    assert_eq!(cluster.status(), ClusterStatus::Ready);

    let overview = cluster.overview().await?;
    assert!(overview.taskmanagers >= 1, "{overview:?}");
    assert_eq!(overview.slots_total, 4, "{overview:?}");
    assert_eq!(overview.flink_version, version);
    assert_eq!(cluster.gateway_version().await?, version);
    // The gateway answers on the advertised endpoint.
    let info = get_json(spec.ports.gateway_rest, "/v1/info").await?;
    assert_eq!(info["version"], version);
    // A value with a space survived the configuration file's syntax.
    assert_eq!(
        jobmanager_config(
            spec.ports.jobmanager_rest,
            "sql-gateway.session.idle-timeout"
        )
        .await?
        .as_deref(),
        Some("10 min")
    );
    Ok((cluster, spec))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flink_1_20_3_starts_recovers_and_stops() -> TestResult {
    init_tracing();
    let data_dir = fresh_data_dir("1.20.3")?;
    let _cleanup = KillLeftovers(data_dir.clone());
    let (cluster, spec) = start_ready_cluster("1.20.3", &data_dir).await?;
    assert!(spec.run_dir.join("conf/flink-conf.yaml").is_file());
    assert!(!spec.run_dir.join("conf/config.yaml").exists());

    // A restarted Weir adopts the live processes instead of starting new ones.
    let pids = FlinkProcess::ALL.map(|process| cluster.pid_of(process));
    assert!(pids.iter().all(Option::is_some), "{pids:?}");
    let adopted = LocalCluster::start_or_adopt(spec.clone()).await?;
    assert_eq!(
        FlinkProcess::ALL.map(|process| adopted.pid_of(process)),
        pids
    );
    adopted.wait_ready(Duration::from_secs(30)).await?;
    drop(adopted);

    // ... but not with another configuration.
    let mut changed = spec.clone();
    changed.task_slots = 2;
    let refused = LocalCluster::start_or_adopt(changed).await;
    assert!(
        matches!(refused, Err(FlinkError::ConfigChanged { .. })),
        "{:?}",
        refused.err()
    );

    // A port held by another process is refused before anything starts.
    let other_dir = data_dir.join("flink").join("conflict");
    let conflicting = ClusterSpec::new(
        "conflict",
        spec.home.clone(),
        &other_dir,
        ClusterPorts {
            gateway_rest: spec.ports.gateway_rest,
            ..free_ports()?
        },
    );
    let conflicting_spec = conflicting.clone();
    let refused = LocalCluster::start_or_adopt(conflicting).await;
    match refused {
        Err(FlinkError::PortsInUse { conflicts, .. }) => {
            let ports: Vec<(u16, &str)> = conflicts.iter().map(|c| (c.port, c.key)).collect();
            assert_eq!(
                ports,
                vec![(spec.ports.gateway_rest, "sql-gateway.endpoint.rest.port")]
            );
            // The holder is named: the first cluster's SQL Gateway, by its directory.
            let holder = conflicts[0].holder.as_ref().ok_or("no holder named")?;
            assert_eq!(
                holder.pid,
                cluster.pid_of(FlinkProcess::SqlGateway).ok_or("no pid")?
            );
            assert_eq!(holder.flink, Some(FlinkProcess::SqlGateway));
            assert_eq!(
                holder.weir_cluster().map(|(_, dir)| dir),
                Some(data_dir.as_path())
            );
            assert_eq!(LocalCluster::port_conflicts(&conflicting_spec)?, conflicts);
        }
        other => panic!("expected PortsInUse, got {:?}", other.err()),
    }
    cluster.check_owned()?;
    assert!(processes_mentioning(&other_dir).is_empty());

    // The supervisor restarts a killed TaskManager and the cluster becomes ready again.
    let supervisor = cluster.spawn_supervisor();
    let taskmanager = cluster
        .pid_of(FlinkProcess::TaskManager)
        .ok_or("no TaskManager pid")?;
    let killed_at = Instant::now();
    // SAFETY: kill(2) has no memory-safety preconditions.
    assert_eq!(
        unsafe { libc::kill(libc::pid_t::try_from(taskmanager)?, libc::SIGKILL) },
        0
    );
    let mut saw_degraded = false;
    loop {
        let status = cluster.status();
        saw_degraded |= status
            == ClusterStatus::Degraded {
                process: FlinkProcess::TaskManager,
            };
        if saw_degraded
            && status == ClusterStatus::Ready
            && cluster.restart_count(FlinkProcess::TaskManager) >= 1
        {
            break;
        }
        assert!(
            killed_at.elapsed() < READY_DEADLINE,
            "no recovery after the TaskManager was killed: {status:?}, {} restarts",
            cluster.restart_count(FlinkProcess::TaskManager)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "[1.20.3] TaskManager killed to ready again: {:.1?}",
        killed_at.elapsed()
    );
    let restarted = cluster.pid_of(FlinkProcess::TaskManager);
    assert!(restarted.is_some_and(|pid| pid != taskmanager));
    // The JobManager lists the killed TaskManager too until its heartbeat times out.
    let overview = cluster.overview().await?;
    assert!(overview.slots_total >= 4, "{overview:?}");
    assert!(cluster.running_jobs().await?.is_empty());

    // Stop: no job runs, so stop_if_idle stops it.
    assert!(cluster.stop_if_idle().await?);
    supervisor.await?;
    assert_eq!(cluster.status(), ClusterStatus::Stopped);
    assert!(processes_mentioning(&spec.run_dir).is_empty());
    for process in FlinkProcess::ALL {
        assert!(
            !spec.run_dir.join(format!("pids/{process}.pid")).exists(),
            "{process} pidfile left"
        );
    }
    std::fs::remove_dir_all(&data_dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flink_2_2_0_starts_and_stops() -> TestResult {
    init_tracing();
    let data_dir = fresh_data_dir("2.2.0")?;
    let _cleanup = KillLeftovers(data_dir.clone());
    let (cluster, spec) = start_ready_cluster("2.2.0", &data_dir).await?;
    assert!(spec.run_dir.join("conf/config.yaml").is_file());
    assert!(!spec.run_dir.join("conf/flink-conf.yaml").exists());

    // `weir flink stop --data-dir` finds the cluster through its pidfiles.
    assert_eq!(stop_all_in(&data_dir, STOP_GRACE).await?, 1);
    assert!(processes_mentioning(&spec.run_dir).is_empty());
    assert_eq!(stop_all_in(&data_dir, STOP_GRACE).await?, 0);
    cluster.stop(STOP_GRACE).await?;
    std::fs::remove_dir_all(&data_dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_failing_at_start_is_reported_with_its_log() -> TestResult {
    init_tracing();
    let data_dir = fresh_data_dir("failing")?;
    let _cleanup = KillLeftovers(data_dir.clone());
    let home = provision("1.20.3", &default_cache_root()).await?;
    let mut spec = ClusterSpec::new(
        "failing",
        home,
        data_dir.join("flink/failing"),
        free_ports()?,
    );
    // The JobManager and TaskManager cannot create their high-availability services.
    spec.extra_conf
        .insert("high-availability.type".to_owned(), "no-such-ha".to_owned());
    let cluster = LocalCluster::start_or_adopt(spec).await?;
    let started = Instant::now();
    match cluster.wait_ready(READY_DEADLINE).await {
        Err(FlinkError::ProcessExited {
            process,
            status,
            log_tail,
            ..
        }) => {
            eprintln!(
                "[failing] {process} exited after {:.1?}: {status}",
                started.elapsed()
            );
            assert!(status.starts_with("exit code"), "{status}");
            assert!(log_tail.contains("no-such-ha"), "{log_tail}");
        }
        other => panic!("expected ProcessExited, got {other:?}"),
    }
    cluster.stop(STOP_GRACE).await?;
    std::fs::remove_dir_all(&data_dir)?;
    Ok(())
}
