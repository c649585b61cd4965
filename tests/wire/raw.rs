//! Commands mysql_async never sends (COM_INIT_DB, COM_FIELD_LIST, COM_STATISTICS,
//! COM_SET_OPTION, unknown commands) and a client without CLIENT_MULTI_STATEMENTS or
//! CLIENT_DEPRECATE_EOF, through a minimal hand-written client that logs in as root over
//! mysql_native_password and checks every frame it reads.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use weir::protocol::{NullType, ParamValue};

use crate::harness::{PATIENCE, TestServer};
use crate::mock::{Event, row_name};

const CLIENT_LONG_PASSWORD: u32 = 0x1;
const CLIENT_CONNECT_WITH_DB: u32 = 0x8;
const CLIENT_PROTOCOL_41: u32 = 0x200;
const CLIENT_TRANSACTIONS: u32 = 0x2000;
const CLIENT_SECURE_CONNECTION: u32 = 0x8000;
const CLIENT_MULTI_STATEMENTS: u32 = 0x1_0000;
const CLIENT_MULTI_RESULTS: u32 = 0x2_0000;
const CLIENT_PLUGIN_AUTH: u32 = 0x8_0000;

const SERVER_MORE_RESULTS_EXISTS: u16 = 0x0008;

const COM_INIT_DB: u8 = 0x02;
const COM_QUERY: u8 = 0x03;
const COM_FIELD_LIST: u8 = 0x04;
const COM_STATISTICS: u8 = 0x09;
const COM_STMT_PREPARE: u8 = 0x16;
const COM_STMT_EXECUTE: u8 = 0x17;
const COM_SET_OPTION: u8 = 0x1B;
const COM_RESET_CONNECTION: u8 = 0x1F;

/// What the server answered to one statement.
#[derive(Debug, PartialEq)]
pub enum Reply {
    Ok { affected_rows: u64, status: u16 },
    Err { code: u16, state: String, message: String },
    Rows { columns: Vec<String>, rows: Vec<Vec<Option<String>>>, status: u16 },
}

impl Reply {
    #[track_caller]
    fn err_code(&self) -> (u16, &str) {
        match self {
            Reply::Err { code, state, .. } => (*code, state),
            other => panic!("expected an error, got {other:?}"),
        }
    }
}

struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn u8(&mut self) -> u8 {
        let b = self.0[0];
        self.0 = &self.0[1..];
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from(self.u8()) | u16::from(self.u8()) << 8
    }
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    fn lenenc_int(&mut self) -> u64 {
        match self.u8() {
            0xFC => u64::from(self.u16()),
            0xFD => u64::from_le_bytes([self.u8(), self.u8(), self.u8(), 0, 0, 0, 0, 0]),
            0xFE => u64::from_le_bytes(self.take(8).try_into().unwrap()),
            b => u64::from(b),
        }
    }
    fn lenenc_str(&mut self) -> Option<String> {
        if self.0[0] == 0xFB {
            self.u8();
            return None;
        }
        let n = self.lenenc_int() as usize;
        Some(text(self.take(n)))
    }
}

pub struct RawClient {
    pub tcp: TcpStream,
    /// The sequence id of the next packet written or read.
    pub seq: u8,
    pub connection_id: u32,
}

impl RawClient {
    /// Logs in as root (no password) with `extra_caps` on top of the 4.1 basics.
    pub async fn connect(addr: SocketAddr, extra_caps: u32, database: Option<&str>) -> Self {
        let (c, ok) = Self::connect_as(addr, extra_caps, database, 255).await;
        assert_eq!(ok[0], 0x00, "login OK, got {ok:?}");
        c
    }

    /// Logs in asking for collation `collation`; returns the server's last login packet.
    pub async fn connect_as(addr: SocketAddr, extra_caps: u32, database: Option<&str>, collation: u8) -> (Self, Vec<u8>) {
        let tcp = TcpStream::connect(addr).await.unwrap();
        let mut c = Self { tcp, seq: 0, connection_id: 0 };
        let greeting = c.read().await;
        let mut r = Cursor(&greeting);
        assert_eq!(r.u8(), 10, "HandshakeV10");
        while r.u8() != 0 {}
        c.connection_id = u32::from_le_bytes(r.take(4).try_into().unwrap());

        let mut caps = CLIENT_LONG_PASSWORD
            | CLIENT_PROTOCOL_41
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH
            | CLIENT_MULTI_RESULTS
            | extra_caps;
        if database.is_some() {
            caps |= CLIENT_CONNECT_WITH_DB;
        }
        let mut p = Vec::new();
        p.extend_from_slice(&caps.to_le_bytes());
        p.extend_from_slice(&(16u32 << 20).to_le_bytes());
        p.push(collation);
        p.extend_from_slice(&[0; 23]);
        p.extend_from_slice(b"root\0");
        p.push(0); // empty auth response
        if let Some(db) = database {
            p.extend_from_slice(db.as_bytes());
            p.push(0);
        }
        p.extend_from_slice(b"mysql_native_password\0");
        c.write(&p).await;
        let ok = c.read().await;
        (c, ok)
    }

    pub async fn write(&mut self, payload: &[u8]) {
        let mut out = Vec::new();
        let mut chunks = payload.chunks(0xFF_FFFF);
        loop {
            let chunk = chunks.next().unwrap_or(&[]);
            out.extend_from_slice(&(chunk.len() as u32).to_le_bytes()[..3]);
            out.push(self.seq);
            self.seq = self.seq.wrapping_add(1);
            out.extend_from_slice(chunk);
            if chunk.len() < 0xFF_FFFF {
                break;
            }
        }
        self.tcp.write_all(&out).await.unwrap();
    }

    /// Reads one packet, checking its sequence id.
    pub async fn read(&mut self) -> Vec<u8> {
        let mut payload = Vec::new();
        loop {
            let mut header = [0u8; 4];
            tokio::time::timeout(PATIENCE, self.tcp.read_exact(&mut header)).await.expect("a reply in time").unwrap();
            assert_eq!(header[3], self.seq, "sequence id");
            self.seq = self.seq.wrapping_add(1);
            let len = usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
            let start = payload.len();
            payload.resize(start + len, 0);
            self.tcp.read_exact(&mut payload[start..]).await.unwrap();
            if len < 0xFF_FFFF {
                return payload;
            }
        }
    }

    pub async fn command(&mut self, cmd: u8, body: &[u8]) {
        self.seq = 0;
        let mut p = vec![cmd];
        p.extend_from_slice(body);
        self.write(&p).await;
    }

    /// Reads an OK, an ERR or a whole text result set (with classic EOF packets).
    pub async fn reply(&mut self) -> Reply {
        let first = self.read().await;
        match first[0] {
            0x00 => {
                let mut r = Cursor(&first[1..]);
                let affected_rows = r.lenenc_int();
                let _last_insert_id = r.lenenc_int();
                Reply::Ok { affected_rows, status: r.u16() }
            }
            0xFF => parse_err(&first),
            _ => {
                let n = Cursor(&first).lenenc_int() as usize;
                let mut columns = Vec::new();
                for _ in 0..n {
                    let def = self.read().await;
                    let mut r = Cursor(&def);
                    for _ in 0..4 {
                        r.lenenc_str();
                    }
                    columns.push(r.lenenc_str().unwrap());
                }
                let eof = self.read().await;
                assert!(eof[0] == 0xFE && eof.len() == 5, "an EOF after the column definitions: {eof:?}");
                let mut rows = Vec::new();
                loop {
                    let p = self.read().await;
                    if p[0] == 0xFE && p.len() < 9 {
                        assert_eq!(p.len(), 5, "a classic EOF ends the rows");
                        let status = u16::from_le_bytes([p[3], p[4]]);
                        return Reply::Rows { columns, rows, status };
                    }
                    if p[0] == 0xFF {
                        return parse_err(&p);
                    }
                    let mut r = Cursor(&p);
                    rows.push((0..n).map(|_| r.lenenc_str()).collect());
                }
            }
        }
    }

    pub async fn query(&mut self, sql: &[u8]) -> Reply {
        self.command(COM_QUERY, sql).await;
        self.reply().await
    }

    /// Whether the server closed the connection (after reading any packets still in flight).
    pub async fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        matches!(tokio::time::timeout(PATIENCE, self.tcp.read_to_end(&mut rest)).await, Ok(Ok(_)))
    }
}

pub fn parse_err(p: &[u8]) -> Reply {
    let mut r = Cursor(&p[1..]);
    let code = r.u16();
    assert_eq!(r.u8(), b'#', "ERR packets carry a SQLSTATE");
    let state = String::from_utf8(r.take(5).to_vec()).unwrap();
    let message = text(r.0);
    Reply::Err { code, state, message }
}

/// Text as UTF-8, or else byte by byte as Latin-1 (what a latin1 connection receives).
fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap_or_else(|_| b.iter().map(|&c| char::from(c)).collect())
}

fn one(v: &str) -> Vec<Vec<Option<String>>> {
    vec![vec![Some(v.to_string())]]
}

#[tokio::test]
async fn multi_statements_are_refused_until_the_client_turns_them_on() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    let id = c.connection_id;

    let e = c.query(b"SELECT 1; SELECT 1").await;
    assert_eq!(e.err_code(), (1064, "42000"));
    assert!(server.journal().queries_of(id).is_empty(), "no statement of the batch ran");
    // A single statement is fine.
    assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { rows, .. } if rows == one("1")));

    // COM_SET_OPTION MYSQL_OPTION_MULTI_STATEMENTS_ON, answered with an EOF.
    c.command(COM_SET_OPTION, &0u16.to_le_bytes()).await;
    let eof = c.read().await;
    assert_eq!((eof[0], eof.len()), (0xFE, 5));
    c.command(COM_QUERY, b"SELECT 1; SELECT rows 4").await;
    let Reply::Rows { rows, status, .. } = c.reply().await else { panic!("first result") };
    assert_eq!(rows, one("1"));
    assert_ne!(status & SERVER_MORE_RESULTS_EXISTS, 0, "the first result says more follow");
    let Reply::Rows { columns, rows, status } = c.reply().await else { panic!("second result") };
    assert_eq!(columns, ["id", "name"]);
    let expected: Vec<Vec<Option<String>>> = (1..=4).map(|i| vec![Some(i.to_string()), row_name(i)]).collect();
    assert_eq!(rows, expected);
    assert_eq!(status & SERVER_MORE_RESULTS_EXISTS, 0, "the last result ends the batch");

    // ... and off again.
    c.command(COM_SET_OPTION, &1u16.to_le_bytes()).await;
    assert_eq!(c.read().await[0], 0xFE);
    assert_eq!(c.query(b"SELECT 1; SELECT 1").await.err_code(), (1064, "42000"));
    // An unknown option is an error, not a disconnect.
    c.command(COM_SET_OPTION, &7u16.to_le_bytes()).await;
    assert_eq!(c.reply().await.err_code(), (1047, "08S01"));
    assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { rows, .. } if rows == one("1")));
}

#[tokio::test]
async fn a_client_with_multi_statements_gets_every_result_with_classic_eof_packets() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, CLIENT_MULTI_STATEMENTS, None).await;
    c.command(COM_QUERY, b"OK; SELECT 1").await;
    let Reply::Ok { affected_rows, status } = c.reply().await else { panic!("an OK first") };
    assert_eq!(affected_rows, 3);
    assert_ne!(status & SERVER_MORE_RESULTS_EXISTS, 0);
    let Reply::Rows { rows, status, .. } = c.reply().await else { panic!("then rows") };
    assert_eq!(rows, one("1"));
    assert_eq!(status & SERVER_MORE_RESULTS_EXISTS, 0);
}

#[tokio::test]
async fn init_db_reaches_the_session_and_an_unknown_database_gets_1049() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, Some("shop")).await;
    let id = c.connection_id;
    assert!(matches!(c.query(b"SELECT DATABASE()").await, Reply::Rows { rows, .. } if rows == one("shop")));

    c.command(COM_INIT_DB, b"warehouse").await;
    assert!(matches!(c.reply().await, Reply::Ok { .. }));
    assert!(server.journal().of(id).contains(&Event::InitDb { conn: id, database: "warehouse".into() }));
    assert!(matches!(c.query(b"SELECT DATABASE()").await, Reply::Rows { rows, .. } if rows == one("warehouse")));

    c.command(COM_INIT_DB, b"missing").await;
    let Reply::Err { code, state, message } = c.reply().await else { panic!("an error") };
    assert_eq!((code, state.as_str(), message.as_str()), (1049, "42000", "Unknown database 'missing'"));
    assert!(matches!(c.query(b"SELECT DATABASE()").await, Reply::Rows { rows, .. } if rows == one("warehouse")));
}

#[tokio::test]

async fn field_list_describes_the_columns_of_a_table() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    let id = c.connection_id;

    c.command(COM_FIELD_LIST, b"items\0").await;
    let mut names = Vec::new();
    loop {
        let p = c.read().await;
        if p[0] == 0xFE && p.len() < 9 {
            break;
        }
        let mut r = Cursor(&p);
        let catalog = r.lenenc_str();
        let _schema = r.lenenc_str();
        let table = r.lenenc_str();
        let _org_table = r.lenenc_str();
        assert_eq!((catalog.as_deref(), table.as_deref()), (Some("def"), Some("items")));
        names.push(r.lenenc_str().unwrap());
        let _org_name = r.lenenc_str();
        assert_eq!(r.lenenc_int(), 0x0C, "length of the fixed fields");
        // charset, column length, type, flags, decimals, filler.
        r.take(2 + 4 + 1 + 2 + 1 + 2);
        // COM_FIELD_LIST definitions end with the column's default value as a length-encoded
        // string: NULL (FB) or empty (00), and nothing after it.
        assert!(r.0 == [0xFB] || r.0 == [0x00], "default value bytes {:02X?}", r.0);
    }
    assert_eq!(names, ["id", "name"]);
    assert!(server.journal().of(id).contains(&Event::FieldList { conn: id, table: "items".into() }));

    c.command(COM_FIELD_LIST, b"nope\0").await;
    assert_eq!(c.reply().await.err_code(), (1146, "42S02"));
}

#[tokio::test]
async fn statistics_returns_the_sessions_line() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    c.query(b"SELECT 1").await;
    c.command(COM_STATISTICS, &[]).await;
    let line = String::from_utf8(c.read().await).unwrap();
    assert!(line.starts_with("Uptime: 4242  Threads: 1  Questions: 1  "), "{line}");
    assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { rows, .. } if rows == one("1")));
}

#[tokio::test]
async fn an_unknown_command_and_a_non_utf8_query_get_errors_and_the_connection_goes_on() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    c.command(0x99, b"whatever").await;
    let Reply::Err { code, state, .. } = c.reply().await else { panic!("an error") };
    assert_eq!((code, state.as_str()), (1047, "08S01"));

    let Reply::Err { code, message, .. } = c.query(b"SELECT '\xFF\xFE'").await else { panic!("an error") };
    assert_eq!(code, 1300);
    assert!(message.contains("FFFE"), "{message}");

    assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { rows, .. } if rows == one("1")));
}

#[tokio::test]
async fn a_connection_reset_forgets_the_prepared_statements() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    let id = c.connection_id;
    c.command(COM_STMT_PREPARE, b"SELECT 1").await;
    let ok = c.read().await;
    assert_eq!(ok[0], 0x00);
    let stmt = u32::from_le_bytes(ok[1..5].try_into().unwrap());
    let _column = c.read().await;
    let eof = c.read().await;
    assert_eq!((eof[0], eof.len()), (0xFE, 5), "a classic EOF after the prepared columns");

    let execute = |stmt: u32| {
        let mut b = stmt.to_le_bytes().to_vec();
        b.push(0); // no cursor
        b.extend_from_slice(&1u32.to_le_bytes());
        b
    };
    c.command(COM_STMT_EXECUTE, &execute(stmt)).await;
    let count = c.read().await;
    assert_eq!(count, [1]);
    while c.read().await[0] != 0xFE {}
    while c.read().await[0] != 0xFE {}

    c.command(COM_RESET_CONNECTION, &[]).await;
    assert!(matches!(c.reply().await, Reply::Ok { .. }));
    assert_eq!(server.journal().of(id).last(), Some(&Event::Reset { conn: id }));
    c.command(COM_STMT_EXECUTE, &execute(stmt)).await;
    let Reply::Err { code, message, .. } = c.reply().await else { panic!("an error") };
    assert_eq!(code, 1243, "{message}");
}

#[tokio::test]
async fn a_killed_idle_connection_is_told_1927_and_closed() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    let id = c.connection_id;
    server.kill(id);
    c.seq = 0;
    let Reply::Err { code, state, .. } = parse_err_packet(c.read().await) else { panic!("an error") };
    assert_eq!((code, state.as_str()), (1927, "70100"));
    assert!(c.closed().await, "the server closed the connection");
    assert!(server.wait_ended(id).await);
}

fn parse_err_packet(p: Vec<u8>) -> Reply {
    assert_eq!(p[0], 0xFF, "an ERR packet: {p:?}");
    parse_err(&p)
}

/// The C API binds a NULL with a declared type (`is_null` with a `buffer_type`); most drivers
/// declare MYSQL_TYPE_NULL. The session sees which, so a NULL can be typed for Flink.
#[tokio::test]
async fn a_null_parameter_keeps_the_type_the_client_declared_for_it() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    let id = c.connection_id;
    c.command(COM_STMT_PREPARE, b"ECHO ?, ?, ?, ?").await;
    let ok = c.read().await;
    assert_eq!(ok[0], 0x00);
    let stmt = u32::from_le_bytes(ok[1..5].try_into().unwrap());
    while c.read().await[0] != 0xFE {} // the parameters' definitions

    const LONG: u8 = 0x03;
    const VAR_STRING: u8 = 0xFD;
    const DATETIME: u8 = 0x0C;
    const NULL: u8 = 0x06;
    let mut b = stmt.to_le_bytes().to_vec();
    b.push(0); // no cursor
    b.extend_from_slice(&1u32.to_le_bytes());
    b.push(0b1111); // every parameter NULL
    b.push(1); // types follow
    for (t, flags) in [(LONG, 0x80), (VAR_STRING, 0), (DATETIME, 0), (NULL, 0)] {
        b.extend_from_slice(&[t, flags]);
    }
    c.command(COM_STMT_EXECUTE, &b).await;
    let first = c.read().await;
    assert_ne!(first[0], 0xFF, "the execute succeeded: {first:?}");
    while c.read().await[0] != 0xFE {}
    while c.read().await[0] != 0xFE {}

    let params = server
        .journal()
        .of(id)
        .into_iter()
        .find_map(|e| match e {
            Event::Execute { params, .. } => Some(params),
            _ => None,
        })
        .expect("the execute reached the session");
    assert_eq!(
        params,
        vec![
            ParamValue::TypedNull(NullType::Integer { bytes: 4, unsigned: true }),
            ParamValue::TypedNull(NullType::Text),
            ParamValue::TypedNull(NullType::DateTime),
            ParamValue::Null,
        ]
    );
}

/// Connector/J sends parameter types only when they change: binding only NULLs (`setNull`), its
/// first execute sends none. MySQL needs no type for a NULL, and neither does Weir.
#[tokio::test]
async fn a_first_execute_of_only_nulls_without_types_is_accepted() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    c.command(COM_STMT_PREPARE, b"ECHO ?, ?").await;
    let ok = c.read().await;
    assert_eq!(ok[0], 0x00);
    let stmt = u32::from_le_bytes(ok[1..5].try_into().unwrap());
    while c.read().await[0] != 0xFE {}

    let mut b = stmt.to_le_bytes().to_vec();
    b.push(0);
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&[0b11, 0]); // both NULL; no types follow
    c.command(COM_STMT_EXECUTE, &b).await;
    let first = c.read().await;
    assert_ne!(first[0], 0xFF, "the execute succeeded: {first:?}");
    while c.read().await[0] != 0xFE {}
    while c.read().await[0] != 0xFE {}
    assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { rows, .. } if rows == one("1")));
}

#[tokio::test]
async fn a_latin1_connection_is_decoded_and_answered_in_latin1() {
    const LATIN1_SWEDISH_CI: u8 = 8;
    let server = TestServer::start().await;
    let (mut c, ok) = RawClient::connect_as(server.addr, 0, None, LATIN1_SWEDISH_CI).await;
    assert_eq!(ok[0], 0x00, "login OK");
    // 'é€' in cp1252 reaches the session as UTF-8 (5 bytes) and comes back in cp1252.
    c.command(COM_QUERY, b"ECHO \xe9\x80").await;
    let first = c.read().await;
    assert_eq!(first, [2]);
    let _len_def = c.read().await;
    let text_def = c.read().await;
    let charset_at = text_def.len() - 12;
    assert_eq!(u16::from_le_bytes([text_def[charset_at], text_def[charset_at + 1]]), 8, "the text column is latin1");
    let _eof = c.read().await;
    let row = c.read().await;
    assert_eq!(row, [1, b'5', 2, 0xe9, 0x80]);
    let _eof = c.read().await;
    let conn = c.connection_id;
    assert!(server.journal().of(conn).iter().any(|e| matches!(e, Event::Query { sql, .. } if sql == "ECHO é€")));
    // Every byte is a cp1252 character: UTF-8 sent on a latin1 connection is 6 characters
    // (13 bytes in UTF-8) and comes back byte for byte. Error messages leave in cp1252 too.
    let Reply::Rows { rows, .. } = c.query("ECHO ü😀".as_bytes()).await else { panic!("rows") };
    assert_eq!(rows, [[Some("13".to_string()), Some("ü😀".to_string())]]);
    let Reply::Err { code, message, .. } = c.query(b"FAIL RANGE").await else { panic!("an error") };
    assert_eq!(code, 1690);
    assert!(message.ends_with("\u{97} übertrieben"), "— is 0x97 and ü 0xFC in cp1252: {message:?}");

    // _binary'..' passes undecoded, as a hex literal.
    c.command(COM_QUERY, b"ECHO _binary'\xff''', x").await;
    let _ = c.reply().await;
    assert!(server.journal().of(conn).iter().any(|e| matches!(e, Event::Query { sql, .. } if sql == "ECHO X'FF27', x")));

    // SET NAMES switches both ways; an unknown set is 1115 and changes nothing.
    let Reply::Err { code, state, message } = c.query(b"SET NAMES none").await else { panic!("an error") };
    assert_eq!((code, state.as_str(), message.as_str()), (1115, "42000", "Unknown character set: 'none'"));
    assert!(matches!(c.query(b"SET NAMES utf8mb4").await, Reply::Ok { .. }));
    let Reply::Err { code, .. } = c.query(b"ECHO \xe9").await else { panic!("an error") };
    assert_eq!(code, 1300, "latin1 bytes are no longer valid");
    assert!(matches!(c.query("ECHO é".as_bytes()).await, Reply::Rows { rows, .. } if rows == [[Some("2".into()), Some("é".into())]]));
}

#[tokio::test]
async fn a_handshake_in_a_character_set_weir_cannot_speak_is_refused_with_1115() {
    const SJIS_JAPANESE_CI: u8 = 13;
    let server = TestServer::start().await;
    let (_c, err) = RawClient::connect_as(server.addr, 0, None, SJIS_JAPANESE_CI).await;
    let Reply::Err { code, state, message } = parse_err(&err) else { panic!("an error") };
    assert_eq!((code, state.as_str()), (1115, "42000"), "{message}");
    // utf8mb3, ascii and binary are spoken.
    for id in [33, 11, 63] {
        let (mut c, ok) = RawClient::connect_as(server.addr, 0, None, id).await;
        assert_eq!(ok[0], 0x00, "collation {id}");
        assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { rows, .. } if rows == one("1")));
    }
}
