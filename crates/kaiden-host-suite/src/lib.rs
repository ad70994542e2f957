//! # kaiden-host-suite
//!
//! The one test suite every kaiden host must pass. It runs the pipeline
//! against a host and checks what Tachi's import promises: re-imports import
//! nothing, unknown charts become orphans and are imported once their chart
//! exists, sessions split and append, PBs merge and rank across users, classes
//! never go down, goals and quests progress, a user's second import gets 409
//! while different users' imports all complete, and a failed import leaves
//! the store as it was.
//!
//! A host joins by implementing [`TestHost`] for a small wrapper in its own
//! tests and invoking [`host_suite!`]:
//!
//! ```ignore
//! struct Mine(MyHost);
//! impl kaiden_host_suite::TestHost for Mine { /* open, host, seeds, users, ... */ }
//! kaiden_host_suite::host_suite!(Mine);
//! ```
//!
//! Every case is a plain `#[test]` of the host's test binary, named as in
//! [`cases`].
#![deny(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod cases;
pub mod golden;
pub mod service;

use std::collections::BTreeMap;
use std::path::Path;

use kaiden::core::format::ImportInput;
use kaiden::core::host::{ChartLookup, Host};
use kaiden::core::score::UserId;
use kaiden::core::{ImportDocument, ImportError, ImportType};
use kaiden::pipeline::{self, ImportRequest, NoProgress, Progress};
use kaiden_testkit::TempDir;
use serde_json::{Value, json};

/// What the suite needs of a host beyond the host traits: opening a fresh
/// store, loading seeds, users and subscriptions, and reading back what is
/// stored. Errors are text; the suite unwraps them.
pub trait TestHost: Send + Sync + Sized + 'static {
    /// The host under test.
    type Host: Host + ChartLookup;
    /// A new, empty store whose files (if any) go in `dir`.
    fn open(dir: &Path) -> Self;
    /// The host.
    fn host(&self) -> &Self::Host;
    /// Loads a folder of Tachi seed files (songs and charts replace a game's,
    /// but BMS's and PMS's are added to); what it changed.
    fn load_seeds(&self, dir: &Path) -> Result<kaiden::core::seeds::SeedReport, String>;
    /// Makes sure a user exists.
    fn ensure_user(&self, id: UserId, name: &str) -> Result<(), String>;
    /// Subscribes a user to a goal.
    fn subscribe_goal(&self, user: UserId, goal_id: &str) -> Result<(), String>;
    /// Subscribes a user to a quest and its goals.
    fn subscribe_quest(&self, user: UserId, quest_id: &str) -> Result<(), String>;
    /// A user's stored documents of one table (`scores`, `orphans`,
    /// `sessions`, `pbs`, `game_stats`, `goal_subs`, `quest_subs`, `imports`)
    /// as Tachi's JSON, in the order first stored.
    fn documents(&self, table: &str, user: UserId) -> Result<Vec<Value>, String>;
    /// Everything stored, as text in a stable order (equal dumps: equal stores).
    fn dump(&self) -> Result<Vec<String>, String>;
    /// A stored import's timings (`{abs: {step: ms}, rel: ...}`).
    fn import_timings(&self, import_id: &str) -> Result<Option<Value>, String>;
    /// Whether the host can run here: a host on a database server says why
    /// not when none is reachable, and every case then prints `SKIPPED`
    /// with the reason instead of running. Available by default.
    fn available() -> Result<(), String> {
        Ok(())
    }
}

/// Whether `H` can run here; prints `SKIPPED: {case}: {why}` when not.
#[must_use]
pub fn runs_here<H: TestHost>(case: &str) -> bool {
    match H::available() {
        Ok(()) => true,
        Err(why) => {
            eprintln!("SKIPPED: {case}: {why}");
            false
        }
    }
}

/// Runs every case of [`cases`] as a `#[test]` against the [`TestHost`] `$h`.
#[macro_export]
macro_rules! host_suite {
    ($h:ty) => {
        $crate::host_suite!(@cases $h;
            importing_the_same_file_twice_imports_nothing_the_second_time,
            duplicates_within_one_import_keep_the_first,
            an_invalid_score_does_not_shadow_a_valid_one_with_its_score_id,
            check_and_import_agree_on_every_record,
            duplicates_batches_apart_keep_the_first_while_earlier_batches_are_still_being_written,
            two_orphans_that_become_the_same_score_import_it_once,
            unknown_charts_become_orphans_and_are_imported_once_the_chart_exists,
            orphans_that_fail_for_other_reasons_are_removed,
            sessions_split_at_two_hours_and_later_imports_append,
            pbs_merge_best_score_best_lamp_and_lowest_bp,
            pb_rankings_count_every_user,
            provided_classes_yield_deltas_and_never_go_down,
            profile_ratings_are_stored_with_game_stats,
            goals_and_quests_progress_on_touched_charts_only,
            a_second_import_for_the_same_user_while_one_runs_gets_409,
            an_import_that_fails_part_way_leaves_the_database_as_it_was,
            stored_import_documents_round_trip,
            chart_level_validation_is_per_record,
            the_wacca_player_csv_yields_a_stage_up_delta_and_no_scores,
            imports_of_different_users_at_once_all_complete,
            every_thread_count_imports_the_same,
            pbs_merge_scores_stored_before_the_import_with_its_own,
            pbs_built_import_by_import_equal_the_pb_of_every_score,
            a_reported_class_is_set_only_if_higher,
            highlighting_marks_stored_scores_and_leaves_unknown_ids,
            bms_courses_load_from_the_seeds_and_are_found_by_md5sums,
            an_unknown_chart_is_created_once_three_players_sent_it,
            an_export_imports_back_to_the_same_scores,
            deleting_scores_leaves_the_store_as_if_they_were_never_imported,
            a_blacklisted_deletion_is_never_imported_again,
            reverting_an_import_removes_exactly_its_scores_and_restores_pbs_and_rankings,
            deletes_and_reverts_of_different_users_at_once_all_complete,
            a_seed_reload_that_changes_a_chart_recalculates_the_scores_on_it,
            bms_seed_reloads_keep_the_charts_created_from_play,
            recalculations_of_different_users_run_while_others_import,
            long_score_lists_read_back_whole_through_appends_deletions_and_reverts
        );
    };
    (@service $h:ty; $($case:ident),+ $(,)?) => {
        $(
            #[test]
            fn $case() {
                if $crate::runs_here::<$h>(stringify!($case)) {
                    $crate::service::$case::<$h>();
                }
            }
        )+
    };
    (@cases $h:ty; $($case:ident),+ $(,)?) => {
        $(
            #[test]
            fn $case() {
                if $crate::runs_here::<$h>(stringify!($case)) {
                    $crate::cases::$case::<$h>();
                }
            }
        )+
    };
}

/// The user the cases import as.
pub const USER: u64 = 1;
/// An hour in milliseconds.
pub const HOUR: i64 = 3_600_000;
/// 2023-11-14T22:13:20Z.
pub const T0: i64 = 1_700_000_000_000;

/// A song of the suite's seeds.
#[must_use]
pub fn song(id: i64, title: &str) -> Value {
    json!({"id": id, "title": title, "artist": "kaiden tests", "altTitles": [], "searchTerms": [],
           "data": {"genre": "TEST", "displayVersion": "27"}})
}

/// An IIDX chart of the suite's seeds.
#[must_use]
pub fn chart(id: &str, song: i64, pt: &str, diff: &str, level: &str, notes: u32) -> Value {
    json!({"chartID": id, "songID": song, "level": level, "levelNum": level.parse::<f64>().unwrap(),
           "isPrimary": true, "difficulty": diff, "playtype": pt, "versions": ["27"],
           "data": {"notecount": notes, "inGameID": 1000 + song, "kaidenAverage": null, "worldRecord": null}})
}

/// Writes a seeds folder: songs Alpha, Beta (and Gamma when `with_gamma`),
/// a level-12 folder, a single goal, a folder goal and a quest of both.
pub fn write_seeds(dir: &Path, with_gamma: bool) {
    let mut songs = vec![song(1, "Alpha"), song(2, "Beta")];
    let mut charts = vec![
        chart("alpha-spa", 1, "SP", "ANOTHER", "12", 1000),
        chart("alpha-sph", 1, "SP", "HYPER", "10", 800),
        chart("alpha-dpa", 1, "DP", "ANOTHER", "12", 1100),
        chart("beta-spa", 2, "SP", "ANOTHER", "12", 500),
    ];
    if with_gamma {
        songs.push(song(3, "Gamma"));
        charts.push(chart("gamma-spa", 3, "SP", "ANOTHER", "11", 600));
    }
    std::fs::write(
        dir.join("songs-iidx.json"),
        serde_json::to_vec(&songs).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("charts-iidx.json"),
        serde_json::to_vec(&charts).unwrap(),
    )
    .unwrap();
    let folders = json!([{"folderID": "Flevel12", "game": "iidx", "playtype": "SP", "type": "charts",
        "data": {"level": "12"}, "title": "Level 12", "inactive": false, "searchTerms": []}]);
    let goals = json!([
        {"goalID": "Ghc-alpha", "game": "iidx", "playtype": "SP", "name": "HARD CLEAR Alpha (SP ANOTHER)",
         "charts": {"type": "single", "data": "alpha-spa"}, "criteria": {"key": "lamp", "mode": "single", "value": 5}},
        {"goalID": "Gclear-12s", "game": "iidx", "playtype": "SP", "name": "CLEAR 2 level 12s",
         "charts": {"type": "folder", "data": "Flevel12"}, "criteria": {"key": "lamp", "mode": "absolute", "value": 4, "countNum": 2}},
        {"goalID": "Gbeta-aaa", "game": "iidx", "playtype": "SP", "name": "AAA Beta",
         "charts": {"type": "multi", "data": ["beta-spa"]}, "criteria": {"key": "grade", "mode": "single", "value": 7}}
    ]);
    let quests = json!([{"questID": "Qtests", "game": "iidx", "playtype": "SP", "name": "Tests", "desc": "",
        "questData": [{"title": "All", "desc": "", "goals": [{"goalID": "Ghc-alpha", "note": ""}, {"goalID": "Gclear-12s", "note": ""}]}]}]);
    std::fs::write(dir.join("folders.json"), folders.to_string()).unwrap();
    std::fs::write(dir.join("goals.json"), goals.to_string()).unwrap();
    std::fs::write(dir.join("quests.json"), quests.to_string()).unwrap();
}

/// A fresh host with the suite's seeds and [`USER`], in its own directory.
#[derive(Debug)]
pub struct Env<H> {
    /// The directory (seeds in `seeds/`, the host's files beside them).
    pub dir: TempDir,
    /// The host.
    pub host: H,
}

/// A fresh [`Env`] (`with_gamma` adds song Gamma to the seeds).
pub fn env<H: TestHost>(label: &str, with_gamma: bool) -> Env<H> {
    let dir = TempDir::new(label);
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    write_seeds(&seeds, with_gamma);
    let host = H::open(dir.path());
    host.load_seeds(&seeds).unwrap();
    host.ensure_user(USER, "tester").unwrap();
    Env { dir, host }
}

/// A BATCH-MANUAL IIDX SP score by title on ANOTHER.
#[must_use]
pub fn score(title: &str, ex: u32, lamp: &str, time: Option<i64>) -> Value {
    json!({"score": ex, "lamp": lamp, "matchType": "songTitle", "identifier": title, "difficulty": "ANOTHER",
           "timeAchieved": time})
}

/// A BATCH-MANUAL IIDX SP file of `scores`.
#[must_use]
pub fn batch(scores: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({"meta": {"game": "iidx", "playtype": "SP", "service": "kaiden tests"}, "scores": scores})).unwrap()
}

/// A BATCH-MANUAL file of `n` distinct scores on Alpha, Beta and Gamma
/// (needs the seeds `with_gamma`), a second apart from [`T0`] (one session):
/// valid for `n` up to 7,500.
#[must_use]
pub fn long_batch(n: usize) -> Vec<u8> {
    const LAMPS: [&str; 5] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR", "FULL COMBO"];
    const TITLES: [&str; 3] = ["Alpha", "Beta", "Gamma"];
    batch(
        (0..n)
            .map(|i| {
                score(
                    TITLES[i % 3],
                    (i / 15) as u32 + 1,
                    LAMPS[(i / 3) % 5],
                    Some(T0 + i as i64 * 1000),
                )
            })
            .collect(),
    )
}

/// Runs a future to completion on a runtime of its own.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

/// A BATCH-MANUAL import of `bytes` for [`USER`].
pub fn run<H: TestHost>(host: &H, bytes: &[u8]) -> Result<ImportDocument, ImportError> {
    run_with(host, bytes, &NoProgress)
}

/// [`run`] reporting to `progress`.
pub fn run_with<H: TestHost>(
    host: &H,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    run_as(host, USER, bytes, progress)
}

/// A BATCH-MANUAL import of `bytes` for `user`.
pub fn run_as<H: TestHost>(
    host: &H,
    user: u64,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    let request = ImportRequest {
        import_type: ImportType::FILE_BATCH_MANUAL,
        user,
        user_intent: false,
        input: ImportInput {
            bytes,
            stream: None,
            filename: None,
            fields: BTreeMap::new(),
            headers: BTreeMap::new(),
        },
        import_id: None,
    };
    block_on(pipeline::import(
        host.host(),
        &kaiden::registry(),
        request,
        progress,
    ))
}

/// [`USER`]'s stored documents of a table.
pub fn docs<H: TestHost>(host: &H, table: &str) -> Vec<Value> {
    host.documents(table, USER).unwrap()
}

/// `user`'s stored documents of a table.
pub fn docs_of<H: TestHost>(host: &H, user: UserId, table: &str) -> Vec<Value> {
    host.documents(table, user).unwrap()
}
