//! Column names as the source dialect gives them.
//!
//! Flink names an unaliased select-list expression `EXPR$n` and a plain column by the catalog's
//! spelling of it. MySQL and Oracle name them from the statement's text, and clients depend on
//! it (`row['COUNT(*)']`, result headers, pandas columns). So the outermost SELECT's items (for a
//! set operation, its first branch's: they name the result) get a Flink alias holding the
//! source dialect's name wherever Flink's name would differ. Inner queries are left alone.
//!
//! The rules, per dialect ([`RULES`]):
//!
//! | item                        | MySQL (as MariaDB names it)           | Oracle                                  |
//! |-----------------------------|---------------------------------------|-----------------------------------------|
//! | `expr AS alias`             | the alias as written                  | the alias, upper-cased unless quoted    |
//! | a column (`id`, `t.id`)     | its name as written (`ID` stays `ID`) | upper-cased unless quoted (`t.id`: `ID`) |
//! | `(id)`, `+id`, `('x')`      | as the item inside                    | (text rule)                             |
//! | a string literal            | its value, leading blanks removed     | (text rule)                             |
//! | `NULL`, `TRUE`, `FALSE`     | `NULL`, `TRUE`, `FALSE`               | (text rule)                             |
//! | anything else               | the text as written, comments kept    | the text upper-cased, every blank and comment removed (inside literals too: `'a b'` is `'AB'`) |
//! | longer names                | cut to 255 bytes                      | cut to 128 bytes (Oracle 12.2 and later) |
//!
//! MySQL's rules are MariaDB's as observed (the reference the conformance runner compares with).
//! Oracle's are its documented and observed behaviour (unquoted names fold to upper case; an
//! expression's name is its text upper-cased without blanks, string literals included, as in
//! `COUNT(DISTINCTOBJECT_NAME||'THISIS...')`); what is not verified against an Oracle server:
//! whether comments are dropped, how a quoted identifier inside an expression is spelled (it is
//! upper-cased with the rest here), and `(col)` (named by its text here, `(COL)`).
//!
//! An alias renamed (Oracle's `AS n` is `N`) is renamed in the ORDER BY that refers to it. A name
//! holding a line break (MySQL's name of an item written over two lines) is written as a Flink
//! Unicode identifier, `U&"a\000Ab"` (see [`crate::printer::ident`]).
//!
//! What Flink cannot give is left as Flink names it, with a note: an empty name (MySQL's name
//! of `SELECT ''`; Flink has no empty identifier) and repeated names (Flink makes a result's
//! names unique by adding `0`, `1`... to the later ones: `SELECT a.id, b.id` gives `id`, `id0`;
//! the server would have to rename the result's columns to give MySQL's). Columns reached
//! through `*` keep their names (the catalog's, or a derived table's as Flink names them): Oracle
//! would give an Oracle table's columns upper-cased. Only queries are named: a view's columns
//! (CREATE VIEW ... AS SELECT) keep Flink's names.

use sqlparser::ast::{Expr as SqlExpr, Ident, Query as SqlQuery, SelectItem as SqlItem, SetExpr as SqlSetExpr, Spanned, UnaryOperator, Value};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use super::Lowerer;
use crate::error::Pos;
use crate::flink_ast::{Expr, OrderItem, Query, Select, SelectItem, SetExpr, Statement};
use crate::notes::Notes;
use crate::options::Options;
use crate::source_dialect::{MySqlSource, OracleSource, SourceDialect};

/// What the source dialect names one item of the outermost select list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemName {
    /// The name; `None` for `*` and `t.*` (their columns keep their names) and for an item
    /// whose text could not be found.
    pub name: Option<String>,
    /// False when the item is named by its text and that could not be found.
    pub found: bool,
    /// Where the item is.
    pub pos: Pos,
}

/// How a dialect names select-list items.
struct NamingRules {
    /// The name of an alias or a column, from the identifier as written.
    ident: fn(&Ident) -> String,
    /// The name of an expression named by its text, from the text's tokens.
    text: fn(&str, &[TokenWithSpan], &Offsets) -> String,
    /// Whether `(x)`, `+x`, literals and columns are named by what they are rather than by
    /// their text (MySQL: `('x')` is `x`).
    by_value: bool,
    /// The longest name, in bytes.
    max_bytes: usize,
}

/// The naming rules of each source dialect.
const RULES: &[(SourceDialect, NamingRules)] = &[
    (SourceDialect::MySql, NamingRules { ident: as_written, text: text_as_written, by_value: true, max_bytes: 255 }),
    (SourceDialect::Oracle, NamingRules { ident: folded_unless_quoted, text: text_folded, by_value: false, max_bytes: 128 }),
];

/// Keywords that end a select list (at parenthesis depth 0, after the last item).
const END_OF_SELECT_LIST: &[Keyword] = &[
    Keyword::FROM,
    Keyword::WHERE,
    Keyword::GROUP,
    Keyword::HAVING,
    Keyword::ORDER,
    Keyword::LIMIT,
    Keyword::UNION,
    Keyword::INTERSECT,
    Keyword::EXCEPT,
    Keyword::MINUS,
    Keyword::INTO,
    Keyword::FETCH,
    Keyword::OFFSET,
    Keyword::WINDOW,
    Keyword::FOR,
    Keyword::LOCK,
    Keyword::CONNECT,
    Keyword::START,
    Keyword::QUALIFY,
    Keyword::PROCEDURE,
];

/// Words between SELECT and the first item.
const SELECT_MODIFIERS: &[Keyword] = &[
    Keyword::DISTINCT,
    Keyword::DISTINCTROW,
    Keyword::ALL,
    Keyword::UNIQUE,
    Keyword::HIGH_PRIORITY,
    Keyword::STRAIGHT_JOIN,
    Keyword::SQL_SMALL_RESULT,
    Keyword::SQL_BIG_RESULT,
    Keyword::SQL_BUFFER_RESULT,
    Keyword::SQL_NO_CACHE,
    Keyword::SQL_CALC_FOUND_ROWS,
];

fn as_written(i: &Ident) -> String {
    i.value.clone()
}

fn folded_unless_quoted(i: &Ident) -> String {
    if i.quote_style.is_some() { i.value.clone() } else { i.value.to_uppercase() }
}

/// MySQL: the item's text from its first token to its last, comments inside kept.
fn text_as_written(sql: &str, tokens: &[TokenWithSpan], at: &Offsets) -> String {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else { return String::new() };
    match (at.offset(first.span.start), at.offset(last.span.end)) {
        (Some(s), Some(e)) if s <= e => sql.get(s..e).unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

/// Oracle: the item's tokens upper-cased, without comments or any blank.
fn text_folded(sql: &str, tokens: &[TokenWithSpan], at: &Offsets) -> String {
    let mut out = String::new();
    for t in tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))) {
        if let (Some(s), Some(e)) = (at.offset(t.span.start), at.offset(t.span.end)) {
            out.extend(sql.get(s..e).unwrap_or_default().chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase));
        }
    }
    out
}

fn rules(dialect: SourceDialect) -> Option<&'static NamingRules> {
    RULES.iter().find(|(d, _)| *d == dialect).map(|(_, r)| r)
}

/// Byte offsets of sqlparser locations (1-based lines and character columns) in a text.
struct Offsets {
    /// The byte offset of each character, and the text's length at the end.
    chars: Vec<usize>,
    /// The character index where each line starts.
    lines: Vec<usize>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len() + 1);
        let mut lines = vec![0];
        for (n, (i, c)) in text.char_indices().enumerate() {
            chars.push(i);
            if c == '\n' {
                lines.push(n + 1);
            }
        }
        chars.push(text.len());
        Self { chars, lines }
    }

    fn offset(&self, at: Location) -> Option<usize> {
        let line = *self.lines.get(usize::try_from(at.line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
        self.chars.get(line + column).copied()
    }
}

/// True when `a` is at or after `b` (an unknown location is before everything).
fn at_or_after(a: Location, b: Location) -> bool {
    b.line == 0 || (a.line, a.column) >= (b.line, b.column)
}

/// The first SELECT of a query body: the one that names the result's columns.
fn outermost_select(q: &SqlQuery) -> Option<&sqlparser::ast::Select> {
    let mut body = q.body.as_ref();
    loop {
        match body {
            SqlSetExpr::Select(s) => return Some(s),
            SqlSetExpr::Query(inner) => body = inner.body.as_ref(),
            SqlSetExpr::SetOperation { left, .. } => body = left.as_ref(),
            _ => return None,
        }
    }
}

/// The token ranges of a SELECT's items (without the blanks around them), checked against the
/// items' spans. `None` when they cannot be found.
fn item_tokens(tokens: &[TokenWithSpan], select: &sqlparser::ast::Select) -> Option<Vec<(usize, usize)>> {
    let select_at = select.select_token.0.span.start;
    let mut i = tokens.iter().position(|t| t.span.start == select_at)? + 1;
    let significant = |t: &TokenWithSpan| !matches!(t.token, Token::Whitespace(_));
    let mut ranges = Vec::with_capacity(select.projection.len());
    let count = select.projection.len();
    for (k, item) in select.projection.iter().enumerate() {
        let span = item.span();
        // Blanks, and before the first item the SELECT modifiers.
        while let Some(t) = tokens.get(i) {
            let modifier = k == 0
                && !at_or_after(t.span.start, span.start)
                && matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && SELECT_MODIFIERS.contains(&w.keyword));
            if significant(t) && !modifier {
                break;
            }
            i += 1;
        }
        let start = i;
        let mut last = None;
        let mut depth = 0usize;
        while let Some(t) = tokens.get(i) {
            let past = at_or_after(t.span.start, span.end);
            let ends = match &t.token {
                Token::EOF | Token::SemiColon => true,
                Token::LParen => {
                    depth += 1;
                    false
                }
                Token::RParen if depth == 0 => past,
                Token::RParen => {
                    depth -= 1;
                    false
                }
                Token::Comma => depth == 0 && past,
                Token::Word(w) => {
                    depth == 0 && past && k + 1 == count && w.quote_style.is_none() && END_OF_SELECT_LIST.contains(&w.keyword)
                }
                _ => false,
            };
            if ends {
                break;
            }
            if significant(t) {
                last = Some(i);
            }
            i += 1;
        }
        let last = last?;
        // The range must hold the item as sqlparser found it.
        let (first_tok, last_tok) = (tokens.get(start)?, tokens.get(last)?);
        if span.start.line != 0 && !(at_or_after(span.start, first_tok.span.start) && at_or_after(last_tok.span.end, span.end)) {
            return None;
        }
        ranges.push((start, last));
        // Past the comma.
        if k + 1 < count {
            if !matches!(tokens.get(i).map(|t| &t.token), Some(Token::Comma)) {
                return None;
            }
            i += 1;
        }
    }
    Some(ranges)
}

/// MySQL's name of an item it names by what it is (a column, a literal), after parentheses
/// and unary plus, which it looks through.
fn name_by_value(e: &SqlExpr) -> Option<String> {
    match e {
        SqlExpr::Nested(inner) | SqlExpr::UnaryOp { op: UnaryOperator::Plus, expr: inner } => name_by_value(inner),
        SqlExpr::Identifier(i) => Some(i.value.clone()),
        SqlExpr::CompoundIdentifier(ids) => ids.last().map(|i| i.value.clone()),
        SqlExpr::Prefixed { value, .. } => name_by_value(value),
        SqlExpr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) | Value::NationalStringLiteral(s) => {
                Some(s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}').to_string())
            }
            Value::Number(n, _) => Some(n.clone()),
            Value::Null => Some("NULL".into()),
            Value::Boolean(b) => Some(if *b { "TRUE" } else { "FALSE" }.into()),
            _ => None,
        },
        _ => None,
    }
}

/// The column a plain column reference names.
fn plain(e: &SqlExpr) -> Option<&Ident> {
    match e {
        SqlExpr::Identifier(i) => Some(i),
        SqlExpr::CompoundIdentifier(ids) => ids.last(),
        _ => None,
    }
}

/// A name cut to `max` bytes (at a character boundary).
fn cut(mut name: String, max: usize) -> String {
    if name.len() > max {
        let mut end = max;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    name
}

/// The source dialect's names of the outermost select list's items; `None` when the query has
/// no select list to name (VALUES).
pub(crate) fn source_names(sql: &str, dialect: SourceDialect, options: &Options, q: &SqlQuery) -> Option<Vec<ItemName>> {
    let select = outermost_select(q)?;
    let rules = rules(dialect)?;
    // The text is needed only for items named by it: tokenize only then.
    let by_text = |e: &SqlExpr| plain(e).is_none() && !(rules.by_value && name_by_value(e).is_some());
    let needs_text = select.projection.iter().any(|i| matches!(i, SqlItem::UnnamedExpr(e) if by_text(e)));
    let text = if needs_text {
        let tokens = match dialect {
            SourceDialect::MySql => Tokenizer::new(&MySqlSource::new(options.mysql_backslash_escapes), sql).tokenize_with_location(),
            SourceDialect::Oracle => Tokenizer::new(&OracleSource::default(), sql).tokenize_with_location(),
        }
        .ok();
        tokens.and_then(|t| item_tokens(&t, select).map(|r| (t, r)))
    } else {
        None
    };
    let offsets = text.as_ref().map(|_| Offsets::new(sql));
    let names = select
        .projection
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let name = match item {
                SqlItem::ExprWithAlias { alias, .. } => Some((rules.ident)(alias)),
                SqlItem::UnnamedExpr(e) => match plain(e) {
                    Some(i) => Some((rules.ident)(i)),
                    None if rules.by_value => name_by_value(e),
                    None => None,
                }
                .or_else(|| {
                    let (tokens, ranges) = text.as_ref()?;
                    let &(first, last) = ranges.get(k)?;
                    Some((rules.text)(sql, tokens.get(first..=last)?, offsets.as_ref()?))
                }),
                _ => None,
            };
            let found = name.is_some() || matches!(item, SqlItem::Wildcard(_) | SqlItem::QualifiedWildcard(..));
            ItemName { name: name.map(|n| cut(n, rules.max_bytes)), found, pos: super::pos_of(item) }
        })
        .collect();
    Some(names)
}

impl Lowerer<'_> {
    /// Gives the columns of a query's result the source dialect's names (see the module's
    /// documentation); other statements are left as they are.
    pub fn name_columns(&mut self, sql: &str, source: &sqlparser::ast::Statement, flink: &mut Statement) {
        let (sqlparser::ast::Statement::Query(q), Statement::Query(out)) = (source, flink) else { return };
        // Oracle's `SELECT * FROM (ordered subquery) WHERE ROWNUM <= n` became the subquery.
        let q = match self.dialect {
            SourceDialect::Oracle => super::query::rownum_star_subquery(q).unwrap_or(q),
            SourceDialect::MySql => q,
        };
        let Some(names) = source_names(sql, self.dialect, self.options, q) else { return };
        if names.iter().all(|n| n.name.is_none() && n.found) {
            return;
        }
        name_query(out, &names, &mut self.notes);
    }
}

fn name_query(q: &mut Query, names: &[ItemName], notes: &mut Notes) -> Vec<(String, String)> {
    let renamed = name_set_expr(&mut q.body, names, notes);
    rename_order_keys(&mut q.order_by, &renamed);
    renamed
}

fn name_set_expr(s: &mut SetExpr, names: &[ItemName], notes: &mut Notes) -> Vec<(String, String)> {
    match s {
        SetExpr::Select(sel) => name_select(sel, names, notes),
        SetExpr::Query(inner) => name_query(inner, names, notes),
        SetExpr::SetOp { left, .. } => name_set_expr(left, names, notes),
        SetExpr::Values(_) => Vec::new(),
    }
}

/// ORDER BY `old` naming a renamed alias names it by its new name (Flink resolves a bare name
/// in ORDER BY to a select-list alias first, so that is what it meant).
fn rename_order_keys(order_by: &mut [OrderItem], renamed: &[(String, String)]) {
    for o in order_by {
        if let Expr::Column(parts) = &mut o.expr
            && let [only] = parts.as_mut_slice()
            && let Some((_, new)) = renamed.iter().find(|(old, _)| old == only)
        {
            *only = new.clone();
        }
    }
}

/// Flink's name of a select item (`None`: `EXPR$n`, or a wildcard).
fn flink_name(item: &SelectItem) -> Option<&str> {
    match item {
        SelectItem::Expr { alias: Some(a), .. } => Some(a),
        SelectItem::Expr { expr: Expr::Column(parts), .. } => parts.last().map(String::as_str),
        _ => None,
    }
}

/// Names a select list's items; returns the aliases renamed (old, new).
fn name_select(s: &mut Select, names: &[ItemName], notes: &mut Notes) -> Vec<(String, String)> {
    if s.projection.len() != names.len() {
        let pos = names.first().map(|n| n.pos).unwrap_or_default();
        notes.add(pos, "the result's columns keep Flink's names (the select list was rewritten)");
        return Vec::new();
    }
    let mut renamed = Vec::new();
    for (k, (item, n)) in s.projection.iter_mut().zip(names).enumerate() {
        let Some(name) = &n.name else {
            if !n.found {
                notes.add(n.pos, format!("this column keeps Flink's name EXPR${k} (its text could not be found)"));
            }
            continue;
        };
        if flink_name(item) == Some(name.as_str()) {
            continue;
        }
        let SelectItem::Expr { alias, .. } = item else { continue };
        if name.is_empty() {
            let flink = alias.clone().unwrap_or_else(|| format!("EXPR${k}"));
            notes.add(n.pos, format!("this column is named {flink}: its name is empty, which Flink cannot give"));
            continue;
        }
        if let Some(old) = alias.replace(name.clone()) {
            renamed.push((old, name.clone()));
        }
    }
    // Flink makes a result's names unique (`id`, `id0`): say so where the source's repeat.
    let finals: Vec<Option<&str>> = s.projection.iter().map(flink_name).collect();
    for (k, name) in finals.iter().enumerate() {
        if let Some(name) = name
            && finals[..k].contains(&Some(name))
            && !finals[k + 1..].contains(&Some(name))
            && let Some(pos) = names.get(k).map(|n| n.pos)
        {
            notes.add(pos, format!("more than one column is named {name}: Flink names the later ones {name}0, {name}1, ... (a Flink result's column names are unique)"));
        }
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_one;

    fn names(sql: &str, dialect: SourceDialect) -> Vec<String> {
        let statement = parse_one(sql, dialect, &Options::default()).unwrap();
        let sqlparser::ast::Statement::Query(q) = &statement else { panic!("a query") };
        source_names(sql, dialect, &Options::default(), q)
            .unwrap()
            .into_iter()
            .map(|n| n.name.unwrap_or_else(|| "*".to_string()))
            .collect()
    }

    #[test]
    fn mysql_names_items_as_written() {
        assert_eq!(
            names("SELECT DISTINCT COUNT( * ) , SUM(amount)/*x*/, IFNULL(x,\n 3) -- c\n FROM orders", SourceDialect::MySql),
            ["COUNT( * )", "SUM(amount)", "IFNULL(x,\n 3)"]
        );
        assert_eq!(
            names("SELECT id, ID, o.Id, (id), +id, `id`, (id+1), - 1, +1, (1), 1.50, 'abc', ' lead', ('x'), N'n', NULL, true, x IS DISTINCT FROM y FROM orders o", SourceDialect::MySql),
            ["id", "ID", "Id", "id", "id", "id", "(id+1)", "- 1", "1", "1", "1.50", "abc", "lead", "x", "n", "NULL", "TRUE", "x IS DISTINCT FROM y"]
        );
        assert_eq!(names("SELECT *, o.*, a AS `My Name`, b c FROM o", SourceDialect::MySql), ["*", "*", "My Name", "c"]);
        assert_eq!(names("(SELECT a + 1 FROM t) UNION SELECT b FROM u ORDER BY 1", SourceDialect::MySql), ["a + 1"]);
        assert_eq!(names("WITH c AS (SELECT 1 AS x) SELECT x * 2, (SELECT MAX(x) FROM c) FROM c", SourceDialect::MySql), ["x * 2", "(SELECT MAX(x) FROM c)"]);
        assert_eq!(names("SELECT start, `offset` + 1 FROM t", SourceDialect::MySql), ["start", "`offset` + 1"]);
        let long = format!("SELECT '{}'", "é".repeat(200));
        assert_eq!(names(&long, SourceDialect::MySql)[0].len(), 254);
    }

    fn flink(sql: &str, dialect: SourceDialect) -> crate::Translation {
        crate::translate(sql, dialect, &crate::FlinkTarget::V1_20, &crate::NoSchema, None).unwrap()
    }

    #[test]
    fn aliases_where_flink_would_differ() {
        assert_eq!(flink("SELECT a, COUNT(*) FROM t GROUP BY a", SourceDialect::MySql).sql, "SELECT a, COUNT(*) AS `COUNT(*)` FROM t GROUP BY a");
        // Oracle's unquoted alias is upper case, and so is the ORDER BY naming it.
        assert_eq!(flink("SELECT a AS n FROM t ORDER BY n", SourceDialect::Oracle).sql, "SELECT a AS N FROM t ORDER BY N NULLS LAST");
        // Inner queries keep their names.
        assert_eq!(
            flink("SELECT x FROM (SELECT a + 1 AS x FROM t) s WHERE x IN (SELECT MAX(b) FROM u)", SourceDialect::MySql).sql,
            "SELECT x FROM (SELECT a + 1 AS x FROM t) AS s WHERE x IN (SELECT MAX(b) FROM u)"
        );
        let repeated = flink("SELECT a.id, b.id FROM a, b", SourceDialect::MySql);
        assert!(repeated.notes.iter().any(|n| n.message.contains("Flink names the later ones id0")), "{:?}", repeated.notes);
        let empty = flink("SELECT ''", SourceDialect::MySql);
        assert_eq!(empty.sql, "SELECT ''");
        assert!(empty.notes.iter().any(|n| n.message.contains("EXPR$0")), "{:?}", empty.notes);
    }

    #[test]
    fn oracle_folds_names() {
        assert_eq!(
            names("SELECT nvl(id, 0), id, t.id, \"Mixed\", x AS n, y AS \"n\", 'a b' || name, COUNT(*) FROM t", SourceDialect::Oracle),
            ["NVL(ID,0)", "ID", "ID", "Mixed", "N", "n", "'AB'||NAME", "COUNT(*)"]
        );
        assert_eq!(names("SELECT sal * 2 /* c */ FROM emp", SourceDialect::Oracle), ["SAL*2"]);
        let long = format!("SELECT {} FROM dual", vec!["1"; 100].join(" + "));
        assert_eq!(names(&long, SourceDialect::Oracle)[0].len(), 128);
    }
}
