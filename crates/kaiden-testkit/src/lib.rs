//! Test support shared by kaiden's crates (not published).
//!
//! Conformance tests compare kaiden against Tachi's own data (fixtures, seeds,
//! `game-configs.json`), which lives outside the repository. [`tachi_data`] finds
//! it; [`Conformance`] runs a table of named cases and says loudly when the data is
//! absent, so a fresh clone still passes while showing what it did not check.
#![deny(missing_docs)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The environment variable that overrides where Tachi's data is.
pub const TACHI_DATA_ENV: &str = "KAIDEN_TACHI_DATA";

/// The folder of Tachi's reference data: `$KAIDEN_TACHI_DATA`, else
/// `../shared/tachi-data` beside the repository. `None` when it does not exist.
#[must_use]
pub fn tachi_data() -> Option<PathBuf> {
    let dir = match std::env::var_os(TACHI_DATA_ENV) {
        Some(p) => PathBuf::from(p),
        None => workspace_root().join("../shared/tachi-data"),
    };
    dir.is_dir().then_some(dir)
}

/// The repository's root folder.
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

type Case = (String, Box<dyn FnOnce(&Path)>);

/// A table of conformance cases run against Tachi's data, for `harness = false`
/// test targets.
pub struct Conformance {
    suite: &'static str,
    cases: Vec<Case>,
}

impl std::fmt::Debug for Conformance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conformance")
            .field("suite", &self.suite)
            .field("cases", &self.cases.len())
            .finish()
    }
}

impl Conformance {
    /// A new suite.
    #[must_use]
    pub fn new(suite: &'static str) -> Self {
        Conformance {
            suite,
            cases: Vec::new(),
        }
    }

    /// Adds a case; it receives the Tachi data folder and panics to fail.
    pub fn case(
        &mut self,
        name: impl Into<String>,
        run: impl FnOnce(&Path) + 'static,
    ) -> &mut Self {
        self.cases.push((name.into(), Box::new(run)));
        self
    }

    /// Runs every case (those whose name contains the first command-line filter
    /// argument, if any), prints one line per case and a summary, and exits with
    /// status 1 if any failed.
    pub fn run(&mut self) {
        let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
        let cases: Vec<Case> = std::mem::take(&mut self.cases)
            .into_iter()
            .filter(|(name, _)| filter.as_deref().is_none_or(|f| name.contains(f)))
            .collect();
        let Some(data) = tachi_data() else {
            println!(
                "\n{}: SKIPPED {} conformance cases: Tachi data not found (set {TACHI_DATA_ENV} or place it at ../shared/tachi-data)",
                self.suite,
                cases.len()
            );
            println!("0 passed, 0 failed, {} skipped", cases.len());
            return;
        };
        println!(
            "\nrunning {} conformance cases of {} against {}",
            cases.len(),
            self.suite,
            data.display()
        );
        let (mut passed, mut failed) = (0usize, 0usize);
        for (name, run) in cases {
            let start = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| run(&data)));
            let ms = start.elapsed().as_millis();
            match outcome {
                Ok(()) => {
                    passed += 1;
                    println!("conformance {name} ... ok ({ms} ms)");
                }
                Err(_) => {
                    failed += 1;
                    println!("conformance {name} ... FAILED");
                }
            }
        }
        println!("\n{}: {passed} passed, {failed} failed", self.suite);
        println!("{passed} passed, {failed} failed");
        if failed > 0 {
            std::process::exit(1);
        }
    }
}

/// A fresh folder under the system's temp dir, removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a new, empty folder named after `label`.
    ///
    /// # Panics
    /// If the folder cannot be created (a test setup failure).
    #[must_use]
    pub fn new(label: &str) -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "kaiden-{label}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        #[allow(clippy::expect_used)]
        std::fs::create_dir_all(&dir).expect("temp dir can be created");
        TempDir(dir)
    }

    /// The folder.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the folder.
    #[must_use]
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A BATCH-MANUAL file of `n` distinct iidx:SP scores on the charts of the
/// repository's example seeds (songs 1–3, NORMAL/HYPER/ANOTHER, five lamps,
/// EX 1–1000, one score a second from November 2023): for tests that need a
/// large upload. Distinct for `n` up to 45,000; valid on every chart for `n`
/// up to 40,000.
#[must_use]
pub fn big_batch_manual(n: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    const DIFFS: [&str; 3] = ["NORMAL", "HYPER", "ANOTHER"];
    const LAMPS: [&str; 5] = [
        "ASSIST CLEAR",
        "EASY CLEAR",
        "CLEAR",
        "HARD CLEAR",
        "FAILED",
    ];
    let mut s =
        String::from(r#"{"meta":{"game":"iidx","playtype":"SP","service":"test"},"scores":["#);
    for i in 0..n {
        let combo = i % 45;
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"score":{},"lamp":"{}","matchType":"tachiSongID","identifier":"{}","difficulty":"{}","timeAchieved":{}}}"#,
            (i / 45) % 1000 + 1,
            LAMPS[combo % 5],
            (combo / 5) % 3 + 1,
            DIFFS[combo / 15],
            1_700_000_000_000_u64 + i as u64 * 1000
        );
    }
    s.push_str("]}");
    s.into_bytes()
}
