#!/usr/bin/env bash
# Compiles Scenario.java, Metadata.java and DBeaver.java against MySQL Connector/J (from scripts/install-deps.sh)
# into ${WEIR_CACHE_DIR:-$HOME/.cache/weir}/jdbc/classes and runs them.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../env.sh"
[ -s "$MYSQL_CONNECTOR_J_JAR" ] || { echo "jdbc: $MYSQL_CONNECTOR_J_JAR missing: run scripts/install-deps.sh" >&2; exit 2; }
[ -s "$MARIADB_JAVA_CLIENT_JAR" ] || { echo "jdbc: $MARIADB_JAVA_CLIENT_JAR missing: run scripts/install-deps.sh" >&2; exit 2; }
CLASSES="$WEIR_CACHE_DIR/jdbc/classes"
mkdir -p "$CLASSES"
for program in Scenario Metadata DBeaver; do
  if [ ! -f "$CLASSES/$program.class" ] || [ "$HERE/$program.java" -nt "$CLASSES/$program.class" ] \
    || [ "$MYSQL_CONNECTOR_J_JAR" -nt "$CLASSES/$program.class" ]; then
    javac -Xlint:all -d "$CLASSES" -cp "$MYSQL_CONNECTOR_J_JAR" "$HERE/$program.java"
  fi
done
# Scenario (the story with Connector/J), Metadata (DatabaseMetaData with Connector/J and
# MariaDB Connector/J), then DBeaver (DBeaver's MySQL introspection replayed through Connector/J);
# the last line adds up the programs' "N passed, M failed[, K skipped]".
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
status=0
java -cp "$CLASSES:$MYSQL_CONNECTOR_J_JAR" Scenario "$@" | tee "$OUT" || status=1
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
java -cp "$CLASSES:$MYSQL_CONNECTOR_J_JAR:$MARIADB_JAVA_CLIENT_JAR" Metadata | tee -a "$OUT" || status=1
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
java -cp "$CLASSES:$MYSQL_CONNECTOR_J_JAR" DBeaver | tee -a "$OUT" || status=1
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT" | tr -d ',' | awk '
  { p += $1; f += $3; s += ($5 == "" ? 0 : $5) }
  END { printf "%d passed, %d failed%s\n", p, f, (s > 0 ? ", " s " skipped" : "") }'
exit $status
