#!/usr/bin/env bash
# What privilege checks and auditing cost (issue 16): two release Weirs in front of the same SQL
# Gateway — A with auditing off, asked as root (a bootstrap administrator: no checks), B with
# auditing on (the default), asked as a user with grants — alternated ROUNDS times (3) so both see
# the same moments of the machine:
#   1. locally answered `SELECT 1`, mariadb-slap, QUERIES (200,000) at concurrency 1 and 8;
#   2. a Flink round trip, `SHOW CURRENT CATALOG` (no job; B writes an audit record for each),
#      FLINK_QUERIES (400) at concurrency 1: mean ms per statement on each, and B - A.
# Needs a running Flink SQL Gateway (GATEWAY, default the test run's http://127.0.0.1:28083).
# Usage: bash bench/access.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY=${GATEWAY:-http://127.0.0.1:28083}
QUERIES=${QUERIES:-200000}
FLINK_QUERIES=${FLINK_QUERIES:-400}
ROUNDS=${ROUNDS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/weir/target-release}
cargo build --release --bin weir 2>&1 | tail -1
WEIR=$CARGO_TARGET_DIR/release/weir
DIR=$(mktemp -d)
start() { # name port audit
  cat > "$DIR/$1.toml" <<TOML
default_cluster = "bench"
[server]
listen = "127.0.0.1:$2"
http_listen = ""
data_dir = "$DIR/data-$1"
[clusters.bench]
gateway = "$GATEWAY"
[audit]
enabled = $3
TOML
  WEIR_LOG=warn "$WEIR" serve --config "$DIR/$1.toml" > "$DIR/$1.log" 2>&1 &
  echo $! > "$DIR/pid-$1"
}
start plain 33094 false
start audited 33095 true
trap 'kill $(cat "$DIR"/pid-*) 2>/dev/null || true' EXIT
for port in 33094 33095; do
  for _ in $(seq 1 100); do mariadb --host=127.0.0.1 --port=$port --user=root --skip-ssl -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
done
mariadb --host=127.0.0.1 --port=33095 --user=root --skip-ssl \
  -e "CREATE USER bench_bi IDENTIFIED BY 'pw'; GRANT SELECT ON *.* TO bench_bi"

slap() { # port user password concurrency queries query
  mariadb-slap --host=127.0.0.1 --port="$1" --user="$2" --password="$3" --skip-ssl \
    --concurrency="$4" --iterations=1 --number-of-queries="$5" \
    --query="$6" --create-schema=default_database 2>/dev/null |
    awk '/Average number of seconds/ {print $(NF-1)}'
}

echo "== SELECT 1 (answered locally): root, auditing off (A) vs a user with grants, auditing on (B)"
printf '%-6s %-6s %-12s %-12s %-8s\n' conc round A_q/s B_q/s B/A
for c in 1 8; do
  for r in $(seq 1 "$ROUNDS"); do
    a=$(slap 33094 root "" "$c" "$QUERIES" "SELECT 1")
    b=$(slap 33095 bench_bi pw "$c" "$QUERIES" "SELECT 1")
    awk -v q="$QUERIES" -v a="$a" -v b="$b" -v c="$c" -v r="$r" \
      'BEGIN { printf "%-6s %-6s %-12.0f %-12.0f %-8.3f\n", c, r, q / a, q / b, a / b }'
  done
done

echo "== Flink round trip (SHOW CURRENT CATALOG), mean ms per statement"
printf '%-6s %-10s %-10s %-10s\n' round A_ms B_ms B-A_ms
for r in $(seq 1 "$ROUNDS"); do
  a=$(slap 33094 root "" 1 "$FLINK_QUERIES" "SHOW CURRENT CATALOG")
  b=$(slap 33095 bench_bi pw 1 "$FLINK_QUERIES" "SHOW CURRENT CATALOG")
  awk -v q="$FLINK_QUERIES" -v a="$a" -v b="$b" -v r="$r" \
    'BEGIN { printf "%-6s %-10.3f %-10.3f %-10.3f\n", r, 1000 * a / q, 1000 * b / q, 1000 * (b - a) / q }'
done
lines=$(wc -l < "$DIR/data-audited/audit/audit.jsonl")
echo "B's audit file holds $lines records"
