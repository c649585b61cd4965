//! max_allowed_packet and payloads of 16 MiB and more (split into several frames).

use mysql_async::Conn;
use mysql_async::prelude::*;

use crate::harness::{TestServer, assert_server_error};
use crate::mock::{Event, MockConfig};

const MAX_FRAME: usize = 0xFF_FFFF;

fn text(len: usize) -> String {
    (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect()
}

#[tokio::test]
async fn a_packet_larger_than_max_allowed_packet_gets_1153_and_the_server_keeps_serving() {
    let limit = 1 << 20;
    let server = TestServer::with(MockConfig { max_allowed_packet: limit, ..Default::default() }).await;
    let mut bystander = server.root().await;
    // The client would refuse to send what it learnt is too large: tell it a larger limit.
    let mut conn = Conn::new(server.opts("root", "").max_allowed_packet(Some(64 << 20))).await.unwrap();
    let id = conn.id();
    let e = conn.query_drop(format!("ECHO {}", text(2 * limit))).await.unwrap_err();
    let msg = assert_server_error(e, 1153, "08S01");
    assert!(msg.contains("max_allowed_packet"), "{msg}");
    assert!(server.wait_ended(id).await, "the connection ends after 1153");
    assert!(
        !server.journal().of(id).iter().any(|e| matches!(e, Event::Query { sql, .. } if sql.starts_with("ECHO"))),
        "the oversized statement never reached the session"
    );

    // Just under the limit still works, on a new connection and on the bystander.
    let mut conn = Conn::new(server.opts("root", "").max_allowed_packet(Some(64 << 20))).await.unwrap();
    let len: Option<i64> = conn.query_first(format!("ECHO {}", text(limit - 100))).await.unwrap().map(|(l, _): (i64, String)| l);
    assert_eq!(len, Some((limit - 100) as i64));
    let one: Vec<i64> = bystander.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
}

#[tokio::test]
async fn a_query_of_more_than_16_mib_arrives_intact_and_so_does_its_answer() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    // COM_QUERY payload = 1 command byte + "ECHO " + text.
    let sizes = [
        // The query payload is exactly one full frame (then an empty frame follows).
        MAX_FRAME - 6,
        // The answer row is exactly one full frame: lenenc("16777202") 9 bytes + 4-byte lenenc header.
        MAX_FRAME - 13,
        // Two full frames and a bit.
        2 * MAX_FRAME + 10,
    ];
    for len in sizes {
        let sent = text(len);
        let (got_len, got): (i64, String) = conn.query_first(format!("ECHO {sent}")).await.unwrap().unwrap();
        assert_eq!(got_len as usize, len, "the session saw the whole query ({len})");
        assert!(got == sent, "the answer of {len} bytes came back intact");
        let seen = server.journal().of(id).into_iter().rev().find_map(|e| match e {
            Event::Query { len, sql, .. } if sql.starts_with("ECHO ") => Some(len),
            _ => None,
        });
        assert_eq!(seen, Some(len + 5));
    }
    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1], "the sequence ids are still in step after split packets");
}
