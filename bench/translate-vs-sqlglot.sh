#!/usr/bin/env bash
# Translation throughput: Weir's translator (criterion, release build) and sqlglot transpiling
# the same corpus statements in the same run, and the ratio. Every statement is translated afresh
# in both (no result caching). Needs the venv of scripts/install-deps.sh (sqlglot is pinned in
# conformance/clients/python/requirements.txt).
#   bash bench/translate-vs-sqlglot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export WEIR_CACHE_DIR=${WEIR_CACHE_DIR:-$HOME/.cache/weir}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$WEIR_CACHE_DIR/target-release}
PY=${WEIR_PYTHON:-$WEIR_CACHE_DIR/venv/bin/python}
cargo bench -p weir-dialects --bench translate -- --noplot corpus 2>&1 | grep -E "translating|time:|thrpt:"
weir_ns=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["mean"]["point_estimate"])' \
  "$CARGO_TARGET_DIR/criterion/translate/corpus/new/estimates.json")
sqlglot_out=$("$PY" bench/sqlglot_corpus.py --seconds "${SQLGLOT_SECONDS:-10}")
echo "$sqlglot_out" | head -1
sqlglot_ns=$(echo "$sqlglot_out" | awk '/^sqlglot_pass_ns/ { print $2 }')
awk -v w="$weir_ns" -v s="$sqlglot_ns" 'BEGIN {
  printf "one pass over the corpus: weir-dialects %.3f ms, sqlglot %.1f ms: weir-dialects is %.0fx sqlglot\n", w / 1e6, s / 1e6, s / w
}'
