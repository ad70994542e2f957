//! The pipeline end to end on a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Barrier};

use common::*;
use kaiden::core::documents::SessionInfoType;
use kaiden::core::{Gpt, ImportErrorType, ScoreData, score_id};
use kaiden::pipeline::{ImportProgress, NoProgress, Step};
use serde_json::{Value, json};

/// Re-processes the user's orphans: `(processed, failed, success, removed)`.
fn reorphan(host: &kaiden_sqlite::SqliteHost) -> (u64, u64, u64, u64) {
    let r = block_on(kaiden::pipeline::reprocess_orphans(
        host,
        &kaiden::registry(),
        USER,
        &NoProgress,
    ))
    .unwrap();
    (r.processed, r.failed, r.success, r.removed)
}

#[test]
fn importing_the_same_file_twice_imports_nothing_the_second_time() {
    let e = env("twice", false);
    let file = batch(vec![
        score("Alpha", 1500, "HARD CLEAR", Some(T0)),
        score("Beta", 800, "CLEAR", Some(T0 + 1000)),
    ]);
    let first = run(&e.host, &file).unwrap();
    assert_eq!(first.score_ids.len(), 2);
    assert!(first.errors.is_empty());
    let second = run(&e.host, &file).unwrap();
    assert!(second.score_ids.is_empty());
    assert!(second.errors.is_empty());
    assert!(second.created_sessions.is_empty());
    assert_eq!(docs(&e.host, "scores").len(), 2);
    assert_eq!(docs(&e.host, "imports").len(), 2);
}

#[test]
fn duplicates_within_one_import_keep_the_first() {
    let e = env("dupes", false);
    let s = score("Alpha", 1500, "HARD CLEAR", Some(T0));
    let doc = run(&e.host, &batch(vec![s.clone(), s])).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
}

/// An IIDX SP ANOTHER score with judgements that disagree with its EX score
/// (invalid: PGreat*2 + Great must equal it); the scoreID ignores judgements.
fn with_bad_judgements(mut s: Value) -> Value {
    s["judgements"] = json!({"pgreat": 1, "great": 0});
    s
}

#[test]
fn an_invalid_score_does_not_shadow_a_valid_one_with_its_score_id() {
    // Tachi takes a scoreID once its score passes validation: the invalid
    // first score is rejected, the valid second one imported. And a valid
    // first score makes a later one of its scoreID a duplicate, skipped before
    // it is validated (no error).
    let e = env("dupes-invalid-first", false);
    let valid = score("Alpha", 1500, "HARD CLEAR", Some(T0));
    let invalid = with_bad_judgements(valid.clone());
    let doc = run(&e.host, &batch(vec![invalid.clone(), valid.clone()])).unwrap();
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    assert_eq!(doc.errors.len(), 1);
    assert!(
        doc.errors[0].message.contains("PGreat*2 + Great"),
        "{:?}",
        doc.errors[0]
    );
    let stored = docs(&e.host, "scores");
    assert_eq!(stored.len(), 1);
    assert!(stored[0]["scoreData"]["judgements"].get("pgreat").is_none());

    let e = env("dupes-valid-first", false);
    let doc = run(&e.host, &batch(vec![valid.clone(), invalid.clone()])).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);

    // The invalid one batches before the valid one.
    let e = env("dupes-invalid-batches-before", false);
    let mut scores = vec![invalid];
    scores.extend(
        (0..kaiden::pipeline::BATCH_SIZE)
            .map(|i| score("Beta", (i % 1000) as u32, "CLEAR", Some(T0))),
    );
    scores.push(valid);
    let doc = run(&e.host, &batch(scores)).unwrap();
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.score_ids.len(), 1001);
    assert!(
        docs(&e.host, "scores")
            .iter()
            .any(|s| s["chartID"] == "alpha-spa")
    );
}

#[test]
fn check_and_import_agree_on_every_record() {
    let e = env("check-agrees", false);
    let valid = score("Alpha", 1500, "HARD CLEAR", Some(T0));
    let file = batch(vec![
        with_bad_judgements(valid.clone()),
        valid.clone(),
        valid.clone(),
        with_bad_judgements(valid),
        score("Beta", 999, "CLEAR", Some(T0)),
        score("Beta", 999, "CLEAR", Some(T0 + 1)),
        score("Nowhere", 10, "CLEAR", None),
        score("Beta", 10_000, "CLEAR", None),
        with_bad_judgements(score("Beta", 20, "CLEAR", None)),
    ]);
    let input = kaiden::core::format::ImportInput {
        bytes: &file,
        ..Default::default()
    };
    let report = block_on(kaiden::pipeline::check(
        &e.host,
        &kaiden::registry(),
        kaiden::core::ImportType::FileBatchManual,
        &input,
        USER,
    ))
    .unwrap();
    let outcomes: Vec<&str> = report.records.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            "reject", "import", "skip", "skip", "import", "skip", "orphan", "reject", "reject"
        ]
    );
    let doc = run(&e.host, &file).unwrap();
    let errors_of =
        |t: ImportErrorType| doc.errors.iter().filter(|x| x.error_type == t).count() as u64;
    assert_eq!(doc.score_ids.len() as u64, report.import);
    assert_eq!(
        errors_of(ImportErrorType::SongOrChartNotFound),
        report.orphan
    );
    assert_eq!(errors_of(ImportErrorType::InvalidDatapoint), report.reject);
    assert_eq!(doc.errors.len() as u64, report.orphan + report.reject);
}

#[test]
fn duplicates_batches_apart_keep_the_first_while_earlier_batches_are_still_being_written() {
    // The host answers dedupe from the state before the import (its writer
    // thread may still be storing the previous batch): the pipeline's own
    // memory must catch repeats of scores it stored in earlier batches.
    let e = env("dupes-far", false);
    let n = kaiden::pipeline::BATCH_SIZE * 2 + 100;
    let mut scores: Vec<Value> = (0..n)
        .map(|i| {
            score(
                "Alpha",
                (i % 1500) as u32,
                "CLEAR",
                Some(T0 + i as i64 * 1000),
            )
        })
        .collect();
    // A repeat of record 0 (another time: the same scoreID) in the last batch,
    // and of a score stored before this import.
    let before = run(&e.host, &batch(vec![score("Beta", 777, "CLEAR", Some(T0))])).unwrap();
    assert_eq!(before.score_ids.len(), 1);
    scores.push(score("Alpha", 0, "CLEAR", Some(T0 - 5000)));
    scores.push(score("Beta", 777, "CLEAR", Some(T0 + 9999)));
    let doc = run(&e.host, &batch(scores)).unwrap();
    assert!(doc.errors.is_empty(), "{:?}", doc.errors.first());
    // 1500 distinct (score, lamp) pairs on Alpha: every later repeat is dropped.
    assert_eq!(doc.score_ids.len(), 1500);
    assert_eq!(docs(&e.host, "scores").len(), 1501);
    let stored: std::collections::HashSet<String> = docs(&e.host, "scores")
        .iter()
        .map(|s| s["scoreID"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(stored.len(), 1501);
}

#[test]
fn two_orphans_that_become_the_same_score_import_it_once() {
    let e = env("orphans-same-score", false);
    // Two records of one play at different times: two orphans, one scoreID.
    let file = batch(vec![
        score("Gamma", 900, "CLEAR", Some(T0)),
        score("Gamma", 900, "CLEAR", Some(T0 + 60_000)),
    ]);
    let doc = run(&e.host, &file).unwrap();
    assert_eq!(doc.errors.len(), 2);
    assert_eq!(docs(&e.host, "orphans").len(), 2);
    let seeds = e.dir.join("seeds");
    write_seeds(&seeds, true);
    e.host.load_seeds(&seeds).unwrap();
    assert_eq!(reorphan(&e.host), (2, 0, 1, 1));
    assert_eq!(docs(&e.host, "scores").len(), 1);
    assert!(docs(&e.host, "orphans").is_empty());
}

#[test]
fn unknown_charts_become_orphans_and_are_imported_once_the_chart_exists() {
    let e = env("orphans", false);
    let file = batch(vec![
        score("Gamma", 900, "CLEAR", Some(T0)),
        score("Alpha", 100, "FAILED", Some(T0)),
    ]);
    let doc = run(&e.host, &file).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(
        doc.errors[0].error_type,
        ImportErrorType::SongOrChartNotFound
    );
    assert_eq!(docs(&e.host, "orphans").len(), 1);
    // The same orphan again is reported as existing, not stored twice.
    let again = run(&e.host, &file).unwrap();
    assert_eq!(again.errors[0].error_type, ImportErrorType::OrphanExists);
    assert_eq!(docs(&e.host, "orphans").len(), 1);

    // Still unknown: kept.
    assert_eq!(reorphan(&e.host), (1, 1, 0, 0));

    let seeds = e.dir.join("seeds");
    write_seeds(&seeds, true);
    e.host.load_seeds(&seeds).unwrap();
    assert_eq!(
        docs(&e.host, "scores").len(),
        1,
        "reloading seeds keeps scores"
    );
    assert_eq!(reorphan(&e.host), (1, 0, 1, 0));
    assert!(docs(&e.host, "orphans").is_empty());
    let mut data = ScoreData::default();
    data.set("score", 900.0);
    data.set("lamp", "CLEAR");
    let want = score_id(Gpt::IidxSp, USER, "gamma-spa", &data).unwrap();
    let scores = docs(&e.host, "scores");
    let gamma = scores
        .iter()
        .find(|s| s["chartID"] == "gamma-spa")
        .expect("deorphaned score stored");
    assert_eq!(gamma["scoreID"], want);
    assert_eq!(gamma["scoreData"]["grade"], "A");
    // It went through the post-import steps: a PB exists.
    assert!(
        docs(&e.host, "pbs")
            .iter()
            .any(|p| p["chartID"] == "gamma-spa")
    );
}

#[test]
fn orphans_that_fail_for_other_reasons_are_removed() {
    let e = env("orphans-removed", false);
    // EX 5000 is impossible on a 600-note chart: once Gamma exists this is invalid.
    run(&e.host, &batch(vec![score("Gamma", 5000, "CLEAR", None)])).unwrap();
    let seeds = e.dir.join("seeds");
    write_seeds(&seeds, true);
    e.host.load_seeds(&seeds).unwrap();
    assert_eq!(reorphan(&e.host), (1, 0, 0, 1));
    assert!(docs(&e.host, "orphans").is_empty());
    assert!(docs(&e.host, "scores").is_empty());
}

#[test]
fn sessions_split_at_two_hours_and_later_imports_append() {
    let e = env("sessions", false);
    let doc = run(
        &e.host,
        &batch(vec![
            score("Alpha", 1000, "CLEAR", Some(T0)),
            score("Beta", 700, "CLEAR", Some(T0 + HOUR)),
            score("Alpha", 1100, "CLEAR", Some(T0 + 4 * HOUR)),
            score("Beta", 100, "FAILED", None),
        ]),
    )
    .unwrap();
    assert_eq!(doc.score_ids.len(), 4);
    let types: Vec<SessionInfoType> = doc.created_sessions.iter().map(|s| s.info_type).collect();
    assert_eq!(
        types,
        vec![SessionInfoType::Created, SessionInfoType::Created]
    );
    let sessions = docs(&e.host, "sessions");
    let sizes: Vec<usize> = sessions
        .iter()
        .map(|s| s["scoreIDs"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![2, 1], "the untimed score takes no part");

    let later = run(
        &e.host,
        &batch(vec![score("Beta", 750, "HARD CLEAR", Some(T0 + 5 * HOUR))]),
    )
    .unwrap();
    assert_eq!(later.created_sessions.len(), 1);
    assert_eq!(
        later.created_sessions[0].info_type,
        SessionInfoType::Appended
    );
    assert_eq!(
        later.created_sessions[0].session_id,
        doc.created_sessions[1].session_id
    );
    let sessions = docs(&e.host, "sessions");
    assert_eq!(sessions.len(), 2);
    let appended = &sessions[1];
    assert_eq!(appended["scoreIDs"].as_array().unwrap().len(), 2);
    assert_eq!(appended["timeEnded"], T0 + 5 * HOUR);
    assert_eq!(appended["timeStarted"], T0 + 4 * HOUR);
}

#[test]
fn pbs_merge_best_score_best_lamp_and_lowest_bp() {
    let e = env("pbs", false);
    let mut a = score("Alpha", 1800, "CLEAR", Some(T0));
    a["optional"] = json!({"bp": 20});
    let mut b = score("Alpha", 1200, "HARD CLEAR", Some(T0 + 1000));
    b["optional"] = json!({"bp": 35});
    let mut c = score("Alpha", 1000, "EASY CLEAR", Some(T0 + 2000));
    c["optional"] = json!({"bp": 8});
    let doc = run(&e.host, &batch(vec![a, b, c])).unwrap();
    assert_eq!(doc.score_ids.len(), 3);
    let pbs = docs(&e.host, "pbs");
    assert_eq!(pbs.len(), 1);
    let pb = &pbs[0];
    assert_eq!(pb["scoreData"]["score"], 1800);
    assert_eq!(pb["scoreData"]["lamp"], "HARD CLEAR");
    assert_eq!(pb["scoreData"]["optional"]["bp"], 8);
    assert_eq!(pb["scoreData"]["enumIndexes"]["lamp"], 5);
    let names: Vec<&str> = pb["composedFrom"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Best Score", "Best Lamp", "Lowest BP"]);
    assert_eq!(pb["composedFrom"][0]["scoreID"], doc.score_ids[0]);
    assert_eq!(pb["composedFrom"][1]["scoreID"], doc.score_ids[1]);
    assert_eq!(pb["composedFrom"][2]["scoreID"], doc.score_ids[2]);
    assert_eq!(pb["timeAchieved"], T0 + 2000);
    assert_eq!(pb["rankingData"]["rank"], 1);
    assert_eq!(pb["rankingData"]["outOf"], 1);
    // The lamp rating is recomputed on the merged lamp.
    assert!(pb["calculatedData"].get("ktLampRating").is_some());
}

#[test]
fn pb_rankings_count_every_user() {
    let e = env("rankings", false);
    e.host.ensure_user(2, "rival").unwrap();
    run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let request = kaiden::pipeline::ImportRequest {
        import_type: kaiden::core::ImportType::FileBatchManual,
        user: 2,
        user_intent: true,
        input: kaiden::core::format::ImportInput {
            bytes: &batch(vec![score("Alpha", 1700, "CLEAR", Some(T0))]),
            ..Default::default()
        },
        import_id: Some("0123456789abcdef0123456789abcdef01234567".into()),
    };
    let doc = block_on(kaiden::pipeline::import(
        &e.host,
        &kaiden::registry(),
        request,
        &NoProgress,
    ))
    .unwrap();
    assert_eq!(doc.import_id, "0123456789abcdef0123456789abcdef01234567");
    assert!(doc.user_intent);
    let mine = &docs(&e.host, "pbs")[0];
    assert_eq!(
        (
            mine["rankingData"]["rank"].as_u64(),
            mine["rankingData"]["outOf"].as_u64()
        ),
        (Some(2), Some(2))
    );
    let theirs = &e.host.documents("pbs", 2).unwrap()[0];
    assert_eq!(theirs["rankingData"]["rank"], 1);
}

fn with_classes(scores: Vec<Value>, dan: &str) -> Vec<u8> {
    serde_json::to_vec(
        &json!({"meta": {"game": "iidx", "playtype": "SP", "service": "kaiden tests"},
        "scores": scores, "classes": {"dan": dan}}),
    )
    .unwrap()
}

#[test]
fn provided_classes_yield_deltas_and_never_go_down() {
    let e = env("classes", false);
    let doc = run(
        &e.host,
        &with_classes(vec![score("Alpha", 1500, "CLEAR", Some(T0))], "DAN_10"),
    )
    .unwrap();
    let d: Vec<_> = doc.class_deltas.iter().filter(|d| d.set == "dan").collect();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].old.as_deref(), d[0].new.as_str()), (None, "DAN_10"));
    let lower = run(&e.host, &with_classes(vec![], "DAN_9")).unwrap();
    assert!(lower.class_deltas.iter().all(|d| d.set != "dan"));
    let stats = docs(&e.host, "game_stats");
    assert!(
        stats.iter().any(|s| s["classes"]["dan"] == "DAN_10"),
        "{stats:?}"
    );
    let higher = run(&e.host, &with_classes(vec![], "KAIDEN")).unwrap();
    let d: Vec<_> = higher
        .class_deltas
        .iter()
        .filter(|d| d.set == "dan")
        .collect();
    assert_eq!(
        (d[0].old.as_deref(), d[0].new.as_str()),
        (Some("DAN_10"), "KAIDEN")
    );
    assert!(
        docs(&e.host, "game_stats")
            .iter()
            .any(|s| s["classes"]["dan"] == "KAIDEN")
    );
}

#[test]
fn profile_ratings_are_stored_with_game_stats() {
    let e = env("ratings", false);
    run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0))]),
    )
    .unwrap();
    let stats = docs(&e.host, "game_stats");
    assert_eq!(stats.len(), 1);
    assert!(stats[0]["ratings"].get("ktLampRating").is_some());
    // BPI needs 20 PBs with a BPI; these charts have no kaiden average.
    assert_eq!(stats[0]["ratings"]["BPI"], Value::Null);
}

#[test]
fn goals_and_quests_progress_on_touched_charts_only() {
    let e = env("goals", false);
    e.host.subscribe_quest(USER, "Qtests").unwrap();
    e.host.subscribe_goal(USER, "Gbeta-aaa").unwrap();
    // Alpha SP HYPER is in no goal: nothing is evaluated.
    let none = run(
        &e.host,
        &batch(vec![json!({"score": 900, "lamp": "HARD CLEAR", "matchType": "songTitle", "identifier": "Alpha", "difficulty": "HYPER", "timeAchieved": T0})]),
    )
    .unwrap();
    assert!(none.goal_info.is_empty());
    assert!(none.quest_info.is_empty());

    let doc = run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0 + HOUR))]),
    )
    .unwrap();
    let mut ids: Vec<&str> = doc.goal_info.iter().map(|g| g.goal_id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec!["Gclear-12s", "Ghc-alpha"]);
    let hc = doc
        .goal_info
        .iter()
        .find(|g| g.goal_id == "Ghc-alpha")
        .unwrap();
    assert!(!hc.old.achieved);
    assert!(hc.new.achieved);
    assert_eq!(hc.new.progress, Some(5.0));
    assert_eq!(hc.new.out_of_human, "HARD CLEAR");
    let folder = doc
        .goal_info
        .iter()
        .find(|g| g.goal_id == "Gclear-12s")
        .unwrap();
    assert_eq!(
        (folder.new.progress, folder.new.out_of, folder.new.achieved),
        (Some(1.0), 2.0, false)
    );
    assert_eq!(doc.quest_info.len(), 1);
    assert_eq!(doc.quest_info[0].quest_id, "Qtests");
    assert_eq!(
        (
            doc.quest_info[0].old.progress,
            doc.quest_info[0].new.progress
        ),
        (0.0, 1.0)
    );

    let done = run(
        &e.host,
        &batch(vec![score("Beta", 800, "CLEAR", Some(T0 + 2 * HOUR))]),
    )
    .unwrap();
    let folder = done
        .goal_info
        .iter()
        .find(|g| g.goal_id == "Gclear-12s")
        .unwrap();
    assert!(folder.new.achieved);
    assert!(
        done.goal_info
            .iter()
            .any(|g| g.goal_id == "Gbeta-aaa" && !g.new.achieved)
    );
    assert_eq!(done.quest_info[0].new.progress, 2.0);
    assert!(done.quest_info[0].new.achieved);
    let subs = docs(&e.host, "goal_subs");
    let hc_sub = subs.iter().find(|s| s["goalID"] == "Ghc-alpha").unwrap();
    assert_eq!(hc_sub["achieved"], true);
    assert!(hc_sub["timeAchieved"].is_number());
    let quest = &docs(&e.host, "quest_subs")[0];
    assert_eq!(quest["achieved"], true);
}

#[test]
fn a_second_import_for_the_same_user_while_one_runs_gets_409() {
    let e = env("lock", false);
    let host = &e.host;
    let gate = Arc::new(Barrier::new(2));
    let file_a = batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]);
    let file_b = batch(vec![score("Beta", 700, "CLEAR", Some(T0))]);
    let (file_a, file_b) = (&file_a, &file_b);
    let (a, b) = std::thread::scope(|s| {
        let g = Arc::clone(&gate);
        let a = s.spawn(move || {
            let once = std::sync::Once::new();
            // While A is importing, let B try; then wait for B's answer.
            let progress = move |p: &ImportProgress| {
                if p.step == Step::Importing {
                    once.call_once(|| {
                        g.wait();
                        g.wait();
                    });
                }
            };
            run_with(host, file_a, &progress)
        });
        let g = Arc::clone(&gate);
        let b = s.spawn(move || {
            g.wait();
            let r = run(host, file_b);
            g.wait();
            r
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.is_ok(), "{a:?}");
    let err = b.expect_err("the second import is refused");
    assert_eq!(err.http_status(), 409);
    assert_eq!(err.message(), "This user already has an ongoing import.");
    let scores = docs(host, "scores");
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0]["chartID"], "alpha-spa");
    // The lock is released afterwards.
    assert!(run(host, file_b).is_ok());
}

#[test]
fn an_import_that_fails_part_way_leaves_the_database_as_it_was() {
    let e = env("rollback", true);
    e.host.subscribe_quest(USER, "Qtests").unwrap();
    run(
        &e.host,
        &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let before = e.host.dump().unwrap();
    // 3000 valid scores (more than one batch is stored), an orphan, then a malformed one.
    let mut scores: Vec<Value> = (0..3000)
        .map(|i| {
            score(
                if i % 2 == 0 { "Alpha" } else { "Beta" },
                1 + i as u32 / 4,
                "CLEAR",
                Some(T0 + i64::from(i) * 1000),
            )
        })
        .collect();
    scores.push(score("Nowhere", 1, "CLEAR", None));
    scores.push(json!({"score": 1, "lamp": "HARD CLAER", "matchType": "songTitle", "identifier": "Alpha", "difficulty": "ANOTHER"}));
    let err = run(&e.host, &batch(scores)).expect_err("malformed score is fatal");
    assert_eq!(err.http_status(), 400);
    assert_eq!(
        err.position().and_then(|p| p.field.as_deref()),
        Some("scores[3001].lamp")
    );
    assert_eq!(e.host.dump().unwrap(), before);
    // And the user is not left locked.
    assert!(run(&e.host, &batch(vec![score("Beta", 10, "CLEAR", None)])).is_ok());
}

#[test]
fn stored_import_documents_round_trip() {
    let e = env("stored", false);
    let doc = run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let back = block_on(kaiden::core::host::Host::import_document(
        &e.host,
        &doc.import_id,
    ))
    .unwrap();
    assert_eq!(back, Some(doc.clone()));
    let timings = e.host.import_timings(&doc.import_id).unwrap().unwrap();
    for step in ["parse", "import", "session", "pb", "ugs", "goal", "quest"] {
        assert!(timings["abs"][step].is_number(), "{step}: {timings}");
    }
}

#[test]
fn chart_level_validation_is_per_record() {
    let e = env("invalid", false);
    let doc = run(
        &e.host,
        &batch(vec![
            score("Beta", 1001, "CLEAR", None),
            score("Alpha", 10, "CLEAR", None),
        ]),
    )
    .unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.errors[0].error_type, ImportErrorType::InvalidDatapoint);
}

fn wacca_player(stage: &str) -> Vec<u8> {
    format!(
        "player_name,player_level,player_rate,player_stage,player_play_count,player_play_count_versus,player_play_count_coop,player_total_rp_earned,player_total_rp_spent\ncg505,120,2704,\"{stage}\",1274,57,0,2088515,531325\n"
    )
    .into_bytes()
}

fn import_typed(
    host: &kaiden_sqlite::SqliteHost,
    import_type: kaiden::core::ImportType,
    bytes: &[u8],
) -> kaiden::core::ImportDocument {
    let request = kaiden::pipeline::ImportRequest {
        import_type,
        user: USER,
        user_intent: false,
        input: kaiden::core::format::ImportInput {
            bytes,
            ..Default::default()
        },
        import_id: None,
    };
    block_on(kaiden::pipeline::import(
        host,
        &kaiden::registry(),
        request,
        &NoProgress,
    ))
    .unwrap()
}

#[test]
fn the_wacca_player_csv_yields_a_stage_up_delta_and_no_scores() {
    let e = env("wacca-player", false);
    let doc = import_typed(
        &e.host,
        kaiden::core::ImportType::FileMypagescraperPlayerCsv,
        &wacca_player("[12,ステージXII,2]"),
    );
    assert!(doc.score_ids.is_empty());
    assert_eq!(doc.class_deltas.len(), 1);
    let d = &doc.class_deltas[0];
    assert_eq!(
        (d.game.as_str(), d.set.as_str(), d.playtype.as_str()),
        ("wacca", "stageUp", "Single")
    );
    assert_eq!((d.old.as_deref(), d.new.as_str()), (None, "XII"));
    // No scores and no stats before: no stats document is created (Tachi's rule).
    assert!(docs(&e.host, "game_stats").is_empty());
    assert_eq!(
        serde_json::to_value(&doc).unwrap()["classDeltas"][0]["new"],
        "XII"
    );
}

#[test]
fn a_lock_left_by_a_crashed_process_blocks_for_24_hours_then_is_taken_over() {
    let e = env("stale-lock", false);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    // Another process holds the lock row (written straight into the file).
    let set_lock = |at: i64| {
        let c = rusqlite::Connection::open(e.host.path()).unwrap();
        c.execute(
            "INSERT OR REPLACE INTO import_locks (user_id, locked, locked_at) VALUES (?1, 1, ?2)",
            rusqlite::params![USER as i64, at],
        )
        .unwrap();
    };
    let file = batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]);
    set_lock(now - HOUR);
    assert_eq!(run(&e.host, &file).expect_err("held").http_status(), 409);
    set_lock(now - 25 * HOUR);
    let doc = run(&e.host, &file).expect("a stale lock is taken over");
    assert_eq!(doc.score_ids.len(), 1);
    // And released after the import.
    assert!(run(&e.host, &batch(vec![score("Beta", 10, "CLEAR", None)])).is_ok());
}

#[test]
fn a_lock_left_by_a_dead_process_is_taken_over_and_a_live_ones_is_not() {
    let e = env("dead-lock", false);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let set_lock = |pid: u32| {
        let c = rusqlite::Connection::open(e.host.path()).unwrap();
        c.execute(
            "INSERT OR REPLACE INTO import_locks (user_id, locked, locked_at, pid) VALUES (?1, 1, ?2, ?3)",
            rusqlite::params![USER as i64, now - HOUR, pid],
        )
        .unwrap();
    };
    let file = batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]);
    if std::path::Path::new("/proc/self").exists() {
        // pid 1 is alive for as long as the machine is.
        set_lock(1);
        assert_eq!(run(&e.host, &file).expect_err("held").http_status(), 409);
    }
    // A process that has exited (killed mid-import) holds nothing.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    set_lock(dead);
    let doc = run(&e.host, &file).expect("a dead process's lock is taken over");
    assert_eq!(doc.score_ids.len(), 1);
}

#[test]
fn imports_of_different_users_at_once_all_complete() {
    // Each import's reads of the state before it (stored scoreIDs, PBs,
    // sessions) must never wait behind another user's import that waits for
    // the writer: run many users' imports on one host at once.
    let e = env("different-users", false);
    let users: Vec<u64> = (10..18).collect();
    for u in &users {
        e.host.ensure_user(*u, &format!("player{u}")).unwrap();
    }
    let host = Arc::new(e.host);
    let (done, finished) = std::sync::mpsc::channel();
    for u in users.clone() {
        let (host, done) = (Arc::clone(&host), done.clone());
        std::thread::spawn(move || {
            for k in 0..10_u32 {
                let file = batch(vec![
                    score("Alpha", 100 + k, "CLEAR", Some(T0 + i64::from(k) * HOUR)),
                    score("Beta", 100 + k, "CLEAR", Some(T0 + i64::from(k) * HOUR)),
                ]);
                let doc = run_as(&host, u, &file, &NoProgress).unwrap();
                assert_eq!(doc.score_ids.len(), 2);
            }
            done.send(u).unwrap();
        });
    }
    for _ in &users {
        // Generous: a stall is the failure this test looks for.
        finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("every user's imports finish");
    }
    for u in users {
        assert_eq!(host.documents("scores", u).unwrap().len(), 20);
        assert_eq!(host.documents("imports", u).unwrap().len(), 10);
    }
}

#[test]
fn an_outside_writer_freezes_no_read_and_a_wait_for_it_ends_as_busy() {
    let e = env("outside-writer", false);
    e.host.ensure_user(2, "second").unwrap();
    let host = Arc::new(
        kaiden_sqlite::SqliteHost::open_with(
            e.host.path(),
            kaiden_sqlite::Timeouts {
                gate: std::time::Duration::from_secs(30),
                busy: std::time::Duration::from_millis(300),
            },
        )
        .unwrap(),
    );
    // Another process holds the file's write lock.
    let outside = rusqlite::Connection::open(e.host.path()).unwrap();
    outside.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Reads answer while it holds it.
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = Arc::clone(&host);
    std::thread::spawn(move || {
        tx.send((
            reader.user_exists(2),
            reader.documents("scores", USER).map(|d| d.len()),
        ))
        .unwrap();
    });
    let (exists, scores) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("reads do not wait for a writer");
    assert!(exists.unwrap());
    assert_eq!(scores.unwrap(), 0);
    // Imports of two users wait for it, then give up with a clear error.
    let waiting: Vec<_> = [USER, 2]
        .into_iter()
        .map(|u| {
            let host = Arc::clone(&host);
            std::thread::spawn(move || {
                run_as(
                    &host,
                    u,
                    &batch(vec![score("Alpha", 1, "CLEAR", None)]),
                    &NoProgress,
                )
            })
        })
        .collect();
    for w in waiting {
        let err = w
            .join()
            .unwrap()
            .expect_err("the write lock never came free");
        assert_eq!(err.http_status(), 503, "{err}");
        assert!(err.to_string().contains("another process"), "{err}");
    }
    // Once it lets go, both users import (nothing was left half-done).
    outside.execute_batch("ROLLBACK").unwrap();
    for u in [USER, 2] {
        let doc = run_as(
            &host,
            u,
            &batch(vec![score("Alpha", 1, "CLEAR", None)]),
            &NoProgress,
        )
        .unwrap();
        assert_eq!(doc.score_ids.len(), 1);
    }
}

/// A JSON value without the keys that differ between two runs of one import
/// (ids and session names drawn at random, wall-clock times).
fn without_run_keys(v: Value) -> Value {
    const RUN_KEYS: [&str; 9] = [
        "importID",
        "name",
        "sessionID",
        "timeAdded",
        "timeInserted",
        "timeStarted",
        "timeFinished",
        "timeCreated",
        "timings",
    ];
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| !RUN_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k, without_run_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_run_keys).collect()),
        other => other,
    }
}

#[test]
fn every_thread_count_imports_the_same() {
    // Conversion, preparation, hydration and document encoding run on several
    // threads for big batches: one thread and four must give the same
    // ImportDocument and the same stored documents, errors and duplicates in
    // record order. 6,000 records: scores on two charts over several sessions,
    // orphans (some twice), scores over the chart's maximum (rejected at
    // validation), and repeats (the first wins).
    let mut scores: Vec<Value> = Vec::new();
    for i in 0..6000u32 {
        let time = Some(T0 + i64::from(i) * 60_000 + i64::from(i / 500) * 3 * HOUR);
        let s = match i {
            _ if i % 17 == 0 && i > 0 => scores[i as usize - 1].clone(),
            _ if i % 7 == 0 => score("Gamma", i % 50, "CLEAR", time),
            _ if i % 11 == 0 => score("Beta", 5000 + i, "CLEAR", time),
            _ if i % 2 == 0 => score("Alpha", i % 2000, "CLEAR", time),
            _ => score("Beta", i % 1000, "HARD CLEAR", time),
        };
        scores.push(s);
    }
    let file = batch(scores);
    let import = |threads: usize| {
        let e = env(&format!("threads-{threads}"), false);
        let doc = kaiden_core::par::with_threads(threads, || run(&e.host, &file)).unwrap();
        let tables: Vec<Value> = ["scores", "orphans", "sessions", "pbs"]
            .iter()
            .map(|t| without_run_keys(Value::Array(docs(&e.host, t))))
            .collect();
        (doc, tables)
    };
    let (one, one_tables) = import(1);
    let (four, four_tables) = import(4);
    assert!(one.score_ids.len() > 1000, "{}", one.score_ids.len());
    assert!(one.errors.len() > 1000, "{}", one.errors.len());
    assert!(
        one.errors
            .iter()
            .any(|e| e.error_type == ImportErrorType::OrphanExists)
    );
    assert!(one.created_sessions.len() >= 10);
    assert_eq!(one.score_ids, four.score_ids);
    let json =
        |d: &kaiden::core::ImportDocument| without_run_keys(serde_json::to_value(d).unwrap());
    assert!(json(&one) == json(&four), "the ImportDocuments differ");
    for (table, (a, b)) in ["scores", "orphans", "sessions", "pbs"]
        .iter()
        .zip(one_tables.iter().zip(&four_tables))
    {
        let (a, b) = (a.as_array().unwrap(), b.as_array().unwrap());
        assert!(!a.is_empty(), "{table}");
        assert_eq!(a.len(), b.len(), "{table}");
        if let Some(i) = (0..a.len()).find(|i| a[*i] != b[*i]) {
            panic!("{table}[{i}] differs: {} / {}", a[i], b[i]);
        }
    }
}

/// A test trigger refusing rows on chart Beta, until lifted.
struct Refusal(rusqlite::Connection);

impl Refusal {
    fn lift(self) {
        self.0.execute_batch("DROP TRIGGER refuse_beta").unwrap();
    }
}

/// Imports one Alpha score, then makes the store refuse what `when` says (a
/// trigger's `BEFORE INSERT ON ...` clause); the database dump from before
/// the trigger.
fn refusing(e: &Env, when: &str) -> (Vec<String>, Refusal) {
    run(&e.host, &batch(vec![score("Alpha", 1, "CLEAR", Some(T0))])).unwrap();
    let before = e.host.dump().unwrap();
    let raw = rusqlite::Connection::open(e.host.path()).unwrap();
    raw.execute_batch(&format!(
        "CREATE TRIGGER refuse_beta BEFORE INSERT ON {when} \
         BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END;"
    ))
    .unwrap();
    (before, Refusal(raw))
}

/// [`refusing`] rows of `table` on chart Beta.
fn refusing_beta(e: &Env, table: &str) -> (Vec<String>, Refusal) {
    refusing(e, &format!("{table} WHEN NEW.chart_id = 'beta-spa'"))
}

/// Importing `scores` fails with the trigger's error and leaves the database
/// as `before`.
fn import_is_refused_and_changes_nothing(e: &Env, before: &[String], scores: Vec<Value>) {
    let err = run(&e.host, &batch(scores)).expect_err("the refused write fails the import");
    assert!(
        err.to_string().contains("refused by the test trigger"),
        "{err}"
    );
    assert_eq!(e.host.dump().unwrap(), before);
}

#[test]
fn a_score_insert_failing_behind_the_pipeline_fails_the_import_and_changes_nothing() {
    // Score rows are written on a thread of their own while the next batch is
    // read; a failed write must still fail the import, roll everything back and
    // release the lock. A trigger makes the store refuse Beta's scores, the
    // first of which is in the second batch.
    let e = env("write-behind", false);
    let (before, refusal) = refusing_beta(&e, "scores");
    let mut scores: Vec<Value> = (0..2100u32)
        .map(|i| score("Alpha", 2 + i / 3, "CLEAR", Some(T0 + i64::from(i) * 1000)))
        .collect();
    scores.push(score("Beta", 10, "CLEAR", Some(T0)));
    scores.extend((0..500u32).map(|i| score("Alpha", 1000 + i, "HARD CLEAR", None)));
    import_is_refused_and_changes_nothing(&e, &before, scores);
    refusal.lift();
    let doc = run(&e.host, &batch(vec![score("Beta", 10, "CLEAR", Some(T0))])).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
}

#[test]
fn a_pb_write_failing_behind_the_pipeline_fails_the_import_and_changes_nothing() {
    // PBs are written on the writer thread while the next chunk is built; a
    // refused PB write fails the import and rolls back scores, sessions, PBs.
    let e = env("pb-write-behind", false);
    let (before, refusal) = refusing_beta(&e, "pbs");
    import_is_refused_and_changes_nothing(
        &e,
        &before,
        vec![
            score("Alpha", 900, "HARD CLEAR", Some(T0 + 1000)),
            score("Beta", 10, "CLEAR", Some(T0 + 2000)),
        ],
    );
    refusal.lift();
    let doc = run(&e.host, &batch(vec![score("Beta", 10, "CLEAR", Some(T0))])).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
}

#[test]
fn pbs_merge_scores_stored_before_the_import_with_its_own() {
    // The PB step reads the user's earlier scores from the state before the
    // import while this import's PB writes are still behind it.
    let e = env("pb-before", false);
    run(
        &e.host,
        &batch(vec![score("Alpha", 1400, "EASY CLEAR", Some(T0))]),
    )
    .unwrap();
    let mut later = vec![score("Alpha", 900, "FULL COMBO", Some(T0 + 1000))];
    later.extend((0..600u32).map(|i| score("Beta", i, "FAILED", None)));
    run(&e.host, &batch(later)).unwrap();
    let pbs = docs(&e.host, "pbs");
    let alpha = pbs.iter().find(|p| p["chartID"] == "alpha-spa").unwrap();
    assert_eq!(alpha["scoreData"]["score"], 1400);
    assert_eq!(alpha["scoreData"]["lamp"], "FULL COMBO");
    assert_eq!(alpha["composedFrom"].as_array().unwrap().len(), 2);
}

#[test]
fn imports_are_checkpointed_off_the_importing_thread() {
    // The import's connection never checkpoints (its caller does not wait for
    // the WAL to be copied); the host's checkpoint thread folds it into the
    // database file afterwards.
    let e = env("checkpoint", false);
    e.host.finish_checkpoints();
    let db_len = || std::fs::metadata(e.host.path()).unwrap().len();
    let before = db_len();
    let scores: Vec<Value> = (0..4000u32)
        .map(|i| score("Alpha", i % 2000, "CLEAR", Some(T0 + i64::from(i) * 1000)))
        .collect();
    let doc = run(&e.host, &batch(scores)).unwrap();
    assert_eq!(doc.score_ids.len(), 2000);
    e.host.finish_checkpoints();
    assert!(
        db_len() > before + 1_000_000,
        "database file {} bytes after the checkpoint, {before} before",
        db_len()
    );
}

/// A score on Alpha with a BP count.
fn score_bp(ex: u32, lamp: &str, bp: u32, time: Option<i64>) -> Value {
    let mut s = score("Alpha", ex, lamp, time);
    s["optional"] = json!({"bp": bp});
    s
}

/// The stored PB on Alpha and the PB built from every stored score of the user
/// on it (in storing order), without their rankings.
fn alpha_pb_and_pb_of_every_score(host: &kaiden_sqlite::SqliteHost) -> (Value, Value) {
    use kaiden::core::ScoreDocument;
    use kaiden::core::documents::ChartDocument;
    use kaiden::core::host::ChartLookup as _;
    let chart: ChartDocument =
        block_on(host.charts_by_id(kaiden::core::Game::Iidx, &["alpha-spa".to_owned()]))
            .unwrap()
            .first()
            .map(|c| (**c).clone())
            .unwrap();
    let scores: Vec<ScoreDocument> = docs(host, "scores")
        .into_iter()
        .filter(|s| s["chartID"] == "alpha-spa")
        .map(|s| serde_json::from_value(s).unwrap())
        .collect();
    let refs: Vec<&ScoreDocument> = scores.iter().collect();
    let built = kaiden::pipeline::pb::build_pb(Gpt::IidxSp, USER, &chart, &refs)
        .unwrap()
        .unwrap();
    let mut want = serde_json::to_value(built).unwrap();
    let mut got = docs(host, "pbs")
        .into_iter()
        .find(|p| p["chartID"] == "alpha-spa")
        .unwrap();
    for pb in [&mut want, &mut got] {
        pb.as_object_mut().unwrap().remove("rankingData");
    }
    (got, want)
}

#[test]
fn pbs_built_import_by_import_equal_the_pb_of_every_score() {
    // PB merging reads, of the scores stored before an import, only those the
    // stored PB is composed from: over many imports with ties in every
    // criterion, the PB is still the one every score gives.
    let e = env("pb-every", false);
    let mut state = 0x9e37_79b9_u32;
    let mut next = |n: u32| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state % n
    };
    const LAMPS: [&str; 5] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR", "FULL COMBO"];
    for import in 0..12i64 {
        let scores: Vec<Value> = (0..6i64)
            .map(|i| {
                // Few distinct values: ties in score, lamp, BP and time.
                let time = (next(4) > 0).then(|| T0 + i64::from(next(3)) * 1000 + import);
                score_bp(
                    1500 + next(4) * 100,
                    LAMPS[next(5) as usize],
                    next(3) * 10 + u32::try_from(i).unwrap() % 2,
                    time,
                )
            })
            .collect();
        run(&e.host, &batch(scores)).unwrap();
        let (got, want) = alpha_pb_and_pb_of_every_score(&e.host);
        assert_eq!(got, want, "after import {import}");
    }
}

#[test]
fn a_pb_naming_a_score_that_is_gone_is_rebuilt_from_every_score() {
    let e = env("pb-gone", false);
    run(
        &e.host,
        &batch(vec![
            score_bp(1400, "EASY CLEAR", 50, Some(T0)),
            score_bp(900, "FULL COMBO", 0, Some(T0 + 1000)),
            score_bp(800, "HARD CLEAR", 5, Some(T0 + 2000)),
        ]),
    )
    .unwrap();
    // The best lamp's score (FULL COMBO) is removed behind kaiden's back.
    let c = rusqlite::Connection::open(e.host.path()).unwrap();
    let gone = c
        .execute(
            "DELETE FROM scores WHERE json_extract(doc, '$.scoreData.lamp') = 'FULL COMBO'",
            [],
        )
        .unwrap();
    assert_eq!(gone, 1);
    drop(c);
    run(
        &e.host,
        &batch(vec![score_bp(100, "FAILED", 99, Some(T0 + 3000))]),
    )
    .unwrap();
    let (got, want) = alpha_pb_and_pb_of_every_score(&e.host);
    assert_eq!(got, want);
    assert_eq!(got["scoreData"]["lamp"], "HARD CLEAR", "{got}");
    assert_eq!(got["scoreData"]["optional"]["bp"], 5, "{got}");
}

#[test]
fn a_version_2_database_loses_its_user_chart_index_on_opening() {
    let e = env("schema-v2", false);
    run(
        &e.host,
        &batch(vec![score_bp(1400, "EASY CLEAR", 50, Some(T0))]),
    )
    .unwrap();
    let c = rusqlite::Connection::open(e.host.path()).unwrap();
    c.execute_batch(
        "CREATE INDEX scores_user_chart ON scores (user_id, chart_id);
         UPDATE meta SET value = '2' WHERE key = 'schema_version';",
    )
    .unwrap();
    let indexes = |c: &rusqlite::Connection| -> i64 {
        c.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'scores_user_chart'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(indexes(&c), 1);
    let host = kaiden_sqlite::SqliteHost::open(e.host.path()).unwrap();
    assert_eq!(indexes(&c), 0);
    let version: String = c
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, kaiden_sqlite::SCHEMA_VERSION.to_string());
    // Its scores and PBs carry on.
    run(
        &host,
        &batch(vec![score_bp(900, "FULL COMBO", 70, Some(T0 + 1000))]),
    )
    .unwrap();
    let (got, want) = alpha_pb_and_pb_of_every_score(&host);
    assert_eq!(got, want);
    assert_eq!(got["scoreData"]["score"], 1400);
    assert_eq!(got["scoreData"]["lamp"], "FULL COMBO");
}

#[test]
fn a_session_write_failing_behind_the_pipeline_fails_the_import_and_changes_nothing() {
    // Sessions are queued on the writer thread behind the import's last score
    // batch and its page-cache flush; a refused session write still fails the
    // import and rolls everything back.
    let e = env("session-write-behind", false);
    let (before, refusal) = refusing(&e, "sessions");
    // Three hours later: a new session, and enough scores for several batches.
    let later = T0 + 3 * 3_600_000;
    let scores: Vec<Value> = (0..3000u32)
        .map(|i| score("Alpha", 2 + i / 2, "CLEAR", Some(later + i64::from(i))))
        .collect();
    import_is_refused_and_changes_nothing(&e, &before, scores);
    refusal.lift();
    let doc = run(
        &e.host,
        &batch(vec![score("Alpha", 5, "CLEAR", Some(later))]),
    )
    .unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    assert_eq!(doc.created_sessions.len(), 1);
}
