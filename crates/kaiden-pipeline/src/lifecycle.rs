//! After an import: deleting scores and reverting an import (Tachi's
//! `DeleteMultipleScores` and `RevertImport`). Each runs in one transaction
//! under the user's import lock, like an import: the scores go (blacklisted
//! when asked, so a re-import does not bring them back), sessions lose them
//! (and go when left empty, their ratings and times recomputed otherwise),
//! PBs of the touched charts are rebuilt from the scores left (or removed,
//! and every other player's ranking on the chart moves up), profile ratings
//! and classes, goals and quests are recalculated.

use super::*;
use kaiden_core::host::LifecycleStore as _;

/// What deleting scores (or reverting an import) changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeleteReport {
    /// The scores deleted.
    #[serde(rename = "deletedScoreIDs")]
    pub deleted: Vec<String>,
    /// Ids asked for that are not the user's stored scores.
    #[serde(rename = "notFound")]
    pub not_found: Vec<String>,
    /// Whether the deleted scores were blacklisted.
    pub blacklisted: bool,
    /// Sessions that lost scores and remain.
    #[serde(rename = "changedSessions")]
    pub sessions_changed: Vec<String>,
    /// Sessions removed (every score of theirs deleted).
    #[serde(rename = "removedSessions")]
    pub sessions_removed: Vec<String>,
    /// Charts whose PB was rebuilt from the scores left.
    #[serde(rename = "rebuiltPBs")]
    pub pbs_rebuilt: Vec<String>,
    /// Charts whose PB was removed (no score left on them).
    #[serde(rename = "removedPBs")]
    pub pbs_removed: Vec<String>,
    /// ImportDocuments the deleted scores were taken out of (deleted when
    /// none of their scores was left), as Tachi does.
    #[serde(rename = "changedImports")]
    pub imports_changed: Vec<String>,
    /// The import reverted, for a revert.
    #[serde(rename = "revertedImportID", skip_serializing_if = "Option::is_none")]
    pub reverted_import: Option<String>,
}

/// Why a revert was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RevertError {
    /// No stored import has the id.
    #[error("This import does not exist.")]
    NoSuchImport,
    /// The import is another user's.
    #[error("This import is not yours to revert.")]
    NotYours,
    /// The revert itself failed (a held lock, the store); nothing changed.
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl RevertError {
    /// The HTTP status Tachi's API answers it with.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            RevertError::NoSuchImport => 404,
            RevertError::NotYours => 403,
            RevertError::Import(e) => e.http_status(),
        }
    }
}

/// Deletes `user`'s scores with these ids (ids that are not the user's
/// stored scores are reported, not an error), blacklisting them when asked.
///
/// # Errors
/// A held lock (another import of the user runs) or the store's error;
/// then nothing changed.
pub async fn delete_scores<H: Host>(
    host: &H,
    user: UserId,
    score_ids: &[String],
    blacklist: bool,
) -> Result<DeleteReport, ImportError> {
    let mut tx = host.begin_import(user).await?;
    match delete_in(&mut tx, user, score_ids, blacklist).await {
        Ok(report) => {
            tx.commit().await?;
            Ok(report)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// Reverts `user`'s import `import_id`: deletes exactly the scores it stored
/// (older scores on the same charts stay, and PBs are rebuilt from them),
/// the changes above with them, and its ImportDocument (as Tachi does).
///
/// # Errors
/// [`RevertError::NoSuchImport`], [`RevertError::NotYours`], or the
/// import-level error of the deletion; then nothing changed.
pub async fn revert_import<H: Host>(
    host: &H,
    user: UserId,
    import_id: &str,
) -> Result<DeleteReport, RevertError> {
    let doc = host
        .import_document(import_id)
        .await
        .map_err(ImportError::from)?
        .ok_or(RevertError::NoSuchImport)?;
    if doc.user_id != user {
        return Err(RevertError::NotYours);
    }
    let mut tx = host.begin_import(user).await.map_err(ImportError::from)?;
    let result = async {
        let mut report = delete_in(&mut tx, user, &doc.score_ids.to_vec(), false).await?;
        tx.delete_import(import_id).await?;
        report.reverted_import = Some(import_id.to_owned());
        Ok::<_, ImportError>(report)
    }
    .await;
    match result {
        Ok(report) => {
            tx.commit().await.map_err(ImportError::from)?;
            Ok(report)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e.into())
        }
    }
}

async fn delete_in<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    score_ids: &[String],
    blacklist: bool,
) -> Result<DeleteReport, ImportError> {
    let now = now_ms();
    let mut asked: Vec<String> = score_ids.to_vec();
    asked.sort_unstable();
    asked.dedup();
    let deleted = tx.delete_scores(user, &asked, blacklist).await?;
    let gone: HashSet<&str> = deleted.iter().map(|d| d.score_id.as_str()).collect();
    let mut report = DeleteReport {
        deleted: deleted.iter().map(|d| d.score_id.clone()).collect(),
        not_found: asked
            .iter()
            .filter(|i| !gone.contains(i.as_str()))
            .cloned()
            .collect(),
        blacklisted: blacklist,
        ..DeleteReport::default()
    };
    if deleted.is_empty() {
        return Ok(report);
    }
    report.imports_changed = tx.pull_from_imports(user, &report.deleted).await?;

    // Sessions: the deleted scores leave them; an empty one goes.
    for mut s in tx.sessions_with_scores(user, &report.deleted).await? {
        s.score_ids.retain(|i| !gone.contains(i));
        if s.score_ids.is_empty() {
            tx.delete_session(&s.session_id).await?;
            report.sessions_removed.push(s.session_id);
            continue;
        }
        recompute_session(tx, &mut s).await?;
        report.sessions_changed.push(s.session_id);
    }

    // PBs, per GPT: rebuilt from what is left, or removed; rankings moved.
    let mut charts_of: BTreeMap<Gpt, Vec<String>> = BTreeMap::new();
    for d in &deleted {
        if let Some(gpt) = d.gpt() {
            charts_of.entry(gpt).or_default().push(d.chart_id.clone());
        }
    }
    for (gpt, charts) in &mut charts_of {
        charts.sort_unstable();
        charts.dedup();
        let (rebuilt, removed) = rebuild_pbs(tx, user, *gpt, charts).await?;
        report.pbs_rebuilt.extend(rebuilt);
        report.pbs_removed.extend(removed);
    }

    restat(tx, user, charts_of, now).await?;
    Ok(report)
}

/// A session's ratings and times from the scores it holds now (stored).
async fn recompute_session<T: ImportTransaction>(
    tx: &mut T,
    s: &mut kaiden_core::documents::SessionDocument,
) -> Result<(), ImportError> {
    let Some(gpt) = s.game.with_playtype(s.playtype) else {
        return Ok(());
    };
    let left = tx.scores_by_id(&s.score_ids.to_vec()).await?;
    s.calculated_data = aggregate::session_calculated_data(
        gpt,
        left.iter()
            .map(|o| &o.calculated_data as &dyn aggregate::Ratings),
    );
    let times = left.iter().filter_map(|o| o.time_achieved);
    if let (Some(start), Some(end)) = (times.clone().min(), times.max()) {
        s.time_started = start;
        s.time_ended = end;
    }
    tx.upsert_session(s).await?;
    Ok(())
}

/// Rebuilds `user`'s PBs on `charts` (sorted, of one GPT) from the scores
/// stored now, removes those with no score left, and ranks every player on
/// them again. Returns the charts rebuilt and removed. A chart the seeds no
/// longer hold keeps its PB as it was.
async fn rebuild_pbs<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    gpt: Gpt,
    charts: &[String],
) -> Result<(Vec<String>, Vec<String>), ImportError> {
    let (mut rebuilt_ids, mut removed_ids) = (Vec::new(), Vec::new());
    let docs: HashMap<String, Arc<ChartDocument>> = tx
        .charts_by_id(gpt.game(), charts)
        .await?
        .into_iter()
        .map(|c| (c.chart_id.clone(), c))
        .collect();
    for chunk in charts.chunks(500) {
        let left = tx.current_scores_on_charts(user, chunk).await?;
        let mut by_chart: HashMap<&str, Vec<&ScoreDocument>> = HashMap::new();
        for s in &left {
            by_chart.entry(s.chart_id.as_str()).or_default().push(s);
        }
        let mut rebuilt = Vec::new();
        let mut removed = Vec::new();
        for id in chunk {
            match (by_chart.get(id.as_str()), docs.get(id)) {
                (None, _) => removed.push(id.clone()),
                (Some(scores), Some(chart)) => {
                    if let Some(pb) = pb::build_pb(gpt, user, chart, scores)
                        .map_err(|e| ImportError::internal(format!("PB of chart {id}: {e}")))?
                    {
                        rebuilt.push(pb);
                    }
                    rebuilt_ids.push(id.clone());
                }
                (Some(_), None) => {}
            }
        }
        tx.delete_pbs(user, &removed).await?;
        removed_ids.extend(removed);
        rank_and_write(tx, user, gpt, chunk, rebuilt).await?;
    }
    Ok((rebuilt_ids, removed_ids))
}

/// Profile ratings and classes, goals and quests, per game, after the PBs
/// on `charts_of` changed.
async fn restat<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    charts_of: BTreeMap<Gpt, Vec<String>>,
    now: i64,
) -> Result<(), ImportError> {
    let mut games: BTreeMap<Game, (Vec<Gpt>, Vec<String>)> = BTreeMap::new();
    for (gpt, charts) in charts_of {
        let e = games.entry(gpt.game()).or_default();
        e.0.push(gpt);
        e.1.extend(charts);
    }
    for (game, (gpts, mut charts)) in games {
        update_game_stats(tx, user, game, &gpts, None).await?;
        charts.sort_unstable();
        let goals = goals::process_goals(tx, user, game, &charts, now).await?;
        let changed: Vec<String> = goals.iter().map(|(g, _)| g.goal_id.clone()).collect();
        goals::process_quests(tx, user, game, &gpts, &changed, now).await?;
    }
    Ok(())
}

/// What recalculating a user's scores after a seeds load changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecalcReport {
    /// Scores whose calculated data or `isPrimary` changed.
    #[serde(rename = "updatedScoreIDs")]
    pub scores_updated: Vec<String>,
    /// Sessions holding those, their ratings recomputed.
    #[serde(rename = "changedSessions")]
    pub sessions_changed: Vec<String>,
    /// Charts whose PB was rebuilt.
    #[serde(rename = "rebuiltPBs")]
    pub pbs_rebuilt: Vec<String>,
}

/// After a seeds load changed charts (`SeedReport::changed_charts`, by
/// game): `user`'s scores on them get their calculated data from the chart
/// as it is now and its `isPrimary` (Tachi's `RecalcAllScores` and
/// `UpdateIsPrimaryStatus`, which only ever sets it false), the sessions
/// holding the scores that changed their ratings, the PBs on those charts
/// are rebuilt with every player's ranking, and the user's profile ratings,
/// classes, goals and quests follow. One transaction under the user's lock.
/// A score whose chart the seeds no longer hold, or whose ratings its chart
/// now refuses, is left as it is.
///
/// # Errors
/// A held lock (an import of the user runs) or the store's error; then
/// nothing changed.
pub async fn recalculate_charts<H: Host>(
    host: &H,
    user: UserId,
    changed: &BTreeMap<Game, Vec<String>>,
) -> Result<RecalcReport, ImportError> {
    let mut tx = host.begin_import(user).await?;
    match recalc_in(&mut tx, user, changed).await {
        Ok(report) => {
            tx.commit().await?;
            Ok(report)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn recalc_in<T: ImportTransaction>(
    tx: &mut T,
    user: UserId,
    changed: &BTreeMap<Game, Vec<String>>,
) -> Result<RecalcReport, ImportError> {
    let now = now_ms();
    let mut report = RecalcReport::default();
    let mut charts_of: BTreeMap<Gpt, Vec<String>> = BTreeMap::new();
    for (game, charts) in changed {
        for chunk in charts.chunks(500) {
            let docs: HashMap<String, Arc<ChartDocument>> = tx
                .charts_by_id(*game, chunk)
                .await?
                .into_iter()
                .map(|c| (c.chart_id.clone(), c))
                .collect();
            let mut updated: Vec<ScoreDocument> = Vec::new();
            for mut s in tx.current_scores_on_charts(user, chunk).await? {
                let (Some(gpt), Some(chart)) = (s.gpt(), docs.get(&s.chart_id)) else {
                    continue;
                };
                charts_of.entry(gpt).or_default().push(s.chart_id.clone());
                let Ok(calculated) =
                    kaiden_games::gpt_impl::score_ratings(gpt, &s.score_data, chart)
                else {
                    continue;
                };
                if calculated != s.calculated_data || s.is_primary != chart.is_primary {
                    s.calculated_data = calculated;
                    s.is_primary = chart.is_primary;
                    updated.push(s);
                }
            }
            tx.update_scores(&updated).await?;
            report
                .scores_updated
                .extend(updated.into_iter().map(|s| s.score_id));
        }
    }
    if charts_of.is_empty() {
        return Ok(report);
    }
    for mut s in tx
        .sessions_with_scores(user, &report.scores_updated)
        .await?
    {
        recompute_session(tx, &mut s).await?;
        report.sessions_changed.push(s.session_id);
    }
    for (gpt, charts) in &mut charts_of {
        charts.sort_unstable();
        charts.dedup();
        let (rebuilt, _) = rebuild_pbs(tx, user, *gpt, charts).await?;
        report.pbs_rebuilt.extend(rebuilt);
    }
    restat(tx, user, charts_of, now).await?;
    Ok(report)
}
