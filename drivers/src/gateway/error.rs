//! The gateway client's error, one variant per outcome of a call, and the classification of a
//! failed call's `{"errors": [...]}` body.

use std::error::Error as StdError;

use super::exception::{self, FlinkSqlError};

/// Why a gateway call failed.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The endpoint is not a usable URL; nothing was sent.
    #[error("invalid Flink SQL Gateway endpoint '{endpoint}': {reason}")]
    BadEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// Why it is unusable.
        reason: String,
    },

    /// The request did not get a response: connection refused or reset, DNS failure, timeout.
    /// The gateway may be down or restarting.
    #[error("cannot reach the Flink SQL Gateway at {endpoint}: {}", innermost(.source))]
    Unreachable {
        /// The gateway's base URL.
        endpoint: String,
        /// The transport error.
        source: reqwest::Error,
    },

    /// A non-2xx response without a Java stack trace (unknown path or version, bad parameter,
    /// or a failure the gateway could not serialize), with the gateway's `errors` as sent.
    #[error("HTTP {status} from the Flink SQL Gateway: {}", .errors.join("; "))]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The `errors` array of the body (or the raw body when it was not JSON).
        errors: Vec<String>,
    },

    /// A 2xx response whose body is not what the API promises (bad JSON, missing field, a value
    /// that does not fit its column type).
    #[error("unexpected response from the Flink SQL Gateway ({context}): {source}")]
    Decode {
        /// What was being decoded.
        context: String,
        /// What was wrong with it.
        source: Box<dyn StdError + Send + Sync>,
    },

    /// Flink failed the statement (parse, validation, planning, job submission or execution).
    #[error(transparent)]
    Flink(FlinkSqlError),

    /// The operation is unknown to the gateway: already closed, or the gateway restarted.
    #[error("the Flink operation no longer exists (closed, or the gateway restarted)")]
    OperationNotFound,

    /// The session is unknown to the gateway: closed, expired after
    /// `sql-gateway.session.idle-timeout`, or the gateway restarted. Open a new one.
    #[error("the Flink session no longer exists (closed, expired, or the gateway restarted)")]
    SessionNotFound,

    /// The operation was cancelled before its result was fetched.
    #[error("the Flink operation was cancelled")]
    Cancelled,

    /// A query's rows sent straight by Weir's result sink stopped before their end without a
    /// failure Flink reports (the job was cancelled, or the connection broke).
    #[error("the result of Flink job {job} ended early: {reason}")]
    ResultCut {
        /// The query's job.
        job: String,
        /// What happened.
        reason: String,
    },

    /// The gateway lacks something Weir needs.
    #[error("{what} is not supported with Flink {flink_version}")]
    Unsupported {
        /// The missing feature.
        what: String,
        /// The gateway's Flink version.
        flink_version: String,
    },
}

impl GatewayError {
    /// A [`GatewayError::Decode`] whose cause is a plain message.
    pub(crate) fn decode(context: impl Into<String>, message: impl Into<String>) -> GatewayError {
        GatewayError::Decode {
            context: context.into(),
            source: message.into().into(),
        }
    }

    /// The error for a non-2xx response with the body's `errors`.
    ///
    /// The gateway reports session and operation lookups as Java exceptions like any other
    /// failure; their messages (`SqlGatewayServiceImpl`, `OperationManager` of Flink 1.20.3) are
    /// recognised first so the caller can reopen a session or stop fetching.
    pub(crate) fn from_response(status: u16, errors: Vec<String>) -> GatewayError {
        let Some(trace) = errors.iter().find(|e| exception::is_trace(e)) else {
            return GatewayError::Http { status, errors };
        };
        let causes = exception::causes(trace);
        let any = |pred: &dyn Fn(&str) -> bool| causes.iter().any(|c| pred(&c.message));
        if any(&|m| m.starts_with("Session '") && m.ends_with("' does not exist.")) {
            return GatewayError::SessionNotFound;
        }
        if any(&|m| m.starts_with("Can not find the submitted operation")) {
            return GatewayError::OperationNotFound;
        }
        if any(&|m| {
            m.starts_with("Can not fetch results from the") && m.ends_with("in CANCELED status.")
        }) {
            return GatewayError::Cancelled;
        }
        match FlinkSqlError::from_trace(trace) {
            Some(e) => GatewayError::Flink(e),
            None => GatewayError::Http { status, errors },
        }
    }
}

/// A transport error with its innermost cause (reqwest's own message only names the URL).
fn innermost(e: &reqwest::Error) -> String {
    let mut last: Option<&dyn StdError> = None;
    let mut cur = e.source();
    while let Some(c) = cur {
        last = Some(c);
        cur = c.source();
    }
    match last {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(lines: &[&str]) -> String {
        let mut s = String::from("<Exception on server side:\n");
        for l in lines {
            s.push_str(l);
            s.push_str("\n\tat org.apache.flink.Some.frame(Some.java:1)\n");
        }
        s.push_str("\nEnd of exception on server side>");
        s
    }

    fn classify(lines: &[&str]) -> GatewayError {
        GatewayError::from_response(500, vec!["Internal server error.".into(), trace(lines)])
    }

    #[test]
    fn recognises_lookups() {
        let e = classify(&[
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to execute statement.",
            "Caused by: org.apache.flink.table.gateway.api.utils.SqlGatewayException: Session '00000000-0000-0000-0000-000000000000' does not exist.",
        ]);
        assert!(matches!(e, GatewayError::SessionNotFound), "{e:?}");
        let e = classify(&[
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.",
            "Caused by: org.apache.flink.table.gateway.api.utils.SqlGatewayException: Can not find the submitted operation in the OperationManager with the 00000000-0000-0000-0000-000000000000.",
        ]);
        assert!(matches!(e, GatewayError::OperationNotFound), "{e:?}");
        let e = classify(&[
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.",
            "Caused by: org.apache.flink.table.gateway.api.utils.SqlGatewayException: Can not fetch results from the d120fc36-3826-4241-97c8-92fddd8ae3d2 in CANCELED status.",
        ]);
        assert!(matches!(e, GatewayError::Cancelled), "{e:?}");
    }

    #[test]
    fn plain_errors_stay_http() {
        let e = GatewayError::from_response(404, vec!["Not found: /v9/info".into()]);
        assert!(
            matches!(&e, GatewayError::Http { status: 404, errors } if errors == &["Not found: /v9/info"])
        );
        let e = GatewayError::from_response(
            500,
            vec!["Internal server error. Could not map response to JSON.".into()],
        );
        assert!(matches!(e, GatewayError::Http { status: 500, .. }));
    }

    #[test]
    fn statement_failures_are_flink_errors() {
        let e = classify(&[
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.",
            "Caused by: org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1, column 15 to line 1, column 18: Object 'nope' not found",
            "Caused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'nope' not found",
        ]);
        let GatewayError::Flink(f) = e else {
            panic!("{e:?}")
        };
        assert_eq!(
            f.exception,
            "org.apache.flink.table.api.ValidationException"
        );
    }
}
