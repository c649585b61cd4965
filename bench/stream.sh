#!/usr/bin/env bash
# Result streaming, each figure beside its reference in the same run:
#   1. the whole command: the mysql CLI (`--quick`, output to /dev/null) reading ROWS rows of
#      (BIGINT, VARCHAR(16)) from Weir (job start included) — rows straight from Weir's result
#      sink (the default in batch mode) and, with `weir.direct_results = 0`, through Flink's
#      collect protocol and the SQL Gateway's result pages — and the same shape from MariaDB on
#      this machine (the physical reference), ROUNDS times each, alternating;
#   2. benches/stream.rs: the same query through Weir and straight from the SQL Gateway's REST
#      API, time to the first row and rate from the first row to the last, Weir's RSS;
#   3. bench/FlinkJdbcStream.java: the same query through Flink's own JDBC driver
#      (flink-sql-jdbc-driver-bundle FLINK_JDBC_VERSION, default 2.3.0, from Maven Central into
#      ~/.cache/weir/bench; Java 17), same figures. FLINK_JDBC=0 leaves it out.
# Usage: FLINK_VERSION=1.20.3 bash bench/stream.sh
# By default the bench's Weir runs a managed Flink cluster of its own (FLINK_VERSION, on ports
# from BENCH_PORT_BASE, default 29000: JobManager REST +81, RPC +23, gateway +83), as
# `weir serve` does; GATEWAY=http://… points it at an existing SQL Gateway instead (then
# Weir's result sink is not there and every result goes through the gateway). Needs MariaDB on
# 127.0.0.1:3306 with user weir/weir (scripts/install-deps.sh starts it). WEIR_BIN reuses a
# built binary instead of building a release one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-3}
MARIADB=${MARIADB:-127.0.0.1:3306}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/weir/target-release}
if [ -z "${WEIR_BIN:-}" ]; then
  cargo build --release --bin weir 2>&1 | tail -1
  WEIR_BIN=$CARGO_TARGET_DIR/release/weir
fi
# REST_BENCH=0 leaves out part 2 (and the build of benches/stream.rs).
REST_BENCH=${REST_BENCH:-1}
[ "$REST_BENCH" = 0 ] || cargo bench --bench stream --no-run 2>&1 | tail -1

DIR=$(mktemp -d)
port=${WEIR_PORT:-33095}
cat > "$DIR/weir.toml" <<TOML
default_cluster = "bench"
[server]
listen = "127.0.0.1:$port"
http_listen = ""
data_dir = "$DIR/data"
stop_clusters_on_exit = "always"
TOML
if [ -n "${GATEWAY:-}" ]; then
  printf '[clusters.bench]\ngateway = "%s"\n' "$GATEWAY" >> "$DIR/weir.toml"
else
  base=${BENCH_PORT_BASE:-29000}
  GATEWAY=http://127.0.0.1:$((base + 83))
  cat >> "$DIR/weir.toml" <<TOML
[clusters.bench]
version = "${FLINK_VERSION:-1.20.3}"
jobmanager_rest_port = $((base + 81))
jobmanager_rpc_port = $((base + 23))
gateway_port = $((base + 83))
connectors = []
TOML
fi
WEIR_LOG=warn "$WEIR_BIN" serve --config "$DIR/weir.toml" > "$DIR/weir.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 1200); do
  status=$(mariadb -N -h127.0.0.1 -P"$port" -uroot --skip-ssl -e "SHOW FLINK CLUSTERS" 2>/dev/null | awk -F'\t' '{ print $6 }')
  [ "$status" = READY ] && break
  sleep 0.5
done
[ "$status" = READY ] || { echo "Weir's cluster is not ready: $status" >&2; tail -20 "$DIR/weir.log" >&2; exit 1; }

# MariaDB's table of the same shape, made once.
m() { mariadb -h"${MARIADB%:*}" -P"${MARIADB##*:}" -uweir -pweir --skip-ssl "$@"; }
have=$(m -N -e "SELECT COUNT(*) FROM weir_bench.stream_rows" 2>/dev/null || echo 0)
if [ "$have" != "$ROWS" ]; then
  m -e "CREATE DATABASE IF NOT EXISTS weir_bench; DROP TABLE IF EXISTS weir_bench.stream_rows;
        CREATE TABLE weir_bench.stream_rows (id BIGINT PRIMARY KEY, v VARCHAR(16)) ENGINE=InnoDB;
        USE weir_bench; INSERT INTO stream_rows SELECT seq, LEFT(MD5(seq), 16) FROM seq_1_to_$ROWS;"
fi

weir_sql="SET 'execution.runtime-mode' = 'batch';
CREATE TEMPORARY TABLE stream_rows (id BIGINT, v STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '$ROWS',
  'rows-per-second' = '1000000000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '$ROWS',
  'fields.v.length' = '16');
SELECT id, v FROM stream_rows;"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
lines() { "$@" | wc -l; }

collected_sql="SET weir.direct_results = 0;
$weir_sql"
echo "== the mysql CLI (--quick) reading $ROWS rows of (BIGINT, VARCHAR(16)): Weir (job start included), rows straight from its sink and through the gateway, vs MariaDB"
w_lines=$(lines mariadb --quick -N -h127.0.0.1 -P"$port" -uroot --skip-ssl -e "$weir_sql")
c_lines=$(lines mariadb --quick -N -h127.0.0.1 -P"$port" -uroot --skip-ssl -e "$collected_sql")
m_lines=$(lines m --quick -N -e "SELECT id, v FROM weir_bench.stream_rows")
[ "$w_lines" = "$ROWS" ] && [ "$c_lines" = "$ROWS" ] && [ "$m_lines" = "$ROWS" ] || { echo "rows: Weir $w_lines / $c_lines, MariaDB $m_lines, want $ROWS" >&2; exit 1; }
printf '%-6s %-9s %-12s %-9s %-12s %-9s %-12s %-13s %-13s\n' round direct_s direct_rows/s gateway_s gateway_rows/s mariadb_s mariadb_rows/s direct/mariadb gateway/mariadb
for r in $(seq 1 "$ROUNDS"); do
  w=$(seconds mariadb --quick -N -h127.0.0.1 -P"$port" -uroot --skip-ssl -e "$weir_sql")
  c=$(seconds mariadb --quick -N -h127.0.0.1 -P"$port" -uroot --skip-ssl -e "$collected_sql")
  mm=$(seconds m --quick -N -e "SELECT id, v FROM weir_bench.stream_rows")
  awk -v r="$r" -v w="$w" -v c="$c" -v m="$mm" -v n="$ROWS" \
    'BEGIN { printf "%-6s %-9.2f %-12.0f %-9.2f %-12.0f %-9.2f %-12.0f %-13.3f %-13.3f\n", r, w, n / w, c, n / c, m, n / m, m / w, m / c }'
done

if [ "$REST_BENCH" != 0 ]; then
  echo "== through Weir vs straight from the SQL Gateway (benches/stream.rs)"
  WEIR_ADDR=127.0.0.1:$port WEIR_GATEWAY="$GATEWAY" WEIR_PID=$pid BENCH_ROWS=$ROWS BENCH_ROUNDS=$ROUNDS \
    cargo bench --bench stream 2>&1 | grep -v '^\s*\(Compiling\|Finished\|Running\)'
fi

if [ "${FLINK_JDBC:-1}" != 0 ]; then
  v=${FLINK_JDBC_VERSION:-2.3.0}
  jars=${WEIR_CACHE_DIR:-$HOME/.cache/weir}/bench
  mkdir -p "$jars"
  maven_jar() { # group-path artifact version: the jar's path in $jars, fetched and checksummed once
    local jar=$jars/$2-$3.jar url=https://repo1.maven.org/maven2/$1/$2/$3/$2-$3.jar
    if [ ! -f "$jar" ]; then
      curl -fsSL -o "$jar.part" "$url"
      [ "$(sha1sum < "$jar.part" | cut -d' ' -f1)" = "$(curl -fsSL "$url.sha1" | cut -c1-40)" ] || { echo "checksum mismatch: $url" >&2; exit 1; }
      mv "$jar.part" "$jar"
    fi
    echo "$jar"
  }
  # The bundle leaves out SLF4J, which it logs through.
  driver=$(maven_jar org/apache/flink flink-sql-jdbc-driver-bundle "$v")
  slf4j=$(maven_jar org/slf4j slf4j-api 1.7.36)
  slf4j_nop=$(maven_jar org/slf4j slf4j-nop 1.7.36)
  cp=$driver:$slf4j:$slf4j_nop
  echo "== through Flink's JDBC driver $v, straight to the SQL Gateway (bench/FlinkJdbcStream.java)"
  java -cp "$cp" bench/FlinkJdbcStream.java "$GATEWAY" "$ROWS" "$ROUNDS" 2> "$DIR/jdbc.err" || { tail -20 "$DIR/jdbc.err" >&2; exit 1; }
fi
