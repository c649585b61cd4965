# shellcheck shell=bash disable=SC2034  # (variables are for the scripts that source this file)
# Shared settings for the real-client conformance suites and scripts/install-deps.sh.
# Source it (bash); it only sets variables. Bump a client version here, then re-run
# scripts/install-deps.sh. Python and Go pins live in clients/python/requirements.txt
# and clients/go/go.mod.

WEIR_CACHE_DIR="${WEIR_CACHE_DIR:-$HOME/.cache/weir}"
export WEIR_CACHE_DIR

# Where the Weir server under test listens (each client reads these).
export WEIR_HOST="${WEIR_HOST:-127.0.0.1}"
export WEIR_PORT="${WEIR_PORT:-3307}"
export WEIR_USER="${WEIR_USER:-root}"
export WEIR_PASSWORD="${WEIR_PASSWORD:-}"

# Python: a venv holding PyMySQL, mysql-connector-python, SQLAlchemy, pandas, pytest.
WEIR_VENV="$WEIR_CACHE_DIR/venv"
WEIR_PYTHON_REQUIREMENTS="$(dirname "${BASH_SOURCE[0]}")/clients/python/requirements.txt"

# Java: JDBC drivers copied out of a private Maven repository.
MYSQL_CONNECTOR_J_VERSION=9.7.0        # newest 9.x on Maven Central (26.x is the next line)
MARIADB_JAVA_CLIENT_VERSION=3.5.11     # newest 3.5.x on Maven Central
WEIR_M2_REPO="$WEIR_CACHE_DIR/m2"
WEIR_JARS="$WEIR_CACHE_DIR/jars"
MYSQL_CONNECTOR_J_JAR="$WEIR_JARS/mysql-connector-j-$MYSQL_CONNECTOR_J_VERSION.jar"
MARIADB_JAVA_CLIENT_JAR="$WEIR_JARS/mariadb-java-client-$MARIADB_JAVA_CLIENT_VERSION.jar"

# Go: module and build caches live in the cache dir; modules come only from the Go module proxy.
export GOPATH="$WEIR_CACHE_DIR/go"
export GOMODCACHE="$WEIR_CACHE_DIR/go/pkg/mod"
export GOCACHE="$WEIR_CACHE_DIR/go/build-cache"
export GOPROXY="https://proxy.golang.org"
export GOTOOLCHAIN=local

# Node: mysql2 installed outside the repo; scenario.mjs loads it through NODE_PATH.
MYSQL2_VERSION=3.24.6
WEIR_NODE_PREFIX="$WEIR_CACHE_DIR/node"
export NODE_PATH="$WEIR_NODE_PREFIX/node_modules"

# Drivers' own test suites (conformance/driver_suites): PyMySQL's, from the last sdist that ships it.
PYMYSQL_SUITE_VERSION=0.10.1
PYMYSQL_SUITE_SHA256=263040d2779a3b84930f7ac9da5132be0fefcd6f453a885756656103f8ee1fdd

# Package-manager download caches, also kept out of the repo.
export PIP_CACHE_DIR="$WEIR_CACHE_DIR/pip-cache"
export npm_config_cache="$WEIR_CACHE_DIR/npm-cache"
