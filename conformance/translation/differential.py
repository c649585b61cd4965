#!/usr/bin/env python3
"""Differential proof of the translation corpus on real engines, through real MySQL clients.

Loads the dataset of dataset/ into MariaDB (the source database) and, through Weir, into Flink
(temporary views over VALUES: bounded, no connector), then for every case of mysql/ and oracle/:

* query cases: the source statement runs on MariaDB (MySQL cases as written; Oracle cases in their
  hand-written `-- mariadb:` form) and, through a Weir session in the case's dialect
  (`SET weir.dialect = 'mysql' | 'oracle'`), on Flink in batch mode. Before that, `TRANSLATE` in
  the same session must give the case's expected Flink SQL: the session's schema context comes
  from its own Flink catalog, as a BI tool's would. Then, in turn:
  - column names (cursor.description): a MySQL case's must be MariaDB's; an Oracle case's are
    Oracle's, computed from the statement by Oracle's rule (`oracle_names`) unless the case writes
    them (`-- names: [...]`). Where Weir cannot give the source's names, the case says why
    (`-- names differ: ...`) and which names Weir gives (`-- weir names: [...]`);
  - column types as a MySQL client sees them (`type_class`: integer, decimal(scale), float,
    double, string, bytes, date, datetime, time, null; an Oracle case's numbers are all `number`,
    Oracle's NUMBER) must be MariaDB's, or, where Flink's type legitimately differs, the case says
    why (`-- types differ: ...`) and which types Weir gives (`-- weir types: [...]`);
  - the answer must not be empty unless the case says why (`-- empty: ...`);
  - the answers must be equal, as multisets of rows, or in order when the Flink SQL has a
    top-level ORDER BY. Only the columns a MySQL case names in `-- collation: col[, col]: why`
    (keys of its GROUP BY, DISTINCT or UNION, where MySQL's case-insensitive collation makes
    which spelling of a group it shows unspecified) may compare case-insensitively.
  An Oracle case's reference must be written from Oracle's semantics (NVL as IFNULL, DECODE's
  null-safe match as <=>, '' as NULL, ...), not copied from the expected Flink SQL: a `-- mariadb:`
  form that is the Flink text (case, quoting, aliases and blanks aside) fails. A case whose Oracle
  statement means the same on MariaDB says why (`-- portable: ...`) and its `-- mariadb:` form
  is that statement (re-quoted where MariaDB needs it). The Oracle tables are binary-collated in MariaDB,
  as Oracle compares strings.
* refused cases: the source statement sent to the dialect session must fail with ERROR 1235
  naming the construct and its line and column, and so must `TRANSLATE` of it in that session.
* DDL and DML cases: run in a scratch database whose tables have the dataset's shape (filesystem
  tables). CREATE TABLE must be accepted and DESCRIBE must give the expected column types;
  INSERT statements are planned (EXPLAIN), everything else executed.

With `--via expected` the expected Flink SQL runs in a `flink` session instead (no dialect
session needed): a check of the corpus alone.

Cells are normalised: numbers by value (floating point to 6 significant digits), date-times
without trailing zero fractions, booleans as 1/0, bytes as UTF-8 (their types are compared apart).

Usage: differential.py [--via dialect|expected] [--only NAME...] [--dialect mysql|oracle] [-v]
Environment: WEIR_HOST, WEIR_PORT, WEIR_USER, WEIR_PASSWORD (Weir), MARIADB_HOST, MARIADB_PORT,
MARIADB_USER, MARIADB_PASSWORD (the source database; default 127.0.0.1:3306, weir/weir).
The last line printed is `N passed, M failed`.
"""

import argparse
import datetime
import decimal
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pymysql
import pymysql.constants.CLIENT

HERE = Path(__file__).resolve().parent
DIALECTS = ("mysql", "oracle")


# --- the corpus -------------------------------------------------------------------------------

def load_cases(dialect):
    """The cases of one dialect, in file order (the format of dialects/src/corpus.rs)."""
    out = []
    for f in sorted((HERE / dialect).glob("*.sql")):
        cur = None
        block = None
        for line in f.read_text().splitlines():
            t = line.strip()
            if t.startswith("-- case:"):
                cur = {"name": t[8:].strip(), "dialect": dialect, "file": f.name, "source": [], "flink": [],
                       "mariadb": [], "refused": None, "target": "1.20", "with": None,
                       "names": None, "names differ": None, "weir names": None, "collation": None,
                       "types differ": None, "weir types": None, "empty": None, "portable": None}
                out.append(cur)
                block = "source"
            elif cur is None:
                continue
            elif t.startswith("-- target:"):
                cur["target"] = t[10:].strip()
            elif t.startswith("-- with:"):
                cur["with"] = t[8:].strip()
            elif t.startswith("-- collation:"):
                cols, _, why = t[13:].partition(":")
                cur["collation"] = ([c.strip() for c in cols.split(",") if c.strip()], why.strip())
            elif t.startswith("-- types differ:"):
                cur["types differ"] = t[16:].strip()
            elif t.startswith("-- empty:"):
                cur["empty"] = t[9:].strip()
            elif t.startswith("-- portable:"):
                cur["portable"] = t[12:].strip()
            elif t.startswith(("-- names:", "-- weir names:", "-- weir types:")):
                key, _, value = t[3:].partition(":")
                cur[key] = json.loads(value)
            elif t.startswith("-- names differ:"):
                cur["names differ"] = t[16:].strip()
            elif t.startswith("-- refused:"):
                cur["refused"] = t[11:].strip()
                block = None
            elif t == "-- flink:":
                block = "flink"
            elif t == "-- mariadb:":
                block = "mariadb"
            elif t.startswith("-- ") or block is None:
                continue
            else:
                cur[block].append(line)
    for c in out:
        for k in ("source", "flink", "mariadb"):
            c[k] = "\n".join(c[k]).strip()
            if c[k].endswith(";"):
                c[k] = c[k][:-1].rstrip()
    return out


def kind(case):
    if case["refused"] is not None:
        return "refused"
    if re.match(r"^\s*\(*\s*(SELECT|WITH)\b", case["source"], re.I):
        return "query"
    return "ddl"


def top_level_order_by(sql):
    depth = 0
    quote = None
    upper = sql.upper()
    for i, ch in enumerate(sql):
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'`\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and upper.startswith("ORDER BY", i):
            return True
    return False


# --- column names ---------------------------------------------------------------------------

def sql_tokens(sql):
    """(kind, text) tokens: 'str' '...', 'qid' "...", 'word', 'num', 'ws' (blanks and comments),
    'op' (anything else, one character)."""
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c.isspace():
            j = i
            while j < n and sql[j].isspace():
                j += 1
            out.append(("ws", sql[i:j]))
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(("ws", sql[i:j]))
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(("ws", sql[i:j]))
        elif c in "qQnN" and re.match(r"(?:[nN]?[qQ])'", sql[i:i + 3]):
            # Oracle's q'[...]' literal: it ends at the closing delimiter and a quote.
            open_at = sql.index("'", i) + 1
            delim = sql[open_at] if open_at < n else "'"
            close = {"[": "]", "{": "}", "(": ")", "<": ">"}.get(delim, delim)
            j = sql.find(close + "'", open_at + 1)
            j = n if j < 0 else j + 2
            out.append(("str", sql[i:j]))
        elif c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(("str" if c == "'" else "qid", sql[i:j + 1]))
            j += 1
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$#"):
                j += 1
            out.append(("word", sql[i:j]))
        elif c.isdigit() or (c == "." and i + 1 < n and sql[i + 1].isdigit()):
            j = i
            while j < n and (sql[j].isalnum() or sql[j] == "."):
                j += 1
            out.append(("num", sql[i:j]))
        else:
            j = i + 1
            out.append(("op", c))
        i = j
    return out


SELECT_MODIFIERS = {"DISTINCT", "UNIQUE", "ALL"}
LIST_END = {"FROM", "WHERE", "GROUP", "HAVING", "ORDER", "UNION", "INTERSECT", "MINUS", "EXCEPT", "FETCH",
            "OFFSET", "CONNECT", "START", "FOR", "INTO"}
# Words that end an expression rather than alias it (`CASE ... END`, `INTERVAL '1' DAY`).
NOT_ALIASES = {"END", "NULL", "TRUE", "FALSE", "DAY", "MONTH", "YEAR", "HOUR", "MINUTE", "SECOND", "DUAL"}


def select_items(sql):
    """The token lists of the outermost SELECT's items (for a set operation, its first branch's)."""
    toks = sql_tokens(sql)
    sig = [i for i, (k, _) in enumerate(toks) if k != "ws"]

    def group_end(at):
        """The index after the parenthesised group opening at sig[at]."""
        depth = 0
        for j in range(at, len(sig)):
            t = toks[sig[j]][1]
            depth += t == "("
            depth -= t == ")"
            if depth == 0:
                return j + 1
        return len(sig)

    at = 0
    if sig and toks[sig[0]][1].upper() == "WITH":
        # WITH name [(columns)] AS (query) [, ...]: the statement's own query follows.
        at = 1
        while at < len(sig):
            at += 1
            if at < len(sig) and toks[sig[at]][1] == "(":
                at = group_end(at)
            at += 1  # AS
            if at < len(sig) and toks[sig[at]][1] == "(":
                at = group_end(at)
            if at < len(sig) and toks[sig[at]][1] == ",":
                at += 1
                continue
            break
    start = next((sig[j] + 1 for j in range(at, len(sig)) if toks[sig[j]][1].upper() == "SELECT"), None)
    if start is None:
        return None
    items, cur, depth = [], [], 0
    i = start
    while i < len(toks) and (toks[i][0] == "ws" or (toks[i][0] == "word" and toks[i][1].upper() in SELECT_MODIFIERS)):
        i += 1
    for k, t in toks[i:]:
        if t == "(":
            depth += 1
        elif t == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (t == "," or t == ";"):
            items.append(cur)
            cur = []
            if t == ";":
                break
            continue
        elif depth == 0 and k == "word" and t.upper() in LIST_END:
            break
        cur.append((k, t))
    if cur:
        items.append(cur)
    return [[x for x in item] for item in items]


def oracle_fold(word_kind, text):
    return text[1:-1].replace('""', '"') if word_kind == "qid" else text.upper()


def oracle_item_name(item):
    """Oracle's name of one select item, or '*' for a wildcard."""
    sig = [x for x in item if x[0] != "ws"]
    if sig and sig[-1][1] == "*" and (len(sig) == 1 or sig[-2][1] == "."):
        return "*"
    # An alias: `expr [AS] name` (the name a word or a quoted identifier after a blank).
    as_alias = len(sig) >= 3 and sig[-2][0] == "word" and sig[-2][1].upper() == "AS"
    if len(sig) >= 2 and sig[-1][0] in ("word", "qid") and (as_alias or sig[-1][1].upper() not in NOT_ALIASES):
        last = len(item) - 1
        while item[last][0] == "ws":
            last -= 1
        if item[last - 1][0] == "ws" and sig[-2][1] not in (".",) and (sig[-2][1].upper() == "AS" or sig[-2][0] in ("word", "qid", "num", "str") or sig[-2][1] == ")"):
            if sig[-2][1].upper() != "AS" and sig[-2][0] == "word" and sig[-2][1].upper() in ("IS", "NOT", "AND", "OR", "LIKE", "IN", "BETWEEN", "THEN", "ELSE", "WHEN", "CASE", "DATE", "TIMESTAMP", "INTERVAL", "DISTINCT", "PRIOR"):
                pass
            else:
                return oracle_fold(sig[-1][0], sig[-1][1])
    # A column: `name` or `t.name`.
    if all(k in ("word", "qid") for k, _ in sig[0::2]) and all(t == "." for _, t in sig[1::2]) and len(sig) % 2 == 1:
        return oracle_fold(sig[-1][0], sig[-1][1])
    text = "".join(t for k, t in item if k != "ws")
    name = "".join(ch for ch in text if not ch.isspace()).upper()
    return name.encode()[:128].decode(errors="ignore")


def oracle_names(sql, maria_names):
    """Oracle's column names for a statement: its outermost select list named by Oracle's rule.
    A `*` item stands for the columns MariaDB gives there (the same tables), upper-cased as an
    Oracle dictionary spells unquoted names."""
    items = select_items(sql)
    if items is None:
        return None
    names = [oracle_item_name(i) for i in items]
    stars = names.count("*")
    if stars == 0:
        return names
    if stars > 1:
        return None
    k = names.index("*")
    width = len(maria_names) - (len(names) - 1)
    return names[:k] + [n.upper() for n in maria_names[k:k + width]] + names[k + 1:]


def check_names(case, got, maria_names, run_):
    """None when Weir's column names are the source's (or what the case says Weir gives instead),
    else why not."""
    if case["dialect"] == "mysql":
        want = maria_names
        if case["names"] is not None and case["names"] != maria_names:
            return f"the case's names {case['names']} are not MariaDB's {maria_names}"
    else:
        want = case["names"] if case["names"] is not None else oracle_names(case["source"], maria_names)
        if want is None:
            return "Oracle's names cannot be computed for this statement: write them (-- names: [...])"
    if case["names differ"] is not None:
        if got != case["weir names"]:
            return f"column names {got}, the case says Weir gives {case['weir names']} ({case['names differ']})"
        if got == want:
            return f"column names are the source's {want}: drop the case's -- names differ:"
        return None
    if got != want:
        return f"column names differ\n     weir:   {got}\n     source: {want}"
    return None


# --- answers ----------------------------------------------------------------------------------

def norm(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, float):
        # Doubles as both engines print them differ in the last digits (MariaDB rounds
        # aggregates of decimals to the decimals' scale + 4): six significant digits.
        return canonical_number(decimal.Decimal(f"{v:.6g}"))
    if isinstance(v, int):
        return str(v)
    if isinstance(v, decimal.Decimal):
        return canonical_number(v)
    if isinstance(v, datetime.datetime):
        s = v.strftime("%Y-%m-%d %H:%M:%S")
        if v.microsecond:
            s += f".{v.microsecond:06d}".rstrip("0")
        return s
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, datetime.timedelta):
        total = int(v.total_seconds())
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if isinstance(v, datetime.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, (bytes, bytearray)):
        try:
            return bytes(v).decode()
        except UnicodeDecodeError:
            return bytes(v).hex()
    return str(v)


def canonical_number(d):
    if d == 0:
        return "0"
    d = d.normalize()
    return format(d, "f")


def rows_of(cursor):
    return [tuple(norm(x) for x in row) for row in cursor.fetchall()]


def casefold(rows, columns):
    """The rows with the string cells of the given column positions case-folded."""
    return [tuple(c.casefold() if i in columns and isinstance(c, str) else c for i, c in enumerate(row)) for row in rows]


def same_answer(flink, maria, ordered):
    if ordered:
        return flink == maria
    return sorted(flink, key=repr) == sorted(maria, key=repr)


# --- column types -----------------------------------------------------------------------------

INTEGER_CODES = {1, 2, 3, 8, 9, 13}  # TINY SHORT LONG LONGLONG INT24 YEAR
STRING_CODES = {15, 245, 247, 248, 249, 250, 251, 252, 253, 254}  # VARCHAR JSON ENUM SET *BLOB VAR_STRING STRING
BINARY_CHARSET = 63


def type_class(desc, field, dialect):
    """A result column's type as a MySQL client sees it (cursor.description's type code; the
    decimal's scale; the charset tells text from bytes). An Oracle client sees NUMBER for every
    number (integer, decimal or double): Oracle cases compare `number` there."""
    code = desc[1]
    if code in INTEGER_CODES:
        t = "integer"
    elif code in (0, 246):
        t = f"decimal({desc[5]})"
    elif code == 4:
        t = "float"
    elif code == 5:
        t = "double"
    elif code in (10, 14):
        t = "date"
    elif code in (7, 12):
        t = "datetime"
    elif code == 11:
        t = "time"
    elif code == 6:
        t = "null"
    elif code == 16:
        t = "bit"
    elif code in STRING_CODES:
        t = "bytes" if field is not None and field.charsetnr == BINARY_CHARSET else "string"
    else:
        t = f"type code {code}"
    if dialect == "oracle" and (t in ("integer", "float", "double") or t.startswith("decimal")):
        return "number"
    return t


def types_of(cursor, dialect):
    fields = getattr(getattr(cursor, "_result", None), "fields", None) or [None] * len(cursor.description)
    return [type_class(d, f, dialect) for d, f in zip(cursor.description, fields)]


def check_types(case, got, want):
    """None when Weir's column types are the source's (or what the case says Weir gives), else why not."""
    if case["types differ"] is not None:
        if case["weir types"] is None:
            return "-- types differ: needs -- weir types: [...] (what Weir gives)"
        if got != case["weir types"]:
            return f"column types {got}, the case says Weir gives {case['weir types']} ({case['types differ']})"
        if got == want:
            return f"column types are the source's {want}: drop the case's -- types differ:"
        return None
    if case["weir types"] is not None:
        return "-- weir types: needs -- types differ: <why>"
    if got != want:
        return f"column types differ\n     weir:   {got}\n     source: {want}"
    return None


# --- the Oracle reference ---------------------------------------------------------------------

def shape(sql):
    """A statement's text with case, quoting, aliases, blanks and a final ';' taken away."""
    s = sql.lower().replace("`", "").replace('"', "")
    s = re.sub(r"\bas\s+[a-z_][a-z0-9_$#]*", "", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s*([(),=<>+*/|-])\s*", r"\1", s)
    return s.strip().rstrip(";").strip()


def check_reference(case):
    """None when an Oracle case's MariaDB reference is its own: written from Oracle's semantics
    (a `-- mariadb:` form that is not the expected Flink SQL), or the Oracle statement itself
    where it means the same on MariaDB (`-- portable: why`); else why not."""
    if case["dialect"] != "oracle":
        return None
    if case["portable"] is not None:
        if not case["portable"]:
            return "-- portable: needs the reason the Oracle statement means the same on MariaDB"
        if case["mariadb"] and shape(case["mariadb"]) != shape(case["source"]):
            return "-- portable: its -- mariadb: form must be the Oracle statement (quoting aside)"
        return None
    if not case["mariadb"]:
        return "an Oracle case needs a -- mariadb: reference written from Oracle's semantics (or -- portable: why)"
    if shape(case["mariadb"]) == shape(case["flink"]):
        return ("the -- mariadb: reference is the expected Flink SQL: it proves only that two engines agree on one "
                "text; write it from Oracle's semantics")
    return None


# --- connections ------------------------------------------------------------------------------

def connect_weir():
    return pymysql.connect(
        client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,
        host=os.environ.get("WEIR_HOST", "127.0.0.1"),
        port=int(os.environ.get("WEIR_PORT", "3307")),
        user=os.environ.get("WEIR_USER", "root"),
        password=os.environ.get("WEIR_PASSWORD", ""),
        autocommit=True,
        read_timeout=300,
        connect_timeout=30,
    )


def connect_mariadb(database=None):
    return pymysql.connect(
        host=os.environ.get("MARIADB_HOST", "127.0.0.1"),
        port=int(os.environ.get("MARIADB_PORT", "3306")),
        user=os.environ.get("MARIADB_USER", "weir"),
        password=os.environ.get("MARIADB_PASSWORD", "weir"),
        database=database,
        autocommit=True,
        read_timeout=120,
    )


def sql_string(s):
    return "'" + s.replace("'", "''") + "'"


def statements(text):
    """Statements of a dataset file: ';' at a line end separates them; `--` lines are comments."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*$", body, flags=re.M) if s.strip()]


def run(cursor, sql):
    for attempt in range(4):
        try:
            cursor.execute(sql)
            return rows_of(cursor) if cursor.description else None
        except pymysql.MySQLError as e:
            # A shared test cluster short of network buffers or slots for a moment: retry.
            transient = "network buffers" in str(e) or "NoResourceAvailable" in str(e)
            if not transient or attempt == 3:
                raise
            time.sleep(2 + 3 * attempt)


class Weir:
    """A Weir session on one Flink line, with the dataset loaded as temporary views."""

    def __init__(self, target, scratch):
        self.conn = connect_weir()
        self.cur = self.conn.cursor()
        if target != "1.20":
            run(self.cur, f"SET weir.flink = {sql_string(target)}")
        run(self.cur, "SET 'execution.runtime-mode' = 'batch'")
        run(self.cur, "SET 'table.local-time-zone' = 'UTC'")
        # One slot's worth of network buffers per job: the test clusters are shared.
        run(self.cur, "SET 'parallelism.default' = '1'")
        # Pipelined exchanges (so the default scheduler, not the adaptive batch one): a blocking
        # (sort) shuffle needs 512 network buffers per exchange, more than a small shared test
        # TaskManager may have free while other jobs run.
        run(self.cur, "SET 'jobmanager.scheduler' = 'default'")
        run(self.cur, "SET 'execution.batch-shuffle-mode' = 'ALL_EXCHANGES_PIPELINED'")
        # The dataset's views all read VALUES: without reuse, no source feeds many exchanges.
        run(self.cur, "SET 'table.optimizer.reuse-sub-plan-enabled' = 'false'")
        run(self.cur, "SET 'table.optimizer.reuse-source-enabled' = 'false'")
        self.load_dataset(target)
        self.dialect = "flink"
        self.scratch = scratch
        self.scratch_ready = False

    def load_dataset(self, target):
        """The dataset as TEMPORARY filesystem tables (JSON files written by Flink itself from
        dataset/flink.sql's VALUES): queries read real table scans, as a BI tool's would (Flink
        cannot decorrelate some subqueries over VALUES)."""
        base = Path(tempfile.gettempdir()) / f"weir-translation-{os.getpid()}" / f"data-{target}"
        run(self.cur, "SET 'table.dml-sync' = 'true'")
        tables = shapes()
        for s in statements((HERE / "dataset" / "flink.sql").read_text()):
            m = re.match(r"CREATE TEMPORARY VIEW (\w+) AS", s)
            if not m:
                run(self.cur, s)
                continue
            t = m.group(1)
            run(self.cur, s.replace(f"CREATE TEMPORARY VIEW {t} AS", f"CREATE TEMPORARY VIEW {t}__values AS", 1))
            cols = ", ".join(f"`{c}` {ty}" for c, ty in tables[t])
            run(self.cur, f"CREATE TEMPORARY TABLE {t} ({cols}) WITH ('connector' = 'filesystem', "
                          f"'path' = 'file://{base / t}', 'format' = 'json')")
            run(self.cur, f"INSERT INTO {t} SELECT * FROM {t}__values")
            run(self.cur, f"DROP TEMPORARY VIEW {t}__values")
        run(self.cur, "SET 'table.dml-sync' = 'false'")

    def set_dialect(self, dialect):
        if dialect != self.dialect:
            run(self.cur, f"SET weir.dialect = {sql_string(dialect)}")
            self.dialect = dialect

    def enter_scratch(self, shapes):
        """A database of filesystem tables shaped like the dataset, for DDL and DML cases."""
        self.set_dialect("flink")
        if not self.scratch_ready:
            db = self.scratch
            run(self.cur, f"CREATE DATABASE IF NOT EXISTS {db}")
            run(self.cur, f"USE {db}")
            base = Path(tempfile.gettempdir()) / f"weir-translation-{os.getpid()}" / db
            for table, cols in shapes.items():
                path = base / table
                path.mkdir(parents=True, exist_ok=True)
                run(self.cur, f"DROP TABLE IF EXISTS {table}")
                run(self.cur, f"CREATE TABLE {table} ({', '.join(f'`{c}` {t}' for c, t in cols)}) "
                              f"WITH ('connector' = 'filesystem', 'path' = 'file://{path}', 'format' = 'csv')")
            self.scratch_ready = True
        run(self.cur, f"USE {self.scratch}")

    def close(self):
        try:
            self.set_dialect("flink")
            if self.scratch_ready:
                run(self.cur, "USE default_database")
                run(self.cur, f"DROP DATABASE IF EXISTS {self.scratch} CASCADE")
        except pymysql.MySQLError:
            pass
        self.conn.close()


def shapes():
    out = {}
    for dialect in DIALECTS:
        for line in (HERE / dialect / "schema.txt").read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                table, col, ty = line.split(" ", 2)
                out.setdefault(table, []).append((col, ty))
    return out


# --- DDL: the column types DESCRIBE must show -------------------------------------------------

def split_top(text, sep=","):
    parts, depth, quote, cur = [], 0, None, []
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def expected_columns(flink_ddl):
    """(name, TYPE, nullable) of each column of a Flink CREATE TABLE with a column list."""
    m = re.match(r"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\S+)\s*\(", flink_ddl, re.I)
    if not m:
        return None, None
    start = m.end() - 1
    depth = 0
    for i in range(start, len(flink_ddl)):
        if flink_ddl[i] == "(":
            depth += 1
        elif flink_ddl[i] == ")":
            depth -= 1
            if depth == 0:
                break
    cols = []
    key = set()
    for part in split_top(flink_ddl[start + 1:i]):
        pk = re.match(r"(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\(([^)]*)\)", part, re.I)
        if pk:
            key = {c.strip().strip("`") for c in pk.group(1).split(",")}
        if re.match(r"(PRIMARY\s+KEY|CONSTRAINT|WATERMARK)\b", part, re.I):
            continue
        m2 = re.match(r"(`[^`]+`|\S+)\s+(.*)$", part, re.S)
        name = m2.group(1).strip("`")
        rest = re.split(r"\s+COMMENT\s+'", m2.group(2), flags=re.I)[0].strip()
        nullable = not re.search(r"\bNOT\s+NULL\b", rest, re.I)
        ty = re.sub(r"\s+NOT\s+NULL\b", "", rest, flags=re.I).strip()
        cols.append((name, ty, nullable))
    # Primary key columns are NOT NULL in Flink whatever the column says.
    cols = [(n, t, nullable and n not in key) for n, t, nullable in cols]
    return m.group(1).strip("`"), cols


COLUMN_LINE = re.compile(r"^\s+`((?:[^`]|``)+)`\s+(.+?)(\s+NOT NULL)?(\s+COMMENT\s+'(?:[^']|'')*')?,?$")


def flink_columns(ddl):
    """(name, type, nullable) of each physical column of Flink's CREATE TABLE text."""
    out = []
    for line in ddl.splitlines()[1:]:
        if line.startswith(")") or line.strip().upper().startswith(("CONSTRAINT", "PRIMARY KEY", "WATERMARK")):
            break
        m = COLUMN_LINE.match(line)
        if m:
            out.append((m.group(1).replace("``", "`"), m.group(2), m.group(3) is None))
    return out


def flink_type(ty):
    """A Flink type as DESCRIBE prints it."""
    t = re.sub(r"\s+", " ", ty.upper()).replace(" (", "(").replace(", ", ",")
    # SHOW CREATE TABLE spells TIMESTAMP_LTZ(p) out in full.
    t = re.sub(r"^TIMESTAMP\((\d+)\) WITH LOCAL TIME ZONE$", r"TIMESTAMP_LTZ(\1)", t)
    aliases = {"STRING": "VARCHAR(2147483647)", "BYTES": "VARBINARY(2147483647)", "INTEGER": "INT",
               "TIMESTAMP": "TIMESTAMP(6)", "TIME": "TIME(0)", "DECIMAL": "DECIMAL(10,0)"}
    return aliases.get(t, t)


# --- the run ----------------------------------------------------------------------------------

class Run:
    def __init__(self, verbose):
        self.passed = 0
        self.failed = 0
        self.collated = 0
        self.verbose = verbose

    def ok(self, case, what):
        self.passed += 1
        if self.verbose:
            print(f"ok   {case['dialect']}.{case['name']} ({what})")

    def fail(self, case, why):
        self.failed += 1
        print(f"FAIL {case['dialect']}.{case['name']} ({case['file']}): {why}")


def check_translation(weir, case, run_):
    rows = run(weir.cur, f"TRANSLATE FROM {case['dialect']} {case['source']}")
    got = rows[0][0] if rows else None
    if got != case["flink"]:
        run_.fail(case, f"TRANSLATE in the {case['dialect']} session (schema from its Flink catalog) differs\n"
                        f"     expected: {case['flink']}\n     got:      {got}")
        return False
    return True


def collation_columns(case, names):
    """The positions of the columns a MySQL case may compare case-insensitively (`-- collation:`),
    or why the annotation is wrong."""
    cols, why = case["collation"]
    if case["dialect"] != "mysql":
        return None, "-- collation: is for MySQL cases (Oracle compares strings as written)"
    if not cols or not why:
        return None, "-- collation: needs the columns and the reason (-- collation: col[, col]: why)"
    if not re.search(r"\b(GROUP\s+BY|DISTINCT)\b|\bUNION\b(?!\s+ALL\b)", case["source"], re.I):
        return None, "-- collation: applies only where MySQL groups or deduplicates (GROUP BY, DISTINCT, UNION)"
    missing = [c for c in cols if c not in names]
    if missing:
        return None, f"-- collation: names columns {missing} that are not in the answer {names}"
    return {names.index(c) for c in cols}, None


def query_case(weir, maria, case, via, run_):
    why = check_reference(case) if via == "dialect" else None
    if why:
        run_.fail(case, why)
        return
    if via == "dialect":
        weir.set_dialect(case["dialect"])
        if not check_translation(weir, case, run_):
            return
        sent = case["source"]
    else:
        weir.set_dialect("flink")
        sent = case["flink"]
    source = case["mariadb"] or case["source"]
    try:
        want = run(maria, source)
        maria_names = [d[0] for d in maria.description]
        maria_types = types_of(maria, case["dialect"])
    except pymysql.MySQLError as e:
        run_.fail(case, f"MariaDB error {e.args}\n     {source}")
        return
    try:
        got = run(weir.cur, sent)
        got_names = [d[0] for d in weir.cur.description]
        got_types = types_of(weir.cur, case["dialect"])
    except pymysql.MySQLError as e:
        run_.fail(case, f"Flink (through Weir) error {e.args}\n     {case['flink']}")
        return
    if via == "dialect":
        why = check_names(case, got_names, maria_names, run_)
        if why:
            run_.fail(case, why)
            return
    why = check_types(case, got_types, maria_types)
    if why:
        run_.fail(case, why)
        return
    if not want and case["empty"] is None:
        run_.fail(case, "the source's answer is empty: an empty answer proves nothing (extend the dataset, "
                        "or say why it is empty: -- empty: why)")
        return
    if want and case["empty"] is not None:
        run_.fail(case, f"the source's answer has {len(want)} rows: drop the case's -- empty:")
        return
    ordered = top_level_order_by(case["flink"])
    if same_answer(got, want, ordered):
        run_.ok(case, f"{len(got)} rows")
        return
    if case["collation"] is not None:
        # MySQL's default collation makes 'Shipped' and 'shipped' one group, and which of a group's
        # spellings it shows is unspecified: the case's grouping columns compare case-insensitively.
        columns, why = collation_columns(case, maria_names)
        if why:
            run_.fail(case, why)
            return
        if same_answer(casefold(got, columns), casefold(want, columns), ordered):
            run_.collated += 1
            run_.ok(case, f"{len(got)} rows, equal under MySQL's case-insensitive collation")
            return
    run_.fail(case, f"answers differ\n     flink:   {got[:8]}\n     mariadb: {want[:8]}\n     {case['flink']}")


def refusal(weir, sql, construct):
    """None when `sql` fails with ERROR 1235 naming the construct and its line and column, else
    what happened instead."""
    try:
        run(weir.cur, sql)
        while weir.cur.nextset():
            pass
    except pymysql.MySQLError as e:
        code, message = e.args[0], str(e.args[1]) if len(e.args) > 1 else ""
        if code == 1235 and construct in message and re.search(r"line \d+, column \d+", message):
            return None
        return f"got {e.args}"
    return "the statement ran"


def refused_case(weir, case, run_):
    """Sent to the dialect session, which must refuse it (ERROR 1235 naming the construct); so must
    TRANSLATE in that session."""
    weir.set_dialect(case["dialect"])
    direct = refusal(weir, case["source"], case["refused"])
    via_translate = refusal(weir, f"TRANSLATE FROM {case['dialect']} {case['source']}", case["refused"])
    if direct is None and via_translate is None:
        run_.ok(case, "refused")
    else:
        run_.fail(case, f"expected ERROR 1235 naming `{case['refused']}` and its line:column; "
                        f"session: {direct or 'refused'}; TRANSLATE: {via_translate or 'refused'}")


def ddl_case(weir, case, via, shapes_, run_):
    weir.enter_scratch(shapes_)
    flink = case["flink"]
    upper = flink.upper()
    table, cols = expected_columns(flink)
    # The objects a case creates may exist from the dataset's shapes or an earlier case.
    m = re.match(r"CREATE\s+(?:TEMPORARY\s+)?(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(\w+)", flink, re.I)
    if m and "IF NOT EXISTS" not in upper:
        temporary = " TEMPORARY" if "TEMPORARY" in upper.split("(")[0] else ""
        run(weir.cur, f"DROP{temporary} {m.group(1).upper()} IF EXISTS `{m.group(2)}`")
    m = re.match(r"USE\s+`?(\w+)", flink, re.I)
    if m:
        run(weir.cur, f"CREATE DATABASE IF NOT EXISTS {m.group(1)}")
    explain = upper.startswith(("INSERT", "UPDATE", "DELETE"))
    if via == "dialect":
        weir.set_dialect(case["dialect"])
        if case["with"]:
            run(weir.cur, f"SET weir.ddl.with = {sql_string(case['with'])}")
        if not check_translation(weir, case, run_):
            return
        sent = case["source"]
    else:
        sent = flink
    try:
        run(weir.cur, ("EXPLAIN " if explain else "") + sent)
    except pymysql.MySQLError as e:
        run_.fail(case, f"Flink (through Weir) refused it: {e.args}\n     {flink}")
        return
    finally:
        if via == "dialect" and case["with"]:
            run(weir.cur, "SET weir.ddl.with = DEFAULT")
    if cols:
        weir.set_dialect("flink")
        # Flink's own column types: DESCRIBE answers in MySQL's shape, SHOW CREATE ... FOR FLINK
        # gives Flink's DDL.
        ddl = run(weir.cur, f"SHOW CREATE TABLE `{table}` FOR FLINK")[0][1]
        got = [(n, flink_type(t), nullable) for n, t, nullable in flink_columns(ddl)]
        want = [(n, flink_type(t), nullable) for n, t, nullable in cols]
        if got != want:
            run_.fail(case, f"DESCRIBE {table} differs\n     flink:    {got}\n     expected: {want}")
            return
    run_.ok(case, "accepted")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--via", choices=("dialect", "expected"), default="dialect")
    ap.add_argument("--dialect", choices=DIALECTS, action="append")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    cases = [c for d in (args.dialect or DIALECTS) for c in load_cases(d)]
    if args.only:
        cases = [c for c in cases if c["name"] in args.only or f"{c['dialect']}.{c['name']}" in args.only]

    admin = connect_mariadb()
    db = "weir_translation"
    with admin.cursor() as c:
        c.execute(f"CREATE DATABASE IF NOT EXISTS {db}")
    maria = connect_mariadb(db).cursor()
    run(maria, "SET time_zone = '+00:00'")
    run(maria, "SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
    for s in statements((HERE / "dataset" / "mariadb.sql").read_text()):
        run(maria, s)

    run_ = Run(args.verbose)
    shapes_ = shapes()
    sessions = {}
    t0 = time.monotonic()
    by_kind = {"query": 0, "refused": 0, "ddl": 0}
    try:
        # Queries and refusals first, then DDL and DML (which move the session to a scratch database).
        for phase in ("query", "ddl"):
            for case in cases:
                k = kind(case)
                if (k == "ddl") != (phase == "ddl"):
                    continue
                if k == "refused" and args.via != "dialect":
                    continue
                by_kind[k] += 1
                target = case["target"]
                if target not in sessions:
                    sessions[target] = Weir(target, f"weir_translation_{os.getpid()}_{target.replace('.', '_')}")
                weir = sessions[target]
                try:
                    if k == "query":
                        query_case(weir, maria, case, args.via, run_)
                    elif k == "refused":
                        refused_case(weir, case, run_)
                    else:
                        ddl_case(weir, case, args.via, shapes_, run_)
                except pymysql.MySQLError as e:
                    run_.fail(case, f"harness statement failed: {e.args}")
    finally:
        for s in sessions.values():
            s.close()
        shutil.rmtree(Path(tempfile.gettempdir()) / f"weir-translation-{os.getpid()}", ignore_errors=True)
    print(f"{by_kind['query']} queries, {by_kind['refused']} refusals, {by_kind['ddl']} DDL/DML cases "
          f"in {time.monotonic() - t0:.0f}s (via {args.via}); {run_.collated} MySQL answers equal only "
          f"under MySQL's case-insensitive collation")
    print(f"{run_.passed} passed, {run_.failed} failed")
    sys.exit(1 if run_.failed else 0)


if __name__ == "__main__":
    main()
