//! What every session shares: the configuration, the catalog of record, the clusters, the
//! managed jobs, the registry of connections, and the server's counters.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::registry::Registry;
use crate::catalog::CatalogStore;
use crate::config::Config;
use crate::error::WeirError;
use crate::datasync::Datasyncs;
use crate::jobs::Jobs;
use crate::lineage_store::LineageStore;
use crate::schedule::Schedules;
use crate::protocol::ConnectionInfo;
use crate::routing::{Cluster, Clusters};
use crate::variables::{self, SessionVars};

/// State every session shares.
pub struct Shared {
    pub config: Config,
    /// The catalog of record, shared by every session.
    pub catalog: Arc<CatalogStore>,
    pub clusters: Arc<Clusters>,
    /// The managed jobs.
    pub jobs: Arc<Jobs>,
    /// The datasyncs (each one a managed job).
    pub datasyncs: Arc<Datasyncs>,
    /// The recorded lineage.
    pub lineage: Arc<LineageStore>,
    /// The schedules.
    pub schedules: Arc<Schedules>,
    pub registry: Registry,
    /// Weir's metrics (`/metrics`, `information_schema.WEIR_METRICS`).
    pub metrics: Arc<crate::observe::Metrics>,
    /// Alert channels, rules and the delivery queue.
    pub alerts: Arc<crate::observe::alerts::Alerts>,
    /// Accounts, roles, grants, tenants and the audit trail.
    pub auth: Arc<crate::auth::Auth>,
    pub started: Instant,
    questions: AtomicU64,
    /// TLS is offered (`have_ssl`).
    tls: bool,
    port: u16,
}

impl Shared {
    pub fn new(config: Config, catalog: Arc<CatalogStore>, auth: Arc<crate::auth::Auth>, tls: bool, port: u16) -> Self {
        let clusters = Arc::new(Clusters::new(&config.clusters, config.server.session_pool));
        let jobs = Jobs::new(catalog.clone(), clusters.clone(), config.server.data_dir.clone(), Duration::from_secs(config.server.cluster_wait_secs));
        let datasyncs = Datasyncs::new(jobs.clone());
        let alerts = crate::observe::alerts::Alerts::new(&catalog);
        let lineage = Arc::new(LineageStore::new(catalog.backend()));
        let schedules = Schedules::new(jobs.clone(), lineage.clone());
        let metrics = Arc::new(if config.server.metrics_on() { crate::observe::Metrics::new() } else { crate::observe::Metrics::off() });
        Self {
            lineage,
            schedules,
            clusters,
            datasyncs,
            jobs,
            catalog,
            config,
            registry: Registry::default(),
            metrics,
            alerts,
            auth,
            started: Instant::now(),
            questions: AtomicU64::new(0),
            tls,
            port,
        }
    }

    pub fn question(&self) {
        self.questions.fetch_add(1, Ordering::Relaxed);
    }

    pub fn questions(&self) -> u64 {
        self.questions.load(Ordering::Relaxed)
    }

    pub fn cluster_wait(&self) -> Duration {
        Duration::from_secs(self.config.server.cluster_wait_secs)
    }

    /// The cluster a new session goes to: the connection attribute `weir.flink` (a cluster name
    /// or version prefix), else the user's cluster, else the server default. (`SET weir.flink`
    /// switches later.)
    pub fn cluster_for(&self, info: &ConnectionInfo) -> Result<Arc<Cluster>, WeirError> {
        if let Some(spec) = info.attributes.get("weir.flink") {
            return self.clusters.resolve(spec);
        }
        let name = self.config.user(&info.user).and_then(|u| u.cluster.clone()).unwrap_or_else(|| self.config.default_cluster.clone());
        self.clusters.get(&name).ok_or(WeirError::UnknownCluster(name))
    }

    /// Flink options a new session starts with: the server's, then the user's.
    pub fn flink_options_for(&self, user: &str) -> BTreeMap<String, String> {
        let mut o = self.config.session.flink_options.clone();
        if let Some(u) = self.config.user(user) {
            o.extend(u.flink_options.clone());
        }
        o
    }

    /// Server facts that variables report.
    pub fn seed_variables(&self, vars: &mut SessionVars, cluster: &Cluster) {
        let facts = [
            ("version", self.config.server.server_version.clone()),
            ("port", self.port.to_string()),
            ("max_allowed_packet", self.config.server.max_allowed_packet.to_string()),
            ("max_connections", self.config.server.max_connections.to_string()),
            ("connect_timeout", self.config.server.connect_timeout_secs.to_string()),
            ("have_ssl", if self.tls { "YES" } else { "DISABLED" }.to_string()),
            ("require_secure_transport", u8::from(self.config.server.require_secure_transport).to_string()),
            ("weir.flink", cluster.name().to_string()),
            ("weir.flink_version", cluster.version()),
            ("weir.max_rows", self.config.session.max_rows.to_string()),
            ("weir.fetch_timeout", self.config.session.fetch_timeout_secs.to_string()),
        ];
        for (name, value) in facts {
            if let Some(def) = variables::lookup(name) {
                vars.set(def, value);
            }
        }
    }
}

