//! Flink homes: a user's own distribution, or one Weir assembles in its cache from PyPI's
//! `apache-flink-libraries` (the jars of `lib/`, `bin/bash-java-utils.jar`, `opt/`) and Maven
//! Central's `flink-sql-gateway` (which the PyPI package lacks).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::error::FlinkError;
use super::process::run_tool;
use super::version::FlinkMajor;

/// The file written into a provisioned home once it is complete.
pub const COMPLETE_MARKER: &str = ".weir-complete";

/// A directory laid out like a Flink distribution: `lib/` with `flink-dist-<version>.jar`,
/// `bin/bash-java-utils.jar` and `opt/flink-sql-gateway-<version>.jar`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlinkHome {
    root: PathBuf,
    version: String,
    major: FlinkMajor,
}

impl FlinkHome {
    /// Uses an existing Flink home, such as a real distribution (`/opt/flink-1.20.3`), reading
    /// its version from `lib/flink-dist-<version>.jar`.
    pub fn from_existing(root: impl Into<PathBuf>) -> Result<Self, FlinkError> {
        let root = root.into();
        let not_a_home = |reason: String| FlinkError::NotAFlinkHome {
            path: root.clone(),
            reason,
        };
        let entries = std::fs::read_dir(root.join("lib"))
            .map_err(|e| not_a_home(format!("cannot read lib/: {e}")))?;
        for entry in entries {
            let entry = entry.map_err(|e| not_a_home(format!("cannot read lib/: {e}")))?;
            if let Some(version) = entry.file_name().to_str().and_then(dist_jar_version) {
                let major = FlinkMajor::of(version)?;
                let version = version.to_owned();
                return Ok(Self {
                    root,
                    version,
                    major,
                });
            }
        }
        Err(not_a_home("lib/ has no flink-dist-*.jar".to_owned()))
    }

    /// The home directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The Flink version, e.g. `1.20.3`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The major line of [`Self::version`].
    pub fn major(&self) -> FlinkMajor {
        self.major
    }

    /// `lib/flink-dist-<version>.jar`, found again in case its name carries a Scala suffix.
    pub(crate) fn dist_jar(&self) -> Result<PathBuf, FlinkError> {
        self.lib_jars()?
            .into_iter()
            .find(|jar| is_dist_jar(jar))
            .ok_or_else(|| self.missing("lib/flink-dist-*.jar"))
    }

    /// The jars of `lib/` in the order Flink's scripts use: sorted, `flink-dist` last.
    pub(crate) fn lib_jars(&self) -> Result<Vec<PathBuf>, FlinkError> {
        let lib = self.root.join("lib");
        let entries = std::fs::read_dir(&lib)
            .map_err(FlinkError::io(format!("reading {}", lib.display())))?;
        let mut jars = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(FlinkError::io(format!("reading {}", lib.display())))?
                .path();
            if path.extension().is_some_and(|ext| ext == "jar") {
                jars.push(path);
            }
        }
        jars.sort_by_key(|jar| (is_dist_jar(jar), jar.clone()));
        Ok(jars)
    }

    /// `bin/bash-java-utils.jar`, which computes the JVM memory settings.
    pub(crate) fn bash_java_utils_jar(&self) -> Result<PathBuf, FlinkError> {
        let jar = self.root.join("bin").join("bash-java-utils.jar");
        jar.is_file()
            .then_some(jar)
            .ok_or_else(|| self.missing("bin/bash-java-utils.jar"))
    }

    /// `opt/flink-sql-gateway-<version>.jar`.
    pub(crate) fn sql_gateway_jar(&self) -> Result<PathBuf, FlinkError> {
        let name = format!("flink-sql-gateway-{}.jar", self.version);
        let jar = self.root.join("opt").join(&name);
        jar.is_file()
            .then_some(jar)
            .ok_or_else(|| self.missing(&format!("opt/{name}")))
    }

    fn missing(&self, what: &str) -> FlinkError {
        FlinkError::NotAFlinkHome {
            path: self.root.clone(),
            reason: format!("{what} is missing"),
        }
    }
}

/// The version in a `flink-dist` jar name: `flink-dist-1.20.3.jar`, or `flink-dist_2.12-1.14.6.jar`
/// in distributions before 1.15.
fn dist_jar_version(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix("flink-dist")?.strip_suffix(".jar")?;
    let version = match rest.strip_prefix('_') {
        Some(scala_and_version) => scala_and_version.split_once('-')?.1,
        None => rest.strip_prefix('-')?,
    };
    (!version.is_empty()).then_some(version)
}

fn is_dist_jar(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .and_then(dist_jar_version)
        .is_some()
}

/// The Maven plugin that fetches single artifacts, pinned so no plugin lookup goes to the network.
pub(crate) const MAVEN_DEPENDENCY_PLUGIN: &str = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

/// Weir's private Maven repository in its cache, `<cache_root>/m2` (also `scripts/install-deps.sh`'s).
pub(crate) fn maven_repo(cache_root: &Path) -> PathBuf {
    cache_root.join("m2")
}

/// Weir's cache directory: `$WEIR_CACHE_DIR`, else `~/.cache/weir`.
pub fn default_cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("WEIR_CACHE_DIR").filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache").join("weir")
}

/// Makes sure `<cache_root>/flink/<version>/` is a complete Flink home and returns it.
///
/// A home with the [`COMPLETE_MARKER`] is used as it is, without network access. Otherwise the
/// home is assembled in a directory beside it (pip download of `apache-flink-libraries`,
/// extraction with `tar`/`unzip`, `mvn dependency:copy` of `flink-sql-gateway`) and renamed into
/// place. A lock file keeps concurrent provisioners of the same version from colliding.
pub async fn provision(version: &str, cache_root: &Path) -> Result<FlinkHome, FlinkError> {
    FlinkMajor::of(version)?;
    let cache_root = std::path::absolute(cache_root).map_err(FlinkError::io(format!(
        "resolving {}",
        cache_root.display()
    )))?;
    let versions_dir = cache_root.join("flink");
    let home = versions_dir.join(version);
    if home.join(COMPLETE_MARKER).is_file() {
        return FlinkHome::from_existing(home);
    }
    tokio::fs::create_dir_all(&versions_dir)
        .await
        .map_err(FlinkError::io(format!(
            "creating {}",
            versions_dir.display()
        )))?;
    let _lock = lock_exclusive(&versions_dir.join(format!(".{version}.lock")), version).await?;
    if home.join(COMPLETE_MARKER).is_file() {
        tracing::info!("Flink {version} was provisioned by another Weir meanwhile");
        return FlinkHome::from_existing(home);
    }
    // Only an interrupted provisioner can have left these; the lock makes them ours now.
    let work = versions_dir.join(format!(".{version}.partial"));
    remove_dir_if_exists(&work).await?;
    remove_dir_if_exists(&home).await?;

    let started = Instant::now();
    let assembled = assemble(version, &work).await;
    let result = match assembled {
        Ok(assembled) => tokio::fs::rename(&assembled, &home)
            .await
            .map_err(FlinkError::io(format!(
                "moving the Flink home to {}",
                home.display()
            ))),
        Err(e) => Err(e),
    };
    if let Err(e) = remove_dir_if_exists(&work).await {
        tracing::warn!("could not clean up {}: {e}", work.display());
    }
    result?;
    tracing::info!(
        "Flink {version} provisioned at {} in {:.0?}",
        home.display(),
        started.elapsed()
    );
    FlinkHome::from_existing(home)
}

/// Downloads and lays out a home under `work`; returns the assembled home directory.
async fn assemble(version: &str, work: &Path) -> Result<PathBuf, FlinkError> {
    let download = work.join("download");
    let extract = work.join("extract");
    let home = work.join("home");
    for dir in [&download, &extract, &home] {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(FlinkError::io(format!("creating {}", dir.display())))?;
    }

    tracing::info!("downloading apache-flink-libraries {version} from PyPI…");
    let requirement = format!("apache-flink-libraries=={version}");
    run_tool(
        "python3",
        [
            OsStr::new("-m"),
            OsStr::new("pip"),
            OsStr::new("download"),
            OsStr::new("--no-deps"),
            OsStr::new("--progress-bar"),
            OsStr::new("off"),
            OsStr::new("--disable-pip-version-check"),
            OsStr::new(&requirement),
            OsStr::new("-d"),
            download.as_os_str(),
        ],
        Some(work),
    )
    .await?;
    let archive = Archive::find_in(&download).await?;

    tracing::info!("extracting the Flink jars from {}…", archive.path.display());
    archive.extract_home(&extract, &home).await?;

    tracing::info!("downloading flink-sql-gateway {version} from Maven Central…");
    let opt = home.join("opt");
    run_tool(
        "mvn",
        [
            "-B".to_owned(),
            "-q".to_owned(),
            "dependency:copy".to_owned(),
            format!("-Dartifact=org.apache.flink:flink-sql-gateway:{version}"),
            format!("-DoutputDirectory={}", opt.display()),
        ],
        // No pom.xml there: the goal runs without a project.
        Some(work),
    )
    .await?;

    let assembled = FlinkHome::from_existing(&home)?;
    if assembled.version() != version {
        return Err(FlinkError::NotAFlinkHome {
            path: home,
            reason: format!(
                "apache-flink-libraries {version} contains flink-dist {}",
                assembled.version()
            ),
        });
    }
    assembled.bash_java_utils_jar()?;
    assembled.sql_gateway_jar()?;

    let marker = format!(
        "apache-flink-libraries {version} (PyPI) with org.apache.flink:flink-sql-gateway:{version} \
         (Maven Central)\n"
    );
    let marker_path = home.join(COMPLETE_MARKER);
    tokio::fs::write(&marker_path, marker)
        .await
        .map_err(FlinkError::io(format!("writing {}", marker_path.display())))?;
    Ok(home)
}

/// The downloaded `apache-flink-libraries`: an sdist (`.tar.gz`, jars under
/// `apache-flink-libraries-<v>/deps/`) or a wheel (zip, jars under `pyflink/`).
struct Archive {
    path: PathBuf,
    kind: ArchiveKind,
}

#[derive(Clone, Copy)]
enum ArchiveKind {
    TarGz,
    Zip,
}

/// The directories copied from the archive into the home.
const HOME_DIRS: [&str; 3] = ["lib", "bin", "opt"];

impl Archive {
    async fn find_in(dir: &Path) -> Result<Self, FlinkError> {
        let context = || format!("reading {}", dir.display());
        let mut entries = tokio::fs::read_dir(dir)
            .await
            .map_err(FlinkError::io(context()))?;
        let mut seen = Vec::new();
        while let Some(entry) = entries
            .next_entry()
            .await
            .map_err(FlinkError::io(context()))?
        {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = if name.ends_with(".tar.gz") {
                Some(ArchiveKind::TarGz)
            } else if name.ends_with(".whl") || name.ends_with(".zip") {
                Some(ArchiveKind::Zip)
            } else {
                None
            };
            if let Some(kind) = kind {
                return Ok(Self { path, kind });
            }
            seen.push(name);
        }
        Err(FlinkError::ArchiveLayout {
            archive: dir.to_owned(),
            detail: format!("pip saved no .tar.gz or .whl, only {seen:?}"),
        })
    }

    /// Lists the archive, finds the directory holding `lib/flink-dist-*.jar`, extracts its
    /// `lib/`, `bin/` and `opt/` into `extract`, and moves them into `home`.
    async fn extract_home(&self, extract: &Path, home: &Path) -> Result<(), FlinkError> {
        let path = self.path.as_os_str();
        let listing = match self.kind {
            ArchiveKind::TarGz => run_tool("tar", [OsStr::new("-tzf"), path], None).await?,
            ArchiveKind::Zip => run_tool("unzip", [OsStr::new("-Z1"), path], None).await?,
        };
        let listing = String::from_utf8_lossy(&listing.stdout);
        let prefix = dist_prefix(&listing).ok_or_else(|| FlinkError::ArchiveLayout {
            archive: self.path.clone(),
            detail: format!(
                "{} entries, none of them lib/flink-dist-*.jar",
                listing.lines().count()
            ),
        })?;
        let present: Vec<&str> = HOME_DIRS
            .into_iter()
            .filter(|dir| {
                let dir_prefix = format!("{prefix}{dir}/");
                listing.lines().any(|entry| entry.starts_with(&dir_prefix))
            })
            .collect();

        let mut args: Vec<String> = Vec::new();
        match self.kind {
            ArchiveKind::TarGz => {
                args.extend(["-xzf".to_owned(), self.path.display().to_string()]);
                args.extend(["-C".to_owned(), extract.display().to_string()]);
                args.extend(present.iter().map(|dir| format!("{prefix}{dir}")));
                run_tool("tar", &args, None).await?;
            }
            ArchiveKind::Zip => {
                args.extend(["-q".to_owned(), self.path.display().to_string()]);
                args.extend(present.iter().map(|dir| format!("{prefix}{dir}/*")));
                args.extend(["-d".to_owned(), extract.display().to_string()]);
                run_tool("unzip", &args, None).await?;
            }
        }

        for dir in HOME_DIRS {
            let target = home.join(dir);
            if present.contains(&dir) {
                let source = extract.join(format!("{prefix}{dir}"));
                tokio::fs::rename(&source, &target)
                    .await
                    .map_err(FlinkError::io(format!(
                        "moving {} to {}",
                        source.display(),
                        target.display()
                    )))?;
            } else {
                tokio::fs::create_dir_all(&target)
                    .await
                    .map_err(FlinkError::io(format!("creating {}", target.display())))?;
            }
        }
        Ok(())
    }
}

/// The path prefix (ending in `/`, possibly empty) under which an archive listing has
/// `lib/flink-dist-*.jar`.
fn dist_prefix(listing: &str) -> Option<&str> {
    listing.lines().find_map(|entry| {
        let (dir, file) = entry.rsplit_once('/')?;
        dist_jar_version(file)?;
        let prefix = dir.strip_suffix("lib")?;
        (prefix.is_empty() || prefix.ends_with('/')).then_some(prefix)
    })
}

/// Takes an exclusive `flock` on `path`, waiting (off the async threads) while another
/// provisioner holds it. The lock is released when the returned file is closed.
pub(crate) async fn lock_exclusive(path: &Path, version: &str) -> Result<std::fs::File, FlinkError> {
    let context = format!("locking {}", path.display());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(FlinkError::io(context.clone()))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            tracing::info!("waiting for another Weir that is provisioning Flink {version}…");
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(FlinkError::io(context)(e)),
    }
    let blocking_context = context.clone();
    tokio::task::spawn_blocking(move || {
        file.lock()
            .map(|()| file)
            .map_err(FlinkError::io(blocking_context))
    })
    .await
    .map_err(|e| FlinkError::io(context)(std::io::Error::other(e)))?
}

async fn remove_dir_if_exists(dir: &Path) -> Result<(), FlinkError> {
    match tokio::fs::remove_dir_all(dir).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(FlinkError::io(format!("removing {}", dir.display()))(e))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dist_jar_names() {
        assert_eq!(dist_jar_version("flink-dist-1.20.3.jar"), Some("1.20.3"));
        assert_eq!(
            dist_jar_version("flink-dist_2.12-1.14.6.jar"),
            Some("1.14.6")
        );
        assert_eq!(dist_jar_version("flink-dist-.jar"), None);
        assert_eq!(dist_jar_version("flink-distx-1.jar"), None);
        assert_eq!(dist_jar_version("flink-table-runtime-1.20.3.jar"), None);
    }

    #[test]
    fn dist_prefix_in_sdist_and_wheel_listings() {
        let sdist = "apache-flink-libraries-1.20.3/deps/bin/\n\
                     apache-flink-libraries-1.20.3/deps/lib/flink-cep-1.20.3.jar\n\
                     apache-flink-libraries-1.20.3/deps/lib/flink-dist-1.20.3.jar\n";
        assert_eq!(
            dist_prefix(sdist),
            Some("apache-flink-libraries-1.20.3/deps/")
        );
        let wheel = "pyflink/__init__.py\npyflink/lib/flink-dist-2.2.0.jar\n";
        assert_eq!(dist_prefix(wheel), Some("pyflink/"));
        assert_eq!(dist_prefix("lib/flink-dist-2.2.0.jar"), Some(""));
        assert_eq!(dist_prefix("x/mylib/flink-dist-2.2.0.jar"), None);
    }
}
