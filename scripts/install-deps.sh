#!/usr/bin/env bash
# Installs everything the real-client conformance suites (conformance/) need:
#   - Debian packages mariadb-server and mariadb-client (the mysql CLI stack, and a reference
#     server on 127.0.0.1:3306 with user weir/weir for differential tests), started if not running;
#   - a Python venv with PyMySQL, mysql-connector-python, SQLAlchemy, pandas, pytest;
#   - the JDBC drivers MySQL Connector/J and MariaDB Connector/J from Maven Central;
#   - the Go module github.com/go-sql-driver/mysql from the Go module proxy;
#   - the npm package mysql2;
#   - PyMySQL's own test suite (an sdist from PyPI) for conformance/driver_suites.
# Everything downloaded is cached outside the repo under ${WEIR_CACHE_DIR:-$HOME/.cache/weir}
# (paths and versions: conformance/env.sh). Idempotent: a run with everything present only checks.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../conformance/env.sh
source "$ROOT/conformance/env.sh"

MARIADB_PORT=3306
MARIADB_SOCKET=/run/mysqld/mysqld.sock
MARIADB_DATADIR=/var/lib/mysql
MARIADB_LOG=/var/log/mysql/weir-mariadb.err
MARIADB_START_TIMEOUT="${WEIR_MARIADB_START_TIMEOUT:-60}"
MAVEN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
LOGS="$WEIR_CACHE_DIR/install-deps-logs"

T0=$EPOCHREALTIME
CURRENT_STAGE=setup

log() { printf '[install-deps] %s\n' "$*"; }
die() {
  printf '[install-deps] ERROR in stage "%s": %s\n' "$CURRENT_STAGE" "$*" >&2
  exit 1
}
# shellcheck disable=SC2154  # rc is assigned inside the trap string
trap 'rc=$?; printf "[install-deps] ERROR in stage \"%s\": command failed (exit %s) at line %s: %s\n" "$CURRENT_STAGE" "$rc" "$LINENO" "$BASH_COMMAND" >&2; exit $rc' ERR
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }

# Runs one stage and prints how long it took.
stage() {
  local name=$1
  shift
  local t=$EPOCHREALTIME
  CURRENT_STAGE=$name
  log "$name ..."
  "$@"
  log "$name: done in $(since "$t")"
}

# Runs a command with its output in a log file; on failure shows the log's tail and stops.
logged() {
  local logfile="$LOGS/$1.log"
  shift
  if ! "$@" >"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2 || true
    die "'$*' failed (full log: $logfile)"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root (or passwordless sudo) to run: $*"
  fi
}

deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# --- stage: Debian packages --------------------------------------------------------------
install_debian_packages() {
  local missing=()
  local p
  for p in mariadb-server mariadb-client; do
    deb_installed "$p" || missing+=("$p")
  done
  # Toolchains the suites build with. Debian's Go (1.19) is too old for the driver, so Go is
  # only checked.
  command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
  command -v go >/dev/null 2>&1 || die "no 'go' on PATH: install Go >= 1.22 (Debian 12's golang-go is too old)"

  if [ ${#missing[@]} -eq 0 ]; then
    log "all Debian packages and toolchains present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  logged apt-get-update as_root apt-get update
  logged apt-get-install as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold "${missing[@]}"
  for p in "${missing[@]}"; do
    deb_installed "$p" || die "Debian package $p is still not installed after apt-get install"
  done
}

# --- stage: MariaDB server on 127.0.0.1:3306 ----------------------------------------------
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_mariadb() {
  if port_answers "$MARIADB_PORT"; then
    log "a server already answers on 127.0.0.1:$MARIADB_PORT"
  else
    local mariadbd
    mariadbd="$(command -v mariadbd || command -v mysqld || true)"
    [ -z "$mariadbd" ] && [ -x /usr/sbin/mariadbd ] && mariadbd=/usr/sbin/mariadbd
    [ -n "$mariadbd" ] || die "mariadbd not found although mariadb-server is installed"

    if [ ! -d "$MARIADB_DATADIR/mysql" ]; then
      log "initialising data dir $MARIADB_DATADIR"
      logged mariadb-install-db as_root mariadb-install-db --user=mysql --datadir="$MARIADB_DATADIR" --skip-test-db
    fi
    as_root install -d -o mysql -g mysql /run/mysqld "$(dirname "$MARIADB_LOG")"

    log "starting $mariadbd as user mysql (log: $MARIADB_LOG)"
    as_root setsid "$mariadbd" --user=mysql --datadir="$MARIADB_DATADIR" --port="$MARIADB_PORT" \
      --bind-address=127.0.0.1 --socket="$MARIADB_SOCKET" --log-error="$MARIADB_LOG" \
      </dev/null >/dev/null 2>&1 &
    local pid=$!
    local deadline=$((SECONDS + MARIADB_START_TIMEOUT))
    until mariadb-admin --protocol=socket --socket="$MARIADB_SOCKET" ping >/dev/null 2>&1 \
      && port_answers "$MARIADB_PORT"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        as_root tail -n 30 "$MARIADB_LOG" >&2 || true
        die "mariadbd exited during startup (log: $MARIADB_LOG)"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        as_root tail -n 30 "$MARIADB_LOG" >&2 || true
        die "mariadbd did not answer within ${MARIADB_START_TIMEOUT}s (log: $MARIADB_LOG)"
      fi
      sleep 0.5
    done
    log "mariadbd is up (pid $pid)"
  fi

  if mariadb --protocol=tcp -h127.0.0.1 -P"$MARIADB_PORT" -uweir -pweir -e 'SELECT 1' >/dev/null 2>&1; then
    log "user weir/weir can log in"
    return
  fi
  log "creating user weir (password weir, all privileges)"
  as_root mariadb --protocol=socket --socket="$MARIADB_SOCKET" -uroot >"$LOGS/mariadb-users.log" 2>&1 <<'SQL' \
    || { cat "$LOGS/mariadb-users.log" >&2; die "cannot create user weir: need root through the server's unix socket $MARIADB_SOCKET"; }
CREATE USER IF NOT EXISTS 'weir'@'%' IDENTIFIED BY 'weir';
CREATE USER IF NOT EXISTS 'weir'@'127.0.0.1' IDENTIFIED BY 'weir';
CREATE USER IF NOT EXISTS 'weir'@'localhost' IDENTIFIED BY 'weir';
GRANT ALL PRIVILEGES ON *.* TO 'weir'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'weir'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'weir'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
  mariadb --protocol=tcp -h127.0.0.1 -P"$MARIADB_PORT" -uweir -pweir -e 'SELECT 1' >/dev/null \
    || die "user weir was created but cannot log in over TCP"
}

# --- stage: Python venv -------------------------------------------------------------------
install_python() {
  local py="${WEIR_PYTHON:-python3}"
  local pyver want
  pyver="$("$py" -c 'import sys; print(sys.version.split()[0])')" || die "cannot run Python '$py' (set WEIR_PYTHON)"
  want="$pyver $(sha256sum <"$WEIR_PYTHON_REQUIREMENTS" | cut -d' ' -f1)"
  local stamp="$WEIR_VENV/.weir-installed"
  if [ -x "$WEIR_VENV/bin/python" ] && "$WEIR_VENV/bin/python" -c '' 2>/dev/null \
    && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    log "venv $WEIR_VENV is up to date"
  else
    if ! { [ -x "$WEIR_VENV/bin/python" ] && "$WEIR_VENV/bin/python" -c '' 2>/dev/null; }; then
      log "creating venv $WEIR_VENV with $("$py" --version 2>&1)"
      logged venv "$py" -m venv --clear "$WEIR_VENV"
    fi
    log "pip install -r ${WEIR_PYTHON_REQUIREMENTS#"$ROOT"/}"
    logged pip "$WEIR_VENV/bin/python" -m pip install --disable-pip-version-check -r "$WEIR_PYTHON_REQUIREMENTS"
    printf '%s\n' "$want" >"$stamp"
  fi
  "$WEIR_VENV/bin/python" - <<'PY'
from importlib.metadata import version
print("[install-deps]   " + ", ".join(
    f"{n} {version(n)}" for n in
    ("PyMySQL", "mysql-connector-python", "SQLAlchemy", "pandas", "pytest", "cryptography")))
PY
}

# --- stage: JDBC drivers from Maven Central -------------------------------------------------
fetch_jar() {
  local gav=$1 dest=$2
  local group=${gav%%:*} rest=${gav#*:}
  local artifact=${rest%%:*} version=${rest#*:}
  if [ -s "$dest" ]; then
    log "  $gav already in ${dest}"
    return
  fi
  logged "mvn-$artifact" mvn -B -Dmaven.repo.local="$WEIR_M2_REPO" \
    "$MAVEN_DEPENDENCY_PLUGIN:get" -Dartifact="$gav" -Dtransitive=false
  local src="$WEIR_M2_REPO/${group//.//}/$artifact/$version/$artifact-$version.jar"
  [ -s "$src" ] || die "mvn reported success but $src is missing"
  cp "$src" "$dest.tmp" && mv "$dest.tmp" "$dest"
  log "  $gav -> $dest"
}

install_jars() {
  mkdir -p "$WEIR_JARS"
  fetch_jar "com.mysql:mysql-connector-j:$MYSQL_CONNECTOR_J_VERSION" "$MYSQL_CONNECTOR_J_JAR"
  fetch_jar "org.mariadb.jdbc:mariadb-java-client:$MARIADB_JAVA_CLIENT_VERSION" "$MARIADB_JAVA_CLIENT_JAR"
}

# --- stage: Go module ---------------------------------------------------------------------
install_go() {
  local dir="$ROOT/conformance/clients/go"
  log "  $(go version)"
  logged go-mod-download go -C "$dir" mod download -x
  # Compile the suite once so the first real run does not pay for it (and a broken
  # checkout fails here, early).
  logged go-test-compile go -C "$dir" test -c -o "$GOPATH/bin/weir-go-scenario.test" .
  go -C "$dir" list -m -f '[install-deps]   {{.Path}} {{.Version}}' github.com/go-sql-driver/mysql
}

# --- stage: drivers' own test suites ---------------------------------------------------------
# PyMySQL's own suite (conformance/driver_suites): PyPI ships it only in sdists up to 0.10.1
# (later releases keep it in their Git repository); checked against its pinned sha256.
# go-sql-driver/mysql's own suite is in its module zip, downloaded by the Go stage.
install_driver_suites() {
  local dir="$WEIR_CACHE_DIR/suites" name="PyMySQL-$PYMYSQL_SUITE_VERSION"
  if [ -f "$dir/$name/pymysql/tests/base.py" ]; then
    log "  $name's suite already in $dir"
    return
  fi
  mkdir -p "$dir"
  logged pip-download-suite "$WEIR_VENV/bin/python" -m pip download --disable-pip-version-check --no-deps \
    --no-binary :all: -d "$dir" "PyMySQL==$PYMYSQL_SUITE_VERSION"
  echo "$PYMYSQL_SUITE_SHA256  $dir/$name.tar.gz" | sha256sum --quiet -c - \
    || die "$dir/$name.tar.gz does not have the pinned sha256 $PYMYSQL_SUITE_SHA256"
  tar -xzf "$dir/$name.tar.gz" -C "$dir"
  log "  $name's suite -> $dir/$name"
}

# --- stage: npm package ---------------------------------------------------------------------
install_node() {
  local have
  have="$(node -p "require('$NODE_PATH/mysql2/package.json').version" 2>/dev/null || true)"
  if [ "$have" = "$MYSQL2_VERSION" ]; then
    log "  mysql2 $have already in $NODE_PATH"
    return
  fi
  mkdir -p "$WEIR_NODE_PREFIX"
  logged npm-install npm install --prefix "$WEIR_NODE_PREFIX" --no-audit --no-fund --save-exact \
    "mysql2@$MYSQL2_VERSION"
  have="$(node -p "require('$NODE_PATH/mysql2/package.json').version")"
  [ "$have" = "$MYSQL2_VERSION" ] || die "npm installed mysql2 $have, wanted $MYSQL2_VERSION"
  log "  mysql2 $have -> $NODE_PATH"
}

mkdir -p "$WEIR_CACHE_DIR" "$LOGS"
log "cache dir: $WEIR_CACHE_DIR"
stage "debian packages" install_debian_packages
stage "mariadb server" start_mariadb
stage "python venv" install_python
stage "jdbc drivers" install_jars
stage "go module" install_go
stage "npm mysql2" install_node
stage "driver suites" install_driver_suites
CURRENT_STAGE="finished"
log "all dependencies ready in $(since "$T0")"
