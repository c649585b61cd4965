//! Rows sent straight to Weir by its `weir-result` sink (see
//! [`crate::flink::build_result_sink`]), read as they arrive: each of the sink's parallel writers
//! connects to a listener Weir opened for one query, sends a header line (the token Weir
//! expects, which writer of how many it is, the attempt, the columns), then one JSON line per
//! row, as the gateway's JSON result pages hold them, then `{"end": <rows>}`. Each connection is
//! read by a task of its own, which decodes its rows into batches; the result is their batches
//! as they come. A connection that closes before its end line means the job failed or was
//! cancelled; the job's failure is then read from the JobManager.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use arrow_schema::{Schema, SchemaRef};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tracing::{debug, warn};

use super::convert::changelog_batch;
use super::error::GatewayError;
use super::exception::FlinkSqlError;
use super::result::ChangelogBatch;
use super::types::arrow_field_of_sql_type;
use super::wire::RowData;
use crate::flink::JobManagerClient;

/// Most rows decoded into one batch.
const BATCH_ROWS: usize = 4096;
/// Most decoded batches waiting for the client.
const CHANNEL_BATCHES: usize = 8;
/// How often the job is checked while its sink has not connected yet.
const JOB_CHECK_EVERY: Duration = Duration::from_millis(500);
/// How long a connected sink may take to send its header.
const HEADER_WAIT: Duration = Duration::from_secs(30);
/// How long a job whose rows stopped early is given to reach its final state.
const FAILURE_WAIT: Duration = Duration::from_secs(10);

/// A listener for one query's rows.
#[derive(Debug)]
pub struct ResultListener {
    listener: TcpListener,
    token: String,
    address: String,
}

#[derive(Deserialize)]
struct Header {
    token: String,
    subtask: u32,
    subtasks: u32,
    attempt: u32,
    columns: Vec<HeaderColumn>,
}

#[derive(Deserialize)]
struct HeaderColumn {
    name: String,
    #[serde(rename = "type")]
    sql_type: String,
    nullable: bool,
}

#[derive(Deserialize)]
struct End {
    end: u64,
}

/// A fresh secret for one listener: 16 bytes from the OS, as hex.
fn new_token() -> Result<String, GatewayError> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).map_err(|e| GatewayError::decode("a result sink token", e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl ResultListener {
    /// Listens on `host` (a port the OS chooses) for one sink.
    pub async fn bind(host: &str) -> Result<ResultListener, GatewayError> {
        let listener = TcpListener::bind((host, 0)).await.map_err(|e| GatewayError::decode(format!("listening for a result on {host}"), e.to_string()))?;
        let port = listener.local_addr().map_err(|e| GatewayError::decode("the result listener's address", e.to_string()))?.port();
        Ok(ResultListener { listener, token: new_token()?, address: format!("{host}:{port}") })
    }

    /// The sink's `WITH` options, as SQL.
    pub fn sink_options(&self) -> String {
        format!("'connector' = '{}', 'address' = '{}', 'token' = '{}'", crate::flink::RESULT_SINK_CONNECTOR, self.address, self.token)
    }

    /// The token, which names the query's sink table too.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Waits for `job`'s sink to connect and send its header, and returns its rows. A job that
    /// ends before its sink connects fails with its failure. Stops the job on every error.
    pub(crate) async fn accept(self, job: String, jobmanager: JobManagerClient) -> Result<DirectRows, GatewayError> {
        let first = match self.next_writer(&job, &jobmanager, None).await {
            Ok(w) => w,
            Err(e) => {
                cancel_job(&jobmanager, &job).await;
                return Err(e);
            }
        };
        let schema = first.schema.clone();
        let writers = first.header.subtasks.max(1);
        let (tx, rx) = mpsc::channel(CHANNEL_BATCHES);
        let mut tasks = vec![tokio::spawn(read_writer(first, tx.clone()))];
        if writers > 1 {
            let (job, jobmanager) = (job.clone(), jobmanager.clone());
            tasks.push(tokio::spawn(async move { self.accept_rest(writers, job, jobmanager, tx).await }));
        }
        Ok(DirectRows { rx, schema, job, jobmanager, writers, ended: 0, done: false, rows: 0, tasks })
    }

    /// Accepts the writers after the first and starts a reader for each; a job that ends before
    /// they all connected is reported on `tx`.
    async fn accept_rest(self, writers: u32, job: String, jobmanager: JobManagerClient, tx: mpsc::Sender<Message>) {
        let mut seen = vec![false; writers as usize];
        let mut connected = 1;
        let mut readers = Vec::new();
        while connected < writers {
            match self.next_writer(&job, &jobmanager, Some(writers)).await {
                Ok(w) => {
                    let index = w.header.subtask as usize;
                    if seen.get(index).copied().unwrap_or(true) {
                        let _ = tx.send(Message::Failed(format!("writer {index} of {writers} connected twice (the job restarted)"))).await;
                        return;
                    }
                    seen[index] = true;
                    connected += 1;
                    readers.push(tokio::spawn(read_writer(w, tx.clone())));
                }
                Err(e) => {
                    let _ = tx.send(Message::Error(e)).await;
                    return;
                }
            }
        }
        // Keep the readers' handles alive with this task (aborting it does not abort them: they
        // end with their connections, or when the result is dropped and the channel closes).
        for r in readers {
            let _ = r.await;
        }
    }

    /// Waits for the next writer's connection and header, checking the job meanwhile.
    async fn next_writer(&self, job: &str, jobmanager: &JobManagerClient, writers: Option<u32>) -> Result<Writer, GatewayError> {
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, peer) = accepted.map_err(|e| GatewayError::decode("accepting a result connection", e.to_string()))?;
                    match tokio::time::timeout(HEADER_WAIT, self.header(stream)).await {
                        Ok(Ok(Some(w))) => {
                            if writers.is_some_and(|n| n != w.header.subtasks) {
                                return Err(GatewayError::ResultCut { job: job.to_string(), reason: "the sink's writers disagree on how many they are".into() });
                            }
                            return Ok(w);
                        }
                        Ok(Ok(None)) => warn!(%peer, "a connection to a result listener sent the wrong token; closed"),
                        Ok(Err(e)) => debug!(%peer, error = %e, "a result connection failed before its header"),
                        Err(_) => debug!(%peer, "a result connection sent no header in time"),
                    }
                }
                () = tokio::time::sleep(JOB_CHECK_EVERY) => {
                    if let Ok(Some(state)) = job_state(jobmanager, job).await && is_terminal(&state) {
                        return Err(job_failure(jobmanager, job, &format!("its job ended {state} before all its writers connected")).await);
                    }
                }
            }
        }
    }

    /// Reads the header of a connection: `None` if it is not our sink's.
    async fn header(&self, stream: TcpStream) -> Result<Option<Writer>, GatewayError> {
        let _ = stream.set_nodelay(true);
        let mut reader = BufReader::with_capacity(1 << 18, stream);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).await.map_err(|e| GatewayError::decode("a result header", e.to_string()))?;
        let header: Header = serde_json::from_slice(&line).map_err(|e| GatewayError::decode("a result header", e.to_string()))?;
        if header.token != self.token {
            return Ok(None);
        }
        if header.attempt > 0 {
            debug!(attempt = header.attempt, subtask = header.subtask, "a restarted result writer connected");
        }
        let fields: Vec<_> = header.columns.iter().map(|c| arrow_field_of_sql_type(&c.name, &c.sql_type, c.nullable)).collect();
        Ok(Some(Writer { reader, header, schema: Arc::new(Schema::new(fields)) }))
    }
}

/// One connected writer of the sink.
struct Writer {
    reader: BufReader<TcpStream>,
    header: Header,
    schema: SchemaRef,
}

/// What a writer's reader reports.
#[derive(Debug)]
enum Message {
    Batch(ChangelogBatch),
    /// The writer sent all its rows.
    End,
    /// The writer's connection ended early (why).
    Failed(String),
    /// Something else went wrong.
    Error(GatewayError),
}

/// Reads one writer's rows into batches on `tx`, until its end line, an error, or a closed channel.
async fn read_writer(mut w: Writer, tx: mpsc::Sender<Message>) {
    let mut line = Vec::new();
    let mut rows: Vec<RowData> = Vec::new();
    let mut total: u64 = 0;
    let subtask = w.header.subtask;
    loop {
        // A batch leaves when full, or when everything the writer has sent so far is decoded (the
        // sink writes in 64 KiB pieces, so a batch holds what one of them carried).
        if !rows.is_empty() && (rows.len() >= BATCH_ROWS || w.reader.buffer().is_empty()) {
            total += rows.len() as u64;
            let batch = changelog_batch(&w.schema, &std::mem::take(&mut rows));
            let message = match batch {
                Ok(b) => Message::Batch(b),
                Err(e) => Message::Error(e),
            };
            let failed = matches!(message, Message::Error(_));
            if tx.send(message).await.is_err() || failed {
                return;
            }
        }
        line.clear();
        let read = w.reader.read_until(b'\n', &mut line).await;
        if !matches!(read, Ok(n) if n > 0) || line.last() != Some(&b'\n') {
            let sent = total + rows.len() as u64;
            let what = match read {
                Err(e) => format!("writer {subtask}'s connection failed after {sent} rows: {e}"),
                Ok(_) => format!("writer {subtask}'s connection closed after {sent} rows"),
            };
            let _ = tx.send(Message::Failed(what)).await;
            return;
        }
        if line.starts_with(b"{\"end\"") {
            let message = match serde_json::from_slice::<End>(&line) {
                Ok(end) if end.end == total + rows.len() as u64 => None,
                Ok(end) => Some(Message::Failed(format!("writer {subtask} sent {} rows, {} arrived", end.end, total + rows.len() as u64))),
                Err(e) => Some(Message::Error(GatewayError::decode("a result's end", e.to_string()))),
            };
            if let Some(m) = message {
                let _ = tx.send(m).await;
                return;
            }
            if !rows.is_empty() {
                match changelog_batch(&w.schema, &rows) {
                    Ok(b) => {
                        if tx.send(Message::Batch(b)).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Message::Error(e)).await;
                        return;
                    }
                }
            }
            let _ = tx.send(Message::End).await;
            return;
        }
        match serde_json::from_slice::<RowData>(&line) {
            Ok(row) => rows.push(row),
            Err(e) => {
                let _ = tx.send(Message::Error(GatewayError::decode(format!("row {} of writer {subtask}", total + rows.len() as u64), e.to_string()))).await;
                return;
            }
        }
    }
}

/// The job's state from the JobManager's live job list (`None`: not listed); an error when the
/// JobManager does not answer.
async fn job_state(jobmanager: &JobManagerClient, job: &str) -> Result<Option<String>, String> {
    match jobmanager.jobs().await {
        Ok(jobs) => Ok(jobs.into_iter().find(|j| j.jid == job).map(|j| j.state)),
        Err(e) => {
            debug!(error = %e, "reading the job list for a result");
            Err(e.to_string())
        }
    }
}

fn is_terminal(state: &str) -> bool {
    matches!(state, "FAILED" | "CANCELED" | "FINISHED" | "SUSPENDED")
}

/// Why `job`'s rows stopped: Flink's failure if it reports one, else `what`.
async fn job_failure(jobmanager: &JobManagerClient, job: &str, what: &str) -> GatewayError {
    let deadline = tokio::time::Instant::now() + FAILURE_WAIT;
    let mut state = None;
    while tokio::time::Instant::now() < deadline {
        match job_state(jobmanager, job).await {
            Ok(s) => state = s,
            Err(e) => {
                state = Some(format!("unknown: its JobManager does not answer ({e})"));
                break;
            }
        }
        if state.as_deref().is_some_and(is_terminal) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if state.as_deref() == Some("FAILED")
        && let Ok(Some(trace)) = jobmanager.failure_trace(job).await
        && let Some(e) = FlinkSqlError::from_trace(&trace)
    {
        return GatewayError::Flink(e);
    }
    let state = state.unwrap_or_else(|| "in an unknown state".to_string());
    GatewayError::ResultCut { job: job.to_string(), reason: format!("{what} (the job is {state})") }
}

async fn cancel_job(jobmanager: &JobManagerClient, job: &str) {
    if let Err(e) = jobmanager.cancel(job).await {
        debug!(job, error = %e, "cancelling a result's job");
    }
}

/// The rows of one direct result: the batches of its writers' readers, as they come.
#[derive(Debug)]
pub(crate) struct DirectRows {
    rx: mpsc::Receiver<Message>,
    schema: SchemaRef,
    job: String,
    jobmanager: JobManagerClient,
    /// How many writers the sink has, and how many sent their end.
    writers: u32,
    ended: u32,
    /// All rows arrived, or the result failed: nothing more to read or stop.
    done: bool,
    rows: u64,
    tasks: Vec<JoinHandle<()>>,
}

impl DirectRows {
    pub(crate) fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    pub(crate) fn job(&self) -> &str {
        &self.job
    }

    /// The next non-empty batch, or `None` at the end.
    pub(crate) async fn next_batch(&mut self) -> Result<Option<ChangelogBatch>, GatewayError> {
        while !self.done {
            let message = self.rx.recv().await;
            match message {
                Some(Message::Batch(b)) => {
                    self.rows += b.batch.num_rows() as u64;
                    return Ok(Some(b));
                }
                Some(Message::End) => {
                    self.ended += 1;
                    self.done = self.ended >= self.writers;
                }
                Some(Message::Failed(what)) => {
                    self.done = true;
                    return Err(job_failure(&self.jobmanager, &self.job, &format!("{what} ({} rows read in all)", self.rows)).await);
                }
                Some(Message::Error(e)) => {
                    self.stop().await;
                    return Err(e);
                }
                None => {
                    self.done = true;
                    return Err(GatewayError::ResultCut { job: self.job.clone(), reason: "the result's readers stopped".into() });
                }
            }
        }
        Ok(None)
    }

    /// Stops the readers and the job (when its rows have not all arrived).
    async fn stop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        if !self.done {
            self.done = true;
            cancel_job(&self.jobmanager, &self.job).await;
        }
    }

    /// Stops the job (when its rows have not all arrived).
    pub(crate) async fn cancel(mut self) -> Result<(), GatewayError> {
        self.stop().await;
        Ok(())
    }
}

impl Drop for DirectRows {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        if self.done {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let (jobmanager, job) = (self.jobmanager.clone(), std::mem::take(&mut self.job));
        runtime.spawn(async move { cancel_job(&jobmanager, &job).await });
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt;

    use super::*;

    /// A writer of the sink, as the Java side sends: header, rows, end (unless `cut`).
    async fn fake_writer(address: String, token: String, subtask: u32, subtasks: u32, ids: Vec<i64>, cut: bool) {
        let mut s = TcpStream::connect(address).await.unwrap();
        let header = serde_json::json!({"token": token, "subtask": subtask, "subtasks": subtasks, "attempt": 0,
            "columns": [{"name": "id", "type": "BIGINT", "nullable": false}, {"name": "v", "type": "VARCHAR(3)", "nullable": true}]});
        let mut out = format!("{header}\n");
        for id in &ids {
            out.push_str(&format!("{{\"kind\":\"INSERT\",\"fields\":[{id},\"x{id}\"]}}\n"));
        }
        if !cut {
            out.push_str(&format!("{{\"end\":{}}}\n", ids.len()));
        }
        s.write_all(out.as_bytes()).await.unwrap();
    }

    fn address_and_token(l: &ResultListener) -> (String, String) {
        (l.address.clone(), l.token.clone())
    }

    async fn read_all(rows: &mut DirectRows) -> Result<Vec<i64>, GatewayError> {
        let mut ids = Vec::new();
        while let Some(b) = rows.next_batch().await? {
            let col = b.batch.column(0).as_any().downcast_ref::<arrow_array::Int64Array>().unwrap().clone();
            ids.extend(col.iter().flatten());
        }
        Ok(ids)
    }

    #[tokio::test]
    async fn rows_of_every_writer_arrive_and_a_stranger_is_turned_away() {
        let listener = ResultListener::bind("127.0.0.1").await.unwrap();
        let (address, token) = address_and_token(&listener);
        // A connection with the wrong token is closed and does not count.
        tokio::spawn(fake_writer(address.clone(), "not-the-token".into(), 0, 2, vec![666], false));
        tokio::time::sleep(Duration::from_millis(50)).await;
        tokio::spawn(fake_writer(address.clone(), token.clone(), 0, 2, (0..5000).collect(), false));
        tokio::spawn(fake_writer(address, token, 1, 2, (5000..5003).collect(), false));
        let jobmanager = JobManagerClient::new("http://127.0.0.1:9").unwrap();
        let mut rows = listener.accept("j".into(), jobmanager).await.unwrap();
        assert_eq!(rows.schema().field(1).name(), "v");
        let mut ids = read_all(&mut rows).await.unwrap();
        ids.sort_unstable();
        assert_eq!(ids, (0..5003).collect::<Vec<i64>>());
    }

    #[tokio::test]
    async fn a_writer_that_stops_before_its_end_fails_the_result() {
        let listener = ResultListener::bind("127.0.0.1").await.unwrap();
        let (address, token) = address_and_token(&listener);
        tokio::spawn(fake_writer(address, token, 0, 1, vec![1, 2, 3], true));
        // No JobManager answers: the failure says what Weir saw.
        let jobmanager = JobManagerClient::new("http://127.0.0.1:9").unwrap();
        let mut rows = listener.accept("j".into(), jobmanager).await.unwrap();
        let e = read_all(&mut rows).await.expect_err("cut short");
        assert!(e.to_string().contains("closed after 3 rows"), "{e}");
    }
}
