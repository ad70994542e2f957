//! Tachi's post-import steps, each timed by name: sessions, PBs and
//! rankings, profile ratings and classes (`ugs`), goals, quests.

use super::*;

/// What the steps after score storage produced.
#[derive(Default)]
pub(crate) struct PostImport {
    pub(crate) sessions: Vec<kaiden_core::documents::SessionInfo>,
    pub(crate) class_deltas: Vec<kaiden_core::documents::ClassDelta>,
    pub(crate) goal_info: Vec<kaiden_core::documents::GoalImportInfo>,
    pub(crate) quest_info: Vec<kaiden_core::documents::QuestImportInfo>,
    /// The GPT of each goal and quest above (for events).
    pub(crate) goal_gpts: Vec<Gpt>,
    pub(crate) quest_gpts: Vec<Gpt>,
}

pub(crate) fn time_step(
    timings: &mut BTreeMap<String, f64>,
    name: &str,
    since: Instant,
) -> Instant {
    timings.insert(name.to_owned(), since.elapsed().as_secs_f64() * 1000.0);
    Instant::now()
}

/// Tachi's `HandlePostImportSteps`: sessions, PBs, stats, goals, quests.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn post_import<T: ImportTransaction>(
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
        let of_gpt = scores.sessions().filter(|s| s.gpt == gpt);
        out.sessions
            .extend(sessions::process_sessions(tx, user, gpt, of_gpt, scores.ids(), now).await?);
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
            rank_and_write(tx, user, gpt, chunk, pbs).await?;
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
    out.class_deltas = update_game_stats(tx, user, game, &stat_gpts, provided).await?;
    t = time_step(timings, "ugs", t);

    report(Step::Goals);
    let mut chart_ids: Vec<String> = charts.keys().cloned().collect();
    chart_ids.sort_unstable();
    (out.goal_info, out.goal_gpts) = goals::process_goals(tx, user, game, &chart_ids, now)
        .await?
        .into_iter()
        .unzip();
    t = time_step(timings, "goal", t);

    report(Step::Quests);
    let changed: Vec<String> = out.goal_info.iter().map(|g| g.goal_id.clone()).collect();
    (out.quest_info, out.quest_gpts) = goals::process_quests(tx, user, game, &gpts, &changed, now)
        .await?
        .into_iter()
        .unzip();
    time_step(timings, "quest", t);
    Ok(out)
}

/// Tachi's `UpdateUsersGamePlaytypeStats` for each of `gpts`: profile ratings
/// from the user's PBs, classes (derived, and `provided` ones), the stored
/// stats; the class deltas.
pub(crate) async fn update_game_stats<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    game: Game,
    gpts: &[Gpt],
    provided: Option<&[ProvidedClass]>,
) -> Result<Vec<kaiden_core::documents::ClassDelta>, ImportError> {
    let mut all = Vec::new();
    for &gpt in gpts {
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
        all.extend(deltas);
    }
    Ok(all)
}

/// Ranks every user's PB on `chunk` (the charts), the user's being `pbs`
/// (rebuilt; the user's stored PBs on them are replaced or, where `pbs` has
/// none, left out), and writes the user's PBs and every other PB whose
/// ranking moved.
pub(crate) async fn rank_and_write<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    gpt: Gpt,
    chunk: &[String],
    pbs: Vec<PbDocument>,
) -> Result<(), ImportError> {
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
            let moved = before.get(&(p.user_id, p.chart_id.clone())) != Some(&p.ranking_data);
            if p.user_id == user || moved {
                write.push(p.clone());
            }
        }
    }
    tx.upsert_pbs(&write).await?;
    Ok(())
}
