//! The same protocol through libmariadb: the `mariadb` and `mariadb-admin` command-line clients
//! (mariadb-client, which `scripts/install-deps.sh` installs: a missing tool fails the story).

use std::path::PathBuf;

use crate::harness::TestServer;
use crate::mock::{Event, MockConfig};

fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is not on PATH: install mariadb-client (bash scripts/install-deps.sh)"))
}

/// Runs `tool` against `server` (never reading option files) and returns its stdout; panics with
/// its stderr when it fails.
async fn run(tool: &PathBuf, server: &TestServer, user: &str, password: &str, args: &[&str]) -> String {
    let out = tokio::process::Command::new(tool)
        .arg("--no-defaults")
        .args(["--protocol=TCP", "-h", "127.0.0.1", "-P", &server.addr.port().to_string(), "-u", user])
        .arg(format!("--password={password}"))
        .arg("--skip-ssl")
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{} failed: {}", tool.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_mariadb_cli_logs_in_with_either_plugin_and_prints_rows_with_nulls() {
    let mariadb = tool("mariadb");
    for plugin in ["mysql_native_password", "caching_sha2_password"] {
        let server = TestServer::with(MockConfig { default_auth_plugin: plugin, ..Default::default() }).await;
        let out = run(&mariadb, &server, "alice", "alice-secret", &["--batch", "-e", "SELECT rows 4; OK; SELECT 1"]).await;
        assert_eq!(out, "id\tname\n1\tname-1\n2\tname-2\n3\tNULL\n4\tname-4\n1\n1\n", "{plugin}");
        assert!(server.journal().all().iter().any(|e| matches!(e, Event::Open { user, .. } if user == "alice")));
    }
}

#[tokio::test]
async fn the_mariadb_cli_use_command_reaches_init_db() {
    let mariadb = tool("mariadb");
    let server = TestServer::start().await;
    let out = run(&mariadb, &server, "root", "", &["--batch", "-e", "use shop\nSELECT DATABASE()"]).await;
    assert!(out.ends_with("DATABASE()\nshop\n"), "{out}");
    assert!(server.journal().all().iter().any(|e| matches!(e, Event::InitDb { database, .. } if database == "shop")));
}

#[tokio::test]
async fn mariadb_admin_pings_and_reads_statistics() {
    let admin = tool("mariadb-admin");
    let server = TestServer::start().await;
    let out = run(&admin, &server, "alice", "alice-secret", &["ping"]).await;
    assert_eq!(out.trim(), "mysqld is alive");
    let out = run(&admin, &server, "alice", "alice-secret", &["status"]).await;
    assert!(out.starts_with("Uptime: 4242  Threads: 1  Questions: "), "{out}");
}

#[tokio::test]
async fn a_client_starting_with_an_unsupported_plugin_is_switched_to_a_supported_one() {
    let mariadb = tool("mariadb");
    let server = TestServer::start().await;
    for (user, password) in [("alice", "alice-secret"), ("nate", "nate-native-pw")] {
        let out = run(&mariadb, &server, user, password, &["--default-auth=client_ed25519", "--batch", "-e", "SELECT USER()"]).await;
        assert_eq!(out, format!("USER()\n{user}@127.0.0.1\n"));
    }
}
