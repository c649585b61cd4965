#!/usr/bin/env bash
# Runs the scenario with go-sql-driver/mysql (go test). Needs scripts/install-deps.sh first;
# modules and build cache come from ${WEIR_CACHE_DIR:-$HOME/.cache/weir}/go.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../env.sh"
exec go -C "$HERE" test -count=1 -v "$@" .
