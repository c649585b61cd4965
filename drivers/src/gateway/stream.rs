//! A statement's result as the gateway serves it: the first page read into a
//! [`StatementResult`], then the rows, fetched page by page by following the gateway's
//! `nextResultUri` ([`ResultStream`]).

use std::sync::Arc;
use std::time::Duration;

use arrow_schema::{Schema, SchemaRef};
use tracing::debug;

use super::convert::changelog_batch;
use super::direct::{DirectRows, ResultListener};
use super::error::GatewayError;
use crate::flink::JobManagerClient;
use super::operation::Operation;
use super::result::{ChangelogBatch, ResultKind};
use super::types::arrow_field;
use super::wire::{FetchResults, ResultKindName, ResultType};

/// How often a result that has nothing yet is polled. Most statements that run no job are done
/// within a millisecond or two of being submitted, and a poll is a cheap local REST call, while
/// Tokio's timer sleeps at least until the next millisecond tick (a 1 ms sleep lasts about
/// 2 ms): so the first dozen polls follow each other at once (about 1.5 ms, each a REST round
/// trip on loopback), then come every millisecond for 10 ms, then back off, doubling up to
/// 200 ms.
#[derive(Debug, Clone, Copy)]
struct Poll {
    polls: u32,
}

impl Poll {
    const AT_ONCE: u32 = 12;
    const EVERY_MS: u32 = 10;
    const CAP: Duration = Duration::from_millis(200);

    fn new() -> Self {
        Poll { polls: 0 }
    }

    /// The wait before the next poll (zero: poll again at once).
    fn next(&mut self) -> Duration {
        self.polls = self.polls.saturating_add(1);
        let p = self.polls;
        if p <= Self::AT_ONCE {
            Duration::ZERO
        } else if p <= Self::AT_ONCE + Self::EVERY_MS {
            Duration::from_millis(1)
        } else {
            let doublings = (p - Self::AT_ONCE - Self::EVERY_MS).min(16);
            Duration::from_millis(1).saturating_mul(2u32.saturating_pow(doublings)).min(Self::CAP)
        }
    }

    /// Waits before the next poll.
    async fn wait(&mut self) {
        match self.next() {
            Duration::ZERO => tokio::task::yield_now().await,
            d => tokio::time::sleep(d).await,
        }
    }
}

/// The result of [`FlinkSession::execute`](super::FlinkSession::execute), read from its first
/// page.
#[derive(Debug)]
pub struct StatementResult {
    /// The job the statement submitted (INSERT, SELECT), if any.
    pub job_id: Option<String>,
    /// Whether the statement is a query (`isQueryResult`): SELECT, VALUES, WITH, but not SHOW,
    /// DESCRIBE, EXPLAIN, SET or INSERT.
    pub is_query: bool,
    /// Whether the statement returns rows beyond Flink's `OK` (`resultKind`).
    pub kind: ResultKind,
    /// The columns, with Flink's types as field metadata (see [`super::types`]).
    pub schema: SchemaRef,
    /// The rows, fetched page by page; already holding the first page.
    pub rows: ResultStream,
}

impl StatementResult {
    /// The result of the query whose job `job` writes to Weir's result sink listening on
    /// `listener`: waits for the sink's first writer and reads its columns from it (see
    /// [`ResultListener`]). A job that ends before its sink connects fails with its failure;
    /// the job is stopped on every error.
    pub async fn direct(listener: ResultListener, job: String, jobmanager: JobManagerClient) -> Result<StatementResult, GatewayError> {
        let rows = listener.accept(job, jobmanager).await?;
        let job_id = Some(rows.job().to_string());
        let rows = ResultStream::direct(rows);
        Ok(StatementResult { job_id, is_query: true, kind: ResultKind::SuccessWithContent, schema: rows.schema.clone(), rows })
    }
}

/// The rows of a statement, one page at a time.
///
/// Dropping a stream before its end cancels and closes its operation in the background (on the
/// current Tokio runtime, if any), which stops the query's job; at its end the stream closes
/// the operation itself.
#[derive(Debug)]
pub struct ResultStream {
    /// `None` once the operation is closed (end reached, closed, cancelled).
    operation: Option<Operation>,
    schema: SchemaRef,
    /// The rows of the first page, fetched by `execute`.
    pending: Option<ChangelogBatch>,
    /// The next page to fetch; `None` at the end.
    next_uri: Option<String>,
    /// Rows sent straight by Weir's result sink instead of pages of the gateway (then
    /// `operation` is `None`).
    direct: Option<DirectRows>,
}

impl ResultStream {
    /// The rows of a result sent straight by Weir's result sink.
    pub(crate) fn direct(rows: DirectRows) -> ResultStream {
        let schema = rows.schema().clone();
        ResultStream { operation: None, schema, pending: None, next_uri: None, direct: Some(rows) }
    }

    /// The next non-empty batch, or `None` at the end of the result.
    ///
    /// While the gateway has nothing new (NOT_READY, or an empty page of a running streaming
    /// query) this keeps polling (at once at first, then every millisecond, then backing off to
    /// 200 ms); a streaming query may
    /// therefore wait indefinitely, so bound it with a timeout or `select!`. A failed fetch
    /// leaves the stream where it was: calling again retries the same page, which the gateway
    /// serves again.
    pub async fn next_batch(&mut self) -> Result<Option<ChangelogBatch>, GatewayError> {
        if let Some(batch) = self.pending.take() {
            return Ok(Some(batch));
        }
        if let Some(direct) = &mut self.direct {
            return direct.next_batch().await;
        }
        let mut poll = Poll::new();
        loop {
            let (Some(operation), Some(uri)) = (&self.operation, &self.next_uri) else {
                return Ok(None);
            };
            let page = operation.fetch(uri).await?;
            let end = self.advance(&page);
            let batch = match &page.results {
                Some(results) if !results.data.is_empty() => {
                    Some(changelog_batch(&self.schema, &results.data)?)
                }
                _ => None,
            };
            if end {
                self.finish().await;
            }
            if batch.is_some() || end {
                return Ok(batch);
            }
            poll.wait().await;
        }
    }

    /// Cancels the statement (stopping its job) and closes its operation.
    pub async fn cancel(mut self) -> Result<(), GatewayError> {
        if let Some(direct) = self.direct.take() {
            return direct.cancel().await;
        }
        match self.operation.take() {
            Some(operation) => operation.cancel().await,
            None => Ok(()),
        }
    }

    /// Closes the operation; a query whose job still runs is stopped with it.
    pub async fn close(mut self) -> Result<(), GatewayError> {
        if let Some(direct) = self.direct.take() {
            return direct.cancel().await;
        }
        match self.operation.take() {
            Some(operation) => operation.close().await,
            None => Ok(()),
        }
    }

    /// Moves to the page after `page`; whether `page` was the last one.
    fn advance(&mut self, page: &FetchResults) -> bool {
        match (&page.result_type, &page.next_result_uri) {
            (ResultType::NotReady, Some(next)) | (ResultType::Payload, Some(next)) => {
                self.next_uri = Some(next.clone());
                false
            }
            (ResultType::NotReady, None) => false,
            (ResultType::Payload, None) | (ResultType::Eos, _) => {
                self.next_uri = None;
                true
            }
        }
    }

    /// Closes the operation at the end of the result.
    async fn finish(&mut self) {
        if let Some(operation) = self.operation.take()
            && let Err(e) = operation.close().await
        {
            debug!(error = %e, "closing a finished Flink operation");
        }
    }
}

/// Waits for the first page of `operation` and describes the statement from it.
pub(crate) async fn start(operation: Operation) -> Result<StatementResult, GatewayError> {
    let mut uri = operation.first_page_uri();
    let mut poll = Poll::new();
    let page = loop {
        let page = match operation.fetch(&uri).await {
            Ok(page) => page,
            Err(e) => {
                if let Err(close) = operation.close().await {
                    debug!(error = %close, "closing a failed Flink operation");
                }
                return Err(e);
            }
        };
        if page.result_type != ResultType::NotReady {
            break page;
        }
        if let Some(next) = &page.next_result_uri {
            uri.clone_from(next);
        }
        poll.wait().await;
    };
    let missing = |what: &str| GatewayError::decode("first result page", format!("no {what}"));
    let results = page.results.as_ref().ok_or_else(|| missing("results"))?;
    let fields = results
        .columns
        .iter()
        .map(|c| {
            arrow_field(&c.name, &c.logical_type)
                .map_err(|m| GatewayError::decode(format!("type of column `{}`", c.name), m))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let schema: SchemaRef = Arc::new(Schema::new(fields));
    let kind = match page.result_kind.ok_or_else(|| missing("resultKind"))? {
        ResultKindName::Success => ResultKind::Success,
        ResultKindName::SuccessWithContent => ResultKind::SuccessWithContent,
    };
    let is_query = page
        .is_query_result
        .ok_or_else(|| missing("isQueryResult"))?;
    let mut rows = ResultStream {
        operation: Some(operation),
        schema: schema.clone(),
        pending: None,
        next_uri: Some(uri),
        direct: None,
    };
    let end = rows.advance(&page);
    if !results.data.is_empty() {
        rows.pending = Some(changelog_batch(&schema, &results.data)?);
    }
    if end {
        rows.finish().await;
    }
    Ok(StatementResult {
        job_id: page.job_id,
        is_query,
        kind,
        schema,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_are_frequent_at_first_then_back_off_to_the_cap() {
        let mut p = Poll::new();
        let waits: Vec<u128> = (0..40).map(|_| p.next().as_millis()).collect();
        assert_eq!(&waits[..12], &[0; 12]);
        assert_eq!(&waits[12..22], &[1; 10]);
        assert_eq!(&waits[22..30], &[2, 4, 8, 16, 32, 64, 128, 200]);
        assert!(waits[30..].iter().all(|w| *w == 200));
    }
}
