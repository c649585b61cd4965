//! A statement's operation on the gateway, which is cancelled and closed when dropped while open.
//!
//! Closing an operation also stops the job of a query still running (its result fetcher cancels
//! the job: verified on Flink 1.20.3). Cancelling fails once the operation is FINISHED, which a
//! query is as soon as its job is submitted, so stopping always cancels (ignoring that refusal)
//! and then closes.

use serde::de::IgnoredAny;
use tracing::{debug, warn};

use super::error::GatewayError;
use super::session::FlinkSession;
use super::wire::FetchResults;

/// An open operation.
#[derive(Debug)]
pub(crate) struct Operation {
    session: FlinkSession,
    handle: String,
    /// Cleared once the operation was closed (or an attempt made), so `Drop` leaves it alone.
    open: bool,
}

impl Operation {
    pub fn new(session: FlinkSession, handle: String) -> Operation {
        Operation {
            session,
            handle,
            open: true,
        }
    }

    /// The URI of the first result page.
    pub fn first_page_uri(&self) -> String {
        let format = if self.session.client().capabilities().row_format_param {
            "?rowFormat=JSON"
        } else {
            ""
        };
        format!(
            "{}/result/0{format}",
            operation_path(&self.session, &self.handle)
        )
    }

    /// Fetches the result page at `uri` (a gateway `nextResultUri`).
    pub async fn fetch(&self, uri: &str) -> Result<FetchResults, GatewayError> {
        self.session.client().http().get(uri).await
    }

    /// Cancels the operation (stopping its job), then closes it.
    pub async fn cancel(mut self) -> Result<(), GatewayError> {
        self.open = false;
        stop(&self.session, &self.handle).await
    }

    /// Closes the operation (stopping the job of a query that still runs).
    pub async fn close(mut self) -> Result<(), GatewayError> {
        self.open = false;
        close(&self.session, &self.handle).await
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
        let session = self.session.clone();
        let handle = std::mem::take(&mut self.handle);
        runtime.spawn(async move {
            match stop(&session, &handle).await {
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
async fn stop(session: &FlinkSession, handle: &str) -> Result<(), GatewayError> {
    let path = format!("{}/cancel", operation_path(session, handle));
    match session
        .client()
        .http()
        .post::<IgnoredAny>(&path, None::<&()>)
        .await
    {
        Ok(_)
        | Err(GatewayError::Flink(_) | GatewayError::Cancelled | GatewayError::OperationNotFound) =>
            {}
        Err(e) => return Err(e),
    }
    close(session, handle).await
}

/// DELETE close; an operation or session that no longer exists is closed already.
async fn close(session: &FlinkSession, handle: &str) -> Result<(), GatewayError> {
    let path = format!("{}/close", operation_path(session, handle));
    match session.client().http().delete::<IgnoredAny>(&path).await {
        Ok(_) | Err(GatewayError::OperationNotFound | GatewayError::SessionNotFound) => Ok(()),
        Err(e) => Err(e),
    }
}

fn operation_path(session: &FlinkSession, handle: &str) -> String {
    session.path(&format!("/operations/{handle}"))
}
