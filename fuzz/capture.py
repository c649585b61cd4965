#!/usr/bin/env python3
"""Captures real clients' sessions with a running Weir as seeds of the protocol fuzzer.

A relay on loopback stands between each client and Weir and writes down every byte the client
sends on a connection (its handshake response, auth answers and commands, framed as sent); one
file per connection in fuzz/seeds/protocol/<client>-<scenario>-<n>.bin. The clients log in as
root without a password over plain TCP (the fuzz mock accepts that login too, so a replayed
session gets past the connection phase), and use what each does on the wire:

* the mariadb CLI: -e statements, multi-statements, latin1, and an interactive session with
  auto-rehash (COM_INIT_DB, COM_FIELD_LIST per table);
* PyMySQL: text queries, COM_INIT_DB, COM_PING, COM_PROCESS_KILL, client-side parameters;
* mysql-connector-python (pure Python): COM_STMT_PREPARE/EXECUTE with parameters of every type,
  COM_STMT_SEND_LONG_DATA, COM_STMT_RESET/CLOSE, COM_CHANGE_USER, COM_RESET_CONNECTION,
  COM_STATISTICS;
* MySQL Connector/J with server-side prepared statements (when java and the jar are there).

Usage: ~/.cache/weir/venv/bin/python fuzz/capture.py [WEIR_HOST:PORT]   (default 127.0.0.1:3307)
"""

import datetime
import decimal
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "seeds" / "protocol"
WEIR = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:3307"
WEIR_HOST, WEIR_PORT = WEIR.rsplit(":", 1)
JAR = Path.home() / ".cache/weir/jars/mysql-connector-j-9.7.0.jar"


class Relay:
    """Accepts clients on an ephemeral port, relays each to Weir, records what the client sent."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.label = "unnamed"
        self.count = {}
        self.lock = threading.Lock()
        self.pending = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.sock.accept()
            with self.lock:
                n = self.count.get(self.label, 0) + 1
                self.count[self.label] = n
                name = f"{self.label}-{n}.bin"
            t = threading.Thread(target=self.relay, args=(client, name), daemon=True)
            self.pending.append(t)
            t.start()

    def relay(self, client, name):
        server = socket.create_connection((WEIR_HOST, int(WEIR_PORT)))
        sent = bytearray()

        def pump(src, dst, record):
            try:
                while True:
                    b = src.recv(65536)
                    if not b:
                        break
                    if record is not None:
                        record.extend(b)
                    dst.sendall(b)
            except OSError:
                pass
            finally:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        up = threading.Thread(target=pump, args=(client, server, sent))
        down = threading.Thread(target=pump, args=(server, client, None))
        up.start()
        down.start()
        up.join()
        down.join()
        client.close()
        server.close()
        (OUT / name).write_bytes(bytes(sent))

    def wait(self):
        for t in self.pending:
            t.join(timeout=30)
        self.pending = []


def run(relay, label, fn):
    relay.label = label
    try:
        fn(relay.port)
    except Exception as e:  # a client's own error is part of its session, not of the capture
        print(f"  {label}: {type(e).__name__}: {e}")
    relay.wait()


def cli(port, *args, stdin=None):
    exe = shutil.which("mariadb") or shutil.which("mysql")
    base = [exe, "-h127.0.0.1", f"-P{port}", "-uroot", "--skip-ssl", "--protocol=tcp"]
    subprocess.run(base + list(args), input=stdin, capture_output=True, text=True, timeout=120)


def cli_interactive(port):
    exe = shutil.which("mariadb") or shutil.which("mysql")
    cmd = f"{exe} -h127.0.0.1 -P{port} -uroot --skip-ssl --protocol=tcp --auto-rehash -D default_database"
    # A table of the catalog (not TEMPORARY), so that auto-rehash sends COM_FIELD_LIST for it.
    script = "CREATE TABLE IF NOT EXISTS fuzz_seed_t (id BIGINT NOT NULL, name VARCHAR(20)) WITH ('connector'='datagen');\n"
    script += "show databases;\nuse default_database\nshow tables;\nselect 1;\nquit\n"
    subprocess.run(["script", "-q", "-e", "-c", cmd, "/dev/null"], input=script, capture_output=True, text=True,
                   timeout=120, env={**os.environ, "TERM": "dumb"})


def pymysql_session(port):
    import pymysql
    c = pymysql.connect(host="127.0.0.1", port=port, user="root", password="", autocommit=True, ssl_disabled=True)
    cur = c.cursor()
    cur.execute("SELECT 1")
    cur.execute("SELECT %s, %s, %s", (42, "it's", None))
    cur.execute("SELECT @@version, @@max_allowed_packet, DATABASE()")
    c.select_db("default_database")
    c.ping()
    try:
        c.kill(999999)
    except Exception:
        pass
    cur.execute("SHOW DATABASES")
    c.close()


def pymysql_large(port):
    import pymysql
    c = pymysql.connect(host="127.0.0.1", port=port, user="root", password="", ssl_disabled=True)
    cur = c.cursor()
    cur.execute("SELECT %s AS big", ("x" * 100_000,))
    cur.fetchall()
    c.close()


def connector_prepared(port):
    import mysql.connector
    c = mysql.connector.connect(host="127.0.0.1", port=port, user="root", password="", ssl_disabled=True,
                                use_pure=True, autocommit=True)
    cur = c.cursor(prepared=True)
    cur.execute("SELECT ?, ?, ?", (7, -1.5, "text é"))
    cur.fetchall()
    try:
        # A bound NULL in a select list goes to Flink, which refuses it: an error is fine here.
        cur.execute("SELECT ?, ?", (None, 1))
        cur.fetchall()
    except mysql.connector.Error:
        pass
    cur.execute("SELECT ?, ?, ?", (b"\x00\xff bytes", decimal.Decimal("-12.345"), True))
    cur.fetchall()
    cur.execute("SELECT ?, ?, ?", (datetime.date(2024, 2, 29), datetime.datetime(2023, 11, 14, 22, 13, 20, 123456),
                                   datetime.timedelta(hours=5, minutes=3, microseconds=7)))
    cur.fetchall()
    cur.execute("SELECT ?", (io.BytesIO(b"long data " * 100),))
    cur.fetchall()
    cur.close()
    cur = c.cursor(prepared=True)
    cur.execute("SELECT 1")
    cur.fetchall()
    cur.close()
    c.cmd_statistics()
    c.cmd_reset_connection()
    c.cmd_change_user(username="root", password="")
    c.cmd_query("SET NAMES latin1")
    c.close()


def connector_text(port):
    import mysql.connector
    c = mysql.connector.connect(host="127.0.0.1", port=port, user="root", password="", ssl_disabled=True,
                                use_pure=True)
    cur = c.cursor()
    cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s LIMIT 3", ("default_database",))
    cur.fetchall()
    cur.close()
    c.cmd_init_db("default_database")
    c.ping()
    c.close()


JAVA = r"""
import java.sql.*;
public class Capture {
  public static void main(String[] a) throws Exception {
    String url = "jdbc:mysql://127.0.0.1:" + a[0] + "/?user=root&password=&sslMode=DISABLED&useServerPrepStmts=true"
        + "&cachePrepStmts=false&connectionAttributes=weir.flink:1.20";
    try (Connection c = DriverManager.getConnection(url)) {
      try (PreparedStatement p = c.prepareStatement("SELECT ?, ?, ?, ?, ?, ?")) {
        p.setInt(1, 7); p.setString(2, "x'y"); p.setNull(3, Types.VARCHAR); p.setBytes(4, new byte[]{0, -1, 5});
        p.setTimestamp(5, Timestamp.valueOf("2024-02-29 13:14:15.123456")); p.setBigDecimal(6, new java.math.BigDecimal("19.99"));
        try (ResultSet r = p.executeQuery()) { while (r.next()) {} } catch (SQLException e) { /* a NULL for Flink */ }
        p.setLong(1, Long.MIN_VALUE); p.setDouble(2, 2.5); p.setNull(3, Types.INTEGER); p.setDate(4, Date.valueOf("2000-01-01"));
        p.setTime(5, Time.valueOf("10:11:12")); p.setBoolean(6, true);
        try (ResultSet r = p.executeQuery()) { while (r.next()) {} } catch (SQLException e) { }
        p.setInt(3, 3);
        try (ResultSet r = p.executeQuery()) { while (r.next()) {} } catch (SQLException e) { }
      }
      try (PreparedStatement p = c.prepareStatement("SELECT ?")) {
        p.setBinaryStream(1, new java.io.ByteArrayInputStream(new byte[3000]), 3000);
        try (ResultSet r = p.executeQuery()) { while (r.next()) {} }
      }
      try (Statement s = c.createStatement()) {
        s.setMaxRows(5);
        try (ResultSet r = s.executeQuery("SELECT @@version_comment")) { while (r.next()) {} }
      }
      c.getMetaData().getCatalogs().close();
    }
  }
}
"""


def jdbc(port):
    if not (shutil.which("javac") and JAR.exists()):
        print("  (no javac or Connector/J jar: JDBC skipped)")
        return
    with tempfile.TemporaryDirectory() as d:
        Path(d, "Capture.java").write_text(JAVA)
        subprocess.run(["javac", "-cp", str(JAR), "-d", d, str(Path(d, "Capture.java"))], check=True)
        subprocess.run(["java", "-cp", f"{d}:{JAR}", "Capture", str(port)], check=True, timeout=180)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.bin"):
        old.unlink()
    relay = Relay()
    run(relay, "mariadb-e", lambda p: cli(p, "-e", "SELECT 1; SELECT @@version_comment LIMIT 1; SELECT 'a' AS x, NULL AS y"))
    run(relay, "mariadb-stdin", lambda p: cli(p, "-N", stdin="SELECT 1;\nSET NAMES utf8mb4;\nSELECT 'é';\nSHOW DATABASES;\n"))
    run(relay, "mariadb-latin1", lambda p: cli(p, "--default-character-set=latin1", "-e", "SELECT 'caf\u00e9'"))
    run(relay, "mariadb-rehash", cli_interactive)
    run(relay, "pymysql", pymysql_session)
    run(relay, "pymysql-large", pymysql_large)
    run(relay, "connector-prepared", connector_prepared)
    run(relay, "connector-text", connector_text)
    run(relay, "jdbc-prepared", jdbc)
    files = sorted(OUT.glob("*.bin"))
    # A connection that sent nothing (a client's probe) is not a session.
    for f in files:
        if f.stat().st_size == 0:
            f.unlink()
    files = sorted(OUT.glob("*.bin"))
    print(f"{len(files)} sessions captured in {OUT}:")
    for f in files:
        print(f"  {f.name}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
