#!/usr/bin/env bash
# Locally answered `SELECT 1` throughput: mariadb-slap against Weir and against MariaDB on the
# same machine, in the same run, at concurrency 1 and 8 (200,000 queries each), alternating the
# two servers ROUNDS times (3) so both see the same moments of the machine.
# Usage: bench/select1.sh [WEIR_HOST:PORT] [MARIADB_HOST:PORT]
# Needs a running Weir (root, no password, loopback) and a MariaDB with user weir/weir.
set -euo pipefail
WEIR=${1:-127.0.0.1:3307}
MARIADB=${2:-127.0.0.1:3306}
QUERIES=${QUERIES:-200000}
ROUNDS=${ROUNDS:-3}

slap() { # host:port user password concurrency schema
  local host=${1%:*} port=${1##*:}
  # mariadb-slap runs `--number-of-queries` in total, split across the clients.
  mariadb-slap --host="$host" --port="$port" --user="$2" --password="$3" --skip-ssl \
    --concurrency="$4" --iterations=1 --number-of-queries="$QUERIES" \
    --query="SELECT 1" --create-schema="$5" 2>/dev/null |
    awk '/Average number of seconds/ {print $(NF-1)}'
}

printf '%-6s %-6s %-12s %-12s %-8s\n' conc round weir_q/s mariadb_q/s ratio
for c in 1 8; do
  for r in $(seq 1 "$ROUNDS"); do
    w=$(slap "$WEIR" root "" "$c" default_database)
    m=$(slap "$MARIADB" weir weir "$c" mysql)
    awk -v q="$QUERIES" -v w="$w" -v m="$m" -v c="$c" -v r="$r" \
      'BEGIN { printf "%-6s %-6s %-12.0f %-12.0f %-8.2f\n", c, r, q / w, q / m, m / w }'
  done
done
