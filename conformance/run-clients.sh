#!/usr/bin/env bash
# Runs the Weir conformance scenario with every real client stack, one after the other:
#   mysql_cli (mariadb/mysql CLI), python (PyMySQL + mysql-connector-python), jdbc (Connector/J),
#   go (go-sql-driver/mysql), node (mysql2); catalog (a table made with the CLI, used from PyMySQL).
# Usage: conformance/run-clients.sh [stack ...]      (default: all, in that order)
# Needs scripts/install-deps.sh first and a Weir server on WEIR_HOST:WEIR_PORT (127.0.0.1:3307);
# WEIR_WAIT_SECONDS (default 0) waits that long for the port to open. Every stack runs even if an
# earlier one fails; the exit status is non-zero if any failed. The last line adds up the steps
# of all stacks: "N passed, M failed[, K skipped]".
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/env.sh"

declare -A RUNNER=(
  [mysql_cli]="$HERE/clients/mysql_cli/scenario.sh"
  [python]="$HERE/clients/python/run.sh"
  [jdbc]="$HERE/clients/jdbc/run.sh"
  [go]="$HERE/clients/go/run.sh"
  [node]="$HERE/clients/node/run.sh"
  [catalog]="$HERE/clients/catalog/run.sh"
)
ALL=(mysql_cli python jdbc go node catalog)
STACKS=("$@")
[ ${#STACKS[@]} -eq 0 ] && STACKS=("${ALL[@]}")
for s in "${STACKS[@]}"; do
  [ -n "${RUNNER[$s]:-}" ] || { echo "run-clients: unknown stack '$s' (known: ${ALL[*]})" >&2; exit 2; }
done

port_open() { (exec 3<>"/dev/tcp/$WEIR_HOST/$WEIR_PORT") 2>/dev/null; }
deadline=$((SECONDS + ${WEIR_WAIT_SECONDS:-0}))
until port_open; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "run-clients: nothing answers on $WEIR_HOST:$WEIR_PORT: start Weir first (or set WEIR_WAIT_SECONDS)" >&2
    exit 1
  fi
  sleep 1
done

LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT

# counts LOG: "passed failed skipped" from a stack's closing lines (its own plain line, pytest's
# summary or node's spec reporter), or nothing if the stack printed no summary.
counts() {
  local log=$1 line
  if line="$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)" && [ -n "$line" ]; then
    :
  elif line="$(grep -E '^=+ .*(passed|failed|skipped|error).* in [0-9.]+s' "$log" | tail -n 1)" && [ -n "$line" ]; then
    :
  elif grep -qE '^ℹ pass [0-9]+' "$log"; then
    line="$(grep -E '^ℹ (pass|fail|skipped) [0-9]+' "$log" | awk '{ print $3, ($2 == "pass" ? "passed" : $2 == "fail" ? "failed" : "skipped") }' | paste -sd,)"
  else
    return
  fi
  # pytest also reports "N error(s)" (a broken fixture): those count as failed.
  grep -oE '[0-9]+ (passed|failed|errors?|skipped)' <<<"$line" | awk '
    $2 == "passed" { p += $1 } $2 == "failed" || $2 ~ /^error/ { f += $1 } $2 == "skipped" { s += $1 }
    END { print p + 0, f + 0, s + 0 }'

}

declare -A RESULT SECS
TOTAL_P=0 TOTAL_F=0 TOTAL_S=0 ANY_FAILED=0
echo "run-clients: Weir at $WEIR_HOST:$WEIR_PORT as '$WEIR_USER'; stacks: ${STACKS[*]}"
for s in "${STACKS[@]}"; do
  echo
  echo "=== $s ==="
  t=$EPOCHREALTIME
  "${RUNNER[$s]}" 2>&1 | tee "$LOGS/$s.log"
  rc=${PIPESTATUS[0]}
  SECS[$s]="$(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"
  read -r p f sk <<<"$(counts "$LOGS/$s.log")"
  p=${p:-0} f=${f:-0} sk=${sk:-0}
  if [ "$rc" -ne 0 ]; then
    ANY_FAILED=1
    RESULT[$s]="FAILED (exit $rc)"
    [ "$f" -eq 0 ] && f=1 # failed without saying which step: count the stack itself
  else
    RESULT[$s]=ok
  fi
  TOTAL_P=$((TOTAL_P + p)) TOTAL_F=$((TOTAL_F + f)) TOTAL_S=$((TOTAL_S + sk))
  echo "=== $s: ${RESULT[$s]} in ${SECS[$s]}s ($p passed, $f failed, $sk skipped)"
done

echo
echo "run-clients summary:"
for s in "${STACKS[@]}"; do
  printf '  %-10s %-18s %7ss\n' "$s" "${RESULT[$s]}" "${SECS[$s]}"
done
line="$TOTAL_P passed, $TOTAL_F failed"
[ "$TOTAL_S" -gt 0 ] && line+=", $TOTAL_S skipped"
echo "$line"
exit "$ANY_FAILED"
