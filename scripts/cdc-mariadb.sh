#!/usr/bin/env bash
# A second MariaDB for the datasync tests: the binlog on (ROW, FULL images, a server_id), its own
# port, data directory and socket under DIR; the reference MariaDB on 3306 is not touched.
# Accounts: weir/weir (everything), cdc/cdc (exactly what a CDC source needs), nobinlog/… none.
# Usage: cdc-mariadb.sh start DIR PORT | stop DIR
set -euo pipefail
CMD=$1
DIR=$2
PID_FILE=$DIR/mariadbd.pid
SOCKET=$DIR/mariadbd.sock

stop() {
  if [[ -f "$PID_FILE" ]]; then
    local pid
    pid=$(cat "$PID_FILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$PID_FILE"
  fi
}

case "$CMD" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac

PORT=$3
mariadbd="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
stop
mkdir -p "$DIR"
# A fresh server each run: the datasync tests start from an empty binlog and no databases.
rm -rf "$DIR/data"
mkdir -p "$DIR/data"
# It runs as the user running the tests: its directory may be under a home others cannot enter.
ME=$(id -un)
mariadb-install-db --user="$ME" --datadir="$DIR/data" --skip-test-db --auth-root-authentication-method=socket \
  >"$DIR/install.log" 2>&1 || { cat "$DIR/install.log" >&2; exit 1; }
setsid "$mariadbd" --no-defaults --user="$ME" --datadir="$DIR/data" --port="$PORT" --bind-address=127.0.0.1 \
  --socket="$SOCKET" --pid-file="$PID_FILE" --log-error="$DIR/mariadbd.err" \
  --server-id=77 --log-bin="$DIR/data/binlog" --binlog-format=ROW --binlog-row-image=FULL \
  --innodb-buffer-pool-size=128M --skip-name-resolve </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 120); do
  mariadb-admin --protocol=socket --socket="$SOCKET" ping >/dev/null 2>&1 && break
  sleep 0.5
done
mariadb --protocol=socket --socket="$SOCKET" -uroot <<'SQL'
CREATE USER 'weir'@'%' IDENTIFIED BY 'weir';
GRANT ALL PRIVILEGES ON *.* TO 'weir'@'%' WITH GRANT OPTION;
CREATE USER 'cdc'@'%' IDENTIFIED BY 'cdc';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'%';
CREATE USER 'reader'@'%' IDENTIFIED BY 'reader';
GRANT SELECT ON *.* TO 'reader'@'%';
FLUSH PRIVILEGES;
SQL
mariadb --protocol=tcp -h127.0.0.1 -P"$PORT" -uweir -pweir -e 'SELECT @@log_bin, @@binlog_format' >/dev/null
echo "binlog MariaDB on 127.0.0.1:$PORT (data: $DIR/data)"
