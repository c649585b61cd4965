//! Flink's failures as the gateway reports them: a Java stack trace in the `errors` array of the
//! response (`["Internal server error.", "<Exception on server side:\n… End of exception on server
//! side>"]`, or a single `"…RestHandlerException: …\n\tat …"` element), reduced to the one cause a
//! user should read.

/// A statement failure reported by Flink, reduced to its root cause.
///
/// The cause is chosen from the chain of `Caused by:` exceptions: the gateway's own wrappers
/// (`org.apache.flink.table.gateway.*`, `RestHandlerException`, `ExecutionException`) are
/// skipped; from the deepest remaining cause with a message, the choice moves up while the
/// enclosing exception repeats that message with more context (Calcite's `SqlValidatorException`
/// → `CalciteContextException` → Flink's `ValidationException`, which adds the position); a
/// Calcite exception that is still chosen gives way to the nearest enclosing Flink table-API
/// exception (`TableException`, `ValidationException`, `SqlParserException`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", short_class(exception))]
pub struct FlinkSqlError {
    /// The root cause's Java class, e.g. `org.apache.flink.table.api.ValidationException`.
    pub exception: String,
    /// The root cause's message: its first lines, up to a blank line or a parser's
    /// `Was expecting one of:` list, at most five lines.
    pub message: String,
    /// The whole stack trace as the gateway sent it.
    pub detail: String,
}

/// The most lines [`FlinkSqlError::message`] keeps.
const MESSAGE_LINES: usize = 5;

/// One exception of a chain: its Java class and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cause {
    pub class: String,
    pub message: String,
}

impl FlinkSqlError {
    /// The error described by a stack trace, or `None` if `trace` holds no exception.
    pub(crate) fn from_trace(trace: &str) -> Option<FlinkSqlError> {
        let causes = causes(trace);
        let root = root_cause(&causes)?;
        Some(FlinkSqlError {
            exception: root.class.clone(),
            message: summary(&root.message),
            detail: trace.to_string(),
        })
    }
}

/// Whether an element of `errors` is a Java stack trace.
pub(crate) fn is_trace(text: &str) -> bool {
    text.contains("\n\tat ") || text.contains("\nCaused by: ")
}

/// The exceptions of a stack trace, outermost first.
pub(crate) fn causes(trace: &str) -> Vec<Cause> {
    let body = trace
        .strip_prefix("<Exception on server side:\n")
        .unwrap_or(trace);
    let body = body
        .strip_suffix("End of exception on server side>")
        .unwrap_or(body);
    let mut causes: Vec<Cause> = Vec::new();
    // Whether the lines read now continue the message of the last cause.
    let mut in_message = false;
    for line in body.lines() {
        if line.starts_with('\t') {
            // A frame (`\tat …`, `\t... 48 more`) or a `\tSuppressed: …` block.
            in_message = false;
        } else if let Some(header) = line.strip_prefix("Caused by: ") {
            causes.push(parse_header(header));
            in_message = true;
        } else if causes.is_empty() && !line.trim().is_empty() {
            causes.push(parse_header(line));
            in_message = true;
        } else if in_message && let Some(last) = causes.last_mut() {
            last.message.push('\n');
            last.message.push_str(line);
        }
    }
    for c in &mut causes {
        c.message.truncate(c.message.trim_end().len());
    }
    causes
}

/// `class: message` (or a bare class) of a trace's header line.
fn parse_header(line: &str) -> Cause {
    match line.split_once(": ") {
        Some((class, message)) if is_class_name(class) => Cause {
            class: class.to_string(),
            message: message.to_string(),
        },
        _ if is_class_name(line.trim()) => Cause {
            class: line.trim().to_string(),
            message: String::new(),
        },
        _ => Cause {
            class: String::new(),
            message: line.to_string(),
        },
    }
}

fn is_class_name(s: &str) -> bool {
    !s.is_empty()
        && s.contains('.')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '$' | '_'))
}

/// Exceptions that only wrap the real failure.
fn is_wrapper(class: &str) -> bool {
    class.starts_with("org.apache.flink.table.gateway.")
        || matches!(
            class,
            "org.apache.flink.runtime.rest.handler.RestHandlerException"
                | "java.util.concurrent.ExecutionException"
                | "java.util.concurrent.CompletionException"
        )
}

/// The cause to report (see [`FlinkSqlError`]).
fn root_cause(causes: &[Cause]) -> Option<&Cause> {
    let real: Vec<&Cause> = causes.iter().filter(|c| !is_wrapper(&c.class)).collect();
    if real.is_empty() {
        return causes
            .iter()
            .rev()
            .find(|c| !c.message.is_empty())
            .or(causes.last());
    }
    let mut i = real
        .iter()
        .rposition(|c| !c.message.is_empty())
        .unwrap_or(real.len() - 1);
    while i > 0 {
        let (outer, inner) = (real[i - 1], real[i]);
        if outer.message.contains(&inner.message) && !outer.message.contains(&inner.class) {
            i -= 1;
        } else {
            break;
        }
    }
    if real[i].class.starts_with("org.apache.calcite.")
        && let Some(j) = real[..i]
            .iter()
            .rposition(|c| c.class.starts_with("org.apache.flink.table.api."))
    {
        i = j;
    }
    Some(real[i])
}

/// The first lines of a message, up to a blank line or a parser's list of expected tokens.
fn summary(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("Was expecting"))
        .take(MESSAGE_LINES)
        .map(str::trim_end)
        .collect();
    lines.join("\n")
}

fn short_class(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The trace of `SELECT FROM x` on Flink 1.20.3, frames and most expected tokens cut.
    const PARSE_ERROR: &str = "<Exception on server side:
org.apache.flink.table.gateway.api.utils.SqlGatewayException: org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.
\tat org.apache.flink.table.gateway.rest.handler.statement.FetchResultsHandler.handleRequest(FetchResultsHandler.java:91)
Caused by: org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.
\tat org.apache.flink.table.gateway.service.SqlGatewayServiceImpl.fetchResults(SqlGatewayServiceImpl.java:231)
\t... 48 more
Caused by: org.apache.flink.table.gateway.service.utils.SqlExecutionException: Failed to execute the operation e3d9ed7b-df28-4eb9-833a-8fc6d2adb067.
\tat org.apache.flink.table.gateway.service.operation.OperationManager$Operation.processThrowable(OperationManager.java:414)
Caused by: org.apache.flink.table.api.SqlParserException: SQL parse failed. Incorrect syntax near the keyword 'FROM' at line 1, column 8.
Was expecting one of:
    \"ABS\" ...
    \"ALL\" ...
    
\tat org.apache.flink.table.planner.parse.CalciteParser.parseSqlList(CalciteParser.java:81)
Caused by: org.apache.calcite.sql.parser.SqlParseException: Incorrect syntax near the keyword 'FROM' at line 1, column 8.
Was expecting one of:
    \"ABS\" ...
    \"ALL\" ...
    
\tat org.apache.flink.sql.parser.impl.FlinkSqlParserImpl.convertException(FlinkSqlParserImpl.java:494)
Caused by: org.apache.flink.sql.parser.impl.ParseException: Incorrect syntax near the keyword 'FROM' at line 1, column 8.
Was expecting one of:
    \"ABS\" ...
    \"ALL\" ...
    
\tat org.apache.flink.sql.parser.impl.FlinkSqlParserImpl.generateParseException(FlinkSqlParserImpl.java:46611)
\t... 19 more

End of exception on server side>";

    #[test]
    fn parses_the_cause_chain() {
        let c = causes(PARSE_ERROR);
        assert_eq!(c.len(), 6);
        assert_eq!(
            c[0].class,
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException"
        );
        assert_eq!(c[3].class, "org.apache.flink.table.api.SqlParserException");
        assert!(c[3].message.starts_with("SQL parse failed. Incorrect syntax near the keyword 'FROM' at line 1, column 8.\nWas expecting one of:\n    \"ABS\" ..."));
        assert_eq!(
            c[5].class,
            "org.apache.flink.sql.parser.impl.ParseException"
        );
    }

    #[test]
    fn syntax_errors_keep_the_position() {
        let e = FlinkSqlError::from_trace(PARSE_ERROR).unwrap();
        assert_eq!(e.exception, "org.apache.flink.table.api.SqlParserException");
        assert_eq!(
            e.message,
            "SQL parse failed. Incorrect syntax near the keyword 'FROM' at line 1, column 8."
        );
        assert_eq!(e.detail, PARSE_ERROR);
        assert_eq!(
            e.to_string(),
            "SqlParserException: SQL parse failed. Incorrect syntax near the keyword 'FROM' at line 1, column 8."
        );
    }

    fn chain(lines: &[&str]) -> String {
        lines
            .iter()
            .map(|l| format!("{l}\n\tat x.Y.z(Y.java:1)\n"))
            .collect()
    }

    #[test]
    fn validation_errors_climb_to_flinks_exception() {
        let t = chain(&[
            "org.apache.flink.runtime.rest.handler.RestHandlerException: Failed to fetchResults.",
            "Caused by: org.apache.flink.table.gateway.service.utils.SqlExecutionException: Failed to execute the operation 3b035530.",
            "Caused by: org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1, column 15 to line 1, column 18: Object 'nope' not found",
            "Caused by: org.apache.calcite.runtime.CalciteContextException: From line 1, column 15 to line 1, column 18: Object 'nope' not found",
            "Caused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'nope' not found",
        ]);
        let e = FlinkSqlError::from_trace(&t).unwrap();
        assert_eq!(
            e.exception,
            "org.apache.flink.table.api.ValidationException"
        );
        assert_eq!(
            e.message,
            "SQL validation failed. From line 1, column 15 to line 1, column 18: Object 'nope' not found"
        );
    }

    #[test]
    fn calcite_internals_give_way_to_flinks_exception() {
        let t = "org.apache.flink.table.gateway.service.utils.SqlExecutionException: Failed to execute the operation x.\n\tat a.B.c(B.java:1)\n\
Caused by: org.apache.flink.table.api.TableException: Cannot generate a valid execution plan for the given query: \n\nFlinkLogicalCalc(select=[x])\n\nThis exception indicates that the query uses an unsupported SQL feature.\n\tat a.B.c(B.java:1)\n\
Caused by: org.apache.calcite.plan.RelOptPlanner$CannotPlanException: There are not enough rules to produce a node with desired properties.\n\tat a.B.c(B.java:1)\n";
        let e = FlinkSqlError::from_trace(t).unwrap();
        assert_eq!(e.exception, "org.apache.flink.table.api.TableException");
        assert_eq!(
            e.message,
            "Cannot generate a valid execution plan for the given query:"
        );
    }

    #[test]
    fn job_failures_report_the_deepest_cause() {
        let t = chain(&[
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.",
            "Caused by: org.apache.flink.runtime.client.JobExecutionException: Job execution failed.",
            "Caused by: org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy",
            "Caused by: java.lang.RuntimeException: java.lang.ArithmeticException: / by zero",
            "Caused by: java.lang.ArithmeticException: / by zero",
            "Caused by: java.lang.NullPointerException",
        ]);
        let e = FlinkSqlError::from_trace(&t).unwrap();
        assert_eq!(
            (e.exception.as_str(), e.message.as_str()),
            ("java.lang.ArithmeticException", "/ by zero")
        );
    }

    #[test]
    fn only_wrappers_report_the_deepest_message() {
        let t = chain(&[
            "org.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.",
            "Caused by: org.apache.flink.table.gateway.service.utils.SqlExecutionException: Expecting token to be 0, but found 9.",
        ]);
        let e = FlinkSqlError::from_trace(&t).unwrap();
        assert_eq!(e.message, "Expecting token to be 0, but found 9.");
        assert!(FlinkSqlError::from_trace("").is_none());
    }
}
