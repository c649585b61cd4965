//! Weir's configuration: one TOML file, every key optional, defaults documented here and in the
//! README. With no file at all Weir serves on 127.0.0.1:3307 in front of a local Flink 1.20.3.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use weir_drivers::flink::{Connector, PrometheusPorts};

use crate::protocol::StoredPassword;

/// A managed cluster's Prometheus reporter listens on `jobmanager_rest_port` + this (the
/// JobManager's) and the port after it (the TaskManager's) unless `metrics_port` says otherwise.
pub const DEFAULT_METRICS_PORT_OFFSET: u16 = 4;

/// The Flink version a managed cluster runs when the config names none (the LTS line).
pub const DEFAULT_FLINK_VERSION: &str = "1.20.3";
/// The newest 2.x that the Flink CDC and JDBC connectors support; the second embedded cluster.
pub const FLINK_2_VERSION: &str = "2.2.0";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub session: SessionDefaults,
    /// Flink clusters by name.
    pub clusters: BTreeMap<String, ClusterConfig>,
    /// The cluster sessions use unless the user's config says otherwise.
    pub default_cluster: String,
    pub users: Vec<UserConfig>,
    pub catalog: CatalogConfig,
    /// information_schema and SHOW (`[metadata]`).
    pub metadata: MetadataConfig,
    /// Alert evaluation and delivery (`[alerts]`).
    pub alerts: AlertsConfig,
    /// Logins (`[auth]`).
    pub auth: AuthConfig,
    /// The audit trail (`[audit]`).
    pub audit: AuditConfig,
}

/// Logins (`[auth]`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Consecutive failed logins of one user from one address before each further attempt is
    /// delayed (one second more per failure; MySQL's connection_control). 0: never delayed.
    pub failed_login_threshold: u32,
    /// The longest delay of a login attempt (milliseconds).
    pub failed_login_max_delay_ms: u64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self { failed_login_threshold: 3, failed_login_max_delay_ms: 10_000 }
    }
}

/// What happens to a statement whose audit record cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditFailure {
    /// The statement fails (1030) and later ones are refused until a record can be written.
    Refuse,
    /// The statement's answer stands; a warning is logged.
    Allow,
}

/// The audit trail (`[audit]`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// Every statement and login attempt is recorded.
    pub enabled: bool,
    /// Also statements Weir answers locally without touching data (`SELECT 1`, `@@variables`,
    /// SET of session variables, SHOW WARNINGS).
    pub probes: bool,
    pub on_failure: AuditFailure,
    /// The JSON-lines file in `<data_dir>/audit/` is rotated at this size.
    pub file_max_bytes: u64,
    /// Rotated files kept (`audit.jsonl.1` … `.N`).
    pub files_kept: usize,
    /// How often (milliseconds) new records are copied from the file into the store.
    pub flush_ms: u64,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self { enabled: true, probes: false, on_failure: AuditFailure::Refuse, file_max_bytes: 64 * 1024 * 1024, files_kept: 5, flush_ms: 200 }
    }
}

/// Alert evaluation and delivery (`[alerts]`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsConfig {
    /// How often (milliseconds) rules are evaluated and due alerts sent.
    pub interval_ms: u64,
    /// Attempts to deliver one alert before it is marked FAILED.
    pub max_attempts: u32,
    /// The longest wait between two attempts (the backoff doubles from 1 s up to it).
    pub retry_max_secs: u64,
    /// Messages one channel sends a minute at most; the rest wait their turn.
    pub per_channel_per_minute: usize,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self { interval_ms: 2000, max_attempts: 12, retry_max_secs: 300, per_channel_per_minute: 30 }
    }
}

/// Weir's catalog of record (objects created through Weir).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogConfig {
    /// Where the catalog is kept: `sqlite://PATH` or `mysql://user:password@host:port/db` (MySQL
    /// or MariaDB, which several Weir instances can share). Empty: `catalog.db` in the data dir.
    pub url: String,
    /// How often (milliseconds) Weir looks for changes other instances made to a shared store:
    /// the most it takes for DDL through one instance to be seen through another.
    pub poll_interval_ms: u64,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self { url: String::new(), poll_interval_ms: 1000 }
    }
}

impl Config {
    /// The catalog store's URL, defaulting to SQLite in the data dir.
    pub fn catalog_url(&self) -> String {
        if self.catalog.url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.server.data_dir.join("catalog.db").display())
        } else {
            self.catalog.url.clone()
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        // Flink 1.20.3 (the server default) and 2.2.0 side by side, on distinct ports.
        let mut clusters = BTreeMap::new();
        clusters.insert("flink-1.20".to_string(), ClusterConfig::default());
        clusters.insert("flink-2.2".to_string(), ClusterConfig::managed(FLINK_2_VERSION, 18181, 16223, 18183));
        Self {
            server: ServerConfig::default(),
            session: SessionDefaults::default(),
            clusters,
            default_cluster: "flink-1.20".to_string(),
            users: Vec::new(),
            catalog: CatalogConfig::default(),
            metadata: Default::default(),
            alerts: Default::default(),
            auth: Default::default(),
            audit: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address of the MySQL listener.
    pub listen: SocketAddr,
    /// Address of the HTTP listener serving `/metrics`, `/health` and `/ready`; `""` turns it off.
    pub http_listen: String,
    /// State, logs and the supervised Flink processes' run directories.
    pub data_dir: PathBuf,
    /// Version string of the greeting; MySQL 8.0-style so drivers take their 8.0 code paths.
    pub server_version: String,
    /// Seconds a client has to finish the handshake (MySQL's connect_timeout).
    pub connect_timeout_secs: u64,
    /// Largest packet accepted from a client (MySQL's max_allowed_packet).
    pub max_allowed_packet: usize,
    /// Client connections open at once; one more is refused with ERROR 1040 "Too many
    /// connections" before its handshake (MySQL's max_connections).
    pub max_connections: usize,
    /// Auth plugin named in the greeting: caching_sha2_password (MySQL 8's default) or
    /// mysql_native_password.
    pub default_auth_plugin: String,
    /// Accept `root` without a password from loopback addresses.
    pub root_without_password_on_loopback: bool,
    /// PEM certificate chain and key: TLS is offered when both are set.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Refuse connections that do not use TLS.
    pub require_secure_transport: bool,
    /// Seconds a statement waits for a cluster that is still starting.
    pub cluster_wait_secs: u64,
    /// Flink sessions kept open per cluster, ready for new connections (0 disables the pool).
    pub session_pool: usize,
    /// Threads that serve client connections, each running its own event loop over the
    /// connections it was given (the least busy takes a new one); absent: one per CPU core;
    /// 0: connections share the runtime's work-stealing worker threads.
    pub connection_threads: Option<usize>,
    /// What happens to managed clusters when Weir exits: "idle" stops them only when no job is
    /// running, "always" stops them, "never" leaves them running.
    pub stop_clusters_on_exit: StopPolicy,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3307)),
            http_listen: "127.0.0.1:3308".to_string(),
            data_dir: default_data_dir(),
            server_version: format!("8.0.40-weir-{}", env!("CARGO_PKG_VERSION")),
            connect_timeout_secs: 10,
            max_allowed_packet: 64 * 1024 * 1024,
            max_connections: 2048,
            default_auth_plugin: "caching_sha2_password".to_string(),
            root_without_password_on_loopback: true,
            tls_cert: None,
            tls_key: None,
            require_secure_transport: false,
            cluster_wait_secs: 300,
            session_pool: 2,
            connection_threads: None,
            stop_clusters_on_exit: StopPolicy::Idle,
        }
    }
}

impl ServerConfig {
    /// How many connection threads to start: `connection_threads`, or one per CPU core.
    pub fn connection_thread_count(&self) -> usize {
        self.connection_threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Whether Weir keeps metrics: only when the HTTP listener that serves them is on (off,
    /// nothing is counted per statement or connection, and `WEIR_METRICS` is empty).
    pub fn metrics_on(&self) -> bool {
        !self.http_listen.trim().is_empty()
    }

    /// The HTTP listener's address, `None` when it is off.
    pub fn http_addr(&self) -> Result<Option<SocketAddr>, ConfigError> {
        let text = self.http_listen.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let addr: SocketAddr = text.parse().map_err(|_| ConfigError::Invalid(format!("[server] http_listen '{text}' is not an address such as 127.0.0.1:3308 (\"\" turns the HTTP listener off)")))?;
        if addr == self.listen {
            return Err(ConfigError::Invalid(format!("[server] http_listen and listen are both {addr}")));
        }
        Ok(Some(addr))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StopPolicy {
    Idle,
    Always,
    Never,
}

/// Defaults of the `weir.*` session variables.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionDefaults {
    /// Rows after which a streaming-mode result ends (its job cancelled); 0 = no limit.
    pub max_rows: u64,
    /// Seconds after which a streaming-mode result ends (its job cancelled); 0 = no limit.
    pub fetch_timeout_secs: u64,
    /// Flink session options every session starts with (e.g. "execution.runtime-mode").
    pub flink_options: BTreeMap<String, String>,
    /// The largest statement text Weir sends to Flink, in bytes (after translation and with bound
    /// parameters in place): a larger one is refused with ERROR 1301 and never reaches Flink,
    /// whose JobManager holds a statement's whole text (and plan) in memory.
    pub max_flink_statement_bytes: u64,
}

/// The default of `[session] max_flink_statement_bytes`: 1 MiB.
pub const DEFAULT_MAX_FLINK_STATEMENT_BYTES: u64 = 1 << 20;

impl Default for SessionDefaults {
    fn default() -> Self {
        Self { max_rows: 10_000, fetch_timeout_secs: 30, flink_options: BTreeMap::new(), max_flink_statement_bytes: DEFAULT_MAX_FLINK_STATEMENT_BYTES }
    }
}

/// A Flink cluster: managed (Weir provisions and supervises it) or external (`gateway` set).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// Exact Flink version of a managed cluster.
    pub version: String,
    /// A real Flink distribution to use instead of assembling one from PyPI and Maven Central.
    pub home: Option<PathBuf>,
    /// URL of an external SQL Gateway; Weir then supervises nothing.
    pub gateway: Option<String>,
    /// URL of an external cluster's JobManager REST API (information_schema.JOBS reads its
    /// `/jobs/overview`); a managed cluster's is `http://127.0.0.1:<jobmanager_rest_port>`.
    pub jobmanager: Option<String>,
    pub jobmanager_rest_port: u16,
    pub jobmanager_rpc_port: u16,
    pub gateway_port: u16,
    pub task_slots: u32,
    pub jobmanager_memory: String,
    pub taskmanager_memory: String,
    /// Extra Flink configuration written into the cluster's config file.
    pub flink_conf: BTreeMap<String, String>,
    /// The connectors a managed cluster runs with ("jdbc", "mysql-cdc", "paimon", "prometheus"),
    /// fetched from Maven Central into the cache and put on its classpath. Unset: every
    /// connector that exists for its Flink version; `[]`: none.
    pub connectors: Option<Vec<String>>,
    /// Where a managed cluster with the `prometheus` connector is scraped: its JobManager's
    /// Prometheus reporter listens on this port and its TaskManager's on the next. Unset:
    /// `jobmanager_rest_port + 4` (18085-18086 and 18185-18186 for the embedded clusters);
    /// 0: no reporter.
    pub metrics_port: Option<u16>,
    /// Whether a managed cluster's queries in batch mode send their rows straight to Weir (Weir's
    /// own `weir-result` sink, built against the cluster's Flink when it is provisioned) rather
    /// than through Flink's collect protocol and the SQL Gateway's result pages.
    pub direct_results: bool,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self::managed(DEFAULT_FLINK_VERSION, 18081, 16123, 18083)
    }
}

impl ClusterConfig {
    /// A managed cluster of `version` on the given JobManager REST, RPC and gateway ports.
    pub fn managed(version: &str, jobmanager_rest_port: u16, jobmanager_rpc_port: u16, gateway_port: u16) -> Self {
        Self {
            version: version.to_string(),
            home: None,
            gateway: None,
            jobmanager: None,
            jobmanager_rest_port,
            jobmanager_rpc_port,
            gateway_port,
            task_slots: 4,
            jobmanager_memory: "1024m".to_string(),
            taskmanager_memory: "1536m".to_string(),
            flink_conf: BTreeMap::new(),
            connectors: None,
            metrics_port: None,
            direct_results: true,
        }
    }

    /// The ports of the Prometheus reporter of the JobManager and the TaskManager, when it runs:
    /// on a managed cluster with the `prometheus` connector, unless `metrics_port` is 0. (A
    /// default that would pass 65535 is refused by [`Config::validate`].)
    pub fn prometheus_ports(&self) -> Option<PrometheusPorts> {
        if !self.connector_set().contains(&Connector::Prometheus) {
            return None;
        }
        let jobmanager = match self.metrics_port {
            Some(0) => return None,
            Some(port) => port,
            None => self.jobmanager_rest_port.checked_add(DEFAULT_METRICS_PORT_OFFSET)?,
        };
        Some(PrometheusPorts { jobmanager, taskmanager: jobmanager.checked_add(1)? })
    }

    /// The scrape endpoints of the Prometheus reporter, JobManager first: `127.0.0.1:18085,127.0.0.1:18086`.
    pub fn metrics_endpoints(&self) -> Option<String> {
        self.prometheus_ports().map(|p| format!("127.0.0.1:{},127.0.0.1:{}", p.jobmanager, p.taskmanager))
    }

    /// Checks `metrics_port`: only on a managed cluster, room for the TaskManager's port after
    /// it, and `flink_conf` leaves the reporter's ports and factory to Weir.
    fn check_metrics(&self, cluster: &str) -> Result<(), ConfigError> {
        let invalid = |m: String| Err(ConfigError::Invalid(format!("cluster '{cluster}': {m}")));
        if self.gateway.is_some() {
            if self.metrics_port.is_some_and(|p| p != 0) {
                return invalid("metrics_port is for managed clusters; an external cluster (gateway set) has its own Flink configuration".into());
            }
            return Ok(());
        }
        if !self.connector_set().contains(&Connector::Prometheus) || self.metrics_port == Some(0) {
            return Ok(());
        }
        if self.prometheus_ports().is_none() {
            return invalid(match self.metrics_port {
                Some(p) => format!("metrics_port {p} leaves no port for the TaskManager's reporter (it takes the next one)"),
                None => format!(
                    "the default metrics_port (jobmanager_rest_port + {DEFAULT_METRICS_PORT_OFFSET}) is past 65535: set metrics_port"
                ),
            });
        }
        for key in ["metrics.reporter.prom.port", "metrics.reporter.prom.factory.class"] {
            if self.flink_conf.contains_key(key) {
                return invalid(format!("flink_conf may not set {key}: Weir runs the Prometheus reporter on metrics_port (0 turns it off)"));
            }
        }
        Ok(())
    }

    /// The connectors this cluster runs with: `connectors`, or every one that exists for its
    /// version; none for an external cluster. Names were checked by [`Config::validate`].
    pub fn connector_set(&self) -> Vec<Connector> {
        if self.gateway.is_some() {
            return Vec::new();
        }
        match &self.connectors {
            None => weir_drivers::flink::available(&self.version),
            Some(names) => {
                let mut set: Vec<Connector> = names.iter().filter_map(|n| Connector::from_name(n)).collect();
                set.sort();
                set.dedup();
                set
            }
        }
    }

    /// Checks `connectors`: known names, each existing for the cluster's Flink version, and only
    /// on a managed cluster.
    fn check_connectors(&self, cluster: &str) -> Result<(), ConfigError> {
        let Some(names) = &self.connectors else { return Ok(()) };
        if self.gateway.is_some() && !names.is_empty() {
            return Err(ConfigError::Invalid(format!(
                "cluster '{cluster}': connectors are for managed clusters; an external cluster (gateway set) has its own classpath"
            )));
        }
        let mut set = Vec::new();
        for name in names {
            let known: Vec<&str> = Connector::ALL.iter().map(|c| c.name()).collect();
            let c = Connector::from_name(name).ok_or_else(|| {
                ConfigError::Invalid(format!("cluster '{cluster}': unknown connector '{name}' (known: {})", known.join(", ")))
            })?;
            set.push(c);
        }
        weir_drivers::flink::check_available(&self.version, &set).map_err(|e| ConfigError::Invalid(format!("cluster '{cluster}': {e}")))
    }
}

/// A MySQL account. Hashes are written by `weir passwd`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub name: String,
    /// `*`-prefixed hex SHA1(SHA1(password)), as MySQL's mysql_native_password stores it.
    #[serde(default)]
    pub native_hash: Option<String>,
    /// Hex SHA256(SHA256(password)) for caching_sha2_password.
    #[serde(default)]
    pub sha2_hash: Option<String>,
    /// Require this auth plugin (otherwise either is accepted).
    #[serde(default)]
    pub plugin: Option<String>,
    /// The cluster this user's sessions go to.
    #[serde(default)]
    pub cluster: Option<String>,
    /// Flink session options for this user (e.g. batch runtime mode for a BI tool).
    #[serde(default)]
    pub flink_options: BTreeMap<String, String>,
    /// The SQL dialect this user's sessions start in (`weir.dialect`): "mysql", "oracle" or
    /// "flink" (the default). A mysql or oracle session gets batch runtime mode unless
    /// `flink_options` sets one.
    #[serde(default)]
    pub dialect: Option<String>,
}

impl UserConfig {
    pub fn stored_password(&self) -> Result<StoredPassword, String> {
        match (&self.native_hash, &self.sha2_hash) {
            (None, None) => Ok(StoredPassword::Empty),
            (Some(n), Some(s)) => StoredPassword::from_hex(n, s),
            _ => Err(format!("user '{}' needs both native_hash and sha2_hash (run `weir passwd`)", self.name)),
        }
    }
}

/// Errors reading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid config file {path}: {source}")]
    Parse { path: PathBuf, source: toml::de::Error },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let cfg = match path {
            None => Config::default(),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read { path: p.to_path_buf(), source })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse { path: p.to_path_buf(), source })?
            }
        };
        let mut cfg = cfg;
        // A file that declares a single cluster and no default uses that cluster.
        if !cfg.clusters.contains_key(&cfg.default_cluster) && cfg.clusters.len() == 1
            && let Some(only) = cfg.clusters.keys().next() {
                cfg.default_cluster = only.clone();
            }
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.server.http_addr()?;
        if self.server.max_connections == 0 {
            return Err(ConfigError::Invalid("[server] max_connections must be at least 1".into()));
        }
        if !self.clusters.contains_key(&self.default_cluster) {
            return Err(ConfigError::Invalid(format!("default_cluster '{}' is not among [clusters]", self.default_cluster)));
        }
        for u in &self.users {
            u.stored_password().map_err(ConfigError::Invalid)?;
            if let Some(c) = &u.cluster
                && !self.clusters.contains_key(c)
            {
                return Err(ConfigError::Invalid(format!("user '{}' names unknown cluster '{c}'", u.name)));
            }
            if let Some(d) = &u.dialect
                && !["mysql", "mariadb", "oracle", "flink"].contains(&d.to_ascii_lowercase().as_str())
            {
                return Err(ConfigError::Invalid(format!("user '{}': dialect '{d}' is not one of mysql, oracle, flink", u.name)));
            }
        }
        let mut ports: BTreeMap<u16, (&str, &str)> = BTreeMap::new();
        for (name, cluster) in &self.clusters {
            cluster.check_connectors(name)?;
            cluster.check_metrics(name)?;
            if cluster.gateway.is_some() {
                continue;
            }
            let mut own = vec![
                (cluster.jobmanager_rest_port, "jobmanager_rest_port"),
                (cluster.jobmanager_rpc_port, "jobmanager_rpc_port"),
                (cluster.gateway_port, "gateway_port"),
            ];
            if let Some(p) = cluster.prometheus_ports() {
                own.push((p.jobmanager, "metrics_port"));
                own.push((p.taskmanager, "metrics_port + 1"));
            }
            for (port, key) in own {
                if let Some((other, other_key)) = ports.insert(port, (name, key)) {
                    return Err(ConfigError::Invalid(format!(
                        "port {port} is both cluster '{other}''s {other_key} and cluster '{name}''s {key}"
                    )));
                }
            }
        }
        let plugins = ["caching_sha2_password", "mysql_native_password"];
        if !plugins.contains(&self.server.default_auth_plugin.as_str()) {
            return Err(ConfigError::Invalid(format!("default_auth_plugin must be one of {plugins:?}")));
        }
        if self.server.tls_cert.is_some() != self.server.tls_key.is_some() {
            return Err(ConfigError::Invalid("tls_cert and tls_key must be given together".into()));
        }
        if self.server.require_secure_transport && self.server.tls_cert.is_none() {
            return Err(ConfigError::Invalid("require_secure_transport needs tls_cert and tls_key".into()));
        }
        Ok(())
    }

    pub fn user(&self, name: &str) -> Option<&UserConfig> {
        self.users.iter().find(|u| u.name == name)
    }
}

/// `$WEIR_DATA_DIR`, else `$XDG_DATA_HOME/weir`, else `~/.local/share/weir`.
pub fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("WEIR_DATA_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("weir");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/weir")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_config_means_a_working_default() {
        let cfg = Config::load(None).unwrap();
        assert_eq!(cfg.server.listen.port(), 3307);
        assert_eq!(cfg.clusters[&cfg.default_cluster].version, DEFAULT_FLINK_VERSION);
        assert_eq!(cfg.clusters["flink-2.2"].version, FLINK_2_VERSION);
    }

    #[test]
    fn a_partial_file_keeps_the_other_defaults() {
        let cfg: Config = toml::from_str(
            r#"
            [server]
            listen = "127.0.0.1:4000"
            [[users]]
            name = "bi"
            native_hash = "*0913BF2E2CE20CE21BFB1961AF124D4920458E5F"
            sha2_hash = "0000000000000000000000000000000000000000000000000000000000000000"
            flink_options = { "execution.runtime-mode" = "batch" }
            "#,
        )
        .unwrap();
        cfg.validate().unwrap();
        assert_eq!(cfg.server.connect_timeout_secs, 10);
        assert_eq!(cfg.user("bi").unwrap().flink_options["execution.runtime-mode"], "batch");
        assert_eq!(cfg.user("bi").unwrap().dialect, None);
    }

    #[test]
    fn a_user_dialect_must_be_known() {
        let user = |dialect: &str| {
            toml::from_str::<Config>(&format!("[[users]]\nname = \"bi\"\ndialect = \"{dialect}\"\n")).unwrap()
        };
        assert!(user("mysql").validate().is_ok());
        assert!(user("Oracle").validate().is_ok());
        assert!(user("db2").validate().is_err());
    }

    #[test]
    fn connectors_default_to_every_one_of_the_version_and_are_checked() {
        let cfg = Config::load(None).unwrap();
        assert_eq!(cfg.clusters["flink-1.20"].connector_set(), Connector::ALL.to_vec());
        assert_eq!(cfg.clusters["flink-2.2"].connector_set(), vec![Connector::Jdbc, Connector::Paimon, Connector::Prometheus]);
        let cluster = |extra: &str| toml::from_str::<Config>(&format!("default_cluster = \"c\"\n[clusters.c]\n{extra}\n")).unwrap();
        let cfg = cluster("version = \"1.20.3\"\nconnectors = [\"paimon\", \"JDBC\", \"jdbc\"]");
        cfg.validate().unwrap();
        assert_eq!(cfg.clusters["c"].connector_set(), vec![Connector::Jdbc, Connector::Paimon]);
        let cfg = cluster("version = \"2.2.0\"\nconnectors = []");
        cfg.validate().unwrap();
        assert!(cfg.clusters["c"].connector_set().is_empty());
        let e = cluster("version = \"2.2.0\"\nconnectors = [\"mysql-cdc\"]").validate().unwrap_err().to_string();
        assert!(e.contains("no mysql-cdc connector for Flink 2.2.0"), "{e}");
        let e = cluster("connectors = [\"kafka\"]").validate().unwrap_err().to_string();
        assert!(e.contains("unknown connector 'kafka'"), "{e}");
        let e = cluster("gateway = \"http://127.0.0.1:9\"\nconnectors = [\"jdbc\"]").validate().unwrap_err().to_string();
        assert!(e.contains("managed clusters"), "{e}");
        assert!(cluster("gateway = \"http://127.0.0.1:9\"").clusters["c"].connector_set().is_empty());
    }

    #[test]
    fn managed_clusters_need_ports_of_their_own() {
        let cfg = |extra: &str| toml::from_str::<Config>(&format!("default_cluster = \"a\"\n[clusters.a]\n[clusters.b]\n{extra}\n")).unwrap();
        let e = cfg("").validate().unwrap_err().to_string();
        assert!(e.contains("port 18081 is both cluster 'a''s jobmanager_rest_port and cluster 'b''s jobmanager_rest_port"), "{e}");
        cfg("jobmanager_rest_port = 1\njobmanager_rpc_port = 2\ngateway_port = 3").validate().unwrap();
        cfg("gateway = \"http://127.0.0.1:18083\"").validate().unwrap();
    }

    #[test]
    fn the_prometheus_reporter_has_two_ports_of_its_own_per_managed_cluster() {
        let cfg = Config::load(None).unwrap();
        let ports = |c: &str| cfg.clusters[c].prometheus_ports().map(|p| (p.jobmanager, p.taskmanager));
        assert_eq!(ports("flink-1.20"), Some((18085, 18086)));
        assert_eq!(ports("flink-2.2"), Some((18185, 18186)));
        assert_eq!(cfg.clusters["flink-1.20"].metrics_endpoints().as_deref(), Some("127.0.0.1:18085,127.0.0.1:18086"));

        let cluster = |extra: &str| toml::from_str::<Config>(&format!("default_cluster = \"c\"\n[clusters.c]\n{extra}\n")).unwrap();
        let cfg = cluster("metrics_port = 9249");
        cfg.validate().unwrap();
        assert_eq!(cfg.clusters["c"].metrics_endpoints().as_deref(), Some("127.0.0.1:9249,127.0.0.1:9250"));
        // Off: metrics_port 0, no prometheus connector, or an external cluster.
        assert_eq!(cluster("metrics_port = 0").clusters["c"].metrics_endpoints(), None);
        let cfg = cluster("connectors = [\"jdbc\"]");
        cfg.validate().unwrap();
        assert_eq!(cfg.clusters["c"].metrics_endpoints(), None);
        let cfg = cluster("gateway = \"http://127.0.0.1:9\"");
        cfg.validate().unwrap();
        assert_eq!(cfg.clusters["c"].metrics_endpoints(), None);

        let refused = |extra: &str| cluster(extra).validate().unwrap_err().to_string();
        let e = refused("gateway = \"http://127.0.0.1:9\"\nmetrics_port = 9249");
        assert!(e.contains("metrics_port is for managed clusters"), "{e}");
        let e = refused("metrics_port = 65535");
        assert!(e.contains("no port for the TaskManager"), "{e}");
        let e = refused("jobmanager_rest_port = 65533");
        assert!(e.contains("past 65535: set metrics_port"), "{e}");
        let e = refused("flink_conf = { \"metrics.reporter.prom.port\" = \"9249-9260\" }");
        assert!(e.contains("flink_conf may not set metrics.reporter.prom.port"), "{e}");
        let e = refused("metrics_port = 18082");
        assert!(e.contains("port 18083 is both cluster 'c''s gateway_port and cluster 'c''s metrics_port + 1"), "{e}");
        // Another reporter of the user's own stays theirs.
        cluster("flink_conf = { \"metrics.reporter.jmx.factory.class\" = \"org.apache.flink.metrics.jmx.JMXReporterFactory\" }").validate().unwrap();

        // Between clusters, as the other ports are.
        let two = toml::from_str::<Config>("default_cluster = \"a\"\n[clusters.a]\n[clusters.b]\njobmanager_rest_port = 1\njobmanager_rpc_port = 2\ngateway_port = 3\nmetrics_port = 18086\n").unwrap();
        let e = two.validate().unwrap_err().to_string();
        assert!(e.contains("port 18086 is both cluster 'a''s metrics_port + 1 and cluster 'b''s metrics_port"), "{e}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<Config>("[server]\nlisten_on = 1").is_err());
    }
}

/// Metadata settings (`[metadata]` in the config).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetadataConfig {
    /// Seconds a catalog listing or table definition read from Flink is reused. DDL sent through
    /// the same session drops the cache at once.
    pub cache_ttl_secs: u64,
    /// How many Flink statements (DESCRIBE, SHOW CREATE) a cold fill of table definitions keeps
    /// in flight at once.
    pub describe_concurrency: usize,
}

impl Default for MetadataConfig {
    fn default() -> Self {
        Self { cache_ttl_secs: 30, describe_concurrency: 8 }
    }
}

