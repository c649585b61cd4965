//! MySQL system variables as clients read them (`SELECT @@x`, `SHOW VARIABLES`) and Weir's own
//! `weir.*` session variables. One table: name, default, type, and whether a session may set it.

use std::sync::LazyLock;

use super::value::Value;

/// How a variable's value is typed when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarType {
    Int,
    Str,
    /// ON/OFF in SHOW VARIABLES, 1/0 as `@@x`.
    Bool,
}

/// Who may set the variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A session may change it (the change is recorded; Weir honours the ones it acts on).
    Session,
    ReadOnly,
}

pub struct VarDef {
    pub name: &'static str,
    pub default: &'static str,
    pub ty: VarType,
    pub scope: Scope,
}

const fn v(name: &'static str, default: &'static str, ty: VarType, scope: Scope) -> VarDef {
    VarDef { name, default, ty, scope }
}

use Scope::{ReadOnly as RO, Session as S};
use VarType::{Bool as B, Int as I, Str as T};

/// The variables clients read at connect and while browsing (see clients.md), with MySQL 8.0's
/// defaults where Weir has no reason to differ. Sorted by name.
pub static VARIABLES: &[VarDef] = &[
    v("auto_increment_increment", "1", I, S),
    v("auto_increment_offset", "1", I, S),
    v("autocommit", "1", B, S),
    v("character_set_client", "utf8mb4", T, S),
    v("character_set_connection", "utf8mb4", T, S),
    v("character_set_database", "utf8mb4", T, S),
    v("character_set_filesystem", "binary", T, S),
    v("character_set_results", "utf8mb4", T, S),
    v("character_set_server", "utf8mb4", T, S),
    v("character_set_system", "utf8mb3", T, RO),
    v("collation_connection", "utf8mb4_0900_ai_ci", T, S),
    v("collation_database", "utf8mb4_0900_ai_ci", T, S),
    v("collation_server", "utf8mb4_0900_ai_ci", T, S),
    v("connect_timeout", "10", I, RO),
    v("default_storage_engine", "Flink", T, RO),
    // The last statement's diagnostics (set by the session before each statement).
    v("error_count", "0", I, RO),
    v("foreign_key_checks", "1", B, S),
    v("group_concat_max_len", "1024", I, S),
    v("have_ssl", "DISABLED", T, RO),
    v("hostname", "localhost", T, RO),
    v("init_connect", "", T, RO),
    v("innodb_read_only", "0", B, RO),
    v("interactive_timeout", "28800", I, S),
    v("last_insert_id", "0", I, S),
    v("license", "Apache-2.0", T, RO),
    v("local_infile", "0", B, RO),
    v("lock_wait_timeout", "31536000", I, S),
    v("lower_case_table_names", "0", I, RO),
    v("max_allowed_packet", "67108864", I, RO),
    v("max_connections", "2048", I, RO),
    v("max_execution_time", "0", I, S),
    v("net_buffer_length", "16384", I, S),
    v("net_read_timeout", "30", I, S),
    v("net_write_timeout", "60", I, S),
    v("partial_revokes", "0", B, RO),
    v("performance_schema", "0", B, RO),
    v("port", "3307", I, RO),
    v("protocol_version", "10", I, RO),
    v("query_cache_size", "0", I, RO),
    v("query_cache_type", "OFF", T, RO),
    v("read_only", "0", B, RO),
    v("require_secure_transport", "0", B, RO),
    v("server_id", "1", I, RO),
    v("session_track_system_variables", "", T, S),
    v("socket", "", T, RO),
    v("sql_auto_is_null", "0", B, S),
    v("sql_mode", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION", T, S),
    v("sql_notes", "1", B, S),
    v("sql_quote_show_create", "1", B, S),
    v("sql_safe_updates", "0", B, S),
    v("sql_select_limit", "18446744073709551615", I, S),
    v("sql_warnings", "0", B, S),
    v("system_time_zone", "UTC", T, RO),
    v("time_zone", "SYSTEM", T, S),
    v("transaction_isolation", "REPEATABLE-READ", T, S),
    v("transaction_read_only", "0", B, S),
    v("tx_isolation", "REPEATABLE-READ", T, S),
    v("tx_read_only", "0", B, S),
    v("unique_checks", "1", B, S),
    v("version", "", T, RO),
    v("version_comment", "Weir: MySQL protocol gateway for Apache Flink", T, RO),
    v("version_compile_machine", std::env::consts::ARCH, T, RO),
    v("version_compile_os", std::env::consts::OS, T, RO),
    v("wait_timeout", "28800", I, S),
    v("warning_count", "0", I, RO),
    v("weir.ddl.with", "", T, S),
    v("weir.dialect", "flink", T, S),
    v("weir.direct_results", "1", B, S),
    v("weir.fetch_timeout", "30", I, S),
    v("weir.flink", "", T, RO),
    v("weir.flink_version", "", T, RO),
    v("weir.max_rows", "10000", I, S),
];

/// The variable called `name` (any case): a binary search of the sorted table, no allocation
/// (every statement's OK packet reads `autocommit`).
pub fn lookup(name: &str) -> Option<&'static VarDef> {
    // Weir's own reads (every statement reads a few) spell the name as the table does: a plain
    // comparison finds them; a client's spelling is compared without case.
    let found = VARIABLES.binary_search_by(|d| d.name.cmp(name)).or_else(|_| {
        let key = name.as_bytes();
        VARIABLES.binary_search_by(|d| d.name.bytes().cmp(key.iter().map(u8::to_ascii_lowercase)))
    });
    found.ok().and_then(|i| VARIABLES.get(i))
}

/// The variables Weir reads on every statement or OK packet, looked up once.
pub mod hot {
    use super::{LazyLock, VarDef, lookup};
    type Def = LazyLock<Option<&'static VarDef>>;
    pub static AUTOCOMMIT: Def = LazyLock::new(|| lookup("autocommit"));
    pub static WAIT_TIMEOUT: Def = LazyLock::new(|| lookup("wait_timeout"));
    pub static WARNING_COUNT: Def = LazyLock::new(|| lookup("warning_count"));
    pub static ERROR_COUNT: Def = LazyLock::new(|| lookup("error_count"));
    pub static CHARACTER_SET_CLIENT: Def = LazyLock::new(|| lookup("character_set_client"));
    pub static CHARACTER_SET_RESULTS: Def = LazyLock::new(|| lookup("character_set_results"));
}

/// A definition's place in [`VARIABLES`] (`None` for one that is not in the table).
fn slot(def: &'static VarDef) -> Option<usize> {
    let offset = (def as *const VarDef as usize).checked_sub(VARIABLES.as_ptr() as usize)?;
    let i = offset / std::mem::size_of::<VarDef>();
    VARIABLES.get(i).filter(|d| std::ptr::eq(*d, def)).map(|_| i)
}

/// A session's variable values (defaults until set), by each definition's place in
/// [`VARIABLES`]: reading one is an index, not a comparison of names (every statement and every
/// OK packet reads a few).
#[derive(Debug, Clone, Default)]
pub struct SessionVars {
    values: Vec<Option<String>>,
}

impl SessionVars {
    pub fn get(&self, def: &'static VarDef) -> &str {
        slot(def).and_then(|i| self.values.get(i)).and_then(Option::as_deref).unwrap_or(def.default)
    }

    pub fn set(&mut self, def: &'static VarDef, value: String) {
        if let Some(i) = slot(def) {
            if self.values.len() <= i {
                self.values.resize(VARIABLES.len(), None);
            }
            if let Some(v) = self.values.get_mut(i) {
                *v = Some(value);
            }
        }
    }

    pub fn reset(&mut self) {
        self.values.clear();
    }

    /// The value as `SELECT @@name` returns it.
    pub fn read(&self, def: &'static VarDef) -> Value {
        let raw = self.get(def);
        match def.ty {
            VarType::Int => raw.parse::<i64>().map(Value::Int).or_else(|_| raw.parse::<u64>().map(Value::UInt)).unwrap_or(Value::Str(raw.to_string())),
            VarType::Bool => Value::Int(i64::from(is_true(raw))),
            VarType::Str if raw.is_empty() && def.name == "character_set_results" => Value::Null,
            VarType::Str => Value::Str(raw.to_string()),
        }
    }

    /// The value as SHOW VARIABLES prints it.
    pub fn show(&self, def: &'static VarDef) -> String {
        let raw = self.get(def);
        match def.ty {
            VarType::Bool => if is_true(raw) { "ON" } else { "OFF" }.to_string(),
            _ => raw.to_string(),
        }
    }
}

pub fn is_true(raw: &str) -> bool {
    matches!(raw.to_ascii_uppercase().as_str(), "1" | "ON" | "TRUE" | "YES")
}

/// Normalises a value being SET for a variable of type `ty`; `None` when it does not fit.
pub fn normalise(def: &VarDef, value: &Value) -> Option<String> {
    match (def.ty, value) {
        (VarType::Bool, Value::Int(i)) if *i == 0 || *i == 1 => Some(i.to_string()),
        (VarType::Bool, Value::Str(s)) => match s.to_ascii_uppercase().as_str() {
            "ON" | "TRUE" | "1" => Some("1".into()),
            "OFF" | "FALSE" | "0" => Some("0".into()),
            _ => None,
        },
        (VarType::Int, Value::Int(i)) if *i >= 0 => Some(i.to_string()),
        (VarType::Int, Value::UInt(u)) => Some(u.to_string()),
        (VarType::Int, Value::Str(s)) if s.parse::<u64>().is_ok() => Some(s.clone()),
        (VarType::Str, Value::Str(s)) => Some(s.clone()),
        (VarType::Str, Value::Int(i)) => Some(i.to_string()),
        (VarType::Str, Value::Null) => Some(String::new()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_unique() {
        for w in VARIABLES.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn lookup_ignores_case_and_finds_every_variable() {
        for d in VARIABLES {
            assert!(lookup(d.name).is_some_and(|x| std::ptr::eq(x, d)), "{}", d.name);
            assert!(lookup(&d.name.to_ascii_uppercase()).is_some_and(|x| std::ptr::eq(x, d)), "{}", d.name);
        }
        assert!(lookup("no_such_variable").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn autocommit_reads_as_an_integer() {
        let vars = SessionVars::default();
        assert_eq!(vars.read(lookup("AUTOCOMMIT").unwrap()), Value::Int(1));
        assert_eq!(vars.show(lookup("autocommit").unwrap()), "ON");
        assert_eq!(vars.read(lookup("character_set_results").unwrap()), Value::Str("utf8mb4".into()));
    }

    #[test]
    fn every_variable_keeps_its_own_value_until_reset() {
        let mut vars = SessionVars::default();
        for (i, d) in VARIABLES.iter().enumerate() {
            vars.set(d, format!("value {i}"));
        }
        for (i, d) in VARIABLES.iter().enumerate() {
            assert_eq!(vars.get(d), format!("value {i}"), "{}", d.name);
        }
        vars.reset();
        assert!(VARIABLES.iter().all(|d| vars.get(d) == d.default));
        // A definition that is not the table's is never stored and reads as its default.
        static FOREIGN: VarDef = v("autocommit", "foreign", VarType::Bool, Scope::Session);
        vars.set(&FOREIGN, "1".into());
        assert_eq!(vars.get(&FOREIGN), "foreign");
        assert_eq!(hot::AUTOCOMMIT.map(|d| d.name), Some("autocommit"));
        assert!([&hot::WAIT_TIMEOUT, &hot::WARNING_COUNT, &hot::ERROR_COUNT, &hot::CHARACTER_SET_CLIENT, &hot::CHARACTER_SET_RESULTS].iter().all(|d| d.is_some()));
    }
}
