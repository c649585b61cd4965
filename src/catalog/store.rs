//! Where the catalog of record lives: a SQL database reached with sqlx. SQLite in the data dir
//! by default; a `mysql://` URL (MySQL or MariaDB) lets several Weir instances share one catalog.
//!
//! One row per object, keyed by a hash of its exact (case-sensitive) key. A CREATE first
//! *reserves* its key (a `pending` row: the primary key makes two concurrent creations of the
//! same object meet here, whichever Weir instance they come through), then Flink runs it, then
//! the row is *committed* (`ready`) with the definition Flink reports. A crash between the two
//! leaves only a pending row, which readers ignore and which expires. Every change bumps one
//! generation counter, in the same transaction, which instances poll to see each other's DDL.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};
use tracing::info;

use super::{CatalogError, Namespace, ObjectKey, ObjectKind, StoredObject};

/// A reservation older than this belongs to a CREATE that died (crash, lost connection).
const PENDING_EXPIRES: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Sqlite,
    MySql,
}

/// Schema migrations, applied in order once each; `{text}` is the backend's long-text type,
/// `{autoid}` an auto-numbered primary key column.
const MIGRATIONS: &[(i64, &[&str])] = &[(
    1,
    &[
        "CREATE TABLE IF NOT EXISTS weir_objects (
            object_key VARCHAR(64) NOT NULL PRIMARY KEY,
            namespace VARCHAR(16) NOT NULL,
            catalog_name VARCHAR(255) NOT NULL,
            database_name VARCHAR(255) NOT NULL,
            object_name VARCHAR(255) NOT NULL,
            kind VARCHAR(16) NOT NULL,
            state VARCHAR(16) NOT NULL,
            ddl {text} NOT NULL,
            deps {text} NOT NULL,
            info {text} NOT NULL,
            version BIGINT NOT NULL,
            owner VARCHAR(64) NOT NULL,
            updated_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_generation (id INT NOT NULL PRIMARY KEY, generation BIGINT NOT NULL)",
        "INSERT INTO weir_generation (id, generation) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM weir_generation WHERE id = 1)",
    ],
), (
    2,
    // Managed jobs (src/jobs/registry.rs): the job, its versions, its Flink runs, its events, its
    // savepoints, and the daemon's lease.
    &[
        "CREATE TABLE IF NOT EXISTS weir_jobs (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            cluster VARCHAR(255) NOT NULL,
            comment {text} NOT NULL,
            settings {text} NOT NULL,
            version BIGINT NOT NULL,
            running_version BIGINT,
            state VARCHAR(16) NOT NULL,
            desired VARCHAR(16) NOT NULL,
            flink_job_id VARCHAR(64),
            flink_state VARCHAR(32),
            started_at BIGINT,
            restarts BIGINT NOT NULL,
            attempts {text} NOT NULL,
            reason {text} NOT NULL,
            created_by VARCHAR(255) NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_job_versions (
            job VARCHAR(255) NOT NULL,
            version BIGINT NOT NULL,
            body {text} NOT NULL,
            options {text} NOT NULL,
            jars {text} NOT NULL,
            catalog_name VARCHAR(255) NOT NULL,
            database_name VARCHAR(255) NOT NULL,
            created_by VARCHAR(255) NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (job, version)
        )",
        "CREATE TABLE IF NOT EXISTS weir_job_runs (
            job VARCHAR(255) NOT NULL,
            run BIGINT NOT NULL,
            version BIGINT NOT NULL,
            cluster VARCHAR(255) NOT NULL,
            flink_job_id VARCHAR(64) NOT NULL,
            restored_from {text},
            started_at BIGINT NOT NULL,
            ended_at BIGINT,
            end_state VARCHAR(16),
            root_cause {text},
            web_ui {text} NOT NULL,
            PRIMARY KEY (job, run)
        )",
        "CREATE TABLE IF NOT EXISTS weir_job_events (
            id {autoid},
            job VARCHAR(255) NOT NULL,
            at BIGINT NOT NULL,
            event VARCHAR(32) NOT NULL,
            state VARCHAR(16) NOT NULL,
            detail {text} NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_savepoints (
            id {autoid},
            job VARCHAR(255) NOT NULL,
            version BIGINT NOT NULL,
            path {text} NOT NULL,
            kind VARCHAR(16) NOT NULL,
            trigger_kind VARCHAR(16) NOT NULL,
            completed_at BIGINT,
            disposed_at BIGINT,
            created_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_leases (
            name VARCHAR(64) NOT NULL PRIMARY KEY,
            holder VARCHAR(64) NOT NULL,
            expires_at BIGINT NOT NULL
        )",
    ],
), (
    3,
    // Datasyncs (src/datasync/registry.rs): each one's definition (tables, keys, server ids) as
    // one JSON document; its job is the managed job of the same name.
    &[
        "CREATE TABLE IF NOT EXISTS weir_datasyncs (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL,
            created_at BIGINT NOT NULL
        )",
    ],
), (
    4,
    // Lineage (src/lineage_store.rs): every recorded table and column edge, by what recorded it
    // (a job's version, a view, a datasync, a statement). Schedules (src/schedule/registry.rs):
    // each one's definition as one JSON document, its runs, and each run's tasks.
    &[
        "CREATE TABLE IF NOT EXISTS weir_lineage (
            via_kind VARCHAR(16) NOT NULL,
            via VARCHAR(255) NOT NULL,
            version BIGINT NOT NULL,
            from_table VARCHAR(768) NOT NULL,
            from_column VARCHAR(255),
            to_table VARCHAR(768) NOT NULL,
            to_column VARCHAR(255),
            kind VARCHAR(16) NOT NULL,
            detail {text} NOT NULL,
            recorded_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_schedules (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL,
            paused INT NOT NULL,
            next_fire BIGINT,
            created_by VARCHAR(255) NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_schedule_runs (
            schedule VARCHAR(255) NOT NULL,
            run_id BIGINT NOT NULL,
            state VARCHAR(16) NOT NULL,
            trigger_kind VARCHAR(16) NOT NULL,
            start_time BIGINT NOT NULL,
            end_time BIGINT,
            reason {text} NOT NULL,
            PRIMARY KEY (schedule, run_id)
        )",
        "CREATE TABLE IF NOT EXISTS weir_schedule_tasks (
            schedule VARCHAR(255) NOT NULL,
            run_id BIGINT NOT NULL,
            job VARCHAR(255) NOT NULL,
            state VARCHAR(16) NOT NULL,
            attempt BIGINT NOT NULL,
            flink_job_id VARCHAR(64),
            start_time BIGINT,
            end_time BIGINT,
            reason {text} NOT NULL,
            PRIMARY KEY (schedule, run_id, job)
        )",
    ],
), (
    10,
    // Alerts (src/observe/alerts/registry.rs): channels and rules as JSON documents, the alerts
    // (delivery queue and history, one per rule, channel and occurrence), each rule's state per
    // subject, and the evaluator's cursor over job events.
    &[
        "CREATE TABLE IF NOT EXISTS weir_alert_channels (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL,
            created_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_alert_rules (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL,
            created_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_alerts (
            id {autoid},
            dedupe VARCHAR(700) NOT NULL UNIQUE,
            rule VARCHAR(255) NOT NULL,
            channel VARCHAR(255) NOT NULL,
            subject VARCHAR(255) NOT NULL,
            title {text} NOT NULL,
            message {text} NOT NULL,
            state VARCHAR(16) NOT NULL,
            attempts BIGINT NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            last_error {text} NOT NULL,
            created_at BIGINT NOT NULL,
            delivered_at BIGINT
        )",
        "CREATE TABLE IF NOT EXISTS weir_alert_state (
            rule VARCHAR(255) NOT NULL,
            subject VARCHAR(255) NOT NULL,
            firing BIGINT NOT NULL,
            last_sent_at BIGINT NOT NULL,
            PRIMARY KEY (rule, subject)
        )",
        "CREATE TABLE IF NOT EXISTS weir_alert_cursor (
            name VARCHAR(64) NOT NULL PRIMARY KEY,
            event_id BIGINT NOT NULL
        )",
    ],
), (
    11,
    // Access (src/auth/store.rs): accounts and roles (password hashes only), grants, role edges
    // and tenants, each keyed by a hash of what identifies it; the audit trail, one row per
    // statement or login, keyed by the instance that wrote it and its sequence there.
    &[
        "CREATE TABLE IF NOT EXISTS weir_accounts (
            account_key VARCHAR(64) NOT NULL PRIMARY KEY,
            account_user VARCHAR(255) NOT NULL,
            account_host VARCHAR(255) NOT NULL,
            native_hash VARCHAR(64) NOT NULL,
            sha2_hash VARCHAR(128) NOT NULL,
            require_ssl INT NOT NULL,
            tenant VARCHAR(255) NOT NULL,
            is_role INT NOT NULL,
            created_at BIGINT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_grants (
            grant_key VARCHAR(64) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_role_edges (
            edge_key VARCHAR(64) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_tenants (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            definition {text} NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS weir_audit (
            origin VARCHAR(64) NOT NULL,
            seq BIGINT NOT NULL,
            event_time BIGINT NOT NULL,
            account_user VARCHAR(255) NOT NULL,
            account_host VARCHAR(255) NOT NULL,
            tenant VARCHAR(255) NOT NULL,
            connection_id BIGINT NOT NULL,
            kind VARCHAR(32) NOT NULL,
            statement {text} NOT NULL,
            objects {text} NOT NULL,
            result VARCHAR(16) NOT NULL,
            row_count BIGINT NOT NULL,
            duration_us BIGINT NOT NULL,
            PRIMARY KEY (origin, seq)
        )",
    ],
), (
    12,
    // The access records' own generation (row 2), bumped by every change of accounts, grants,
    // roles or tenants, which instances sharing the store poll to reload them.
    &["INSERT INTO weir_generation (id, generation) SELECT 2, 0 WHERE NOT EXISTS (SELECT 1 FROM weir_generation WHERE id = 2)"],
), (
    13,
    // What each alert is about beyond its text (src/observe/alerts/registry.rs): its event and
    // its subject's job, cluster, state, reason and value, which a webhook's JSON body carries;
    // keyed as the alert is.
    &["CREATE TABLE IF NOT EXISTS weir_alert_fields (
            dedupe VARCHAR(700) NOT NULL PRIMARY KEY,
            event VARCHAR(255) NOT NULL,
            subject {text} NOT NULL
        )"],
), (
    14,
    // The rows each synced table's source has emitted since the datasync was created
    // (src/datasync/registry.rs): Flink counts per run, so the runs before the current one are
    // kept here (`before_run`) beside the most the current run (`flink_job_id`) was seen at.
    &["CREATE TABLE IF NOT EXISTS weir_datasync_rows (
            datasync VARCHAR(255) NOT NULL,
            source_table VARCHAR(255) NOT NULL,
            flink_job_id VARCHAR(64) NOT NULL,
            before_run BIGINT NOT NULL,
            seen BIGINT NOT NULL,
            PRIMARY KEY (datasync, source_table)
        )"],
)];

pub struct Backend {
    pool: AnyPool,
    flavor: Flavor,
    /// Written into pending rows: which instance reserved them.
    owner: String,
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn db_err(e: sqlx::Error) -> CatalogError {
    CatalogError::Store(e.to_string())
}

fn key_hash(key: &ObjectKey) -> String {
    let mut h = Sha256::new();
    for part in [key.namespace.as_str(), &key.catalog, &key.database, &key.name] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Backend {
    pub async fn open(url: &str) -> Result<Self, CatalogError> {
        install_default_drivers();
        let flavor = if url.starts_with("sqlite:") {
            Flavor::Sqlite
        } else if url.starts_with("mysql:") || url.starts_with("mariadb:") {
            Flavor::MySql
        } else {
            return Err(CatalogError::Config(format!("catalog store URL '{url}': use sqlite:// or mysql://")));
        };
        let url = url.replacen("mariadb:", "mysql:", 1);
        let connections = if flavor == Flavor::Sqlite { 1 } else { 4 };
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect(&url)
            .await
            .map_err(db_err)?;
        let owner = format!("{:016x}", rand::random::<u64>());
        let backend = Self { pool, flavor, owner };
        backend.migrate().await?;
        Ok(backend)
    }

    async fn migrate(&self) -> Result<(), CatalogError> {
        let (text, autoid) = match self.flavor {
            Flavor::Sqlite => ("TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT"),
            Flavor::MySql => ("LONGTEXT", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"),
        };
        sqlx::query("CREATE TABLE IF NOT EXISTS weir_migrations (version BIGINT NOT NULL PRIMARY KEY)")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        for (version, steps) in MIGRATIONS {
            let done: Option<i64> = sqlx::query("SELECT version FROM weir_migrations WHERE version = ?")
                .bind(*version)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?
                .map(|r| r.try_get::<i64, _>(0))
                .transpose()
                .map_err(db_err)?;
            if done.is_some() {
                continue;
            }
            for step in *steps {
                sqlx::query(sqlx::AssertSqlSafe(step.replace("{text}", text).replace("{autoid}", autoid))).execute(&self.pool).await.map_err(db_err)?;
            }
            // Another instance may have applied it meanwhile: every step is idempotent.
            let _ = sqlx::query("INSERT INTO weir_migrations (version) VALUES (?)").bind(*version).execute(&self.pool).await;
            info!(version, "catalog store migrated");
        }
        Ok(())
    }

    /// Drops reservations that no CREATE will finish: at startup, every one this store's only
    /// user left (SQLite), else those past their expiry.
    pub async fn expire_pending(&self, all: bool) -> Result<u64, CatalogError> {
        let before = if all { i64::MAX } else { now_ms() - PENDING_EXPIRES.as_millis() as i64 };
        let r = sqlx::query("DELETE FROM weir_objects WHERE state = 'pending' AND updated_at < ?")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected())
    }

    /// The store's connections, for the other records kept beside the catalog (managed jobs).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// This instance's id in the store (reservations, leases).
    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub fn is_local(&self) -> bool {
        self.flavor == Flavor::Sqlite
    }

    pub async fn generation(&self) -> Result<i64, CatalogError> {
        let row = sqlx::query("SELECT generation FROM weir_generation WHERE id = 1").fetch_one(&self.pool).await.map_err(db_err)?;
        row.try_get::<i64, _>(0).map_err(db_err)
    }

    /// Every committed object, and the generation they are current as of.
    pub async fn load(&self) -> Result<(i64, Vec<StoredObject>), CatalogError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let generation: i64 = sqlx::query("SELECT generation FROM weir_generation WHERE id = 1")
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db_err)?;
        let rows = sqlx::query(
            "SELECT namespace, catalog_name, database_name, object_name, kind, ddl, deps, info, version FROM weir_objects WHERE state = 'ready'",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let get = |i: usize| r.try_get::<String, _>(i).map_err(db_err);
            let namespace = Namespace::parse(&get(0)?).ok_or_else(|| CatalogError::Corrupt(format!("namespace '{}'", get(0).unwrap_or_default())))?;
            let kind = ObjectKind::parse(&get(4)?).ok_or_else(|| CatalogError::Corrupt(format!("kind '{}'", get(4).unwrap_or_default())))?;
            let key = ObjectKey { namespace, catalog: get(1)?, database: get(2)?, name: get(3)? };
            let ddl: Vec<String> = serde_json::from_str(&get(5)?).map_err(|e| CatalogError::Corrupt(format!("ddl of {key}: {e}")))?;
            let deps: Vec<ObjectKey> = serde_json::from_str(&get(6)?).map_err(|e| CatalogError::Corrupt(format!("deps of {key}: {e}")))?;
            let info: serde_json::Value = serde_json::from_str(&get(7)?).map_err(|e| CatalogError::Corrupt(format!("info of {key}: {e}")))?;
            let version = r.try_get::<i64, _>(8).map_err(db_err)?;
            out.push(StoredObject { key, kind, ddl, deps, info, version });
        }
        Ok((generation, out))
    }

    /// Reserves a key for a CREATE: fails with [`CatalogError::Exists`] when the object exists
    /// or another CREATE of it is under way.
    pub async fn reserve(&self, key: &ObjectKey, kind: ObjectKind) -> Result<(), CatalogError> {
        let hash = key_hash(key);
        sqlx::query("DELETE FROM weir_objects WHERE object_key = ? AND state = 'pending' AND updated_at < ?")
            .bind(&hash)
            .bind(now_ms() - PENDING_EXPIRES.as_millis() as i64)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        let inserted = sqlx::query(
            "INSERT INTO weir_objects (object_key, namespace, catalog_name, database_name, object_name, kind, state, ddl, deps, info, version, owner, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', '[]', '[]', 'null', 0, ?, ?)",
        )
        .bind(&hash)
        .bind(key.namespace.as_str())
        .bind(&key.catalog)
        .bind(&key.database)
        .bind(&key.name)
        .bind(kind.as_str())
        .bind(&self.owner)
        .bind(now_ms())
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e) => {
                let exists = sqlx::query("SELECT state FROM weir_objects WHERE object_key = ?")
                    .bind(&hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?;
                match exists {
                    Some(_) => Err(CatalogError::Exists { kind, name: key.to_string() }),
                    None => Err(db_err(e)),
                }
            }
        }
    }

    /// Gives up a reservation (Flink refused the CREATE).
    pub async fn release(&self, key: &ObjectKey) -> Result<(), CatalogError> {
        sqlx::query("DELETE FROM weir_objects WHERE object_key = ? AND state = 'pending' AND owner = ?")
            .bind(key_hash(key))
            .bind(&self.owner)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Records objects (replacing what was there under their keys) and removes others, in one
    /// transaction; returns the new generation, which is also each written object's version.
    pub async fn apply(&self, put: &mut [StoredObject], remove: &[ObjectKey]) -> Result<i64, CatalogError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query("UPDATE weir_generation SET generation = generation + 1 WHERE id = 1").execute(&mut *tx).await.map_err(db_err)?;
        let generation: i64 = sqlx::query("SELECT generation FROM weir_generation WHERE id = 1")
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db_err)?;
        for key in remove {
            sqlx::query("DELETE FROM weir_objects WHERE object_key = ?").bind(key_hash(key)).execute(&mut *tx).await.map_err(db_err)?;
        }
        for o in put.iter_mut() {
            o.version = generation;
            let hash = key_hash(&o.key);
            sqlx::query("DELETE FROM weir_objects WHERE object_key = ?").bind(&hash).execute(&mut *tx).await.map_err(db_err)?;
            let json = |v: serde_json::Result<String>| v.map_err(|e| CatalogError::Corrupt(e.to_string()));
            sqlx::query(
                "INSERT INTO weir_objects (object_key, namespace, catalog_name, database_name, object_name, kind, state, ddl, deps, info, version, owner, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?, ?, ?, ?)",
            )
            .bind(&hash)
            .bind(o.key.namespace.as_str())
            .bind(&o.key.catalog)
            .bind(&o.key.database)
            .bind(&o.key.name)
            .bind(o.kind.as_str())
            .bind(json(serde_json::to_string(&o.ddl))?)
            .bind(json(serde_json::to_string(&o.deps))?)
            .bind(json(serde_json::to_string(&o.info))?)
            .bind(generation)
            .bind(&self.owner)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(generation)
    }
}
