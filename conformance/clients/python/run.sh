#!/usr/bin/env bash
# Runs the scenario with PyMySQL and mysql-connector-python (pytest, one connection per driver).
# Needs scripts/install-deps.sh first. Extra arguments go to pytest (e.g. -k pymysql).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../env.sh"
PYTEST="$WEIR_VENV/bin/pytest"
[ -x "$PYTEST" ] || { echo "python: $PYTEST missing: run scripts/install-deps.sh" >&2; exit 2; }
cd "$HERE"
exec "$PYTEST" -v -p no:cacheprovider -rfEs --tb=short "$@" test_scenario.py test_metadata.py test_observe.py test_access.py
