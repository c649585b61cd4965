#!/usr/bin/env bash
# Compiles Scenario.java against MySQL Connector/J (from scripts/install-deps.sh) into
# ${WEIR_CACHE_DIR:-$HOME/.cache/weir}/jdbc/classes and runs it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../env.sh"
[ -s "$MYSQL_CONNECTOR_J_JAR" ] || { echo "jdbc: $MYSQL_CONNECTOR_J_JAR missing: run scripts/install-deps.sh" >&2; exit 2; }
CLASSES="$WEIR_CACHE_DIR/jdbc/classes"
mkdir -p "$CLASSES"
if [ ! -f "$CLASSES/Scenario.class" ] || [ "$HERE/Scenario.java" -nt "$CLASSES/Scenario.class" ] \
  || [ "$MYSQL_CONNECTOR_J_JAR" -nt "$CLASSES/Scenario.class" ]; then
  javac -Xlint:all -d "$CLASSES" -cp "$MYSQL_CONNECTOR_J_JAR" "$HERE/Scenario.java"
fi
exec java -cp "$CLASSES:$MYSQL_CONNECTOR_J_JAR" Scenario "$@"
