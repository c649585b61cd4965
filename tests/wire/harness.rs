//! A loopback listener serving every accepted connection with `weir::protocol::conn::serve` over
//! a [`MockHooks`], as `weir::server::serve` does, plus helpers for the clients.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mysql_async::{Conn, OptsBuilder, SslOpts};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use weir::protocol::conn;

use crate::mock::{Journal, MockConfig, MockHooks};

/// A self-signed certificate for 127.0.0.1 and localhost, valid 2000-2099 (test only).
pub const CERT_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBbjCCARSgAwIBAgIBATAKBggqhkjOPQQDAjAZMRcwFQYDVQQDDA53ZWlyLXdp
cmUtdGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yMDk5MTIzMTIzNTk1OVowGTEXMBUG
A1UEAwwOd2Vpci13aXJlLXRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATR
JN2LbxBh1TYEO+bZtfIEccAHu+/ngk5IBAAr5sigteqK69Z7XFn8M+VhZO3wRpha
faVUFlyY0QGCy5lf0yyro0swSTAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3Qw
DAYDVR0TAQH/BAIwADAdBgNVHQ4EFgQUm9hbJE8HQPPhhO2pEQUkvAzu37IwCgYI
KoZIzj0EAwIDSAAwRQIhALUyqoabT/JC2pW11+mahuxJ2wiS3FHEJySlYRSMOU7s
AiAm9TIkYzEOOeoTrq3tLwVhe0cq1l+pZH88C642VeVn7w==
-----END CERTIFICATE-----
";

/// The key of [`CERT_PEM`] (test only).
pub const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzxXLREXlnyI6CC5U
34HzyybqF8xX4d8EokrUZ7+jJnuhRANCAATRJN2LbxBh1TYEO+bZtfIEccAHu+/n
gk5IBAAr5sigteqK69Z7XFn8M+VhZO3wRphafaVUFlyY0QGCy5lf0yyr
-----END PRIVATE KEY-----
";

pub fn tls_server_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = vec![CertificateDer::from_pem_slice(CERT_PEM.as_bytes()).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(KEY_PEM.as_bytes()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(cfg)
}

pub fn client_tls() -> SslOpts {
    SslOpts::default().with_root_certs(vec![CERT_PEM.as_bytes().to_vec().into()])
}

/// How long a story waits for something that should happen at once.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub struct TestServer {
    pub addr: SocketAddr,
    pub hooks: Arc<MockHooks>,
    kills: Arc<Mutex<HashMap<u32, CancellationToken>>>,
    ended: Arc<Mutex<HashSet<u32>>>,
    accepted: Arc<AtomicU32>,
    acceptor: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.acceptor.abort();
        for k in self.kills.lock().unwrap().values() {
            k.cancel();
        }
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::with(MockConfig::default()).await
    }

    pub async fn with(config: MockConfig) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hooks = Arc::new(MockHooks::new(config));
        let kills: Arc<Mutex<HashMap<u32, CancellationToken>>> = Arc::default();
        let ended: Arc<Mutex<HashSet<u32>>> = Arc::default();
        let accepted = Arc::new(AtomicU32::new(0));
        let acceptor = {
            let (hooks, kills, ended, accepted) = (hooks.clone(), kills.clone(), ended.clone(), accepted.clone());
            tokio::spawn(async move {
                let mut next_id = 100u32;
                loop {
                    let (tcp, peer) = listener.accept().await.unwrap();
                    next_id += 1;
                    let id = next_id;
                    let kill = CancellationToken::new();
                    kills.lock().unwrap().insert(id, kill.clone());
                    accepted.fetch_add(1, Ordering::SeqCst);
                    let (hooks, ended) = (hooks.clone(), ended.clone());
                    tokio::spawn(async move {
                        conn::serve(hooks, tcp, peer, id, kill).await;
                        ended.lock().unwrap().insert(id);
                    });
                }
            })
        };
        Self { addr, hooks, kills, ended, accepted, acceptor }
    }

    pub fn journal(&self) -> &Journal {
        &self.hooks.journal
    }

    /// Options for `user` with `password` on this server over plain TCP.
    pub fn opts(&self, user: &str, password: &str) -> OptsBuilder {
        OptsBuilder::default()
            .ip_or_hostname("127.0.0.1")
            .tcp_port(self.addr.port())
            .user(Some(user))
            .pass(Some(password))
            .prefer_socket(false)
    }

    pub async fn connect(&self, user: &str, password: &str) -> Conn {
        Conn::new(self.opts(user, password)).await.expect("connects")
    }

    pub async fn root(&self) -> Conn {
        self.connect("root", "").await
    }

    /// Cancels the kill token of connection `id`, as KILL CONNECTION or a shutdown does.
    pub fn kill(&self, id: u32) {
        self.kills.lock().unwrap().get(&id).expect("a connection with that id").cancel();
    }

    pub fn has_ended(&self, id: u32) -> bool {
        self.ended.lock().unwrap().contains(&id)
    }

    /// Waits until `serve` returned for connection `id`; false if it did not within [`PATIENCE`].
    pub async fn wait_ended(&self, id: u32) -> bool {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.has_ended(id) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> u32 {
        self.accepted.load(Ordering::SeqCst)
    }

    /// The id the next accepted connection will get.
    pub fn next_id(&self) -> u32 {
        101 + self.accepted()
    }
}

/// The server error inside a client error, or a panic naming what came instead.
pub fn server_error(e: mysql_async::Error) -> mysql_async::ServerError {
    match e {
        mysql_async::Error::Server(s) => s,
        other => panic!("expected a server error, got {other:?}"),
    }
}

/// Asserts `e` is the server error `code` (`state`) and returns its message.
#[track_caller]
pub fn assert_server_error(e: mysql_async::Error, code: u16, state: &str) -> String {
    let s = server_error(e);
    assert_eq!((s.code, s.state.as_str()), (code, state), "unexpected server error: {}", s.message);
    s.message
}
