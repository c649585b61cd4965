#!/usr/bin/env bash
# The catalog of record's benchmark (benches/catalog.rs): two Weir release builds in front of one
# running SQL Gateway (GATEWAY, default the test run's http://127.0.0.1:28083), one whose store
# holds 5,000 tables and one whose store holds 10, filled with `weir catalog load`.
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY=${GATEWAY:-http://127.0.0.1:28083}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/weir/target-release}
cargo build --release --bin weir 2>&1 | tail -1
cargo bench --bench catalog --no-run 2>&1 | tail -1
WEIR=$CARGO_TARGET_DIR/release/weir
DIR=$(mktemp -d)
trap 'kill $(cat "$DIR"/pid-* 2>/dev/null) 2>/dev/null || true; rm -rf "$DIR"' EXIT
for tables in 5000 10; do
  port=$([[ $tables == 5000 ]] && echo 33095 || echo 33096)
  cat > "$DIR/weir-$tables.toml" <<TOML
default_cluster = "bench"
[server]
listen = "127.0.0.1:$port"
http_listen = ""
data_dir = "$DIR/data-$tables"
[clusters.bench]
gateway = "$GATEWAY"
TOML
  for ((i = 0; i < tables; i++)); do
    echo "CREATE TABLE \`default_catalog\`.\`default_database\`.\`t$i\` (id INT, name STRING, amount DECIMAL(10, 2), created TIMESTAMP(3)) WITH ('connector' = 'datagen');"
  done > "$DIR/catalog-$tables.sql"
  "$WEIR" catalog load --config "$DIR/weir-$tables.toml" "$DIR/catalog-$tables.sql"
  WEIR_LOG=warn "$WEIR" serve --config "$DIR/weir-$tables.toml" > "$DIR/weir-$tables.log" 2>&1 &
  echo $! > "$DIR/pid-$tables"
done
sleep 3
WEIR_ADDR=127.0.0.1:33095 WEIR_ADDR_SMALL=127.0.0.1:33096 cargo bench --bench catalog 2>&1 | grep -v '^\s*\(Compiling\|Finished\|Running\)'
