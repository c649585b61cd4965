//! The choices that change how some constructs translate: [`Options`].

/// Choices that change how some constructs translate. [`Options::default`] is what a Weir
/// session uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// MySQL string literals treat `\` as an escape character. Off by default: Weir's sessions
    /// announce `NO_BACKSLASH_ESCAPES`, so clients send `\` as a plain character. Turn it on for
    /// scripts written for a MySQL server with the default SQL mode.
    pub mysql_backslash_escapes: bool,
    /// MySQL compares strings under its default case-insensitive collation: comparisons, `LIKE`,
    /// `IN`, `INSTR`/`LOCATE` and `REGEXP` between strings are made case-insensitive in Flink
    /// (`LOWER(...)` on both sides, `(?i)` for patterns) when both sides are known to be strings.
    /// On by default.
    pub mysql_case_insensitive: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { mysql_backslash_escapes: false, mysql_case_insensitive: true }
    }
}
