//! # kaiden-pipeline
//!
//! Tachi's score-import pipeline over kaiden's host traits:
//!
//! ```text
//! parse ─ convert ─ resolve charts (batched) ─ scoreID ─ dedupe ─ hydrate ─ validate
//!   ─ store (batched) ─ sessions ─ PBs + rankings ─ profile ratings & classes
//!   ─ goals ─ quests ─ ImportDocument
//! ```
//!
//! Every import runs inside one host transaction that holds the user's import
//! lock: an import that fails part-way leaves the store exactly as it was.
//!
//! - [`import`]: run one import and return its [`ImportDocument`].
//! - [`reprocess_orphans`]: try a user's orphaned records again.
//! - [`check`]: a dry run (parse, convert, resolve) that writes nothing.
//! - [`Registry`]: the import types a host accepts.
#![deny(missing_docs)]

pub mod aggregate;
mod goals;
pub mod ids;
pub mod pb;
pub mod progress;
pub mod registry;
pub mod sessions;
pub mod stats;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use kaiden_core::documents::{ChartDocument, ImportTimings, PbDocument, RankingData, SongDocument};
use kaiden_core::error::{ImportError, Position};
use kaiden_core::failure::ImportErrorEntry;
use kaiden_core::format::{ImportInput, PendingScore, ProvidedClass};
use kaiden_core::gpt_impl::{hydrate_score_data_owned, validate_score};
use kaiden_core::host::{ChartLookup, Host, ImportTransaction, OrphanDocument, OrphanInsert};
use kaiden_core::query::{ChartKey, ChartQuery, ChartResolution};
use kaiden_core::score::{DryScore, UserId};
use kaiden_core::stable_json::orphan_id;
use kaiden_core::{
    ConverterFailure, Game, Gpt, ImportDocument, ImportType, ScoreDocument, par, score_id,
};
use serde::Serialize;

pub use progress::{ImportProgress, NoProgress, Progress, Step};
pub use registry::{Converted, DynFormat, RecordSource, Registry};

/// A hash map for the pipeline's own bookkeeping (scoreIDs, chartIDs, chart
/// queries): foldhash, seeded per process, instead of SipHash, which was a
/// few per cent of an import.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
type FastSet<K> = HashSet<K, foldhash::fast::RandomState>;

/// How many records are converted and resolved together.
pub const BATCH_SIZE: usize = 2048;

/// One import to run.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The import type.
    pub import_type: ImportType,
    /// The importing user.
    pub user: UserId,
    /// Whether the user asked for it themselves (`X-User-Intent`).
    pub user_intent: bool,
    /// The file or body, with its form fields.
    pub input: ImportInput<'a>,
    /// The importID to use; a new random one when `None`.
    pub import_id: Option<String>,
}

/// The current time in ms since the Unix epoch.
#[must_use]
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn describe_query(q: &ChartQuery) -> String {
    let what = match &q.key {
        ChartKey::SongTitle { title, .. } => format!("title {title:?}"),
        ChartKey::TachiSongId(id) => format!("tachiSongID {id}"),
        ChartKey::InGameId(id) | ChartKey::SdvxInGameId(id) => format!("inGameID {id}"),
        ChartKey::InGameStrId(id) => format!("inGameStrID {id:?}"),
        ChartKey::DdrSongHash(h) => format!("ddrSongHash {h}"),
        ChartKey::BmsChartHash(h)
        | ChartKey::ItgChartHash(h)
        | ChartKey::UscChartHash(h)
        | ChartKey::PopnChartHash(h) => format!("chart hash {h}"),
    };
    let mut s = format!("{} {what}", q.gpt);
    if let Some(d) = &q.difficulty {
        s.push_str(&format!(" {d}"));
    }
    if let Some(v) = &q.version {
        s.push_str(&format!(" (version {v})"));
    }
    s
}

/// The failure for a query the host could not answer with a chart.
fn resolution_failure(p: &PendingScore, r: &ChartResolution) -> ConverterFailure {
    let q = &p.query;
    if let (Some(message), ChartResolution::SongNotFound | ChartResolution::ChartNotFound) =
        (&p.not_found, r)
    {
        return ConverterFailure::SongOrChartNotFound(message.clone());
    }
    match r {
        ChartResolution::AmbiguousTitle => {
            let title = match &q.key {
                ChartKey::SongTitle { title, .. } => title.clone(),
                _ => String::new(),
            };
            ConverterFailure::AmbiguousTitle {
                message: format!(
                    "Multiple songs exist with the title {title}. Please use a different match type."
                ),
                title,
            }
        }
        ChartResolution::ChartNotFound => ConverterFailure::SongOrChartNotFound(format!(
            "Could not find chart for {}.",
            describe_query(q)
        )),
        _ => ConverterFailure::SongOrChartNotFound(format!(
            "Could not find song for {}.",
            describe_query(q)
        )),
    }
}

/// A record of a batch between chart resolution and preparation.
enum Slot {
    /// Failed (an entry to report, if any) or kept as an orphan.
    Done(Result<Prepared, Option<ImportErrorEntry>>),
    /// Its chart was found; to be prepared.
    Found(PendingScore, Arc<ChartDocument>, Arc<SongDocument>),
}

/// A score with its chart, its scoreID computed, not yet hydrated.
struct Prepared {
    gpt: Gpt,
    dry: DryScore,
    chart: Arc<ChartDocument>,
    song: Arc<SongDocument>,
    score_id: String,
}

fn prepare(
    format: &dyn DynFormat,
    user: UserId,
    pending: PendingScore,
    chart: Arc<ChartDocument>,
    song: Arc<SongDocument>,
) -> Result<Prepared, ConverterFailure> {
    let PendingScore {
        mut dry,
        expected_level,
        ..
    } = pending;
    if let Some(level) = expected_level {
        if level != chart.level {
            return Err(ConverterFailure::InvalidScore(format!(
                "{} [{}] - Should be level {}, but found level {level}.",
                song.title, chart.difficulty, chart.level
            )));
        }
    }
    format.check_with_chart(&mut dry, &chart, &song)?;
    let gpt = dry.game.with_playtype(chart.playtype).ok_or_else(|| {
        ConverterFailure::Internal(format!(
            "chart {} has playtype {} outside {}",
            chart.chart_id, chart.playtype, dry.game
        ))
    })?;
    let score_id = score_id(gpt, user, &chart.chart_id, &dry.score_data)
        .map_err(|e| ConverterFailure::Internal(e.to_string()))?;
    Ok(Prepared {
        gpt,
        dry,
        chart,
        song,
        score_id,
    })
}

fn finish(mut p: Prepared, user: UserId, now: i64) -> Result<ScoreDocument, ConverterFailure> {
    let (score_data, calculated_data) =
        hydrate_score_data_owned(p.gpt, std::mem::take(&mut p.dry.score_data), &p.chart)?;
    validate_score(p.gpt, &score_data, p.dry.time_achieved, &p.chart, now)?;
    Ok(ScoreDocument {
        score_id: p.score_id,
        user_id: user,
        chart_id: p.chart.chart_id.clone(),
        song_id: p.song.id,
        game: p.dry.game,
        playtype: p.chart.playtype,
        is_primary: p.chart.is_primary,
        service: p.dry.service,
        import_type: p.dry.import_type,
        time_achieved: p.dry.time_achieved,
        time_added: now,
        comment: p.dry.comment,
        highlight: false,
        score_data,
        score_meta: p.dry.score_meta,
        calculated_data,
    })
}

/// A scoreID as the import's own dedupe set keeps it: its prefix letter and
/// the first 128 bits of its SHA-256 (one letter and 64 lowercase hex digits,
/// as [`score_id`] makes them) without a copy of the text, or the text itself
/// for any other shape. Two different scores agreeing in 128 bits of SHA-256
/// is not a practical possibility (the chance for 10^9 scores is below 10^-20).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SeenId {
    Digest(u8, u128),
    Text(String),
}

impl SeenId {
    fn of(id: &str) -> SeenId {
        let bytes = id.as_bytes();
        let lower_hex = |b: &u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
        if bytes.len() == 65 && bytes[1..].iter().all(lower_hex) {
            if let Some(d) = id.get(1..33).and_then(|h| u128::from_str_radix(h, 16).ok()) {
                return SeenId::Digest(bytes[0], d);
            }
        }
        SeenId::Text(id.to_owned())
    }
}

/// A new score as the session step needs it.
#[derive(Debug, Clone)]
pub struct SessionScore {
    /// Its scoreID.
    pub score_id: String,
    /// Its GPT.
    pub gpt: Gpt,
    /// When it was achieved.
    pub time_achieved: Option<i64>,
    /// The score ratings session ratings aggregate.
    pub ratings: Vec<(&'static str, f64)>,
}

impl aggregate::Ratings for SessionScore {
    fn rating(&self, name: &str) -> Option<f64> {
        self.ratings
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
}

/// What an import keeps of its new scores for the post-import steps: what
/// sessions need (with each score's id, in storing order), and per chart only the scores a PB could be built from
/// ([`pb::Candidates`]), so memory does not grow with every stored score.
#[derive(Debug, Default)]
pub(crate) struct NewScores {
    gpts: Vec<Gpt>,
    sessions: Vec<SessionScore>,
    charts_in_order: Vec<(Gpt, String)>,
    candidates: FastMap<String, pb::Candidates>,
}

impl NewScores {
    fn push(&mut self, doc: ScoreDocument) {
        let Some(gpt) = doc.gpt() else { return };
        if !self.gpts.contains(&gpt) {
            self.gpts.push(gpt);
        }
        let ratings = kaiden_core::GptConfig::of(gpt)
            .session_rating_algs
            .iter()
            .map(|alg| match alg.aggregation {
                kaiden_core::config::Aggregation::AverageOfBestN { source, .. }
                | kaiden_core::config::Aggregation::SumOfBestN { source, .. } => source,
                kaiden_core::config::Aggregation::Custom => alg.name,
            })
            .filter_map(|src| {
                doc.calculated_data
                    .get(src)
                    .copied()
                    .flatten()
                    .map(|v| (src, v))
            })
            .collect();
        self.sessions.push(SessionScore {
            score_id: doc.score_id.clone(),
            gpt,
            time_achieved: doc.time_achieved,
            ratings,
        });
        match self.candidates.get_mut(&doc.chart_id) {
            Some(c) => c.offer(gpt, doc),
            None => {
                self.charts_in_order.push((gpt, doc.chart_id.clone()));
                let mut c = pb::Candidates::default();
                let id = doc.chart_id.clone();
                c.offer(gpt, doc);
                self.candidates.insert(id, c);
            }
        }
    }

    fn len(&self) -> usize {
        self.sessions.len()
    }

    fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// The new scores' ids, in the order they were stored (every new score
    /// has its session entry; the ids are moved out, not copied).
    fn take_ids(&mut self) -> Vec<String> {
        std::mem::take(&mut self.sessions)
            .into_iter()
            .map(|s| s.score_id)
            .collect()
    }
}

/// Drops `value` on a short-lived thread of its own, so the caller goes on
/// while its memory is freed. (Should no thread start, the closure holding
/// it is dropped by `spawn`, here.)
fn drop_behind<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("kaiden-drop".into())
        .spawn(move || drop(value));
}

/// What the score-importing step produced.
#[derive(Default)]
struct Imported {
    errors: Vec<ImportErrorEntry>,
    /// What the post-import steps need of the new scores.
    new_scores: NewScores,
    charts: FastMap<String, Arc<ChartDocument>>,
    records: u64,
    /// ms in: parse+convert, resolve, orphans+scoreIDs, dedupe, hydrate+validate, store.
    step_ms: [f64; 6],
}

/// Names of [`Imported::step_ms`] in the timings.
const IMPORT_SUBSTEPS: [&str; 6] = [
    "import.convert",
    "import.resolve",
    "import.prepare",
    "import.dedupe",
    "import.hydrate",
    "import.store",
];

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Resolves the queries of a batch, each distinct query once.
async fn resolve_batch<L: ChartLookup>(
    lookup: &L,
    batch: &[Converted],
) -> Result<Vec<Option<ChartResolution>>, ImportError> {
    let mut index: FastMap<&ChartQuery, usize> = FastMap::default();
    let mut queries: Vec<ChartQuery> = Vec::new();
    for c in batch {
        if let Ok(p) = &c.outcome {
            if !index.contains_key(&p.query) {
                index.insert(&p.query, queries.len());
                queries.push(p.query.clone());
            }
        }
    }
    let answers = lookup.resolve_charts(&queries).await?;
    if answers.len() != queries.len() {
        return Err(ImportError::internal(format!(
            "host answered {} of {} chart queries",
            answers.len(),
            queries.len()
        )));
    }
    Ok(batch
        .iter()
        .map(|c| {
            c.outcome
                .as_ref()
                .ok()
                .and_then(|p| index.get(&p.query))
                .map(|i| answers[*i].clone())
        })
        .collect())
}

/// Keeps an orphan and reports the failure entry it gives.
async fn store_orphan<T: ImportTransaction>(
    tx: &mut T,
    orphan: OrphanDocument,
    failure: &ConverterFailure,
) -> Result<Option<ImportErrorEntry>, ImportError> {
    let existed = tx.insert_orphan(&orphan).await? == OrphanInsert::Existed;
    Ok(failure.to_error_entry(existed))
}

#[allow(clippy::too_many_arguments)]
async fn import_scores<T: ImportTransaction>(
    tx: &mut T,
    format: &dyn DynFormat,
    source: &mut dyn RecordSource,
    import_type: ImportType,
    user: UserId,
    now: i64,
    progress: &dyn Progress,
    total_bytes: u64,
) -> Result<Imported, ImportError> {
    let blacklist = tx.blacklisted_score_ids(user).await?;
    let game = source.game();
    let context = source.context_json();
    let mut out = Imported::default();
    let mut seen: FastSet<SeenId> = FastSet::default();
    let mut batch: Vec<Converted> = Vec::with_capacity(BATCH_SIZE);
    let mut next: Vec<Converted> = Vec::with_capacity(BATCH_SIZE);
    // A batch's records pass through these in turn; they are kept from batch
    // to batch (records are large: fresh buffers each batch were fresh memory
    // to fault in and zero, a few per cent of an import).
    let mut slots: Vec<Slot> = Vec::with_capacity(BATCH_SIZE);
    let mut prepared: Vec<Result<Prepared, Option<ImportErrorEntry>>> =
        Vec::with_capacity(BATCH_SIZE);
    let mut kept: Vec<Result<Prepared, Option<ImportErrorEntry>>> = Vec::with_capacity(BATCH_SIZE);
    type Finished = Result<
        (
            Result<ScoreDocument, ConverterFailure>,
            Arc<ChartDocument>,
            SeenId,
        ),
        Option<ImportErrorEntry>,
    >;
    let mut finished: Vec<Finished> = Vec::with_capacity(BATCH_SIZE);
    let mut docs: Vec<ScoreDocument> = Vec::with_capacity(BATCH_SIZE);
    let mut ids: Vec<String> = Vec::with_capacity(BATCH_SIZE);
    let t = Instant::now();
    let mut more = source.next_batch(BATCH_SIZE, &mut batch)?;
    out.step_ms[0] += ms_since(t);
    while more {
        out.records += batch.len() as u64;
        let t = Instant::now();
        let resolutions = resolve_batch(&*tx, &batch).await?;
        out.step_ms[1] += ms_since(t);
        let t = Instant::now();
        // Per record: a prepared score, or a failure entry to report in order.
        // Orphans are stored as they are met; preparing a found score (chart
        // checks, scoreID) is pure and runs on every core.
        slots.clear();
        for (i, (conv, res)) in batch.drain(..).zip(resolutions).enumerate() {
            let slot = match (conv.outcome, res) {
                (Err(f), _) => Slot::Done(Err(f.to_error_entry(false))),
                (Ok(p), Some(ChartResolution::Found { chart, song })) => {
                    Slot::Found(p, chart, song)
                }
                (Ok(p), res) => {
                    let failure =
                        resolution_failure(&p, &res.unwrap_or(ChartResolution::SongNotFound));
                    if let ConverterFailure::SongOrChartNotFound(msg) = &failure {
                        let data = source.record_json(i);
                        let orphan = OrphanDocument {
                            orphan_id: orphan_id(import_type.as_str(), &data, &context, user),
                            import_type,
                            user_id: user,
                            game,
                            data,
                            context: context.clone(),
                            err_msg: Some(msg.clone()),
                            time_inserted: now,
                        };
                        Slot::Done(Err(store_orphan(tx, orphan, &failure).await?))
                    } else {
                        Slot::Done(Err(failure.to_error_entry(false)))
                    }
                }
            };
            slots.push(slot);
        }
        par::map_into(&mut slots, &mut prepared, |slot| match slot {
            Slot::Done(r) => r,
            Slot::Found(p, chart, song) => {
                prepare(format, user, p, chart, song).map_err(|f| f.to_error_entry(false))
            }
        });
        ids.clear();
        ids.extend(
            prepared
                .iter()
                .filter_map(|s| s.as_ref().ok().map(|p| p.score_id.clone())),
        );
        out.step_ms[2] += ms_since(t);
        let t = Instant::now();
        let existing = tx.existing_score_ids(&ids).await?;
        out.step_ms[3] += ms_since(t);
        let t = Instant::now();
        // Tachi's order per score: blacklist, stored scores and the scores
        // this import already took are skipped before hydration; a score is
        // taken once it passes validation. So a score that fails validation
        // does not stop a later valid one with the same scoreID (judgements
        // are not part of a scoreID). Hydrating and validating is pure and
        // runs on every core, so a batch's own repeats are hydrated side by
        // side and settled in record order below.
        kept.clear();
        for slot in prepared.drain(..) {
            if let Ok(p) = &slot {
                if blacklist.contains(&p.score_id)
                    || existing.contains(&p.score_id)
                    || seen.contains(&SeenId::of(&p.score_id))
                {
                    continue;
                }
            }
            kept.push(slot);
        }
        par::map_into(&mut kept, &mut finished, |slot| {
            slot.map(|p| {
                let chart = Arc::clone(&p.chart);
                let id = SeenId::of(&p.score_id);
                (finish(p, user, now), chart, id)
            })
        });
        docs.clear();
        for slot in finished.drain(..) {
            match slot {
                Err(entry) => out.errors.extend(entry),
                // The first valid score of a scoreID is taken; a later one is
                // a duplicate, and one failing after it was never validated
                // in Tachi (skipped as a duplicate first).
                Ok((Ok(doc), chart, id)) => {
                    if !seen.insert(id) {
                        continue;
                    }
                    if !out.charts.contains_key(&doc.chart_id) {
                        out.charts.insert(doc.chart_id.clone(), chart);
                    }
                    docs.push(doc);
                }
                Ok((Err(f), _, id)) => {
                    if !seen.contains(&id) {
                        out.errors.extend(f.to_error_entry(false));
                    }
                }
            }
        }
        out.step_ms[4] += ms_since(t);
        let t = Instant::now();
        if !docs.is_empty() {
            tx.insert_scores(&docs).await?;
        }
        // Kept for the post-import steps while the writer stores them.
        for d in docs.drain(..) {
            out.new_scores.push(d);
        }
        out.step_ms[5] += ms_since(t);
        // (Reading the next batch on the pool beside this loop was measured
        // slower: four busy threads on two cores.)
        let t = Instant::now();
        more = source.next_batch(BATCH_SIZE, &mut next)?;
        std::mem::swap(&mut batch, &mut next);
        out.step_ms[0] += ms_since(t);
        progress.update(&ImportProgress {
            step: Step::Importing,
            records: out.records,
            imported: out.new_scores.len() as u64,
            bytes: None,
            total_bytes: Some(total_bytes),
        });
    }
    Ok(out)
}

/// What the steps after score storage produced.
#[derive(Default)]
struct PostImport {
    sessions: Vec<kaiden_core::documents::SessionInfo>,
    class_deltas: Vec<kaiden_core::documents::ClassDelta>,
    goal_info: Vec<kaiden_core::documents::GoalImportInfo>,
    quest_info: Vec<kaiden_core::documents::QuestImportInfo>,
}

fn time_step(timings: &mut BTreeMap<String, f64>, name: &str, since: Instant) -> Instant {
    timings.insert(name.to_owned(), since.elapsed().as_secs_f64() * 1000.0);
    Instant::now()
}

/// Tachi's `HandlePostImportSteps`: sessions, PBs, stats, goals, quests.
#[allow(clippy::too_many_arguments)]
async fn post_import<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    game: Game,
    scores: &NewScores,
    charts: &FastMap<String, Arc<ChartDocument>>,
    provided: Option<&[ProvidedClass]>,
    now: i64,
    progress: &dyn Progress,
    timings: &mut BTreeMap<String, f64>,
) -> Result<PostImport, ImportError> {
    let mut out = PostImport::default();
    let gpts = scores.gpts.clone();
    let report = |step: Step| {
        progress.update(&ImportProgress {
            step,
            records: scores.len() as u64,
            imported: scores.len() as u64,
            bytes: None,
            total_bytes: None,
        });
    };
    let mut t = Instant::now();

    report(Step::Sessions);
    for &gpt in &gpts {
        let of_gpt: Vec<&SessionScore> = scores.sessions.iter().filter(|s| s.gpt == gpt).collect();
        out.sessions
            .extend(sessions::process_sessions(tx, user, gpt, &of_gpt, now).await?);
    }
    t = time_step(timings, "session", t);

    report(Step::PersonalBests);
    for &gpt in &gpts {
        let chart_ids: Vec<String> = scores
            .charts_in_order
            .iter()
            .filter(|(g, _)| *g == gpt)
            .map(|(_, c)| c.clone())
            .collect();
        for chunk in chart_ids.chunks(500) {
            // Older scores come from the store; this import's are in memory.
            let old = tx.scores_on_charts(user, chunk).await?;
            let mut by_chart: HashMap<&str, Vec<ScoreDocument>> = HashMap::new();
            for s in old {
                if let Some(id) = chunk.iter().find(|c| **c == s.chart_id) {
                    by_chart.entry(id.as_str()).or_default().push(s);
                }
            }
            // Building each chart's PB is pure: on every core, in chart order.
            let built = par::map_ref(chunk, |id| {
                let Some(chart) = charts.get(id) else {
                    return Ok(None);
                };
                let scores: Vec<&ScoreDocument> = by_chart
                    .get(id.as_str())
                    .into_iter()
                    .flatten()
                    .chain(
                        scores
                            .candidates
                            .get(id)
                            .map(pb::Candidates::docs)
                            .into_iter()
                            .flatten(),
                    )
                    .collect();
                pb::build_pb(gpt, user, chart, &scores)
                    .map_err(|e| ImportError::internal(format!("PB of chart {id}: {e}")))
            });
            let mut pbs: Vec<PbDocument> = Vec::with_capacity(chunk.len());
            for pb in built {
                pbs.extend(pb?);
            }
            // Rank every user's PB on these charts; write the user's PBs and any
            // other PB whose ranking moved.
            let mut everyone = tx.pbs_on_charts(chunk).await?;
            everyone.retain(|p| p.user_id != user);
            let before: HashMap<(u64, String), RankingData> = everyone
                .iter()
                .map(|p| ((p.user_id, p.chart_id.clone()), p.ranking_data.clone()))
                .collect();
            everyone.extend(pbs);
            everyone.sort_by(|a, b| a.chart_id.cmp(&b.chart_id));
            let mut write = Vec::with_capacity(everyone.len());
            for group in everyone.chunk_by_mut(|a, b| a.chart_id == b.chart_id) {
                pb::rank_chart(gpt, group);
                for p in group.iter() {
                    let moved =
                        before.get(&(p.user_id, p.chart_id.clone())) != Some(&p.ranking_data);
                    if p.user_id == user || moved {
                        write.push(p.clone());
                    }
                }
            }
            tx.upsert_pbs(&write).await?;
        }
    }
    t = time_step(timings, "pb", t);

    report(Step::Stats);
    // With a class provider, every playtype of the game (Tachi's rule).
    let stat_gpts: Vec<Gpt> = match provided {
        Some(_) => game
            .playtypes()
            .iter()
            .filter_map(|p| game.with_playtype(*p))
            .collect(),
        None => gpts.clone(),
    };
    for gpt in stat_gpts {
        let pbs = tx.pb_ratings_of(user, gpt).await?;
        let mut ctx = aggregate::SongMap::default();
        if aggregate::needs_songs(gpt) && !pbs.is_empty() {
            let mut ids: Vec<i64> = pbs.iter().map(|p| p.song_id).collect();
            ids.sort_unstable();
            ids.dedup();
            for s in tx.songs_by_id(game, &ids).await? {
                ctx.songs.insert(s.id, s);
            }
            let chart_ids: Vec<String> = pbs.iter().map(|p| p.chart_id.clone()).collect();
            for c in tx.charts_by_id(game, &chart_ids).await? {
                ctx.difficulties
                    .insert(c.chart_id.clone(), c.difficulty.clone());
            }
        }
        let ratings = aggregate::profile_ratings(gpt, &pbs, &ctx);
        let classes = stats::merged_classes(gpt, &ratings, provided.unwrap_or(&[]));
        let old = tx.game_stats(user, gpt).await?;
        let deltas = stats::class_deltas(gpt, old.as_ref(), &classes);
        if old.is_some() || !pbs.is_empty() {
            let next = stats::next_stats(old.as_ref(), ratings, &deltas);
            tx.put_game_stats(user, gpt, &next).await?;
        }
        out.class_deltas.extend(deltas);
    }
    t = time_step(timings, "ugs", t);

    report(Step::Goals);
    let mut chart_ids: Vec<String> = charts.keys().cloned().collect();
    chart_ids.sort_unstable();
    out.goal_info = goals::process_goals(tx, user, game, &chart_ids, now).await?;
    t = time_step(timings, "goal", t);

    report(Step::Quests);
    let changed: Vec<String> = out.goal_info.iter().map(|g| g.goal_id.clone()).collect();
    out.quest_info = goals::process_quests(tx, user, game, &gpts, &changed, now).await?;
    time_step(timings, "quest", t);
    Ok(out)
}

/// Runs one import against `host`: takes the user's lock, imports every record,
/// runs the post-import steps and stores the ImportDocument, all in one
/// transaction. Any fatal error rolls everything back.
pub async fn import<H: Host>(
    host: &H,
    registry: &Registry,
    request: ImportRequest<'_>,
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    let format = Arc::clone(registry.require(request.import_type)?);
    let import_id = match request.import_id.clone() {
        Some(id) => id,
        None => ids::new_import_id()?,
    };
    let mut tx = host.begin_import(request.user).await?;
    match run_import(&mut tx, &*format, &request, import_id, progress).await {
        Ok(doc) => {
            tx.commit().await?;
            Ok(doc)
        }
        Err(e) => {
            // The import's error is what the caller needs; a failed rollback is
            // reported only when the import itself succeeded.
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn run_import<T: ImportTransaction>(
    tx: &mut T,
    format: &dyn DynFormat,
    request: &ImportRequest<'_>,
    import_id: String,
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    let started = Instant::now();
    let time_started = now_ms();
    let mut timings = BTreeMap::new();
    progress.update(&ImportProgress {
        step: Step::Parsing,
        records: 0,
        imported: 0,
        bytes: None,
        total_bytes: Some(request.input.bytes.len() as u64),
    });
    let mut t = Instant::now();
    let mut source = format.open(request.import_type, &request.input, request.user)?;
    t = time_step(&mut timings, "parse", t);
    let game = source.game();
    let mut imported = import_scores(
        tx,
        format,
        &mut *source,
        request.import_type,
        request.user,
        time_started,
        progress,
        request.input.bytes.len() as u64,
    )
    .await?;
    if !imported.new_scores.is_empty() {
        tx.scores_inserted().await?;
    }
    // Classes are final once the records are exhausted.
    let classes = source.classes();
    let provided: Option<Vec<ProvidedClass>> = (!classes.is_empty()).then_some(classes);
    drop(source);
    time_step(&mut timings, "import", t);
    for (name, ms) in IMPORT_SUBSTEPS.iter().zip(imported.step_ms) {
        timings.insert((*name).to_owned(), ms);
    }
    let post = post_import(
        tx,
        request.user,
        game,
        &imported.new_scores,
        &imported.charts,
        provided.as_deref(),
        time_started,
        progress,
        &mut timings,
    )
    .await?;
    // The PB candidates (tens of thousands of score documents) are freed on a
    // thread of their own: the commit does not wait for them.
    drop_behind(std::mem::take(&mut imported.new_scores.candidates));
    progress.update(&ImportProgress {
        step: Step::Finalising,
        records: imported.records,
        imported: imported.new_scores.len() as u64,
        bytes: None,
        total_bytes: None,
    });
    let doc = ImportDocument {
        import_id: import_id.clone(),
        user_id: request.user,
        import_type: request.import_type,
        game,
        gpts: imported.new_scores.gpts.clone(),
        score_ids: imported.new_scores.take_ids(),
        errors: imported.errors,
        time_started,
        time_finished: now_ms(),
        created_sessions: post.sessions,
        class_deltas: post.class_deltas,
        goal_info: post.goal_info,
        quest_info: post.quest_info,
        user_intent: request.user_intent,
    };
    let total = started.elapsed().as_secs_f64() * 1000.0;
    let n = doc.score_ids.len().max(1) as f64;
    let rel = timings.iter().map(|(k, v)| (k.clone(), v / n)).collect();
    let timings = ImportTimings {
        import_id,
        timestamp: doc.time_finished,
        total,
        abs: timings,
        rel,
    };
    tx.save_import(&doc, &timings).await?;
    Ok(doc)
}

/// The answer of `/import/orphans`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OrphanReport {
    /// Orphans looked at.
    pub processed: u64,
    /// Still orphaned (chart still unknown, or an internal failure).
    pub failed: u64,
    /// Imported.
    pub success: u64,
    /// Removed for good (any other failure, or a duplicate).
    pub removed: u64,
}

/// Tries every orphan of `user` again: a record whose chart now exists is
/// imported through the same steps (sessions, PBs, stats, goals; no
/// ImportDocument, as in Tachi); one still unknown stays; any other failure
/// removes it. Runs in one transaction under the user's lock.
pub async fn reprocess_orphans<H: Host>(
    host: &H,
    registry: &Registry,
    user: UserId,
    progress: &dyn Progress,
) -> Result<OrphanReport, ImportError> {
    let mut tx = host.begin_import(user).await?;
    match run_orphans(&mut tx, registry, user, progress).await {
        Ok(r) => {
            tx.commit().await?;
            Ok(r)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn run_orphans<T: ImportTransaction>(
    tx: &mut T,
    registry: &Registry,
    user: UserId,
    progress: &dyn Progress,
) -> Result<OrphanReport, ImportError> {
    let now = now_ms();
    let orphans = tx.orphans_of(user).await?;
    let blacklist = tx.blacklisted_score_ids(user).await?;
    // The scoreIDs this run stored (the host may answer dedupe from the state
    // before the transaction).
    let mut seen: HashSet<String> = HashSet::new();
    let mut report = OrphanReport {
        processed: orphans.len() as u64,
        ..OrphanReport::default()
    };
    // Orphans of several games are processed game by game.
    let mut by_game: BTreeMap<&str, Vec<&OrphanDocument>> = BTreeMap::new();
    for o in &orphans {
        by_game.entry(o.game.as_str()).or_default().push(o);
    }
    for group in by_game.values() {
        let game = group[0].game;
        let mut new_scores = NewScores::default();
        let mut charts = FastMap::default();
        for orphan in group {
            let Some(format) = registry.get(orphan.import_type) else {
                // No converter for it here: keep it for a host that has one.
                report.failed += 1;
                continue;
            };
            let outcome = format.convert_json(orphan.import_type, &orphan.data, &orphan.context);
            let resolved = match outcome {
                Ok(pending) => {
                    let r = tx
                        .resolve_charts(std::slice::from_ref(&pending.query))
                        .await?;
                    match r.into_iter().next() {
                        Some(ChartResolution::Found { chart, song }) => Ok((pending, chart, song)),
                        other => Err(resolution_failure(
                            &pending,
                            &other.unwrap_or(ChartResolution::SongNotFound),
                        )),
                    }
                }
                Err(f) => Err(f),
            };
            let (pending, chart, song) = match resolved {
                Ok(x) => x,
                Err(ConverterFailure::SongOrChartNotFound(_) | ConverterFailure::Internal(_)) => {
                    report.failed += 1;
                    continue;
                }
                Err(_) => {
                    tx.remove_orphan(&orphan.orphan_id).await?;
                    report.removed += 1;
                    continue;
                }
            };
            tx.remove_orphan(&orphan.orphan_id).await?;
            let prepared = match prepare(&**format, user, pending, chart, song) {
                Ok(p) => p,
                Err(_) => {
                    report.removed += 1;
                    continue;
                }
            };
            if blacklist.contains(&prepared.score_id)
                || seen.contains(&prepared.score_id)
                || !tx
                    .existing_score_ids(std::slice::from_ref(&prepared.score_id))
                    .await?
                    .is_empty()
            {
                report.removed += 1;
                continue;
            }
            let chart = Arc::clone(&prepared.chart);
            match finish(prepared, user, now) {
                Ok(doc) => {
                    tx.insert_scores(std::slice::from_ref(&doc)).await?;
                    seen.insert(doc.score_id.clone());
                    charts.insert(doc.chart_id.clone(), chart);
                    new_scores.push(doc);
                    report.success += 1;
                }
                Err(_) => report.removed += 1,
            }
            progress.update(&ImportProgress {
                step: Step::Orphans,
                records: report.success + report.failed + report.removed,
                imported: report.success,
                bytes: None,
                total_bytes: None,
            });
        }
        if !new_scores.is_empty() {
            let mut timings = BTreeMap::new();
            post_import(
                tx,
                user,
                game,
                &new_scores,
                &charts,
                None,
                now,
                progress,
                &mut timings,
            )
            .await?;
        }
    }
    Ok(report)
}

/// What a dry run found for one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    /// 1-based record number.
    pub record: u64,
    /// Where it is in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// `import`, `orphan`, `reject` or `skip`.
    pub outcome: &'static str,
    /// The chart it resolved to.
    #[serde(rename = "chartID", skip_serializing_if = "Option::is_none")]
    pub chart_id: Option<String>,
    /// Why it is not imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A dry run's findings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    /// One entry per record.
    pub records: Vec<CheckOutcome>,
    /// Records that would be imported.
    pub import: u64,
    /// Records that would become orphans.
    pub orphan: u64,
    /// Records that would be rejected.
    pub reject: u64,
    /// Records skipped (nothing to import).
    pub skip: u64,
}

/// Parses, converts, resolves, hydrates and validates without writing anything.
/// A record repeating a scoreID this file already imports is a `skip`, as the
/// import drops it; duplicates of stored scores are not detected (that needs
/// the user's store).
pub async fn check<L: ChartLookup>(
    lookup: &L,
    registry: &Registry,
    import_type: ImportType,
    input: &ImportInput<'_>,
    user: UserId,
) -> Result<CheckReport, ImportError> {
    let format = registry.require(import_type)?;
    let mut source = format.open(import_type, input, user)?;
    let mut report = CheckReport::default();
    let mut batch = Vec::new();
    let now = now_ms();
    // The scoreIDs this file would import, with their record numbers.
    let mut taken: HashMap<String, u64> = HashMap::new();
    while source.next_batch(BATCH_SIZE, &mut batch)? {
        let resolutions = resolve_batch(lookup, &batch).await?;
        for (i, (conv, res)) in batch.drain(..).zip(resolutions).enumerate() {
            let position = source.position(i);
            let (outcome, chart_id, reason) = match (conv.outcome, res) {
                (Err(ConverterFailure::Skip(r)), _) => ("skip", None, Some(r)),
                (Err(f), _) => ("reject", None, Some(f.to_string())),
                (Ok(p), Some(ChartResolution::Found { chart, song })) => {
                    let id = chart.chart_id.clone();
                    let record = conv.index + 1;
                    // The import's order: a scoreID already taken from this
                    // file is a duplicate before it is validated; a score is
                    // taken once it passes validation.
                    let finished =
                        prepare(&**format, user, p, chart, song).and_then(|p| {
                            match taken.get(&p.score_id) {
                                Some(first) => Ok(Err(*first)),
                                None => {
                                    let score_id = p.score_id.clone();
                                    finish(p, user, now).map(|_| Ok(score_id))
                                }
                            }
                        });
                    match finished {
                        Ok(Ok(score_id)) => {
                            taken.insert(score_id, record);
                            ("import", Some(id), None)
                        }
                        Ok(Err(first)) => (
                            "skip",
                            Some(id),
                            Some(format!(
                                "a duplicate of record {first} (the same scoreID): not imported"
                            )),
                        ),
                        Err(ConverterFailure::Skip(r)) => ("skip", Some(id), Some(r)),
                        Err(f) => ("reject", Some(id), Some(f.to_string())),
                    }
                }
                (Ok(p), res) => {
                    let f = resolution_failure(&p, &res.unwrap_or(ChartResolution::SongNotFound));
                    let kind = if matches!(f, ConverterFailure::SongOrChartNotFound(_)) {
                        "orphan"
                    } else {
                        "reject"
                    };
                    (kind, None, Some(f.to_string()))
                }
            };
            match outcome {
                "import" => report.import += 1,
                "orphan" => report.orphan += 1,
                "skip" => report.skip += 1,
                _ => report.reject += 1,
            }
            report.records.push(CheckOutcome {
                record: conv.index + 1,
                position,
                outcome,
                chart_id,
                reason,
            });
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::SeenId;

    #[test]
    fn seen_ids_are_digests_for_score_ids_and_text_otherwise() {
        let id = format!("T{}", "0123456789abcdef".repeat(4));
        assert_eq!(SeenId::of(&id), SeenId::of(&id.clone()));
        assert!(matches!(SeenId::of(&id), SeenId::Digest(b'T', _)));
        // Another prefix, another id.
        let r = format!("R{}", &id[1..]);
        assert_ne!(SeenId::of(&id), SeenId::of(&r));
        // A difference in the first 128 bits is a different id.
        let mut other = id.clone();
        other.replace_range(5..6, "f");
        assert_ne!(SeenId::of(&id), SeenId::of(&other));
        // Upper case, a sign, the wrong length: kept as text, compared exactly.
        for odd in [
            id.to_uppercase(),
            format!("T+{}", &id[2..]),
            id[..64].to_owned(),
            "T".to_owned(),
            String::new(),
        ] {
            assert_eq!(SeenId::of(&odd), SeenId::Text(odd.clone()), "{odd:?}");
        }
    }
}
