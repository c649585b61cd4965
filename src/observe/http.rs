//! The HTTP listener beside the MySQL one (`[server] http_listen`): `/metrics` (Prometheus text
//! exposition), `/health` (the process answers), `/ready` (the default Flink cluster's SQL
//! Gateway answers now) and `/lineage.svg` / `/lineage.dot` (the lineage picture, for an
//! account that logs in: [`super::lineage_page`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use super::lineage_page::{Format, LineagePages};
use super::metrics::Metrics;
use crate::routing::Cluster;

/// How long `/ready` waits for the default cluster's gateway.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Prometheus's text format, version 0.0.4.
const EXPOSITION: &str = "text/plain; version=0.0.4; charset=utf-8";

#[derive(Clone)]
struct Served {
    metrics: Arc<Metrics>,
    default_cluster: Option<Arc<Cluster>>,
    lineage: Option<LineagePages>,
}

/// Binds the listener (a taken port fails here, before Weir serves anything).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr).await.map_err(|e| format!("the HTTP listener (metrics, health) cannot listen on {addr}: {e} ([server] http_listen, --http-listen; \"\" turns it off)"))
}

/// Serves until `shutdown`.
pub fn spawn(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    default_cluster: Option<Arc<Cluster>>,
    lineage: Option<LineagePages>,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    let app = Router::new()
        .route("/metrics", get(metrics_page))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/lineage.svg", get(lineage_svg))
        .route("/lineage.dot", get(lineage_dot))
        .with_state(Served { metrics, default_cluster, lineage });
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    tokio::spawn(async move {
        info!(%addr, "Weir is listening (HTTP: /metrics, /health, /ready, /lineage.svg)");
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown.cancelled_owned()).await {
            warn!(error = %e, "the HTTP listener stopped");
        }
    })
}

async fn metrics_page(State(s): State<Served>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, EXPOSITION)], s.metrics.encode())
}

async fn health() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

async fn ready(State(s): State<Served>) -> impl IntoResponse {
    let Some(cluster) = s.default_cluster else {
        return (StatusCode::SERVICE_UNAVAILABLE, "no default Flink cluster is configured\n".to_string());
    };
    let answer = match cluster.client(Duration::ZERO).await {
        Ok(client) => tokio::time::timeout(READY_TIMEOUT, client.ping()).await.map_err(|_| "no answer within 2 s".to_string()).and_then(|r| r.map_err(|e| e.to_string())),
        Err(e) => Err(e.to_string()),
    };
    match answer {
        Ok(()) => (StatusCode::OK, format!("ready: Flink cluster '{}' answers\n", cluster.name())),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: Flink cluster '{}': {why}\n", cluster.name())),
    }
}

async fn lineage_svg(State(s): State<Served>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: axum::http::HeaderMap, uri: axum::http::Uri) -> axum::response::Response {
    lineage_page(s, peer, headers, &uri, Format::Svg).await
}

async fn lineage_dot(State(s): State<Served>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: axum::http::HeaderMap, uri: axum::http::Uri) -> axum::response::Response {
    lineage_page(s, peer, headers, &uri, Format::Dot).await
}

async fn lineage_page(s: Served, peer: SocketAddr, headers: axum::http::HeaderMap, uri: &axum::http::Uri, format: Format) -> axum::response::Response {
    let q: HashMap<String, String> = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let Some(pages) = s.lineage else {
        return (StatusCode::NOT_FOUND, "this listener serves no lineage\n").into_response();
    };
    let page = pages.page(&headers, peer, &q, format).await;
    (page.status, axum::response::AppendHeaders(page.headers()), page.body).into_response()
}
