//! An in-process Weir in front of a [`FakeGateway`], started as `weir serve` does (src/main.rs):
//! one external cluster `fake` (so Weir supervises nothing), the catalog of record in a SQLite
//! file of a fresh temporary directory, the MySQL listener on 127.0.0.1 with an OS-assigned
//! port. Stops (and removes its directory) when dropped.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder, Row};
use tokio_util::sync::CancellationToken;
use weir::catalog::CatalogStore;
use weir::config::{ClusterConfig, Config};
use weir::server::WeirHooks;
use weir::session::Shared;

use crate::fake::FakeGateway;

/// The cluster's name in the config.
pub const CLUSTER: &str = "fake";

pub struct Weir {
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    dir: PathBuf,
    _threads: Arc<weir::server::ConnectionThreads>,
}

impl Drop for Weir {
    fn drop(&mut self) {
        self.shutdown.cancel();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh directory under the system's temporary directory.
fn temp_dir() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!("weir-gateway-fake-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

impl Weir {
    /// Weir with its defaults (streaming mode, no session pool) in front of `gateway`.
    pub async fn start(gateway: &FakeGateway) -> Weir {
        Weir::start_with(gateway, |_| {}).await
    }

    /// Weir with `tweak` applied to its configuration.
    pub async fn start_with(gateway: &FakeGateway, tweak: impl FnOnce(&mut Config)) -> Weir {
        let dir = temp_dir();
        let mut cfg = Config::default();
        let cluster = ClusterConfig { gateway: Some(gateway.url()), ..ClusterConfig::default() };
        cfg.clusters = BTreeMap::from([(CLUSTER.to_string(), cluster)]);
        cfg.default_cluster = CLUSTER.to_string();
        cfg.server.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        cfg.server.data_dir = dir.clone();
        cfg.server.session_pool = 0;
        cfg.server.cluster_wait_secs = 10;
        cfg.catalog.url = format!("sqlite://{}?mode=rwc", dir.join("catalog.db").display());
        tweak(&mut cfg);
        cfg.validate().expect("a valid configuration");

        let listener = tokio::net::TcpListener::bind(cfg.server.listen).await.expect("bind Weir's listener");
        let addr = listener.local_addr().expect("Weir's address");
        let catalog = CatalogStore::open(&cfg.catalog_url()).await.expect("the catalog store opens");
        let audit = Arc::new(weir::auth::audit::Audit::open(&dir, cfg.audit.clone()).expect("the audit trail opens"));
        let auth = Arc::new(weir::auth::Auth::open(&cfg, catalog.backend(), audit.clone()).await.expect("accounts load"));
        let pool = catalog.backend().pool().clone();
        let shared = Arc::new(Shared::new(cfg, catalog, auth, false, addr.port()));
        let hooks = WeirHooks::new(shared.clone(), None);
        let shutdown = CancellationToken::new();
        tokio::spawn(audit.run(pool, shutdown.clone()));
        // Brings the external cluster to READY (GET /info, /api_versions) and watches it.
        let _monitors = shared.clusters.start(dir.clone(), dir.join("cache"), shutdown.clone());
        // Connections on two threads of their own, as `weir serve` runs them on a two-core machine.
        let threads = Arc::new(weir::server::ConnectionThreads::start(2).expect("the connection threads start"));
        tokio::spawn(weir::server::serve(hooks, listener, threads.clone(), shutdown.clone()));
        let weir = Weir { addr, shutdown, dir, _threads: threads };
        // Every story starts with the cluster READY, as SHOW FLINK CLUSTERS would show it.
        let cluster = shared.clusters.get(CLUSTER).expect("the fake cluster");
        within(Duration::from_secs(10), async {
            while !cluster.is_ready() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        weir
    }

    /// A new MySQL connection as `root` (no password, loopback).
    pub async fn connect(&self) -> Conn {
        let opts = OptsBuilder::default()
            .ip_or_hostname(self.addr.ip().to_string())
            .tcp_port(self.addr.port())
            .user(Some("root"))
            .prefer_socket(false);
        Conn::new(opts).await.expect("root connects to Weir")
    }
}

/// A result as the client sees it: column names, MySQL column types and text cells.
#[derive(Debug)]
pub struct Table {
    pub columns: Vec<String>,
    pub types: Vec<mysql_async::consts::ColumnType>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Runs `sql` and reads its whole result (a test failure if it fails).
pub async fn query(c: &mut Conn, sql: &str) -> Table {
    try_query(c, sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs `sql` and reads its whole result.
pub async fn try_query(c: &mut Conn, sql: &str) -> Result<Table, mysql_async::Error> {
    let mut result = c.query_iter(sql).await?;
    let cols = result.columns().map(|c| c.to_vec()).unwrap_or_default();
    let rows: Vec<Row> = result.collect().await?;
    result.drop_result().await?;
    Ok(Table {
        columns: cols.iter().map(|c| c.name_str().to_string()).collect(),
        types: cols.iter().map(|c| c.column_type()).collect(),
        rows: rows.into_iter().map(|r| r.unwrap().into_iter().map(cell).collect()).collect(),
    })
}

fn cell(v: mysql_async::Value) -> Option<String> {
    match v {
        mysql_async::Value::NULL => None,
        mysql_async::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        other => Some(other.as_sql(true)),
    }
}

/// The MySQL error `sql` fails with (a test failure if it succeeds or fails otherwise).
pub async fn error_of(c: &mut Conn, sql: &str) -> mysql_async::ServerError {
    match try_query(c, sql).await {
        Ok(t) => panic!("{sql} should fail, but gave {t:?}"),
        Err(mysql_async::Error::Server(e)) => e,
        Err(other) => panic!("{sql} should fail with a MySQL error packet, not {other}"),
    }
}

/// Text cells, for comparing with a result's rows.
pub fn cells(rows: &[&[Option<&str>]]) -> Vec<Vec<Option<String>>> {
    rows.iter().map(|r| r.iter().map(|c| c.map(str::to_string)).collect()).collect()
}

/// Fails the test if `f` takes longer than `limit` (a hung Weir or fake must not hang the run).
pub async fn within<T>(limit: Duration, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, f).await.unwrap_or_else(|_| panic!("the story took longer than {limit:?}"))
}

/// Drops `c` cleanly (COM_QUIT).
pub async fn bye(c: Conn) {
    c.disconnect().await.expect("disconnect");
}
