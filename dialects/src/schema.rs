//! Column types as Flink knows them, and the schema context translation looks them up in.
//!
//! Several MySQL and Oracle constructs mean different things depending on operand types (a
//! numeric column used as a condition, `date + n` in Oracle, `CONCAT` with numbers, MySQL's
//! decimal division). The server fills a [`SchemaContext`] from the session's own Flink catalog
//! (TEMPORARY tables included); tests use [`MapSchema`], and [`NoSchema`] knows nothing, in which
//! case type-dependent rewrites are skipped or refused.

use std::collections::HashMap;
use std::fmt;

/// A Flink SQL data type (the planner's logical types, as written in Flink DDL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FlinkType {
    /// `BOOLEAN`
    Boolean,
    /// `TINYINT`
    TinyInt,
    /// `SMALLINT`
    SmallInt,
    /// `INT`
    Int,
    /// `BIGINT`
    BigInt,
    /// `FLOAT`
    Float,
    /// `DOUBLE`
    Double,
    /// `DECIMAL(p, s)`
    Decimal(u8, u8),
    /// `CHAR(n)`
    Char(u32),
    /// `VARCHAR(n)`; `VARCHAR(2147483647)` is [`FlinkType::String`].
    Varchar(u32),
    /// `STRING`
    String,
    /// `BINARY(n)`
    Binary(u32),
    /// `VARBINARY(n)`; `VARBINARY(2147483647)` is [`FlinkType::Bytes`].
    Varbinary(u32),
    /// `BYTES`
    Bytes,
    /// `DATE`
    Date,
    /// `TIME(p)`
    Time(u8),
    /// `TIMESTAMP(p)` (without time zone)
    Timestamp(u8),
    /// `TIMESTAMP_LTZ(p)`
    TimestampLtz(u8),
    /// `INTERVAL YEAR TO MONTH` and its relatives.
    IntervalYearMonth,
    /// `INTERVAL DAY TO SECOND(3)` and its relatives.
    IntervalDayTime,
    /// `ARRAY<t>`
    Array(Box<FlinkType>),
    /// `MAP<k, v>`
    Map(Box<FlinkType>, Box<FlinkType>),
    /// The type of an untyped `NULL` literal (never printed).
    Null,
    /// Any other type, kept as Flink wrote it (`ROW<...>`, `MULTISET<...>`, `RAW(...)`, `VARIANT`).
    Other(String),
}

/// Flink's largest string/binary length (`STRING` is `VARCHAR` of this length).
pub const MAX_LENGTH: u32 = 2_147_483_647;

impl FlinkType {
    /// True for the integer types.
    pub fn is_integer(&self) -> bool {
        matches!(self, Self::TinyInt | Self::SmallInt | Self::Int | Self::BigInt)
    }

    /// True for exact numbers: integers and decimals.
    pub fn is_exact_numeric(&self) -> bool {
        self.is_integer() || matches!(self, Self::Decimal(..))
    }

    /// True for every numeric type.
    pub fn is_numeric(&self) -> bool {
        self.is_exact_numeric() || matches!(self, Self::Float | Self::Double)
    }

    /// True for character strings.
    pub fn is_string(&self) -> bool {
        matches!(self, Self::Char(_) | Self::Varchar(_) | Self::String)
    }

    /// True for DATE, TIMESTAMP and TIMESTAMP_LTZ (TIME is not a point in time).
    pub fn is_datetime(&self) -> bool {
        matches!(self, Self::Date | Self::Timestamp(_) | Self::TimestampLtz(_))
    }

    /// True for timestamps (with or without local time zone).
    pub fn is_timestamp(&self) -> bool {
        matches!(self, Self::Timestamp(_) | Self::TimestampLtz(_))
    }

    /// The scale of an exact number (0 for integers), if the type is one.
    pub fn scale(&self) -> Option<u8> {
        match self {
            Self::Decimal(_, s) => Some(*s),
            t if t.is_integer() => Some(0),
            _ => None,
        }
    }

    /// Parses a type as Flink prints it (`DESCRIBE`, `TYPEOF`, the SQL Gateway's column types):
    /// `BIGINT NOT NULL`, `VARCHAR(2147483647)`, `DECIMAL(10, 2)`, `TIMESTAMP(3) *ROWTIME*`,
    /// `TIMESTAMP_LTZ(3)`, `TIMESTAMP(6) WITH LOCAL TIME ZONE`, `ARRAY<INT>`. Unknown types come
    /// back as [`FlinkType::Other`]; this never fails.
    pub fn parse(text: &str) -> FlinkType {
        let mut t = text.trim().to_ascii_uppercase();
        for suffix in [" NOT NULL", " NULL", " *ROWTIME*", " *PROCTIME*"] {
            if let Some(stripped) = t.strip_suffix(suffix) {
                t = stripped.trim_end().to_string();
            }
        }
        if let Some(stripped) = t.strip_suffix(" NOT NULL") {
            t = stripped.trim_end().to_string();
        }
        let (base, args) = match t.find('(') {
            Some(open) if !t.starts_with("ARRAY<") && !t.starts_with("MAP<") && !t.starts_with("ROW<") => {
                let close = t[open..].find(')').map(|c| c + open).unwrap_or(t.len());
                let args: Vec<u64> = t[open + 1..close].split(',').filter_map(|a| a.trim().parse().ok()).collect();
                let rest = t.get(close + 1..).unwrap_or("").trim().to_string();
                (format!("{}{}", t[..open].trim(), if rest.is_empty() { String::new() } else { format!(" {rest}") }), args)
            }
            _ => (t.clone(), Vec::new()),
        };
        let arg = |i: usize, default: u64| args.get(i).copied().unwrap_or(default);
        let len = |i: usize, default: u64| u32::try_from(arg(i, default)).unwrap_or(MAX_LENGTH);
        let prec = |i: usize, default: u64| u8::try_from(arg(i, default)).unwrap_or(u8::MAX);
        match base.as_str() {
            "BOOLEAN" => Self::Boolean,
            "TINYINT" => Self::TinyInt,
            "SMALLINT" => Self::SmallInt,
            "INT" | "INTEGER" => Self::Int,
            "BIGINT" => Self::BigInt,
            "FLOAT" | "REAL" => Self::Float,
            "DOUBLE" | "DOUBLE PRECISION" => Self::Double,
            "DECIMAL" | "DEC" | "NUMERIC" => Self::Decimal(prec(0, 10), prec(1, 0)),
            "CHAR" | "CHARACTER" => Self::Char(len(0, 1)),
            "VARCHAR" | "CHARACTER VARYING" => match len(0, 1) {
                MAX_LENGTH => Self::String,
                n => Self::Varchar(n),
            },
            "STRING" => Self::String,
            "BINARY" => Self::Binary(len(0, 1)),
            "VARBINARY" | "BINARY VARYING" => match len(0, 1) {
                MAX_LENGTH => Self::Bytes,
                n => Self::Varbinary(n),
            },
            "BYTES" => Self::Bytes,
            "DATE" => Self::Date,
            "TIME" | "TIME WITHOUT TIME ZONE" => Self::Time(prec(0, 0)),
            "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => Self::Timestamp(prec(0, 6)),
            "TIMESTAMP_LTZ" | "TIMESTAMP WITH LOCAL TIME ZONE" => Self::TimestampLtz(prec(0, 6)),
            b if b.starts_with("INTERVAL YEAR") || b.starts_with("INTERVAL MONTH") => Self::IntervalYearMonth,
            b if b.starts_with("INTERVAL ") => Self::IntervalDayTime,
            b if b.starts_with("ARRAY<") && b.ends_with('>') => {
                Self::Array(Box::new(Self::parse(&b["ARRAY<".len()..b.len() - 1])))
            }
            b if b.starts_with("MAP<") && b.ends_with('>') => {
                let inner = &b["MAP<".len()..b.len() - 1];
                match split_top_level_comma(inner) {
                    Some((k, v)) => Self::Map(Box::new(Self::parse(k)), Box::new(Self::parse(v))),
                    None => Self::Other(text.trim().to_string()),
                }
            }
            _ => Self::Other(text.trim().to_string()),
        }
    }
}

/// Splits `K, V` at the first comma outside `<...>` and `(...)`.
fn split_top_level_comma(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

impl fmt::Display for FlinkType {
    /// Prints the type in Flink DDL syntax.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Boolean => f.write_str("BOOLEAN"),
            Self::TinyInt => f.write_str("TINYINT"),
            Self::SmallInt => f.write_str("SMALLINT"),
            Self::Int => f.write_str("INT"),
            Self::BigInt => f.write_str("BIGINT"),
            Self::Float => f.write_str("FLOAT"),
            Self::Double => f.write_str("DOUBLE"),
            Self::Decimal(p, s) => write!(f, "DECIMAL({p}, {s})"),
            Self::Char(n) => write!(f, "CHAR({n})"),
            Self::Varchar(n) => write!(f, "VARCHAR({n})"),
            Self::String => f.write_str("STRING"),
            Self::Binary(n) => write!(f, "BINARY({n})"),
            Self::Varbinary(n) => write!(f, "VARBINARY({n})"),
            Self::Bytes => f.write_str("BYTES"),
            Self::Date => f.write_str("DATE"),
            Self::Time(p) => write!(f, "TIME({p})"),
            Self::Timestamp(p) => write!(f, "TIMESTAMP({p})"),
            Self::TimestampLtz(p) => write!(f, "TIMESTAMP_LTZ({p})"),
            Self::IntervalYearMonth => f.write_str("INTERVAL YEAR TO MONTH"),
            Self::IntervalDayTime => f.write_str("INTERVAL DAY TO SECOND(3)"),
            Self::Array(t) => write!(f, "ARRAY<{t}>"),
            Self::Map(k, v) => write!(f, "MAP<{k}, {v}>"),
            Self::Null => f.write_str("NULL"),
            Self::Other(s) => f.write_str(s),
        }
    }
}

/// What translation may ask about the tables a statement reads.
///
/// Names are given as written in the statement (one to three parts: `[catalog.][database.]table`);
/// an implementation resolves them the way Flink would in the session (current catalog and
/// database). Implementations should match names case-insensitively when asked about an Oracle
/// statement's unquoted names; [`MapSchema`] always does, preferring an exact match.
pub trait SchemaContext {
    /// The type of `column` in `table`, if the table and column are known.
    fn column_type(&self, table: &[String], column: &str) -> Option<FlinkType> {
        let columns = self.table_columns(table)?;
        columns
            .iter()
            .find(|(name, _)| name == column)
            .or_else(|| columns.iter().find(|(name, _)| name.eq_ignore_ascii_case(column)))
            .map(|(_, t)| t.clone())
    }

    /// Every column of `table`, in order, with the names spelled as the catalog spells them.
    fn table_columns(&self, table: &[String]) -> Option<Vec<(String, FlinkType)>>;

    /// The table's name as the catalog spells it (for case-insensitive Oracle names), if known.
    fn table_name(&self, table: &[String]) -> Option<Vec<String>> {
        self.table_columns(table).map(|_| table.to_vec())
    }

    /// True when `table` is a TEMPORARY table of the session (MySQL's `DROP TABLE t` drops the
    /// temporary `t` when there is one). Asked only by DROP TABLE; false when not known.
    fn is_temporary(&self, _table: &[String]) -> bool {
        false
    }
}

/// A schema context that knows no tables: type-dependent rewrites are skipped or refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSchema;

impl SchemaContext for NoSchema {
    fn table_columns(&self, _table: &[String]) -> Option<Vec<(String, FlinkType)>> {
        None
    }
}

/// An in-memory schema for tests and the command line: tables by name (the last name part,
/// matched exactly first, then case-insensitively).
#[derive(Debug, Default, Clone)]
pub struct MapSchema {
    tables: HashMap<String, Vec<(String, FlinkType)>>,
}

impl MapSchema {
    /// An empty schema.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a table with its columns.
    pub fn with_table(mut self, name: &str, columns: &[(&str, FlinkType)]) -> Self {
        self.add_table(name, columns.iter().map(|(n, t)| (n.to_string(), t.clone())).collect());
        self
    }

    /// Adds (or replaces) a table with its columns.
    pub fn add_table(&mut self, name: &str, columns: Vec<(String, FlinkType)>) {
        self.tables.insert(name.to_string(), columns);
    }

    /// Reads tables from a simple text format, one column per line: `table column TYPE...`
    /// (the type as Flink prints it, e.g. `orders amount DECIMAL(10, 2)`). Blank lines and lines
    /// starting with `#` or `--` are skipped.
    pub fn parse(text: &str) -> Result<MapSchema, String> {
        let mut schema = MapSchema::new();
        let mut order: Vec<String> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("--") {
                continue;
            }
            let mut parts = line.splitn(3, char::is_whitespace);
            let (Some(table), Some(column), Some(ty)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("line {}: expected `table column TYPE`, found `{line}`", i + 1));
            };
            if !schema.tables.contains_key(table) {
                order.push(table.to_string());
            }
            schema.tables.entry(table.to_string()).or_default().push((column.to_string(), FlinkType::parse(ty)));
        }
        Ok(schema)
    }

    fn lookup(&self, table: &[String]) -> Option<(&String, &Vec<(String, FlinkType)>)> {
        let name = table.last()?;
        self.tables
            .get_key_value(name)
            .or_else(|| self.tables.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
    }
}

impl SchemaContext for MapSchema {
    fn table_columns(&self, table: &[String]) -> Option<Vec<(String, FlinkType)>> {
        self.lookup(table).map(|(_, cols)| cols.clone())
    }

    fn table_name(&self, table: &[String]) -> Option<Vec<String>> {
        let (name, _) = self.lookup(table)?;
        let mut out = table.to_vec();
        if let Some(last) = out.last_mut() {
            *last = name.clone();
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_flink_prints() {
        assert_eq!(FlinkType::parse("BIGINT NOT NULL"), FlinkType::BigInt);
        assert_eq!(FlinkType::parse("VARCHAR(2147483647)"), FlinkType::String);
        assert_eq!(FlinkType::parse("DECIMAL(10, 2)"), FlinkType::Decimal(10, 2));
        assert_eq!(FlinkType::parse("TIMESTAMP(3) *ROWTIME*"), FlinkType::Timestamp(3));
        assert_eq!(FlinkType::parse("TIMESTAMP(6) WITH LOCAL TIME ZONE"), FlinkType::TimestampLtz(6));
        assert_eq!(FlinkType::parse("TIMESTAMP_LTZ(3)"), FlinkType::TimestampLtz(3));
        assert_eq!(FlinkType::parse("ARRAY<INT NOT NULL>"), FlinkType::Array(Box::new(FlinkType::Int)));
        assert_eq!(
            FlinkType::parse("MAP<STRING, DECIMAL(5, 1)>"),
            FlinkType::Map(Box::new(FlinkType::String), Box::new(FlinkType::Decimal(5, 1)))
        );
        assert_eq!(FlinkType::parse("ROW<a INT>"), FlinkType::Other("ROW<a INT>".into()));
    }

    #[test]
    fn prints_flink_ddl_types() {
        for t in ["DECIMAL(20, 0)", "TIMESTAMP_LTZ(3)", "STRING", "ARRAY<BIGINT>", "TIME(0)"] {
            assert_eq!(FlinkType::parse(t).to_string(), t);
        }
    }

    #[test]
    fn map_schema_matches_names_case_insensitively() {
        let s = MapSchema::parse("EMP ENAME VARCHAR(10)\nEMP SAL DECIMAL(7, 2)\n").unwrap();
        assert_eq!(s.column_type(&["emp".into()], "sal"), Some(FlinkType::Decimal(7, 2)));
        assert_eq!(s.table_name(&["hr".into(), "emp".into()]), Some(vec!["hr".into(), "EMP".into()]));
        assert!(MapSchema::parse("only two").is_err());
    }
}
