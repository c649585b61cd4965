//! Parsers for the text of single JSON values as Flink's JSON row format writes them
//! (`RowDataToJsonConverters` with ISO-8601 timestamps), each returning `None` for text it does
//! not accept.

use base64::Engine as _;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The unscaled value of decimal `text` at `scale`, exactly: `"-1.5"` at scale 2 is `-150`.
///
/// Flink strips trailing zeros, so the text may use an exponent (`"1E+10"`, `"1E+2"`) and has at
/// most `scale` fractional digits; text that would need rounding or overflows `i128` is refused.
pub fn decimal(text: &str, scale: i8) -> Option<i128> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], unsigned[i + 1..].parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // value = digits × 10^(exponent − |frac|); unscaled = value × 10^scale.
    let digits = format!("{int}{frac}");
    let shift = exponent
        .checked_sub(i32::try_from(frac.len()).ok()?)?
        .checked_add(i32::from(scale))?;
    let digits = digits.trim_start_matches('0');
    let kept = if shift >= 0 {
        digits
    } else {
        let cut = usize::try_from(shift.unsigned_abs()).ok()?;
        let (kept, dropped) = digits.split_at(digits.len().saturating_sub(cut));
        if dropped.bytes().any(|b| b != b'0') {
            return None;
        }
        kept
    };
    let mut unscaled: i128 = if kept.is_empty() {
        0
    } else {
        kept.parse().ok()?
    };
    if shift > 0 && unscaled != 0 {
        unscaled = unscaled.checked_mul(10i128.checked_pow(shift.unsigned_abs())?)?;
    }
    Some(if negative { -unscaled } else { unscaled })
}

/// A DOUBLE or FLOAT: a JSON number, or Jackson's quoted `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn float(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// Days since 1970-01-01 of `"2024-02-29"`.
pub fn date(text: &str) -> Option<i32> {
    let d: NaiveDate = text.parse().ok()?;
    Some(d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE)
}

/// Microseconds since midnight of `"12:34:56"` or `"12:34:56.789"`.
pub fn time(text: &str) -> Option<i64> {
    let t: NaiveTime = text.parse().ok()?;
    Some(i64::from(t.num_seconds_from_midnight()) * 1_000_000 + i64::from(t.nanosecond() / 1_000))
}

/// Microseconds since 1970-01-01T00:00:00 of the wall-clock time `"2024-01-02T03:04:05.123456"`
/// (also with a space for the `T`, or a trailing `Z` as TIMESTAMP_LTZ values have); digits past
/// the sixth fractional one are truncated.
pub fn timestamp(text: &str) -> Option<i64> {
    let text = text.strip_suffix('Z').unwrap_or(text);
    let ts: NaiveDateTime = text.replacen(' ', "T", 1).parse().ok()?;
    Some(ts.and_utc().timestamp_micros())
}

/// The bytes of a base64 (standard alphabet, padded) BINARY or VARBINARY value.
pub fn binary(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(
            decimal("1234567890123456789012345678.1234567891", 10),
            Some(12345678901234567890123456781234567891)
        );
        assert_eq!(decimal("0", 10), Some(0));
        assert_eq!(decimal("-1.5", 2), Some(-150));
        assert_eq!(decimal("1E+10", 0), Some(10_000_000_000));
        assert_eq!(decimal("1E+2", 0), Some(100));
        assert_eq!(decimal("0.00001", 8), Some(1000));
        assert_eq!(decimal("1.50", 1), Some(15));
        assert_eq!(decimal("1.2E-3", 4), Some(12));
        assert_eq!(decimal("-0.0", 2), Some(0));
        assert_eq!(
            decimal("99999999999999999999999999999999999999", 0),
            Some(99999999999999999999999999999999999999)
        );
        // Would need rounding, overflow i128, or is not a number.
        assert_eq!(decimal("1.25", 1), None);
        assert_eq!(decimal("1E+40", 0), None);
        assert_eq!(decimal("abc", 0), None);
        assert_eq!(decimal("", 0), None);
        assert_eq!(decimal(".", 0), None);
        assert_eq!(decimal("1e", 0), None);
    }

    #[test]
    fn floats_include_jacksons_names() {
        assert_eq!(float(&serde_json::json!(1.5)), Some(1.5));
        let big: serde_json::Value = serde_json::from_str("1.0E300").unwrap();
        assert_eq!(float(&big), Some(1.0e300));
        assert!(float(&serde_json::json!("NaN")).is_some_and(f64::is_nan));
        assert_eq!(
            float(&serde_json::json!("-Infinity")),
            Some(f64::NEG_INFINITY)
        );
        assert_eq!(float(&serde_json::json!("1.5")), None);
    }

    #[test]
    fn temporal_values() {
        assert_eq!(date("1970-01-01"), Some(0));
        assert_eq!(date("2024-02-29"), Some(19782));
        assert_eq!(date("1969-12-31"), Some(-1));
        assert_eq!(time("12:34:56"), Some(45_296_000_000));
        assert_eq!(time("00:00:00.5"), Some(500_000));
        assert_eq!(
            timestamp("2024-01-02T03:04:05.123456"),
            Some(1_704_164_645_123_456)
        );
        assert_eq!(
            timestamp("2024-01-02T03:04:05.123456789"),
            Some(1_704_164_645_123_456)
        );
        assert_eq!(
            timestamp("2024-01-02 03:04:05"),
            Some(1_704_164_645_000_000)
        );
        assert_eq!(timestamp("1970-01-01T08:00:00Z"), Some(28_800_000_000));
        assert_eq!(timestamp("1969-12-31T23:59:59.9"), Some(-100_000));
        assert_eq!(timestamp("yesterday"), None);
    }

    #[test]
    fn binary_is_base64() {
        assert_eq!(binary("YWIA"), Some(b"ab\0".to_vec()));
        assert_eq!(binary("YWJj"), Some(b"abc".to_vec()));
        assert_eq!(binary("!"), None);
    }
}
