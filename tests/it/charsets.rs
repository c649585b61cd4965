//! A client that speaks latin1: the mariadb CLI with `--default-character-set=latin1`, run against
//! Weir and against the reference MariaDB with the same statements, prints the same bytes — text
//! decoded and encoded in the connection's character set, `_binary` bytes passed through, an
//! unknown character set refused with MySQL's error.

use std::process::Command;

use crate::harness::server;

fn latin1_cli(host: &str, port: u16, user: &str, password: &str, sql: &[u8]) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let mut cmd = Command::new("mariadb");
    cmd.args(["-h", host, "-P", &port.to_string(), "-u", user, "--default-character-set=latin1", "--skip-ssl", "-N", "-e"]);
    cmd.arg(std::ffi::OsStr::from_bytes(sql));
    if !password.is_empty() {
        cmd.arg(format!("-p{password}"));
    }
    let out = cmd.output().expect("the mariadb CLI (scripts/install-deps.sh installs it)");
    [out.stdout, out.stderr].concat()
}

#[test]
fn a_latin1_client_sees_what_mariadb_shows_it() {
    // 'é' as the terminal types it (UTF-8 bytes, which a latin1 connection reads as two
    // characters), a _binary literal holding a byte that is no UTF-8, and an unknown set.
    let sql: &[u8] = b"SELECT '\xc3\xa9' AS e, CHAR_LENGTH('\xc3\xa9') AS n; SELECT _binary'\xff' AS b; SET NAMES none";
    let s = server();
    let weir = latin1_cli(&s.host, s.port, "root", "", sql);
    let mariadb = latin1_cli("127.0.0.1", 3306, "weir", "weir", sql);
    assert!(String::from_utf8_lossy(&mariadb).contains("ERROR 1115 (42000)"), "{}", String::from_utf8_lossy(&mariadb));
    assert_eq!(String::from_utf8_lossy(&weir), String::from_utf8_lossy(&mariadb));
    assert_eq!(weir, mariadb, "byte for byte");
}

/// A latin1 connection's prepared statement, its string bound as latin1 bytes (what a latin1
/// client holds): Weir reads it in the connection's set, as MariaDB does.
#[tokio::test]
async fn a_latin1_connections_bound_string_reads_as_latin1() {
    use mysql_async::prelude::*;
    use mysql_async::{Conn, Opts, Value};
    let cafe_latin1 = vec![b'c', b'a', b'f', 0xE9];
    let ask = |mut c: Conn| {
        let v = cafe_latin1.clone();
        async move {
            c.query_drop("SET NAMES latin1").await.unwrap();
            let row: (Vec<u8>, i64) = c.exec_first("SELECT CONCAT(?, '') AS v, CHAR_LENGTH(?) AS n", (Value::Bytes(v.clone()), Value::Bytes(v))).await.unwrap().unwrap();
            row
        }
    };
    let weir = ask(server().connect().await).await;
    let mariadb = ask(Conn::new(Opts::from_url("mysql://weir:weir@127.0.0.1:3306").unwrap()).await.unwrap()).await;
    assert_eq!(mariadb, (cafe_latin1.clone(), 4));
    assert_eq!(weir, mariadb, "é read as one latin1 character and sent back as the same byte");
}
