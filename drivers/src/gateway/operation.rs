//! A statement's operation on the gateway, which is cancelled and closed when dropped while open.
//! It knows its session only by the session's URL path, so it depends on the client alone.
//!
//! Closing an operation also stops the job of a query still running (its result fetcher cancels
//! the job: verified on Flink 1.20.3). Cancelling fails once the operation is FINISHED, which a
//! query is as soon as its job is submitted, so stopping always cancels (ignoring that refusal)
//! and then closes.

use serde::de::IgnoredAny;
use tracing::{debug, warn};

use super::client::GatewayClient;
use super::error::GatewayError;
use super::wire::FetchResults;

/// An open operation.
#[derive(Debug)]
pub(crate) struct Operation {
    client: GatewayClient,
    /// `/{version}/sessions/{session}/operations/{handle}`.
    path: String,
    handle: String,
    /// Cleared once the operation was closed (or an attempt made), so `Drop` leaves it alone.
    open: bool,
}

impl Operation {
    /// The operation `handle` of the session at `session_path`
    /// (`/{version}/sessions/{session}`).
    pub fn new(client: GatewayClient, session_path: String, handle: String) -> Operation {
        Operation {
            client,
            path: format!("{session_path}/operations/{handle}"),
            handle,
            open: true,
        }
    }

    /// The URI of the first result page.
    pub fn first_page_uri(&self) -> String {
        let format = if self.client.capabilities().row_format_param {
            "?rowFormat=JSON"
        } else {
            ""
        };
        format!("{}/result/0{format}", self.path)
    }

    /// Fetches the result page at `uri` (a gateway `nextResultUri`).
    pub async fn fetch(&self, uri: &str) -> Result<FetchResults, GatewayError> {
        self.client.http().get(uri).await
    }

    /// Cancels the operation (stopping its job), then closes it.
    pub async fn cancel(mut self) -> Result<(), GatewayError> {
        self.open = false;
        stop(&self.client, &self.path).await
    }

    /// Closes the operation (stopping the job of a query that still runs).
    pub async fn close(mut self) -> Result<(), GatewayError> {
        self.open = false;
        close(&self.client, &self.path).await
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            warn!(
                operation = self.handle,
                "Flink operation dropped outside a Tokio runtime; it stays open until its session closes"
            );
            return;
        };
        let client = self.client.clone();
        let path = std::mem::take(&mut self.path);
        let handle = std::mem::take(&mut self.handle);
        runtime.spawn(async move {
            match stop(&client, &path).await {
                Ok(()) => debug!(operation = handle, "cancelled a dropped Flink operation"),
                Err(e) => {
                    debug!(operation = handle, error = %e, "cancelling a dropped Flink operation")
                }
            }
        });
    }
}

/// POST cancel, then DELETE close. Refusals of the cancel (the operation already finished,
/// failed or was cancelled) do not matter: the close follows.
async fn stop(client: &GatewayClient, path: &str) -> Result<(), GatewayError> {
    let cancel = format!("{path}/cancel");
    match client.http().post::<IgnoredAny>(&cancel, None::<&()>).await {
        Ok(_)
        | Err(GatewayError::Flink(_) | GatewayError::Cancelled | GatewayError::OperationNotFound) =>
            {}
        Err(e) => return Err(e),
    }
    close(client, path).await
}

/// DELETE close; an operation or session that no longer exists is closed already.
async fn close(client: &GatewayClient, path: &str) -> Result<(), GatewayError> {
    let close = format!("{path}/close");
    match client.http().delete::<IgnoredAny>(&close).await {
        Ok(_) | Err(GatewayError::OperationNotFound | GatewayError::SessionNotFound) => Ok(()),
        Err(e) => Err(e),
    }
}
