//! The HTTP transport: one JSON request, and its outcome as a value or a [`GatewayError`]
//! (no response → `Unreachable`; non-2xx → classified from the `errors` body; a 2xx body that
//! does not decode → `Decode`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::debug;

use super::error::GatewayError;
use super::wire::ErrorBody;

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long any call may take. Gateway calls return at once (statements run asynchronously and
/// results are fetched page by page), so this only bounds a stuck gateway.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// How many HTTP calls a gateway client made and how many failed (no answer, or a non-2xx
/// status). Whoever owns the counters reads them (Weir's metrics); they outlive a client when
/// passed to [`GatewayClient::connect_counted`](super::GatewayClient::connect_counted).
#[derive(Debug, Default)]
pub struct CallCounters {
    calls: AtomicU64,
    failures: AtomicU64,
}

impl CallCounters {
    /// Calls made (answered or not).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Calls that got no answer or a non-2xx status.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }
}

/// A gateway's base URL and a connection pool.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    endpoint: String,
    counters: Arc<CallCounters>,
}

impl Http {
    /// A transport for `endpoint` (`http://host:port`, optionally with a path prefix).
    #[cfg(test)]
    pub fn new(endpoint: &str) -> Result<Http, GatewayError> {
        Self::counted(endpoint, Arc::default())
    }

    /// A transport whose calls and failures are counted in `counters`.
    pub fn counted(endpoint: &str, counters: Arc<CallCounters>) -> Result<Http, GatewayError> {
        let bad = |reason: &str| GatewayError::BadEndpoint {
            endpoint: endpoint.to_string(),
            reason: reason.to_string(),
        };
        let url = Url::parse(endpoint).map_err(|e| bad(&e.to_string()))?;
        if url.scheme() != "http" || url.host().is_none() {
            return Err(bad("expected http://host:port"));
        }
        let client = crate::web::client_builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| bad(&e.to_string()))?;
        Ok(Http {
            client,
            endpoint: endpoint.trim_end_matches('/').to_string(),
            counters,
        })
    }

    /// The base URL, without a trailing `/`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `GET path`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, GatewayError> {
        self.call(Method::GET, path, None, None).await
    }

    /// `GET path`, giving up after `timeout`.
    pub async fn get_within<T: DeserializeOwned>(
        &self,
        path: &str,
        timeout: Duration,
    ) -> Result<T, GatewayError> {
        self.call(Method::GET, path, None, Some(timeout)).await
    }

    /// `POST path` with a JSON body (`None`: an empty body, which Flink reads as `{}`).
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, GatewayError> {
        let body = match body {
            Some(b) => Some(serde_json::to_vec(b).map_err(|e| GatewayError::Decode {
                context: format!("request body of POST {path}"),
                source: Box::new(e),
            })?),
            None => None,
        };
        self.call(Method::POST, path, body, None).await
    }

    /// `DELETE path`.
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, GatewayError> {
        self.call(Method::DELETE, path, None, None).await
    }

    /// Sends one request; `path` is relative to the endpoint and starts with `/` (as the
    /// gateway's `nextResultUri` does).
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<T, GatewayError> {
        let started = Instant::now();
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.endpoint));
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let unreachable = |source| GatewayError::Unreachable {
            endpoint: self.endpoint.clone(),
            source,
        };
        self.counters.calls.fetch_add(1, Ordering::Relaxed);
        let failed = || self.counters.failures.fetch_add(1, Ordering::Relaxed);
        let response = request.send().await.map_err(|e| {
            failed();
            unreachable(e)
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| {
            failed();
            unreachable(e)
        })?;
        if !status.is_success() {
            failed();
        }
        debug!(%method, path, status = status.as_u16(), elapsed_ms = started.elapsed().as_millis() as u64, "gateway call");
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| GatewayError::Decode {
                context: format!("response to {method} {path}"),
                source: Box::new(e),
            });
        }
        let errors = match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => body.errors,
            Err(_) => vec![String::from_utf8_lossy(&bytes).into_owned()],
        };
        Err(GatewayError::from_response(status.as_u16(), errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_http_urls() {
        assert_eq!(
            Http::new("http://127.0.0.1:8083/").unwrap().endpoint(),
            "http://127.0.0.1:8083"
        );
        assert_eq!(
            Http::new("http://gw/flink").unwrap().endpoint(),
            "http://gw/flink"
        );
        assert!(matches!(
            Http::new("127.0.0.1:8083"),
            Err(GatewayError::BadEndpoint { .. })
        ));
        assert!(matches!(
            Http::new("https://gw:8083"),
            Err(GatewayError::BadEndpoint { .. })
        ));
    }
}
