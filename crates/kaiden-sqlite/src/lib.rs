//! # kaiden-sqlite
//!
//! kaiden's embedded default host: every host trait of `kaiden-core` on one
//! SQLite file (WAL, indexed for each lookup the pipeline makes), plus a loader
//! for Tachi's seed folders (`songs-<game>.json`, `charts-<game>.json`,
//! `folders.json`, `goals.json`, `quests.json`).
//!
//! Each import runs in one `BEGIN IMMEDIATE` transaction on the host's writer
//! connection. A second import of the same user fails at once with the 409
//! error; imports of different users queue for the writer in arrival order
//! (never in SQLite's busy handler), and reads run on a pool of reader
//! connections that never wait for a writer (see `conns` for the locking
//! order). Chart lookups use an in-memory [`Catalog`] per game, rebuilt when
//! seeds change.
//!
//! For servers it also implements [`ServiceStore`](kaiden_service::ServiceStore):
//! hashed API keys, and the durable import queue in a second file, `<db>.service`.
#![deny(missing_docs)]

mod conns;
mod idlists;
mod ratings;
mod seeds;
mod service;
mod tx;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex, PoisonError};

use kaiden_core::Game;
use kaiden_core::documents::{ChartDocument, ImportDocument, SongDocument};
use kaiden_core::host::{ChartLookup, Host, HostError};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::UserId;
use kaiden_games::catalog::Catalog;
use rusqlite::{Connection, OptionalExtension, params};

pub use conns::Timeouts;
pub use seeds::SeedReport;
pub use tx::SqliteTransaction;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

/// A locked import older than this is considered stuck and taken over (Tachi: 24 h).
pub const STALE_LOCK_MS: i64 = 24 * 60 * 60 * 1000;

/// Errors of the SQLite host outside an import.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqliteError {
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A seed file could not be read.
    #[error("{file}: {message}")]
    Seed {
        /// The file.
        file: String,
        /// What is wrong, with its position.
        message: String,
    },
    /// The host could not do the work (busy, or a storage failure).
    #[error(transparent)]
    Host(#[from] HostError),
    /// The database was written by a newer kaiden.
    #[error("database schema version {found} is newer than this kaiden's {SCHEMA_VERSION}")]
    NewerSchema {
        /// The version found.
        found: i64,
    },
}

pub(crate) fn storage(e: impl std::error::Error + Send + Sync + 'static) -> HostError {
    HostError::backend(e)
}

/// The SQLite host.
#[derive(Debug)]
pub struct SqliteHost {
    path: PathBuf,
    /// Read connections (WAL readers: they never wait for a writer).
    readers: conns::Readers,
    /// The one writer connection, behind this process's fair queue.
    gate: conns::Gate,
    catalogs: Mutex<HashMap<Game, (i64, Arc<Catalog>)>>,
    running: Mutex<HashSet<UserId>>,
    service_conn: std::sync::OnceLock<Mutex<Connection>>,
    checkpointer: Mutex<Option<Checkpointer>>,
    /// Users' PBs as profile ratings read them (see `ratings`).
    ratings: Mutex<ratings::RatingsCache>,
}

/// At most one checkpoint per this long while imports commit (the WAL then
/// holds up to this long's worth of their pages; at 1,000 one-score imports a
/// second, a few MiB).
const CHECKPOINT_SPACING: std::time::Duration = std::time::Duration::from_millis(100);

/// The thread that folds the WAL into the database after imports commit, so
/// an import's caller does not wait for it (it copies every page the import
/// wrote). Requests that arrive while it works are merged into one.
#[derive(Debug)]
struct Checkpointer {
    wake: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Drop for SqliteHost {
    fn drop(&mut self) {
        // The last requested checkpoint finishes before the host is gone.
        self.finish_checkpoints();
    }
}

/// The page cache, in KiB, of connections opened from now on.
static PAGE_CACHE_KIB: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(65_536);

/// Sets the page cache of every database connection opened from now on, in
/// this process: 64 MiB by default (readers keep at most 16 MiB, the job
/// queue's connection 2 MiB). Each connection's cache fills up to it as
/// imports run, so it bounds the host's memory beyond what an import itself
/// needs (`kaiden --sqlite-cache-mib`); smaller is slower for large imports.
/// At least 1 MiB.
pub fn set_page_cache_mib(mib: u32) {
    PAGE_CACHE_KIB.store(
        i64::from(mib.max(1)) * 1024,
        std::sync::atomic::Ordering::Relaxed,
    );
}

fn page_cache_kib() -> i64 {
    PAGE_CACHE_KIB.load(std::sync::atomic::Ordering::Relaxed)
}

/// The page cache in KiB for a connection that keeps at most `cap_kib`.
pub(crate) fn page_cache_at_most(cap_kib: i64) -> i64 {
    page_cache_kib().min(cap_kib)
}

pub(crate) fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(600))?;
    // 4 KiB pages (SQLite's default; takes effect only when the file is
    // created): each page an import dirties is written to the WAL whole, and
    // a one-score import dirties a dozen. 32 KiB pages (chosen first, for
    // the 100,000-score bench, ~15% faster there) wrote 8x the bytes and
    // held small imports back: 16 users' one-score imports ran 40-60% faster
    // with 4 KiB in paired runs (BENCHMARKS.md, issue 18).
    conn.pragma_update(None, "page_size", 4_096)?;
    // Room for every statement an import runs (rusqlite keeps 16), so none
    // is prepared again per import.
    conn.set_prepared_statement_cache_capacity(256);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 64 MiB page cache by default: an import touches every page of its
    // indexes. It is most of a server's memory after a large upload: see
    // `set_page_cache_mib`.
    conn.pragma_update(None, "cache_size", -page_cache_kib())?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(conn)
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl SqliteHost {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, SqliteError> {
        Self::open_with(path, Timeouts::default())
    }

    /// [`SqliteHost::open`] with the given waits for the writer.
    pub fn open_with(path: impl AsRef<Path>, timeouts: Timeouts) -> Result<Self, SqliteError> {
        let path = path.as_ref().to_path_buf();
        let conn = open_connection(&path)?;
        conn.execute_batch(include_str!("schema.sql"))?;
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match version.and_then(|v| v.parse::<i64>().ok()) {
            Some(v) if v > SCHEMA_VERSION => return Err(SqliteError::NewerSchema { found: v }),
            found => {
                // Version 2: the import lock records the process holding it.
                if found.unwrap_or(SCHEMA_VERSION) < 2 {
                    let has_pid: bool = conn
                        .prepare(
                            "SELECT 1 FROM pragma_table_info('import_locks') WHERE name = 'pid'",
                        )?
                        .exists([])?;
                    if !has_pid {
                        conn.execute_batch("ALTER TABLE import_locks ADD COLUMN pid INTEGER")?;
                    }
                }
                // Version 3: no (user, chart) index on scores. PB merging reads
                // the scores the user's stored PBs are composed from (by
                // scoreID), so an import inserts into one index per score, not two.
                if found.unwrap_or(SCHEMA_VERSION) < 3 {
                    conn.execute_batch("DROP INDEX IF EXISTS scores_user_chart")?;
                }
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1)",
                    [SCHEMA_VERSION.to_string()],
                )?;
            }
        }
        drop(conn);
        Ok(SqliteHost {
            readers: conns::Readers::new(&path),
            gate: conns::Gate::new(&path, timeouts),
            path,
            catalogs: Mutex::new(HashMap::new()),
            running: Mutex::new(HashSet::new()),
            service_conn: std::sync::OnceLock::new(),
            checkpointer: Mutex::new(None),
            ratings: Mutex::new(ratings::RatingsCache::default()),
        })
    }

    /// Waits until every checkpoint requested so far has run (the WAL of every
    /// committed import folded into the database file); the checkpoint thread
    /// stops and starts again on the next request.
    pub fn finish_checkpoints(&self) {
        let checkpointer = self
            .checkpointer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(Checkpointer { wake, thread }) = checkpointer {
            drop(wake);
            let _ = thread.join();
        }
    }

    /// Asks the checkpoint thread (started on first use) to checkpoint the
    /// WAL. Best effort: a checkpoint that cannot run now runs on a later
    /// request, or SQLite's own on the next write of another connection.
    pub(crate) fn checkpoint_later(&self) {
        let mut slot = self
            .checkpointer
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = slot.as_ref() {
            if c.wake.send(()).is_ok() {
                return;
            }
        }
        let (wake, requests) = std::sync::mpsc::channel::<()>();
        let path = self.path.clone();
        let thread = std::thread::Builder::new()
            .name("kaiden-sqlite-checkpoint".into())
            .spawn(move || {
                let Ok(conn) = open_connection(&path) else {
                    return;
                };
                let checkpoint = || {
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                };
                let mut wanted = requests.recv().is_ok();
                while wanted {
                    checkpoint();
                    // Requests of the next CHECKPOINT_SPACING share one
                    // checkpoint: a page many small commits dirty (an index's,
                    // a user's PBs') is copied once, not once per commit.
                    wanted = false;
                    let until = std::time::Instant::now() + CHECKPOINT_SPACING;
                    loop {
                        let left = until.saturating_duration_since(std::time::Instant::now());
                        match requests.recv_timeout(left) {
                            Ok(()) => wanted = true,
                            Err(RecvTimeoutError::Timeout) => break,
                            // The host is going: its last request runs now.
                            Err(RecvTimeoutError::Disconnected) => {
                                if wanted {
                                    checkpoint();
                                }
                                return;
                            }
                        }
                    }
                    if !wanted {
                        wanted = requests.recv().is_ok();
                    }
                }
            });
        if let Ok(thread) = thread {
            if wake.send(()).is_ok() {
                *slot = Some(Checkpointer { wake, thread });
            }
        }
    }

    /// Forgets every kept profile-rating input (for tests of the reads
    /// behind them).
    #[doc(hidden)]
    pub fn forget_cached_ratings(&self) {
        self.ratings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The profile-rating inputs kept for a user's GPT, if any (for tests:
    /// they must equal what the database holds).
    #[doc(hidden)]
    pub fn cached_ratings(
        &self,
        user: UserId,
        gpt: kaiden_core::Gpt,
    ) -> Option<Vec<kaiden_core::host::PbRatings>> {
        self.ratings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .peek((user, gpt))
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a read connection (the last committed state; never waits
    /// for a writer).
    pub(crate) fn with_read<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HostError> {
        self.readers.with(f)
    }

    /// Runs `f` on the writer connection (autocommit), in turn behind every
    /// write queued before it in this process.
    pub(crate) fn with_write<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HostError> {
        self.gate.with(f)
    }

    /// Makes sure a user exists (created with `name` if not).
    pub fn ensure_user(&self, id: UserId, name: &str) -> Result<(), HostError> {
        self.with_write(|c| {
            c.execute(
                "INSERT OR IGNORE INTO users (id, name) VALUES (?1, ?2)",
                params![id as i64, name],
            )
            .map(|_| ())
        })
    }

    /// Adds a user and returns its id.
    pub fn add_user(&self, name: &str) -> Result<UserId, HostError> {
        self.with_write(|c| {
            c.execute("INSERT INTO users (name) VALUES (?1)", [name])?;
            Ok(c.last_insert_rowid() as UserId)
        })
    }

    /// The id of the user with this name, if any.
    pub fn user_named(&self, name: &str) -> Result<Option<UserId>, HostError> {
        self.with_read(|c| {
            c.query_row(
                "SELECT id FROM users WHERE name = ?1 ORDER BY id LIMIT 1",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .optional()
        })
        .map(|id| id.map(|i| i as UserId))
    }

    /// Whether a user exists.
    pub fn user_exists(&self, id: UserId) -> Result<bool, HostError> {
        self.with_read(|c| {
            c.query_row("SELECT 1 FROM users WHERE id = ?1", [id as i64], |_| Ok(()))
                .optional()
                .map(|r| r.is_some())
        })
    }

    /// Removes a user who owns nothing (no import, score, orphan or key): what
    /// a command that created the user undoes when its import failed. Returns
    /// whether the user was removed.
    pub fn remove_unused_user(&self, id: UserId) -> Result<bool, HostError> {
        self.with_write(|c| {
            c.execute(
                "DELETE FROM users WHERE id = ?1 \
                 AND NOT EXISTS (SELECT 1 FROM imports WHERE user_id = ?1) \
                 AND NOT EXISTS (SELECT 1 FROM scores WHERE user_id = ?1) \
                 AND NOT EXISTS (SELECT 1 FROM orphans WHERE user_id = ?1) \
                 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE user_id = ?1)",
                [id as i64],
            )
            .map(|n| n > 0)
        })
    }

    /// The users who have orphaned scores, by id.
    pub fn users_with_orphans(&self) -> Result<Vec<UserId>, HostError> {
        self.with_read(|c| {
            let mut st = c.prepare("SELECT DISTINCT user_id FROM orphans ORDER BY user_id")?;
            let ids = st.query_map([], |r| r.get::<_, i64>(0))?;
            ids.map(|id| id.map(|i| i as UserId)).collect()
        })
    }

    /// Blacklists a scoreID for a user: it is never imported again.
    pub fn blacklist_score(&self, user: UserId, score_id: &str) -> Result<(), HostError> {
        self.with_write(|c| {
            c.execute(
                "INSERT OR IGNORE INTO score_blacklist (user_id, score_id) VALUES (?1, ?2)",
                params![user as i64, score_id],
            )
            .map(|_| ())
        })
    }

    /// Subscribes a user to a goal (progress starts empty, as a fresh Tachi goal-sub).
    pub fn subscribe_goal(&self, user: UserId, goal_id: &str) -> Result<(), HostError> {
        self.with_write(|c| {
            let (game, doc): (String, String) = c.query_row(
                "SELECT game, doc FROM goals WHERE goal_id = ?1",
                [goal_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let goal: serde_json::Value = serde_json::from_str(&doc).unwrap_or_default();
            let sub = kaiden_core::documents::new_goal_subscription(user, &goal, now_ms());
            c.execute(
                "INSERT OR IGNORE INTO goal_subs (user_id, goal_id, game, doc) VALUES (?1, ?2, ?3, ?4)",
                params![user as i64, goal_id, game, sub.to_string()],
            )
            .map(|_| ())
        })
    }

    /// Subscribes a user to a quest and to each of its goals.
    pub fn subscribe_quest(&self, user: UserId, quest_id: &str) -> Result<(), HostError> {
        let goal_ids: Vec<String> = self.with_write(|c| {
            let (game, doc): (String, String) = c.query_row(
                "SELECT game, doc FROM quests WHERE quest_id = ?1",
                [quest_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let quest: serde_json::Value = serde_json::from_str(&doc).unwrap_or_default();
            let sub = kaiden_core::documents::new_quest_subscription(user, &quest, now_ms());
            c.execute(
                "INSERT OR IGNORE INTO quest_subs (user_id, quest_id, game, doc) VALUES (?1, ?2, ?3, ?4)",
                params![user as i64, quest_id, game, sub.to_string()],
            )?;
            let mut st = c.prepare("SELECT goal_id FROM quest_goals WHERE quest_id = ?1")?;
            st.query_map([quest_id], |r| r.get(0))?.collect()
        })?;
        for g in goal_ids {
            self.subscribe_goal(user, &g)?;
        }
        Ok(())
    }

    /// Every row of every table, as text, in a stable order: for tests that need
    /// to prove an import left the database unchanged.
    pub fn dump(&self) -> Result<Vec<String>, HostError> {
        self.with_read(|c| {
            let mut tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            tables.retain(|t| t != "import_locks");
            let mut out = Vec::new();
            for t in tables {
                let mut st = c.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1, 2"))?;
                let n = st.column_count();
                let rows = st.query_map([], |r| {
                    let mut s = format!("{t}:");
                    for i in 0..n {
                        let v: rusqlite::types::Value = r.get(i)?;
                        s.push_str(&format!(" {v:?}"));
                    }
                    Ok(s)
                })?;
                for r in rows {
                    out.push(r?);
                }
            }
            Ok(out)
        })
    }

    /// The seeds generation: bumped by every seed load, so cached catalogues
    /// know they are stale.
    fn generation(&self) -> Result<i64, HostError> {
        self.with_read(generation_of)
    }

    /// The catalogue of a game, rebuilt if the seeds changed since it was cached.
    pub fn catalog(&self, game: Game) -> Result<Arc<Catalog>, HostError> {
        let gen_now = self.generation()?;
        self.catalog_at(game, gen_now)
    }

    /// The catalogue of a game for a known seeds generation.
    pub(crate) fn catalog_at(&self, game: Game, gen_now: i64) -> Result<Arc<Catalog>, HostError> {
        {
            let cache = self.catalogs.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((g, c)) = cache.get(&game) {
                if *g == gen_now {
                    return Ok(Arc::clone(c));
                }
            }
        }
        let catalog = Arc::new(self.with_read(|c| build_catalog(c, game))?);
        self.catalogs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(game, (gen_now, Arc::clone(&catalog)));
        Ok(catalog)
    }

    pub(crate) fn resolve(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        let mut catalogs: HashMap<Game, Arc<Catalog>> = HashMap::new();
        kaiden_games::catalog::resolve_all(queries, |game| match catalogs.get(&game) {
            Some(c) => Ok(Arc::clone(c)),
            None => {
                let c = self.catalog(game)?;
                catalogs.insert(game, Arc::clone(&c));
                Ok(c)
            }
        })
    }

    pub(crate) fn charts_by_id_sync(
        &self,
        game: Game,
        ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        Ok(self.catalog(game)?.charts_by_id(ids))
    }

    pub(crate) fn songs_by_id_sync(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        Ok(self.catalog(game)?.songs_by_id(ids))
    }

    /// Loads a folder of Tachi seed files. Songs and charts of each game found
    /// replace that game's; scores, PBs and everything users own are kept.
    pub fn load_seeds(&self, dir: impl AsRef<Path>) -> Result<SeedReport, SqliteError> {
        let report = self.gate.with_mut(|conn| seeds::load(conn, dir.as_ref()))?;
        self.checkpoint_later();
        Ok(report)
    }

    /// A stored import's timings.
    pub fn import_timings(&self, import_id: &str) -> Result<Option<serde_json::Value>, HostError> {
        self.with_read(|c| {
            c.query_row(
                "SELECT doc FROM import_timings WHERE import_id = ?1",
                [import_id],
                |r| r.get::<_, String>(0),
            )
            .optional()
        })
        .map(|d| d.and_then(|d| serde_json::from_str(&d).ok()))
    }

    /// A user's stored documents of one table, in insertion order: `scores`,
    /// `orphans`, `sessions`, `pbs`, `game_stats`, `goal_subs`, `quest_subs`,
    /// `imports`. For tools and tests.
    pub fn documents(
        &self,
        table: &str,
        user: UserId,
    ) -> Result<Vec<serde_json::Value>, HostError> {
        const TABLES: [&str; 8] = [
            "scores",
            "orphans",
            "sessions",
            "pbs",
            "game_stats",
            "goal_subs",
            "quest_subs",
            "imports",
        ];
        if !TABLES.contains(&table) {
            return Err(HostError::Storage(format!(
                "no table {table:?} (expected one of {})",
                TABLES.join(", ")
            )));
        }
        // Sessions and imports with their whole scoreID lists.
        let owner_key = match table {
            "sessions" => Some("sessionID"),
            "imports" => Some("importID"),
            _ => None,
        };
        self.with_read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT doc FROM {table} WHERE user_id = ?1 ORDER BY rowid"
            ))?;
            let raw = st
                .query_map([user as i64], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut out = Vec::with_capacity(raw.len());
            for d in raw {
                let mut v: serde_json::Value =
                    serde_json::from_str(&d).map_err(idlists::conversion)?;
                if let Some(key) = owner_key {
                    idlists::complete_value(c, key, &mut v)?;
                }
                out.push(v);
            }
            Ok(out)
        })
    }

    /// Counts of a user's stored things, by table.
    pub fn counts(&self, user: UserId) -> Result<HashMap<&'static str, u64>, HostError> {
        let mut out = HashMap::new();
        for t in [
            "scores",
            "orphans",
            "sessions",
            "pbs",
            "game_stats",
            "imports",
        ] {
            let n: i64 = self.with_read(|c| {
                c.query_row(
                    &format!("SELECT COUNT(*) FROM {t} WHERE user_id = ?1"),
                    [user as i64],
                    |r| r.get(0),
                )
            })?;
            out.insert(t, n as u64);
        }
        Ok(out)
    }
}

pub(crate) fn generation_of(c: &Connection) -> rusqlite::Result<i64> {
    Ok(c.query_row(
        "SELECT value FROM meta WHERE key = 'seeds_generation'",
        [],
        |r| r.get::<_, String>(0),
    )
    .optional()?
    .and_then(|v| v.parse().ok())
    .unwrap_or(0))
}

/// A queued chart's document (the host's committed state, or a
/// transaction's own on its connection).
pub(crate) fn pending_chart_in(c: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT doc FROM pending_charts WHERE key = ?1",
        [key],
        |r| r.get(0),
    )
    .optional()
}

pub(crate) fn build_catalog(c: &Connection, game: Game) -> rusqlite::Result<Catalog> {
    // Each document is parsed from the row's own text (no copy of it).
    fn docs<T: serde::de::DeserializeOwned>(
        c: &Connection,
        sql: &str,
        game: Game,
    ) -> rusqlite::Result<Vec<T>> {
        let mut st = c.prepare(sql)?;
        let mut rows = st.query([game.as_str()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let text = row.get_ref(0)?.as_str()?;
            out.push(
                serde_json::from_str::<T>(text)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            );
        }
        Ok(out)
    }
    let songs = docs(c, "SELECT doc FROM songs WHERE game = ?1 ORDER BY id", game)?;
    let charts = docs(
        c,
        "SELECT doc FROM charts WHERE game = ?1 ORDER BY rowid",
        game,
    )?;
    Ok(Catalog::new(game, songs, charts))
}

impl ChartLookup for SqliteHost {
    async fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        self.resolve(queries)
    }

    async fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        self.charts_by_id_sync(game, chart_ids)
    }

    async fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        self.songs_by_id_sync(game, ids)
    }
}

impl Host for SqliteHost {
    type Transaction<'a> = SqliteTransaction<'a>;

    async fn begin_import(&self, user: UserId) -> Result<SqliteTransaction<'_>, HostError> {
        tx::begin(self, user)
    }

    async fn pending_chart(
        &self,
        key: &str,
    ) -> Result<Option<kaiden_core::documents::PendingChart>, HostError> {
        self.with_read(|c| pending_chart_in(c, key))?
            .map(|d| serde_json::from_str(&d).map_err(storage))
            .transpose()
    }

    async fn bms_course(
        &self,
        md5sums: &str,
    ) -> Result<Option<kaiden_core::documents::BmsCourse>, HostError> {
        let doc: Option<String> = self.with_read(|c| {
            c.query_row(
                "SELECT doc FROM bms_courses WHERE md5sums = ?1",
                [md5sums],
                |r| r.get(0),
            )
            .optional()
        })?;
        doc.map(|d| serde_json::from_str(&d).map_err(storage))
            .transpose()
    }

    async fn import_document(&self, import_id: &str) -> Result<Option<ImportDocument>, HostError> {
        self.with_read(|c| {
            let doc: Option<String> = c
                .query_row(
                    "SELECT doc FROM imports WHERE import_id = ?1",
                    [import_id],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(doc) = doc else { return Ok(None) };
            let mut d: ImportDocument = serde_json::from_str(&doc).map_err(idlists::conversion)?;
            idlists::complete_import(c, &mut d)?;
            Ok(Some(d))
        })
    }

    async fn user_scores(
        &self,
        user: UserId,
        after: Option<u64>,
        limit: usize,
    ) -> Result<kaiden_core::host::ScorePage, HostError> {
        // By the primary key from `after` on: one pass over the table for a
        // whole export (scores have no user index; imports do not need one).
        let limit = limit.max(1);
        let rows: Vec<(i64, String)> = self.with_read(|c| {
            let mut st = c.prepare_cached(
                "SELECT seq, doc FROM scores WHERE seq > ?1 AND user_id = ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows = st.query_map(
                rusqlite::params![
                    after.map_or(-1, |a| i64::try_from(a).unwrap_or(i64::MAX)),
                    i64::try_from(user).unwrap_or(i64::MAX),
                    i64::try_from(limit + 1).unwrap_or(i64::MAX)
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            rows.collect()
        })?;
        let more = rows.len() > limit;
        let mut page = kaiden_core::host::ScorePage::default();
        for (seq, doc) in rows.into_iter().take(limit) {
            page.scores
                .push(serde_json::from_str(&doc).map_err(storage)?);
            page.next = more.then(|| u64::try_from(seq).unwrap_or(0));
        }
        Ok(page)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_page_cache_setting_reaches_connections_opened_after_it() {
        let dir = std::env::temp_dir().join(format!("kaiden-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.db");
        let cache =
            |c: &Connection| -> i64 { c.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap() };
        set_page_cache_mib(3);
        assert_eq!(cache(&open_connection(&path).unwrap()), -3 * 1024);
        assert_eq!(
            page_cache_at_most(16_384),
            3 * 1024,
            "a reader: the smaller"
        );
        set_page_cache_mib(0);
        assert_eq!(
            cache(&open_connection(&path).unwrap()),
            -1024,
            "at least 1 MiB"
        );
        set_page_cache_mib(64);
        assert_eq!(cache(&open_connection(&path).unwrap()), -65_536);
        assert_eq!(page_cache_at_most(16_384), 16_384);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
