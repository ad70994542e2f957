//! The cases, each generic over the host.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Barrier};

use kaiden::core::documents::SessionInfoType;
use kaiden::core::{Gpt, ImportErrorType, ScoreData};
use kaiden::pipeline::{ImportProgress, NoProgress, Step};
use kaiden::score_id::score_id;
use serde_json::{Value, json};

use crate::*;

fn reorphan<H: TestHost>(host: &H) -> (u64, u64, u64, u64) {
    let r = block_on(kaiden::pipeline::reprocess_orphans(
        host.host(),
        &kaiden::registry(),
        USER,
        &NoProgress,
    ))
    .unwrap();
    (r.processed, r.failed, r.success, r.removed)
}

/// A case of the suite (its name says what it checks).
pub fn importing_the_same_file_twice_imports_nothing_the_second_time<H: TestHost>() {
    let e = env::<H>("twice", false);
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

/// A case of the suite (its name says what it checks).
pub fn duplicates_within_one_import_keep_the_first<H: TestHost>() {
    let e = env::<H>("dupes", false);
    let s = score("Alpha", 1500, "HARD CLEAR", Some(T0));
    let doc = run(&e.host, &batch(vec![s.clone(), s])).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
}

fn with_bad_judgements(mut s: Value) -> Value {
    s["judgements"] = json!({"pgreat": 1, "great": 0});
    s
}

/// A case of the suite (its name says what it checks).
pub fn an_invalid_score_does_not_shadow_a_valid_one_with_its_score_id<H: TestHost>() {
    // Tachi takes a scoreID once its score passes validation: the invalid
    // first score is rejected, the valid second one imported. And a valid
    // first score makes a later one of its scoreID a duplicate, skipped before
    // it is validated (no error).
    let e = env::<H>("dupes-invalid-first", false);
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

    let e = env::<H>("dupes-valid-first", false);
    let doc = run(&e.host, &batch(vec![valid.clone(), invalid.clone()])).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);

    // The invalid one batches before the valid one.
    let e = env::<H>("dupes-invalid-batches-before", false);
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

/// A case of the suite (its name says what it checks).
pub fn check_and_import_agree_on_every_record<H: TestHost>() {
    let e = env::<H>("check-agrees", false);
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
        e.host.host(),
        &kaiden::registry(),
        kaiden::core::ImportType::FILE_BATCH_MANUAL,
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

/// A case of the suite (its name says what it checks).
pub fn duplicates_batches_apart_keep_the_first_while_earlier_batches_are_still_being_written<
    H: TestHost,
>() {
    // The host answers dedupe from the state before the import (its writer
    // thread may still be storing the previous batch): the pipeline's own
    // memory must catch repeats of scores it stored in earlier batches.
    let e = env::<H>("dupes-far", false);
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

/// A case of the suite (its name says what it checks).
pub fn two_orphans_that_become_the_same_score_import_it_once<H: TestHost>() {
    let e = env::<H>("orphans-same-score", false);
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

/// A case of the suite (its name says what it checks).
pub fn unknown_charts_become_orphans_and_are_imported_once_the_chart_exists<H: TestHost>() {
    let e = env::<H>("orphans", false);
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

/// A case of the suite (its name says what it checks).
pub fn orphans_that_fail_for_other_reasons_are_removed<H: TestHost>() {
    let e = env::<H>("orphans-removed", false);
    // EX 5000 is impossible on a 600-note chart: once Gamma exists this is invalid.
    run(&e.host, &batch(vec![score("Gamma", 5000, "CLEAR", None)])).unwrap();
    let seeds = e.dir.join("seeds");
    write_seeds(&seeds, true);
    e.host.load_seeds(&seeds).unwrap();
    assert_eq!(reorphan(&e.host), (1, 0, 0, 1));
    assert!(docs(&e.host, "orphans").is_empty());
    assert!(docs(&e.host, "scores").is_empty());
}

/// A case of the suite (its name says what it checks).
pub fn sessions_split_at_two_hours_and_later_imports_append<H: TestHost>() {
    let e = env::<H>("sessions", false);
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
    // Ten more plays join it: its ratings (the best 10 of each, null with
    // fewer) are those of all its scores, the ones stored before (read back
    // through `score_ratings_by_id`) and the new ones.
    let more: Vec<Value> = (0..10)
        .map(|i| {
            let (song, lamp) = if i % 2 == 0 {
                ("Alpha", "EX HARD CLEAR")
            } else {
                ("Beta", "EASY CLEAR")
            };
            score(
                song,
                500 + i,
                lamp,
                Some(T0 + 5 * HOUR + i64::from(i + 1) * 60_000),
            )
        })
        .collect();
    let last = run(&e.host, &batch(more)).unwrap();
    assert_eq!(
        last.created_sessions[0].info_type,
        SessionInfoType::Appended
    );
    let sessions = docs(&e.host, "sessions");
    let appended = &sessions[1];
    assert_eq!(appended["scoreIDs"].as_array().unwrap().len(), 12);
    let scores = docs(&e.host, "scores");
    let ratings: Vec<std::collections::BTreeMap<String, Option<f64>>> = appended["scoreIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            let s = scores.iter().find(|s| s["scoreID"] == *id).unwrap();
            serde_json::from_value(s["calculatedData"].clone()).unwrap()
        })
        .collect();
    let want = kaiden::pipeline::aggregate::session_calculated_data(
        Gpt::IidxSp,
        ratings
            .iter()
            .map(|r| r as &dyn kaiden::pipeline::aggregate::Ratings),
    );
    assert!(want.values().any(Option::is_some), "{want:?}");
    let got: std::collections::BTreeMap<String, Option<f64>> =
        serde_json::from_value(appended["calculatedData"].clone()).unwrap();
    assert_eq!(got, want);
    let first = &sessions[0];
    let alone: std::collections::BTreeMap<String, Option<f64>> =
        serde_json::from_value(first["calculatedData"].clone()).unwrap();
    assert_ne!(got, alone, "the new score changed the ratings");
}

/// A case of the suite (its name says what it checks).
pub fn pbs_merge_best_score_best_lamp_and_lowest_bp<H: TestHost>() {
    let e = env::<H>("pbs", false);
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
    assert_eq!(pb["composedFrom"][0]["scoreID"], doc.score_ids.to_vec()[0]);
    assert_eq!(pb["composedFrom"][1]["scoreID"], doc.score_ids.to_vec()[1]);
    assert_eq!(pb["composedFrom"][2]["scoreID"], doc.score_ids.to_vec()[2]);
    assert_eq!(pb["timeAchieved"], T0 + 2000);
    assert_eq!(pb["rankingData"]["rank"], 1);
    assert_eq!(pb["rankingData"]["outOf"], 1);
    // The lamp rating is recomputed on the merged lamp.
    assert!(pb["calculatedData"].get("ktLampRating").is_some());
}

/// A case of the suite (its name says what it checks).
pub fn pb_rankings_count_every_user<H: TestHost>() {
    let e = env::<H>("rankings", false);
    e.host.ensure_user(2, "rival").unwrap();
    run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let request = kaiden::pipeline::ImportRequest {
        import_type: kaiden::core::ImportType::FILE_BATCH_MANUAL,
        user: 2,
        user_intent: true,
        input: kaiden::core::format::ImportInput {
            bytes: &batch(vec![score("Alpha", 1700, "CLEAR", Some(T0))]),
            ..Default::default()
        },
        import_id: Some("0123456789abcdef0123456789abcdef01234567".into()),
    };
    let doc = block_on(kaiden::pipeline::import(
        e.host.host(),
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

/// A case of the suite (its name says what it checks).
pub fn provided_classes_yield_deltas_and_never_go_down<H: TestHost>() {
    let e = env::<H>("classes", false);
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

/// A case of the suite (its name says what it checks).
pub fn profile_ratings_are_stored_with_game_stats<H: TestHost>() {
    let e = env::<H>("ratings", false);
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

/// A case of the suite (its name says what it checks).
pub fn goals_and_quests_progress_on_touched_charts_only<H: TestHost>() {
    let e = env::<H>("goals", false);
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

/// A case of the suite (its name says what it checks).
pub fn a_second_import_for_the_same_user_while_one_runs_gets_409<H: TestHost>() {
    let e = env::<H>("lock", false);
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

/// A case of the suite (its name says what it checks).
pub fn an_import_that_fails_part_way_leaves_the_database_as_it_was<H: TestHost>() {
    let e = env::<H>("rollback", true);
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

/// A case of the suite (its name says what it checks).
pub fn stored_import_documents_round_trip<H: TestHost>() {
    let e = env::<H>("stored", false);
    let doc = run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let back = block_on(kaiden::core::host::Host::import_document(
        e.host.host(),
        &doc.import_id,
    ))
    .unwrap();
    assert_eq!(back, Some(doc.clone()));
    let timings = e.host.import_timings(&doc.import_id).unwrap().unwrap();
    for step in ["parse", "import", "session", "pb", "ugs", "goal", "quest"] {
        assert!(timings["abs"][step].is_number(), "{step}: {timings}");
    }
}

/// A case of the suite (its name says what it checks).
pub fn chart_level_validation_is_per_record<H: TestHost>() {
    let e = env::<H>("invalid", false);
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

fn import_typed<H: TestHost>(
    host: &H,
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
        host.host(),
        &kaiden::registry(),
        request,
        &NoProgress,
    ))
    .unwrap()
}

/// A case of the suite (its name says what it checks).
pub fn the_wacca_player_csv_yields_a_stage_up_delta_and_no_scores<H: TestHost>() {
    let e = env::<H>("wacca-player", false);
    let doc = import_typed(
        &e.host,
        kaiden::core::ImportType::FILE_MYPAGESCRAPER_PLAYER_CSV,
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

/// A case of the suite (its name says what it checks).
pub fn imports_of_different_users_at_once_all_complete<H: TestHost>() {
    // Each import's reads of the state before it (stored scoreIDs, PBs,
    // sessions) must never wait behind another user's import that waits for
    // the writer: run many users' imports on one host at once.
    let e = env::<H>("different-users", false);
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
                let doc = run_as(&*host, u, &file, &NoProgress).unwrap();
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

/// A case of the suite (its name says what it checks).
pub fn every_thread_count_imports_the_same<H: TestHost>() {
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
        let e = env::<H>(&format!("threads-{threads}"), false);
        let doc = kaiden_par::with_threads(threads, || run(&e.host, &file)).unwrap();
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

/// A case of the suite (its name says what it checks).
pub fn pbs_merge_scores_stored_before_the_import_with_its_own<H: TestHost>() {
    // The PB step reads the user's earlier scores from the state before the
    // import while this import's PB writes are still behind it.
    let e = env::<H>("pb-before", false);
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

pub fn score_bp(ex: u32, lamp: &str, bp: u32, time: Option<i64>) -> Value {
    let mut s = score("Alpha", ex, lamp, time);
    s["optional"] = json!({"bp": bp});
    s
}

fn alpha_pb_and_pb_of_every_score<H: TestHost>(host: &H) -> (Value, Value) {
    alpha_pb_and_pb_of_every_score_from(host.host(), docs(host, "scores"), docs(host, "pbs"))
}

/// The stored PB on Alpha (among `pbs`) and the PB built from every score of
/// `scores` on it (in storing order), without their rankings.
pub fn alpha_pb_and_pb_of_every_score_from(
    lookup: &impl kaiden::core::host::ChartLookup,
    scores: Vec<Value>,
    pbs: Vec<Value>,
) -> (Value, Value) {
    use kaiden::core::ScoreDocument;
    use kaiden::core::documents::ChartDocument;
    let chart: ChartDocument =
        block_on(lookup.charts_by_id(kaiden::core::Game::Iidx, &["alpha-spa".to_owned()]))
            .unwrap()
            .first()
            .map(|c| (**c).clone())
            .unwrap();
    let scores: Vec<ScoreDocument> = scores
        .into_iter()
        .filter(|s| s["chartID"] == "alpha-spa")
        .map(|s| serde_json::from_value(s).unwrap())
        .collect();
    let refs: Vec<&ScoreDocument> = scores.iter().collect();
    let built = kaiden::pipeline::pb::build_pb(Gpt::IidxSp, USER, &chart, &refs)
        .unwrap()
        .unwrap();
    let mut want = serde_json::to_value(built).unwrap();
    let mut got = pbs
        .into_iter()
        .find(|p| p["chartID"] == "alpha-spa")
        .unwrap();
    for pb in [&mut want, &mut got] {
        pb.as_object_mut().unwrap().remove("rankingData");
    }
    (got, want)
}

/// A case of the suite (its name says what it checks).
pub fn pbs_built_import_by_import_equal_the_pb_of_every_score<H: TestHost>() {
    // PB merging reads, of the scores stored before an import, only those the
    // stored PB is composed from: over many imports with ties in every
    // criterion, the PB is still the one every score gives.
    let e = env::<H>("pb-every", false);
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

/// A case of the suite (its name says what it checks).
pub fn a_reported_class_is_set_only_if_higher<H: TestHost>() {
    use kaiden::pipeline::update_class_if_greater;
    let e = env::<H>("class-if-greater", false);
    let set = |class: &str| {
        block_on(update_class_if_greater(
            e.host.host(),
            USER,
            Gpt::IidxSp,
            "dan",
            class,
        ))
    };
    let first = set("DAN_5").unwrap().expect("nothing stored: set");
    assert_eq!((first.old.as_deref(), first.new.as_str()), (None, "DAN_5"));
    assert_eq!(set("DAN_3").unwrap(), None, "lower: unchanged");
    assert_eq!(set("DAN_5").unwrap(), None, "equal: unchanged");
    let up = set("KAIDEN").unwrap().expect("higher: set");
    assert_eq!(
        (up.old.as_deref(), up.new.as_str()),
        (Some("DAN_5"), "KAIDEN")
    );
    let stats = docs(&e.host, "game_stats");
    assert_eq!(stats.len(), 1, "{stats:?}");
    assert_eq!(stats[0]["classes"]["dan"], "KAIDEN");
    // Scores imported afterwards keep the class and add their ratings.
    run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0))]),
    )
    .unwrap();
    let stats = docs(&e.host, "game_stats");
    assert_eq!(stats[0]["classes"]["dan"], "KAIDEN");
    assert!(stats[0]["ratings"].get("ktLampRating").is_some());
    // An unknown set or value is refused and writes nothing.
    assert_eq!(set("NOT_A_DAN").unwrap_err().http_status(), 400);
    assert!(
        block_on(update_class_if_greater(
            e.host.host(),
            USER,
            Gpt::IidxDp,
            "nope",
            "DAN_1"
        ))
        .is_err()
    );
    assert_eq!(docs(&e.host, "game_stats").len(), 1);
}

/// A case of the suite (its name says what it checks).
pub fn highlighting_marks_stored_scores_and_leaves_unknown_ids<H: TestHost>() {
    use kaiden::core::host::{Host, ImportTransaction, ScoreStore};
    let e = env::<H>("highlight", false);
    let doc = run(
        &e.host,
        &batch(vec![
            score("Alpha", 1500, "HARD CLEAR", Some(T0)),
            score("Beta", 800, "CLEAR", Some(T0 + 1000)),
        ]),
    )
    .unwrap();
    let target = doc.score_ids.to_vec()[1].clone();
    block_on(async {
        let mut tx = e.host.host().begin_import(USER).await.unwrap();
        tx.highlight_scores(&[target.clone(), "T-unknown".to_owned()])
            .await
            .unwrap();
        tx.commit().await.unwrap();
    });
    let scores = docs(&e.host, "scores");
    assert_eq!(scores.len(), 2);
    for s in &scores {
        let want = s["scoreID"] == target.as_str();
        assert_eq!(s["highlight"], json!(want), "{s}");
    }
    // A rolled-back highlight is not kept.
    block_on(async {
        let mut tx = e.host.host().begin_import(USER).await.unwrap();
        tx.highlight_scores(&[doc.score_ids.to_vec()[0].clone()])
            .await
            .unwrap();
        tx.rollback().await.unwrap();
    });
    let first = docs(&e.host, "scores")
        .into_iter()
        .find(|s| s["scoreID"] == doc.score_ids.to_vec()[0].as_str())
        .unwrap();
    assert_eq!(first["highlight"], json!(false));
}

/// A case of the suite (its name says what it checks).
pub fn bms_courses_load_from_the_seeds_and_are_found_by_md5sums<H: TestHost>() {
    use kaiden::core::host::Host;
    let e = env::<H>("courses", false);
    let md5s = "a".repeat(128);
    let lookup = e.dir.join("courses");
    std::fs::create_dir_all(&lookup).unwrap();
    let write = |courses: Value| {
        std::fs::write(
            lookup.join("bms-course-lookup.json"),
            serde_json::to_vec(&courses).unwrap(),
        )
        .unwrap();
        e.host.load_seeds(&lookup).unwrap();
    };
    assert_eq!(block_on(e.host.host().bms_course(&md5s)).unwrap(), None);
    write(json!([
        {"title": "Course A", "md5sums": md5s, "set": "genocideDan", "playtype": "7K", "value": "OVERJOY"},
        {"title": "Course B", "md5sums": "b".repeat(128), "set": "stslDan", "playtype": "14K", "value": "SL0"}
    ]));
    let a = block_on(e.host.host().bms_course(&md5s)).unwrap().unwrap();
    assert_eq!(
        (a.title.as_str(), a.set.as_str(), a.value.as_str()),
        ("Course A", "genocideDan", "OVERJOY")
    );
    assert_eq!(a.playtype.as_str(), "7K");
    assert_eq!(block_on(e.host.host().bms_course("nope")).unwrap(), None);
    // A new lookup file replaces the list.
    write(json!([
        {"title": "Course B", "md5sums": "b".repeat(128), "set": "stslDan", "playtype": "14K", "value": "SL1"}
    ]));
    assert_eq!(block_on(e.host.host().bms_course(&md5s)).unwrap(), None);
    let b = block_on(e.host.host().bms_course(&"b".repeat(128)))
        .unwrap()
        .unwrap();
    assert_eq!(b.value, "SL1");
    // The seeds' songs and charts are untouched by a folder without them.
    let doc = run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0))]),
    )
    .unwrap();
    assert_eq!(doc.score_ids.len(), 1);
}

fn beatoraja(user: u64, host: &impl TestHost, exscore: u32) -> kaiden::core::ImportDocument {
    use kaiden::core::ImportType;
    use kaiden::core::format::ImportInput;
    let body = json!({
        "client": "LR2oraja 0.8.0",
        "score": {
            "sha256": "5".repeat(64), "exscore": exscore, "passnotes": 500, "gauge": 80,
            "deviceType": "KEYBOARD", "minbp": 10, "option": 0, "lntype": 0, "clear": "Hard",
            "assist": 0, "maxcombo": 100, "epg": exscore / 4, "egr": 0, "egd": 0, "ebd": 0,
            "epr": 0, "lpg": exscore / 2 - exscore / 4, "lgr": exscore % 2, "lgd": 0, "lbd": 0,
            "lpr": 0, "ems": 0, "lms": 0
        },
        "chart": {
            "md5": "6".repeat(32), "sha256": "5".repeat(64), "title": "Fresh Chart",
            "subtitle": "", "genre": "G", "artist": "Someone", "subartist": "",
            "total": 300, "lntype": 0, "mode": "BEAT_7K", "judge": 100, "notes": 500,
            "hasUndefinedLN": false, "hasRandom": false
        }
    })
    .to_string();
    let request = kaiden::pipeline::ImportRequest {
        import_type: ImportType::IR_BEATORAJA,
        user,
        user_intent: false,
        input: ImportInput {
            bytes: body.as_bytes(),
            stream: None,
            filename: None,
            fields: std::collections::BTreeMap::new(),
            headers: std::collections::BTreeMap::new(),
        },
        import_id: None,
    };
    block_on(kaiden::pipeline::import(
        host.host(),
        &kaiden::registry(),
        request,
        &NoProgress,
    ))
    .unwrap()
}

/// A case of the suite (its name says what it checks).
pub fn an_unknown_chart_is_created_once_three_players_sent_it<H: TestHost>() {
    use kaiden::core::host::Host;
    let e = env::<H>("charts-from-play", false);
    for (u, name) in [(2, "two"), (3, "three"), (4, "four")] {
        e.host.ensure_user(u, name).unwrap();
    }
    let key = format!("bms:{}", "5".repeat(64));
    let pending = || block_on(e.host.host().pending_chart(&key)).unwrap();
    // Player 1, twice, then player 2: queued, their scores kept as orphans.
    for (user, ex) in [(USER, 600), (USER, 650), (2, 700)] {
        let doc = beatoraja(user, &e.host, ex);
        assert!(doc.score_ids.is_empty());
        assert_eq!(doc.errors.len(), 1);
        assert_eq!(
            doc.errors[0].error_type,
            ImportErrorType::SongOrChartNotFound
        );
        assert_eq!(
            doc.errors[0].message,
            "This chart (Someone - Fresh Chart) is orphaned."
        );
    }
    let p = pending().expect("queued");
    assert_eq!(p.users, vec![USER, 2]);
    assert_eq!(p.song.title, "Fresh Chart");
    assert_eq!(docs(&e.host, "orphans").len(), 2);
    // Player 3 creates it: their score is imported at once, and players 1 and
    // 2 have theirs imported from their orphans.
    let doc = beatoraja(3, &e.host, 720);
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    assert!(doc.errors.is_empty());
    assert_eq!(pending(), None);
    let scores_of = |u: u64| e.host.documents("scores", u).unwrap();
    assert_eq!(scores_of(USER).len(), 2);
    assert_eq!(scores_of(2).len(), 1);
    assert_eq!(scores_of(3).len(), 1);
    assert!(docs(&e.host, "orphans").is_empty());
    let chart_id = scores_of(3)[0]["chartID"].clone();
    assert_eq!(chart_id.as_str().map(str::len), Some(40));
    assert!(scores_of(USER).iter().all(|s| s["chartID"] == chart_id));
    assert_eq!(scores_of(3)[0]["songID"], 1, "the game's first song id");
    // Player 4 finds the chart like any other.
    let doc = beatoraja(4, &e.host, 730);
    assert_eq!(doc.score_ids.len(), 1);
    assert_eq!(scores_of(4)[0]["chartID"], chart_id);
    assert_eq!(pending(), None);
}

/// A case of the suite (its name says what it checks).
pub fn an_export_imports_back_to_the_same_scores<H: TestHost>() {
    let e = env::<H>("export", true);
    e.host.ensure_user(2, "other").unwrap();
    // 1,200 scores on Alpha (more than one page of the host's reads), with
    // judgements, optional metrics, comments and scoreMeta on some; one on
    // Beta without a time; an orphan; another user's score.
    let mut scores: Vec<Value> = (0..1200u32)
        .map(|i| {
            let mut s = score_bp(300 + i, "CLEAR", i % 50, Some(T0 + i64::from(i) * 1000));
            if i % 3 == 0 {
                let pgreat = (300 + i) / 2;
                let great = 300 + i - 2 * pgreat;
                s["judgements"] =
                    json!({"pgreat": pgreat, "great": great, "good": 3, "bad": 1, "poor": 2});
                s["comment"] = json!(format!("play {i}"));
                s["scoreMeta"] = json!({"random": "MIRROR"});
            }
            s
        })
        .collect();
    scores.push(score("Beta", 800, "HARD CLEAR", None));
    scores.push(score("Nobody", 10, "FAILED", None));
    let first = run(&e.host, &batch(scores)).unwrap();
    assert_eq!(first.score_ids.len(), 1201);
    run_as(
        &e.host,
        2,
        &batch(vec![score("Gamma", 900, "CLEAR", Some(T0))]),
        &NoProgress,
    )
    .unwrap();

    let export = block_on(kaiden::batch_manual::export::export(
        e.host.host(),
        USER,
        None,
    ))
    .unwrap();
    assert!(export.unexported.is_empty(), "{:?}", export.unexported);
    assert_eq!(export.documents.len(), 1);
    let d = &export.documents[0];
    assert_eq!(d.gpt, kaiden::core::Gpt::IidxSp);
    assert_eq!(d.file_name(), "iidx-SP.json");
    assert_eq!(d.len(), 1201);
    assert_eq!(d.document["meta"]["service"], "kaiden export");
    // Another GPT has nothing.
    let dp = block_on(kaiden::batch_manual::export::export(
        e.host.host(),
        USER,
        Some(kaiden::core::Gpt::IidxDp),
    ))
    .unwrap();
    assert!(dp.documents.is_empty());

    // Imported for the same user into a fresh store with the same seeds.
    let fresh = env::<H>("export-fresh", true);
    let again = run(&fresh.host, &serde_json::to_vec(&d.document).unwrap()).unwrap();
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    let kept = |v: Vec<Value>| {
        let mut v: Vec<Value> = v
            .into_iter()
            .map(|s| {
                json!([
                    s["scoreID"],
                    s["chartID"],
                    s["scoreData"],
                    s["timeAchieved"],
                    s["comment"],
                    s["scoreMeta"],
                    s["calculatedData"]
                ])
            })
            .collect();
        v.sort_by_key(|s| s[0].as_str().unwrap_or_default().to_owned());
        v
    };
    assert_eq!(
        kept(docs(&fresh.host, "scores")),
        kept(docs(&e.host, "scores"))
    );
    // And the export of the copy is the export.
    let copy = block_on(kaiden::batch_manual::export::export(
        fresh.host.host(),
        USER,
        None,
    ))
    .unwrap();
    assert_eq!(copy, export);
}

/// The user's stored scores, PBs and sessions, as the parts a deletion must
/// leave as if the deleted scores had never been imported.
fn scores_pbs_sessions<H: TestHost>(host: &H) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let mut scores: Vec<Value> = docs(host, "scores")
        .into_iter()
        .map(|s| json!([s["scoreID"], s["scoreData"], s["calculatedData"]]))
        .collect();
    scores.sort_by_key(ToString::to_string);
    let mut pbs: Vec<Value> = docs(host, "pbs")
        .into_iter()
        .map(|p| {
            json!([
                p["chartID"],
                p["scoreData"],
                p["composedFrom"],
                p["rankingData"],
                p["calculatedData"]
            ])
        })
        .collect();
    pbs.sort_by_key(ToString::to_string);
    let mut sessions: Vec<Value> = docs(host, "sessions")
        .into_iter()
        .map(|s| {
            json!([
                s["scoreIDs"],
                s["timeStarted"],
                s["timeEnded"],
                s["calculatedData"]
            ])
        })
        .collect();
    sessions.sort_by_key(ToString::to_string);
    (scores, pbs, sessions)
}

/// A case of the suite (its name says what it checks).
pub fn deleting_scores_leaves_the_store_as_if_they_were_never_imported<H: TestHost>() {
    let keep = vec![
        score_bp(1500, "HARD CLEAR", 20, Some(T0)),
        score("Beta", 800, "CLEAR", Some(T0 + 60_000)),
        score("Gamma", 900, "EASY CLEAR", Some(T0 + 5 * HOUR)),
    ];
    let drop = vec![
        // The best score and the best lamp on Alpha, and one in a session of
        // its own.
        score_bp(1700, "CLEAR", 30, Some(T0 + 120_000)),
        score_bp(1400, "FULL COMBO", 0, Some(T0 + 180_000)),
        score("Gamma", 950, "CLEAR", Some(T0 + 10 * HOUR)),
    ];
    let e = env::<H>("delete", true);
    let all: Vec<Value> = keep.iter().chain(&drop).cloned().collect();
    let doc = run(&e.host, &batch(all)).unwrap();
    assert_eq!(doc.score_ids.len(), 6);
    let dropped: Vec<String> = doc.score_ids.to_vec()[3..].to_vec();
    let mut asked = dropped.clone();
    asked.push("Tnot-a-score".to_owned());
    let report = block_on(kaiden::pipeline::delete_scores(
        e.host.host(),
        USER,
        &asked,
        false,
    ))
    .unwrap();
    let mut deleted = report.deleted.clone();
    deleted.sort();
    let mut want = dropped.clone();
    want.sort();
    assert_eq!(deleted, want);
    assert_eq!(report.not_found, vec!["Tnot-a-score".to_owned()]);
    assert_eq!(report.sessions_removed.len(), 1, "{report:?}");
    assert_eq!(report.sessions_changed.len(), 1, "{report:?}");
    assert!(report.pbs_removed.is_empty(), "{report:?}");
    // The deleted scores leave the ImportDocument that listed them (Tachi's
    // DeleteScore); one left with no score goes.
    assert_eq!(report.imports_changed, vec![doc.import_id.clone()]);
    let imports = docs(&e.host, "imports");
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0]["scoreIDs"], json!(doc.score_ids.to_vec()[..3]));
    let lone = run(&e.host, &batch(vec![score("Alpha", 100, "FAILED", None)])).unwrap();
    block_on(kaiden::pipeline::delete_scores(
        e.host.host(),
        USER,
        &lone.score_ids.to_vec(),
        false,
    ))
    .unwrap();
    assert!(
        block_on(e.host.host().import_document(&lone.import_id))
            .unwrap()
            .is_none()
    );

    let fresh = env::<H>("delete-fresh", true);
    run(&fresh.host, &batch(keep.clone())).unwrap();
    assert_eq!(
        scores_pbs_sessions(&e.host),
        scores_pbs_sessions(&fresh.host)
    );
    let stats = |h: &H| {
        docs(h, "game_stats")
            .into_iter()
            .map(|g| g["ratings"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(stats(&e.host), stats(&fresh.host));

    // Deleting every score of a chart removes its PB; deleting nothing is fine.
    let beta = docs(&e.host, "scores")
        .into_iter()
        .find(|s| s["chartID"] == "beta-spa")
        .unwrap();
    let id = beta["scoreID"].as_str().unwrap().to_owned();
    let report = block_on(kaiden::pipeline::delete_scores(
        e.host.host(),
        USER,
        std::slice::from_ref(&id),
        false,
    ))
    .unwrap();
    assert_eq!(report.pbs_removed, vec!["beta-spa".to_owned()]);
    assert!(
        docs(&e.host, "pbs")
            .iter()
            .all(|p| p["chartID"] != "beta-spa")
    );
    let none = block_on(kaiden::pipeline::delete_scores(
        e.host.host(),
        USER,
        &[id],
        false,
    ))
    .unwrap();
    assert!(none.deleted.is_empty());
    // Without a blacklist the same file brings the deleted scores back.
    let again = run(&e.host, &batch(drop)).unwrap();
    assert_eq!(again.score_ids.len(), 3);
}

/// A case of the suite (its name says what it checks).
pub fn a_blacklisted_deletion_is_never_imported_again<H: TestHost>() {
    let e = env::<H>("delete-blacklist", false);
    let file = batch(vec![
        score("Alpha", 1500, "HARD CLEAR", Some(T0)),
        score("Beta", 800, "CLEAR", Some(T0 + 60_000)),
    ]);
    let doc = run(&e.host, &file).unwrap();
    let report = block_on(kaiden::pipeline::delete_scores(
        e.host.host(),
        USER,
        &doc.score_ids.to_vec()[..1],
        true,
    ))
    .unwrap();
    assert!(report.blacklisted);
    assert_eq!(report.deleted.len(), 1);
    let again = run(&e.host, &file).unwrap();
    assert!(again.score_ids.is_empty(), "{:?}", again.score_ids);
    assert_eq!(docs(&e.host, "scores").len(), 1);
}

/// A case of the suite (its name says what it checks).
pub fn reverting_an_import_removes_exactly_its_scores_and_restores_pbs_and_rankings<H: TestHost>() {
    let e = env::<H>("revert", true);
    e.host.ensure_user(2, "rival").unwrap();
    let first = run(
        &e.host,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0))]),
    )
    .unwrap();
    run_as(
        &e.host,
        2,
        &batch(vec![score("Alpha", 1600, "CLEAR", Some(T0))]),
        &NoProgress,
    )
    .unwrap();
    let before = scores_pbs_sessions(&e.host);
    let rival_rank = |h: &H| {
        docs_of(h, 2, "pbs")
            .into_iter()
            .find(|p| p["chartID"] == "alpha-spa")
            .map(|p| p["rankingData"]["rank"].clone())
    };
    assert_eq!(rival_rank(&e.host), Some(json!(1)));
    // The second import: a better Alpha (the rival drops to 2), Beta, and
    // an exact repeat of the first import's score (a duplicate: not its own).
    let second = run(
        &e.host,
        &batch(vec![
            score("Alpha", 1800, "CLEAR", Some(T0 + 60_000)),
            score("Beta", 800, "CLEAR", Some(T0 + 120_000)),
            score("Alpha", 1500, "HARD CLEAR", Some(T0)),
        ]),
    )
    .unwrap();
    assert_eq!(second.score_ids.len(), 2);
    assert_eq!(rival_rank(&e.host), Some(json!(2)));

    // Another user may not revert it; an unknown id is not found.
    let host = e.host.host();
    let theirs = block_on(kaiden::pipeline::revert_import(host, 2, &second.import_id));
    assert_eq!(theirs.unwrap_err(), kaiden::pipeline::RevertError::NotYours);
    let unknown = block_on(kaiden::pipeline::revert_import(host, USER, "nope"));
    assert_eq!(unknown.unwrap_err().http_status(), 404);

    let report = block_on(kaiden::pipeline::revert_import(
        host,
        USER,
        &second.import_id,
    ))
    .unwrap();
    assert_eq!(
        report.reverted_import.as_deref(),
        Some(second.import_id.as_str())
    );
    assert_eq!(report.deleted.len(), 2);
    assert_eq!(scores_pbs_sessions(&e.host), before);
    assert_eq!(rival_rank(&e.host), Some(json!(1)));
    // Its ImportDocument is gone; the first import's stays.
    let imports: Vec<Value> = docs(&e.host, "imports");
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0]["importID"], first.import_id.as_str());
    assert!(
        block_on(host.import_document(&second.import_id))
            .unwrap()
            .is_none()
    );
    // Reverted twice: there is nothing left to revert.
    let twice = block_on(kaiden::pipeline::revert_import(
        host,
        USER,
        &second.import_id,
    ));
    assert_eq!(
        twice.unwrap_err(),
        kaiden::pipeline::RevertError::NoSuchImport
    );
}

/// A case of the suite (its name says what it checks).
pub fn deletes_and_reverts_of_different_users_at_once_all_complete<H: TestHost>() {
    // Reverts and deletions rewrite other players' PB rankings on the charts
    // they touch: several users doing so at once, on the same charts, while
    // the others import, must neither stall nor leave rankings wrong.
    let e = env::<H>("lifecycle-users", false);
    let users: Vec<u64> = (20..26).collect();
    for u in &users {
        e.host.ensure_user(*u, &format!("player{u}")).unwrap();
    }
    let host = Arc::new(e.host);
    let (done, finished) = std::sync::mpsc::channel();
    for u in users.clone() {
        let (host, done) = (Arc::clone(&host), done.clone());
        std::thread::spawn(move || {
            let ex = |k: u32| 300 + u32::try_from(u).unwrap() * 10 + k;
            let file = |k: u32| {
                batch(vec![
                    score("Alpha", ex(k), "CLEAR", Some(T0 + i64::from(k) * HOUR)),
                    score("Beta", ex(k), "CLEAR", Some(T0 + i64::from(k) * HOUR)),
                ])
            };
            let first = run_as(&*host, u, &file(0), &NoProgress).unwrap();
            let second = run_as(&*host, u, &file(1), &NoProgress).unwrap();
            let third = run_as(&*host, u, &file(2), &NoProgress).unwrap();
            let reverted = block_on(kaiden::pipeline::revert_import(
                host.host(),
                u,
                &second.import_id,
            ))
            .unwrap();
            assert_eq!(reverted.deleted.len(), 2);
            let deleted = block_on(kaiden::pipeline::delete_scores(
                host.host(),
                u,
                &third.score_ids.to_vec()[..1],
                false,
            ))
            .unwrap();
            assert_eq!(deleted.deleted.len(), 1);
            done.send((u, first.import_id, third.import_id)).unwrap();
        });
    }
    let mut kept = Vec::new();
    for _ in &users {
        kept.push(
            finished
                .recv_timeout(std::time::Duration::from_secs(120))
                .expect("every user's imports, reverts and deletions finish"),
        );
    }
    let mut by_chart: std::collections::BTreeMap<String, Vec<(u64, u64)>> = Default::default();
    for (u, first, third) in kept {
        assert_eq!(host.documents("scores", u).unwrap().len(), 3, "user {u}");
        let imports: Vec<Value> = host.documents("imports", u).unwrap();
        let ids: Vec<&str> = imports
            .iter()
            .filter_map(|d| d["importID"].as_str())
            .collect();
        assert_eq!(ids, [first.as_str(), third.as_str()], "user {u}");
        for pb in host.documents("pbs", u).unwrap() {
            let chart = pb["chartID"].as_str().unwrap().to_owned();
            let rank = pb["rankingData"]["rank"].as_u64().unwrap();
            by_chart.entry(chart).or_default().push((u, rank));
        }
    }
    // Higher user ids scored higher: ranks follow, 1 to 6 on both charts.
    for (chart, mut ranks) in by_chart {
        ranks.sort_unstable();
        let got: Vec<u64> = ranks.iter().map(|(_, r)| *r).collect();
        assert_eq!(got, [6, 5, 4, 3, 2, 1], "{chart}");
    }
}

/// The suite's seeds with chart `alpha-spa` changed as a seeds update would:
/// a level lower, BPI data added, and primary or not.
fn changed_seeds(dir: &Path, primary: bool) {
    std::fs::create_dir_all(dir).unwrap();
    write_seeds(dir, true);
    let path = dir.join("charts-iidx.json");
    let mut charts: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for c in &mut charts {
        if c["chartID"] == "alpha-spa" {
            c["isPrimary"] = json!(primary);
            c["level"] = json!("11");
            c["levelNum"] = json!(11.0);
            c["data"]["kaidenAverage"] = json!(1200);
            c["data"]["worldRecord"] = json!(1900);
        }
    }
    std::fs::write(&path, serde_json::to_vec(&charts).unwrap()).unwrap();
}

/// A case of the suite (its name says what it checks).
pub fn a_seed_reload_that_changes_a_chart_recalculates_the_scores_on_it<H: TestHost>() {
    let mine = vec![
        score("Alpha", 1500, "HARD CLEAR", Some(T0)),
        score("Alpha", 1600, "CLEAR", Some(T0 + 60_000)),
        score("Beta", 800, "CLEAR", Some(T0 + 120_000)),
    ];
    let theirs = vec![score("Alpha", 1700, "EASY CLEAR", Some(T0))];
    let import_both = |host: &H| {
        host.ensure_user(2, "two").unwrap();
        run(host, &batch(mine.clone())).unwrap();
        run_as(host, 2, &batch(theirs.clone()), &NoProgress).unwrap();
    };
    let e = env::<H>("reload", true);
    import_both(&e.host);
    let before = scores_pbs_sessions(&e.host);
    // Reloading the same seeds changes nothing.
    let same = e.host.load_seeds(&e.dir.join("seeds")).unwrap();
    assert!(same.changed_charts.is_empty(), "{same:?}");
    assert!(same.affected_users.is_empty());

    let seeds = e.dir.join("seeds-changed");
    changed_seeds(&seeds, true);
    let recalculate = |dir: &Path| {
        let report = e.host.load_seeds(dir).unwrap();
        assert_eq!(
            report.changed_charts,
            std::collections::BTreeMap::from([(
                kaiden::core::Game::Iidx,
                vec!["alpha-spa".to_owned()]
            )])
        );
        assert_eq!(report.affected_users, vec![USER, 2]);
        for &user in &report.affected_users {
            let r = block_on(kaiden::pipeline::recalculate_charts(
                e.host.host(),
                user,
                &report.changed_charts,
            ))
            .unwrap();
            assert_eq!(r.pbs_rebuilt, vec!["alpha-spa".to_owned()], "user {user}");
            assert!(!r.scores_updated.is_empty(), "user {user}");
        }
    };
    recalculate(&seeds);
    assert_ne!(
        scores_pbs_sessions(&e.host),
        before,
        "nothing was recalculated"
    );
    // The store is as if the scores were imported with the new seeds:
    // calculated data (BPI now), sessions, PBs with both players' rankings,
    // profile ratings.
    let fresh = env::<H>("reload-fresh", true);
    fresh.host.load_seeds(&seeds).unwrap();
    import_both(&fresh.host);
    assert_eq!(
        scores_pbs_sessions(&e.host),
        scores_pbs_sessions(&fresh.host)
    );
    let bpi = docs(&e.host, "scores")
        .into_iter()
        .find(|s| s["chartID"] == "alpha-spa")
        .map(|s| s["calculatedData"]["BPI"].clone());
    assert!(
        bpi.is_some_and(|b| b.is_number()),
        "no BPI after the reload"
    );
    let stats = |h: &H, user: UserId| {
        docs_of(h, user, "game_stats")
            .into_iter()
            .map(|g| (g["ratings"].clone(), g["classes"].clone()))
            .collect::<Vec<_>>()
    };
    for user in [USER, 2] {
        assert_eq!(
            stats(&e.host, user),
            stats(&fresh.host, user),
            "user {user}"
        );
    }
    // The chart is no longer primary: every score and PB on it follows (a
    // fresh import would not find it at all), and profile ratings, which
    // count primary PBs only, drop it.
    let seeds = e.dir.join("seeds-secondary");
    changed_seeds(&seeds, false);
    recalculate(&seeds);
    for user in [USER, 2] {
        for s in docs_of(&e.host, user, "scores") {
            assert_eq!(s["isPrimary"], json!(s["chartID"] != "alpha-spa"), "{s}");
        }
        for p in docs_of(&e.host, user, "pbs") {
            assert_eq!(p["isPrimary"], json!(p["chartID"] != "alpha-spa"), "{p}");
        }
    }
    assert_ne!(
        stats(&e.host, 2),
        stats(&fresh.host, 2),
        "user 2's only PB is not primary"
    );
}

/// A case of the suite (its name says what it checks).
pub fn bms_seed_reloads_keep_the_charts_created_from_play<H: TestHost>() {
    use kaiden::core::host::ChartLookup;
    let e = env::<H>("reload-bms", false);
    for (u, name) in [(2, "two"), (3, "three"), (4, "four")] {
        e.host.ensure_user(u, name).unwrap();
    }
    for (user, ex) in [(USER, 600), (2, 700), (3, 720)] {
        beatoraja(user, &e.host, ex);
    }
    let created = docs_of(&e.host, 3, "scores")[0]["chartID"].clone();
    // New BMS seeds that do not name the created chart (another song id).
    let seeds = e.dir.join("seeds-bms");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(
        seeds.join("songs-bms.json"),
        json!([{"id": 100, "title": "Seeded", "artist": "s", "altTitles": [], "searchTerms": [],
                "data": {"genre": "G", "subtitle": null, "subartist": null, "tableString": null}}])
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        seeds.join("charts-bms.json"),
        json!([{"chartID": "seeded-bms", "songID": 100, "level": "?", "levelNum": 0, "isPrimary": true,
                "difficulty": "CHART", "playtype": "7K", "versions": [],
                "data": {"notecount": 500, "hashMD5": "7".repeat(32), "hashSHA256": "8".repeat(64),
                         "tableFolders": []}}])
        .to_string(),
    )
    .unwrap();
    let report = e.host.load_seeds(&seeds).unwrap();
    assert_eq!(
        report.games.get(&kaiden::core::Game::Bms),
        Some(&(2, 2)),
        "{report:?}"
    );
    // The created chart is still found (player 4 imports onto it), and so is
    // the seeded one; the players' scores and PBs are as they were.
    let doc = beatoraja(4, &e.host, 730);
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    assert_eq!(docs_of(&e.host, 4, "scores")[0]["chartID"], created);
    let seeded = kaiden::core::query::ChartQuery {
        gpt: kaiden::core::Gpt::Bms7K,
        key: kaiden::core::query::ChartKey::BmsChartHash("8".repeat(64)),
        difficulty: None,
        version: None,
    };
    let found = block_on(e.host.host().resolve_charts(&[seeded])).unwrap();
    assert!(
        matches!(&found[0], kaiden::core::ChartResolution::Found { chart, .. } if chart.chart_id == "seeded-bms"),
        "{found:?}"
    );
    assert_eq!(docs_of(&e.host, 3, "pbs")[0]["chartID"], created);
    // Other games' seeds still replace: IIDX without Beta drops Beta.
    let iidx = e.dir.join("seeds-iidx");
    std::fs::create_dir_all(&iidx).unwrap();
    std::fs::write(
        iidx.join("songs-iidx.json"),
        json!([song(1, "Alpha")]).to_string(),
    )
    .unwrap();
    std::fs::write(
        iidx.join("charts-iidx.json"),
        json!([chart("alpha-spa", 1, "SP", "ANOTHER", "12", 1000)]).to_string(),
    )
    .unwrap();
    let report = e.host.load_seeds(&iidx).unwrap();
    assert_eq!(
        report.games.get(&kaiden::core::Game::Iidx),
        Some(&(1, 1)),
        "{report:?}"
    );
}

/// A case of the suite (its name says what it checks).
pub fn recalculations_of_different_users_run_while_others_import<H: TestHost>() {
    // After a seeds load, each affected user's recalculation takes that
    // user's lock and rewrites every player's ranking on the charts: several
    // at once, while other users import on the same charts, must neither
    // stall nor leave scores or rankings wrong.
    let e = env::<H>("recalc-users", true);
    let users: Vec<u64> = (20..26).collect();
    let best = |u: u64| -> u32 {
        let u = u32::try_from(u).unwrap();
        if u % 2 == 1 { 1000 + u } else { 300 + u * 10 }
    };
    for &u in &users {
        e.host.ensure_user(u, &format!("player{u}")).unwrap();
        let file = batch(vec![score(
            "Alpha",
            300 + u32::try_from(u).unwrap() * 10,
            "CLEAR",
            Some(T0),
        )]);
        run_as(&e.host, u, &file, &NoProgress).unwrap();
    }
    let seeds = e.dir.join("seeds-changed");
    changed_seeds(&seeds, true);
    let report = e.host.load_seeds(&seeds).unwrap();
    assert_eq!(report.affected_users, users);
    let changed = Arc::new(report.changed_charts);
    let host = Arc::new(e.host);
    let (done, finished) = std::sync::mpsc::channel();
    for u in users.clone() {
        let (host, done, changed) = (Arc::clone(&host), done.clone(), Arc::clone(&changed));
        std::thread::spawn(move || {
            if u % 2 == 1 {
                // Imports (on the new seeds) while the others recalculate.
                let file = batch(vec![score("Alpha", best(u), "HARD CLEAR", Some(T0 + HOUR))]);
                run_as(&*host, u, &file, &NoProgress).unwrap();
            }
            let r = block_on(kaiden::pipeline::recalculate_charts(
                host.host(),
                u,
                &changed,
            ))
            .unwrap();
            done.send((u, r)).unwrap();
        });
    }
    for _ in &users {
        let (u, r) = finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("every user's imports and recalculations finish");
        assert_eq!(r.pbs_rebuilt, vec!["alpha-spa".to_owned()], "user {u}");
    }
    let mut ranks: Vec<(u32, u64)> = Vec::new();
    for &u in &users {
        let scores = host.documents("scores", u).unwrap();
        assert_eq!(scores.len(), if u % 2 == 1 { 2 } else { 1 }, "user {u}");
        for s in &scores {
            assert!(s["calculatedData"]["BPI"].is_number(), "user {u}: {s}");
        }
        let pbs = host.documents("pbs", u).unwrap();
        assert_eq!(pbs.len(), 1, "user {u}");
        assert_eq!(pbs[0]["scoreData"]["score"], best(u), "user {u}");
        ranks.push((best(u), pbs[0]["rankingData"]["rank"].as_u64().unwrap()));
    }
    // The best score ranks first: ranks 1 to 6 by score.
    ranks.sort_unstable_by_key(|r| std::cmp::Reverse(r.0));
    let got: Vec<u64> = ranks.iter().map(|(_, r)| *r).collect();
    assert_eq!(got, [1, 2, 3, 4, 5, 6]);
}

/// A case of the suite (its name says what it checks). 5,000 scores: longer
/// than the SQLite host keeps inline in a document.
pub fn long_score_lists_read_back_whole_through_appends_deletions_and_reverts<H: TestHost>() {
    let n = 5_000usize;
    let e = env::<H>("long-lists", true);
    let doc = run(&e.host, &long_batch(n)).unwrap();
    assert_eq!(doc.score_ids.len(), n, "{:?}", doc.errors.first());
    let ids_of = |v: &Value| -> Vec<String> {
        v["scoreIDs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_owned())
            .collect()
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // Every read has the whole list, in its order.
    let stored = block_on(e.host.host().import_document(&doc.import_id))
        .unwrap()
        .unwrap();
    assert_eq!(stored, doc);
    // The pipeline's ids (Tachi's `T` + 64 hex) are held as digests, also
    // when read back.
    assert!(doc.score_ids.is_compact() && stored.score_ids.is_compact());
    let imports = docs(&e.host, "imports");
    assert_eq!(imports.len(), 1);
    assert_eq!(ids_of(&imports[0]), doc.score_ids);
    let sessions = docs(&e.host, "sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sorted(ids_of(&sessions[0])), sorted(doc.score_ids.to_vec()));
    let session: kaiden::core::documents::SessionDocument =
        serde_json::from_value(sessions[0].clone()).unwrap();
    assert!(session.score_ids.is_compact());

    // A later score joins the session: its list grows by one.
    let later = run(
        &e.host,
        &batch(vec![score(
            "Alpha",
            1999,
            "CLEAR",
            Some(T0 + n as i64 * 1000 + 60_000),
        )]),
    )
    .unwrap();
    assert_eq!(later.score_ids.len(), 1);
    assert_eq!(
        later.created_sessions[0].info_type,
        SessionInfoType::Appended
    );
    let sessions = docs(&e.host, "sessions");
    assert_eq!(sessions.len(), 1);
    let in_session = ids_of(&sessions[0]);
    assert_eq!(in_session.len(), n + 1);
    assert_eq!(in_session.last(), later.score_ids.to_vec().first());

    // A score deleted from the middle leaves both lists, and only it.
    let victim = doc.score_ids.to_vec()[n / 2].clone();
    let report = block_on(kaiden::pipeline::delete_scores(
        e.host.host(),
        USER,
        std::slice::from_ref(&victim),
        false,
    ))
    .unwrap();
    assert_eq!(report.deleted, vec![victim.clone()]);
    assert_eq!(report.imports_changed, vec![doc.import_id.clone()]);
    assert_eq!(report.sessions_changed.len(), 1, "{report:?}");
    let mut want: Vec<String> = doc.score_ids.to_vec();
    want.retain(|i| *i != victim);
    let stored = block_on(e.host.host().import_document(&doc.import_id))
        .unwrap()
        .unwrap();
    assert_eq!(stored.score_ids, want);
    let in_session = ids_of(&docs(&e.host, "sessions")[0]);
    assert_eq!(in_session.len(), n);
    assert!(!in_session.contains(&victim));

    // Reverting the long import leaves the later score alone, in a session of
    // its own list.
    block_on(kaiden::pipeline::revert_import(
        e.host.host(),
        USER,
        &doc.import_id,
    ))
    .unwrap();
    assert!(
        block_on(e.host.host().import_document(&doc.import_id))
            .unwrap()
            .is_none()
    );
    let imports = docs(&e.host, "imports");
    assert_eq!(imports.len(), 1);
    assert_eq!(ids_of(&imports[0]), later.score_ids);
    let sessions = docs(&e.host, "sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(ids_of(&sessions[0]), later.score_ids);
    assert_eq!(docs(&e.host, "scores").len(), 1);
}
