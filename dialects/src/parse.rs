//! Parsing source statements with sqlparser, and the few source spellings patched first.
//!
//! Oracle type spellings sqlparser 0.62 does not parse are rewritten in place, keeping every
//! other character where it was so that positions in errors stay right:
//! * `NUMBER(*, s)` becomes `NUMBER(0, s)` (the type table reads precision 0 as `*`);
//! * `TIMESTAMP [(p)] WITH LOCAL TIME ZONE` becomes `... WITH TIME ZONE` padded with blanks
//!   (both map to Flink's `TIMESTAMP_LTZ`).
//!
//! PL/SQL blocks (`DECLARE`/`BEGIN`) and stored-program DDL are recognised by their first words
//! and refused as such, rather than reported as whatever parse error they happen to cause.

use sqlparser::ast::Statement;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::error::{Pos, TranslateError};
use crate::lexer;
use crate::options::Options;
use crate::source_dialect::{MySqlSource, OracleSource, SourceDialect};

/// Parses exactly one statement.
pub fn parse_one(sql: &str, dialect: SourceDialect, options: &Options) -> Result<Statement, TranslateError> {
    if let Some(refusal) = refuse_by_first_words(sql, dialect) {
        return Err(refusal);
    }
    let mut statements = match dialect {
        SourceDialect::MySql => Parser::parse_sql(&MySqlSource::new(options.mysql_backslash_escapes), sql),
        SourceDialect::Oracle => Parser::parse_sql(&OracleSource::default(), &patch_oracle(sql)),
    }
    .map_err(parse_error)?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        0 => Err(TranslateError::Statements { message: "no statement to translate".into() }),
        n => Err(TranslateError::Statements {
            message: format!("{n} statements given where one was expected (translate them as a script)"),
        }),
    }
}

/// A sqlparser error as a [`TranslateError::Parse`], its position taken out of the message.
fn parse_error(e: ParserError) -> TranslateError {
    let text = match e {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => s,
        ParserError::RecursionLimitExceeded => {
            return TranslateError::Parse { line: 1, column: 1, message: "statement nested too deeply".into() };
        }
    };
    let (message, pos) = match text.rfind(" at Line: ") {
        Some(i) => {
            let mut nums = text[i + " at Line: ".len()..].split(", Column: ").map(|n| n.trim().parse::<u64>().ok());
            let line = nums.next().flatten().unwrap_or(0);
            let column = nums.next().flatten().unwrap_or(0);
            (text[..i].to_string(), Pos::new(line, column))
        }
        None => (text, Pos::default()),
    };
    let message = message.strip_prefix("sql parser error: ").unwrap_or(&message).to_string();
    TranslateError::Parse { line: pos.line, column: pos.column, message }
}

/// Statements refused by their first words: PL/SQL blocks and stored programs.
fn refuse_by_first_words(sql: &str, dialect: SourceDialect) -> Option<TranslateError> {
    let code = lexer::strip_leading_comments(sql);
    let offset = sql.len() - code.len();
    let before = &sql[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() as u64 + 1;
    let pos = Pos::new(line, column);
    let words: Vec<String> = code
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_ascii_uppercase)
        .collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let first_non_modifier = words
        .iter()
        .skip(1)
        .find(|w| !matches!(w.as_str(), "OR" | "REPLACE" | "DEFINER" | "EDITIONABLE" | "NONEDITIONABLE"))
        .map(String::as_str)
        .unwrap_or("");
    let construct = match (w(0), first_non_modifier) {
        ("DECLARE", _) if dialect == SourceDialect::Oracle => "PL/SQL block",
        ("BEGIN", _) if dialect == SourceDialect::Oracle && !matches!(w(1), "" | "TRANSACTION" | "WORK") => "PL/SQL block",
        ("CREATE", "PROCEDURE") => "CREATE PROCEDURE (stored programs)",
        ("CREATE", "FUNCTION") => "CREATE FUNCTION (stored programs)",
        ("CREATE", "PACKAGE") => "CREATE PACKAGE (PL/SQL)",
        ("CREATE", "TRIGGER") => "CREATE TRIGGER",
        ("CREATE", "TYPE") if dialect == SourceDialect::Oracle => "CREATE TYPE (PL/SQL)",
        ("CREATE", "SEQUENCE") => "CREATE SEQUENCE (sequences)",
        ("CREATE", "EVENT") => "CREATE EVENT",
        ("DELIMITER", _) => "DELIMITER (a client directive)",
        _ => return None,
    };
    Some(TranslateError::unsupported(construct, pos))
}

/// Oracle spellings sqlparser does not parse, patched in place (same length, same positions).
pub fn patch_oracle(sql: &str) -> String {
    // Most statements have neither spelling: no second tokenization for them.
    let has = |word: &[u8]| sql.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    if !((sql.contains('*') && has(b"NUMBER")) || has(b"LOCAL")) {
        return sql.to_string();
    }
    let Ok(tokens) = Tokenizer::new(&OracleSource::default(), sql).tokenize_with_location() else {
        return sql.to_string();
    };
    // Byte offsets of each line start, to turn token locations into offsets.
    let mut line_starts = vec![0usize];
    line_starts.extend(sql.match_indices('\n').map(|(i, _)| i + 1));
    let offset = |line: u64, column: u64| -> Option<usize> {
        let start = *line_starts.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let col = usize::try_from(column).ok()?.checked_sub(1)?;
        sql[start..].char_indices().nth(col).map(|(i, _)| start + i)
    };
    let significant: Vec<_> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let word = |i: usize, w: &str| matches!(significant.get(i).map(|t| &t.token), Some(Token::Word(x)) if x.value.eq_ignore_ascii_case(w));
    let mut out = sql.to_string();
    let mut replace = |start: usize, end: usize, text: &str| {
        if end <= out.len() && start <= end && end - start == text.len() && out.is_char_boundary(start) && out.is_char_boundary(end) {
            out.replace_range(start..end, text);
        }
    };
    for i in 0..significant.len() {
        // NUMBER ( * -> NUMBER ( 0
        if word(i, "NUMBER")
            && matches!(significant.get(i + 1).map(|t| &t.token), Some(Token::LParen))
            && matches!(significant.get(i + 2).map(|t| &t.token), Some(Token::Mul))
        {
            let loc = significant[i + 2].span.start;
            if let Some(at) = offset(loc.line, loc.column) {
                replace(at, at + 1, "0");
            }
        }
        // WITH LOCAL TIME ZONE -> WITH TIME ZONE (blank-padded)
        if word(i, "WITH") && word(i + 1, "LOCAL") && word(i + 2, "TIME") && word(i + 3, "ZONE") {
            let (s, e) = (significant[i].span.start, significant[i + 3].span.end);
            if let (Some(start), Some(end)) = (offset(s.line, s.column), offset(e.line, e.column).or(Some(sql.len()))) {
                let width = end - start;
                let text = format!("{:<width$}", "WITH TIME ZONE");
                if text.len() == width && !sql[start..end].contains('\n') {
                    replace(start, end, &text);
                }
            }
        }
    }
    out
}

/// Blanks client directives in a script, keeping line breaks (so positions do not move): a
/// line holding only `/` (SQL*Plus's "run"), and Oracle SQL*Plus `REM`/`PROMPT` lines.
pub fn blank_script_directives(sql: &str, dialect: SourceDialect) -> String {
    let mut out = String::with_capacity(sql.len());
    for (i, line) in sql.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let t = line.trim();
        let first = t.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let directive = t == "/"
            || (dialect == SourceDialect::Oracle && matches!(first.as_str(), "REM" | "REMARK" | "PROMPT"));
        if directive {
            out.extend(line.chars().map(|c| if c == '\r' { c } else { ' ' }));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_patches_keep_positions() {
        let sql = "CREATE TABLE t (a NUMBER(*,2), b TIMESTAMP(3) WITH LOCAL TIME ZONE)";
        let patched = patch_oracle(sql);
        assert_eq!(patched.len(), sql.len());
        assert_eq!(patched, "CREATE TABLE t (a NUMBER(0,2), b TIMESTAMP(3) WITH TIME ZONE      )");
        assert!(parse_one(sql, SourceDialect::Oracle, &Options::default()).is_ok());
    }

    #[test]
    fn parse_errors_carry_positions() {
        let e = parse_one("SELECT FROM WHERE", SourceDialect::MySql, &Options::default()).unwrap_err();
        let TranslateError::Parse { line, column, .. } = e else { panic!("{e:?}") };
        assert_eq!((line, column), (1, 13));
    }

    #[test]
    fn plsql_is_refused_by_name() {
        let e = parse_one("\nBEGIN\n  x := 1;\nEND;", SourceDialect::Oracle, &Options::default()).unwrap_err();
        assert_eq!(e.to_string(), "PL/SQL block is not supported (line 2, column 1)");
    }

    #[test]
    fn directives_blanked() {
        assert_eq!(blank_script_directives("a;\n/\nREM x\nb", SourceDialect::Oracle), "a;\n \n     \nb");
    }
}
