//! What a host implements: chart lookup and storage, behind one transaction per
//! import.
//!
//! Hosts are async (a server on tokio with an async database), so every method
//! returns a `Send` future; implement them with `async fn` in the impl block. The
//! pipeline never calls a host once per score: lookups and writes take batches.
//!
//! ```text
//! Host::begin_import(user)  ── takes the user's import lock (409 if held)
//!   └─ ImportTransaction    ── every read and write of one import
//!        ├─ ChartLookup     resolve a batch of ChartQuery
//!        ├─ ScoreStore      existing scoreIDs, blacklist, insert, scores of charts
//!        ├─ OrphanStore     keep records whose chart is unknown
//!        ├─ SessionStore    sessions near a time, upsert
//!        ├─ PbStore         PBs of charts, upsert, PBs for profile ratings
//!        ├─ StatsStore      game stats (ratings, classes)
//!        ├─ GoalStore       goal/quest subscriptions touched by charts
//!        └─ ImportStore     the ImportDocument and its timings
//!      commit() / rollback()  ── all or nothing, lock released either way
//! ```

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::documents::{
    ChartDocument, ImportDocument, ImportTimings, PbDocument, SessionDocument, SongDocument,
};
use crate::error::{ImportError, ImportErrorKind};
use crate::game::{Game, Gpt};
use crate::import_type::ImportType;
use crate::query::{ChartQuery, ChartResolution};
use crate::score::{ScoreDocument, UserId};

/// A host failure (database down, corrupt row). Fatal to the import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// The user already has an import running.
    #[error("This user already has an ongoing import.")]
    LockHeld,
    /// The store could not take the work in time (its writer was busy for
    /// longer than the host waits); nothing was written, and the same call
    /// may succeed later. The text says what was waited for.
    #[error("the score store is busy: {0}")]
    Busy(String),
    /// The user does not exist.
    #[error("user {0} does not exist")]
    UnknownUser(UserId),
    /// Anything else the store reports, in words.
    #[error("host storage failed: {0}")]
    Storage(String),
    /// The store's own error (a database's), kept as the source.
    #[error("host storage failed: {0}")]
    Backend(#[source] BackendError),
}

impl HostError {
    /// A failure of the store, keeping its error as the source.
    pub fn backend(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        HostError::Backend(BackendError(Arc::new(e)))
    }

    /// The store's error of type `E` behind this one, if that is what failed.
    #[must_use]
    pub fn backend_error<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match self {
            HostError::Backend(b) => b.0.downcast_ref::<E>(),
            _ => None,
        }
    }
}

/// A store's error (rusqlite's, a PostgreSQL client's, ...), shared so that
/// [`HostError`] stays cheap to clone. Displays as the error it holds; two are
/// equal when their texts are.
#[derive(Debug, Clone)]
pub struct BackendError(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

impl PartialEq for BackendError {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for BackendError {}

impl From<HostError> for ImportError {
    fn from(e: HostError) -> Self {
        let kind = match &e {
            HostError::LockHeld => return ImportError::lock_held().caused_by(e),
            HostError::Busy(_) => ImportErrorKind::Unavailable,
            _ => ImportErrorKind::Internal,
        };
        ImportError::new(kind, e.to_string()).caused_by(e)
    }
}

/// A stored record whose chart was not found: Tachi's orphan score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrphanDocument {
    /// `O` + sha256 of `{importType, data, context, userID}`.
    #[serde(rename = "orphanID")]
    pub orphan_id: String,
    /// The import type whose converter reads `data`.
    pub import_type: ImportType,
    /// The user.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The game.
    pub game: Game,
    /// The raw record, exactly as the converter received it.
    pub data: Value,
    /// The import's context, exactly as the converter received it.
    pub context: Value,
    /// Why it was orphaned.
    pub err_msg: Option<String>,
    /// When it was stored (ms).
    pub time_inserted: i64,
}

/// Whether an orphan was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrphanInsert {
    /// Stored now.
    Inserted,
    /// An identical orphan was already stored.
    Existed,
}

/// A user's stats for one GPT: profile ratings and classes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GameStats {
    /// Profile ratings by algorithm.
    pub ratings: BTreeMap<String, Option<f64>>,
    /// Class ids by class set.
    pub classes: BTreeMap<String, String>,
}

/// Resolves chart queries.
pub trait ChartLookup: Send + Sync {
    /// Resolves every query; the answer has one entry per query, in order.
    fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> impl Future<Output = Result<Vec<ChartResolution>, HostError>> + Send;
    /// Charts of `game` by chartID. Unknown ids are left out.
    fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<Vec<Arc<ChartDocument>>, HostError>> + Send;
    /// Songs of `game` by id (ratings that read song data: jubility, flare skill).
    /// Unknown ids are left out.
    fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> impl Future<Output = Result<Vec<Arc<SongDocument>>, HostError>> + Send;
}

/// Scores.
pub trait ScoreStore: Send {
    /// Which of `score_ids` were stored before this transaction began. Whether
    /// scores this transaction inserted are included is the host's choice: the
    /// pipeline remembers its own, so a host may answer from the state before
    /// the import (and need not wait for its own pending writes).
    fn existing_score_ids(
        &mut self,
        score_ids: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, HostError>> + Send;
    /// scoreIDs the user deleted with blacklisting: never re-imported.
    fn blacklisted_score_ids(
        &mut self,
        user: UserId,
    ) -> impl Future<Output = Result<HashSet<String>, HostError>> + Send;
    /// Stores a batch of new scores.
    fn insert_scores(
        &mut self,
        scores: &[ScoreDocument],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Called once an import has handed every score to
    /// [`insert_scores`](Self::insert_scores). A host may start writing out
    /// what it holds (the SQLite host flushes its page cache to its WAL
    /// behind the steps that follow, so the commit has less left to write).
    /// Does nothing by default.
    fn scores_inserted(&mut self) -> impl Future<Output = Result<(), HostError>> + Send {
        async { Ok(()) }
    }
    /// Sets `highlight: true` on these stored scores (unknown ids are left
    /// alone): a score hook resends a score the player marked (fervidex,
    /// keypad 9). Only the score changes, as in Tachi; its PB is rebuilt on the
    /// chart's next import.
    fn highlight_scores(
        &mut self,
        score_ids: &[String],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Stored scores by scoreID (unknown ids are left out).
    fn scores_by_id(
        &mut self,
        score_ids: &[String],
    ) -> impl Future<Output = Result<Vec<ScoreDocument>, HostError>> + Send;
    /// The `calculatedData` of stored scores by scoreID (unknown ids are left
    /// out), in the order [`scores_by_id`](Self::scores_by_id) gives them:
    /// all a session's ratings read of its scores.
    /// The pipeline asks for the scores of a session it read through
    /// [`SessionStore::sessions_between`] in the same transaction, so a host
    /// may answer from the state that read saw. By default the scores are
    /// read whole.
    fn score_ratings_by_id(
        &mut self,
        score_ids: &[String],
    ) -> impl Future<Output = Result<Vec<BTreeMap<crate::score::Key, Option<f64>>>, HostError>> + Send
    {
        async move {
            Ok(self
                .scores_by_id(score_ids)
                .await?
                .into_iter()
                .map(|s| s.calculated_data)
                .collect())
        }
    }
    /// The user's scores on these charts that were stored before this import
    /// began (for PB merging; the pipeline holds the import's own), in insertion
    /// order. A host may answer with only the scores its stored PBs on these
    /// charts are composed from (`composedFrom`): for each PB criterion they
    /// hold the best score so far, so the merged PB is the same as over every
    /// score, as long as each PB was built from every score stored with it.
    fn scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<Vec<ScoreDocument>, HostError>> + Send;
}

/// Orphans.
pub trait OrphanStore: Send {
    /// Keeps an orphan (or reports that it is already kept).
    fn insert_orphan(
        &mut self,
        orphan: &OrphanDocument,
    ) -> impl Future<Output = Result<OrphanInsert, HostError>> + Send;
    /// Every orphan of a user.
    fn orphans_of(
        &mut self,
        user: UserId,
    ) -> impl Future<Output = Result<Vec<OrphanDocument>, HostError>> + Send;
    /// Forgets an orphan (imported, or rejected for good).
    fn remove_orphan(
        &mut self,
        orphan_id: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// Sessions.
pub trait SessionStore: Send {
    /// The user's sessions of a GPT whose `timeStarted` or `timeEnded` lies in
    /// `[from_ms, to_ms)`, oldest-inserted first.
    fn sessions_between(
        &mut self,
        user: UserId,
        gpt: Gpt,
        from_ms: i64,
        to_ms: i64,
    ) -> impl Future<Output = Result<Vec<SessionDocument>, HostError>> + Send;
    /// Creates or replaces a session (by sessionID).
    fn upsert_session(
        &mut self,
        session: &SessionDocument,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// Personal bests.
pub trait PbStore: Send {
    /// Creates or replaces PBs (by user and chart).
    fn upsert_pbs(
        &mut self,
        pbs: &[PbDocument],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Every user's PBs on these charts (for rankings). The pipeline asks
    /// before it writes any PB on these charts, so a host may answer from the
    /// state before the import.
    fn pbs_on_charts(
        &mut self,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<Vec<PbDocument>, HostError>> + Send;
    /// The user's PBs on these charts (for goals).
    fn user_pbs_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<Vec<PbDocument>, HostError>> + Send;
    /// The user's PBs of a GPT.
    fn pbs_of(
        &mut self,
        user: UserId,
        gpt: Gpt,
    ) -> impl Future<Output = Result<Vec<PbDocument>, HostError>> + Send;
    /// What profile ratings read of the user's PBs of a GPT (this import's
    /// included), one entry per PB. Every import asks, for every PB the user
    /// has on the GPT, so a host may read just these fields instead of whole
    /// documents; by default it reads [`PbStore::pbs_of`].
    fn pb_ratings_of(
        &mut self,
        user: UserId,
        gpt: Gpt,
    ) -> impl Future<Output = Result<Arc<Vec<PbRatings>>, HostError>> + Send {
        let pbs = self.pbs_of(user, gpt);
        async move {
            Ok(Arc::new(
                pbs.await?.into_iter().map(PbRatings::from).collect(),
            ))
        }
    }
}

/// What profile ratings read of a PB: its chart, song, `isPrimary` and
/// `calculatedData`.
#[derive(Debug, Clone, PartialEq)]
pub struct PbRatings {
    /// The chart.
    pub chart_id: String,
    /// The chart's song.
    pub song_id: i64,
    /// Whether the chart is primary.
    pub is_primary: bool,
    /// The PB's score ratings.
    pub calculated_data: RatingValues,
}

impl From<PbDocument> for PbRatings {
    fn from(pb: PbDocument) -> Self {
        PbRatings {
            chart_id: pb.chart_id,
            song_id: pb.song_id,
            is_primary: pb.is_primary,
            calculated_data: RatingValues::from(&pb.calculated_data),
        }
    }
}

/// A PB's score ratings by name, held inline: profile ratings read one or
/// two of them from each of a user's thousands of PBs, and a map of its own
/// per PB (a heap node each) made that a cache miss per PB per rating. A
/// GPT has at most three score ratings, with names of at most 18 bytes;
/// more, or longer names, are kept beside.
#[derive(Clone, Default)]
pub struct RatingValues {
    inline: [(ShortName, Option<f64>); INLINE_RATINGS],
    len: u8,
    more: Vec<(crate::score::Key, Option<f64>)>,
}

const INLINE_RATINGS: usize = 3;

/// A name of up to 23 bytes, inline.
#[derive(Clone, Copy, Default, PartialEq)]
struct ShortName {
    len: u8,
    bytes: [u8; 23],
}

impl ShortName {
    fn new(name: &str) -> Option<Self> {
        let len = u8::try_from(name.len()).ok().filter(|l| *l <= 23)?;
        let mut bytes = [0u8; 23];
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        Some(ShortName { len, bytes })
    }

    fn as_str(&self) -> &str {
        // Only whole `&str`s are copied in: always valid UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    fn is(&self, name: &str) -> bool {
        usize::from(self.len) == name.len() && &self.bytes[..name.len()] == name.as_bytes()
    }
}

impl RatingValues {
    /// The rating of this name (`Some(None)`: present and `null`).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Option<f64>> {
        self.inline[..usize::from(self.len)]
            .iter()
            .find(|(n, _)| n.is(name))
            .map(|(_, v)| v)
            .or_else(|| self.more.iter().find(|(n, _)| n == name).map(|(_, v)| v))
    }

    /// Sets the rating of this name.
    pub fn insert(&mut self, name: &str, value: Option<f64>) {
        let len = usize::from(self.len);
        if let Some(slot) = self.inline[..len].iter_mut().find(|(n, _)| n.is(name)) {
            slot.1 = value;
        } else if let Some(slot) = self.more.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else if let (true, Some(short)) = (len < INLINE_RATINGS, ShortName::new(name)) {
            self.inline[len] = (short, value);
            self.len += 1;
        } else {
            self.more
                .push((crate::score::Key::Owned(name.to_owned()), value));
        }
    }

    /// How many ratings it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        usize::from(self.len) + self.more.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ratings, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<f64>)> {
        self.inline[..usize::from(self.len)]
            .iter()
            .map(|(n, v)| (n.as_str(), *v))
            .chain(self.more.iter().map(|(n, v)| (n.as_ref(), *v)))
    }
}

/// The same names with the same values, in any order (as maps compare).
impl PartialEq for RatingValues {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(n, v)| other.get(n) == Some(&v))
    }
}

impl std::fmt::Debug for RatingValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: AsRef<str>> FromIterator<(K, Option<f64>)> for RatingValues {
    fn from_iter<I: IntoIterator<Item = (K, Option<f64>)>>(iter: I) -> Self {
        let mut out = RatingValues::default();
        for (k, v) in iter {
            out.insert(k.as_ref(), v);
        }
        out
    }
}

impl From<&BTreeMap<crate::score::Key, Option<f64>>> for RatingValues {
    fn from(map: &BTreeMap<crate::score::Key, Option<f64>>) -> Self {
        map.iter().map(|(k, v)| (k.as_ref(), *v)).collect()
    }
}

impl From<BTreeMap<crate::score::Key, Option<f64>>> for RatingValues {
    fn from(map: BTreeMap<crate::score::Key, Option<f64>>) -> Self {
        RatingValues::from(&map)
    }
}

/// Songs and charts created from play (Tachi's orphan-chart queue).
pub trait ChartStore: Send {
    /// The queued chart with this key, if any.
    fn pending_chart(
        &mut self,
        key: &str,
    ) -> impl Future<Output = Result<Option<crate::documents::PendingChart>, HostError>> + Send;
    /// Queues a chart, or replaces its queue entry.
    fn put_pending_chart(
        &mut self,
        pending: &crate::documents::PendingChart,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Removes a chart from the queue.
    fn remove_pending_chart(
        &mut self,
        key: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Creates a song and its chart in `game`: the song gets the game's next
    /// song id (one above the highest), the chart that song id. Later lookups,
    /// in this transaction and after it, find them. Returns the song id.
    fn insert_song_and_chart(
        &mut self,
        game: Game,
        song: &SongDocument,
        chart: &ChartDocument,
    ) -> impl Future<Output = Result<i64, HostError>> + Send;
}

/// Profile stats and classes.
pub trait StatsStore: Send {
    /// The user's stats for a GPT, if they have played it.
    fn game_stats(
        &mut self,
        user: UserId,
        gpt: Gpt,
    ) -> impl Future<Output = Result<Option<GameStats>, HostError>> + Send;
    /// Stores the user's stats for a GPT.
    fn put_game_stats(
        &mut self,
        user: UserId,
        gpt: Gpt,
        stats: &GameStats,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// A Tachi goal or quest document the host holds, as JSON (Tachi's shape), with
/// the user's subscription to it (Tachi's `goal-subs` / `quest-subs` document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    /// The goal or quest document.
    pub document: Value,
    /// The user's subscription document (progress, achieved, ...).
    pub subscription: Value,
}

/// Goals and quests.
pub trait GoalStore: Send {
    /// The user's goal subscriptions in `game` whose goal's charts include any of
    /// `chart_ids` (directly, or through a folder).
    fn goals_touching(
        &mut self,
        user: UserId,
        game: Game,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<Vec<Subscription>, HostError>> + Send;
    /// Every chart a goal covers (a folder goal: the folder's charts).
    fn goal_chart_ids(
        &mut self,
        goal_id: &str,
    ) -> impl Future<Output = Result<Vec<String>, HostError>> + Send;
    /// The user's quest subscriptions in `game` whose quest lists any of `goal_ids`.
    fn quests_containing(
        &mut self,
        user: UserId,
        game: Game,
        goal_ids: &[String],
    ) -> impl Future<Output = Result<Vec<Subscription>, HostError>> + Send;
    /// The user's goal subscription documents for these goals (missing ones left out).
    fn goal_subscriptions(
        &mut self,
        user: UserId,
        goal_ids: &[String],
    ) -> impl Future<Output = Result<Vec<Value>, HostError>> + Send;
    /// Stores updated goal subscription documents (by goalID and userID).
    fn put_goal_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Stores updated quest subscription documents (by questID and userID).
    fn put_quest_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// Finished imports.
pub trait ImportStore: Send {
    /// Stores the ImportDocument and its timings.
    fn save_import(
        &mut self,
        document: &ImportDocument,
        timings: &ImportTimings,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// Everything one import reads and writes, committed or rolled back as a whole.
pub trait ImportTransaction:
    ChartLookup
    + ScoreStore
    + OrphanStore
    + SessionStore
    + PbStore
    + StatsStore
    + GoalStore
    + ImportStore
    + ChartStore
    + LifecycleStore
{
    /// Makes every write of the import visible and releases the user's lock.
    fn commit(self) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Discards every write of the import and releases the user's lock.
    fn rollback(self) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// What deleting scores and reverting imports need of a transaction (the
/// pipeline's `delete_scores` and `revert_import`). Unlike the import-time
/// reads above, which may answer from the state before the transaction,
/// every read here sees the transaction's own deletions.
pub trait LifecycleStore: Send {
    /// Deletes those of `score_ids` that are `user`'s scores (others are
    /// left alone), and blacklists each deleted one when `blacklist` (never
    /// imported again for the user); returns the deleted documents.
    fn delete_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
        blacklist: bool,
    ) -> impl Future<Output = Result<Vec<ScoreDocument>, HostError>> + Send;
    /// Every score `user` has on these charts now, in storing order.
    fn current_scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<Vec<ScoreDocument>, HostError>> + Send;
    /// The user's sessions holding any of `score_ids`, oldest-inserted first.
    fn sessions_with_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> impl Future<Output = Result<Vec<SessionDocument>, HostError>> + Send;
    /// Deletes a session.
    fn delete_session(
        &mut self,
        session_id: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Deletes the user's PBs on these charts.
    fn delete_pbs(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Takes `score_ids` out of the user's ImportDocuments that list them;
    /// a document left with no score is deleted with its timings (Tachi's
    /// `DeleteScore`). Returns the importIDs changed or deleted.
    fn pull_from_imports(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> impl Future<Output = Result<Vec<String>, HostError>> + Send;
    /// Deletes a stored ImportDocument and its timings.
    fn delete_import(
        &mut self,
        import_id: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// Replaces stored scores by scoreID, each keeping its place in the
    /// storing order (their calculated data and `isPrimary` recomputed after
    /// a seeds load changed their charts). Ids not stored are ignored.
    fn update_scores(
        &mut self,
        scores: &[ScoreDocument],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
}

/// A store the pipeline can run imports against.
pub trait Host: Send + Sync {
    /// The transaction type.
    type Transaction<'a>: ImportTransaction + 'a
    where
        Self: 'a;

    /// Starts an import for `user`: takes the user's import lock (failing with
    /// [`HostError::LockHeld`] if another import holds it) and opens a transaction.
    fn begin_import(
        &self,
        user: UserId,
    ) -> impl Future<Output = Result<Self::Transaction<'_>, HostError>> + Send;

    /// The BMS course whose md5s are `md5sums` (the seeds'
    /// `bms-course-lookup.json`).
    fn bms_course(
        &self,
        md5sums: &str,
    ) -> impl Future<Output = Result<Option<crate::documents::BmsCourse>, HostError>> + Send;

    /// A queued chart (see [`ChartStore`]), read outside any import.
    fn pending_chart(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<crate::documents::PendingChart>, HostError>> + Send;

    /// Reads a stored ImportDocument.
    fn import_document(
        &self,
        import_id: &str,
    ) -> impl Future<Output = Result<Option<ImportDocument>, HostError>> + Send;

    /// A page of `user`'s stored scores, in the order they were stored: those
    /// after `after` (the [`ScorePage::next`] of the page before; `None` for
    /// the first page), at most `limit` (at least one). Read outside any
    /// import (an export reads a user's scores page by page).
    fn user_scores(
        &self,
        user: UserId,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<ScorePage, HostError>> + Send;
}

/// A page of a user's scores ([`Host::user_scores`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScorePage {
    /// The scores, in storing order.
    pub scores: Vec<ScoreDocument>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<u64>,
}

#[cfg(test)]
mod rating_values_tests {
    use super::*;

    #[test]
    fn ratings_are_found_by_name_inline_or_beside() {
        let mut map: BTreeMap<crate::score::Key, Option<f64>> = BTreeMap::new();
        map.insert("BPI".into(), Some(12.5));
        map.insert("ktLampRating".into(), None);
        map.insert("naiveRatingRefresh".into(), Some(-0.0));
        map.insert("a name longer than twenty-three bytes".into(), Some(1.0));
        let mut v = RatingValues::from(&map);
        assert_eq!(v.len(), 4);
        assert_eq!(v.get("BPI"), Some(&Some(12.5)));
        assert_eq!(v.get("ktLampRating"), Some(&None), "present and null");
        assert_eq!(
            v.get("naiveRatingRefresh")
                .copied()
                .flatten()
                .map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(
            v.get("a name longer than twenty-three bytes"),
            Some(&Some(1.0))
        );
        assert_eq!(v.get("BP"), None, "a prefix is another name");
        assert_eq!(v.get("VF6"), None);
        // Past the three inline places, and overwriting in either place.
        v.insert("VF6", Some(20.0));
        v.insert("BPI", Some(13.0));
        v.insert("VF6", Some(21.0));
        assert_eq!(v.len(), 5);
        assert_eq!(v.get("BPI"), Some(&Some(13.0)));
        assert_eq!(v.get("VF6"), Some(&Some(21.0)));
        let names: Vec<&str> = v.iter().map(|(n, _)| n).collect();
        assert_eq!(names.len(), 5);
        assert!(names.contains(&"a name longer than twenty-three bytes"));
        // Equal contents are equal, in any order; a value or a name more is not.
        assert_eq!(RatingValues::from(&map), RatingValues::from(map.clone()));
        let backwards: RatingValues = map.iter().rev().map(|(k, v)| (k.as_ref(), *v)).collect();
        assert_eq!(backwards, RatingValues::from(&map));
        let mut other = backwards.clone();
        other.insert("BPI", Some(12.6));
        assert_ne!(other, backwards);
        other.insert("BPI", Some(12.5));
        assert_eq!(other, backwards);
        other.insert("extra", None);
        assert_ne!(other, backwards);
        assert!(RatingValues::default().is_empty());
    }
}
