//! Many connections at once (issue 17): a thousand clients connect to the real Weir, each is
//! answered, and while they stay open (idle) every one of them still answers and so does a new
//! client. A correctness check, not a measurement (`cargo bench --bench load` measures). Past
//! `max_connections`, one connection too many is told so (1040) and the others are untouched.

use mysql_async::Conn;
use mysql_async::prelude::Queryable;

use crate::harness::{ExtraWeir, scratch_dir, server};

/// Raises this process's open-files limit to its hard limit (a thousand sockets on this side).
fn raise_nofile() -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local rlimit.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        let want = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
        libc::setrlimit(libc::RLIMIT_NOFILE, &want);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
    }
    lim.rlim_cur
}

#[tokio::test]
async fn a_thousand_connections_are_answered_and_the_server_keeps_serving() {
    const N: usize = 1000;
    let limit = raise_nofile();
    assert!(limit >= N as u64 + 200, "the open-files limit ({limit}) must allow {N} connections: raise ulimit -n");
    let s = server();
    let mut conns: Vec<Conn> = Vec::with_capacity(N);
    for _ in 0..N / 50 {
        let batch = futures::future::join_all((0..50).map(|_| async {
            let mut c = Conn::new(s.opts("root", "")).await.expect("a connection among a thousand");
            let one: Option<i64> = c.query_first("SELECT 1").await.expect("SELECT 1");
            assert_eq!(one, Some(1));
            c
        }))
        .await;
        conns.extend(batch);
    }
    // All open at once: a new client is served, and every idle one still answers.
    let mut fresh = s.connect().await;
    let v: Option<String> = fresh.query_first("SELECT @@version").await.unwrap();
    assert!(v.is_some_and(|v| v.contains("weir")));
    for chunk in conns.chunks_mut(100) {
        for r in futures::future::join_all(chunk.iter_mut().map(|c| c.query_first::<i64, _>("SELECT 1"))).await {
            assert_eq!(r.expect("an idle connection answers"), Some(1));
        }
    }
    futures::future::join_all(conns.into_iter().map(Conn::disconnect)).await;
    let one: Option<i64> = fresh.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1), "the server still serves after they all left");
}

#[tokio::test]
async fn one_connection_past_max_connections_gets_1040_and_the_others_keep_working() {
    let dir = scratch_dir("max-connections");
    let _ = std::fs::remove_dir_all(&dir);
    let w = ExtraWeir::start_with_server(dir, "max_connections = 3").await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(Conn::new(w.opts()).await.expect("within max_connections"));
    }
    let limit: Option<u64> = open[0].query_first("SELECT @@max_connections").await.unwrap();
    assert_eq!(limit, Some(3));

    // The fourth: MySQL's answer, from a driver and from the mysql command-line client.
    let e = Conn::new(w.opts()).await.expect_err("one too many");
    let text = e.to_string();
    assert!(text.contains("1040") && text.contains("Too many connections"), "{text}");
    let cli = std::process::Command::new("mariadb")
        .args(["-h127.0.0.1", &format!("-P{}", w.port), "-uroot", "--skip-ssl", "-e", "SELECT 1"])
        .output()
        .expect("the mariadb client");
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(!cli.status.success() && stderr.contains("ERROR 1040") && stderr.contains("Too many connections"), "{stderr}");

    // The three open ones are untouched; when one leaves, a new client gets its place.
    for c in open.iter_mut() {
        let one: Option<u8> = c.query_first("SELECT 1").await.unwrap();
        assert_eq!(one, Some(1));
    }
    open.pop().expect("a connection").disconnect().await.unwrap();
    let start = std::time::Instant::now();
    let mut again = loop {
        match Conn::new(w.opts()).await {
            Ok(c) => break c,
            Err(e) => assert!(start.elapsed() < std::time::Duration::from_secs(5), "a place freed: {e}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let one: Option<u8> = again.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
    // Refusals are counted.
    let refused: Vec<(String, String, String)> = again.query("SELECT NAME, LABELS, VALUE FROM information_schema.WEIR_METRICS WHERE NAME = 'weir_connections_refused_total'").await.unwrap();
    assert!(refused.iter().any(|r| r.1.contains("1040") && r.2.parse::<f64>().unwrap_or(0.0) >= 2.0), "{refused:?}");
}
