//! The server: the protocol layer's [`Hooks`] (accounts, TLS, a session per connection) and the
//! listener. Only `main` uses it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
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

/// The threads client connections run on (`[server] connection_threads`). Each runs a
/// single-threaded event loop over the connections it was given, as a thread-per-core server
/// does: a connection's statement is read, answered and written on the thread whose loop saw its
/// socket ready, with no other thread woken to share the work (under many small statements,
/// waking and switching threads cost Weir more than the statements did). Background work (jobs,
/// schedules, metrics, Flink sessions' upkeep) stays on the main runtime. With no threads,
/// connections run on the main runtime's work-stealing workers.
pub struct ConnectionThreads {
    loops: Vec<EventLoop>,
    stop: CancellationToken,
}

/// One connection thread: its loop and how many connections it serves now.
struct EventLoop {
    handle: tokio::runtime::Handle,
    open: Arc<std::sync::atomic::AtomicUsize>,
}

impl ConnectionThreads {
    /// Starts `n` connection threads (0: none, connections share the main runtime).
    pub fn start(n: usize) -> std::io::Result<Self> {
        let stop = CancellationToken::new();
        let mut loops = Vec::with_capacity(n);
        for i in 0..n {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let handle = runtime.handle().clone();
            let stopped = stop.clone();
            std::thread::Builder::new().name(format!("weir-conn-{i}")).spawn(move || runtime.block_on(stopped.cancelled()))?;
            loops.push(EventLoop { handle, open: Arc::new(std::sync::atomic::AtomicUsize::new(0)) });
        }
        Ok(Self { loops, stop })
    }

    /// Runs `serve` for `tcp` on the least busy thread (or the main runtime when there are none).
    fn spawn<F, Fut>(&self, tcp: TcpStream, serve: F)
    where
        F: FnOnce(TcpStream) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let Some(chosen) = self.loops.iter().min_by_key(|l| l.open.load(Ordering::Relaxed)) else {
            tokio::spawn(serve(tcp));
            return;
        };
        // The socket is registered with the accepting runtime's reactor; it moves to the
        // chosen thread's.
        let socket = match tcp.into_std() {
            Ok(s) => s,
            Err(e) => {
                warn!(error = %e, "could not hand a connection to a connection thread");
                return;
            }
        };
        let counted = Counted::new(chosen.open.clone());
        chosen.handle.spawn(async move {
            let _counted = counted;
            match TcpStream::from_std(socket) {
                Ok(tcp) => serve(tcp).await,
                Err(e) => warn!(error = %e, "could not register a connection with its connection thread"),
            }
        });
    }
}

impl Drop for ConnectionThreads {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// One connection counted in a thread's load until it ends.
struct Counted(Arc<std::sync::atomic::AtomicUsize>);

impl Counted {
    fn new(open: Arc<std::sync::atomic::AtomicUsize>) -> Self {
        open.fetch_add(1, Ordering::Relaxed);
        Self(open)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Accepts connections until `shutdown` and serves each on one of `threads`; past `[server]
/// max_connections` open at once, a connection is refused with 1040 before its handshake.
pub async fn serve(hooks: WeirHooks, listener: TcpListener, threads: Arc<ConnectionThreads>, shutdown: CancellationToken) {
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
                threads.spawn(tcp, move |tcp| {
                    async move {
                        let _held = held;
                        protocol::conn::serve(hooks, tcp, peer, id, kill).await;
                    }
                    .instrument(span)
                });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A connected pair of loopback sockets: the server's end (accepted) and the client's.
    async fn accepted(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let addr = listener.local_addr().expect("address");
        let (client, server) = tokio::join!(TcpStream::connect(addr), listener.accept());
        (server.expect("accepted").0, client.expect("connected"))
    }

    #[tokio::test]
    async fn connections_are_spread_over_the_threads_and_served_there() {
        let threads = ConnectionThreads::start(2).expect("threads start");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut clients = Vec::new();
        for _ in 0..2 {
            let (server, client) = accepted(&listener).await;
            clients.push(client);
            let tx = tx.clone();
            threads.spawn(server, move |mut tcp| async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut byte = [0u8; 1];
                // Served on its connection thread: its socket reads and writes there.
                if tcp.read_exact(&mut byte).await.is_ok() && tcp.write_all(&byte).await.is_ok() {
                    let _ = tx.send(std::thread::current().name().map(str::to_string));
                }
                // Held open until the client closes, so the thread's count stays 1.
                let _ = tcp.read(&mut byte).await;
            });
        }
        let mut names = Vec::new();
        for (i, client) in clients.iter_mut().enumerate() {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            client.write_all(&[i as u8]).await.expect("client writes");
            let mut echo = [0u8; 1];
            client.read_exact(&mut echo).await.expect("the connection answers");
            assert_eq!(echo, [i as u8]);
            names.push(rx.recv().await.flatten().expect("a named thread"));
        }
        names.sort();
        assert_eq!(names, vec!["weir-conn-0", "weir-conn-1"]);
    }

    #[tokio::test]
    async fn with_no_threads_connections_run_on_the_callers_runtime() {
        let threads = ConnectionThreads::start(0).expect("no threads");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let (server, mut client) = accepted(&listener).await;
        threads.spawn(server, |mut tcp| async move {
            use tokio::io::AsyncWriteExt;
            let _ = tcp.write_all(b"k").await;
        });
        use tokio::io::AsyncReadExt;
        let mut byte = [0u8; 1];
        client.read_exact(&mut byte).await.expect("served");
        assert_eq!(&byte, b"k");
    }
}
