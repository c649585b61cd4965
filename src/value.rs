//! Values of locally answered statements, and their Arrow form (so local answers travel exactly
//! like Flink results).

use std::sync::Arc;

use arrow_array::{ArrayRef, Decimal128Array, Float64Array, Int64Array, NullArray, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::protocol::MySqlError;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    UInt(u64),
    /// Unscaled value and scale.
    Decimal(i128, u8),
    Double(f64),
    Str(String),
}

impl Value {
    fn data_type(&self) -> DataType {
        match self {
            Value::Null => DataType::Null,
            Value::Int(_) => DataType::Int64,
            Value::UInt(_) => DataType::UInt64,
            Value::Decimal(u, s) => DataType::Decimal128((u.unsigned_abs().to_string().len() as u8).max(*s + 1).min(38), *s as i8),
            Value::Double(_) => DataType::Float64,
            Value::Str(_) => DataType::Utf8,
        }
    }

    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Int(i) => Some(i.to_string()),
            Value::UInt(u) => Some(u.to_string()),
            Value::Decimal(u, s) => Some(crate::protocol::resultset::format_decimal(*u, *s as i8)),
            Value::Double(d) => Some(d.to_string()),
            Value::Str(s) => Some(s.clone()),
        }
    }
}

/// A one-row-or-more table with typed columns, built from locally computed values.
pub struct LocalTable {
    pub columns: Vec<(String, DataType)>,
    pub rows: Vec<Vec<Value>>,
}

impl LocalTable {
    /// A table whose column types follow the first row's values (one-row answers).
    pub fn single_row(names: Vec<String>, row: Vec<Value>) -> Self {
        let columns = names.into_iter().zip(&row).map(|(n, v)| (n, v.data_type())).collect();
        Self { columns, rows: vec![row] }
    }

    /// A table of text columns (SHOW-style answers).
    pub fn text(names: &[&str], rows: Vec<Vec<Option<String>>>) -> Self {
        let columns = names.iter().map(|n| (n.to_string(), DataType::Utf8)).collect();
        let rows = rows.into_iter().map(|r| r.into_iter().map(|v| v.map(Value::Str).unwrap_or(Value::Null)).collect()).collect();
        Self { columns, rows }
    }

    pub fn into_batch(self) -> Result<(SchemaRef, RecordBatch), MySqlError> {
        let fields: Vec<Field> = self.columns.iter().map(|(n, t)| Field::new(n, t.clone(), true)).collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, t))| column(t, self.rows.iter().map(|r| r.get(i).unwrap_or(&Value::Null))))
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| {
            MySqlError::new(crate::protocol::codes::ER_UNKNOWN_ERROR, format!("internal error building a local result: {e}"))
        })?;
        Ok((schema, batch))
    }
}

fn column<'a>(t: &DataType, values: impl Iterator<Item = &'a Value>) -> ArrayRef {
    match t {
        DataType::Int64 => Arc::new(values.map(|v| if let Value::Int(i) = v { Some(*i) } else { None }).collect::<Int64Array>()),
        DataType::UInt64 => Arc::new(values.map(|v| if let Value::UInt(u) = v { Some(*u) } else { None }).collect::<UInt64Array>()),
        DataType::Float64 => Arc::new(values.map(|v| if let Value::Double(d) = v { Some(*d) } else { None }).collect::<Float64Array>()),
        DataType::Decimal128(p, s) => {
            let a: Decimal128Array = values.map(|v| if let Value::Decimal(u, _) = v { Some(*u) } else { None }).collect();
            Arc::new(a.with_precision_and_scale(*p, *s).unwrap_or_else(|_| Decimal128Array::from(Vec::<Option<i128>>::new())))
        }
        DataType::Null => Arc::new(NullArray::new(values.count())),
        _ => Arc::new(values.map(|v| v.as_text()).collect::<StringArray>()),
    }
}

/// MySQL's LIKE, case-insensitive as its default collation compares (`\\` escapes).
pub fn like(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('%', rest)) => (0..=t.len()).any(|i| go(rest, &t[i..])),
            Some(('_', rest)) => !t.is_empty() && go(rest, &t[1..]),
            Some(('\\', rest)) if !rest.is_empty() => {
                !t.is_empty() && t[0].to_lowercase().eq(rest[0].to_lowercase()) && go(&rest[1..], &t[1..])
            }
            Some((c, rest)) => !t.is_empty() && t[0].to_lowercase().eq(c.to_lowercase()) && go(rest, &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}
