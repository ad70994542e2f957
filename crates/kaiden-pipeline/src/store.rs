//! The score-importing step: batches converted, resolved, prepared, deduped
//! and stored; orphans kept; what the later steps need remembered.

use super::*;
use kaiden_core::{ScoreIdStr, ScoreIds};

/// A scoreID held compactly: Tachi's letter (`T`, `R` in older data) and 64
/// lowercase hex digits as the letter and 32-byte digest (33 bytes instead of
/// a 65-byte string on the heap), any other text as it is. Renders back to
/// exactly the same text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum CompactId {
    /// An ASCII letter and a SHA-256 digest written as lowercase hex.
    Digest([u8; 33]),
    /// Any other id.
    Text(Box<str>),
}

impl CompactId {
    /// `id`, compactly when it has the digest form
    /// ([`kaiden_core::score_ids::parse_digest`]).
    #[must_use]
    pub(crate) fn new(id: &str) -> Self {
        match kaiden_core::score_ids::parse_digest(id) {
            Some(d) => Self::Digest(d),
            None => Self::Text(id.into()),
        }
    }

    /// The id's text, rendered on the stack for a digest.
    #[must_use]
    pub(crate) fn as_id_str(&self) -> ScoreIdStr<'_> {
        match self {
            Self::Digest(d) => ScoreIdStr::from_digest(d),
            Self::Text(t) => ScoreIdStr::Text(t),
        }
    }
}

/// The most session ratings a game's configuration names (ONGEKI's three).
const MAX_SESSION_RATINGS: usize = 3;

/// [`SessionScore::present`]'s bit for a time achieved.
const HAS_TIME: u8 = 1 << 7;

/// A new score as the session step needs it: its position in the import's
/// list of scoreIDs ([`NewScores::ids`]) rather than an id of its own, its
/// time and its session ratings inline (40 bytes a score, where a
/// 125,000-score upload is 16 MiB: 128 bytes a score).
#[derive(Debug, Clone)]
pub(crate) struct SessionScore {
    /// Its scoreID's position in the import's list.
    index: u32,
    /// Its GPT.
    pub(crate) gpt: Gpt,
    /// Which of `ratings` are set (the GPT's session ratings, in its
    /// configuration's order), and [`HAS_TIME`].
    present: u8,
    /// When it was achieved, if [`HAS_TIME`].
    time: i64,
    ratings: [f64; MAX_SESSION_RATINGS],
}

/// The score rating each session rating of `gpt` aggregates, in order.
fn session_sources(gpt: Gpt) -> impl Iterator<Item = &'static str> {
    kaiden_games::GptConfig::of(gpt)
        .session_rating_algs
        .iter()
        .map(|alg| match alg.aggregation {
            kaiden_games::config::Aggregation::AverageOfBestN { source, .. }
            | kaiden_games::config::Aggregation::SumOfBestN { source, .. } => source,
            kaiden_games::config::Aggregation::Custom => alg.name,
        })
}

impl SessionScore {
    /// What the session step needs of `doc` (of `gpt`), whose scoreID is at
    /// `index` of the import's list.
    #[must_use]
    fn of(gpt: Gpt, doc: &ScoreDocument, index: u32) -> Self {
        let mut ratings = [0.0; MAX_SESSION_RATINGS];
        let mut present = 0u8;
        for (i, src) in session_sources(gpt).enumerate().take(MAX_SESSION_RATINGS) {
            if let Some(v) = doc.calculated_data.get(src).copied().flatten() {
                ratings[i] = v;
                present |= 1 << i;
            }
        }
        if doc.time_achieved.is_some() {
            present |= HAS_TIME;
        }
        SessionScore {
            index,
            gpt,
            time: doc.time_achieved.unwrap_or_default(),
            present,
            ratings,
        }
    }

    /// When it was achieved.
    #[must_use]
    pub(crate) fn time_achieved(&self) -> Option<i64> {
        (self.present & HAS_TIME != 0).then_some(self.time)
    }

    /// Appends its scoreID, read from the import's list `ids`, to `out` (a
    /// digest copied as it is held).
    pub(crate) fn push_id_to(&self, ids: &ScoreIds, out: &mut ScoreIds) {
        out.push_from(ids, self.index as usize);
    }
}

impl aggregate::Ratings for SessionScore {
    fn rating(&self, name: &str) -> Option<f64> {
        let i = session_sources(self.gpt).position(|s| s == name)?;
        (i < MAX_SESSION_RATINGS && self.present & (1 << i) != 0).then(|| self.ratings[i])
    }
}

/// Session entries in chunks of exact size: no growth slack, no copy of the
/// whole list as it grows.
const SESSION_CHUNK: usize = 4096;

/// A scoreID as [`TakenIds`] looks it up: compact, with its hash.
#[derive(Debug, Clone)]
pub(crate) struct TakenKey {
    hash: u64,
    id: CompactId,
}

/// Makes [`TakenKey`]s for one import's [`TakenIds`] (on any thread).
#[derive(Debug, Clone, Default)]
pub(crate) struct Keyer(foldhash::fast::RandomState);

impl Keyer {
    /// `id`'s key.
    pub(crate) fn key(&self, id: &str) -> TakenKey {
        let id = CompactId::new(id);
        TakenKey {
            hash: self.hash(&id),
            id,
        }
    }

    /// A digest's bytes or the text's: the same id hashes the same whether
    /// the list holds it as a digest or (once it holds text) as text.
    fn hash(&self, id: &CompactId) -> u64 {
        use std::hash::BuildHasher as _;
        match id {
            CompactId::Digest(d) => self.0.hash_one(&d[..]),
            CompactId::Text(t) => self.0.hash_one(t.as_bytes()),
        }
    }

    /// The hash of the id at `i` of `ids`.
    fn hash_at(&self, ids: &ScoreIds, i: usize) -> u64 {
        use std::hash::BuildHasher as _;
        if let Some(d) = ids.digest(i) {
            return self.0.hash_one(&d[..]);
        }
        let Some(text) = ids.get(i) else { return 0 };
        match kaiden_core::score_ids::parse_digest(&text) {
            Some(d) => self.0.hash_one(&d[..]),
            None => self.0.hash_one(text.as_bytes()),
        }
    }
}

/// The scoreIDs an import has taken, in the order taken: the list its
/// ImportDocument carries (33 bytes an id while every id has Tachi's form),
/// and, while scores are being stored, a table of positions in that list
/// hashed by the id at each, so a repeat is found at once. The table costs
/// about 10 bytes an id with its slack, where a set of its own held each id
/// again (16 bytes as a bare digest, ~36 with the set's slack).
#[derive(Debug, Default)]
pub(crate) struct TakenIds {
    ids: ScoreIds,
    index: hashbrown::HashTable<u32>,
    keyer: Keyer,
}

impl TakenIds {
    /// Whether the id at `i` is `id`.
    fn is_at(&self, i: u32, id: &CompactId) -> bool {
        let i = i as usize;
        match (id, self.ids.digest(i)) {
            (CompactId::Digest(d), Some(held)) => d == held,
            // A text key is never an id of the digest form.
            (CompactId::Text(_), Some(_)) => false,
            (id, None) => self.ids.get(i).is_some_and(|held| held == id.as_id_str()),
        }
    }

    /// Whether `key`'s id was taken.
    pub(crate) fn contains(&self, key: &TakenKey) -> bool {
        self.index
            .find(key.hash, |&i| self.is_at(i, &key.id))
            .is_some()
    }

    /// Takes `key`'s id (appended to the list); whether it was new.
    ///
    /// # Errors
    /// Past 2^32 ids in one import (upload limits keep imports far below).
    pub(crate) fn insert(&mut self, key: TakenKey) -> Result<bool, ImportError> {
        if self.contains(&key) {
            return Ok(false);
        }
        let at = u32::try_from(self.ids.len())
            .map_err(|_| ImportError::internal("more than 2^32 scores in one import"))?;
        match &key.id {
            CompactId::Digest(d) => self.ids.push_digest(d),
            CompactId::Text(t) => self.ids.push(t),
        }
        let (ids, keyer) = (&self.ids, &self.keyer);
        self.index
            .insert_unique(key.hash, at, |&i| keyer.hash_at(ids, i as usize));
        Ok(true)
    }
}

/// What an import keeps of its new scores for the post-import steps: their
/// ids in storing order ([`TakenIds`]), what sessions need of each, and per
/// chart only the scores a PB could be built from ([`pb::Candidates`]), so
/// memory does not grow with every stored score.
#[derive(Debug, Default)]
pub(crate) struct NewScores {
    pub(crate) gpts: Vec<Gpt>,
    taken: TakenIds,
    sessions: Vec<Vec<SessionScore>>,
    /// Scores pushed (each took the next id of `taken`).
    pushed: usize,
    pub(crate) charts_in_order: Vec<(Gpt, String)>,
    pub(crate) candidates: FastMap<String, pb::Candidates>,
}

impl NewScores {
    /// Makes the keys [`take`](Self::take) and [`is_taken`](Self::is_taken)
    /// look ids up by.
    pub(crate) fn keyer(&self) -> Keyer {
        self.taken.keyer.clone()
    }

    /// Whether `key`'s id was taken by this import.
    pub(crate) fn is_taken(&self, key: &TakenKey) -> bool {
        self.taken.contains(key)
    }

    /// Takes `key`'s id for a score about to be stored (and then
    /// [`push`](Self::push)ed, in the same order); whether it was new.
    ///
    /// # Errors
    /// Past 2^32 ids in one import.
    pub(crate) fn take(&mut self, key: TakenKey) -> Result<bool, ImportError> {
        self.taken.insert(key)
    }

    /// Forgets the table of taken ids (the list stays): no more are taken.
    pub(crate) fn done_taking(&mut self) {
        self.taken.index = hashbrown::HashTable::new();
    }

    /// Keeps what the post-import steps need of `doc`, a stored score whose id
    /// was the next one [`take`](Self::take)n.
    pub(crate) fn push(&mut self, doc: ScoreDocument) {
        let index = self.pushed;
        self.pushed += 1;
        debug_assert!(
            self.taken
                .ids
                .get(index)
                .is_some_and(|id| id == doc.score_id),
            "scores are pushed in the order their ids were taken"
        );
        let Some(gpt) = doc.gpt() else { return };
        let Ok(index) = u32::try_from(index) else {
            return;
        };
        if !self.gpts.contains(&gpt) {
            self.gpts.push(gpt);
        }
        let entry = SessionScore::of(gpt, &doc, index);
        match self.sessions.last_mut() {
            Some(chunk) if chunk.len() < SESSION_CHUNK => chunk.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(SESSION_CHUNK);
                chunk.push(entry);
                self.sessions.push(chunk);
            }
        }
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

    /// The session entries, in storing order.
    pub(crate) fn sessions(&self) -> impl Iterator<Item = &SessionScore> {
        self.sessions.iter().flatten()
    }

    /// The scoreIDs of the scores pushed, in storing order.
    pub(crate) fn ids(&self) -> &ScoreIds {
        &self.taken.ids
    }

    /// How many scores were pushed.
    pub(crate) fn len(&self) -> usize {
        self.pushed
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pushed == 0
    }

    /// The new scores' ids, in the order they were stored; the session
    /// entries (which point into them) are freed.
    pub(crate) fn take_ids(&mut self) -> ScoreIds {
        self.sessions = Vec::new();
        self.done_taking();
        let ids = std::mem::take(&mut self.taken.ids);
        debug_assert_eq!(ids.len(), self.pushed, "every id taken was stored");
        ids
    }
}

/// Drops `value` on a short-lived thread of its own, so the caller goes on
/// while its memory is freed. (Should no thread start, the closure holding
/// it is dropped by `spawn`, here.)
pub(crate) fn drop_behind<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("kaiden-drop".into())
        .spawn(move || drop(value));
}

/// What the score-importing step produced.
#[derive(Default)]
pub(crate) struct Imported {
    pub(crate) errors: Vec<ImportErrorEntry>,
    /// What the post-import steps need of the new scores.
    pub(crate) new_scores: NewScores,
    pub(crate) charts: FastMap<String, Arc<ChartDocument>>,
    pub(crate) records: u64,
    /// Charts this import created from play.
    pub(crate) created_charts: Vec<crate::chart_queue::CreatedChart>,
    /// ms in: parse+convert, resolve, orphans+scoreIDs, dedupe, hydrate+validate, store.
    pub(crate) step_ms: [f64; 6],
}

/// Names of [`Imported::step_ms`] in the timings.
pub(crate) const IMPORT_SUBSTEPS: [&str; 6] = [
    "import.convert",
    "import.resolve",
    "import.prepare",
    "import.dedupe",
    "import.hydrate",
    "import.store",
];

pub(crate) fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Keeps an orphan and reports the failure entry it gives.
pub(crate) async fn store_orphan<T: ImportTransaction>(
    tx: &mut T,
    orphan: OrphanDocument,
    failure: &ConverterFailure,
) -> Result<Option<ImportErrorEntry>, ImportError> {
    let existed = tx.insert_orphan(&orphan).await? == OrphanInsert::Existed;
    Ok(failure.to_error_entry(existed))
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn import_scores<T: ImportTransaction>(
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
    // Ids are looked up among the import's own (taken) by keys made on any
    // thread.
    let keyer = out.new_scores.keyer();
    let mut batch: Vec<Converted> = Vec::with_capacity(BATCH_SIZE);
    let mut next: Vec<Converted> = Vec::with_capacity(BATCH_SIZE);
    // A batch's records pass through these in turn; they are kept from batch
    // to batch (records are large: fresh buffers each batch were fresh memory
    // to fault in and zero, a few per cent of an import).
    let mut slots: Vec<Slot> = Vec::with_capacity(BATCH_SIZE);
    let mut prepared: Vec<Result<Prepared, Option<ImportErrorEntry>>> =
        Vec::with_capacity(BATCH_SIZE);
    // A score to hydrate travels with its id's key, made once for both lookups.
    let mut kept: Vec<Result<(Prepared, TakenKey), Option<ImportErrorEntry>>> =
        Vec::with_capacity(BATCH_SIZE);
    type Finished = Result<
        (
            Result<ScoreDocument, ConverterFailure>,
            Arc<ChartDocument>,
            TakenKey,
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
            let (pending, failure) = match conv.outcome.map(|p| {
                let settled = settle(&p, res);
                (p, settled)
            }) {
                // A converter may find the record names no chart at all (an
                // identifier no chart can have): an orphan too, as in Tachi.
                Err(f) => (None, f),
                Ok((p, Ok((chart, song)))) => {
                    slots.push(Slot::Found(p, chart, song));
                    continue;
                }
                Ok((p, Err(f))) => (Some(p), f),
            };
            // A chart the record describes may be queued, and created once
            // enough players have sent it.
            let created = match (&failure, source.proposed_chart(i)) {
                (ConverterFailure::SongOrChartNotFound(_), Some(proposal)) if pending.is_some() => {
                    crate::chart_queue::propose(tx, proposal, user).await?
                }
                _ => None,
            };
            if let (Some(p), Some(c)) = (pending, created) {
                slots.push(Slot::Found(p, Arc::clone(&c.chart), Arc::clone(&c.song)));
                out.created_charts.push(c);
                continue;
            }
            let slot = if let ConverterFailure::SongOrChartNotFound(msg) = &failure {
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
            };
            slots.push(slot);
        }
        par::map_into(&mut slots, &mut prepared, |slot| match slot {
            Slot::Done(r) => r,
            Slot::Found(p, chart, song) => {
                prepare(format, user, *p, chart, song).map_err(|f| f.to_error_entry(false))
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
        // A resent score asking for its stored twin to be highlighted (Tachi
        // does this in the fervidex converter, before dedupe drops the twin).
        let marked: Vec<String> = prepared
            .iter()
            .filter_map(|s| s.as_ref().ok())
            .filter(|p| p.highlight && existing.contains(&p.score_id))
            .map(|p| p.score_id.clone())
            .collect();
        if !marked.is_empty() {
            tx.highlight_scores(&marked).await?;
        }
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
            let slot = match slot {
                Ok(p) => {
                    if blacklist.contains(&p.score_id) || existing.contains(&p.score_id) {
                        continue;
                    }
                    let key = keyer.key(&p.score_id);
                    if out.new_scores.is_taken(&key) {
                        continue;
                    }
                    Ok((p, key))
                }
                Err(e) => Err(e),
            };
            kept.push(slot);
        }
        par::map_into(&mut kept, &mut finished, |slot| {
            slot.map(|(p, key)| {
                let chart = Arc::clone(&p.chart);
                (finish(p, user, now), chart, key)
            })
        });
        docs.clear();
        for slot in finished.drain(..) {
            match slot {
                Err(entry) => out.errors.extend(entry),
                // The first valid score of a scoreID is taken; a later one is
                // a duplicate, and one failing after it was never validated
                // in Tachi (skipped as a duplicate first).
                Ok((Ok(doc), chart, key)) => {
                    if !out.new_scores.take(key)? {
                        continue;
                    }
                    if !out.charts.contains_key(&doc.chart_id) {
                        out.charts.insert(doc.chart_id.clone(), chart);
                    }
                    docs.push(doc);
                }
                Ok((Err(f), _, key)) => {
                    if !out.new_scores.is_taken(&key) {
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
    out.new_scores.done_taking();
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kaiden_games::profile::Ratings as _;

    #[test]
    fn every_game_fits_its_session_ratings_inline() {
        for gpt in Gpt::ALL {
            let n = session_sources(gpt).count();
            assert!(n <= MAX_SESSION_RATINGS, "{gpt:?} has {n} session ratings");
        }
    }

    #[test]
    fn compact_ids_render_back_to_the_same_text() {
        for letter in ['T', 'R'] {
            let digest = format!("{letter}{}", "0123456789abcdef".repeat(4));
            let id = CompactId::new(&digest);
            assert!(matches!(id, CompactId::Digest(_)));
            assert_eq!(id.as_id_str(), digest);
        }
        // Upper-case hex, other lengths and other text are kept as text.
        for other in [
            format!("R{}", "0123456789ABCDEF".repeat(4)),
            format!("R{}", "0".repeat(63)),
            format!("R{}g", "0".repeat(63)),
            "Rshort".to_owned(),
            String::new(),
            format!("é{}", "0".repeat(63)),
            format!("1{}", "0".repeat(64)),
        ] {
            let id = CompactId::new(&other);
            assert!(matches!(id, CompactId::Text(_)), "{other}");
            assert_eq!(id.as_id_str(), other);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_id_round_trips(s in "[A-Za-z]?[0-9a-fA-F]{0,66}|\\PC{0,70}") {
            proptest::prop_assert_eq!(String::from(CompactId::new(&s).as_id_str()), s);
        }
    }

    fn doc_of(gpt: Gpt, id: &str, time: Option<i64>, chart: &str) -> ScoreDocument {
        serde_json::from_value(serde_json::json!({
            "scoreID": id, "userID": 1, "game": gpt.game(), "playtype": gpt.playtype(),
            "chartID": chart, "songID": 1, "service": "x", "importType": "file/batch-manual",
            "timeAdded": 1, "timeAchieved": time, "comment": null, "highlight": false,
            "isPrimary": true, "scoreData": {}, "scoreMeta": {}, "calculatedData": {}
        }))
        .unwrap()
    }

    #[test]
    fn a_session_entry_holds_the_ratings_its_game_aggregates() {
        let gpt = Gpt::ALL
            .into_iter()
            .find(|g| session_sources(*g).count() == 3)
            .expect("a game with three session ratings");
        let sources: Vec<&str> = session_sources(gpt).collect();
        let mut doc = doc_of(gpt, &format!("R{}", "ab".repeat(32)), Some(5), "c");
        doc.calculated_data.insert(sources[0].into(), Some(1.5));
        doc.calculated_data.insert(sources[2].into(), Some(-2.0));
        doc.calculated_data.insert(sources[1].into(), None);
        doc.calculated_data
            .insert("notASessionRating".into(), Some(9.0));
        let e = SessionScore::of(gpt, &doc, 0);
        assert_eq!(e.time_achieved(), Some(5));
        doc.time_achieved = Some(0);
        assert_eq!(SessionScore::of(gpt, &doc, 0).time_achieved(), Some(0));
        doc.time_achieved = None;
        assert_eq!(SessionScore::of(gpt, &doc, 0).time_achieved(), None);
        assert_eq!(e.rating(sources[0]), Some(1.5));
        assert_eq!(e.rating(sources[1]), None);
        assert_eq!(e.rating(sources[2]), Some(-2.0));
        assert_eq!(e.rating("notASessionRating"), None);
        // A session entry is 40 bytes: a position, not an id of its own.
        assert!(std::mem::size_of::<SessionScore>() <= 40);
    }

    #[test]
    fn new_scores_keep_storing_order_across_chunks() {
        let mut n = NewScores::default();
        let keyer = n.keyer();
        let ids: Vec<String> = (0..SESSION_CHUNK * 2 + 3)
            .map(|i| format!("T{:064x}", i))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert!(n.take(keyer.key(id)).unwrap());
            n.push(doc_of(
                Gpt::IidxSp,
                id,
                Some(i as i64),
                &format!("c{}", i % 7),
            ));
        }
        assert_eq!(n.len(), ids.len());
        assert_eq!(n.sessions().count(), ids.len());
        // Each entry reads its own id back from the list.
        for (i, e) in n.sessions().enumerate() {
            let mut one = ScoreIds::new();
            e.push_id_to(n.ids(), &mut one);
            assert_eq!(one, vec![ids[i].clone()]);
            assert_eq!(e.time_achieved(), Some(i as i64));
        }
        let taken = n.take_ids();
        assert!(taken.is_compact());
        assert_eq!(taken, ids);
        assert_eq!(n.sessions().count(), 0, "entries freed with the list");
    }

    #[test]
    fn taken_ids_tell_digests_prefixes_and_text_apart() {
        let hex = "0123456789abcdef".repeat(4);
        let mut n = NewScores::default();
        let k = n.keyer();
        let (r, t) = (format!("R{hex}"), format!("T{hex}"));
        assert!(!n.is_taken(&k.key(&r)));
        assert!(n.take(k.key(&r)).unwrap());
        assert!(!n.take(k.key(&r)).unwrap(), "taken once");
        assert!(n.is_taken(&k.key(&r)));
        assert!(
            !n.is_taken(&k.key(&t)),
            "the same digest under another prefix"
        );
        assert!(n.take(k.key(&t)).unwrap());
        assert!(n.ids().is_compact());
        // Ids differing in their last digit are told apart.
        let near = |c: char| format!("T{}{c}", &hex[..63]);
        assert!(n.take(k.key(&near('0'))).unwrap());
        assert!(n.take(k.key(&near('1'))).unwrap());
        // Any other text: taken as text, compared exactly (upper case is not
        // the lowercase digest).
        let odd = [t.to_uppercase(), "Rnot-a-digest".to_owned(), String::new()];
        for o in &odd {
            assert!(!n.is_taken(&k.key(o)), "{o:?}");
            assert!(n.take(k.key(o)).unwrap(), "{o:?}");
        }
        assert!(!n.ids().is_compact());
        // The list turned to text: digest ids are still found, and ids taken
        // after it (through the table's growth, which rehashes text) too.
        let more: Vec<String> = (0..3000).map(|i| format!("T{i:064x}")).collect();
        for id in &more {
            assert!(n.take(k.key(id)).unwrap());
        }
        for id in more.iter().chain([&r, &t]).chain(&odd) {
            assert!(n.is_taken(&k.key(id)), "{id}");
            assert!(!n.take(k.key(id)).unwrap(), "{id}");
        }
        assert!(!n.is_taken(&k.key(&format!("T{:064x}", 3000))));
        assert_eq!(n.ids().len(), 4 + odd.len() + more.len());
        assert_eq!(n.ids().get(0).unwrap(), r);
        assert_eq!(n.ids().get(4).unwrap(), odd[0]);
    }

    proptest::proptest! {
        /// The ids taken are the distinct ids offered, in first-offered order,
        /// and every id offered is found taken after.
        #[test]
        fn taking_keeps_each_distinct_id_once_in_order(
            picks in proptest::collection::vec((0u8..40, proptest::bool::ANY), 0..200)
        ) {
            let mut n = NewScores::default();
            let k = n.keyer();
            let id = |p: u8, text: bool| if text { format!("x{p}") } else { format!("T{p:064x}") };
            let mut want: Vec<String> = Vec::new();
            for (p, text) in &picks {
                let s = id(*p, *text);
                let new = n.take(k.key(&s)).unwrap();
                proptest::prop_assert_eq!(new, !want.contains(&s));
                if new {
                    want.push(s);
                }
            }
            for (p, text) in &picks {
                proptest::prop_assert!(n.is_taken(&k.key(&id(*p, *text))));
            }
            proptest::prop_assert_eq!(n.ids(), &want);
        }
    }
}
