"""Who may do what, as a Python application meets it (issue 16).

An administrator creates an account for a BI tool that may read one table of a database and
nothing else. The tool connects with PyMySQL and with SQLAlchemy (its inspector is what pandas,
Superset and Alembic use to list tables and columns): it reads its table, is refused the other
with MySQL's 1142, the other table does not exist for it in information_schema, SHOW TABLES or
the inspector, its grants are MySQL's, and a wrong password is 1045. The connection stays
usable after every refusal.

Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307). Run: conformance/clients/python/run.sh.
"""

import os
import uuid

import pymysql
import pytest
import sqlalchemy

HOST = os.environ.get("WEIR_HOST", "127.0.0.1")
PORT = int(os.environ.get("WEIR_PORT", "3307"))


def root():
    return pymysql.connect(host=HOST, port=PORT, user="root", password="", autocommit=True)


@pytest.fixture(scope="module")
def granted():
    """A database with an `orders` table the account may read and a `salaries` table it may not."""
    tag = uuid.uuid4().hex[:8]
    db, user, password = f"acc_py_{tag}", f"bi_py_{tag}", "Bi-Pass-1"
    admin = root()
    cur = admin.cursor()
    cur.execute(f"CREATE DATABASE {db}")
    for t in ("orders", "salaries"):
        cur.execute(
            f"CREATE TABLE {db}.{t} (id BIGINT, amount INT) WITH ('connector' = 'datagen', "
            "'number-of-rows' = '5', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '5')"
        )
    cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
    cur.execute(f"GRANT SELECT ON {db}.orders TO '{user}'@'%'")
    yield db, user, password
    cur.execute(f"DROP USER '{user}'@'%'")
    cur.execute(f"DROP TABLE {db}.orders")
    cur.execute(f"DROP TABLE {db}.salaries")
    cur.execute(f"DROP DATABASE {db}")
    admin.close()


def error_code(cur, sql):
    with pytest.raises(pymysql.MySQLError) as e:
        cur.execute(sql)
    return e.value.args[0], e.value.args[1]


def test_pymysql_reads_what_was_granted_and_is_refused_the_rest_with_mysqls_codes(granted):
    db, user, password = granted
    conn = pymysql.connect(host=HOST, port=PORT, user=user, password=password, database=db, autocommit=True)
    cur = conn.cursor()
    cur.execute("SET 'execution.runtime-mode' = 'batch'")
    cur.execute("SELECT COUNT(*), SUM(id) FROM orders")
    assert cur.fetchone() == (5, 15)

    code, message = error_code(cur, "SELECT * FROM salaries")
    assert code == 1142, message
    assert "SELECT command denied" in message and "salaries" in message
    code, message = error_code(cur, f"INSERT INTO {db}.orders SELECT * FROM {db}.orders")
    assert code == 1142, message

    # What it may not see does not exist for it.
    cur.execute("SHOW TABLES")
    assert [r[0] for r in cur.fetchall()] == ["orders"]
    cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME", (db,))
    assert [r[0] for r in cur.fetchall()] == ["orders"]
    code, message = error_code(cur, "DESCRIBE salaries")
    assert code == 1146, message

    cur.execute("SHOW GRANTS")
    grants = [r[0] for r in cur.fetchall()]
    assert grants == [f"GRANT USAGE ON *.* TO `{user}`@`%`", f"GRANT SELECT ON `{db}`.`orders` TO `{user}`@`%`"]

    # After every refusal the connection still answers.
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)
    conn.close()


def test_a_wrong_password_is_1045(granted):
    _, user, _ = granted
    with pytest.raises(pymysql.err.OperationalError) as e:
        pymysql.connect(host=HOST, port=PORT, user=user, password="wrong")
    assert e.value.args[0] == 1045
    assert f"Access denied for user '{user}'" in e.value.args[1]


def test_sqlalchemys_inspector_lists_only_the_granted_table(granted):
    db, user, password = granted
    engine = sqlalchemy.create_engine(f"mysql+pymysql://{user}:{password}@{HOST}:{PORT}/{db}")
    try:
        inspector = sqlalchemy.inspect(engine)
        assert inspector.get_table_names() == ["orders"]
        assert [c["name"] for c in inspector.get_columns("orders")] == ["id", "amount"]
        assert not inspector.has_table("salaries")
        with engine.connect() as c:
            with pytest.raises(sqlalchemy.exc.OperationalError) as e:
                c.execute(sqlalchemy.text("SELECT * FROM salaries"))
            assert e.value.orig.args[0] == 1142
    finally:
        engine.dispose()
