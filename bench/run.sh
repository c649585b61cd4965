#!/usr/bin/env bash
# Runs the spine's benchmarks against release builds, each beside its reference in the same run:
#   1. locally answered SELECT 1 with mariadb-slap: Weir vs MariaDB (bench/select1.sh);
#   2. Flink round trip through Weir vs a direct SQL Gateway REST call, connect + first statement
#      with and without the session pool, RSS while streaming 10M rows (benches/gateway.rs).
# Needs a running Flink SQL Gateway (GATEWAY, default the test run's http://127.0.0.1:28083) and
# MariaDB on 127.0.0.1:3306 with user weir/weir (scripts/install-deps.sh starts it).
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY=${GATEWAY:-http://127.0.0.1:28083}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/weir/target-release}
cargo build --release --bin weir 2>&1 | tail -1
cargo bench --bench gateway --no-run 2>&1 | tail -1
WEIR=$CARGO_TARGET_DIR/release/weir
DIR=$(mktemp -d)
for pool in 2 0; do
  port=$((33090 + pool))
  cat > "$DIR/weir-$pool.toml" <<TOML
default_cluster = "bench"
[server]
listen = "127.0.0.1:$port"
http_listen = ""
data_dir = "$DIR/data-$pool"
session_pool = $pool
[clusters.bench]
gateway = "$GATEWAY"
TOML
  WEIR_LOG=warn "$WEIR" serve --config "$DIR/weir-$pool.toml" > "$DIR/weir-$pool.log" 2>&1 &
  echo $! > "$DIR/pid-$pool"
done
trap 'kill $(cat "$DIR"/pid-*) 2>/dev/null || true' EXIT
sleep 5
echo "== SELECT 1 (answered locally) vs MariaDB"
bash bench/select1.sh 127.0.0.1:33092 127.0.0.1:3306
echo "== Flink round trip, session pool, streaming"
WEIR_ADDR=127.0.0.1:33092 WEIR_ADDR_NOPOOL=127.0.0.1:33090 WEIR_GATEWAY="$GATEWAY" WEIR_PID=$(cat "$DIR/pid-2") \
  cargo bench --bench gateway 2>&1 | grep -v '^\s*\(Compiling\|Finished\|Running\)'
