//! A datasync's MySQL/MariaDB servers, read with their own SQL (sqlx): the source's tables,
//! exact column types and keys from its `information_schema`; what its binlog and account lack
//! for CDC, found by probing; and a JDBC sink's tables, created by Weir with the source's MySQL
//! types (Flink's JDBC catalog cannot create tables).

use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlSslMode};
use sqlx::{ConnectOptions, Connection, Row};

use super::SyncedTable;

/// How long connecting to a source or sink may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A server as a recorded JDBC catalog names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
}

impl Address {
    /// The server of a JDBC catalog's options (`base-url` = `jdbc:mysql://host[:port][/…]`,
    /// `username`, `password`); `Err` says what is wrong.
    pub fn of_catalog(options: &BTreeMap<String, String>) -> Result<Self, String> {
        let url = options.get("base-url").ok_or("it has no 'base-url'")?;
        let rest = url
            .strip_prefix("jdbc:mysql://")
            .or_else(|| url.strip_prefix("jdbc:mariadb://"))
            .ok_or_else(|| format!("its 'base-url' '{url}' is not a jdbc:mysql:// address"))?;
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse::<u16>().map_err(|_| format!("its 'base-url' '{url}' has a bad port"))?),
            None => (authority.to_string(), 3306),
        };
        if host.is_empty() {
            return Err(format!("its 'base-url' '{url}' names no host"));
        }
        Ok(Self {
            host,
            port,
            user: options.get("username").cloned().unwrap_or_default(),
            password: options.get("password").cloned().unwrap_or_default(),
        })
    }

    /// `host:port`, for messages.
    pub fn display(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// The JDBC URL of a database on this server, as Flink's JDBC connector takes it. MariaDB's
    /// own driver is named for MariaDB (see the connector set): it answers `jdbc:mysql:` URLs only
    /// with `permitMysqlScheme`.
    pub fn jdbc_url(&self, database: &str, mariadb: bool) -> String {
        if mariadb { format!("jdbc:mysql://{}/{database}?permitMysqlScheme", self.display()) } else { format!("jdbc:mysql://{}/{database}", self.display()) }
    }
}

/// A server's refusal: its MySQL error number (0 when it did not answer) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    pub code: u16,
    pub message: String,
}

fn server_error(e: sqlx::Error) -> ServerError {
    match &e {
        sqlx::Error::Database(d) => {
            let code = d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>().map(|m| m.number()).unwrap_or(0);
            ServerError { code, message: d.message().to_string() }
        }
        _ => ServerError { code: 0, message: e.to_string() },
    }
}

/// One column as the server declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerColumn {
    pub name: String,
    pub column_type: String,
    pub nullable: bool,
    /// `COLUMN_DEFAULT` as the server gives it (MariaDB: a quoted literal, `NULL` or an expression).
    pub default: Option<String>,
}

/// A connection to one server.
pub struct Server {
    conn: MySqlConnection,
    pub address: Address,
    pub mariadb: bool,
}

impl Server {
    pub async fn connect(address: &Address) -> Result<Self, ServerError> {
        let options = MySqlConnectOptions::new()
            .host(&address.host)
            .port(address.port)
            .username(&address.user)
            .password(&address.password)
            .ssl_mode(MySqlSslMode::Preferred)
            .disable_statement_logging();
        let mut conn = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
            .await
            .map_err(|_| ServerError { code: 0, message: format!("no answer within {CONNECT_TIMEOUT:?}") })?
            .map_err(server_error)?;
        let version: String = sqlx::query_scalar("SELECT VERSION()").fetch_one(&mut conn).await.map_err(server_error)?;
        Ok(Self { conn, address: address.clone(), mariadb: version.contains("MariaDB") })
    }

    pub async fn close(self) {
        let _ = self.conn.close().await;
    }

    pub async fn database_exists(&mut self, database: &str) -> Result<bool, ServerError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")
            .bind(database)
            .fetch_one(&mut self.conn)
            .await
            .map_err(server_error)?;
        Ok(n > 0)
    }

    /// The base tables of a database, by name.
    pub async fn tables(&mut self, database: &str) -> Result<Vec<String>, ServerError> {
        sqlx::query_scalar("SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
            .bind(database)
            .fetch_all(&mut self.conn)
            .await
            .map_err(server_error)
    }

    /// A table's columns in their order, with their exact types.
    pub async fn columns(&mut self, database: &str, table: &str) -> Result<Vec<ServerColumn>, ServerError> {
        let rows = sqlx::query(
            "SELECT CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR), CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR) FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
        )
        .bind(database)
        .bind(table)
        .fetch_all(&mut self.conn)
        .await
        .map_err(server_error)?;
        rows.iter()
            .map(|r| {
                Ok(ServerColumn {
                    name: r.try_get(0).map_err(server_error)?,
                    column_type: r.try_get(1).map_err(server_error)?,
                    nullable: r.try_get::<String, _>(2).map_err(server_error)? == "YES",
                    default: r.try_get::<Option<String>, _>(3).map_err(server_error)?,
                })
            })
            .collect()
    }

    /// A table's primary key columns, in key order (empty: none).
    pub async fn primary_key(&mut self, database: &str, table: &str) -> Result<Vec<String>, ServerError> {
        sqlx::query_scalar(
            "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
        )
        .bind(database)
        .bind(table)
        .fetch_all(&mut self.conn)
        .await
        .map_err(server_error)
    }

    /// The table's rows now.
    pub async fn row_count(&mut self, database: &str, table: &str) -> Result<u64, ServerError> {
        let sql = format!("SELECT COUNT(*) FROM {}.{}", quote(database), quote(table));
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut self.conn).await.map_err(server_error)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Whether the account may read the table (a probe, whatever level the grant is at).
    pub async fn can_select(&mut self, database: &str, table: &str) -> Result<bool, ServerError> {
        let sql = format!("SELECT 1 FROM {}.{} LIMIT 0", quote(database), quote(table));
        match sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut self.conn).await {
            Ok(_) => Ok(true),
            Err(e) => {
                let e = server_error(e);
                if matches!(e.code, 1142 | 1143 | 1044) { Ok(false) } else { Err(e) }
            }
        }
    }

    /// What the server's binlog lacks for CDC: `log_bin`, `binlog_format = ROW`,
    /// `binlog_row_image = FULL`, a `server_id`.
    pub async fn binlog_gaps(&mut self) -> Result<Vec<String>, ServerError> {
        let row = sqlx::query("SELECT CAST(@@log_bin AS SIGNED), CAST(@@binlog_format AS CHAR), CAST(@@binlog_row_image AS CHAR), CAST(@@server_id AS SIGNED)")
            .fetch_one(&mut self.conn)
            .await
            .map_err(server_error)?;
        let log_bin: i64 = row.try_get(0).map_err(server_error)?;
        let format: String = row.try_get(1).map_err(server_error)?;
        let image: String = row.try_get(2).map_err(server_error)?;
        let server_id: i64 = row.try_get(3).map_err(server_error)?;
        let mut gaps = Vec::new();
        if log_bin == 0 {
            gaps.push("log_bin is OFF (start the server with --log-bin)".to_string());
        }
        if !format.eq_ignore_ascii_case("ROW") {
            gaps.push(format!("binlog_format is {format}, not ROW"));
        }
        if !image.eq_ignore_ascii_case("FULL") {
            gaps.push(format!("binlog_row_image is {image}, not FULL"));
        }
        if server_id == 0 {
            gaps.push("server_id is 0".to_string());
        }
        Ok(gaps)
    }

    /// The account's missing privileges for CDC. Reading the binlog's position is probed
    /// (`SHOW MASTER STATUS`: MySQL's REPLICATION CLIENT, MariaDB 10.5+'s BINLOG MONITOR);
    /// the global-only ones (RELOAD, SHOW DATABASES, REPLICATION SLAVE) are read from the
    /// account's own `USER_PRIVILEGES`.
    pub async fn privilege_gaps(&mut self) -> Result<Vec<String>, ServerError> {
        let mut gaps = Vec::new();
        if let Err(e) = sqlx::query("SHOW MASTER STATUS").fetch_all(&mut self.conn).await {
            let e = server_error(e);
            if e.code == 1227 {
                gaps.push(if self.mariadb { "BINLOG MONITOR (REPLICATION CLIENT)" } else { "REPLICATION CLIENT" }.to_string());
            } else {
                return Err(e);
            }
        }
        // An account that may read `mysql.*` sees every account's rows: only its own count.
        let grantee = self.current_user().await?;
        let granted: Vec<String> = sqlx::query_scalar("SELECT CAST(PRIVILEGE_TYPE AS CHAR) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?")
            .bind(grantee)
            .fetch_all(&mut self.conn)
            .await
            .map_err(server_error)?;
        for needed in ["RELOAD", "SHOW DATABASES", "REPLICATION SLAVE"] {
            if !granted.iter().any(|g| g.eq_ignore_ascii_case(needed)) {
                gaps.push(needed.to_string());
            }
        }
        Ok(gaps)
    }

    /// The account as the server knows it (`'user'@'host'`).
    pub async fn current_user(&mut self) -> Result<String, ServerError> {
        let u: String = sqlx::query_scalar("SELECT CAST(CURRENT_USER() AS CHAR)").fetch_one(&mut self.conn).await.map_err(server_error)?;
        Ok(match u.rsplit_once('@') {
            Some((user, host)) => format!("'{user}'@'{host}'"),
            None => u,
        })
    }

    /// The time zone the server shows TIMESTAMP values in (what the CDC source must read them
    /// with), as a zone id Java accepts.
    pub async fn time_zone(&mut self) -> Result<String, ServerError> {
        let tz: String = sqlx::query_scalar("SELECT CAST(IF(@@time_zone = 'SYSTEM', @@system_time_zone, @@time_zone) AS CHAR)")
            .fetch_one(&mut self.conn)
            .await
            .map_err(server_error)?;
        Ok(match tz.as_str() {
            "" | "+00:00" | "UTC" | "GMT" => "UTC".to_string(),
            other => other.to_string(),
        })
    }

    /// Creates a sink table with the source's column types and the table's key, unless it is
    /// there; a table that is there must have the same columns in the same order.
    pub async fn create_sink_table(&mut self, database: &str, table: &SyncedTable) -> Result<(), ServerError> {
        let existing = self.columns(database, &table.sink).await?;
        if !existing.is_empty() {
            let have: Vec<&str> = existing.iter().map(|c| c.name.as_str()).collect();
            let want: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            if have.iter().map(|c| c.to_ascii_lowercase()).ne(want.iter().map(|c| c.to_ascii_lowercase())) {
                return Err(ServerError {
                    code: 1050,
                    message: format!("table '{database}.{}' exists with columns ({}), not the source's ({})", table.sink, have.join(", "), want.join(", ")),
                });
            }
            return Ok(());
        }
        sqlx::query(sqlx::AssertSqlSafe(create_table_sql(database, table))).execute(&mut self.conn).await.map_err(server_error)?;
        Ok(())
    }
}

impl Server {
    /// Adds a column to a sink table (unless it is there), with the source's type.
    /// `source_mariadb`: the default is written as MariaDB writes it (a quoted literal, `NULL` or
    /// an expression); MySQL gives a bare literal, quoted here.
    pub async fn add_column(&mut self, database: &str, table: &str, column: &super::Column, source_mariadb: bool) -> Result<(), ServerError> {
        let default = match column.default.as_deref() {
            None | Some("NULL") => String::new(),
            Some(d) if source_mariadb => format!(" DEFAULT {d}"),
            Some(d) => format!(" DEFAULT '{}'", d.replace('\\', "\\\\").replace('\'', "''")),
        };
        let sql = format!("ALTER TABLE {}.{} ADD COLUMN IF NOT EXISTS {} {}{default}", quote(database), quote(table), quote(&column.name), column.source_type);
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut self.conn).await.map_err(server_error)?;
        Ok(())
    }
}

/// `CREATE TABLE` of a JDBC sink table: the source's MySQL types, its key.
pub fn create_table_sql(database: &str, table: &SyncedTable) -> String {
    format!("CREATE TABLE IF NOT EXISTS {}.{} ({})", quote(database), quote(&table.sink), table.column_list(|c| &c.source_type, ""))
}

/// A MySQL identifier, back-quoted.
pub fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasync::Column;

    fn opts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_catalogs_base_url_names_the_server() {
        let a = Address::of_catalog(&opts(&[("base-url", "jdbc:mysql://db.local:3316"), ("username", "cdc"), ("password", "x")])).unwrap();
        assert_eq!((a.host.as_str(), a.port, a.user.as_str()), ("db.local", 3316, "cdc"));
        assert_eq!(Address::of_catalog(&opts(&[("base-url", "jdbc:mysql://h/")])).unwrap().port, 3306);
        assert!(Address::of_catalog(&opts(&[("base-url", "jdbc:postgresql://h:5432")])).unwrap_err().contains("not a jdbc:mysql://"));
        assert!(Address::of_catalog(&opts(&[])).unwrap_err().contains("no 'base-url'"));
        assert_eq!(a.jdbc_url("sink", true), "jdbc:mysql://db.local:3316/sink?permitMysqlScheme");
    }

    #[test]
    fn a_sink_table_keeps_the_source_types_and_key() {
        let t = SyncedTable {
            source: "orders".into(),
            sink: "ods_orders".into(),
            key: vec!["id".into()],
            columns: vec![
                Column { name: "id".into(), source_type: "bigint(20) unsigned".into(), flink_type: "DECIMAL(20, 0)".into(), nullable: false, default: None },
                Column { name: "note".into(), source_type: "varchar(64)".into(), flink_type: "VARCHAR(64)".into(), nullable: true, default: None },
            ],
            server_ids: "5400-5400".into(),
            rows_at_creation: 0,
            job: String::new(),
        };
        assert_eq!(
            create_table_sql("lake", &t),
            "CREATE TABLE IF NOT EXISTS `lake`.`ods_orders` (`id` bigint(20) unsigned NOT NULL, `note` varchar(64), PRIMARY KEY (`id`))"
        );
    }
}
