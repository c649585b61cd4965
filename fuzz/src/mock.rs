//! The server behind the protocol layer while fuzzing: accounts, limits and a session whose every
//! answer is bounded and cheap, so that what is exercised (and what can fail) is the protocol
//! layer — packet reading, the connection phase, each COM_* handler, result writing in the text
//! and binary formats, character sets — never the mock.
//!
//! Statements (COM_QUERY; also prepared):
//! * `SELECT 1` → one Int64 row;
//! * `ROWS n` → n (at most 64) rows of (id Int64, name Utf8 NULL every third row) in batches of
//!   5; `ROWS n FAIL` → the same, then an error mid-stream;
//! * `TYPES` → one row of many Arrow types (text and binary encodings of each);
//! * `OK` → OK with affected rows, last insert id and an info text;
//! * `SET NAMES <cs>` → the connection speaks `cs` (1115 for one the protocol lacks);
//! * `ERR` → 1146; anything else → 1064.
//!
//! A prepared statement has one parameter per `?`; executing it echoes the bound values as a row
//! (so every parameter type goes through the binary result encoder too).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use arrow_array::builder::{BinaryBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array, Int8Array, Int64Array,
    NullArray, RecordBatch, StringArray, Time64MicrosecondArray, TimestampMicrosecondArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use futures::StreamExt;
use futures::stream;
use weir::protocol::{
    Account, Charsets, ConnectionInfo, Hooks, MySqlError, OkResponse, ParamValue, Prepared, Response, Rows, Session,
    SessionStatus, StoredPassword, charset, codes,
};

/// `max_allowed_packet` of the fuzzed server: small, so inputs can reach the limit.
pub const MAX_ALLOWED_PACKET: usize = 4 << 20;

/// Rows a statement may ask for.
const MAX_ROWS: usize = 64;

pub struct FuzzHooks {
    root: Account,
    sha2_only: Account,
    hashed: Account,
}

impl Default for FuzzHooks {
    fn default() -> Self {
        Self {
            root: Account { password: StoredPassword::Empty, plugin: None, require_tls: false },
            // A passwordless account that must use caching_sha2_password: a client that offers
            // mysql_native_password is switched (an AuthSwitchRequest and one more packet).
            sha2_only: Account { password: StoredPassword::Empty, plugin: Some("caching_sha2_password".into()), require_tls: false },
            hashed: Account { password: StoredPassword::from_cleartext("secret"), plugin: None, require_tls: false },
        }
    }
}

#[async_trait::async_trait]
impl Hooks for FuzzHooks {
    type Session = FuzzSession;

    fn server_version(&self) -> String {
        "8.0.40-weir-fuzz".into()
    }

    fn default_auth_plugin(&self) -> &str {
        "caching_sha2_password"
    }

    fn tls_config(&self) -> Option<Arc<rustls::ServerConfig>> {
        None
    }

    fn require_secure_transport(&self) -> bool {
        false
    }

    fn connect_timeout(&self) -> Duration {
        Duration::from_secs(10)
    }

    fn max_allowed_packet(&self) -> usize {
        MAX_ALLOWED_PACKET
    }

    async fn account(&self, user: &str, _peer: &SocketAddr) -> Option<Account> {
        match user {
            "root" => Some(self.root.clone()),
            "sha2" => Some(self.sha2_only.clone()),
            "alice" => Some(self.hashed.clone()),
            _ => None,
        }
    }

    async fn open_session(&self, info: ConnectionInfo) -> Result<FuzzSession, MySqlError> {
        if info.database.as_deref() == Some("missing") {
            return Err(MySqlError::new(codes::ER_BAD_DB_ERROR, "Unknown database 'missing'"));
        }
        Ok(FuzzSession { charsets: Charsets { client: info.charset, results: Some(info.charset) }, prepared: Vec::new(), warnings: 0 })
    }
}

pub struct FuzzSession {
    charsets: Charsets,
    /// (id, text) of the open prepared statements.
    prepared: Vec<(u32, String)>,
    warnings: u16,
}

#[async_trait::async_trait]
impl Session for FuzzSession {
    fn split(&mut self, sql: &str) -> Result<Vec<String>, MySqlError> {
        Ok(sql.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
    }

    async fn query(&mut self, sql: &str) -> Response {
        self.answer(sql)
    }

    async fn prepare(&mut self, id: u32, sql: &str) -> Result<Prepared, MySqlError> {
        if sql == "ERR" {
            return Err(no_such_table());
        }
        let params = u16::try_from(sql.matches('?').count()).unwrap_or(u16::MAX);
        let columns = if params > 0 { None } else { schema_of(sql) };
        self.prepared.retain(|(i, _)| *i != id);
        self.prepared.push((id, sql.to_string()));
        Ok(Prepared { params, columns })
    }

    async fn execute(&mut self, id: u32, params: Vec<ParamValue>) -> Response {
        let Some((_, sql)) = self.prepared.iter().find(|(i, _)| *i == id) else {
            return MySqlError::new(codes::ER_UNKNOWN_STMT_HANDLER, format!("Unknown prepared statement handler ({id})")).into();
        };
        if params.is_empty() {
            let sql = sql.clone();
            return self.answer(&sql);
        }
        echo(&params)
    }

    async fn close_statement(&mut self, id: u32) {
        self.prepared.retain(|(i, _)| *i != id);
    }

    async fn init_db(&mut self, database: &str) -> Result<(), MySqlError> {
        if database == "missing" {
            return Err(MySqlError::new(codes::ER_BAD_DB_ERROR, "Unknown database 'missing'"));
        }
        Ok(())
    }

    fn charsets(&self) -> Charsets {
        self.charsets
    }

    async fn field_list(&mut self, table: &str) -> Result<SchemaRef, MySqlError> {
        if table == "nope" {
            return Err(no_such_table());
        }
        Ok(rows_schema())
    }

    async fn reset(&mut self) -> Result<(), MySqlError> {
        self.prepared.clear();
        self.warnings = 0;
        Ok(())
    }

    fn statistics(&self) -> String {
        "Uptime: 1  Threads: 1  Questions: 0  Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: 0.000".into()
    }

    fn status(&self) -> SessionStatus {
        SessionStatus { autocommit: true, in_transaction: false, warnings: self.warnings }
    }

    async fn close(&mut self) {}
}

impl FuzzSession {
    fn answer(&mut self, sql: &str) -> Response {
        if let Some(name) = sql.strip_prefix("SET NAMES ") {
            return match charset::by_name(name.trim()) {
                Some(cs) => {
                    self.charsets = Charsets { client: cs, results: Some(cs) };
                    Response::Ok(OkResponse::default())
                }
                None => charset::unknown_charset(name).into(),
            };
        }
        match sql {
            "SELECT 1" => one_row(select_one_schema(), vec![Arc::new(Int64Array::from(vec![1]))]),
            "TYPES" => types_row(),
            "OK" => {
                self.warnings = 1;
                Response::Ok(OkResponse { affected_rows: 3, last_insert_id: 42, info: "Records: 3  Duplicates: 0  Warnings: 1".into() })
            }
            "ERR" => no_such_table().into(),
            s if s.starts_with("ROWS ") || s.starts_with("KILL ") => match s.strip_prefix("ROWS ") {
                Some(rest) => numbered_rows(rest),
                None => Response::Ok(OkResponse::default()),
            },
            s => MySqlError::new(codes::ER_PARSE_ERROR, format!("You have an error in your SQL syntax near '{}'", short(s))).into(),
        }
    }
}

fn short(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn no_such_table() -> MySqlError {
    MySqlError::new(codes::ER_NO_SUCH_TABLE, "Table 'fuzz.nope' doesn't exist")
}

fn select_one_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("1", DataType::Int64, false)]))
}

fn rows_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false), Field::new("name", DataType::Utf8, true)]))
}

fn types_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("i8", DataType::Int8, false),
        Field::new("u64", DataType::UInt64, false),
        Field::new("f32", DataType::Float32, false),
        Field::new("f64", DataType::Float64, false),
        Field::new("dec", DataType::Decimal128(10, 2), false),
        Field::new("flag", DataType::Boolean, false),
        Field::new("day", DataType::Date32, false),
        Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, None), false),
        Field::new("t", DataType::Time64(TimeUnit::Microsecond), false),
        Field::new("txt", DataType::Utf8, false),
        Field::new("bin", DataType::Binary, false),
        Field::new("nothing", DataType::Null, true),
    ]))
}

/// The columns of what a prepared statement without parameters answers, when known.
fn schema_of(sql: &str) -> Option<SchemaRef> {
    match sql {
        "SELECT 1" => Some(select_one_schema()),
        "TYPES" => Some(types_schema()),
        s if s.starts_with("ROWS ") => Some(rows_schema()),
        _ => None,
    }
}

fn one_row(schema: SchemaRef, columns: Vec<ArrayRef>) -> Response {
    match RecordBatch::try_new(schema.clone(), columns) {
        Ok(batch) => Response::Rows(Rows { schema, batches: stream::iter([Ok(batch)]).boxed() }),
        Err(e) => MySqlError::new(codes::ER_UNKNOWN_ERROR, e.to_string()).into(),
    }
}

fn types_row() -> Response {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int8Array::from(vec![-8])),
        Arc::new(UInt64Array::from(vec![u64::MAX])),
        Arc::new(Float32Array::from(vec![0.5])),
        Arc::new(Float64Array::from(vec![2.5])),
        Arc::new(Decimal128Array::from(vec![-1999]).with_precision_and_scale(10, 2).unwrap_or_else(|_| Decimal128Array::from(vec![0]))),
        Arc::new(BooleanArray::from(vec![true])),
        Arc::new(Date32Array::from(vec![19_782])),
        Arc::new(TimestampMicrosecondArray::from(vec![1_700_000_000_123_456])),
        Arc::new(Time64MicrosecondArray::from(vec![3_723_000_123])),
        Arc::new(StringArray::from(vec!["héllo €"])),
        Arc::new(BinaryArray::from(vec![&[0u8, 0xFB, 0xFF][..]])),
        Arc::new(NullArray::new(1)),
    ];
    one_row(types_schema(), columns)
}

/// `ROWS n [FAIL]`.
fn numbered_rows(rest: &str) -> Response {
    let mut words = rest.split_whitespace();
    let n = words.next().and_then(|w| w.parse::<usize>().ok()).unwrap_or(0).min(MAX_ROWS);
    let fail = words.next() == Some("FAIL");
    let schema = rows_schema();
    let mut batches = Vec::new();
    for start in (0..n).step_by(5) {
        let ids: Vec<i64> = (start + 1..=(start + 5).min(n)).map(|i| i as i64).collect();
        let names: StringArray = ids.iter().map(|&i| (i % 3 != 0).then(|| format!("name-{i}"))).collect();
        match RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(ids)), Arc::new(names)]) {
            Ok(b) => batches.push(Ok(b)),
            Err(e) => batches.push(Err(MySqlError::new(codes::ER_UNKNOWN_ERROR, e.to_string()))),
        }
    }
    if fail {
        batches.push(Err(MySqlError::new(codes::ER_QUERY_TIMEOUT, "Query execution was interrupted")));
    }
    Response::Rows(Rows { schema, batches: stream::iter(batches).boxed() })
}

/// One column per bound parameter, each the Arrow value of what the client sent.
fn echo(params: &[ParamValue]) -> Response {
    let mut fields = Vec::with_capacity(params.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(params.len());
    for (i, p) in params.iter().enumerate() {
        let (dt, col): (DataType, ArrayRef) = match p {
            ParamValue::Null | ParamValue::TypedNull(_) => (DataType::Null, Arc::new(NullArray::new(1))),
            ParamValue::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(vec![*v]))),
            ParamValue::UInt(v) => (DataType::UInt64, Arc::new(UInt64Array::from(vec![*v]))),
            ParamValue::Float(v) => (DataType::Float32, Arc::new(Float32Array::from(vec![*v]))),
            ParamValue::Double(v) => (DataType::Float64, Arc::new(Float64Array::from(vec![*v]))),
            ParamValue::Text(b) => {
                let mut sb = StringBuilder::new();
                sb.append_value(String::from_utf8_lossy(b));
                (DataType::Utf8, Arc::new(sb.finish()))
            }
            ParamValue::Binary(b) => {
                let mut bb = BinaryBuilder::new();
                bb.append_value(b);
                (DataType::Binary, Arc::new(bb.finish()))
            }
            ParamValue::Decimal(s) => (DataType::Utf8, Arc::new(StringArray::from(vec![s.clone()]))),
            ParamValue::Date { year, month, day } => {
                let days = i32::try_from(days_from_civil(*year, *month, *day)).unwrap_or(i32::MAX);
                (DataType::Date32, Arc::new(Date32Array::from(vec![days])))
            }
            ParamValue::DateTime { year, month, day, hour, minute, second, micros } => {
                let secs = days_from_civil(*year, *month, *day) * 86_400
                    + i64::from(*hour) * 3600
                    + i64::from(*minute) * 60
                    + i64::from(*second);
                let ts = secs.saturating_mul(1_000_000).saturating_add(i64::from(*micros));
                (DataType::Timestamp(TimeUnit::Microsecond, None), Arc::new(TimestampMicrosecondArray::from(vec![ts])))
            }
            ParamValue::Time { negative, days, hour, minute, second, micros } => {
                let secs = i64::from(*days) * 86_400 + i64::from(*hour) * 3600 + i64::from(*minute) * 60 + i64::from(*second);
                let v = secs.saturating_mul(1_000_000).saturating_add(i64::from(*micros));
                (DataType::Time64(TimeUnit::Microsecond), Arc::new(Time64MicrosecondArray::from(vec![if *negative { -v } else { v }])))
            }
        };
        fields.push(Field::new(format!("p{i}"), dt, true));
        columns.push(col);
    }
    one_row(Arc::new(Schema::new(fields)), columns)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), for any field values.
fn days_from_civil(year: u16, month: u8, day: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
