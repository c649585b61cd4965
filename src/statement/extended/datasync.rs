//! Datasyncs:
//!
//! ```text
//! CREATE DATASYNC [IF NOT EXISTS] name
//!   FROM catalog.database [TABLES ('t', ...) | TABLES LIKE 'pattern' | TABLES REGEXP 're'] [EXCLUDE ('t', ...)]
//!   TO catalog.database [MODE (CDC | SNAPSHOT)] [WITH (options)]
//! SHOW DATASYNCS [LIKE 'pattern']
//! SHOW CREATE DATASYNC name
//! DROP DATASYNC [IF EXISTS] name
//! ```

use super::{Extended, Parser};
use serde::{Deserialize, Serialize};

use crate::statement::SyntaxError;

/// What a datasync does after its snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncMode {
    /// A snapshot, then the binlog, until stopped.
    Cdc,
    /// One batch copy, then the job finishes.
    Snapshot,
}

impl SyncMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncMode::Cdc => "CDC",
            SyncMode::Snapshot => "SNAPSHOT",
        }
    }
}

/// Which source tables a datasync takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableFilter {
    All,
    Named(Vec<String>),
    Like(String),
    Regexp(String),
}

/// One of the datasync statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatasyncStatement {
    Create {
        name: String,
        if_not_exists: bool,
        source: (String, String),
        filter: TableFilter,
        exclude: Vec<String>,
        sink: (String, String),
        mode: SyncMode,
        options: Vec<(String, String)>,
    },
    Show { like: Option<String> },
    ShowCreate { name: String },
    Drop { name: String, if_exists: bool },
}

fn datasync(s: DatasyncStatement) -> Result<Option<Extended>, SyntaxError> {
    Ok(Some(Extended::Datasync(s)))
}

/// `catalog.database`.
fn qualified(p: &mut Parser<'_>, what: &str) -> Result<(String, String), SyntaxError> {
    let catalog = p.ident(&format!("the {what} as catalog.database"))?;
    p.punct('.', &format!("the {what} as catalog.database"))?;
    let database = p.ident(&format!("the {what}'s database"))?;
    Ok((catalog, database))
}

/// `('a', 'b', ...)`.
fn names(p: &mut Parser<'_>, what: &str) -> Result<Vec<String>, SyntaxError> {
    p.punct('(', "(")?;
    let mut out = Vec::new();
    loop {
        out.push(p.string(what)?);
        if p.punct(')', ")").is_ok() {
            return Ok(out);
        }
        p.punct(',', ", or )")?;
    }
}

/// After `CREATE DATASYNC`.
pub fn create(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_not_exists = p.keywords(&["IF", "NOT", "EXISTS"]);
    let name = p.ident("a datasync name")?;
    p.expect(&["FROM"])?;
    let source = qualified(p, "source")?;
    let filter = if p.keywords(&["TABLES", "LIKE"]) {
        TableFilter::Like(p.string("the table name pattern")?)
    } else if p.keywords(&["TABLES", "REGEXP"]) {
        let re = p.string("the table name regular expression")?;
        if regex::Regex::new(&re).is_err() {
            return Err(p.error_before(&format!("'{re}' is not a valid regular expression")));
        }
        TableFilter::Regexp(re)
    } else if p.keywords(&["TABLES"]) {
        TableFilter::Named(names(p, "a table name")?)
    } else {
        TableFilter::All
    };
    let exclude = if p.keywords(&["EXCLUDE"]) { names(p, "a table name")? } else { Vec::new() };
    p.expect(&["TO"])?;
    let sink = qualified(p, "sink")?;
    let mode = if p.keywords(&["MODE", "CDC"]) {
        SyncMode::Cdc
    } else if p.keywords(&["MODE", "SNAPSHOT"]) {
        SyncMode::Snapshot
    } else if p.keywords(&["MODE"]) {
        return Err(p.error("expected CDC or SNAPSHOT"));
    } else {
        SyncMode::Cdc
    };
    let options = if p.keywords(&["WITH"]) { super::jobs::options(p)? } else { Vec::new() };
    p.end("MODE, WITH (...) or the end of CREATE DATASYNC")?;
    datasync(DatasyncStatement::Create { name, if_not_exists, source, filter, exclude, sink, mode, options })
}

/// After `SHOW DATASYNCS`.
pub fn show(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let like = if p.keywords(&["LIKE"]) { Some(p.string("the LIKE pattern")?) } else { None };
    p.end("LIKE 'pattern' or the end of SHOW DATASYNCS")?;
    datasync(DatasyncStatement::Show { like })
}

/// After `SHOW CREATE DATASYNC`.
pub fn show_create(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a datasync name")?;
    p.end("the end of SHOW CREATE DATASYNC")?;
    datasync(DatasyncStatement::ShowCreate { name })
}

/// After `DROP DATASYNC`.
pub fn drop(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = p.keywords(&["IF", "EXISTS"]);
    let name = p.ident("a datasync name")?;
    p.end("the end of DROP DATASYNC")?;
    datasync(DatasyncStatement::Drop { name, if_exists })
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    fn of(sql: &str) -> DatasyncStatement {
        match parse_text(sql) {
            Ok(Some(Extended::Datasync(d))) => d,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn create_datasync_reads_every_clause() {
        assert_eq!(
            of("CREATE DATASYNC IF NOT EXISTS shop_sync FROM src.shop TABLES ('orders', 'customers') EXCLUDE ('log') TO lake.ods MODE SNAPSHOT WITH ('sink.table.prefix' = 'ods_', 'parallelism' = '2');"),
            DatasyncStatement::Create {
                name: "shop_sync".into(),
                if_not_exists: true,
                source: ("src".into(), "shop".into()),
                filter: TableFilter::Named(vec!["orders".into(), "customers".into()]),
                exclude: vec!["log".into()],
                sink: ("lake".into(), "ods".into()),
                mode: SyncMode::Snapshot,
                options: vec![("sink.table.prefix".into(), "ods_".into()), ("parallelism".into(), "2".into())],
            }
        );
        match of("create datasync s from `src`.`shop` tables like 'order%' to lake.ods") {
            DatasyncStatement::Create { filter, mode, .. } => assert_eq!((filter, mode), (TableFilter::Like("order%".into()), SyncMode::Cdc)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(of("CREATE DATASYNC s FROM a.b TABLES REGEXP '^o' TO c.d"), DatasyncStatement::Create { filter: TableFilter::Regexp(_), .. }));
    }

    #[test]
    fn the_listing_statements() {
        assert_eq!(of("SHOW DATASYNCS LIKE 's%'"), DatasyncStatement::Show { like: Some("s%".into()) });
        assert_eq!(of("SHOW CREATE DATASYNC s"), DatasyncStatement::ShowCreate { name: "s".into() });
        assert_eq!(of("DROP DATASYNC IF EXISTS s"), DatasyncStatement::Drop { name: "s".into(), if_exists: true });
    }

    #[test]
    fn a_malformed_datasync_is_a_syntax_error_at_the_offending_word() {
        for (sql, near) in [
            ("CREATE DATASYNC s FROM shop TO lake.ods", "TO lake.ods"),
            ("CREATE DATASYNC s FROM a.b TO c.d MODE STREAM", "STREAM"),
            ("CREATE DATASYNC s FROM a.b TABLES REGEXP '(' TO c.d", "'('"),
            ("CREATE DATASYNC s FROM a.b INTO c.d", "INTO c.d"),
        ] {
            let e = parse_text(sql).unwrap_err();
            assert!(e.to_string().contains(near), "{sql}: {e}");
        }
    }
}
