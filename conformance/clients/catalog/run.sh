#!/usr/bin/env bash
# The catalog of record across clients: a person creates a table with the mariadb/mysql CLI and
# disconnects; a Python program (PyMySQL) on its own connection finds it, reads it, and drops
# it; the CLI then no longer finds it. Prints "N passed, M failed".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../env.sh"
CLI="${WEIR_MYSQL_CLI:-$(command -v mariadb || command -v mysql || true)}"
PY="$WEIR_VENV/bin/python"
[ -n "$CLI" ] || { echo "catalog: no mysql CLI (scripts/install-deps.sh)" >&2; exit 2; }
[ -x "$PY" ] || { echo "catalog: $PY missing: run scripts/install-deps.sh" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword=%s\n' "$WEIR_HOST" "$WEIR_PORT" "$WEIR_USER" "$WEIR_PASSWORD" > "$WORK/my.cnf"
TABLE="cli_orders_$$_$RANDOM"
PASS=0 FAIL=0
step() { # name, then the command
  local name=$1; shift
  if "$@" > "$WORK/out" 2>&1; then
    PASS=$((PASS + 1)); echo "ok   $name"
  else
    FAIL=$((FAIL + 1)); echo "FAIL $name"; sed 's/^/     /' "$WORK/out"
  fi
}
cli() { "$CLI" --defaults-extra-file="$WORK/my.cnf" --skip-ssl --batch "$@"; }

step "the CLI creates a table and disconnects" cli -e "CREATE TABLE $TABLE (id INT, city STRING) WITH ('connector'='datagen','number-of-rows'='12','fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='12')"

step "PyMySQL on another connection finds, reads and drops it" "$PY" - "$TABLE" <<'PY'
import os, sys
import pymysql
table = sys.argv[1]
conn = pymysql.connect(host=os.environ["WEIR_HOST"], port=int(os.environ["WEIR_PORT"]),
                       user=os.environ["WEIR_USER"], password=os.environ["WEIR_PASSWORD"])
with conn.cursor() as cur:
    cur.execute("SHOW TABLES")
    names = [r[0] for r in cur.fetchall()]
    assert table in names, f"{table} not in SHOW TABLES: {names}"
    cur.execute("SET 'execution.runtime-mode' = 'batch'")
    cur.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")
    assert cur.fetchone() == (12, 12), "12 rows, ids 1..12"
    try:
        cur.execute(f"CREATE TABLE {table} (x INT) WITH ('connector'='datagen')")
        raise AssertionError("a second CREATE of the same table succeeded")
    except pymysql.err.MySQLError as e:
        assert e.args[0] == 1050, f"1050 for a taken name, got {e.args}"
    cur.execute(f"DROP TABLE {table}")
print("ok")
PY

if cli -e "SELECT * FROM $TABLE" > "$WORK/gone" 2>&1; then
  FAIL=$((FAIL + 1)); echo "FAIL the CLI no longer finds the dropped table"; cat "$WORK/gone"
elif grep -q "ERROR 1146" "$WORK/gone"; then
  PASS=$((PASS + 1)); echo "ok   the CLI no longer finds the dropped table (1146)"
else
  FAIL=$((FAIL + 1)); echo "FAIL the CLI no longer finds the dropped table: expected ERROR 1146"; cat "$WORK/gone"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
