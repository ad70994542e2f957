//! What only the PostgreSQL host does (SKIPPED without a server).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kaiden_host_suite::{HOUR, T0, TestHost, USER, batch, env, run, score};
use serde_json::Value;

/// PB merging reads the scores the user's PBs are composed from; when a PB
/// names a score that is gone, the user's older scores on that chart are all
/// read instead, so the merged PB is still the best of what is stored.
#[test]
fn a_pb_naming_a_score_that_is_gone_is_rebuilt_from_every_stored_score() {
    if !kaiden_host_suite::runs_here::<common::Pg>("a pb naming a score that is gone") {
        return;
    }
    let e = env::<common::Pg>("pg-broken-pb", false);
    // W: a middling score; X: the best score; Y: the best lamp.
    let first = run(
        &e.host,
        &batch(vec![
            score("Alpha", 1600, "CLEAR", Some(T0)),
            score("Alpha", 1900, "CLEAR", Some(T0 + 60_000)),
            score("Alpha", 1000, "HARD CLEAR", Some(T0 + 120_000)),
        ]),
    )
    .unwrap();
    assert_eq!(first.score_ids.len(), 3);
    let pb = &e.host.documents("pbs", USER).unwrap()[0];
    assert_eq!(pb["scoreData"]["score"], 1900);
    let composed: Vec<String> = pb["composedFrom"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scoreID"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !composed.contains(&first.score_ids.to_vec()[0]),
        "W is in no criterion"
    );
    // X goes (as if deleted outside kaiden).
    common::admin(&format!(
        "DELETE FROM {}.scores WHERE score_id = '{}'",
        e.host.schema,
        first.score_ids.to_vec()[1]
    ))
    .unwrap();
    // A worse score: the PB is rebuilt from W, Y and it.
    run(
        &e.host,
        &batch(vec![score("Alpha", 100, "FAILED", Some(T0 + 3 * HOUR))]),
    )
    .unwrap();
    let pb: Value = e.host.documents("pbs", USER).unwrap()[0].clone();
    assert_eq!(pb["scoreData"]["score"], 1600, "the best stored score: W's");
    assert_eq!(pb["scoreData"]["lamp"], "HARD CLEAR");
}

/// A database written by a newer kaiden is refused, not rewritten.
#[test]
fn a_newer_schema_is_refused() {
    if !kaiden_host_suite::runs_here::<common::Pg>("a newer schema") {
        return;
    }
    let pg = common::Pg::fresh();
    common::admin(&format!(
        "UPDATE {}.meta SET value = '99' WHERE key = 'schema_version'",
        pg.schema
    ))
    .unwrap();
    let mut options = kaiden_postgres::PgOptions::new(common::url());
    options.schema = Some(pg.schema.clone());
    let err = kaiden_postgres::PgHost::open_with(options).unwrap_err();
    assert!(
        matches!(err, kaiden_postgres::PgError::NewerSchema { found: 99 }),
        "{err}"
    );
}
