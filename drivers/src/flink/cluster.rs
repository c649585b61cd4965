//! A local standalone session cluster (JobManager, TaskManager) with its SQL Gateway, run as
//! three detached JVMs with pidfiles, adopted again by a restarted Weir, and supervised.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Deserialize;
use tokio::process::Child;
use tokio::sync::OnceCell;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior, sleep};

use super::conf::{LOG4J_FILE, RenderedConf};
use super::error::FlinkError;
use super::http;
use super::ports::{self, PortConflict, PortUse};
use super::process::{
    Launch, PidRecord, describe_exit, java_binary, last_lines, log_tail, run_tool, terminate,
};
use super::role::FlinkProcess;
use super::spec::{ClusterSpec, PROMETHEUS_PORT_KEY};

/// The SQL Gateway's maximum heap (`-Xmx`).
pub const GATEWAY_HEAP: &str = "512m";

/// How often the supervisor looks at the processes.
const SUPERVISE_INTERVAL: Duration = Duration::from_secs(2);
/// The longest wait between two restarts of a process that keeps dying.
const MAX_RESTART_BACKOFF: Duration = Duration::from_secs(60);
/// How long [`LocalCluster::stop_if_idle`] lets each process shut down before SIGKILL.
const IDLE_STOP_GRACE: Duration = Duration::from_secs(30);
/// How many log lines an error about a dead process carries.
const LOG_TAIL_LINES: usize = 20;

/// The options Flink's shipped configuration puts in `env.java.opts.all` for Java 17 (the same
/// list in 1.20.3 and 2.2.0); only Flink's scripts read that key, so Weir passes them itself.
const JAVA_17_OPTIONS: [&str; 19] = [
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.text=ALL-UNNAMED",
    "--add-opens=java.base/java.time=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
];

/// The state of a cluster as its last observation saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterStatus {
    /// Started (or adopted) but not yet ready for the first time.
    Starting,
    /// All three processes run, the TaskManager is registered and the SQL Gateway answers.
    Ready,
    /// Was ready once; now this process is down, restarting or not answering.
    Degraded {
        /// The (first) process that is not well.
        process: FlinkProcess,
    },
    /// [`LocalCluster::stop`] was called.
    Stopped,
}

/// A job as the JobManager lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JobSummary {
    /// The job id (32 hex digits).
    #[serde(rename = "jid")]
    pub id: String,
    /// The job name.
    pub name: String,
    /// The job status, e.g. `RUNNING` or `FINISHED`.
    pub state: String,
}

impl JobSummary {
    /// Whether the job still holds the cluster: any status but the globally terminal
    /// `FINISHED`, `CANCELED` and `FAILED` (so `RUNNING`, `CREATED`, `RESTARTING`,
    /// `INITIALIZING`, `CANCELLING`, …).
    pub fn is_active(&self) -> bool {
        !matches!(self.state.as_str(), "FINISHED" | "CANCELED" | "FAILED")
    }
}

/// The JobManager's `GET /overview`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ClusterOverview {
    /// Registered TaskManagers.
    pub taskmanagers: u32,
    /// Task slots in total.
    pub slots_total: u32,
    /// Free task slots.
    pub slots_available: u32,
    /// Running jobs.
    pub jobs_running: u32,
    /// The JobManager's Flink version.
    pub flink_version: String,
}

#[derive(Deserialize)]
struct JobsOverview {
    jobs: Vec<JobSummary>,
}

#[derive(Deserialize)]
struct TaskManagers {
    taskmanagers: Vec<TaskManagerEntry>,
}

#[derive(Deserialize)]
struct TaskManagerEntry {
    id: String,
    /// Slots the TaskManager offers; 0 right after registration, before its slot report.
    #[serde(rename = "slotsNumber", default)]
    slots: u32,
}

#[derive(Deserialize)]
struct GatewayInfo {
    version: String,
}

/// The directories of a cluster under its run directory.
struct Layout {
    conf: PathBuf,
    log: PathBuf,
    pids: PathBuf,
    tmp: PathBuf,
}

impl Layout {
    fn new(run_dir: &Path) -> Self {
        Self {
            conf: run_dir.join("conf"),
            log: run_dir.join("log"),
            pids: run_dir.join("pids"),
            tmp: run_dir.join("tmp"),
        }
    }

    fn pidfile(&self, process: FlinkProcess) -> PathBuf {
        pidfile_in(&self.pids, process)
    }

    /// The log4j2 log of a process.
    fn log_file(&self, process: FlinkProcess) -> PathBuf {
        self.log.join(format!("{}.log", process.name()))
    }

    /// Where a process's stdout and stderr go.
    fn out_file(&self, process: FlinkProcess) -> PathBuf {
        self.log.join(format!("{}.out", process.name()))
    }

    /// The last lines of both logs of a process, labelled.
    fn tails(&self, process: FlinkProcess) -> String {
        [self.out_file(process), self.log_file(process)]
            .iter()
            .filter_map(|file| {
                let tail = log_tail(file, LOG_TAIL_LINES);
                (!tail.is_empty()).then(|| format!("--- {} ---\n{tail}", file.display()))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The ports of `processes` (as `spec` fixes them) that cannot be bound now, each with its holder.
fn conflicts_for(spec: &ClusterSpec, processes: &[FlinkProcess]) -> Vec<PortConflict> {
    spec.port_uses()
        .iter()
        .filter(|port_use| processes.contains(&port_use.process) && !ports::is_free(port_use.port))
        .map(ports::conflict)
        .collect()
}

fn pidfile_in(pids_dir: &Path, process: FlinkProcess) -> PathBuf {
    pids_dir.join(format!("{}.pid", process.name()))
}

fn remove_pidfile(path: &Path) {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            tracing::warn!("could not remove {}: {e}", path.display());
        }
        _ => {}
    }
}

/// JVM options and `-D` dynamic options computed by `BashJavaUtils`, as Flink's scripts do.
struct MemoryParams {
    jvm: Vec<String>,
    dynamic: Vec<String>,
}

/// A live process of the cluster; `child` is set when this Weir started it.
struct Running {
    record: PidRecord,
    child: Option<Child>,
}

/// The last exit of a process, numbered so a waiter can tell new exits from old ones.
struct Exit {
    seq: u64,
    status: String,
    log_tail: String,
}

#[derive(Default)]
struct Restarts {
    /// Restarts done, for [`LocalCluster::restart_count`].
    count: u32,
    /// Restart attempts since the cluster was last ready, for the backoff.
    attempts: u32,
    not_before: Option<Instant>,
}

struct State {
    running: BTreeMap<FlinkProcess, Running>,
    status: ClusterStatus,
    ever_ready: bool,
    exit_seq: u64,
    exits: BTreeMap<FlinkProcess, Exit>,
    restarts: BTreeMap<FlinkProcess, Restarts>,
}

/// What one look at the cluster found.
struct Observation {
    /// Processes not running.
    down: Vec<FlinkProcess>,
    /// Processes running but not (yet) healthy, with the reason.
    unhealthy: Vec<(FlinkProcess, String)>,
}

impl Observation {
    fn is_ready(&self) -> bool {
        self.down.is_empty() && self.unhealthy.is_empty()
    }

    fn first_problem(&self) -> Option<FlinkProcess> {
        self.down
            .first()
            .copied()
            .or_else(|| self.unhealthy.first().map(|(process, _)| *process))
    }

    fn describe(&self) -> String {
        self.down
            .iter()
            .map(|process| format!("{process} is not running"))
            .chain(
                self.unhealthy
                    .iter()
                    .map(|(process, reason)| format!("{process}: {reason}")),
            )
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A local Flink cluster: JobManager, TaskManager and SQL Gateway as detached processes with
/// pidfiles under the run directory, so that they outlive Weir and a restarted Weir adopts them.
pub struct LocalCluster {
    spec: ClusterSpec,
    layout: Layout,
    http: reqwest::Client,
    jobmanager_memory: OnceCell<MemoryParams>,
    taskmanager_memory: OnceCell<MemoryParams>,
    state: Mutex<State>,
    stopping: AtomicBool,
    /// Serialises starting processes (supervisor) with stopping them.
    ops: tokio::sync::Mutex<()>,
}

impl LocalCluster {
    /// Adopts the cluster's processes that are alive according to their pidfiles and starts the
    /// missing ones. Fails, before writing or starting anything, when a port needed by a missing
    /// process is held by another process ([`FlinkError::PortsInUse`], naming each port and its
    /// holder), or when live processes run with another configuration than `spec` asks for.
    /// Returns without waiting; see [`Self::wait_ready`].
    pub async fn start_or_adopt(spec: ClusterSpec) -> Result<Arc<LocalCluster>, FlinkError> {
        spec.validate()?;
        let layout = Layout::new(&spec.run_dir);
        for dir in [&layout.conf, &layout.log, &layout.pids, &layout.tmp] {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(FlinkError::io(format!("creating {}", dir.display())))?;
        }

        let mut running = BTreeMap::new();
        for process in FlinkProcess::ALL {
            let pidfile = layout.pidfile(process);
            match PidRecord::read(&pidfile) {
                Some(record) if record.is_alive() => {
                    tracing::info!(
                        "adopting the running {process} of Flink cluster {} (pid {})",
                        spec.name,
                        record.pid
                    );
                    running.insert(
                        process,
                        Running {
                            record,
                            child: None,
                        },
                    );
                }
                Some(_) => remove_pidfile(&pidfile),
                None => {}
            }
        }
        let missing: Vec<FlinkProcess> = FlinkProcess::ALL
            .into_iter()
            .filter(|process| !running.contains_key(process))
            .collect();
        // Check every port before writing or starting anything, so a conflict leaves nothing
        // behind.
        let conflicts = conflicts_for(&spec, &missing);
        if !conflicts.is_empty() {
            return Err(FlinkError::PortsInUse {
                cluster: spec.name,
                conflicts,
            });
        }
        let conf = RenderedConf::render(&spec, &layout.tmp)?;
        if !running.is_empty() && !conf.matches(&layout.conf) {
            return Err(FlinkError::ConfigChanged { cluster: spec.name });
        }
        conf.write(&layout.conf).await?;
        if running.is_empty() {
            // Processes killed earlier leave their temporary files (tens of MB each) behind.
            let tmp_context = || format!("clearing {}", layout.tmp.display());
            tokio::fs::remove_dir_all(&layout.tmp)
                .await
                .map_err(FlinkError::io(tmp_context()))?;
            tokio::fs::create_dir(&layout.tmp)
                .await
                .map_err(FlinkError::io(tmp_context()))?;
        }

        let cluster = Arc::new(LocalCluster {
            http: http::client()?,
            layout,
            jobmanager_memory: OnceCell::new(),
            taskmanager_memory: OnceCell::new(),
            state: Mutex::new(State {
                running,
                status: ClusterStatus::Starting,
                ever_ready: false,
                exit_seq: 0,
                exits: BTreeMap::new(),
                restarts: BTreeMap::new(),
            }),
            stopping: AtomicBool::new(false),
            ops: tokio::sync::Mutex::new(()),
            spec,
        });

        cluster.prepare_memory_params(&missing).await?;
        for process in missing {
            if let Err(e) = cluster.start_process(process).await {
                cluster.stop_started_here().await;
                return Err(e);
            }
        }
        Ok(cluster)
    }

    /// Waits until the cluster is ready: the TaskManager is registered with the JobManager (it is
    /// listed by `GET /taskmanagers`, so `GET /overview` counts at least one) and the SQL Gateway
    /// answers `GET /v1/info`. Fails early, with the exit status and the end of its logs, when a
    /// process exits meanwhile. On failure the processes are left as they are: call
    /// [`Self::stop`] to give up on the cluster.
    pub async fn wait_ready(&self, deadline: Duration) -> Result<(), FlinkError> {
        let started = Instant::now();
        let seen = self.state().exit_seq;
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                return Err(FlinkError::Stopped(self.spec.name.clone()));
            }
            let observation = self.observe().await;
            if observation.is_ready() {
                tracing::info!(
                    "Flink cluster {} is ready ({:.1?})",
                    self.spec.name,
                    started.elapsed()
                );
                return Ok(());
            }
            if let Some(e) = self.exit_after(seen) {
                return Err(e);
            }
            if started.elapsed() >= deadline {
                return Err(FlinkError::NotReady {
                    cluster: self.spec.name.clone(),
                    waited: started.elapsed(),
                    detail: observation.describe(),
                });
            }
            sleep(Duration::from_millis(500)).await;
        }
    }

    /// The ports of `spec` that another process holds, with what is known of each holder: the
    /// ports of the processes not running according to the cluster's pidfiles (so the ports of
    /// its own live processes, which a restarted Weir adopts, do not count). Reads and starts
    /// nothing; [`Self::start_or_adopt`] checks again. Fails when the spec is inconsistent.
    pub fn port_conflicts(spec: &ClusterSpec) -> Result<Vec<PortConflict>, FlinkError> {
        spec.validate()?;
        let pids = Layout::new(&spec.run_dir).pids;
        let missing: Vec<FlinkProcess> = FlinkProcess::ALL
            .into_iter()
            .filter(|&process| {
                !PidRecord::read(&pidfile_in(&pids, process)).is_some_and(|r| r.is_alive())
            })
            .collect();
        Ok(conflicts_for(spec, &missing))
    }

    /// Whether the cluster is this `LocalCluster`'s own right now: its SQL Gateway (what Weir
    /// talks to) is the process it started or adopted and still runs, and no port of the cluster
    /// is listened on by a process that is not one of its own (a foreign JobManager behind its
    /// gateway). A process of its own that is down is the supervisor's business; only the gateway
    /// must run. Cheap: reads `/proc/net/tcp{,6}` and the fds of the cluster's processes.
    pub fn check_owned(&self) -> Result<(), FlinkError> {
        let records: Vec<(FlinkProcess, PidRecord)> = self
            .state()
            .running
            .iter()
            .map(|(process, running)| (*process, running.record.clone()))
            .collect();
        let alive: Vec<&(FlinkProcess, PidRecord)> = records
            .iter()
            .filter(|(_, record)| record.is_alive())
            .collect();
        if !alive
            .iter()
            .any(|(process, _)| *process == FlinkProcess::SqlGateway)
        {
            return Err(FlinkError::NotRunning {
                cluster: self.spec.name.clone(),
                process: FlinkProcess::SqlGateway,
            });
        }
        // The listeners first, then the sockets of the cluster's own processes: a socket one of
        // them opens meanwhile (a restarted TaskManager's metrics reporter) is then among its own
        // when it is among the listeners, never listening yet unknown.
        let port_uses = self.spec.port_uses();
        let listening = ports::listening_inodes_on(&port_uses.iter().map(|u| u.port).collect::<Vec<_>>());
        let listeners: Vec<(&PortUse, std::collections::BTreeSet<u64>)> = port_uses
            .iter()
            .map(|port_use| (port_use, listening.get(&port_use.port).cloned().unwrap_or_default()))
            .collect();
        let ours: std::collections::BTreeSet<u64> = alive
            .iter()
            .flat_map(|(_, record)| ports::socket_inodes_of(record.pid))
            .collect();
        let conflicts: Vec<PortConflict> = listeners
            .iter()
            .filter(|(_, inodes)| !inodes.is_empty() && inodes.is_disjoint(&ours))
            .map(|(port_use, _)| ports::conflict(port_use))
            .collect();
        if conflicts.is_empty() {
            return Ok(());
        }
        Err(FlinkError::PortsInUse {
            cluster: self.spec.name.clone(),
            conflicts,
        })
    }

    /// The status from the last observation (by the supervisor or [`Self::wait_ready`]).
    pub fn status(&self) -> ClusterStatus {
        self.state().status.clone()
    }

    /// The spec the cluster runs with.
    pub fn spec(&self) -> &ClusterSpec {
        &self.spec
    }

    /// The SQL Gateway's base URL, `http://127.0.0.1:<port>`.
    pub fn gateway_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.spec.ports.gateway_rest)
    }

    /// The JobManager's REST base URL, `http://127.0.0.1:<port>`.
    pub fn jobmanager_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.spec.ports.jobmanager_rest)
    }

    /// The jobs the JobManager knows (`GET /jobs/overview`).
    pub async fn running_jobs(&self) -> Result<Vec<JobSummary>, FlinkError> {
        let url = format!("{}/jobs/overview", self.jobmanager_endpoint());
        let overview: JobsOverview = http::get_json(&self.http, url).await?;
        Ok(overview.jobs)
    }

    /// The JobManager's `GET /overview`.
    pub async fn overview(&self) -> Result<ClusterOverview, FlinkError> {
        let url = format!("{}/overview", self.jobmanager_endpoint());
        http::get_json(&self.http, url).await
    }

    /// The Flink version the SQL Gateway reports (`GET /v1/info`).
    pub async fn gateway_version(&self) -> Result<String, FlinkError> {
        let url = format!("{}/v1/info", self.gateway_endpoint());
        let info: GatewayInfo = http::get_json(&self.http, url).await?;
        Ok(info.version)
    }

    /// The pid of a process, when it is running as far as the last observation knows.
    pub fn pid_of(&self, process: FlinkProcess) -> Option<u32> {
        self.state()
            .running
            .get(&process)
            .map(|running| running.record.pid)
    }

    /// The classpath the running process was started with (from its command line), when it
    /// runs.
    pub fn running_classpath(&self, process: FlinkProcess) -> Option<Vec<PathBuf>> {
        let pid = self.pid_of(process)?;
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let mut args = cmdline.split(|&b| b == 0);
        args.by_ref().find(|arg| *arg == b"-classpath")?;
        let classpath = String::from_utf8_lossy(args.next()?).into_owned();
        Some(classpath.split(':').map(PathBuf::from).collect())
    }

    /// Whether `jar` is on the running classpath of all three processes.
    pub fn has_loaded(&self, jar: &Path) -> bool {
        FlinkProcess::ALL.into_iter().all(|process| {
            self.running_classpath(process)
                .is_some_and(|classpath| classpath.iter().any(|entry| entry == jar))
        })
    }

    /// How often the supervisor has restarted a process.
    pub fn restart_count(&self, process: FlinkProcess) -> u32 {
        self.state()
            .restarts
            .get(&process)
            .map_or(0, |restarts| restarts.count)
    }

    /// Starts the supervisor: every ~2 s it checks that each process is alive (pid, start time,
    /// command line) and healthy, and restarts a dead process, with a backoff of 2 s doubling up
    /// to 60 s while it keeps dying. It ends when the cluster is stopped or dropped.
    pub fn spawn_supervisor(self: &Arc<Self>) -> JoinHandle<()> {
        let cluster = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(SUPERVISE_INTERVAL);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(cluster) = cluster.upgrade() else {
                    break;
                };
                if cluster.stopping.load(Ordering::SeqCst) {
                    break;
                }
                cluster.supervise_once().await;
            }
        })
    }

    /// Stops the cluster: SIGTERM to the SQL Gateway, the TaskManager and the JobManager in that
    /// order, each SIGKILLed when still alive after `grace`; removes the pidfiles. The supervisor
    /// ends; this `LocalCluster` cannot be started again (call [`Self::start_or_adopt`]).
    pub async fn stop(&self, grace: Duration) -> Result<(), FlinkError> {
        self.stopping.store(true, Ordering::SeqCst);
        let _ops = self.ops.lock().await;
        let mut running = std::mem::take(&mut self.state().running);
        for process in FlinkProcess::STOP_ORDER {
            if let Some(mut proc) = running.remove(&process) {
                terminate(process, &proc.record, proc.child.as_mut(), grace).await;
            }
            remove_pidfile(&self.layout.pidfile(process));
        }
        self.state().status = ClusterStatus::Stopped;
        tracing::info!("Flink cluster {} stopped", self.spec.name);
        Ok(())
    }

    /// Stops the cluster unless a job still holds it (see [`JobSummary::is_active`]); returns
    /// whether it stopped. Fails when the JobManager cannot be asked.
    pub async fn stop_if_idle(&self) -> Result<bool, FlinkError> {
        let jobs = self.running_jobs().await?;
        if let Some(job) = jobs.iter().find(|job| job.is_active()) {
            tracing::debug!(
                "Flink cluster {} is busy: job {} ({}) is {}",
                self.spec.name,
                job.id,
                job.name,
                job.state
            );
            return Ok(false);
        }
        self.stop(IDLE_STOP_GRACE).await?;
        Ok(true)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Fails when a port `process` needs is taken.
    fn ensure_ports_free(&self, process: FlinkProcess) -> Result<(), FlinkError> {
        let conflicts = conflicts_for(&self.spec, &[process]);
        if conflicts.is_empty() {
            return Ok(());
        }
        Err(FlinkError::PortsInUse {
            cluster: self.spec.name.clone(),
            conflicts,
        })
    }

    /// Starts one process and records it.
    async fn start_process(&self, process: FlinkProcess) -> Result<(), FlinkError> {
        self.ensure_ports_free(process)?;
        let resource_id = (process == FlinkProcess::TaskManager).then(|| {
            let started = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis();
            format!("{}-taskmanager-{started}", self.spec.name)
        });
        let args = self.java_args(process, resource_id.as_deref()).await?;
        let (mut child, record) = Launch {
            process,
            args,
            conf_dir: &self.layout.conf,
            out_file: self.layout.out_file(process),
            resource_id,
        }
        .spawn()?;
        if let Err(e) = record.write(&self.layout.pidfile(process)) {
            // Without a pidfile nobody could find it again.
            if let Err(kill_error) = child.start_kill() {
                tracing::warn!("killing {process} (pid {}): {kill_error}", record.pid);
            }
            return Err(e);
        }
        tracing::info!(
            "started {process} of Flink cluster {} (pid {}, log {})",
            self.spec.name,
            record.pid,
            self.layout.log_file(process).display()
        );
        self.state().running.insert(
            process,
            Running {
                record,
                child: Some(child),
            },
        );
        Ok(())
    }

    /// The `java` arguments of a process.
    async fn java_args(
        &self,
        process: FlinkProcess,
        resource_id: Option<&str>,
    ) -> Result<Vec<String>, FlinkError> {
        let home = &self.spec.home;
        let conf = self.layout.conf.display().to_string();
        let memory = match process {
            FlinkProcess::JobManager | FlinkProcess::TaskManager => {
                Some(self.memory_params(process).await?)
            }
            FlinkProcess::SqlGateway => None,
        };
        let mut args: Vec<String> = match memory {
            Some(memory) => memory.jvm.clone(),
            None => vec![format!("-Xmx{GATEWAY_HEAP}")],
        };
        args.extend(JAVA_17_OPTIONS.iter().map(|option| (*option).to_owned()));
        args.push(format!("-Djava.io.tmpdir={}", self.layout.tmp.display()));
        args.push(format!(
            "-Dlog.file={}",
            self.layout.log_file(process).display()
        ));
        args.push(format!(
            "-Dlog4j.configurationFile={}",
            self.layout.conf.join(LOG4J_FILE).display()
        ));
        let mut classpath = home.lib_jars()?;
        // Before flink-dist, as Flink's scripts order lib/ (connector jars sort before it).
        let dist = classpath.pop();
        classpath.extend(self.spec.extra_jars.iter().cloned());
        classpath.extend(dist);
        if process == FlinkProcess::SqlGateway {
            classpath.push(home.sql_gateway_jar()?);
        }
        let classpath: Vec<String> = classpath
            .iter()
            .map(|jar| jar.display().to_string())
            .collect();
        args.extend(["-classpath".to_owned(), classpath.join(":")]);
        args.push(process.main_class().to_owned());
        if let Some(memory) = memory {
            args.extend(["--configDir".to_owned(), conf]);
            args.extend(memory.dynamic.iter().cloned());
        }
        // The configuration file gives the reporter both ports; each process takes its own.
        if let Some(port) = self.spec.prometheus.and_then(|ports| ports.of(process)) {
            args.extend(["-D".to_owned(), format!("{PROMETHEUS_PORT_KEY}={port}")]);
        }
        if let Some(id) = resource_id {
            args.extend(["-D".to_owned(), format!("taskmanager.resource-id={id}")]);
        }
        Ok(args)
    }

    /// Computes the memory settings of the JobManager and TaskManager among `processes` at once
    /// (each is a JVM run of about a second).
    async fn prepare_memory_params(&self, processes: &[FlinkProcess]) -> Result<(), FlinkError> {
        let prepare = |process| async move {
            if processes.contains(&process) {
                self.memory_params(process).await?;
            }
            Ok::<_, FlinkError>(())
        };
        tokio::try_join!(
            prepare(FlinkProcess::JobManager),
            prepare(FlinkProcess::TaskManager)
        )
        .map(drop)
    }

    /// The memory settings of the JobManager or TaskManager, computed once per cluster (that is,
    /// per configuration written) with `BashJavaUtils`, as `jobmanager.sh`/`taskmanager.sh` do.
    async fn memory_params(&self, process: FlinkProcess) -> Result<&MemoryParams, FlinkError> {
        let (cell, mode) = match process {
            FlinkProcess::TaskManager => (&self.taskmanager_memory, "GET_TM_RESOURCE_PARAMS"),
            _ => (&self.jobmanager_memory, "GET_JM_RESOURCE_PARAMS"),
        };
        cell.get_or_try_init(|| async {
            let error = |detail: String| FlinkError::ResourceParams { process, detail };
            let home = &self.spec.home;
            let classpath = format!(
                "{}:{}",
                home.bash_java_utils_jar()?.display(),
                home.dist_jar()?.display()
            );
            let conf = self.layout.conf.display().to_string();
            let output = run_tool(
                java_binary(),
                [
                    "-classpath",
                    &classpath,
                    "org.apache.flink.runtime.util.bash.BashJavaUtils",
                    mode,
                    "--configDir",
                    &conf,
                ],
                None,
            )
            .await
            .map_err(|e| error(e.to_string()))?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            let results: Vec<&str> = stdout
                .lines()
                .filter_map(|line| line.strip_prefix("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .collect();
            match results[..] {
                [jvm, dynamic] => Ok(MemoryParams {
                    jvm: jvm.split_whitespace().map(str::to_owned).collect(),
                    dynamic: dynamic.split_whitespace().map(str::to_owned).collect(),
                }),
                _ => Err(error(format!(
                    "expected two result lines from BashJavaUtils {mode}, got {}:\n{}",
                    results.len(),
                    last_lines(&stdout, LOG_TAIL_LINES)
                ))),
            }
        })
        .await
    }

    /// Looks at every process (alive? healthy?), records exits and updates the status.
    async fn observe(&self) -> Observation {
        let mut down = Vec::new();
        let mut dead = Vec::new();
        let tm_resource_id = {
            let mut state = self.state();
            for process in FlinkProcess::ALL {
                let Some(running) = state.running.get_mut(&process) else {
                    down.push(process);
                    continue;
                };
                let exited = match running.child.as_mut().map(Child::try_wait) {
                    Some(Ok(Some(_))) => true,
                    _ => !running.record.is_alive(),
                };
                if let Some(running) = exited.then(|| state.running.remove(&process)).flatten() {
                    dead.push((process, running));
                    down.push(process);
                }
            }
            state
                .running
                .get(&FlinkProcess::TaskManager)
                .and_then(|running| running.record.resource_id.clone())
        };
        for (process, running) in dead {
            self.record_exit(process, running).await;
        }

        let mut unhealthy = Vec::new();
        let is_down = |process| down.contains(&process);
        if !is_down(FlinkProcess::JobManager) {
            let url = format!("{}/taskmanagers", self.jobmanager_endpoint());
            match http::get_json::<TaskManagers>(&self.http, url).await {
                Ok(registered) if !is_down(FlinkProcess::TaskManager) => {
                    let ours = registered
                        .taskmanagers
                        .iter()
                        .find(|tm| tm_resource_id.as_ref().is_none_or(|id| &tm.id == id));
                    match ours {
                        None => unhealthy.push((
                            FlinkProcess::TaskManager,
                            "not registered with the JobManager".to_owned(),
                        )),
                        Some(tm) if tm.slots == 0 => unhealthy.push((
                            FlinkProcess::TaskManager,
                            "registered, but its slots are not reported yet".to_owned(),
                        )),
                        Some(_) => {}
                    }
                }
                Ok(_) => {}
                Err(e) => unhealthy.push((FlinkProcess::JobManager, e.to_string())),
            }
        }
        if !is_down(FlinkProcess::SqlGateway)
            && let Err(e) = self.gateway_version().await
        {
            unhealthy.push((FlinkProcess::SqlGateway, e.to_string()));
        }
        let observation = Observation { down, unhealthy };

        let mut state = self.state();
        if !self.stopping.load(Ordering::SeqCst) {
            state.status = if observation.is_ready() {
                state.ever_ready = true;
                ClusterStatus::Ready
            } else {
                match observation.first_problem() {
                    Some(process) if state.ever_ready => ClusterStatus::Degraded { process },
                    _ => ClusterStatus::Starting,
                }
            };
        }
        observation
    }

    /// Records the exit of a process found dead, with its exit status when this Weir started it.
    async fn record_exit(&self, process: FlinkProcess, mut running: Running) {
        let status = match running.child.as_mut() {
            // A process can look dead (its command line gone) a moment before it can be reaped.
            Some(child) => match tokio::time::timeout(Duration::from_secs(2), child.wait()).await {
                Ok(Ok(status)) => describe_exit(status),
                Ok(Err(e)) => format!("exit status unknown: {e}"),
                Err(_) => "exit status unknown: still exiting".to_owned(),
            },
            None => "exit status unknown: not started by this Weir process".to_owned(),
        };
        remove_pidfile(&self.layout.pidfile(process));
        let log_tail = self.layout.tails(process);
        tracing::warn!(
            "{process} of Flink cluster {} (pid {}) exited: {status}",
            self.spec.name,
            running.record.pid
        );
        let mut state = self.state();
        state.exit_seq += 1;
        let seq = state.exit_seq;
        state.exits.insert(
            process,
            Exit {
                seq,
                status,
                log_tail,
            },
        );
    }

    /// The first exit recorded after exit number `seen`, as an error.
    fn exit_after(&self, seen: u64) -> Option<FlinkError> {
        let state = self.state();
        state
            .exits
            .iter()
            .filter(|(_, exit)| exit.seq > seen)
            .min_by_key(|(_, exit)| exit.seq)
            .map(|(process, exit)| FlinkError::ProcessExited {
                cluster: self.spec.name.clone(),
                process: *process,
                status: exit.status.clone(),
                log_tail: exit.log_tail.clone(),
            })
    }

    /// One round of supervision: observe, and restart what is down and due.
    async fn supervise_once(&self) {
        let _ops = self.ops.lock().await;
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        let observation = self.observe().await;
        if observation.is_ready() {
            for restarts in self.state().restarts.values_mut() {
                restarts.attempts = 0;
                restarts.not_before = None;
            }
            return;
        }
        for process in observation.down {
            let now = Instant::now();
            let attempt = {
                let mut state = self.state();
                let restarts = state.restarts.entry(process).or_default();
                if restarts
                    .not_before
                    .is_some_and(|not_before| now < not_before)
                {
                    continue;
                }
                restarts.attempts += 1;
                let backoff = Duration::from_secs(1 << restarts.attempts.min(6));
                restarts.not_before = Some(now + backoff.min(MAX_RESTART_BACKOFF));
                restarts.attempts
            };
            tracing::warn!(
                "restarting {process} of Flink cluster {} (attempt {attempt})",
                self.spec.name
            );
            match self.start_process(process).await {
                Ok(()) => {
                    self.state().restarts.entry(process).or_default().count += 1;
                }
                Err(e) => tracing::error!(
                    "could not restart {process} of Flink cluster {}: {e}",
                    self.spec.name
                ),
            }
        }
    }

    /// Stops the processes this `LocalCluster` started itself (after a failed start).
    async fn stop_started_here(&self) {
        let started: Vec<(FlinkProcess, Running)> = {
            let mut state = self.state();
            let processes: Vec<FlinkProcess> = state
                .running
                .iter()
                .filter(|(_, running)| running.child.is_some())
                .map(|(process, _)| *process)
                .collect();
            processes
                .into_iter()
                .filter_map(|process| state.running.remove(&process).map(|r| (process, r)))
                .collect()
        };
        for (process, mut running) in started {
            terminate(
                process,
                &running.record,
                running.child.as_mut(),
                Duration::from_secs(10),
            )
            .await;
            remove_pidfile(&self.layout.pidfile(process));
        }
    }
}

/// Stops every cluster with pidfiles under `<data_dir>/flink/*/pids` (for `weir flink stop`),
/// in the order SQL Gateway, TaskManager, JobManager, each SIGKILLed when still alive after
/// `grace`. Returns how many clusters had a live process. A Weir server still supervising one
/// of them would restart it: stop the server first.
pub async fn stop_all_in(data_dir: &Path, grace: Duration) -> Result<usize, FlinkError> {
    let clusters_dir = data_dir.join("flink");
    let context = || format!("reading {}", clusters_dir.display());
    let mut entries = match tokio::fs::read_dir(&clusters_dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(FlinkError::io(context())(e)),
    };
    let mut stopped = 0;
    while let Some(entry) = entries
        .next_entry()
        .await
        .map_err(FlinkError::io(context()))?
    {
        let pids = entry.path().join("pids");
        if !pids.is_dir() {
            continue;
        }
        let mut had_live_process = false;
        for process in FlinkProcess::STOP_ORDER {
            let pidfile = pidfile_in(&pids, process);
            if let Some(record) = PidRecord::read(&pidfile) {
                if record.is_alive() {
                    had_live_process = true;
                    terminate(process, &record, None, grace).await;
                }
                remove_pidfile(&pidfile);
            }
        }
        if had_live_process {
            tracing::info!(
                "stopped Flink cluster {}",
                entry.file_name().to_string_lossy()
            );
            stopped += 1;
        }
    }
    Ok(stopped)
}
