//! Where metadata objects come from. The engine sees plain structs behind [`ObjectSource`]; this
//! file has the one source that reads the Flink catalogs through the session's Flink session
//! ([`FlinkCatalogs`]), with its cache ([`MetaCache`]).
//!
//! Freshness: listings and definitions are kept for `metadata.cache_ttl_secs` (default 30 s);
//! a DDL statement or `USE` sent through the session drops the cache at once. A Flink session's
//! `default_catalog` lives in that Flink session, so the cache belongs to the Weir session too.
//! A listing that misses the cache is logged, with its duration, at INFO.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tracing::{debug, info};

use crate::error::WeirError;
use crate::statement::FlinkStatement;
use crate::config::MetadataConfig;
use crate::routing::{FlinkBinding, quote_ident};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    View,
}

/// One table or view in a listing (no columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEntry {
    pub name: String,
    pub kind: ObjectKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    /// As Flink prints it (`DECIMAL(10, 2)`, `STRING`, `TIMESTAMP(3) *ROWTIME*`).
    pub flink_type: String,
    pub nullable: bool,
    pub comment: Option<String>,
    /// A computed column's expression (`c AS a + 1`).
    pub generated: Option<String>,
}

/// A table's or view's full definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectDef {
    pub catalog: String,
    pub database: String,
    pub name: String,
    pub kind: ObjectKind,
    pub columns: Vec<ColumnDef>,
    /// Primary key columns, in key order.
    pub primary_key: Vec<String>,
    /// A view's query.
    pub view_text: Option<String>,
    /// A table's comment (`COMMENT '…'` of its DDL).
    pub comment: Option<String>,
}

/// The objects a session can see. Weir's own catalog store (issue 6) will be a second source,
/// merged with this one; the engine does not care where objects come from.
#[async_trait::async_trait]
pub trait ObjectSource: Send {
    /// The session's current catalog.
    async fn current_catalog(&mut self) -> Result<String, WeirError>;
    /// The session's current database in its current catalog (`USE CATALOG` changes it).
    async fn current_database(&mut self) -> Result<String, WeirError>;
    async fn catalogs(&mut self) -> Result<Vec<String>, WeirError>;
    /// `None` when the catalog does not exist.
    async fn databases(&mut self, catalog: &str) -> Result<Option<Vec<String>>, WeirError>;
    /// `None` when the database does not exist.
    async fn objects(&mut self, catalog: &str, database: &str) -> Result<Option<Vec<ObjectEntry>>, WeirError>;
    /// The objects of a database named `name` in any case (a query's `TABLE_NAME = 'x'`): what
    /// [`Self::objects`] lists under that name, without copying the whole listing.
    async fn objects_named(&mut self, catalog: &str, database: &str, name: &str) -> Result<Vec<ObjectEntry>, WeirError> {
        let all = self.objects(catalog, database).await?.unwrap_or_default();
        Ok(all.into_iter().filter(|o| o.name.eq_ignore_ascii_case(name)).collect())
    }
    /// `None` when the object does not exist.
    async fn definition(&mut self, catalog: &str, database: &str, name: &str) -> Result<Option<ObjectDef>, WeirError> {
        Ok(self.definitions(catalog, database, &[name.to_string()]).await?.into_iter().next())
    }
    /// The definitions of the objects of a database named in `names` that exist, in the order
    /// of `names`; those not cached are read from Flink together (see [`FlinkCatalogs`]).
    async fn definitions(&mut self, catalog: &str, database: &str, names: &[String]) -> Result<Vec<ObjectDef>, WeirError>;
}

struct Timed<T> {
    at: Instant,
    value: T,
}

/// A session's cache of what Flink told it about its catalogs.
pub struct MetaCache {
    ttl: Duration,
    describe_concurrency: usize,
    /// The cluster the entries came from; a switch of cluster starts over.
    cluster: String,
    current_catalog: Option<String>,
    current_database: Option<String>,
    catalogs: Option<Timed<Vec<String>>>,
    databases: HashMap<String, Timed<Option<Vec<String>>>>,
    objects: HashMap<(String, String), Timed<Option<Vec<ObjectEntry>>>>,
    definitions: HashMap<(String, String, String), Timed<Option<ObjectDef>>>,
    /// Column names by qualified table name, as lineage asked for them (a prepared `INSERT` run
    /// a thousand times describes its tables once per time-to-live).
    columns: HashMap<String, Timed<Vec<String>>>,
}

impl MetaCache {
    pub fn new(config: &MetadataConfig) -> Self {
        Self {
            ttl: Duration::from_secs(config.cache_ttl_secs),
            describe_concurrency: config.describe_concurrency.max(1),
            cluster: String::new(),
            current_catalog: None,
            current_database: None,
            catalogs: None,
            databases: HashMap::new(),
            objects: HashMap::new(),
            definitions: HashMap::new(),
            columns: HashMap::new(),
        }
    }

    /// Forgets everything (DDL, `USE`, a new Flink session).
    pub fn invalidate(&mut self) {
        self.current_catalog = None;
        self.current_database = None;
        self.catalogs = None;
        self.databases.clear();
        self.objects.clear();
        self.definitions.clear();
        self.columns.clear();
    }

    /// The column names of `table` (`catalog.db.t`) remembered within the time-to-live.
    pub fn columns(&self, table: &str) -> Option<Vec<String>> {
        self.columns.get(table).filter(|t| self.fresh(t)).map(|t| t.value.clone())
    }

    pub fn remember_columns(&mut self, table: String, columns: Vec<String>) {
        self.columns.insert(table, Timed { at: Instant::now(), value: columns });
    }

    /// Called after every statement Weir sent to Flink: statements that change catalogs or the
    /// current catalog/database drop the cache.
    pub fn after_flink_statement(&mut self, statement: &FlinkStatement) {
        if statement.changes_catalogs {
            debug!(kind = ?statement.kind, "metadata cache dropped");
            self.invalidate();
        }
    }

    fn fresh<T>(&self, t: &Timed<T>) -> bool {
        t.at.elapsed() < self.ttl
    }
}

/// The Flink catalogs, read through the session's Flink session.
pub struct FlinkCatalogs<'a> {
    pub flink: &'a mut FlinkBinding,
    pub cache: &'a mut MetaCache,
}

impl FlinkCatalogs<'_> {
    fn check_cluster(&mut self) {
        let name = self.flink.cluster().name();
        if self.cache.cluster != name {
            self.cache.invalidate();
            self.cache.cluster = name.to_string();
        }
    }

    async fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, WeirError> {
        let batches = self.flink.collect(sql).await?;
        Ok(text_rows(&batches))
    }

    /// The first column of a statement's result.
    async fn names(&mut self, sql: &str) -> Result<Vec<String>, WeirError> {
        Ok(self.rows(sql).await?.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
    }

    /// Views of a database. Flink 1.20 has no `SHOW VIEWS FROM`: there the database is made
    /// current for the listing and the session's current one restored after it.
    async fn views(&mut self, catalog: &str, database: &str) -> Result<Vec<String>, WeirError> {
        let path = format!("{}.{}", quote_ident(catalog), quote_ident(database));
        match self.names(&format!("SHOW VIEWS FROM {path}")).await {
            Ok(v) => return Ok(v),
            Err(e) => debug!(error = %e, "SHOW VIEWS FROM is not supported; switching database for the listing"),
        }
        let current_catalog = self.current_catalog().await?;
        let current_db = self.names("SHOW CURRENT DATABASE").await?.into_iter().next().unwrap_or_default();
        self.names(&format!("USE {path}")).await?;
        let views = self.names("SHOW VIEWS").await;
        self.names(&format!("USE {}.{}", quote_ident(&current_catalog), quote_ident(&current_db))).await?;
        views
    }
}

#[async_trait::async_trait]
impl ObjectSource for FlinkCatalogs<'_> {
    async fn current_catalog(&mut self) -> Result<String, WeirError> {
        self.check_cluster();
        if let Some(c) = &self.cache.current_catalog {
            return Ok(c.clone());
        }
        let c = self.names("SHOW CURRENT CATALOG").await?.into_iter().next().unwrap_or_else(|| "default_catalog".into());
        self.cache.current_catalog = Some(c.clone());
        Ok(c)
    }

    async fn current_database(&mut self) -> Result<String, WeirError> {
        self.check_cluster();
        if let Some(d) = &self.cache.current_database {
            return Ok(d.clone());
        }
        let d = self.names("SHOW CURRENT DATABASE").await?.into_iter().next().unwrap_or_default();
        self.cache.current_database = Some(d.clone());
        Ok(d)
    }

    async fn catalogs(&mut self) -> Result<Vec<String>, WeirError> {
        self.check_cluster();
        if let Some(t) = &self.cache.catalogs
            && self.cache.fresh(t)
        {
            return Ok(t.value.clone());
        }
        let list = self.names("SHOW CATALOGS").await?;
        self.cache.catalogs = Some(Timed { at: Instant::now(), value: list.clone() });
        Ok(list)
    }

    async fn databases(&mut self, catalog: &str) -> Result<Option<Vec<String>>, WeirError> {
        self.check_cluster();
        if let Some(t) = self.cache.databases.get(catalog)
            && self.cache.fresh(t)
        {
            return Ok(t.value.clone());
        }
        let started = Instant::now();
        let list = match self.names(&format!("SHOW DATABASES FROM {}", quote_ident(catalog))).await {
            Ok(l) => Some(l),
            Err(e) => {
                if self.catalogs().await?.iter().any(|c| c == catalog) {
                    return Err(e);
                }
                None
            }
        };
        info!(catalog, databases = list.as_ref().map(Vec::len), elapsed_ms = started.elapsed().as_millis() as u64, "metadata cache cold: listed databases from Flink");
        self.cache.databases.insert(catalog.to_string(), Timed { at: Instant::now(), value: list.clone() });
        Ok(list)
    }

    async fn objects(&mut self, catalog: &str, database: &str) -> Result<Option<Vec<ObjectEntry>>, WeirError> {
        self.check_cluster();
        let key = (catalog.to_string(), database.to_string());
        if let Some(t) = self.cache.objects.get(&key)
            && self.cache.fresh(t)
        {
            return Ok(t.value.clone());
        }
        let started = Instant::now();
        let exists = self.databases(catalog).await?.is_some_and(|dbs| dbs.iter().any(|d| d == database));
        let list = if exists {
            let path = format!("{}.{}", quote_ident(catalog), quote_ident(database));
            let names = self.names(&format!("SHOW TABLES FROM {path}")).await?;
            let views = self.views(catalog, database).await?;
            let view_set: std::collections::HashSet<&str> = views.iter().map(String::as_str).collect();
            let listed: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
            // Views SHOW TABLES left out (Flink lists them there too; kept in case a catalog does not).
            let unlisted: Vec<ObjectEntry> =
                views.iter().filter(|v| !listed.contains(v.as_str())).map(|v| ObjectEntry { name: v.clone(), kind: ObjectKind::View }).collect();
            let mut list: Vec<ObjectEntry> = names
                .iter()
                .map(|name| {
                    let kind = if view_set.contains(name.as_str()) { ObjectKind::View } else { ObjectKind::Table };
                    let name = name.clone();
                    ObjectEntry { name, kind }
                })
                .collect();
            list.extend(unlisted);
            Some(list)
        } else {
            None
        };
        info!(catalog, database, objects = list.as_ref().map(Vec::len), elapsed_ms = started.elapsed().as_millis() as u64, "metadata cache cold: listed tables from Flink");
        self.cache.objects.insert(key, Timed { at: Instant::now(), value: list.clone() });
        Ok(list)
    }

    async fn objects_named(&mut self, catalog: &str, database: &str, name: &str) -> Result<Vec<ObjectEntry>, WeirError> {
        let key = (catalog.to_string(), database.to_string());
        let cached = self.cache.objects.get(&key).is_some_and(|t| self.cache.fresh(t));
        if !cached {
            self.objects(catalog, database).await?;
        }
        Ok(match self.cache.objects.get(&key) {
            Some(Timed { value: Some(list), .. }) => list.iter().filter(|o| o.name.eq_ignore_ascii_case(name)).cloned().collect(),
            _ => Vec::new(),
        })
    }

    /// Cached definitions as they are; the others are read from Flink in one cold fill: a
    /// `DESCRIBE` (columns, primary key) and a `SHOW CREATE` (table comment, view query) per
    /// object, `metadata.describe_concurrency` at a time, logged with the count and duration.
    async fn definitions(&mut self, catalog: &str, database: &str, names: &[String]) -> Result<Vec<ObjectDef>, WeirError> {
        self.check_cluster();
        let mut found: HashMap<String, ObjectDef> = HashMap::new();
        let mut uncached: Vec<&String> = Vec::new();
        for name in names {
            let key = (catalog.to_string(), database.to_string(), name.clone());
            match self.cache.definitions.get(&key) {
                Some(t) if self.cache.fresh(t) => {
                    if let Some(d) = &t.value {
                        found.insert(name.clone(), d.clone());
                    }
                }
                _ => uncached.push(name),
            }
        }
        // The listing says what each uncached name is (table or view); read only when needed.
        let mut missing: Vec<ObjectEntry> = Vec::new();
        if !uncached.is_empty() {
            let entries = self.objects(catalog, database).await?.unwrap_or_default();
            let mut entries: HashMap<String, ObjectEntry> = entries.into_iter().map(|e| (e.name.clone(), e)).collect();
            // Taken out of `entries`, so a name asked twice is described once.
            missing.extend(uncached.into_iter().filter_map(|name| entries.remove(name)));
        }
        if !missing.is_empty() {
            let started = Instant::now();
            let mut statements = Vec::with_capacity(missing.len() * 2);
            for e in &missing {
                let path = format!("{}.{}.{}", quote_ident(catalog), quote_ident(database), quote_ident(&e.name));
                let what = if e.kind == ObjectKind::View { "VIEW" } else { "TABLE" };
                statements.push(format!("DESCRIBE {path}"));
                statements.push(format!("SHOW CREATE {what} {path}"));
            }
            let limit = self.cache.describe_concurrency;
            let mut results = self.flink.collect_concurrently(&statements, limit).await?.into_iter();
            for e in &missing {
                let (Some(describe), Some(create)) = (results.next(), results.next()) else { break };
                let mut def = ObjectDef {
                    catalog: catalog.to_string(),
                    database: database.to_string(),
                    name: e.name.clone(),
                    kind: e.kind,
                    columns: Vec::new(),
                    primary_key: Vec::new(),
                    view_text: None,
                    comment: None,
                };
                apply_describe(&mut def, describe?);
                // Without Flink's DDL (a catalog that cannot print it) the object has no comment.
                match create.map(|rows| rows.into_iter().next().and_then(|r| r.into_iter().next().flatten())) {
                    Ok(Some(ddl)) => apply_ddl(&mut def, &ddl),
                    Ok(None) => {}
                    Err(err) => debug!(object = e.name, error = %err, "no DDL from Flink; no comment"),
                }
                self.cache.definitions.insert((catalog.to_string(), database.to_string(), e.name.clone()), Timed { at: Instant::now(), value: Some(def.clone()) });
                found.insert(e.name.clone(), def);
            }
            info!(
                catalog,
                database,
                tables = missing.len(),
                concurrency = limit,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "metadata cache cold: described tables from Flink"
            );
        }
        Ok(names.iter().filter_map(|n| found.remove(n)).collect())
    }
}

/// What a definition takes from Flink's `SHOW CREATE TABLE`/`VIEW`: the table comment, or the
/// view's query.
pub fn apply_ddl(def: &mut ObjectDef, ddl: &str) {
    match def.kind {
        ObjectKind::View => def.view_text = Some(super::view_body(ddl)),
        ObjectKind::Table => def.comment = super::table_comment(ddl),
    }
}

/// Fills a definition's columns and primary key from Flink's DESCRIBE rows (name, type, null,
/// key, extras, watermark[, comment]).
pub fn apply_describe(def: &mut ObjectDef, rows: Vec<Vec<Option<String>>>) {
    for row in rows {
        let cell = |i: usize| row.get(i).cloned().flatten();
        let Some(col) = cell(0) else { continue };
        if let Some(key) = cell(3)
            && def.primary_key.is_empty()
            && let Some(list) = key.strip_prefix("PRI(").and_then(|k| k.strip_suffix(')'))
        {
            def.primary_key = list.split(',').map(|c| c.trim().trim_matches('`').to_string()).collect();
        }
        def.columns.push(ColumnDef {
            name: col,
            flink_type: cell(1).unwrap_or_default(),
            nullable: cell(2).is_none_or(|n| n.eq_ignore_ascii_case("true")),
            comment: cell(6).filter(|c| !c.is_empty()),
            generated: cell(4).and_then(|x| x.strip_prefix("AS ").map(str::to_string)),
        });
    }
}

pub use crate::routing::results::text_rows;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::classify::classify_flink;

    #[test]
    fn ddl_and_use_drop_the_cache_and_queries_do_not() {
        let mut c = MetaCache::new(&MetadataConfig::default());
        c.current_catalog = Some("cat".into());
        c.after_flink_statement(&classify_flink("SELECT * FROM t"));
        assert!(c.current_catalog.is_some());
        c.after_flink_statement(&classify_flink("/* x */ create table t (a int)"));
        assert!(c.current_catalog.is_none());
        c.current_catalog = Some("cat".into());
        c.after_flink_statement(&classify_flink("USE CATALOG other"));
        assert!(c.current_catalog.is_none());
    }
}
