#!/usr/bin/env bash
# Locally answered `SELECT 1` throughput: mariadb-slap against Weir and against MariaDB on the
# same machine, in the same run, at concurrency 1 and 8 (200,000 queries each), alternating the
# two servers ROUNDS times (3) so both see the same moments of the machine.
# Usage: bench/select1.sh [WEIR_HOST:PORT] [MARIADB_HOST:PORT]
# Needs a running Weir (root, no password, loopback) and a MariaDB with user weir/weir.
# With WEIR_PID and MARIADB_PID (the server processes), each round also prints the CPU time each
# server spent per query (user + system, from /proc), a figure the machine's other load disturbs
# less than throughput.
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

ticks() { # pid: CPU clock ticks used so far (user + system), 0 when not given
  if [ -n "${1:-}" ]; then awk '{print $14 + $15}' "/proc/$1/stat"; else echo 0; fi
}
hz=$(getconf CLK_TCK)

printf '%-6s %-6s %-12s %-12s %-8s %-14s %-14s\n' conc round weir_q/s mariadb_q/s ratio weir_cpu_us/q mariadb_cpu_us/q
for c in 1 8; do
  for r in $(seq 1 "$ROUNDS"); do
    t0=$(ticks "${WEIR_PID:-}")
    w=$(slap "$WEIR" root "" "$c" default_database)
    t1=$(ticks "${WEIR_PID:-}")
    u0=$(ticks "${MARIADB_PID:-}")
    m=$(slap "$MARIADB" weir weir "$c" mysql)
    u1=$(ticks "${MARIADB_PID:-}")
    awk -v q="$QUERIES" -v w="$w" -v m="$m" -v c="$c" -v r="$r" -v wt=$((t1 - t0)) -v mt=$((u1 - u0)) -v hz="$hz" \
      'BEGIN { printf "%-6s %-6s %-12.0f %-12.0f %-8.2f %-14.1f %-14.1f\n", c, r, q / w, q / m, m / w, wt * 1e6 / hz / q, mt * 1e6 / hz / q }'
  done
done
