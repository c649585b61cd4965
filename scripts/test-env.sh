#!/usr/bin/env bash
# Writes the test run's Weir config (ports apart from the defaults, a TLS certificate, the test
# accounts) into DIR, and DIR/env.sh for the suites. Usage: test-env.sh DIR WEIR_BINARY
set -euo pipefail
DIR=$1
WEIR=$2
mkdir -p "$DIR/tls"
if [[ ! -f "$DIR/tls/server.key" ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Weir test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$DIR/tls/ca.key" -out "$DIR/tls/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$DIR/tls/server.key" -out "$DIR/tls/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$DIR/tls/ext.cnf"
  openssl x509 -req -in "$DIR/tls/server.csr" -CA "$DIR/tls/ca.pem" -CAkey "$DIR/tls/ca.key" -CAcreateserial \
    -days 3650 -extfile "$DIR/tls/ext.cnf" -out "$DIR/tls/server.pem" 2>/dev/null
fi
PORT=${WEIR_TEST_PORT:-33071}
# The test clusters' Flink ports, shifted by WEIR_TEST_PORT_OFFSET (default 0) so a second test
# stack can run beside the first on one machine.
OFF=${WEIR_TEST_PORT_OFFSET:-0}
JM1=$((28081 + OFF)) RPC1=$((26123 + OFF)) GW1=$((28083 + OFF))
JM2=$((28181 + OFF)) RPC2=$((26223 + OFF)) GW2=$((28183 + OFF))
# Their Prometheus reporters: the JobManager's on this port, the TaskManager's on the next.
PROM1=$((28085 + OFF)) PROM2=$((28185 + OFF))
# The binlog MariaDB the datasync tests sync from (scripts/cdc-mariadb.sh, started by test.sh).
CDC=$((23306 + OFF))
# Weir's HTTP listener (/metrics, /health, /ready).
HTTP=$((28090 + OFF))
{
  cat <<TOML
default_cluster = "local"

[server]
listen = "127.0.0.1:$PORT"
http_listen = "127.0.0.1:$HTTP"
data_dir = "$DIR/data"
tls_cert = "$DIR/tls/server.pem"
tls_key = "$DIR/tls/server.key"
stop_clusters_on_exit = "never"

TOML
  if [[ -n "${WEIR_TEST_EXTERNAL_FLINK:-}" ]]; then
    # Another Weir already supervises the test clusters: use their gateways as external ones.
    printf '[clusters.local]\ngateway = "http://127.0.0.1:%s"\njobmanager = "http://127.0.0.1:%s"\n\n[clusters.v22]\ngateway = "http://127.0.0.1:%s"\njobmanager = "http://127.0.0.1:%s"\n' "$GW1" "$JM1" "$GW2" "$JM2"
  else
    cat <<TOML
[clusters.local]
version = "1.20.3"
# The suite runs managed jobs and datasyncs side by side with its queries.
task_slots = 8
jobmanager_rest_port = $JM1
jobmanager_rpc_port = $RPC1
gateway_port = $GW1
metrics_port = $PROM1

[clusters.v22]
version = "2.2.0"
jobmanager_rest_port = $JM2
jobmanager_rpc_port = $RPC2
gateway_port = $GW2
metrics_port = $PROM2
TOML
  fi
  cat <<TOML

# An external gateway nobody runs: statements routed there must fail with a clear error, and
# information_schema.JOBS lists the other clusters' jobs with a warning naming it.
[clusters.nowhere]
gateway = "http://127.0.0.1:9"
jobmanager = "http://127.0.0.1:9"

TOML
  printf 'sha2pass' | "$WEIR" passwd --user weir_sha2 --plugin caching_sha2_password
  echo
  printf 'nativepass' | "$WEIR" passwd --user weir_native --plugin mysql_native_password
  echo
  printf 'bipass' | "$WEIR" passwd --user bi
  echo 'flink_options = { "execution.runtime-mode" = "batch" }'
  echo
  # A BI tool's account speaking MySQL SQL: translated to Flink SQL, batch mode by default.
  printf 'mysqlpass' | "$WEIR" passwd --user bi_mysql
  echo 'dialect = "mysql"'
  echo
  # The drivers' own test suites (conformance/driver_suites): a MySQL user's session, queries bounded.
  printf 'suitespass' | "$WEIR" passwd --user suites
  echo 'dialect = "mysql"'
  echo 'flink_options = { "execution.runtime-mode" = "batch" }'
  echo
  printf 'lostpass' | "$WEIR" passwd --user lost
  echo 'cluster = "nowhere"'
  echo
  printf 'v2pass' | "$WEIR" passwd --user v2user
  echo 'cluster = "v22"'
} > "$DIR/weir.toml"
cat > "$DIR/env.sh" <<ENV
export WEIR_HOST=127.0.0.1
export WEIR_PORT=$PORT
export WEIR_TEST_ADDR=127.0.0.1:$PORT
export WEIR_TLS_CA=$DIR/tls/ca.pem
export WEIR_TEST_DATA_DIR=$DIR/data
export WEIR_TEST_JOBMANAGER=http://127.0.0.1:$JM1
export WEIR_TEST_GATEWAY=http://127.0.0.1:$GW1
export WEIR_TEST_GATEWAY_2=http://127.0.0.1:$GW2
export WEIR_TEST_JOBMANAGER_2=http://127.0.0.1:$JM2
export WEIR_TEST_CDC_PORT=$CDC
export WEIR_TEST_HTTP=http://127.0.0.1:$HTTP
ENV
