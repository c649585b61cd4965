//! Bound parameters of prepared statements, as Flink literals (a NULL typed for Flink by its
//! context: [`null_literal`]).

use weir_dialects::literal::{self, Literal};

use crate::error::WeirError;
use crate::protocol::{NullType, ParamValue};
use crate::statement::placeholders::Placeholder;

/// A bound parameter as a Flink literal.
pub fn literal(p: &ParamValue) -> Result<String, WeirError> {
    let lit = match p {
        ParamValue::Null | ParamValue::TypedNull(_) => Literal::Null,
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



/// The Flink text of a NULL bound to a placeholder of a statement for Flink. Flink refuses an
/// untyped `NULL` wherever it cannot derive its type ("Illegal use of 'NULL'": a `VALUES` item of
/// an `INSERT`, a select item, an operand of `+`), so it is typed, in this order of preference:
/// * by the sink column it fills (`sink_type`, from Flink's `DESCRIBE` of the `INSERT`'s table);
/// * by the type the client declared for it;
/// * left untyped as an operand of a comparison (`x = NULL`), where Flink types it from the other
///   side (and any cast could make the comparison invalid);
/// * else as `STRING`, the type Flink converts to most others.
pub fn null_literal(declared: Option<NullType>, context: &Placeholder, sink_type: Option<&str>) -> String {
    if let Some(t) = sink_type {
        return format!("CAST(NULL AS {t})");
    }
    if let Some(t) = declared {
        return format!("CAST(NULL AS {})", flink_type(t));
    }
    match context {
        Placeholder::Comparison => "NULL".to_string(),
        Placeholder::Sink { .. } | Placeholder::Other => "CAST(NULL AS STRING)".to_string(),
    }
}

/// The Flink type of a MySQL type family (unsigned integers widened to hold every value).
fn flink_type(t: NullType) -> &'static str {
    match t {
        NullType::Integer { bytes: 1, unsigned: false } => "TINYINT",
        NullType::Integer { bytes: 1, unsigned: true } | NullType::Integer { bytes: 2, unsigned: false } => "SMALLINT",
        NullType::Integer { bytes: 2, unsigned: true } | NullType::Integer { bytes: 4, unsigned: false } => "INT",
        NullType::Integer { bytes: 4, unsigned: true } => "BIGINT",
        NullType::Integer { unsigned: false, .. } => "BIGINT",
        NullType::Integer { unsigned: true, .. } => "DECIMAL(20, 0)",
        NullType::Float => "FLOAT",
        NullType::Double => "DOUBLE",
        NullType::Decimal => "DECIMAL(38, 10)",
        NullType::Text => "STRING",
        NullType::Binary => "BYTES",
        NullType::Date => "DATE",
        NullType::DateTime => "TIMESTAMP(6)",
        NullType::Time => "TIME(0)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_are_typed_by_sink_then_declaration_then_context() {
        let sink = Placeholder::Sink { table: vec!["t".into()], column: crate::statement::placeholders::SinkColumn::At(0) };
        assert_eq!(null_literal(Some(NullType::Text), &sink, Some("DECIMAL(10, 2)")), "CAST(NULL AS DECIMAL(10, 2))");
        assert_eq!(null_literal(Some(NullType::Integer { bytes: 8, unsigned: true }), &sink, None), "CAST(NULL AS DECIMAL(20, 0))");
        assert_eq!(null_literal(Some(NullType::DateTime), &Placeholder::Comparison, None), "CAST(NULL AS TIMESTAMP(6))");
        assert_eq!(null_literal(None, &Placeholder::Comparison, None), "NULL");
        assert_eq!(null_literal(None, &Placeholder::Other, None), "CAST(NULL AS STRING)");
    }

    #[test]
    fn values_are_flink_literals() {
        assert_eq!(literal(&ParamValue::Text(b"it's".to_vec())).unwrap(), "'it''s'");
        assert_eq!(literal(&ParamValue::Int(-3)).unwrap(), "-3");
    }
}
