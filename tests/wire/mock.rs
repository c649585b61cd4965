//! A scripted server behind Weir's protocol layer: `MockHooks` (accounts, limits, TLS) and
//! `MockSession`, which answers statements from a small table and writes down every call the
//! protocol layer makes into a shared [`Journal`], so a story can check what reached the session.
//!
//! The statement table (COM_QUERY; also COM_STMT_PREPARE/EXECUTE where noted):
//! * `SELECT 1` → one Int64 row (prepared: columns known at prepare time);
//! * `SELECT rows N` → N rows of (id Int64 NOT NULL, name Utf8 NULL every third row) in batches
//!   of [`BATCH_ROWS`], with a scheduler yield between batches (prepared too);
//! * `SELECT rows N then FAIL` → the same batches, then an error mid-stream (3024);
//! * `SELECT types`, `SELECT more types` → one row of many Arrow types (prepared too);
//! * `SELECT decimal256` → 19.99 and -0.05 as Decimal256 (prepared too);
//! * `SELECT DATABASE()` / `SELECT USER()` → the session's database / user;
//! * `SELECT @@a,@@b,...` → max_allowed_packet, wait_timeout, version_comment (NULL otherwise);
//! * `FAIL` → 1146 (42S02); `FAIL RANGE` → 1690 (22003) with a non-ASCII message;
//! * `OK` → an OK with affected rows 3, last insert id 42 and an info string (prepared too);
//! * `ECHO <text>` → one row (length Int64, text Utf8);
//! * `SET NAMES <cs>` → OK, the connection now speaks `cs`; 1115 for a set the protocol lacks;
//! * `ECHO ?, ?, ...` prepared → one row echoing every bound parameter as an Arrow value;
//! * `HANG` → a result set whose rows never come;
//! * `IDLE <ms>` → OK; the connection's idle timeout (wait_timeout) is now `ms` milliseconds;
//! * anything else → 1064 (42000).

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arrow_array::builder::{BinaryBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int8Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use futures::StreamExt;
use futures::stream::{self, BoxStream};
use weir::protocol::{
    Account, Charsets, ConnectionInfo, Hooks, MySqlError, OkResponse, ParamValue, Prepared, Response, Rows, Session,
    SessionStatus, StoredPassword, codes,
};

/// Rows per Arrow batch of `SELECT rows N`.
pub const BATCH_ROWS: usize = 7;

/// What the protocol layer asked of the mock, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Open { conn: u32, user: String, database: Option<String>, tls: bool, attributes: BTreeMap<String, String> },
    /// A statement (long ones are cut to their first 64 bytes, with their full length).
    Query { conn: u32, sql: String, len: usize },
    Prepare { conn: u32, stmt: u32, sql: String },
    Execute { conn: u32, stmt: u32, params: Vec<ParamValue> },
    CloseStatement { conn: u32, stmt: u32 },
    InitDb { conn: u32, database: String },
    FieldList { conn: u32, table: String },
    Reset { conn: u32 },
    Close { conn: u32 },
}

impl Event {
    pub fn conn(&self) -> u32 {
        match self {
            Event::Open { conn, .. }
            | Event::Query { conn, .. }
            | Event::Prepare { conn, .. }
            | Event::Execute { conn, .. }
            | Event::CloseStatement { conn, .. }
            | Event::InitDb { conn, .. }
            | Event::FieldList { conn, .. }
            | Event::Reset { conn }
            | Event::Close { conn } => *conn,
        }
    }
}

#[derive(Default, Clone)]
pub struct Journal(Arc<Mutex<Vec<Event>>>);

impl Journal {
    pub fn push(&self, e: Event) {
        self.0.lock().unwrap().push(e);
    }

    pub fn all(&self) -> Vec<Event> {
        self.0.lock().unwrap().clone()
    }

    /// The events of one connection.
    pub fn of(&self, conn: u32) -> Vec<Event> {
        self.all().into_iter().filter(|e| e.conn() == conn).collect()
    }

    /// The statements one connection ran, without the settings mysql_async reads on connect.
    pub fn queries_of(&self, conn: u32) -> Vec<String> {
        self.of(conn)
            .into_iter()
            .filter_map(|e| match e {
                Event::Query { sql, .. } if !sql.starts_with("SELECT @@") => Some(sql),
                _ => None,
            })
            .collect()
    }
}

/// How a test server behaves.
#[derive(Clone)]
pub struct MockConfig {
    pub default_auth_plugin: &'static str,
    pub max_allowed_packet: usize,
    pub tls: Option<Arc<rustls::ServerConfig>>,
    pub require_secure_transport: bool,
    pub connect_timeout: Duration,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            default_auth_plugin: "caching_sha2_password",
            max_allowed_packet: 64 << 20,
            tls: None,
            require_secure_transport: false,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// The accounts every mock server knows: (user, password, plugin the account requires).
pub const ACCOUNTS: &[(&str, &str, Option<&str>)] = &[
    ("root", "", None),
    ("alice", "alice-secret", None),
    ("nate", "nate-native-pw", Some("mysql_native_password")),
    ("shay", "shay-sha2-pw", Some("caching_sha2_password")),
];

pub struct MockHooks {
    pub config: MockConfig,
    pub journal: Journal,
    accounts: HashMap<String, Account>,
    refused: Mutex<Vec<Option<u16>>>,
}

impl MockHooks {
    pub fn new(config: MockConfig) -> Self {
        let accounts = ACCOUNTS
            .iter()
            .map(|(user, pw, plugin)| {
                let account = Account { password: StoredPassword::from_cleartext(pw), plugin: plugin.map(str::to_string), require_tls: false };
                (user.to_string(), account)
            })
            .collect();
        Self { config, journal: Journal::default(), accounts, refused: Mutex::default() }
    }
}

impl MockHooks {
    /// The refusals counted so far (`connection_refused`), by error code.
    pub fn refusals(&self) -> Vec<Option<u16>> {
        self.refused.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl Hooks for MockHooks {
    type Session = MockSession;

    fn connection_refused(&self, code: Option<u16>) {
        self.refused.lock().unwrap().push(code);
    }

    fn server_version(&self) -> String {
        "8.0.40-weir-mock".to_string()
    }

    fn default_auth_plugin(&self) -> &str {
        self.config.default_auth_plugin
    }

    fn tls_config(&self) -> Option<Arc<rustls::ServerConfig>> {
        self.config.tls.clone()
    }

    fn require_secure_transport(&self) -> bool {
        self.config.require_secure_transport
    }

    fn connect_timeout(&self) -> Duration {
        self.config.connect_timeout
    }

    fn max_allowed_packet(&self) -> usize {
        self.config.max_allowed_packet
    }

    async fn account(&self, user: &str, _peer: &SocketAddr) -> Option<Account> {
        self.accounts.get(user).cloned()
    }

    async fn open_session(&self, info: ConnectionInfo) -> Result<MockSession, MySqlError> {
        if info.database.as_deref() == Some("missing") {
            return Err(MySqlError::new(codes::ER_BAD_DB_ERROR, "Unknown database 'missing'"));
        }
        self.journal.push(Event::Open {
            conn: info.connection_id,
            user: info.user.clone(),
            database: info.database.clone(),
            tls: info.tls,
            attributes: info.attributes.clone(),
        });
        Ok(MockSession {
            charsets: Charsets { client: info.charset, results: Some(info.charset) },
            database: info.database.clone(),
            info,
            journal: self.journal.clone(),
            max_allowed_packet: self.config.max_allowed_packet,
            prepared: HashMap::new(),
            questions: 0,
            idle: None,
        })
    }
}

pub struct MockSession {
    charsets: Charsets,
    info: ConnectionInfo,
    journal: Journal,
    max_allowed_packet: usize,
    database: Option<String>,
    prepared: HashMap<u32, String>,
    questions: u64,
    idle: Option<Duration>,
}

fn error(code: u16, state: &[u8; 5], message: &str) -> MySqlError {
    MySqlError { code, state: *state, message: message.to_string() }
}

pub fn syntax_error(sql: &str) -> MySqlError {
    let near: String = sql.chars().take(40).collect();
    MySqlError::new(
        codes::ER_PARSE_ERROR,
        format!("You have an error in your SQL syntax; check the manual near '{near}' at line 1"),
    )
}

fn one_row(schema: SchemaRef, columns: Vec<ArrayRef>) -> Rows {
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    Rows { schema, batches: stream::iter([Ok(batch)]).boxed() }
}

fn select_one_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("1", DataType::Int64, false)]))
}

fn select_one() -> Rows {
    one_row(select_one_schema(), vec![Arc::new(Int64Array::from(vec![1]))])
}

fn rows_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false), Field::new("name", DataType::Utf8, true)]))
}

/// The name of row `id` of `SELECT rows N`: NULL every third row.
pub fn row_name(id: i64) -> Option<String> {
    (id % 3 != 0).then(|| format!("name-{id}"))
}

/// `SELECT rows N`: batches of [`BATCH_ROWS`], yielding to the scheduler between them, optionally
/// failing after the last one.
fn numbered_rows(n: usize, then_fail: bool) -> Rows {
    let schema = rows_schema();
    let s = schema.clone();
    let starts: Vec<usize> = (0..n).step_by(BATCH_ROWS).collect();
    let batches = stream::iter(starts).then(move |start| {
        let schema = s.clone();
        async move {
            tokio::task::yield_now().await;
            let ids: Vec<i64> = (start + 1..=(start + BATCH_ROWS).min(n)).map(|i| i as i64).collect();
            let names: StringArray = ids.iter().map(|&i| row_name(i)).collect();
            Ok(RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(ids)), Arc::new(names)]).unwrap())
        }
    });
    let tail: BoxStream<'static, Result<RecordBatch, MySqlError>> = if then_fail {
        stream::iter([Err(MySqlError::new(
            codes::ER_QUERY_TIMEOUT,
            "Query execution was interrupted, maximum statement execution time exceeded",
        ))])
        .boxed()
    } else {
        stream::empty().boxed()
    };
    Rows { schema, batches: batches.chain(tail).boxed() }
}

fn types_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("i8", DataType::Int8, false),
        Field::new("u64", DataType::UInt64, false),
        Field::new("f64", DataType::Float64, false),
        Field::new("dec", DataType::Decimal128(10, 2), false),
        Field::new("flag", DataType::Boolean, false),
        Field::new("day", DataType::Date32, false),
        Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, None), false),
        Field::new("txt", DataType::Utf8, false),
        Field::new("nothing", DataType::Utf8, true),
    ]))
}

/// `SELECT types`: -8, 18446744073709551615, 2.5, 19.99, true, 2024-02-29,
/// 2023-11-14 22:13:20.123456, 'héllo', NULL.
fn types_row() -> Rows {
    one_row(
        types_schema(),
        vec![
            Arc::new(Int8Array::from(vec![-8])),
            Arc::new(UInt64Array::from(vec![u64::MAX])),
            Arc::new(Float64Array::from(vec![2.5])),
            Arc::new(Decimal128Array::from(vec![1999]).with_precision_and_scale(10, 2).unwrap()),
            Arc::new(BooleanArray::from(vec![true])),
            Arc::new(Date32Array::from(vec![19_782])),
            Arc::new(TimestampMicrosecondArray::from(vec![1_700_000_000_123_456])),
            Arc::new(StringArray::from(vec!["héllo"])),
            Arc::new(StringArray::from(vec![None::<&str>])),
        ],
    )
}

/// `SELECT more types`: one row of the less common Arrow types (see the story for the values).
fn more_types_row() -> Rows {
    use arrow_array::{
        BinaryArray, Date64Array, Float32Array, Int16Array, Int32Array, IntervalYearMonthArray, LargeStringArray,
        NullArray, StringViewArray, Time32SecondArray, Time64MicrosecondArray, TimestampMillisecondArray, UInt8Array, UInt32Array,
    };
    let fields = vec![
        Field::new("i16", DataType::Int16, false),
        Field::new("i32", DataType::Int32, false),
        Field::new("u8", DataType::UInt8, false),
        Field::new("u32", DataType::UInt32, false),
        Field::new("f32", DataType::Float32, false),
        Field::new("dec0", DataType::Decimal128(5, 0), false),
        Field::new("dec10", DataType::Decimal128(38, 10), false),
        Field::new("day64", DataType::Date64, false),
        Field::new("t_us", DataType::Time64(TimeUnit::Microsecond), false),
        Field::new("t_s", DataType::Time32(TimeUnit::Second), false),
        Field::new("ts_tz", DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), false),
        Field::new("large", DataType::LargeUtf8, false),
        Field::new("view", DataType::Utf8View, false),
        Field::new("bin", DataType::Binary, false),
        Field::new("ym", DataType::Interval(arrow_schema::IntervalUnit::YearMonth), false),
        Field::new("null", DataType::Null, true),
    ];
    one_row(
        Arc::new(Schema::new(fields)),
        vec![
            Arc::new(Int16Array::from(vec![-300])),
            Arc::new(Int32Array::from(vec![-70_000])),
            Arc::new(UInt8Array::from(vec![200])),
            Arc::new(UInt32Array::from(vec![4_000_000_000])),
            Arc::new(Float32Array::from(vec![0.5])),
            Arc::new(Decimal128Array::from(vec![12_345]).with_precision_and_scale(5, 0).unwrap()),
            Arc::new(Decimal128Array::from(vec![-1]).with_precision_and_scale(38, 10).unwrap()),
            Arc::new(Date64Array::from(vec![946_684_800_000])),
            Arc::new(Time64MicrosecondArray::from(vec![3_723_000_123])),
            Arc::new(Time32SecondArray::from(vec![90_000])),
            Arc::new(TimestampMillisecondArray::from(vec![1_700_000_000_123]).with_timezone("UTC")),
            Arc::new(LargeStringArray::from(vec!["large"])),
            Arc::new(StringViewArray::from(vec!["view"])),
            Arc::new(BinaryArray::from(vec![&[0u8, 1, 2, 255][..]])),
            Arc::new(IntervalYearMonthArray::from(vec![14])),
            Arc::new(NullArray::new(1)),
        ],
    )
}

/// `SELECT decimal256`: 19.99 and -0.05 as Decimal256(40, 2).
fn decimal256_rows() -> Rows {
    use arrow_array::Decimal256Array;
    use arrow_buffer::i256;
    let schema = Arc::new(Schema::new(vec![Field::new("d", DataType::Decimal256(40, 2), false)]));
    let values = Decimal256Array::from(vec![i256::from_i128(1999), i256::from_i128(-5)]).with_precision_and_scale(40, 2).unwrap();
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(values)]).unwrap();
    Rows { schema, batches: stream::iter([Ok(batch)]).boxed() }
}

fn text_value(name: &str, value: Option<String>) -> Rows {
    let schema = Arc::new(Schema::new(vec![Field::new(name, DataType::Utf8, true)]));
    one_row(schema, vec![Arc::new(StringArray::from(vec![value]))])
}

/// One column per bound parameter, each the Arrow value of what the client sent.
fn echo_params(params: &[ParamValue]) -> Rows {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let name = format!("p{i}");
        let (dt, col): (DataType, ArrayRef) = match p {
            ParamValue::Null | ParamValue::TypedNull(_) => (DataType::Utf8, Arc::new(StringArray::from(vec![None::<&str>]))),
            ParamValue::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(vec![*v]))),
            ParamValue::UInt(v) => (DataType::UInt64, Arc::new(UInt64Array::from(vec![*v]))),
            ParamValue::Double(v) => (DataType::Float64, Arc::new(Float64Array::from(vec![*v]))),
            ParamValue::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(vec![f64::from(*v)]))),
            ParamValue::Text(b) => {
                let mut sb = StringBuilder::new();
                sb.append_value(String::from_utf8(b.clone()).unwrap());
                (DataType::Utf8, Arc::new(sb.finish()))
            }
            ParamValue::Binary(b) => {
                let mut bb = BinaryBuilder::new();
                bb.append_value(b);
                (DataType::Binary, Arc::new(bb.finish()))
            }
            ParamValue::Decimal(s) => (DataType::Utf8, Arc::new(StringArray::from(vec![s.clone()]))),
            ParamValue::Date { year, month, day } => {
                let d = chrono_days(*year, *month, *day);
                (DataType::Date32, Arc::new(Date32Array::from(vec![d])))
            }
            ParamValue::DateTime { year, month, day, hour, minute, second, micros } => {
                let days = i64::from(chrono_days(*year, *month, *day));
                let secs = days * 86_400 + i64::from(*hour) * 3600 + i64::from(*minute) * 60 + i64::from(*second);
                let ts = secs * 1_000_000 + i64::from(*micros);
                (DataType::Timestamp(TimeUnit::Microsecond, None), Arc::new(TimestampMicrosecondArray::from(vec![ts])))
            }
            ParamValue::Time { .. } => (DataType::Utf8, Arc::new(StringArray::from(vec![format!("{p:?}")]))),
        };
        fields.push(Field::new(name, dt, true));
        columns.push(col);
    }
    one_row(Arc::new(Schema::new(fields)), columns)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn chrono_days(year: u16, month: u8, day: u8) -> i32 {
    // Howard Hinnant's days_from_civil.
    let (y, m, d) = (i64::from(year) - i64::from(month <= 2), i64::from(month), i64::from(day));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

fn short(sql: &str) -> String {
    if sql.len() <= 64 {
        return sql.to_string();
    }
    let mut end = 64;
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    sql[..end].to_string()
}

impl MockSession {
    fn conn(&self) -> u32 {
        self.info.connection_id
    }

    fn settings(&self, sql: &str) -> Rows {
        let list = sql["SELECT ".len()..].split(" limit ").next().unwrap_or_default();
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for var in list.split(',').map(str::trim) {
            let col: ArrayRef = match var.to_ascii_lowercase().as_str() {
                "@@max_allowed_packet" => Arc::new(Int64Array::from(vec![self.max_allowed_packet as i64])),
                "@@wait_timeout" => Arc::new(Int64Array::from(vec![28_800])),
                "@@version_comment" => Arc::new(StringArray::from(vec!["Weir wire-test mock"])),
                _ => Arc::new(StringArray::from(vec![None::<&str>])),
            };
            fields.push(Field::new(var, col.data_type().clone(), true));
            columns.push(col);
        }
        one_row(Arc::new(Schema::new(fields)), columns)
    }

    fn answer(&mut self, sql: &str) -> Response {
        if let Some(n) = sql.strip_prefix("SELECT rows ") {
            let (n, fail) = match n.strip_suffix(" then FAIL") {
                Some(n) => (n, true),
                None => (n, false),
            };
            return match n.parse() {
                Ok(n) => Response::Rows(numbered_rows(n, fail)),
                Err(_) => syntax_error(sql).into(),
            };
        }
        if let Some(ms) = sql.strip_prefix("IDLE ") {
            return match ms.parse() {
                Ok(ms) => {
                    self.idle = Some(Duration::from_millis(ms));
                    Response::Ok(OkResponse::default())
                }
                Err(_) => syntax_error(sql).into(),
            };
        }
        if let Some(name) = sql.strip_prefix("SET NAMES ") {
            return match weir::protocol::charset::by_name(name) {
                Some(cs) => {
                    self.charsets = Charsets { client: cs, results: Some(cs) };
                    Response::Ok(OkResponse::default())
                }
                None => weir::protocol::charset::unknown_charset(name).into(),
            };
        }
        if let Some(text) = sql.strip_prefix("ECHO ") {
            let schema =
                Arc::new(Schema::new(vec![Field::new("len", DataType::Int64, false), Field::new("text", DataType::Utf8, false)]));
            return Response::Rows(one_row(
                schema,
                vec![Arc::new(Int64Array::from(vec![text.len() as i64])), Arc::new(StringArray::from(vec![text]))],
            ));
        }
        if sql.len() > 9 && sql[..9].eq_ignore_ascii_case("SELECT @@") {
            return Response::Rows(self.settings(sql));
        }
        match sql {
            "SELECT 1" => Response::Rows(select_one()),
            "SELECT types" => Response::Rows(types_row()),
            "SELECT more types" => Response::Rows(more_types_row()),
            "SELECT decimal256" => Response::Rows(decimal256_rows()),
            "SELECT DATABASE()" => Response::Rows(text_value("DATABASE()", self.database.clone())),
            "SELECT USER()" => Response::Rows(text_value("USER()", Some(format!("{}@127.0.0.1", self.info.user)))),
            "FAIL" => MySqlError::new(codes::ER_NO_SUCH_TABLE, "Table 'shop.nope' doesn't exist").into(),
            "FAIL RANGE" => error(1690, b"22003", "BIGINT UNSIGNED value is out of range in '(`prix` - 1)' — übertrieben").into(),
            "OK" => Response::Ok(OkResponse {
                affected_rows: 3,
                last_insert_id: 42,
                info: "Rows matched: 3  Changed: 3  Warnings: 0".to_string(),
            }),
            "HANG" => Response::Rows(Rows { schema: select_one_schema(), batches: stream::pending().boxed() }),
            _ => syntax_error(sql).into(),
        }
    }
}

#[async_trait::async_trait]
impl Session for MockSession {
    fn charsets(&self) -> Charsets {
        self.charsets
    }

    fn idle_timeout(&self) -> Option<Duration> {
        self.idle
    }

    fn split(&mut self, sql: &str) -> Result<Vec<String>, MySqlError> {
        Ok(sql.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
    }

    async fn query(&mut self, sql: &str) -> Response {
        self.questions += 1;
        self.journal.push(Event::Query { conn: self.conn(), sql: short(sql), len: sql.len() });
        self.answer(sql)
    }

    async fn prepare(&mut self, id: u32, sql: &str) -> Result<Prepared, MySqlError> {
        self.journal.push(Event::Prepare { conn: self.conn(), stmt: id, sql: sql.to_string() });
        let params = sql.matches('?').count() as u16;
        let columns = match sql {
            "SELECT 1" => Some(select_one_schema()),
            "SELECT types" => Some(types_schema()),
            "SELECT more types" | "SELECT decimal256" => None,
            "OK" => None,
            "FAIL" => {
                return Err(MySqlError::new(codes::ER_NO_SUCH_TABLE, "Table 'shop.nope' doesn't exist"));
            }
            s if s.starts_with("SELECT rows ") => Some(rows_schema()),
            s if s.starts_with("ECHO ") && params > 0 => None,
            s => return Err(syntax_error(s)),
        };
        self.prepared.insert(id, sql.to_string());
        Ok(Prepared { params, columns })
    }

    async fn execute(&mut self, id: u32, params: Vec<ParamValue>) -> Response {
        self.questions += 1;
        self.journal.push(Event::Execute { conn: self.conn(), stmt: id, params: params.clone() });
        let Some(sql) = self.prepared.get(&id).cloned() else {
            return MySqlError::new(codes::ER_UNKNOWN_STMT_HANDLER, format!("Unknown prepared statement handler ({id})")).into();
        };
        if sql.starts_with("ECHO ") {
            return Response::Rows(echo_params(&params));
        }
        self.answer(&sql)
    }

    async fn close_statement(&mut self, id: u32) {
        self.prepared.remove(&id);
        self.journal.push(Event::CloseStatement { conn: self.conn(), stmt: id });
    }

    async fn init_db(&mut self, database: &str) -> Result<(), MySqlError> {
        self.journal.push(Event::InitDb { conn: self.conn(), database: database.to_string() });
        if database == "missing" {
            return Err(MySqlError::new(codes::ER_BAD_DB_ERROR, "Unknown database 'missing'"));
        }
        self.database = Some(database.to_string());
        Ok(())
    }

    async fn field_list(&mut self, table: &str) -> Result<SchemaRef, MySqlError> {
        self.journal.push(Event::FieldList { conn: self.conn(), table: table.to_string() });
        match table {
            "items" => Ok(rows_schema()),
            _ => Err(MySqlError::new(codes::ER_NO_SUCH_TABLE, format!("Table 'shop.{table}' doesn't exist"))),
        }
    }

    async fn reset(&mut self) -> Result<(), MySqlError> {
        self.journal.push(Event::Reset { conn: self.conn() });
        self.database = self.info.database.clone();
        self.prepared.clear();
        Ok(())
    }

    fn statistics(&self) -> String {
        format!(
            "Uptime: 4242  Threads: 1  Questions: {}  Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: 0.000",
            self.questions
        )
    }

    fn status(&self) -> SessionStatus {
        SessionStatus { autocommit: true, in_transaction: false, warnings: 0 }
    }

    async fn close(&mut self) {
        self.journal.push(Event::Close { conn: self.conn() });
    }
}
