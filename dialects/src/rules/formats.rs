//! Date format models to the Java patterns Flink's `DATE_FORMAT`, `TO_DATE` and `TO_TIMESTAMP`
//! take: MySQL's `%`-codes (`DATE_FORMAT`, `STR_TO_DATE`) and Oracle's format models
//! (`TO_CHAR`, `TO_DATE`, `TO_TIMESTAMP`).
//!
//! Both directions are tables of elements. Elements with no Java equivalent (MySQL `%U` week
//! numbers, Oracle `J` Julian days, ...) make the whole conversion fail with the element's
//! name, which the caller turns into an Unsupported error.

/// How the Java formatter's output must be case-converted to match the source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseFix {
    /// Java's output is right as it is.
    None,
    /// Wrap the result in `UPPER(...)` (Oracle `MON`, `DAY`).
    Upper,
    /// Wrap the result in `LOWER(...)` (Oracle `mon`, `am`).
    Lower,
}

/// A converted format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaFormat {
    /// The Java (`DateTimeFormatter`) pattern.
    pub pattern: String,
    /// Case conversion to apply to formatted output.
    pub case: CaseFix,
    /// The format has a time-of-day element (hours, minutes, seconds, fractions, AM/PM).
    pub has_time: bool,
    /// The format has textual month or day names (parsing them is case-sensitive in Java).
    pub has_names: bool,
}

/// Appends literal text to a Java pattern, quoting letters and the pattern's special characters.
fn push_literal(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    let needs_quotes = text.chars().any(|c| c.is_ascii_alphabetic() || "[]{}#'".contains(c));
    if needs_quotes {
        out.push('\'');
        out.push_str(&text.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(text);
    }
}

/// A MySQL `%` code: its Java pattern, and whether it is a time-of-day element.
const MYSQL_CODES: &[(char, &str, bool)] = &[
    ('Y', "yyyy", false),
    ('y', "yy", false),
    ('m', "MM", false),
    ('c', "M", false),
    ('d', "dd", false),
    ('e', "d", false),
    ('H', "HH", true),
    ('k', "H", true),
    ('h', "hh", true),
    ('I', "hh", true),
    ('l', "h", true),
    ('i', "mm", true),
    ('s', "ss", true),
    ('S', "ss", true),
    ('f', "SSSSSS", true),
    ('p', "a", true),
    ('M', "MMMM", false),
    ('b', "MMM", false),
    ('W', "EEEE", false),
    ('a', "EEE", false),
    ('j', "DDD", false),
    ('T', "HH:mm:ss", true),
    ('r', "hh:mm:ss a", true),
];

/// MySQL codes refused, with why.
const MYSQL_REFUSED: &[(char, &str)] = &[
    ('D', "day of month with an English suffix"),
    ('U', "week number"),
    ('u', "week number"),
    ('V', "week number"),
    ('v', "week number"),
    ('X', "week-based year"),
    ('x', "week-based year"),
    ('w', "day of week number"),
];

/// Converts a MySQL format (`'%Y-%m-%d %H:%i:%s'`) to a Java pattern (`yyyy-MM-dd HH:mm:ss`).
/// `Err` names the element that has no Java equivalent.
pub fn mysql_to_java(format: &str) -> Result<JavaFormat, String> {
    let mut out = String::new();
    let mut literal = String::new();
    let mut has_time = false;
    let mut has_names = false;
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        let Some(code) = chars.next() else {
            literal.push('%');
            break;
        };
        if let Some((_, java, time)) = MYSQL_CODES.iter().find(|(k, _, _)| *k == code) {
            push_literal(&mut out, &std::mem::take(&mut literal));
            out.push_str(java);
            has_time |= *time;
            has_names |= matches!(code, 'M' | 'b' | 'W' | 'a');
        } else if let Some((_, why)) = MYSQL_REFUSED.iter().find(|(k, _)| *k == code) {
            return Err(format!("date format element %{code} ({why})"));
        } else {
            // `%%` is a percent sign; MySQL prints any other unknown `%x` as `x`.
            literal.push(code);
        }
    }
    push_literal(&mut out, &literal);
    Ok(JavaFormat { pattern: out, case: CaseFix::None, has_time, has_names })
}

/// One Oracle format element: its spelling (matched case-insensitively, longest first), its Java
/// pattern in fill mode (`FM`) and without it, and what it is.
struct OraElement {
    name: &'static str,
    padded: &'static str,
    fill: &'static str,
    kind: OraKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OraKind {
    Date,
    Time,
    /// A name whose output case follows the element's spelling (`MON`, `Mon`, `mon`).
    Name,
    /// `AM`/`PM`: Java prints upper case.
    Meridian,
}

const ORACLE_ELEMENTS: &[OraElement] = &[
    OraElement { name: "YYYY", padded: "yyyy", fill: "yyyy", kind: OraKind::Date },
    OraElement { name: "RRRR", padded: "yyyy", fill: "yyyy", kind: OraKind::Date },
    OraElement { name: "HH24", padded: "HH", fill: "H", kind: OraKind::Time },
    OraElement { name: "HH12", padded: "hh", fill: "h", kind: OraKind::Time },
    OraElement { name: "MONTH", padded: "", fill: "MMMM", kind: OraKind::Name },
    OraElement { name: "A.M.", padded: "", fill: "", kind: OraKind::Meridian },
    OraElement { name: "P.M.", padded: "", fill: "", kind: OraKind::Meridian },
    OraElement { name: "MON", padded: "MMM", fill: "MMM", kind: OraKind::Name },
    OraElement { name: "DAY", padded: "", fill: "EEEE", kind: OraKind::Name },
    OraElement { name: "DDD", padded: "DDD", fill: "D", kind: OraKind::Date },
    OraElement { name: "FF1", padded: "S", fill: "S", kind: OraKind::Time },
    OraElement { name: "FF2", padded: "SS", fill: "SS", kind: OraKind::Time },
    OraElement { name: "FF3", padded: "SSS", fill: "SSS", kind: OraKind::Time },
    OraElement { name: "FF4", padded: "SSSS", fill: "SSSS", kind: OraKind::Time },
    OraElement { name: "FF5", padded: "SSSSS", fill: "SSSSS", kind: OraKind::Time },
    OraElement { name: "FF6", padded: "SSSSSS", fill: "SSSSSS", kind: OraKind::Time },
    OraElement { name: "FF7", padded: "SSSSSSS", fill: "SSSSSSS", kind: OraKind::Time },
    OraElement { name: "FF8", padded: "SSSSSSSS", fill: "SSSSSSSS", kind: OraKind::Time },
    OraElement { name: "FF9", padded: "SSSSSSSSS", fill: "SSSSSSSSS", kind: OraKind::Time },
    OraElement { name: "YY", padded: "yy", fill: "yy", kind: OraKind::Date },
    OraElement { name: "RR", padded: "yy", fill: "yy", kind: OraKind::Date },
    OraElement { name: "MM", padded: "MM", fill: "M", kind: OraKind::Date },
    OraElement { name: "DD", padded: "dd", fill: "d", kind: OraKind::Date },
    OraElement { name: "DY", padded: "EEE", fill: "EEE", kind: OraKind::Name },
    OraElement { name: "HH", padded: "hh", fill: "h", kind: OraKind::Time },
    OraElement { name: "MI", padded: "mm", fill: "m", kind: OraKind::Time },
    OraElement { name: "SS", padded: "ss", fill: "s", kind: OraKind::Time },
    OraElement { name: "AM", padded: "a", fill: "a", kind: OraKind::Meridian },
    OraElement { name: "PM", padded: "a", fill: "a", kind: OraKind::Meridian },
];

/// Oracle elements refused, longest first.
const ORACLE_REFUSED: &[&str] = &[
    "SSSSS", "SYYYY", "Y,YYY", "YEAR", "SCC", "TZH", "TZM", "TZR", "TZD", "IYYY", "IYY", "FF", "IW", "WW", "CC", "IY",
    "J", "Q", "W", "D", "X", "E", "I", "Y",
];

/// Converts an Oracle format model (`'YYYY-MM-DD HH24:MI:SS'`) to a Java pattern.
/// `Err` names the element that has no Java equivalent.
pub fn oracle_to_java(format: &str) -> Result<JavaFormat, String> {
    let mut out = String::new();
    let mut literal = String::new();
    let mut fill = false;
    let mut has_time = false;
    let mut has_names = false;
    // Which case conversions each element tolerates: bit 0 none, bit 1 upper, bit 2 lower.
    let mut allowed: u8 = 0b111;
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        let upper = rest.to_ascii_uppercase();
        if c == '"' {
            let end = rest[1..].find('"').map(|e| e + 1).ok_or("an unterminated quoted text in a date format")?;
            literal.push_str(&rest[1..end]);
            rest = &rest[end + 1..];
            continue;
        }
        if upper.starts_with("FM") {
            fill = !fill;
            rest = &rest[2..];
            continue;
        }
        let element = ORACLE_ELEMENTS.iter().filter(|e| upper.starts_with(e.name)).max_by_key(|e| e.name.len());
        let refused = ORACLE_REFUSED.iter().filter(|e| upper.starts_with(**e)).max_by_key(|e| e.len());
        if let Some(r) = refused
            && element.is_none_or(|e| e.name.len() < r.len()) {
                return Err(format!("date format element {r}"));
            }
        if let Some(el) = element {
            let spelled = &rest[..el.name.len()];
            let java = if fill { el.fill } else { el.padded };
            if java.is_empty() && el.kind == OraKind::Name {
                return Err(format!("date format element {} without FM (Oracle pads it with blanks)", el.name));
            }
            if el.kind == OraKind::Meridian && java.is_empty() {
                return Err(format!("date format element {}", el.name));
            }
            push_literal(&mut out, &std::mem::take(&mut literal));
            out.push_str(java);
            match el.kind {
                OraKind::Time => has_time = true,
                OraKind::Meridian => {
                    has_time = true;
                    allowed &= if spelled.chars().all(|c| !c.is_ascii_lowercase()) { 0b011 } else { 0b100 };
                }
                OraKind::Name => {
                    has_names = true;
                    let letters: Vec<char> = spelled.chars().filter(char::is_ascii_alphabetic).collect();
                    allowed &= if letters.iter().all(char::is_ascii_uppercase) {
                        0b010
                    } else if letters.iter().all(char::is_ascii_lowercase) {
                        0b100
                    } else {
                        0b001
                    };
                }
                OraKind::Date => {}
            }
            rest = &rest[el.name.len()..];
            continue;
        }
        if c.is_ascii_alphabetic() {
            return Err(format!("date format element {c}"));
        }
        literal.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push_literal(&mut out, &literal);
    // Literal letters survive only the conversions that leave them unchanged.
    let case = match allowed {
        a if a & 0b001 != 0 => CaseFix::None,
        a if a & 0b010 != 0 => CaseFix::Upper,
        a if a & 0b100 != 0 => CaseFix::Lower,
        _ => return Err("a date format mixing upper- and lower-case names".into()),
    };
    if case != CaseFix::None && out.contains('\'') {
        let quoted: String = out.split('\'').skip(1).step_by(2).collect();
        if quoted.chars().any(|c| c.is_ascii_alphabetic()) {
            return Err("a date format with quoted text and case-converted names".into());
        }
    }
    Ok(JavaFormat { pattern: out, case, has_time, has_names })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_codes() {
        let f = mysql_to_java("%Y-%m-%d %H:%i:%s").unwrap();
        assert_eq!(f.pattern, "yyyy-MM-dd HH:mm:ss");
        assert!(f.has_time);
        assert_eq!(mysql_to_java("%d/%m/%Y").unwrap().pattern, "dd/MM/yyyy");
        assert_eq!(mysql_to_java("%W, %M %e at %l%p").unwrap().pattern, "EEEE, MMMM d' at 'ha");
        assert_eq!(mysql_to_java("100%% o'clock").unwrap().pattern, "'100% o''clock'");
        assert!(mysql_to_java("%U").unwrap_err().contains("%U"));
        assert!(!mysql_to_java("%Y%m").unwrap().has_time);
    }

    #[test]
    fn oracle_models() {
        let f = oracle_to_java("YYYY-MM-DD HH24:MI:SS").unwrap();
        assert_eq!(f.pattern, "yyyy-MM-dd HH:mm:ss");
        assert_eq!(f.case, CaseFix::None);
        let f = oracle_to_java("DD-MON-YYYY").unwrap();
        assert_eq!((f.pattern.as_str(), f.case), ("dd-MMM-yyyy", CaseFix::Upper));
        let f = oracle_to_java("FMMonth DD, YYYY").unwrap();
        assert_eq!((f.pattern.as_str(), f.case), ("MMMM d, yyyy", CaseFix::None));
        assert_eq!(oracle_to_java("YYYY\"Q\"MM").unwrap().pattern, "yyyy'Q'MM");
        assert_eq!(oracle_to_java("FMDD.MM.YYYY").unwrap().pattern, "d.M.yyyy");
        assert!(oracle_to_java("Month").unwrap_err().contains("without FM"));
        assert!(oracle_to_java("IW").unwrap_err().contains("IW"));
        assert!(oracle_to_java("J").is_err());
        assert!(oracle_to_java("hh12:mi am").unwrap().has_time);
    }
}
