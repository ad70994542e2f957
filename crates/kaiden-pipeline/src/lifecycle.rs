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
        let mut report = delete_in(&mut tx, user, &doc.score_ids, false).await?;
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
        s.score_ids.retain(|i| !gone.contains(i.as_str()));
        if s.score_ids.is_empty() {
            tx.delete_session(&s.session_id).await?;
            report.sessions_removed.push(s.session_id);
            continue;
        }
        let Some(gpt) = s.game.with_playtype(s.playtype) else {
            continue;
        };
        let left = tx.scores_by_id(&s.score_ids).await?;
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
        tx.upsert_session(&s).await?;
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
        let gpt = *gpt;
        charts.sort_unstable();
        charts.dedup();
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
                        report.pbs_rebuilt.push(id.clone());
                    }
                    // Scores left on a chart the seeds no longer hold: its
                    // PB stays as it was.
                    (Some(_), None) => {}
                }
            }
            tx.delete_pbs(user, &removed).await?;
            report.pbs_removed.extend(removed);
            rank_and_write(tx, user, gpt, chunk, rebuilt).await?;
        }
    }

    // Profile ratings and classes, goals and quests, per game.
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
    Ok(report)
}
