"""Weir metadata, as SQLAlchemy's reflection and pandas see it (issue 5).

An analyst points SQLAlchemy at Weir, creates a table and a view in Flink on one connection
(Flink's in-memory catalog lives in that connection's Flink session), and inspects them the way
Superset and other BI tools do: schema names, table and view names, columns with their types
and nullability, the primary key, indexes and the table comment — all parsed by SQLAlchemy's
MySQL dialect from Weir's SHOW statements. Then pandas reads the table.

Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty).
Run: conformance/clients/python/run.sh
"""

import os
import uuid

import pytest

HOST = os.environ.get("WEIR_HOST", "127.0.0.1")
PORT = int(os.environ.get("WEIR_PORT", "3307"))
USER = os.environ.get("WEIR_USER", "root")
PASSWORD = os.environ.get("WEIR_PASSWORD", "")

SUFFIX = uuid.uuid4().hex[:8]
TABLE = f"orders_{SUFFIX}"
VIEW = f"big_orders_{SUFFIX}"


@pytest.fixture(scope="module")
def conn():
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    url = f"mysql+pymysql://{USER}:{PASSWORD}@{HOST}:{PORT}/default_database"
    # One connection for the whole story: the tables live in its Flink session.
    engine = create_engine(url, poolclass=StaticPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.exec_driver_sql(
            f"CREATE TABLE {TABLE} (id BIGINT NOT NULL COMMENT 'order id', amount DECIMAL(10, 2), "
            f"note VARCHAR(20), placed TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED) COMMENT 'all orders' "
            f"WITH ('connector' = 'datagen', 'number-of-rows' = '5', 'fields.id.kind' = 'sequence', "
            f"'fields.id.start' = '1', 'fields.id.end' = '5')"
        )
        c.exec_driver_sql(f"CREATE VIEW {VIEW} AS SELECT id, amount FROM {TABLE}")
        yield c
    engine.dispose()


@pytest.fixture(scope="module")
def insp(conn):
    from sqlalchemy import inspect

    return inspect(conn)


def test_schema_names_are_the_current_catalogs_databases(insp):
    names = insp.get_schema_names()
    assert "default_database" in names
    assert "information_schema" in names


def test_tables_and_views_are_told_apart(insp):
    assert TABLE in insp.get_table_names()
    assert VIEW not in insp.get_table_names()
    assert VIEW in insp.get_view_names()


def test_columns_have_mysql_types_and_nullability(insp):
    from sqlalchemy.dialects import mysql

    cols = {c["name"]: c for c in insp.get_columns(TABLE)}
    assert list(cols) == ["id", "amount", "note", "placed"]
    assert isinstance(cols["id"]["type"], mysql.BIGINT)
    assert cols["id"]["nullable"] is False
    assert cols["id"]["comment"] == "order id"
    assert isinstance(cols["amount"]["type"], mysql.DECIMAL)
    assert (cols["amount"]["type"].precision, cols["amount"]["type"].scale) == (10, 2)
    assert isinstance(cols["note"]["type"], mysql.VARCHAR) and cols["note"]["type"].length == 20
    assert isinstance(cols["placed"]["type"], mysql.DATETIME)
    assert cols["placed"]["nullable"] is True


def test_primary_key_indexes_and_comment(insp):
    assert insp.get_pk_constraint(TABLE)["constrained_columns"] == ["id"]
    assert insp.get_indexes(TABLE) == []  # MySQL reports the primary key apart from indexes
    assert insp.get_table_comment(TABLE)["text"] == "all orders"
    assert insp.get_foreign_keys(TABLE) == []


def test_view_columns_come_from_describe(insp):
    cols = [c["name"] for c in insp.get_columns(VIEW)]
    assert cols == ["id", "amount"]


def test_has_table_relies_on_error_1146(insp):
    assert insp.has_table(TABLE)
    assert not insp.has_table(f"no_such_table_{SUFFIX}")


def test_pandas_reads_the_table(conn):
    import pandas

    conn.exec_driver_sql("SET 'execution.runtime-mode' = 'batch'")
    df = pandas.read_sql(f"SELECT id, amount FROM {TABLE} ORDER BY id", conn)
    assert list(df["id"]) == [1, 2, 3, 4, 5]
