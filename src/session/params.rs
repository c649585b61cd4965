//! Bound parameters of prepared statements, as Flink literals.

use weir_dialects::literal::{self, Literal};

use crate::error::WeirError;
use crate::protocol::ParamValue;

/// A bound parameter as a Flink literal.
pub fn literal(p: &ParamValue) -> Result<String, WeirError> {
    let lit = match p {
        ParamValue::Null => Literal::Null,
        ParamValue::Int(i) => Literal::Int(*i),
        ParamValue::UInt(u) => Literal::UInt(*u),
        ParamValue::Float(f) => Literal::Float(*f),
        ParamValue::Double(d) => Literal::Double(*d),
        ParamValue::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Literal::Text(s),
            Err(_) => Literal::Bytes(t),
        },
        ParamValue::Binary(b) => Literal::Bytes(b),
        ParamValue::Decimal(d) => Literal::Decimal(d),
        ParamValue::Date { year, month, day } => Literal::Date { year: *year, month: *month, day: *day },
        ParamValue::DateTime { year, month, day, hour, minute, second, micros } => Literal::Timestamp {
            year: *year,
            month: *month,
            day: *day,
            hour: *hour,
            minute: *minute,
            second: *second,
            micros: *micros,
        },
        ParamValue::Time { negative, days, hour, minute, second, micros } => Literal::Time {
            negative: *negative,
            days: *days,
            hour: *hour,
            minute: *minute,
            second: *second,
            micros: *micros,
        },
    };
    literal::to_flink(&lit).map_err(|e| WeirError::BadParameter(e.0))
}


