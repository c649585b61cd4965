//! Weir's catalog of record as a metadata source, merged over the Flink catalogs: listings hold
//! the recorded catalogs, databases, tables and views whether or not the session's Flink session
//! has created them yet, and definitions of recorded tables come from the store (no Flink round
//! trip per table). Recorded objects dropped or changed through another session since this Flink
//! session created them are left out of what Flink lists.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::source::{ObjectDef, ObjectEntry, ObjectKind, ObjectSource, apply_describe};
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
        let mut list: Vec<ObjectEntry> = from_flink
            .unwrap_or_default()
            .into_iter()
            .filter(|o| !self.is_stale(Namespace::Relation, catalog, database, &o.name))
            .filter(|o| !recorded.iter().any(|r| r.key.name == o.name))
            .collect();
        list.extend(recorded.iter().map(|r| ObjectEntry { name: r.key.name.clone(), kind: kind_of(r.kind) }));
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(list))
    }

    async fn definition(&mut self, catalog: &str, database: &str, name: &str) -> Result<Option<ObjectDef>, WeirError> {
        let key = ObjectKey::object(Namespace::Relation, catalog, database, name);
        let Some(o) = self.store.get(&key) else {
            if self.is_stale(Namespace::Relation, catalog, database, name) {
                return Ok(None);
            }
            return self.inner.definition(catalog, database, name).await;
        };
        // Objects loaded from a script without their columns: Flink describes them.
        let rows: Vec<Vec<Option<String>>> = o.info.get("columns").and_then(|c| serde_json::from_value(c.clone()).ok()).unwrap_or_default();
        if rows.is_empty() {
            return self.inner.definition(catalog, database, name).await;
        }
        let mut def = ObjectDef {
            catalog: catalog.to_string(),
            database: database.to_string(),
            name: name.to_string(),
            kind: kind_of(o.kind),
            columns: Vec::with_capacity(rows.len()),
            primary_key: Vec::new(),
            view_text: None,
        };
        if o.kind == catalog::ObjectKind::View {
            def.view_text = o.ddl.first().map(|d| super::view_body(d));
        }
        apply_describe(&mut def, rows);
        Ok(Some(def))
    }
}
