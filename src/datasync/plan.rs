//! What a datasync is made of, decided without I/O: its options, which tables it takes, what
//! they are called in the sink, their Flink types and `server-id`s, and the Flink SQL of its job.
//!
//! The job is one statement set with, per table, a TEMPORARY source table (Flink CDC's
//! `mysql-cdc` in CDC mode, the JDBC connector in SNAPSHOT mode) and an INSERT into the sink (a
//! TEMPORARY JDBC table over the sink table Weir created, or the Paimon catalog's table). The
//! temporary tables are part of the job's statement, so the job needs nothing of any session.

use std::collections::BTreeMap;

use weir_dialects::SourceDialect;
use weir_dialects::rules::types::{TypeUse, map};

use super::server::Address;
use super::{Datasync, DatasyncError, Mode, SinkKind, TableFilter};

/// The default checkpoint interval: the CDC source leaves its snapshot phase only after a
/// checkpoint, and the sinks commit on checkpoints.
pub const DEFAULT_CHECKPOINT_INTERVAL: &str = "10 s";

/// Where the first datasync's `server-id`s start when the statement gives none (Flink CDC's
/// documentation's example range); each datasync gets the next free block.
pub const FIRST_SERVER_ID: u32 = 5400;

/// The `server-id`s a datasync reserves at least, so tables picked up later find free ones.
pub const MIN_SERVER_ID_BLOCK: u32 = 64;

/// How sink table names are cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Keep,
    Lower,
    Upper,
}

/// A datasync's options (`WITH (...)`), read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub prefix: String,
    pub suffix: String,
    pub case: Case,
    pub parallelism: u32,
    pub server_ids: Option<(u32, u32)>,
    pub checkpoint_interval: String,
    /// Keys declared for tables without a primary key, by source table name.
    pub keys: BTreeMap<String, Vec<String>>,
    /// `source.<option>`: added to each source table's WITH.
    pub source: Vec<(String, String)>,
    /// `sink.<option>` (other than `sink.table.*`): added to each sink table's WITH.
    pub sink: Vec<(String, String)>,
    /// The cluster the job runs on (default: the session's, or one with the CDC connector).
    pub cluster: Option<String>,
}

/// Reads a datasync's options; an unknown or malformed one is an error naming it.
pub fn options(name: &str, given: &[(String, String)]) -> Result<Options, DatasyncError> {
    let bad = |message: String| DatasyncError::Option { name: name.to_string(), message };
    let mut o = Options {
        prefix: String::new(),
        suffix: String::new(),
        case: Case::Keep,
        parallelism: 1,
        server_ids: None,
        checkpoint_interval: DEFAULT_CHECKPOINT_INTERVAL.to_string(),
        keys: BTreeMap::new(),
        source: Vec::new(),
        sink: Vec::new(),
        cluster: None,
    };
    for (key, value) in given {
        match key.as_str() {
            "sink.table.prefix" => o.prefix = value.clone(),
            "sink.table.suffix" => o.suffix = value.clone(),
            "sink.table.case" => {
                o.case = match value.to_ascii_lowercase().as_str() {
                    "lower" => Case::Lower,
                    "upper" => Case::Upper,
                    "keep" | "" => Case::Keep,
                    _ => return Err(bad(format!("'sink.table.case' is lower, upper or keep, not '{value}'"))),
                }
            }
            "parallelism" => {
                o.parallelism = value.trim().parse::<u32>().ok().filter(|n| (1..=64).contains(n)).ok_or_else(|| bad(format!("'parallelism' is a number from 1 to 64, not '{value}'")))?
            }
            "server-id" => o.server_ids = Some(server_id_range(value).ok_or_else(|| bad(format!("'server-id' is a number or a range 'first-last', not '{value}'")))?),
            "checkpoint.interval" => {
                if crate::jobs::settings::parse_duration(value).is_none() {
                    return Err(bad(format!("'checkpoint.interval' is a duration such as '10 s', not '{value}'")));
                }
                o.checkpoint_interval = value.clone();
            }
            "cluster" => o.cluster = Some(value.clone()),
            k if k.starts_with("table.") && k.ends_with(".key") && k.len() > "table..key".len() => {
                let table = &k["table.".len()..k.len() - ".key".len()];
                let cols: Vec<String> = value.split(',').map(|c| c.trim().trim_matches('`').to_string()).filter(|c| !c.is_empty()).collect();
                if cols.is_empty() {
                    return Err(bad(format!("'{k}' names no column")));
                }
                o.keys.insert(table.to_string(), cols);
            }
            k if k.starts_with("source.") && k.len() > "source.".len() => o.source.push((k["source.".len()..].to_string(), value.clone())),
            k if k.starts_with("sink.") && !k.starts_with("sink.table.") && k.len() > "sink.".len() => o.sink.push((k["sink.".len()..].to_string(), value.clone())),
            _ => {
                return Err(bad(format!(
                    "unknown option '{key}' (known: sink.table.prefix, sink.table.suffix, sink.table.case, parallelism, server-id, checkpoint.interval, cluster, table.<name>.key, source.<flink option>, sink.<flink option>)"
                )));
            }
        }
    }
    Ok(o)
}

/// `5400` or `5400-5404`.
fn server_id_range(text: &str) -> Option<(u32, u32)> {
    let t = text.trim();
    let (a, b) = t.split_once('-').unwrap_or((t, t));
    let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
    (a >= 1 && a <= b).then_some((a, b))
}

/// Why no table list could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// A table the statement names is not in the source database.
    Missing(String),
    /// Nothing matches.
    Empty,
}

/// The source tables a datasync takes, in the source's order.
pub fn select(all: &[String], filter: &TableFilter, exclude: &[String]) -> Result<Vec<String>, Selection> {
    let mut chosen: Vec<String> = match filter {
        TableFilter::All => all.to_vec(),
        TableFilter::Named(names) => {
            let mut out = Vec::new();
            for n in names {
                let found = all.iter().find(|t| *t == n).or_else(|| all.iter().find(|t| t.eq_ignore_ascii_case(n)));
                match found {
                    Some(t) if !out.contains(t) => out.push(t.clone()),
                    Some(_) => {}
                    None => return Err(Selection::Missing(n.clone())),
                }
            }
            out
        }
        TableFilter::Like(p) => all.iter().filter(|t| crate::value::like(p, t)).cloned().collect(),
        TableFilter::Regexp(re) => {
            let re = regex::RegexBuilder::new(re).case_insensitive(true).build().map_err(|_| Selection::Empty)?;
            all.iter().filter(|t| re.is_match(t)).cloned().collect()
        }
    };
    chosen.retain(|t| !exclude.iter().any(|x| x.eq_ignore_ascii_case(t)));
    if chosen.is_empty() { Err(Selection::Empty) } else { Ok(chosen) }
}

/// What a filter reads as, for messages and SHOW CREATE DATASYNC.
pub fn filter_text(filter: &TableFilter) -> String {
    let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
    match filter {
        TableFilter::All => "tables".to_string(),
        TableFilter::Named(n) => format!("TABLES ({})", n.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")),
        TableFilter::Like(p) => format!("TABLES LIKE {}", q(p)),
        TableFilter::Regexp(r) => format!("TABLES REGEXP {}", q(r)),
    }
}

/// A source table's name in the sink.
pub fn sink_name(o: &Options, source: &str) -> String {
    let name = format!("{}{source}{}", o.prefix, o.suffix);
    match o.case {
        Case::Keep => name,
        Case::Lower => name.to_lowercase(),
        Case::Upper => name.to_uppercase(),
    }
}

/// The `server-id` range of the `index`-th table of a datasync whose block starts at `first`.
pub fn server_ids_of(first: u32, index: usize, parallelism: u32) -> String {
    let start = first + u32::try_from(index).unwrap_or(u32::MAX / 2).saturating_mul(parallelism);
    format!("{start}-{}", start + parallelism - 1)
}

/// The block of `server-id`s a new datasync takes: the statement's, or the next free one after
/// every other datasync's.
pub fn server_id_block(o: &Options, tables: usize, others: &[Datasync]) -> (u32, u32) {
    if let Some(r) = o.server_ids {
        return r;
    }
    let need = (u32::try_from(tables).unwrap_or(u32::MAX / 2).saturating_mul(o.parallelism)).max(MIN_SERVER_ID_BLOCK);
    let first = others.iter().map(|d| d.server_ids.1 + 1).max().unwrap_or(FIRST_SERVER_ID).max(FIRST_SERVER_ID);
    (first, first + need - 1)
}

/// The Flink type of a source column (`COLUMN_TYPE` as the server gives it), after Flink CDC's
/// MySQL type table; `Err` says why it has none.
pub fn flink_type(column_type: &str) -> Result<String, String> {
    flink_type_noted(column_type).map(|(ty, _)| ty)
}

/// [`flink_type`] with the note of what the mapping changes (`TINYINT(1)` became `BOOLEAN`, …).
pub fn flink_type_noted(column_type: &str) -> Result<(String, Option<String>), String> {
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;
    // ZEROFILL and a column's character set change nothing Flink holds.
    let cleaned = column_type.replace(" zerofill", "").replace(" ZEROFILL", "");
    let dialect = MySqlDialect {};
    let dt = Parser::new(&dialect)
        .try_with_sql(&cleaned)
        .and_then(|mut p| p.parse_data_type())
        .map_err(|_| "Weir cannot read this type".to_string())?;
    let mapped = map(&dt, SourceDialect::MySql, TypeUse::Column)?;
    Ok((mapped.ty.to_string(), mapped.note))
}

/// The Flink DDL of one source table for a connector (`SHOW CREATE TABLE … FOR FLINK AS …`):
/// its columns and key, and the connector's options for reading (or, Paimon, holding) it.
pub fn table_ddl(t: &super::SyncedTable, database: &str, source: &Address, source_mariadb: bool, time_zone: &str, connector: crate::statement::FlinkDdlFor) -> String {
    use crate::statement::FlinkDdlFor;
    let options: Vec<(String, String)> = match connector {
        FlinkDdlFor::Cdc => vec![
            ("connector".into(), "mysql-cdc".into()),
            ("hostname".into(), source.host.clone()),
            ("port".into(), source.port.to_string()),
            ("username".into(), source.user.clone()),
            ("password".into(), source.password.clone()),
            ("database-name".into(), regex::escape(database)),
            ("table-name".into(), regex::escape(&t.source)),
            ("server-id".into(), FIRST_SERVER_ID.to_string()),
            ("server-time-zone".into(), time_zone.to_string()),
        ],
        FlinkDdlFor::Jdbc => {
            let mut v = vec![
                ("connector".into(), "jdbc".into()),
                ("url".into(), source.jdbc_url(database, source_mariadb)),
                ("table-name".into(), t.source.clone()),
                ("username".into(), source.user.clone()),
                ("password".into(), source.password.clone()),
            ];
            if source_mariadb {
                v.push(("driver".into(), "org.mariadb.jdbc.Driver".into()));
            }
            v
        }
        FlinkDdlFor::Paimon => Vec::new(),
    };
    let tail = if options.is_empty() { String::new() } else { format!(" {}", with(&options)) };
    format!("CREATE TABLE {} ({}){tail}", q(&t.source), columns_ddl(t))
}

/// A Flink identifier, back-quoted.
fn q(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A Flink string literal.
fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn with(options: &[(String, String)]) -> String {
    let parts: Vec<String> = options.iter().map(|(k, v)| format!("{} = {}", lit(k), lit(v))).collect();
    format!("WITH ({})", parts.join(", "))
}

/// Where the job writes.
pub enum SinkTarget<'a> {
    /// A MySQL/MariaDB database, through TEMPORARY JDBC tables.
    Jdbc { address: &'a Address, mariadb: bool },
    /// The Paimon catalog's tables themselves.
    Paimon,
}

/// The servers a job's statement names.
pub struct Endpoints<'a> {
    pub source: &'a Address,
    pub source_mariadb: bool,
    /// The source server's time zone (for TIMESTAMP columns).
    pub source_time_zone: &'a str,
    pub sink: SinkTarget<'a>,
}

fn columns_ddl(t: &super::SyncedTable) -> String {
    t.column_list(|c| &c.flink_type, " NOT ENFORCED")
}

/// The Paimon table a synced table is written to (created through Flink before the job starts).
pub fn paimon_table_ddl(d: &Datasync, o: &Options, t: &super::SyncedTable) -> String {
    let tail = if o.sink.is_empty() { String::new() } else { format!(" {}", with(&o.sink)) };
    format!("CREATE TABLE IF NOT EXISTS {}.{}.{} ({}){tail}", q(&d.sink_catalog), q(&d.sink_database), q(&t.sink), columns_ddl(t))
}

/// The job's statement: the TEMPORARY tables, then the statement set.
pub fn job_script(d: &Datasync, o: &Options, e: &Endpoints<'_>) -> String {
    let mut script = Vec::new();
    let mut inserts = Vec::new();
    for t in &d.tables {
        let src = format!("src_{}", t.source);
        let mut src_opts: Vec<(String, String)> = match d.mode {
            Mode::Cdc => {
                let mut v = vec![
                    ("connector".to_string(), "mysql-cdc".to_string()),
                    ("hostname".to_string(), e.source.host.clone()),
                    ("port".to_string(), e.source.port.to_string()),
                    ("username".to_string(), e.source.user.clone()),
                    ("password".to_string(), e.source.password.clone()),
                    // Both are regular expressions to the connector.
                    ("database-name".to_string(), regex::escape(&d.source_database)),
                    ("table-name".to_string(), regex::escape(&t.source)),
                    ("server-id".to_string(), t.server_ids.clone()),
                    ("server-time-zone".to_string(), e.source_time_zone.to_string()),
                ];
                if let Some(first) = t.key.first() {
                    v.push(("scan.incremental.snapshot.chunk.key-column".to_string(), first.clone()));
                }
                // Every sink table is keyed and written as upserts, so a change made while a chunk
                // is read is applied again from the binlog afterwards: the per-chunk binlog
                // backfill is not needed, and after a restore from a checkpoint it is the part
                // of Flink CDC 3.5 seen to hang on MariaDB (README, Datasyncs).
                v.push(("scan.incremental.snapshot.backfill.skip".to_string(), "true".to_string()));
                v
            }
            Mode::Snapshot => {
                let mut v = vec![
                    ("connector".to_string(), "jdbc".to_string()),
                    ("url".to_string(), e.source.jdbc_url(&d.source_database, e.source_mariadb)),
                    ("table-name".to_string(), t.source.clone()),
                    ("username".to_string(), e.source.user.clone()),
                    ("password".to_string(), e.source.password.clone()),
                ];
                if e.source_mariadb {
                    v.push(("driver".to_string(), "org.mariadb.jdbc.Driver".to_string()));
                }
                v
            }
        };
        src_opts.extend(o.source.iter().cloned());
        script.push(format!("CREATE TEMPORARY TABLE {} ({}) {}", q(&src), columns_ddl(t), with(&src_opts)));
        let target = match &e.sink {
            SinkTarget::Jdbc { address, mariadb } => {
                let snk = format!("snk_{}", t.sink);
                let mut v = vec![
                    ("connector".to_string(), "jdbc".to_string()),
                    ("url".to_string(), address.jdbc_url(&d.sink_database, *mariadb)),
                    ("table-name".to_string(), t.sink.clone()),
                    ("username".to_string(), address.user.clone()),
                    ("password".to_string(), address.password.clone()),
                ];
                if *mariadb {
                    v.push(("driver".to_string(), "org.mariadb.jdbc.Driver".to_string()));
                }
                v.extend(o.sink.iter().cloned());
                script.push(format!("CREATE TEMPORARY TABLE {} ({}) {}", q(&snk), columns_ddl(t), with(&v)));
                q(&snk)
            }
            SinkTarget::Paimon => format!("{}.{}.{}", q(&d.sink_catalog), q(&d.sink_database), q(&t.sink)),
        };
        inserts.push(format!("INSERT INTO {target} SELECT * FROM {}", q(&src)));
    }
    let body = inserts.iter().map(|i| format!("{i};\n")).collect::<String>();
    script.push(format!("EXECUTE STATEMENT SET BEGIN\n{body}END"));
    script.join(";\n")
}

/// The job's Flink options.
pub fn job_options(d: &Datasync, o: &Options) -> Vec<(String, String)> {
    let mut v = vec![
        ("execution.checkpointing.interval".to_string(), o.checkpoint_interval.clone()),
        ("parallelism.default".to_string(), o.parallelism.to_string()),
        ("weir.cluster".to_string(), d.cluster.clone()),
    ];
    if d.mode == Mode::Snapshot {
        v.push(("execution.runtime-mode".to_string(), "batch".to_string()));
    }
    v
}

/// The kind of sink a catalog's type makes.
pub fn sink_kind(catalog_type: &str) -> Option<SinkKind> {
    match catalog_type.to_ascii_lowercase().as_str() {
        "jdbc" => Some(SinkKind::Jdbc),
        "paimon" => Some(SinkKind::Paimon),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasync::{Column, SyncedTable};

    fn o(pairs: &[(&str, &str)]) -> Result<Options, DatasyncError> {
        let v: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        options("d", &v)
    }

    #[test]
    fn options_are_read_and_unknown_ones_refused() {
        let x = o(&[("sink.table.prefix", "ods_"), ("sink.table.case", "lower"), ("parallelism", "2"), ("server-id", "6000-6009"), ("table.log.key", "a, b"), ("sink.bucket", "2"), ("source.scan.fetch-size", "10")]).unwrap();
        assert_eq!((x.prefix.as_str(), x.case, x.parallelism, x.server_ids), ("ods_", Case::Lower, 2, Some((6000, 6009))));
        assert_eq!(x.keys["log"], vec!["a", "b"]);
        assert_eq!(x.sink, vec![("bucket".to_string(), "2".to_string())]);
        assert_eq!(x.source, vec![("scan.fetch-size".to_string(), "10".to_string())]);
        assert!(o(&[("parallelism", "0")]).unwrap_err().to_string().contains("'parallelism'"));
        assert!(o(&[("server-id", "9-1")]).is_err());
        assert!(o(&[("sink.tabel.prefix", "x")]).is_ok(), "a sink.<flink option> is passed to Flink");
        assert!(o(&[("prefix", "x")]).unwrap_err().to_string().contains("unknown option 'prefix'"));
    }

    #[test]
    fn tables_are_chosen_by_name_pattern_or_regexp_less_the_excluded() {
        let all: Vec<String> = ["customers", "log", "order_items", "orders"].iter().map(|s| s.to_string()).collect();
        assert_eq!(select(&all, &TableFilter::All, &["log".into()]).unwrap(), ["customers", "order_items", "orders"]);
        assert_eq!(select(&all, &TableFilter::Like("order%".into()), &[]).unwrap(), ["order_items", "orders"]);
        assert_eq!(select(&all, &TableFilter::Regexp("^c".into()), &[]).unwrap(), ["customers"]);
        assert_eq!(select(&all, &TableFilter::Named(vec!["orders".into(), "nope".into()]), &[]), Err(Selection::Missing("nope".into())));
        assert_eq!(select(&all, &TableFilter::Like("x%".into()), &[]), Err(Selection::Empty));
    }

    #[test]
    fn sink_names_server_ids_and_blocks() {
        let x = o(&[("sink.table.prefix", "ODS_"), ("sink.table.case", "lower")]).unwrap();
        assert_eq!(sink_name(&x, "Orders"), "ods_orders");
        assert_eq!(server_ids_of(5400, 2, 2), "5404-5405");
        assert_eq!(server_id_block(&x, 3, &[]), (5400, 5463));
    }

    #[test]
    fn source_types_map_after_flink_cdc() {
        for (mysql, flink) in [
            ("bigint(20) unsigned", "DECIMAL(20, 0)"),
            ("int(11)", "INT"),
            ("decimal(10,2)", "DECIMAL(10, 2)"),
            ("varchar(64)", "VARCHAR(64)"),
            ("datetime(3)", "TIMESTAMP(3)"),
            ("timestamp", "TIMESTAMP(0)"),
            ("tinyint(1)", "BOOLEAN"),
            ("enum('a','b')", "STRING"),
            ("text", "STRING"),
            ("date", "DATE"),
            ("double", "DOUBLE"),
            ("int(10) unsigned zerofill", "BIGINT"),
        ] {
            assert_eq!(flink_type(mysql).as_deref(), Ok(flink), "{mysql}");
        }
    }

    #[test]
    fn the_job_reads_each_table_with_its_own_server_ids_and_writes_the_sink() {
        let d = Datasync {
            name: "d".into(),
            statement: String::new(),
            source_catalog: "src".into(),
            source_database: "shop".into(),
            sink_catalog: "lake".into(),
            sink_database: "ods".into(),
            sink_kind: SinkKind::Jdbc,
            mode: Mode::Cdc,
            filter: TableFilter::All,
            exclude: vec![],
            options: vec![],
            tables: vec![SyncedTable {
                source: "orders".into(),
                sink: "orders".into(),
                key: vec!["id".into()],
                columns: vec![Column { name: "id".into(), source_type: "bigint".into(), flink_type: "BIGINT".into(), nullable: false, default: None }],
                server_ids: "5400-5400".into(),
                rows_at_creation: 0,
            job: String::new(),
            }],
            server_ids: (5400, 5463),
            cluster: "local".into(),
            created_by: "root".into(),
            created_at: 0,
            skipped: vec![],
        };
        let src = Address { host: "127.0.0.1".into(), port: 3316, user: "cdc".into(), password: "pw".into() };
        let sink = Address { host: "127.0.0.1".into(), port: 3317, user: "w".into(), password: "pw2".into() };
        let sql = job_script(&d, &o(&[]).unwrap(), &Endpoints { source: &src, source_mariadb: true, source_time_zone: "UTC", sink: SinkTarget::Jdbc { address: &sink, mariadb: true } });
        let statements = weir_dialects::lexer::split_statements(&sql);
        assert_eq!(statements.len(), 3, "{sql}");
        assert!(statements[0].starts_with("CREATE TEMPORARY TABLE `src_orders` (`id` BIGINT NOT NULL, PRIMARY KEY (`id`) NOT ENFORCED) WITH ('connector' = 'mysql-cdc'"), "{sql}");
        assert!(statements[0].contains("'server-id' = '5400-5400'") && statements[0].contains("'table-name' = 'orders'"), "{sql}");
        assert!(statements[1].contains("'url' = 'jdbc:mysql://127.0.0.1:3317/ods?permitMysqlScheme'") && statements[1].contains("'driver' = 'org.mariadb.jdbc.Driver'"), "{sql}");
        assert_eq!(statements[2], "EXECUTE STATEMENT SET BEGIN\nINSERT INTO `snk_orders` SELECT * FROM `src_orders`;\nEND");
    }
}
