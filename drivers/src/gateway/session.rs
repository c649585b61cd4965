//! A Flink session on the gateway: opening it ([`GatewayClient::open_session`]), its
//! configuration, keepalive, and statements.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::IgnoredAny;
use tracing::debug;

use super::client::GatewayClient;
use super::error::GatewayError;
use super::operation::Operation;
use super::stream::{self, StatementResult};
use super::wire::{
    ExecuteStatement, OpenSession, SessionConfig, SessionOpened, StatementSubmitted,
};

impl GatewayClient {
    /// Opens a session named `name` (shown in the gateway's logs) whose configuration is the
    /// gateway's plus `properties` (e.g. `execution.runtime-mode`, `table.local-time-zone`).
    pub async fn open_session(
        &self,
        name: Option<&str>,
        properties: &BTreeMap<String, String>,
    ) -> Result<FlinkSession, GatewayError> {
        let path = format!("{}/sessions", self.api_version().prefix());
        let opened: SessionOpened = self
            .http()
            .post(
                &path,
                Some(&OpenSession {
                    session_name: name,
                    properties,
                }),
            )
            .await?;
        Ok(FlinkSession::new(self.clone(), opened.session_handle))
    }
}

/// An open session: a handle on the gateway plus the client. Cheap to clone.
///
/// Keepalive is the caller's job: the gateway closes a session that is neither used nor
/// heartbeated for `sql-gateway.session.idle-timeout` (10 minutes by default), after which every
/// call fails with [`GatewayError::SessionNotFound`]. Call [`FlinkSession::heartbeat`]
/// periodically (Flink's SQL client does every 60 s) from a task the caller owns, so the
/// heartbeat stops with the caller's session.
#[derive(Debug, Clone)]
pub struct FlinkSession {
    client: GatewayClient,
    handle: Arc<str>,
}

impl FlinkSession {
    pub(crate) fn new(client: GatewayClient, handle: String) -> FlinkSession {
        FlinkSession {
            client,
            handle: handle.into(),
        }
    }

    /// The session handle (a UUID).
    pub fn handle(&self) -> &str {
        &self.handle
    }

    /// Keeps the session from expiring.
    pub async fn heartbeat(&self) -> Result<(), GatewayError> {
        self.client
            .http()
            .post::<IgnoredAny>(&self.path("/heartbeat"), None::<&()>)
            .await
            .map(|_| ())
    }

    /// Closes the session, and with it its operations.
    pub async fn close(&self) -> Result<(), GatewayError> {
        self.client
            .http()
            .delete::<IgnoredAny>(&self.path(""))
            .await
            .map(|_| ())
    }

    /// The session's configuration: the gateway's, the properties it was opened with and its
    /// `SET`s.
    pub async fn properties(&self) -> Result<BTreeMap<String, String>, GatewayError> {
        let config: SessionConfig = self.client.http().get(&self.path("")).await?;
        Ok(config.properties)
    }

    /// Runs one statement, with `execution_config` over the session configuration for this
    /// statement only, and waits for its first result page: DDL and SET finish by then, INSERT
    /// and SELECT have submitted their job.
    ///
    /// A failed statement is [`GatewayError::Flink`]. The returned stream must be read to its
    /// end, closed or cancelled; dropping it early cancels the statement in the background.
    pub async fn execute(
        &self,
        statement: &str,
        execution_config: &BTreeMap<String, String>,
    ) -> Result<StatementResult, GatewayError> {
        let body = ExecuteStatement {
            statement,
            execution_config,
        };
        let submitted: StatementSubmitted = self
            .client
            .http()
            .post(&self.path("/statements"), Some(&body))
            .await?;
        debug!(session = %self.handle, operation = submitted.operation_handle, statement = %super::mask_secrets(statement), "statement submitted");
        stream::start(Operation::new(
            self.client.clone(),
            self.path(""),
            submitted.operation_handle,
        ))
        .await
    }

    /// `/{version}/sessions/{handle}{rest}`.
    fn path(&self, rest: &str) -> String {
        format!(
            "{}/sessions/{}{rest}",
            self.client.api_version().prefix(),
            self.handle
        )
    }
}
