//! A scripted fake of Flink 1.20's SQL Gateway (REST API V3): an HTTP/1.1 server on loopback that
//! serves exactly the calls Weir's driver makes (drivers/src/gateway/), in the JSON shapes Flink
//! 1.20.3 writes (see the driver's `wire.rs` and /work/shared/reference/flink_gateway.md):
//!
//! * `GET /info`, `GET /api_versions`;
//! * `POST /v3/sessions` (records its name and properties), `GET`/`DELETE /v3/sessions/{sh}`,
//!   `POST …/heartbeat`, `POST …/configure-session`;
//! * `POST …/statements` (records the statement with the session's configuration at that moment),
//!   `GET …/operations/{oh}/result/{token}?rowFormat=JSON` (paged, `NOT_READY` first if scripted,
//!   `EOS` last), `GET …/status`, `POST …/cancel`, `DELETE …/close`.
//!
//! What a statement gets is scripted ([`FakeGateway::on`]): the first rule whose [`Match`] fits
//! the statement's text answers it ([`Answer`]: OK, rows, or a Java exception chain reported as
//! Flink reports it, on the fetch of the result). Unscripted `SET 'k' = 'v'` is OK; any other
//! unscripted statement fails with a `ValidationException` naming it, so a test sees what Weir
//! sent that it did not expect. `SET` changes the session's configuration as in Flink.
//!
//! [`FakeGateway::lose_all_sessions`] plays a gateway restart: every call on a session opened
//! before it fails with Flink's `Session '…' does not exist.`

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Which statements a rule answers (the text as received, surrounding blanks trimmed).
#[derive(Debug, Clone)]
pub enum Match {
    Exact(String),
    Prefix(String),
    Contains(String),
}

impl Match {
    fn fits(&self, sql: &str) -> bool {
        let sql = sql.trim();
        match self {
            Match::Exact(s) => sql == s,
            Match::Prefix(s) => sql.starts_with(s.as_str()),
            Match::Contains(s) => sql.contains(s.as_str()),
        }
    }
}

pub fn exact(s: &str) -> Match {
    Match::Exact(s.to_string())
}

pub fn prefix(s: &str) -> Match {
    Match::Prefix(s.to_string())
}

pub fn contains(s: &str) -> Match {
    Match::Contains(s.to_string())
}

/// What a statement gets.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Flink's `OK` (`resultKind` SUCCESS, one `result` column): DDL, SET, USE.
    Ok,
    /// Rows (a query, or SHOW / DESCRIBE / EXPLAIN output).
    Rows(Rows),
    /// A failed statement: the exception chain below the gateway's own wrappers, outermost first,
    /// as `(Java class, message)`. In a message, `{col:WORD}` and `{endcol:WORD}` become the
    /// 1-based column of the first and last character of `WORD` in the statement as received (as
    /// Flink's parser and validator count them).
    Error(Vec<(String, String)>),
}

/// A result: its columns, and its rows page by page.
#[derive(Debug, Clone)]
pub struct Rows {
    columns: Vec<Value>,
    pages: Vec<Vec<Value>>,
    is_query: bool,
    /// Fetches of the first page answered NOT_READY before the first PAYLOAD.
    not_ready: usize,
}

impl Rows {
    /// A query's result (`isQueryResult`, with a job id).
    pub fn query(columns: Vec<Value>) -> Rows {
        Rows { columns, pages: Vec::new(), is_query: true, not_ready: 0 }
    }

    /// The rows of a SHOW, DESCRIBE or EXPLAIN (not a query: no job).
    pub fn content(columns: Vec<Value>) -> Rows {
        Rows { columns, pages: Vec::new(), is_query: false, not_ready: 0 }
    }

    /// One more page of rows (made by [`insert`] or [`change`]).
    pub fn page(mut self, rows: Vec<Value>) -> Rows {
        self.pages.push(rows);
        self
    }

    /// The first fetch(es) find the result not ready yet.
    pub fn not_ready_first(mut self, times: usize) -> Rows {
        self.not_ready = times;
        self
    }
}

/// A result column: `{"name", "logicalType", "comment"}`.
pub fn column(name: &str, logical_type: Value) -> Value {
    json!({ "name": name, "logicalType": logical_type, "comment": null })
}

/// Flink's `STRING` (nullable).
pub fn string() -> Value {
    json!({ "type": "VARCHAR", "nullable": true, "length": 2_147_483_647 })
}

/// Flink's `VARCHAR(n)` (nullable).
pub fn varchar(n: u32) -> Value {
    json!({ "type": "VARCHAR", "nullable": true, "length": n })
}

/// Flink's `STRING NOT NULL`.
pub fn string_not_null() -> Value {
    json!({ "type": "VARCHAR", "nullable": false, "length": 2_147_483_647 })
}

pub fn int(nullable: bool) -> Value {
    json!({ "type": "INTEGER", "nullable": nullable })
}

pub fn bigint(nullable: bool) -> Value {
    json!({ "type": "BIGINT", "nullable": nullable })
}

pub fn boolean(nullable: bool) -> Value {
    json!({ "type": "BOOLEAN", "nullable": nullable })
}

pub fn decimal(precision: u32, scale: u32) -> Value {
    json!({ "type": "DECIMAL", "nullable": true, "precision": precision, "scale": scale })
}

pub fn date() -> Value {
    json!({ "type": "DATE", "nullable": true })
}

/// A row that inserts (`+I`).
pub fn insert(fields: Vec<Value>) -> Value {
    change("INSERT", fields)
}

/// A row of change kind `kind` (`INSERT`, `UPDATE_BEFORE`, `UPDATE_AFTER`, `DELETE`).
pub fn change(kind: &str, fields: Vec<Value>) -> Value {
    json!({ "kind": kind, "fields": fields })
}

/// A JSON number written as `text` (DECIMAL values are exact numbers in Flink's JSON).
pub fn number(text: &str) -> Value {
    serde_json::from_str(text).expect("a JSON number")
}

/// A one-cell result as Flink gives SHOW CREATE TABLE, EXPLAIN and the like: column `result`.
pub fn text_result(text: &str) -> Answer {
    Answer::Rows(Rows::content(vec![column("result", string())]).page(vec![insert(vec![json!(text)])]))
}

/// The plan `EXPLAIN CHANGELOG_MODE <query>` gives, whose root emits `modes` (`"I"`, `"I,UB,UA"`).
pub fn changelog_plan(modes: &str) -> Answer {
    text_result(&format!(
        "== Abstract Syntax Tree ==\nLogicalProject(a=[$0])\n+- LogicalTableScan(table=[[default_catalog, default_database, src]])\n\n\
         == Optimized Physical Plan ==\nGroupAggregate(groupBy=[a], select=[a, COUNT(*) AS c], changelogMode=[{modes}])\n\
         +- Exchange(distribution=[hash[a]], changelogMode=[I])\n   +- TableSourceScan(table=[[default_catalog, default_database, src]], fields=[a], changelogMode=[I])\n\n\
         == Optimized Execution Plan ==\nGroupAggregate(groupBy=[a], select=[a, COUNT(*) AS c])\n+- Exchange(distribution=[hash[a]])\n   +- TableSourceScan(table=[[default_catalog, default_database, src]], fields=[a])\n"
    ))
}

/// Flink 1.20's `ValidationException` for a table it does not know, as the validator chains it.
pub fn object_not_found(name: &str) -> Answer {
    let at = format!("From line 1, column {{col:{name}}} to line 1, column {{endcol:{name}}}: Object '{name}' not found");
    Answer::Error(vec![
        ("org.apache.flink.table.api.ValidationException".into(), format!("SQL validation failed. {at}")),
        ("org.apache.calcite.runtime.CalciteContextException".into(), at),
        ("org.apache.calcite.sql.validate.SqlValidatorException".into(), format!("Object '{name}' not found")),
    ])
}

/// Flink 1.20's `SqlParserException` for a statement whose keyword `word` is out of place.
pub fn parse_error_near(word: &str) -> Answer {
    let at = format!("Incorrect syntax near the keyword '{word}' at line 1, column {{col:{word}}}.\nWas expecting one of:\n    \"ABS\" ...\n    \"ALL\" ...\n");
    Answer::Error(vec![
        ("org.apache.flink.table.api.SqlParserException".into(), format!("SQL parse failed. {at}")),
        ("org.apache.calcite.sql.parser.SqlParseException".into(), at.clone()),
        ("org.apache.flink.sql.parser.impl.ParseException".into(), at),
    ])
}

/// One statement the gateway received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The session's place in the order sessions were opened (0 = the first).
    pub session: usize,
    pub sql: String,
    /// The session's configuration when the statement arrived, with its `executionConfig` over it.
    pub config: BTreeMap<String, String>,
    /// False: the session no longer existed (the gateway answered `Session '…' does not exist.`).
    pub accepted: bool,
    /// Through `configure-session` rather than `statements`.
    pub configure: bool,
}

/// A session as the gateway saw it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub handle: String,
    pub name: Option<String>,
    /// The `properties` it was opened with.
    pub opened_with: BTreeMap<String, String>,
    /// Its configuration now (properties, then `SET`s).
    pub config: BTreeMap<String, String>,
    pub closed: bool,
    pub lost: bool,
}

/// One HTTP request: method and path (with its query).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
}

impl Request {
    /// A call about sessions, statements or results (anything but `/info` and `/api_versions`,
    /// which the cluster monitor asks every few seconds).
    pub fn is_session_call(&self) -> bool {
        !matches!(self.path.as_str(), "/info" | "/api_versions" | "/v1/info" | "/v3/info")
    }
}

struct Session {
    view: SessionView,
}

struct Operation {
    session: String,
    sql: String,
    answer: Answer,
    not_ready_left: usize,
    /// Tokens fetched, in order.
    fetched: Vec<u64>,
    closed: bool,
    cancelled: bool,
}

#[derive(Default)]
struct State {
    flink_version: String,
    api_versions: Vec<String>,
    script: Vec<(Match, Answer)>,
    sessions: Vec<Session>,
    operations: HashMap<String, Operation>,
    received: Vec<Received>,
    requests: Vec<Request>,
    next_id: u64,
}

impl State {
    fn id(&mut self) -> String {
        self.next_id += 1;
        format!("00000000-0000-4000-8000-{:012x}", self.next_id)
    }

    fn session_index(&self, handle: &str) -> Option<usize> {
        self.sessions.iter().position(|s| s.view.handle == handle)
    }
}

/// The fake gateway; stops when dropped.
pub struct FakeGateway {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Drop for FakeGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeGateway {
    /// A Flink 1.20.3 gateway (REST API V1 to V3).
    pub async fn flink_1_20() -> FakeGateway {
        FakeGateway::start("1.20.3", &["V1", "V2", "V3"]).await
    }

    pub async fn start(flink_version: &str, api_versions: &[&str]) -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the fake gateway");
        let addr = listener.local_addr().expect("its address");
        let state = Arc::new(Mutex::new(State {
            flink_version: flink_version.to_string(),
            api_versions: api_versions.iter().map(|v| v.to_string()).collect(),
            ..State::default()
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve_connection(tcp, shared.clone()));
            }
        });
        FakeGateway { addr, state, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("fake gateway state")
    }

    /// Answers statements that fit `m` with `answer` (earlier rules win).
    pub fn on(&self, m: Match, answer: Answer) -> &Self {
        self.state().script.push((m, answer));
        self
    }

    /// Every statement received, in order (refused ones included, `accepted == false`).
    pub fn received(&self) -> Vec<Received> {
        self.state().received.clone()
    }

    /// The texts of the statements the sessions ran (accepted ones), in order.
    pub fn statements(&self) -> Vec<String> {
        self.state().received.iter().filter(|r| r.accepted).map(|r| r.sql.clone()).collect()
    }

    /// The texts of the statements session `session` (by opening order) ran.
    pub fn statements_of(&self, session: usize) -> Vec<String> {
        self.state().received.iter().filter(|r| r.accepted && r.session == session).map(|r| r.sql.clone()).collect()
    }

    /// The sessions, in the order they were opened.
    pub fn sessions(&self) -> Vec<SessionView> {
        self.state().sessions.iter().map(|s| s.view.clone()).collect()
    }

    /// Every HTTP request, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    /// The result tokens fetched for each execution of `sql`, in order of execution.
    pub fn fetched(&self, sql: &str) -> Vec<Vec<u64>> {
        let st = self.state();
        let mut ops: Vec<(&String, &Operation)> = st.operations.iter().filter(|(_, o)| o.sql == sql).collect();
        ops.sort_by(|a, b| a.0.cmp(b.0));
        ops.into_iter().map(|(_, o)| o.fetched.clone()).collect()
    }

    /// Whether every operation of `sql` was closed (or cancelled) by the client.
    pub fn all_closed(&self, sql: &str) -> bool {
        self.state().operations.values().filter(|o| o.sql == sql).all(|o| o.closed || o.cancelled)
    }

    /// The statements whose operations the client left open (neither closed nor cancelled).
    pub fn left_open(&self) -> Vec<String> {
        self.state().operations.values().filter(|o| !o.closed && !o.cancelled).map(|o| o.sql.clone()).collect()
    }

    /// A gateway restart: every session opened so far no longer exists.
    pub fn lose_all_sessions(&self) {
        for s in &mut self.state().sessions {
            s.view.lost = true;
        }
    }
}

/// One HTTP/1.1 connection: requests until the client closes it.
async fn serve_connection(tcp: TcpStream, state: Arc<Mutex<State>>) {
    let (read, mut write) = tcp.into_split();
    let mut read = BufReader::new(read);
    loop {
        let mut line = String::new();
        match read.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return };
        let (method, target) = (method.to_string(), target.to_string());
        let mut length = 0usize;
        let mut close = false;
        loop {
            let mut header = String::new();
            match read.read_line(&mut header).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    length = value.trim().parse().unwrap_or(0);
                } else if name == "connection" && value.trim().eq_ignore_ascii_case("close") {
                    close = true;
                }
            }
        }
        let mut body = vec![0u8; length];
        if read.read_exact(&mut body).await.is_err() {
            return;
        }
        let (status, reply) = {
            let mut st = state.lock().expect("fake gateway state");
            st.requests.push(Request { method: method.clone(), path: target.clone() });
            handle(&mut st, &method, &target, &body)
        };
        let text = reply.to_string();
        let reason = match status {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            _ => "Internal Server Error",
        };
        let head = format!("HTTP/1.1 {status} {reason}\r\ncontent-type: application/json; charset=UTF-8\r\ncontent-length: {}\r\n\r\n", text.len());
        if write.write_all(head.as_bytes()).await.is_err() || write.write_all(text.as_bytes()).await.is_err() {
            return;
        }
        if close {
            return;
        }
    }
}

/// A failure as the gateway reports one: HTTP 500 with the Java stack trace in `errors`.
fn failure(causes: &[(String, String)]) -> (u16, Value) {
    let mut trace = String::from("<Exception on server side:\n");
    for (i, (class, message)) in causes.iter().enumerate() {
        if i > 0 {
            trace.push_str("Caused by: ");
        }
        trace.push_str(&format!("{class}: {message}\n"));
        trace.push_str(&format!("\tat org.apache.flink.fake.Frame{i}.call(Frame{i}.java:{})\n", 10 + i));
        if i > 0 {
            trace.push_str("\t... 12 more\n");
        }
    }
    trace.push_str("\nEnd of exception on server side>");
    (500, json!({ "errors": ["Internal server error.", trace] }))
}

fn gateway_exception(message: &str) -> (String, String) {
    ("org.apache.flink.table.gateway.api.utils.SqlGatewayException".into(), message.to_string())
}

/// `Session '…' does not exist.` for a call of `what` (`executeStatement`, `fetchResults`, …).
fn no_session(handle: &str, what: &str) -> (u16, Value) {
    failure(&[
        gateway_exception(&format!("org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to {what}.")),
        gateway_exception(&format!("Failed to {what}.")),
        gateway_exception(&format!("Session '{handle}' does not exist.")),
    ])
}

fn not_found(path: &str) -> (u16, Value) {
    (404, json!({ "errors": [format!("Not found: {path}")] }))
}

/// The answer to one request.
fn handle(st: &mut State, method: &str, target: &str, body: &[u8]) -> (u16, Value) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // Flink serves every call unversioned (the default version) and as /v1 … /v3.
    let (version, rest): (&str, &[&str]) = match segments.first() {
        Some(v) if st.api_versions.iter().any(|a| a.eq_ignore_ascii_case(v)) => (*v, &segments[1..]),
        Some(v) if v.len() == 2 && v.starts_with('v') => return not_found(path),
        _ => ("v3", &segments[..]),
    };
    let json_body: Value = if body.is_empty() { json!({}) } else { serde_json::from_slice(body).unwrap_or(Value::Null) };
    match (method, rest) {
        ("GET", ["info"]) => (200, json!({ "productName": "Apache Flink", "version": st.flink_version })),
        ("GET", ["api_versions"]) => (200, json!({ "versions": st.api_versions })),
        ("POST", ["sessions"]) => {
            let handle = st.id();
            let properties: BTreeMap<String, String> = json_body
                .get("properties")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
                .unwrap_or_default();
            let name = json_body.get("sessionName").and_then(Value::as_str).map(str::to_string);
            st.sessions.push(Session {
                view: SessionView { handle: handle.clone(), name, opened_with: properties.clone(), config: properties, closed: false, lost: false },
            });
            (200, json!({ "sessionHandle": handle }))
        }
        (_, ["sessions", handle, more @ ..]) => {
            let handle = handle.to_string();
            let Some(index) = st.session_index(&handle).filter(|i| !st.sessions[*i].view.lost && !st.sessions[*i].view.closed) else {
                let what = match more {
                    ["statements"] => "executeStatement",
                    ["operations", _, "result", _] => "fetchResults",
                    ["heartbeat"] => "triggerSessionHeartbeat",
                    [] if method == "DELETE" => "closeSession",
                    _ => "getSession",
                };
                if method == "POST" && more == ["statements"] {
                    let sql = json_body.get("statement").and_then(Value::as_str).unwrap_or_default().to_string();
                    let session = st.session_index(&handle).unwrap_or(usize::MAX);
                    st.received.push(Received { session, sql, config: BTreeMap::new(), accepted: false, configure: false });
                }
                return no_session(&handle, what);
            };
            session_call(st, method, version, index, &handle, more, query, &json_body)
        }
        _ => not_found(path),
    }
}

#[allow(clippy::too_many_arguments)]
fn session_call(st: &mut State, method: &str, version: &str, index: usize, handle: &str, more: &[&str], query: &str, body: &Value) -> (u16, Value) {
    match (method, more) {
        ("GET", []) => (200, json!({ "properties": st.sessions[index].view.config })),
        ("DELETE", []) => {
            st.sessions[index].view.closed = true;
            (200, json!({ "status": "CLOSED" }))
        }
        ("POST", ["heartbeat"]) => (200, json!({})),
        ("POST", ["configure-session"]) => {
            let sql = body.get("statement").and_then(Value::as_str).unwrap_or_default().to_string();
            let config = st.sessions[index].view.config.clone();
            st.received.push(Received { session: index, sql: sql.clone(), config, accepted: true, configure: true });
            apply_set(st, index, &sql);
            match answer_for(st, &sql) {
                Answer::Error(causes) => failure(&with_positions(&causes, &sql)),
                _ => (200, json!({})),
            }
        }
        ("POST", ["statements"]) => {
            let Some(sql) = body.get("statement").and_then(Value::as_str).map(str::to_string) else {
                return (400, json!({ "errors": ["Field 'statement' is required"] }));
            };
            if body.get("executionTimeout").is_some_and(|t| t.as_i64() != Some(0)) {
                return failure(&[("java.lang.UnsupportedOperationException".into(), "SqlGatewayService doesn't support timeout mechanism now.".into())]);
            }
            let mut config = st.sessions[index].view.config.clone();
            if let Some(extra) = body.get("executionConfig").and_then(Value::as_object) {
                config.extend(extra.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())));
            }
            st.received.push(Received { session: index, sql: sql.clone(), config, accepted: true, configure: false });
            let answer = answer_for(st, &sql);
            if !matches!(answer, Answer::Error(_)) {
                apply_set(st, index, &sql);
            }
            let not_ready_left = match &answer {
                Answer::Rows(r) => r.not_ready,
                _ => 0,
            };
            let op = st.id();
            st.operations.insert(
                op.clone(),
                Operation { session: handle.to_string(), sql, answer, not_ready_left, fetched: Vec::new(), closed: false, cancelled: false },
            );
            (200, json!({ "operationHandle": op }))
        }
        (_, ["operations", op, rest @ ..]) => {
            let op_id = op.to_string();
            let Some(operation) = st.operations.get_mut(&op_id).filter(|o| o.session == handle && !o.closed) else {
                return failure(&[
                    gateway_exception("org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults."),
                    gateway_exception(&format!("Can not find the submitted operation in the OperationManager with the {op_id}.")),
                ]);
            };
            match (method, rest) {
                ("GET", ["status"]) => (200, json!({ "status": if operation.cancelled { "CANCELED" } else { "FINISHED" } })),
                ("POST", ["cancel"]) => {
                    operation.cancelled = true;
                    (200, json!({ "status": "CANCELED" }))
                }
                ("DELETE", ["close"]) => {
                    operation.closed = true;
                    (200, json!({ "status": "CLOSED" }))
                }
                ("GET", ["result", token]) => {
                    if !query.split('&').any(|p| p == "rowFormat=JSON") {
                        return (400, json!({ "errors": ["Bad request, could not parse parameters: Missing the mandatory query parameter 'rowFormat'."] }));
                    }
                    let Ok(token) = token.parse::<u64>() else { return (400, json!({ "errors": ["bad token"] })) };
                    if operation.cancelled {
                        return failure(&[
                            gateway_exception("org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults."),
                            gateway_exception(&format!("Can not fetch results from the {op_id} in CANCELED status.")),
                        ]);
                    }
                    operation.fetched.push(token);
                    result_page(version, handle, &op_id, operation, token)
                }
                _ => not_found(&format!("/{}", more.join("/"))),
            }
        }
        _ => not_found(&format!("/sessions/{handle}/{}", more.join("/"))),
    }
}

/// The scripted answer to `sql` (see the module's doc for the unscripted ones).
fn answer_for(st: &State, sql: &str) -> Answer {
    if let Some((_, a)) = st.script.iter().find(|(m, _)| m.fits(sql)) {
        return a.clone();
    }
    if parse_set(sql).is_some() {
        return Answer::Ok;
    }
    Answer::Error(vec![(
        "org.apache.flink.table.api.ValidationException".into(),
        format!("fake gateway: nothing scripted for statement [{}]", sql.trim()),
    )])
}

/// `SET 'k' = 'v'` → `(k, v)`.
fn parse_set(sql: &str) -> Option<(String, String)> {
    let s = sql.trim().trim_end_matches(';').trim();
    let head = s.get(..3)?;
    if !head.eq_ignore_ascii_case("SET") {
        return None;
    }
    let rest = s[3..].trim();
    let (k, v) = rest.split_once('=')?;
    let unquote = |t: &str| {
        let t = t.trim();
        (t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'')).then(|| t[1..t.len() - 1].replace("''", "'"))
    };
    Some((unquote(k)?, unquote(v)?))
}

fn apply_set(st: &mut State, index: usize, sql: &str) {
    if let Some((k, v)) = parse_set(sql) {
        st.sessions[index].view.config.insert(k, v);
    }
}

/// Replaces `{col:WORD}` / `{endcol:WORD}` with WORD's 1-based columns in `sql`.
fn with_positions(causes: &[(String, String)], sql: &str) -> Vec<(String, String)> {
    let place = |message: &str| {
        let mut out = message.to_string();
        for (tag, end) in [("{col:", false), ("{endcol:", true)] {
            while let Some(start) = out.find(tag) {
                let Some(close) = out[start..].find('}') else { break };
                let word = out[start + tag.len()..start + close].to_string();
                let column = match sql.find(&word) {
                    Some(at) => sql[..at].chars().count() + 1 + if end { word.chars().count() - 1 } else { 0 },
                    None => 0,
                };
                out.replace_range(start..=start + close, &column.to_string());
            }
        }
        out
    };
    causes.iter().map(|(class, message)| (class.clone(), place(message))).collect()
}

/// The page at `token` of an operation's result.
fn result_page(version: &str, session: &str, op: &str, operation: &mut Operation, token: u64) -> (u16, Value) {
    let uri = |t: u64| format!("/{version}/sessions/{session}/operations/{op}/result/{t}?rowFormat=JSON");
    let rows = match &operation.answer {
        Answer::Error(causes) => {
            let mut chain = vec![
                gateway_exception("org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults."),
                gateway_exception("Failed to fetchResults."),
                ("org.apache.flink.table.gateway.service.utils.SqlExecutionException".into(), format!("Failed to execute the operation {op}.")),
            ];
            chain.extend(with_positions(causes, &operation.sql));
            return failure(&chain);
        }
        Answer::Ok => Rows {
            columns: vec![column("result", string())],
            pages: vec![vec![insert(vec![json!("OK")])]],
            is_query: false,
            not_ready: 0,
        },
        Answer::Rows(r) => r.clone(),
    };
    if token == 0 && operation.not_ready_left > 0 {
        operation.not_ready_left -= 1;
        return (200, json!({ "resultType": "NOT_READY", "nextResultUri": uri(0) }));
    }
    let kind = if matches!(operation.answer, Answer::Ok) { "SUCCESS" } else { "SUCCESS_WITH_CONTENT" };
    let mut page = json!({
        "isQueryResult": rows.is_query,
        "resultKind": kind,
    });
    if rows.is_query {
        page["jobID"] = json!(format!("{:032x}", 0xfa4e_u64 + token));
    }
    let at = usize::try_from(token).unwrap_or(usize::MAX);
    match rows.pages.get(at) {
        Some(data) => {
            page["resultType"] = json!("PAYLOAD");
            page["results"] = json!({ "columns": rows.columns, "rowFormat": "JSON", "data": data });
            page["nextResultUri"] = json!(uri(token + 1));
        }
        None if at == rows.pages.len() => {
            page["resultType"] = json!("EOS");
            page["results"] = json!({ "columns": rows.columns, "rowFormat": "JSON", "data": [] });
        }
        None => {
            return failure(&[
                gateway_exception("org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults."),
                ("org.apache.flink.table.gateway.service.utils.SqlExecutionException".into(), format!("Expecting token to be {}, but found {token}.", rows.pages.len())),
            ]);
        }
    }
    (200, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_counted_in_the_received_text() {
        let causes = vec![("x.E".to_string(), "near 'FROM' at line 1, column {col:FROM} to {endcol:FROM}".to_string())];
        assert_eq!(with_positions(&causes, "SELECT FROM x")[0].1, "near 'FROM' at line 1, column 8 to 11");
        assert_eq!(with_positions(&causes, "EXPLAIN CHANGELOG_MODE SELECT FROM x")[0].1, "near 'FROM' at line 1, column 31 to 34");
    }

    #[test]
    fn set_statements_are_read() {
        assert_eq!(parse_set("SET 'execution.runtime-mode' = 'batch'"), Some(("execution.runtime-mode".into(), "batch".into())));
        assert_eq!(parse_set("set 'a'='it''s';"), Some(("a".into(), "it's".into())));
        assert_eq!(parse_set("SELECT 1"), None);
        assert_eq!(parse_set("SET"), None);
    }
}
