//! The pipeline on the memory host with one host call made to fail: whichever
//! step's call fails, the import fails with the host's error, the store is as
//! it was, and the user's next import runs. No database involved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use kaiden_core::Game;
use kaiden_core::Gpt;
use kaiden_core::documents::{
    ChartDocument, ImportDocument, ImportTimings, PbDocument, SessionDocument, SongDocument,
};
use kaiden_core::host::{
    ChartLookup, GameStats, GoalStore, Host, HostError, ImportStore, ImportTransaction,
    OrphanDocument, OrphanInsert, OrphanStore, PbRatings, PbStore, ScoreStore, SessionStore,
    StatsStore, Subscription,
};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::{ScoreDocument, UserId};
use kaiden_host_suite::{HOUR, T0, USER, batch, block_on, score, write_seeds};
use kaiden_memory::{MemoryHost, MemoryTransaction};
use kaiden_testkit::TempDir;
use serde_json::Value;

/// A memory host whose transactions fail the call named `fail` (and count
/// the calls of that name, so a test knows the step reached it).
#[derive(Debug)]
struct Faulty {
    inner: MemoryHost,
    fail: Mutex<Option<&'static str>>,
    calls: Arc<AtomicU32>,
}

struct FaultyTx<'a> {
    inner: MemoryTransaction<'a>,
    fail: Option<&'static str>,
    calls: Arc<AtomicU32>,
}

impl FaultyTx<'_> {
    fn check(&self, name: &'static str) -> Result<(), HostError> {
        if self.fail == Some(name) {
            self.calls.fetch_add(1, Ordering::SeqCst);
            return Err(HostError::Storage(format!("injected failure in {name}")));
        }
        Ok(())
    }
}

impl Host for Faulty {
    type Transaction<'a> = FaultyTx<'a>;

    async fn begin_import(&self, user: UserId) -> Result<FaultyTx<'_>, HostError> {
        Ok(FaultyTx {
            inner: self.inner.begin_import(user).await?,
            fail: *self.fail.lock().unwrap(),
            calls: Arc::clone(&self.calls),
        })
    }

    async fn import_document(&self, id: &str) -> Result<Option<ImportDocument>, HostError> {
        self.inner.import_document(id).await
    }

    async fn user_scores(
        &self,
        user: UserId,
        after: Option<u64>,
        limit: usize,
    ) -> Result<kaiden_core::host::ScorePage, HostError> {
        self.inner.user_scores(user, after, limit).await
    }

    async fn pending_chart(
        &self,
        key: &str,
    ) -> Result<Option<kaiden::core::documents::PendingChart>, HostError> {
        self.inner.pending_chart(key).await
    }

    async fn bms_course(
        &self,
        md5sums: &str,
    ) -> Result<Option<kaiden::core::documents::BmsCourse>, HostError> {
        self.inner.bms_course(md5sums).await
    }
}

/// Delegates each method to the memory transaction after [`FaultyTx::check`].
macro_rules! delegate {
    (ref $($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)+) => {
        $(
            async fn $name(&self $(, $arg: $ty)*) -> Result<$out, HostError> {
                self.check(stringify!($name))?;
                self.inner.$name($($arg),*).await
            }
        )+
    };
    (mut $($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)+) => {
        $(
            async fn $name(&mut self $(, $arg: $ty)*) -> Result<$out, HostError> {
                self.check(stringify!($name))?;
                self.inner.$name($($arg),*).await
            }
        )+
    };
}

impl ChartLookup for FaultyTx<'_> {
    delegate! { ref
        resolve_charts(queries: &[ChartQuery]) -> Vec<ChartResolution>;
        charts_by_id(game: Game, ids: &[String]) -> Vec<Arc<ChartDocument>>;
        songs_by_id(game: Game, ids: &[i64]) -> Vec<Arc<SongDocument>>;
    }
}

impl ScoreStore for FaultyTx<'_> {
    delegate! { mut
        existing_score_ids(ids: &[String]) -> HashSet<String>;
        blacklisted_score_ids(user: UserId) -> HashSet<String>;
        insert_scores(scores: &[ScoreDocument]) -> ();
        scores_inserted() -> ();
        highlight_scores(ids: &[String]) -> ();
        scores_by_id(ids: &[String]) -> Vec<ScoreDocument>;
        scores_on_charts(user: UserId, charts: &[String]) -> Vec<ScoreDocument>;
    }
}

impl kaiden::core::host::ChartStore for FaultyTx<'_> {
    delegate! { mut
        pending_chart(key: &str) -> Option<kaiden::core::documents::PendingChart>;
        put_pending_chart(p: &kaiden::core::documents::PendingChart) -> ();
        remove_pending_chart(key: &str) -> ();
        insert_song_and_chart(game: kaiden::core::Game, song: &kaiden::core::SongDocument, chart: &kaiden::core::ChartDocument) -> i64;
    }
}

impl OrphanStore for FaultyTx<'_> {
    delegate! { mut
        insert_orphan(orphan: &OrphanDocument) -> OrphanInsert;
        orphans_of(user: UserId) -> Vec<OrphanDocument>;
        remove_orphan(id: &str) -> ();
    }
}

impl SessionStore for FaultyTx<'_> {
    delegate! { mut
        sessions_between(user: UserId, gpt: Gpt, from: i64, to: i64) -> Vec<SessionDocument>;
        upsert_session(session: &SessionDocument) -> ();
    }
}

impl PbStore for FaultyTx<'_> {
    delegate! { mut
        upsert_pbs(pbs: &[PbDocument]) -> ();
        pbs_on_charts(charts: &[String]) -> Vec<PbDocument>;
        user_pbs_on_charts(user: UserId, charts: &[String]) -> Vec<PbDocument>;
        pbs_of(user: UserId, gpt: Gpt) -> Vec<PbDocument>;
        pb_ratings_of(user: UserId, gpt: Gpt) -> std::sync::Arc<Vec<PbRatings>>;
    }
}

impl StatsStore for FaultyTx<'_> {
    delegate! { mut
        game_stats(user: UserId, gpt: Gpt) -> Option<GameStats>;
        put_game_stats(user: UserId, gpt: Gpt, stats: &GameStats) -> ();
    }
}

impl GoalStore for FaultyTx<'_> {
    delegate! { mut
        goals_touching(user: UserId, game: Game, charts: &[String]) -> Vec<Subscription>;
        goal_chart_ids(goal: &str) -> Vec<String>;
        quests_containing(user: UserId, game: Game, goals: &[String]) -> Vec<Subscription>;
        goal_subscriptions(user: UserId, goals: &[String]) -> Vec<Value>;
        put_goal_subscriptions(user: UserId, subs: &[Value]) -> ();
        put_quest_subscriptions(user: UserId, subs: &[Value]) -> ();
    }
}

impl ImportStore for FaultyTx<'_> {
    delegate! { mut
        save_import(doc: &ImportDocument, timings: &ImportTimings) -> ();
    }
}

impl kaiden::core::host::LifecycleStore for FaultyTx<'_> {
    delegate! { mut
        delete_scores(user: UserId, ids: &[String], blacklist: bool) -> Vec<ScoreDocument>;
        current_scores_on_charts(user: UserId, charts: &[String]) -> Vec<ScoreDocument>;
        sessions_with_scores(user: UserId, ids: &[String]) -> Vec<SessionDocument>;
        delete_session(id: &str) -> ();
        delete_pbs(user: UserId, charts: &[String]) -> ();
        pull_from_imports(user: UserId, ids: &[String]) -> Vec<String>;
        delete_import(id: &str) -> ();
        update_scores(scores: &[ScoreDocument]) -> ();
    }
}

impl ImportTransaction for FaultyTx<'_> {
    async fn commit(self) -> Result<(), HostError> {
        self.check("commit")?;
        self.inner.commit().await
    }

    async fn rollback(self) -> Result<(), HostError> {
        self.inner.rollback().await
    }
}

fn faulty(label: &str) -> (TempDir, Faulty) {
    let dir = TempDir::new(label);
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    write_seeds(&seeds, false);
    let inner = MemoryHost::new();
    inner.load_seeds(&seeds).unwrap();
    inner.ensure_user(USER, "tester");
    inner.subscribe_quest(USER, "Qtests").unwrap();
    let host = Faulty {
        inner,
        fail: Mutex::new(None),
        calls: Arc::new(AtomicU32::new(0)),
    };
    (dir, host)
}

fn import(host: &Faulty, bytes: &[u8]) -> Result<ImportDocument, kaiden_core::ImportError> {
    let request = kaiden::pipeline::ImportRequest {
        import_type: kaiden_core::ImportType::FILE_BATCH_MANUAL,
        user: USER,
        user_intent: false,
        input: kaiden_core::format::ImportInput {
            bytes,
            ..Default::default()
        },
        import_id: None,
    };
    block_on(kaiden::pipeline::import(
        host,
        &kaiden::registry(),
        request,
        &kaiden::pipeline::NoProgress,
    ))
}

#[test]
fn whichever_host_call_fails_the_import_fails_and_changes_nothing() {
    // Every call an import with scores, an orphan, sessions, PBs, stats and
    // goals makes of its transaction.
    let calls = [
        "resolve_charts",
        "existing_score_ids",
        "blacklisted_score_ids",
        "insert_scores",
        "scores_inserted",
        "scores_on_charts",
        "insert_orphan",
        "sessions_between",
        "upsert_session",
        "upsert_pbs",
        "pbs_on_charts",
        "pb_ratings_of",
        "game_stats",
        "put_game_stats",
        "goals_touching",
        "goal_chart_ids",
        "user_pbs_on_charts",
        "quests_containing",
        "goal_subscriptions",
        "put_goal_subscriptions",
        "put_quest_subscriptions",
        "save_import",
        "commit",
    ];
    for call in calls {
        let (_dir, host) = faulty(call);
        import(&host, &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))])).unwrap();
        let before = host.inner.dump();
        *host.fail.lock().unwrap() = Some(call);
        let file = batch(vec![
            score("Alpha", 1500, "HARD CLEAR", Some(T0 + HOUR)),
            score("Beta", 800, "CLEAR", Some(T0 + HOUR + 60_000)),
            score("Nowhere", 10, "CLEAR", None),
        ]);
        let err = import(&host, &file).expect_err(call);
        assert!(
            host.calls.load(Ordering::SeqCst) >= 1,
            "{call}: the import never called it"
        );
        assert_eq!(err.http_status(), 500, "{call}: {err}");
        assert!(err.to_string().contains(call), "{call}: {err}");
        assert_eq!(host.inner.dump(), before, "{call}: the store changed");
        // The user is not left locked, and the same file imports in full.
        *host.fail.lock().unwrap() = None;
        let doc = import(&host, &file).unwrap_or_else(|e| panic!("{call}: {e}"));
        assert_eq!(doc.score_ids.len(), 2, "{call}");
        assert!(!doc.goal_info.is_empty(), "{call}");
    }
}

#[test]
fn progress_reports_every_step_in_tachis_order() {
    let (_dir, host) = faulty("progress");
    let seen = Mutex::new(Vec::new());
    let progress = |p: &kaiden::pipeline::ImportProgress| {
        let mut s = seen.lock().unwrap();
        if s.last() != Some(&p.step) {
            s.push(p.step);
        }
    };
    let request = kaiden::pipeline::ImportRequest {
        import_type: kaiden_core::ImportType::FILE_BATCH_MANUAL,
        user: USER,
        user_intent: false,
        input: kaiden_core::format::ImportInput {
            bytes: &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0))]),
            ..Default::default()
        },
        import_id: None,
    };
    let doc = block_on(kaiden::pipeline::import(
        &host,
        &kaiden::registry(),
        request,
        &progress,
    ))
    .unwrap();
    use kaiden::pipeline::Step::*;
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Parsing,
            Importing,
            Sessions,
            PersonalBests,
            Stats,
            Goals,
            Quests,
            Finalising
        ]
    );
    // Every step is timed by its name.
    let timings = host.inner.import_timings(&doc.import_id).unwrap();
    let mut names: Vec<&str> = timings["abs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "goal",
            "import",
            "import.convert",
            "import.dedupe",
            "import.hydrate",
            "import.prepare",
            "import.resolve",
            "import.store",
            "parse",
            "pb",
            "quest",
            "session",
            "ugs"
        ]
    );
}

#[test]
fn whichever_host_call_fails_a_revert_fails_and_changes_nothing() {
    // Every call a revert touching a score, a session, PBs, stats and goals
    // makes of its transaction.
    let calls = [
        "delete_scores",
        "pull_from_imports",
        "sessions_with_scores",
        "scores_by_id",
        "upsert_session",
        "current_scores_on_charts",
        "delete_pbs",
        "pbs_on_charts",
        "upsert_pbs",
        "pb_ratings_of",
        "put_game_stats",
        "goals_touching",
        "delete_import",
        "commit",
    ];
    for call in calls {
        let (_dir, host) = faulty(call);
        import(&host, &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))])).unwrap();
        let second = import(
            &host,
            &batch(vec![
                score("Alpha", 1500, "HARD CLEAR", Some(T0 + 60_000)),
                score("Beta", 800, "CLEAR", Some(T0 + 120_000)),
            ]),
        )
        .unwrap();
        let before = host.inner.dump();
        *host.fail.lock().unwrap() = Some(call);
        let err = block_on(kaiden::pipeline::revert_import(
            &host,
            USER,
            &second.import_id,
        ))
        .expect_err(call);
        assert!(
            host.calls.load(Ordering::SeqCst) >= 1,
            "{call}: the revert never called it"
        );
        assert_eq!(err.http_status(), 500, "{call}: {err}");
        assert_eq!(host.inner.dump(), before, "{call}: the store changed");
        *host.fail.lock().unwrap() = None;
        let report = block_on(kaiden::pipeline::revert_import(
            &host,
            USER,
            &second.import_id,
        ))
        .unwrap_or_else(|e| panic!("{call}: {e}"));
        assert_eq!(report.deleted.len(), 2, "{call}");
    }
}

/// Keeps every event it is handed.
#[derive(Default)]
struct Recorder(Mutex<Vec<Value>>);

impl kaiden::pipeline::ImportObserver for Recorder {
    fn observe(&self, event: &kaiden::pipeline::ImportEvent) {
        self.0
            .lock()
            .unwrap()
            .push(serde_json::to_value(event).unwrap());
    }
}

fn import_observed(
    host: &Faulty,
    bytes: &[u8],
    observer: &Recorder,
) -> Result<ImportDocument, kaiden_core::ImportError> {
    let request = kaiden::pipeline::ImportRequest {
        import_type: kaiden_core::ImportType::FILE_BATCH_MANUAL,
        user: USER,
        user_intent: false,
        input: kaiden_core::format::ImportInput {
            bytes,
            ..Default::default()
        },
        import_id: None,
    };
    block_on(kaiden::pipeline::import_observed(
        host,
        &kaiden::registry(),
        request,
        &kaiden::pipeline::NoProgress,
        observer,
    ))
}

#[test]
fn an_observer_sees_the_events_of_a_committed_import_and_nothing_of_a_rolled_back_one() {
    let file = batch(vec![
        score("Alpha", 1900, "HARD CLEAR", Some(T0)),
        score("Beta", 990, "CLEAR", Some(T0 + 60_000)),
    ]);
    for call in ["save_import", "commit"] {
        let (_dir, host) = faulty(call);
        let seen = Recorder::default();
        *host.fail.lock().unwrap() = Some(call);
        import_observed(&host, &file, &seen).expect_err(call);
        assert!(
            seen.0.lock().unwrap().is_empty(),
            "{call}: {:?}",
            seen.0.lock().unwrap()
        );
    }
    let (_dir, host) = faulty("none");
    let seen = Recorder::default();
    let doc = import_observed(&host, &file, &seen).unwrap();
    let events = seen.0.lock().unwrap().clone();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(kinds.last(), Some(&"import-finished/v1"), "{events:?}");
    let finished = events.last().unwrap();
    assert_eq!(finished["content"]["importID"], doc.import_id.as_str());
    assert_eq!(finished["content"]["scores"], 2);
    assert_eq!(finished["content"]["userID"], USER);
    // The HARD CLEAR achieves the suite's single goal on Alpha: Tachi's shape.
    let goals = events
        .iter()
        .find(|e| e["type"] == "goals-achieved/v1")
        .unwrap_or_else(|| panic!("no goals event: {events:?}"));
    assert_eq!(goals["content"]["game"], "iidx");
    let achieved: Vec<&str> = goals["content"]["goals"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["goalID"].as_str())
        .collect();
    assert!(achieved.contains(&"Ghc-alpha"), "{goals}");
    let g = &goals["content"]["goals"][0];
    assert_eq!(g["playtype"], "SP");
    assert_eq!(g["new"]["achieved"], true);
    assert_eq!(g["old"]["achieved"], false);
    // Both goals of the quest are achieved: the quest is.
    let quest = events
        .iter()
        .find(|e| e["type"] == "quest-achieved/v1")
        .unwrap_or_else(|| panic!("no quest event: {events:?}"));
    assert_eq!(quest["content"]["questID"], "Qtests");
    assert_eq!(quest["content"]["playtype"], "SP");
    assert_eq!(quest["content"]["new"]["achieved"], true);
    // A second, identical import achieves nothing new: only it finished.
    let again = Recorder::default();
    import_observed(&host, &file, &again).unwrap();
    let kinds: Vec<Value> = again
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(kinds, vec![serde_json::json!("import-finished/v1")]);
}

#[test]
fn orphan_re_processing_hands_its_achievements_to_the_observer_after_commit_only() {
    // Alpha HARD CLEAR achieves one goal of the quest; Gamma is unknown, its
    // CLEAR an orphan. New seeds add Gamma at level 12: re-processing imports
    // it, which completes "CLEAR 2 level 12s" and so the quest.
    let (dir, host) = faulty("orphan-events");
    let file = batch(vec![
        score("Alpha", 1900, "HARD CLEAR", Some(T0)),
        score("Gamma", 500, "CLEAR", Some(T0 + 60_000)),
    ]);
    let doc = import(&host, &file).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    let seeds = dir.join("seeds-gamma");
    std::fs::create_dir_all(&seeds).unwrap();
    write_seeds(&seeds, true);
    let charts = seeds.join("charts-iidx.json");
    let text = std::fs::read_to_string(&charts).unwrap().replace(
        r#""chartID":"gamma-spa","songID":3,"level":"11""#,
        r#""chartID":"gamma-spa","songID":3,"level":"12""#,
    );
    assert!(
        text.contains(r#""chartID":"gamma-spa","songID":3,"level":"12""#),
        "{text}"
    );
    std::fs::write(&charts, text).unwrap();
    host.inner.load_seeds(&seeds).unwrap();
    let reprocess = |seen: &Recorder| {
        block_on(kaiden::pipeline::reprocess_orphans_observed(
            &host,
            &kaiden::registry(),
            USER,
            &kaiden::pipeline::NoProgress,
            seen,
        ))
    };
    // A run whose commit fails hands over nothing.
    let seen = Recorder::default();
    *host.fail.lock().unwrap() = Some("commit");
    reprocess(&seen).expect_err("commit fails");
    assert!(
        seen.0.lock().unwrap().is_empty(),
        "{:?}",
        seen.0.lock().unwrap()
    );
    *host.fail.lock().unwrap() = None;
    let seen = Recorder::default();
    let report = reprocess(&seen).unwrap();
    assert_eq!(report.success, 1);
    let events = seen.0.lock().unwrap().clone();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        kinds,
        ["goals-achieved/v1", "quest-achieved/v1"],
        "{events:?}"
    );
    assert_eq!(events[0]["content"]["goals"][0]["goalID"], "Gclear-12s");
    assert_eq!(events[1]["content"]["questID"], "Qtests");
}

#[test]
fn whichever_host_call_fails_a_recalculation_fails_and_changes_nothing() {
    // Every call recalculating scores after a seeds load makes of its
    // transaction: the chart, the scores, their update, sessions, PBs, stats.
    let calls = [
        "charts_by_id",
        "current_scores_on_charts",
        "update_scores",
        "sessions_with_scores",
        "scores_by_id",
        "upsert_session",
        "pbs_on_charts",
        "upsert_pbs",
        "pb_ratings_of",
        "put_game_stats",
        "goals_touching",
        "commit",
    ];
    for call in calls {
        let (dir, host) = faulty(call);
        import(
            &host,
            &batch(vec![
                score("Alpha", 1500, "HARD CLEAR", Some(T0)),
                score("Beta", 800, "CLEAR", Some(T0 + 60_000)),
            ]),
        )
        .unwrap();
        // Alpha's level drops: its score's ratings change.
        let seeds = dir.join("seeds-changed");
        std::fs::create_dir_all(&seeds).unwrap();
        write_seeds(&seeds, false);
        let path = seeds.join("charts-iidx.json");
        let text = std::fs::read_to_string(&path).unwrap().replace(
            r#""chartID":"alpha-spa","songID":1,"level":"12","levelNum":12.0"#,
            r#""chartID":"alpha-spa","songID":1,"level":"11","levelNum":11.0"#,
        );
        assert!(text.contains(r#""level":"11""#), "{text}");
        std::fs::write(&path, text).unwrap();
        let report = host.inner.load_seeds(&seeds).unwrap();
        assert_eq!(report.affected_users, vec![USER], "{call}");
        let before = host.inner.dump();
        *host.fail.lock().unwrap() = Some(call);
        let err = block_on(kaiden::pipeline::recalculate_charts(
            &host,
            USER,
            &report.changed_charts,
        ))
        .expect_err(call);
        assert!(
            host.calls.load(Ordering::SeqCst) >= 1,
            "{call}: the recalculation never called it"
        );
        assert_eq!(err.http_status(), 500, "{call}: {err}");
        assert_eq!(host.inner.dump(), before, "{call}: the store changed");
        *host.fail.lock().unwrap() = None;
        let r = block_on(kaiden::pipeline::recalculate_charts(
            &host,
            USER,
            &report.changed_charts,
        ))
        .unwrap_or_else(|e| panic!("{call}: {e}"));
        assert_eq!(r.scores_updated.len(), 1, "{call}");
        assert_ne!(
            host.inner.dump(),
            before,
            "{call}: nothing was recalculated"
        );
    }
}
