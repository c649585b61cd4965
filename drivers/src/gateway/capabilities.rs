//! What a given gateway can do: the REST API version negotiated with it and the features that
//! follow from that version and from the Flink release behind it. Every version difference the
//! client or the server acts on is a field here, decided in [`Capabilities::new`] and nowhere else.

use std::fmt;

/// A SQL Gateway REST API version that Weir knows (`SqlGatewayRestAPIVersion` in Flink).
///
/// | version | first Flink release | adds |
/// |---|---|---|
/// | V1 | 1.16 | sessions, statements, operations, results (no `rowFormat`) |
/// | V2 | 1.17 | `configure-session`, `complete-statement`, the mandatory `rowFormat` of results |
/// | V3 | 1.20 | materialized-table refresh (an endpoint served only as `/v3`) |
/// | V4 | 2.0 | deploying a script in application mode |
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiVersion {
    /// Flink 1.16.
    V1,
    /// Flink 1.17 to 1.19.
    V2,
    /// Flink 1.20.
    V3,
    /// Flink 2.0 and later.
    V4,
}

impl ApiVersion {
    /// Every version Weir knows, oldest first.
    pub const ALL: [ApiVersion; 4] = [
        ApiVersion::V1,
        ApiVersion::V2,
        ApiVersion::V3,
        ApiVersion::V4,
    ];

    /// The name `GET /api_versions` lists (`"V3"`).
    pub fn name(self) -> &'static str {
        match self {
            ApiVersion::V1 => "V1",
            ApiVersion::V2 => "V2",
            ApiVersion::V3 => "V3",
            ApiVersion::V4 => "V4",
        }
    }

    /// The path prefix that addresses this version (`"/v3"`).
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V1 => "/v1",
            ApiVersion::V2 => "/v2",
            ApiVersion::V3 => "/v3",
            ApiVersion::V4 => "/v4",
        }
    }

    /// The version called `name` in `GET /api_versions`, if Weir knows it.
    pub fn from_name(name: &str) -> Option<ApiVersion> {
        ApiVersion::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The version to use with a gateway that serves `offered` (the names of
    /// `GET /api_versions`): the highest one Weir also knows, as Flink's SQL client does.
    /// Unknown (newer) names are ignored.
    pub fn negotiate<S: AsRef<str>>(offered: &[S]) -> Option<ApiVersion> {
        offered
            .iter()
            .filter_map(|n| ApiVersion::from_name(n.as_ref()))
            .max()
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The features of one gateway, from its Flink version and the negotiated API version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// The negotiated REST API version; every session and statement call uses its prefix.
    pub api: ApiVersion,
    /// Results are fetched with `?rowFormat=JSON` (V2+; the parameter is mandatory there).
    pub row_format_param: bool,
    /// `POST /sessions/{sh}/configure-session` runs SET, RESET, DDL, USE and ADD JAR
    /// synchronously (V2+).
    pub configure_session: bool,
    /// `GET /sessions/{sh}/complete-statement` offers completions (V2+).
    pub complete_statement: bool,
    /// `POST /sessions/{sh}/materialized-tables/{id}/refresh` exists (V3+; always called as `/v3`).
    pub materialized_table_refresh: bool,
    /// `POST /sessions/{sh}/scripts` deploys a script in application mode (V4+).
    pub deploy_script: bool,
    /// Flink SQL has `SHOW MATERIALIZED TABLES` and `DESCRIBE FUNCTION` (Flink 2.2+; from the
    /// parser classes of 1.20.3 and 2.2.0).
    pub show_materialized_tables: bool,
    /// `(major, minor)` of the gateway's Flink.
    pub flink_release: (u32, u32),
}

/// Statements that only some Flink versions have: what a statement needs, described by the
/// server without SQL words (the server decides what a statement is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionedStatement {
    ShowMaterializedTables,
    ShowCreateMaterializedTable,
    DescribeFunction,
    AlterModel,
}

impl VersionedStatement {
    /// The statement's name, as an error names it.
    pub fn name(self) -> &'static str {
        match self {
            VersionedStatement::ShowMaterializedTables => "SHOW MATERIALIZED TABLES",
            VersionedStatement::ShowCreateMaterializedTable => "SHOW CREATE MATERIALIZED TABLE",
            VersionedStatement::DescribeFunction => "DESCRIBE FUNCTION",
            VersionedStatement::AlterModel => "ALTER MODEL",
        }
    }

    /// The first Flink release that has it (from the parser classes of 1.20.3 and 2.2.0).
    pub fn since(self) -> (u32, u32) {
        match self {
            VersionedStatement::ShowMaterializedTables
            | VersionedStatement::ShowCreateMaterializedTable
            | VersionedStatement::DescribeFunction
            | VersionedStatement::AlterModel => (2, 2),
        }
    }
}

impl Capabilities {
    /// The capabilities of Flink `flink_version` (e.g. `"1.20.3"`) spoken to through `api`.
    pub fn new(flink_version: &str, api: ApiVersion) -> Capabilities {
        let flink = release(flink_version);
        Capabilities {
            api,
            row_format_param: api >= ApiVersion::V2,
            configure_session: api >= ApiVersion::V2,
            complete_statement: api >= ApiVersion::V2,
            materialized_table_refresh: api >= ApiVersion::V3,
            deploy_script: api >= ApiVersion::V4,
            show_materialized_tables: flink >= (2, 2),
            flink_release: flink,
        }
    }

    /// When this Flink lacks `statement`: the first version that has it (`"2.2"`).
    pub fn lacks(&self, statement: VersionedStatement) -> Option<String> {
        let since = statement.since();
        (self.flink_release < since).then(|| format!("{}.{}", since.0, since.1))
    }
}

/// `(major, minor)` of a Flink version string (`"2.2.0"`, `"1.20-SNAPSHOT"`); `(0, 0)` if it
/// does not start with two numbers.
fn release(version: &str) -> (u32, u32) {
    let mut parts = version.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor),
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_which_statements_a_version_lacks() {
        let old = Capabilities::new("1.20.3", ApiVersion::V3);
        let new = Capabilities::new("2.2.0", ApiVersion::V4);
        assert_eq!(old.lacks(VersionedStatement::ShowMaterializedTables), Some("2.2".into()));
        assert_eq!(new.lacks(VersionedStatement::ShowMaterializedTables), None);
        assert_eq!(new.lacks(VersionedStatement::AlterModel), None);
    }

    #[test]
    fn negotiates_the_highest_known_version() {
        assert_eq!(
            ApiVersion::negotiate(&["V1", "V2", "V3"]),
            Some(ApiVersion::V3)
        );
        assert_eq!(
            ApiVersion::negotiate(&["V1", "V2", "V3", "V4"]),
            Some(ApiVersion::V4)
        );
        assert_eq!(
            ApiVersion::negotiate(&["V1", "V2", "V3", "V4", "V5"]),
            Some(ApiVersion::V4)
        );
        assert_eq!(ApiVersion::negotiate(&["V7"]), None);
        assert_eq!(ApiVersion::negotiate::<&str>(&[]), None);
    }

    #[test]
    fn capabilities_follow_the_versions() {
        let v3 = Capabilities::new("1.20.3", ApiVersion::V3);
        assert!(v3.row_format_param && v3.configure_session && v3.materialized_table_refresh);
        assert!(!v3.deploy_script && !v3.show_materialized_tables);
        let v4 = Capabilities::new("2.2.0", ApiVersion::V4);
        assert!(v4.deploy_script && v4.show_materialized_tables);
        let v1 = Capabilities::new("1.16.3", ApiVersion::V1);
        assert!(!v1.row_format_param && !v1.configure_session);
        assert!(!Capabilities::new("2.1-SNAPSHOT", ApiVersion::V4).show_materialized_tables);
        assert!(!Capabilities::new("garbage", ApiVersion::V4).show_materialized_tables);
    }
}
