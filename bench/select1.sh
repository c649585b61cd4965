#!/usr/bin/env bash
# Locally answered `SELECT 1` throughput: mariadb-slap against Weir and against MariaDB on the
# same machine, in the same run, at concurrency 1 and 8 (200,000 queries each).
# Usage: bench/select1.sh [WEIR_HOST:PORT] [MARIADB_HOST:PORT]
# Needs a running Weir (root, no password, loopback) and a MariaDB with user weir/weir.
set -euo pipefail
WEIR=${1:-127.0.0.1:3307}
MARIADB=${2:-127.0.0.1:3306}
QUERIES=${QUERIES:-200000}

slap() { # host:port user password concurrency schema
  local host=${1%:*} port=${1##*:}
  # mariadb-slap runs `--number-of-queries` in total, split across the clients.
  mariadb-slap --host="$host" --port="$port" --user="$2" --password="$3" --skip-ssl \
    --concurrency="$4" --iterations=1 --number-of-queries="$QUERIES" \
    --query="SELECT 1" --create-schema="$5" 2>/dev/null |
    awk '/Average number of seconds/ {print $(NF-1)}'
}

printf '%-12s %-6s %-10s %-12s\n' server conc seconds queries/s
for c in 1 8; do
  for target in weir mariadb; do
    if [[ $target == weir ]]; then s=$(slap "$WEIR" root "" "$c" default_database); else s=$(slap "$MARIADB" weir weir "$c" mysql); fi
    qps=$(awk -v q="$QUERIES" -v s="$s" 'BEGIN { printf "%.0f", q / s }')
    printf '%-12s %-6s %-10s %-12s\n' "$target" "$c" "$s" "$qps"
  done
done
