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

    /// The id's text.
    #[must_use]
    pub(crate) fn to_text(&self) -> String {
        self.as_id_str().into()
    }
}

/// The most session ratings a game's configuration names (ONGEKI's three).
const MAX_SESSION_RATINGS: usize = 3;

/// A new score as the session step needs it: its id held compactly, its
/// session ratings inline (about 90 bytes a score, where a 125,000-score
/// upload is 16 MiB: 128 bytes a score).
#[derive(Debug, Clone)]
pub struct SessionScore {
    id: CompactId,
    /// Its GPT.
    pub gpt: Gpt,
    /// When it was achieved.
    time: Option<i64>,
    /// Which of `ratings` are set (the GPT's session ratings, in its
    /// configuration's order).
    present: u8,
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
    /// What the session step needs of `doc` (of `gpt`).
    #[must_use]
    pub fn of(gpt: Gpt, doc: &ScoreDocument) -> Self {
        let mut ratings = [0.0; MAX_SESSION_RATINGS];
        let mut present = 0u8;
        for (i, src) in session_sources(gpt).enumerate().take(MAX_SESSION_RATINGS) {
            if let Some(v) = doc.calculated_data.get(src).copied().flatten() {
                ratings[i] = v;
                present |= 1 << i;
            }
        }
        SessionScore {
            id: CompactId::new(&doc.score_id),
            gpt,
            time: doc.time_achieved,
            present,
            ratings,
        }
    }

    /// When it was achieved.
    #[must_use]
    pub fn time_achieved(&self) -> Option<i64> {
        self.time
    }

    /// Its scoreID.
    #[must_use]
    pub fn score_id(&self) -> String {
        self.id.to_text()
    }

    /// Appends its scoreID to `ids` (a digest as it is held).
    pub fn push_id_to(&self, ids: &mut ScoreIds) {
        match &self.id {
            CompactId::Digest(d) => ids.push_digest(d),
            CompactId::Text(t) => ids.push(t),
        }
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

/// What an import keeps of its new scores for the post-import steps: what
/// sessions need (with each score's id, in storing order), and per chart only the scores a PB could be built from
/// ([`pb::Candidates`]), so memory does not grow with every stored score.
#[derive(Debug, Default)]
pub(crate) struct NewScores {
    pub(crate) gpts: Vec<Gpt>,
    sessions: Vec<Vec<SessionScore>>,
    len: usize,
    pub(crate) charts_in_order: Vec<(Gpt, String)>,
    pub(crate) candidates: FastMap<String, pb::Candidates>,
}

impl NewScores {
    pub(crate) fn push(&mut self, doc: ScoreDocument) {
        let Some(gpt) = doc.gpt() else { return };
        if !self.gpts.contains(&gpt) {
            self.gpts.push(gpt);
        }
        let entry = SessionScore::of(gpt, &doc);
        match self.sessions.last_mut() {
            Some(chunk) if chunk.len() < SESSION_CHUNK => chunk.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(SESSION_CHUNK);
                chunk.push(entry);
                self.sessions.push(chunk);
            }
        }
        self.len += 1;
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

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The new scores' ids, in the order they were stored (every new score
    /// has its session entry), each chunk of entries freed once rendered.
    pub(crate) fn take_ids(&mut self) -> ScoreIds {
        let mut out = ScoreIds::with_capacity(self.len);
        for chunk in std::mem::take(&mut self.sessions) {
            for s in &chunk {
                s.push_id_to(&mut out);
            }
        }
        out
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
    let mut seen = crate::prepare::SeenSet::default();
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
            assert_eq!(id.to_text(), digest);
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
            assert_eq!(id.to_text(), other);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_id_round_trips(s in "[A-Za-z]?[0-9a-fA-F]{0,66}|\\PC{0,70}") {
            proptest::prop_assert_eq!(CompactId::new(&s).to_text(), s);
        }
    }

    #[test]
    fn a_session_entry_holds_the_ratings_its_game_aggregates() {
        let gpt = Gpt::ALL
            .into_iter()
            .find(|g| session_sources(*g).count() == 3)
            .expect("a game with three session ratings");
        let sources: Vec<&str> = session_sources(gpt).collect();
        let mut doc: ScoreDocument = serde_json::from_value(serde_json::json!({
            "scoreID": format!("R{}", "ab".repeat(32)),
            "userID": 1, "game": gpt.game(), "playtype": gpt.playtype(),
            "chartID": "c", "songID": 1, "service": "x", "importType": "file/batch-manual",
            "timeAdded": 1, "timeAchieved": 5, "comment": null, "highlight": false,
            "isPrimary": true, "scoreData": {}, "scoreMeta": {},
            "calculatedData": {}
        }))
        .unwrap();
        doc.calculated_data.insert(sources[0].into(), Some(1.5));
        doc.calculated_data.insert(sources[2].into(), Some(-2.0));
        doc.calculated_data.insert(sources[1].into(), None);
        doc.calculated_data
            .insert("notASessionRating".into(), Some(9.0));
        let e = SessionScore::of(gpt, &doc);
        assert_eq!(e.score_id(), doc.score_id);
        assert_eq!(e.time_achieved(), Some(5));
        doc.time_achieved = None;
        assert_eq!(SessionScore::of(gpt, &doc).time_achieved(), None);
        assert_eq!(e.rating(sources[0]), Some(1.5));
        assert_eq!(e.rating(sources[1]), None);
        assert_eq!(e.rating(sources[2]), Some(-2.0));
        assert_eq!(e.rating("notASessionRating"), None);
    }

    #[test]
    fn new_scores_keep_storing_order_across_chunks() {
        let mut n = NewScores::default();
        let ids: Vec<String> = (0..SESSION_CHUNK * 2 + 3)
            .map(|i| format!("R{:064x}", i))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            let doc: ScoreDocument = serde_json::from_value(serde_json::json!({
                "scoreID": id, "userID": 1, "game": "iidx", "playtype": "SP",
                "chartID": format!("c{}", i % 7), "songID": 1, "service": "x",
                "importType": "file/batch-manual", "timeAdded": 1, "timeAchieved": i,
                "comment": null, "highlight": false, "isPrimary": true,
                "scoreData": {}, "scoreMeta": {}, "calculatedData": {}
            }))
            .unwrap();
            n.push(doc);
        }
        assert_eq!(n.len(), ids.len());
        assert_eq!(n.sessions().count(), ids.len());
        assert_eq!(n.take_ids(), ids);
    }
}
