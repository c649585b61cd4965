//! One page of JSON rows as an Arrow batch, column by column, by the Arrow type that
//! [`super::types`] chose for each column.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array,
    DurationMillisecondArray, Float32Array, Float64Array, Int8Array, Int16Array, Int32Array,
    Int64Array, IntervalYearMonthArray, NullArray, RecordBatch, RecordBatchOptions, StringArray,
    Time64MicrosecondArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, IntervalUnit, SchemaRef, TimeUnit};
use serde_json::Value;

use super::error::GatewayError;
use super::result::{ChangelogBatch, RowKind};
use super::scalar;
use super::wire::RowData;

/// The rows of a page as a batch of `schema`.
pub(crate) fn changelog_batch(
    schema: &SchemaRef,
    rows: &[RowData],
) -> Result<ChangelogBatch, GatewayError> {
    let width = schema.fields().len();
    let mut kinds = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let kind = RowKind::from_name(&row.kind).ok_or_else(|| {
            GatewayError::decode(
                format!("row {i}"),
                format!("unknown row kind {:?}", row.kind),
            )
        })?;
        if row.fields.len() != width {
            return Err(GatewayError::decode(
                format!("row {i}"),
                format!("{} fields for {width} columns", row.fields.len()),
            ));
        }
        kinds.push(kind);
    }
    let columns = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, field)| {
            column(field, rows.iter().map(|r| &r.fields[i])).map_err(|message| {
                let flink_type = field
                    .metadata()
                    .get("flink.type")
                    .map_or("?", String::as_str);
                GatewayError::decode(
                    format!("column `{}` of type {flink_type}", field.name()),
                    message,
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    let batch =
        RecordBatch::try_new_with_options(schema.clone(), columns, &options).map_err(|e| {
            GatewayError::Decode {
                context: "result page".into(),
                source: Box::new(e),
            }
        })?;
    Ok(ChangelogBatch { kinds, batch })
}

/// The array of one column from its cells.
fn column<'a>(field: &Field, cells: impl Iterator<Item = &'a Value>) -> Result<ArrayRef, String> {
    match field.data_type() {
        DataType::Boolean => array::<BooleanArray, _>(cells, Value::as_bool),
        DataType::Int8 => array::<Int8Array, _>(cells, integer),
        DataType::Int16 => array::<Int16Array, _>(cells, integer),
        DataType::Int32 => array::<Int32Array, _>(cells, integer),
        DataType::Int64 => array::<Int64Array, _>(cells, Value::as_i64),
        DataType::Float32 => {
            array::<Float32Array, _>(cells, |v| scalar::float(v).map(|f| f as f32))
        }
        DataType::Float64 => array::<Float64Array, _>(cells, scalar::float),
        DataType::Decimal128(precision, scale) => {
            let parse = |v: &Value| {
                v.as_number()
                    .and_then(|n| scalar::decimal(n.as_str(), *scale))
            };
            let decimals: Decimal128Array =
                cells.map(|v| cell(v, parse)).collect::<Result<_, _>>()?;
            let decimals = decimals
                .with_precision_and_scale(*precision, *scale)
                .map_err(|e| e.to_string())?;
            Ok(Arc::new(decimals))
        }
        DataType::Utf8 => array::<StringArray, _>(cells, |v| Some(text(v))),
        DataType::Binary => array::<BinaryArray, _>(cells, |v| v.as_str().and_then(scalar::binary)),
        DataType::Date32 => array::<Date32Array, _>(cells, |v| v.as_str().and_then(scalar::date)),
        DataType::Time64(TimeUnit::Microsecond) => {
            array::<Time64MicrosecondArray, _>(cells, |v| v.as_str().and_then(scalar::time))
        }
        DataType::Timestamp(TimeUnit::Microsecond, None) => {
            array::<TimestampMicrosecondArray, _>(cells, |v| v.as_str().and_then(scalar::timestamp))
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            array::<IntervalYearMonthArray, _>(cells, integer)
        }
        DataType::Duration(TimeUnit::Millisecond) => {
            array::<DurationMillisecondArray, _>(cells, Value::as_i64)
        }
        DataType::Null => {
            let mut len = 0;
            for v in cells {
                if !v.is_null() {
                    return Err(format!("{v} in a NULL column"));
                }
                len += 1;
            }
            Ok(Arc::new(NullArray::new(len)))
        }
        other => Err(format!("no reader for Arrow type {other}")),
    }
}

/// An array of type `A` from cells that `parse` reads.
fn array<'a, A, T>(
    cells: impl Iterator<Item = &'a Value>,
    parse: impl Fn(&'a Value) -> Option<T>,
) -> Result<ArrayRef, String>
where
    A: FromIterator<Option<T>> + Array + 'static,
{
    let array: A = cells.map(|v| cell(v, &parse)).collect::<Result<_, _>>()?;
    Ok(Arc::new(array))
}

/// A JSON integer that fits `T`.
fn integer<T: TryFrom<i64>>(value: &Value) -> Option<T> {
    value.as_i64().and_then(|i| T::try_from(i).ok())
}

/// A cell: JSON `null` is SQL NULL, anything else must parse.
fn cell<'v, T>(
    value: &'v Value,
    parse: impl FnOnce(&'v Value) -> Option<T>,
) -> Result<Option<T>, String> {
    if value.is_null() {
        return Ok(None);
    }
    match parse(value) {
        Some(v) => Ok(Some(v)),
        None => Err(format!("cannot read {value}")),
    }
}

/// A `Utf8` cell: a JSON string's text, any other value as JSON text.
fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Date32Type, Decimal128Type, DurationMillisecondType, Float64Type, Int8Type, Int32Type,
        Int64Type, IntervalYearMonthType, Time64MicrosecondType, TimestampMicrosecondType,
    };
    use arrow_schema::Schema;

    use super::*;
    use crate::gateway::types::arrow_field;
    use crate::gateway::wire::FetchResults;

    /// A page as Flink 1.20.3 sent it for `SELECT CAST(1 AS BOOLEAN) b, …` (a subset of the
    /// columns, values verbatim).
    const PAGE: &str = r#"{"resultType":"PAYLOAD","isQueryResult":true,"jobID":"39b889cb16a27162cd2f1bc95746473a","resultKind":"SUCCESS_WITH_CONTENT","results":{"columns":[
        {"name":"b","logicalType":{"type":"BOOLEAN","nullable":false},"comment":null},
        {"name":"ti","logicalType":{"type":"TINYINT","nullable":false},"comment":null},
        {"name":"i","logicalType":{"type":"INTEGER","nullable":true},"comment":null},
        {"name":"bmin","logicalType":{"type":"BIGINT","nullable":false},"comment":null},
        {"name":"f","logicalType":{"type":"FLOAT","nullable":false},"comment":null},
        {"name":"big","logicalType":{"type":"DOUBLE","nullable":false},"comment":null},
        {"name":"nan","logicalType":{"type":"DOUBLE","nullable":false},"comment":null},
        {"name":"dec1","logicalType":{"type":"DECIMAL","nullable":false,"precision":38,"scale":10},"comment":null},
        {"name":"dbig","logicalType":{"type":"DECIMAL","nullable":false,"precision":20,"scale":0},"comment":null},
        {"name":"decneg","logicalType":{"type":"DECIMAL","nullable":false,"precision":5,"scale":2},"comment":null},
        {"name":"c","logicalType":{"type":"CHAR","nullable":false,"length":3},"comment":null},
        {"name":"bn","logicalType":{"type":"BINARY","nullable":false,"length":3},"comment":null},
        {"name":"dt","logicalType":{"type":"DATE","nullable":false},"comment":null},
        {"name":"tm","logicalType":{"type":"TIME_WITHOUT_TIME_ZONE","nullable":false,"precision":0},"comment":null},
        {"name":"ts6","logicalType":{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":false,"precision":6},"comment":null},
        {"name":"ltz","logicalType":{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","nullable":true,"precision":3},"comment":null},
        {"name":"iym","logicalType":{"type":"INTERVAL_YEAR_MONTH","nullable":false,"precision":2,"resolution":"MONTH"},"comment":null},
        {"name":"ids","logicalType":{"type":"INTERVAL_DAY_TIME","nullable":false,"precision":2,"fractionalPrecision":3,"resolution":"SECOND"},"comment":null},
        {"name":"arr","logicalType":{"type":"ARRAY","nullable":false,"elementType":{"type":"INTEGER","nullable":true}},"comment":null},
        {"name":"mp","logicalType":{"type":"MAP","nullable":false,"keyType":{"type":"CHAR","nullable":false,"length":1},"valueType":{"type":"INTEGER","nullable":false}},"comment":null},
        {"name":"rw","logicalType":{"type":"ROW","nullable":false,"fields":[{"name":"d","fieldType":{"type":"DECIMAL","nullable":true,"precision":5,"scale":2}},{"name":"t","fieldType":{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":true,"precision":3}}]},"comment":null},
        {"name":"nv","logicalType":{"type":"VARCHAR","nullable":true,"length":2147483647},"comment":null}
      ],"rowFormat":"JSON","data":[
        {"kind":"INSERT","fields":[true,1,3,-9223372036854775808,1.5,1.0E300,"NaN",1234567890123456789012345678.1234567891,1E+10,-1.5,"ab ","YWIA","2024-02-29","12:34:56","2024-01-02T03:04:05.123456","1970-01-01T08:00:00Z",27,93784567,[1,2,null],{"j":2,"k":1},{"d":1.5,"t":"2024-01-02T03:04:05.5"},null]},
        {"kind":"UPDATE_BEFORE","fields":[false,-128,null,0,0.1,"-Infinity","Infinity",0,0,0,"x  ","AAAA","1969-12-31","00:00:00","1969-12-31T23:59:59.9",null,-1,-1,[],{},{"d":null,"t":null},"text"]}
      ]},"nextResultUri":"/v3/sessions/s/operations/o/result/7?rowFormat=JSON"}"#;

    fn convert(page: &str) -> Result<ChangelogBatch, GatewayError> {
        let page: FetchResults = serde_json::from_str(page).unwrap();
        let results = page.results.unwrap();
        let fields: Vec<Field> = results
            .columns
            .iter()
            .map(|c| arrow_field(&c.name, &c.logical_type).unwrap())
            .collect();
        changelog_batch(&Arc::new(Schema::new(fields)), &results.data)
    }

    #[test]
    fn converts_a_real_page() {
        let b = convert(PAGE).unwrap();
        assert_eq!(b.kinds, [RowKind::Insert, RowKind::UpdateBefore]);
        let batch = &b.batch;
        let col = |name: &str| batch.column_by_name(name).unwrap().clone();
        assert_eq!(
            col("b").as_boolean().values().iter().collect::<Vec<_>>(),
            [true, false]
        );
        assert_eq!(col("ti").as_primitive::<Int8Type>().values(), &[1, -128]);
        let i = col("i");
        assert_eq!(
            (i.as_primitive::<Int32Type>().value(0), i.is_null(1)),
            (3, true)
        );
        assert_eq!(col("bmin").as_primitive::<Int64Type>().value(0), i64::MIN);
        assert_eq!(
            col("big").as_primitive::<Float64Type>().values(),
            &[1.0e300, f64::NEG_INFINITY]
        );
        assert!(col("nan").as_primitive::<Float64Type>().value(0).is_nan());
        let dec1 = col("dec1");
        assert_eq!(dec1.data_type(), &DataType::Decimal128(38, 10));
        assert_eq!(
            dec1.as_primitive::<Decimal128Type>().value_as_string(0),
            "1234567890123456789012345678.1234567891"
        );
        assert_eq!(
            col("dbig").as_primitive::<Decimal128Type>().value(0),
            10_000_000_000
        );
        assert_eq!(
            col("decneg")
                .as_primitive::<Decimal128Type>()
                .value_as_string(0),
            "-1.50"
        );
        assert_eq!(col("c").as_string::<i32>().value(0), "ab ");
        assert_eq!(col("bn").as_binary::<i32>().value(0), b"ab\0");
        assert_eq!(col("bn").as_binary::<i32>().value(1), b"\0\0\0");
        assert_eq!(
            col("dt").as_primitive::<Date32Type>().values(),
            &[19782, -1]
        );
        assert_eq!(
            col("tm").as_primitive::<Time64MicrosecondType>().value(0),
            45_296_000_000
        );
        assert_eq!(
            col("ts6")
                .as_primitive::<TimestampMicrosecondType>()
                .values(),
            &[1_704_164_645_123_456, -100_000]
        );
        assert_eq!(
            col("ltz")
                .as_primitive::<TimestampMicrosecondType>()
                .value(0),
            28_800_000_000
        );
        assert!(col("ltz").is_null(1));
        assert_eq!(
            col("iym").as_primitive::<IntervalYearMonthType>().values(),
            &[27, -1]
        );
        assert_eq!(
            col("ids")
                .as_primitive::<DurationMillisecondType>()
                .values(),
            &[93_784_567, -1]
        );
        assert_eq!(col("arr").as_string::<i32>().value(0), "[1,2,null]");
        assert_eq!(col("mp").as_string::<i32>().value(0), r#"{"j":2,"k":1}"#);
        assert_eq!(
            col("rw").as_string::<i32>().value(0),
            r#"{"d":1.5,"t":"2024-01-02T03:04:05.5"}"#
        );
        assert_eq!(
            (col("nv").is_null(0), col("nv").as_string::<i32>().value(1)),
            (true, "text")
        );
    }

    #[test]
    fn an_empty_page_is_an_empty_batch() {
        let page = r#"{"resultType":"PAYLOAD","isQueryResult":true,"resultKind":"SUCCESS_WITH_CONTENT","results":{"columns":[{"name":"k","logicalType":{"type":"INTEGER","nullable":true},"comment":null}],"rowFormat":"JSON","data":[]}}"#;
        let b = convert(page).unwrap();
        assert_eq!(
            (b.batch.num_rows(), b.kinds.len(), b.batch.num_columns()),
            (0, 0, 1)
        );
    }

    #[test]
    fn bad_values_are_decode_errors() {
        let page = |ty: &str, value: &str| {
            format!(
                r#"{{"resultType":"PAYLOAD","results":{{"columns":[{{"name":"x","logicalType":{ty}}}],"data":[{{"kind":"INSERT","fields":[{value}]}}]}}}}"#
            )
        };
        let err = convert(&page(
            r#"{"type":"DECIMAL","nullable":true,"precision":5,"scale":1}"#,
            "1.25",
        ))
        .unwrap_err();
        assert!(
            matches!(&err, GatewayError::Decode { context, .. } if context == "column `x` of type DECIMAL(5, 1)"),
            "{err}"
        );
        assert!(convert(&page(r#"{"type":"TINYINT","nullable":true}"#, "300")).is_err());
        assert!(
            convert(&page(
                r#"{"type":"DATE","nullable":true}"#,
                r#""2024-13-01""#
            ))
            .is_err()
        );
        assert!(convert(&page(r#"{"type":"INTEGER","nullable":false}"#, "null")).is_err());
        let wrong_kind = PAGE.replacen(r#""kind":"INSERT""#, r#""kind":"UPSERT""#, 1);
        assert!(convert(&wrong_kind).is_err());
        let short_row = r#"{"resultType":"PAYLOAD","results":{"columns":[{"name":"x","logicalType":{"type":"INTEGER","nullable":true}}],"data":[{"kind":"INSERT","fields":[]}]}}"#;
        assert!(convert(short_row).is_err());
    }

    #[test]
    fn unknown_types_keep_their_json() {
        let page = r#"{"resultType":"PAYLOAD","results":{"columns":[{"name":"v","logicalType":{"type":"VARIANT","nullable":true}}],"data":[{"kind":"INSERT","fields":[{"a":[1.50,"x"]}]},{"kind":"DELETE","fields":["s"]}]}}"#;
        let b = convert(page).unwrap();
        let v = b.batch.column(0).as_string::<i32>();
        assert_eq!((v.value(0), v.value(1)), (r#"{"a":[1.50,"x"]}"#, "s"));
        assert_eq!(b.kinds, [RowKind::Insert, RowKind::Delete]);
    }
}
