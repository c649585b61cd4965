//! What no real client sends: command bodies cut short, sequence ids out of order, oversized
//! packets before login, long data a statement cannot take, more prepared statements than a
//! connection may hold. Each gets its MySQL error; only a broken framing ends the connection.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::{PATIENCE, TestServer};
use crate::mock::MockConfig;
use crate::raw::{RawClient, Reply, parse_err};

const COM_PROCESS_KILL: u8 = 0x0C;
const COM_CHANGE_USER: u8 = 0x11;
const COM_STMT_PREPARE: u8 = 0x16;
const COM_STMT_EXECUTE: u8 = 0x17;
const COM_STMT_SEND_LONG_DATA: u8 = 0x18;
const COM_STMT_CLOSE: u8 = 0x19;
const COM_STMT_RESET: u8 = 0x1A;
const COM_SET_OPTION: u8 = 0x1B;

#[track_caller]
fn err_code(reply: &Reply) -> (u16, &str) {
    match reply {
        Reply::Err { code, state, .. } => (*code, state.as_str()),
        other => panic!("expected an error, got {other:?}"),
    }
}

async fn select_one_works(c: &mut RawClient) {
    assert!(matches!(c.query(b"SELECT 1").await, Reply::Rows { .. }), "SELECT 1 still answers");
}

/// Prepares `sql` and reads its answer (and the definitions that follow); returns the id.
async fn prepare(c: &mut RawClient, sql: &[u8]) -> u32 {
    c.command(COM_STMT_PREPARE, sql).await;
    let ok = c.read().await;
    assert_eq!(ok[0], 0x00, "prepared: {ok:?}");
    let id = u32::from_le_bytes(ok[1..5].try_into().unwrap());
    let (columns, params) = (u16::from_le_bytes([ok[5], ok[6]]), u16::from_le_bytes([ok[7], ok[8]]));
    for n in [params, columns] {
        if n > 0 {
            for _ in 0..n {
                c.read().await;
            }
            assert_eq!(c.read().await[0], 0xFE, "an EOF after the definitions");
        }
    }
    id
}

/// COM_STMT_EXECUTE of `stmt` with one parameter: NULL, or of `param_type` with no inline value
/// (its value came as long data).
fn execute_one(stmt: u32, param_type: Option<u8>) -> Vec<u8> {
    let mut b = stmt.to_le_bytes().to_vec();
    b.push(0);
    b.extend_from_slice(&1u32.to_le_bytes());
    match param_type {
        None => b.extend_from_slice(&[0b1, 0]),
        Some(t) => b.extend_from_slice(&[0, 1, t, 0]),
    }
    b
}

/// Reads a whole reply to an execute: the ERR, or the result set up to its closing EOF.
async fn execute_reply(c: &mut RawClient) -> Reply {
    let first = c.read().await;
    if first[0] == 0xFF {
        return parse_err(&first);
    }
    let mut eofs = 0;
    while eofs < 2 {
        let p = c.read().await;
        if p[0] == 0xFE && p.len() < 9 {
            eofs += 1;
        }
    }
    Reply::Ok { affected_rows: 0, status: 0 }
}

#[tokio::test]
async fn a_command_cut_short_gets_1835_and_the_connection_lives_on() {
    let server = TestServer::start().await;
    const CLIENT_CONNECT_ATTRS: u32 = 0x10_0000;
    let mut c = RawClient::connect(server.addr, CLIENT_CONNECT_ATTRS, None).await;
    let cases: [(u8, &[u8]); 8] = [
        (COM_STMT_EXECUTE, &[1, 0, 0]),
        (COM_STMT_CLOSE, &[1, 0]),
        (COM_STMT_RESET, &[]),
        (COM_STMT_SEND_LONG_DATA, &[1, 0, 0, 0, 0]),
        (COM_SET_OPTION, &[1]),
        (COM_PROCESS_KILL, &[1, 0]),
        // An auth response that claims 20 bytes and has 2.
        (COM_CHANGE_USER, b"root\0\x14ab"),
        // A connection-attribute block longer than the packet.
        (COM_CHANGE_USER, b"root\0\x00\0\x2d\x00mysql_native_password\0\xfc\xff\xff"),
    ];
    for (cmd, body) in cases {
        c.command(cmd, body).await;
        assert_eq!(err_code(&c.reply().await), (1835, "HY000"), "command {cmd:#04x} {body:?}");
        select_one_works(&mut c).await;
    }
}

#[tokio::test]
async fn a_packet_out_of_sequence_gets_1156_and_a_close() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    c.seq = 5;
    c.write(b"\x03SELECT 1").await;
    let reply = c.read().await;
    assert_eq!(err_code(&parse_err(&reply)), (1156, "08S01"));
    assert!(c.closed().await, "then the server closes the connection");
}

#[tokio::test]
async fn an_oversized_packet_before_login_is_refused_with_1153_at_once() {
    let server = TestServer::start().await;
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    let mut greeting = vec![0u8; 4];
    tcp.read_exact(&mut greeting).await.unwrap();
    let len = usize::from(greeting[0]) | usize::from(greeting[1]) << 8 | usize::from(greeting[2]) << 16;
    let mut body = vec![0u8; len];
    tcp.read_exact(&mut body).await.unwrap();
    // A handshake response announcing 16 MiB: refused before its bytes are awaited or allocated.
    // (Only the header is sent: bytes the server never reads would make its close a reset.)
    tcp.write_all(&[0xFF, 0xFF, 0xFF, 1]).await.unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut rest)).await.expect("answered and closed at once").unwrap();
    assert!(rest.len() > 4, "an error packet before the close");
    assert_eq!(err_code(&parse_err(&rest[4..])), (1153, "08S01"));
}

#[tokio::test]
async fn long_data_a_statement_cannot_take_fails_its_next_executes_until_reset() {
    const BLOB: u8 = 0xFC;
    let server = TestServer::with(MockConfig { max_allowed_packet: 1 << 20, ..MockConfig::default() }).await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    let stmt = prepare(&mut c, b"ECHO ?").await;
    let long_data = |param: u16, data: &[u8]| {
        let mut b = stmt.to_le_bytes().to_vec();
        b.extend_from_slice(&param.to_le_bytes());
        b.extend_from_slice(data);
        b
    };

    // A parameter the statement does not have: 1210 at execute, and again, until COM_STMT_RESET.
    c.command(COM_STMT_SEND_LONG_DATA, &long_data(3, b"abc")).await;
    for _ in 0..2 {
        c.command(COM_STMT_EXECUTE, &execute_one(stmt, None)).await;
        assert_eq!(err_code(&execute_reply(&mut c).await), (1210, "HY000"));
    }
    c.command(COM_STMT_RESET, &stmt.to_le_bytes()).await;
    assert!(matches!(c.reply().await, Reply::Ok { .. }));
    c.command(COM_STMT_EXECUTE, &execute_one(stmt, None)).await;
    assert!(matches!(execute_reply(&mut c).await, Reply::Ok { .. }), "after the reset the statement runs");

    // More than max_allowed_packet for one parameter: 1105, as MySQL says it.
    let piece = vec![b'x'; 600 * 1024];
    for _ in 0..2 {
        c.command(COM_STMT_SEND_LONG_DATA, &long_data(0, &piece)).await;
    }
    c.command(COM_STMT_EXECUTE, &execute_one(stmt, Some(BLOB))).await;
    let Reply::Err { code, message, .. } = execute_reply(&mut c).await else { panic!("an error") };
    assert_eq!(code, 1105);
    assert!(message.contains("max_allowed_packet"), "{message}");
    c.command(COM_STMT_RESET, &stmt.to_le_bytes()).await;
    assert!(matches!(c.reply().await, Reply::Ok { .. }));

    // Within the limit it travels as before.
    c.command(COM_STMT_SEND_LONG_DATA, &long_data(0, &piece)).await;
    c.command(COM_STMT_EXECUTE, &execute_one(stmt, Some(BLOB))).await;
    assert!(matches!(execute_reply(&mut c).await, Reply::Ok { .. }));
    select_one_works(&mut c).await;
}

#[tokio::test]
async fn a_connection_holds_at_most_16382_prepared_statements() {
    let server = TestServer::start().await;
    let mut c = RawClient::connect(server.addr, 0, None).await;
    // Pipelined in chunks: each COM_STMT_PREPARE of `OK` is answered by one packet.
    let mut prepared = 0;
    while prepared < 16_382 {
        let chunk = (16_382 - prepared).min(1000);
        let mut out = Vec::new();
        for _ in 0..chunk {
            out.extend_from_slice(&[3, 0, 0, 0, COM_STMT_PREPARE, b'O', b'K']);
        }
        c.tcp.write_all(&out).await.unwrap();
        for _ in 0..chunk {
            c.seq = 1;
            assert_eq!(c.read().await[0], 0x00);
        }
        prepared += chunk;
    }
    c.command(COM_STMT_PREPARE, b"OK").await;
    assert_eq!(err_code(&c.reply().await), (1461, "42000"));
    // Closing one makes room for one.
    c.command(COM_STMT_CLOSE, &1u32.to_le_bytes()).await;
    prepare(&mut c, b"OK").await;
    select_one_works(&mut c).await;
}
