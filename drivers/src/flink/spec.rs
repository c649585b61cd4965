//! What a local cluster is asked to be ([`ClusterSpec`]): its name, Flink home, directory,
//! [`ClusterPorts`], task slots, memory and extra Flink options, and the check that these are
//! consistent. The cluster runs it; the configuration directory is rendered from it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::error::FlinkError;
use super::ports::PortUse;
use super::provision::FlinkHome;
use super::role::FlinkProcess;

/// Task slots of the TaskManager unless the spec says otherwise.
pub const DEFAULT_TASK_SLOTS: u32 = 4;
/// `jobmanager.memory.process.size` unless the spec says otherwise.
pub const DEFAULT_JOBMANAGER_MEMORY: &str = "1024m";
/// `taskmanager.memory.process.size` unless the spec says otherwise.
pub const DEFAULT_TASKMANAGER_MEMORY: &str = "1536m";

/// The ports of a local cluster; all listen on localhost only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterPorts {
    /// The JobManager's REST API and web UI (`rest.port`).
    pub jobmanager_rest: u16,
    /// The JobManager's RPC port, which the TaskManager connects to (`jobmanager.rpc.port`).
    pub jobmanager_rpc: u16,
    /// The SQL Gateway's REST API (`sql-gateway.endpoint.rest.port`).
    pub gateway_rest: u16,
}

impl Default for ClusterPorts {
    /// Flink's own defaults: 8081, 6123 and 8083.
    fn default() -> Self {
        Self {
            jobmanager_rest: 8081,
            jobmanager_rpc: 6123,
            gateway_rest: 8083,
        }
    }
}

/// The ports of the Prometheus reporter (`flink-metrics-prometheus`, reporter `prom`): each
/// process answers Prometheus's scrape (`GET /metrics`) on its own port, so which port is whose
/// is fixed (Flink's own range form would let each process take the next free port of a range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrometheusPorts {
    /// The JobManager's scrape port.
    pub jobmanager: u16,
    /// The TaskManager's scrape port.
    pub taskmanager: u16,
}

impl PrometheusPorts {
    /// The ports as Flink's `metrics.reporter.prom.port` takes them: `9249-9250` for two
    /// neighbours, else `9249,9300`.
    pub fn flink_range(&self) -> String {
        let (low, high) = (
            self.jobmanager.min(self.taskmanager),
            self.jobmanager.max(self.taskmanager),
        );
        if high.checked_sub(low) == Some(1) {
            format!("{low}-{high}")
        } else {
            format!("{},{}", self.jobmanager, self.taskmanager)
        }
    }

    /// The port of `process`; the SQL Gateway has none.
    pub fn of(&self, process: FlinkProcess) -> Option<u16> {
        match process {
            FlinkProcess::JobManager => Some(self.jobmanager),
            FlinkProcess::TaskManager => Some(self.taskmanager),
            FlinkProcess::SqlGateway => None,
        }
    }
}

/// The Flink option of the Prometheus reporter's port.
pub const PROMETHEUS_PORT_KEY: &str = "metrics.reporter.prom.port";

/// Options of `extra_conf` that fix a port a process listens on (Flink chooses a free one
/// unless they are set): a single non-zero number is checked like the [`ClusterPorts`].
const EXTRA_PORT_OPTIONS: [(&str, FlinkProcess); 3] = [
    ("blob.server.port", FlinkProcess::JobManager),
    ("taskmanager.rpc.port", FlinkProcess::TaskManager),
    ("taskmanager.data.port", FlinkProcess::TaskManager),
];

/// What to run: a cluster of one JobManager, one TaskManager and a SQL Gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSpec {
    /// The cluster's name, used in logs and errors (letters, digits, `.`, `_`, `-`).
    pub name: String,
    /// The Flink version; must be the version of `home`.
    pub version: String,
    /// Where the jars are.
    pub home: FlinkHome,
    /// The cluster's own directory (`<data_dir>/flink/<name>`): `conf/`, `log/`, `pids/`, `tmp/`.
    pub run_dir: PathBuf,
    /// The ports.
    pub ports: ClusterPorts,
    /// `taskmanager.numberOfTaskSlots`.
    pub task_slots: u32,
    /// `jobmanager.memory.process.size`, e.g. `1024m`.
    pub jobmanager_memory: String,
    /// `taskmanager.memory.process.size`, e.g. `1536m`.
    pub taskmanager_memory: String,
    /// More Flink options; they may override `parallelism.default` and
    /// `sql-gateway.session.idle-timeout` but not what the other fields determine.
    pub extra_conf: BTreeMap<String, String>,
    /// Jars put on the classpath of all three processes after the home's `lib/` (the cluster's
    /// connector set, see [`super::provision_connectors`]).
    pub extra_jars: Vec<PathBuf>,
    /// The Prometheus reporter's ports, when the JobManager and TaskManager run it (its jar,
    /// `flink-metrics-prometheus`, must be among `extra_jars`); `None`: no reporter.
    pub prometheus: Option<PrometheusPorts>,
}

impl ClusterSpec {
    /// A spec with the default slots and memory ([`DEFAULT_TASK_SLOTS`],
    /// [`DEFAULT_JOBMANAGER_MEMORY`], [`DEFAULT_TASKMANAGER_MEMORY`]) and no extra options.
    pub fn new(
        name: impl Into<String>,
        home: FlinkHome,
        run_dir: impl Into<PathBuf>,
        ports: ClusterPorts,
    ) -> Self {
        Self {
            name: name.into(),
            version: home.version().to_owned(),
            home,
            run_dir: run_dir.into(),
            ports,
            task_slots: DEFAULT_TASK_SLOTS,
            jobmanager_memory: DEFAULT_JOBMANAGER_MEMORY.to_owned(),
            taskmanager_memory: DEFAULT_TASKMANAGER_MEMORY.to_owned(),
            extra_conf: BTreeMap::new(),
            extra_jars: Vec::new(),
            prometheus: None,
        }
    }

    /// The fixed ports the cluster's processes listen on: the [`ClusterPorts`], the Prometheus
    /// reporter's ([`PrometheusPorts`]) when it runs, and the ports `extra_conf` fixes
    /// (`blob.server.port`, `taskmanager.rpc.port`, `taskmanager.data.port` when set to one
    /// non-zero number; a range or 0 lets Flink choose).
    pub fn port_uses(&self) -> Vec<PortUse> {
        let ports = &self.ports;
        let mut uses = vec![
            PortUse {
                port: ports.jobmanager_rest,
                key: "rest.port",
                process: FlinkProcess::JobManager,
            },
            PortUse {
                port: ports.jobmanager_rpc,
                key: "jobmanager.rpc.port",
                process: FlinkProcess::JobManager,
            },
            PortUse {
                port: ports.gateway_rest,
                key: "sql-gateway.endpoint.rest.port",
                process: FlinkProcess::SqlGateway,
            },
        ];
        if let Some(prometheus) = self.prometheus {
            for process in [FlinkProcess::JobManager, FlinkProcess::TaskManager] {
                if let Some(port) = prometheus.of(process) {
                    uses.push(PortUse {
                        port,
                        key: PROMETHEUS_PORT_KEY,
                        process,
                    });
                }
            }
        }
        for (key, process) in EXTRA_PORT_OPTIONS {
            let fixed = self
                .extra_conf
                .get(key)
                .and_then(|value| value.trim().parse::<u16>().ok())
                .filter(|&port| port != 0);
            if let Some(port) = fixed {
                uses.push(PortUse { port, key, process });
            }
        }
        uses
    }

    /// Checks that the spec is consistent: a simple name, the home's version, distinct non-zero
    /// ports (with those `extra_conf` fixes), at least one slot.
    pub(crate) fn validate(&self) -> Result<(), FlinkError> {
        let invalid = |reason: String| Err(FlinkError::InvalidSpec(reason));
        let name_ok = !self.name.is_empty()
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !name_ok {
            return invalid(format!("cluster name {:?} is not a simple name", self.name));
        }
        if self.version != self.home.version() {
            return invalid(format!(
                "version {} but the Flink home {} is {}",
                self.version,
                self.home.root().display(),
                self.home.version()
            ));
        }
        let ClusterPorts {
            jobmanager_rest,
            jobmanager_rpc,
            gateway_rest,
        } = self.ports;
        if [jobmanager_rest, jobmanager_rpc, gateway_rest].contains(&0)
            || jobmanager_rest == jobmanager_rpc
            || jobmanager_rest == gateway_rest
            || jobmanager_rpc == gateway_rest
        {
            return invalid(format!(
                "ports must be distinct and non-zero: {:?}",
                self.ports
            ));
        }
        if let Some(prometheus) = self.prometheus
            && (prometheus.jobmanager == 0 || prometheus.taskmanager == 0)
        {
            return invalid(format!(
                "the Prometheus reporter's ports must be non-zero: {prometheus:?}"
            ));
        }
        let uses = self.port_uses();
        for (i, a) in uses.iter().enumerate() {
            if let Some(b) = uses[i + 1..].iter().find(|b| b.port == a.port) {
                return invalid(format!("{} and {} are both port {}", a.key, b.key, a.port));
            }
        }
        if self.task_slots == 0 {
            return invalid("task_slots must be at least 1".to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ports_of_extra_conf_are_checked_too() -> Result<(), Box<dyn std::error::Error>> {
        let root = std::env::temp_dir().join(format!("weir-spec-test-{}", std::process::id()));
        std::fs::create_dir_all(root.join("lib"))?;
        std::fs::write(root.join("lib/flink-dist-1.20.3.jar"), b"")?;
        let home = FlinkHome::from_existing(&root)?;
        let mut spec = ClusterSpec::new("t", home, root.join("run"), ClusterPorts::default());
        let keys = |spec: &ClusterSpec| -> Vec<(u16, &'static str)> {
            spec.port_uses().iter().map(|u| (u.port, u.key)).collect()
        };
        assert_eq!(
            keys(&spec),
            [
                (8081, "rest.port"),
                (6123, "jobmanager.rpc.port"),
                (8083, "sql-gateway.endpoint.rest.port")
            ]
        );
        // A range or 0 lets Flink choose; one number is a port the process needs.
        for (key, value) in [
            ("blob.server.port", "6124"),
            ("taskmanager.rpc.port", "50100-50200"),
            ("taskmanager.data.port", "0"),
        ] {
            spec.extra_conf.insert(key.to_owned(), value.to_owned());
        }
        assert_eq!(keys(&spec).last(), Some(&(6124, "blob.server.port")));
        spec.validate()?;
        spec.extra_conf
            .insert("blob.server.port".to_owned(), "8083".to_owned());
        let refused = spec.validate().map_err(|e| e.to_string());
        assert_eq!(
            refused,
            Err("invalid Flink cluster spec: sql-gateway.endpoint.rest.port and blob.server.port are both port 8083".to_owned())
        );

        // The Prometheus reporter's ports: one each for the JobManager and the TaskManager.
        spec.extra_conf.clear();
        spec.prometheus = Some(PrometheusPorts {
            jobmanager: 9249,
            taskmanager: 9250,
        });
        let uses: Vec<(u16, &str, FlinkProcess)> = spec
            .port_uses()
            .iter()
            .map(|u| (u.port, u.key, u.process))
            .collect();
        assert_eq!(
            uses[3..],
            [
                (9249, PROMETHEUS_PORT_KEY, FlinkProcess::JobManager),
                (9250, PROMETHEUS_PORT_KEY, FlinkProcess::TaskManager)
            ]
        );
        spec.validate()?;
        spec.prometheus = Some(PrometheusPorts {
            jobmanager: 9249,
            taskmanager: 8081,
        });
        assert!(spec.validate().is_err(), "a reporter port on the REST port");
        std::fs::remove_dir_all(&root)?;
        Ok(())
    }

    #[test]
    fn prometheus_ports_in_flinks_form() {
        let ports = |jobmanager, taskmanager| PrometheusPorts {
            jobmanager,
            taskmanager,
        };
        assert_eq!(ports(9249, 9250).flink_range(), "9249-9250");
        assert_eq!(ports(9250, 9249).flink_range(), "9249-9250");
        assert_eq!(ports(9249, 9300).flink_range(), "9249,9300");
        assert_eq!(ports(9249, 9249).flink_range(), "9249,9249");
    }
}
