//! The JSON bodies of the SQL Gateway REST API, as Flink's serializers write them
//! (`FetchResultsResponseBodySerializer`, `ResultInfoSerializer`; the OpenAPI files differ).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET /info`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Info {
    pub product_name: String,
    pub version: String,
}

/// `GET /api_versions`.
#[derive(Debug, Deserialize)]
pub(crate) struct ApiVersions {
    pub versions: Vec<String>,
}

/// `POST /sessions`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OpenSession<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_name: Option<&'a str>,
    pub properties: &'a BTreeMap<String, String>,
}

/// The answer to `POST /sessions`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionOpened {
    pub session_handle: String,
}

/// `GET /sessions/{sh}`.
#[derive(Debug, Deserialize)]
pub(crate) struct SessionConfig {
    pub properties: BTreeMap<String, String>,
}

/// `POST /sessions/{sh}/statements`. `executionTimeout` is never sent: Flink rejects any value
/// but 0.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExecuteStatement<'a> {
    pub statement: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub execution_config: &'a BTreeMap<String, String>,
}

/// The answer to `POST /sessions/{sh}/statements`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatementSubmitted {
    pub operation_handle: String,
}

/// A failed call: `{"errors": ["…", "<stack trace>"]}`.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorBody {
    pub errors: Vec<String>,
}

/// `GET …/result/{token}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FetchResults {
    pub result_type: ResultType,
    /// Absent while NOT_READY.
    pub is_query_result: Option<bool>,
    #[serde(rename = "jobID")]
    pub job_id: Option<String>,
    pub result_kind: Option<ResultKindName>,
    pub results: Option<ResultInfo>,
    /// Absent at EOS; NOT_READY points at the same token again.
    pub next_result_uri: Option<String>,
}

/// `resultType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum ResultType {
    NotReady,
    Payload,
    Eos,
}

/// `resultKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum ResultKindName {
    Success,
    SuccessWithContent,
}

/// `results`.
#[derive(Debug, Deserialize)]
pub(crate) struct ResultInfo {
    /// Sent on every page by 1.20.3; only the first page's are read.
    #[serde(default)]
    pub columns: Vec<ColumnInfo>,
    #[serde(default)]
    pub data: Vec<RowData>,
}

/// One column: `{"name", "logicalType", "comment"}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ColumnInfo {
    pub name: String,
    /// `LogicalTypeJsonSerializer`'s JSON, read by [`super::types`].
    pub logical_type: Value,
}

/// One row: `{"kind": "INSERT", "fields": [...]}`.
#[derive(Debug, Deserialize)]
pub(crate) struct RowData {
    pub kind: String,
    pub fields: Vec<Value>,
}
