//! Access records in the store (migration 11): accounts with their two password hashes (never a
//! password), grants, role edges and tenants. Grants and edges are JSON documents keyed by a
//! hash of what identifies them, so the same grant given twice is one row.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

use super::AuthError;
use super::model::{AccountRecord, GrantRecord, Model, RoleEdge, Tenant};
use crate::catalog::store::Backend;
use crate::protocol::StoredPassword;
use crate::statement::AccountName;
use crate::statement::privilege::{Level, Privilege};

fn db(e: sqlx::Error) -> AuthError {
    AuthError::Store(e.to_string())
}

fn json<T: Serialize>(v: &T) -> Result<String, AuthError> {
    serde_json::to_string(v).map_err(|e| AuthError::Store(e.to_string()))
}

fn key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

fn account_key(a: &AccountName) -> String {
    key(&[&a.user, &a.host.to_ascii_lowercase()])
}

#[derive(Serialize, Deserialize)]
struct GrantDoc {
    user: String,
    host: String,
    privilege: Privilege,
    level: Level,
    grantable: bool,
    negative: bool,
}

impl GrantDoc {
    fn key(&self) -> Result<String, AuthError> {
        Ok(key(&[&self.user, &self.host.to_ascii_lowercase(), self.privilege.name(), &json(&self.level)?, if self.negative { "-" } else { "+" }]))
    }
}

#[derive(Serialize, Deserialize)]
struct EdgeDoc {
    role_user: String,
    role_host: String,
    to_user: String,
    to_host: String,
    admin: bool,
}

impl EdgeDoc {
    fn key(&self) -> String {
        key(&[&self.role_user, &self.role_host.to_ascii_lowercase(), &self.to_user, &self.to_host.to_ascii_lowercase()])
    }
}

pub struct Store {
    pool: AnyPool,
}

impl Store {
    pub fn new(backend: &Backend) -> Self {
        Self { pool: backend.pool().clone() }
    }

    /// Everything, as one model.
    pub async fn load(&self) -> Result<Model, AuthError> {
        let mut m = Model::default();
        let rows = sqlx::query("SELECT account_user, account_host, native_hash, sha2_hash, require_ssl, tenant, is_role, created_at FROM weir_accounts")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        for r in rows {
            let get = |i: usize| r.try_get::<String, _>(i).map_err(db);
            let (native, sha2) = (get(2)?, get(3)?);
            let password = if native.is_empty() {
                StoredPassword::Empty
            } else {
                StoredPassword::from_hex(&native, &sha2)
                    .map_err(|e| AuthError::Store(format!("account {}@{}: {e}", get(0).unwrap_or_default(), get(1).unwrap_or_default())))?
            };
            let tenant = get(5)?;
            m.accounts.push(AccountRecord {
                name: AccountName { user: get(0)?, host: get(1)? },
                password,
                require_ssl: r.try_get::<i32, _>(4).map_err(db)? != 0,
                tenant: (!tenant.is_empty()).then_some(tenant),
                is_role: r.try_get::<i32, _>(6).map_err(db)? != 0,
                created_at: r.try_get::<i64, _>(7).map_err(db)?,
            });
        }
        for r in sqlx::query("SELECT definition FROM weir_grants").fetch_all(&self.pool).await.map_err(db)? {
            let d: GrantDoc = serde_json::from_str(&r.try_get::<String, _>(0).map_err(db)?).map_err(|e| AuthError::Store(e.to_string()))?;
            m.grants.push(GrantRecord {
                grantee: AccountName { user: d.user, host: d.host },
                privilege: d.privilege,
                level: d.level,
                grantable: d.grantable,
                negative: d.negative,
            });
        }
        for r in sqlx::query("SELECT definition FROM weir_role_edges").fetch_all(&self.pool).await.map_err(db)? {
            let d: EdgeDoc = serde_json::from_str(&r.try_get::<String, _>(0).map_err(db)?).map_err(|e| AuthError::Store(e.to_string()))?;
            m.edges.push(RoleEdge {
                role: AccountName { user: d.role_user, host: d.role_host },
                to: AccountName { user: d.to_user, host: d.to_host },
                admin: d.admin,
            });
        }
        for r in sqlx::query("SELECT definition FROM weir_tenants").fetch_all(&self.pool).await.map_err(db)? {
            let t: Tenant = serde_json::from_str(&r.try_get::<String, _>(0).map_err(db)?).map_err(|e| AuthError::Store(e.to_string()))?;
            m.tenants.push(t);
        }
        m.grants.sort();
        m.edges.sort();
        Ok(m)
    }

    /// Adds an account or role; false when one of that name exists.
    pub async fn add_account(&self, a: &AccountRecord) -> Result<bool, AuthError> {
        let exists =
            sqlx::query("SELECT 1 FROM weir_accounts WHERE account_key = ?").bind(account_key(&a.name)).fetch_optional(&self.pool).await.map_err(db)?;
        if exists.is_some() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO weir_accounts (account_key, account_user, account_host, native_hash, sha2_hash, require_ssl, tenant, is_role, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(account_key(&a.name))
        .bind(&a.name.user)
        .bind(&a.name.host)
        .bind(a.password.native_hex().unwrap_or_default())
        .bind(a.password.sha2_hex().unwrap_or_default())
        .bind(i32::from(a.require_ssl))
        .bind(a.tenant.clone().unwrap_or_default())
        .bind(i32::from(a.is_role))
        .bind(a.created_at)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(true)
    }

    /// Rewrites an account's password, TLS requirement and tenant.
    pub async fn update_account(&self, a: &AccountRecord) -> Result<(), AuthError> {
        sqlx::query("UPDATE weir_accounts SET native_hash = ?, sha2_hash = ?, require_ssl = ?, tenant = ? WHERE account_key = ?")
            .bind(a.password.native_hex().unwrap_or_default())
            .bind(a.password.sha2_hex().unwrap_or_default())
            .bind(i32::from(a.require_ssl))
            .bind(a.tenant.clone().unwrap_or_default())
            .bind(account_key(&a.name))
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Removes an account or role with its grants and the role edges from and to it.
    pub async fn drop_account(&self, name: &AccountName, grants: &[GrantRecord], edges: &[RoleEdge]) -> Result<(), AuthError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM weir_accounts WHERE account_key = ?").bind(account_key(name)).execute(&mut *tx).await.map_err(db)?;
        for g in grants {
            sqlx::query("DELETE FROM weir_grants WHERE grant_key = ?").bind(grant_doc(g).key()?).execute(&mut *tx).await.map_err(db)?;
        }
        for e in edges {
            sqlx::query("DELETE FROM weir_role_edges WHERE edge_key = ?").bind(edge_doc(e).key()).execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    /// Puts and removes grants in one transaction.
    pub async fn change_grants(&self, put: &[GrantRecord], remove: &[GrantRecord]) -> Result<(), AuthError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        for g in remove.iter().chain(put) {
            sqlx::query("DELETE FROM weir_grants WHERE grant_key = ?").bind(grant_doc(g).key()?).execute(&mut *tx).await.map_err(db)?;
        }
        for g in put {
            let d = grant_doc(g);
            sqlx::query("INSERT INTO weir_grants (grant_key, definition) VALUES (?, ?)").bind(d.key()?).bind(json(&d)?).execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    pub async fn change_edges(&self, put: &[RoleEdge], remove: &[RoleEdge]) -> Result<(), AuthError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        for e in remove.iter().chain(put) {
            sqlx::query("DELETE FROM weir_role_edges WHERE edge_key = ?").bind(edge_doc(e).key()).execute(&mut *tx).await.map_err(db)?;
        }
        for e in put {
            let d = edge_doc(e);
            sqlx::query("INSERT INTO weir_role_edges (edge_key, definition) VALUES (?, ?)")
                .bind(d.key())
                .bind(json(&d)?)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    /// The access records' generation in the store (bumped by [`Self::bump`]).
    pub async fn generation(&self) -> Result<i64, AuthError> {
        let row = sqlx::query("SELECT generation FROM weir_generation WHERE id = 2").fetch_optional(&self.pool).await.map_err(db)?;
        row.map(|r| r.try_get::<i64, _>(0).map_err(db)).transpose().map(|g| g.unwrap_or(0))
    }

    /// Tells every instance sharing the store that the access records changed.
    pub async fn bump(&self) -> Result<(), AuthError> {
        sqlx::query("UPDATE weir_generation SET generation = generation + 1 WHERE id = 2").execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    pub async fn add_tenant(&self, t: &Tenant) -> Result<bool, AuthError> {
        let exists = sqlx::query("SELECT 1 FROM weir_tenants WHERE name = ?").bind(&t.name).fetch_optional(&self.pool).await.map_err(db)?;
        if exists.is_some() {
            return Ok(false);
        }
        sqlx::query("INSERT INTO weir_tenants (name, definition) VALUES (?, ?)").bind(&t.name).bind(json(t)?).execute(&self.pool).await.map_err(db)?;
        Ok(true)
    }

    pub async fn drop_tenant(&self, name: &str) -> Result<bool, AuthError> {
        let r = sqlx::query("DELETE FROM weir_tenants WHERE name = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() > 0)
    }
}

fn grant_doc(g: &GrantRecord) -> GrantDoc {
    GrantDoc {
        user: g.grantee.user.clone(),
        host: g.grantee.host.clone(),
        privilege: g.privilege,
        level: g.level.clone(),
        grantable: g.grantable,
        negative: g.negative,
    }
}

fn edge_doc(e: &RoleEdge) -> EdgeDoc {
    EdgeDoc { role_user: e.role.user.clone(), role_host: e.role.host.clone(), to_user: e.to.user.clone(), to_host: e.to.host.clone(), admin: e.admin }
}
