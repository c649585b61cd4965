//! The `information_schema` tables, as one table of rules: each has MySQL 8.0's column names and
//! types, says which metadata it needs ([`Needs`]), and builds its rows from a [`Snapshot`] of the
//! objects and the session's [`Env`]. Weir's own tables (FLINK_CLUSTERS, SESSIONS) sit beside them.

use arrow_schema::DataType;

use super::source::{ObjectDef, ObjectEntry, ObjectKind};
use super::types;
use crate::routing::{ClusterView, ConnectorView};
use crate::value::{LocalTable, Value};

/// MySQL's one catalog name.
pub const DEF: &str = "def";
pub const CHARSET: &str = "utf8mb4";
pub const COLLATION: &str = "utf8mb4_0900_ai_ci";
/// The ENGINE of Flink tables in TABLES and SHOW CREATE TABLE.
pub const ENGINE: &str = "Flink";

/// What a table's rows are built from; the loader fetches no more than the query's tables need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needs {
    Nothing,
    /// The current catalog's database names.
    Databases,
    /// And the names and kinds of their tables and views.
    Objects,
    /// And each object's columns and primary key.
    Definitions,
}

/// The objects the query can see: the session's current Flink catalog.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub databases: Vec<String>,
    /// (database, object).
    pub objects: Vec<(String, ObjectEntry)>,
    pub definitions: Vec<ObjectDef>,
}

/// One row of JOBS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobRow {
    pub cluster: String,
    pub id: String,
    pub name: String,
    pub status: String,
    /// `YYYY-MM-DD HH:MM:SS.mmm`, UTC.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub duration_ms: Option<i64>,
    pub tasks: Option<u64>,
}

/// The session's state that some tables show.
#[derive(Default)]
pub struct Env {
    pub clusters: Vec<ClusterView>,
    /// Each cluster's connector set, by cluster name (WEIR_CONNECTORS).
    pub connectors: Vec<(String, ConnectorView)>,
    pub sessions: Vec<crate::metadata::Process>,
    /// (name, value) of the session's variables.
    pub variables: Vec<(String, String)>,
    /// The jobs of the clusters that answered.
    pub jobs: Vec<JobRow>,
    /// Weir's managed jobs, when a WEIR_ table is read.
    pub managed: Option<crate::jobs::Snapshot>,
    /// Each synced table's progress (WEIR_DATASYNC_TABLES).
    pub datasync_tables: Vec<crate::datasync::progress::TableProgress>,
    /// Weir's metrics as (name, labels, value) (WEIR_METRICS).
    pub metrics: Vec<(String, String, f64)>,
    /// The newest alerts (WEIR_ALERTS).
    pub alerts: Vec<crate::observe::alerts::AlertRecord>,
    /// Every recorded lineage edge (WEIR_TABLE_LINEAGE, WEIR_COLUMN_LINEAGE).
    pub lineage: Vec<crate::lineage::Recorded>,
    /// Every schedule run and task (WEIR_SCHEDULE_RUNS, WEIR_SCHEDULE_TASKS).
    pub schedule_runs: Vec<crate::schedule::registry::RunRecord>,
    pub schedule_tasks: Vec<crate::schedule::registry::TaskRecord>,
    /// The audit records (WEIR_AUDIT).
    pub audit: Vec<crate::auth::audit::Record>,
    /// The grants the privilege tables show.
    pub privileges: Vec<PrivilegeRow>,
    pub database: Option<String>,
}

/// One privilege held at one level (USER_, SCHEMA_ and TABLE_PRIVILEGES).
#[derive(Debug, Clone)]
pub struct PrivilegeRow {
    pub grantee: String,
    pub level: crate::statement::privilege::Level,
    pub privilege: String,
    pub grantable: bool,
}

fn yes_no(b: bool) -> Value {
    s(if b { "YES" } else { "NO" })
}

#[derive(Debug, Clone, Copy)]
enum Col {
    /// varchar / text
    S,
    /// bigint unsigned / int unsigned
    U,
    /// bigint
    I,
    /// double
    D,
}

pub struct TableRule {
    pub name: &'static str,
    columns: &'static [(&'static str, Col)],
    pub needs: Needs,
    rows: fn(&Snapshot, &Env) -> Vec<Vec<Value>>,
}

impl TableRule {
    pub fn build(&self, snapshot: &Snapshot, env: &Env) -> LocalTable {
        let columns = self
            .columns
            .iter()
            .map(|(n, c)| {
                let t = match c {
                    Col::S => DataType::Utf8,
                    Col::U => DataType::UInt64,
                    Col::I => DataType::Int64,
                    Col::D => DataType::Float64,
                };
                (n.to_string(), t)
            })
            .collect();
        LocalTable { columns, rows: (self.rows)(snapshot, env) }
    }

    /// This table as an object, for COLUMNS and DESCRIBE of information_schema's own tables.
    pub fn definition(&self) -> ObjectDef {
        ObjectDef {
            catalog: DEF.into(),
            database: "information_schema".into(),
            name: self.name.into(),
            kind: ObjectKind::View,
            columns: self
                .columns
                .iter()
                .map(|(n, c)| super::source::ColumnDef {
                    name: n.to_string(),
                    flink_type: match c {
                        Col::S => "VARCHAR(64)".into(),
                        Col::U | Col::I => "BIGINT".into(),
                        Col::D => "DOUBLE".into(),
                    },
                    nullable: true,
                    comment: None,
                    generated: None,
                })
                .collect(),
            primary_key: Vec::new(),
            view_text: None,
            comment: None,
        }
    }

    /// What this table needs for a query that reads the columns `reads` says it reads: more
    /// than its [`needs`](Self::needs) when it reads a column filled from definitions
    /// ([`FROM_DEFINITIONS`]).
    pub fn needs_for(&self, reads: &dyn Fn(&str) -> bool) -> Needs {
        let extra = FROM_DEFINITIONS.iter().filter(|(t, _)| *t == self.name).flat_map(|(_, cols)| cols.iter()).any(|c| reads(c));
        if extra { self.needs.max(Needs::Definitions) } else { self.needs }
    }

    pub fn column_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|(n, _)| *n)
    }
}

use Col::{D, I, S, U};

/// Columns of listing tables that come from the objects' definitions, read (and cached) only when
/// a query reads them: the table comment is in Flink's `SHOW CREATE TABLE`, not its listing.
pub static FROM_DEFINITIONS: &[(&str, &[&str])] = &[("TABLES", &["TABLE_COMMENT"])];

fn s(v: impl Into<String>) -> Value {
    Value::Str(v.into())
}

fn u(v: impl TryInto<u64>) -> Value {
    v.try_into().map(Value::UInt).unwrap_or(Value::Null)
}

fn opt_u(v: Option<u64>) -> Value {
    v.map(Value::UInt).unwrap_or(Value::Null)
}

fn none() -> Value {
    Value::Null
}

fn empty(_: &Snapshot, _: &Env) -> Vec<Vec<Value>> {
    Vec::new()
}

/// Every information_schema table Weir has, by MySQL's upper-case name.
pub static TABLES: &[TableRule] = &[
    TableRule {
        name: "SCHEMATA",
        columns: &[
            ("CATALOG_NAME", S),
            ("SCHEMA_NAME", S),
            ("DEFAULT_CHARACTER_SET_NAME", S),
            ("DEFAULT_COLLATION_NAME", S),
            ("SQL_PATH", S),
            ("DEFAULT_ENCRYPTION", S),
        ],
        needs: Needs::Databases,
        rows: |snap, _| {
            let mut names: Vec<&str> = snap.databases.iter().map(String::as_str).collect();
            names.push("information_schema");
            names.into_iter().map(|d| vec![s(DEF), s(d), s(CHARSET), s(COLLATION), none(), s("NO")]).collect()
        },
    },
    TableRule {
        name: "TABLES",
        columns: &[
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("TABLE_TYPE", S),
            ("ENGINE", S),
            ("VERSION", U),
            ("ROW_FORMAT", S),
            ("TABLE_ROWS", U),
            ("AVG_ROW_LENGTH", U),
            ("DATA_LENGTH", U),
            ("MAX_DATA_LENGTH", U),
            ("INDEX_LENGTH", U),
            ("DATA_FREE", U),
            ("AUTO_INCREMENT", U),
            ("CREATE_TIME", S),
            ("UPDATE_TIME", S),
            ("CHECK_TIME", S),
            ("TABLE_COLLATION", S),
            ("CHECKSUM", I),
            ("CREATE_OPTIONS", S),
            ("TABLE_COMMENT", S),
        ],
        needs: Needs::Objects,
        rows: |snap, _| {
            let comments: std::collections::HashMap<(&str, &str), &str> =
                snap.definitions.iter().filter_map(|d| Some(((d.database.as_str(), d.name.as_str()), d.comment.as_deref()?))).collect();
            snap.objects
                .iter()
                .map(|(db, o)| {
                    let table = o.kind == ObjectKind::Table;
                    let system = db == "information_schema";
                    let comment = || comments.get(&(db.as_str(), o.name.as_str())).map(|c| c.to_string()).unwrap_or_default();
                    let num = |v: u64| if table { Value::UInt(v) } else { none() };
                    vec![
                        s(DEF),
                        s(db),
                        s(&o.name),
                        s(if system { "SYSTEM VIEW" } else if table { "BASE TABLE" } else { "VIEW" }),
                        if table { s(ENGINE) } else { none() },
                        num(10),
                        if table { s("Dynamic") } else { none() },
                        num(0),
                        num(0),
                        num(0),
                        num(0),
                        num(0),
                        num(0),
                        none(),
                        none(),
                        none(),
                        none(),
                        if table { s(COLLATION) } else { none() },
                        none(),
                        s(""),
                        s(if system {
                            String::new()
                        } else if table {
                            comment()
                        } else {
                            "VIEW".to_string()
                        }),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "COLUMNS",
        columns: &[
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("COLUMN_NAME", S),
            ("ORDINAL_POSITION", U),
            ("COLUMN_DEFAULT", S),
            ("IS_NULLABLE", S),
            ("DATA_TYPE", S),
            ("CHARACTER_MAXIMUM_LENGTH", I),
            ("CHARACTER_OCTET_LENGTH", I),
            ("NUMERIC_PRECISION", U),
            ("NUMERIC_SCALE", U),
            ("DATETIME_PRECISION", U),
            ("CHARACTER_SET_NAME", S),
            ("COLLATION_NAME", S),
            ("COLUMN_TYPE", S),
            ("COLUMN_KEY", S),
            ("EXTRA", S),
            ("PRIVILEGES", S),
            ("COLUMN_COMMENT", S),
            ("GENERATION_EXPRESSION", S),
            ("SRS_ID", U),
        ],
        needs: Needs::Definitions,
        rows: |snap, _| {
            let mut rows = Vec::new();
            for d in &snap.definitions {
                for (i, c) in d.columns.iter().enumerate() {
                    let t = types::from_flink(&c.flink_type);
                    let int = |v: Option<u64>| v.and_then(|x| i64::try_from(x).ok()).map(Value::Int).unwrap_or(Value::Null);
                    let text = t.is_text();
                    rows.push(vec![
                        s(DEF),
                        s(&d.database),
                        s(&d.name),
                        s(&c.name),
                        u(i + 1),
                        none(),
                        s(if c.nullable { "YES" } else { "NO" }),
                        s(t.data_type),
                        int(t.char_max_length),
                        int(t.char_octet_length),
                        opt_u(t.numeric_precision),
                        opt_u(t.numeric_scale),
                        opt_u(t.datetime_precision),
                        if text { s(CHARSET) } else { none() },
                        if text { s(COLLATION) } else { none() },
                        s(t.column_type.clone()),
                        s(if d.primary_key.contains(&c.name) { "PRI" } else { "" }),
                        s(if c.generated.is_some() { "VIRTUAL GENERATED" } else { "" }),
                        s(if c.generated.is_some() { "select" } else { "select,insert" }),
                        s(c.comment.clone().unwrap_or_default()),
                        s(c.generated.clone().unwrap_or_default()),
                        none(),
                    ]);
                }
            }
            rows
        },
    },
    TableRule {
        name: "VIEWS",
        columns: &[
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("VIEW_DEFINITION", S),
            ("CHECK_OPTION", S),
            ("IS_UPDATABLE", S),
            ("DEFINER", S),
            ("SECURITY_TYPE", S),
            ("CHARACTER_SET_CLIENT", S),
            ("COLLATION_CONNECTION", S),
        ],
        needs: Needs::Definitions,
        rows: |snap, _| {
            snap.definitions
                .iter()
                .filter(|d| d.kind == ObjectKind::View)
                .map(|d| {
                    let text = d.view_text.clone().unwrap_or_default();
                    vec![s(DEF), s(&d.database), s(&d.name), s(text), s("NONE"), s("NO"), s("root@%"), s("DEFINER"), s(CHARSET), s(COLLATION)]
                })
                .collect()
        },
    },
    TableRule {
        name: "STATISTICS",
        columns: &[
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("NON_UNIQUE", I),
            ("INDEX_SCHEMA", S),
            ("INDEX_NAME", S),
            ("SEQ_IN_INDEX", U),
            ("COLUMN_NAME", S),
            ("COLLATION", S),
            ("CARDINALITY", I),
            ("SUB_PART", I),
            ("PACKED", S),
            ("NULLABLE", S),
            ("INDEX_TYPE", S),
            ("COMMENT", S),
            ("INDEX_COMMENT", S),
            ("IS_VISIBLE", S),
            ("EXPRESSION", S),
        ],
        needs: Needs::Definitions,
        rows: |snap, _| {
            let mut rows = Vec::new();
            for d in &snap.definitions {
                for (i, c) in d.primary_key.iter().enumerate() {
                    rows.push(vec![
                        s(DEF),
                        s(&d.database),
                        s(&d.name),
                        Value::Int(0),
                        s(&d.database),
                        s("PRIMARY"),
                        u(i + 1),
                        s(c),
                        s("A"),
                        Value::Int(0),
                        none(),
                        none(),
                        s(""),
                        s("BTREE"),
                        s(""),
                        s("NOT ENFORCED"),
                        s("YES"),
                        none(),
                    ]);
                }
            }
            rows
        },
    },
    TableRule {
        name: "KEY_COLUMN_USAGE",
        columns: &[
            ("CONSTRAINT_CATALOG", S),
            ("CONSTRAINT_SCHEMA", S),
            ("CONSTRAINT_NAME", S),
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("COLUMN_NAME", S),
            ("ORDINAL_POSITION", U),
            ("POSITION_IN_UNIQUE_CONSTRAINT", U),
            ("REFERENCED_TABLE_SCHEMA", S),
            ("REFERENCED_TABLE_NAME", S),
            ("REFERENCED_COLUMN_NAME", S),
        ],
        needs: Needs::Definitions,
        rows: |snap, _| {
            let mut rows = Vec::new();
            for d in &snap.definitions {
                for (i, c) in d.primary_key.iter().enumerate() {
                    rows.push(vec![s(DEF), s(&d.database), s("PRIMARY"), s(DEF), s(&d.database), s(&d.name), s(c), u(i + 1), none(), none(), none(), none()]);
                }
            }
            rows
        },
    },
    TableRule {
        name: "TABLE_CONSTRAINTS",
        columns: &[
            ("CONSTRAINT_CATALOG", S),
            ("CONSTRAINT_SCHEMA", S),
            ("CONSTRAINT_NAME", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("CONSTRAINT_TYPE", S),
            ("ENFORCED", S),
        ],
        needs: Needs::Definitions,
        rows: |snap, _| {
            snap.definitions
                .iter()
                .filter(|d| !d.primary_key.is_empty())
                .map(|d| vec![s(DEF), s(&d.database), s("PRIMARY"), s(&d.database), s(&d.name), s("PRIMARY KEY"), s("NO")])
                .collect()
        },
    },
    TableRule {
        name: "REFERENTIAL_CONSTRAINTS",
        columns: &[
            ("CONSTRAINT_CATALOG", S),
            ("CONSTRAINT_SCHEMA", S),
            ("CONSTRAINT_NAME", S),
            ("UNIQUE_CONSTRAINT_CATALOG", S),
            ("UNIQUE_CONSTRAINT_SCHEMA", S),
            ("UNIQUE_CONSTRAINT_NAME", S),
            ("MATCH_OPTION", S),
            ("UPDATE_RULE", S),
            ("DELETE_RULE", S),
            ("TABLE_NAME", S),
            ("REFERENCED_TABLE_NAME", S),
        ],
        // Flink has no foreign keys.
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "CHECK_CONSTRAINTS",
        columns: &[("CONSTRAINT_CATALOG", S), ("CONSTRAINT_SCHEMA", S), ("CONSTRAINT_NAME", S), ("CHECK_CLAUSE", S)],
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "ROUTINES",
        columns: &[
            ("SPECIFIC_NAME", S),
            ("ROUTINE_CATALOG", S),
            ("ROUTINE_SCHEMA", S),
            ("ROUTINE_NAME", S),
            ("ROUTINE_TYPE", S),
            ("DATA_TYPE", S),
            ("CHARACTER_MAXIMUM_LENGTH", I),
            ("CHARACTER_OCTET_LENGTH", I),
            ("NUMERIC_PRECISION", U),
            ("NUMERIC_SCALE", U),
            ("DATETIME_PRECISION", U),
            ("CHARACTER_SET_NAME", S),
            ("COLLATION_NAME", S),
            ("DTD_IDENTIFIER", S),
            ("ROUTINE_BODY", S),
            ("ROUTINE_DEFINITION", S),
            ("EXTERNAL_NAME", S),
            ("EXTERNAL_LANGUAGE", S),
            ("PARAMETER_STYLE", S),
            ("IS_DETERMINISTIC", S),
            ("SQL_DATA_ACCESS", S),
            ("SQL_PATH", S),
            ("SECURITY_TYPE", S),
            ("CREATED", S),
            ("LAST_ALTERED", S),
            ("SQL_MODE", S),
            ("ROUTINE_COMMENT", S),
            ("DEFINER", S),
            ("CHARACTER_SET_CLIENT", S),
            ("COLLATION_CONNECTION", S),
            ("DATABASE_COLLATION", S),
        ],
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "PARAMETERS",
        columns: &[
            ("SPECIFIC_CATALOG", S),
            ("SPECIFIC_SCHEMA", S),
            ("SPECIFIC_NAME", S),
            ("ORDINAL_POSITION", U),
            ("PARAMETER_MODE", S),
            ("PARAMETER_NAME", S),
            ("DATA_TYPE", S),
            ("CHARACTER_MAXIMUM_LENGTH", I),
            ("CHARACTER_OCTET_LENGTH", I),
            ("NUMERIC_PRECISION", U),
            ("NUMERIC_SCALE", I),
            ("DATETIME_PRECISION", U),
            ("CHARACTER_SET_NAME", S),
            ("COLLATION_NAME", S),
            ("DTD_IDENTIFIER", S),
            ("ROUTINE_TYPE", S),
        ],
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "TRIGGERS",
        columns: &[
            ("TRIGGER_CATALOG", S),
            ("TRIGGER_SCHEMA", S),
            ("TRIGGER_NAME", S),
            ("EVENT_MANIPULATION", S),
            ("EVENT_OBJECT_CATALOG", S),
            ("EVENT_OBJECT_SCHEMA", S),
            ("EVENT_OBJECT_TABLE", S),
            ("ACTION_ORDER", U),
            ("ACTION_CONDITION", S),
            ("ACTION_STATEMENT", S),
            ("ACTION_ORIENTATION", S),
            ("ACTION_TIMING", S),
            ("ACTION_REFERENCE_OLD_TABLE", S),
            ("ACTION_REFERENCE_NEW_TABLE", S),
            ("ACTION_REFERENCE_OLD_ROW", S),
            ("ACTION_REFERENCE_NEW_ROW", S),
            ("CREATED", S),
            ("SQL_MODE", S),
            ("DEFINER", S),
            ("CHARACTER_SET_CLIENT", S),
            ("COLLATION_CONNECTION", S),
            ("DATABASE_COLLATION", S),
        ],
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "EVENTS",
        columns: &[
            ("EVENT_CATALOG", S),
            ("EVENT_SCHEMA", S),
            ("EVENT_NAME", S),
            ("DEFINER", S),
            ("TIME_ZONE", S),
            ("EVENT_BODY", S),
            ("EVENT_DEFINITION", S),
            ("EVENT_TYPE", S),
            ("EXECUTE_AT", S),
            ("INTERVAL_VALUE", S),
            ("INTERVAL_FIELD", S),
            ("SQL_MODE", S),
            ("STARTS", S),
            ("ENDS", S),
            ("STATUS", S),
            ("ON_COMPLETION", S),
            ("CREATED", S),
            ("LAST_ALTERED", S),
            ("LAST_EXECUTED", S),
            ("EVENT_COMMENT", S),
            ("ORIGINATOR", U),
            ("CHARACTER_SET_CLIENT", S),
            ("COLLATION_CONNECTION", S),
            ("DATABASE_COLLATION", S),
        ],
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "PARTITIONS",
        columns: &[
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("PARTITION_NAME", S),
            ("SUBPARTITION_NAME", S),
            ("PARTITION_ORDINAL_POSITION", U),
            ("SUBPARTITION_ORDINAL_POSITION", U),
            ("PARTITION_METHOD", S),
            ("SUBPARTITION_METHOD", S),
            ("PARTITION_EXPRESSION", S),
            ("SUBPARTITION_EXPRESSION", S),
            ("PARTITION_DESCRIPTION", S),
            ("TABLE_ROWS", U),
            ("AVG_ROW_LENGTH", U),
            ("DATA_LENGTH", U),
            ("MAX_DATA_LENGTH", U),
            ("INDEX_LENGTH", U),
            ("DATA_FREE", U),
            ("CREATE_TIME", S),
            ("UPDATE_TIME", S),
            ("CHECK_TIME", S),
            ("CHECKSUM", I),
            ("PARTITION_COMMENT", S),
            ("NODEGROUP", S),
            ("TABLESPACE_NAME", S),
        ],
        // Flink's partitioned tables are not listed yet.
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "PLUGINS",
        columns: &[
            ("PLUGIN_NAME", S),
            ("PLUGIN_VERSION", S),
            ("PLUGIN_STATUS", S),
            ("PLUGIN_TYPE", S),
            ("PLUGIN_TYPE_VERSION", S),
            ("PLUGIN_LIBRARY", S),
            ("PLUGIN_LIBRARY_VERSION", S),
            ("PLUGIN_AUTHOR", S),
            ("PLUGIN_DESCRIPTION", S),
            ("PLUGIN_LICENSE", S),
            ("LOAD_OPTION", S),
        ],
        needs: Needs::Nothing,
        rows: |_, _| {
            [("mysql_native_password", "Native MySQL authentication"), ("caching_sha2_password", "Caching sha2 authentication")]
                .iter()
                .map(|(name, what)| {
                    vec![s(*name), s("1.0"), s("ACTIVE"), s("AUTHENTICATION"), s("2.1"), none(), none(), s("Weir"), s(*what), s("GPL"), s("FORCE")]
                })
                .collect()
        },
    },
    TableRule {
        name: "ENGINES",
        columns: &[("ENGINE", S), ("SUPPORT", S), ("COMMENT", S), ("TRANSACTIONS", S), ("XA", S), ("SAVEPOINTS", S)],
        needs: Needs::Nothing,
        rows: |_, _| vec![vec![s(ENGINE), s("DEFAULT"), s("Apache Flink tables, served by Weir"), s("NO"), s("NO"), s("NO")]],
    },
    TableRule {
        name: "CHARACTER_SETS",
        columns: &[("CHARACTER_SET_NAME", S), ("DEFAULT_COLLATE_NAME", S), ("DESCRIPTION", S), ("MAXLEN", U)],
        needs: Needs::Nothing,
        rows: |_, _| {
            vec![
                vec![s("binary"), s("binary"), s("Binary pseudo charset"), u(1u64)],
                vec![s(CHARSET), s(COLLATION), s("UTF-8 Unicode"), u(4u64)],
            ]
        },
    },
    TableRule {
        name: "COLLATIONS",
        columns: &[
            ("COLLATION_NAME", S),
            ("CHARACTER_SET_NAME", S),
            ("ID", U),
            ("IS_DEFAULT", S),
            ("IS_COMPILED", S),
            ("SORTLEN", U),
            ("PAD_ATTRIBUTE", S),
        ],
        needs: Needs::Nothing,
        rows: |_, _| {
            COLLATIONS.iter().map(|(name, cs, id, default, pad)| vec![s(*name), s(*cs), u(*id), s(*default), s("Yes"), u(1u64), s(*pad)]).collect()
        },
    },
    TableRule {
        name: "COLLATION_CHARACTER_SET_APPLICABILITY",
        columns: &[("COLLATION_NAME", S), ("CHARACTER_SET_NAME", S)],
        needs: Needs::Nothing,
        rows: |_, _| COLLATIONS.iter().map(|(name, cs, ..)| vec![s(*name), s(*cs)]).collect(),
    },
    TableRule {
        name: "KEYWORDS",
        columns: &[("WORD", S), ("RESERVED", I)],
        needs: Needs::Nothing,
        rows: |_, _| {
            use sqlparser::keywords::{ALL_KEYWORDS, ALL_KEYWORDS_INDEX, RESERVED_FOR_COLUMN_ALIAS, RESERVED_FOR_TABLE_ALIAS};
            ALL_KEYWORDS
                .iter()
                .zip(ALL_KEYWORDS_INDEX.iter())
                .map(|(w, k)| {
                    let reserved = RESERVED_FOR_COLUMN_ALIAS.contains(k) || RESERVED_FOR_TABLE_ALIAS.contains(k);
                    vec![s(*w), Value::Int(i64::from(reserved))]
                })
                .collect()
        },
    },
    TableRule {
        name: "PROCESSLIST",
        columns: &[("ID", U), ("USER", S), ("HOST", S), ("DB", S), ("COMMAND", S), ("TIME", I), ("STATE", S), ("INFO", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.sessions
                .iter()
                .map(|p| {
                    vec![
                        u(p.id),
                        s(&p.user),
                        s(&p.host),
                        p.database.clone().map(Value::Str).unwrap_or(Value::Null),
                        s(p.command()),
                        Value::Int(i64::try_from(p.time).unwrap_or(i64::MAX)),
                        s(p.state()),
                        p.info.clone().map(Value::Str).unwrap_or(Value::Null),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "USER_PRIVILEGES",
        columns: &[("GRANTEE", S), ("TABLE_CATALOG", S), ("PRIVILEGE_TYPE", S), ("IS_GRANTABLE", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            use crate::statement::privilege::Level;
            env.privileges
                .iter()
                .filter(|p| p.level == Level::Global)
                .map(|p| vec![s(&p.grantee), s(DEF), s(&p.privilege), yes_no(p.grantable)])
                .collect()
        },
    },
    TableRule {
        name: "SCHEMA_PRIVILEGES",
        columns: &[("GRANTEE", S), ("TABLE_CATALOG", S), ("TABLE_SCHEMA", S), ("PRIVILEGE_TYPE", S), ("IS_GRANTABLE", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            use crate::statement::privilege::Level;
            env.privileges
                .iter()
                .filter_map(|p| match &p.level {
                    Level::Database { database, .. } => Some(vec![s(&p.grantee), s(DEF), s(database), s(&p.privilege), yes_no(p.grantable)]),
                    _ => None,
                })
                .collect()
        },
    },
    TableRule {
        name: "TABLE_PRIVILEGES",
        columns: &[("GRANTEE", S), ("TABLE_CATALOG", S), ("TABLE_SCHEMA", S), ("TABLE_NAME", S), ("PRIVILEGE_TYPE", S), ("IS_GRANTABLE", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            use crate::statement::privilege::Level;
            env.privileges
                .iter()
                .filter_map(|p| match &p.level {
                    Level::Table { database, table, .. } => {
                        Some(vec![s(&p.grantee), s(DEF), s(database), s(table), s(&p.privilege), yes_no(p.grantable)])
                    }
                    _ => None,
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_AUDIT",
        columns: &[
            ("EVENT_TIME", S),
            ("USER", S),
            ("HOST", S),
            ("TENANT", S),
            ("CONNECTION_ID", U),
            ("KIND", S),
            ("STATEMENT", S),
            ("OBJECTS", S),
            ("RESULT", S),
            ("ROWS", U),
            ("DURATION_MS", D),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.audit
                .iter()
                .map(|r| {
                    vec![
                        time(Some(r.event_time)),
                        s(&r.user),
                        s(&r.host),
                        s(&r.tenant),
                        u(r.connection_id),
                        s(&r.kind),
                        s(&r.statement),
                        s(&r.objects),
                        s(&r.result),
                        u(r.rows),
                        Value::Double(r.duration_us as f64 / 1000.0),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "COLUMN_PRIVILEGES",
        columns: &[
            ("GRANTEE", S),
            ("TABLE_CATALOG", S),
            ("TABLE_SCHEMA", S),
            ("TABLE_NAME", S),
            ("COLUMN_NAME", S),
            ("PRIVILEGE_TYPE", S),
            ("IS_GRANTABLE", S),
        ],
        needs: Needs::Nothing,
        rows: empty,
    },
    TableRule {
        name: "SESSION_VARIABLES",
        columns: &[("VARIABLE_NAME", S), ("VARIABLE_VALUE", S)],
        needs: Needs::Nothing,
        rows: |_, env| env.variables.iter().map(|(n, v)| vec![s(n), s(v)]).collect(),
    },
    TableRule {
        name: "GLOBAL_VARIABLES",
        columns: &[("VARIABLE_NAME", S), ("VARIABLE_VALUE", S)],
        needs: Needs::Nothing,
        rows: |_, env| env.variables.iter().map(|(n, v)| vec![s(n), s(v)]).collect(),
    },
    TableRule {
        name: "WEIR_CONNECTORS",
        // SHOW CONNECTORS's columns.
        columns: &[("CLUSTER", S), ("CONNECTOR", S), ("VERSION", S), ("ARTIFACT", S), ("LOADED", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.connectors
                .iter()
                .map(|(cluster, c)| vec![s(cluster), s(&c.connector), s(&c.version), s(&c.artifact), s(if c.loaded { "YES" } else { "NO" })])
                .collect()
        },
    },
    TableRule {
        name: "FLINK_CLUSTERS",
        columns: &[("NAME", S), ("VERSION", S), ("REST_API", S), ("ENDPOINT", S), ("MANAGED", S), ("STATUS", S), ("SESSIONS", U), ("METRICS_ENDPOINTS", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.clusters
                .iter()
                .map(|c| {
                    vec![
                        s(&c.name),
                        c.flink_version.clone().map(Value::Str).unwrap_or(Value::Null),
                        c.api_version.clone().map(Value::Str).unwrap_or(Value::Null),
                        s(&c.endpoint),
                        s(if c.managed { "YES" } else { "NO" }),
                        s(&c.status),
                        u(c.sessions),
                        c.metrics_endpoints.clone().map(Value::Str).unwrap_or(Value::Null),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "JOBS",
        // The first five as they were when JOBS came from the session cluster's SHOW JOBS.
        columns: &[
            ("JOB_ID", S),
            ("JOB_NAME", S),
            ("STATUS", S),
            ("START_TIME", S),
            ("CLUSTER", S),
            ("END_TIME", S),
            ("DURATION_MS", I),
            ("TASKS", U),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            let text = |v: &Option<String>| v.clone().map(Value::Str).unwrap_or(Value::Null);
            env.jobs
                .iter()
                .map(|j| {
                    vec![
                        s(&j.id),
                        s(&j.name),
                        s(&j.status),
                        text(&j.start_time),
                        s(&j.cluster),
                        text(&j.end_time),
                        j.duration_ms.map(Value::Int).unwrap_or(Value::Null),
                        opt_u(j.tasks),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "SESSIONS",
        columns: &[("ID", U), ("USER", S), ("HOST", S), ("TIME", I), ("INFO", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.sessions
                .iter()
                .map(|p| {
                    vec![u(p.id), s(&p.user), s(&p.host), Value::Int(i64::try_from(p.connected).unwrap_or(i64::MAX)), p.info.clone().map(Value::Str).unwrap_or(Value::Null)]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_JOBS",
        columns: &[
            ("JOB_NAME", S),
            ("VERSION", U),
            ("RUNNING_VERSION", U),
            ("CLUSTER", S),
            ("STATE", S),
            ("FLINK_JOB_ID", S),
            ("FLINK_STATE", S),
            ("STARTED", S),
            ("LAST_SAVEPOINT", S),
            ("RESTARTS", I),
            ("REASON", S),
            ("COMMENT", S),
            ("CREATED_BY", S),
            ("CREATED", S),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            let Some(m) = &env.managed else { return Vec::new() };
            m.jobs
                .iter()
                .map(|j| {
                    let last = m
                        .savepoints
                        .iter()
                        .filter(|s| s.job == j.name && s.kind == "savepoint" && s.completed_at.is_some() && s.disposed_at.is_none())
                        .max_by_key(|s| (s.completed_at, s.id))
                        .map(|s| s.path.clone());
                    vec![
                        s(&j.name),
                        u(j.version),
                        j.running_version.map(u).unwrap_or(Value::Null),
                        s(&j.cluster),
                        s(j.state.as_str()),
                        opt_s(&j.flink_job_id),
                        opt_s(&j.flink_state),
                        time(j.started_at),
                        opt_s(&last),
                        Value::Int(j.restarts),
                        s(&j.reason),
                        s(&j.comment),
                        s(&j.created_by),
                        time(Some(j.created_at)),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_DATASYNC_TABLES",
        columns: &[("DATASYNC_NAME", S), ("SOURCE_TABLE", S), ("SINK_TABLE", S), ("PHASE", S), ("ROWS_COPIED", U), ("FETCH_LAG_MS", I)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.datasync_tables
                .iter()
                .map(|t| vec![s(&t.datasync), s(&t.source_table), s(&t.sink_table), s(&t.phase), opt_u(t.rows), t.lag_ms.map(Value::Int).unwrap_or(Value::Null)])
                .collect()
        },
    },
    TableRule {
        name: "WEIR_METRICS",
        columns: &[("NAME", S), ("LABELS", S), ("VALUE", D)],
        needs: Needs::Nothing,
        rows: |_, env| env.metrics.iter().map(|(n, l, v)| vec![s(n), s(l), Value::Double(*v)]).collect(),
    },
    TableRule {
        name: "WEIR_ALERTS",
        columns: &[
            ("ALERT_ID", I),
            ("RULE_NAME", S),
            ("CHANNEL", S),
            ("SUBJECT", S),
            ("MESSAGE", S),
            ("STATE", S),
            ("ATTEMPTS", I),
            ("LAST_ERROR", S),
            ("CREATED", S),
            ("DELIVERED", S),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.alerts
                .iter()
                .map(|a| {
                    vec![
                        Value::Int(a.id),
                        s(&a.rule),
                        s(&a.channel),
                        s(&a.subject),
                        // A Flink root cause or a delivery error may carry a URL's credentials.
                        s(crate::statement::secrets::mask_urls(&a.message)),
                        s(&a.state),
                        Value::Int(a.attempts),
                        s(crate::statement::secrets::mask_urls(&a.last_error)),
                        time(Some(a.created_at)),
                        time(a.delivered_at),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_TABLE_LINEAGE",
        columns: &[("VIA_TYPE", S), ("VIA_NAME", S), ("VERSION", U), ("FROM_TABLE", S), ("TO_TABLE", S), ("KIND", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.lineage
                .iter()
                .filter(|r| r.is_table())
                .map(|r| vec![s(r.via_kind.as_str()), s(&r.via), u(r.version), s(&r.from_table), s(&r.to_table), s(&r.kind)])
                .collect()
        },
    },
    TableRule {
        name: "WEIR_COLUMN_LINEAGE",
        columns: &[
            ("VIA_TYPE", S),
            ("VIA_NAME", S),
            ("VERSION", U),
            ("FROM_TABLE", S),
            ("FROM_COLUMN", S),
            ("TO_TABLE", S),
            ("TO_COLUMN", S),
            ("KIND", S),
            ("DETAIL", S),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            let text = |v: &Option<String>| v.clone().map(Value::Str).unwrap_or(Value::Null);
            let empty_null = |v: &str| if v.is_empty() { Value::Null } else { s(v) };
            env.lineage
                .iter()
                .filter(|r| !r.is_table())
                .map(|r| {
                    vec![
                        s(r.via_kind.as_str()),
                        s(&r.via),
                        u(r.version),
                        empty_null(&r.from_table),
                        text(&r.from_column),
                        s(&r.to_table),
                        text(&r.to_column),
                        s(&r.kind),
                        empty_null(&r.detail),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_SCHEDULE_RUNS",
        columns: &[("SCHEDULE_NAME", S), ("RUN_ID", I), ("STATE", S), ("TRIGGERED_BY", S), ("START_TIME", S), ("END_TIME", S), ("REASON", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.schedule_runs
                .iter()
                .map(|r| vec![s(&r.schedule), Value::Int(r.run_id), s(r.state.as_str()), s(&r.trigger), time(Some(r.start_time)), time(r.end_time), s(&r.reason)])
                .collect()
        },
    },
    TableRule {
        name: "WEIR_SCHEDULE_TASKS",
        columns: &[
            ("SCHEDULE_NAME", S),
            ("RUN_ID", I),
            ("JOB_NAME", S),
            ("STATE", S),
            ("ATTEMPT", I),
            ("FLINK_JOB_ID", S),
            ("START_TIME", S),
            ("END_TIME", S),
            ("REASON", S),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            env.schedule_tasks
                .iter()
                .map(|t| {
                    vec![
                        s(&t.schedule),
                        Value::Int(t.run_id),
                        s(&t.job),
                        s(t.state.as_str()),
                        Value::Int(t.attempt),
                        opt_s(&t.flink_job_id),
                        time(t.start_time),
                        time(t.end_time),
                        s(&t.reason),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_JOB_VERSIONS",
        columns: &[("JOB_NAME", S), ("VERSION", U), ("STATEMENT", S), ("OPTIONS", S), ("JARS", S), ("CATALOG_NAME", S), ("DATABASE_NAME", S), ("CREATED_BY", S), ("CREATED", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            let Some(m) = &env.managed else { return Vec::new() };
            m.versions
                .iter()
                .map(|v| {
                    let options: Vec<String> = v.options.iter().map(|(k, x)| format!("'{k}' = '{x}'")).collect();
                    vec![s(&v.job), u(v.version), s(crate::statement::secrets::mask(&v.body).into_owned()), s(options.join(", ")), s(v.jars.join(", ")), s(&v.catalog), s(&v.database), s(&v.created_by), time(Some(v.created_at))]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_JOB_RUNS",
        columns: &[
            ("JOB_NAME", S),
            ("RUN", I),
            ("VERSION", U),
            ("CLUSTER", S),
            ("FLINK_JOB_ID", S),
            ("RESTORED_FROM", S),
            ("STARTED", S),
            ("ENDED", S),
            ("END_STATE", S),
            ("ROOT_CAUSE", S),
            ("WEB_UI", S),
        ],
        needs: Needs::Nothing,
        rows: |_, env| {
            let Some(m) = &env.managed else { return Vec::new() };
            m.runs
                .iter()
                .map(|r| {
                    vec![
                        s(&r.job),
                        Value::Int(r.run),
                        u(r.version),
                        s(&r.cluster),
                        s(&r.flink_job_id),
                        opt_s(&r.restored_from),
                        time(Some(r.started_at)),
                        time(r.ended_at),
                        opt_s(&r.end_state),
                        opt_s(&r.root_cause),
                        s(&r.web_ui),
                    ]
                })
                .collect()
        },
    },
    TableRule {
        name: "WEIR_JOB_EVENTS",
        columns: &[("JOB_NAME", S), ("EVENT_ID", I), ("TIME", S), ("EVENT", S), ("STATE", S), ("DETAIL", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            let Some(m) = &env.managed else { return Vec::new() };
            m.events.iter().map(|e| vec![s(&e.job), Value::Int(e.id), time(Some(e.at)), s(&e.event), s(&e.state), s(&e.detail)]).collect()
        },
    },
    TableRule {
        name: "WEIR_SAVEPOINTS",
        columns: &[("JOB_NAME", S), ("VERSION", U), ("PATH", S), ("KIND", S), ("TRIGGERED_BY", S), ("COMPLETED", S), ("DISPOSED", S)],
        needs: Needs::Nothing,
        rows: |_, env| {
            let Some(m) = &env.managed else { return Vec::new() };
            m.savepoints
                .iter()
                .map(|p| vec![s(&p.job), u(p.version), s(&p.path), s(&p.kind), s(&p.trigger), time(p.completed_at), time(p.disposed_at)])
                .collect()
        },
    },
];

fn opt_s(v: &Option<String>) -> Value {
    v.clone().map(Value::Str).unwrap_or(Value::Null)
}

/// Milliseconds since the epoch as a UTC datetime text.
fn time(ms: Option<i64>) -> Value {
    ms.and_then(super::epoch_millis).map(Value::Str).unwrap_or(Value::Null)
}

/// (name, character set, id, IS_DEFAULT, PAD_ATTRIBUTE)
const COLLATIONS: &[(&str, &str, u64, &str, &str)] = &[
    ("binary", "binary", 63, "Yes", "NO PAD"),
    ("utf8mb4_general_ci", CHARSET, 45, "", "PAD SPACE"),
    ("utf8mb4_bin", CHARSET, 46, "", "PAD SPACE"),
    ("utf8mb4_unicode_ci", CHARSET, 224, "", "PAD SPACE"),
    (COLLATION, CHARSET, 255, "Yes", "NO PAD"),
];

/// The rule of a table, by name in any case.
pub fn table(name: &str) -> Option<&'static TableRule> {
    TABLES.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// Whether an information_schema column of this name holds text.
pub fn is_text_column(name: &str) -> bool {
    TABLES.iter().flat_map(|t| t.columns.iter()).any(|(n, c)| n.eq_ignore_ascii_case(name) && matches!(c, Col::S))
}

/// Whether `word` names an information_schema table or column (in any case): such words are
/// written in MySQL's upper case before the engine sees the query, as MySQL's names are
/// case-insensitive and the engine's are not.
pub fn canonical_name(word: &str) -> Option<&'static str> {
    use std::collections::HashMap;
    use std::sync::LazyLock;
    static NAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let mut m = HashMap::new();
        for t in TABLES {
            m.insert(t.name.to_ascii_lowercase(), t.name);
            for c in t.column_names() {
                m.insert(c.to_ascii_lowercase(), c);
            }
        }
        m.insert("information_schema".into(), "information_schema");
        m
    });
    NAMES.get(&word.to_ascii_lowercase()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_builds_its_declared_columns() {
        let snap = Snapshot {
            databases: vec!["db".into()],
            objects: vec![("db".into(), ObjectEntry { name: "t".into(), kind: ObjectKind::Table })],
            definitions: vec![ObjectDef {
                catalog: "c".into(),
                database: "db".into(),
                name: "t".into(),
                kind: ObjectKind::Table,
                columns: vec![super::super::source::ColumnDef { name: "id".into(), flink_type: "BIGINT".into(), nullable: false, comment: None, generated: None }],
                primary_key: vec!["id".into()],
                view_text: None,
                comment: Some("ids".into()),
            }],
        };
        let env = Env {
            sessions: vec![crate::metadata::Process { id: 1, user: "root".into(), host: "localhost".into(), database: None, info: None, time: 3, connected: 3 }],
            variables: vec![("a".into(), "b".into())], ..Default::default() };
        for t in TABLES {
            let built = t.build(&snap, &env);
            for row in &built.rows {
                assert_eq!(row.len(), built.columns.len(), "{}: a row has as many values as columns", t.name);
            }
            built.into_batch().unwrap_or_else(|e| panic!("{}: {e:?}", t.name));
        }
    }

    #[test]
    fn names_are_found_in_any_case() {
        assert_eq!(canonical_name("table_schema"), Some("TABLE_SCHEMA"));
        assert_eq!(canonical_name("Information_Schema"), Some("information_schema"));
        assert_eq!(canonical_name("orders"), None);
        assert_eq!(table("columns").map(|t| t.name), Some("COLUMNS"));
    }
}
