#!/usr/bin/env bash
# Runs two MySQL drivers' own test suites — PyMySQL's (0.10.1, the last release whose PyPI
# sdist ships it) and go-sql-driver/mysql's (the version conformance/clients/go pins, from the Go
# module proxy) — once against the reference MariaDB (127.0.0.1:3306, weir/weir) and once against
# Weir, then compares the two runs with the list of tests known to fail on Weir and why
# (expected.txt, reasons in compare.py and the README). Fails on any failure that is not
# explained, and on an explanation that is no longer true.
# Usage: conformance/driver_suites/run.sh [pymysql] [go]     (default: both)
# Weir's account: WEIR_SUITE_USER / WEIR_SUITE_PASSWORD (default suites / suitespass: a `mysql`
# dialect account in batch mode, as scripts/test-env.sh writes it).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../env.sh"

SUITE_USER=${WEIR_SUITE_USER:-suites}
SUITE_PASSWORD=${WEIR_SUITE_PASSWORD:-suitespass}
REF_HOST=127.0.0.1 REF_PORT=3306 REF_USER=weir REF_PASSWORD=weir
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(pymysql go)

# sql HOST PORT USER PASSWORD STATEMENT: one statement through the mariadb CLI.
sql() { mysql --protocol=tcp -h "$1" -P "$2" -u "$3" "-p$4" -e "$5"; }

# The suites' own databases, on each server.
prepare() {
  local db
  for db in "$@"; do
    sql "$REF_HOST" "$REF_PORT" "$REF_USER" "$REF_PASSWORD" "CREATE DATABASE IF NOT EXISTS $db" || return 1
    sql "$WEIR_HOST" "$WEIR_PORT" "$SUITE_USER" "$SUITE_PASSWORD" "CREATE DATABASE IF NOT EXISTS $db" || return 1
  done
}

# pymysql_run NAME HOST PORT USER PASSWORD: the suite reads its servers from databases.json.
pymysql_run() {
  local name=$1 host=$2 port=$3 user=$4 password=$5
  cat >"$PYMYSQL_SUITE/pymysql/tests/databases.json" <<JSON
[{"host": "$host", "port": $port, "user": "$user", "passwd": "$password", "db": "test1", "use_unicode": true, "local_infile": true},
 {"host": "$host", "port": $port, "user": "$user", "passwd": "$password", "db": "test2"}]
JSON
  # Run from the suite's directory so that `import pymysql` is the release under test.
  (cd "$PYMYSQL_SUITE" && timeout 900 "$WEIR_VENV/bin/python" -m pytest -q -p no:cacheprovider \
    --junitxml="$OUT/pymysql-$name.xml" pymysql/tests >"$OUT/pymysql-$name.log" 2>&1)
  tail -n 1 "$OUT/pymysql-$name.log"
}

# go_run NAME HOST PORT USER PASSWORD: the suite reads its server from MYSQL_TEST_* variables.
# TestConnectorReturnsTimeout dials 1.1.1.1 (no server of ours is involved; this machine has no
# route there), so it is left out of both runs. TestColumnsWithAlias runs on its own: when it
# fails it calls Fatalf on its parent from a parallel subtest, which ends the whole test binary.
go_run() {
  local name=$1 host=$2 port=$3 user=$4 password=$5 part
  for part in "-skip ^(TestConnectorReturnsTimeout|TestColumnsWithAlias)\$" "-run ^TestColumnsWithAlias\$"; do
    # shellcheck disable=SC2086  # $part is two words
    MYSQL_TEST_USER=$user MYSQL_TEST_PASS=$password MYSQL_TEST_ADDR=$host:$port MYSQL_TEST_DBNAME=gotest \
      go -C "$HERE/../clients/go" test -count=1 -json -timeout 15m $part \
      github.com/go-sql-driver/mysql >>"$OUT/go-$name.json" 2>&1
  done
}

FAILED=0 TOTAL_P=0 TOTAL_F=0 TOTAL_S=0 TOTAL_K=0
for suite in "${SUITES[@]}"; do
  echo "=== $suite: its own suite against MariaDB, then against Weir ($SUITE_USER@$WEIR_HOST:$WEIR_PORT)"
  case $suite in
    pymysql)
      PYMYSQL_SUITE="$WEIR_CACHE_DIR/suites/PyMySQL-$PYMYSQL_SUITE_VERSION"
      [ -d "$PYMYSQL_SUITE/pymysql/tests" ] || { echo "missing $PYMYSQL_SUITE: run scripts/install-deps.sh" >&2; exit 1; }
      prepare test1 test2 || { FAILED=1; continue; }
      pymysql_run mariadb "$REF_HOST" "$REF_PORT" "$REF_USER" "$REF_PASSWORD"
      pymysql_run weir "$WEIR_HOST" "$WEIR_PORT" "$SUITE_USER" "$SUITE_PASSWORD"
      format=junit ref="$OUT/pymysql-mariadb.xml" weir="$OUT/pymysql-weir.xml"
      ;;
    go)
      prepare gotest || { FAILED=1; continue; }
      go_run mariadb "$REF_HOST" "$REF_PORT" "$REF_USER" "$REF_PASSWORD"
      go_run weir "$WEIR_HOST" "$WEIR_PORT" "$SUITE_USER" "$SUITE_PASSWORD"
      format=gojson ref="$OUT/go-mariadb.json" weir="$OUT/go-weir.json"
      ;;
    *) echo "unknown suite '$suite' (known: pymysql go)" >&2; exit 2 ;;
  esac
  python3 "$HERE/compare.py" --suite "$suite" --format "$format" --reference "$ref" --weir "$weir" \
    --expected "$HERE/expected.txt" | tee "$OUT/$suite.summary"
  [ "${PIPESTATUS[0]}" -eq 0 ] || FAILED=1
  read -r p _ f _ s _ k _ <<<"$(tail -n 1 "$OUT/$suite.summary" | tr -d ,)"
  TOTAL_P=$((TOTAL_P + ${p:-0})) TOTAL_F=$((TOTAL_F + ${f:-1})) TOTAL_S=$((TOTAL_S + ${s:-0})) TOTAL_K=$((TOTAL_K + ${k:-0}))
  if [ -n "${WEIR_SUITE_KEEP:-}" ]; then mkdir -p "$WEIR_SUITE_KEEP" && cp "$OUT"/"$suite"-* "$WEIR_SUITE_KEEP"/; fi
done
echo "$TOTAL_P passed, $TOTAL_F failed, $TOTAL_S skipped, $TOTAL_K known differences"
exit "$FAILED"
