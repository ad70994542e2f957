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
//!
//! One module per step: `registry` (parse and convert, batch by batch),
//! `prepare` (resolve charts, chart checks, scoreID, hydrate, validate),
//! `store` (dedupe, store, orphans), `post` (the post-import steps, each timed
//! by name) over [`sessions`], [`pb`], [`stats`] and [`aggregate`] (profile
//! ratings and classes) and `goals`; `orphans` and `check` reuse them.
#![deny(missing_docs)]

mod chart_queue;
mod check;
mod classes;
pub mod events;
mod goals;
pub mod ids;
pub mod lifecycle;
pub mod limits;
mod orphans;
pub mod pb;
mod post;
mod prepare;
pub mod progress;
pub mod registry;
pub mod sessions;
pub mod stats;
mod store;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use kaiden_core::documents::{ChartDocument, ImportTimings, PbDocument, RankingData, SongDocument};
use kaiden_core::error::{ImportError, Position};
use kaiden_core::failure::ImportErrorEntry;
use kaiden_core::format::{ImportInput, PendingScore, ProvidedClass};
use kaiden_core::host::{ChartLookup, Host, ImportTransaction, OrphanDocument, OrphanInsert};
use kaiden_core::query::{ChartKey, ChartQuery, ChartResolution};
use kaiden_core::score::{DryScore, UserId};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportDocument, ImportType, ScoreDocument};
use kaiden_games::gpt_impl::{hydrate_score_data_owned, validate_score};
use kaiden_par as par;
use kaiden_score_id::orphan_id;
use kaiden_score_id::score_id;
use serde::Serialize;

pub use chart_queue::CreatedChart;
pub use check::{CheckOutcome, CheckReport, check, check_each};
pub use classes::update_class_if_greater;
pub use events::{ImportEvent, ImportObserver, NoObserver};
/// Session and profile ratings (moved to `kaiden-games`; kept here by name).
pub use kaiden_games::profile as aggregate;
pub use lifecycle::{
    DeleteReport, RecalcReport, RevertError, delete_scores, recalculate_charts, revert_import,
};
pub use orphans::{OrphanReport, reprocess_orphans, reprocess_orphans_observed};
use post::*;
use prepare::*;
pub use progress::{ImportProgress, NoProgress, Progress, Step};
pub use registry::{Converted, DynFormat, RecordSource, Registry};
use store::*;

/// A hash map for the pipeline's own bookkeeping (scoreIDs, chartIDs, chart
/// queries): foldhash, seeded per process, instead of SipHash, which was a
/// few per cent of an import.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The largest input read whole into memory, for a format that cannot read a
/// stream as it goes (1 GiB).
pub const WHOLE_INPUT_LIMIT: u64 = 1 << 30;

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
/// Runs one import against `host`: takes the user's lock, imports every record,
/// runs the post-import steps and stores the ImportDocument, all in one
/// transaction. Any fatal error rolls everything back.
pub async fn import<H: Host>(
    host: &H,
    registry: &Registry,
    request: ImportRequest<'_>,
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    import_observed(host, registry, request, progress, &NoObserver).await
}

/// [`import`], handing the import's events ([`ImportEvent`]: class updates,
/// goals and quests achieved, the import finished) to `observer` once the
/// transaction has committed; an import that fails or rolls back gives none.
pub async fn import_observed<H: Host>(
    host: &H,
    registry: &Registry,
    request: ImportRequest<'_>,
    progress: &dyn Progress,
    observer: &dyn ImportObserver,
) -> Result<ImportDocument, ImportError> {
    let format = Arc::clone(registry.require(request.import_type)?);
    let import_id = match request.import_id.clone() {
        Some(id) => id,
        None => ids::new_import_id()?,
    };
    let mut tx = host.begin_import(request.user).await?;
    match run_import(&mut tx, &*format, &request, import_id, progress).await {
        Ok((doc, created, events)) => {
            tx.commit().await?;
            for e in &events {
                observer.observe(e);
            }
            // Charts created from play: the players who had sent scores on
            // them have those scores as orphans; import them now, each
            // player in an import of their own (one busy right now keeps
            // theirs until their next orphan re-processing).
            let mut users: Vec<UserId> = created.iter().flat_map(|c| c.users.clone()).collect();
            users.sort_unstable();
            users.dedup();
            for u in users {
                let _ =
                    orphans::reprocess_orphans_observed(host, registry, u, &NoProgress, observer)
                        .await;
            }
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
) -> Result<(ImportDocument, Vec<CreatedChart>, Vec<ImportEvent>), ImportError> {
    let started = Instant::now();
    let time_started = now_ms();
    let mut timings = BTreeMap::new();
    progress.update(&ImportProgress {
        step: Step::Parsing,
        records: 0,
        imported: 0,
        bytes: None,
        total_bytes: Some(request.input.len()),
    });
    let mut t = Instant::now();
    let whole = registry::whole_stream(
        format,
        request.import_type,
        &request.input,
        WHOLE_INPUT_LIMIT,
    )?;
    let input = registry::with_bytes(&request.input, whole.as_deref());
    let mut source = format.open(request.import_type, &input, request.user)?;
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
        request.input.len(),
    )
    .await?;
    if !imported.new_scores.is_empty() {
        tx.scores_inserted().await?;
    }
    // Classes are final once the records are exhausted.
    let classes = source.classes();
    let provided: Option<Vec<ProvidedClass>> = (!classes.is_empty()).then_some(classes);
    drop(source);
    drop(whole);
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
    let events = events::events_of(&doc, &post.goal_gpts, &post.quest_gpts);
    Ok((doc, std::mem::take(&mut imported.created_charts), events))
}
