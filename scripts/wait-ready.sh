#!/usr/bin/env bash
# Waits until Weir at HOST:PORT answers and its default Flink cluster is READY.
# Usage: wait-ready.sh HOST:PORT TIMEOUT_SECONDS LOGFILE
set -euo pipefail
ADDR=$1; LIMIT=$2; LOG=$3
HOST=${ADDR%:*}; PORT=${ADDR##*:}
for ((i = 0; i < LIMIT; i++)); do
  if out=$(mariadb -h "$HOST" -P "$PORT" -u root --skip-ssl -N -e "SHOW FLINK CLUSTERS" 2>/dev/null); then
    if grep -q READY <<<"$out"; then echo "Weir and Flink ready after ${i}s"; exit 0; fi
    if (( i % 15 == 0 )); then echo "waiting for Flink: $out"; fi
  fi
  sleep 1
done
echo "Weir/Flink not ready after ${LIMIT}s; last lines of $LOG:" >&2
tail -50 "$LOG" >&2
exit 1
