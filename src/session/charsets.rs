//! The session's character sets: `SET NAMES`, `SET CHARACTER SET` and the `character_set_*` /
//! `collation_connection` variables, checked against the protocol layer's table of character
//! sets (anything else is MySQL's 1115), and what the connection reads back from them.

use sqlparser::ast::Expr;

use crate::error::WeirError;
use crate::protocol::charset::{self, Charset};
use crate::protocol::{Charsets, MySqlError, codes};
use crate::statement::local::NAMES_COLLATE;
use crate::variables::{self, SessionVars};

const CLIENT: &str = "character_set_client";
const RESULTS: &str = "character_set_results";
const CONNECTION: &str = "character_set_connection";
const COLLATION: &str = "collation_connection";
const DATABASE: &str = "character_set_database";

fn put(vars: &mut SessionVars, name: &str, value: &str) {
    if let Some(def) = variables::lookup(name) {
        vars.set(def, value.to_string());
    }
}

fn get<'a>(vars: &'a SessionVars, name: &str) -> &'a str {
    variables::lookup(name).map(|d| vars.get(d)).unwrap_or_default()
}

/// A connection starts in the character set and collation of its handshake.
pub fn seed(vars: &mut SessionVars, cs: &'static Charset, collation: &str) {
    names(vars, cs);
    put(vars, COLLATION, collation);
}

fn names(vars: &mut SessionVars, cs: &'static Charset) {
    for v in [CLIENT, RESULTS, CONNECTION] {
        put(vars, v, cs.name);
    }
    put(vars, COLLATION, cs.default_collation());
}

/// The character sets the connection speaks now.
pub fn of(vars: &SessionVars) -> Charsets {
    let read = |def: Option<&'static variables::VarDef>| def.map(|d| vars.get(d)).unwrap_or_default();
    let results = read(*variables::hot::CHARACTER_SET_RESULTS);
    Charsets {
        client: charset::by_name(read(*variables::hot::CHARACTER_SET_CLIENT)).unwrap_or(charset::default_charset()),
        results: if results.is_empty() { None } else { Some(charset::by_name(results).unwrap_or(charset::default_charset())) },
    }
}

/// The word or string a SET gives (`latin1`, `'latin1'`, `DEFAULT`); `None` for NULL.
fn word(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::Null => None,
            other => Some(other.to_string().trim_matches(['\'', '"']).to_string()),
        },
        other => Some(other.to_string().trim_matches(['\'', '"', '`']).to_string()),
    }
}

fn lookup(name: &str) -> Result<&'static Charset, WeirError> {
    if name.eq_ignore_ascii_case("default") {
        return Ok(charset::default_charset());
    }
    charset::by_name(name).ok_or_else(|| WeirError::Sql(charset::unknown_charset(name)))
}

/// Applies a SET of a character-set variable; `false` when `name` is not one.
pub fn set(vars: &mut SessionVars, name: &str, expr: &Expr) -> Result<bool, WeirError> {
    let value = word(expr);
    let value = value.as_deref();
    match name {
        "names" => names(vars, lookup(value.unwrap_or("NULL"))?),
        "character set" | "charset" => {
            let cs = lookup(value.unwrap_or("NULL"))?;
            put(vars, CLIENT, cs.name);
            put(vars, RESULTS, cs.name);
            let db = get(vars, DATABASE).to_string();
            put(vars, CONNECTION, &db);
            let collation = charset::by_name(&db).map(Charset::default_collation).unwrap_or_default();
            put(vars, COLLATION, collation);
        }
        NAMES_COLLATE => {
            let collation = value.unwrap_or("NULL");
            let cs = lookup(get(vars, CLIENT))?;
            let Some((of, canonical)) = charset::by_collation_name(collation) else {
                return Err(WeirError::Sql(charset::unknown_collation(collation)));
            };
            if !std::ptr::eq(of, cs) {
                return Err(WeirError::Sql(MySqlError::new(
                    codes::ER_COLLATION_CHARSET_MISMATCH,
                    format!("COLLATION '{collation}' is not valid for CHARACTER SET '{}'", cs.name),
                )));
            }
            put(vars, COLLATION, canonical);
        }
        RESULTS if value.is_none() => put(vars, RESULTS, ""),
        CLIENT | RESULTS | CONNECTION => {
            let cs = lookup(value.unwrap_or("NULL"))?;
            put(vars, name, cs.name);
            if name == CONNECTION {
                put(vars, COLLATION, cs.default_collation());
            }
        }
        COLLATION => {
            let collation = value.unwrap_or("NULL");
            let Some((cs, canonical)) = charset::by_collation_name(collation) else {
                return Err(WeirError::Sql(charset::unknown_collation(collation)));
            };
            put(vars, COLLATION, canonical);
            put(vars, CONNECTION, cs.name);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use sqlparser::ast::Ident;

    use super::*;

    fn set_word(vars: &mut SessionVars, name: &str, value: &str) -> Result<bool, WeirError> {
        set(vars, name, &Expr::Identifier(Ident::new(value)))
    }

    #[test]
    fn names_sets_client_results_and_connection() {
        let mut vars = SessionVars::default();
        set_word(&mut vars, "names", "LATIN1").unwrap();
        assert_eq!((get(&vars, CLIENT), get(&vars, RESULTS), get(&vars, COLLATION)), ("latin1", "latin1", "latin1_swedish_ci"));
        assert_eq!(of(&vars).client.name, "latin1");
        set_word(&mut vars, NAMES_COLLATE, "latin1_bin").unwrap();
        assert_eq!(get(&vars, COLLATION), "latin1_bin");
        let e = set_word(&mut vars, NAMES_COLLATE, "utf8mb4_bin").unwrap_err().to_mysql();
        assert_eq!(e.code, 1253);
        set_word(&mut vars, "names", "utf8").unwrap();
        assert_eq!(get(&vars, CLIENT), "utf8mb3");
    }

    #[test]
    fn an_unknown_character_set_is_1115() {
        let mut vars = SessionVars::default();
        let e = set_word(&mut vars, "names", "none").unwrap_err().to_mysql();
        assert_eq!((e.code, e.message.as_str(), e.state), (1115, "Unknown character set: 'none'", *b"42000"));
        assert_eq!(set_word(&mut vars, CLIENT, "sjis").unwrap_err().to_mysql().code, 1115);
        assert_eq!(get(&vars, CLIENT), "utf8mb4", "unchanged");
        set_word(&mut vars, CLIENT, "latin1").unwrap();
        assert_eq!((of(&vars).client.name, of(&vars).out().name), ("latin1", "utf8mb4"));
        assert!(!set_word(&mut vars, "autocommit", "1").unwrap());
    }
}
