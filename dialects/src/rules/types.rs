//! Source types to Flink types: one table per source dialect (DDL column types and CAST
//! targets), after the Flink CDC connectors' mappings (see `shared/reference/translation.md` §4).
//!
//! A sqlparser [`DataType`] is first reduced to a [`TypeSpec`] (upper-case name, numeric
//! arguments, flags), then looked up by name in the dialect's table; each entry is a small
//! function from the spec to the Flink type. A name missing from the table is refused.

use sqlparser::ast::{
    CharLengthUnits, CharacterLength, DataType, ExactNumberInfo, TimezoneInfo,
};

use crate::schema::FlinkType;
use crate::source_dialect::SourceDialect;

/// Where a type appears: some spellings mean different things in DDL and in CAST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeUse {
    /// A column type in CREATE TABLE.
    Column,
    /// The target of CAST / CONVERT.
    Cast,
}

/// A source type reduced to what the mapping tables need.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeSpec {
    /// Upper-case type name, e.g. `VARCHAR2`, `BIGINT`, `TIMESTAMP WITH TIME ZONE`.
    pub name: String,
    /// Numeric arguments as written (`NUMBER(10, 2)` gives `[10, 2]`); Oracle's `*` precision is
    /// recorded in [`TypeSpec::star`], not here.
    pub args: Vec<i64>,
    /// `UNSIGNED`.
    pub unsigned: bool,
    /// Oracle `NUMBER(*, s)`.
    pub star: bool,
    /// Oracle `VARCHAR2(n BYTE)` (byte length semantics).
    pub byte_semantics: bool,
}

/// What mapping a type produced: the Flink type, and a note when something was lost.
pub struct Mapped {
    /// The Flink type.
    pub ty: FlinkType,
    /// What changed, for the user.
    pub note: Option<String>,
}

impl Mapped {
    fn exact(ty: FlinkType) -> Result<Mapped, String> {
        Ok(Mapped { ty, note: None })
    }

    fn noted(ty: FlinkType, note: impl Into<String>) -> Result<Mapped, String> {
        Ok(Mapped { ty, note: Some(note.into()) })
    }
}

/// A mapping rule: the spec and where it is used, to the Flink type (or the reason it has none).
type Rule = fn(&TypeSpec, TypeUse) -> Result<Mapped, String>;

/// Maps a source type to Flink. `Err` holds the construct to name in an Unsupported error.
pub fn map(dt: &DataType, dialect: SourceDialect, usage: TypeUse) -> Result<Mapped, String> {
    let spec = spec_of(dt).ok_or_else(|| format!("type {dt}"))?;
    let table = match dialect {
        SourceDialect::MySql => MYSQL,
        SourceDialect::Oracle => ORACLE,
    };
    let rule = table
        .iter()
        .find(|(name, _)| *name == spec.name)
        .map(|(_, rule)| *rule)
        .ok_or_else(|| format!("type {dt}"))?;
    rule(&spec, usage).map_err(|why| format!("type {dt} ({why})"))
}

fn length(l: &Option<CharacterLength>) -> (Vec<i64>, bool) {
    match l {
        Some(CharacterLength::IntegerLength { length, unit }) => {
            (vec![i64::try_from(*length).unwrap_or(i64::MAX)], matches!(unit, Some(CharLengthUnits::Octets)))
        }
        Some(CharacterLength::Max) | None => (Vec::new(), false),
    }
}

fn number_info(i: &ExactNumberInfo) -> Vec<i64> {
    match i {
        ExactNumberInfo::None => Vec::new(),
        ExactNumberInfo::Precision(p) => vec![i64::try_from(*p).unwrap_or(i64::MAX)],
        ExactNumberInfo::PrecisionAndScale(p, s) => vec![i64::try_from(*p).unwrap_or(i64::MAX), *s],
    }
}

fn opt(n: &Option<u64>) -> Vec<i64> {
    n.iter().map(|v| i64::try_from(*v).unwrap_or(i64::MAX)).collect()
}

/// Reduces a sqlparser type to a [`TypeSpec`]; `None` for types no table knows.
pub fn spec_of(dt: &DataType) -> Option<TypeSpec> {
    let s = |name: &str, args: Vec<i64>| TypeSpec { name: name.to_string(), args, ..TypeSpec::default() };
    let u = |name: &str, args: Vec<i64>| TypeSpec { name: name.to_string(), args, unsigned: true, ..TypeSpec::default() };
    Some(match dt {
        DataType::Character(l) | DataType::Char(l) => {
            let (args, bytes) = length(l);
            TypeSpec { byte_semantics: bytes, ..s("CHAR", args) }
        }
        DataType::CharacterVarying(l) | DataType::CharVarying(l) | DataType::Varchar(l) => {
            let (args, bytes) = length(l);
            TypeSpec { byte_semantics: bytes, ..s("VARCHAR", args) }
        }
        DataType::Nvarchar(l) => s("NVARCHAR", length(l).0),
        DataType::CharacterLargeObject(_) | DataType::CharLargeObject(_) | DataType::Clob(_) => s("CLOB", vec![]),
        DataType::Binary(n) => s("BINARY", opt(n)),
        DataType::Varbinary(_) => s("VARBINARY", vec![]),
        DataType::Blob(_) => s("BLOB", vec![]),
        DataType::TinyBlob => s("TINYBLOB", vec![]),
        DataType::MediumBlob => s("MEDIUMBLOB", vec![]),
        DataType::LongBlob => s("LONGBLOB", vec![]),
        DataType::Numeric(i) | DataType::Decimal(i) | DataType::Dec(i) => s("DECIMAL", number_info(i)),
        DataType::DecimalUnsigned(i) | DataType::DecUnsigned(i) => u("DECIMAL", number_info(i)),
        DataType::Float(i) => s("FLOAT", number_info(i)),
        DataType::FloatUnsigned(i) => u("FLOAT", number_info(i)),
        DataType::Double(i) => s("DOUBLE", number_info(i)),
        DataType::DoubleUnsigned(i) => u("DOUBLE", number_info(i)),
        DataType::DoublePrecision => s("DOUBLE", vec![]),
        DataType::DoublePrecisionUnsigned => u("DOUBLE", vec![]),
        DataType::Real => s("REAL", vec![]),
        DataType::RealUnsigned => u("REAL", vec![]),
        DataType::TinyInt(n) => s("TINYINT", opt(n)),
        DataType::TinyIntUnsigned(n) => u("TINYINT", opt(n)),
        DataType::SmallInt(n) => s("SMALLINT", opt(n)),
        DataType::SmallIntUnsigned(n) => u("SMALLINT", opt(n)),
        DataType::MediumInt(n) => s("MEDIUMINT", opt(n)),
        DataType::MediumIntUnsigned(n) => u("MEDIUMINT", opt(n)),
        DataType::Int(n) | DataType::Integer(n) => s("INT", opt(n)),
        DataType::IntUnsigned(n) | DataType::IntegerUnsigned(n) => u("INT", opt(n)),
        DataType::BigInt(n) => s("BIGINT", opt(n)),
        DataType::BigIntUnsigned(n) => u("BIGINT", opt(n)),
        DataType::Signed | DataType::SignedInteger => s("SIGNED", vec![]),
        DataType::Unsigned | DataType::UnsignedInteger => u("UNSIGNED", vec![]),
        DataType::Bool | DataType::Boolean => s("BOOLEAN", vec![]),
        DataType::Date => s("DATE", vec![]),
        DataType::Time(p, _) => s("TIME", opt(p)),
        DataType::Datetime(p) => s("DATETIME", opt(p)),
        DataType::Timestamp(p, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => s("TIMESTAMP WITH TIME ZONE", opt(p)),
        DataType::Timestamp(p, _) => s("TIMESTAMP", opt(p)),
        DataType::Text => s("TEXT", vec![]),
        DataType::TinyText => s("TINYTEXT", vec![]),
        DataType::MediumText => s("MEDIUMTEXT", vec![]),
        DataType::LongText => s("LONGTEXT", vec![]),
        DataType::String(_) => s("STRING", vec![]),
        DataType::Bytes(_) => s("BYTES", vec![]),
        DataType::JSON => s("JSON", vec![]),
        DataType::Enum(..) => s("ENUM", vec![]),
        DataType::Set(_) => s("SET", vec![]),
        DataType::Bit(n) => s("BIT", opt(n)),
        DataType::Custom(name, modifiers) => {
            let mut spec = s(&name.to_string().to_ascii_uppercase(), Vec::new());
            for m in modifiers {
                match m.to_ascii_uppercase().as_str() {
                    "BYTE" => spec.byte_semantics = true,
                    "CHAR" => {}
                    "*" => spec.star = true,
                    n => spec.args.push(n.parse().ok()?),
                }
            }
            // `NUMBER(*, s)` reaches the parser as `NUMBER(0, s)` (see `crate::parse`).
            if spec.name == "NUMBER" && spec.args.first() == Some(&0) {
                spec.star = true;
                spec.args.remove(0);
            }
            spec
        }
        _ => return None,
    })
}

fn arg(spec: &TypeSpec, i: usize) -> Option<u32> {
    spec.args.get(i).and_then(|a| u32::try_from(*a).ok())
}

fn precision(p: u32) -> u8 {
    u8::try_from(p).unwrap_or(u8::MAX)
}

// --- rules shared by both dialects ---------------------------------------------------------

fn boolean(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Boolean)
}
fn date(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Date)
}
fn string(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::String)
}
fn bytes(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Bytes)
}
fn double(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Double)
}

fn char_type(spec: &TypeSpec, usage: TypeUse) -> Result<Mapped, String> {
    match (arg(spec, 0), usage) {
        (None, TypeUse::Cast) => Mapped::exact(FlinkType::String),
        (None, TypeUse::Column) => Mapped::exact(FlinkType::Char(1)),
        (Some(0), _) => Mapped::exact(FlinkType::String),
        (Some(n), TypeUse::Cast) => Mapped::exact(FlinkType::Varchar(n)),
        (Some(n), TypeUse::Column) => Mapped::exact(FlinkType::Char(n)),
    }
}

fn varchar(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    match arg(spec, 0) {
        None | Some(0) => Mapped::exact(FlinkType::String),
        Some(n) if spec.byte_semantics => Mapped::noted(
            FlinkType::Varchar(n),
            format!("{}({n} BYTE) became VARCHAR({n}): Flink counts characters, not bytes", spec.name),
        ),
        Some(n) => Mapped::exact(FlinkType::Varchar(n)),
    }
}

fn timestamp(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Timestamp(precision(arg(spec, 0).unwrap_or(6))))
}

fn timestamp_tz(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    let p = precision(arg(spec, 0).unwrap_or(6));
    Mapped::noted(
        FlinkType::TimestampLtz(p),
        format!("TIMESTAMP WITH TIME ZONE became TIMESTAMP_LTZ({p}): the original UTC offset is not kept"),
    )
}

fn time(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    match arg(spec, 0) {
        None | Some(0) => Mapped::exact(FlinkType::Time(0)),
        Some(p) => Mapped::noted(FlinkType::Time(0), format!("TIME({p}) became TIME(0): Flink keeps no fractional seconds in TIME")),
    }
}

// --- MySQL ------------------------------------------------------------------------------------

fn my_tinyint(spec: &TypeSpec, usage: TypeUse) -> Result<Mapped, String> {
    if usage == TypeUse::Column && !spec.unsigned && arg(spec, 0) == Some(1) {
        return Mapped::noted(FlinkType::Boolean, "TINYINT(1) became BOOLEAN (as Flink CDC maps it)");
    }
    Mapped::exact(if spec.unsigned { FlinkType::SmallInt } else { FlinkType::TinyInt })
}
fn my_smallint(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(if spec.unsigned { FlinkType::Int } else { FlinkType::SmallInt })
}
fn my_mediumint(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Int)
}
fn my_int(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(if spec.unsigned { FlinkType::BigInt } else { FlinkType::Int })
}
fn my_bigint(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(if spec.unsigned { FlinkType::Decimal(20, 0) } else { FlinkType::BigInt })
}
fn my_signed(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::BigInt)
}
fn my_unsigned(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Decimal(20, 0))
}
fn my_serial(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::noted(FlinkType::Decimal(20, 0), "SERIAL became DECIMAL(20, 0) (BIGINT UNSIGNED); its auto-increment is dropped")
}
fn my_float(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    match spec.args.as_slice() {
        [] => Mapped::exact(FlinkType::Float),
        [p] if *p <= 24 => Mapped::exact(FlinkType::Float),
        _ => Mapped::exact(FlinkType::Double),
    }
}
fn decimal(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    let p = arg(spec, 0).unwrap_or(10);
    let s = arg(spec, 1).unwrap_or(0);
    if p > 38 {
        return Mapped::noted(FlinkType::String, format!("DECIMAL({p}, {s}) became STRING: Flink decimals hold at most 38 digits"));
    }
    Mapped::exact(FlinkType::Decimal(precision(p), precision(s)))
}
fn my_datetime(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Timestamp(precision(arg(spec, 0).unwrap_or(0))))
}
fn my_timestamp(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Timestamp(precision(arg(spec, 0).unwrap_or(0))))
}
fn my_year(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Int)
}
fn my_bit(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    match arg(spec, 0) {
        None | Some(1) => Mapped::exact(FlinkType::Boolean),
        Some(_) => Mapped::exact(FlinkType::Bytes),
    }
}
fn my_enum(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::noted(FlinkType::String, "ENUM became STRING: Flink does not check the allowed values")
}
fn my_set(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::noted(FlinkType::String, "SET became STRING (the comma-separated members, as MySQL returns them)")
}
fn my_json(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::String)
}

/// MySQL types by name.
const MYSQL: &[(&str, Rule)] = &[
    ("BIGINT", my_bigint),
    ("BINARY", bytes),
    ("BIT", my_bit),
    ("BLOB", bytes),
    ("BOOLEAN", boolean),
    ("CHAR", char_type),
    ("DATE", date),
    ("DATETIME", my_datetime),
    ("DECIMAL", decimal),
    ("DOUBLE", double),
    ("ENUM", my_enum),
    ("FIXED", decimal),
    ("FLOAT", my_float),
    ("INT", my_int),
    ("JSON", my_json),
    ("LONGBLOB", bytes),
    ("LONGTEXT", string),
    ("MEDIUMBLOB", bytes),
    ("MEDIUMINT", my_mediumint),
    ("MEDIUMTEXT", string),
    ("NCHAR", char_type),
    ("NVARCHAR", varchar),
    ("REAL", double),
    ("SERIAL", my_serial),
    ("SET", my_set),
    ("SIGNED", my_signed),
    ("SMALLINT", my_smallint),
    ("TEXT", string),
    ("TIME", time),
    ("TIMESTAMP", my_timestamp),
    ("TINYBLOB", bytes),
    ("TINYINT", my_tinyint),
    ("TINYTEXT", string),
    ("UNSIGNED", my_unsigned),
    ("VARBINARY", bytes),
    ("VARCHAR", varchar),
    ("YEAR", my_year),
];

// --- Oracle -----------------------------------------------------------------------------------

/// Oracle `NUMBER[(p[, s])]`, as the Flink CDC Oracle connector maps it.
fn ora_number(spec: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    if spec.star {
        let s = arg(spec, 0).unwrap_or(0);
        return Mapped::exact(FlinkType::Decimal(38, precision(s)));
    }
    let (p, s) = match spec.args.as_slice() {
        [] => {
            return Mapped::noted(
                FlinkType::Decimal(38, 19),
                "NUMBER without precision became DECIMAL(38, 19) (as Flink CDC maps it)",
            );
        }
        [p] => (*p, 0),
        [p, s, ..] => (*p, *s),
    };
    if s > 0 {
        if p > 38 || s > p {
            return Err("precision above 38".into());
        }
        return Mapped::exact(FlinkType::Decimal(precision(p as u32), precision(s as u32)));
    }
    let digits = p - s;
    Mapped::exact(match digits {
        d if d < 3 => FlinkType::TinyInt,
        d if d < 5 => FlinkType::SmallInt,
        d if d < 10 => FlinkType::Int,
        d if d < 19 => FlinkType::BigInt,
        d if d <= 38 => FlinkType::Decimal(precision(d as u32), 0),
        _ => FlinkType::String,
    })
}
fn ora_int(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Int)
}
fn ora_smallint(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::SmallInt)
}
fn ora_float(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Float)
}
fn ora_date(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Timestamp(0))
}
fn ora_raw(_: &TypeSpec, _: TypeUse) -> Result<Mapped, String> {
    Mapped::exact(FlinkType::Bytes)
}

/// Oracle types by name.
const ORACLE: &[(&str, Rule)] = &[
    ("BFILE", bytes),
    ("BINARY_DOUBLE", double),
    ("BINARY_FLOAT", ora_float),
    ("BLOB", bytes),
    ("BOOLEAN", boolean),
    ("CHAR", char_type),
    ("CLOB", string),
    ("DATE", ora_date),
    ("DECIMAL", decimal),
    ("DOUBLE", double),
    ("FLOAT", double),
    ("INT", ora_int),
    ("LONG", string),
    ("NCHAR", char_type),
    ("NCLOB", string),
    ("NUMBER", ora_number),
    ("NVARCHAR", varchar),
    ("NVARCHAR2", varchar),
    ("RAW", ora_raw),
    ("REAL", double),
    ("ROWID", string),
    ("SMALLINT", ora_smallint),
    ("TIMESTAMP", timestamp),
    ("TIMESTAMP WITH TIME ZONE", timestamp_tz),
    ("UROWID", string),
    ("VARCHAR", varchar),
    ("VARCHAR2", varchar),
    ("XMLTYPE", string),
];

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::ObjectName;
    use sqlparser::ast::Ident;

    fn custom(name: &str, mods: &[&str]) -> DataType {
        DataType::Custom(ObjectName::from(vec![Ident::new(name)]), mods.iter().map(|m| m.to_string()).collect())
    }

    fn oracle(dt: &DataType) -> String {
        map(dt, SourceDialect::Oracle, TypeUse::Column).map(|m| m.ty.to_string()).unwrap_or_else(|e| e)
    }

    fn mysql(dt: &DataType, usage: TypeUse) -> String {
        map(dt, SourceDialect::MySql, usage).map(|m| m.ty.to_string()).unwrap_or_else(|e| e)
    }

    #[test]
    fn oracle_numbers_follow_flink_cdc() {
        assert_eq!(oracle(&custom("NUMBER", &["2"])), "TINYINT");
        assert_eq!(oracle(&custom("NUMBER", &["4"])), "SMALLINT");
        assert_eq!(oracle(&custom("NUMBER", &["9"])), "INT");
        assert_eq!(oracle(&custom("NUMBER", &["18"])), "BIGINT");
        assert_eq!(oracle(&custom("NUMBER", &["20"])), "DECIMAL(20, 0)");
        assert_eq!(oracle(&custom("NUMBER", &["8", "2"])), "DECIMAL(8, 2)");
        assert_eq!(oracle(&custom("NUMBER", &["0", "2"])), "DECIMAL(38, 2)");
        assert_eq!(oracle(&custom("NUMBER", &[])), "DECIMAL(38, 19)");
        assert_eq!(oracle(&DataType::Date), "TIMESTAMP(0)");
        assert_eq!(oracle(&custom("VARCHAR2", &["20", "BYTE"])), "VARCHAR(20)");
        assert_eq!(oracle(&custom("RAW", &["16"])), "BYTES");
    }

    #[test]
    fn mysql_types_follow_flink_cdc() {
        assert_eq!(mysql(&DataType::TinyInt(Some(1)), TypeUse::Column), "BOOLEAN");
        assert_eq!(mysql(&DataType::TinyIntUnsigned(None), TypeUse::Column), "SMALLINT");
        assert_eq!(mysql(&DataType::IntUnsigned(None), TypeUse::Column), "BIGINT");
        assert_eq!(mysql(&DataType::BigIntUnsigned(None), TypeUse::Column), "DECIMAL(20, 0)");
        assert_eq!(mysql(&DataType::Datetime(Some(3)), TypeUse::Column), "TIMESTAMP(3)");
        assert_eq!(mysql(&DataType::Decimal(ExactNumberInfo::PrecisionAndScale(65, 2)), TypeUse::Column), "STRING");
        assert_eq!(mysql(&DataType::Signed, TypeUse::Cast), "BIGINT");
        assert_eq!(mysql(&DataType::Char(None), TypeUse::Cast), "STRING");
        assert!(mysql(&custom("GEOMETRY", &[]), TypeUse::Column).starts_with("type GEOMETRY"));
    }
}
