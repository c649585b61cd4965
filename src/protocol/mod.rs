//! Weir's own MySQL wire-protocol layer.
//!
//! It knows packets, authentication, commands and how Arrow record batches look as MySQL result
//! sets; it never names Flink or Weir's session types. The gateway plugs in through two traits:
//! [`Hooks`] (server-wide: accounts, TLS, limits, opening a session) and [`Session`] (one per
//! connection: queries, prepared statements, USE, reset). Tests can implement them without Flink.
//!
//! Why not opensrv-mysql: the newest published release corrupts long queries, cannot do
//! caching_sha2_password, hard-codes capability and status flags, answers COM_CHANGE_USER without
//! re-authenticating, panics on unknown parameter types and drops connections on non-UTF-8 bytes.

pub mod auth;
pub mod charset;
pub mod conn;
pub mod error;
pub mod handshake;
pub mod packet;
pub mod packets;
pub mod resultset;
pub mod stmt;
pub mod stream;
pub mod wire;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use futures::stream::BoxStream;
use tokio_util::sync::CancellationToken;

pub use auth::StoredPassword;
pub use charset::{Charset, Charsets};
pub use error::{Code, MySqlError, codes};
pub use stmt::{NullType, ParamValue};

/// An account as the server knows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub password: StoredPassword,
    /// The plugin the account must authenticate with; `None` accepts either supported plugin.
    pub plugin: Option<String>,
    /// The account may only log in over TLS (`REQUIRE SSL`).
    pub require_tls: bool,
}

/// What a session learns about its connection when it opens.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    pub connection_id: u32,
    pub peer: SocketAddr,
    pub user: String,
    pub database: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub tls: bool,
    /// The client said it is interactive (CLIENT_INTERACTIVE): its idle timeout is
    /// `interactive_timeout`, not `wait_timeout`.
    pub interactive: bool,
    /// The character set and collation the client asked for in its handshake.
    pub charset: &'static Charset,
    pub collation: &'static str,
    /// Cancelled when the connection must end (KILL CONNECTION, server shutdown).
    pub kill: CancellationToken,
}

/// The reply to one statement.
pub enum Response {
    Ok(OkResponse),
    Rows(Rows),
    Err(MySqlError),
}

impl From<MySqlError> for Response {
    fn from(e: MySqlError) -> Self {
        Response::Err(e)
    }
}

/// An OK reply's content. Warnings and status flags come from [`Session::status`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OkResponse {
    pub affected_rows: u64,
    pub last_insert_id: u64,
    pub info: String,
}

/// A result set: its schema (sent as column definitions first) and its batches.
pub struct Rows {
    pub schema: SchemaRef,
    pub batches: BoxStream<'static, Result<RecordBatch, MySqlError>>,
}

/// The session's state that travels in every OK/EOF packet.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionStatus {
    pub autocommit: bool,
    pub in_transaction: bool,
    pub warnings: u16,
}

/// What a prepared statement looks like to the client.
pub struct Prepared {
    pub params: u16,
    /// The result columns, when known at prepare time (otherwise sent with each execute).
    pub columns: Option<SchemaRef>,
}

/// Server-wide behaviour the protocol layer needs.
#[async_trait::async_trait]
pub trait Hooks: Send + Sync + 'static {
    type Session: Session;

    /// The version string of the greeting (MySQL 8.0 style so drivers pick their 8.0 paths).
    fn server_version(&self) -> String;
    /// The auth plugin named in the greeting.
    fn default_auth_plugin(&self) -> &str;
    fn tls_config(&self) -> Option<Arc<rustls::ServerConfig>>;
    fn require_secure_transport(&self) -> bool;
    fn connect_timeout(&self) -> Duration;
    fn max_allowed_packet(&self) -> usize;
    /// The account for `user` connecting from `peer`, if it may connect at all.
    async fn account(&self, user: &str, peer: &SocketAddr) -> Option<Account>;
    /// Opens the session of an authenticated connection. An error (e.g. unknown database) is sent
    /// to the client and the connection closed.
    async fn open_session(&self, info: ConnectionInfo) -> Result<Self::Session, MySqlError>;
    /// A connection ended before a session opened: `code` is the MySQL error it was refused
    /// with; `None` when the client left, sent no valid handshake in time or broke the protocol
    /// without one.
    fn connection_refused(&self, _code: Option<u16>) {}
    /// How long a login attempt of `user` from `peer` waits before it is checked (failed-login
    /// throttling).
    fn login_delay(&self, _user: &str, _peer: &SocketAddr) -> Duration {
        Duration::ZERO
    }
    /// A statement's text as logs may show it (secrets masked).
    fn loggable<'a>(&self, sql: &'a str) -> std::borrow::Cow<'a, str> {
        std::borrow::Cow::Borrowed(sql)
    }
    /// A login attempt's outcome: `None` when it succeeded, else the error it was refused with.
    fn login_attempt(
        &self,
        _user: &str,
        _peer: &SocketAddr,
        _connection_id: u32,
        _refused: Option<&MySqlError>,
    ) {
    }
}

/// One connection's session.
#[async_trait::async_trait]
pub trait Session: Send + 'static {
    /// Splits a COM_QUERY into its statements (multi-statements).
    fn split(&mut self, sql: &str) -> Result<Vec<String>, MySqlError>;
    /// Runs one statement.
    async fn query(&mut self, sql: &str) -> Response;
    /// Prepares `sql` under the id the protocol assigned.
    async fn prepare(&mut self, id: u32, sql: &str) -> Result<Prepared, MySqlError>;
    /// Executes a prepared statement with its bound parameters.
    async fn execute(&mut self, id: u32, params: Vec<ParamValue>) -> Response;
    async fn close_statement(&mut self, id: u32);
    /// COM_INIT_DB.
    async fn init_db(&mut self, database: &str) -> Result<(), MySqlError>;
    /// How long the connection may sit idle between commands before the server closes it
    /// (`wait_timeout`); `None`: forever.
    fn idle_timeout(&self) -> Option<Duration> {
        None
    }

    /// The character sets statement text arrives in and results leave in (the session's
    /// `character_set_client` and `character_set_results`), read before every command.
    fn charsets(&self) -> Charsets {
        Charsets::default()
    }

    /// COM_FIELD_LIST: the columns of `table` (no rows).
    async fn field_list(&mut self, table: &str) -> Result<SchemaRef, MySqlError>;
    /// COM_RESET_CONNECTION: back to the state of a fresh connection, same user.
    async fn reset(&mut self) -> Result<(), MySqlError>;
    /// COM_STATISTICS' human-readable line.
    fn statistics(&self) -> String;
    fn status(&self) -> SessionStatus;
    /// The connection is ending (quit, error, kill, change of user).
    async fn close(&mut self);
}
