"""Weir's metrics, as Prometheus reads them (issue 15).

An operator scrapes Weir's `/metrics` with Prometheus. Here Prometheus's own Python parser reads
the page before and after a known sequence of statements on one PyMySQL connection (answered
locally, by the metadata engine, by Flink, and refused), and a login with a wrong password; the
counters move by exactly what was done. The same figures are read by SQL from
`information_schema.WEIR_METRICS`.

Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_TEST_HTTP (Weir's HTTP listener,
http://127.0.0.1:3308). Run: conformance/clients/python/run.sh (the suite runs alone against
Weir: nothing else sends statements meanwhile).
"""

import os
import urllib.request

import pymysql
import pytest
from prometheus_client.parser import text_string_to_metric_families

HOST = os.environ.get("WEIR_HOST", "127.0.0.1")
PORT = int(os.environ.get("WEIR_PORT", "3307"))
HTTP = os.environ.get("WEIR_TEST_HTTP", "http://127.0.0.1:3308").rstrip("/")


def scrape():
    """{(sample name, frozenset(labels)): value} of one scrape, parsed by prometheus_client."""
    with urllib.request.urlopen(f"{HTTP}/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(scraped, name, **labels):
    return scraped.get((name, frozenset(labels.items())), 0.0)


def connect(**kw):
    return pymysql.connect(host=HOST, port=PORT, user="root", password="", autocommit=True, **kw)


def test_health_and_ready_answer():
    with urllib.request.urlopen(f"{HTTP}/health", timeout=5) as r:
        assert r.status == 200
    with urllib.request.urlopen(f"{HTTP}/ready", timeout=5) as r:
        assert r.status == 200
        assert "ready" in r.read().decode()


def test_statements_errors_and_connections_are_counted_exactly():
    conn = connect()
    cur = conn.cursor()
    before = scrape()
    for _ in range(3):
        cur.execute("SELECT 1")
    cur.execute("SET autocommit = 1")
    cur.execute("SHOW DATABASES")
    cur.execute("SELECT COUNT(*) FROM information_schema.TABLES")
    cur.execute("SHOW CURRENT CATALOG")
    with pytest.raises(pymysql.err.ProgrammingError) as e:
        cur.execute("SELEC 1")
    assert e.value.args[0] == 1064
    with pytest.raises(pymysql.err.MySQLError) as e:
        cur.execute("SELECT * FROM information_schema.NO_SUCH_TABLE")
    assert e.value.args[0] == 1109
    with pytest.raises(pymysql.err.OperationalError) as e:
        pymysql.connect(host=HOST, port=PORT, user="weir_sha2", password="not-the-password")
    assert e.value.args[0] == 1045
    after = scrape()
    conn.close()

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("weir_statements_total", kind="select", answered_by="local") == 3
    assert delta("weir_statements_total", kind="set", answered_by="local") == 1
    assert delta("weir_statements_total", kind="show", answered_by="metadata") == 1
    # The information_schema SELECT, and the one of an unknown table (its own error).
    assert delta("weir_statements_total", kind="select", answered_by="metadata") == 2
    # What no room claims goes to Flink as written: SHOW CURRENT CATALOG, and SELEC 1 (Flink's
    # parser refuses it, 1064).
    assert delta("weir_statements_total", kind="other", answered_by="flink") == 2
    assert delta("weir_errors_total", code="1064") == 1
    assert delta("weir_errors_total", code="1109") == 1
    assert delta("weir_statement_duration_seconds_count", answered_by="local") == 4
    assert delta("weir_connections_refused_total", code="1045") == 1
    # The histogram's buckets are cumulative and end at +Inf with the count.
    assert value(after, "weir_statement_duration_seconds_bucket", answered_by="local", le="+Inf") == value(
        after, "weir_statement_duration_seconds_count", answered_by="local"
    )
    assert value(after, "weir_connections_open") >= 1


def settled():
    """A scrape once the open-connections gauge has held still for 300 ms: a connection an
    earlier test closed is counted out when the server has seen it end, a moment after."""
    import time

    last = scrape()
    for _ in range(25):
        time.sleep(0.3)
        now = scrape()
        if value(now, "weir_connections_open") == value(last, "weir_connections_open"):
            return now
        last = now
    return last


def test_connections_are_counted_when_they_open_and_close():
    before = settled()
    conns = [connect() for _ in range(3)]
    during = scrape()
    for c in conns:
        c.close()
    assert value(during, "weir_connections_total") - value(before, "weir_connections_total") == 3
    assert value(during, "weir_connections_open") - value(before, "weir_connections_open") == 3


def test_sampled_figures_name_the_clusters_and_every_job_state():
    import time

    time.sleep(6)  # one round of the watcher after the statements above
    s = scrape()
    assert value(s, "weir_cluster_up", cluster="local") == 1
    assert value(s, "weir_flink_requests_total", cluster="local") > 0
    states = {dict(labels)["state"] for (name, labels) in s if name == "weir_jobs"}
    assert states == {"CREATED", "STARTING", "RUNNING", "RECOVERING", "STOPPING", "STOPPED", "FINISHED", "FAILED", "CANCELED"}


def test_the_same_figures_are_queryable_by_sql():
    conn = connect()
    cur = conn.cursor()
    cur.execute("SELECT 1")
    scraped = scrape()
    cur.execute(
        "SELECT `VALUE` FROM information_schema.WEIR_METRICS "
        "WHERE NAME = 'weir_statements_total' AND LABELS = 'kind=\"select\",answered_by=\"local\"'"
    )
    (v,) = cur.fetchone()
    # The SELECT reading WEIR_METRICS is a metadata statement: the local SELECTs stand still.
    assert v == value(scraped, "weir_statements_total", kind="select", answered_by="local")
    cur.execute("SELECT COUNT(*) FROM information_schema.WEIR_METRICS WHERE NAME LIKE 'weir_job%'")
    (n,) = cur.fetchone()
    assert n >= 9
    conn.close()
