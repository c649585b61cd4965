//! The binary protocol's statement packets: COM_STMT_PREPARE's answer, and the parameters of
//! COM_STMT_EXECUTE (with COM_STMT_SEND_LONG_DATA pieces).

use std::collections::HashMap;

use mysql_common::constants::ColumnType;

use super::charset::Charset;
use super::error::{MySqlError, codes};
use super::wire::{Malformed, Reader, WriteExt};

/// A bound parameter value as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Null,
    Int(i64),
    UInt(u64),
    Float(f32),
    Double(f64),
    /// Text sent as a string type.
    Text(Vec<u8>),
    /// Bytes sent as a BLOB type (or text that is not UTF-8).
    Binary(Vec<u8>),
    /// A DECIMAL sent as its text.
    Decimal(String),
    Date { year: u16, month: u8, day: u8 },
    DateTime { year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8, micros: u32 },
    Time { negative: bool, days: u32, hour: u8, minute: u8, second: u8, micros: u32 },
    /// NULL bound with a declared type (the C API's `is_null` with a `buffer_type`); a NULL
    /// declared as MYSQL_TYPE_NULL, as most drivers send it, is [`ParamValue::Null`].
    TypedNull(NullType),
}

/// The declared type of a NULL parameter, by MySQL's type families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullType {
    /// TINY (1 byte), SHORT and YEAR (2), LONG and INT24 (4), LONGLONG (8).
    Integer { bytes: u8, unsigned: bool },
    Float,
    Double,
    Decimal,
    /// String types (VARCHAR, VAR_STRING, STRING, ENUM, SET, JSON).
    Text,
    /// BLOB types, BIT and GEOMETRY.
    Binary,
    Date,
    /// DATETIME and TIMESTAMP.
    DateTime,
    Time,
}

impl NullType {
    /// The family of MySQL type code `t` (`None`: MYSQL_TYPE_NULL or an unknown code).
    fn of(t: u8, unsigned: bool) -> Option<NullType> {
        use ColumnType::*;
        let is = |c: ColumnType| c as u8 == t;
        Some(if is(MYSQL_TYPE_TINY) {
            NullType::Integer { bytes: 1, unsigned }
        } else if is(MYSQL_TYPE_SHORT) || is(MYSQL_TYPE_YEAR) {
            NullType::Integer { bytes: 2, unsigned }
        } else if is(MYSQL_TYPE_LONG) || is(MYSQL_TYPE_INT24) {
            NullType::Integer { bytes: 4, unsigned }
        } else if is(MYSQL_TYPE_LONGLONG) {
            NullType::Integer { bytes: 8, unsigned }
        } else if is(MYSQL_TYPE_FLOAT) {
            NullType::Float
        } else if is(MYSQL_TYPE_DOUBLE) {
            NullType::Double
        } else if is(MYSQL_TYPE_DECIMAL) || is(MYSQL_TYPE_NEWDECIMAL) {
            NullType::Decimal
        } else if is(MYSQL_TYPE_DATE) || is(MYSQL_TYPE_NEWDATE) {
            NullType::Date
        } else if is(MYSQL_TYPE_DATETIME) || is(MYSQL_TYPE_TIMESTAMP) || is(MYSQL_TYPE_DATETIME2) || is(MYSQL_TYPE_TIMESTAMP2) {
            NullType::DateTime
        } else if is(MYSQL_TYPE_TIME) || is(MYSQL_TYPE_TIME2) {
            NullType::Time
        } else if is_blob(t) || is(MYSQL_TYPE_BIT) {
            NullType::Binary
        } else if [MYSQL_TYPE_VARCHAR, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_STRING, MYSQL_TYPE_ENUM, MYSQL_TYPE_SET, MYSQL_TYPE_JSON].into_iter().any(is) {
            NullType::Text
        } else {
            return None;
        })
    }
}

/// Per-statement state the protocol keeps between COM_STMT_EXECUTEs.
#[derive(Debug, Default)]
pub struct StmtState {
    pub num_params: u16,
    /// Parameter types from the last execute that bound them: (type, unsigned).
    pub types: Vec<(u8, bool)>,
    /// COM_STMT_SEND_LONG_DATA pieces, per parameter index.
    pub long_data: HashMap<u16, Vec<u8>>,
    /// A piece the statement could not take (a parameter it does not have, more than
    /// `max_allowed_packet` bytes): COM_STMT_SEND_LONG_DATA has no reply, so every execute
    /// answers this error until COM_STMT_RESET, as in MySQL.
    pub long_data_error: Option<MySqlError>,
}

impl StmtState {
    /// Appends a COM_STMT_SEND_LONG_DATA piece for parameter `param`; a parameter's data is
    /// bounded by `limit` (max_allowed_packet).
    pub fn add_long_data(&mut self, param: u16, data: &[u8], limit: usize) {
        if self.long_data_error.is_some() {
            return;
        }
        if param >= self.num_params {
            self.long_data.clear();
            self.long_data_error =
                Some(MySqlError::new(codes::ER_WRONG_ARGUMENTS, "Incorrect arguments to mysqld_stmt_send_long_data"));
            return;
        }
        let piece = self.long_data.entry(param).or_default();
        if piece.len().saturating_add(data.len()) > limit {
            self.long_data.clear();
            self.long_data_error = Some(MySqlError::new(
                codes::ER_UNKNOWN_ERROR,
                "Parameter of prepared statement which is set through mysql_send_long_data() is longer than 'max_allowed_packet' bytes",
            ));
            return;
        }
        piece.extend_from_slice(data);
    }

    /// COM_STMT_RESET: the long data and its error are gone.
    pub fn reset(&mut self) {
        self.long_data.clear();
        self.long_data_error = None;
    }
}

/// The fixed part of a COM_STMT_EXECUTE.
pub struct ExecuteHeader {
    pub stmt_id: u32,
    pub flags: u8,
}

pub fn parse_execute_header(r: &mut Reader<'_>) -> Result<ExecuteHeader, Malformed> {
    let stmt_id = r.u32("statement id")?;
    let flags = r.u8("cursor flags")?;
    let _iterations = r.u32("iteration count")?;
    Ok(ExecuteHeader { stmt_id, flags })
}

/// Reads the parameters of a COM_STMT_EXECUTE after its header. Unknown type codes are errors.
pub fn parse_params(r: &mut Reader<'_>, state: &mut StmtState) -> Result<Vec<ParamValue>, Malformed> {
    let n = usize::from(state.num_params);
    if n == 0 {
        return Ok(Vec::new());
    }
    let bitmap = r.take(n.div_ceil(8), "null bitmap")?.to_vec();
    let new_bound = r.u8("new-params-bound flag")?;
    if new_bound == 1 {
        let mut types = Vec::with_capacity(n);
        for _ in 0..n {
            let t = r.u8("parameter type")?;
            let f = r.u8("parameter flags")?;
            types.push((t, f & 0x80 != 0));
        }
        state.types = types;
    }
    // Types are sent when they change: Connector/J binding only NULLs (`setNull`) sends none on
    // its first execute, and MySQL needs none for a NULL.
    let unbound = state.types.len() != n;
    let mut values = Vec::with_capacity(n);
    for i in 0..n {
        if bitmap[i / 8] & (1 << (i % 8)) != 0 {
            let declared = state.types.get(i).and_then(|&(t, unsigned)| NullType::of(t, unsigned));
            values.push(declared.map_or(ParamValue::Null, ParamValue::TypedNull));
            continue;
        }
        if unbound {
            return Err(Malformed("parameters were never bound"));
        }
        if let Some(data) = state.long_data.remove(&(i as u16)) {
            let (t, _) = state.types[i];
            values.push(bytes_value(t, data));
            continue;
        }
        let (t, unsigned) = state.types[i];
        values.push(read_value(r, t, unsigned)?);
    }
    state.long_data.clear();
    Ok(values)
}

fn is_blob(t: u8) -> bool {
    use ColumnType::*;
    [MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB, MYSQL_TYPE_GEOMETRY]
        .iter()
        .any(|b| *b as u8 == t)
}

fn bytes_value(t: u8, data: Vec<u8>) -> ParamValue {
    if (t == ColumnType::MYSQL_TYPE_NEWDECIMAL as u8 || t == ColumnType::MYSQL_TYPE_DECIMAL as u8)
        && let Ok(s) = String::from_utf8(data.clone()) {
            return ParamValue::Decimal(s);
        }
    // A string type stays text whatever its bytes: they are in the client's character set,
    // which only the connection knows ([`in_client_charset`]).
    if is_blob(t) { ParamValue::Binary(data) } else { ParamValue::Text(data) }
}

/// A bound value as the session reads it: text sent in the connection's client character set
/// becomes UTF-8; text that is not valid in it stays bytes (bound as a binary string).
pub fn in_client_charset(p: ParamValue, client: &Charset) -> ParamValue {
    match p {
        ParamValue::Text(bytes) => match client.decode(&bytes) {
            Ok(std::borrow::Cow::Borrowed(_)) => ParamValue::Text(bytes),
            Ok(std::borrow::Cow::Owned(s)) => ParamValue::Text(s.into_bytes()),
            Err(_) => ParamValue::Binary(bytes),
        },
        other => other,
    }
}

fn read_value(r: &mut Reader<'_>, t: u8, unsigned: bool) -> Result<ParamValue, Malformed> {
    use ColumnType::*;
    const TINY: u8 = MYSQL_TYPE_TINY as u8;
    const SHORT: u8 = MYSQL_TYPE_SHORT as u8;
    const YEAR: u8 = MYSQL_TYPE_YEAR as u8;
    const LONG: u8 = MYSQL_TYPE_LONG as u8;
    const INT24: u8 = MYSQL_TYPE_INT24 as u8;
    const LONGLONG: u8 = MYSQL_TYPE_LONGLONG as u8;
    const FLOAT: u8 = MYSQL_TYPE_FLOAT as u8;
    const DOUBLE: u8 = MYSQL_TYPE_DOUBLE as u8;
    const NULL: u8 = MYSQL_TYPE_NULL as u8;
    const DATE: u8 = MYSQL_TYPE_DATE as u8;
    const DATETIME: u8 = MYSQL_TYPE_DATETIME as u8;
    const TIMESTAMP: u8 = MYSQL_TYPE_TIMESTAMP as u8;
    const TIME: u8 = MYSQL_TYPE_TIME as u8;
    const BYTES: [u8; 14] = [
        MYSQL_TYPE_DECIMAL as u8,
        MYSQL_TYPE_NEWDECIMAL as u8,
        MYSQL_TYPE_VARCHAR as u8,
        MYSQL_TYPE_BIT as u8,
        MYSQL_TYPE_JSON as u8,
        MYSQL_TYPE_ENUM as u8,
        MYSQL_TYPE_SET as u8,
        MYSQL_TYPE_TINY_BLOB as u8,
        MYSQL_TYPE_MEDIUM_BLOB as u8,
        MYSQL_TYPE_LONG_BLOB as u8,
        MYSQL_TYPE_BLOB as u8,
        MYSQL_TYPE_VAR_STRING as u8,
        MYSQL_TYPE_STRING as u8,
        MYSQL_TYPE_GEOMETRY as u8,
    ];
    Ok(match t {
        NULL => ParamValue::Null,
        TINY => {
            let v = r.u8("TINY parameter")?;
            if unsigned { ParamValue::UInt(u64::from(v)) } else { ParamValue::Int(i64::from(v as i8)) }
        }
        SHORT | YEAR => {
            let v = r.u16("SHORT parameter")?;
            if unsigned { ParamValue::UInt(u64::from(v)) } else { ParamValue::Int(i64::from(v as i16)) }
        }
        LONG | INT24 => {
            let v = r.u32("LONG parameter")?;
            if unsigned { ParamValue::UInt(u64::from(v)) } else { ParamValue::Int(i64::from(v as i32)) }
        }
        LONGLONG => {
            let v = r.u64("LONGLONG parameter")?;
            if unsigned { ParamValue::UInt(v) } else { ParamValue::Int(v as i64) }
        }
        FLOAT => ParamValue::Float(f32::from_bits(r.u32("FLOAT parameter")?)),
        DOUBLE => ParamValue::Double(f64::from_bits(r.u64("DOUBLE parameter")?)),
        DATE | DATETIME | TIMESTAMP => {
            let len = r.u8("date length")?;
            let body = r.take(usize::from(len), "date value")?;
            let mut b = Reader::new(body);
            let (year, month, day) = if len >= 4 {
                (b.u16("year")?, b.u8("month")?, b.u8("day")?)
            } else {
                (0, 0, 0)
            };
            let (hour, minute, second) = if len >= 7 { (b.u8("hour")?, b.u8("minute")?, b.u8("second")?) } else { (0, 0, 0) };
            let micros = if len >= 11 { b.u32("microseconds")? } else { 0 };
            if t == DATE {
                ParamValue::Date { year, month, day }
            } else {
                ParamValue::DateTime { year, month, day, hour, minute, second, micros }
            }
        }
        TIME => {
            let len = r.u8("time length")?;
            let body = r.take(usize::from(len), "time value")?;
            let mut b = Reader::new(body);
            if len == 0 {
                ParamValue::Time { negative: false, days: 0, hour: 0, minute: 0, second: 0, micros: 0 }
            } else {
                let negative = b.u8("sign")? == 1;
                let days = b.u32("days")?;
                let (hour, minute, second) = (b.u8("hour")?, b.u8("minute")?, b.u8("second")?);
                let micros = if len >= 12 { b.u32("microseconds")? } else { 0 };
                ParamValue::Time { negative, days, hour, minute, second, micros }
            }
        }
        t if BYTES.contains(&t) => bytes_value(t, r.lenenc_bytes("string parameter")?.to_vec()),
        _ => return Err(Malformed("unknown parameter type")),
    })
}

/// COM_STMT_PREPARE_OK's first packet.
pub fn prepare_ok(stmt_id: u32, num_columns: u16, num_params: u16, warnings: u16) -> Vec<u8> {
    let mut b = Vec::with_capacity(12);
    b.put_u8(0x00);
    b.put_u32(stmt_id);
    b.put_u16(num_columns);
    b.put_u16(num_params);
    b.put_u8(0);
    b.put_u16(warnings);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn execute_body(types: &[(u8, u8)], nulls: u8, values: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.push(nulls);
        b.push(1);
        for (t, f) in types {
            b.push(*t);
            b.push(*f);
        }
        b.extend_from_slice(values);
        b
    }

    #[test]
    fn reads_typed_parameters_and_nulls() {
        let mut state = StmtState { num_params: 3, ..Default::default() };
        let mut values = Vec::new();
        values.put_u64(7);
        values.put_lenenc_bytes(b"it's \\ x");
        let body = execute_body(
            &[(ColumnType::MYSQL_TYPE_LONGLONG as u8, 0), (ColumnType::MYSQL_TYPE_VAR_STRING as u8, 0), (ColumnType::MYSQL_TYPE_LONG as u8, 0)],
            0b100,
            &values,
        );
        let got = parse_params(&mut Reader::new(&body), &mut state).unwrap();
        assert_eq!(
            got,
            vec![ParamValue::Int(7), ParamValue::Text(b"it's \\ x".to_vec()), ParamValue::TypedNull(NullType::Integer { bytes: 4, unsigned: false })]
        );
        let body = execute_body(&[(ColumnType::MYSQL_TYPE_NULL as u8, 0), (ColumnType::MYSQL_TYPE_VAR_STRING as u8, 0), (ColumnType::MYSQL_TYPE_DATETIME as u8, 0)], 0b111, &[]);
        let got = parse_params(&mut Reader::new(&body), &mut state).unwrap();
        assert_eq!(got, vec![ParamValue::Null, ParamValue::TypedNull(NullType::Text), ParamValue::TypedNull(NullType::DateTime)]);
    }

    #[test]
    fn unknown_types_and_truncation_are_errors() {
        let mut state = StmtState { num_params: 1, ..Default::default() };
        let body = execute_body(&[(0x77, 0)], 0, &[1, 2, 3]);
        assert!(parse_params(&mut Reader::new(&body), &mut state).is_err());
        let mut state = StmtState { num_params: 1, ..Default::default() };
        let body = execute_body(&[(ColumnType::MYSQL_TYPE_LONGLONG as u8, 0)], 0, &[1, 2]);
        assert!(parse_params(&mut Reader::new(&body), &mut state).is_err());
    }

    #[test]
    fn nulls_need_no_types_but_values_do() {
        // Connector/J's first execute after `setNull` on every parameter: no types sent.
        let mut state = StmtState { num_params: 2, ..Default::default() };
        let body = [0b11, 0];
        assert_eq!(parse_params(&mut Reader::new(&body), &mut state).unwrap(), vec![ParamValue::Null, ParamValue::Null]);
        let body = [0b01, 0, 7, 0, 0, 0, 0, 0, 0, 0];
        assert!(parse_params(&mut Reader::new(&body), &mut state).is_err(), "a value needs its type");
    }

    #[test]
    fn long_data_is_bounded_and_its_errors_wait_for_execute() {
        let mut state = StmtState { num_params: 2, ..Default::default() };
        state.add_long_data(0, &[1; 60], 100);
        state.add_long_data(0, &[2; 40], 100);
        assert_eq!(state.long_data[&0].len(), 100, "up to the limit");
        assert!(state.long_data_error.is_none());
        state.add_long_data(0, &[3], 100);
        assert_eq!(state.long_data_error.as_ref().map(|e| e.code), Some(1105), "one byte more");
        assert!(state.long_data.is_empty(), "the data is dropped at once");
        state.add_long_data(1, &[4; 10], 100);
        assert!(state.long_data.is_empty(), "nothing more is kept until COM_STMT_RESET");
        state.reset();
        assert!(state.long_data_error.is_none());
        state.add_long_data(7, &[5; 10], 100);
        assert_eq!(state.long_data_error.as_ref().map(|e| e.code), Some(1210), "a parameter the statement lacks");
        assert!(state.long_data.is_empty());
    }

    #[test]
    fn long_data_replaces_the_inline_value() {
        let mut state = StmtState { num_params: 1, ..Default::default() };
        state.long_data.insert(0, vec![0xFF, 0x00]);
        let body = execute_body(&[(ColumnType::MYSQL_TYPE_BLOB as u8, 0)], 0, &[]);
        let got = parse_params(&mut Reader::new(&body), &mut state).unwrap();
        assert_eq!(got, vec![ParamValue::Binary(vec![0xFF, 0x00])]);
    }
}
