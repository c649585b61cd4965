//! The small HTTP client for the JobManager's and the SQL Gateway's REST APIs on localhost.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::error::FlinkError;

/// A client for plain HTTP to local Flink processes: no proxy, short timeouts.
pub(crate) fn client() -> Result<reqwest::Client, FlinkError> {
    crate::web::client_builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| FlinkError::HttpClient(e.to_string()))
}

/// GETs `url` and decodes its JSON body; a non-2xx status is an error.
pub(crate) async fn get_json<T: DeserializeOwned>(
    client: &reqwest::Client,
    url: String,
) -> Result<T, FlinkError> {
    let response = client
        .get(&url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status);
    match response {
        Ok(response) => response
            .json()
            .await
            .map_err(|source| FlinkError::Http { url, source }),
        Err(source) => Err(FlinkError::Http { url, source }),
    }
}
