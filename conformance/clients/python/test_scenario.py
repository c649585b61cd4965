"""Weir conformance scenario, played by Python's two MySQL drivers.

A data engineer opens one connection with PyMySQL (pure Python, client-side parameter
interpolation) or with mysql-connector-python (server-side prepared statements), then walks
through the story below on that one connection, because the temporary tables and the
batch-mode switch live in the Flink session behind it. The two login steps open their own
connections.

Each test is one step. Steps run in file order for one driver, then for the other; after the
first failure the remaining steps of that driver are skipped as blocked, so the first failure
is the one to read.

Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty),
WEIR_TLS_CA (optional CA file for the TLS login), WEIR_SKIP_AUTH_STEPS=1 (skip the
caching_sha2 and TLS logins). Run: conformance/clients/python/run.sh
"""

import functools
import os
import re
import ssl

import pytest

HOST = os.environ.get("WEIR_HOST", "127.0.0.1")
PORT = int(os.environ.get("WEIR_PORT", "3307"))
USER = os.environ.get("WEIR_USER", "root")
PASSWORD = os.environ.get("WEIR_PASSWORD", "")
TLS_CA = os.environ.get("WEIR_TLS_CA") or None
SKIP_AUTH = os.environ.get("WEIR_SKIP_AUTH_STEPS") == "1"

SHA2_USER, SHA2_PASSWORD = "weir_sha2", "sha2pass"
JOB_ID = re.compile(r"\b[0-9a-fA-F]{32}\b")
SHOW_JOBS_COLUMNS = ["job id", "job name", "status", "start time"]
TRICKY_TEXT = "it's a \\ test"  # a quote and a backslash


def tls_context():
    """TLS without certificate checks, or checked against WEIR_TLS_CA (chain only, no hostname)."""
    ctx = ssl.create_default_context(cafile=TLS_CA)
    ctx.check_hostname = False
    if not TLS_CA:
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class PyMySQL:
    """PyMySQL: interpolates parameters into the SQL text itself (no COM_STMT_PREPARE)."""

    name = "pymysql"
    placeholder = "%s"

    def __init__(self):
        import pymysql

        self.module = pymysql

    # Both drivers connect with autocommit=True: Flink has no transactions, and the drivers'
    # default (off) would make them send SET autocommit=0 at connect.
    def connect(self, user=USER, password=PASSWORD, tls=False, sha2=False):
        # PyMySQL has no option to pick caching_sha2_password: it follows the server's choice.
        return self.module.connect(
            host=HOST, port=PORT, user=user, password=password, autocommit=True,
            connect_timeout=10, ssl=tls_context() if tls else None,
        )

    def param_cursor(self, conn):
        return conn.cursor()

    def error_of(self, exc):
        assert isinstance(exc, self.module.MySQLError), f"not a driver error: {exc!r}"
        return exc.args[0], exc.sqlstate

    def run_dml(self, conn, sql):
        """Returns (is_result_set, info string of the OK packet)."""
        with conn.cursor() as cur:
            cur.execute(sql)
            info = cur._result.message or b""  # the OK packet's info, kept by PyMySQL
            return cur.description is not None, info.decode("utf-8", "replace")

    def uses_tls(self, conn):
        return isinstance(conn._sock, ssl.SSLSocket)


class MySQLConnector:
    """mysql-connector-python: `cursor(prepared=True)` uses COM_STMT_PREPARE/EXECUTE."""

    name = "mysql-connector"
    placeholder = "?"

    def __init__(self):
        import mysql.connector

        self.module = mysql.connector

    def connect(self, user=USER, password=PASSWORD, tls=False, sha2=False):
        options = dict(host=HOST, port=PORT, user=user, password=password, autocommit=True,
                       connection_timeout=10)
        if sha2:
            options["auth_plugin"] = "caching_sha2_password"
        if tls:
            options.update(ssl_disabled=False, ssl_verify_cert=bool(TLS_CA),
                           ssl_verify_identity=False)
            if TLS_CA:
                options["ssl_ca"] = TLS_CA
        return self.module.connect(**options)

    def param_cursor(self, conn):
        return conn.cursor(prepared=True)

    def error_of(self, exc):
        assert isinstance(exc, self.module.Error), f"not a driver error: {exc!r}"
        return exc.errno, exc.sqlstate

    def run_dml(self, conn, sql):
        # cmd_query is the driver's documented low-level call; unlike a cursor it returns
        # the whole OK packet, including its info message.
        result = conn.cmd_query(sql)
        return "columns" in result, result.get("info_msg") or ""

    def uses_tls(self, conn):
        return conn.is_secure


DRIVERS = {"pymysql": PyMySQL, "mysql-connector": MySQLConnector}


class Story:
    """What one driver's user carries from step to step."""

    def __init__(self, driver):
        self.driver = driver
        self.table = "t_" + driver.name.replace("-", "_")
        self.sink = "sink_" + driver.name.replace("-", "_")
        self.conn = None
        self.job_id = None
        self.blocked_by = None

    def query(self, sql, params=None):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def scalar(self, sql):
        rows = self.query(sql)
        assert len(rows) == 1 and len(rows[0]) == 1, f"{sql!r} returned {rows!r}, wanted one value"
        return rows[0][0]

    def expect_error(self, sql, code, sqlstate):
        cur = self.conn.cursor()
        with pytest.raises(Exception) as caught:
            cur.execute(sql)
            cur.fetchall()
        got_code, got_state = self.driver.error_of(caught.value)
        assert (got_code, got_state) == (code, sqlstate), (
            f"{sql!r} failed with {got_code} ({got_state}): {caught.value}; "
            f"wanted {code} ({sqlstate})")


@pytest.fixture(scope="module", params=list(DRIVERS))
def story(request):
    story = Story(DRIVERS[request.param]())
    yield story
    if story.conn is not None:
        try:
            story.conn.close()
        except Exception:
            pass


def step(fn):
    """Marks a story step: runs only while all earlier steps of the same driver passed."""

    @functools.wraps(fn)
    def run(story):
        if story.blocked_by:
            pytest.skip(f"blocked: step {story.blocked_by} failed")
        try:
            fn(story)
        except pytest.skip.Exception:
            raise
        except BaseException:
            story.blocked_by = fn.__name__
            raise

    return run


def auth_step(fn):
    """A login step on its own connection, so it runs even after an earlier step failed.
    Skipped only when WEIR_SKIP_AUTH_STEPS=1 (the test runner sets up these users and TLS)."""
    return pytest.mark.skipif(SKIP_AUTH, reason="WEIR_SKIP_AUTH_STEPS=1")(fn)


# --- a. connect ------------------------------------------------------------------------------


@step
def test_a1_client_connects_and_select_1_returns_integer_1(story):
    story.conn = story.driver.connect()
    value = story.scalar("SELECT 1")
    assert value == 1 and type(value) is int, f"SELECT 1 returned {value!r}"


@step
def test_a2_current_database_is_default_database(story):
    database = story.scalar("SELECT DATABASE()")
    assert database == "default_database", f"SELECT DATABASE() returned {database!r}"


@step
def test_a3_version_comment_is_not_empty(story):
    comment = story.scalar("SELECT @@version_comment")
    assert isinstance(comment, str) and comment.strip(), f"@@version_comment is {comment!r}"


@step
def test_a4_autocommit_is_integer_1(story):
    value = story.scalar("SELECT @@autocommit")
    assert value == 1 and type(value) is int, f"@@autocommit is {value!r}"


# --- b. a datagen table ---------------------------------------------------------------------


@step
def test_b_creates_a_temporary_datagen_table_of_100_rows(story):
    with story.conn.cursor() as cur:
        cur.execute(
            f"CREATE TEMPORARY TABLE {story.table} (id BIGINT, name STRING, price DECIMAL(10,2)) "
            "WITH ('connector'='datagen','number-of-rows'='100','fields.id.kind'='sequence',"
            "'fields.id.start'='1','fields.id.end'='100','fields.name.length'='5')")
        assert cur.description is None, "CREATE TABLE answered with a result set"


# --- c. a batch aggregate -------------------------------------------------------------------


@step
def test_c1_switches_the_session_to_batch_mode(story):
    with story.conn.cursor() as cur:
        cur.execute("SET 'execution.runtime-mode' = 'batch'")


@step
def test_c2_counts_100_rows_whose_ids_sum_to_5050(story):
    with story.conn.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) AS n, SUM(id) AS s FROM {story.table}")
        assert [d[0] for d in cur.description] == ["n", "s"]
        rows = cur.fetchall()
    assert len(rows) == 1, f"wanted one row, got {rows!r}"
    n, s = rows[0]
    assert (n, s) == (100, 5050), f"got n={n!r}, s={s!r}"
    assert type(n) is int and type(s) is int, f"wanted integers, got {type(n)}, {type(s)}"


# --- d. parameters --------------------------------------------------------------------------


@step
def test_d1_parameterised_range_query_returns_ids_3_to_5(story):
    p = story.driver.placeholder
    cur = story.driver.param_cursor(story.conn)
    cur.execute(f"SELECT id, name FROM {story.table} WHERE id BETWEEN {p} AND {p} ORDER BY id", (3, 5))
    rows = cur.fetchall()
    cur.close()
    assert [r[0] for r in rows] == [3, 4, 5], f"got {rows!r}"
    for _, name in rows:
        assert isinstance(name, str) and len(name) == 5, f"name {name!r} is not a 5-character string"


@step
def test_d2_text_parameter_with_quote_and_backslash_comes_back_unchanged(story):
    cur = story.driver.param_cursor(story.conn)
    cur.execute(f"SELECT {story.driver.placeholder} AS s", (TRICKY_TEXT,))
    rows = cur.fetchall()
    cur.close()
    value = rows[0][0] if rows else None
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8")
    assert value == TRICKY_TEXT, f"sent {TRICKY_TEXT!r}, got back {value!r}"


# --- e. errors ------------------------------------------------------------------------------


@step
def test_e1_missing_table_fails_with_1146_42S02(story):
    story.expect_error("SELECT * FROM no_such_table", 1146, "42S02")


@step
def test_e2_same_connection_still_answers_select_1(story):
    assert story.scalar("SELECT 1") == 1


@step
def test_e3_syntax_error_fails_with_1064_42000(story):
    story.expect_error("SELEC 1", 1064, "42000")
    assert story.scalar("SELECT 1") == 1


# --- f. an INSERT job -----------------------------------------------------------------------


@step
def test_f1_creates_a_blackhole_sink(story):
    with story.conn.cursor() as cur:
        cur.execute(f"CREATE TEMPORARY TABLE {story.sink} (id BIGINT) WITH ('connector'='blackhole')")


@step
def test_f2_insert_returns_ok_carrying_the_flink_job_id(story):
    is_result_set, info = story.driver.run_dml(
        story.conn, f"INSERT INTO {story.sink} SELECT id FROM {story.table}")
    assert not is_result_set, "INSERT answered with a result set, wanted an OK packet"
    match = JOB_ID.search(info)
    assert match, f"OK packet info {info!r} has no 32-hex Flink job id"
    story.job_id = match.group(0).lower()


@step
def test_f3_show_jobs_lists_the_job(story):
    with story.conn.cursor() as cur:
        cur.execute("SHOW JOBS")
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
    assert columns == SHOW_JOBS_COLUMNS, f"SHOW JOBS columns are {columns!r}"
    ids = [str(r[0]).lower() for r in rows]
    assert story.job_id in ids, f"job {story.job_id} not among SHOW JOBS ids {ids!r}"


# --- g. logins ------------------------------------------------------------------------------


@auth_step
def test_g1_logs_in_with_caching_sha2_password(story):
    conn = story.driver.connect(user=SHA2_USER, password=SHA2_PASSWORD, sha2=True)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchall()[0][0] == 1
    finally:
        conn.close()


@auth_step
def test_g2_logs_in_over_tls(story):
    conn = story.driver.connect(tls=True)
    try:
        assert story.driver.uses_tls(conn), "connected, but the connection is not using TLS"
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchall()[0][0] == 1
    finally:
        conn.close()
