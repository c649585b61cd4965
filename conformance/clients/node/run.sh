#!/usr/bin/env bash
# Runs the scenario with mysql2 under node's built-in test runner. Needs scripts/install-deps.sh
# first (mysql2 lives in ${WEIR_CACHE_DIR:-$HOME/.cache/weir}/node, found through NODE_PATH).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../env.sh"
[ -f "$NODE_PATH/mysql2/package.json" ] || { echo "node: mysql2 missing in $NODE_PATH: run scripts/install-deps.sh" >&2; exit 2; }
exec node --test --test-reporter=spec "$@" "$HERE/scenario.mjs"
