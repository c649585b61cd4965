#!/usr/bin/env bash
# Weir conformance scenario, played by a person at the mariadb (or mysql) command-line client.
#
# The person opens the interactive shell once, then asks single questions with -e, then pipes
# a script into one session (temporary tables and the batch-mode switch live in the Flink
# session behind it, so steps b-f share one connection) and reads the transcript. The CLI
# prints text only, so values are checked as text, not types; it has no parameter binding,
# so step d uses literal values, written as Flink literals (Weir hands text SQL to Flink as
# it is: a quote is doubled, a backslash is plain text). The story stops at the first failed step; the two login
# steps open their own connections and always run unless WEIR_SKIP_AUTH_STEPS=1.
#
# Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty),
# WEIR_TLS_CA, WEIR_SKIP_AUTH_STEPS, WEIR_MYSQL_CLI (client binary; default mariadb, else mysql).
set -uo pipefail

HOST="${WEIR_HOST:-127.0.0.1}"
PORT="${WEIR_PORT:-3307}"
USER_NAME="${WEIR_USER:-root}"
PASSWORD="${WEIR_PASSWORD:-}"
TLS_CA="${WEIR_TLS_CA:-}"
TABLE=t_cli
SINK=sink_cli
TIMEOUT=300 # seconds for any one client invocation

CLI="${WEIR_MYSQL_CLI:-$(command -v mariadb || command -v mysql || true)}"
[ -n "$CLI" ] || { echo "mysql_cli: neither mariadb nor mysql is installed (scripts/install-deps.sh)" >&2; exit 2; }
if "$CLI" --version | grep -q MariaDB; then
  FLAVOR=mariadb
else
  FLAVOR=mysql
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Credentials go through option files, so no password shows on a command line.
write_cnf() { # file user password
  printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword=%s\n' "$HOST" "$PORT" "$2" "$3" >"$1"
}
write_cnf "$WORK/main.cnf" "$USER_NAME" "$PASSWORD"
write_cnf "$WORK/sha2.cnf" weir_sha2 sha2pass

# Plain connections for the story: no TLS, so newer clients that default to verified TLS do
# not refuse a self-signed certificate (TLS has its own step).
if [ "$FLAVOR" = mariadb ]; then
  PLAIN=(--skip-ssl)
  SHA2=(--default-auth=caching_sha2_password)
  if [ -n "$TLS_CA" ]; then TLS=(--ssl --ssl-ca="$TLS_CA"); else TLS=(--ssl --skip-ssl-verify-server-cert); fi
else
  PLAIN=(--ssl-mode=DISABLED)
  SHA2=(--default-auth=caching_sha2_password --get-server-public-key)
  if [ -n "$TLS_CA" ]; then TLS=(--ssl-mode=VERIFY_CA --ssl-ca="$TLS_CA"); else TLS=(--ssl-mode=REQUIRED); fi
fi

# cli CNF [options...]: the client in batch mode, raw (unescaped) tab-separated output.
cli() {
  local cnf=$1
  shift
  timeout "$TIMEOUT" "$CLI" --defaults-file="$WORK/$cnf.cnf" --batch --raw "$@"
}

PASSED=0 FAILED=0 SKIPPED=0 STOPPED=""

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1: $2"; STOPPED=1; }

# step NAME FUNCTION: runs FUNCTION (which prints why it failed and returns non-zero) unless
# an earlier story step failed.
step() {
  [ -n "$STOPPED" ] && return
  local why
  if why="$("$2" 2>&1)"; then pass "$1"; else fail "$1" "${why:-failed}"; fi
}

# own_step NAME FUNCTION: a step on its own connection, run whatever the story did.
own_step() {
  local why
  if why="$("$2" 2>&1)"; then pass "$1"; else FAILED=$((FAILED + 1)); echo "FAIL $1: ${why:-failed}"; fi
}

auth_step() {
  if [ "${WEIR_SKIP_AUTH_STEPS:-}" = 1 ]; then
    SKIPPED=$((SKIPPED + 1))
    echo "SKIP $1 (WEIR_SKIP_AUTH_STEPS=1)"
    return
  fi
  local why
  if why="$("$2" 2>&1)"; then pass "$1"; else FAILED=$((FAILED + 1)); echo "FAIL $1: ${why:-failed}"; fi
}

# expect_value WHAT GOT WANTED
expect_value() {
  [ "$2" = "$3" ] || { echo "$1 printed '$2', wanted '$3'"; return 1; }
}

# ask SQL: one -e question, prints the single value (no column names).
ask() {
  cli main "${PLAIN[@]}" --skip-column-names -e "$1"
}

# --- a. connect -------------------------------------------------------------------------

a0_interactive_shell() {
  # A real terminal (script(1) gives the client a pty), so the client runs its interactive
  # start-up, including its SELECT @@version_comment, and prints the banner.
  local out
  out="$(printf 'SELECT 1 AS one;\nquit\n' | TERM=dumb timeout "$TIMEOUT" script -q -e -c \
    "$(printf '%q ' "$CLI" --defaults-file="$WORK/main.cnf" "${PLAIN[@]}")" /dev/null 2>&1 | tr -d '\r')"
  grep -q 'Server version:' <<<"$out" || { echo "no banner with 'Server version:'; transcript:"; echo "$out"; return 1; }
  grep -Eq '^\| +1 \|$' <<<"$out" || { echo "SELECT 1 AS one printed no '| 1 |' row; transcript:"; echo "$out"; return 1; }
  grep -q '1 row in set' <<<"$out" || { echo "no '1 row in set'; transcript:"; echo "$out"; return 1; }
}
a1_select_1() { local v; v="$(ask 'SELECT 1')" || return 1; expect_value 'SELECT 1' "$v" 1; }
a2_database() { local v; v="$(ask 'SELECT DATABASE()')" || return 1; expect_value 'SELECT DATABASE()' "$v" default_database; }
a3_version_comment() {
  local v
  v="$(ask 'SELECT @@version_comment')" || return 1
  if [ -z "${v// /}" ] || [ "$v" = NULL ]; then echo "@@version_comment printed '$v'"; return 1; fi
}
a4_autocommit() { local v; v="$(ask 'SELECT @@autocommit')" || return 1; expect_value '@@autocommit' "$v" 1; }

# --- b-f. one session, fed through stdin ---------------------------------------------------

# One statement per line, so the client's "ERROR ... at line N" names the statement.
STATEMENTS=(
  "CREATE TEMPORARY TABLE $TABLE (id BIGINT, name STRING, price DECIMAL(10,2)) WITH ('connector'='datagen','number-of-rows'='100','fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='100','fields.name.length'='5');"
  "SET 'execution.runtime-mode' = 'batch';"
  "SELECT COUNT(*) AS n, SUM(id) AS s FROM $TABLE;"
  "SELECT id, name FROM $TABLE WHERE id BETWEEN 3 AND 5 ORDER BY id;"
  "SELECT 'it''s a \\ test' AS s;" # Flink literal: quote doubled, backslash is plain text
  "SELECT * FROM no_such_table;"
  "SELECT 1 AS after_error;"
  "SELEC 1;"
  "SELECT 1 AS after_syntax_error;"
  "CREATE TEMPORARY TABLE $SINK (id BIGINT) WITH ('connector'='blackhole');"
  "INSERT INTO $SINK SELECT id FROM $TABLE;"
  "SHOW JOBS;"
)
# Statement numbers (1-based lines of the script) used by the steps.
S_CREATE=1 S_SET=2 S_COUNT=3 S_RANGE=4 S_ECHO=5 S_MISSING=6 S_AFTER_ERROR=7 S_SYNTAX=8
S_AFTER_SYNTAX=9 S_SINK=10 S_INSERT=11 S_SHOW_JOBS=12

run_session() {
  printf '%s\n' "${STATEMENTS[@]}" >"$WORK/session.sql"
  # -vv echoes each statement between dashed lines and prints "Query OK" plus the OK
  # packet's info line; --force keeps going after the two expected errors.
  cli main "${PLAIN[@]}" -vv --force <"$WORK/session.sql" >"$WORK/session.out" 2>"$WORK/session.err"
  SESSION_RC=$?
}

# output N: what the client printed for statement N (between its echo and the next one),
# without blank lines.
output() {
  awk -v k="$1" '/^--------------$/ { n++; next } n == 2 * k && $0 != "" { print }' "$WORK/session.out"
}
# error_at N: the client's error line for statement N, if any.
error_at() { grep -E "^ERROR [0-9]+ \([0-9A-Z]{5}\) at line $1:" "$WORK/session.err"; }

# succeeded N: statement N printed no error.
succeeded() {
  local err
  if err="$(error_at "$1")"; then echo "${STATEMENTS[$1 - 1]} -> $err"; return 1; fi
}
# expect_rows N EXPECTED: statement N printed exactly these lines (header + rows).
expect_rows() {
  succeeded "$1" || return 1
  local got
  got="$(output "$1" | grep -v -E '^(Bye|[0-9]+ rows? in set.*)$')"
  [ "$got" = "$2" ] || { printf '%s printed:\n%s\nwanted:\n%s\n' "${STATEMENTS[$1 - 1]}" "$got" "$2"; return 1; }
}
expect_ok() {
  succeeded "$1" || return 1
  output "$1" | grep -q '^Query OK' || { printf '%s printed no "Query OK":\n%s\n' "${STATEMENTS[$1 - 1]}" "$(output "$1")"; return 1; }
}
expect_error() { # N CODE SQLSTATE
  local err
  err="$(error_at "$1")" || { echo "${STATEMENTS[$1 - 1]} printed no error, wanted $2 ($3)"; return 1; }
  [[ "$err" == "ERROR $2 ($3) "* ]] || { echo "${STATEMENTS[$1 - 1]} -> $err; wanted $2 ($3)"; return 1; }
}

b_session_and_datagen_table() {
  run_session
  [ -s "$WORK/session.out" ] || { echo "the session printed nothing (exit $SESSION_RC):"; cat "$WORK/session.err"; return 1; }
  expect_ok $S_CREATE
}
c1_batch_mode() { expect_ok $S_SET; }
c2_count_and_sum() { expect_rows $S_COUNT $'n\ts\n100\t5050'; }
d1_range_query() {
  succeeded $S_RANGE || return 1
  local got
  got="$(output $S_RANGE | awk -F '\t' 'NR > 1 && NF == 2 && length($2) == 5 { print $1 }' | paste -sd,)"
  [ "$got" = 3,4,5 ] || { printf 'range query printed:\n%s\nwanted ids 3,4,5 each with a 5-character name\n' "$(output $S_RANGE)"; return 1; }
}
d2_quote_and_backslash() { expect_rows $S_ECHO $'s\nit\'s a \\ test'; }
e1_missing_table() { expect_error $S_MISSING 1146 42S02; }
e2_same_session_after_error() { expect_rows $S_AFTER_ERROR $'after_error\n1'; }
e3_syntax_error() { expect_error $S_SYNTAX 1064 42000 && expect_rows $S_AFTER_SYNTAX $'after_syntax_error\n1'; }
f1_blackhole_sink() { expect_ok $S_SINK; }
f2_insert_job() {
  expect_ok $S_INSERT || return 1
  local job_id
  job_id="$(output $S_INSERT | grep -o -E '\b[0-9a-fA-F]{32}\b' | head -n 1 | tr 'A-F' 'a-f')"
  [ -n "$job_id" ] || { printf 'INSERT printed no 32-hex Flink job id:\n%s\n' "$(output $S_INSERT)"; return 1; }
  echo "$job_id" >"$WORK/job_id" # steps run in subshells: hand the id over in a file
}
f3_show_jobs() {
  succeeded $S_SHOW_JOBS || return 1
  local job_id
  job_id="$(cat "$WORK/job_id")"
  local header
  header="$(output $S_SHOW_JOBS | head -n 1)"
  expect_value 'SHOW JOBS header' "$header" $'job id\tjob name\tstatus\tstart time' || return 1
  # grep reads all its input (no -q): with thousands of jobs, an early exit would kill the
  # writers with SIGPIPE and pipefail would call the step failed.
  output $S_SHOW_JOBS | tail -n +2 | cut -f1 | tr 'A-F' 'a-f' | grep -x "$job_id" >/dev/null \
    || { printf 'job %s not in SHOW JOBS:\n%s\n' "$job_id" "$(output $S_SHOW_JOBS)"; return 1; }
}

# --- h. metadata (issue 5) ------------------------------------------------------------------

h_show_use_describe_with_auto_rehash() {
  # A person at the shell with auto-rehash on: after `use`, the client reads every table's
  # columns with COM_FIELD_LIST for completion; then SHOW and DESCRIBE in MySQL's shape.
  local out t=t_meta_cli
  out="$(printf '%s\n' \
    "CREATE TEMPORARY TABLE $t (id BIGINT NOT NULL, name VARCHAR(20), PRIMARY KEY (id) NOT ENFORCED) WITH ('connector'='datagen');" \
    "show databases;" "use default_database" "show tables;" "describe $t;" "quit" |
    TERM=dumb timeout "$TIMEOUT" script -q -e -c \
      "$(printf '%q ' "$CLI" --defaults-file="$WORK/main.cnf" "${PLAIN[@]}" --auto-rehash)" /dev/null 2>&1 | tr -d '\r')"
  local want
  for want in '| information_schema ' 'Database changed' '| Tables_in_default_database ' "| $t " \
    '| Field | Type        | Null | Key  | Default | Extra |' '| id    | bigint      | NO   | PRI  | NULL    |       |' \
    '| name  | varchar(20) | YES  |      | NULL    |       |'; do
    grep -qF -- "$want" <<<"$out" || { echo "no '$want' in the transcript:"; echo "$out"; return 1; }
  done
  ! grep -q '^ERROR' <<<"$out" || { echo "an error in the transcript:"; echo "$out"; return 1; }
}

# --- g. logins --------------------------------------------------------------------------

g1_caching_sha2() {
  local v
  v="$(cli sha2 "${PLAIN[@]}" "${SHA2[@]}" --skip-column-names -e 'SELECT 1')" || return 1
  expect_value 'SELECT 1' "$v" 1
}
g2_tls() {
  # `status` reports the cipher from the client side, so this proves the session is TLS.
  local out
  out="$(cli main "${TLS[@]}" --skip-column-names -e 'status; SELECT 1' 2>&1)" || { echo "$out"; return 1; }
  grep -Eq '^SSL:[[:space:]]+Cipher in use' <<<"$out" || { printf 'the session is not TLS:\n%s\n' "$out"; return 1; }
  [ "$(tail -n 1 <<<"$out")" = 1 ] || { printf 'SELECT 1 did not print 1:\n%s\n' "$out"; return 1; }
}

echo "client: $("$CLI" --version)"
step "a0 a person opens the interactive shell: banner, then SELECT 1" a0_interactive_shell
step "a1 SELECT 1 prints 1" a1_select_1
step "a2 current database is default_database" a2_database
step "a3 @@version_comment is not empty" a3_version_comment
step "a4 @@autocommit prints 1" a4_autocommit
step "b a piped session creates a temporary datagen table of 100 rows" b_session_and_datagen_table
step "c1 switches the session to batch mode" c1_batch_mode
step "c2 counts 100 rows whose ids sum to 5050" c2_count_and_sum
step "d1 range query (literal bounds: the CLI has no parameters) prints ids 3 to 5" d1_range_query
step "d2 a Flink string literal with a quote and a backslash prints back unchanged" d2_quote_and_backslash
step "e1 missing table fails with 1146 (42S02)" e1_missing_table
step "e2 same session still answers SELECT 1" e2_same_session_after_error
step "e3 syntax error fails with 1064 (42000)" e3_syntax_error
step "f1 creates a blackhole sink" f1_blackhole_sink
step "f2 INSERT prints Query OK and the Flink job id" f2_insert_job
step "f3 SHOW JOBS lists the job" f3_show_jobs
own_step "h show databases, use, show tables and describe in the shell, with auto-rehash" h_show_use_describe_with_auto_rehash
[ -n "$STOPPED" ] && echo "(story stopped at the first failure)"
auth_step "g1 logs in with caching_sha2_password" g1_caching_sha2
auth_step "g2 logs in over TLS" g2_tls

line="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && line+=", $SKIPPED skipped"
echo "$line"
[ "$FAILED" -eq 0 ]
