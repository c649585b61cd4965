//! The client of one SQL Gateway: version negotiation, capabilities and liveness. Sessions are
//! opened by `GatewayClient::open_session`, which the session module adds.

use std::sync::Arc;
use std::time::Duration;

use tracing::{info, warn};

use super::capabilities::{ApiVersion, Capabilities};
use super::error::GatewayError;
use super::http::{CallCounters, Http};
use super::wire::{ApiVersions, Info};

/// How long [`GatewayClient::ping`] waits.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// A connection to one Flink SQL Gateway, with the API version negotiated with it. Cheap to
/// clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct GatewayClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: Http,
    flink_version: String,
    capabilities: Capabilities,
}

impl GatewayClient {
    /// Connects to the gateway at `endpoint` (`http://host:port`): reads its Flink version
    /// (`GET /info`) and API versions (`GET /api_versions`) and picks the highest version both
    /// sides know, as Flink's SQL client does.
    ///
    /// Fails with [`GatewayError::Unsupported`] when that is V1 (Flink 1.16, whose results have
    /// no row format nor `isQueryResult`; Flink's own SQL client refuses it too) or when the
    /// gateway offers no version Weir knows.
    pub async fn connect(endpoint: &str) -> Result<GatewayClient, GatewayError> {
        Self::connect_counted(endpoint, Arc::default()).await
    }

    /// [`connect`](Self::connect), counting every HTTP call of this client (and its sessions) in
    /// `counters`, which may outlive it (a cluster keeps one set across reconnections).
    pub async fn connect_counted(endpoint: &str, counters: Arc<CallCounters>) -> Result<GatewayClient, GatewayError> {
        let http = Http::counted(endpoint, counters)?;
        let info: Info = http.get("/info").await?;
        if info.product_name != "Apache Flink" {
            warn!(
                endpoint,
                product = info.product_name,
                "the SQL Gateway does not call itself Apache Flink"
            );
        }
        let offered: ApiVersions = http.get("/api_versions").await?;
        let unsupported = |what: String| GatewayError::Unsupported {
            what,
            flink_version: info.version.clone(),
        };
        let api = ApiVersion::negotiate(&offered.versions).ok_or_else(|| {
            unsupported(format!(
                "a gateway offering only the REST API versions {:?} (Weir knows V1 to V4)",
                offered.versions
            ))
        })?;
        if api < ApiVersion::V2 {
            return Err(unsupported(
                "the SQL Gateway REST API V1 (Weir needs V2, Flink 1.17 or later)".to_string(),
            ));
        }
        let capabilities = Capabilities::new(&info.version, api);
        info!(endpoint = http.endpoint(), flink = info.version, api = %api, offered = ?offered.versions, "connected to the Flink SQL Gateway");
        Ok(GatewayClient {
            inner: Arc::new(Inner {
                http,
                flink_version: info.version,
                capabilities,
            }),
        })
    }

    /// The gateway's base URL.
    pub fn endpoint(&self) -> &str {
        self.inner.http.endpoint()
    }

    /// The Flink version the gateway reported (`"1.20.3"`).
    pub fn flink_version(&self) -> &str {
        &self.inner.flink_version
    }

    /// The negotiated REST API version.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.capabilities.api
    }

    /// What this gateway can do.
    pub fn capabilities(&self) -> &Capabilities {
        &self.inner.capabilities
    }

    /// Checks that the gateway answers `GET /info` within two seconds.
    pub async fn ping(&self) -> Result<(), GatewayError> {
        self.inner
            .http
            .get_within::<Info>("/info", PING_TIMEOUT)
            .await
            .map(|_| ())
    }

    pub(crate) fn http(&self) -> &Http {
        &self.inner.http
    }
}
