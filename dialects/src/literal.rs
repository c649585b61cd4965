//! Typed values printed as Flink SQL literals.
//!
//! Flink strings escape a quote by doubling it and know no backslash escapes, so a value holding
//! `'` or `\` is printed exactly as it must be read back. Bytes become `X'..'`, temporal values
//! typed literals (`DATE '…'`, `TIMESTAMP '…'`, `TIME '…'`), doubles carry an exponent so Flink
//! types them DOUBLE rather than DECIMAL.

use std::fmt::Write;

/// A value to print.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal<'a> {
    Null,
    Int(i64),
    UInt(u64),
    Float(f32),
    Double(f64),
    Text(&'a str),
    Bytes(&'a [u8]),
    /// Decimal text as the client sent it.
    Decimal(&'a str),
    Date { year: u16, month: u8, day: u8 },
    Timestamp { year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8, micros: u32 },
    Time { negative: bool, days: u32, hour: u8, minute: u8, second: u8, micros: u32 },
}

/// A value that has no Flink literal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LiteralError(pub String);

/// Prints `v` as a Flink SQL literal.
pub fn to_flink(v: &Literal<'_>) -> Result<String, LiteralError> {
    Ok(match v {
        Literal::Null => "NULL".to_string(),
        Literal::Int(i) if *i == i64::MIN => format!("CAST('{i}' AS BIGINT)"),
        Literal::Int(i) if i32::try_from(*i).is_ok() => i.to_string(),
        Literal::Int(i) => format!("CAST({i} AS BIGINT)"),
        Literal::UInt(u) if *u <= i32::MAX as u64 => u.to_string(),
        Literal::UInt(u) if *u <= i64::MAX as u64 => format!("CAST({u} AS BIGINT)"),
        // Above BIGINT a numeric literal is out of range in Flink: the value travels as text.
        Literal::UInt(u) => format!("CAST('{u}' AS DECIMAL(20, 0))"),
        Literal::Float(f) => float(f64::from(*f), "FLOAT"),
        Literal::Double(d) => float(*d, "DOUBLE"),
        Literal::Text(s) => quote(s),
        Literal::Bytes(b) => {
            let mut s = String::with_capacity(3 + b.len() * 2);
            s.push_str("X'");
            for byte in *b {
                let _ = write!(s, "{byte:02X}");
            }
            s.push('\'');
            s
        }
        Literal::Decimal(d) => {
            if is_decimal(d) {
                d.to_string()
            } else {
                return Err(LiteralError(format!("'{d}' is not a decimal number")));
            }
        }
        Literal::Date { year, month, day } => format!("DATE '{year:04}-{month:02}-{day:02}'"),
        Literal::Timestamp { year, month, day, hour, minute, second, micros } => {
            format!("TIMESTAMP '{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}{}'", fraction(*micros))
        }
        Literal::Time { negative, days, hour, minute, second, micros } => {
            if *negative || *days > 0 {
                return Err(LiteralError(format!(
                    "TIME value out of range for Flink (a time of day is 00:00:00 to 23:59:59): {}{} days {hour:02}:{minute:02}:{second:02}",
                    if *negative { "-" } else { "" },
                    days
                )));
            }
            format!("TIME '{hour:02}:{minute:02}:{second:02}{}'", fraction(*micros))
        }
    })
}

/// A string literal with quotes doubled.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn float(v: f64, ty: &str) -> String {
    if v.is_finite() {
        format!("CAST({v:e} AS {ty})")
    } else if v.is_nan() {
        format!("CAST('NaN' AS {ty})")
    } else if v > 0.0 {
        format!("CAST('Infinity' AS {ty})")
    } else {
        format!("CAST('-Infinity' AS {ty})")
    }
}

fn fraction(micros: u32) -> String {
    if micros == 0 {
        String::new()
    } else {
        let s = format!("{:06}", micros.min(999_999));
        format!(".{}", s.trim_end_matches('0'))
    }
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_double_quotes_and_keep_backslashes() {
        assert_eq!(to_flink(&Literal::Text("it's a \\ test")).unwrap(), "'it''s a \\ test'");
        assert_eq!(to_flink(&Literal::Text("")).unwrap(), "''");
    }

    #[test]
    fn numbers_keep_their_type() {
        assert_eq!(to_flink(&Literal::Int(3)).unwrap(), "3");
        assert_eq!(to_flink(&Literal::Int(1 << 40)).unwrap(), "CAST(1099511627776 AS BIGINT)");
        assert_eq!(to_flink(&Literal::Double(1.5)).unwrap(), "CAST(1.5e0 AS DOUBLE)");
        assert_eq!(to_flink(&Literal::Decimal("-12.50")).unwrap(), "-12.50");
        assert!(to_flink(&Literal::Decimal("1; DROP TABLE t")).is_err());
        assert_eq!(to_flink(&Literal::UInt(u64::MAX)).unwrap(), "CAST('18446744073709551615' AS DECIMAL(20, 0))");
    }

    #[test]
    fn bytes_and_temporals() {
        assert_eq!(to_flink(&Literal::Bytes(&[0, 0xAB])).unwrap(), "X'00AB'");
        assert_eq!(to_flink(&Literal::Date { year: 2024, month: 2, day: 29 }).unwrap(), "DATE '2024-02-29'");
        let ts = Literal::Timestamp { year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, micros: 120_000 };
        assert_eq!(to_flink(&ts).unwrap(), "TIMESTAMP '2024-01-02 03:04:05.12'");
        let t = Literal::Time { negative: true, days: 0, hour: 1, minute: 0, second: 0, micros: 0 };
        assert!(to_flink(&t).is_err());
    }
}
