//! The score-importing step: batches converted, resolved, prepared, deduped
//! and stored; orphans kept; what the later steps need remembered.

use super::*;

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
    pub(crate) gpts: Vec<Gpt>,
    pub(crate) sessions: Vec<SessionScore>,
    pub(crate) charts_in_order: Vec<(Gpt, String)>,
    pub(crate) candidates: FastMap<String, pb::Candidates>,
}

impl NewScores {
    pub(crate) fn push(&mut self, doc: ScoreDocument) {
        let Some(gpt) = doc.gpt() else { return };
        if !self.gpts.contains(&gpt) {
            self.gpts.push(gpt);
        }
        let ratings = kaiden_games::GptConfig::of(gpt)
            .session_rating_algs
            .iter()
            .map(|alg| match alg.aggregation {
                kaiden_games::config::Aggregation::AverageOfBestN { source, .. }
                | kaiden_games::config::Aggregation::SumOfBestN { source, .. } => source,
                kaiden_games::config::Aggregation::Custom => alg.name,
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

    pub(crate) fn len(&self) -> usize {
        self.sessions.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// The new scores' ids, in the order they were stored (every new score
    /// has its session entry; the ids are moved out, not copied).
    pub(crate) fn take_ids(&mut self) -> Vec<String> {
        std::mem::take(&mut self.sessions)
            .into_iter()
            .map(|s| s.score_id)
            .collect()
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
