#!/usr/bin/env python3
"""Compares a driver's own test suite run against MariaDB (the reference) and against Weir.

Reads each run's results (pytest's JUnit XML or `go test -json`), and the list of tests known
to fail on Weir with the reason why (expected.txt). Prints one line per test whose outcome on
Weir is not what the list says, a table of the known failures by reason, and a closing line
"N passed, M failed, K skipped, J known differences" where failed counts only what is
unexplained:

  - a test that fails on Weir, passes on MariaDB and is not in the list (a defect, or a new
    difference that needs its reason written down);
  - a test in the list that no longer fails on Weir (the list must stay true: remove it).

A test that fails on both servers is the environment's (reported, never counted against Weir).

Usage: compare.py --suite NAME --format {junit,gojson} --reference FILE --weir FILE --expected FILE
"""

import argparse
import collections
import json
import sys
import xml.etree.ElementTree as ET

# Why a test of a driver's own suite fails on Weir and passes on MariaDB: each reason is a
# documented difference between Flink and a MySQL server (README, "Drivers' own test suites").
REASONS = {
    "connector": "creates a table without connector options (then fails on its use or its DROP, 1051): "
    "a Flink table is data kept elsewhere, named by WITH ('connector' = ...); Flink stores no rows itself",
    "procedures": "creates, drops or calls a stored procedure: Flink has none",
    "types": "needs a MySQL type Flink lacks: TIME as an interval (negative, or past 24 hours; Flink's TIME "
    "is a time of day), LONG / LONG BYTE, spatial types",
    "system_schema": "reads MySQL's `mysql` system schema (mysql.user) or connects to it: Weir has none; "
    "accounts are shown by SHOW GRANTS and information_schema's privilege tables",
    "no_backslash_escapes": "expects backslash escapes in string literals: Weir always runs with "
    "NO_BACKSLASH_ESCAPES (Flink's literals have none), announced in the server status, so drivers double quotes",
    "user_variables": "uses user variables (@x): Weir keeps none and refuses them with 1235 naming the variable",
    "charsets": "connects with a character set Weir does not convert (cp1257): refused at the handshake "
    "with 1115; Weir converts utf8mb4, utf8mb3, latin1, ascii and binary",
    "result_origin": "reads the table a result column came from (columnsWithAlias): Flink's result "
    "schema does not say, so Weir leaves a column's table empty",
    "order": "relies on the order of rows of a UNION without ORDER BY, which MySQL happens to keep and Flink does not",
}

Outcome = collections.namedtuple("Outcome", "state message")


def read_junit(path):
    """pytest --junitxml: {test id: Outcome}; the id is module.Class.test without the package."""
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        cls = case.get("classname", "")
        for prefix in ("pymysql.tests.",):
            if cls.startswith(prefix):
                cls = cls[len(prefix) :]
        test = f"{cls}.{case.get('name')}"
        state, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                state, message = "failed", (child.get("message") or "").strip()
                break
            if child.tag == "skipped":
                state, message = "skipped", (child.get("message") or "").strip()
        out[test] = Outcome(state, message)
    return out


def read_gojson(path):
    """go test -json: {test: Outcome} for the tests that decide the outcome: a test whose
    subtests failed is represented by them, not counted a second time."""
    states, output = {}, collections.defaultdict(list)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            test = event.get("Test")
            if not test:
                continue
            action = event.get("Action")
            if action == "output":
                text = event.get("Output", "").strip()
                if text and not text.startswith(("=== ", "--- ")):
                    output[test].append(text)
            elif action in ("pass", "fail", "skip"):
                states[test] = {"pass": "passed", "fail": "failed", "skip": "skipped"}[action]
    out = {}
    for test, state in states.items():
        children = [t for t in states if t.startswith(test + "/")]
        if children and (state != "failed" or any(states[c] == "failed" for c in children)):
            continue  # its subtests stand for it
        out[test] = Outcome(state, " | ".join(output[test])[:300])
    return out


def read_expected(path, suite):
    """expected.txt: '<suite> <test> <reason>' per line; lines starting with '#' are comments."""
    expected = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):  # (go's subtest names hold '#': no trailing comments)
                continue
            parts = line.split()
            if len(parts) != 3 or parts[2] not in REASONS:
                sys.exit(f"{path}:{n}: expected '<suite> <test> <reason>' with a reason among {sorted(REASONS)}")
            if parts[0] == suite:
                expected[parts[1]] = parts[2]
    return expected


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", required=True)
    ap.add_argument("--format", choices=("junit", "gojson"), required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--weir", required=True)
    ap.add_argument("--expected", required=True)
    args = ap.parse_args()
    read = read_junit if args.format == "junit" else read_gojson
    reference, weir = read(args.reference), read(args.weir)
    expected = read_expected(args.expected, args.suite)
    if not weir:
        sys.exit(f"{args.suite}: no results from Weir's run (did the suite start?)")

    counts = collections.Counter(o.state for o in weir.values())
    ref_counts = collections.Counter(o.state for o in reference.values())
    unexplained, stale, environment = [], [], []
    by_reason = collections.Counter()
    for test, outcome in sorted(weir.items()):
        reason = expected.get(test)
        if outcome.state == "failed":
            if reason:
                by_reason[reason] += 1
            elif reference.get(test, Outcome("missing", "")).state == "failed":
                environment.append(test)
            else:
                unexplained.append((test, outcome.message))
        elif reason and outcome.state == "passed":
            stale.append((test, reason))
    missing = sorted(t for t in expected if t not in weir)
    # A test the reference ran that Weir's run never reached (the suite ended early).
    ran = set(weir)
    not_run = sorted(
        t
        for t in reference
        if t not in ran and not any(w.startswith(t + "/") or t.startswith(w + "/") for w in ran)
    )

    print(
        f"{args.suite} on MariaDB: {ref_counts['passed']} passed, {ref_counts['failed']} failed, {ref_counts['skipped']} skipped"
    )
    print(f"{args.suite} on Weir:    {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    for reason, n in sorted(by_reason.items(), key=lambda kv: -kv[1]):
        print(f"  {n:4d} known, {reason}: {REASONS[reason]}")
    for test in environment:
        print(f"  fails on MariaDB too (the test environment's): {test}")
    for test, message in unexplained:
        print(f"UNEXPLAINED: {test} fails on Weir, passes on MariaDB: {message}")
    for test, reason in stale:
        print(f"STALE: {test} is listed as failing ({reason}) but passes on Weir: remove it from expected.txt")
    for test in missing:
        print(f"STALE: {test} is listed but the suite has no such test")
    for test in not_run:
        print(f"DID NOT RUN: {test} ran against MariaDB, not against Weir")
    bad = len(unexplained) + len(stale) + len(missing) + len(not_run)
    known = sum(by_reason.values()) + len(environment)
    print(f"{counts['passed']} passed, {bad} failed, {counts['skipped']} skipped, {known} known differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
