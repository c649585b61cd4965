#!/usr/bin/env python3
"""sqlglot transpiling the translation corpus: every case's source statement of
conformance/translation/{mysql,oracle}/, read as MySQL or Oracle and written as Hive (sqlglot has
no Flink dialect; Hive is its nearest), each statement parsed and generated afresh, in passes
over the whole corpus until --seconds have passed. Prints the statements, the passes and the
mean time of one pass in nanoseconds (`sqlglot_pass_ns N`)."""

import argparse
import logging
import sys
import time
from pathlib import Path

import sqlglot

ROOT = Path(__file__).resolve().parent.parent / "conformance" / "translation"
sys.path.insert(0, str(ROOT))
from differential import load_cases  # noqa: E402  (the corpus reader the differential run uses)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    # sqlglot logs a warning for every construct Hive lacks: silenced, so as not to time stderr.
    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    statements = [(c["dialect"], c["source"]) for d in ("mysql", "oracle") for c in load_cases(d)]
    errors = 0
    for dialect, sql in statements:
        try:
            sqlglot.transpile(sql, read=dialect, write="hive")
        except Exception:  # sqlglot refuses some statements; they still cost their parse
            errors += 1
    passes = 0
    start = time.perf_counter()
    while True:
        for dialect, sql in statements:
            try:
                sqlglot.transpile(sql, read=dialect, write="hive")
            except Exception:
                pass
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    print(f"sqlglot {sqlglot.__version__}: {len(statements)} statements ({errors} raised), {passes} passes in {elapsed:.2f}s")
    print(f"sqlglot_pass_ns {elapsed / passes * 1e9:.0f}")


if __name__ == "__main__":
    main()
