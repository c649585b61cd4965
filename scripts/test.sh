#!/usr/bin/env bash
# The whole test suite: installs what it needs (cached outside the repo), builds, starts one Weir
# with its supervised Flink for the whole run, runs the Rust tests and every real-client suite
# against it, then stops everything it started.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."
ROOT=$PWD
export WEIR_CACHE_DIR=${WEIR_CACHE_DIR:-$HOME/.cache/weir}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$WEIR_CACHE_DIR/target}
T0=$SECONDS
stage() { echo; echo "=== [$(( SECONDS - T0 ))s] $*"; }

stage "install dependencies"
bash scripts/install-deps.sh

stage "build"
cargo build --workspace --all-targets --locked 2>&1 | tail -3
# The protocol fuzz target is a workspace of its own (cargo-fuzz's layout): built here, smoke-tested below.
cargo build --manifest-path fuzz/Cargo.toml --all-targets --locked 2>&1 | tail -3
WEIR=$CARGO_TARGET_DIR/debug/weir

stage "lint: clippy (unwrap/expect/panic denied outside tests) and the import-loop check"
cargo clippy --workspace --all-targets --locked -- -D warnings 2>&1 | tail -3
cargo clippy --manifest-path fuzz/Cargo.toml --all-targets --locked -- -D warnings 2>&1 | tail -3
python3 scripts/layers.py src dialects/src drivers/src

stage "provision Flink"
"$WEIR" flink provision 1.20.3
"$WEIR" flink provision 2.2.0

stage "start Weir for the test run"
RUN=$WEIR_CACHE_DIR/test-run
mkdir -p "$RUN"
bash scripts/test-env.sh "$RUN" "$WEIR"
# Each run starts with an empty catalog of record (what earlier runs created is not carried over).
rm -f "$RUN/data/catalog.db"*
# shellcheck disable=SC1091
source "$RUN/env.sh"
cleanup() {
  stage "stop Weir and its Flink"
  if [[ -n "${WEIR_PID:-}" ]]; then kill "$WEIR_PID" 2>/dev/null || true; wait "$WEIR_PID" 2>/dev/null || true; fi
  "$WEIR" flink stop --data-dir "$WEIR_TEST_DATA_DIR" || true
  bash scripts/cdc-mariadb.sh stop "$RUN/cdc-mariadb" || true
}
trap cleanup EXIT
# A second MariaDB with the binlog on, the datasync tests' source and JDBC sink.
bash scripts/cdc-mariadb.sh start "$RUN/cdc-mariadb" "$WEIR_TEST_CDC_PORT"
"$WEIR" serve --config "$RUN/weir.toml" >"$RUN/weir.out" 2>&1 &
WEIR_PID=$!
export WEIR_PID
bash scripts/wait-ready.sh "$WEIR_TEST_ADDR" 600 "$RUN/weir.out"

LOG=$RUN/test-output.log
: > "$LOG"
stage "Rust tests (unit and integration)"
cargo test --workspace --locked 2>&1 | tee -a "$LOG"
cargo test --manifest-path fuzz/Cargo.toml --locked 2>&1 | tee -a "$LOG"

TOTALS=$RUN/conformance-totals
: > "$TOTALS"
stage "translation corpus: MariaDB answers vs Flink answers through Weir's mysql/oracle sessions"
"$WEIR_CACHE_DIR/venv/bin/python" conformance/translation/differential.py 2>&1 | tee -a "$LOG"
tail -1 "$LOG" >> "$TOTALS"

stage "disruptive recovery tests (kill Flink processes), one at a time"
cargo test --workspace --locked --test it -- --ignored --test-threads=1 2>&1 | tee -a "$LOG"

stage "real-client conformance suites on Flink 1.20 (the server default)"
bash conformance/run-clients.sh 2>&1 | tee -a "$LOG"
tail -1 "$LOG" >> "$TOTALS"
stage "real-client conformance suites on Flink 2.2 (an account routed to it)"
WEIR_USER=v2user WEIR_PASSWORD=v2pass bash conformance/run-clients.sh 2>&1 | tee -a "$LOG"
tail -1 "$LOG" >> "$TOTALS"
stage "drivers' own test suites (PyMySQL, go-sql-driver/mysql): MariaDB, then Weir, every difference explained"
bash conformance/driver_suites/run.sh 2>&1 | tee -a "$LOG"
tail -1 "$LOG" >> "$TOTALS"

trap - EXIT
cleanup
stage "done in $(( SECONDS - T0 ))s"
# One closing line over every runner: cargo's "test result" lines and the client suites' total.
awk '
  FNR == NR && /^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  FNR != NR && /^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3 }
  END { printf "total: %d passed, %d failed\n", p, f }
' "$LOG" "$TOTALS"
