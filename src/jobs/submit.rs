//! Submitting a job's statement: a Flink session of Weir's own on the job's cluster, in the
//! catalog and database the version was created in, with the job's Flink configuration; the
//! recorded objects the statement names are materialized as for any statement.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::registry::{JobRecord, VersionRecord};
use super::{JobError, Jobs, pipeline_name, settings};
use crate::catalog::Scope;
use crate::error::WeirError;
use crate::routing::{Cluster, FlinkBinding};

impl Jobs {
    /// The cluster of that name.
    pub(crate) fn cluster(&self, name: &str) -> Result<Arc<Cluster>, WeirError> {
        self.clusters.get(name).ok_or_else(|| WeirError::UnknownCluster(name.to_string()))
    }

    fn binding(&self, cluster: Arc<Cluster>, job: &str, options: BTreeMap<String, String>, scope: &Scope, jars: &[String]) -> FlinkBinding {
        let mut b = FlinkBinding::new(cluster, options, self.store.clone(), self.cluster_wait, format!("weir-job-{job}"));
        b.set_scope(scope);
        b.set_jars(jars);
        b
    }

    /// Checks that the statement compiles on the cluster (Flink's EXPLAIN of it, in a Flink
    /// session that has only what the catalog of record holds): a statement over TEMPORARY
    /// objects or with an error is refused before anything is recorded.
    pub(crate) async fn validate(
        &self,
        cluster: &Arc<Cluster>,
        job: &str,
        body: &str,
        options: &BTreeMap<String, String>,
        scope: &Scope,
        jars: &[String],
    ) -> Result<(), WeirError> {
        let opts = settings::flink_options(options, &pipeline_name(job, 0), &self.checkpoint_dir(job), &self.savepoint_dir(job), None);
        let mut b = self.binding(cluster.clone(), job, opts, scope, jars);
        let (preamble, last) = split_script(body);
        let mut r = Ok(());
        for statement in preamble {
            r = b.collect(statement).await.map(|_| ());
            if r.is_err() {
                break;
            }
        }
        if r.is_ok() {
            r = b.collect(&explain_of(last)).await.map(|_| ());
        }
        b.close().await;
        r
    }

    /// Submits `version` of `job`, resuming from `restore`; returns the Flink job id.
    pub(crate) async fn submit(&self, job: &JobRecord, version: &VersionRecord, restore: Option<&str>) -> Result<String, WeirError> {
        let cluster = self.cluster(&job.cluster)?;
        let opts = settings::flink_options(&version.options, &pipeline_name(&job.name, version.version), &self.checkpoint_dir(&job.name), &self.savepoint_dir(&job.name), restore);
        let scope = Scope { catalog: version.catalog.clone(), database: version.database.clone() };
        let mut b = self.binding(cluster, &job.name, opts, &scope, &version.jars);
        let (preamble, last) = split_script(&version.body);
        let mut r = Ok(String::new());
        for statement in preamble {
            if let Err(e) = b.collect(statement).await {
                r = Err(e);
                break;
            }
        }
        if r.is_ok() {
            r = b.submit(last).await;
        }
        b.close().await;
        r
    }

    /// The JobManager of a job's cluster.
    pub(crate) fn jobmanager(&self, job: &JobRecord, action: &'static str) -> Result<weir_drivers::flink::JobManagerClient, WeirError> {
        let cluster = self.cluster(&job.cluster)?;
        cluster
            .jobmanager()
            .cloned()
            .ok_or_else(|| JobError::NoJobManager { cluster: job.cluster.clone(), job: job.name.clone(), action }.into())
    }
}

/// A job's statement as the statements that prepare it (a datasync's TEMPORARY tables) and the
/// one that starts the Flink job (an INSERT or a statement set), which comes last.
pub fn split_script(body: &str) -> (Vec<&str>, &str) {
    let mut statements = weir_dialects::lexer::split_statements(body);
    match statements.pop() {
        Some(last) => (statements, last),
        None => (Vec::new(), body),
    }
}

/// Flink's EXPLAIN of a job's statement (`EXECUTE STATEMENT SET ...` → `EXPLAIN STATEMENT SET ...`).
pub fn explain_of(body: &str) -> String {
    let t = body.trim_start();
    match t.get(..8) {
        Some(head) if head.eq_ignore_ascii_case("EXECUTE ") => format!("EXPLAIN {}", &t[8..]),
        _ => format!("EXPLAIN {t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_each_body_form() {
        assert_eq!(explain_of("INSERT INTO s SELECT 1"), "EXPLAIN INSERT INTO s SELECT 1");
        assert_eq!(explain_of("execute insert into s select 1"), "EXPLAIN insert into s select 1");
        assert_eq!(explain_of("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END"), "EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; END");
    }

    #[test]
    fn a_script_ends_with_the_statement_that_starts_the_job() {
        let (pre, last) = split_script("CREATE TEMPORARY TABLE s (x INT) WITH ('connector' = 'datagen');\nEXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT * FROM s;\nEND");
        assert_eq!(pre, ["CREATE TEMPORARY TABLE s (x INT) WITH ('connector' = 'datagen')"]);
        assert_eq!(last, "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT * FROM s;\nEND");
        assert_eq!(split_script("INSERT INTO a SELECT 1"), (vec![], "INSERT INTO a SELECT 1"));
    }
}
