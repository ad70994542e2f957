//! One import's transaction: a connection of its own in `BEGIN IMMEDIATE`.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;

use kaiden_core::documents::{
    ChartDocument, ImportDocument, ImportTimings, PbDocument, SessionDocument, SongDocument,
};
use kaiden_core::host::{
    ChartLookup, GameStats, GoalStore, HostError, ImportStore, ImportTransaction, OrphanDocument,
    OrphanInsert, OrphanStore, PbRatings, PbStore, ScoreStore, SessionStore, StatsStore,
    Subscription,
};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::UserId;
use kaiden_core::{Game, Gpt, ScoreDocument};
use kaiden_games::catalog::Catalog;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::Value;

use crate::conns::{WriteLease, busy_or_storage};
use crate::{STALE_LOCK_MS, SqliteHost, generation_of, now_ms, storage};

/// Work the writer thread does with the connection: storing rows a batch at a
/// time (scores, PBs, sessions), flushing the page cache.
type Job = Box<dyn FnOnce(&Connection) -> rusqlite::Result<()> + Send>;

/// Scores an import stores before its page cache is worth flushing early.
const FLUSH_AFTER: usize = 4096;

/// Jobs of fewer rows than this run on the importing thread (see
/// `SqliteTransaction::write_behind`).
const INLINE_BELOW: usize = 64;

/// How many messages may wait for the writer thread before a sender waits.
const QUEUED: usize = 2;

/// What the transaction tells its writer thread.
#[allow(missing_debug_implementations)]
enum Msg {
    /// The connection, for the jobs that follow.
    Conn(Connection),
    /// A job to run with it, after every job sent before.
    Job(Job),
    /// Hand the connection back, with the first failed job's error.
    Return,
}

/// The transaction's writer: one thread, started with the first job and kept
/// until the transaction ends, that holds the connection while jobs are
/// queued (several may be: each is sent without waiting for the one before)
/// and hands it back when the transaction needs it (starting a thread per
/// batch cost its start-up and left its allocator pages to others). Once a
/// job fails, the jobs after it are skipped and the error comes back with the
/// connection.
#[derive(Debug)]
struct Writer {
    /// Where messages go; `None` once the writer is told to stop.
    inbox: Option<mpsc::SyncSender<Msg>>,
    /// Where the connection comes back, with the jobs' outcome.
    done: mpsc::Receiver<(Connection, rusqlite::Result<()>)>,
    /// The writer holds the connection.
    holds: bool,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    fn start() -> std::io::Result<Writer> {
        // At most QUEUED messages wait: the pipeline may run that many batches
        // ahead of the writer, no more (memory stays bounded however large
        // the import).
        let (inbox, messages) = mpsc::sync_channel::<Msg>(QUEUED);
        let (outbox, done) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("kaiden-sqlite-writer".into())
            .spawn(move || {
                let mut conn: Option<Connection> = None;
                let mut failed: Option<rusqlite::Error> = None;
                for msg in messages {
                    match msg {
                        Msg::Conn(c) => conn = Some(c),
                        Msg::Job(job) => {
                            if let (None, Some(c)) = (&failed, &conn) {
                                failed = job(c).err();
                            }
                        }
                        Msg::Return => {
                            let Some(c) = conn.take() else { continue };
                            let result = failed.take().map_or(Ok(()), Err);
                            if outbox.send((c, result)).is_err() {
                                break;
                            }
                        }
                    }
                }
            })?;
        Ok(Writer {
            inbox: Some(inbox),
            done,
            holds: false,
            thread: Some(thread),
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop.
        self.inbox = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Clears a user's import lock row (`?1`: the user).
const UNLOCK: &str = "UPDATE import_locks SET locked = 0, locked_at = NULL WHERE user_id = ?1";

fn already_finished() -> HostError {
    HostError::Storage("transaction already finished".into())
}

/// What a read sees: the transaction (after waiting for the writer: every
/// write of this import), or the state before the import on the host's own
/// connection (no wait). The second is right for what this import has not
/// written yet, and nothing else commits meanwhile: the import holds SQLite's
/// write lock from its first statement.
#[derive(Debug, Clone, Copy)]
enum View {
    Transaction,
    BeforeImport,
}

/// One score row: scoreID, user, chartID, the document as JSON.
type ScoreRow = (String, i64, String, String);

/// An import in progress on the SQLite host. Dropping it without committing
/// rolls back and releases the user's lock.
///
/// Score inserts run behind the pipeline: `insert_scores` hands the batch and
/// the connection to a writer thread and returns, so the next batch is parsed,
/// resolved and hydrated while this one is written. Every other call (and the
/// commit) first waits for the writer and takes the connection back, so reads
/// see every score inserted before them and a failed insert fails the next call.
#[derive(Debug)]
pub struct SqliteTransaction<'h> {
    host: &'h SqliteHost,
    conn: Mutex<Option<Connection>>,
    /// The writer gate, held until the transaction ends.
    lease: Mutex<Option<WriteLease<'h>>>,
    writer: Mutex<Option<Writer>>,
    /// Committed or rolled back (and the lock released).
    finished: AtomicBool,
    user: UserId,
    /// The last score row stored before this import began.
    start_seq: i64,
    /// Whether the user had any score stored before this import began (if
    /// not, no scoreID of theirs can be stored: a scoreID hashes its user).
    had_scores: bool,
    /// Whether this transaction has written a session (until then, sessions
    /// are read from the state before the import, without waiting for the
    /// writer).
    sessions_written: bool,
    /// Scores this transaction has queued for insertion.
    inserted: usize,
    /// The seeds generation this transaction sees, and the catalogues it used.
    generation: i64,
    catalogs: Mutex<HashMap<Game, Arc<Catalog>>>,
    /// Games whose catalogue this transaction changed (`catalogs` holds its own).
    changed_catalogs: std::collections::HashSet<Game>,
    /// Profile-rating inputs this transaction holds (taken from the host's
    /// cache or read), patched with its PB writes; back to the cache when it
    /// commits (see `ratings`).
    ratings: Mutex<HashMap<(UserId, Gpt), crate::ratings::Entry>>,
    /// Users whose PBs this transaction deleted: their cached entries are
    /// forgotten when it commits.
    pbs_deleted: Mutex<HashSet<UserId>>,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, HostError> {
    serde_json::to_string(v).map_err(storage)
}

/// [`json`] of a document that may be megabytes (a session or an import of
/// 10^5 scores lists every scoreID), into a buffer of `capacity` bytes to
/// start with: growing one by doubling was fresh memory each time, faulted in
/// and zeroed, a few per cent of a large import.
pub(crate) fn json_sized<T: serde::Serialize>(v: &T, capacity: usize) -> Result<String, HostError> {
    let mut out = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut out, v).map_err(storage)?;
    String::from_utf8(out).map_err(storage)
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, HostError> {
    serde_json::from_str(s).map_err(storage)
}

/// Takes the user's lock and opens the transaction.
///
/// The user's lock is this process's set of running users (a second import
/// of the same user fails at once with 409); imports of other users then wait
/// for the writer gate in arrival order (see `conns`). Across processes
/// SQLite's write lock serialises imports, and an `import_locks` row another
/// process committed as held (kaiden before version 4 did) is honoured: 409,
/// unless it is over 24 h old or its process is gone.
pub(crate) fn begin(host: &SqliteHost, user: UserId) -> Result<SqliteTransaction<'_>, HostError> {
    if !host.user_exists(user)? {
        return Err(HostError::UnknownUser(user));
    }
    {
        let mut running = host.running.lock().unwrap_or_else(PoisonError::into_inner);
        if !running.insert(user) {
            return Err(HostError::LockHeld);
        }
    }
    let (lease, conn) = match host.gate.acquire() {
        Ok(held) => held,
        Err(e) => {
            release(host, user);
            return Err(e);
        }
    };
    let opened = open_transaction(&conn, user).and_then(|o| {
        // Another connection's commit since the last transaction here: the
        // cached ratings may be stale.
        let version: i64 = conn.row("PRAGMA data_version", [], |r| r.get(0))?;
        host.ratings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .check_version(version);
        Ok(o)
    });
    match opened {
        Ok(Some(Opened {
            start_seq,
            had_scores,
            generation,
        })) => Ok(SqliteTransaction {
            host,
            conn: Mutex::new(Some(conn)),
            lease: Mutex::new(Some(lease)),
            writer: Mutex::new(None),
            finished: AtomicBool::new(false),
            user,
            start_seq,
            had_scores,
            sessions_written: false,
            inserted: 0,
            generation,
            catalogs: Mutex::new(HashMap::new()),
            changed_catalogs: std::collections::HashSet::new(),
            ratings: Mutex::new(HashMap::new()),
            pbs_deleted: Mutex::new(HashSet::new()),
        }),
        Ok(None) => {
            let _ = conn.execute_batch("ROLLBACK");
            lease.release(Some(conn));
            release(host, user);
            Err(HostError::LockHeld)
        }
        Err(e) => {
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            lease.release(Some(conn));
            release(host, user);
            Err(busy_or_storage(e, host.gate.timeouts().busy))
        }
    }
}

/// What a transaction learns as it opens.
struct Opened {
    start_seq: i64,
    had_scores: bool,
    generation: i64,
}

/// `BEGIN IMMEDIATE` and the state the import starts from; `None` when
/// another live process holds the user's lock row.
fn open_transaction(c: &Connection, user: UserId) -> rusqlite::Result<Option<Opened>> {
    c.execute_batch("BEGIN IMMEDIATE")?;
    let now = now_ms();
    let me = std::process::id();
    let lock: Option<(i64, Option<i64>, Option<u32>)> = c
        .prepare_cached("SELECT locked, locked_at, pid FROM import_locks WHERE user_id = ?1")?
        .query_row([user as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((1, at, pid)) = lock {
        let stale = at.is_none_or(|at| at < now - STALE_LOCK_MS);
        // This process holds no lock for this user (its running set says
        // so), and a dead process holds none at all.
        let gone = pid.is_some_and(|pid| pid == me || !process_alive(pid));
        if !stale && !gone {
            return Ok(None);
        }
        // Taken over: cleared with this import's commit.
        c.exec(UNLOCK, [user as i64])?;
    }
    let start_seq: i64 = c.row("SELECT COALESCE(MAX(seq), 0) FROM scores", [], |r| r.get(0))?;
    // Every stored score has its PB, written in the same transaction.
    let had_scores: bool = c.row(
        "SELECT EXISTS (SELECT 1 FROM pbs WHERE user_id = ?1)",
        [user as i64],
        |r| r.get(0),
    )?;
    let generation = generation_of(c)?;
    Ok(Some(Opened {
        start_seq,
        had_scores,
        generation,
    }))
}

/// Whether a process with this id runs on this machine. Only Linux can tell
/// (`/proc`); elsewhere every holder is presumed alive and the 24 h rule applies.
fn process_alive(pid: u32) -> bool {
    let proc_root = std::path::Path::new("/proc");
    !proc_root.join("self").exists() || proc_root.join(pid.to_string()).exists()
}

/// Ends the user's import in this process (their next import may start).
fn release(host: &SqliteHost, user: UserId) {
    host.running
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&user);
}

impl SqliteTransaction<'_> {
    /// Waits for the writer's queued jobs, if it holds the connection, and
    /// takes the connection back; the first failed job's error, if any.
    fn settle(&self) -> Result<(), HostError> {
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(w) = writer.as_mut().filter(|w| w.holds) else {
            return Ok(());
        };
        w.holds = false;
        let asked = w
            .inbox
            .as_ref()
            .is_some_and(|i| i.send(Msg::Return).is_ok());
        match w.done.recv() {
            Ok((conn, result)) if asked => {
                *self.conn.lock().unwrap_or_else(PoisonError::into_inner) = Some(conn);
                result.map_err(storage)
            }
            // The connection is gone with the thread: SQLite rolls back.
            _ => {
                *writer = None;
                Err(HostError::Storage(
                    "the score writer thread panicked".into(),
                ))
            }
        }
    }

    /// How sessions (and their scores) are read: from the state before the
    /// import until it writes a session, then from the transaction.
    fn sessions_view(&self) -> View {
        if self.sessions_written {
            View::Transaction
        } else {
            View::BeforeImport
        }
    }

    /// A read of the state before the import (the caller knows this import
    /// has not changed what it reads, or that its changes do not count): on
    /// a reader connection while the writer thread holds the transaction's
    /// (so it need not wait), else on the transaction's own, whose page cache
    /// is warm (a reader's is emptied by every commit since its last read).
    fn read_before<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HostError> {
        let writer_holds = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|w| w.holds);
        if writer_holds {
            self.host.with_read(f)
        } else {
            self.with(f)
        }
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, HostError> {
        self.settle()?;
        let guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let conn = guard.as_ref().ok_or_else(already_finished)?;
        f(conn).map_err(storage)
    }

    /// Queues a job of `rows` rows on the writer thread, handing it the
    /// connection first if it does not hold it; returns without waiting for
    /// the job (or the jobs before it). A job of fewer than [`INLINE_BELOW`]
    /// rows runs at once on the calling thread instead, unless the writer
    /// holds the connection (then it queues behind the jobs before it): for a
    /// one-score import, handing each row to another thread and taking the
    /// connection back cost more than writing it (two thread switches per
    /// step, under the writer gate).
    fn write_behind(&self, rows: usize, job: Job) -> Result<(), HostError> {
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if rows < INLINE_BELOW && writer.as_ref().is_none_or(|w| !w.holds) {
            drop(writer);
            return self.with(job);
        }
        if writer.is_none() {
            *writer = Some(Writer::start().map_err(storage)?);
        }
        let Some(w) = writer.as_mut() else {
            return Err(already_finished());
        };
        let Some(inbox) = w.inbox.clone() else {
            return Err(already_finished());
        };
        if !w.holds {
            let conn = self
                .conn
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .ok_or_else(already_finished)?;
            if let Err(mpsc::SendError(msg)) = inbox.send(Msg::Conn(conn)) {
                // The thread is gone: keep the connection (to roll back).
                if let Msg::Conn(conn) = msg {
                    *self.conn.lock().unwrap_or_else(PoisonError::into_inner) = Some(conn);
                }
                *writer = None;
                return Err(HostError::Storage("the score writer thread stopped".into()));
            }
            w.holds = true;
        }
        if inbox.send(Msg::Job(job)).is_err() {
            // The thread is gone, and the connection with it: SQLite rolls back.
            *writer = None;
            return Err(HostError::Storage("the score writer thread stopped".into()));
        }
        Ok(())
    }

    /// Commits (releasing the user's lock in the same transaction) or rolls
    /// back (then releases the lock). A committed import's WAL is checkpointed
    /// by the host's checkpoint thread, not on the importing thread.
    fn finish(&self, commit: bool) -> Result<(), HostError> {
        let settled = self.settle();
        // The writer thread's work is over: it ends here.
        *self.writer.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let ended = match (&settled, &conn) {
            (Ok(()), None) => Err(already_finished()),
            (Ok(()), Some(c)) if commit => c.execute_batch("COMMIT").map_err(storage),
            _ => settled,
        };
        // Whatever did not commit (a rollback, a failed job, a failed COMMIT)
        // rolls back here; the first error is the one reported.
        let ended = match &conn {
            Some(c) if !c.is_autocommit() => {
                ended.and(c.execute_batch("ROLLBACK").map_err(storage))
            }
            _ => ended,
        };
        self.finished.store(true, Ordering::Release);
        // Committed: the ratings this transaction holds are the database's
        // now; they go back to the cache before the gate is let go (the next
        // transaction may want them). Not committed: they are dropped.
        let held =
            std::mem::take(&mut *self.ratings.lock().unwrap_or_else(PoisonError::into_inner));
        if commit && ended.is_ok() {
            let mut cache = self
                .host
                .ratings
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            for (key, entry) in held {
                cache.put(key, entry);
            }
            for user in self
                .pbs_deleted
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
            {
                cache.forget_user(*user);
            }
        }
        // The writer connection goes back with the gate (not if it is still
        // in a transaction: dropping it then rolls back).
        if let Some(lease) = self
            .lease
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            lease.release(conn);
        }
        release(self.host, self.user);
        if commit && ended.is_ok() {
            self.host.checkpoint_later();
        }
        ended
    }

    fn docs<T: serde::de::DeserializeOwned + Send>(
        &self,
        sql: &str,
        args: &[rusqlite::types::Value],
    ) -> Result<Vec<T>, HostError> {
        self.docs_from(View::Transaction, sql, args)
    }

    /// The documents `sql` selects (one `doc` column), seen as `view` says.
    fn docs_from<T: serde::de::DeserializeOwned + Send>(
        &self,
        view: View,
        sql: &str,
        args: &[rusqlite::types::Value],
    ) -> Result<Vec<T>, HostError> {
        let query = |c: &Connection| -> rusqlite::Result<Vec<String>> {
            let mut st = c.prepare_cached(sql)?;
            st.query_map(params_from_iter(args.iter()), |r| r.get(0))?
                .collect()
        };
        let raw: Vec<String> = match view {
            View::Transaction => self.with(query)?,
            View::BeforeImport => self.read_before(query)?,
        };
        // Decoding is pure: on every core (a user's PBs for profile ratings
        // are thousands of documents).
        kaiden_par::map_ref(&raw, |d| parse(d))
            .into_iter()
            .collect()
    }

    /// The sessions `sql` selects (one `doc` column), seen as `view` says,
    /// each with its whole scoreID list.
    fn sessions_from(
        &self,
        view: View,
        sql: &str,
        args: &[rusqlite::types::Value],
    ) -> Result<Vec<SessionDocument>, HostError> {
        let query = |c: &Connection| -> rusqlite::Result<Vec<SessionDocument>> {
            let mut st = c.prepare_cached(sql)?;
            let raw = st
                .query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut out = Vec::with_capacity(raw.len());
            for doc in raw {
                let mut s: SessionDocument =
                    serde_json::from_str(&doc).map_err(crate::idlists::conversion)?;
                crate::idlists::complete_session(c, &mut s)?;
                out.push(s);
            }
            Ok(out)
        };
        match view {
            View::Transaction => self.with(query),
            View::BeforeImport => self.read_before(query),
        }
    }

    fn docs_in<T: serde::de::DeserializeOwned + Send>(
        &self,
        sql: &str,
        head: &[rusqlite::types::Value],
        ids: &[String],
    ) -> Result<Vec<T>, HostError> {
        self.docs_in_from(View::Transaction, sql, head, ids)
    }

    /// [`Self::docs_in`], seen as `view` says.
    fn docs_in_from<T: serde::de::DeserializeOwned + Send>(
        &self,
        view: View,
        sql: &str,
        head: &[rusqlite::types::Value],
        ids: &[String],
    ) -> Result<Vec<T>, HostError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let q = sql.replace("(LIST)", &format!("({marks})"));
            let mut args: Vec<rusqlite::types::Value> = head.to_vec();
            args.extend(
                chunk
                    .iter()
                    .map(|s| rusqlite::types::Value::Text(s.clone())),
            );
            out.extend(self.docs_from(view, &q, &args)?);
        }
        Ok(out)
    }
}

impl SqliteTransaction<'_> {
    /// Stores subscription documents (`?1` user, `?2` id from `id_field`, `?3` doc).
    fn put_subs(
        &self,
        sql: &str,
        id_field: &str,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.with(|c| {
            let mut st = c.prepare_cached(sql)?;
            for s in subscriptions {
                let id = s.get(id_field).and_then(Value::as_str).unwrap_or_default();
                st.execute(params![user as i64, id, s.to_string()])?;
            }
            Ok(())
        })
    }
}

impl Drop for SqliteTransaction<'_> {
    fn drop(&mut self) {
        if !self.finished.load(Ordering::Acquire) {
            let _ = self.finish(false);
        }
    }
}

fn insert_score_rows(c: &Connection, rows: &[ScoreRow]) -> rusqlite::Result<()> {
    let mut st = c.prepare_cached(
        "INSERT INTO scores (score_id, user_id, chart_id, doc) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (score_id, user, chart_id, doc) in rows {
        st.execute(params![score_id, user, chart_id, doc])?;
    }
    Ok(())
}

fn int(v: i64) -> rusqlite::types::Value {
    rusqlite::types::Value::Integer(v)
}

fn text(s: impl Into<String>) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(s.into())
}

impl ChartLookup for SqliteTransaction<'_> {
    async fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        // The catalogue of the seeds this transaction sees, fetched once per game.
        kaiden_games::catalog::resolve_all(queries, |game| {
            let mut cache = self.catalogs.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(c) = cache.get(&game) {
                return Ok(Arc::clone(c));
            }
            let c = self.host.catalog_at(game, self.generation)?;
            cache.insert(game, Arc::clone(&c));
            Ok(c)
        })
    }

    async fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        match self.own_catalog(game) {
            Some(c) => Ok(c.charts_by_id(chart_ids)),
            None => self.host.charts_by_id_sync(game, chart_ids),
        }
    }

    async fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        match self.own_catalog(game) {
            Some(c) => Ok(c.songs_by_id(ids)),
            None => self.host.songs_by_id_sync(game, ids),
        }
    }
}

impl SqliteTransaction<'_> {
    /// Patches the profile-rating inputs this transaction holds, or the
    /// host's cache has, with upserted PBs (see `ratings`). An entry too
    /// costly to patch is dropped (read again when needed).
    fn patch_ratings(&mut self, pbs: &[PbDocument]) {
        let mut by_key: HashMap<(UserId, Gpt), Vec<&PbDocument>> = HashMap::new();
        for p in pbs {
            if let Some(gpt) = p.game.with_playtype(p.playtype) {
                by_key.entry((p.user_id, gpt)).or_default().push(p);
            }
        }
        let held = self
            .ratings
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let mut cache = self
            .host
            .ratings
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for (key, group) in by_key {
            let entry = match held.remove(&key) {
                Some(e) => Some(e),
                None => cache.take(key),
            };
            if let Some(mut entry) = entry {
                if crate::ratings::patch(&mut entry, &group) {
                    held.insert(key, entry);
                }
            }
        }
    }

    /// The catalogue of a game this transaction changed (it created a song and
    /// chart), which only it sees until it commits.
    fn own_catalog(&self, game: Game) -> Option<Arc<Catalog>> {
        if !self.changed_catalogs.contains(&game) {
            return None;
        }
        self.catalogs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&game)
            .cloned()
    }
}

impl kaiden_core::host::ChartStore for SqliteTransaction<'_> {
    async fn pending_chart(
        &mut self,
        key: &str,
    ) -> Result<Option<kaiden_core::documents::PendingChart>, HostError> {
        self.with(|c| crate::pending_chart_in(c, key))?
            .map(|d| serde_json::from_str(&d).map_err(storage))
            .transpose()
    }

    async fn put_pending_chart(
        &mut self,
        pending: &kaiden_core::documents::PendingChart,
    ) -> Result<(), HostError> {
        let doc = serde_json::to_string(pending).map_err(storage)?;
        let key = pending.key.clone();
        self.with(|c| {
            c.exec(
                "INSERT OR REPLACE INTO pending_charts (key, doc) VALUES (?1, ?2)",
                params![key, doc],
            )
            .map(|_| ())
        })
    }

    async fn remove_pending_chart(&mut self, key: &str) -> Result<(), HostError> {
        self.with(|c| {
            c.exec("DELETE FROM pending_charts WHERE key = ?1", [key])
                .map(|_| ())
        })
    }

    async fn insert_song_and_chart(
        &mut self,
        game: Game,
        song: &SongDocument,
        chart: &ChartDocument,
    ) -> Result<i64, HostError> {
        let (mut song, mut chart) = (song.clone(), chart.clone());
        let catalog = self.with(|c| {
            let id: i64 = c.row(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM songs WHERE game = ?1",
                [game.as_str()],
                |r| r.get(0),
            )?;
            song.id = id;
            chart.song_id = id;
            let bad = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
            c.exec(
                "INSERT INTO songs (game, id, doc) VALUES (?1, ?2, ?3)",
                params![
                    game.as_str(),
                    id,
                    serde_json::to_string(&song).map_err(bad)?
                ],
            )?;
            c.exec(
                "INSERT INTO charts (chart_id, game, doc) VALUES (?1, ?2, ?3)",
                params![
                    chart.chart_id,
                    game.as_str(),
                    serde_json::to_string(&chart).map_err(bad)?
                ],
            )?;
            // Every cached catalogue is rebuilt once this commits.
            let next = generation_of(c)? + 1;
            c.exec(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeds_generation', ?1)",
                [next.to_string()],
            )?;
            crate::build_catalog(c, game)
        })?;
        self.catalogs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(game, Arc::new(catalog));
        self.changed_catalogs.insert(game);
        Ok(song.id)
    }
}

impl ScoreStore for SqliteTransaction<'_> {
    async fn existing_score_ids(
        &mut self,
        score_ids: &[String],
    ) -> Result<HashSet<String>, HostError> {
        // From the state before this import, on the host's own connection: the
        // pipeline knows its own scores, so this need not wait for the writer
        // thread, and both run at once. (Another user's import committing
        // meanwhile cannot hold these ids: a scoreID hashes its user.) A user
        // without scores before this import (a first import) has none stored.
        if !self.had_scores {
            return Ok(HashSet::new());
        }
        self.read_before(|c| {
            let mut out = HashSet::new();
            let mut st = c.prepare_cached("SELECT 1 FROM scores WHERE score_id = ?1")?;
            for id in score_ids {
                if st.exists([id])? {
                    out.insert(id.clone());
                }
            }
            Ok(out)
        })
    }

    async fn blacklisted_score_ids(&mut self, user: UserId) -> Result<HashSet<String>, HostError> {
        self.with(|c| {
            let mut st =
                c.prepare_cached("SELECT score_id FROM score_blacklist WHERE user_id = ?1")?;
            st.query_map([user as i64], |r| r.get(0))?.collect()
        })
    }

    async fn insert_scores(&mut self, scores: &[ScoreDocument]) -> Result<(), HostError> {
        // Encoding the documents is pure and runs on every core; the rows are
        // then written behind the pipeline (see the type's documentation).
        let docs = kaiden_par::map_ref(scores, json);
        let mut rows: Vec<ScoreRow> = Vec::with_capacity(scores.len());
        for (s, doc) in scores.iter().zip(docs) {
            rows.push((
                s.score_id.clone(),
                s.user_id as i64,
                s.chart_id.clone(),
                doc?,
            ));
        }
        self.inserted += rows.len();
        self.write_behind(rows.len(), Box::new(move |c| insert_score_rows(c, &rows)))
    }

    async fn scores_inserted(&mut self) -> Result<(), HostError> {
        // A large import's pages go to the WAL now, behind the steps that
        // follow (sessions, PBs), instead of all at the commit. A small one's
        // would be written twice (the steps after dirty most of them again).
        if self.inserted < FLUSH_AFTER {
            return Ok(());
        }
        self.write_behind(usize::MAX, Box::new(Connection::cache_flush))
    }

    async fn highlight_scores(&mut self, score_ids: &[String]) -> Result<(), HostError> {
        if score_ids.is_empty() {
            return Ok(());
        }
        let ids = score_ids.to_vec();
        self.write_behind(ids.len(), Box::new(move |c| {
            let mut st = c.prepare_cached(
                "UPDATE scores SET doc = json_set(doc, '$.highlight', json('true')) WHERE score_id = ?1",
            )?;
            for id in &ids {
                st.execute([id])?;
            }
            Ok(())
        }))
    }

    async fn scores_by_id(
        &mut self,
        score_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        self.docs_in(
            "SELECT doc FROM scores WHERE score_id IN (LIST) ORDER BY seq",
            &[],
            score_ids,
        )
    }

    async fn score_ratings_by_id(
        &mut self,
        score_ids: &[String],
    ) -> Result<Vec<std::collections::BTreeMap<kaiden_core::score::Key, Option<f64>>>, HostError>
    {
        // Only calculatedData, cut out by SQLite (a score's document is never
        // decoded whole). The ids are those of a session read through
        // `sessions_between`: from the state before the import until this
        // import writes a session (so no wait for the writer), then from
        // the transaction.
        let view = self.sessions_view();
        self.docs_in_from(
            view,
            "SELECT coalesce(json_extract(doc, '$.calculatedData'), '{}') FROM scores \
             WHERE score_id IN (LIST) ORDER BY seq",
            &[],
            score_ids,
        )
    }

    async fn scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        // The scores the user's PBs on these charts are composed from: for
        // each PB criterion, the best score stored before the import (PBs are
        // written in the transaction that stores their scores, so they are
        // those of every stored score). Read from the state before the import,
        // with no wait for the writer. Should a PB name a score that is gone,
        // its chart's scores are read in full (a scan: scores have no
        // (user, chart) index, which an import would pay for on every score).
        if !self.had_scores {
            return Ok(Vec::new());
        }
        let start_seq = self.start_seq;
        self.read_before(|c| {
            let mut out: Vec<(i64, String)> = Vec::new();
            let mut broken: Vec<String> = Vec::new();
            for chunk in chart_ids.chunks(500) {
                let marks = vec!["?"; chunk.len()].join(",");
                let sql = format!(
                    "SELECT p.chart_id, s.seq, s.doc \
                     FROM pbs p JOIN json_each(p.doc, '$.composedFrom') j \
                     LEFT JOIN scores s ON s.score_id = json_extract(j.value, '$.scoreID') AND s.seq <= ? \
                     WHERE p.user_id = ? AND p.chart_id IN ({marks})"
                );
                let mut args: Vec<rusqlite::types::Value> =
                    vec![int(start_seq), int(user as i64)];
                args.extend(chunk.iter().map(|s| text(s.as_str())));
                let mut st = c.prepare_cached(&sql)?;
                let mut rows = st.query(params_from_iter(args.iter()))?;
                while let Some(r) = rows.next()? {
                    let chart: String = r.get(0)?;
                    let found: Option<(i64, String)> = match (r.get(1)?, r.get(2)?) {
                        (Some(seq), Some(doc)) => Some((seq, doc)),
                        _ => None,
                    };
                    match found {
                        Some(row) => out.push(row),
                        None => broken.push(chart),
                    }
                }
            }
            if !broken.is_empty() {
                broken.sort_unstable();
                broken.dedup();
                let mut st = c.prepare_cached(
                    "SELECT seq, doc, chart_id FROM scores WHERE seq <= ?1 AND user_id = ?2",
                )?;
                let mut rows = st.query(params![start_seq, user as i64])?;
                while let Some(r) = rows.next()? {
                    let chart: String = r.get(2)?;
                    if broken.binary_search(&chart).is_ok() {
                        out.push((r.get(0)?, r.get(1)?));
                    }
                }
            }
            // In storing order, each score once (a PB names a score once per
            // criterion it wins; a broken chart's are also read in full).
            out.sort_unstable_by_key(|(seq, _)| *seq);
            out.dedup_by_key(|(seq, _)| *seq);
            Ok(out)
        })
        .and_then(|rows| {
            kaiden_par::map_ref(&rows, |(_, d)| parse::<ScoreDocument>(d))
                .into_iter()
                .collect()
        })
    }
}

impl OrphanStore for SqliteTransaction<'_> {
    async fn insert_orphan(&mut self, orphan: &OrphanDocument) -> Result<OrphanInsert, HostError> {
        let doc = json(orphan)?;
        let n = self.with(|c| {
            c.prepare_cached(
                "INSERT OR IGNORE INTO orphans (orphan_id, user_id, doc) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![orphan.orphan_id, orphan.user_id as i64, doc])
        })?;
        Ok(if n == 1 {
            OrphanInsert::Inserted
        } else {
            OrphanInsert::Existed
        })
    }

    async fn orphans_of(&mut self, user: UserId) -> Result<Vec<OrphanDocument>, HostError> {
        self.docs(
            "SELECT doc FROM orphans WHERE user_id = ?1 ORDER BY seq",
            &[int(user as i64)],
        )
    }

    async fn remove_orphan(&mut self, orphan_id: &str) -> Result<(), HostError> {
        self.with(|c| {
            c.exec("DELETE FROM orphans WHERE orphan_id = ?1", [orphan_id])
                .map(|_| ())
        })
    }
}

impl SessionStore for SqliteTransaction<'_> {
    async fn sessions_between(
        &mut self,
        user: UserId,
        gpt: Gpt,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<SessionDocument>, HostError> {
        // Until this import writes a session, the state before it is the
        // transaction's: read without waiting for the writer (flushing the
        // import's scores by then).
        let view = self.sessions_view();
        self.sessions_from(
            view,
            "SELECT doc FROM sessions WHERE user_id = ?1 AND gpt = ?2 AND \
             ((time_started >= ?3 AND time_started < ?4) OR (time_ended >= ?3 AND time_ended < ?4)) ORDER BY seq",
            &[int(user as i64), text(gpt.as_str()), int(from_ms), int(to_ms)],
        )
    }

    async fn upsert_session(&mut self, s: &SessionDocument) -> Result<(), HostError> {
        let doc = crate::idlists::session_row(s)?;
        let gpt = s.game.with_playtype(s.playtype).map_or("", |g| g.as_str());
        const UPSERT: &str = "INSERT INTO sessions (session_id, user_id, gpt, time_started, time_ended, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (session_id) DO UPDATE SET time_started = excluded.time_started, time_ended = excluded.time_ended, doc = excluded.doc";
        if crate::idlists::chunked(s.score_ids.len()) {
            // A long list is written here, chunk by chunk from the document
            // (after the jobs queued before it): never whole in one value.
            self.sessions_written = true;
            return self.with(|c| {
                c.prepare_cached(UPSERT)?.execute(params![
                    s.session_id,
                    s.user_id as i64,
                    gpt,
                    s.time_started,
                    s.time_ended,
                    doc
                ])?;
                crate::idlists::write(c, &s.session_id, &s.score_ids)
            });
        }
        let row = (
            s.session_id.clone(),
            s.user_id as i64,
            gpt,
            s.time_started,
            s.time_ended,
            doc,
        );
        self.sessions_written = true;
        // Written behind the pipeline, after the jobs before it (a session
        // of many scores is a large document: its size counts as its rows).
        self.write_behind(
            s.score_ids.len(),
            Box::new(move |c| {
                let (id, user, gpt, started, ended, doc) = &row;
                c.prepare_cached(UPSERT)?
                    .execute(params![id, user, gpt, started, ended, doc])?;
                // A list that was long may be short now (scores deleted).
                crate::idlists::remove(c, id)
            }),
        )
    }
}

impl PbStore for SqliteTransaction<'_> {
    async fn upsert_pbs(&mut self, pbs: &[PbDocument]) -> Result<(), HostError> {
        self.patch_ratings(pbs);
        let rows: Vec<(String, i64, &'static str, String)> = kaiden_par::map_ref(pbs, |p| {
            let gpt = p.game.with_playtype(p.playtype).map_or("", |g| g.as_str());
            Ok((p.chart_id.clone(), p.user_id as i64, gpt, json(p)?))
        })
        .into_iter()
        .collect::<Result<_, HostError>>()?;
        // Written behind the pipeline, as scores are: the next chunk of PBs is
        // built meanwhile (its reads come from the state before the import).
        self.write_behind(
            rows.len(),
            Box::new(move |c| {
                let mut st = c.prepare_cached(
                    "INSERT INTO pbs (chart_id, user_id, gpt, doc) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (chart_id, user_id) DO UPDATE SET doc = excluded.doc",
                )?;
                for (chart, user, gpt, doc) in &rows {
                    st.execute(params![chart, user, gpt, doc])?;
                }
                Ok(())
            }),
        )
    }

    async fn pbs_on_charts(&mut self, chart_ids: &[String]) -> Result<Vec<PbDocument>, HostError> {
        // Asked before this import writes PBs on these charts (see the
        // trait): the state before the import, with no wait for the writer.
        self.docs_in_from(
            View::BeforeImport,
            "SELECT doc FROM pbs WHERE chart_id IN (LIST)",
            &[],
            chart_ids,
        )
    }

    async fn user_pbs_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<PbDocument>, HostError> {
        self.docs_in(
            "SELECT doc FROM pbs WHERE user_id = ? AND chart_id IN (LIST)",
            &[int(user as i64)],
            chart_ids,
        )
    }

    async fn pbs_of(&mut self, user: UserId, gpt: Gpt) -> Result<Vec<PbDocument>, HostError> {
        self.docs(
            "SELECT doc FROM pbs WHERE user_id = ?1 AND gpt = ?2",
            &[int(user as i64), text(gpt.as_str())],
        )
    }

    async fn pb_ratings_of(
        &mut self,
        user: UserId,
        gpt: Gpt,
    ) -> Result<std::sync::Arc<Vec<PbRatings>>, HostError> {
        // Held by this transaction, or kept in the host's cache since an
        // earlier import (see `ratings`): no read at all.
        let key = (user, gpt);
        let held = self
            .ratings
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let std::collections::hash_map::Entry::Vacant(slot) = held.entry(key) {
            let cached = self
                .host
                .ratings
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(key);
            if let Some(e) = cached {
                slot.insert(e);
            }
        }
        // Shared, not copied: the entry is copied only if this transaction
        // patches it while the caller still holds it.
        if let Some(e) = held.get(&key) {
            return Ok(e.clone());
        }
        let read = std::sync::Arc::new(self.read_pb_ratings(user, gpt)?);
        self.ratings
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, read.clone());
        Ok(read)
    }
}

impl SqliteTransaction<'_> {
    /// The user's PBs of a GPT as profile ratings read them, from the
    /// transaction (every PB it wrote included), in the table's order.
    fn read_pb_ratings(&self, user: UserId, gpt: Gpt) -> Result<Vec<PbRatings>, HostError> {
        // Only the fields ratings read: SQLite cuts them out of each document
        // (a PB's scoreData, composedFrom and rankings are never decoded),
        // and a number's text is kept as written, so values are exact.
        // One JSON path call per row: SQLite parses each document once.
        let rows: Vec<(String, String)> = self.with(|c| {
            let mut st = c.prepare_cached(
                "SELECT chart_id, json_extract(doc, '$.songID', '$.isPrimary', '$.calculatedData') \
                 FROM pbs WHERE user_id = ?1 AND gpt = ?2",
            )?;
            st.query_map(params![user as i64, gpt.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect()
        })?;
        kaiden_par::map_ref(&rows, |(chart_id, fields)| {
            type Fields = (
                i64,
                Option<bool>,
                Option<std::collections::BTreeMap<kaiden_core::score::Key, Option<f64>>>,
            );
            let (song_id, is_primary, calculated): Fields = parse(fields)?;
            Ok(PbRatings {
                chart_id: chart_id.clone(),
                song_id,
                is_primary: is_primary.unwrap_or(false),
                calculated_data: calculated
                    .map(kaiden_core::host::RatingValues::from)
                    .unwrap_or_default(),
            })
        })
        .into_iter()
        .collect()
    }
}

impl StatsStore for SqliteTransaction<'_> {
    async fn game_stats(&mut self, user: UserId, gpt: Gpt) -> Result<Option<GameStats>, HostError> {
        Ok(self
            .docs(
                "SELECT doc FROM game_stats WHERE user_id = ?1 AND gpt = ?2",
                &[int(user as i64), text(gpt.as_str())],
            )?
            .pop())
    }

    async fn put_game_stats(
        &mut self,
        user: UserId,
        gpt: Gpt,
        stats: &GameStats,
    ) -> Result<(), HostError> {
        let doc = json(stats)?;
        self.with(|c| {
            c.exec(
                "INSERT INTO game_stats (user_id, gpt, doc) VALUES (?1, ?2, ?3) ON CONFLICT (user_id, gpt) DO UPDATE SET doc = excluded.doc",
                params![user as i64, gpt.as_str(), doc],
            )
            .map(|_| ())
        })
    }
}

impl GoalStore for SqliteTransaction<'_> {
    async fn goals_touching(
        &mut self,
        user: UserId,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Subscription>, HostError> {
        let mut goal_ids: Vec<String> = Vec::new();
        for chunk in chart_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT DISTINCT s.goal_id FROM goal_subs s JOIN goal_charts g ON g.goal_id = s.goal_id \
                 WHERE s.user_id = ? AND s.game = ? AND g.chart_id IN ({marks})"
            );
            let mut args = vec![int(user as i64), text(game.as_str())];
            args.extend(chunk.iter().map(|s| text(s.clone())));
            goal_ids.extend(self.with(|c| {
                let mut st = c.prepare(&sql)?;
                st.query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })?);
        }
        goal_ids.sort();
        goal_ids.dedup();
        let mut out = Vec::new();
        for id in goal_ids {
            let pair: Option<(String, String)> = self.with(|c| {
                c.row(
                    "SELECT g.doc, s.doc FROM goals g JOIN goal_subs s ON s.goal_id = g.goal_id WHERE g.goal_id = ?1 AND s.user_id = ?2",
                    params![id, user as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
            })?;
            if let Some((g, s)) = pair {
                out.push(Subscription {
                    document: parse(&g)?,
                    subscription: parse(&s)?,
                });
            }
        }
        Ok(out)
    }

    async fn goal_chart_ids(&mut self, goal_id: &str) -> Result<Vec<String>, HostError> {
        self.with(|c| {
            let mut st = c.prepare_cached(
                "SELECT chart_id FROM goal_charts WHERE goal_id = ?1 ORDER BY chart_id",
            )?;
            st.query_map([goal_id], |r| r.get(0))?.collect()
        })
    }

    async fn quests_containing(
        &mut self,
        user: UserId,
        game: Game,
        goal_ids: &[String],
    ) -> Result<Vec<Subscription>, HostError> {
        let mut quest_ids: Vec<String> = Vec::new();
        for g in goal_ids {
            quest_ids.extend(self.with(|c| {
                let mut st = c.prepare_cached(
                    "SELECT q.quest_id FROM quest_goals q JOIN quest_subs s ON s.quest_id = q.quest_id \
                     WHERE q.goal_id = ?1 AND s.user_id = ?2 AND s.game = ?3",
                )?;
                st.query_map(params![g, user as i64, game.as_str()], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()
            })?);
        }
        quest_ids.sort();
        quest_ids.dedup();
        let mut out = Vec::new();
        for id in quest_ids {
            let (q, s): (String, String) = self.with(|c| {
                c.row(
                    "SELECT q.doc, s.doc FROM quests q JOIN quest_subs s ON s.quest_id = q.quest_id WHERE q.quest_id = ?1 AND s.user_id = ?2",
                    params![id, user as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
            })?;
            out.push(Subscription {
                document: parse(&q)?,
                subscription: parse(&s)?,
            });
        }
        Ok(out)
    }

    async fn goal_subscriptions(
        &mut self,
        user: UserId,
        goal_ids: &[String],
    ) -> Result<Vec<Value>, HostError> {
        self.docs_in(
            "SELECT doc FROM goal_subs WHERE user_id = ? AND goal_id IN (LIST)",
            &[int(user as i64)],
            goal_ids,
        )
    }

    async fn put_goal_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.put_subs(
            "UPDATE goal_subs SET doc = ?3 WHERE user_id = ?1 AND goal_id = ?2",
            "goalID",
            user,
            subscriptions,
        )
    }

    async fn put_quest_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.put_subs(
            "UPDATE quest_subs SET doc = ?3 WHERE user_id = ?1 AND quest_id = ?2",
            "questID",
            user,
            subscriptions,
        )
    }
}

impl ImportStore for SqliteTransaction<'_> {
    async fn save_import(
        &mut self,
        document: &ImportDocument,
        timings: &ImportTimings,
    ) -> Result<(), HostError> {
        let doc = crate::idlists::import_row(document)?;
        let t = json(timings)?;
        self.with(|c| {
            c.exec(
                "INSERT INTO imports (import_id, user_id, time_started, doc) VALUES (?1, ?2, ?3, ?4)",
                params![document.import_id, document.user_id as i64, document.time_started, doc],
            )?;
            crate::idlists::write_new(c, &document.import_id, &document.score_ids)?;
            c.exec("INSERT INTO import_timings (import_id, doc) VALUES (?1, ?2)", params![document.import_id, t])?;
            Ok(())
        })
    }
}

impl kaiden_core::host::LifecycleStore for SqliteTransaction<'_> {
    async fn delete_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
        blacklist: bool,
    ) -> Result<Vec<ScoreDocument>, HostError> {
        let found: Vec<ScoreDocument> = self.docs_in(
            "SELECT doc FROM scores WHERE user_id = ? AND score_id IN (LIST) ORDER BY seq",
            &[rusqlite::types::Value::Integer(user as i64)],
            score_ids,
        )?;
        let ids: Vec<String> = found.iter().map(|s| s.score_id.clone()).collect();
        self.with(|c| {
            let mut del = c.prepare_cached("DELETE FROM scores WHERE score_id = ?1")?;
            let mut black = c.prepare_cached(
                "INSERT OR IGNORE INTO score_blacklist (user_id, score_id) VALUES (?1, ?2)",
            )?;
            for id in &ids {
                del.execute([id])?;
                if blacklist {
                    black.execute(params![user as i64, id])?;
                }
            }
            Ok(())
        })?;
        Ok(found)
    }

    async fn current_scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        // Scores have no (user, chart) index (imports never need one): a
        // scan, for deletions only. Chunks are merged in storing order.
        let mut rows: Vec<(i64, String)> = Vec::new();
        for chunk in chart_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql =
                format!("SELECT seq, doc FROM scores WHERE user_id = ? AND chart_id IN ({marks})");
            let mut args = vec![rusqlite::types::Value::Integer(user as i64)];
            args.extend(
                chunk
                    .iter()
                    .map(|s| rusqlite::types::Value::Text(s.clone())),
            );
            rows.extend(self.with(|c| {
                let mut st = c.prepare(&sql)?;
                let found = st.query_map(params_from_iter(args.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
                found.collect::<rusqlite::Result<Vec<(i64, String)>>>()
            })?);
        }
        rows.sort_unstable_by_key(|(seq, _)| *seq);
        rows.iter()
            .map(|(_, doc)| serde_json::from_str(doc).map_err(storage))
            .collect()
    }

    async fn sessions_with_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> Result<Vec<SessionDocument>, HostError> {
        let mut out: Vec<(i64, SessionDocument)> = Vec::new();
        for chunk in score_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT seq, doc FROM sessions WHERE user_id = ? AND {} ORDER BY seq",
                crate::idlists::holds_any("sessions.session_id", &marks)
            );
            let mut args = vec![rusqlite::types::Value::Integer(user as i64)];
            for _ in 0..2 {
                args.extend(
                    chunk
                        .iter()
                        .map(|s| rusqlite::types::Value::Text(s.clone())),
                );
            }
            let found: Vec<(i64, SessionDocument)> = self.with(|c| {
                let mut st = c.prepare(&sql)?;
                let rows = st
                    .query_map(params_from_iter(args.iter()), |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let mut docs = Vec::with_capacity(rows.len());
                for (seq, doc) in rows {
                    if out.iter().any(|(s, _)| *s == seq) {
                        continue;
                    }
                    let mut d: SessionDocument =
                        serde_json::from_str(&doc).map_err(crate::idlists::conversion)?;
                    crate::idlists::complete_session(c, &mut d)?;
                    docs.push((seq, d));
                }
                Ok(docs)
            })?;
            // Sessions an earlier chunk found were skipped above.
            out.extend(found);
        }
        out.sort_by_key(|(seq, _)| *seq);
        Ok(out.into_iter().map(|(_, d)| d).collect())
    }

    async fn delete_session(&mut self, session_id: &str) -> Result<(), HostError> {
        self.with(|c| {
            c.exec("DELETE FROM sessions WHERE session_id = ?1", [session_id])?;
            crate::idlists::remove(c, session_id)
        })
    }

    async fn delete_pbs(&mut self, user: UserId, chart_ids: &[String]) -> Result<(), HostError> {
        // The user's cached ratings are forgotten (here and when this
        // transaction commits); later reads in it come from the database.
        self.ratings
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(u, _), _| *u != user);
        self.pbs_deleted
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(user);
        self.with(|c| {
            let mut st =
                c.prepare_cached("DELETE FROM pbs WHERE chart_id = ?1 AND user_id = ?2")?;
            for chart in chart_ids {
                st.execute(params![chart, user as i64])?;
            }
            Ok(())
        })
    }

    async fn pull_from_imports(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> Result<Vec<String>, HostError> {
        let gone: std::collections::HashSet<&str> = score_ids.iter().map(String::as_str).collect();
        let mut docs: Vec<ImportDocument> = Vec::new();
        for chunk in score_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT doc FROM imports WHERE user_id = ? AND {}",
                crate::idlists::holds_any("imports.import_id", &marks)
            );
            let mut args = vec![rusqlite::types::Value::Integer(user as i64)];
            for _ in 0..2 {
                args.extend(
                    chunk
                        .iter()
                        .map(|s| rusqlite::types::Value::Text(s.clone())),
                );
            }
            for mut d in self.docs::<ImportDocument>(&sql, &args)? {
                if docs.iter().all(|x| x.import_id != d.import_id) {
                    self.with(|c| crate::idlists::complete_import(c, &mut d))?;
                    docs.push(d);
                }
            }
        }
        let mut changed = Vec::with_capacity(docs.len());
        for mut d in docs {
            d.score_ids.retain(|i| !gone.contains(i));
            let id = d.import_id.clone();
            if d.score_ids.is_empty() {
                self.with(|c| {
                    c.exec("DELETE FROM imports WHERE import_id = ?1", [&id])?;
                    c.exec("DELETE FROM import_timings WHERE import_id = ?1", [&id])?;
                    crate::idlists::remove(c, &id)
                })?;
            } else {
                let doc = crate::idlists::import_row(&d)?;
                self.with(|c| {
                    c.exec(
                        "UPDATE imports SET doc = ?2 WHERE import_id = ?1",
                        params![id, doc],
                    )?;
                    crate::idlists::write(c, &id, &d.score_ids)
                })?;
            }
            changed.push(id);
        }
        Ok(changed)
    }

    async fn delete_import(&mut self, import_id: &str) -> Result<(), HostError> {
        self.with(|c| {
            c.exec("DELETE FROM imports WHERE import_id = ?1", [import_id])?;
            c.exec(
                "DELETE FROM import_timings WHERE import_id = ?1",
                [import_id],
            )?;
            crate::idlists::remove(c, import_id)
        })
    }

    async fn update_scores(&mut self, scores: &[ScoreDocument]) -> Result<(), HostError> {
        let mut rows: Vec<(String, String)> = Vec::with_capacity(scores.len());
        for s in scores {
            rows.push((s.score_id.clone(), json(s)?));
        }
        self.with(|c| {
            let mut st = c.prepare_cached("UPDATE scores SET doc = ?2 WHERE score_id = ?1")?;
            for (id, doc) in &rows {
                st.execute(params![id, doc])?;
            }
            Ok(())
        })
    }
}

impl ImportTransaction for SqliteTransaction<'_> {
    async fn commit(self) -> Result<(), HostError> {
        self.finish(true)
    }

    async fn rollback(self) -> Result<(), HostError> {
        self.finish(false)
    }
}

/// Statements run through the connection's statement cache: rusqlite's
/// `execute` and `query_row` prepare anew on every call, and a one-score
/// import runs a few dozen statements.
trait Cached {
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize>;
    fn row<T>(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(p)
    }

    fn row<T>(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(p, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn job(done: &Arc<AtomicUsize>, fail: bool) -> Msg {
        let done = Arc::clone(done);
        Msg::Job(Box::new(move |_| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            done.fetch_add(1, Ordering::SeqCst);
            if fail {
                Err(rusqlite::Error::InvalidQuery)
            } else {
                Ok(())
            }
        }))
    }

    /// A started writer holding an in-memory connection, and its inbox.
    fn writer_with_connection() -> (Writer, mpsc::SyncSender<Msg>) {
        let w = Writer::start().expect("writer");
        let inbox = w.inbox.clone().expect("inbox");
        inbox
            .send(Msg::Conn(Connection::open_in_memory().expect("connection")))
            .expect("sent");
        (w, inbox)
    }

    #[test]
    fn the_writer_runs_jobs_in_order_and_at_most_a_few_behind() {
        let (w, inbox) = writer_with_connection();
        let done = Arc::new(AtomicUsize::new(0));
        for sent in 1..=30 {
            inbox.send(job(&done, false)).expect("sent");
            // Queued, plus the one running.
            let behind = sent - done.load(Ordering::SeqCst);
            assert!(behind <= QUEUED + 1, "{behind} jobs behind after {sent}");
        }
        inbox.send(Msg::Return).expect("sent");
        let (_conn, result) = w.done.recv().expect("connection back");
        result.expect("jobs ok");
        assert_eq!(done.load(Ordering::SeqCst), 30);
    }

    #[test]
    fn jobs_after_a_failed_one_are_skipped_and_its_error_comes_back() {
        let (w, inbox) = writer_with_connection();
        let done = Arc::new(AtomicUsize::new(0));
        for fail in [false, true, false, false] {
            inbox.send(job(&done, fail)).expect("sent");
        }
        inbox.send(Msg::Return).expect("sent");
        let (conn, result) = w.done.recv().expect("sent");
        assert!(matches!(result, Err(rusqlite::Error::InvalidQuery)));
        assert_eq!(done.load(Ordering::SeqCst), 2);
        // The next round starts clean.
        inbox.send(Msg::Conn(conn)).expect("sent");
        inbox.send(job(&done, false)).expect("sent");
        inbox.send(Msg::Return).expect("sent");
        assert!(w.done.recv().expect("connection back").1.is_ok());
        assert_eq!(done.load(Ordering::SeqCst), 3);
    }
}
