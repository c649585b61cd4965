//! Flink logical types (the gateway's `logicalType` JSON) as Arrow fields: one table per type
//! root, used for every result column.
//!
//! | Flink type root | JSON value (`rowFormat=JSON`, Flink 1.20.3) | Arrow type |
//! |---|---|---|
//! | `BOOLEAN` | `true` | `Boolean` |
//! | `TINYINT`, `SMALLINT`, `INTEGER`, `BIGINT` | `42` | `Int8`, `Int16`, `Int32`, `Int64` |
//! | `FLOAT`, `DOUBLE` | `1.5`, `1.0E300`, `"NaN"`, `"-Infinity"` | `Float32`, `Float64` |
//! | `DECIMAL(p, s)` | a number with trailing zeros stripped: `-1.5`, `1E+10`, `0` (read exactly) | `Decimal128(p, s)` |
//! | `CHAR(n)`, `VARCHAR(n)` | `"ab "` | `Utf8` |
//! | `BINARY(n)`, `VARBINARY(n)` | base64: `"YWIA"` | `Binary` |
//! | `DATE` | `"2024-02-29"` | `Date32` |
//! | `TIME(p)` | `"12:34:56"` (Flink's JSON drops fractions of a second) | `Time64(Microsecond)` |
//! | `TIMESTAMP(p)` | `"2024-01-02T03:04:05.123456"` (digits past 6 are truncated) | `Timestamp(Microsecond, None)` |
//! | `TIMESTAMP_LTZ(p)` | `"1970-01-01T08:00:00Z"`: the wall-clock time in the session's `table.local-time-zone` (here Asia/Shanghai for the epoch), despite the `Z` | `Timestamp(Microsecond, None)` holding that wall-clock time |
//! | `INTERVAL YEAR TO MONTH` family | months: `27` | `Interval(YearMonth)` |
//! | `INTERVAL DAY TO SECOND` family | milliseconds: `93784567` | `Duration(Millisecond)` |
//! | `NULL` | `null` | `Null` |
//! | `ARRAY`, `MAP`, `MULTISET`, `ROW`, `RAW`, `TIMESTAMP WITH TIME ZONE`, structured, distinct and unknown (newer) roots such as `VARIANT` | anything | `Utf8`: a JSON string's text, any other value as JSON text (`[1,2,null]`, `{"k":1}`) |
//!
//! Every field carries Flink's type as metadata:
//! * `flink.type`: Flink's SQL type string (`asSerializableString`) without the top-level
//!   `NOT NULL`, which is the field's nullability: `VARCHAR(2147483647)`, `DECIMAL(10, 2)`,
//!   `TIMESTAMP(3) WITH LOCAL TIME ZONE`, `ARRAY<INT NOT NULL>`, ``ROW<`a` INT, `b` CHAR(1)>``;
//!   an unknown root is its name (`VARIANT`);
//! * `flink.length` (CHAR, VARCHAR, BINARY, VARBINARY); `flink.precision` (DECIMAL, TIME,
//!   TIMESTAMP*, and the leading precision of INTERVAL types); `flink.scale` (DECIMAL);
//!   `flink.fractional_precision` (INTERVAL DAY TO SECOND family).

use std::collections::HashMap;

use arrow_schema::{DataType, Field, IntervalUnit, TimeUnit};
use serde_json::Value;

/// The Arrow field for a result column named `name` of Flink type `logical_type`.
///
/// Fails only when the JSON is not a type description at all (no `type`) or a DECIMAL lacks a
/// valid precision or scale; unknown roots become `Utf8`.
pub fn arrow_field(name: &str, logical_type: &Value) -> Result<Field, String> {
    let t = FlinkType::new(logical_type)?;
    let mut metadata = HashMap::from([("flink.type".to_string(), sql_type(&t)?)]);
    let attribute = |key: &str| {
        t.json
            .get(key)
            .and_then(Value::as_u64)
            .map(|n| n.to_string())
    };
    for (json_key, meta_key) in [
        ("length", "flink.length"),
        ("precision", "flink.precision"),
        ("scale", "flink.scale"),
        ("fractionalPrecision", "flink.fractional_precision"),
    ] {
        if let Some(v) = attribute(json_key) {
            metadata.insert(meta_key.to_string(), v);
        }
    }
    Ok(Field::new(name, arrow_type(&t)?, t.nullable).with_metadata(metadata))
}

/// The Arrow field for a column named `name` whose Flink type is the SQL type string `sql_type`,
/// as Flink's `DESCRIBE` prints it (`BIGINT`, `STRING`, `DECIMAL(10, 2)`, `TIMESTAMP(3) *ROWTIME*`,
/// `TIMESTAMP_LTZ(3)`, `ARRAY<INT>`, …): the same field [`arrow_field`] gives for a result column
/// of that type, so a result's shape can be known before the query runs.
pub fn arrow_field_of_sql_type(name: &str, sql_type: &str, nullable: bool) -> Field {
    let json = logical_type_of_sql(sql_type, nullable);
    arrow_field(name, &json).unwrap_or_else(|_| {
        let metadata = HashMap::from([("flink.type".to_string(), sql_type.to_string())]);
        Field::new(name, DataType::Utf8, nullable).with_metadata(metadata)
    })
}

/// The `logicalType` JSON of a Flink SQL type string (scalar roots with their attributes; other
/// roots by name only, which [`arrow_field`] shows as JSON text).
fn logical_type_of_sql(sql_type: &str, nullable: bool) -> Value {
    let mut t = sql_type.trim();
    for marker in ["*ROWTIME*", "*PROCTIME*"] {
        t = t.trim_end_matches(marker).trim_end();
    }
    let upper = t.to_ascii_uppercase();
    let (upper, nullable) = match upper.strip_suffix(" NOT NULL") {
        Some(u) => (u.to_string(), false),
        None => (upper, nullable),
    };
    // The root word and its parenthesised numbers, if any: `DECIMAL(10, 2)` → ("DECIMAL", [10, 2]).
    let root_end = upper.find(['(', '<', ' ']).unwrap_or(upper.len());
    let root = &upper[..root_end];
    let numbers: Vec<u64> = match (upper.find('('), upper.find(')')) {
        (Some(a), Some(b)) if a == root_end && b > a => upper[a + 1..b].split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        _ => Vec::new(),
    };
    let first = |default: u64| numbers.first().copied().unwrap_or(default);
    let with_time_zone = upper.contains("WITH LOCAL TIME ZONE");
    let mut json = serde_json::json!({ "nullable": nullable });
    let mut set = |key: &str, value: Value| {
        if let Some(o) = json.as_object_mut() {
            o.insert(key.to_string(), value);
        }
    };
    match root {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "BIGINT" | "FLOAT" | "DOUBLE" | "DATE" | "NULL" => set("type", root.into()),
        "INT" | "INTEGER" => set("type", "INTEGER".into()),
        "DEC" | "DECIMAL" | "NUMERIC" => {
            set("type", "DECIMAL".into());
            set("precision", first(10).into());
            set("scale", numbers.get(1).copied().unwrap_or(0).into());
        }
        "STRING" => {
            set("type", "VARCHAR".into());
            set("length", 2_147_483_647u64.into());
        }
        "BYTES" => {
            set("type", "VARBINARY".into());
            set("length", 2_147_483_647u64.into());
        }
        "CHAR" | "VARCHAR" | "BINARY" | "VARBINARY" => {
            set("type", root.into());
            set("length", first(1).into());
        }
        "TIME" => {
            set("type", "TIME_WITHOUT_TIME_ZONE".into());
            set("precision", first(0).into());
        }
        "TIMESTAMP" if with_time_zone => {
            set("type", "TIMESTAMP_WITH_LOCAL_TIME_ZONE".into());
            set("precision", first(6).into());
        }
        "TIMESTAMP" => {
            set("type", "TIMESTAMP_WITHOUT_TIME_ZONE".into());
            set("precision", first(6).into());
        }
        "TIMESTAMP_LTZ" => {
            set("type", "TIMESTAMP_WITH_LOCAL_TIME_ZONE".into());
            set("precision", first(6).into());
        }
        "INTERVAL" if upper.contains("YEAR") || upper.contains("MONTH") => set("type", "INTERVAL_YEAR_MONTH".into()),
        "INTERVAL" => set("type", "INTERVAL_DAY_TIME".into()),
        other => set("type", other.into()),
    }
    json
}

/// The Arrow type of a Flink type: the table above.
fn arrow_type(t: &FlinkType<'_>) -> Result<DataType, String> {
    Ok(match t.root {
        "BOOLEAN" => DataType::Boolean,
        "TINYINT" => DataType::Int8,
        "SMALLINT" => DataType::Int16,
        "INTEGER" => DataType::Int32,
        "BIGINT" => DataType::Int64,
        "FLOAT" => DataType::Float32,
        "DOUBLE" => DataType::Float64,
        "DECIMAL" => {
            let (precision, scale) = t.decimal()?;
            DataType::Decimal128(precision, scale)
        }
        "CHAR" | "VARCHAR" => DataType::Utf8,
        "BINARY" | "VARBINARY" => DataType::Binary,
        "DATE" => DataType::Date32,
        "TIME_WITHOUT_TIME_ZONE" => DataType::Time64(TimeUnit::Microsecond),
        "TIMESTAMP_WITHOUT_TIME_ZONE" | "TIMESTAMP_WITH_LOCAL_TIME_ZONE" => {
            DataType::Timestamp(TimeUnit::Microsecond, None)
        }
        "INTERVAL_YEAR_MONTH" => DataType::Interval(IntervalUnit::YearMonth),
        "INTERVAL_DAY_TIME" => DataType::Duration(TimeUnit::Millisecond),
        "NULL" => DataType::Null,
        _ => DataType::Utf8,
    })
}

/// Flink's SQL type string of `t`, without a top-level `NOT NULL`.
fn sql_type(t: &FlinkType<'_>) -> Result<String, String> {
    let num = |key: &str| {
        t.json
            .get(key)
            .and_then(Value::as_u64)
            .map_or_else(|| "?".to_string(), |n| n.to_string())
    };
    Ok(match t.root {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "BIGINT" | "FLOAT" | "DOUBLE" | "DATE" | "NULL" => {
            t.root.to_string()
        }
        "INTEGER" => "INT".to_string(),
        "DECIMAL" => {
            let (precision, scale) = t.decimal()?;
            format!("DECIMAL({precision}, {scale})")
        }
        "CHAR" | "VARCHAR" | "BINARY" | "VARBINARY" => format!("{}({})", t.root, num("length")),
        "TIME_WITHOUT_TIME_ZONE" => format!("TIME({})", num("precision")),
        "TIMESTAMP_WITHOUT_TIME_ZONE" => format!("TIMESTAMP({})", num("precision")),
        "TIMESTAMP_WITH_LOCAL_TIME_ZONE" => {
            format!("TIMESTAMP({}) WITH LOCAL TIME ZONE", num("precision"))
        }
        "TIMESTAMP_WITH_TIME_ZONE" => format!("TIMESTAMP({}) WITH TIME ZONE", num("precision")),
        "INTERVAL_YEAR_MONTH" => {
            let p = num("precision");
            match t.str("resolution") {
                "YEAR" => format!("INTERVAL YEAR({p})"),
                "MONTH" => "INTERVAL MONTH".to_string(),
                _ => format!("INTERVAL YEAR({p}) TO MONTH"),
            }
        }
        "INTERVAL_DAY_TIME" => {
            let (p, f) = (num("precision"), num("fractionalPrecision"));
            match t.str("resolution") {
                "DAY" => format!("INTERVAL DAY({p})"),
                "DAY_TO_HOUR" => format!("INTERVAL DAY({p}) TO HOUR"),
                "DAY_TO_MINUTE" => format!("INTERVAL DAY({p}) TO MINUTE"),
                "HOUR" => "INTERVAL HOUR".to_string(),
                "HOUR_TO_MINUTE" => "INTERVAL HOUR TO MINUTE".to_string(),
                "HOUR_TO_SECOND" => format!("INTERVAL HOUR TO SECOND({f})"),
                "MINUTE" => "INTERVAL MINUTE".to_string(),
                "MINUTE_TO_SECOND" => format!("INTERVAL MINUTE TO SECOND({f})"),
                "SECOND" => format!("INTERVAL SECOND({f})"),
                _ => format!("INTERVAL DAY({p}) TO SECOND({f})"),
            }
        }
        "ARRAY" | "MULTISET" => format!("{}<{}>", t.root, nested(t.json.get("elementType"))?),
        "MAP" => format!(
            "MAP<{}, {}>",
            nested(t.json.get("keyType"))?,
            nested(t.json.get("valueType"))?
        ),
        "ROW" => {
            let fields = t
                .json
                .get("fields")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let fields = fields
                .iter()
                .map(row_field)
                .collect::<Result<Vec<_>, _>>()?;
            format!("ROW<{}>", fields.join(", "))
        }
        "RAW" => format!(
            "RAW('{}', '{}')",
            quote(t.str("class"), '\''),
            quote(t.str("serializer"), '\'')
        ),
        other => other.to_string(),
    })
}

/// A nested type's string, with `NOT NULL` when it is not nullable.
fn nested(json: Option<&Value>) -> Result<String, String> {
    let t = FlinkType::new(json.unwrap_or(&Value::Null))?;
    let s = sql_type(&t)?;
    Ok(if t.nullable {
        s
    } else {
        format!("{s} NOT NULL")
    })
}

/// ``name` TYPE 'description'` of a ROW field.
fn row_field(field: &Value) -> Result<String, String> {
    let name = field
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut s = format!("`{}` {}", quote(name, '`'), nested(field.get("fieldType"))?);
    if let Some(description) = field.get("description").and_then(Value::as_str) {
        s.push_str(&format!(" '{}'", quote(description, '\'')));
    }
    Ok(s)
}

/// `s` with `q` doubled, for use between two `q`.
fn quote(s: &str, q: char) -> String {
    s.replace(q, &format!("{q}{q}"))
}

/// A `logicalType` JSON object: `{"type": ROOT, "nullable": bool, ...attributes}`.
struct FlinkType<'a> {
    json: &'a Value,
    root: &'a str,
    nullable: bool,
}

impl<'a> FlinkType<'a> {
    fn new(json: &'a Value) -> Result<FlinkType<'a>, String> {
        let root = json
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("not a Flink logical type: {json}"))?;
        // `NULL` has no `nullable` field; every other root has one.
        let nullable = json
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        Ok(FlinkType {
            json,
            root,
            nullable,
        })
    }

    fn str(&self, key: &str) -> &'a str {
        self.json
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// DECIMAL's precision (1 to 38) and scale (0 to precision).
    fn decimal(&self) -> Result<(u8, i8), String> {
        let get = |key: &str| self.json.get(key).and_then(Value::as_u64);
        match (get("precision"), get("scale")) {
            (Some(p @ 1..=38), Some(s)) if s <= p => Ok((p as u8, s as i8)),
            _ => Err(format!(
                "DECIMAL without a valid precision and scale: {}",
                self.json
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(json: &str) -> Field {
        let v: Value = serde_json::from_str(json).unwrap();
        arrow_field("c", &v).unwrap()
    }

    fn meta<'a>(f: &'a Field, key: &str) -> Option<&'a str> {
        f.metadata().get(key).map(String::as_str)
    }

    #[test]
    fn scalar_roots() {
        let cases = [
            (
                r#"{"type":"BOOLEAN","nullable":false}"#,
                DataType::Boolean,
                "BOOLEAN",
            ),
            (
                r#"{"type":"TINYINT","nullable":true}"#,
                DataType::Int8,
                "TINYINT",
            ),
            (
                r#"{"type":"SMALLINT","nullable":true}"#,
                DataType::Int16,
                "SMALLINT",
            ),
            (
                r#"{"type":"INTEGER","nullable":true}"#,
                DataType::Int32,
                "INT",
            ),
            (
                r#"{"type":"BIGINT","nullable":true}"#,
                DataType::Int64,
                "BIGINT",
            ),
            (
                r#"{"type":"FLOAT","nullable":true}"#,
                DataType::Float32,
                "FLOAT",
            ),
            (
                r#"{"type":"DOUBLE","nullable":true}"#,
                DataType::Float64,
                "DOUBLE",
            ),
            (
                r#"{"type":"DECIMAL","nullable":true,"precision":38,"scale":10}"#,
                DataType::Decimal128(38, 10),
                "DECIMAL(38, 10)",
            ),
            (
                r#"{"type":"CHAR","nullable":true,"length":3}"#,
                DataType::Utf8,
                "CHAR(3)",
            ),
            (
                r#"{"type":"VARCHAR","nullable":true,"length":2147483647}"#,
                DataType::Utf8,
                "VARCHAR(2147483647)",
            ),
            (
                r#"{"type":"BINARY","nullable":true,"length":3}"#,
                DataType::Binary,
                "BINARY(3)",
            ),
            (
                r#"{"type":"VARBINARY","nullable":true,"length":2147483647}"#,
                DataType::Binary,
                "VARBINARY(2147483647)",
            ),
            (
                r#"{"type":"DATE","nullable":true}"#,
                DataType::Date32,
                "DATE",
            ),
            (
                r#"{"type":"TIME_WITHOUT_TIME_ZONE","nullable":true,"precision":0}"#,
                DataType::Time64(TimeUnit::Microsecond),
                "TIME(0)",
            ),
            (
                r#"{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":true,"precision":3}"#,
                DataType::Timestamp(TimeUnit::Microsecond, None),
                "TIMESTAMP(3)",
            ),
            (
                r#"{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","nullable":true,"precision":6}"#,
                DataType::Timestamp(TimeUnit::Microsecond, None),
                "TIMESTAMP(6) WITH LOCAL TIME ZONE",
            ),
            (
                r#"{"type":"INTERVAL_YEAR_MONTH","nullable":false,"precision":2,"resolution":"MONTH"}"#,
                DataType::Interval(IntervalUnit::YearMonth),
                "INTERVAL MONTH",
            ),
            (
                r#"{"type":"INTERVAL_DAY_TIME","nullable":false,"precision":2,"fractionalPrecision":3,"resolution":"DAY_TO_SECOND"}"#,
                DataType::Duration(TimeUnit::Millisecond),
                "INTERVAL DAY(2) TO SECOND(3)",
            ),
            (r#"{"type":"NULL"}"#, DataType::Null, "NULL"),
        ];
        for (json, arrow, sql) in cases {
            let f = field(json);
            assert_eq!(
                (f.data_type(), meta(&f, "flink.type")),
                (&arrow, Some(sql)),
                "{json}"
            );
        }
    }

    #[test]
    fn attributes_and_nullability() {
        let f = field(r#"{"type":"DECIMAL","nullable":false,"precision":10,"scale":2}"#);
        assert!(!f.is_nullable());
        assert_eq!(
            (meta(&f, "flink.precision"), meta(&f, "flink.scale")),
            (Some("10"), Some("2"))
        );
        let f = field(r#"{"type":"VARCHAR","nullable":true,"length":20}"#);
        assert!(f.is_nullable());
        assert_eq!(
            (meta(&f, "flink.length"), meta(&f, "flink.precision")),
            (Some("20"), None)
        );
        let f = field(
            r#"{"type":"INTERVAL_DAY_TIME","nullable":true,"precision":2,"fractionalPrecision":3,"resolution":"SECOND"}"#,
        );
        assert_eq!(meta(&f, "flink.type"), Some("INTERVAL SECOND(3)"));
        assert_eq!(meta(&f, "flink.fractional_precision"), Some("3"));
        assert!(field(r#"{"type":"NULL"}"#).is_nullable());
    }

    #[test]
    fn nested_and_unknown_roots_are_json_text() {
        let f = field(
            r#"{"type":"ARRAY","nullable":false,"elementType":{"type":"INTEGER","nullable":false}}"#,
        );
        assert_eq!(
            (f.data_type(), meta(&f, "flink.type")),
            (&DataType::Utf8, Some("ARRAY<INT NOT NULL>"))
        );
        let f = field(
            r#"{"type":"MAP","nullable":true,"keyType":{"type":"VARCHAR","nullable":true,"length":2147483647},"valueType":{"type":"BIGINT","nullable":true}}"#,
        );
        assert_eq!(
            meta(&f, "flink.type"),
            Some("MAP<VARCHAR(2147483647), BIGINT>")
        );
        let f = field(
            r#"{"type":"ROW","nullable":true,"fields":[{"name":"a`b","fieldType":{"type":"INTEGER","nullable":false}},{"name":"t","fieldType":{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":true,"precision":3},"description":"it's"}]}"#,
        );
        assert_eq!(
            meta(&f, "flink.type"),
            Some("ROW<`a``b` INT NOT NULL, `t` TIMESTAMP(3) 'it''s'>")
        );
        let f = field(
            r#"{"type":"MULTISET","nullable":true,"elementType":{"type":"CHAR","nullable":false,"length":1}}"#,
        );
        assert_eq!(meta(&f, "flink.type"), Some("MULTISET<CHAR(1) NOT NULL>"));
        let f = field(
            r#"{"type":"RAW","nullable":true,"class":"java.lang.Object","serializer":"AAA="}"#,
        );
        assert_eq!(
            meta(&f, "flink.type"),
            Some("RAW('java.lang.Object', 'AAA=')")
        );
        let f = field(r#"{"type":"VARIANT","nullable":true}"#);
        assert_eq!(
            (f.data_type(), meta(&f, "flink.type")),
            (&DataType::Utf8, Some("VARIANT"))
        );
    }

    #[test]
    fn malformed_types_are_errors() {
        assert!(arrow_field("c", &serde_json::json!({"nullable": true})).is_err());
        assert!(
            arrow_field(
                "c",
                &serde_json::json!({"type": "DECIMAL", "precision": 39, "scale": 0})
            )
            .is_err()
        );
    }

    #[test]
    fn describe_type_strings_give_the_fields_results_have() {
        let same = |sql: &str, json: &str| {
            let from_sql = arrow_field_of_sql_type("c", sql, true);
            let from_json = field(json);
            assert_eq!(from_sql, from_json, "{sql}");
        };
        same("BIGINT", r#"{"type":"BIGINT","nullable":true}"#);
        same("INT", r#"{"type":"INTEGER","nullable":true}"#);
        same("STRING", r#"{"type":"VARCHAR","nullable":true,"length":2147483647}"#);
        same("VARCHAR(10)", r#"{"type":"VARCHAR","nullable":true,"length":10}"#);
        same("DECIMAL(10, 2)", r#"{"type":"DECIMAL","nullable":true,"precision":10,"scale":2}"#);
        same("TIMESTAMP(3) *ROWTIME*", r#"{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":true,"precision":3}"#);
        same("TIMESTAMP_LTZ(3) *PROCTIME*", r#"{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","nullable":true,"precision":3}"#);
        same("BYTES", r#"{"type":"VARBINARY","nullable":true,"length":2147483647}"#);
        let f = arrow_field_of_sql_type("c", "BIGINT NOT NULL", true);
        assert!(!f.is_nullable());
        assert_eq!(arrow_field_of_sql_type("c", "ARRAY<INT>", true).data_type(), &DataType::Utf8);
    }
}
