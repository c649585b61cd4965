//! The Flink version a translation is for: [`FlinkTarget`].

use std::fmt;

/// The Flink version the translation is for: functions added in Flink 2.x (REGEXP_SUBSTR,
/// TRANSLATE, PERCENTILE, two-argument LTRIM/RTRIM, ...) are used only when `major >= 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlinkTarget {
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

impl FlinkTarget {
    /// Flink 1.20.
    pub const V1_20: FlinkTarget = FlinkTarget { major: 1, minor: 20 };
    /// Flink 2.2.
    pub const V2_2: FlinkTarget = FlinkTarget { major: 2, minor: 2 };

    /// The version in a string such as `1.20.3` or `2.2`.
    pub fn parse(version: &str) -> Option<FlinkTarget> {
        let mut parts = version.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().unwrap_or("0").parse().ok()?;
        Some(FlinkTarget { major, minor })
    }

    /// True when the target has the functions Flink 2.0 added.
    pub fn has_2x_functions(&self) -> bool {
        self.major >= 2
    }
}

impl Default for FlinkTarget {
    fn default() -> Self {
        Self::V1_20
    }
}

impl fmt::Display for FlinkTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(FlinkTarget::parse("1.20.3"), Some(FlinkTarget::V1_20));
        assert_eq!(FlinkTarget::parse("2.2.0"), Some(FlinkTarget::V2_2));
        assert!(FlinkTarget::parse("x").is_none());
        assert_eq!(FlinkTarget::V2_2.to_string(), "2.2");
    }
}
