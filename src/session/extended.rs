//! Weir's extended statements, parsed by Weir's own grammar over sqlparser's tokenizer (so quotes,
//! comments and keywords follow SQL's lexical rules).
//!
//! Grammar (today):
//! ```text
//! extended  := SHOW FLINK CLUSTERS [LIKE 'pattern']
//!            | TRANSLATE [FROM (mysql | mariadb | oracle)] <statement>
//! ```
//! Later statements (TRANSLATE, CREATE DATASYNC, SCHEDULE, job lifecycle) are added as further
//! alternatives of [`Extended`].

use weir_dialects::session_dialect::MySqlNoBackslashEscapes;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The first words of the extended statements.
const FIRST_WORDS: &[&str] = &["SHOW", "TRANSLATE"];

/// A parsed extended statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extended {
    ShowFlinkClusters { like: Option<String> },
    /// Translates `statement` (source text, kept as written) into Flink SQL without running it.
    Translate { from: Option<String>, statement: String },
}

/// Parses `sql` as an extended statement; `None` when it is not one (it is then MySQL's or
/// Flink's).
pub fn parse(sql: &str) -> Option<Extended> {
    // Every extended statement starts with one of these words; skip tokenizing anything else.
    let first: String = sql.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if !FIRST_WORDS.iter().any(|w| w.eq_ignore_ascii_case(&first)) {
        return None;
    }
    if first.eq_ignore_ascii_case("TRANSLATE") {
        return parse_translate(sql.trim_start()[first.len()..].trim_start());
    }
    let tokens = Tokenizer::new(&MySqlNoBackslashEscapes::default(), sql).tokenize().ok()?;
    let mut p = Tokens { tokens: tokens.into_iter().filter(|t| !matches!(t, Token::Whitespace(_))).collect(), pos: 0 };
    let stmt = if p.keywords(&["SHOW", "FLINK", "CLUSTERS"]) {
        let like = if p.keywords(&["LIKE"]) { Some(p.string()?) } else { None };
        Extended::ShowFlinkClusters { like }
    } else {
        return None;
    };
    p.end().then_some(stmt)
}

/// `[FROM dialect] statement`: the statement is kept as source text (its positions matter for
/// the translator's notes and errors).
fn parse_translate(rest: &str) -> Option<Extended> {
    let word = |s: &str| -> String { s.chars().take_while(|c| c.is_ascii_alphabetic()).collect() };
    let mut from = None;
    let mut statement = rest;
    if word(rest).eq_ignore_ascii_case("FROM") {
        let after = rest[4..].trim_start();
        let dialect = word(after);
        if ["mysql", "mariadb", "oracle"].iter().any(|d| d.eq_ignore_ascii_case(&dialect)) {
            from = Some(dialect.to_ascii_lowercase());
            statement = after[dialect.len()..].trim_start();
        }
    }
    let statement = statement.trim().trim_end_matches(';').trim();
    (!statement.is_empty()).then(|| Extended::Translate { from, statement: statement.to_string() })
}

struct Tokens {
    tokens: Vec<Token>,
    pos: usize,
}

impl Tokens {
    /// Consumes the keywords if they all come next.
    fn keywords(&mut self, words: &[&str]) -> bool {
        let matches = words.iter().enumerate().all(|(i, w)| match self.tokens.get(self.pos + i) {
            Some(Token::Word(word)) => word.quote_style.is_none() && word.value.eq_ignore_ascii_case(w),
            _ => false,
        });
        if matches {
            self.pos += words.len();
        }
        matches
    }

    fn string(&mut self) -> Option<String> {
        match self.tokens.get(self.pos) {
            Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => {
                self.pos += 1;
                Some(s.clone())
            }
            _ => None,
        }
    }

    fn end(&mut self) -> bool {
        while matches!(self.tokens.get(self.pos), Some(Token::SemiColon)) {
            self.pos += 1;
        }
        self.pos >= self.tokens.len() || matches!(self.tokens.get(self.pos), Some(Token::EOF))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_show_flink_clusters() {
        assert_eq!(parse("SHOW FLINK CLUSTERS"), Some(Extended::ShowFlinkClusters { like: None }));
        assert_eq!(parse("show flink clusters like 'loc%';"), Some(Extended::ShowFlinkClusters { like: Some("loc%".into()) }));
        assert_eq!(parse("SHOW FLINK CLUSTERS extra"), None);
        assert_eq!(parse("SHOW JOBS"), None);
        assert_eq!(parse("SHOW `FLINK` CLUSTERS"), None);
    }

    #[test]
    fn parses_translate() {
        assert_eq!(
            parse("TRANSLATE FROM oracle SELECT * FROM dual;"),
            Some(Extended::Translate { from: Some("oracle".into()), statement: "SELECT * FROM dual".into() })
        );
        assert_eq!(
            parse("translate SELECT IFNULL(a, 0) FROM t"),
            Some(Extended::Translate { from: None, statement: "SELECT IFNULL(a, 0) FROM t".into() })
        );
        assert_eq!(parse("TRANSLATE"), None);
    }
}
