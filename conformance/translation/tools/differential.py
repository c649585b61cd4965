#!/usr/bin/env python3
"""Differential run of the translation corpus: every query case's expected Flink SQL on an
embedded Flink, its source (MySQL cases) or its `-- mariadb:` form (Oracle cases) on MariaDB,
both over the dataset of ../dataset/, and the answers compared. DDL and INSERT cases are planned
on Flink (against blackhole/filesystem tables of the dataset's shape) to prove Flink accepts them.

Usage: differential.py --flink-home DIR --mariadb "mariadb -S SOCK -uroot DB" [--only NAME...]

Answers are compared as multisets of rows, or in order when the query has a top-level ORDER BY.
Cells are normalised before comparing: numbers by value (doubles to 9 significant digits),
date-times without trailing zero fractions, booleans as 1/0. The MariaDB session must use UTC
and NO_BACKSLASH_ESCAPES (as Weir's sessions do): the driver sets both.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def cases(dialect):
    out = []
    for f in sorted((ROOT / dialect).glob("*.sql")):
        cur = None
        block = None
        for line in f.read_text().splitlines():
            t = line.strip()
            if t.startswith("-- case:"):
                cur = {"name": t[8:].strip(), "dialect": dialect, "source": [], "flink": [], "mariadb": [], "refused": None, "target": "1.20", "with": None}
                out.append(cur)
                block = "source"
            elif cur is None:
                continue
            elif t.startswith("-- target:"):
                cur["target"] = t[10:].strip()
            elif t.startswith("-- with:"):
                cur["with"] = t[8:].strip()
            elif t.startswith("-- refused:"):
                cur["refused"] = t[11:].strip()
            elif t == "-- flink:":
                block = "flink"
            elif t == "-- mariadb:":
                block = "mariadb"
            else:
                cur[block].append(line)
    for c in out:
        for k in ("source", "flink", "mariadb"):
            c[k] = "\n".join(c[k]).strip().rstrip(";").strip()
    return out


def is_query(sql):
    return re.match(r"^\s*\(?\s*(SELECT|WITH)\b", sql, re.I) is not None


def ordered(sql):
    # A top-level ORDER BY: the last ORDER BY outside parentheses.
    depth = 0
    for i, ch in enumerate(sql):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and sql[i:i + 8].upper() == "ORDER BY":
            return True
    return False


DT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?$")


def norm(cell):
    if cell == "NULL":
        return None
    m = DT.match(cell)
    if m:
        frac = (m.group(4) or "").rstrip("0").rstrip(".")
        return f"{m.group(1)} {m.group(2)}{m.group(3) or ':00'}{frac}"
    if cell in ("true", "TRUE"):
        return "1"
    if cell in ("false", "FALSE"):
        return "0"
    try:
        d = Decimal(cell)
        if "E" in cell.upper() or "." in cell and len(cell.split(".")[1]) > 12:
            d = Decimal(f"{float(cell):.9g}")
        return format(d.normalize(), "f") if d == d.to_integral() else format(d.normalize(), "f")
    except (InvalidOperation, ValueError):
        return cell


def run_flink(flink_home, blocks):
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.sql"
        src.write_text("\n-- ;;\n".join(blocks) + "\n")
        classes = Path(tmp) / "classes"
        classes.mkdir()
        cp = f"{flink_home}/lib/*"
        subprocess.run(["javac", "-cp", cp, "-d", str(classes), str(HERE / "FlinkRun.java")], check=True)
        out = subprocess.run(["java", "-cp", f"{cp}:{classes}", "FlinkRun", str(src)], capture_output=True, text=True).stdout
    results = {}
    cur = None
    for line in out.splitlines():
        if line.startswith("@@ "):
            name, kind, *rest = line[3:].split(" ", 2)
            cur = {"kind": kind, "info": rest[0] if rest else "", "rows": []}
            results[name] = cur
        elif cur is not None and cur["kind"] == "ROWS":
            cur["rows"].append(line.split("\t"))
    return results


def run_mariadb(cmd, sql):
    full = "SET time_zone = '+00:00'; SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES'); " + sql
    p = subprocess.run(cmd.split() + ["--batch", "--raw", "-N", "-e", full], capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "error"
    return [line.split("\t") for line in p.stdout.splitlines()], None


def dataset_blocks():
    text = (ROOT / "dataset" / "flink.sql").read_text()
    stmts = [s.strip() for s in re.split(r";\s*\n", text) if s.strip() and not s.strip().startswith("--") or "CREATE" in s]
    blocks = []
    for i, s in enumerate(stmts):
        s = "\n".join(l for l in s.splitlines() if not l.startswith("--")).strip()
        if s:
            blocks.append(f"-- name: __dataset{i}\n-- mode: exec\n{s}")
    return blocks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flink-home", required=True)
    ap.add_argument("--mariadb", required=True)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--target", default="1.20", help="run the cases of this Flink target")
    args = ap.parse_args()
    all_cases = cases("mysql") + cases("oracle")
    if args.only:
        all_cases = [c for c in all_cases if c["name"] in args.only]
    all_cases = [c for c in all_cases if c["refused"] is None and c["target"] == args.target]
    key = lambda c: f"{c['dialect']}.{c['name']}"
    query_blocks = dataset_blocks()
    ddl_blocks = []
    for c in all_cases:
        if is_query(c["source"]):
            query_blocks.append(f"-- name: {key(c)}\n-- mode: query\n{c['flink']}")
        else:
            ddl_blocks.append((c, f"-- name: {key(c)}\n-- mode: {'explain' if c['flink'].upper().startswith('INSERT') else 'exec'}\n{c['flink']}"))
    # DDL and INSERT cases: a fresh catalog database each, with the dataset as filesystem tables.
    shapes = []
    for line in (ROOT / "mysql" / "schema.txt").read_text().splitlines() + (ROOT / "oracle" / "schema.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            t, col, ty = line.split(" ", 2)
            shapes.append((t, col, ty))
    tables = {}
    for t, col, ty in shapes:
        tables.setdefault(t, []).append(f"`{col}` {ty}")
    ddl_run = []
    for i, (c, block) in enumerate(ddl_blocks):
        db = f"ddl{i}"
        ddl_run.append(f"-- name: __db{i}\n-- mode: exec\nCREATE DATABASE {db}")
        ddl_run.append(f"-- name: __use{i}\n-- mode: exec\nUSE {db}")
        for t, cols in tables.items():
            ddl_run.append(f"-- name: __t{i}_{t}\n-- mode: exec\nCREATE TABLE {t} ({', '.join(cols)}) WITH ('connector' = 'filesystem', 'path' = 'file:///tmp/weir-diff/{db}/{t}', 'format' = 'csv')")
        if c["source"].upper().startswith("CREATE TABLE") or c["source"].upper().startswith("CREATE TEMPORARY TABLE"):
            m = re.match(r"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF NOT EXISTS\s+)?[`\"]?(\w+)", c["source"], re.I)
            if m and m.group(1).lower() in tables:
                ddl_run.append(f"-- name: __drop{i}\n-- mode: exec\nDROP TABLE {m.group(1).lower()}")
        ddl_run.append(block)
    print(f"running {len(query_blocks)} query blocks and {len(ddl_blocks)} DDL/DML cases on Flink...", file=sys.stderr)
    flink = run_flink(args.flink_home, query_blocks + ["-- name: __default\n-- mode: exec\nUSE default_database"] + ddl_run)
    passed = failed = 0
    for c in all_cases:
        k = key(c)
        r = flink.get(k)
        if r is None:
            print(f"FAIL {k}: no Flink result")
            failed += 1
            continue
        if r["kind"] == "ERR":
            print(f"FAIL {k}: Flink error: {r['info']}\n     {c['flink']}")
            failed += 1
            continue
        if not is_query(c["source"]):
            passed += 1
            continue
        source = c["mariadb"] or c["source"]
        rows, err = run_mariadb(args.mariadb, source)
        if err:
            print(f"FAIL {k}: MariaDB error: {err}\n     {source}")
            failed += 1
            continue
        a = [[norm(x) for x in row] for row in r["rows"]]
        b = [[norm(x) for x in row] for row in rows]
        if not ordered(c["flink"]):
            a, b = sorted(a, key=str), sorted(b, key=str)
        if a == b:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {k}: answers differ\n     flink:   {a[:6]}\n     mariadb: {b[:6]}\n     {c['flink']}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
