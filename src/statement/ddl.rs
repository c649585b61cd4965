//! Recognizes the Flink DDL statements whose objects Weir records: which object a statement
//! creates, alters or drops, where its name sits in the text, and its modifiers. Everything else
//! is `None`; Flink parses the statement fully and gives its own errors.

use std::ops::Range;

use super::ObjectKind;
use super::words::{self, Spanned};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create { if_not_exists: bool, or_replace: bool },
    Drop { if_exists: bool, cascade: bool },
    /// ALTER; `rename_to` for `ALTER TABLE|VIEW a RENAME TO b`.
    Alter { rename_to: Option<Vec<String>> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ddl {
    pub action: Action,
    pub kind: ObjectKind,
    pub temporary: bool,
    /// The object's name as written (1 to 3 parts).
    pub name: Vec<String>,
    /// Byte range of the name in the text.
    pub name_span: Range<usize>,
    /// Byte range of a trailing `CASCADE`/`RESTRICT` of a DROP (Flink takes it only for databases).
    pub drop_mode_span: Option<Range<usize>>,
    /// Byte range of a DROP's `IF EXISTS`.
    pub if_exists_span: Option<Range<usize>>,
}

struct Cursor<'a> {
    t: &'a [Spanned],
    i: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, k: &str) -> bool {
        if self.t.get(self.i).is_some_and(|t| t.is_keyword(k)) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn eat_all(&mut self, ks: &[&str]) -> bool {
        let save = self.i;
        for k in ks {
            if !self.eat(k) {
                self.i = save;
                return false;
            }
        }
        true
    }

    fn kind(&mut self) -> Option<ObjectKind> {
        let k = self.t.get(self.i)?.keyword().and_then(|w| ObjectKind::from_keyword(&w))?;
        self.i += 1;
        Some(k)
    }

    fn name(&mut self) -> Option<(Vec<String>, Range<usize>)> {
        let start = self.t.get(self.i)?.span.start;
        let (name, end) = words::name_at(self.t, self.i);
        if name.is_empty() || name.len() > 3 {
            return None;
        }
        let span = start..self.t[end - 1].span.end;
        self.i = end;
        Some((name, span))
    }
}

/// The DDL a statement is, if it is one that creates, alters or drops a catalog object.
pub fn recognize(sql: &str) -> Option<Ddl> {
    recognize_tokens(&words::tokenize(sql))
}

/// [`recognize`] over a statement's tokens (spans are the tokens' own).
pub fn recognize_tokens(tokens: &[Spanned]) -> Option<Ddl> {
    let mut c = Cursor { t: tokens, i: 0 };
    let first = c.t.first()?.keyword()?;
    c.i = 1;
    match first.as_str() {
        "CREATE" | "REPLACE" => {
            let or_replace = first == "REPLACE" || c.eat_all(&["OR", "REPLACE"]);
            let temporary = c.eat("TEMPORARY");
            if temporary {
                c.eat("SYSTEM");
            }
            let kind = c.kind()?;
            let if_not_exists = c.eat_all(&["IF", "NOT", "EXISTS"]);
            let (name, name_span) = c.name()?;
            Some(Ddl { action: Action::Create { if_not_exists, or_replace }, kind, temporary, name, name_span, drop_mode_span: None, if_exists_span: None })
        }
        "DROP" => {
            let temporary = c.eat("TEMPORARY");
            if temporary {
                c.eat("SYSTEM");
            }
            let kind = c.kind()?;
            let at = c.i;
            let if_exists = c.eat_all(&["IF", "EXISTS"]);
            let if_exists_span = if_exists.then(|| c.t[at].span.start..c.t[at + 1].span.end);
            let (name, name_span) = c.name()?;
            let mode = c.t.get(c.i).filter(|t| t.is_keyword("CASCADE") || t.is_keyword("RESTRICT"));
            let cascade = mode.is_some_and(|t| t.is_keyword("CASCADE"));
            let drop_mode_span = mode.map(|t| t.span.clone());
            Some(Ddl { action: Action::Drop { if_exists, cascade }, kind, temporary, name, name_span, drop_mode_span, if_exists_span })
        }
        "ALTER" => {
            let temporary = c.eat("TEMPORARY");
            if temporary {
                c.eat("SYSTEM");
            }
            let kind = c.kind()?;
            c.eat_all(&["IF", "EXISTS"]);
            let (name, name_span) = c.name()?;
            let rename_to = if c.eat_all(&["RENAME", "TO"]) { c.name().map(|(n, _)| n) } else { None };
            Some(Ddl { action: Action::Alter { rename_to }, kind, temporary, name, name_span, drop_mode_span: None, if_exists_span: None })
        }
        _ => None,
    }
}

/// The statement with its object name replaced by `qualified` and `IF NOT EXISTS` put in front
/// of it (dropping `OR REPLACE`): the form in which Weir records and replays a CREATE.
pub fn canonical_create(sql: &str, ddl: &Ddl, qualified: &str) -> String {
    let rest = sql[ddl.name_span.end..].trim_end().trim_end_matches(';');
    format!("CREATE {} IF NOT EXISTS {qualified}{rest}", ddl.kind.keyword())
}

/// A `DROP … IF EXISTS` of a table, view, database or function as the strict DROP (without
/// `IF EXISTS`): run once, Flink's own "does not exist" tells that the object was missing, which
/// MySQL reports as a note (`Unknown table 'db.t'`, …). `None` for any other statement.
pub fn strict_drop(sql: &str, ddl: &Ddl) -> Option<String> {
    let span = ddl.if_exists_span.as_ref()?;
    if ddl.kind == ObjectKind::Catalog || !sql.is_char_boundary(span.start) || !sql.is_char_boundary(span.end) {
        return None;
    }
    Some(format!("{}{}", &sql[..span.start], sql[span.end..].trim_start()))
}

/// The `'key' = 'value'` options of a statement's WITH, in order (a recorded catalog's
/// connection, for instance).
pub fn with_options(sql: &str) -> Vec<(String, String)> {
    use super::words::Token;
    let tokens = words::tokenize(sql);
    tokens
        .windows(3)
        .filter_map(|w| match (&w[0].token, &w[1].token, &w[2].token) {
            (Token::Str(k), Token::Punct('='), Token::Str(v)) => Some((k.clone(), v.clone())),
            _ => None,
        })
        .collect()
}

/// What Weir keeps of a `CREATE CATALOG`'s options: its type, which tells whether its objects
/// are Weir's to record.
pub fn catalog_info(sql: &str) -> serde_json::Value {
    use super::words::Token;
    let tokens = words::tokenize(sql);
    let kind = tokens.windows(3).find_map(|w| match (&w[0].token, &w[1].token, &w[2].token) {
        (Token::Str(k), Token::Punct('='), Token::Str(v)) if k == "type" => Some(v.clone()),
        _ => None,
    });
    serde_json::json!({ "type": kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_options_reads_each_key_and_value() {
        let o = with_options("CREATE CATALOG src WITH ('type' = 'jdbc', 'password' = 'it''s', 'base-url'='jdbc:mysql://h:1')");
        assert_eq!(o, [("type".into(), "jdbc".into()), ("password".into(), "it's".into()), ("base-url".into(), "jdbc:mysql://h:1".into())]);
    }

    #[test]
    fn creates_drops_and_alters() {
        let d = recognize("CREATE TABLE IF NOT EXISTS `c`.d.t (x INT) WITH ('connector' = 'datagen')").unwrap();
        assert_eq!(d.kind, ObjectKind::Table);
        assert_eq!(d.name, vec!["c", "d", "t"]);
        assert_eq!(d.action, Action::Create { if_not_exists: true, or_replace: false });
        let d = recognize("create temporary system function f as 'x'").unwrap();
        assert!(d.temporary);
        assert_eq!(d.kind, ObjectKind::Function);
        let d = recognize("DROP TABLE IF EXISTS t CASCADE").unwrap();
        assert_eq!(d.action, Action::Drop { if_exists: true, cascade: true });
        let sql = "drop temporary view if exists `v` ";
        let d = recognize(sql).unwrap();
        assert_eq!(strict_drop(sql, &d).as_deref(), Some("drop temporary view `v` "));
        let sql = "DROP DATABASE IF EXISTS cat.db CASCADE";
        assert_eq!(strict_drop(sql, &recognize(sql).unwrap()).as_deref(), Some("DROP DATABASE cat.db CASCADE"));
        assert_eq!(strict_drop("DROP TABLE t", &recognize("DROP TABLE t").unwrap()), None);
        assert_eq!(strict_drop("DROP CATALOG IF EXISTS c", &recognize("DROP CATALOG IF EXISTS c").unwrap()), None);
        let d = recognize("ALTER TABLE a RENAME TO b").unwrap();
        assert_eq!(d.action, Action::Alter { rename_to: Some(vec!["b".into()]) });
        assert_eq!(recognize("SELECT 1"), None);
        assert_eq!(recognize("CREATE MATERIALIZED TABLE x AS SELECT 1"), None);
    }

    #[test]
    fn canonical_form_is_qualified_and_idempotent() {
        let sql = "CREATE OR REPLACE VIEW v AS SELECT * FROM t;";
        let d = recognize(sql).unwrap();
        assert_eq!(
            canonical_create(sql, &d, "`default_catalog`.`db`.`v`"),
            "CREATE VIEW IF NOT EXISTS `default_catalog`.`db`.`v` AS SELECT * FROM t"
        );
    }
}
