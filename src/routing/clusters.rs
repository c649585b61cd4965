//! The Flink clusters sessions run on: for each, its state (starting, ready, unavailable), the
//! gateway client once ready, and for a managed cluster the provisioning and supervision of its
//! processes. A monitor task per cluster watches the gateway and reconnects after a restart.
//!
//! A managed cluster is used only while it is this Weir's own: it starts only on free ports, and
//! its gateway is talked to only while the processes on its ports are the ones it supervises.
//! When another process (another Weir's cluster, anything) holds a port, the cluster is
//! UNAVAILABLE naming the port and the holder, and the monitor keeps checking: once the ports
//! are free it starts its own cluster (takeover), without a restart of Weir.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};
use weir_drivers::flink::{self, ClusterPorts, ClusterSpec, ConnectorJar, FlinkError, FlinkHome, JobManagerClient, LocalCluster, describe_conflicts};
use weir_drivers::gateway::{CallCounters, FlinkSession, GatewayClient};

use crate::config::{ClusterConfig, StopPolicy};
use crate::error::WeirError;

/// How often the monitor checks a cluster's gateway.
const MONITOR_EVERY: Duration = Duration::from_secs(2);
/// A pooled Flink session older than this is replaced (the gateway expires idle sessions after
/// `sql-gateway.session.idle-timeout`, 10 minutes in Weir's clusters).
const POOLED_SESSION_MAX_AGE: Duration = Duration::from_secs(300);
/// How long a managed cluster that failed to start (for another reason than a taken port) waits
/// before the next attempt, at first; doubled after each failure up to [`START_RETRY_MAX`].
const START_RETRY_FIRST: Duration = Duration::from_secs(10);
const START_RETRY_MAX: Duration = Duration::from_secs(300);
/// How long a managed cluster waits for its processes to be ready once started.
const READY_DEADLINE: Duration = Duration::from_secs(300);

/// The bring-up of a managed cluster across attempts.
#[derive(Default)]
struct Bringup {
    /// The spec once provisioned (provisioning is done once).
    spec: Option<ClusterSpec>,
    /// Why the last attempt did not start the cluster: logged when it changes, not every time.
    last_failure: Option<String>,
    /// Whether the last attempt found ports taken (then each monitor round checks again).
    ports_taken: bool,
    /// Failed attempts in a row (not counting taken ports), for the backoff.
    failures: u32,
    not_before: Option<tokio::time::Instant>,
}

#[derive(Clone)]
enum State {
    Starting(String),
    Ready(GatewayClient),
    Unavailable(String),
}

/// What SHOW FLINK CLUSTERS shows of a cluster.
pub struct ClusterView {
    pub name: String,
    pub flink_version: Option<String>,
    pub api_version: Option<String>,
    pub endpoint: String,
    pub managed: bool,
    pub status: String,
    pub sessions: usize,
    /// The Prometheus scrape endpoints of a managed cluster's JobManager and TaskManager
    /// (`127.0.0.1:18085,127.0.0.1:18086`); `None` without a reporter or for an external cluster.
    pub metrics_endpoints: Option<String>,
}

/// What SHOW CONNECTORS shows of one jar of a cluster's connector set.
pub struct ConnectorView {
    pub connector: String,
    pub version: String,
    /// `group:artifact:version`.
    pub artifact: String,
    /// On the running classpath of the cluster's JobManager, TaskManager and SQL Gateway.
    pub loaded: bool,
}

pub struct Cluster {
    name: String,
    /// The connector jars provisioned for it (empty until provisioned, and for an external one).
    connector_jars: Mutex<Vec<ConnectorJar>>,
    config: ClusterConfig,
    state: watch::Sender<State>,
    local: Mutex<Option<Arc<LocalCluster>>>,
    sessions: AtomicUsize,
    /// Pre-opened Flink sessions, so a new connection does not wait for one to open.
    pool: Mutex<Vec<(FlinkSession, std::time::Instant)>>,
    pool_size: usize,
    /// Its JobManager's REST API: a managed cluster's own, an external one's `jobmanager`.
    jobmanager: Option<JobManagerClient>,
    /// Every SQL Gateway call made for it and how many failed, across reconnections.
    gateway_calls: Arc<CallCounters>,
    /// Weir's result sink is on the managed cluster's classpath (built when it was provisioned).
    result_sink: AtomicBool,
}

impl Cluster {
    /// A pre-opened Flink session, if the pool has a fresh one.
    pub fn take_pooled(&self) -> Option<FlinkSession> {
        let mut pool = self.pool.lock().ok()?;
        while let Some((s, born)) = pool.pop() {
            if born.elapsed() < POOLED_SESSION_MAX_AGE {
                return Some(s);
            }
            tokio::spawn(async move { s.close().await });
        }
        None
    }

    /// Forgets the pooled sessions (the gateway restarted: they no longer exist).
    pub fn clear_pool(&self) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.clear();
        }
    }

    async fn refill_pool(&self, client: &GatewayClient) {
        let missing = {
            let Ok(mut pool) = self.pool.lock() else { return };
            let before = pool.len();
            pool.retain(|(_, born)| born.elapsed() < POOLED_SESSION_MAX_AGE);
            if pool.len() < before {
                debug!(cluster = %self.name, expired = before - pool.len(), "pooled Flink sessions aged out");
            }
            self.pool_size.saturating_sub(pool.len())
        };
        for _ in 0..missing {
            match client.open_session(Some("weir-pool"), &BTreeMap::new()).await {
                Ok(s) => {
                    if let Ok(mut pool) = self.pool.lock() {
                        pool.push((s, std::time::Instant::now()));
                    }
                }
                Err(e) => {
                    debug!(cluster = %self.name, error = %e, "could not pre-open a Flink session");
                    return;
                }
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn managed(&self) -> bool {
        self.config.gateway.is_none()
    }

    pub fn configured_version(&self) -> &str {
        &self.config.version
    }

    /// The Flink version as the cluster's gateway reports it once ready, else as configured.
    pub fn version(&self) -> String {
        match &*self.state.borrow() {
            State::Ready(c) => c.flink_version().to_string(),
            _ => self.config.version.clone(),
        }
    }

    /// Why it is unavailable, when it is (not while it starts).
    pub fn unavailable_reason(&self) -> Option<String> {
        match &*self.state.borrow() {
            State::Unavailable(r) => Some(r.clone()),
            _ => None,
        }
    }

    pub fn is_ready(&self) -> bool {
        matches!(*self.state.borrow(), State::Ready(_))
    }

    /// How long the cluster's TaskManagers may keep running the tasks of a JobManager that died
    /// (its `heartbeat.timeout`): a lost job is resubmitted only after that, so its old tasks
    /// cannot write beside the new ones.
    pub fn orphaned_tasks_for(&self) -> std::time::Duration {
        let default = if self.managed() { weir_drivers::flink::HEARTBEAT_TIMEOUT_MS } else { weir_drivers::flink::FLINK_HEARTBEAT_TIMEOUT_MS };
        let ms = self.config.flink_conf.get("heartbeat.timeout").and_then(|v| v.trim().parse().ok()).unwrap_or(default);
        std::time::Duration::from_millis(ms)
    }

    /// The Flink options the config sets for a managed cluster (`flink_conf`).
    pub fn flink_options(&self) -> BTreeMap<String, String> {
        self.config.flink_conf.clone()
    }

    /// Where this cluster's Weir result sinks connect back to, when queries may send their rows
    /// straight to Weir: a managed cluster (on this machine) with the sink on its classpath.
    pub fn direct_results_host(&self) -> Option<&'static str> {
        let managed = self.config.gateway.is_none();
        (managed && self.config.direct_results && self.result_sink.load(Ordering::Relaxed)).then_some("127.0.0.1")
    }

    /// The cluster's JobManager REST API, when Weir knows it (managed, or `jobmanager` set). A
    /// managed cluster's is known only once this Weir has started (or adopted) the cluster:
    /// before, whatever answers on its port is not Weir's.
    pub fn jobmanager(&self) -> Option<&JobManagerClient> {
        if self.managed() && self.local().is_none() {
            return None;
        }
        self.jobmanager.as_ref()
    }

    fn endpoint(&self) -> String {
        self.config.gateway.clone().unwrap_or_else(|| format!("http://127.0.0.1:{}", self.config.gateway_port))
    }

    /// The gateway client, waiting up to `wait` for a cluster that is still starting. A cluster
    /// that was ready and went down fails at once with a clear error.
    pub async fn client(&self, wait: Duration) -> Result<GatewayClient, WeirError> {
        let mut rx = self.state.subscribe();
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let state = rx.borrow_and_update().clone();
            match state {
                State::Ready(c) => return Ok(c),
                State::Unavailable(reason) => {
                    return Err(WeirError::ClusterUnavailable { cluster: self.name.clone(), reason });
                }
                State::Starting(_) => {}
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => continue,
                _ => return Err(WeirError::ClusterStarting { cluster: self.name.clone(), waited: wait }),
            }
        }
    }

    /// A statement found the gateway unreachable: mark the cluster down until the monitor sees it
    /// answer again.
    pub fn report_unreachable(&self) {
        self.state.send_if_modified(|s| match s {
            State::Ready(_) => {
                *s = State::Unavailable(format!("its SQL Gateway at {} does not answer", self.endpoint()));
                true
            }
            _ => false,
        });
    }

    /// The SQL Gateway calls made for this cluster (by sessions, jobs and the monitor) and how
    /// many failed.
    pub fn gateway_calls(&self) -> &CallCounters {
        &self.gateway_calls
    }

    /// Weir sessions bound to it now.
    pub fn open_sessions(&self) -> usize {
        self.sessions.load(Ordering::Relaxed)
    }

    /// Pre-opened Flink sessions waiting in its pool.
    pub fn pooled_sessions(&self) -> usize {
        self.pool.lock().map(|p| p.len()).unwrap_or(0)
    }

    pub fn session_opened(&self) {
        self.sessions.fetch_add(1, Ordering::Relaxed);
    }

    pub fn session_closed(&self) {
        self.sessions.fetch_sub(1, Ordering::Relaxed);
    }

    pub async fn describe(&self) -> ClusterView {
        let state = self.state.borrow().clone();
        let (flink_version, api_version, status) = match &state {
            State::Ready(c) => (Some(c.flink_version().to_string()), Some(format!("{:?}", c.api_version())), "READY".to_string()),
            State::Starting(p) => (None, None, format!("STARTING: {p}")),
            State::Unavailable(r) => (None, None, format!("UNAVAILABLE: {r}")),
        };
        ClusterView {
            name: self.name.clone(),
            flink_version,
            api_version,
            endpoint: self.endpoint(),
            managed: self.managed(),
            status,
            sessions: self.sessions.load(Ordering::Relaxed),
            metrics_endpoints: self.config.metrics_endpoints(),
        }
    }

    fn set(&self, s: State) {
        self.state.send_replace(s);
    }

    /// Marks the cluster unavailable for `reason`, notifying waiters only when that changes.
    fn set_unavailable(&self, reason: String) {
        self.state.send_if_modified(|s| match s {
            State::Unavailable(r) if *r == reason => false,
            _ => {
                *s = State::Unavailable(reason);
                true
            }
        });
    }

    /// Brings the cluster up (provisioning and starting a managed one), then watches it. A
    /// managed cluster that could not start is tried again: every round while its ports are
    /// taken, with a backoff after other failures.
    async fn run(self: Arc<Self>, data_dir: PathBuf, cache: PathBuf, shutdown: CancellationToken) {
        let mut bringup = Bringup::default();
        let mut not_owned: Option<String> = None;
        loop {
            if self.managed() && self.local().is_none() {
                self.try_start(&mut bringup, &data_dir, &cache).await;
            }
            match self.local() {
                Some(local) => self.watch_managed(&local, &mut not_owned).await,
                None if !self.managed() => self.watch_gateway().await,
                // A managed cluster not started: nothing of it to watch, whatever answers on its
                // ports is not Weir's.
                None => {}
            }
            tokio::select! {
                _ = tokio::time::sleep(MONITOR_EVERY) => {}
                _ = shutdown.cancelled() => return,
            }
        }
    }

    /// One round of watching a managed cluster this Weir started: its gateway is used only while
    /// it is the process Weir supervises and no other process holds a port of the cluster.
    async fn watch_managed(&self, local: &LocalCluster, not_owned: &mut Option<String>) {
        let e = match local.check_owned() {
            Ok(()) => {
                if let Some(reason) = not_owned.take() {
                    info!(cluster = %self.name, was = %reason, "the Flink cluster's SQL Gateway is Weir's own again");
                }
                return self.watch_gateway().await;
            }
            Err(e) => e,
        };
        let reason = match &e {
            FlinkError::PortsInUse { conflicts, .. } => describe_conflicts(conflicts),
            FlinkError::NotRunning { process, .. } => format!("its {process} is not running (Weir restarts it)"),
            other => other.to_string(),
        };
        if not_owned.as_deref() != Some(reason.as_str()) {
            match e {
                FlinkError::NotRunning { .. } => {
                    info!(cluster = %self.name, %reason, "statements to the Flink cluster fail until its SQL Gateway runs again");
                }
                _ => warn!(cluster = %self.name, %reason, "not using the Flink cluster's SQL Gateway: another process holds its ports"),
            }
            *not_owned = Some(reason.clone());
        }
        self.clear_pool();
        self.set_unavailable(reason);
    }

    /// One round of watching the gateway: ping it when ready, else connect to it.
    async fn watch_gateway(&self) {
        let state = self.state.borrow().clone();
        let healthy = match &state {
            State::Ready(c) => c.ping().await.is_ok(),
            _ => false,
        };
        if healthy && let State::Ready(c) = &state {
            self.refill_pool(c).await;
            return;
        }
        self.clear_pool();
        match GatewayClient::connect_counted(&self.endpoint(), self.gateway_calls.clone()).await {
            Ok(c) => {
                info!(cluster = %self.name, version = c.flink_version(), api = ?c.api_version(), "Flink SQL Gateway ready");
                self.refill_pool(&c).await;
                self.set(State::Ready(c));
            }
            Err(e) => {
                let was_ready = matches!(*self.state.borrow(), State::Ready(_));
                if was_ready {
                    warn!(cluster = %self.name, error = %e, "Flink SQL Gateway stopped answering");
                }
                // A managed cluster has finished starting by now; an external one gets no
                // grace: statements fail at once rather than wait.
                self.set(State::Unavailable(format!("its SQL Gateway at {} does not answer: {e}", self.endpoint())));
            }
        }
    }

    /// One attempt to start a managed cluster: provisions it (once), then starts it unless
    /// another process holds one of its ports.
    async fn try_start(&self, b: &mut Bringup, data_dir: &std::path::Path, cache: &std::path::Path) {
        if b.not_before.is_some_and(|t| tokio::time::Instant::now() < t) {
            return;
        }
        let spec = match &b.spec {
            Some(spec) => spec.clone(),
            None => match self.provision(data_dir, cache).await {
                Ok(spec) => {
                    b.spec = Some(spec.clone());
                    spec
                }
                Err(e) => return self.start_failed(b, e.to_string()),
            },
        };
        let conflicts = match LocalCluster::port_conflicts(&spec) {
            Ok(conflicts) => conflicts,
            Err(e) => return self.start_failed(b, e.to_string()),
        };
        if !conflicts.is_empty() {
            return self.ports_taken(b, &conflicts);
        }
        if b.ports_taken {
            info!(cluster = %self.name, "the Flink cluster's ports are free now: starting Weir's own cluster");
        }
        self.set(State::Starting(format!("starting Flink {}", self.config.version)));
        let local = match LocalCluster::start_or_adopt(spec).await {
            Ok(local) => local,
            // Taken between the check and the start.
            Err(FlinkError::PortsInUse { conflicts, .. }) => return self.ports_taken(b, &conflicts),
            Err(e) => return self.start_failed(b, e.to_string()),
        };
        *b = Bringup { spec: b.spec.take(), ..Bringup::default() };
        local.spawn_supervisor();
        if let Ok(mut l) = self.local.lock() {
            *l = Some(local.clone());
        }
        if let Err(e) = local.wait_ready(READY_DEADLINE).await {
            // The supervisor goes on restarting what died; the monitor connects once it answers.
            error!(cluster = %self.name, error = %e, "the Flink cluster did not become ready");
            self.set(State::Unavailable(e.to_string()));
        }
    }

    /// Another process holds ports of the cluster: say so (logged once per change, not every
    /// round), and check again next round.
    fn ports_taken(&self, b: &mut Bringup, conflicts: &[flink::PortConflict]) {
        let reason = format!(
            "{}; Weir starts its own cluster once {} free",
            describe_conflicts(conflicts),
            if conflicts.len() == 1 { "it is" } else { "they are" }
        );
        if b.last_failure.as_deref() != Some(reason.as_str()) {
            warn!(cluster = %self.name, %reason, "not starting the Flink cluster, and not using what listens on its ports");
        }
        b.last_failure = Some(reason.clone());
        b.ports_taken = true;
        self.set_unavailable(reason);
    }

    /// An attempt failed for another reason than taken ports: retry after a backoff; log the
    /// error when it is a new one.
    fn start_failed(&self, b: &mut Bringup, reason: String) {
        b.failures += 1;
        b.ports_taken = false;
        let wait = START_RETRY_FIRST.saturating_mul(1 << b.failures.saturating_sub(1).min(8)).min(START_RETRY_MAX);
        b.not_before = Some(tokio::time::Instant::now() + wait);
        if b.last_failure.as_deref() == Some(reason.as_str()) {
            debug!(cluster = %self.name, error = %reason, retry_in = ?wait, "could not start the Flink cluster, again");
        } else {
            error!(cluster = %self.name, error = %reason, retry_in = ?wait, "could not start the Flink cluster");
        }
        b.last_failure = Some(reason.clone());
        self.set_unavailable(reason);
    }

    /// Provisions the cluster's Flink home and connector jars (from the cache when there) and
    /// returns what to run.
    async fn provision(&self, data_dir: &std::path::Path, cache: &std::path::Path) -> Result<ClusterSpec, FlinkError> {
        let version = self.config.version.clone();
        let home = match &self.config.home {
            Some(h) => FlinkHome::from_existing(h)?,
            None => {
                self.set(State::Starting(format!("provisioning Flink {version}")));
                info!(cluster = %self.name, %version, "provisioning Flink (first start downloads it; later starts reuse the cache)");
                flink::provision(&version, cache).await?
            }
        };
        let wanted = self.config.connector_set();
        let jars = if wanted.is_empty() {
            Vec::new()
        } else {
            self.set(State::Starting(format!("provisioning the connectors of Flink {version}")));
            flink::provision_connectors(&version, &wanted, cache).await?
        };
        let mut extra_jars: Vec<PathBuf> = Vec::new();
        for jar in &jars {
            if !extra_jars.contains(&jar.path) {
                extra_jars.push(jar.path.clone());
            }
        }
        if let Ok(mut j) = self.connector_jars.lock() {
            *j = jars;
        }
        if self.config.direct_results {
            match flink::build_result_sink(&home, cache).await {
                Ok(jar) => {
                    extra_jars.push(jar);
                    self.result_sink.store(true, Ordering::Relaxed);
                }
                Err(e) => {
                    warn!(cluster = %self.name, error = %e, "could not build Weir's result sink: query results will come through the SQL Gateway");
                    self.result_sink.store(false, Ordering::Relaxed);
                }
            }
        }
        Ok(ClusterSpec {
            name: self.name.clone(),
            version,
            home,
            run_dir: data_dir.join("flink").join(&self.name),
            ports: ClusterPorts {
                jobmanager_rest: self.config.jobmanager_rest_port,
                jobmanager_rpc: self.config.jobmanager_rpc_port,
                gateway_rest: self.config.gateway_port,
            },
            task_slots: self.config.task_slots,
            jobmanager_memory: self.config.jobmanager_memory.clone(),
            taskmanager_memory: self.config.taskmanager_memory.clone(),
            extra_conf: self.config.flink_conf.clone(),
            extra_jars,
            prometheus: self.config.prometheus_ports(),
        })
    }

    /// Applies the exit policy to a managed cluster.
    pub async fn on_exit(&self, policy: StopPolicy) {
        let local = self.local.lock().ok().and_then(|l| l.clone());
        let Some(local) = local else { return };
        let grace = Duration::from_secs(20);
        match policy {
            StopPolicy::Never => info!(cluster = %self.name, "leaving the Flink cluster running"),
            StopPolicy::Always => {
                if let Err(e) = local.stop(grace).await {
                    warn!(cluster = %self.name, error = %e, "stopping the Flink cluster");
                }
            }
            StopPolicy::Idle => match local.stop_if_idle().await {
                Ok(true) => info!(cluster = %self.name, "stopped the idle Flink cluster"),
                Ok(false) => info!(cluster = %self.name, "jobs are running: leaving the Flink cluster up (weir flink stop stops it)"),
                Err(e) => warn!(cluster = %self.name, error = %e, "checking the Flink cluster before exit"),
            },
        }
    }

    /// The cluster's connector set, one entry per connector and jar: as provisioned, or as
    /// configured (not loaded) before provisioning.
    pub fn connectors(&self) -> Vec<ConnectorView> {
        let jars = self.connector_jars.lock().map(|j| j.clone()).unwrap_or_default();
        let local = self.local();
        if jars.is_empty() {
            return self
                .config
                .connector_set()
                .into_iter()
                .flat_map(|c| flink::artifacts(&self.config.version, c).unwrap_or_default().iter().map(move |a| (c, *a)))
                .map(|(c, a)| ConnectorView { connector: c.name().to_string(), version: a.version.to_string(), artifact: a.coordinates(), loaded: false })
                .collect();
        }
        jars.iter()
            .map(|j| ConnectorView {
                connector: j.connector.name().to_string(),
                version: j.artifact.version.to_string(),
                artifact: j.artifact.coordinates(),
                loaded: local.as_ref().is_some_and(|l| l.has_loaded(&j.path)),
            })
            .collect()
    }

    /// The supervised processes (for tests that kill one).
    pub fn local(&self) -> Option<Arc<LocalCluster>> {
        self.local.lock().ok().and_then(|l| l.clone())
    }
}

/// A client for a cluster's JobManager REST API: `jobmanager` if set, else a managed cluster's
/// local port; an external cluster without `jobmanager` has none.
fn jobmanager_client(name: &str, config: &ClusterConfig) -> Option<JobManagerClient> {
    let endpoint = match (&config.jobmanager, &config.gateway) {
        (Some(url), _) => url.clone(),
        (None, None) => format!("http://127.0.0.1:{}", config.jobmanager_rest_port),
        (None, Some(_)) => return None,
    };
    match JobManagerClient::new(&endpoint) {
        Ok(c) => Some(c),
        Err(e) => {
            warn!(cluster = name, error = %e, "no JobManager REST client");
            None
        }
    }
}

/// All configured clusters.
pub struct Clusters {
    by_name: BTreeMap<String, Arc<Cluster>>,
}

impl Clusters {
    pub fn new(configs: &BTreeMap<String, ClusterConfig>, pool_size: usize) -> Self {
        let by_name = configs
            .iter()
            .map(|(name, config)| {
                let initial = if config.gateway.is_some() { "connecting" } else { "waiting to start" };
                let (tx, _) = watch::channel(State::Starting(initial.to_string()));
                let c = Cluster {
                    name: name.clone(),
                    connector_jars: Mutex::new(Vec::new()),
                    config: config.clone(),
                    state: tx,
                    local: Mutex::new(None),
                    sessions: AtomicUsize::new(0),
                    pool: Mutex::new(Vec::new()),
                    pool_size,
                    jobmanager: jobmanager_client(name, config),
                    gateway_calls: Arc::default(),
                    result_sink: AtomicBool::new(false),
                };
                (name.clone(), Arc::new(c))
            })
            .collect();
        Self { by_name }
    }

    /// Starts every cluster's bring-up and monitor.
    pub fn start(&self, data_dir: PathBuf, cache: PathBuf, shutdown: CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
        self.by_name
            .values()
            .map(|c| tokio::spawn(c.clone().run(data_dir.clone(), cache.clone(), shutdown.clone())))
            .collect()
    }

    pub fn get(&self, name: &str) -> Option<Arc<Cluster>> {
        self.by_name.get(name).cloned()
    }

    pub fn all(&self) -> Vec<Arc<Cluster>> {
        self.by_name.values().cloned().collect()
    }

    /// A cluster by name, or by version prefix: `'2'` and `'2.2'` match 2.2.0 (whole
    /// dot-separated parts; `'1.2'` does not match 1.20.3). Among several clusters of a version,
    /// the newest healthy one wins.
    pub fn resolve(&self, spec: &str) -> Result<Arc<Cluster>, WeirError> {
        if let Some(c) = self.by_name.get(spec) {
            return Ok(c.clone());
        }
        let wanted: Vec<&str> = spec.split('.').collect();
        let mut candidates: Vec<(bool, Vec<u64>, Arc<Cluster>)> = self
            .by_name
            .values()
            .filter_map(|c| {
                let version = c.version();
                let parts: Vec<&str> = version.split('.').collect();
                let matches = wanted.len() <= parts.len() && wanted.iter().zip(&parts).all(|(w, p)| w == p);
                matches.then(|| (c.is_ready(), version_key(&version), c.clone()))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
        candidates.into_iter().next().map(|(_, _, c)| c).ok_or_else(|| WeirError::UnknownCluster(spec.to_string()))
    }
}

fn version_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}
