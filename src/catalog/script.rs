//! The catalog as a Flink SQL script: `weir catalog dump` writes every recorded object's
//! statements in creation order (each preceded by a `-- weir:` comment carrying what Weir keeps
//! beside the DDL), and `weir catalog load` reads such a script back into a store.
//!
//! Secrets (a catalog's password, a connector's token) are masked in a dump unless it is asked
//! for them: loading a masked statement keeps the secrets of the object the store already holds
//! under that name and definition, and refuses one it cannot complete.

use std::sync::Arc;

use weir_drivers::gateway::{MASK, mask_secrets};

use crate::statement::ddl::{self, Action};
use super::{CatalogError, CatalogStore, ObjectKey, ObjectKind, Scope, StoredObject, DEFAULT_CATALOG};

const INFO_PREFIX: &str = "-- weir:info ";

/// Every recorded object's statements; `with_secrets`: as recorded, else with every secret
/// option's value masked.
pub fn dump(store: &CatalogStore, with_secrets: bool) -> String {
    let mut out = String::from("-- Weir catalog dump: load with `weir catalog load FILE`.\n");
    if !with_secrets {
        out.push_str("-- Secrets are masked ('******'): such a script loads into a store that holds them (`weir catalog dump --with-secrets` writes them).\n");
    }
    for o in store.all() {
        out.push('\n');
        out.push_str(&format!("-- {} {}\n", o.kind.as_str(), o.key));
        if !o.info.is_null() {
            out.push_str(&format!("{INFO_PREFIX}{}\n", o.info));
        }
        for statement in &o.ddl {
            if with_secrets {
                out.push_str(statement);
            } else {
                out.push_str(&mask_secrets(statement));
            }
            out.push_str(";\n");
        }
    }
    out
}

/// Loads a script's CREATE (and ALTER of databases, functions, catalogs) statements into the
/// store, replacing objects of the same names; returns how many objects it recorded.
pub async fn load(store: &Arc<CatalogStore>, script: &str) -> Result<usize, CatalogError> {
    let scope = Scope { catalog: DEFAULT_CATALOG.into(), database: "default_database".into() };
    let mut objects: Vec<StoredObject> = Vec::new();
    for statement in weir_dialects::lexer::split_statements(script) {
        let info = statement
            .lines()
            .filter_map(|l| l.trim().strip_prefix(INFO_PREFIX))
            .next_back()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or(serde_json::Value::Null);
        let body = weir_dialects::lexer::strip_leading_comments(statement);
        let d = ddl::recognize(body).ok_or_else(|| CatalogError::Config(format!("not a CREATE or ALTER of a catalog object: {body}")))?;
        let key = ObjectKey::resolve(d.kind, &d.name, &scope).ok_or_else(|| CatalogError::Config(format!("bad name in: {body}")))?;
        match d.action {
            Action::Create { .. } if !d.temporary => {
                let info = if info.is_null() && d.kind == ObjectKind::Catalog { ddl::catalog_info(body) } else { info };
                objects.retain(|o| o.key != key);
                objects.push(StoredObject { key: key.clone(), kind: d.kind, ddl: vec![ddl::canonical_create(body, &d, &key.quoted())], deps: vec![], info, version: 0 });
            }
            Action::Alter { rename_to: None } if matches!(d.kind, ObjectKind::Database | ObjectKind::Function | ObjectKind::Catalog) => {
                let o = objects.iter_mut().find(|o| o.key == key).ok_or_else(|| CatalogError::Config(format!("ALTER before CREATE of {key}")))?;
                o.ddl.push(format!("{}{}{}", &body[..d.name_span.start], key.quoted(), body[d.name_span.end..].trim_end().trim_end_matches(';')));
            }
            _ => return Err(CatalogError::Config(format!("a catalog script holds CREATE statements (and ALTER of databases, functions, catalogs) only: {body}"))),
        }
    }
    for o in &mut objects {
        keep_stored_secrets(store, o)?;
    }
    let keys: Vec<ObjectKey> = objects.iter().map(|o| o.key.clone()).collect();
    store.apply(objects, &[]).await?;
    // With every object in the index, each one's dependencies can be resolved.
    let mut with_deps = Vec::new();
    for k in &keys {
        if let Some(o) = store.get(k) {
            let mut o = (*o).clone();
            o.deps = store.deps_of(k, &o.ddl, &scope);
            with_deps.push(o);
        }
    }
    store.apply(with_deps, &[]).await?;
    Ok(keys.len())
}

/// A loaded object whose secrets the script masks takes them from the object the store holds
/// under its name, when that object's statements are the same but for their secrets; otherwise
/// it cannot be loaded.
fn keep_stored_secrets(store: &CatalogStore, o: &mut StoredObject) -> Result<(), CatalogError> {
    let masked_value = format!("'{MASK}'");
    if !o.ddl.iter().any(|d| d.contains(&masked_value)) {
        return Ok(());
    }
    let same = |stored: &StoredObject| stored.ddl.len() == o.ddl.len() && stored.ddl.iter().zip(&o.ddl).all(|(a, b)| mask_secrets(a) == mask_secrets(b));
    match store.get(&o.key) {
        Some(stored) if same(&stored) => {
            o.ddl = stored.ddl.clone();
            Ok(())
        }
        _ => Err(CatalogError::Config(format!(
            "the script masks the secrets of {} {} ('{MASK}') and this store holds no such {} to take them from: dump with --with-secrets, or load into the store it came from",
            o.kind.as_str(),
            o.key,
            o.kind.as_str()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_dump_loads_back_into_an_empty_store() {
        let dir = std::env::temp_dir().join(format!("weir-script-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = |n: &str| format!("sqlite://{}?mode=rwc", dir.join(n).display());
        let a = CatalogStore::open(&url("a.db")).await.unwrap();
        let script = "CREATE DATABASE `default_catalog`.`sales` COMMENT 'x';\n\
            -- weir:info {\"columns\":[[\"id\",\"INT\"]]}\n\
            CREATE TABLE `default_catalog`.`sales`.`t` (id INT) WITH ('connector' = 'datagen');\n\
            CREATE VIEW `default_catalog`.`sales`.`v` AS SELECT id FROM `default_catalog`.`sales`.`t`;";
        assert_eq!(load(&a, script).await.unwrap(), 3);
        let v = a.get(&ObjectKey::object(super::super::Namespace::Relation, "default_catalog", "sales", "v")).unwrap();
        assert!(v.deps.contains(&ObjectKey::object(super::super::Namespace::Relation, "default_catalog", "sales", "t")), "{:?}", v.deps);
        let text = dump(&a, false);
        let b = CatalogStore::open(&url("b.db")).await.unwrap();
        assert_eq!(load(&b, &text).await.unwrap(), 3);
        assert_eq!(dump(&b, false), text, "dump, load, dump gives the same script");
        let t = b.get(&ObjectKey::object(super::super::Namespace::Relation, "default_catalog", "sales", "t")).unwrap();
        assert_eq!(t.info["columns"][0][0], "id");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_dump_masks_secrets_and_loads_back_only_where_they_are_known() {
        let dir = std::env::temp_dir().join(format!("weir-script-secrets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = |n: &str| format!("sqlite://{}?mode=rwc", dir.join(n).display());
        let a = CatalogStore::open(&url("a.db")).await.unwrap();
        let script = "CREATE CATALOG `src` WITH ('type' = 'jdbc', 'base-url' = 'jdbc:mysql://h:3306', 'username' = 'u', 'password' = 'Hunter-2');";
        assert_eq!(load(&a, script).await.unwrap(), 1);
        let masked = dump(&a, false);
        assert!(!masked.contains("Hunter-2") && masked.contains("'password' = '******'"), "{masked}");
        let full = dump(&a, true);
        assert!(full.contains("'password' = 'Hunter-2'"), "{full}");
        // Back into the store that holds the secret: kept.
        assert_eq!(load(&a, &masked).await.unwrap(), 1);
        assert_eq!(dump(&a, true), full);
        // Into an empty store: refused, naming the catalog; nothing recorded.
        let b = CatalogStore::open(&url("b.db")).await.unwrap();
        let e = load(&b, &masked).await.unwrap_err().to_string();
        assert!(e.contains("masks the secrets of catalog") && e.contains("src") && e.contains("--with-secrets"), "{e}");
        assert!(b.all().is_empty());
        // With its secrets, anywhere.
        assert_eq!(load(&b, &full).await.unwrap(), 1);
        assert_eq!(dump(&b, true), full);
        // A masked script whose definition differs from the stored one is refused too.
        let changed = masked.replace("'username' = 'u'", "'username' = 'v'");
        assert!(load(&a, &changed).await.is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
