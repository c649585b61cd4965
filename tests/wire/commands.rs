//! Commands besides queries: COM_PING, COM_RESET_CONNECTION, COM_CHANGE_USER, COM_QUIT, and
//! the kill token.

use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{ChangeUserOpts, Row};

use crate::harness::{TestServer, assert_server_error};
use crate::mock::Event;

#[tokio::test]
async fn a_ping_is_answered_without_reaching_the_session() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    let before = server.journal().of(id).len();
    for _ in 0..3 {
        conn.ping().await.unwrap();
    }
    assert_eq!(server.journal().of(id).len(), before, "COM_PING is the protocol layer's own business");
    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
}

#[tokio::test]
async fn a_connection_reset_reaches_the_session_and_the_connection_goes_on() {
    let server = TestServer::start().await;
    let mut conn = server.connect("alice", "alice-secret").await;
    let id = conn.id();
    let stmt = conn.prep("SELECT 1").await.unwrap();
    assert!(conn.reset().await.unwrap(), "the client used COM_RESET_CONNECTION (8.0 server)");
    assert_eq!(server.journal().of(id).last(), Some(&Event::Reset { conn: id }));
    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
    // The client forgot its statements; preparing again works.
    let again = conn.prep("SELECT 1").await.unwrap();
    let one: Vec<i64> = conn.exec(&again, ()).await.unwrap();
    assert_eq!(one, vec![1]);
    assert!(stmt.id() > 0);
    let opens = server.journal().of(id).iter().filter(|e| matches!(e, Event::Open { .. })).count();
    assert_eq!(opens, 1, "a reset keeps the session (same user), it does not reopen it");
}

#[tokio::test]
async fn changing_user_reauthenticates_and_opens_a_fresh_session() {
    let server = TestServer::start().await;
    let mut conn = server.connect("alice", "alice-secret").await;
    let id = conn.id();
    for (user, password) in [("nate", "nate-native-pw"), ("shay", "shay-sha2-pw"), ("alice", "alice-secret")] {
        conn.change_user(ChangeUserOpts::default().with_user(Some(user.into())).with_pass(Some(password.into())))
            .await
            .unwrap_or_else(|e| panic!("change to {user}: {e}"));
        let who: Option<String> = conn.query_first("SELECT USER()").await.unwrap();
        assert_eq!(who, Some(format!("{user}@127.0.0.1")));
        let events = server.journal().of(id);
        let open_at = events.iter().rposition(|e| matches!(e, Event::Open { user: u, .. } if u == user)).unwrap();
        assert_eq!(events[open_at - 1], Event::Close { conn: id }, "the old session is closed before the new one opens");
    }

    // A wrong password refuses the change and ends the connection.
    let e = conn
        .change_user(ChangeUserOpts::default().with_user(Some("nate".into())).with_pass(Some("nope".into())))
        .await
        .unwrap_err();
    assert_server_error(e, 1045, "28000");
    assert!(server.wait_ended(id).await);
    let last_open = server.journal().of(id).into_iter().rev().find(|e| matches!(e, Event::Open { .. }));
    assert!(matches!(last_open, Some(Event::Open { user, .. }) if user == "alice"), "no session opened for nate");
}

#[tokio::test]
async fn the_kill_token_ends_an_idle_connection() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let mut other = server.root().await;
    let id = conn.id();
    server.kill(id);
    assert!(server.wait_ended(id).await, "serve returns once the kill token is cancelled");
    assert_eq!(server.journal().of(id).last(), Some(&Event::Close { conn: id }), "the session is closed");
    assert!(conn.query_drop("SELECT 1").await.is_err(), "the killed connection is gone");
    // Other connections are not affected.
    assert!(!server.has_ended(other.id()));
    let one: Vec<i64> = other.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
}

#[tokio::test]
async fn the_kill_token_interrupts_a_running_query_with_1317_and_ends_the_connection() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    let killer = async {
        // Wait until the session is inside HANG, then kill.
        while !server.journal().queries_of(id).iter().any(|q| q == "HANG") {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        server.kill(id);
    };
    let (result, ()) = tokio::join!(conn.query::<Row, _>("HANG"), killer);
    let msg = assert_server_error(result.unwrap_err(), 1317, "70100");
    assert_eq!(msg, "Query execution was interrupted");
    assert!(server.wait_ended(id).await);
    assert_eq!(server.journal().of(id).last(), Some(&Event::Close { conn: id }));
}

#[tokio::test]
async fn a_connection_is_closed_once_silent_for_its_idle_timeout_and_not_while_it_talks() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    conn.query_drop("IDLE 1000").await.unwrap();
    // Talking every 100 ms for well past the timeout keeps the connection open: the timer armed
    // at the first command fires early and moves on to the latest deadline.
    for _ in 0..25 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
        assert_eq!(one, vec![1]);
    }
    assert!(!server.has_ended(id), "a connection that talks is not idle");
    // Silence: the server closes it (after its 4031 error packet).
    assert!(server.wait_ended(id).await, "the silent connection was closed");
    assert!(conn.query_drop("SELECT 1").await.is_err(), "the closed connection is gone");
}

#[tokio::test]
async fn a_shortened_idle_timeout_applies_at_once() {
    let server = TestServer::start().await;
    let mut conn = server.root().await;
    let id = conn.id();
    conn.query_drop("IDLE 3600000").await.unwrap();
    conn.query_drop("SELECT 1").await.unwrap();
    // An hour, then 200 ms: the timer set for the hour is pulled in.
    conn.query_drop("IDLE 200").await.unwrap();
    assert!(server.wait_ended(id).await, "closed 200 ms after its last command, not an hour");
    let mut other = server.root().await;
    let one: Vec<i64> = other.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1], "the server goes on");
}
