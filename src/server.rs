//! The server: the protocol layer's [`Hooks`] (accounts, TLS, a session per connection) and the
//! listener. Only `main` uses it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, error, info, info_span, warn};

use crate::protocol::{self, Account, ConnectionInfo, Hooks, MySqlError, codes};
use crate::session::{Shared, WeirSession};

/// The protocol layer's view of the server: the accounts that may log in, TLS, and a session
/// per connection over the state every session shares.
pub struct WeirHooks {
    shared: Arc<Shared>,
    tls: Option<Arc<rustls::ServerConfig>>,
}

impl WeirHooks {
    pub fn new(shared: Arc<Shared>, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        Self { shared, tls }
    }
}


#[async_trait::async_trait]
impl Hooks for WeirHooks {
    type Session = WeirSession;

    fn server_version(&self) -> String {
        self.shared.config.server.server_version.clone()
    }

    fn default_auth_plugin(&self) -> &str {
        &self.shared.config.server.default_auth_plugin
    }

    fn tls_config(&self) -> Option<Arc<rustls::ServerConfig>> {
        self.tls.clone()
    }

    fn require_secure_transport(&self) -> bool {
        self.shared.config.server.require_secure_transport
    }

    fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.shared.config.server.connect_timeout_secs)
    }

    fn max_allowed_packet(&self) -> usize {
        self.shared.config.server.max_allowed_packet
    }

    async fn account(&self, user: &str, peer: &SocketAddr) -> Option<Account> {
        self.shared.auth.login(user, peer).map(|(a, _)| a)
    }

    async fn open_session(&self, info: ConnectionInfo) -> Result<WeirSession, MySqlError> {
        WeirSession::open(self.shared.clone(), info).await
    }

    fn connection_refused(&self, code: Option<u16>) {
        self.shared.metrics.connection_refused(code);
    }

    fn loggable<'a>(&self, sql: &'a str) -> std::borrow::Cow<'a, str> {
        crate::statement::secrets::mask(sql)
    }

    fn login_delay(&self, user: &str, peer: &SocketAddr) -> Duration {
        self.shared.auth.throttle.delay(user, peer.ip())
    }

    fn login_attempt(&self, user: &str, peer: &SocketAddr, connection_id: u32, refused: Option<&MySqlError>) {
        self.shared.auth.throttle.record(user, peer.ip(), refused.is_none());
        crate::session::audit::login(&self.shared, user, peer, connection_id, refused);
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

/// One open connection counted against `max_connections`, until it ends (however it ends).
struct Held(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accepts connections until `shutdown`; past `[server] max_connections` open at once, a
/// connection is refused with 1040 before its handshake.
pub async fn serve(hooks: WeirHooks, listener: TcpListener, shutdown: CancellationToken) {
    let hooks = Arc::new(hooks);
    let next_id = AtomicU32::new(1);
    let connections = CancellationToken::new();
    // Connections open now, against `max_connections`.
    let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let max = hooks.shared.config.server.max_connections;
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.cancelled() => break,
        };
        match accepted {
            Ok((tcp, peer)) => {
                if open.fetch_add(1, Ordering::AcqRel) >= max {
                    open.fetch_sub(1, Ordering::AcqRel);
                    warn!(%peer, max_connections = max, "connection refused: too many connections");
                    hooks.shared.metrics.connection_refused(Some(codes::ER_CON_COUNT_ERROR.number));
                    let e = MySqlError::new(codes::ER_CON_COUNT_ERROR, "Too many connections");
                    tokio::spawn(async move { protocol::conn::refuse_before_handshake(tcp, &e).await });
                    continue;
                }
                let id = next_id.fetch_add(1, Ordering::Relaxed);
                let kill = connections.child_token();
                let span = info_span!("connection", id, %peer);
                let (hooks, held) = (hooks.clone(), Held(open.clone()));
                tokio::spawn(
                    async move {
                        let _held = held;
                        protocol::conn::serve(hooks, tcp, peer, id, kill).await;
                    }
                    .instrument(span),
                );
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
