#!/usr/bin/env python3
"""Writes the translation corpus's dataset in the three forms that use it.

One description of the tables and rows below gives:

* ``mariadb.sql``: CREATE TABLE and INSERT statements for MariaDB (the source database of the
  differential run: MySQL cases run on it directly, Oracle cases through their ``-- mariadb:``
  form);
* ``flink.sql``: the same rows for Flink, as ``CREATE TEMPORARY VIEW name AS SELECT CAST(...)
  FROM (VALUES ...)`` (no connector needed);
* ``../mysql/schema.txt`` and ``../oracle/schema.txt``: the Flink column types, which the
  translator's schema context (``MapSchema``) reads when the corpus is translated.

The ``shop`` tables are read by the MySQL cases, the ``scott``-like tables by the Oracle cases.
The Oracle tables are binary-collated in MariaDB (Oracle compares strings as written, MariaDB's
default collation ignores case). Oracle's DATE keeps a time of day: those columns are DATETIME in MariaDB and TIMESTAMP(0) in
Flink. Run ``python3 make_dataset.py`` after editing; the outputs are committed.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

# (table, dialect, [(column, mariadb type, flink type)], rows)
TABLES = []


def table(name, dialect, columns, rows):
    TABLES.append((name, dialect, columns, rows))


table(
    "customers",
    "mysql",
    [
        ("id", "INT", "INT"),
        ("name", "VARCHAR(50)", "VARCHAR(50)"),
        ("email", "VARCHAR(100)", "VARCHAR(100)"),
        ("city", "VARCHAR(30)", "VARCHAR(30)"),
        ("country", "VARCHAR(30)", "VARCHAR(30)"),
        ("active", "TINYINT", "TINYINT"),
        ("credit_limit", "DECIMAL(10,2)", "DECIMAL(10, 2)"),
        ("created_at", "DATETIME", "TIMESTAMP(0)"),
        ("birth_date", "DATE", "DATE"),
    ],
    [
        (1, "Ana Lima", "ana@example.com", "Lisbon", "Portugal", 1, 5000.00, "2023-01-15 09:30:00", "1985-04-12"),
        (2, "Bruno Costa", "bruno@example.com", "Porto", "Portugal", 1, 2500.50, "2023-02-28 17:05:10", "1990-11-30"),
        (3, "Chen Wei", None, "Berlin", "Germany", 0, 0.00, "2023-03-31 23:59:59", "1978-02-28"),
        (4, "Dana Smith", "dana@example.org", "london", "UK", 1, 12000.00, "2023-06-01 00:00:00", None),
        (5, "Emil Novak", "emil@example.net", "Prague", "Czechia", 1, 750.25, "2023-07-14 12:00:00", "2000-01-01"),
        (6, "Fatima Zahra", "fatima@example.com", None, "Morocco", 0, None, "2023-09-09 08:08:08", "1995-07-04"),
        (7, "Gita Rao", "gita@example.com", "Mumbai", "India", 1, 3000.00, "2024-01-31 10:00:00", "1988-12-31"),
        (8, "hugo weber", "hugo@example.de", "Berlin", "Germany", 1, 1500.00, "2024-02-29 14:30:00", "1992-02-29"),
        (9, "Ines Garcia", "ines@example.es", "Madrid", "Spain", 1, 4200.75, "2024-03-15 16:45:00", "1983-03-15"),
        (10, "Jonas Berg", None, "Oslo", "Norway", 0, 100.00, "2024-05-20 07:15:00", "2001-05-20"),
        # No orders: anti-joins (NOT EXISTS, NOT IN, LEFT JOIN ... IS NULL) have a row to find.
        (11, "Kofi Mensah", "kofi@example.com", "Accra", "Ghana", 1, 800.00, "2024-06-10 11:00:00", "1993-08-21"),
    ],
)

table(
    "products",
    "mysql",
    [
        ("id", "INT", "INT"),
        ("name", "VARCHAR(60)", "VARCHAR(60)"),
        ("category", "VARCHAR(30)", "VARCHAR(30)"),
        ("price", "DECIMAL(10,2)", "DECIMAL(10, 2)"),
        ("stock", "INT", "INT"),
        ("weight", "DOUBLE", "DOUBLE"),
        ("released", "DATE", "DATE"),
    ],
    [
        (101, "Espresso Machine", "Kitchen", 249.99, 12, 7.5, "2022-11-01"),
        (102, "Coffee Grinder", "Kitchen", 89.50, 30, 2.25, "2023-01-20"),
        (103, "Desk Lamp", "Office", 34.00, 0, 1.2, "2021-06-15"),
        (104, "Office Chair", "Office", 189.00, 7, 14.0, "2022-03-03"),
        (105, "Notebook A5", "Stationery", 4.75, 500, 0.3, "2020-01-10"),
        (106, "Fountain Pen", "Stationery", 45.00, 60, 0.05, "2023-08-08"),
        (107, "Yoga Mat", "Sport", 29.99, 25, 1.8, "2023-04-01"),
        (108, "Dumbbell Set", "Sport", 119.00, 4, 20.0, "2022-09-30"),
        (109, "Tea Kettle", "Kitchen", 39.90, 18, 1.1, None),
        (110, "Monitor Stand", "office", 59.00, 9, 3.4, "2024-02-29"),
        (111, "Gift Card", "Other", 50.00, 1000, 0.0, "2019-12-31"),
        (112, "Sticky Notes", "Stationery", 2.10, 800, 0.1, "2020-05-05"),
        # Never ordered.
        (113, "Desk Organizer", "Office", 19.50, 40, 0.9, "2024-03-01"),
    ],
)

table(
    "orders",
    "mysql",
    [
        ("id", "INT", "INT"),
        ("customer_id", "INT", "INT"),
        ("order_date", "DATE", "DATE"),
        ("status", "VARCHAR(20)", "VARCHAR(20)"),
        ("total", "DECIMAL(10,2)", "DECIMAL(10, 2)"),
        ("shipped_at", "DATETIME", "TIMESTAMP(0)"),
        ("priority", "INT", "INT"),
    ],
    [
        (1001, 1, "2024-01-05", "shipped", 339.49, "2024-01-07 10:15:00", 1),
        (1002, 2, "2024-01-31", "Shipped", 89.50, "2024-02-02 09:00:00", 2),
        (1003, 1, "2024-02-10", "cancelled", 34.00, None, 3),
        (1004, 3, "2024-02-29", "shipped", 378.00, "2024-03-04 15:30:00", 1),
        (1005, 4, "2024-03-01", "pending", 14.25, None, 2),
        (1006, 5, "2024-03-15", "shipped", 119.00, "2024-03-16 08:45:00", 3),
        (1007, 7, "2024-03-31", "returned", 249.99, "2024-04-02 11:00:00", 2),
        (1008, 8, "2024-04-01", "shipped", 94.99, "2024-04-03 13:20:00", 1),
        (1009, 9, "2024-04-30", "pending", 500.00, None, 3),
        (1010, 4, "2024-05-05", "shipped", 59.00, "2024-05-06 10:00:00", 2),
        (1011, 2, "2024-05-31", "SHIPPED", 21.00, "2024-06-03 09:30:00", 1),
        (1012, 6, "2024-06-15", "cancelled", 45.00, None, 2),
        (1013, 1, "2024-06-30", "shipped", 128.90, "2024-07-01 17:00:00", 1),
        (1014, 10, "2024-07-04", "pending", 4.75, None, None),
        (1015, 9, "2024-07-31", "shipped", 1189.00, "2024-08-05 12:00:00", 1),
        (1016, 5, "2024-08-15", "shipped", 29.99, "2024-08-16 09:00:00", 3),
        (1017, 7, "2024-09-30", "shipped", 99.80, "2024-10-01 10:10:10", 2),
        (1018, 3, "2024-10-31", "pending", 237.00, None, 1),
        (1019, 8, "2024-11-29", "shipped", 50.00, "2024-12-02 08:00:00", 2),
        (1020, 4, "2024-12-31", "shipped", 2.10, "2025-01-02 09:00:00", 3),
    ],
)

table(
    "order_items",
    "mysql",
    [
        ("order_id", "INT", "INT"),
        ("line_no", "INT", "INT"),
        ("product_id", "INT", "INT"),
        ("quantity", "INT", "INT"),
        ("unit_price", "DECIMAL(10,2)", "DECIMAL(10, 2)"),
        ("discount", "DECIMAL(4,2)", "DECIMAL(4, 2)"),
    ],
    [
        (1001, 1, 101, 1, 249.99, None),
        (1001, 2, 102, 1, 89.50, 0.00),
        (1002, 1, 102, 1, 89.50, None),
        (1003, 1, 103, 1, 34.00, 0.10),
        (1004, 1, 104, 2, 189.00, None),
        (1005, 1, 105, 3, 4.75, None),
        (1006, 1, 108, 1, 119.00, 0.05),
        (1007, 1, 101, 1, 249.99, None),
        (1008, 1, 107, 2, 29.99, 0.15),
        (1008, 2, 109, 1, 39.90, None),
        (1009, 1, 111, 10, 50.00, None),
        (1010, 1, 110, 1, 59.00, 0.00),
        (1011, 1, 112, 10, 2.10, None),
        (1012, 1, 106, 1, 45.00, 0.20),
        (1013, 1, 102, 1, 89.50, None),
        (1013, 2, 109, 1, 39.40, None),
        (1014, 1, 105, 1, 4.75, None),
        (1015, 1, 104, 6, 189.00, 0.10),
        (1015, 2, 106, 1, 45.00, None),
        (1016, 1, 107, 1, 29.99, None),
        (1017, 1, 109, 2, 39.90, None),
        (1017, 2, 105, 4, 4.75, 0.50),
        (1018, 1, 108, 2, 119.00, None),
        (1019, 1, 111, 1, 50.00, None),
        (1020, 1, 112, 1, 2.10, None),
    ],
)

table(
    "dept",
    "oracle",
    [("deptno", "TINYINT", "TINYINT"), ("dname", "VARCHAR(14)", "VARCHAR(14)"), ("loc", "VARCHAR(13)", "VARCHAR(13)")],
    [
        (10, "FINANCE", "ZURICH"),
        (20, "RESEARCH", "LYON"),
        (30, "SALES", "OSAKA"),
        (40, "OPERATIONS", "DENVER"),
        (50, "LEGAL", None),
        # A name with an underscore, for LIKE ... ESCAPE.
        (60, "R_AND_D", "BERGEN"),
    ],
)

table(
    "emp",
    "oracle",
    [
        ("empno", "SMALLINT", "SMALLINT"),
        ("ename", "VARCHAR(10)", "VARCHAR(10)"),
        ("job", "VARCHAR(9)", "VARCHAR(9)"),
        ("mgr", "SMALLINT", "SMALLINT"),
        ("hiredate", "DATETIME", "TIMESTAMP(0)"),
        ("sal", "DECIMAL(7,2)", "DECIMAL(7, 2)"),
        ("comm", "DECIMAL(7,2)", "DECIMAL(7, 2)"),
        ("deptno", "TINYINT", "TINYINT"),
    ],
    [
        (7001, "ADAMS", "PRESIDENT", None, "2015-11-17 00:00:00", 6000.00, None, 10),
        (7002, "BAKER", "MANAGER", 7001, "2016-05-01 09:00:00", 3250.00, None, 30),
        (7003, "CLARKE", "MANAGER", 7001, "2016-06-09 00:00:00", 2900.50, None, 10),
        (7004, "DIAZ", "MANAGER", 7001, "2017-04-02 14:30:00", 3100.00, None, 20),
        (7005, "EVANS", "ANALYST", 7004, "2018-12-03 00:00:00", 3000.00, None, 20),
        (7006, "FORD", "ANALYST", 7004, "2019-01-31 08:00:00", 3000.00, None, 20),
        (7007, "GRANT", "SALESMAN", 7002, "2019-02-20 00:00:00", 1600.00, 300.00, 30),
        (7008, "HAYES", "SALESMAN", 7002, "2020-02-29 10:45:00", 1250.00, 500.00, 30),
        (7009, "IRWIN", "SALESMAN", 7002, "2020-09-28 00:00:00", 1250.00, 1400.00, 30),
        (7010, "JONES", "SALESMAN", 7002, "2021-09-08 00:00:00", 1500.00, 0.00, 30),
        (7011, "KING", "CLERK", 7005, "2022-01-12 00:00:00", 1100.00, None, 20),
        (7012, "LEWIS", "CLERK", 7002, "2022-12-31 23:00:00", 950.00, None, 30),
        (7013, "MOORE", "CLERK", 7003, "2023-01-23 00:00:00", 1300.00, None, 10),
        (7014, "NASH", "CLERK", 7006, "2023-03-31 12:00:00", 800.00, None, 20),
        (7015, "OWEN", "ANALYST", None, "2024-01-15 00:00:00", 2750.00, None, None),
    ],
)

table(
    "salgrade",
    "oracle",
    [("grade", "TINYINT", "TINYINT"), ("losal", "DECIMAL(7,2)", "DECIMAL(7, 2)"), ("hisal", "DECIMAL(7,2)", "DECIMAL(7, 2)")],
    [(1, 700, 1200), (2, 1201, 1400), (3, 1401, 2000), (4, 2001, 3000), (5, 3001, 9999)],
)

table(
    "sales",
    "oracle",
    [
        ("sale_id", "INT", "INT"),
        ("empno", "SMALLINT", "SMALLINT"),
        ("sale_date", "DATETIME", "TIMESTAMP(0)"),
        ("region", "VARCHAR(10)", "VARCHAR(10)"),
        ("product", "VARCHAR(20)", "VARCHAR(20)"),
        ("amount", "DECIMAL(9,2)", "DECIMAL(9, 2)"),
        ("units", "INT", "INT"),
    ],
    [
        (1, 7007, "2024-01-03 10:15:00", "North", "Widget", 1200.00, 12),
        (2, 7008, "2024-01-31 16:40:00", "South", "Gadget", 850.50, 5),
        (3, 7009, "2024-02-14 09:05:00", "North", "Widget", 300.00, 3),
        (4, 7010, "2024-02-29 18:00:00", "East", "Gizmo", 2200.00, 20),
        (5, 7007, "2024-03-01 08:00:00", "West", "Gadget", 475.25, 2),
        (6, 7008, "2024-03-31 23:59:00", "South", "Widget", 990.00, 9),
        (7, 7012, "2024-04-15 11:11:11", "North", "Gizmo", 150.00, 1),
        (8, 7009, "2024-05-20 13:30:00", "East", "Widget", 1320.00, 11),
        (9, 7010, "2024-06-30 07:45:00", "West", "Gizmo", 640.00, 4),
        (10, 7007, "2024-07-04 12:00:00", "North", "Gadget", 1999.99, 8),
        (11, 7012, "2024-08-31 17:20:00", "South", None, 75.00, 1),
        (12, 7008, "2024-11-30 09:00:00", "East", "Widget", 1100.00, 10),
        (13, 7009, "2024-12-31 22:30:00", None, "Gizmo", 305.00, 2),
    ],
)


def sql_value(v, flink_type=None):
    if v is None:
        return "NULL"
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return repr(v) if isinstance(v, float) else str(v)


def flink_value(v, flink_type):
    if v is None:
        return f"CAST(NULL AS {flink_type})"
    if flink_type.startswith("TIMESTAMP"):
        return f"TIMESTAMP '{v}'"
    if flink_type == "DATE":
        return f"DATE '{v}'"
    if isinstance(v, float) and flink_type == "DOUBLE":
        return f"CAST({v!r} AS DOUBLE)"
    return sql_value(v)


def main():
    maria = ["-- Generated by make_dataset.py: the translation corpus's dataset for MariaDB.", ""]
    flink = [
        "-- Generated by make_dataset.py: the translation corpus's dataset for Flink, as temporary",
        "-- views over VALUES (no connector needed). Statements are separated by ';' at line ends.",
        "",
    ]
    schemas = {"mysql": [], "oracle": []}
    for name, dialect, columns, rows in TABLES:
        cols = ",\n  ".join(f"{c} {m}" for c, m, _ in columns)
        maria.append(f"DROP TABLE IF EXISTS {name};")
        collate = " COLLATE utf8mb4_bin" if dialect == "oracle" else ""
        maria.append(f"CREATE TABLE {name} (\n  {cols}\n){collate};")
        values = ",\n  ".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in rows)
        maria.append(f"INSERT INTO {name} VALUES\n  {values};")
        maria.append("")
        select = ", ".join(f"CAST({c} AS {f}) AS {c}" for c, _, f in columns)
        fvalues = ",\n  ".join(
            "(" + ", ".join(flink_value(v, f) for v, (_, _, f) in zip(row, columns)) + ")" for row in rows
        )
        names = ", ".join(c for c, _, _ in columns)
        flink.append(f"CREATE TEMPORARY VIEW {name} AS SELECT {select} FROM (VALUES\n  {fvalues}\n) AS t ({names});")
        flink.append("")
        schemas[dialect].extend(f"{name} {c} {f}" for c, _, f in columns)
    (HERE / "mariadb.sql").write_text("\n".join(maria))
    (HERE / "flink.sql").write_text("\n".join(flink))
    for dialect, lines in schemas.items():
        header = [
            f"# Generated by dataset/make_dataset.py: the Flink column types of the tables the {dialect} cases read,",
            "# one column per line: table column TYPE (the schema context of the corpus test).",
        ]
        (HERE.parent / dialect / "schema.txt").write_text("\n".join(header + lines) + "\n")


if __name__ == "__main__":
    main()
