//! Many connections at once (issue 17): a thousand clients connect to the real Weir, each is
//! answered, and while they stay open (idle) every one of them still answers and so does a new
//! client. A correctness check, not a measurement (`cargo bench --bench load` measures).

use mysql_async::Conn;
use mysql_async::prelude::Queryable;

use crate::harness::server;

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
