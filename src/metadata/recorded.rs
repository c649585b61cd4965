//! Weir's catalog of record as a metadata source, merged over the Flink catalogs: listings hold
//! the recorded catalogs, databases, tables and views whether or not the session's Flink session
//! has created them yet, and definitions of recorded tables come from the store (no Flink round
//! trip per table). Recorded objects dropped or changed through another session since this Flink
//! session created them are left out of what Flink lists.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::source::{ObjectDef, ObjectEntry, ObjectKind, ObjectSource, apply_ddl, apply_describe};
use crate::catalog::{self, CatalogStore, Namespace, ObjectKey};
use crate::error::WeirError;

pub struct Recorded<S> {
    pub inner: S,
    pub store: Arc<CatalogStore>,
    /// Recorded objects the Flink session still has but the store no longer has as they were.
    pub stale: Vec<ObjectKey>,
}

impl<S> Recorded<S> {
    fn is_stale(&self, namespace: Namespace, catalog: &str, database: &str, name: &str) -> bool {
        self.stale.iter().any(|k| k.namespace == namespace && k.catalog == catalog && k.database == database && k.name == name)
    }

    /// Relations Flink lists merged with the recorded ones, by name: a recorded object stands
    /// for Flink's of the same name, stale Flink ones are left out.
    fn merge(&self, catalog: &str, database: &str, from_flink: Vec<ObjectEntry>, recorded: &[Arc<catalog::StoredObject>]) -> Vec<ObjectEntry> {
        let recorded_names: std::collections::HashSet<&str> = recorded.iter().map(|r| r.key.name.as_str()).collect();
        let mut list: Vec<ObjectEntry> = from_flink
            .into_iter()
            .filter(|o| !self.is_stale(Namespace::Relation, catalog, database, &o.name))
            .filter(|o| !recorded_names.contains(o.name.as_str()))
            .collect();
        list.extend(recorded.iter().map(|r| ObjectEntry { name: r.key.name.clone(), kind: kind_of(r.kind) }));
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }
}

fn kind_of(k: catalog::ObjectKind) -> ObjectKind {
    if k == catalog::ObjectKind::View { ObjectKind::View } else { ObjectKind::Table }
}

#[async_trait::async_trait]
impl<S: ObjectSource> ObjectSource for Recorded<S> {
    async fn current_catalog(&mut self) -> Result<String, WeirError> {
        self.inner.current_catalog().await
    }

    async fn current_database(&mut self) -> Result<String, WeirError> {
        self.inner.current_database().await
    }

    async fn catalogs(&mut self) -> Result<Vec<String>, WeirError> {
        let mut all: BTreeSet<String> = self.inner.catalogs().await?.into_iter().collect();
        all.extend(self.store.objects_in(Namespace::Catalog, None, None).into_iter().map(|o| o.key.catalog.clone()));
        Ok(all.into_iter().collect())
    }

    async fn databases(&mut self, catalog: &str) -> Result<Option<Vec<String>>, WeirError> {
        let recorded: Vec<String> = self.store.objects_in(Namespace::Database, Some(catalog), None).into_iter().map(|o| o.key.database.clone()).collect();
        let catalog_recorded = self.store.get(&ObjectKey::catalog(catalog)).is_some();
        let from_flink = self.inner.databases(catalog).await?;
        if from_flink.is_none() && recorded.is_empty() && !catalog_recorded {
            return Ok(None);
        }
        let mut all: BTreeSet<String> =
            from_flink.unwrap_or_default().into_iter().filter(|d| !self.is_stale(Namespace::Database, catalog, d, "")).collect();
        all.extend(recorded);
        Ok(Some(all.into_iter().collect()))
    }

    async fn objects(&mut self, catalog: &str, database: &str) -> Result<Option<Vec<ObjectEntry>>, WeirError> {
        let recorded = self.store.objects_in(Namespace::Relation, Some(catalog), Some(database));
        let database_recorded = self.store.get(&ObjectKey::database(catalog, database)).is_some();
        let from_flink = self.inner.objects(catalog, database).await?;
        if from_flink.is_none() && recorded.is_empty() && !database_recorded {
            return Ok(None);
        }
        let list = self.merge(catalog, database, from_flink.unwrap_or_default(), &recorded);
        Ok(Some(list))
    }

    async fn objects_named(&mut self, catalog: &str, database: &str, name: &str) -> Result<Vec<ObjectEntry>, WeirError> {
        let recorded = self.store.objects_named(Namespace::Relation, catalog, database, name);
        let from_flink = self.inner.objects_named(catalog, database, name).await?;
        let list = self.merge(catalog, database, from_flink, &recorded);
        Ok(list)
    }

    async fn definitions(&mut self, catalog: &str, database: &str, names: &[String]) -> Result<Vec<ObjectDef>, WeirError> {
        let mut found = std::collections::HashMap::new();
        let mut from_flink = Vec::new();
        for name in names {
            let key = ObjectKey::object(Namespace::Relation, catalog, database, name);
            match self.store.get(&key) {
                Some(o) => match recorded_definition(&o, catalog, database, name) {
                    Some(def) => {
                        found.insert(name.clone(), def);
                    }
                    // Objects loaded from a script without their columns: Flink describes them.
                    None => from_flink.push(name.clone()),
                },
                None if self.is_stale(Namespace::Relation, catalog, database, name) => {}
                None => from_flink.push(name.clone()),
            }
        }
        if !from_flink.is_empty() {
            for def in self.inner.definitions(catalog, database, &from_flink).await? {
                found.insert(def.name.clone(), def);
            }
        }
        Ok(names.iter().filter_map(|n| found.remove(n)).collect())
    }
}

/// A recorded table's or view's definition, from the store (its DESCRIBE rows and DDL, as Flink
/// reported them when it was created); `None` when the store has no columns for it.
fn recorded_definition(o: &catalog::StoredObject, catalog: &str, database: &str, name: &str) -> Option<ObjectDef> {
    let rows: Vec<Vec<Option<String>>> = o.info.get("columns").and_then(|c| serde_json::from_value(c.clone()).ok()).unwrap_or_default();
    if rows.is_empty() {
        return None;
    }
    let mut def = ObjectDef {
        catalog: catalog.to_string(),
        database: database.to_string(),
        name: name.to_string(),
        kind: kind_of(o.kind),
        columns: Vec::with_capacity(rows.len()),
        primary_key: Vec::new(),
        view_text: None,
        comment: None,
    };
    apply_describe(&mut def, rows);
    if let Some(ddl) = o.ddl.first() {
        apply_ddl(&mut def, ddl);
    }
    Some(def)
}
