//! One client connection: the connection phase (greeting, TLS, authentication) and then the
//! command phase, one handler per COM_* command.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use futures::StreamExt;
use mysql_common::constants::{CapabilityFlags, Command};
use tokio::net::TcpStream;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};
use tracing::{debug, info, warn};

use super::auth;
use super::charset::{self, Charset, Charsets};
use super::error::{MySqlError, codes};
use super::handshake::{
    self, CACHING_SHA2_PASSWORD, ClientHello, FAST_AUTH_OK, HandshakeResponse, NATIVE_PASSWORD, PERFORM_FULL_AUTH, Salt,
};
use super::packet::{PacketError, PacketIo};
use super::packets::{self, OkPacket};
use super::resultset::{self, ColumnMeta};
use super::stmt::{self, StmtState};
use super::stream::{ClientStream, Transport};
use super::wire::{Malformed, Reader, WriteExt};
use super::{Account, ConnectionInfo, Hooks, Response, Rows, Session};

/// Why a connection ended abnormally.
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    #[error(transparent)]
    Packet(#[from] PacketError),
    #[error(transparent)]
    Malformed(#[from] Malformed),
    #[error("TLS handshake failed: {0}")]
    Tls(std::io::Error),
    #[error("handshake not completed within {0:?}")]
    HandshakeTimeout(std::time::Duration),
    #[error("refused: {0}")]
    Refused(MySqlError),
}

/// The largest packet a client may send before it has authenticated: a handshake response with
/// connection attributes (MySQL caps those at 64 KiB), an auth switch response, a password.
/// `max_allowed_packet` applies once the client has logged in.
pub const CONNECT_PHASE_MAX_PACKET: usize = 128 * 1024;

/// Prepared statements one connection may hold at once (MySQL's `max_prepared_stmt_count`
/// default); one more is ERROR 1461.
pub const MAX_PREPARED_STATEMENTS: usize = 16_382;

type Io<S> = PacketIo<ClientStream<S>>;

/// The idle timer's deadline before a session sets one (thirty years: never, in practice).
const NEVER: std::time::Duration = std::time::Duration::from_secs(30 * 365 * 86_400);

/// Refuses an accepted TCP connection before its handshake with `e` (as MySQL answers one
/// connection too many: an ERR packet without a SQLSTATE, which a client reads before it knows
/// the server's capabilities), then closes it.
pub async fn refuse_before_handshake(mut tcp: TcpStream, e: &MySqlError) {
    use tokio::io::AsyncWriteExt;
    let mut payload = vec![0xFF];
    payload.extend_from_slice(&e.code.to_le_bytes());
    payload.extend_from_slice(e.message.as_bytes());
    let len = u32::try_from(payload.len()).unwrap_or(0).to_le_bytes();
    let mut packet = vec![len[0], len[1], len[2], 0];
    packet.extend_from_slice(&payload);
    let write = async {
        tcp.write_all(&packet).await?;
        tcp.shutdown().await
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), write).await;
}

/// Serves one accepted TCP connection until it ends.
pub async fn serve<H: Hooks>(hooks: Arc<H>, tcp: TcpStream, peer: SocketAddr, connection_id: u32, kill: CancellationToken) {
    let _ = tcp.set_nodelay(true);
    serve_stream(hooks, tcp, peer, connection_id, kill).await;
}

/// Serves one connection over any byte stream (TCP for the server; an in-memory pipe for the
/// protocol fuzzer and tests) until it ends.
pub async fn serve_stream<H: Hooks, S: Transport>(hooks: Arc<H>, stream: S, peer: SocketAddr, connection_id: u32, kill: CancellationToken) {
    let timeout = hooks.connect_timeout();
    let handshake = tokio::time::timeout(timeout, connect(&*hooks, stream, peer, connection_id, kill.clone())).await;
    let (mut io, mut session, caps) = match handshake {
        Ok(Ok((mut io, session, caps))) => {
            io.enable_read_buffer();
            (io, session, caps)
        }
        Ok(Err(e)) => {
            info!(%peer, error = %e, "connection refused");
            // A refusal told to the client was counted before it was told.
            if !matches!(e, ConnError::Refused(_)) {
                hooks.connection_refused(None);
            }
            return;
        }
        Err(_) => {
            info!(%peer, error = %ConnError::HandshakeTimeout(timeout), "connection dropped");
            hooks.connection_refused(None);
            return;
        }
    };
    let mut conn = Connection {
        _stream: std::marker::PhantomData,
        hooks: hooks.clone(),
        caps,
        stmts: HashMap::new(),
        next_stmt: 1,
        multi_statements: caps.contains(CapabilityFlags::CLIENT_MULTI_STATEMENTS),
        charsets: session.charsets(),
        killed: Box::pin(kill.clone().cancelled_owned()),
        kill,
        idle: Box::pin(tokio::time::sleep(NEVER)),
        peer,
        connection_id,
    };
    match conn.command_loop(&mut io, &mut session).await {
        Ok(()) => debug!("connection closed"),
        Err(ConnError::Packet(PacketError::Closed)) => debug!("client went away"),
        Err(e) => info!(error = %e, "connection ended"),
    }
    session.close().await;
    io.shutdown().await;
}

/// The connection phase. Returns the packet stream, the opened session and the negotiated caps.
async fn connect<H: Hooks, S: Transport>(
    hooks: &H,
    stream: S,
    peer: SocketAddr,
    connection_id: u32,
    kill: CancellationToken,
) -> Result<(Io<S>, H::Session, CapabilityFlags), ConnError> {
    let tls = hooks.tls_config();
    let server_caps = handshake::server_capabilities(tls.is_some());
    let salt = handshake::new_salt();
    let mut io = PacketIo::new(ClientStream::Plain(stream), CONNECT_PHASE_MAX_PACKET);
    let default_plugin = hooks.default_auth_plugin().to_string();
    io.write_packet(&handshake::greeting(&hooks.server_version(), connection_id, &salt, server_caps, &default_plugin));
    io.flush().await?;

    let mut hello = handshake::parse_client_hello(&read_or_refuse(&mut io).await?);
    if let Ok(ClientHello::SslRequest { .. }) = hello {
        let Some(cfg) = tls else {
            return bad_handshake(&mut io, Malformed("SSLRequest without TLS offered")).await;
        };
        let seq = io.seq();
        let ClientStream::Plain(plain) = io.into_inner() else {
            return Err(Malformed("TLS requested twice").into());
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(cfg);
        let tls_stream = acceptor.accept(plain).await.map_err(ConnError::Tls)?;
        io = PacketIo::new(ClientStream::Tls(Box::new(tls_stream)), CONNECT_PHASE_MAX_PACKET);
        // The sequence continues across the TLS switch.
        io.set_seq(seq);
        hello = handshake::parse_client_hello(&read_or_refuse(&mut io).await?);
    }
    let resp = match hello {
        Ok(ClientHello::Response(r)) => r,
        Ok(ClientHello::SslRequest { .. }) => return bad_handshake(&mut io, Malformed("second SSLRequest")).await,
        Err(m) => return bad_handshake(&mut io, m).await,
    };
    let caps = resp.caps & server_caps;
    let is_tls = io.get_ref().is_tls();
    if hooks.require_secure_transport() && !is_tls {
        let e = MySqlError::new(
            codes::ER_SECURE_TRANSPORT_REQUIRED,
            "Connections using insecure transport are prohibited while --require_secure_transport=ON.",
        );
        return refuse(hooks, &mut io, e).await;
    }

    let delay = hooks.login_delay(&resp.user, &peer);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let account = hooks.account(&resp.user, &peer).await;
    if let Err(e) = authenticate(&mut io, &resp, account.as_ref(), &salt, is_tls, peer).await {
        hooks.login_attempt(&resp.user, &peer, connection_id, Some(&e));
        return refuse(hooks, &mut io, e).await;
    }
    hooks.login_attempt(&resp.user, &peer, connection_id, None);

    let (charset, collation) = match handshake_charset(resp.charset) {
        Ok(c) => c,
        Err(e) => return refuse(hooks, &mut io, e).await,
    };
    let info = ConnectionInfo {
        connection_id,
        peer,
        user: resp.user.clone(),
        database: resp.database.clone(),
        attributes: resp.attributes.clone(),
        tls: is_tls,
        interactive: resp.caps.contains(CapabilityFlags::CLIENT_INTERACTIVE),
        charset,
        collation,
        kill,
    };
    let session = match hooks.open_session(info).await {
        Ok(s) => s,
        Err(e) => return refuse(hooks, &mut io, e).await,
    };
    // Logged in: packets up to max_allowed_packet from now on.
    io.set_max_packet(hooks.max_allowed_packet());
    let status = session.status();
    let ok = OkPacket {
        status: packets::status_flags(status.autocommit, status.in_transaction, false),
        ..Default::default()
    };
    io.write_packet(&packets::ok(&ok, caps, false));
    io.flush().await?;
    info!(%peer, user = %resp.user, tls = is_tls, "connected");
    Ok((io, session, caps))
}

/// The character set and collation of a handshake's collation id; 1115 for one Weir cannot speak.
fn handshake_charset(id: u8) -> Result<(&'static Charset, &'static str), MySqlError> {
    charset::by_collation_id(id).ok_or_else(|| charset::unknown_charset(&format!("collation #{id}")))
}

/// Refuses the connection with `e`: counted first, so that a client told of it finds it counted.
async fn refuse<T, H: Hooks, S: Transport>(hooks: &H, io: &mut Io<S>, e: MySqlError) -> Result<T, ConnError> {
    hooks.connection_refused(Some(e.code));
    io.write_packet(&packets::err(&e));
    // The refusal stands (and is counted once) whether or not the client is still there to read it.
    let _ = io.flush().await;
    Err(ConnError::Refused(e))
}

/// A handshake packet that does not parse: 1043 (08S01), then the connection ends.
async fn bad_handshake<T, S: Transport>(io: &mut Io<S>, m: Malformed) -> Result<T, ConnError> {
    let e = MySqlError::new(codes::ER_HANDSHAKE_ERROR, format!("Bad handshake: {}", m.0));
    io.write_packet(&packets::err(&e));
    io.flush().await?;
    Err(m.into())
}

/// Reads a packet of the connection phase; a packet too large or out of order is answered with
/// its error before the connection ends.
async fn read_or_refuse<S: Transport>(io: &mut Io<S>) -> Result<Vec<u8>, ConnError> {
    match io.read_packet().await {
        Ok(p) => Ok(p),
        Err(e) => Err(reply_to_packet_error(io, e).await),
    }
}

/// The error a client is told before the server drops a connection whose framing broke: 1153
/// for a packet over the limit, 1156 for a sequence id out of order; nothing for a stream that
/// ended or failed. Returns the error that ends the connection.
async fn reply_to_packet_error<S: Transport>(io: &mut Io<S>, e: PacketError) -> ConnError {
    let reply = match &e {
        PacketError::TooLarge { size, limit } => Some(MySqlError::new(
            codes::ER_NET_PACKET_TOO_LARGE,
            format!("Got a packet bigger than 'max_allowed_packet' bytes ({size} > {limit})"),
        )),
        PacketError::OutOfOrder { got, .. } => {
            // Answer in the client's sequence, so that it reads the error rather than its own.
            io.set_seq(got.wrapping_add(1));
            Some(MySqlError::new(codes::ER_NET_PACKETS_OUT_OF_ORDER, "Got packets out of order"))
        }
        PacketError::Closed | PacketError::Io(_) => None,
    };
    if let Some(reply) = reply {
        io.write_packet(&packets::err(&reply));
        let _ = io.flush().await;
    }
    e.into()
}

/// Runs the auth exchange for `resp` against `account`. On success nothing is written yet (the
/// caller sends OK once the session is open).
async fn authenticate<S: Transport>(
    io: &mut Io<S>,
    resp: &HandshakeResponse,
    account: Option<&Account>,
    salt: &Salt,
    tls: bool,
    peer: SocketAddr,
) -> Result<(), MySqlError> {
    let denied = || {
        MySqlError::new(
            codes::ER_ACCESS_DENIED_ERROR,
            format!(
                "Access denied for user '{}'@'{}' (using password: {})",
                resp.user,
                peer.ip(),
                if resp.auth_response.is_empty() { "NO" } else { "YES" }
            ),
        )
    };
    let io_err = |e: PacketError| MySqlError::new(codes::ER_HANDSHAKE_ERROR, format!("Bad handshake: {e}"));
    let client_plugin = resp.auth_plugin.clone().unwrap_or_else(|| NATIVE_PASSWORD.to_string());
    let wanted = account.and_then(|a| a.plugin.clone());
    let supported = |p: &str| p == NATIVE_PASSWORD || p == CACHING_SHA2_PASSWORD;

    // Switch plugins when the client used one the account does not allow (or we do not know).
    let (plugin, data, salt) = if supported(&client_plugin) && wanted.as_deref().is_none_or(|w| w == client_plugin) {
        (client_plugin, resp.auth_response.clone(), *salt)
    } else {
        let target = wanted.unwrap_or_else(|| CACHING_SHA2_PASSWORD.to_string());
        let fresh = handshake::new_salt();
        io.write_packet(&handshake::auth_switch(&target, &fresh));
        io.flush().await.map_err(io_err)?;
        let data = io.read_packet().await.map_err(io_err)?;
        (target, data, fresh)
    };
    let Some(account) = account else {
        return Err(denied());
    };
    // `REQUIRE SSL`: refused like a wrong password, as MySQL does.
    if account.require_tls && !tls {
        return Err(denied());
    }
    let password = &account.password;
    if plugin == NATIVE_PASSWORD {
        return if password.verify_native(&salt, &data) { Ok(()) } else { Err(denied()) };
    }
    // caching_sha2_password.
    if password.is_empty() && auth::is_empty_password_response(&data) {
        return Ok(());
    }
    if password.verify_sha2_fast(&salt, &data) {
        io.write_packet(&FAST_AUTH_OK);
        return Ok(());
    }
    if !tls || !data.is_empty() && data.len() == 32 {
        // A wrong scramble is a wrong password; full auth over plain TCP would need RSA.
        return Err(denied());
    }
    io.write_packet(&PERFORM_FULL_AUTH);
    io.flush().await.map_err(io_err)?;
    let clear = io.read_packet().await.map_err(io_err)?;
    if password.verify_cleartext(&clear) { Ok(()) } else { Err(denied()) }
}

struct Connection<H: Hooks, S> {
    _stream: std::marker::PhantomData<fn() -> S>,
    hooks: Arc<H>,
    caps: CapabilityFlags,
    stmts: HashMap<u32, StmtState>,
    next_stmt: u32,
    multi_statements: bool,
    /// The session's character sets, read before each command and after each statement.
    charsets: Charsets,
    kill: CancellationToken,
    /// The connection's kill, waited on across commands (registered once).
    killed: Pin<Box<WaitForCancellationFutureOwned>>,
    /// The idle timer (wait_timeout), armed once and moved on only when it fires early.
    idle: Pin<Box<tokio::time::Sleep>>,
    peer: SocketAddr,
    connection_id: u32,
}

impl<H: Hooks, S: Transport> Connection<H, S> {
    async fn command_loop(&mut self, io: &mut Io<S>, session: &mut H::Session) -> Result<(), ConnError> {
        loop {
            io.reset_seq();
            let packet = match self.next_command(io, session.idle_timeout()).await {
                Waited::Packet(Ok(p)) => p,
                Waited::Packet(Err(e)) => return Err(reply_to_packet_error(io, e).await),
                Waited::Killed => {
                    let e = MySqlError::new(codes::ER_CONNECTION_KILLED, "Connection was killed");
                    io.reset_seq();
                    io.write_packet(&packets::err(&e));
                    let _ = io.flush().await;
                    return Ok(());
                }
                Waited::Idle => {
                    let e = MySqlError::new(
                        codes::ER_CLIENT_INTERACTION_TIMEOUT,
                        "The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior.",
                    );
                    io.reset_seq();
                    io.write_packet(&packets::err(&e));
                    let _ = io.flush().await;
                    info!(peer = %self.peer, "connection closed after its idle timeout (wait_timeout)");
                    return Ok(());
                }
            };
            let Some((&cmd, body)) = packet.split_first() else {
                self.send_err(io, MySqlError::new(codes::ER_UNKNOWN_COM_ERROR, "Empty command packet")).await?;
                continue;
            };
            match self.dispatch(io, session, cmd, body).await {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                // A command whose body does not have its shape: the framing is intact, so the
                // client hears 1835 and the connection goes on (nothing was done).
                Err(ConnError::Malformed(m)) => {
                    debug!(command = cmd, error = %m, "malformed command");
                    let e = MySqlError::new(codes::ER_MALFORMED_PACKET, "Malformed communication packet.");
                    self.send_err(io, e).await?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Waits for the client's next command packet, for the connection's kill, or for `idle` (the
    /// session's wait_timeout) to pass with nothing from the client. The idle timer is not
    /// re-registered per command: it stays at the deadline it was given and, firing before the
    /// current one, moves on to it; it is pulled in at once when the timeout was shortened.
    async fn next_command(&mut self, io: &mut Io<S>, idle: Option<std::time::Duration>) -> Waited {
        let deadline = idle.map(|d| tokio::time::Instant::now() + d);
        if let Some(d) = deadline
            && d < self.idle.deadline()
        {
            self.idle.as_mut().reset(d);
        }
        let read = io.read_packet();
        tokio::pin!(read);
        loop {
            tokio::select! {
                biased;
                _ = self.killed.as_mut() => return Waited::Killed,
                p = &mut read => return Waited::Packet(p),
                _ = self.idle.as_mut(), if deadline.is_some() => match deadline {
                    Some(d) if tokio::time::Instant::now() < d => self.idle.as_mut().reset(d),
                    _ => return Waited::Idle,
                },
            }
        }
    }

    /// Handles one command; `false` ends the connection.
    async fn dispatch(&mut self, io: &mut Io<S>, session: &mut H::Session, cmd: u8, body: &[u8]) -> Result<bool, ConnError> {
        const QUIT: u8 = Command::COM_QUIT as u8;
        const INIT_DB: u8 = Command::COM_INIT_DB as u8;
        const QUERY: u8 = Command::COM_QUERY as u8;
        const FIELD_LIST: u8 = Command::COM_FIELD_LIST as u8;
        const STATISTICS: u8 = Command::COM_STATISTICS as u8;
        const PROCESS_KILL: u8 = Command::COM_PROCESS_KILL as u8;
        const PING: u8 = Command::COM_PING as u8;
        const CHANGE_USER: u8 = Command::COM_CHANGE_USER as u8;
        const STMT_PREPARE: u8 = Command::COM_STMT_PREPARE as u8;
        const STMT_EXECUTE: u8 = Command::COM_STMT_EXECUTE as u8;
        const STMT_SEND_LONG_DATA: u8 = Command::COM_STMT_SEND_LONG_DATA as u8;
        const STMT_CLOSE: u8 = Command::COM_STMT_CLOSE as u8;
        const STMT_RESET: u8 = Command::COM_STMT_RESET as u8;
        const SET_OPTION: u8 = Command::COM_SET_OPTION as u8;
        const RESET_CONNECTION: u8 = Command::COM_RESET_CONNECTION as u8;
        self.charsets = session.charsets();
        match cmd {
            QUIT => return Ok(false),
            PING => self.send_ok(io, session, OkPacket::default()).await?,
            QUERY => self.on_query(io, session, body).await?,
            INIT_DB => {
                let db = self.charsets.client.decode_lossy(body).into_owned();
                match session.init_db(&db).await {
                    Ok(()) => self.send_ok(io, session, OkPacket::default()).await?,
                    Err(e) => self.send_err(io, e).await?,
                }
            }
            FIELD_LIST => self.on_field_list(io, session, body).await?,
            STATISTICS => {
                io.write_packet(session.statistics().as_bytes());
                io.flush().await?;
            }
            PROCESS_KILL => {
                let mut r = Reader::new(body);
                let id = r.u32("connection id")?;
                let resp = session.query(&format!("KILL CONNECTION {id}")).await;
                self.send_response(io, session, resp, false, false).await?;
            }
            CHANGE_USER => return self.on_change_user(io, session, body).await,
            RESET_CONNECTION => {
                self.stmts.clear();
                match session.reset().await {
                    Ok(()) => self.send_ok(io, session, OkPacket::default()).await?,
                    Err(e) => self.send_err(io, e).await?,
                }
            }
            SET_OPTION => {
                let mut r = Reader::new(body);
                match r.u16("option")? {
                    0 => self.multi_statements = true,
                    1 => self.multi_statements = false,
                    other => {
                        let e = MySqlError::new(codes::ER_UNKNOWN_COM_ERROR, format!("Unknown COM_SET_OPTION value {other}"));
                        return self.send_err(io, e).await.map(|_| true);
                    }
                }
                let st = session.status();
                io.write_packet(&packets::eof(packets::status_flags(st.autocommit, st.in_transaction, false), st.warnings));
                io.flush().await?;
            }
            STMT_PREPARE => self.on_prepare(io, session, body).await?,
            STMT_EXECUTE => self.on_execute(io, session, body).await?,
            STMT_SEND_LONG_DATA => {
                // No reply, by the protocol: a piece the statement cannot take is an error kept
                // for its next execute, as in MySQL.
                let mut r = Reader::new(body);
                let id = r.u32("statement id")?;
                let param = r.u16("parameter id")?;
                let limit = self.hooks.max_allowed_packet();
                if let Some(st) = self.stmts.get_mut(&id) {
                    st.add_long_data(param, r.rest(), limit);
                }
            }
            STMT_CLOSE => {
                let mut r = Reader::new(body);
                let id = r.u32("statement id")?;
                if self.stmts.remove(&id).is_some() {
                    session.close_statement(id).await;
                }
            }
            STMT_RESET => {
                let mut r = Reader::new(body);
                let id = r.u32("statement id")?;
                match self.stmts.get_mut(&id) {
                    Some(st) => {
                        st.reset();
                        self.send_ok(io, session, OkPacket::default()).await?;
                    }
                    None => self.send_err(io, unknown_stmt(id, "mysqld_stmt_reset")).await?,
                }
            }
            other => {
                let e = MySqlError::new(codes::ER_UNKNOWN_COM_ERROR, format!("Unknown command {other:#04x}"));
                self.send_err(io, e).await?;
            }
        }
        Ok(true)
    }

    async fn on_query(&mut self, io: &mut Io<S>, session: &mut H::Session, body: &[u8]) -> Result<(), ConnError> {
        let sql = match self.charsets.client.decode_statement(body) {
            Ok(s) => s,
            Err(e) => return self.send_err(io, e).await,
        };
        let sql = &*sql;
        let statements = match session.split(sql) {
            Ok(s) => s,
            Err(e) => return self.send_err(io, e).await,
        };
        if statements.is_empty() {
            // Only comments: MySQL answers OK; nothing at all is an empty query.
            if !sql.trim().is_empty() {
                return self.send_ok(io, session, OkPacket::default()).await;
            }
            return self.send_err(io, MySqlError::new(codes::ER_EMPTY_QUERY, "Query was empty")).await;
        }
        if statements.len() > 1 && !self.multi_statements {
            let e = MySqlError::new(
                codes::ER_PARSE_ERROR,
                "You have an error in your SQL syntax: multi-statements are disabled on this connection (CLIENT_MULTI_STATEMENTS is off)",
            );
            return self.send_err(io, e).await;
        }
        let last = statements.len() - 1;
        for (i, stmt) in statements.iter().enumerate() {
            let span = tracing::info_span!("statement", sql = %self.hooks.loggable(truncate_for_log(stmt)));
            let resp = tracing::Instrument::instrument(session.query(stmt), span).await;
            // An error, before the result or in the middle of its rows, ends the batch.
            if !self.send_response(io, session, resp, i < last, false).await? {
                break;
            }
        }
        Ok(())
    }

    async fn on_field_list(&mut self, io: &mut Io<S>, session: &mut H::Session, body: &[u8]) -> Result<(), ConnError> {
        let mut r = Reader::new(body);
        let table = self.charsets.client.decode_lossy(r.nul_terminated()).into_owned();
        match session.field_list(&table).await {
            Ok(schema) => {
                for f in schema.fields() {
                    let mut meta = self.column_meta(f);
                    meta.table = table.clone();
                    let mut def = resultset::column_definition(&meta, self.charsets.out());
                    // COM_FIELD_LIST definitions end with the column's default value: NULL (0xFB).
                    def.push(0xFB);
                    io.write_packet(&def);
                }
                self.end_result(io, session, false).await
            }
            Err(e) => self.send_err(io, e).await,
        }
    }

    async fn on_prepare(&mut self, io: &mut Io<S>, session: &mut H::Session, body: &[u8]) -> Result<(), ConnError> {
        let sql = match self.charsets.client.decode_statement(body) {
            Ok(s) => s,
            Err(e) => return self.send_err(io, e).await,
        };
        if self.stmts.len() >= MAX_PREPARED_STATEMENTS {
            let e = MySqlError::new(
                codes::ER_MAX_PREPARED_STMT_COUNT_REACHED,
                format!("Can't create more than max_prepared_stmt_count statements (current value: {MAX_PREPARED_STATEMENTS})"),
            );
            return self.send_err(io, e).await;
        }
        let id = self.next_stmt;
        let prepared = match session.prepare(id, &sql).await {
            Ok(p) => p,
            Err(e) => return self.send_err(io, e).await,
        };
        self.next_stmt = self.next_stmt.wrapping_add(1).max(1);
        self.stmts.insert(id, StmtState { num_params: prepared.params, ..Default::default() });
        let columns: Vec<ColumnMeta> = prepared
            .columns
            .as_ref()
            .map(|s| s.fields().iter().map(|f| self.column_meta(f)).collect())
            .unwrap_or_default();
        let st = session.status();
        io.write_packet(&stmt::prepare_ok(id, columns.len() as u16, prepared.params, st.warnings));
        let deprecate_eof = self.caps.contains(CapabilityFlags::CLIENT_DEPRECATE_EOF);
        let status = packets::status_flags(st.autocommit, st.in_transaction, false);
        if prepared.params > 0 {
            for i in 0..prepared.params {
                let meta = ColumnMeta {
                    name: format!("?{i}"),
                    table: String::new(),
                    schema: String::new(),
                    column_type: mysql_common::constants::ColumnType::MYSQL_TYPE_VAR_STRING,
                    charset: u16::from(self.charsets.out().collation_id()),
                    length: 0,
                    flags: mysql_common::constants::ColumnFlags::empty(),
                    decimals: 0,
                };
                io.write_packet(&resultset::column_definition(&meta, self.charsets.out()));
            }
            if !deprecate_eof {
                io.write_packet(&packets::eof(status, 0));
            }
        }
        if !columns.is_empty() {
            for c in &columns {
                io.write_packet(&resultset::column_definition(c, self.charsets.out()));
            }
            if !deprecate_eof {
                io.write_packet(&packets::eof(status, 0));
            }
        }
        io.flush().await?;
        Ok(())
    }

    async fn on_execute(&mut self, io: &mut Io<S>, session: &mut H::Session, body: &[u8]) -> Result<(), ConnError> {
        let mut r = Reader::new(body);
        let header = stmt::parse_execute_header(&mut r)?;
        let Some(state) = self.stmts.get_mut(&header.stmt_id) else {
            return self.send_err(io, unknown_stmt(header.stmt_id, "mysqld_stmt_execute")).await;
        };
        if let Some(e) = state.long_data_error.clone() {
            state.long_data.clear();
            return self.send_err(io, e).await;
        }
        let params = match stmt::parse_params(&mut r, state) {
            Ok(p) => p,
            Err(m) => {
                let e = MySqlError::new(codes::ER_WRONG_ARGUMENTS, format!("Incorrect arguments to mysqld_stmt_execute: {}", m.0));
                return self.send_err(io, e).await;
            }
        };
        let client = self.charsets.client;
        let params = params.into_iter().map(|p| stmt::in_client_charset(p, client)).collect();
        let resp = session.execute(header.stmt_id, params).await;
        self.send_response(io, session, resp, false, true).await.map(|_| ())
    }

    async fn on_change_user(&mut self, io: &mut Io<S>, session: &mut H::Session, body: &[u8]) -> Result<bool, ConnError> {
        let resp = handshake::parse_change_user(body, self.caps)?;
        // The auth response was computed over the greeting's salt, which we no longer trust:
        // always re-authenticate with a fresh salt through an auth switch.
        let account = self.hooks.account(&resp.user, &self.peer).await;
        let plugin = account
            .as_ref()
            .and_then(|a| a.plugin.clone())
            .or(resp.auth_plugin.clone())
            .filter(|p| p == NATIVE_PASSWORD || p == CACHING_SHA2_PASSWORD)
            .unwrap_or_else(|| NATIVE_PASSWORD.to_string());
        let salt = handshake::new_salt();
        io.write_packet(&handshake::auth_switch(&plugin, &salt));
        io.flush().await?;
        let data = io.read_packet().await?;
        let switched = HandshakeResponse { auth_plugin: Some(plugin), auth_response: data, ..resp.clone() };
        let tls = io.get_ref().is_tls();
        let peer = self.peer;
        let delay = self.hooks.login_delay(&resp.user, &peer);
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let outcome = authenticate(io, &switched, account.as_ref(), &salt, tls, peer).await;
        self.hooks.login_attempt(&resp.user, &peer, self.connection_id, outcome.as_ref().err());
        if let Err(e) = outcome {
            io.write_packet(&packets::err(&e));
            io.flush().await?;
            warn!(user = %resp.user, "COM_CHANGE_USER refused; closing the connection");
            return Ok(false);
        }
        let (charset, collation) = match handshake_charset(resp.charset) {
            Ok(c) => c,
            Err(e) => {
                self.send_err(io, e).await?;
                return Ok(false);
            }
        };
        self.stmts.clear();
        session.close().await;
        let info = ConnectionInfo {
            connection_id: self.connection_id,
            peer,
            user: resp.user.clone(),
            database: resp.database.clone(),
            attributes: resp.attributes.clone(),
            tls,
            interactive: self.caps.contains(CapabilityFlags::CLIENT_INTERACTIVE),
            charset,
            collation,
            kill: self.kill.clone(),
        };
        match self.hooks.open_session(info).await {
            Ok(new_session) => {
                *session = new_session;
                self.send_ok(io, session, OkPacket::default()).await?;
                Ok(true)
            }
            Err(e) => {
                self.send_err(io, e).await?;
                Ok(false)
            }
        }
    }

    async fn send_ok(&mut self, io: &mut Io<S>, session: &H::Session, mut ok: OkPacket) -> Result<(), ConnError> {
        let st = session.status();
        ok.status |= packets::status_flags(st.autocommit, st.in_transaction, false);
        ok.warnings = st.warnings;
        io.write_packet(&packets::ok(&ok, self.caps, false));
        io.flush().await?;
        Ok(())
    }

    async fn send_err(&mut self, io: &mut Io<S>, e: MySqlError) -> Result<(), ConnError> {
        io.write_packet(&packets::err_in(&e, self.charsets.out()));
        io.flush().await?;
        Ok(())
    }

    /// Writes one statement's response. `more` sets SERVER_MORE_RESULTS_EXISTS; `binary` selects
    /// the binary row format (COM_STMT_EXECUTE). False when the statement ended in an error.
    async fn send_response(
        &mut self,
        io: &mut Io<S>,
        session: &mut H::Session,
        resp: Response,
        more: bool,
        binary: bool,
    ) -> Result<bool, ConnError> {
        // The statement may have changed them (SET NAMES).
        self.charsets = session.charsets();
        match resp {
            Response::Ok(ok) => {
                let st = session.status();
                let p = OkPacket {
                    affected_rows: ok.affected_rows,
                    last_insert_id: ok.last_insert_id,
                    status: packets::status_flags(st.autocommit, st.in_transaction, more),
                    warnings: st.warnings,
                    info: ok.info,
                };
                io.write_packet(&packets::ok(&p, self.caps, false));
                io.flush().await?;
                Ok(true)
            }
            Response::Err(e) => self.send_err(io, e).await.map(|()| false),
            Response::Rows(rows) => self.send_rows(io, session, rows, more, binary).await,
        }
    }

    /// Writes a result set; false when its rows ended in an error (sent instead of the end).
    async fn send_rows(&mut self, io: &mut Io<S>, session: &mut H::Session, rows: Rows, more: bool, binary: bool) -> Result<bool, ConnError> {
        let Rows { schema, mut batches } = rows;
        let columns: Vec<ColumnMeta> = schema.fields().iter().map(|f| self.column_meta(f)).collect();
        let deprecate_eof = self.caps.contains(CapabilityFlags::CLIENT_DEPRECATE_EOF);
        let mut count = Vec::with_capacity(9);
        count.put_lenenc_int(columns.len() as u64);
        io.write_packet(&count);
        for c in &columns {
            io.write_packet(&resultset::column_definition(c, self.charsets.out()));
        }
        if !deprecate_eof {
            let st = session.status();
            io.write_packet(&packets::eof(packets::status_flags(st.autocommit, st.in_transaction, false), 0));
        }
        loop {
            let next = tokio::select! {
                b = batches.next() => b,
                _ = self.killed.as_mut() => Some(Err(MySqlError::new(codes::ER_QUERY_INTERRUPTED, "Query execution was interrupted"))),
            };
            match next {
                None => break,
                Some(Ok(batch)) => {
                    if binary {
                        resultset::binary_rows(&batch, &columns, self.charsets.out(), |row| io.write_packet(row));
                    } else {
                        resultset::text_rows(&batch, self.charsets.out(), |row| io.write_packet(row));
                    }
                    io.flush_if_large().await?;
                }
                Some(Err(e)) => {
                    drop(batches);
                    return self.send_err(io, e).await.map(|()| false);
                }
            }
        }
        drop(batches);
        self.end_result(io, session, more).await.map(|()| true)
    }

    /// A column's description; a text column is in the results' character set (binary ones
    /// keep collation 63).
    fn column_meta(&self, f: &arrow_schema::Field) -> ColumnMeta {
        let mut meta = resultset::column_meta(f);
        if let Some(cs) = self.charsets.results
            && meta.charset != 63
        {
            meta.charset = u16::from(cs.collation_id());
        }
        meta
    }

    /// Ends a result set (or a field list): an OK with the 0xFE header when the client
    /// deprecated EOF, else a classic EOF; both carry the session's status and warnings.
    async fn end_result(&mut self, io: &mut Io<S>, session: &H::Session, more: bool) -> Result<(), ConnError> {
        let st = session.status();
        let status = packets::status_flags(st.autocommit, st.in_transaction, more);
        if self.caps.contains(CapabilityFlags::CLIENT_DEPRECATE_EOF) {
            let ok = OkPacket { status, warnings: st.warnings, ..Default::default() };
            io.write_packet(&packets::ok(&ok, self.caps, true));
        } else {
            io.write_packet(&packets::eof(status, st.warnings));
        }
        io.flush().await?;
        Ok(())
    }
}

/// What ended the wait for a command.
enum Waited {
    Packet(Result<Vec<u8>, PacketError>),
    Killed,
    Idle,
}

fn unknown_stmt(id: u32, command: &str) -> MySqlError {
    MySqlError::new(
        codes::ER_UNKNOWN_STMT_HANDLER,
        format!("Unknown prepared statement handler ({id}) given to {command}"),
    )
}

fn truncate_for_log(sql: &str) -> &str {
    packets::truncate_utf8(sql, 512)
}

