//! Protocol robustness: large and malformed input gets an error packet or a clean close, never a
//! panic, and the server keeps serving.

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::server;

/// A hand-driven client for what real drivers never send.
struct Raw {
    s: TcpStream,
}

impl Raw {
    async fn read_packet(&mut self) -> Option<(u8, Vec<u8>)> {
        let mut h = [0u8; 4];
        self.s.read_exact(&mut h).await.ok()?;
        let len = usize::from(h[0]) | usize::from(h[1]) << 8 | usize::from(h[2]) << 16;
        let mut body = vec![0u8; len];
        self.s.read_exact(&mut body).await.ok()?;
        Some((h[3], body))
    }

    async fn write_packet(&mut self, seq: u8, body: &[u8]) {
        let len = body.len() as u32;
        let mut p = len.to_le_bytes()[..3].to_vec();
        p.push(seq);
        p.extend_from_slice(body);
        self.s.write_all(&p).await.unwrap();
    }

    /// Connects and logs in as root (empty password, mysql_native_password, DEPRECATE_EOF).
    async fn login() -> Raw {
        let s = server();
        let tcp = TcpStream::connect((s.host.as_str(), s.port)).await.unwrap();
        let mut r = Raw { s: tcp };
        let (_, greeting) = r.read_packet().await.expect("greeting");
        assert_eq!(greeting[0], 10);
        let caps: u32 = 0x0000_0200 | 0x0000_8000 | 0x0008_0000 | 0x0100_0000 | 0x0001_0000; // 4.1, secure, plugin auth, deprecate EOF, multi statements
        let mut resp = Vec::new();
        resp.extend_from_slice(&caps.to_le_bytes());
        resp.extend_from_slice(&(1u32 << 30).to_le_bytes());
        resp.push(45);
        resp.extend_from_slice(&[0; 23]);
        resp.extend_from_slice(b"root\0");
        resp.push(0);
        resp.extend_from_slice(b"mysql_native_password\0");
        r.write_packet(1, &resp).await;
        let (_, ok) = r.read_packet().await.expect("auth reply");
        assert_eq!(ok[0], 0x00, "login OK, got {ok:?}");
        r
    }

    /// Sends a command and returns the first reply packet.
    async fn command(&mut self, body: &[u8]) -> Vec<u8> {
        self.write_packet(0, body).await;
        self.read_packet().await.expect("a reply").1
    }

    async fn select_one_works(&mut self) {
        let reply = self.command(b"\x03SELECT 1").await;
        assert_eq!(reply, vec![1], "a one-column result set follows");
        let mut packets = 0;
        loop {
            let (_, p) = self.read_packet().await.expect("result packets");
            packets += 1;
            if p[0] == 0xFE && packets > 1 {
                break;
            }
        }
    }
}

fn err_code(p: &[u8]) -> u16 {
    assert_eq!(p[0], 0xFF, "an ERR packet, got {:?}", &p[..p.len().min(16)]);
    u16::from_le_bytes([p[1], p[2]])
}

#[tokio::test]
async fn non_utf8_bytes_get_an_error_and_the_connection_lives_on() {
    let mut r = Raw::login().await;
    let reply = r.command(b"\x03SELECT '\xff\xfe'").await;
    assert_eq!(err_code(&reply), 1300);
    r.select_one_works().await;
}

#[tokio::test]
async fn unknown_and_empty_commands_get_errors() {
    let mut r = Raw::login().await;
    assert_eq!(err_code(&r.command(b"\x55").await), 1047);
    assert_eq!(err_code(&r.command(b"\x1d\x00\x00").await), 1047, "COM_DAEMON is not for clients");
    assert_eq!(err_code(&r.command(b"\x17\x99\x00\x00\x00\x00\x01\x00\x00\x00").await), 1243, "unknown statement id");
    r.select_one_works().await;
}

#[tokio::test]
async fn a_truncated_packet_closes_only_that_connection() {
    let mut r = Raw::login().await;
    // Announce 100 bytes, send 3, hang up.
    r.s.write_all(&[100, 0, 0, 0, 3, b'S', b'E']).await.unwrap();
    drop(r);
    let mut again = Raw::login().await;
    again.select_one_works().await;
}

#[tokio::test]
async fn a_client_that_never_finishes_the_handshake_is_dropped() {
    let s = server();
    let mut tcp = TcpStream::connect((s.host.as_str(), s.port)).await.unwrap();
    let start = Instant::now();
    let mut buf = vec![0u8; 1024];
    // The greeting arrives, then nothing until the server closes (connect_timeout = 10 s).
    let n = tcp.read(&mut buf).await.unwrap();
    assert!(n > 0);
    let closed = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the server closed the connection");
    assert!(start.elapsed() >= Duration::from_secs(9), "not before connect_timeout");
}

#[tokio::test]
async fn a_200_kb_query_and_a_20_mb_row_travel_intact() {
    let mut c = server().connect().await;
    let long = "x".repeat(200 * 1024);
    let back: Option<String> = c.query_first(format!("SELECT '{long}'")).await.unwrap();
    assert_eq!(back.map(|b| b.len()), Some(long.len()));
    // Past the 16 MB frame size, both ways.
    let huge = "y".repeat(20 * 1024 * 1024);
    let back: Option<String> = c.query_first(format!("SELECT '{huge}' AS big")).await.unwrap();
    assert!(back.as_deref() == Some(huge.as_str()), "the 20 MB value comes back unchanged");
    // And a long query that Flink answers.
    let n: Option<i64> = c.query_first(format!("SELECT CHAR_LENGTH('{long}')")).await.unwrap();
    assert_eq!(n, Some(long.len() as i64));
}

#[tokio::test]
async fn a_packet_over_max_allowed_packet_is_refused_with_1153() {
    let mut r = Raw::login().await;
    // 64 MiB is the limit: five full frames exceed it.
    let frame = vec![b'a'; 0xFF_FFFF];
    for seq in 0..5u8 {
        if r.s.write_all(&[0xFF, 0xFF, 0xFF, seq]).await.is_err() || r.s.write_all(&frame).await.is_err() {
            break;
        }
    }
    let reply = r.read_packet().await.expect("an error before the close").1;
    assert_eq!(err_code(&reply), 1153);
    let mut again = Raw::login().await;
    again.select_one_works().await;
}

#[tokio::test]
async fn com_change_user_reauthenticates() {
    let s = server();
    let mut c = s.connect().await;
    let e = c.change_user(mysql_async::ChangeUserOpts::default().with_user(Some("weir_native".into())).with_pass(Some("wrong".into()))).await;
    assert!(e.is_err(), "a wrong password is refused");
    let mut c = s.connect().await;
    c.change_user(mysql_async::ChangeUserOpts::default().with_user(Some("weir_native".into())).with_pass(Some("nativepass".into())))
        .await
        .expect("the right password switches user");
    let u: Option<String> = c.query_first("SELECT CURRENT_USER()").await.unwrap();
    assert_eq!(u.as_deref(), Some("weir_native@%"));
}

#[tokio::test]
async fn multi_statements_return_one_result_per_statement() {
    let mut c = server().connect().await;
    let mut result = c.query_iter("SELECT 1; SELECT 'two'; SET autocommit=1").await.unwrap();
    let first: Vec<i64> = result.collect().await.unwrap();
    let second: Vec<String> = result.collect().await.unwrap();
    assert_eq!((first, second), (vec![1], vec!["two".to_string()]));
    result.drop_result().await.unwrap();
}

#[tokio::test]
async fn com_statistics_and_com_field_list_are_answered() {
    let mut r = Raw::login().await;
    let stats = r.command(b"\x09").await;
    let text = String::from_utf8_lossy(&stats).to_string();
    assert!(text.starts_with("Uptime: ") && text.contains("Threads: "), "{text}");
    // COM_FIELD_LIST of a table Flink does not know: 1146.
    let reply = r.command(b"\x04no_such_table\0").await;
    assert_eq!(err_code(&reply), 1146);
    r.select_one_works().await;
}

#[tokio::test]
async fn com_reset_connection_brings_back_a_fresh_session() {
    let mut c = server().connect().await;
    c.query_drop("SET weir.max_rows = 5").await.unwrap();
    c.query_drop("CREATE TEMPORARY VIEW gone_after_reset AS SELECT 1 AS x").await.unwrap();
    c.reset().await.expect("COM_RESET_CONNECTION");
    let rows: Option<i64> = c.query_first("SELECT @@weir.max_rows").await.unwrap();
    assert_eq!(rows, Some(10_000), "session variables are back to their defaults");
    let e = c.query_drop("SELECT * FROM gone_after_reset").await.unwrap_err();
    assert!(e.to_string().contains("1146"), "the Flink session is fresh: {e}");
}

/// Reads one length-encoded string (short form: under 251 bytes) at `pos`.
fn lenenc_str(p: &[u8], pos: &mut usize) -> String {
    let n = usize::from(p[*pos]);
    let s = String::from_utf8_lossy(&p[*pos + 1..*pos + 1 + n]).into_owned();
    *pos += 1 + n;
    s
}

#[tokio::test]
async fn com_field_list_describes_a_tables_columns_with_mysql_types() {
    // The mysql CLI's auto-rehash sends COM_FIELD_LIST for each table after `use`.
    let mut r = Raw::login().await;
    let table = crate::harness::unique("fields");
    let ok = r.command(format!("\x03CREATE TABLE {table} (id BIGINT NOT NULL, name VARCHAR(10)) WITH ('connector'='datagen')").as_bytes()).await;
    assert_eq!(ok[0], 0x00, "CREATE TABLE answers OK");
    let mut columns = Vec::new();
    let mut reply = r.command(format!("\x04{table}\0").as_bytes()).await;
    while reply[0] != 0xFE {
        let mut pos = 0;
        let fields: Vec<String> = (0..6).map(|_| lenenc_str(&reply, &mut pos)).collect();
        // After the names: 0x0c, character set (2), length (4), then the type byte.
        let column_type = reply[pos + 1 + 2 + 4];
        columns.push((fields[2].clone(), fields[4].clone(), column_type));
        reply = r.read_packet().await.expect("more column definitions or the end").1;
    }
    assert_eq!(columns, vec![(table.clone(), "id".to_string(), 0x08), (table.clone(), "name".to_string(), 0xFD)]);
    r.select_one_works().await;
}
