//! MySQL's date and time functions that DataFusion lacks or spells differently, as DataFusion
//! UDFs with MySQL's semantics (checked against MariaDB 10.11): `TIME_FORMAT`, `TIMEDIFF`,
//! `CONVERT_TZ` and `DATE_FORMAT` (DataFusion's `date_format` is `to_char` with chrono's
//! specifiers; MySQL's `%i` is minutes). They read their arguments as MySQL does: a DATETIME, a
//! DATE or a TIME value, or a string holding one; what does not read is NULL, as in MySQL.
//!
//! Weir's clock is UTC (`@@system_time_zone`): `CONVERT_TZ` knows `SYSTEM`, UTC's names and
//! `±hh:mm` offsets (MySQL 8's range, -13:59 to +14:00); other zone names give NULL, as on a
//! MySQL server without time zone tables.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, StringArray, Time64MicrosecondArray, TimestampMicrosecondArray};
use arrow_schema::{DataType, Field, FieldRef, TimeUnit};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::protocol::resultset::{Cell, cell};

/// The field metadata key giving a temporal column's fractional digits (read by the writer).
const PRECISION: &str = "flink.precision";
/// The engine's name for MySQL's `DATE_FORMAT` (see [`Kind::name`]).
pub const DATE_FORMAT: &str = "mysql_date_format";
/// MySQL's TIME range: ±838:59:59.
const MAX_TIME_MICROS: i64 = 3_020_399_000_000;

/// A value as MySQL's temporal functions read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporal {
    DateTime(NaiveDateTime),
    /// A TIME: signed microseconds (more than a day, or negative, is a TIME too).
    Time(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    TimeFormat,
    TimeDiff,
    ConvertTz,
    DateFormat,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::TimeFormat, Kind::TimeDiff, Kind::ConvertTz, Kind::DateFormat];

    fn name(self) -> &'static str {
        match self {
            Kind::TimeFormat => "time_format",
            Kind::TimeDiff => "timediff",
            Kind::ConvertTz => "convert_tz",
            // DataFusion's `to_char` is also called `date_format`, and which of two functions of
            // one name a session state keeps is not defined: the engine renames MySQL's call.
            Kind::DateFormat => DATE_FORMAT,
        }
    }

    fn arity(self) -> usize {
        match self {
            Kind::ConvertTz => 3,
            _ => 2,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Kind::TimeFormat | Kind::DateFormat => DataType::Utf8,
            Kind::TimeDiff => DataType::Time64(TimeUnit::Microsecond),
            Kind::ConvertTz => DataType::Timestamp(TimeUnit::Microsecond, None),
        }
    }
}

/// One of MySQL's functions.
#[derive(Debug, PartialEq, Eq, Hash)]
struct MySqlFunction {
    kind: Kind,
    signature: Signature,
}

/// The functions, to register in the engine.
pub fn udfs() -> Vec<ScalarUDF> {
    Kind::ALL
        .into_iter()
        .map(|kind| ScalarUDF::new_from_impl(MySqlFunction { kind, signature: Signature::any(kind.arity(), Volatility::Immutable) }))
        .collect()
}

impl ScalarUDFImpl for MySqlFunction {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(self.kind.data_type())
    }

    /// A TIME or DATETIME result has the fractional digits of its arguments, as in MySQL.
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let fsp = |i: usize| args.arg_fields.get(i).map(|f| fsp_of(f, args.scalar_arguments.get(i).copied().flatten())).unwrap_or(0);
        let digits = match self.kind {
            Kind::TimeDiff => Some(fsp(0).max(fsp(1))),
            Kind::ConvertTz => Some(fsp(0)),
            Kind::TimeFormat | Kind::DateFormat => None,
        };
        let field = Field::new(self.name(), self.kind.data_type(), true);
        Ok(Arc::new(match digits {
            Some(d) => field.with_metadata(HashMap::from([(PRECISION.to_string(), d.to_string())])),
            None => field,
        }))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        if args.args.len() != self.kind.arity() {
            return Err(DataFusionError::Plan(format!("Incorrect parameter count in the call to native function '{}'", self.kind.name())));
        }
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let rows = arrays.iter().map(|a| a.len()).max().unwrap_or(0);
        let fields = &args.arg_fields;
        let read = |col: usize, row: usize| -> Option<Cell<'_>> {
            let array = arrays.get(col)?;
            let field = fields.get(col)?;
            (row < array.len()).then(|| cell(field, array.as_ref(), row))
        };
        let temporal = |col: usize, row: usize| read(col, row).and_then(|c| temporal_of(&c));
        let text = |col: usize, row: usize| read(col, row).and_then(|c| text_of(&c));
        let out: ArrayRef = match self.kind {
            Kind::TimeFormat => Arc::new((0..rows).map(|r| time_format(temporal(0, r)?, &text(1, r)?)).collect::<StringArray>()),
            Kind::DateFormat => Arc::new((0..rows).map(|r| date_format(temporal(0, r)?, &text(1, r)?)).collect::<StringArray>()),
            Kind::TimeDiff => Arc::new((0..rows).map(|r| timediff(temporal(0, r)?, temporal(1, r)?)).collect::<Time64MicrosecondArray>()),
            Kind::ConvertTz => Arc::new(
                (0..rows)
                    .map(|r| convert_tz(temporal(0, r)?, &text(1, r)?, &text(2, r)?).map(|d| d.and_utc().timestamp_micros()))
                    .collect::<TimestampMicrosecondArray>(),
            ),
        };
        if scalar && out.len() == 1 {
            return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?));
        }
        Ok(ColumnarValue::Array(out))
    }
}

/// The fractional digits of a temporal argument: its column's, or a string literal's own.
fn fsp_of(field: &Field, scalar: Option<&ScalarValue>) -> u8 {
    if let Some(p) = field.metadata().get(PRECISION).and_then(|p| p.parse::<u8>().ok()) {
        return p.min(6);
    }
    match field.data_type() {
        DataType::Timestamp(u, _) | DataType::Time32(u) | DataType::Time64(u) | DataType::Duration(u) => match u {
            TimeUnit::Second => 0,
            TimeUnit::Millisecond => 3,
            _ => 6,
        },
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => match scalar {
            Some(ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s)) => s.as_deref().map(literal_fsp).unwrap_or(0),
            _ => 6,
        },
        _ => 0,
    }
}

/// The fractional digits written in a temporal literal (`'10:00:00.25'` → 2).
pub fn literal_fsp(s: &str) -> u8 {
    match s.trim().rsplit_once('.') {
        Some((_, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => frac.len().min(6) as u8,
        _ => 0,
    }
}

fn text_of(c: &Cell<'_>) -> Option<String> {
    match c {
        Cell::Null => None,
        Cell::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Cell::Text(s) | Cell::Decimal(s) => Some(s.clone()),
        Cell::Int(i) => Some(i.to_string()),
        Cell::UInt(u) => Some(u.to_string()),
        Cell::Float(f) => Some(f.to_string()),
        Cell::Double(d) => Some(d.to_string()),
        Cell::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        Cell::DateTime(d, _) => Some(d.format("%Y-%m-%d %H:%M:%S%.6f").to_string()),
        Cell::Time(m, _) => Some(format_time(*m, 6)),
    }
}

fn temporal_of(c: &Cell<'_>) -> Option<Temporal> {
    match c {
        Cell::DateTime(d, _) => Some(Temporal::DateTime(*d)),
        Cell::Date(d) => d.and_hms_opt(0, 0, 0).map(Temporal::DateTime),
        Cell::Time(m, _) => Some(Temporal::Time(*m)),
        Cell::Bytes(_) | Cell::Text(_) => parse(&text_of(c)?),
        _ => None,
    }
}

/// A DATETIME (`YYYY-MM-DD[ HH:MM[:SS[.f]]]`, `T` between too) or a TIME (`[-]H:MM[:SS[.f]]`).
pub fn parse(s: &str) -> Option<Temporal> {
    let s = s.trim();
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Temporal::DateTime(d));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(Temporal::DateTime);
    }
    parse_time(s).map(Temporal::Time)
}

fn parse_time(s: &str) -> Option<i64> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (hms, frac) = match rest.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let number = |p: Option<&&str>| p.map_or(Some(0), |p| p.parse::<i64>().ok());
    let (h, m, sec) = (number(parts.first())?, number(parts.get(1))?, number(parts.get(2))?);
    if m >= 60 || sec >= 60 || h > 838 {
        return None;
    }
    let micros = match frac {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let digits: String = f.chars().chain(std::iter::repeat('0')).take(6).collect();
            digits.parse::<i64>().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    let total = ((h * 60 + m) * 60 + sec) * 1_000_000 + micros;
    Some(if neg { -total } else { total })
}

/// A TIME as MySQL prints it: `[-]HH:MM:SS[.f]` with `digits` fractional digits (0 to 6).
pub fn format_time(micros: i64, digits: usize) -> String {
    let digits = digits.min(6);
    let sign = if micros < 0 { "-" } else { "" };
    let m = micros.unsigned_abs();
    let secs = m / 1_000_000;
    let frac = if digits > 0 { format!(".{:06}", m % 1_000_000)[..digits + 1].to_string() } else { String::new() };
    format!("{sign}{:02}:{:02}:{:02}{frac}", secs / 3600, (secs / 60) % 60, secs % 60)
}

/// `TIMEDIFF(a, b)`: `a - b` as a TIME, clipped to MySQL's range; NULL unless both are
/// DATETIMEs or both TIMEs.
pub fn timediff(a: Temporal, b: Temporal) -> Option<i64> {
    let micros = match (a, b) {
        (Temporal::DateTime(a), Temporal::DateTime(b)) => (a - b).num_microseconds()?,
        (Temporal::Time(a), Temporal::Time(b)) => a.checked_sub(b)?,
        _ => return None,
    };
    Some(micros.clamp(-MAX_TIME_MICROS, MAX_TIME_MICROS))
}

/// A time zone's offset from UTC in seconds: `SYSTEM` (Weir's clock, UTC), UTC's names, or
/// `±hh:mm` within MySQL 8's range; `None` for anything else.
pub fn zone_offset(zone: &str) -> Option<i32> {
    if ["SYSTEM", "UTC", "GMT", "Etc/UTC", "Etc/GMT"].iter().any(|z| z.eq_ignore_ascii_case(zone)) {
        return Some(0);
    }
    let (sign, rest) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let offset = sign * (h * 3600 + m * 60);
    (m < 60 && (-(13 * 3600 + 59 * 60)..=14 * 3600).contains(&offset)).then_some(offset)
}

/// `CONVERT_TZ(dt, from, to)`.
pub fn convert_tz(dt: Temporal, from: &str, to: &str) -> Option<NaiveDateTime> {
    let Temporal::DateTime(dt) = dt else { return None };
    let shift = i64::from(zone_offset(to)?) - i64::from(zone_offset(from)?);
    dt.checked_add_signed(chrono::Duration::seconds(shift))
}

/// The parts of a TIME value that format specifiers read.
struct Clock {
    neg: bool,
    hours: u64,
    minutes: u64,
    seconds: u64,
    micros: u64,
}

impl Clock {
    fn of(t: Temporal) -> Self {
        match t {
            Temporal::Time(m) => {
                let a = m.unsigned_abs();
                let secs = a / 1_000_000;
                Clock { neg: m < 0, hours: secs / 3600, minutes: (secs / 60) % 60, seconds: secs % 60, micros: a % 1_000_000 }
            }
            Temporal::DateTime(d) => Clock {
                neg: false,
                hours: u64::from(d.hour()),
                minutes: u64::from(d.minute()),
                seconds: u64::from(d.second()),
                micros: u64::from(d.nanosecond() / 1_000),
            },
        }
    }

    fn hour12(&self) -> u64 {
        if self.hours.is_multiple_of(12) { 12 } else { self.hours % 12 }
    }

    fn meridiem(&self) -> &'static str {
        if self.hours % 24 < 12 { "AM" } else { "PM" }
    }

    /// The time specifiers (`%H %k %h %I %l %i %S %s %f %p %r %T`); `None` for others.
    fn spec(&self, c: char) -> Option<String> {
        Some(match c {
            'H' => format!("{:02}", self.hours),
            'k' => self.hours.to_string(),
            'h' | 'I' => format!("{:02}", self.hour12()),
            'l' => self.hour12().to_string(),
            'i' => format!("{:02}", self.minutes),
            'S' | 's' => format!("{:02}", self.seconds),
            'f' => format!("{:06}", self.micros),
            'p' => self.meridiem().to_string(),
            'r' => format!("{:02}:{:02}:{:02} {}", self.hour12(), self.minutes, self.seconds, self.meridiem()),
            'T' => format!("{:02}:{:02}:{:02}", self.hours, self.minutes, self.seconds),
            _ => return None,
        })
    }
}

const DATE_SPECIFIERS: &str = "abcDdejMmUuVvWwXxYy";

/// `TIME_FORMAT(t, format)`: the time specifiers only; a date specifier makes it NULL
/// (MariaDB). Hours may exceed 23 (`%H`, `%k`); a negative TIME is prefixed with `-`.
pub fn time_format(t: Temporal, format: &str) -> Option<String> {
    let clock = Clock::of(t);
    let mut out = String::new();
    if clock.neg && (clock.hours, clock.minutes, clock.seconds, clock.micros) != (0, 0, 0, 0) {
        out.push('-');
    }
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(s) if DATE_SPECIFIERS.contains(s) => return None,
            Some(s) => match clock.spec(s) {
                Some(v) => out.push_str(&v),
                None => out.push(s),
            },
            None => out.push('%'),
        }
    }
    Some(out)
}

/// `DATE_FORMAT(dt, format)` with MySQL's specifiers; NULL for a TIME.
pub fn date_format(t: Temporal, format: &str) -> Option<String> {
    let Temporal::DateTime(d) = t else { return None };
    let clock = Clock::of(t);
    let date = d.date();
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(s) = chars.next() else {
            out.push('%');
            break;
        };
        if let Some(v) = clock.spec(s) {
            out.push_str(&v);
            continue;
        }
        let v = match s {
            'a' => date.format("%a").to_string(),
            'b' => date.format("%b").to_string(),
            'c' => date.month().to_string(),
            'D' => format!("{}{}", date.day(), ordinal_suffix(date.day())),
            'd' => format!("{:02}", date.day()),
            'e' => date.day().to_string(),
            'j' => format!("{:03}", date.ordinal()),
            'M' => date.format("%B").to_string(),
            'm' => format!("{:02}", date.month()),
            'U' => format!("{:02}", week_sunday(date)),
            'u' => format!("{:02}", week_monday_4_days(date)),
            'V' => format!("{:02}", week_mode_2(date).1),
            'X' => format!("{:04}", week_mode_2(date).0),
            'v' => format!("{:02}", date.iso_week().week()),
            'x' => format!("{:04}", date.iso_week().year()),
            'W' => date.format("%A").to_string(),
            'w' => date.weekday().num_days_from_sunday().to_string(),
            'Y' => format!("{:04}", date.year()),
            'y' => format!("{:02}", date.year().rem_euclid(100)),
            other => other.to_string(),
        };
        out.push_str(&v);
    }
    Some(out)
}

fn ordinal_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// WEEK mode 0 (`%U`): Sunday first; days before the year's first Sunday are week 0.
fn week_sunday(d: NaiveDate) -> u32 {
    (d.ordinal0() + 7 - d.weekday().num_days_from_sunday()) / 7
}

/// WEEK mode 1 (`%u`): Monday first; week 1 is the first with 4 or more days in the year.
fn week_monday_4_days(d: NaiveDate) -> u32 {
    let Some(jan1) = NaiveDate::from_yo_opt(d.year(), 1) else { return 0 };
    let wd = i64::from(jan1.weekday().num_days_from_monday());
    let start = if wd <= 3 { -wd } else { 7 - wd };
    let day = i64::from(d.ordinal0());
    if day < start { 0 } else { ((day - start) / 7 + 1) as u32 }
}

/// WEEK mode 2 (`%X`, `%V`): Sunday first, weeks 1 to 53; days before the first Sunday belong
/// to the previous year's last week.
fn week_mode_2(d: NaiveDate) -> (i32, u32) {
    match week_sunday(d) {
        0 => match NaiveDate::from_ymd_opt(d.year() - 1, 12, 31) {
            Some(last) => (d.year() - 1, week_sunday(last)),
            None => (d.year(), 0),
        },
        w => (d.year(), w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Temporal {
        parse(s).unwrap_or_else(|| panic!("{s} is a temporal value"))
    }

    /// Each expected value is what MariaDB 10.11 answers.
    #[test]
    fn time_format_follows_mariadb() {
        assert_eq!(time_format(t("-25:01:02"), "%H:%i:%s %k %h %l %p %f %T %r").as_deref(), Some("-25:01:02 25 01 1 AM 000000 25:01:02 01:01:02 AM"));
        assert_eq!(time_format(t("2024-01-01 10:11:12"), "%H|%i|%Y|%d"), None);
        assert_eq!(time_format(t("100:00:00"), "%H %k %h").as_deref(), Some("100 100 04"));
        assert_eq!(time_format(t("12:00:00"), "%p %h %l %r").as_deref(), Some("PM 12 12 12:00:00 PM"));
        assert_eq!(time_format(t("00:05:00"), "%p %h %l %r %I %S %s").as_deref(), Some("AM 12 12 12:05:00 AM 12 00 00"));
        assert_eq!(time_format(t("10:00"), "%H:%i").as_deref(), Some("10:00"));
        assert_eq!(time_format(t("2024-01-01 04:10:27"), "%H").as_deref(), Some("04"));
    }

    #[test]
    fn timediff_follows_mariadb() {
        let diff = |a: &str, b: &str| timediff(t(a), t(b)).map(|m| format_time(m, if m % 1_000_000 == 0 { 0 } else { 2 }));
        assert_eq!(diff("2024-01-01 00:00:00", "2024-01-02 01:02:03.5").as_deref(), Some("-25:02:03.50"));
        assert_eq!(diff("10:00:00", "09:00:00.25").as_deref(), Some("00:59:59.75"));
        assert_eq!(diff("10:00:00", "2024-01-01 00:00:00"), None);
        assert_eq!(diff("2024-01-01 00:00:00", "2023-12-01 00:00:00").as_deref(), Some("744:00:00"));
        assert_eq!(diff("838:59:59", "-838:59:59").as_deref(), Some("838:59:59"));
        assert_eq!(literal_fsp("09:00:00.25"), 2);
        assert_eq!(literal_fsp("2024-01-01"), 0);
    }

    #[test]
    fn convert_tz_knows_offsets_system_and_utc() {
        let conv = |z1: &str, z2: &str| convert_tz(t("2024-01-01 10:00:00"), z1, z2).map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string());
        assert_eq!(conv("+00:00", "+05:30").as_deref(), Some("2024-01-01 15:30:00"));
        assert_eq!(conv("+01:00", "-02:30").as_deref(), Some("2024-01-01 06:30:00"));
        assert_eq!(conv("+1:00", "+00:00").as_deref(), Some("2024-01-01 09:00:00"));
        assert_eq!(conv("system", "+01:00").as_deref(), Some("2024-01-01 11:00:00"));
        assert_eq!(conv("SYSTEM", "UTC").as_deref(), Some("2024-01-01 10:00:00"));
        assert_eq!(conv("+13:00", "+00:00").as_deref(), Some("2023-12-31 21:00:00"));
        for bad in ["nosuch", "+01:00 ", "+14:01", "-14:00", "+01:60", "Europe/Paris"] {
            assert_eq!(conv("+00:00", bad), None, "{bad}");
        }
        assert_eq!(convert_tz(t("10:00:00"), "+00:00", "+01:00"), None);
    }

    #[test]
    fn date_format_follows_mariadb() {
        let f = date_format(t("2024-03-05 14:07:09.123"), "%Y-%m-%d %H:%i:%s %a %b %c %D %e %j %M %p %r %T %U %u %W %w %y %f %%");
        assert_eq!(f.as_deref(), Some("2024-03-05 14:07:09 Tue Mar 3 5th 5 065 March PM 02:07:09 PM 14:07:09 09 10 Tuesday 2 24 123000 %"));
        assert_eq!(date_format(t("2024-01-01"), "%H %x %v %X %V %h").as_deref(), Some("00 2024 01 2023 53 12"));
        assert_eq!(date_format(t("2024-12-30"), "%u %v %x %U").as_deref(), Some("53 01 2025 52"));
        assert_eq!(date_format(t("2023-01-01"), "%u %U %V %X %v %x").as_deref(), Some("00 01 01 2023 52 2022"));
        assert_eq!(date_format(t("2021-01-03"), "%u %U %V %X").as_deref(), Some("00 01 01 2021"));
        assert_eq!(date_format(t("2026-12-31"), "%u %U %V %X %v %x").as_deref(), Some("53 52 52 2026 53 2026"));
        assert_eq!(date_format(t("10:00:00"), "%H"), None);
        let days: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].iter().map(|d| format!("{d}{}", ordinal_suffix(*d))).collect();
        assert_eq!(days.join(" "), "1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 23rd 31st");
    }
}
