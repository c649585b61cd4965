//! Flink versions and what differs between their major lines.

use super::error::FlinkError;

/// The major line of a Flink release. Everything that differs between the lines when running a
/// local cluster is decided by a method here, not by version checks spread over the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlinkMajor {
    /// Flink 1.x.
    V1,
    /// Flink 2.x.
    V2,
}

/// The format and name of the cluster configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    /// `flink-conf.yaml`: flat `key: value` lines, read by Flink 1.x's legacy parser (which takes
    /// the rest of the line after `: ` verbatim, cut at `#`).
    LegacyFlat,
    /// `config.yaml`: standard YAML; Flink 2.x reads only this file. Flat dotted keys are accepted.
    StandardYaml,
}

impl ConfigFormat {
    /// The file name inside the configuration directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::LegacyFlat => "flink-conf.yaml",
            Self::StandardYaml => "config.yaml",
        }
    }
}

impl FlinkMajor {
    /// The major line of `version` (e.g. `1.20.3`), which must look like a release version.
    pub fn of(version: &str) -> Result<Self, FlinkError> {
        let well_formed = version.starts_with(|c: char| c.is_ascii_digit())
            && version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        match version.split('.').next() {
            Some("1") if well_formed => Ok(Self::V1),
            Some("2") if well_formed => Ok(Self::V2),
            _ => Err(FlinkError::UnsupportedVersion(version.to_owned())),
        }
    }

    /// The configuration file this line reads. Flink 1.20 would also read `config.yaml`, but
    /// earlier 1.x releases only know `flink-conf.yaml`.
    pub fn config_format(self) -> ConfigFormat {
        match self {
            Self::V1 => ConfigFormat::LegacyFlat,
            Self::V2 => ConfigFormat::StandardYaml,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_and_formats() -> Result<(), FlinkError> {
        assert_eq!(FlinkMajor::of("1.20.3")?, FlinkMajor::V1);
        assert_eq!(FlinkMajor::of("2.2.0")?, FlinkMajor::V2);
        assert_eq!(
            FlinkMajor::of("1.20.3")?.config_format().file_name(),
            "flink-conf.yaml"
        );
        assert_eq!(
            FlinkMajor::of("2.2.0")?.config_format().file_name(),
            "config.yaml"
        );
        for bad in ["", "3.0.0", "1.20/../x", "v1.20", "1.20 .3"] {
            assert!(FlinkMajor::of(bad).is_err(), "{bad:?} accepted");
        }
        Ok(())
    }
}
