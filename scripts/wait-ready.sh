#!/usr/bin/env bash
# Waits until Weir at HOST:PORT answers and every managed Flink cluster is READY.
# Usage: wait-ready.sh HOST:PORT TIMEOUT_SECONDS LOGFILE
set -euo pipefail
ADDR=$1; LIMIT=$2; LOG=$3
HOST=${ADDR%:*}; PORT=${ADDR##*:}
for ((i = 0; i < LIMIT; i++)); do
  if out=$(mariadb -h "$HOST" -P "$PORT" -u root --skip-ssl -N -e "SHOW FLINK CLUSTERS" 2>/dev/null); then
    # Columns: Name Version Rest_api Endpoint Managed Status Sessions Metrics_endpoints.
    if awk -F'\t' '$5 == "YES" { n++; if ($6 != "READY") bad = 1 } END { exit (bad || n == 0) }' <<<"$out"; then
      echo "Weir and Flink ready after ${i}s"; exit 0
    fi
    if (( i % 15 == 0 )); then echo "waiting for Flink: $out"; fi
  fi
  sleep 1
done
echo "Weir/Flink not ready after ${LIMIT}s; last lines of $LOG:" >&2
tail -50 "$LOG" >&2
exit 1
