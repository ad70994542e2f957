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

/// A BATCH-MANUAL import of `scores` for `user`, which must succeed.
fn import(host: &SqliteHost, user: u64, scores: Vec<serde_json::Value>) {
    run_as(host, user, &batch(scores), &kaiden::pipeline::NoProgress).unwrap();
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
    import(
        host,
        USER,
        vec![
            score("Alpha", 900, "CLEAR", t(0)),
            score("Beta", 600, "EASY CLEAR", t(1)),
        ],
    );
    assert!(agrees(host, USER), "kept after the first import");
    // Another user beats user 1 on Alpha: user 1's PB is re-ranked (an
    // upsert of their PB by another user's import).
    import(host, 2, vec![score("Alpha", 1500, "HARD CLEAR", t(2))]);
    assert!(agrees(host, USER));
    assert!(agrees(host, 2));
    // User 1 improves Alpha (patched in place) and plays Gamma (a new PB,
    // last).
    import(
        host,
        USER,
        vec![
            score("Alpha", 1000, "EX HARD CLEAR", t(3)),
            score("Gamma", 500, "FAILED", t(4)),
        ],
    );
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
            seen[0]
                .calculated_data
                .get("ktLampRating")
                .copied()
                .flatten(),
            Some(123.0),
            "the transaction sees its write"
        );
        tx.rollback().await.unwrap();
    });
    assert!(!agrees(host, USER), "a rollback drops what it held");
    // The next import reads it again and keeps it.
    import(host, USER, vec![score("Beta", 650, "EASY CLEAR", t(5))]);
    assert!(agrees(host, USER));
    // Deleting scores (a PB removed) forgets the user's entries.
    let gamma: Vec<String> = host
        .documents("scores", USER)
        .unwrap()
        .into_iter()
        .filter(|s| s["chartID"] == "gamma-spa")
        .map(|s| s["scoreID"].as_str().unwrap().to_owned())
        .collect();
    block_on(kaiden::pipeline::delete_scores(host, USER, &gamma, false)).unwrap();
    assert!(!agrees(host, USER), "forgotten after a deletion");
    import(host, USER, vec![score("Beta", 700, "CLEAR", t(6))]);
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
    import(host, 3, vec![score("Beta", 100, "FAILED", t(7))]);
    assert!(
        !agrees(host, 2),
        "forgotten after another connection's write"
    );
    import(host, 2, vec![score("Beta", 200, "FAILED", t(8))]);
    assert!(agrees(host, 2));
    let alpha = host.cached_ratings(2, Gpt::IidxSp).unwrap();
    assert_eq!(
        alpha[0]
            .calculated_data
            .get("ktLampRating")
            .copied()
            .flatten(),
        Some(99.5)
    );
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

#[test]
fn kept_ratings_stay_right_while_different_users_import_at_once() {
    let e = env("ratings-cache-users", true);
    let host = &e.host;
    let users: Vec<u64> = (2..=7).collect();
    for u in &users {
        host.ensure_user(*u, &format!("player{u}")).unwrap();
    }
    // Six users, three imports each, all at once, on the same three charts:
    // every import re-ranks the others' PBs (patched into their kept
    // entries by another user's transaction).
    std::thread::scope(|s| {
        for &u in &users {
            s.spawn(move || {
                for round in 0..3u32 {
                    let ex = 100 * u32::try_from(u).unwrap() + 10 * round;
                    let time = Some(T0 + i64::from(round) * 60_000);
                    let scores = vec![
                        score("Alpha", ex, "CLEAR", time),
                        score("Beta", ex + 1, "EASY CLEAR", time),
                        score("Gamma", ex + 2, "HARD CLEAR", time),
                    ];
                    // Another import of the same user cannot overlap (each
                    // thread is one user), so every import must succeed.
                    import(host, u, scores);
                }
            });
        }
    });
    for &u in &users {
        assert!(agrees(host, u), "user {u} kept after importing");
        assert_eq!(host.cached_ratings(u, Gpt::IidxSp).unwrap().len(), 3);
    }
    // Rankings moved under the kept entries; ratings did not: one more
    // import of one user leaves every other entry equal to the database.
    import(
        host,
        2,
        vec![score("Alpha", 2_000, "FULL COMBO", Some(T0 + HOUR))],
    );
    for &u in &users {
        assert!(agrees(host, u), "user {u}");
    }
}
