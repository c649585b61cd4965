"""p50/p99 of a parameterised information_schema.COLUMNS lookup with N tables in the catalog,
through Weir and against MariaDB in the same run (issue 5's benchmark).

Usage: $WEIR_VENV/bin/python bench/information_schema.py N WEIR_HOST:PORT [MARIADB_HOST:PORT]
Creates N tables in the Weir connection's Flink session (default_catalog) and, if missing, in
MariaDB's database weir_meta_bench (user weir/weir), warms the cache, then times 200 lookups.
"""
import sys
import time

import pymysql

N = int(sys.argv[1])
WEIR = sys.argv[2].split(":")
MARIA = (sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1:3306").split(":")
Q = 200
SQL = "SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s"


def bench(conn, schema, tables):
    cur = conn.cursor()
    lat = []
    for i in range(Q):
        t = tables[i % len(tables)]
        s = time.perf_counter()
        cur.execute(SQL, (schema, t))
        rows = cur.fetchall()
        lat.append((time.perf_counter() - s) * 1000)
        assert len(rows) == 3, rows
    lat.sort()
    return lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1]


w = pymysql.connect(host=WEIR[0], port=int(WEIR[1]), user="root", autocommit=True)
c = w.cursor()
s = time.perf_counter()
for i in range(N):
    c.execute(f"CREATE TABLE IF NOT EXISTS bt_{i} (id BIGINT, name STRING, v DOUBLE) WITH ('connector'='datagen')")
print(f"created {N} Flink tables in {time.perf_counter() - s:.1f}s")
s = time.perf_counter()
c.execute("SHOW TABLES")
print(f"cold SHOW TABLES: {len(c.fetchall())} tables in {(time.perf_counter() - s) * 1000:.0f} ms")
tables = [f"bt_{i}" for i in range(0, N, max(1, N // 20))]
for t in tables:
    c.execute(SQL, ("default_database", t))
    c.fetchall()
p50, p99 = bench(w, "default_database", tables)
print(f"Weir warm: p50 {p50:.2f} ms p99 {p99:.2f} ms")
m = pymysql.connect(host=MARIA[0], port=int(MARIA[1]), user="weir", password="weir", autocommit=True)
mc = m.cursor()
mc.execute("CREATE DATABASE IF NOT EXISTS weir_meta_bench")
mc.execute("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='weir_meta_bench'")
have = mc.fetchone()[0]
for i in range(have, N):
    mc.execute(f"CREATE TABLE weir_meta_bench.bt_{i} (id BIGINT, name TEXT, v DOUBLE)")
p50, p99 = bench(m, "weir_meta_bench", tables)
print(f"MariaDB: p50 {p50:.2f} ms p99 {p99:.2f} ms ({N} tables)")
