//! DDL through Weir's catalog of record: a CREATE, ALTER or DROP of a non-temporary object in a
//! catalog whose objects Flink forgets (see [`CatalogStore::records_in`]) is checked against the
//! store, run on Flink, and recorded in the definition Flink then reports. Two sessions (or two
//! Weir instances) creating the same object meet at the store's reservation: one succeeds, the
//! other gets MySQL's "already exists".

use std::sync::Arc;

use tracing::info;

use super::context::Context;
use crate::catalog::{CatalogError, CatalogStore, ObjectKey, ObjectKind, StoredObject};
use crate::error::WeirError;
use crate::protocol::{Response, codes};
use crate::statement::FlinkStatement;
use crate::statement::ddl::{self, Action, Ddl};

impl Context {
    /// Runs a DDL statement (`statement`, whose DDL is `d`); `None` when the catalog has nothing
    /// to do with it.
    pub(super) async fn run_ddl(&mut self, sql: &str, statement: &FlinkStatement, d: &Ddl) -> Option<Result<Response, WeirError>> {
        if d.temporary {
            return None;
        }
        let scope = self.flink.scope();
        let key = ObjectKey::resolve(d.kind, &d.name, &scope)?;
        let store = self.shared.catalog.clone();
        if d.kind != ObjectKind::Catalog && !store.records_in(&key.catalog) {
            return None;
        }
        Some(match &d.action {
            Action::Create { if_not_exists, or_replace } => self.create(sql, statement, d, key, *if_not_exists, *or_replace).await,
            Action::Drop { if_exists: _, cascade } => {
                store.get(&key)?;
                self.drop(sql, d, key, *cascade).await
            }
            Action::Alter { rename_to } => {
                store.get(&key)?;
                self.alter(sql, statement, d, key, rename_to.as_deref()).await
            }
        })
    }

    async fn create(&mut self, sql: &str, statement: &FlinkStatement, d: &Ddl, key: ObjectKey, if_not_exists: bool, or_replace: bool) -> Result<Response, WeirError> {
        let store = self.shared.catalog.clone();
        let exists = store.get(&key).is_some();
        if exists && !or_replace {
            if if_not_exists {
                // Flink sees the recorded object (materialized for this statement) and says OK.
                let r = self.flink_run(sql, statement).await?;
                self.warn(codes::ER_TABLE_EXISTS_ERROR.number, format!("{} {key} already exists", d.kind));
                return Ok(r);
            }
            return Err(CatalogError::Exists { kind: d.kind, name: key.to_string() }.into());
        }
        if !exists {
            store.reserve(&key, d.kind).await?;
        }
        let outcome = async {
            let r = self.flink_run(sql, statement).await?;
            self.record(&store, sql, d, &key, &[]).await?;
            Ok(r)
        }
        .await;
        if outcome.is_err() && !exists {
            store.release(&key).await?;
        }
        outcome
    }

    async fn drop(&mut self, sql: &str, d: &Ddl, key: ObjectKey, cascade: bool) -> Result<Response, WeirError> {
        let store = self.shared.catalog.clone();
        let dependents = store.dependents(&key);
        // Flink drops a database's contents itself with CASCADE; views elsewhere over them, and
        // every dependent of other kinds, are Weir's to drop.
        let outside: Vec<_> = dependents.iter().filter(|o| !(d.kind == ObjectKind::Database && o.key.parent_database().as_ref() == Some(&key))).collect();
        if !dependents.is_empty() && !cascade {
            return Err(dependents_error(d.kind, &key, &dependents));
        }
        for o in &outside {
            self.flink.drop_object(&o.key, o.kind).await?;
        }
        // Flink takes CASCADE/RESTRICT only on DROP DATABASE.
        let text = match (&d.drop_mode_span, d.kind) {
            (Some(span), k) if k != ObjectKind::Database => format!("{}{}", &sql[..span.start], &sql[span.end..]),
            _ => sql.to_string(),
        };
        let statement = crate::statement::classify::classify_flink(&text);
        let r = self.flink_run(&text, &statement).await?;
        let mut removed: Vec<ObjectKey> = dependents.iter().map(|o| o.key.clone()).collect();
        removed.push(key.clone());
        store.apply(Vec::new(), &removed).await?;
        self.flink.forget(&removed);
        info!(object = %key, dependents = dependents.len(), "dropped from the catalog");
        Ok(r)
    }

    async fn alter(&mut self, sql: &str, statement: &FlinkStatement, d: &Ddl, key: ObjectKey, rename_to: Option<&[String]>) -> Result<Response, WeirError> {
        let store = self.shared.catalog.clone();
        let new_key = match rename_to {
            Some(n) => Some(ObjectKey::resolve(d.kind, n, &self.flink.scope()).ok_or_else(|| WeirError::Syntax(format!("bad new name in: {sql}")))?),
            None => None,
        };
        if new_key.is_some() {
            let dependents = store.dependents(&key);
            if !dependents.is_empty() {
                return Err(dependents_error(d.kind, &key, &dependents));
            }
        }
        if let Some(n) = &new_key {
            store.reserve(n, d.kind).await?;
        }
        let outcome = async {
            let r = self.flink_run(sql, statement).await?;
            match &new_key {
                Some(n) => self.record(&store, sql, d, n, std::slice::from_ref(&key)).await?,
                None => self.record(&store, sql, d, &key, &[]).await?,
            }
            Ok(r)
        }
        .await;
        if outcome.is_err()
            && let Some(n) = &new_key
        {
            store.release(n).await?;
        }
        outcome
    }

    /// Records `key` as Flink now has it, replacing `remove` in the same step.
    async fn record(&mut self, store: &CatalogStore, sql: &str, d: &Ddl, key: &ObjectKey, remove: &[ObjectKey]) -> Result<(), WeirError> {
        let scope = self.flink.scope();
        let quoted = key.quoted();
        let (ddl, info) = match d.kind {
            ObjectKind::Table | ObjectKind::View => {
                let show = format!("SHOW CREATE {} {quoted}", d.kind.keyword());
                let text = self.first_cell(&show).await?;
                let reported = ddl::recognize(&text).ok_or_else(|| CatalogError::Corrupt(format!("Flink's {show} gave an unexpected text: {text}")))?;
                let columns = self.flink.fetch_text(&format!("DESCRIBE {quoted}")).await?;
                let columns: Vec<serde_json::Value> = columns.into_iter().map(|row| serde_json::json!(row)).collect();
                (vec![ddl::canonical_create(&text, &reported, &quoted)], serde_json::json!({ "columns": columns }))
            }
            _ => {
                let previous = store.get(key).filter(|_| matches!(d.action, Action::Alter { .. }));
                match previous {
                    // ALTER DATABASE/FUNCTION/CATALOG: Flink reports no definition to fold it into.
                    Some(p) => {
                        let mut ddl = p.ddl.clone();
                        ddl.push(format!("{}{quoted}{}", &sql[..d.name_span.start], sql[d.name_span.end..].trim_end().trim_end_matches(';')));
                        (ddl, p.info.clone())
                    }
                    None => {
                        let info = if d.kind == ObjectKind::Catalog { ddl::catalog_info(sql) } else { serde_json::Value::Null };
                        (vec![ddl::canonical_create(sql, d, &quoted)], info)
                    }
                }
            }
        };
        let deps = store.deps_of(key, &ddl, &scope);
        let object = StoredObject { key: key.clone(), kind: d.kind, ddl, deps, info, version: 0 };
        let recorded = store.apply(vec![object], remove).await?;
        self.flink.forget(remove);
        for o in &recorded {
            self.flink.mark_materialized(o);
        }
        info!(object = %key, kind = d.kind.as_str(), "recorded in the catalog");
        Ok(())
    }

    async fn first_cell(&mut self, sql: &str) -> Result<String, WeirError> {
        let rows = self.flink.fetch_text(sql).await?;
        rows.into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
            .ok_or_else(|| CatalogError::Corrupt(format!("Flink's {sql} gave no text")).into())
    }
}

/// The refusal of a DROP or rename that recorded objects depend on, naming the first few.
fn dependents_error(kind: ObjectKind, key: &ObjectKey, dependents: &[Arc<StoredObject>]) -> WeirError {
    let names: Vec<String> = dependents.iter().take(5).map(|o| format!("{} {}", o.kind.as_str(), o.key)).collect();
    let more = if dependents.len() > 5 { format!(" and {} more", dependents.len() - 5) } else { String::new() };
    CatalogError::Dependents { kind, name: key.to_string(), dependents: format!("{}{more}", names.join(", ")) }.into()
}
