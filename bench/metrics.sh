#!/usr/bin/env bash
# What Weir's metrics cost (issue 15):
#   1. locally answered `SELECT 1`, mariadb-slap, QUERIES (200,000) at concurrency 1 and 8, on two
#      release Weirs in front of the same SQL Gateway — ON with the HTTP listener (metrics kept:
#      every statement counted and timed), OFF with `http_listen = ""` (nothing counted) —
#      alternated ROUNDS times (3), the first of each pair alternating too, so both see the same
#      moments of the machine; on/off is the throughput ratio (target: at least 0.98);
#   2. a Prometheus scrape with JOBS (1,000) managed jobs: `cargo bench --bench metrics_scrape`
#      (a fake JobManager, the watcher sampling as in `weir serve`), SCRAPES (200) timed
#      `GET /metrics`, p50 and p99 (target: under 50 ms).
# Needs a running Flink SQL Gateway (GATEWAY, default the test run's http://127.0.0.1:28083).
# WEIR_BIN: a release weir binary already built (else it is built here); PARTS: "slap,scrape"
# (the default) or either alone.
# Usage: bash bench/metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY=${GATEWAY:-http://127.0.0.1:28083}
QUERIES=${QUERIES:-200000}
ROUNDS=${ROUNDS:-3}
JOBS=${JOBS:-1000}
SCRAPES=${SCRAPES:-200}
PARTS=${PARTS:-slap,scrape}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/weir/target-release}

if [[ $PARTS == *slap* ]]; then
WEIR=${WEIR_BIN:-}
if [[ -z $WEIR ]]; then
  cargo build --release --bin weir 2>&1 | tail -1
  WEIR=$CARGO_TARGET_DIR/release/weir
fi
DIR=$(mktemp -d)
start() { # name port http_listen
  cat > "$DIR/$1.toml" <<TOML
default_cluster = "bench"
[server]
listen = "127.0.0.1:$2"
http_listen = "$3"
data_dir = "$DIR/data-$1"
[clusters.bench]
gateway = "$GATEWAY"
TOML
  WEIR_LOG=warn "$WEIR" serve --config "$DIR/$1.toml" > "$DIR/$1.log" 2>&1 &
  echo $! > "$DIR/pid-$1"
}
start on 33096 127.0.0.1:33098
start off 33097 ""
trap 'kill $(cat "$DIR"/pid-*) 2>/dev/null || true' EXIT
for port in 33096 33097; do
  for _ in $(seq 1 100); do mariadb --host=127.0.0.1 --port=$port --user=root --skip-ssl -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
done

slap() { # port concurrency
  mariadb-slap --host=127.0.0.1 --port="$1" --user=root --skip-ssl \
    --concurrency="$2" --iterations=1 --number-of-queries="$QUERIES" \
    --query="SELECT 1" --create-schema=default_database 2>/dev/null |
    awk '/Average number of seconds/ {print $(NF-1)}'
}

echo "== SELECT 1 (answered locally), $QUERIES queries: metrics on (HTTP listener) vs off (http_listen = \"\")"
printf '%-6s %-6s %-6s %-12s %-12s %-8s\n' conc round first on_q/s off_q/s on/off
for c in 1 8; do
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then
      on=$(slap 33096 "$c"); off=$(slap 33097 "$c"); first=on
    else
      off=$(slap 33097 "$c"); on=$(slap 33096 "$c"); first=off
    fi
    awk -v q="$QUERIES" -v a="$on" -v b="$off" -v c="$c" -v r="$r" -v f="$first" \
      'BEGIN { printf "%-6s %-6s %-6s %-12.0f %-12.0f %-8.3f\n", c, r, f, q / a, q / b, b / a }'
  done
done
counted=$(curl -s 127.0.0.1:33098/metrics | awk '/^weir_statements_total\{kind="select",answered_by="local"\}/ {print $2}')
echo "ON counted $counted local SELECTs (weir_statements_total)"
kill $(cat "$DIR"/pid-*) 2>/dev/null || true
fi

if [[ $PARTS == *scrape* ]]; then
echo "== GET /metrics with $JOBS managed jobs, $SCRAPES scrapes"
cargo bench --bench metrics_scrape -- "$JOBS" "$SCRAPES" 2>&1 | grep -E '^(first sample|GET /metrics)'
fi
