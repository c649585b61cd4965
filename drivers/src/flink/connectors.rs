//! Connector sets: the connector jars a managed cluster runs with, pinned per Flink line and
//! checksummed, fetched from Maven Central (`mvn dependency:copy` into Weir's private Maven
//! repository `<cache>/m2`, without transitive dependencies) into
//! `<cache>/connectors/<flink-version>/`, and put on the classpath of the cluster's JobManager,
//! TaskManager and SQL Gateway (see [`ClusterSpec::classpath`]).
//!
//! A jar is fetched once: a verified jar keeps a `<jar>.sha256` stamp beside it, and a later
//! start only compares the stamp and the jar's size (no network, no hashing of tens of MB).
//!
//! [`ClusterSpec::classpath`]: super::spec::ClusterSpec::classpath

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::FlinkError;
use super::process::run_tool;
use super::provision::{MAVEN_DEPENDENCY_PLUGIN, lock_exclusive, maven_repo};

/// A connector Weir can put on a cluster, by the name the configuration uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Connector {
    /// The JDBC connector and catalog (`'connector' = 'jdbc'`, `'type' = 'jdbc'`) with the MySQL
    /// dialect and the MySQL JDBC driver.
    Jdbc,
    /// Flink CDC's MySQL source (`'connector' = 'mysql-cdc'`) with the MySQL JDBC driver.
    MysqlCdc,
    /// Apache Paimon's tables and catalog (`'connector' = 'paimon'`, `'type' = 'paimon'`).
    Paimon,
    /// The Prometheus metrics reporter (`metrics.reporter.*.factory.class`).
    Prometheus,
}

impl Connector {
    /// Every connector, in the order listings use.
    pub const ALL: [Connector; 4] = [Self::Jdbc, Self::MysqlCdc, Self::Paimon, Self::Prometheus];

    /// The name in the configuration (`connectors = ["jdbc", …]`) and in SHOW CONNECTORS.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jdbc => "jdbc",
            Self::MysqlCdc => "mysql-cdc",
            Self::Paimon => "paimon",
            Self::Prometheus => "prometheus",
        }
    }

    /// The connector of a configuration name (any case).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One jar on Maven Central, pinned by its SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Artifact {
    pub group: &'static str,
    pub artifact: &'static str,
    pub version: &'static str,
    /// The jar's SHA-256, lowercase hex.
    pub sha256: &'static str,
}

impl Artifact {
    /// `group:artifact:version`.
    pub fn coordinates(&self) -> String {
        format!("{}:{}:{}", self.group, self.artifact, self.version)
    }

    /// `artifact-version.jar`, the name `mvn dependency:copy` gives it.
    pub fn file_name(&self) -> String {
        format!("{}-{}.jar", self.artifact, self.version)
    }
}

const MYSQL_DRIVER: Artifact = Artifact {
    group: "com.mysql",
    artifact: "mysql-connector-j",
    version: "8.4.0",
    sha256: "d77962877d010777cff997015da90ee689f0f4bb76848340e1488f2b83332af5",
};

/// MariaDB's own JDBC driver, which a JDBC table or sink writing to MariaDB uses (Weir names it in
/// the table's `driver` option): MySQL Connector/J reads MariaDB 10.x's `5.5.5-` version prefix as
/// MySQL 5.5 and drops the fractional seconds of every DATETIME(n)/TIMESTAMP(n) it writes. It
/// answers `jdbc:mysql:` URLs only with `permitMysqlScheme`, so it never takes Connector/J's.
const MARIADB_DRIVER: Artifact = Artifact {
    group: "org.mariadb.jdbc",
    artifact: "mariadb-java-client",
    version: "3.5.11",
    sha256: "42604178b9e57ec08ee0035079961516f086e455d0141f0b22c6eff29fb2fff4",
};

/// The MySQL dialect and catalog of the JDBC connector (FLIP-449's module).
const JDBC_MYSQL: Artifact = Artifact {
    group: "org.apache.flink",
    artifact: "flink-connector-jdbc-mysql",
    version: "3.3.0-1.20",
    sha256: "7cf9e0151e676ab1f55b745538f279973d36fb5b381ae50622bd5414aa7e9ab1",
};

/// Hadoop's classes, which Paimon's catalog and file IO need even on a local file system (its
/// documentation's "pre-bundled Hadoop" jar).
const HADOOP_UBER: Artifact = Artifact {
    group: "org.apache.flink",
    artifact: "flink-shaded-hadoop-2-uber",
    version: "2.8.3-10.0",
    sha256: "492b2a559f2a1dad3808b51d9a26a575dbb1202004c9f85f5059c520e0632127",
};

/// A connector set: each connector with its jars.
type Set = &'static [(Connector, &'static [Artifact])];

/// The connector sets, per Flink line (`major.minor`).
const SETS: &[(&str, Set)] = &[
    (
        "1.20",
        &[
            (
                Connector::Jdbc,
                // The modules, not the all-in-one `flink-connector-jdbc:3.3.0-1.20`: that one
                // registers two catalog factories named `jdbc` (its compatibility layer's and the
                // core's), so every `CREATE CATALOG … ('type' = 'jdbc')` fails as ambiguous.
                &[
                    Artifact {
                        group: "org.apache.flink",
                        artifact: "flink-connector-jdbc-core",
                        version: "3.3.0-1.20",
                        sha256: "a8bee966f170e260954ab3d560b1ee3286e0940a9a3f49b895f14c70220d912e",
                    },
                    JDBC_MYSQL,
                    MYSQL_DRIVER,
                    MARIADB_DRIVER,
                ],
            ),
            (
                Connector::MysqlCdc,
                &[
                    Artifact {
                        group: "org.apache.flink",
                        artifact: "flink-sql-connector-mysql-cdc",
                        version: "3.5.0",
                        sha256: "aa1946f26be3c831f03e22b3f6b4f2ad70b02878817b8648177c3fe1c8d1f440",
                    },
                    MYSQL_DRIVER,
                ],
            ),
            (
                Connector::Paimon,
                &[
                    Artifact {
                        group: "org.apache.paimon",
                        artifact: "paimon-flink-1.20",
                        version: "1.3.1",
                        sha256: "a333b7a3df6143b782d129895f64575f0007912c4a2c85502d421b8198f42ce1",
                    },
                    HADOOP_UBER,
                ],
            ),
            (
                Connector::Prometheus,
                &[Artifact {
                    group: "org.apache.flink",
                    artifact: "flink-metrics-prometheus",
                    version: "1.20.3",
                    sha256: "fb6c9a1e7378a6ee9650991de50392605f0f4dfe860352f88d8138766994a985",
                }],
            ),
        ],
    ),
    (
        "2.2",
        &[
            (
                Connector::Jdbc,
                &[
                    Artifact {
                        group: "org.apache.flink",
                        artifact: "flink-connector-jdbc-core",
                        version: "4.0.0-2.0",
                        sha256: "ccb9691bf1d0f97574ae768e1bef05a39c06d7f7b13996e9d485fbdd69dcbfec",
                    },
                    // No 4.x MySQL module is published; the 1.20 line's runs on the 4.0 core
                    // (a MySQL JDBC catalog, its listings and a batch read work on Flink 2.2.0).
                    JDBC_MYSQL,
                    MYSQL_DRIVER,
                    MARIADB_DRIVER,
                ],
            ),
            // No MySQL CDC connector for Flink 2.x is published (3.5.0 needs the SourceFunction
            // API that 2.0 removed).
            // paimon-flink-2.0:2.0.0's parent POM is not on Maven Central; there is no 2.2 module.
            (
                Connector::Paimon,
                &[
                    Artifact {
                        group: "org.apache.paimon",
                        artifact: "paimon-flink-2.1",
                        version: "1.3.0",
                        sha256: "1d1ac84369df1ecdc70cd56cf6a0eda1192e4422717179cccb3bc108fbc41a08",
                    },
                    HADOOP_UBER,
                ],
            ),
            (
                Connector::Prometheus,
                &[Artifact {
                    group: "org.apache.flink",
                    artifact: "flink-metrics-prometheus",
                    version: "2.2.0",
                    sha256: "dce8fc14f3a97d72e5fede1abc4875422529f6654a570df94c472daa841b247b",
                }],
            ),
        ],
    ),
];

/// `major.minor` of a Flink version: `1.20.3` → `1.20`.
fn line_of(flink_version: &str) -> &str {
    let mut dots = flink_version.match_indices('.').map(|(i, _)| i);
    match (dots.next(), dots.next()) {
        (Some(_), Some(second)) => &flink_version[..second],
        _ => flink_version,
    }
}

fn set_of(flink_version: &str) -> Set {
    let line = line_of(flink_version);
    SETS.iter()
        .find(|(l, _)| *l == line)
        .map_or(&[], |(_, set)| *set)
}

/// The connectors that exist for a Flink version (the default set of a cluster), in
/// [`Connector::ALL`] order; empty for a line Weir has no set for.
pub fn available(flink_version: &str) -> Vec<Connector> {
    set_of(flink_version).iter().map(|(c, _)| *c).collect()
}

/// The jars of `connector` for a Flink version; `None` when it does not exist for it.
pub fn artifacts(flink_version: &str, connector: Connector) -> Option<&'static [Artifact]> {
    set_of(flink_version)
        .iter()
        .find(|(c, _)| *c == connector)
        .map(|(_, a)| *a)
}

/// A connector's jar in the cache, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorJar {
    pub connector: Connector,
    pub artifact: Artifact,
    /// `<cache>/connectors/<flink-version>/<artifact>-<version>.jar`.
    pub path: PathBuf,
}

/// The directory of a Flink version's connector jars.
pub fn connectors_dir(cache_root: &Path, flink_version: &str) -> PathBuf {
    cache_root.join("connectors").join(flink_version)
}

/// Checks that each of `wanted` exists for `flink_version`; the error names the ones that do
/// not and what does.
pub fn check_available(flink_version: &str, wanted: &[Connector]) -> Result<(), FlinkError> {
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|c| artifacts(flink_version, **c).is_none())
        .map(|c| c.name())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let there: Vec<&str> = available(flink_version).iter().map(|c| c.name()).collect();
    Err(FlinkError::UnknownConnector {
        flink_version: flink_version.to_owned(),
        connectors: missing.join(", "),
        available: if there.is_empty() {
            "none".to_owned()
        } else {
            there.join(", ")
        },
    })
}

/// Makes sure the jars of `wanted` are in the cache, verified against their pinned SHA-256, and
/// returns them (one entry per connector and jar; a jar two connectors share appears twice).
/// Jars already verified are used as they are, without network access.
pub async fn provision_connectors(
    flink_version: &str,
    wanted: &[Connector],
    cache_root: &Path,
) -> Result<Vec<ConnectorJar>, FlinkError> {
    check_available(flink_version, wanted)?;
    let cache_root = std::path::absolute(cache_root).map_err(FlinkError::io(format!(
        "resolving {}",
        cache_root.display()
    )))?;
    let dir = connectors_dir(&cache_root, flink_version);
    let mut jars = Vec::new();
    for &connector in wanted {
        for artifact in artifacts(flink_version, connector).unwrap_or_default() {
            jars.push(ConnectorJar {
                connector,
                artifact: *artifact,
                path: dir.join(artifact.file_name()),
            });
        }
    }
    let missing: Vec<&ConnectorJar> = jars.iter().filter(|j| !is_verified(j)).collect();
    if missing.is_empty() {
        return Ok(jars);
    }
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(FlinkError::io(format!("creating {}", dir.display())))?;
    let _lock = lock_exclusive(&dir.join(".lock"), flink_version).await?;
    for jar in missing {
        if is_verified(jar) {
            continue; // another Weir fetched it meanwhile
        }
        fetch(jar, &cache_root).await?;
    }
    Ok(jars)
}

/// The stamp written beside a verified jar: its SHA-256 and size.
fn stamp_path(jar: &Path) -> PathBuf {
    let mut name = jar.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

fn stamp(sha256: &str, size: u64) -> String {
    format!("{sha256} {size}\n")
}

/// Whether the jar is in the cache with a stamp of its pinned checksum and its current size.
fn is_verified(jar: &ConnectorJar) -> bool {
    let Ok(meta) = std::fs::metadata(&jar.path) else {
        return false;
    };
    std::fs::read_to_string(stamp_path(&jar.path))
        .is_ok_and(|s| s == stamp(jar.artifact.sha256, meta.len()))
}

/// Downloads one jar into a temporary directory beside its place, checks its SHA-256 and moves
/// it into place with its stamp.
async fn fetch(jar: &ConnectorJar, cache_root: &Path) -> Result<(), FlinkError> {
    let coordinates = jar.artifact.coordinates();
    let dir = jar.path.parent().unwrap_or(cache_root);
    let work = dir.join(".partial");
    match tokio::fs::remove_dir_all(&work).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(FlinkError::io(format!("removing {}", work.display()))(e));
        }
        _ => {}
    }
    tokio::fs::create_dir_all(&work)
        .await
        .map_err(FlinkError::io(format!("creating {}", work.display())))?;
    let downloaded = work.join(jar.artifact.file_name());
    // A jar already in Weir's Maven repository (scripts/install-deps.sh, an earlier Flink
    // version) is taken from there: mvn's start-up alone takes seconds.
    let in_repo = maven_repo(cache_root)
        .join(jar.artifact.group.replace('.', "/"))
        .join(jar.artifact.artifact)
        .join(jar.artifact.version)
        .join(jar.artifact.file_name());
    if tokio::fs::copy(&in_repo, &downloaded).await.is_err() {
        fetch_with_maven(jar, cache_root, &work).await?;
    }
    let (actual, size) = sha256_of(&downloaded).await?;
    if actual != jar.artifact.sha256 {
        let _ = tokio::fs::remove_dir_all(&work).await;
        return Err(FlinkError::ChecksumMismatch {
            artifact: coordinates,
            expected: jar.artifact.sha256.to_owned(),
            actual,
        });
    }
    tokio::fs::rename(&downloaded, &jar.path)
        .await
        .map_err(FlinkError::io(format!(
            "moving {} into place",
            jar.path.display()
        )))?;
    let stamp_file = stamp_path(&jar.path);
    tokio::fs::write(&stamp_file, stamp(&actual, size))
        .await
        .map_err(FlinkError::io(format!("writing {}", stamp_file.display())))?;
    let _ = tokio::fs::remove_dir_all(&work).await;
    tracing::info!("connector jar {} verified", jar.path.display());
    Ok(())
}

/// `mvn dependency:copy` of one jar (no transitive dependencies) into `work`, through Weir's
/// Maven repository.
async fn fetch_with_maven(
    jar: &ConnectorJar,
    cache_root: &Path,
    work: &Path,
) -> Result<(), FlinkError> {
    let coordinates = jar.artifact.coordinates();
    tracing::info!(
        "downloading connector {} ({coordinates}) from Maven Central…",
        jar.connector
    );
    run_tool(
        "mvn",
        [
            "-B".to_owned(),
            "-q".to_owned(),
            format!("-Dmaven.repo.local={}", maven_repo(cache_root).display()),
            format!("{MAVEN_DEPENDENCY_PLUGIN}:copy"),
            format!("-Dartifact={coordinates}"),
            format!("-DoutputDirectory={}", work.display()),
        ],
        Some(work),
    )
    .await?;
    Ok(())
}

/// The SHA-256 (lowercase hex) and size of a file, hashed off the async threads.
async fn sha256_of(path: &Path) -> Result<(String, u64), FlinkError> {
    let owned = path.to_owned();
    let context = format!("reading {}", path.display());
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&owned)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            hasher.update(&buf[..n]);
        }
        let hex: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok::<_, std::io::Error>((hex, size))
    })
    .await
    .map_err(|e| FlinkError::io(context.clone())(std::io::Error::other(e)))?
    .map_err(FlinkError::io(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Connector::ALL {
            assert_eq!(Connector::from_name(c.name()), Some(c));
        }
        assert_eq!(
            Connector::from_name(" MySQL-CDC "),
            Some(Connector::MysqlCdc)
        );
        assert_eq!(Connector::from_name("kafka"), None);
    }

    #[test]
    fn sets_per_flink_line() {
        assert_eq!(available("1.20.3"), Connector::ALL.to_vec());
        assert_eq!(
            available("2.2.0"),
            vec![Connector::Jdbc, Connector::Paimon, Connector::Prometheus]
        );
        assert!(available("1.19.1").is_empty());
        assert_eq!(line_of("1.20.3"), "1.20");
        assert_eq!(line_of("2.2"), "2.2");
        let e = check_available("2.2.0", &[Connector::Jdbc, Connector::MysqlCdc]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("mysql-cdc") && text.contains("jdbc, paimon, prometheus"),
            "{text}"
        );
    }

    #[test]
    fn every_pin_is_a_sha256_and_a_file_name_mvn_gives() {
        for (line, set) in SETS {
            for (connector, jars) in *set {
                assert!(!jars.is_empty(), "{line} {connector}");
                for a in *jars {
                    assert_eq!(a.sha256.len(), 64, "{}", a.coordinates());
                    assert!(
                        a.sha256.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
                        "{}",
                        a.coordinates()
                    );
                    assert!(
                        a.file_name().ends_with(".jar") && a.file_name().starts_with(a.artifact)
                    );
                }
            }
        }
    }

    #[tokio::test]
    async fn a_verified_jar_is_used_without_fetching_and_a_changed_one_is_not() {
        let root = std::env::temp_dir().join(format!("weir-connectors-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = connectors_dir(&root, "1.20.3");
        std::fs::create_dir_all(&dir).unwrap();
        let artifact = artifacts("1.20.3", Connector::Prometheus).unwrap()[0];
        let jar = ConnectorJar {
            connector: Connector::Prometheus,
            artifact,
            path: dir.join(artifact.file_name()),
        };
        std::fs::write(&jar.path, b"not really a jar").unwrap();
        assert!(!is_verified(&jar), "no stamp yet");
        std::fs::write(stamp_path(&jar.path), stamp(artifact.sha256, 16)).unwrap();
        assert!(is_verified(&jar));
        let got = provision_connectors("1.20.3", &[Connector::Prometheus], &root)
            .await
            .unwrap();
        assert_eq!(
            got,
            vec![jar.clone()],
            "cached: nothing fetched (mvn is never run)"
        );
        std::fs::write(&jar.path, b"a different jar").unwrap();
        assert!(
            !is_verified(&jar),
            "a jar whose size changed is fetched again"
        );
        let (hex, size) = sha256_of(&jar.path).await.unwrap();
        assert_eq!(size, 15);
        assert_eq!(hex.len(), 64);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn a_jar_that_is_not_the_pinned_one_is_refused_and_not_kept() {
        let root = std::env::temp_dir().join(format!("weir-connectors-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let artifact = artifacts("2.2.0", Connector::Prometheus).unwrap()[0];
        // A tampered jar in Weir's Maven repository is taken from there (no mvn run) and checked.
        let in_repo = maven_repo(&root).join("org/apache/flink/flink-metrics-prometheus/2.2.0");
        std::fs::create_dir_all(&in_repo).unwrap();
        std::fs::write(in_repo.join(artifact.file_name()), b"tampered").unwrap();
        let e = provision_connectors("2.2.0", &[Connector::Prometheus], &root)
            .await
            .unwrap_err();
        let text = e.to_string();
        assert!(matches!(e, FlinkError::ChecksumMismatch { .. }), "{text}");
        assert!(
            text.contains("org.apache.flink:flink-metrics-prometheus:2.2.0")
                && text.contains(artifact.sha256),
            "{text}"
        );
        assert!(
            !connectors_dir(&root, "2.2.0")
                .join(artifact.file_name())
                .exists(),
            "the bad jar is not kept"
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
