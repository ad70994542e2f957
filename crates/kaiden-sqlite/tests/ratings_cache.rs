//! The SQLite host keeps users' PBs as profile ratings read them between
//! imports (`ratings.rs`): whatever happens, a kept entry equals what the
//! database holds, in its order.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use kaiden::core::Gpt;
use kaiden::core::documents::PbDocument;
use kaiden::core::host::{Host, ImportTransaction, PbRatings, PbStore};
use kaiden_sqlite::SqliteHost;

/// Whether the host keeps an entry for `user`; panics if it disagrees with
/// the database.
fn agrees(host: &SqliteHost, user: u64) -> bool {
    let db: Vec<PbRatings> = host
        .documents("pbs", user)
        .unwrap()
        .into_iter()
        .map(|d| serde_json::from_value::<PbDocument>(d).unwrap())
        .filter(|p| p.game.with_playtype(p.playtype) == Some(Gpt::IidxSp))
        .map(PbRatings::from)
        .collect();
    match host.cached_ratings(user, Gpt::IidxSp) {
        Some(kept) => {
            assert_eq!(kept, db, "user {user}");
            true
        }
        None => false,
    }
}

#[test]
fn kept_ratings_always_equal_the_database() {
    let e = env("ratings-cache", true);
    let host = &e.host;
    for u in [2, 3] {
        host.ensure_user(u, &format!("player{u}")).unwrap();
    }
    let t = |m: i64| Some(T0 + m * 60_000);
    // An import keeps its user's entry.
    run(
        host,
        &batch(vec![
            score("Alpha", 900, "CLEAR", t(0)),
            score("Beta", 600, "EASY CLEAR", t(1)),
        ]),
    )
    .unwrap();
    assert!(agrees(host, USER), "kept after the first import");
    // Another user beats user 1 on Alpha: user 1's PB is re-ranked (an
    // upsert of their PB by another user's import).
    run_as(
        host,
        2,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", t(2))]),
        &kaiden::pipeline::NoProgress,
    )
    .unwrap();
    assert!(agrees(host, USER));
    assert!(agrees(host, 2));
    // User 1 improves Alpha (patched in place) and plays Gamma (a new PB,
    // last).
    run(
        host,
        &batch(vec![
            score("Alpha", 1000, "EX HARD CLEAR", t(3)),
            score("Gamma", 500, "FAILED", t(4)),
        ]),
    )
    .unwrap();
    assert!(agrees(host, USER));
    let before = host.cached_ratings(USER, Gpt::IidxSp).unwrap();
    assert_eq!(before.len(), 3);
    assert_eq!(before[2].chart_id, "gamma-spa", "a new PB goes last");
    // A transaction that writes a PB and rolls back leaves nothing of it.
    block_on(async {
        let mut tx = host.begin_import(USER).await.unwrap();
        assert_eq!(*tx.pb_ratings_of(USER, Gpt::IidxSp).await.unwrap(), before);
        let mut pb: PbDocument =
            serde_json::from_value(host.documents("pbs", USER).unwrap()[0].clone()).unwrap();
        pb.calculated_data
            .insert("ktLampRating".into(), Some(123.0));
        tx.upsert_pbs(&[pb]).await.unwrap();
        let seen = tx.pb_ratings_of(USER, Gpt::IidxSp).await.unwrap();
        assert_eq!(
            seen[0].calculated_data["ktLampRating"],
            Some(123.0),
            "the transaction sees its write"
        );
        tx.rollback().await.unwrap();
    });
    assert!(!agrees(host, USER) || host.cached_ratings(USER, Gpt::IidxSp) == Some(before.clone()));
    // The next import reads it again and keeps it.
    run(host, &batch(vec![score("Beta", 650, "EASY CLEAR", t(5))])).unwrap();
    assert!(agrees(host, USER));
    // Deleting scores (a PB rebuilt or removed) forgets or keeps it right.
    let gamma: Vec<String> = host
        .documents("scores", USER)
        .unwrap()
        .into_iter()
        .filter(|s| s["chartID"] == "gamma-spa")
        .map(|s| s["scoreID"].as_str().unwrap().to_owned())
        .collect();
    block_on(kaiden::pipeline::delete_scores(host, USER, &gamma, false)).unwrap();
    agrees(host, USER);
    run(host, &batch(vec![score("Beta", 700, "CLEAR", t(6))])).unwrap();
    assert!(agrees(host, USER));
    assert_eq!(host.cached_ratings(USER, Gpt::IidxSp).unwrap().len(), 2);
    // Another connection changes user 2's PB: the next transaction on this
    // host (any user's) sees the database changed and forgets what it kept.
    {
        let c = rusqlite::Connection::open(host.path()).unwrap();
        c.execute(
            "UPDATE pbs SET doc = json_set(doc, '$.calculatedData.ktLampRating', 99.5) WHERE user_id = 2",
            [],
        )
        .unwrap();
    }
    run_as(
        host,
        3,
        &batch(vec![score("Beta", 100, "FAILED", t(7))]),
        &kaiden::pipeline::NoProgress,
    )
    .unwrap();
    assert!(
        !agrees(host, 2),
        "forgotten after another connection's write"
    );
    run_as(
        host,
        2,
        &batch(vec![score("Beta", 200, "FAILED", t(8))]),
        &kaiden::pipeline::NoProgress,
    )
    .unwrap();
    assert!(agrees(host, 2));
    let alpha = host.cached_ratings(2, Gpt::IidxSp).unwrap();
    assert_eq!(alpha[0].calculated_data["ktLampRating"], Some(99.5));
    // And the stored profile ratings are those of the database's PBs.
    let stats = host.documents("game_stats", 2).unwrap();
    let want = kaiden::pipeline::aggregate::profile_ratings(
        Gpt::IidxSp,
        &alpha,
        &kaiden::pipeline::aggregate::SongMap::default(),
    );
    let got: std::collections::BTreeMap<String, Option<f64>> =
        serde_json::from_value(stats[0]["ratings"].clone()).unwrap();
    assert_eq!(got, want);
    assert!(got["ktLampRating"].unwrap_or_default() > 4.9, "{got:?}");
}
