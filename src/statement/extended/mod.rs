//! Weir's extended statements: one grammar, one entry point ([`parse`]), a small parser module
//! per statement family over the statement's tokens. A statement whose leading words name a
//! family is that family's: anything it then cannot read is a syntax error (MySQL's 1064) at the
//! offending token, never a statement sent to Flink.
//!
//! ```text
//! extended  := clusters | connectors | translate | jobs
//! clusters  := SHOW FLINK CLUSTERS [LIKE 'pattern']                      (clusters.rs)
//! connectors := SHOW CONNECTORS [LIKE 'pattern']                         (connectors.rs)
//! translate := TRANSLATE [FROM (mysql | mariadb | oracle)] <statement>  (translate.rs)
//! jobs      := CREATE | START | STOP | ALTER | ROLLBACK | DROP JOB ...,
//!              SHOW CREATE JOB, SAVEPOINT JOB                           (jobs.rs)
//! datasyncs := CREATE | DROP DATASYNC ..., SHOW DATASYNCS,
//!              SHOW CREATE DATASYNC                                     (datasync.rs)
//! alerts    := CREATE | DROP ALERT (CHANNEL | RULE) ..., SHOW ALERT (CHANNELS | RULES),
//!              TEST ALERT CHANNEL                                       (alerts.rs)
//! lineage   := SHOW LINEAGE OF ..., SHOW IMPACT OF TABLE ...            (lineage.rs)
//! schedules := CREATE | ALTER | RUN | PAUSE | RESUME | STOP | DROP |
//!              EXPLAIN SCHEDULE ...                                     (schedule.rs)
//! access    := CREATE | ALTER | DROP USER, CREATE | DROP ROLE, GRANT, REVOKE,
//!              SET PASSWORD, SET ROLE, SHOW GRANTS, CREATE | DROP TENANT,
//!              SHOW TENANTS                                             (access.rs)
//! ```
//! A family may decline a statement its leading words name (Flink's `STOP JOB '<id>'`, MySQL's
//! `SAVEPOINT job`): it is then MySQL's or Flink's.
//! Further families (jobs, datasyncs, schedules, lineage, users and grants) are added as modules
//! and rows of [`FAMILIES`].

mod access;
mod alerts;
mod clusters;
mod connectors;
mod datasync;
mod jobs;
mod lineage;
mod schedule;
mod translate;

pub use access::{AccessStatement, AccountName, GrantTarget, Grantee, Privileges, RoleChoice};
pub use alerts::{AlertEvent, AlertScope, AlertStatement, ChannelType};
pub use datasync::{DatasyncStatement, SyncMode, TableFilter};
pub use jobs::{JobChange, JobStatement, StartFrom};
pub use lineage::{LineageStatement, Walk};
pub use schedule::{Members, OnFailure, ScheduleChange, ScheduleOptions, ScheduleStatement};

use super::SyntaxError;
use super::words::{Spanned, Token};

/// A parsed extended statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extended {
    ShowFlinkClusters { like: Option<String> },
    /// Each cluster's connector set; `like` matches the connector's name.
    ShowConnectors { like: Option<String> },
    /// Translates `statement` (source text, kept as written) into Flink SQL without running it.
    Translate { from: Option<String>, statement: String },
    /// A managed-job statement.
    Job(JobStatement),
    /// A datasync statement.
    Datasync(DatasyncStatement),
    /// An alert channel or rule statement.
    Alert(AlertStatement),
    /// `SHOW LINEAGE`, `SHOW IMPACT`.
    Lineage(LineageStatement),
    /// A schedule statement.
    Schedule(ScheduleStatement),
    /// An account, role, grant or tenant statement.
    Access(AccessStatement),
}

/// Reads a statement after its leading words; `Ok(None)` declines it.
type Family = fn(&mut Parser<'_>) -> Result<Option<Extended>, SyntaxError>;

/// The families, by the leading keywords that make a statement theirs.
const FAMILIES: &[(&[&str], Family)] = &[
    (&["SHOW", "FLINK"], clusters::parse),
    (&["SHOW", "CONNECTORS"], connectors::parse),
    (&["TRANSLATE"], translate::parse),
    (&["CREATE", "JOB"], jobs::create),
    (&["START", "JOB"], jobs::start),
    (&["STOP", "JOB"], jobs::stop),
    (&["ALTER", "JOB"], jobs::alter),
    (&["ROLLBACK", "JOB"], jobs::rollback),
    (&["DROP", "JOB"], jobs::drop),
    (&["SHOW", "CREATE", "JOB"], jobs::show_create),
    (&["SAVEPOINT", "JOB"], jobs::savepoint),
    (&["CREATE", "DATASYNC"], datasync::create),
    (&["SHOW", "DATASYNCS"], datasync::show),
    (&["SHOW", "CREATE", "DATASYNC"], datasync::show_create),
    (&["DROP", "DATASYNC"], datasync::drop),
    (&["CREATE", "ALERT"], alerts::create),
    (&["SHOW", "ALERT"], alerts::show),
    (&["DROP", "ALERT"], alerts::drop),
    (&["TEST", "ALERT", "CHANNEL"], alerts::test),
    (&["SHOW", "LINEAGE"], lineage::show),
    (&["SHOW", "IMPACT"], lineage::impact),
    (&["CREATE", "SCHEDULE"], schedule::create),
    (&["ALTER", "SCHEDULE"], schedule::alter),
    (&["RUN", "SCHEDULE"], schedule::run),
    (&["PAUSE", "SCHEDULE"], schedule::pause),
    (&["RESUME", "SCHEDULE"], schedule::resume),
    (&["STOP", "SCHEDULE"], schedule::stop),
    (&["DROP", "SCHEDULE"], schedule::drop),
    (&["EXPLAIN", "SCHEDULE"], schedule::explain),
    (&["CREATE", "USER"], access::create_user),
    (&["ALTER", "USER"], access::alter_user),
    (&["DROP", "USER"], access::drop_user),
    (&["CREATE", "ROLE"], access::create_role),
    (&["DROP", "ROLE"], access::drop_role),
    (&["SET", "PASSWORD"], access::set_password),
    (&["SET", "ROLE"], access::set_role),
    (&["GRANT"], access::grant),
    (&["REVOKE"], access::revoke),
    (&["SHOW", "GRANTS"], access::show_grants),
    (&["CREATE", "TENANT"], access::create_tenant),
    (&["DROP", "TENANT"], access::drop_tenant),
    (&["SHOW", "TENANTS"], access::show_tenants),
];

/// Parses `sql` (whose tokens are `tokens`) as an extended statement: `Ok(None)` when its leading
/// words name no family (it is then MySQL's or Flink's).
pub fn parse(sql: &str, tokens: &[Spanned]) -> Result<Option<Extended>, SyntaxError> {
    for (lead, family) in FAMILIES {
        let mut p = Parser { sql, tokens, pos: 0 };
        if p.keywords(lead) {
            return family(&mut p);
        }
    }
    Ok(None)
}

/// A cursor over a statement's tokens.
pub(crate) struct Parser<'a> {
    sql: &'a str,
    tokens: &'a [Spanned],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Spanned> {
        self.tokens.get(self.pos)
    }

    /// Consumes the keywords (unquoted, any case) if they all come next.
    pub fn keywords(&mut self, words: &[&str]) -> bool {
        let matches = words.iter().enumerate().all(|(i, w)| self.tokens.get(self.pos + i).is_some_and(|t| t.is_keyword(w)));
        if matches {
            self.pos += words.len();
        }
        matches
    }

    /// The keywords, or a syntax error naming them.
    pub fn expect(&mut self, words: &[&str]) -> Result<(), SyntaxError> {
        if self.keywords(words) { Ok(()) } else { Err(self.error(&format!("expected {}", words.join(" ")))) }
    }

    /// A string literal.
    pub fn string(&mut self, what: &str) -> Result<String, SyntaxError> {
        match self.peek().and_then(Spanned::string) {
            Some(s) => {
                self.pos += 1;
                Ok(s.to_string())
            }
            None => Err(self.error(&format!("expected {what} as a quoted string"))),
        }
    }

    /// Whether a string literal comes next.
    pub fn peek_string(&self) -> bool {
        self.peek().and_then(Spanned::string).is_some()
    }

    /// Whether the keywords come next (nothing is consumed).
    pub fn lookahead(&self, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(i, w)| self.tokens.get(self.pos + i).is_some_and(|t| t.is_keyword(w)))
    }

    /// The punctuation character `c`, or a syntax error expecting `what`.
    pub fn punct(&mut self, c: char, what: &str) -> Result<(), SyntaxError> {
        let found = match (c, self.peek().map(|t| &t.token)) {
            ('(', Some(Token::LParen)) | (')', Some(Token::RParen)) | ('.', Some(Token::Dot)) => true,
            (_, Some(Token::Punct(p))) => *p == c,
            _ => false,
        };
        if found {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    /// A non-negative integer that fits in 32 bits.
    pub fn number(&mut self, what: &str) -> Result<u32, SyntaxError> {
        match self.peek().and_then(|t| if let Token::Word(w) = &t.token { w.parse::<u32>().ok() } else { None }) {
            Some(n) => {
                self.pos += 1;
                Ok(n)
            }
            None => Err(self.error(&format!("expected {what}"))),
        }
    }

    /// An identifier (plain or quoted).
    pub fn ident(&mut self, what: &str) -> Result<String, SyntaxError> {
        match self.peek() {
            Some(t @ Spanned { token: Token::Word(_) | Token::Quoted(_), .. }) => {
                self.pos += 1;
                Ok(t.ident().unwrap_or_default().to_string())
            }
            _ => Err(self.error(&format!("expected {what}"))),
        }
    }

    /// Only `;` left.
    pub fn at_end(&self) -> bool {
        self.tokens.get(self.pos..).is_none_or(|rest| rest.iter().all(|t| t.is_punct(';')))
    }

    /// The end of the statement, or a syntax error at what follows.
    pub fn end(&self, expected: &str) -> Result<(), SyntaxError> {
        if self.at_end() { Ok(()) } else { Err(self.error(&format!("expected {expected}"))) }
    }

    /// The rest of the statement's text, as written (without a trailing `;`).
    pub fn rest(&mut self) -> &'a str {
        let start = self.peek().map(|t| t.span.start).unwrap_or(self.sql.len());
        self.pos = self.tokens.len();
        self.sql.get(start..).unwrap_or("").trim().trim_end_matches(';').trim_end()
    }

    /// A syntax error at the token just read.
    pub fn error_before(&self, message: &str) -> SyntaxError {
        let at = self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)).map(|t| t.span.start).unwrap_or(0);
        SyntaxError::at(self.sql, at, message)
    }

    /// A syntax error at the current token (or the end of the text).
    pub fn error(&self, message: &str) -> SyntaxError {
        let at = self.peek().map(|t| t.span.start).unwrap_or(self.sql.trim_end().len());
        SyntaxError::at(self.sql, at, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::words::tokenize;

    pub(super) fn parse_text(sql: &str) -> Result<Option<Extended>, SyntaxError> {
        parse(sql, &tokenize(sql))
    }

    #[test]
    fn statements_of_no_family_are_not_extended() {
        for sql in ["SHOW JOBS", "SHOW TABLES", "SELECT 1", "SHOW `FLINK` CLUSTERS", "translatex SELECT 1"] {
            assert_eq!(parse_text(sql), Ok(None), "{sql}");
        }
    }
}
