//! Weir's errors and the one place where each becomes a MySQL error code, SQLSTATE and message.
//!
//! Flink reports failures as Java exceptions; [`flink_rules`] is the table that recognises the
//! ones MySQL clients act on (unknown table → 1146 so `has_table` works, syntax → 1064, …).

use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use weir_drivers::gateway::{FlinkSqlError, GatewayError};

use crate::protocol::{Code, MySqlError, codes};

/// Everything that can fail while serving a statement.
#[derive(Debug, thiserror::Error)]
pub enum WeirError {
    /// An error already in MySQL's terms (local answers, protocol-level checks).
    #[error("{0}")]
    Sql(MySqlError),
    #[error("Flink cluster '{cluster}': {source}")]
    Gateway { cluster: String, source: GatewayError },
    #[error("Flink cluster '{cluster}' is still starting; gave up after waiting {waited:?}")]
    ClusterStarting { cluster: String, waited: Duration },
    #[error("Flink cluster '{cluster}' is unavailable: {reason}")]
    ClusterUnavailable { cluster: String, reason: String },
    #[error("Unknown Flink cluster '{0}'")]
    UnknownCluster(String),
    #[error("{0}")]
    NotSupported(String),
    #[error("{0}")]
    Syntax(String),
    #[error("Unknown system variable '{0}'")]
    UnknownVariable(String),
    #[error("Variable '{name}' can't be set to the value of '{value}'")]
    WrongValue { name: String, value: String },
    #[error("Variable '{0}' is a read only variable")]
    ReadOnlyVariable(String),
    #[error("Query execution was interrupted")]
    Interrupted,
    #[error("Incorrect arguments to mysqld_stmt_execute: {0}")]
    BadParameter(String),
    #[error("{0}")]
    Translate(weir_dialects::TranslateError),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    /// A recorded object that this session's Flink refuses to create.
    #[error("{object} (recorded in Weir's catalog) cannot be created on Flink cluster '{cluster}' (Flink {version}): {message}")]
    Materialize { object: String, cluster: String, version: String, message: String },
    #[error("Unknown database '{0}'")]
    UnknownDatabase(String),
    #[error("Unknown catalog '{0}'")]
    UnknownCatalog(String),
    #[error("Table '{database}.{table}' doesn't exist")]
    UnknownTable { database: String, table: String },
    /// A table information_schema does not have.
    #[error("Unknown table '{0}' in information_schema")]
    UnknownSchemaTable(String),
    #[error("Unknown column '{0}' in 'field list'")]
    UnknownColumn(String),
    /// A function neither Weir's metadata engine nor MySQL knows (MySQL's 1305).
    #[error("FUNCTION {}{name} does not exist", database.as_deref().map(|d| format!("{d}.")).unwrap_or_default())]
    UnknownFunction { database: Option<String>, name: String },
    /// The metadata engine (DataFusion) could not plan or run a query over information_schema.
    #[error("{0}")]
    Metadata(String),
    /// A managed job's statement that cannot be done.
    #[error(transparent)]
    Job(#[from] crate::jobs::JobError),
    /// A datasync statement that cannot be done.
    #[error(transparent)]
    Datasync(#[from] crate::datasync::DatasyncError),
    #[error(transparent)]
    Alert(#[from] crate::observe::alerts::AlertError),
    /// A schedule statement that cannot be done.
    #[error(transparent)]
    Schedule(#[from] crate::schedule::ScheduleError),
    /// Lineage that cannot be read or recorded.
    #[error(transparent)]
    Lineage(#[from] crate::lineage::LineageError),
    /// An access check or account statement that fails.
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
    /// A statement Weir's grammar cannot read.
    #[error("{0}")]
    Statement(#[from] crate::statement::SyntaxError),
    /// A statement larger than Weir sends to Flink (`[session] max_flink_statement_bytes`).
    #[error(
        "Statement for Flink was larger than max_flink_statement_bytes ({limit}): {size} bytes (raise [session] max_flink_statement_bytes in Weir's configuration to send it)"
    )]
    StatementTooLarge { size: usize, limit: u64 },
}

impl From<MySqlError> for WeirError {
    fn from(e: MySqlError) -> Self {
        WeirError::Sql(e)
    }
}

impl WeirError {
    /// The MySQL error a client sees.
    pub fn to_mysql(&self) -> MySqlError {
        let (code, message) = match self {
            WeirError::Sql(e) => return e.clone(),
            WeirError::Gateway { cluster, source } => return gateway_error(cluster, source),
            WeirError::ClusterStarting { .. } | WeirError::ClusterUnavailable { .. } | WeirError::UnknownCluster(_) => {
                (codes::ER_UNKNOWN_ERROR, self.to_string())
            }
            WeirError::NotSupported(_) => (codes::ER_NOT_SUPPORTED_YET, self.to_string()),
            WeirError::Syntax(m) => (codes::ER_PARSE_ERROR, format!("You have an error in your SQL syntax: {m}")),
            WeirError::UnknownVariable(_) => (codes::ER_UNKNOWN_SYSTEM_VARIABLE, self.to_string()),
            WeirError::WrongValue { .. } => (codes::ER_WRONG_VALUE_FOR_VAR, self.to_string()),
            WeirError::ReadOnlyVariable(_) => (codes::ER_INCORRECT_GLOBAL_LOCAL_VAR, self.to_string()),
            WeirError::Interrupted => (codes::ER_QUERY_INTERRUPTED, self.to_string()),
            WeirError::BadParameter(_) => (codes::ER_WRONG_ARGUMENTS, self.to_string()),
            WeirError::UnknownDatabase(_) | WeirError::UnknownCatalog(_) => (codes::ER_BAD_DB_ERROR, self.to_string()),
            WeirError::UnknownTable { .. } => (codes::ER_NO_SUCH_TABLE, self.to_string()),
            WeirError::UnknownSchemaTable(_) => (codes::ER_UNKNOWN_TABLE, self.to_string()),
            WeirError::UnknownColumn(_) => (codes::ER_BAD_FIELD_ERROR, self.to_string()),
            WeirError::UnknownFunction { .. } => (codes::ER_SP_DOES_NOT_EXIST, self.to_string()),
            WeirError::Metadata(_) => (codes::ER_UNKNOWN_ERROR, self.to_string()),
            WeirError::Translate(t) => return translate_error(t),
            WeirError::Catalog(c) => return catalog_error(c),
            WeirError::Materialize { .. } => (codes::ER_NOT_SUPPORTED_YET, self.to_string()),
            WeirError::Statement(e) => (codes::ER_PARSE_ERROR, format!("You have an error in your SQL syntax: {e}")),
            WeirError::Job(j) => (job_error_code(j), self.to_string()),
            WeirError::Datasync(d) => (datasync_error_code(d), self.to_string()),
            WeirError::Alert(a) => (alert_error_code(a), self.to_string()),
            WeirError::Lineage(l) => (lineage_error_code(l), self.to_string()),
            WeirError::Schedule(e) => (schedule_error_code(e), self.to_string()),
            WeirError::Auth(e) => (auth_error_code(e), self.to_string()),
            // MySQL's 1153 (08S01) would tell clients and pools the connection is lost; it is not.
            WeirError::StatementTooLarge { .. } => (codes::ER_WARN_ALLOWED_PACKET_OVERFLOWED, self.to_string()),
        };
        MySqlError::new(code, message)
    }
}

/// Access checks and account statements: MySQL's own codes.
fn auth_error_code(e: &crate::auth::AuthError) -> Code {
    use crate::auth::AuthError as A;
    match e {
        A::TableDenied { .. } => codes::ER_TABLEACCESS_DENIED_ERROR,
        A::DatabaseDenied { .. } => codes::ER_DBACCESS_DENIED_ERROR,
        A::NeedPrivilege(_) => codes::ER_SPECIFIC_ACCESS_DENIED_ERROR,
        A::Operation { .. } => codes::ER_CANNOT_USER,
        A::NoSuchGrant { .. } => codes::ER_NONEXISTING_GRANT,
        A::NoSuchTableGrant { .. } => codes::ER_NONEXISTING_TABLE_GRANT,
        A::UnknownAuthorization(_) => codes::ER_UNKNOWN_AUTHID,
        A::RoleLoop { .. } => codes::ER_ROLE_GRANTED_TO_ITSELF,
        A::RoleNotGranted { .. } => codes::ER_ROLE_NOT_GRANTED,
        A::NoSuchUserToGrant => codes::ER_CANT_CREATE_USER_WITH_GRANT,
        A::UnknownCluster(_) => codes::ER_BAD_DB_ERROR,
        A::TenantExists(_) => codes::ER_TABLE_EXISTS_ERROR,
        A::UnknownTenant(_) => codes::ER_SP_DOES_NOT_EXIST,
        A::TenantInUse { .. } => codes::ER_FK_CANNOT_DROP_PARENT,
        A::Option(_) => codes::ER_WRONG_ARGUMENTS,
        A::WrongLevel { .. } => codes::ER_WRONG_USAGE,
        A::Quota { .. } => codes::ER_USER_LIMIT_REACHED,
        A::KillDenied(_) => codes::ER_KILL_DENIED_ERROR,
        A::DottedName { .. } => codes::ER_WRONG_TABLE_NAME,
        A::Audit(_) | A::Store(_) => codes::ER_GET_ERRNO,
    }
}

/// A managed job's error: MySQL's codes for the same situations of its own objects.
fn job_error_code(e: &crate::jobs::JobError) -> Code {
    use crate::jobs::JobError;
    match e {
        JobError::Exists(_) => codes::ER_TABLE_EXISTS_ERROR,
        JobError::Unknown(_) | JobError::UnknownVersion { .. } => codes::ER_SP_DOES_NOT_EXIST,
        // Like dropping a table others depend on: the object's state forbids it.
        JobError::State { .. } => codes::ER_FK_CANNOT_DROP_PARENT,
        JobError::NoSavepoint(_) => codes::ER_FILE_NOT_FOUND,
        JobError::Option { .. } => codes::ER_WRONG_ARGUMENTS,
        JobError::Temporary(_) | JobError::NoJobManager { .. } => codes::ER_NOT_SUPPORTED_YET,
        JobError::Flink { .. } => codes::ER_UNKNOWN_ERROR,
        JobError::Store(_) => codes::ER_GET_ERRNO,
    }
}

/// A datasync's error: MySQL's codes for the same situations (a remote server's refusal as
/// FEDERATED reports one).
fn datasync_error_code(e: &crate::datasync::DatasyncError) -> Code {
    use crate::datasync::DatasyncError as D;
    match e {
        D::Exists(_) | D::JobNameTaken { .. } | D::SinkTaken { .. } => codes::ER_TABLE_EXISTS_ERROR,
        D::Unknown(_) => codes::ER_SP_DOES_NOT_EXIST,
        D::Catalog { .. } | D::Type { .. } | D::Connector(_) => codes::ER_NOT_SUPPORTED_YET,
        D::Source { code, .. } | D::Sink { code, .. } => match code {
            1049 => codes::ER_BAD_DB_ERROR,
            1146 => codes::ER_NO_SUCH_TABLE,
            1050 => codes::ER_TABLE_EXISTS_ERROR,
            _ => codes::ER_CONNECT_TO_FOREIGN_DATA_SOURCE,
        },
        D::Binlog { .. } => codes::ER_NO_BINARY_LOGGING,
        D::Privileges { .. } => codes::ER_SPECIFIC_ACCESS_DENIED_ERROR,
        D::UnknownTable { .. } | D::NoTables { .. } => codes::ER_NO_SUCH_TABLE,
        D::NoPrimaryKey { .. } => codes::ER_REQUIRES_PRIMARY_KEY,
        D::Option { .. } => codes::ER_WRONG_ARGUMENTS,
        D::JobOfDatasync { .. } => codes::ER_FK_CANNOT_DROP_PARENT,
        D::Store(_) => codes::ER_GET_ERRNO,
    }
}

/// An alert statement's error: MySQL's codes for the same situations of its own objects.
fn alert_error_code(e: &crate::observe::alerts::AlertError) -> Code {
    use crate::observe::alerts::AlertError as A;
    match e {
        A::ChannelExists(_) | A::RuleExists(_) => codes::ER_TABLE_EXISTS_ERROR,
        A::UnknownChannel(_) | A::UnknownRule(_) => codes::ER_SP_DOES_NOT_EXIST,
        A::Rule { .. } | A::Option { .. } => codes::ER_WRONG_ARGUMENTS,
        A::ChannelInUse { .. } => codes::ER_FK_CANNOT_DROP_PARENT,
        A::Store(_) => codes::ER_GET_ERRNO,
    }
}

/// A schedule's error: MySQL's codes for the same situations of its own objects.
fn schedule_error_code(e: &crate::schedule::ScheduleError) -> Code {
    use crate::schedule::ScheduleError as S;
    match e {
        S::Exists(_) => codes::ER_TABLE_EXISTS_ERROR,
        S::Unknown(_) | S::UnknownJob { .. } => codes::ER_SP_DOES_NOT_EXIST,
        S::Streaming { .. } => codes::ER_NOT_SUPPORTED_YET,
        // Like a view that reads itself.
        S::Cycle { .. } | S::ScheduleCycle(_) => codes::ER_VIEW_RECURSIVE,
        S::NoJobs { .. } | S::Cron { .. } => codes::ER_WRONG_ARGUMENTS,
        S::TimeZone(_) => codes::ER_UNKNOWN_TIME_ZONE,
        S::State { .. } => codes::ER_FK_CANNOT_DROP_PARENT,
        S::Store(_) => codes::ER_GET_ERRNO,
    }
}

fn lineage_error_code(e: &crate::lineage::LineageError) -> Code {
    use crate::lineage::LineageError;
    match e {
        LineageError::Parse(_) => codes::ER_PARSE_ERROR,
        LineageError::Store(_) => codes::ER_GET_ERRNO,
    }
}

fn translate_error(e: &weir_dialects::TranslateError) -> MySqlError {
    use weir_dialects::TranslateError;
    let code = match e {
        TranslateError::Parse { .. } | TranslateError::Statements { .. } => {
            return MySqlError::new(codes::ER_PARSE_ERROR, format!("You have an error in your SQL syntax: {e}"));
        }
        // What the translator cannot translate faithfully is refused, naming the construct.
        TranslateError::Unsupported { .. } => codes::ER_NOT_SUPPORTED_YET,
        // A CREATE TABLE without connector options (and no weir.ddl.with to give them).
        TranslateError::MissingConnectorOptions { .. } => codes::ER_NOT_SUPPORTED_YET,
        // weir.ddl.with holds something that is not an options list (found when a CREATE TABLE
        // would use it).
        TranslateError::InvalidDdlOptions { .. } => codes::ER_NOT_SUPPORTED_YET,
    };
    MySqlError::new(code, e.to_string())
}

fn catalog_error(e: &crate::catalog::CatalogError) -> MySqlError {
    use crate::catalog::{CatalogError, ObjectKind};
    let (code, message) = match e {
        CatalogError::Exists { kind: ObjectKind::Table | ObjectKind::View, name } => {
            (codes::ER_TABLE_EXISTS_ERROR, format!("Table {name} already exists"))
        }
        CatalogError::Exists { kind: ObjectKind::Database, name } => {
            (codes::ER_DB_CREATE_EXISTS, format!("Can't create database {name}; database exists"))
        }
        CatalogError::Exists { kind: ObjectKind::Function, name } => (codes::ER_UDF_EXISTS, format!("Function {name} already exists")),
        CatalogError::Exists { kind: ObjectKind::Catalog, name } => {
            (codes::ER_DB_CREATE_EXISTS, format!("Can't create catalog {name}; catalog exists"))
        }
        CatalogError::Dependents { .. } => (codes::ER_FK_CANNOT_DROP_PARENT, e.to_string()),
        CatalogError::Store(_) | CatalogError::Corrupt(_) | CatalogError::Config(_) => (codes::ER_GET_ERRNO, e.to_string()),
    };
    MySqlError::new(code, message)
}

/// A failure of the SQL Gateway or of Flink behind it, for a statement on `cluster`. Secrets in
/// Flink's message (it lists a table's options when it cannot create its source) are masked.
pub fn gateway_error(cluster: &str, e: &GatewayError) -> MySqlError {
    let mut error = unmasked_gateway_error(cluster, e);
    if let std::borrow::Cow::Owned(masked) = weir_drivers::gateway::mask_secrets(&error.message) {
        error.message = masked;
    }
    error
}

fn unmasked_gateway_error(cluster: &str, e: &GatewayError) -> MySqlError {
    match e {
        GatewayError::Flink(f) => flink_error(cluster, f),
        GatewayError::Unreachable { .. } => MySqlError::new(
            codes::ER_UNKNOWN_ERROR,
            format!("Flink cluster '{cluster}' is unreachable ({e}); Weir restarts supervised clusters, retry shortly"),
        ),
        GatewayError::Cancelled => MySqlError::new(codes::ER_QUERY_INTERRUPTED, "Query execution was interrupted"),
        // A version difference the driver found: the statement is not supported on this cluster.
        GatewayError::Unsupported { .. } => MySqlError::new(codes::ER_NOT_SUPPORTED_YET, format!("Flink cluster '{cluster}': {e}")),
        // The gateway answered in a way Weir did not expect, or lost what the statement ran in:
        // the statement's outcome is Flink's to tell, MySQL's generic error carries it.
        GatewayError::BadEndpoint { .. }
        | GatewayError::Http { .. }
        | GatewayError::Decode { .. }
        | GatewayError::ResultCut { .. }
        | GatewayError::OperationNotFound
        | GatewayError::SessionNotFound => MySqlError::new(codes::ER_UNKNOWN_ERROR, format!("Flink cluster '{cluster}': {e}")),
    }
}

/// One row of the Flink exception table: a pattern over the root-cause message, and how to build
/// the MySQL error from its captures.
struct FlinkRule {
    pattern: Regex,
    /// The rule applies only when the stack trace names this (where Flink failed tells what the
    /// message's object is).
    in_trace: Option<&'static str>,
    code: Code,
    message: fn(&regex::Captures<'_>, &Failure<'_>) -> String,
}

/// What a rule's message is built from: the failure and the cluster it happened on.
struct Failure<'a> {
    error: &'a FlinkSqlError,
    cluster: &'a str,
}

fn rule(pattern: &str, code: Code, message: fn(&regex::Captures<'_>, &Failure<'_>) -> String) -> Option<FlinkRule> {
    rule_in(pattern, None, code, message)
}

fn rule_in(pattern: &str, in_trace: Option<&'static str>, code: Code, message: fn(&regex::Captures<'_>, &Failure<'_>) -> String) -> Option<FlinkRule> {
    // The patterns are literals of this file; the unit tests check that every one compiles.
    match Regex::new(pattern) {
        Ok(pattern) => Some(FlinkRule { pattern, in_trace, code, message }),
        Err(e) => {
            tracing::error!(pattern, error = %e, "a Flink error rule does not compile; it is left out");
            None
        }
    }
}

/// The table, first match wins. Messages name the object the way MySQL does.
static FLINK_RULES: LazyLock<Vec<FlinkRule>> = LazyLock::new(flink_rules);

/// An object name as Flink prints it (`'`cat`.`db`.`t`'`, `` `t` ``, `t`) → its last part.
fn object(raw: &str) -> String {
    let cleaned: String = raw.chars().filter(|c| !matches!(c, '`' | '\'' | '[' | ']')).collect();
    cleaned.rsplit('.').next().unwrap_or(&cleaned).to_string()
}

/// An object name as Flink prints it → `db.name` (or `name` when it has one part).
fn database_and_object(raw: &str) -> String {
    let cleaned: String = raw.chars().filter(|c| !matches!(c, '`' | '\'' | '[' | ']')).collect();
    let parts: Vec<&str> = cleaned.rsplitn(3, '.').collect();
    match parts.as_slice() {
        [name, db, ..] => format!("{db}.{name}"),
        _ => cleaned,
    }
}

/// Matches one object name in any of Flink's quotings.
const NAME: &str = r"('[^']+'|`[^`]+`(?:\.`[^`]+`)*|\[[^\]]+\]|[\w.$]+)";

fn flink_rules() -> Vec<FlinkRule> {
    flink_rule_table().into_iter().flatten().collect()
}

fn flink_rule_table() -> Vec<Option<FlinkRule>> {
    let p = |template: &str| template.replace("{NAME}", NAME);
    vec![
        rule(&p(r"Object {NAME} not found"), codes::ER_NO_SUCH_TABLE, |c, _| format!("Table '{}' doesn't exist", object(&c[1]))),
        rule(&p(r"Table {NAME} (?:was not found|does not exist)"), codes::ER_NO_SUCH_TABLE, |c, _| {
            format!("Table '{}' doesn't exist", object(&c[1]))
        }),
        // DESCRIBE of a missing table: MySQL's 1146, which clients' has_table checks rely on.
        rule(&p(r"Tables or views with the identifier {NAME} doesn't exist"), codes::ER_NO_SUCH_TABLE, |c, _| {
            format!("Table '{}' doesn't exist", object(&c[1]))
        }),
        // DROP of a missing table.
        rule(&p(r"(?:Table|View|Temporary table|Temporary view)(?: or view)? with identifier {NAME} (?:does not exist|doesn't exist)"), codes::ER_BAD_TABLE_ERROR, |c, _| {
            format!("Unknown table '{}'", object(&c[1]))
        }),
        rule(&p(r"Column {NAME} not found in (?:any table|table)"), codes::ER_BAD_FIELD_ERROR, |c, _| {
            format!("Unknown column '{}' in 'field list'", object(&c[1]))
        }),
        // A column type Flink does not know (`d datetime`): Calcite took it for a user-defined type.
        rule_in(&p(r"Unknown identifier {NAME}"), Some("SqlUserDefinedTypeNameSpec"), codes::ER_PARSE_ERROR, |c, _| {
            format!("You have an error in your SQL syntax: unknown data type '{}' (Flink's types: see SHOW CREATE TABLE ... FOR FLINK)", object(&c[1]))
        }),
        rule(&p(r"Unknown identifier {NAME}"), codes::ER_BAD_FIELD_ERROR, |c, _| {
            format!("Unknown column '{}' in 'field list'", object(&c[1]))
        }),
        rule(&p(r"(?:Table|View|Temporary table|Temporary view) {NAME} (?:already exists|exists)"), codes::ER_TABLE_EXISTS_ERROR, |c, _| {
            format!("Table '{}' already exists", object(&c[1]))
        }),
        rule(&p(r"Could not execute CreateTable in path {NAME}"), codes::ER_TABLE_EXISTS_ERROR, |c, f| {
            format!("Table '{}' already exists ({})", object(&c[1]), f.error.message)
        }),
        rule(&p(r"(?:A database with name|Database) {NAME} (?:does not exist|doesn't exist|not exist)"), codes::ER_BAD_DB_ERROR, |c, _| {
            format!("Unknown database '{}'", object(&c[1]))
        }),
        rule(&p(r"Database {NAME} (?:already exists|exists)"), codes::ER_DB_CREATE_EXISTS, |c, _| {
            format!("Can't create database '{}'; database exists", object(&c[1]))
        }),
        // DROP of a missing function: catalog, temporary catalog and temporary system functions.
        rule(&p(r"(?:Function|Temporary catalog function) {NAME} (?:does not exist|doesn't exist)"), codes::ER_SP_DOES_NOT_EXIST, |c, _| {
            format!("FUNCTION {} does not exist", database_and_object(&c[1]))
        }),
        rule(&p(r"A function named {NAME} doesn't exist"), codes::ER_SP_DOES_NOT_EXIST, |c, _| format!("FUNCTION {} does not exist", object(&c[1]))),
        rule(r"No match found for function signature (\w+)", codes::ER_SP_DOES_NOT_EXIST, |c, _| {
            format!("FUNCTION {} does not exist", &c[1])
        }),
        // A table, catalog or format whose connector jar is not on the cluster's classpath.
        rule(r"Could not find any factory for identifier '([^']+)'", codes::ER_NOT_SUPPORTED_YET, |c, f| {
            missing_connector(&c[1], f.cluster)
        }),
        // The JDBC connector without the MySQL JDBC driver (or the other way round).
        rule(r"(?:ClassNotFoundException|NoClassDefFoundError):? (com[./]mysql[./]cj[./]jdbc[./]Driver)", codes::ER_NOT_SUPPORTED_YET, |_, f| {
            missing_connector("jdbc", f.cluster)
        }),
        rule(r"(?:ClassNotFoundException|NoClassDefFoundError):? (org[./]apache[./]flink[./]connector[./]jdbc[./]\S+)", codes::ER_NOT_SUPPORTED_YET, |_, f| {
            missing_connector("jdbc", f.cluster)
        }),
        rule(r"(?:ClassNotFoundException|NoClassDefFoundError):? (org[./]apache[./]flink[./]cdc[./]\S+)", codes::ER_NOT_SUPPORTED_YET, |_, f| {
            missing_connector("mysql-cdc", f.cluster)
        }),
        rule(r"(?:ClassNotFoundException|NoClassDefFoundError):? (org[./]apache[./]paimon[./]\S+)", codes::ER_NOT_SUPPORTED_YET, |_, f| {
            missing_connector("paimon", f.cluster)
        }),
    ]
}

/// The message of a statement that needs a connector its cluster does not have (MySQL's 1235).
fn missing_connector(connector: &str, cluster: &str) -> String {
    format!(
        "Connector '{connector}' is not available on Flink cluster '{cluster}' (SHOW CONNECTORS lists each cluster's connectors; \
         a managed cluster's are set by `connectors` in Weir's configuration)"
    )
}

/// Maps a Flink exception on `cluster` to the MySQL error a client should see. A rule matches the
/// root cause's message first, then the messages anywhere in the trace.
pub fn flink_error(cluster: &str, f: &FlinkSqlError) -> MySqlError {
    let failure = Failure { error: f, cluster };
    for r in FLINK_RULES.iter() {
        if r.in_trace.is_some_and(|t| !f.detail.contains(t)) {
            continue;
        }
        if let Some(c) = r.pattern.captures(&f.message) {
            return MySqlError::new(r.code, (r.message)(&c, &failure));
        }
    }
    // A missing connector can hide under another root cause (a job that failed to start).
    for r in FLINK_RULES.iter().filter(|r| r.code == codes::ER_NOT_SUPPORTED_YET) {
        if let Some(c) = r.pattern.captures(&f.detail) {
            return MySqlError::new(r.code, (r.message)(&c, &failure));
        }
    }
    // The parser's own exceptions (Flink's SqlParserException and SqlParserEOFException, Calcite's
    // SqlParseException, the generated parser's ParseException).
    if f.exception.ends_with("ParserException") || f.exception.ends_with("ParseException") || f.exception.ends_with("SqlParserEOFException") || f.message.contains("SQL parse failed") {
        return MySqlError::new(codes::ER_PARSE_ERROR, format!("You have an error in your SQL syntax: {}", f.message));
    }
    if f.exception.ends_with("ValidationException") || f.exception.ends_with("SqlValidateException") {
        return MySqlError::new(codes::ER_PARSE_ERROR, f.message.clone());
    }
    MySqlError::new(codes::ER_UNKNOWN_ERROR, format!("Flink: {}", f.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flink(exception: &str, message: &str) -> FlinkSqlError {
        FlinkSqlError { exception: exception.into(), message: message.into(), detail: String::new() }
    }

    #[test]
    fn every_rule_compiles() {
        let table = flink_rule_table();
        assert!(table.iter().all(Option::is_some), "a Flink error rule does not compile");
        assert_eq!(FLINK_RULES.len(), table.len());
    }

    #[test]
    fn unknown_tables_become_1146() {
        let e = flink_error("c", &flink(
            "org.apache.flink.table.api.ValidationException",
            "SQL validation failed. From line 1, column 15 to line 1, column 27: Object 'no_such_table' not found",
        ));
        assert_eq!((e.code, e.sqlstate()), (1146, "42S02"));
        assert_eq!(e.message, "Table 'no_such_table' doesn't exist");
    }

    #[test]
    fn drops_of_missing_objects_name_them_as_mysql_does() {
        let v = "org.apache.flink.table.api.ValidationException";
        for (message, code, text) in [
            ("Function default_database.nofn does not exist in Catalog default_catalog.", 1305, "FUNCTION default_database.nofn does not exist"),
            ("Temporary catalog function `default_catalog`.`default_database`.`nofn` doesn't exist", 1305, "FUNCTION default_database.nofn does not exist"),
            ("Could not drop temporary system function. A function named 'nofn' doesn't exist.", 1305, "FUNCTION nofn does not exist"),
            ("Temporary table or view with identifier 'default_catalog.default_database.nov' does not exist.", 1051, "Unknown table 'nov'"),
        ] {
            let e = flink_error("c", &flink(v, message));
            assert_eq!((e.code, e.message.as_str()), (code, text), "{message}");
        }
    }

    #[test]
    fn syntax_errors_become_1064_with_flinks_position() {
        let e = flink_error("c", &flink(
            "org.apache.flink.table.api.SqlParserException",
            "SQL parse failed. Non-query expression encountered in illegal context at line 1, column 1",
        ));
        assert_eq!((e.code, e.sqlstate()), (1064, "42000"));
        assert!(e.message.contains("line 1, column 1"));
    }

    #[test]
    fn names_lose_their_catalog_path_and_quotes() {
        let e = flink_error("c", &flink(
            "org.apache.flink.table.api.ValidationException",
            "Temporary table '`default_catalog`.`default_database`.`t2`' already exists",
        ));
        assert_eq!((e.code, e.message.as_str()), (1050, "Table 't2' already exists"));
        let e = flink_error("c", &flink("org.apache.flink.table.api.ValidationException", "A database with name [nodb] does not exist in the catalog: [default_catalog]."));
        assert_eq!((e.code, e.message.as_str()), (1049, "Unknown database 'nodb'"));
        let e = flink_error("c", &flink("x.ValidationException", "From line 1, column 8 to line 1, column 12: Column 'nocol' not found in any table"));
        assert_eq!((e.code, e.message.as_str()), (1054, "Unknown column 'nocol' in 'field list'"));
    }

    #[test]
    fn describe_and_drop_of_missing_tables() {
        let e = flink_error("c", &flink("x.ValidationException", "Tables or views with the identifier 'default_catalog.default_database.t' doesn't exist."));
        assert_eq!((e.code, e.message.as_str()), (1146, "Table 't' doesn't exist"));
        let e = flink_error("c", &flink("x.ValidationException", "Table with identifier 'default_catalog.default_database.t' does not exist."));
        assert_eq!((e.code, e.message.as_str()), (1051, "Unknown table 't'"));
    }

    #[test]
    fn the_parsers_own_exceptions_are_syntax_errors() {
        let e = flink_error("c", &flink("org.apache.flink.sql.parser.impl.ParseException", "Encountered \"<EOF>\" at line 1, column 13."));
        assert_eq!((e.code, e.sqlstate()), (1064, "42000"));
        assert!(e.message.contains("line 1, column 13"), "{}", e.message);
    }

    #[test]
    fn an_unknown_column_type_is_a_syntax_error_and_an_unknown_column_is_not() {
        let mut f = flink("org.apache.calcite.sql.validate.SqlValidatorException", "Unknown identifier 'datetime'");
        f.detail = "at org.apache.calcite.sql.SqlUserDefinedTypeNameSpec.deriveType(SqlUserDefinedTypeNameSpec.java:49)".into();
        let e = flink_error("c", &f);
        assert_eq!(e.code, 1064, "{}", e.message);
        assert!(e.message.contains("unknown data type 'datetime'"), "{}", e.message);
        let e = flink_error("c", &flink("org.apache.calcite.sql.validate.SqlValidatorException", "Unknown identifier 'nocol'"));
        assert_eq!(e.code, 1054);
    }

    #[test]
    fn a_missing_connector_is_1235_naming_it_and_the_cluster() {
        let e = flink_error(
            "v22",
            &flink(
                "org.apache.flink.table.api.ValidationException",
                "Could not find any factory for identifier 'mysql-cdc' that implements 'org.apache.flink.table.factories.DynamicTableFactory' in the classpath.",
            ),
        );
        assert_eq!((e.code, e.sqlstate()), (1235, "42000"));
        assert!(e.message.contains("Connector 'mysql-cdc'") && e.message.contains("cluster 'v22'"), "{}", e.message);
        assert!(!e.message.contains("factory"), "{}", e.message);
        // Under another root cause, found in the trace.
        let mut f = flink("org.apache.flink.runtime.client.JobInitializationException", "Could not start the JobMaster.");
        f.detail = "Caused by: java.lang.ClassNotFoundException: com.mysql.cj.jdbc.Driver\n\tat java.net.URLClassLoader.findClass".into();
        let e = flink_error("local", &f);
        assert_eq!(e.code, 1235);
        assert!(e.message.contains("Connector 'jdbc'") && e.message.contains("cluster 'local'"), "{}", e.message);
    }

    #[test]
    fn unmatched_errors_keep_flinks_message() {
        let e = flink_error("c", &flink("java.lang.RuntimeException", "boom"));
        assert_eq!(e.code, 1105);
        assert!(e.message.contains("boom"));
    }
}
