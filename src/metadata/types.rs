//! Flink logical types as MySQL 8 column types: what `information_schema.COLUMNS`, `SHOW COLUMNS`,
//! `DESCRIBE` and `SHOW CREATE TABLE` print, so that drivers and ORMs map them to their own types
//! (Connector/J by `DATA_TYPE`, SQLAlchemy by the type word of `SHOW CREATE TABLE`).
//!
//! The mapping, as a table (Flink → MySQL `COLUMN_TYPE`):
//!
//! | Flink | MySQL |
//! |---|---|
//! | BOOLEAN | `tinyint(1)` (MySQL's BOOLEAN) |
//! | TINYINT, SMALLINT, INT, BIGINT | `tinyint`, `smallint`, `int`, `bigint` |
//! | FLOAT, DOUBLE | `float`, `double` |
//! | DECIMAL(p, s) | `decimal(p,s)` |
//! | CHAR(n), VARCHAR(n) with n ≤ 65535 | `char(n)` (n ≤ 255) / `varchar(n)` |
//! | STRING, longer VARCHAR | `longtext` |
//! | BINARY(n), VARBINARY(n) with n ≤ 65535 | `binary(n)` (n ≤ 255) / `varbinary(n)` |
//! | BYTES, longer VARBINARY | `longblob` |
//! | DATE | `date` |
//! | TIME(p) | `time(p)` (`time` for p = 0) |
//! | TIMESTAMP(p) | `datetime(p)` |
//! | TIMESTAMP_LTZ(p), TIMESTAMP(p) WITH LOCAL TIME ZONE | `timestamp(p)` |
//! | ARRAY, MAP, MULTISET, ROW, STRUCTURED, VARIANT | `json` |
//! | INTERVAL … | `varchar(64)` |
//! | RAW, anything else | `longblob` |

use arrow_schema::DataType;

/// A column type in MySQL's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MySqlType {
    /// `DATA_TYPE`: the bare type word, lower case (`bigint`, `varchar`).
    pub data_type: &'static str,
    /// `COLUMN_TYPE`: with its length or precision (`varchar(20)`, `decimal(10,2)`).
    pub column_type: String,
    pub char_max_length: Option<u64>,
    pub char_octet_length: Option<u64>,
    pub numeric_precision: Option<u64>,
    pub numeric_scale: Option<u64>,
    pub datetime_precision: Option<u64>,
}

impl MySqlType {
    pub fn is_text(&self) -> bool {
        matches!(self.data_type, "char" | "varchar" | "longtext")
    }

    /// The Arrow type a result column of this type travels as (COM_FIELD_LIST's column definitions).
    pub fn arrow(&self) -> DataType {
        match self.data_type {
            "tinyint" => DataType::Int8,
            "smallint" => DataType::Int16,
            "int" => DataType::Int32,
            "bigint" => DataType::Int64,
            "float" => DataType::Float32,
            "double" => DataType::Float64,
            "decimal" => DataType::Decimal128(
                self.numeric_precision.unwrap_or(38).clamp(1, 38) as u8,
                self.numeric_scale.unwrap_or(0).min(38) as i8,
            ),
            "date" => DataType::Date32,
            "binary" | "varbinary" | "longblob" => DataType::Binary,
            _ => DataType::Utf8,
        }
    }
}

/// Longest VARCHAR/VARBINARY MySQL has; Flink's longer ones (STRING is VARCHAR(2147483647)) are
/// LONGTEXT/LONGBLOB.
const MAX_VARCHAR: u64 = 65535;
const LONG_LENGTH: u64 = 4_294_967_295;

/// Maps a Flink type as DESCRIBE prints it (`DECIMAL(10, 2)`, `STRING`, `TIMESTAMP(3) *ROWTIME*`,
/// `INT NOT NULL`, `ARRAY<INT>`).
pub fn from_flink(flink: &str) -> MySqlType {
    let t = flink.replace("*ROWTIME*", "").replace("*PROCTIME*", "");
    let t = t.trim();
    let t = t.strip_suffix("NOT NULL").map(str::trim).unwrap_or(t);
    let upper = t.to_ascii_uppercase();
    let word: String = upper.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let args = type_args(&upper);
    let arg = |i: usize| args.get(i).copied();
    let simple = |data_type: &'static str, precision: Option<u64>, scale: Option<u64>| MySqlType {
        data_type,
        column_type: data_type.to_string(),
        char_max_length: None,
        char_octet_length: None,
        numeric_precision: precision,
        numeric_scale: scale,
        datetime_precision: None,
    };
    let text = |n: u64| -> MySqlType {
        if n > MAX_VARCHAR {
            return MySqlType { char_max_length: Some(LONG_LENGTH), char_octet_length: Some(LONG_LENGTH), ..simple("longtext", None, None) };
        }
        let data_type = "varchar";
        MySqlType { column_type: format!("{data_type}({n})"), char_max_length: Some(n), char_octet_length: Some(n * 4), ..simple(data_type, None, None) }
    };
    let binary = |data_type: &'static str, n: u64| -> MySqlType {
        if n > MAX_VARCHAR {
            return MySqlType { char_max_length: Some(LONG_LENGTH), char_octet_length: Some(LONG_LENGTH), ..simple("longblob", None, None) };
        }
        MySqlType { column_type: format!("{data_type}({n})"), char_max_length: Some(n), char_octet_length: Some(n), ..simple(data_type, None, None) }
    };
    let temporal = |data_type: &'static str, p: u64| MySqlType {
        column_type: if p == 0 { data_type.to_string() } else { format!("{data_type}({p})") },
        datetime_precision: Some(p),
        ..simple(data_type, None, None)
    };
    match word.as_str() {
        "BOOLEAN" => MySqlType { column_type: "tinyint(1)".into(), ..simple("tinyint", Some(3), Some(0)) },
        "TINYINT" => simple("tinyint", Some(3), Some(0)),
        "SMALLINT" => simple("smallint", Some(5), Some(0)),
        "INT" | "INTEGER" => simple("int", Some(10), Some(0)),
        "BIGINT" => simple("bigint", Some(19), Some(0)),
        "FLOAT" | "REAL" => simple("float", Some(12), None),
        "DOUBLE" => simple("double", Some(22), None),
        "DECIMAL" | "DEC" | "NUMERIC" => {
            let (p, s) = (arg(0).unwrap_or(10), arg(1).unwrap_or(0));
            MySqlType { column_type: format!("decimal({p},{s})"), ..simple("decimal", Some(p), Some(s)) }
        }
        "CHAR" | "CHARACTER" => {
            let n = arg(0).unwrap_or(1);
            if n <= 255 {
                MySqlType { column_type: format!("char({n})"), char_max_length: Some(n), char_octet_length: Some(n * 4), ..simple("char", None, None) }
            } else {
                text(n)
            }
        }
        "VARCHAR" => text(arg(0).unwrap_or(LONG_LENGTH)),
        "STRING" => text(LONG_LENGTH),
        "BINARY" => {
            let n = arg(0).unwrap_or(1);
            if n <= 255 { binary("binary", n) } else { binary("varbinary", n) }
        }
        "VARBINARY" => binary("varbinary", arg(0).unwrap_or(LONG_LENGTH)),
        "BYTES" => binary("varbinary", LONG_LENGTH),
        "DATE" => simple("date", None, None),
        "TIME" => temporal("time", arg(0).unwrap_or(0)),
        "TIMESTAMP_LTZ" => temporal("timestamp", arg(0).unwrap_or(6)),
        "TIMESTAMP" if upper.contains("WITH LOCAL TIME ZONE") => temporal("timestamp", arg(0).unwrap_or(6)),
        "TIMESTAMP" => temporal("datetime", arg(0).unwrap_or(6)),
        "ARRAY" | "MAP" | "MULTISET" | "ROW" | "STRUCTURED" | "VARIANT" => simple("json", None, None),
        "INTERVAL" => MySqlType { column_type: "varchar(64)".into(), char_max_length: Some(64), char_octet_length: Some(256), ..simple("varchar", None, None) },
        "NULL" => simple("null", None, None),
        _ => MySqlType { char_max_length: Some(LONG_LENGTH), char_octet_length: Some(LONG_LENGTH), ..simple("longblob", None, None) },
    }
}

/// The numbers in the first parentheses after the type word: `DECIMAL(10, 2)` → [10, 2].
fn type_args(upper: &str) -> Vec<u64> {
    let Some(open) = upper.find('(') else { return Vec::new() };
    // Only the type's own arguments, not those of an element type (`ARRAY<VARCHAR(3)>`).
    if upper[..open].contains('<') {
        return Vec::new();
    }
    let Some(close) = upper[open..].find(')') else { return Vec::new() };
    upper[open + 1..open + close].split(',').filter_map(|a| a.trim().parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(flink: &str) -> (String, &'static str) {
        let t = from_flink(flink);
        (t.column_type, t.data_type)
    }

    #[test]
    fn flink_types_print_as_mysql_column_types() {
        assert_eq!(col("BIGINT"), ("bigint".into(), "bigint"));
        assert_eq!(col("INT NOT NULL"), ("int".into(), "int"));
        assert_eq!(col("DECIMAL(10, 2)"), ("decimal(10,2)".into(), "decimal"));
        assert_eq!(col("STRING"), ("longtext".into(), "longtext"));
        assert_eq!(col("VARCHAR(2147483647)"), ("longtext".into(), "longtext"));
        assert_eq!(col("VARCHAR(20)"), ("varchar(20)".into(), "varchar"));
        assert_eq!(col("CHAR(3)"), ("char(3)".into(), "char"));
        assert_eq!(col("BOOLEAN"), ("tinyint(1)".into(), "tinyint"));
        assert_eq!(col("TIMESTAMP(3) *ROWTIME*"), ("datetime(3)".into(), "datetime"));
        assert_eq!(col("TIMESTAMP_LTZ(3)"), ("timestamp(3)".into(), "timestamp"));
        assert_eq!(col("TIMESTAMP(3) WITH LOCAL TIME ZONE"), ("timestamp(3)".into(), "timestamp"));
        assert_eq!(col("TIME(0)"), ("time".into(), "time"));
        assert_eq!(col("DATE"), ("date".into(), "date"));
        assert_eq!(col("ARRAY<VARCHAR(3)>"), ("json".into(), "json"));
        assert_eq!(col("BYTES"), ("longblob".into(), "longblob"));
        assert_eq!(col("RAW('java.lang.Object', '...')"), ("longblob".into(), "longblob"));
    }

    #[test]
    fn lengths_and_precisions_follow_mysql() {
        let v = from_flink("VARCHAR(20)");
        assert_eq!((v.char_max_length, v.char_octet_length), (Some(20), Some(80)));
        let d = from_flink("DECIMAL(10, 2)");
        assert_eq!((d.numeric_precision, d.numeric_scale), (Some(10), Some(2)));
        assert_eq!(from_flink("TIMESTAMP(3)").datetime_precision, Some(3));
        assert_eq!(from_flink("BIGINT").numeric_precision, Some(19));
    }
}
