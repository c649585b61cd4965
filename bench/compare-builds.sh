#!/usr/bin/env bash
# Two builds of Weir side by side on the paths a build setting could slow (issue 17's cold build:
# DataFusion at a lower opt-level must not slow the hot paths): each binary serves its own data dir
# in front of the same SQL Gateway, and the two are measured alternately, ROUNDS times (3):
#   1. the metadata engine: bench/information_schema.py (a parameterised information_schema.COLUMNS
#      lookup over TABLES (1,000) Flink tables, p50/p99 of 200 lookups), beside MariaDB;
#   2. a locally answered `SELECT 1` and `SELECT @@version, DATABASE()`: mariadb-slap, QUERIES
#      (100,000) at concurrency 8, q/s.
# Usage: GATEWAY=http://127.0.0.1:28283 bash bench/compare-builds.sh A_BIN B_BIN
# Needs the venv of scripts/install-deps.sh (WEIR_VENV, default ~/.cache/weir/venv) and MariaDB on
# 127.0.0.1:3306 with user weir/weir.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1
B=$2
GATEWAY=${GATEWAY:-http://127.0.0.1:28083}
TABLES=${TABLES:-1000}
QUERIES=${QUERIES:-100000}
ROUNDS=${ROUNDS:-3}
PY=${WEIR_VENV:-$HOME/.cache/weir/venv}/bin/python
DIR=$(mktemp -d)
start() { # name binary port
  cat > "$DIR/$1.toml" <<TOML
default_cluster = "bench"
[server]
listen = "127.0.0.1:$3"
http_listen = ""
data_dir = "$DIR/data-$1"
[clusters.bench]
gateway = "$GATEWAY"
TOML
  WEIR_LOG=warn "$2" serve --config "$DIR/$1.toml" > "$DIR/$1.log" 2>&1 &
  echo $! > "$DIR/pid-$1"
}
start a "$A" 33096
start b "$B" 33097
trap 'kill $(cat "$DIR"/pid-*) 2>/dev/null || true; rm -rf "$DIR"' EXIT
for port in 33096 33097; do
  for _ in $(seq 1 100); do mariadb --host=127.0.0.1 --port=$port --user=root --skip-ssl -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
done

slap() { # port query
  mariadb-slap --host=127.0.0.1 --port="$1" --user=root --skip-ssl --concurrency=8 --iterations=1 \
    --number-of-queries="$QUERIES" --query="$2" --create-schema=default_database 2>/dev/null |
    awk '/Average number of seconds/ {print $(NF-1)}'
}

echo "A = $A"
echo "B = $B"
for r in $(seq 1 "$ROUNDS"); do
  for side in a:33096 b:33097; do
    echo "== round $r, ${side%%:*}: information_schema.COLUMNS lookup over $TABLES tables"
    "$PY" bench/information_schema.py "$TABLES" "127.0.0.1:${side##*:}" | grep -v '^created'
  done
  for q in "SELECT 1" "SELECT @@version, DATABASE()"; do
    a=$(slap 33096 "$q")
    b=$(slap 33097 "$q")
    awk -v q="$QUERIES" -v a="$a" -v b="$b" -v r="$r" -v s="$q" \
      'BEGIN { printf "== round %s, %s, c=8: A %.0f q/s, B %.0f q/s (B/A %.3f)\n", r, s, q / a, q / b, a / b }'
  done
done
