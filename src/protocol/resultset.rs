//! Arrow record batches as MySQL result sets: column definitions (one table from Arrow types to
//! MySQL column types) and rows in the text and the binary protocol.
//!
//! Field metadata may refine a column: `flink.length` (characters of CHAR/VARCHAR/BINARY),
//! `flink.precision` (fractional seconds of TIME/TIMESTAMP), `flink.type` (a CHAR, not VARCHAR, when
//! it starts with `CHAR(`), `mysql.table`/`mysql.schema` (origin names for metadata results).

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, TimeUnit};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike};
use mysql_common::constants::{ColumnFlags, ColumnType};

use super::charset::Charset;
use super::wire::WriteExt;

const CHARSET_BINARY: u16 = 63;
const CHARSET_UTF8MB4: u16 = 255;

/// The MySQL description of one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMeta {
    pub name: String,
    pub table: String,
    pub schema: String,
    pub column_type: ColumnType,
    pub charset: u16,
    pub length: u32,
    pub flags: ColumnFlags,
    pub decimals: u8,
}

fn meta_u32(field: &Field, key: &str) -> Option<u32> {
    field.metadata().get(key).and_then(|v| v.parse().ok())
}

/// Fractional-second digits of a temporal column: from metadata, else from the Arrow unit.
fn fsp(field: &Field, unit: Option<&TimeUnit>) -> u8 {
    let from_unit = match unit {
        Some(TimeUnit::Second) => 0,
        Some(TimeUnit::Millisecond) => 3,
        Some(_) => 6,
        None => 0,
    };
    meta_u32(field, "flink.precision").map(|p| p.min(6) as u8).unwrap_or(from_unit)
}

/// The one table from Arrow types to MySQL column definitions.
pub fn column_meta(field: &Field) -> ColumnMeta {
    use ColumnType::*;
    let num = ColumnFlags::NUM_FLAG;
    let (column_type, charset, length, mut flags, decimals) = match field.data_type() {
        DataType::Null => (MYSQL_TYPE_NULL, CHARSET_BINARY, 0, ColumnFlags::BINARY_FLAG, 0),
        DataType::Boolean => (MYSQL_TYPE_TINY, CHARSET_BINARY, 1, num, 0),
        DataType::Int8 => (MYSQL_TYPE_TINY, CHARSET_BINARY, 4, num, 0),
        DataType::Int16 => (MYSQL_TYPE_SHORT, CHARSET_BINARY, 6, num, 0),
        DataType::Int32 => (MYSQL_TYPE_LONG, CHARSET_BINARY, 11, num, 0),
        DataType::Int64 => (MYSQL_TYPE_LONGLONG, CHARSET_BINARY, 20, num, 0),
        DataType::UInt8 => (MYSQL_TYPE_TINY, CHARSET_BINARY, 3, num | ColumnFlags::UNSIGNED_FLAG, 0),
        DataType::UInt16 => (MYSQL_TYPE_SHORT, CHARSET_BINARY, 5, num | ColumnFlags::UNSIGNED_FLAG, 0),
        DataType::UInt32 => (MYSQL_TYPE_LONG, CHARSET_BINARY, 10, num | ColumnFlags::UNSIGNED_FLAG, 0),
        DataType::UInt64 => (MYSQL_TYPE_LONGLONG, CHARSET_BINARY, 20, num | ColumnFlags::UNSIGNED_FLAG, 0),
        DataType::Float16 | DataType::Float32 => (MYSQL_TYPE_FLOAT, CHARSET_BINARY, 12, num, 31),
        DataType::Float64 => (MYSQL_TYPE_DOUBLE, CHARSET_BINARY, 22, num, 31),
        DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            let s = (*s).max(0) as u32;
            let len = u32::from(*p) + u32::from(s > 0) + 1;
            (MYSQL_TYPE_NEWDECIMAL, CHARSET_BINARY, len, num, s.min(30) as u8)
        }
        DataType::Date32 | DataType::Date64 => (MYSQL_TYPE_DATE, CHARSET_BINARY, 10, ColumnFlags::BINARY_FLAG, 0),
        DataType::Time32(u) | DataType::Time64(u) => {
            let d = fsp(field, Some(u));
            (MYSQL_TYPE_TIME, CHARSET_BINARY, 8 + u32::from(d > 0) + u32::from(d), ColumnFlags::BINARY_FLAG, d)
        }
        DataType::Timestamp(u, tz) => {
            let d = fsp(field, Some(u));
            // An instant (a zone, or the session's marking `mysql.type` = timestamp) is MySQL's
            // TIMESTAMP; a wall-clock date-time is its DATETIME.
            let instant = tz.is_some() || field.metadata().get("mysql.type").is_some_and(|t| t == "timestamp");
            let t = if instant { MYSQL_TYPE_TIMESTAMP } else { MYSQL_TYPE_DATETIME };
            (t, CHARSET_BINARY, 19 + u32::from(d > 0) + u32::from(d), ColumnFlags::BINARY_FLAG, d)
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            match meta_u32(field, "flink.length").filter(|&n| n <= 65_535) {
                Some(n) => (MYSQL_TYPE_VAR_STRING, CHARSET_BINARY, n, ColumnFlags::BINARY_FLAG, 0),
                None => (
                    MYSQL_TYPE_BLOB,
                    CHARSET_BINARY,
                    u32::MAX,
                    ColumnFlags::BINARY_FLAG | ColumnFlags::BLOB_FLAG,
                    0,
                ),
            }
        }
        // Strings, and everything rendered as text (nested types, intervals, unknown types).
        _ => {
            let is_char = field.metadata().get("flink.type").is_some_and(|t| t.starts_with("CHAR("));
            match meta_u32(field, "flink.length").filter(|&n| n <= 16_383) {
                Some(n) if is_char => (MYSQL_TYPE_STRING, CHARSET_UTF8MB4, n * 4, ColumnFlags::empty(), 0),
                Some(n) => (MYSQL_TYPE_VAR_STRING, CHARSET_UTF8MB4, n * 4, ColumnFlags::empty(), 0),
                None => (MYSQL_TYPE_BLOB, CHARSET_UTF8MB4, u32::MAX, ColumnFlags::BLOB_FLAG, 0),
            }
        }
    };
    if !field.is_nullable() {
        flags |= ColumnFlags::NOT_NULL_FLAG;
    }
    ColumnMeta {
        name: field.name().clone(),
        table: field.metadata().get("mysql.table").cloned().unwrap_or_default(),
        schema: field.metadata().get("mysql.schema").cloned().unwrap_or_default(),
        column_type,
        charset,
        length,
        flags,
        decimals,
    }
}

/// Encodes a ColumnDefinition41 packet, its names in the character set `cs` (the results').
pub fn column_definition(c: &ColumnMeta, cs: &Charset) -> Vec<u8> {
    let mut b = Vec::with_capacity(48 + c.name.len() * 2);
    b.put_lenenc_bytes(b"def");
    b.put_lenenc_bytes(&cs.encode(&c.schema));
    b.put_lenenc_bytes(&cs.encode(&c.table));
    b.put_lenenc_bytes(&cs.encode(&c.table));
    b.put_lenenc_bytes(&cs.encode(&c.name));
    b.put_lenenc_bytes(&cs.encode(&c.name));
    b.put_lenenc_int(0x0C);
    b.put_u16(c.charset);
    b.put_u32(c.length);
    b.put_u8(c.column_type as u8);
    b.put_u16(c.flags.bits());
    b.put_u8(c.decimals);
    b.put_u16(0);
    b
}

/// One value of a row, independent of the protocol it is written in.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    UInt(u64),
    Float(f32),
    Double(f64),
    /// Decimal text, already formatted.
    Decimal(String),
    Bytes(&'a [u8]),
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime, u8),
    /// Time of day (or a duration) in microseconds, and its fractional digits.
    Time(i64, u8),
}

/// Reads row `row` of `array`, whose column is described by `field`.
pub fn cell<'a>(field: &Field, array: &'a dyn Array, row: usize) -> Cell<'a> {
    if array.is_null(row) {
        return Cell::Null;
    }
    match array.data_type() {
        DataType::Null => Cell::Null,
        DataType::Boolean => Cell::Int(i64::from(array.as_boolean().value(row))),
        DataType::Int8 => Cell::Int(i64::from(array.as_primitive::<Int8Type>().value(row))),
        DataType::Int16 => Cell::Int(i64::from(array.as_primitive::<Int16Type>().value(row))),
        DataType::Int32 => Cell::Int(i64::from(array.as_primitive::<Int32Type>().value(row))),
        DataType::Int64 => Cell::Int(array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => Cell::UInt(u64::from(array.as_primitive::<UInt8Type>().value(row))),
        DataType::UInt16 => Cell::UInt(u64::from(array.as_primitive::<UInt16Type>().value(row))),
        DataType::UInt32 => Cell::UInt(u64::from(array.as_primitive::<UInt32Type>().value(row))),
        DataType::UInt64 => Cell::UInt(array.as_primitive::<UInt64Type>().value(row)),
        DataType::Float16 => Cell::Float(array.as_primitive::<Float16Type>().value(row).to_f32()),
        DataType::Float32 => Cell::Float(array.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => Cell::Double(array.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(_, s) => {
            Cell::Decimal(format_decimal(array.as_primitive::<Decimal128Type>().value(row), *s))
        }
        DataType::Decimal256(_, s) => {
            Cell::Decimal(format_decimal_text(&array.as_primitive::<Decimal256Type>().value(row).to_string(), *s))
        }
        DataType::Utf8 => Cell::Bytes(array.as_string::<i32>().value(row).as_bytes()),
        DataType::LargeUtf8 => Cell::Bytes(array.as_string::<i64>().value(row).as_bytes()),
        DataType::Utf8View => Cell::Bytes(array.as_string_view().value(row).as_bytes()),
        DataType::Binary => Cell::Bytes(array.as_binary::<i32>().value(row)),
        DataType::LargeBinary => Cell::Bytes(array.as_binary::<i64>().value(row)),
        DataType::BinaryView => Cell::Bytes(array.as_binary_view().value(row)),
        DataType::FixedSizeBinary(_) => Cell::Bytes(array.as_fixed_size_binary().value(row)),
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            match NaiveDate::from_num_days_from_ce_opt(days.saturating_add(719_163)) {
                Some(d) => Cell::Date(d),
                None => Cell::Text(format!("<date out of range: {days}>")),
            }
        }
        DataType::Date64 => {
            let ms = array.as_primitive::<Date64Type>().value(row);
            match DateTime::from_timestamp_millis(ms) {
                Some(d) => Cell::Date(d.date_naive()),
                None => Cell::Text(format!("<date out of range: {ms}>")),
            }
        }
        DataType::Time32(u) => {
            let v = i64::from(match u {
                TimeUnit::Second => array.as_primitive::<Time32SecondType>().value(row),
                _ => array.as_primitive::<Time32MillisecondType>().value(row),
            });
            let micros = if *u == TimeUnit::Second { v * 1_000_000 } else { v * 1_000 };
            Cell::Time(micros, fsp(field, Some(u)))
        }
        DataType::Time64(u) => {
            let micros = match u {
                TimeUnit::Nanosecond => array.as_primitive::<Time64NanosecondType>().value(row) / 1_000,
                _ => array.as_primitive::<Time64MicrosecondType>().value(row),
            };
            Cell::Time(micros, fsp(field, Some(u)))
        }
        DataType::Timestamp(u, _) => {
            let v = match u {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(row).checked_mul(1_000_000),
                TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().value(row).checked_mul(1_000),
                TimeUnit::Microsecond => Some(array.as_primitive::<TimestampMicrosecondType>().value(row)),
                TimeUnit::Nanosecond => Some(array.as_primitive::<TimestampNanosecondType>().value(row) / 1_000),
            };
            match v.and_then(DateTime::from_timestamp_micros) {
                Some(ts) => Cell::DateTime(ts.naive_utc(), fsp(field, Some(u))),
                None => Cell::Text("<timestamp out of range>".into()),
            }
        }
        DataType::Interval(arrow_schema::IntervalUnit::YearMonth) => {
            let months = array.as_primitive::<IntervalYearMonthType>().value(row);
            let sign = if months < 0 { '-' } else { '+' };
            let m = months.unsigned_abs();
            Cell::Text(format!("{sign}{}-{:02}", m / 12, m % 12))
        }
        DataType::Duration(u) => {
            let micros = match u {
                TimeUnit::Second => array.as_primitive::<DurationSecondType>().value(row).saturating_mul(1_000_000),
                TimeUnit::Millisecond => array.as_primitive::<DurationMillisecondType>().value(row).saturating_mul(1_000),
                TimeUnit::Microsecond => array.as_primitive::<DurationMicrosecondType>().value(row),
                TimeUnit::Nanosecond => array.as_primitive::<DurationNanosecondType>().value(row) / 1_000,
            };
            Cell::Text(format_day_time(micros, fsp(field, Some(u)).max(meta_u32(field, "flink.fractional_precision").unwrap_or(0).min(6) as u8)))
        }
        other => Cell::Text(format!("<unsupported Arrow type {other}>")),
    }
}

/// A day-time interval as Flink prints it: `+1 02:03:04.567`.
fn format_day_time(micros: i64, digits: u8) -> String {
    let sign = if micros < 0 { '-' } else { '+' };
    let m = micros.unsigned_abs();
    let secs = m / 1_000_000;
    let frac = (m % 1_000_000) as u32;
    format!(
        "{sign}{} {:02}:{:02}:{:02}{}",
        secs / 86_400,
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
        format_fraction(frac, digits)
    )
}

/// Formats an unscaled decimal with `scale` fractional digits.
pub fn format_decimal(unscaled: i128, scale: i8) -> String {
    format_decimal_text(&unscaled.to_string(), scale)
}

/// A decimal's text from its unscaled integer's text (`-1999`, scale 2 → `-19.99`).
fn format_decimal_text(unscaled: &str, scale: i8) -> String {
    if scale <= 0 {
        let mut s = unscaled.to_string();
        for _ in 0..(-i32::from(scale)) {
            s.push('0');
        }
        return s;
    }
    let scale = scale as usize;
    let (neg, digits) = match unscaled.strip_prefix('-') {
        Some(d) => (true, d.to_string()),
        None => (false, unscaled.to_string()),
    };
    let digits = if digits.len() <= scale { format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits) } else { digits };
    let (int, frac) = digits.split_at(digits.len() - scale);
    format!("{}{int}.{frac}", if neg { "-" } else { "" })
}

fn format_fraction(micros: u32, digits: u8) -> String {
    if digits == 0 {
        return String::new();
    }
    let s = format!("{micros:06}");
    format!(".{}", &s[..usize::from(digits.min(6))])
}

/// Appends a cell in the text protocol.
pub fn put_text(out: &mut Vec<u8>, c: &Cell<'_>) {
    match c {
        Cell::Null => out.push(0xFB),
        Cell::Int(v) => out.put_lenenc_bytes(v.to_string().as_bytes()),
        Cell::UInt(v) => out.put_lenenc_bytes(v.to_string().as_bytes()),
        Cell::Float(v) => out.put_lenenc_bytes(v.to_string().as_bytes()),
        Cell::Double(v) => out.put_lenenc_bytes(v.to_string().as_bytes()),
        Cell::Decimal(s) | Cell::Text(s) => out.put_lenenc_bytes(s.as_bytes()),
        Cell::Bytes(b) => out.put_lenenc_bytes(b),
        Cell::Date(d) => out.put_lenenc_bytes(d.format("%Y-%m-%d").to_string().as_bytes()),
        Cell::DateTime(dt, d) => {
            let s = format!("{}{}", dt.format("%Y-%m-%d %H:%M:%S"), format_fraction(dt.nanosecond() / 1_000, *d));
            out.put_lenenc_bytes(s.as_bytes())
        }
        Cell::Time(micros, d) => out.put_lenenc_bytes(format_time(*micros, *d).as_bytes()),
    }
}

fn format_time(micros: i64, digits: u8) -> String {
    let neg = micros < 0;
    let m = micros.unsigned_abs();
    let secs = m / 1_000_000;
    let frac = (m % 1_000_000) as u32;
    format!(
        "{}{:02}:{:02}:{:02}{}",
        if neg { "-" } else { "" },
        secs / 3600,
        (secs / 60) % 60,
        secs % 60,
        format_fraction(frac, digits)
    )
}

/// Appends a cell in the binary protocol, as the column type `t` declared in its definition.
/// NULLs are not written here (they live in the row's NULL bitmap).
pub fn put_binary(out: &mut Vec<u8>, t: ColumnType, c: &Cell<'_>) {
    use ColumnType::*;
    match (t, c) {
        (_, Cell::Null) => {}
        (MYSQL_TYPE_TINY, Cell::Int(v)) => out.put_u8(*v as u8),
        (MYSQL_TYPE_TINY, Cell::UInt(v)) => out.put_u8(*v as u8),
        (MYSQL_TYPE_SHORT, Cell::Int(v)) => out.put_u16(*v as u16),
        (MYSQL_TYPE_SHORT, Cell::UInt(v)) => out.put_u16(*v as u16),
        (MYSQL_TYPE_LONG, Cell::Int(v)) => out.put_u32(*v as u32),
        (MYSQL_TYPE_LONG, Cell::UInt(v)) => out.put_u32(*v as u32),
        (MYSQL_TYPE_LONGLONG, Cell::Int(v)) => out.put_u64(*v as u64),
        (MYSQL_TYPE_LONGLONG, Cell::UInt(v)) => out.put_u64(*v),
        (MYSQL_TYPE_FLOAT, Cell::Float(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (MYSQL_TYPE_DOUBLE, Cell::Double(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (MYSQL_TYPE_DATE, Cell::Date(d)) => put_binary_datetime(out, d.and_hms_opt(0, 0, 0), 0, true),
        (MYSQL_TYPE_DATETIME | MYSQL_TYPE_TIMESTAMP, Cell::DateTime(dt, _)) => {
            put_binary_datetime(out, Some(*dt), dt.nanosecond() / 1_000, false)
        }
        (MYSQL_TYPE_TIME, Cell::Time(micros, _)) => {
            let neg = *micros < 0;
            let m = micros.unsigned_abs();
            let secs = m / 1_000_000;
            let frac = (m % 1_000_000) as u32;
            if secs == 0 && frac == 0 {
                out.put_u8(0);
                return;
            }
            out.put_u8(if frac > 0 { 12 } else { 8 });
            out.put_u8(u8::from(neg));
            out.put_u32((secs / 86_400) as u32);
            out.put_u8(((secs / 3600) % 24) as u8);
            out.put_u8(((secs / 60) % 60) as u8);
            out.put_u8((secs % 60) as u8);
            if frac > 0 {
                out.put_u32(frac);
            }
        }
        // Everything else travels as a length-encoded string, exactly like its text form.
        (_, other) => {
            let mut tmp = Vec::new();
            put_text(&mut tmp, other);
            out.extend_from_slice(&tmp);
        }
    }
}

fn put_binary_datetime(out: &mut Vec<u8>, dt: Option<NaiveDateTime>, micros: u32, date_only: bool) {
    use chrono::Datelike;
    let Some(dt) = dt else {
        out.put_u8(0);
        return;
    };
    let len = if date_only {
        4
    } else if micros > 0 {
        11
    } else {
        7
    };
    out.put_u8(len);
    out.put_u16(dt.year().clamp(0, 9999) as u16);
    out.put_u8(dt.month() as u8);
    out.put_u8(dt.day() as u8);
    if len >= 7 {
        out.put_u8(dt.hour() as u8);
        out.put_u8(dt.minute() as u8);
        out.put_u8(dt.second() as u8);
    }
    if len == 11 {
        out.put_u32(micros);
    }
}

/// Which columns of `batch` hold text to encode into `cs` (none when `cs` is UTF-8 itself).
fn text_columns(batch: &RecordBatch, cs: &Charset) -> Vec<bool> {
    let binary = |t: &DataType| matches!(t, DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_));
    batch.schema().fields().iter().map(|f| cs.converts() && !binary(f.data_type())).collect()
}

/// Passes `c` to `put`, its text first encoded into `cs` when `text`.
fn with_encoded(c: &Cell<'_>, text: bool, cs: &Charset, put: impl FnOnce(&Cell<'_>)) {
    let s = match c {
        Cell::Bytes(b) if text => std::str::from_utf8(b).ok(),
        Cell::Text(s) if text => Some(s.as_str()),
        _ => None,
    };
    match s {
        Some(s) => put(&Cell::Bytes(&cs.encode(s))),
        None => put(c),
    }
}

/// Encodes every row of `batch` as text-protocol row packets, calling `emit` for each; text is
/// encoded into `cs` (the results' character set).
pub fn text_rows(batch: &RecordBatch, cs: &Charset, mut emit: impl FnMut(&[u8])) {
    let schema = batch.schema();
    let text = text_columns(batch, cs);
    let mut row_buf = Vec::with_capacity(256);
    for row in 0..batch.num_rows() {
        row_buf.clear();
        for (i, col) in batch.columns().iter().enumerate() {
            with_encoded(&cell(schema.field(i), col.as_ref(), row), text[i], cs, |c| put_text(&mut row_buf, c));
        }
        emit(&row_buf);
    }
}

/// Encodes every row of `batch` as binary-protocol row packets; text is encoded into `cs`.
pub fn binary_rows(batch: &RecordBatch, columns: &[ColumnMeta], cs: &Charset, mut emit: impl FnMut(&[u8])) {
    let schema = batch.schema();
    let text = text_columns(batch, cs);
    let n = batch.num_columns();
    let bitmap_len = (n + 7 + 2) / 8;
    let mut row_buf = Vec::with_capacity(256);
    for row in 0..batch.num_rows() {
        row_buf.clear();
        row_buf.push(0x00);
        let bitmap_at = row_buf.len();
        row_buf.resize(bitmap_at + bitmap_len, 0);
        for (i, col) in batch.columns().iter().enumerate() {
            let c = cell(schema.field(i), col.as_ref(), row);
            if c == Cell::Null {
                let bit = i + 2;
                row_buf[bitmap_at + bit / 8] |= 1 << (bit % 8);
            } else {
                with_encoded(&c, text[i], cs, |c| put_binary(&mut row_buf, columns[i].column_type, c));
            }
        }
        emit(&row_buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow_array::{Decimal128Array, Int64Array, StringArray, TimestampMicrosecondArray};
    use arrow_schema::Schema;

    #[test]
    fn decimals_format_with_their_scale() {
        assert_eq!(format_decimal(12345, 2), "123.45");
        assert_eq!(format_decimal(-5, 3), "-0.005");
        assert_eq!(format_decimal(7, 0), "7");
        assert_eq!(format_decimal(0, 2), "0.00");
    }

    #[test]
    fn times_keep_sign_and_fraction() {
        assert_eq!(format_time(3_723_000_500, 6), "01:02:03.000500");
        assert_eq!(format_time(-1_000_000, 0), "-00:00:01");
    }

    #[test]
    fn intervals_print_like_flink() {
        assert_eq!(format_day_time(93_784_567_000, 3), "+1 02:03:04.567");
        assert_eq!(format_day_time(-1_000_000, 0), "-0 00:00:01");
        let f = Field::new("i", DataType::Interval(arrow_schema::IntervalUnit::YearMonth), true);
        let a = arrow_array::IntervalYearMonthArray::from(vec![27]);
        assert_eq!(cell(&f, &a, 0), Cell::Text("+2-03".into()));
    }

    #[test]
    fn text_rows_render_typed_values() {
        let mut md = std::collections::HashMap::new();
        md.insert("flink.precision".to_string(), "3".to_string());
        let schema = Arc::new(Schema::new(vec![
            Field::new("n", DataType::Int64, false),
            Field::new("s", DataType::Utf8, true),
            Field::new("d", DataType::Decimal128(10, 2), true),
            Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, None), true).with_metadata(md),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![42])),
                Arc::new(StringArray::from(vec![None::<&str>])),
                Arc::new(Decimal128Array::from(vec![1999]).with_precision_and_scale(10, 2).unwrap()),
                Arc::new(TimestampMicrosecondArray::from(vec![1_700_000_000_123_456])),
            ],
        )
        .unwrap();
        let mut rows = Vec::new();
        text_rows(&batch, crate::protocol::charset::default_charset(), |r| rows.push(r.to_vec()));
        let mut expected = Vec::new();
        expected.put_lenenc_bytes(b"42");
        expected.push(0xFB);
        expected.put_lenenc_bytes(b"19.99");
        expected.put_lenenc_bytes(b"2023-11-14 22:13:20.123");
        assert_eq!(rows, vec![expected]);

        let ts = column_meta(schema.field(3));
        assert_eq!((ts.column_type, ts.decimals), (ColumnType::MYSQL_TYPE_DATETIME, 3));
        let n = column_meta(schema.field(0));
        assert!(n.flags.contains(ColumnFlags::NOT_NULL_FLAG));
    }

    #[test]
    fn binary_rows_set_the_null_bitmap() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Int64, true),
            Field::new("b", DataType::Int64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(Int64Array::from(vec![None])), Arc::new(Int64Array::from(vec![Some(5)]))],
        )
        .unwrap();
        let cols: Vec<_> = schema.fields().iter().map(|f| column_meta(f)).collect();
        let mut rows = Vec::new();
        binary_rows(&batch, &cols, crate::protocol::charset::default_charset(), |r| rows.push(r.to_vec()));
        assert_eq!(rows[0][0], 0x00);
        assert_eq!(rows[0][1], 0b0000_0100);
        assert_eq!(&rows[0][2..], &5u64.to_le_bytes());
    }
}
