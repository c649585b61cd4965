//! Weir's own Flink connector, `weir-result`: a table sink that sends a query's rows straight to
//! the Weir that ran the query, over one TCP connection, instead of through Flink's collect
//! protocol (see [`crate::gateway::direct`] for the reading side). Its Java sources are embedded
//! in Weir and compiled against a Flink home's own jars, once per Flink version and source
//! revision, into `<cache>/result-sink/<version>/` (the same sources compile against 1.20 and 2.x); the jar then goes on the cluster's classpath
//! like a connector's.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::FlinkError;
use super::process::run_tool;
use super::provision::{FlinkHome, lock_exclusive};

/// The Java sources, by file name.
const SOURCES: [(&str, &str); 4] = [
    ("ResultSinkFactory.java", include_str!("../../java/result-sink/ResultSinkFactory.java")),
    ("ResultTableSink.java", include_str!("../../java/result-sink/ResultTableSink.java")),
    ("ResultOperator.java", include_str!("../../java/result-sink/ResultOperator.java")),
    ("ResultWriter.java", include_str!("../../java/result-sink/ResultWriter.java")),
];

/// The service file that makes Flink's factory discovery find the connector.
const SERVICE: (&str, &str) = ("org.apache.flink.table.factories.Factory", include_str!("../../java/result-sink/org.apache.flink.table.factories.Factory"));

/// The connector's identifier (`'connector' = 'weir-result'`).
pub const RESULT_SINK_CONNECTOR: &str = "weir-result";

/// The jar's file name: the sources' digest, so a changed source builds a new jar.
fn jar_name() -> String {
    let mut digest = Sha256::new();
    for (name, text) in SOURCES {
        digest.update(name.as_bytes());
        digest.update(text.as_bytes());
    }
    digest.update(SERVICE.1.as_bytes());
    let hex: String = digest.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("weir-result-sink-{hex}.jar")
}

/// A JDK tool next to the `java` Weir runs: `$JAVA_HOME/bin/<tool>`, else `<tool>` from `PATH`.
fn jdk_tool(tool: &str) -> PathBuf {
    std::env::var_os("JAVA_HOME").map(|home| PathBuf::from(home).join("bin").join(tool)).filter(|path| path.is_file()).unwrap_or_else(|| PathBuf::from(tool))
}

/// Makes sure the `weir-result` connector is built for `home`'s Flink and returns its jar.
/// A jar already built from the same sources is used as it is.
pub async fn build_result_sink(home: &FlinkHome, cache_root: &Path) -> Result<PathBuf, FlinkError> {
    let cache_root = std::path::absolute(cache_root).map_err(FlinkError::io(format!("resolving {}", cache_root.display())))?;
    let dir = cache_root.join("result-sink").join(home.version());
    let jar = dir.join(jar_name());
    if jar.is_file() {
        return Ok(jar);
    }
    tokio::fs::create_dir_all(&dir).await.map_err(FlinkError::io(format!("creating {}", dir.display())))?;
    let _lock = lock_exclusive(&dir.join(".lock"), home.version()).await?;
    if jar.is_file() {
        return Ok(jar); // another Weir built it meanwhile
    }
    let work = dir.join(".partial");
    let _ = tokio::fs::remove_dir_all(&work).await;
    let src = work.join("src");
    let classes = work.join("classes");
    let services = classes.join("META-INF").join("services");
    for d in [&src, &services] {
        tokio::fs::create_dir_all(d).await.map_err(FlinkError::io(format!("creating {}", d.display())))?;
    }
    let mut javac_args: Vec<OsString> = Vec::new();
    let classpath: Vec<String> = home.lib_jars()?.iter().map(|j| j.display().to_string()).collect();
    for arg in ["-nowarn", "-encoding", "UTF-8", "--release", "11", "-d"] {
        javac_args.push(arg.into());
    }
    javac_args.push(classes.clone().into_os_string());
    javac_args.push("-cp".into());
    javac_args.push(classpath.join(":").into());
    for (name, text) in SOURCES {
        let path = src.join(name);
        tokio::fs::write(&path, text).await.map_err(FlinkError::io(format!("writing {}", path.display())))?;
        javac_args.push(path.into_os_string());
    }
    let service = services.join(SERVICE.0);
    tokio::fs::write(&service, SERVICE.1).await.map_err(FlinkError::io(format!("writing {}", service.display())))?;
    tracing::info!(flink = home.version(), "building Weir's result sink connector");
    run_tool(jdk_tool("javac"), &javac_args, Some(&work)).await?;
    let partial_jar = work.join("result-sink.jar");
    let jar_args: Vec<OsString> = vec!["cf".into(), partial_jar.clone().into_os_string(), "-C".into(), classes.into_os_string(), ".".into()];
    run_tool(jdk_tool("jar"), &jar_args, Some(&work)).await?;
    tokio::fs::rename(&partial_jar, &jar).await.map_err(FlinkError::io(format!("moving {} into place", jar.display())))?;
    let _ = tokio::fs::remove_dir_all(&work).await;
    Ok(jar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jar_is_named_after_its_sources() {
        let name = jar_name();
        assert!(name.starts_with("weir-result-sink-") && name.ends_with(".jar"), "{name}");
        assert_eq!(name, jar_name());
    }
}
