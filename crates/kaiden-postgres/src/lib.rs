//! # kaiden-postgres
//!
//! kaiden on PostgreSQL: every host trait of `kaiden-core`, the server's
//! stores of `kaiden-service` (API keys, the import queue, users' tokens and
//! hook settings) and Tachi's seed loader, in one database that several
//! `kaiden serve` and `kaiden worker` processes share.
//!
//! - **An import** is one transaction on one connection. The user's import
//!   lock is a transaction-scoped advisory lock (`pg_try_advisory_xact_lock`),
//!   so it holds across processes and machines, and PostgreSQL itself
//!   releases it when the transaction ends or its connection dies: no lock
//!   outlives its holder.
//! - **Writes** are one statement per batch (`INSERT … SELECT FROM unnest(…)`
//!   of the batch's columns as arrays).
//! - **Chart lookups** use an in-memory [`Catalog`] per game, as the SQLite
//!   host does, rebuilt when the seeds generation (a row of `meta`) changes.
//! - **The queue** is the `import_jobs` table: workers claim with
//!   `FOR UPDATE SKIP LOCKED`; a claim records the worker's presence key, a
//!   session advisory lock its process holds, so a job whose process died is
//!   taken over at once, and one whose process hangs when its lease runs out.
//!
//! The client is `tokio-postgres` with a small pool of the host's own: the
//! host runs a two-thread runtime of its own that drives every connection,
//! so callers may await it from any executor.
#![deny(missing_docs)]

mod pool;
mod seeds;
mod service;
mod tx;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use kaiden_core::Game;
use kaiden_core::documents::{ChartDocument, ImportDocument, SongDocument};
use kaiden_core::host::{ChartLookup, Host, HostError};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::UserId;
use kaiden_games::catalog::Catalog;
use serde_json::Value;
use tokio_postgres::{Client, GenericClient};

pub use kaiden_core::seeds::SeedReport;
pub use tx::PgTransaction;

use pool::{Conn, Pool};

/// The schema version this build writes (the `meta` row `schema_version`).
pub const SCHEMA_VERSION: i64 = 2;

/// Errors of the PostgreSQL host outside an import.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// PostgreSQL failed.
    #[error("postgres: {}", describe(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// The URL or options are not usable.
    #[error("{0}")]
    Config(String),
    /// A seed file could not be read.
    #[error("{file}: {message}")]
    Seed {
        /// The file.
        file: String,
        /// What is wrong, with its position.
        message: String,
    },
    /// The host could not do the work.
    #[error(transparent)]
    Host(#[from] HostError),
    /// The database was written by a newer kaiden.
    #[error("database schema version {found} is newer than this kaiden's {SCHEMA_VERSION}")]
    NewerSchema {
        /// The version found.
        found: i64,
    },
}

/// A store failure. What ends a transaction without writing anything, and
/// may not happen again (a deadlock or serialization failure PostgreSQL
/// broke, the server shutting down or restarting, the connection lost or
/// refused), is `Busy`: the server's workers requeue such an import with
/// their backoff.
pub(crate) fn storage(e: tokio_postgres::Error) -> HostError {
    use tokio_postgres::error::SqlState;
    let code = e.code().cloned();
    // The server restarting or ending the session (class 57P), a lost
    // connection (class 08, or the client's own closed connection) and a
    // refused one (an I/O error) roll the transaction back as surely.
    let transport =
        std::error::Error::source(&e).is_some_and(|c| c.downcast_ref::<std::io::Error>().is_some());
    let lost = e.is_closed()
        || transport
        || code
            .as_ref()
            .is_some_and(|c| c.code().starts_with("57P") || c.code().starts_with("08"));
    let e = DbError(e);
    if lost {
        HostError::Busy(format!("PostgreSQL is unavailable: {e}"))
    } else if code == Some(SqlState::T_R_DEADLOCK_DETECTED)
        || code == Some(SqlState::T_R_SERIALIZATION_FAILURE)
    {
        HostError::Busy(format!("PostgreSQL ended a transaction: {e}"))
    } else {
        HostError::backend(e)
    }
}

/// A client error that says what the server said (`tokio_postgres::Error`
/// shows only "db error"): the error is the source.
#[derive(Debug)]
pub struct DbError(pub tokio_postgres::Error);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(&self.0))
    }
}

/// What the server said (severity, SQLSTATE, message, detail), or the
/// client's own words.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
            if let Some(d) = db.detail() {
                s.push_str(&format!(" ({d})"));
            }
            s
        }
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// A `postgres://` URL (or a libpq key=value string).
    pub url: String,
    /// The schema kaiden's tables live in (created if missing); `None`: the
    /// connection's default (`public`).
    pub schema: Option<String>,
    /// Connections this host opens at most (default 8).
    pub pool_size: usize,
    /// How long a call waits for a free connection, or for PostgreSQL to
    /// accept one, before it fails as busy (default 30 s).
    pub timeout: Duration,
}

impl PgOptions {
    /// The defaults for `url`.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        PgOptions {
            url: url.into(),
            schema: None,
            pool_size: 8,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Whether `db` names a PostgreSQL database (`postgres://` or `postgresql://`).
#[must_use]
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The PostgreSQL host.
#[derive(Debug)]
pub struct PgHost {
    pool: Arc<Pool>,
    runtime: Option<tokio::runtime::Runtime>,
    catalogs: Mutex<HashMap<Game, (i64, Arc<Catalog>)>>,
    /// What advisory lock keys are made from: the database and schema, so
    /// two kaiden schemas on one server never share a lock.
    space: String,
    /// This host's presence key in the queue (see `service`).
    presence: service::Presence,
}

impl Drop for PgHost {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            // Dropping a runtime waits for its tasks; inside another runtime
            // that is refused, so let its threads end on their own.
            rt.shutdown_background();
        }
    }
}

/// FNV-1a, 64 bits: advisory lock keys that every process computes alike.
pub(crate) fn lock_key(space: &str, kind: &str, id: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in space
        .bytes()
        .chain([0])
        .chain(kind.bytes())
        .chain([0])
        .chain(id.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // Kept positive: pg_locks shows the key as two unsigned halves.
    (h >> 1) as i64
}

fn valid_schema(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !s.as_bytes()[0].is_ascii_digit()
}

impl PgHost {
    /// Connects to `url` (creating and migrating kaiden's tables on first use).
    pub fn open(url: &str) -> Result<Self, PgError> {
        Self::open_with(PgOptions::new(url))
    }

    /// [`PgHost::open`] with options.
    pub fn open_with(options: PgOptions) -> Result<Self, PgError> {
        let mut config: tokio_postgres::Config = options
            .url
            .parse()
            .map_err(|e| PgError::Config(format!("{}: {e}", redact(&options.url))))?;
        if config.get_application_name().is_none() {
            config.application_name("kaiden");
        }
        if let Some(schema) = &options.schema {
            if !valid_schema(schema) {
                return Err(PgError::Config(format!(
                    "schema {schema:?}: expected lower-case letters, digits and _ (at most 63)"
                )));
            }
            let mut opts = config.get_options().unwrap_or_default().to_owned();
            if !opts.is_empty() {
                opts.push(' ');
            }
            opts.push_str(&format!("-c search_path={schema}"));
            config.options(&opts);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kaiden-postgres")
            .enable_all()
            .build()
            .map_err(|e| PgError::Config(format!("cannot start the runtime: {e}")))?;
        let pool = Arc::new(Pool::new(
            config,
            runtime.handle().clone(),
            options.pool_size,
            options.timeout,
        ));
        let db = pool.config().get_dbname().unwrap_or("").to_owned();
        let space = format!("{db}/{}", options.schema.as_deref().unwrap_or("public"));
        let host = PgHost {
            presence: service::Presence::new(&space),
            pool,
            runtime: Some(runtime),
            catalogs: Mutex::new(HashMap::new()),
            space,
        };
        let pool = Arc::clone(&host.pool);
        let schema = options.schema.clone();
        let migrate_key = lock_key(&host.space, "migrate", "");
        host.pool
            .block(async move { migrate(&pool, schema.as_deref(), migrate_key).await })??;
        Ok(host)
    }

    pub(crate) fn pool(&self) -> &Arc<Pool> {
        &self.pool
    }

    pub(crate) fn space(&self) -> &str {
        &self.space
    }

    /// Runs `f` with a connection on the host's runtime and waits for it
    /// (the synchronous calls).
    pub(crate) fn with_conn<T, F, Fut>(&self, f: F) -> Result<T, HostError>
    where
        T: Send + 'static,
        F: FnOnce(Conn) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, HostError>> + Send,
    {
        let pool = Arc::clone(&self.pool);
        self.pool.block(async move {
            let conn = pool.get().await?;
            f(conn).await
        })?
    }

    /// Makes sure a user exists (created with `name` if not).
    pub fn ensure_user(&self, id: UserId, name: &str) -> Result<(), HostError> {
        let name = name.to_owned();
        let id = user_i64(id)?;
        self.with_conn(move |c| async move {
            c.execute(
                "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                &[&id, &name],
            )
            .await
            .map_err(storage)?;
            Ok(())
        })
    }

    /// Adds a user (the next id) and returns its id.
    pub fn add_user(&self, name: &str) -> Result<UserId, HostError> {
        let name = name.to_owned();
        let key = lock_key(&self.space, "users", "");
        self.with_conn(move |mut c| async move {
            let tx = c_transaction(&mut c).await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&key])
                .await
                .map_err(storage)?;
            let row = tx
                .query_one(
                    "INSERT INTO users (id, name) SELECT COALESCE(MAX(id), 0) + 1, $1 FROM users RETURNING id",
                    &[&name],
                )
                .await
                .map_err(storage)?;
            let id: i64 = row.try_get(0).map_err(storage)?;
            tx.commit().await.map_err(storage)?;
            Ok(id as UserId)
        })
    }

    /// The id of the user with this name, if any.
    pub fn user_named(&self, name: &str) -> Result<Option<UserId>, HostError> {
        let name = name.to_owned();
        self.with_conn(move |c| async move {
            let row = c
                .query_opt(
                    "SELECT id FROM users WHERE name = $1 ORDER BY id LIMIT 1",
                    &[&name],
                )
                .await
                .map_err(storage)?;
            row.map(|r| r.try_get::<_, i64>(0).map(|i| i as UserId))
                .transpose()
                .map_err(storage)
        })
    }

    /// Whether a user exists.
    pub fn user_exists(&self, id: UserId) -> Result<bool, HostError> {
        let id = user_i64(id)?;
        self.with_conn(move |c| async move { user_exists_on(&c, id).await })
    }

    /// Removes a user who owns nothing (no import, score, orphan or key).
    /// Returns whether the user was removed.
    pub fn remove_unused_user(&self, id: UserId) -> Result<bool, HostError> {
        let id = user_i64(id)?;
        self.with_conn(move |c| async move {
            c.execute(
                "DELETE FROM users WHERE id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM imports WHERE user_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM scores WHERE user_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM orphans WHERE user_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE user_id = $1)",
                &[&id],
            )
            .await
            .map(|n| n > 0)
            .map_err(storage)
        })
    }

    /// The users who have orphaned scores, by id.
    pub fn users_with_orphans(&self) -> Result<Vec<UserId>, HostError> {
        self.with_conn(move |c| async move {
            let rows = c
                .query("SELECT DISTINCT user_id FROM orphans ORDER BY user_id", &[])
                .await
                .map_err(storage)?;
            rows.iter()
                .map(|r| {
                    r.try_get::<_, i64>(0)
                        .map(|i| u64::try_from(i).unwrap_or(0))
                        .map_err(storage)
                })
                .collect()
        })
    }

    /// Blacklists a scoreID for a user: it is never imported again.
    pub fn blacklist_score(&self, user: UserId, score_id: &str) -> Result<(), HostError> {
        let user = user_i64(user)?;
        let score_id = score_id.to_owned();
        self.with_conn(move |c| async move {
            c.execute(
                "INSERT INTO score_blacklist (user_id, score_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&user, &score_id],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
    }

    /// Subscribes a user to a goal (progress starts empty, as a fresh Tachi goal-sub).
    pub fn subscribe_goal(&self, user: UserId, goal_id: &str) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let goal_id = goal_id.to_owned();
        self.with_conn(move |c| async move {
            let row = c
                .query_opt("SELECT game, doc FROM goals WHERE goal_id = $1", &[&goal_id])
                .await
                .map_err(storage)?
                .ok_or_else(|| no_rows("goal", &goal_id))?;
            let game: String = row.try_get(0).map_err(storage)?;
            let goal: Value = parse(&row.try_get::<_, String>(1).map_err(storage)?)?;
            let sub = kaiden_core::documents::new_goal_subscription(user, &goal, now_ms());
            c.execute(
                "INSERT INTO goal_subs (user_id, goal_id, game, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&uid, &goal_id, &game, &sub.to_string()],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
    }

    /// Subscribes a user to a quest and to each of its goals.
    pub fn subscribe_quest(&self, user: UserId, quest_id: &str) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let quest = quest_id.to_owned();
        let goal_ids: Vec<String> = self.with_conn(move |c| async move {
            let row = c
                .query_opt("SELECT game, doc FROM quests WHERE quest_id = $1", &[&quest])
                .await
                .map_err(storage)?
                .ok_or_else(|| no_rows("quest", &quest))?;
            let game: String = row.try_get(0).map_err(storage)?;
            let doc: Value = parse(&row.try_get::<_, String>(1).map_err(storage)?)?;
            let sub = kaiden_core::documents::new_quest_subscription(user, &doc, now_ms());
            c.execute(
                "INSERT INTO quest_subs (user_id, quest_id, game, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&uid, &quest, &game, &sub.to_string()],
            )
            .await
            .map_err(storage)?;
            strings(
                &**c,
                "SELECT goal_id FROM quest_goals WHERE quest_id = $1 ORDER BY goal_id",
                &[&quest],
            )
            .await
        })?;
        for g in goal_ids {
            self.subscribe_goal(user, &g)?;
        }
        Ok(())
    }

    /// Every row of every kaiden table, as text, in a stable order: for tests
    /// that need to prove an import left the database unchanged.
    pub fn dump(&self) -> Result<Vec<String>, HostError> {
        self.with_conn(move |c| async move {
            let tables = strings(
                &**c,
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
                &[],
            )
            .await?;
            let mut out = Vec::new();
            for t in tables {
                let rows = strings(
                    &**c,
                    &format!("SELECT '{t}: ' || x::text FROM \"{t}\" x ORDER BY 1"),
                    &[],
                )
                .await?;
                out.extend(rows);
            }
            Ok(out)
        })
    }

    /// Loads a folder of Tachi seed files in one transaction. Songs and
    /// charts of each game found replace that game's; scores, PBs and
    /// everything users own are kept.
    pub fn load_seeds(&self, dir: impl AsRef<std::path::Path>) -> Result<SeedReport, PgError> {
        let dir = dir.as_ref().to_path_buf();
        let key = lock_key(&self.space, "seeds", "");
        let pool = Arc::clone(&self.pool);
        self.pool.block(async move {
            let mut c = pool.get().await?;
            seeds::load(&mut c, &dir, key).await
        })?
    }

    /// A stored import's timings.
    pub fn import_timings(&self, import_id: &str) -> Result<Option<Value>, HostError> {
        let id = import_id.to_owned();
        self.with_conn(move |c| async move {
            let row = c
                .query_opt(
                    "SELECT doc FROM import_timings WHERE import_id = $1",
                    &[&id],
                )
                .await
                .map_err(storage)?;
            row.map(|r| parse(&r.try_get::<_, String>(0).map_err(storage)?))
                .transpose()
        })
    }

    /// A user's stored documents of one table, in the order first stored:
    /// `scores`, `orphans`, `sessions`, `pbs`, `game_stats`, `goal_subs`,
    /// `quest_subs`, `imports`. For tools and tests.
    pub fn documents(&self, table: &str, user: UserId) -> Result<Vec<Value>, HostError> {
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
        let sql = format!("SELECT doc FROM {table} WHERE user_id = $1 ORDER BY seq");
        let user = user_i64(user)?;
        let raw = self.with_conn(move |c| async move { strings(&**c, &sql, &[&user]).await })?;
        raw.iter().map(|d| parse(d)).collect()
    }

    /// The catalogue of a game at the committed seeds generation.
    pub(crate) async fn catalog(&self, game: Game) -> Result<Arc<Catalog>, HostError> {
        // One small read per call: is the cached catalogue still current?
        let conn = self.pool.get().await?;
        let now = generation_of(&**conn).await?;
        match self.cached_catalog(game, Some(now)) {
            Some(c) => Ok(c),
            None => self.build_catalog_on(&**conn, game, now).await,
        }
    }

    /// The cached catalogue of a game (at `generation`, when given).
    pub(crate) fn cached_catalog(
        &self,
        game: Game,
        generation: Option<i64>,
    ) -> Option<Arc<Catalog>> {
        let cache = self.catalogs.lock().unwrap_or_else(PoisonError::into_inner);
        cache
            .get(&game)
            .filter(|(g, _)| generation.is_none_or(|want| *g == want))
            .map(|(_, c)| Arc::clone(c))
    }

    /// Builds a game's catalogue on `c` and caches it as of `generation`.
    pub(crate) async fn build_catalog_on(
        &self,
        c: &(impl GenericClient + Sync),
        game: Game,
        generation: i64,
    ) -> Result<Arc<Catalog>, HostError> {
        let catalog = Arc::new(build_catalog(c, game).await?);
        let mut cache = self.catalogs.lock().unwrap_or_else(PoisonError::into_inner);
        let newer = cache.get(&game).is_some_and(|(g, _)| *g > generation);
        if !newer {
            cache.insert(game, (generation, Arc::clone(&catalog)));
        }
        Ok(catalog)
    }

    /// Catalogues for every game of `queries`, at `generation`, read on `c`.
    pub(crate) async fn catalogs_for(
        &self,
        c: &(impl GenericClient + Sync),
        queries: &[ChartQuery],
        generation: i64,
        own: &HashMap<Game, Arc<Catalog>>,
    ) -> Result<HashMap<Game, Arc<Catalog>>, HostError> {
        let mut out = HashMap::new();
        for q in queries {
            let game = q.gpt.game();
            if out.contains_key(&game) {
                continue;
            }
            let cat = match own.get(&game) {
                Some(c) => Arc::clone(c),
                None => match self.cached_catalog(game, Some(generation)) {
                    Some(c) => c,
                    None => self.build_catalog_on(c, game, generation).await?,
                },
            };
            out.insert(game, cat);
        }
        Ok(out)
    }
}

fn no_rows(what: &str, id: &str) -> HostError {
    HostError::Storage(format!("Query returned no rows: no {what} {id}"))
}

pub(crate) fn user_i64(user: UserId) -> Result<i64, HostError> {
    i64::try_from(user).map_err(|_| HostError::UnknownUser(user))
}

pub(crate) fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, HostError> {
    serde_json::from_str(s).map_err(HostError::backend)
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String, HostError> {
    serde_json::to_string(v).map_err(HostError::backend)
}

/// `url` with its password hidden, for messages.
#[must_use]
pub fn redact_url(url: &str) -> String {
    redact(url)
}

/// Hides a URL's password in messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A transaction on a pooled connection.
pub(crate) async fn c_transaction(
    c: &mut Conn,
) -> Result<tokio_postgres::Transaction<'_>, HostError> {
    c.client_mut()
        .ok_or_else(|| HostError::Storage("the connection is still in use".into()))?
        .transaction()
        .await
        .map_err(storage)
}

/// The first column of every row, as text.
pub(crate) async fn strings(
    c: &(impl GenericClient + Sync),
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<String>, HostError> {
    c.query(sql, params)
        .await
        .map_err(storage)?
        .iter()
        .map(|r| r.try_get::<_, String>(0).map_err(storage))
        .collect()
}

pub(crate) async fn user_exists_on(c: &Client, id: i64) -> Result<bool, HostError> {
    Ok(c.query_opt("SELECT 1 FROM users WHERE id = $1", &[&id])
        .await
        .map_err(storage)?
        .is_some())
}

pub(crate) async fn generation_of(c: &(impl GenericClient + Sync)) -> Result<i64, HostError> {
    let row = c
        .query_opt("SELECT value FROM meta WHERE key = 'seeds_generation'", &[])
        .await
        .map_err(storage)?;
    Ok(row
        .and_then(|r| r.try_get::<_, String>(0).ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub(crate) async fn build_catalog(
    c: &(impl GenericClient + Sync),
    game: Game,
) -> Result<Catalog, HostError> {
    let g = game.as_str();
    let songs = strings(
        c,
        "SELECT doc FROM songs WHERE game = $1 ORDER BY id",
        &[&g],
    )
    .await?;
    let charts = strings(
        c,
        "SELECT doc FROM charts WHERE game = $1 ORDER BY seq",
        &[&g],
    )
    .await?;
    let songs = kaiden_par::map_ref(&songs, |d| parse::<SongDocument>(d))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let charts = kaiden_par::map_ref(&charts, |d| parse::<ChartDocument>(d))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Catalog::new(game, songs, charts))
}

/// Creates the schema and tables, or checks and migrates them, under an
/// advisory lock (processes starting at once do it one at a time).
async fn migrate(pool: &Arc<Pool>, schema: Option<&str>, key: i64) -> Result<(), PgError> {
    let mut c = pool.get().await?;
    let tx = c_transaction(&mut c).await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&key])
        .await?;
    if let Some(s) = schema {
        tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {s}"))
            .await?;
    }
    tx.batch_execute(include_str!("schema.sql")).await?;
    let found = tx
        .query_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .await?
        .and_then(|r| r.try_get::<_, String>(0).ok())
        .and_then(|v| v.parse::<i64>().ok());
    if let Some(v) = found.filter(|v| *v > SCHEMA_VERSION) {
        return Err(PgError::NewerSchema { found: v });
    }
    // Version 2: PB merging reads the scores the user's PBs are composed
    // from, by scoreID; the (user, chart) index only cost every insert.
    if found.is_some_and(|v| v < 2) {
        tx.batch_execute("DROP INDEX IF EXISTS scores_user_chart")
            .await?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&SCHEMA_VERSION.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

impl ChartLookup for PgHost {
    async fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        let mut catalogs: HashMap<Game, Arc<Catalog>> = HashMap::new();
        for q in queries {
            let game = q.gpt.game();
            if let std::collections::hash_map::Entry::Vacant(slot) = catalogs.entry(game) {
                slot.insert(self.catalog(game).await?);
            }
        }
        kaiden_games::catalog::resolve_all(queries, |game| {
            catalogs
                .get(&game)
                .cloned()
                .ok_or_else(|| HostError::Storage(format!("no catalogue of {game}")))
        })
    }

    async fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        Ok(self.catalog(game).await?.charts_by_id(chart_ids))
    }

    async fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        Ok(self.catalog(game).await?.songs_by_id(ids))
    }
}

impl Host for PgHost {
    type Transaction<'a> = PgTransaction<'a>;

    async fn begin_import(&self, user: UserId) -> Result<PgTransaction<'_>, HostError> {
        tx::begin(self, user).await
    }

    async fn pending_chart(
        &self,
        key: &str,
    ) -> Result<Option<kaiden_core::documents::PendingChart>, HostError> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt("SELECT doc FROM pending_charts WHERE key = $1", &[&key])
            .await
            .map_err(storage)?;
        row.map(|r| parse(&r.try_get::<_, String>(0).map_err(storage)?))
            .transpose()
    }

    async fn bms_course(
        &self,
        md5sums: &str,
    ) -> Result<Option<kaiden_core::documents::BmsCourse>, HostError> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT doc FROM bms_courses WHERE md5sums = $1",
                &[&md5sums],
            )
            .await
            .map_err(storage)?;
        row.map(|r| parse(&r.try_get::<_, String>(0).map_err(storage)?))
            .transpose()
    }

    async fn import_document(&self, import_id: &str) -> Result<Option<ImportDocument>, HostError> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt(
                "SELECT doc FROM imports WHERE import_id = $1",
                &[&import_id],
            )
            .await
            .map_err(storage)?;
        row.map(|r| parse(&r.try_get::<_, String>(0).map_err(storage)?))
            .transpose()
    }

    async fn user_scores(
        &self,
        user: UserId,
        after: Option<u64>,
        limit: usize,
    ) -> Result<kaiden_core::host::ScorePage, HostError> {
        let limit = limit.max(1);
        let user = user_i64(user)?;
        let after = after.map_or(0, |a| i64::try_from(a).unwrap_or(i64::MAX));
        let take = i64::try_from(limit + 1).unwrap_or(i64::MAX);
        let c = self.pool.get().await?;
        // The (user_id, seq) index: one range per page.
        let rows = c
            .query(
                "SELECT seq, doc FROM scores WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&user, &after, &take],
            )
            .await
            .map_err(storage)?;
        let more = rows.len() > limit;
        let mut page = kaiden_core::host::ScorePage::default();
        for r in rows.iter().take(limit) {
            let seq: i64 = r.try_get(0).map_err(storage)?;
            page.scores
                .push(parse(&r.try_get::<_, String>(1).map_err(storage)?)?);
            page.next = more.then(|| u64::try_from(seq).unwrap_or(0));
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_are_stable_positive_and_per_space() {
        let a = lock_key("test/public", "user", "1");
        assert_eq!(a, lock_key("test/public", "user", "1"));
        assert!(a >= 0);
        assert_ne!(a, lock_key("test/other", "user", "1"));
        assert_ne!(a, lock_key("test/public", "user", "2"));
        assert_ne!(lock_key("a", "bc", ""), lock_key("ab", "c", ""));
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://kaiden:hunter2@db/test"),
            "postgres://kaiden:***@db/test"
        );
        assert_eq!(redact("postgres://root@db/test"), "postgres://root@db/test");
    }

    #[test]
    fn schema_names_are_plain_identifiers() {
        assert!(valid_schema("kaiden_test_1"));
        assert!(!valid_schema("Kaiden"));
        assert!(!valid_schema("a; DROP TABLE x"));
        assert!(!valid_schema("1abc"));
        assert!(!valid_schema(""));
    }
}
