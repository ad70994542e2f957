//! Re-processing a user's orphans.

use super::*;

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
    reprocess_orphans_observed(host, registry, user, progress, &NoObserver).await
}

/// [`reprocess_orphans`], handing `observer` the class updates and newly
/// achieved goals and quests of the scores it imported, after the commit
/// (never for a rolled-back run; no `import-finished`: there is no import).
pub async fn reprocess_orphans_observed<H: Host>(
    host: &H,
    registry: &Registry,
    user: UserId,
    progress: &dyn Progress,
    observer: &dyn ImportObserver,
) -> Result<OrphanReport, ImportError> {
    let mut tx = host.begin_import(user).await?;
    match run_orphans(&mut tx, registry, user, progress).await {
        Ok((r, events)) => {
            tx.commit().await?;
            for e in &events {
                observer.observe(e);
            }
            Ok(r)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

pub(crate) async fn run_orphans<T: ImportTransaction>(
    tx: &mut T,
    registry: &Registry,
    user: UserId,
    progress: &dyn Progress,
) -> Result<(OrphanReport, Vec<ImportEvent>), ImportError> {
    let now = now_ms();
    let mut events = Vec::new();
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
                    settle(&pending, r.into_iter().next())
                        .map(|(chart, song)| (pending, chart, song))
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
                    // New to `seen`, so new to this game's list: taken, then
                    // pushed, in that order (a push follows its id's take).
                    if new_scores.take(new_scores.keyer().key(&doc.score_id))? {
                        new_scores.push(doc);
                    }
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
            let post = post_import(
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
            events.extend(events::achievements(
                user,
                game,
                &post.class_deltas,
                &post.goal_info,
                &post.goal_gpts,
                &post.quest_info,
                &post.quest_gpts,
            ));
        }
    }
    Ok((report, events))
}
