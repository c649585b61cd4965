//! The connection phase: both password plugins, plugin switches, refusals, TLS, timeouts.

use std::time::Duration;

use mysql_async::Conn;
use mysql_async::prelude::*;
use tokio::io::AsyncReadExt;

use crate::harness::{PATIENCE, TestServer, assert_server_error, client_tls};
use crate::mock::{Event, MockConfig};

async fn server_with_plugin(plugin: &'static str) -> TestServer {
    TestServer::with(MockConfig { default_auth_plugin: plugin, ..Default::default() }).await
}

/// Logs in as `user` and checks the session was opened for it and answers a query.
async fn logs_in_and_queries(server: &TestServer, user: &str, password: &str) {
    let mut conn = server.connect(user, password).await;
    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
    let who: Option<String> = conn.query_first("SELECT USER()").await.unwrap();
    assert_eq!(who.as_deref(), Some(format!("{user}@127.0.0.1").as_str()));
    let id = conn.id();
    assert!(
        matches!(
            server.journal().of(id).first(),
            Some(Event::Open { conn, user: u, database: None, tls: false, .. }) if *conn == id && u == user
        ),
        "the session was opened for {user}: {:?}",
        server.journal().of(id)
    );
    conn.disconnect().await.unwrap();
    assert!(server.wait_ended(id).await, "the connection ends after COM_QUIT");
    assert_eq!(server.journal().of(id).last(), Some(&Event::Close { conn: id }), "COM_QUIT closes the session");
}

#[tokio::test]
async fn a_client_logs_in_with_mysql_native_password_and_runs_a_query() {
    let server = server_with_plugin("mysql_native_password").await;
    logs_in_and_queries(&server, "alice", "alice-secret").await;
}

#[tokio::test]
async fn a_client_logs_in_with_caching_sha2_and_runs_a_query() {
    let server = server_with_plugin("caching_sha2_password").await;
    logs_in_and_queries(&server, "alice", "alice-secret").await;
}

#[tokio::test]
async fn an_account_pinned_to_native_password_is_switched_to_it_from_a_caching_sha2_greeting() {
    let server = server_with_plugin("caching_sha2_password").await;
    logs_in_and_queries(&server, "nate", "nate-native-pw").await;
}

#[tokio::test]
async fn an_account_pinned_to_caching_sha2_is_switched_to_it_from_a_native_greeting() {
    let server = server_with_plugin("mysql_native_password").await;
    logs_in_and_queries(&server, "shay", "shay-sha2-pw").await;
}

#[tokio::test]
async fn root_without_a_password_logs_in_with_either_plugin() {
    for plugin in ["mysql_native_password", "caching_sha2_password"] {
        let server = server_with_plugin(plugin).await;
        logs_in_and_queries(&server, "root", "").await;
        // ... but not with a password it does not have.
        let e = Conn::new(server.opts("root", "guess")).await.unwrap_err();
        assert_server_error(e, 1045, "28000");
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_1045_and_the_next_client_is_served() {
    for plugin in ["mysql_native_password", "caching_sha2_password"] {
        let server = server_with_plugin(plugin).await;
        let refused_id = server.next_id();
        let e = Conn::new(server.opts("alice", "alice-Secret")).await.unwrap_err();
        let msg = assert_server_error(e, 1045, "28000");
        assert_eq!(msg, "Access denied for user 'alice'@'127.0.0.1' (using password: YES)", "{plugin}");
        assert_eq!(server.hooks.refusals(), vec![Some(1045)], "counted before the client was told");
        assert!(server.wait_ended(refused_id).await, "a refused connection is closed");
        assert!(server.journal().of(refused_id).is_empty(), "no session was opened for a wrong password");

        // A pinned account with the right password for another plugin's account, and a user
        // nobody knows, are refused the same way.
        let e = Conn::new(server.opts("nate", "alice-secret")).await.unwrap_err();
        assert_server_error(e, 1045, "28000");
        let e = Conn::new(server.opts("mallory", "alice-secret")).await.unwrap_err();
        let msg = assert_server_error(e, 1045, "28000");
        assert!(msg.starts_with("Access denied for user 'mallory'"), "{msg}");
        assert_eq!(server.hooks.refusals(), vec![Some(1045); 3], "each refusal counted once");

        logs_in_and_queries(&server, "alice", "alice-secret").await;
    }
}

#[tokio::test]
async fn a_client_opening_a_database_gets_it_and_an_unknown_one_is_refused_with_1049() {
    let server = TestServer::start().await;
    let mut conn = mysql_async::Conn::new(server.opts("alice", "alice-secret").db_name(Some("shop"))).await.unwrap();
    let db: Option<Option<String>> = conn.query_first("SELECT DATABASE()").await.unwrap();
    assert_eq!(db, Some(Some("shop".to_string())));
    assert!(matches!(
        server.journal().of(conn.id()).first(),
        Some(Event::Open { database: Some(d), .. }) if d == "shop"
    ));

    let e = Conn::new(server.opts("alice", "alice-secret").db_name(Some("missing"))).await.unwrap_err();
    let msg = assert_server_error(e, 1049, "42000");
    assert_eq!(msg, "Unknown database 'missing'");
    // The first connection is unaffected.
    let one: Vec<i64> = conn.query("SELECT 1").await.unwrap();
    assert_eq!(one, vec![1]);
}

#[tokio::test]
async fn a_client_logs_in_over_tls_and_plain_tcp_is_refused_when_tls_is_required() {
    let server = TestServer::with(MockConfig {
        tls: Some(crate::harness::tls_server_config()),
        require_secure_transport: true,
        ..Default::default()
    })
    .await;
    let e = Conn::new(server.opts("alice", "alice-secret")).await.unwrap_err();
    let msg = assert_server_error(e, 3159, "HY000");
    assert!(msg.contains("insecure transport"), "{msg}");

    for (user, password) in [("alice", "alice-secret"), ("nate", "nate-native-pw"), ("root", "")] {
        let mut conn = Conn::new(server.opts(user, password).ssl_opts(Some(client_tls()))).await.unwrap();
        let rows: Vec<(i64, Option<String>)> = conn.query("SELECT rows 20").await.unwrap();
        assert_eq!(rows.len(), 20);
        assert!(matches!(server.journal().of(conn.id()).first(), Some(Event::Open { tls: true, .. })), "{user}");
        conn.disconnect().await.unwrap();
    }
    let e = Conn::new(server.opts("alice", "wrong").ssl_opts(Some(client_tls()))).await.unwrap_err();
    assert_server_error(e, 1045, "28000");
}

#[tokio::test]
async fn a_client_that_never_answers_the_greeting_is_dropped_after_the_connect_timeout() {
    let server = TestServer::with(MockConfig { connect_timeout: Duration::from_millis(300), ..Default::default() }).await;
    let id = server.next_id();
    let mut tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let started = std::time::Instant::now();
    // Read the greeting, then say nothing: the server must hang up by itself.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut buf)).await.expect("the server hangs up");
    assert!(read.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(250), "hung up after {:?}", started.elapsed());
    assert_eq!(buf[4], 10, "the greeting is a HandshakeV10");
    assert!(server.wait_ended(id).await);
    logs_in_and_queries(&server, "alice", "alice-secret").await;
}

#[tokio::test]
async fn connection_attributes_reach_the_session_on_login_and_on_change_user() {
    let server = TestServer::start().await;
    let opts = server
        .opts("alice", "alice-secret")
        .connect_attribute("program_name", "wire-test")
        .connect_attribute("note", "ünïcödé, with spaces");
    let mut conn = Conn::new(opts).await.unwrap();
    let id = conn.id();
    let attributes_of_last_open = || {
        server.journal().of(id).into_iter().rev().find_map(|e| match e {
            Event::Open { attributes, user, .. } => Some((user, attributes)),
            _ => None,
        })
    };
    let (_, attrs) = attributes_of_last_open().unwrap();
    assert_eq!(attrs.get("program_name").map(String::as_str), Some("wire-test"));
    assert_eq!(attrs.get("note").map(String::as_str), Some("ünïcödé, with spaces"));

    conn.change_user(
        mysql_async::ChangeUserOpts::default().with_user(Some("nate".into())).with_pass(Some("nate-native-pw".into())),
    )
    .await
    .unwrap();
    let (user, attrs) = attributes_of_last_open().unwrap();
    assert_eq!(user, "nate");
    assert_eq!(attrs.get("program_name").map(String::as_str), Some("wire-test"), "COM_CHANGE_USER carries them too");
}
