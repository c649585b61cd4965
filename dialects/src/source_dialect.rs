//! The source dialects: [`SourceDialect`], which names the language a statement is written in,
//! and the sqlparser dialects translation parses MySQL and Oracle with.
//!
//! Each sqlparser dialect wraps sqlparser's own dialect, forwarding every method that dialect overrides (so the
//! parser still recognises it as MySQL or Oracle wherever it asks), and adds only what
//! translation needs from the source languages that sqlparser 0.62 does not parse:
//!
//! * MySQL: compound interval units (`INTERVAL '1:30' HOUR_MINUTE`), `GROUP BY ... WITH ROLLUP`,
//!   `EXTRACT(YEAR_MONTH FROM d)`, and a choice of backslash escapes in strings (off in Weir's
//!   sessions, which announce `NO_BACKSLASH_ESCAPES`; on for MySQL scripts from elsewhere).
//! * Oracle: nothing beyond sqlparser's Oracle dialect; see [`crate::parse`] for the few type
//!   spellings patched before parsing.

use std::any::TypeId;
use std::fmt;

use sqlparser::ast::{DateTimeField, Expr, Interval, Statement};
use sqlparser::dialect::{Dialect, MySqlDialect, OracleDialect, Precedence};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// The SQL dialect a statement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceDialect {
    /// MySQL (and MariaDB) SQL.
    MySql,
    /// Oracle SQL (not PL/SQL).
    Oracle,
}

impl SourceDialect {
    /// The dialect named `name` (`mysql`, `mariadb`, `oracle`; any case).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "mysql" | "mariadb" => Some(Self::MySql),
            "oracle" => Some(Self::Oracle),
            _ => None,
        }
    }

    /// The dialect's name as `SET weir.dialect` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::MySql => "mysql",
            Self::Oracle => "oracle",
        }
    }
}

impl fmt::Display for SourceDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// MySQL as translation parses it.
#[derive(Debug, Default)]
pub struct MySqlSource {
    inner: MySqlDialect,
    /// Whether `\` escapes characters in string literals (MySQL's default, but not Weir's).
    pub backslash_escapes: bool,
}

impl MySqlSource {
    /// MySQL with or without backslash escapes in strings.
    pub fn new(backslash_escapes: bool) -> Self {
        Self { inner: MySqlDialect {}, backslash_escapes }
    }
}

/// MySQL's compound interval units and the fields they span.
pub(crate) const COMPOUND_INTERVAL_UNITS: &[(&str, DateTimeField, DateTimeField)] = &[
    ("YEAR_MONTH", DateTimeField::Year, DateTimeField::Month),
    ("DAY_HOUR", DateTimeField::Day, DateTimeField::Hour),
    ("DAY_MINUTE", DateTimeField::Day, DateTimeField::Minute),
    ("DAY_SECOND", DateTimeField::Day, DateTimeField::Second),
    ("DAY_MICROSECOND", DateTimeField::Day, DateTimeField::Microsecond),
    ("HOUR_MINUTE", DateTimeField::Hour, DateTimeField::Minute),
    ("HOUR_SECOND", DateTimeField::Hour, DateTimeField::Second),
    ("HOUR_MICROSECOND", DateTimeField::Hour, DateTimeField::Microsecond),
    ("MINUTE_SECOND", DateTimeField::Minute, DateTimeField::Second),
    ("MINUTE_MICROSECOND", DateTimeField::Minute, DateTimeField::Microsecond),
    ("SECOND_MICROSECOND", DateTimeField::Second, DateTimeField::Microsecond),
];

/// Parses MySQL's `INTERVAL expr unit`, accepting the compound units sqlparser does not know.
fn parse_mysql_interval(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    if !matches!(&parser.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::INTERVAL) {
        return None;
    }
    parser.next_token();
    Some((|| {
        let value = parser.parse_expr()?;
        let compound = match &parser.peek_token_ref().token {
            Token::Word(w) => COMPOUND_INTERVAL_UNITS.iter().find(|(name, _, _)| w.value.eq_ignore_ascii_case(name)),
            _ => None,
        };
        let (leading_field, last_field) = match compound {
            Some((_, lead, last)) => {
                parser.next_token();
                (lead.clone(), Some(last.clone()))
            }
            None => (parser.parse_date_time_field()?, None),
        };
        Ok(Expr::Interval(Interval {
            value: Box::new(value),
            leading_field: Some(leading_field),
            leading_precision: None,
            last_field,
            fractional_seconds_precision: None,
        }))
    })())
}

impl Dialect for MySqlSource {
    fn dialect(&self) -> TypeId {
        self.inner.dialect()
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        self.inner.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        self.inner.is_identifier_part(ch)
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        self.inner.is_delimited_identifier_start(ch)
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        self.inner.identifier_quote_style(identifier)
    }
    fn supports_string_literal_backslash_escape(&self) -> bool {
        self.backslash_escapes
    }
    fn supports_string_literal_concatenation(&self) -> bool {
        self.inner.supports_string_literal_concatenation()
    }
    fn ignores_wildcard_escapes(&self) -> bool {
        self.inner.ignores_wildcard_escapes()
    }
    fn supports_numeric_prefix(&self) -> bool {
        self.inner.supports_numeric_prefix()
    }
    fn supports_bitwise_shift_operators(&self) -> bool {
        self.inner.supports_bitwise_shift_operators()
    }
    fn supports_multiline_comment_hints(&self) -> bool {
        self.inner.supports_multiline_comment_hints()
    }
    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        parse_mysql_interval(parser)
    }
    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, precedence: u8) -> Option<Result<Expr, ParserError>> {
        self.inner.parse_infix(parser, expr, precedence)
    }
    /// MySQL's `||` is OR (without `PIPES_AS_CONCAT`), `&&` is AND and XOR sits between them: they
    /// bind as loosely as those.
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        match parser.peek_token_ref().token {
            Token::StringConcat => Some(Ok(self.prec_value(Precedence::Or))),
            Token::Overlap => Some(Ok(self.prec_value(Precedence::And))),
            // Logical XOR binds between AND and OR.
            Token::Word(ref w) if w.keyword == Keyword::XOR => {
                Some(Ok((self.prec_value(Precedence::And) + self.prec_value(Precedence::Or)) / 2))
            }
            _ => None,
        }
    }
    fn parse_statement(&self, parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
        self.inner.parse_statement(parser)
    }
    fn require_interval_qualifier(&self) -> bool {
        self.inner.require_interval_qualifier()
    }
    fn supports_limit_comma(&self) -> bool {
        self.inner.supports_limit_comma()
    }
    fn supports_create_table_select(&self) -> bool {
        self.inner.supports_create_table_select()
    }
    fn supports_insert_set(&self) -> bool {
        self.inner.supports_insert_set()
    }
    fn supports_user_host_grantee(&self) -> bool {
        self.inner.supports_user_host_grantee()
    }
    fn is_table_factor_alias(&self, explicit: bool, kw: &Keyword, parser: &mut Parser) -> bool {
        self.inner.is_table_factor_alias(explicit, kw, parser)
    }
    fn supports_table_hints(&self) -> bool {
        self.inner.supports_table_hints()
    }
    fn requires_single_line_comment_whitespace(&self) -> bool {
        self.inner.requires_single_line_comment_whitespace()
    }
    fn supports_match_against(&self) -> bool {
        self.inner.supports_match_against()
    }
    fn supports_select_modifiers(&self) -> bool {
        self.inner.supports_select_modifiers()
    }
    fn supports_set_names(&self) -> bool {
        self.inner.supports_set_names()
    }
    fn supports_comma_separated_set_assignments(&self) -> bool {
        self.inner.supports_comma_separated_set_assignments()
    }
    fn supports_update_order_by(&self) -> bool {
        self.inner.supports_update_order_by()
    }
    fn supports_data_type_signed_suffix(&self) -> bool {
        self.inner.supports_data_type_signed_suffix()
    }
    fn supports_cross_join_constraint(&self) -> bool {
        self.inner.supports_cross_join_constraint()
    }
    fn supports_double_ampersand_operator(&self) -> bool {
        self.inner.supports_double_ampersand_operator()
    }
    fn supports_binary_kw_as_cast(&self) -> bool {
        self.inner.supports_binary_kw_as_cast()
    }
    fn supports_comment_optimizer_hint(&self) -> bool {
        self.inner.supports_comment_optimizer_hint()
    }
    fn supports_constraint_keyword_without_name(&self) -> bool {
        self.inner.supports_constraint_keyword_without_name()
    }
    fn supports_key_column_option(&self) -> bool {
        self.inner.supports_key_column_option()
    }
    /// MySQL has `GROUP BY a, b WITH ROLLUP`; sqlparser 0.62 leaves it to other dialects.
    fn supports_group_by_with_modifier(&self) -> bool {
        true
    }
    /// MySQL's `EXTRACT(YEAR_MONTH FROM d)` and relatives (refused later, but parsed).
    fn allow_extract_custom(&self) -> bool {
        true
    }
}

/// Oracle as translation parses it: sqlparser's Oracle dialect.
#[derive(Debug, Default)]
pub struct OracleSource {
    inner: OracleDialect,
}

impl Dialect for OracleSource {
    fn dialect(&self) -> TypeId {
        self.inner.dialect()
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        self.inner.identifier_quote_style(identifier)
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        self.inner.is_delimited_identifier_start(ch)
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        self.inner.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        self.inner.is_identifier_part(ch)
    }
    fn supports_outer_join_operator(&self) -> bool {
        self.inner.supports_outer_join_operator()
    }
    fn supports_connect_by(&self) -> bool {
        self.inner.supports_connect_by()
    }
    fn supports_execute_immediate(&self) -> bool {
        self.inner.supports_execute_immediate()
    }
    fn supports_match_recognize(&self) -> bool {
        self.inner.supports_match_recognize()
    }
    fn supports_window_function_null_treatment_arg(&self) -> bool {
        self.inner.supports_window_function_null_treatment_arg()
    }
    fn supports_boolean_literals(&self) -> bool {
        self.inner.supports_boolean_literals()
    }
    fn supports_comment_on(&self) -> bool {
        self.inner.supports_comment_on()
    }
    fn supports_create_table_select(&self) -> bool {
        self.inner.supports_create_table_select()
    }
    fn supports_set_stmt_without_operator(&self) -> bool {
        self.inner.supports_set_stmt_without_operator()
    }
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        self.inner.get_next_precedence(parser)
    }
    fn supports_group_by_expr(&self) -> bool {
        self.inner.supports_group_by_expr()
    }
    fn get_reserved_keywords_for_select_item_operator(&self) -> &[Keyword] {
        self.inner.get_reserved_keywords_for_select_item_operator()
    }
    fn supports_quote_delimited_string(&self) -> bool {
        self.inner.supports_quote_delimited_string()
    }
    fn supports_comment_optimizer_hint(&self) -> bool {
        self.inner.supports_comment_optimizer_hint()
    }
    fn supports_insert_table_alias(&self) -> bool {
        self.inner.supports_insert_table_alias()
    }
    fn supports_insert_table_query(&self) -> bool {
        self.inner.supports_insert_table_query()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(SourceDialect::from_name("Oracle"), Some(SourceDialect::Oracle));
        assert_eq!(SourceDialect::from_name("mariadb"), Some(SourceDialect::MySql));
        assert_eq!(SourceDialect::from_name("flink"), None);
        assert_eq!(SourceDialect::MySql.to_string(), "mysql");
    }
}
