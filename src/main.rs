//! The `weir` command: `serve`, `passwd`, and `flink stop|provision`.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;
use tracing::{error, info};
use weir::catalog::CatalogStore;
use weir::config::Config;
use weir::protocol::StoredPassword;
use weir::server::{self, WeirHooks};
use weir::session::Shared;

/// Many small allocations (statement trees, Arrow buffers): mimalloc serves them faster than the
/// system allocator (a quarter of translation time was glibc malloc/free).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "weir", version, about = "A MySQL wire-protocol gateway in front of Apache Flink")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve MySQL clients (starts and supervises the configured local Flink clusters).
    Serve {
        /// The TOML configuration file (all keys optional).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Listen address (overrides server.listen).
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// The HTTP listener's address for /metrics, /health and /ready (overrides
        /// server.http_listen; "" turns it off).
        #[arg(long)]
        http_listen: Option<String>,
        /// State, logs and Flink run directories (overrides server.data_dir).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// PEM certificate chain for TLS (with --tls-key).
        #[arg(long)]
        tls_cert: Option<PathBuf>,
        /// PEM private key for TLS.
        #[arg(long)]
        tls_key: Option<PathBuf>,
    },
    /// Hash a password read from standard input and print the `[[users]]` entry for the config.
    Passwd {
        /// The account name.
        #[arg(long, default_value = "root")]
        user: String,
        /// Require this auth plugin for the account.
        #[arg(long)]
        plugin: Option<String>,
    },
    /// Translate MySQL or Oracle SQL into Flink SQL: Flink SQL to stdout, notes to stderr.
    Translate {
        /// The source dialect: mysql (default), mariadb or oracle.
        #[arg(long, default_value = "mysql")]
        from: String,
        /// The Flink version to target (functions added in 2.x only for 2.x).
        #[arg(long, default_value = weir::config::DEFAULT_FLINK_VERSION)]
        flink: String,
        /// A file of statements; standard input when absent.
        file: Option<PathBuf>,
    },
    /// Weir's catalog of record as a Flink SQL script (backup, migration, review).
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Draw the recorded lineage (every table, or what reaches one table or column) as SVG or
    /// Graphviz DOT, to stdout or FILE.
    Lineage {
        /// The TOML configuration file naming the store (default: SQLite in the data dir).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Only what feeds this table and what it feeds (`catalog.db.table`, `db.table` or
        /// `table` in default_catalog.default_database).
        #[arg(long)]
        table: Option<String>,
        /// With --table: the lineage of this column.
        #[arg(long, requires = "table")]
        column: Option<String>,
        #[arg(long, value_enum, default_value = "svg")]
        format: LineageFormat,
        file: Option<PathBuf>,
    },
    /// Manage local Flink clusters.
    Flink {
        #[command(subcommand)]
        command: FlinkCommand,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Write every recorded object's Flink DDL, in creation order, to stdout or FILE.
    Dump {
        /// The TOML configuration file naming the store (default: SQLite in the data dir).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Write secret options (passwords, tokens) as recorded; masked otherwise, and such a
        /// script loads only into a store that holds them.
        #[arg(long)]
        with_secrets: bool,
        file: Option<PathBuf>,
    },
    /// Record the objects of a script written by `dump` (stdin when no FILE), replacing objects
    /// of the same names.
    Load {
        #[arg(long)]
        config: Option<PathBuf>,
        file: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LineageFormat {
    Svg,
    Dot,
}

#[derive(Subcommand)]
enum FlinkCommand {
    /// Stop every Flink cluster Weir started under the data dir.
    Stop {
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Assemble a Flink home in the cache (what `serve` does on first start).
    Provision {
        #[arg(default_value = weir::config::DEFAULT_FLINK_VERSION)]
        version: String,
    },
}

fn init_logging(data_dir: Option<&std::path::Path>) {
    use tracing_subscriber::fmt::writer::MakeWriterExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("WEIR_LOG").unwrap_or_else(|_| "info".into());
    let file = data_dir.and_then(|d| {
        let dir = d.join("logs");
        std::fs::create_dir_all(&dir).ok()?;
        std::fs::OpenOptions::new().create(true).append(true).open(dir.join("weir.log")).ok()
    });
    match file {
        Some(f) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::io::stderr.and(std::sync::Mutex::new(f)))
            .init(),
        None => tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("weir: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Serve { config, listen, http_listen, data_dir, tls_cert, tls_key } => {
            runtime.block_on(serve(config, listen, http_listen, data_dir, tls_cert, tls_key))
        }
        Command::Passwd { user, plugin } => passwd(&user, plugin),
        Command::Translate { from, flink, file } => translate(&from, &flink, file.as_deref()),
        Command::Catalog { command } => {
            init_logging(None);
            runtime.block_on(catalog(command))
        }
        Command::Lineage { config, table, column, format, file } => {
            init_logging(None);
            runtime.block_on(lineage(config, table, column, format, file))
        }
        Command::Flink { command: FlinkCommand::Stop { data_dir } } => {
            init_logging(None);
            let dir = data_dir.unwrap_or_else(weir::config::default_data_dir);
            runtime.block_on(async {
                weir_drivers::flink::stop_all_in(&dir, std::time::Duration::from_secs(30))
                    .await
                    .map(|n| info!(stopped = n, data_dir = %dir.display(), "stopped Flink processes"))
                    .map_err(|e| e.to_string())
            })
        }
        Command::Flink { command: FlinkCommand::Provision { version } } => {
            init_logging(None);
            runtime.block_on(async {
                let cache = weir_drivers::flink::default_cache_root();
                weir_drivers::flink::provision(&version, &cache)
                    .await
                    .map(|h| info!(home = %h.root().display(), "Flink {version} is ready"))
                    .map_err(|e| e.to_string())
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("weir: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn catalog(command: CatalogCommand) -> Result<(), String> {
    let (config, file, dump, with_secrets) = match command {
        CatalogCommand::Dump { config, with_secrets, file } => (config, file, true, with_secrets),
        CatalogCommand::Load { config, file } => (config, file, false, false),
    };
    let cfg = Config::load(config.as_deref()).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&cfg.server.data_dir).map_err(|e| format!("creating data dir {}: {e}", cfg.server.data_dir.display()))?;
    let store = CatalogStore::open(&cfg.catalog_url()).await.map_err(|e| e.to_string())?;
    if dump {
        let text = weir::catalog::script::dump(&store, with_secrets);
        match file {
            Some(f) => std::fs::write(&f, text).map_err(|e| format!("writing {}: {e}", f.display())),
            None => {
                print!("{text}");
                Ok(())
            }
        }
    } else {
        let mut text = String::new();
        match file {
            Some(f) => text = std::fs::read_to_string(&f).map_err(|e| format!("reading {}: {e}", f.display()))?,
            None => {
                std::io::stdin().read_to_string(&mut text).map_err(|e| format!("reading stdin: {e}"))?;
            }
        }
        let n = weir::catalog::script::load(&store, &text).await.map_err(|e| e.to_string())?;
        info!(objects = n, "catalog loaded");
        Ok(())
    }
}

/// `weir lineage`: the store's lineage, drawn.
async fn lineage(config: Option<PathBuf>, table: Option<String>, column: Option<String>, format: LineageFormat, file: Option<PathBuf>) -> Result<(), String> {
    use weir::lineage::picture::{Focus, picture};
    let cfg = Config::load(config.as_deref()).map_err(|e| e.to_string())?;
    let store = CatalogStore::open(&cfg.catalog_url()).await.map_err(|e| e.to_string())?;
    let graph = weir::lineage_store::LineageStore::new(store.backend()).graph().await.map_err(|e| e.to_string())?;
    let scope = weir::lineage::Scope::new(weir::catalog::DEFAULT_CATALOG, weir::routing::DEFAULT_DATABASE);
    let table = table.map(|t| scope.qualify(&t.split('.').map(str::to_string).collect::<Vec<_>>()));
    let focus = Focus { table: table.clone(), column };
    let drawn = picture(&graph, &focus).ok_or_else(|| format!("no recorded lineage reaches {}", table.unwrap_or_default()))?;
    let text = match format {
        LineageFormat::Svg => drawn.to_svg(),
        LineageFormat::Dot => drawn.to_dot(),
    };
    match file {
        Some(f) => std::fs::write(&f, text).map_err(|e| format!("writing {}: {e}", f.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

async fn serve(
    config: Option<PathBuf>,
    listen: Option<SocketAddr>,
    http_listen: Option<String>,
    data_dir: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
) -> Result<(), String> {
    let mut cfg = Config::load(config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(l) = listen {
        cfg.server.listen = l;
    }
    if let Some(h) = http_listen {
        cfg.server.http_listen = h;
    }
    if let Some(d) = data_dir {
        cfg.server.data_dir = d;
    }
    if tls_cert.is_some() || tls_key.is_some() {
        cfg.server.tls_cert = tls_cert;
        cfg.server.tls_key = tls_key;
    }
    cfg.validate().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&cfg.server.data_dir).map_err(|e| format!("creating data dir {}: {e}", cfg.server.data_dir.display()))?;
    init_logging(Some(&cfg.server.data_dir));

    let tls = match (&cfg.server.tls_cert, &cfg.server.tls_key) {
        (Some(c), Some(k)) => Some(server::load_tls(c, k)?),
        _ => None,
    };
    let listener = tokio::net::TcpListener::bind(cfg.server.listen).await.map_err(|e| format!("listening on {}: {e}", cfg.server.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let http_listener = match cfg.server.http_addr().map_err(|e| e.to_string())? {
        Some(a) => Some(weir::observe::http::bind(a).await?),
        None => None,
    };
    let data_dir = cfg.server.data_dir.clone();
    let stop_policy = cfg.server.stop_clusters_on_exit;
    let catalog = CatalogStore::open(&cfg.catalog_url()).await.map_err(|e| e.to_string())?;
    catalog.spawn_poller(std::time::Duration::from_millis(cfg.catalog.poll_interval_ms.max(50)));
    let audit = Arc::new(weir::auth::audit::Audit::open(&data_dir, cfg.audit.clone())?);
    let auth = Arc::new(weir::auth::Auth::open(&cfg, catalog.backend(), audit.clone()).await.map_err(|e| e.to_string())?);
    let store_pool = catalog.backend().pool().clone();
    let shared = Arc::new(Shared::new(cfg, catalog, auth, tls.is_some(), addr.port()));
    let hooks = WeirHooks::new(shared.clone(), tls);
    let shutdown = CancellationToken::new();
    let audit_task = tokio::spawn(audit.run(store_pool, shutdown.clone()));
    let cache = weir_drivers::flink::default_cache_root();
    let mut monitors = shared.clusters.start(data_dir.clone(), cache, shutdown.clone());
    monitors.push(tokio::spawn(shared.auth.clone().follow(std::time::Duration::from_millis(shared.config.catalog.poll_interval_ms.max(50)), shutdown.clone())));
    monitors.push(weir::jobs::daemon::Daemon::spawn(shared.jobs.clone(), shutdown.clone()));
    monitors.push(weir::datasync::evolve::Watcher::spawn(shared.datasyncs.clone(), shutdown.clone()));
    let watched = weir::observe::watch::Watched {
        metrics: shared.metrics.clone(),
        clusters: shared.clusters.clone(),
        jobs: shared.jobs.clone(),
        datasyncs: shared.datasyncs.clone(),
        alerts: shared.alerts.clone(),
    };
    monitors.push(weir::observe::alerts::deliver::spawn(
        shared.alerts.clone(),
        shared.jobs.clone(),
        shared.schedules.clone(),
        shared.metrics.clone(),
        shared.auth.clone(),
        shared.config.alerts.clone(),
        shutdown.clone(),
    ));
    monitors.push(weir::observe::watch::spawn(watched, weir::observe::watch::INTERVAL, shutdown.clone()));
    if let Some(l) = http_listener {
        let default_cluster = shared.clusters.get(&shared.config.default_cluster);
        let lineage = weir::observe::lineage_page::LineagePages { auth: shared.auth.clone(), lineage: shared.lineage.clone() };
        monitors.push(weir::observe::http::spawn(l, shared.metrics.clone(), default_cluster, Some(lineage), shutdown.clone()));
    }
    monitors.push(weir::schedule::daemon::Daemon::spawn(shared.schedules.clone(), std::sync::Arc::new(weir::schedule::daemon::SystemClock), shutdown.clone()));
    info!(%addr, data_dir = %data_dir.display(), "Weir is listening (MySQL protocol)");

    let threads = server::ConnectionThreads::start(shared.config.server.connection_thread_count()).map_err(|e| format!("starting the connection threads: {e}"))?;
    let threads = std::sync::Arc::new(threads);
    let server_task = tokio::spawn(server::serve(hooks, listener, threads.clone(), shutdown.clone()));
    wait_for_signal().await;
    info!("shutting down");
    shutdown.cancel();
    let _ = server_task.await;
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), audit_task).await;
    for m in monitors {
        m.abort();
    }
    for c in shared.clusters.all() {
        c.on_exit(stop_policy).await;
    }
    drop(threads);
    Ok(())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            error!("cannot install signal handlers; stop Weir with SIGKILL");
            futures::future::pending::<()>().await;
        }
    }
}

fn translate(from: &str, flink: &str, file: Option<&std::path::Path>) -> Result<(), String> {
    use weir_dialects::{FlinkTarget, NoSchema, SourceDialect};
    let dialect = SourceDialect::from_name(from).ok_or_else(|| format!("unknown dialect '{from}' (mysql, mariadb, oracle)"))?;
    let mut parts = flink.split('.').map(|p| p.parse::<u8>());
    let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) else {
        return Err(format!("--flink takes a version such as 1.20.3, not '{flink}'"));
    };
    let text = match file {
        Some(f) => std::fs::read_to_string(f).map_err(|e| format!("reading {}: {e}", f.display()))?,
        None => {
            let mut t = String::new();
            std::io::stdin().read_to_string(&mut t).map_err(|e| format!("reading standard input: {e}"))?;
            t
        }
    };
    let mut failed = 0;
    for result in weir_dialects::translate_script(&text, dialect, &FlinkTarget { major, minor }, &NoSchema, None) {
        match result {
            Ok(t) => {
                println!("{};", t.sql);
                for n in t.notes {
                    eprintln!("note: {}:{}: {}", n.line, n.column, n.message);
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if failed > 0 { Err(format!("{failed} statement(s) could not be translated")) } else { Ok(()) }
}

fn passwd(user: &str, plugin: Option<String>) -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| format!("reading the password from stdin: {e}"))?;
    let password = input.strip_suffix('\n').unwrap_or(&input);
    let password = password.strip_suffix('\r').unwrap_or(password);
    let stored = StoredPassword::from_cleartext(password);
    println!("[[users]]");
    println!("name = {user:?}");
    if let (Some(n), Some(s)) = (stored.native_hex(), stored.sha2_hex()) {
        println!("native_hash = {n:?}");
        println!("sha2_hash = {s:?}");
    }
    if let Some(p) = plugin {
        println!("plugin = {p:?}");
    }
    Ok(())
}
