//! The server: state shared by all sessions, the protocol layer's [`Hooks`], and the listener.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, error, info, info_span};

use crate::catalog::CatalogStore;
use crate::clusters::{Cluster, Clusters};
use crate::config::Config;
use crate::error::WeirError;
use crate::protocol::{self, Account, ConnectionInfo, Hooks, MySqlError, StoredPassword};
use crate::session::registry::Registry;
use crate::session::variables::{self, SessionVars};
use crate::session::WeirSession;

/// State every session shares.
pub struct Shared {
    pub config: Config,
    /// The catalog of record, shared by every session.
    pub catalog: Arc<CatalogStore>,
    pub clusters: Clusters,
    pub registry: Registry,
    pub started: Instant,
    questions: AtomicU64,
    tls: Option<Arc<rustls::ServerConfig>>,
    accounts: HashMap<String, Account>,
    port: u16,
}

impl Shared {
    pub fn new(config: Config, catalog: Arc<CatalogStore>, tls: Option<Arc<rustls::ServerConfig>>, port: u16) -> Result<Self, WeirError> {
        let mut accounts = HashMap::new();
        for u in &config.users {
            let password = u.stored_password().map_err(WeirError::NotSupported)?;
            accounts.insert(u.name.clone(), Account { password, plugin: u.plugin.clone() });
        }
        Ok(Self {
            clusters: Clusters::new(&config.clusters, config.server.session_pool),
            catalog,
            config,
            registry: Registry::default(),
            started: Instant::now(),
            questions: AtomicU64::new(0),
            tls,
            accounts,
            port,
        })
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
            ("connect_timeout", self.config.server.connect_timeout_secs.to_string()),
            ("have_ssl", if self.tls.is_some() { "YES" } else { "DISABLED" }.to_string()),
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

/// The protocol layer's view of the server.
pub struct WeirHooks(pub Arc<Shared>);

#[async_trait::async_trait]
impl Hooks for WeirHooks {
    type Session = WeirSession;

    fn server_version(&self) -> String {
        self.0.config.server.server_version.clone()
    }

    fn default_auth_plugin(&self) -> &str {
        &self.0.config.server.default_auth_plugin
    }

    fn tls_config(&self) -> Option<Arc<rustls::ServerConfig>> {
        self.0.tls.clone()
    }

    fn require_secure_transport(&self) -> bool {
        self.0.config.server.require_secure_transport
    }

    fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.0.config.server.connect_timeout_secs)
    }

    fn max_allowed_packet(&self) -> usize {
        self.0.config.server.max_allowed_packet
    }

    async fn account(&self, user: &str, peer: &SocketAddr) -> Option<Account> {
        if let Some(a) = self.0.accounts.get(user) {
            return Some(a.clone());
        }
        let root_ok = user == "root" && self.0.config.server.root_without_password_on_loopback && peer.ip().is_loopback();
        root_ok.then_some(Account { password: StoredPassword::Empty, plugin: None })
    }

    async fn open_session(&self, info: ConnectionInfo) -> Result<WeirSession, MySqlError> {
        WeirSession::open(self.0.clone(), info).await
    }
}

/// Loads the PEM certificate chain and key into a rustls server config.
pub fn load_tls(cert: &std::path::Path, key: &std::path::Path) -> Result<Arc<rustls::ServerConfig>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("reading {}: {e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("reading {}: {e}", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("reading {}: {e}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("TLS certificate/key: {e}"))?;
    Ok(Arc::new(cfg))
}

/// Accepts connections until `shutdown`.
pub async fn serve(shared: Arc<Shared>, listener: TcpListener, shutdown: CancellationToken) {
    let hooks = Arc::new(WeirHooks(shared.clone()));
    let next_id = AtomicU32::new(1);
    let connections = CancellationToken::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.cancelled() => break,
        };
        match accepted {
            Ok((tcp, peer)) => {
                let id = next_id.fetch_add(1, Ordering::Relaxed);
                let kill = connections.child_token();
                let span = info_span!("connection", id, %peer);
                tokio::spawn(protocol::conn::serve(hooks.clone(), tcp, peer, id, kill).instrument(span));
            }
            Err(e) => {
                error!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    info!("no longer accepting connections");
    connections.cancel();
}
