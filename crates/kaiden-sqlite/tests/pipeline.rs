//! What only the SQLite host does: locks left by other processes, an outside
//! writer, writes behind the pipeline failing, checkpoints, schema upgrades.
//! The pipeline's behaviour on this host is `tests/host_suite.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::*;
use kaiden::pipeline::NoProgress;
use serde_json::Value;

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
    assert_eq!(err.http_status(), 500);
    // The cause is kept: the host's error, and below it SQLite's own.
    let host = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<kaiden::core::host::HostError>())
        .expect("the host's error is the source");
    let sqlite = host
        .backend_error::<rusqlite::Error>()
        .expect("SQLite's error is kept");
    assert!(
        sqlite.to_string().contains("refused by the test trigger"),
        "{sqlite}"
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
/// The stored PB on Alpha and the PB built from every stored score of the user
/// on it (in storing order), without their rankings.
#[test]
fn a_pb_naming_a_score_that_is_gone_is_rebuilt_from_every_score() {
    let e = env("pb-gone", false);
    run(
        &e.host,
        &batch(vec![
            kaiden_host_suite::cases::score_bp(1400, "EASY CLEAR", 50, Some(T0)),
            kaiden_host_suite::cases::score_bp(900, "FULL COMBO", 0, Some(T0 + 1000)),
            kaiden_host_suite::cases::score_bp(800, "HARD CLEAR", 5, Some(T0 + 2000)),
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
        &batch(vec![kaiden_host_suite::cases::score_bp(
            100,
            "FAILED",
            99,
            Some(T0 + 3000),
        )]),
    )
    .unwrap();
    let (got, want) = kaiden_host_suite::cases::alpha_pb_and_pb_of_every_score_from(
        &e.host,
        docs(&e.host, "scores"),
        docs(&e.host, "pbs"),
    );
    assert_eq!(got, want);
    assert_eq!(got["scoreData"]["lamp"], "HARD CLEAR", "{got}");
    assert_eq!(got["scoreData"]["optional"]["bp"], 5, "{got}");
}

#[test]
fn a_version_2_database_loses_its_user_chart_index_on_opening() {
    let e = env("schema-v2", false);
    run(
        &e.host,
        &batch(vec![kaiden_host_suite::cases::score_bp(
            1400,
            "EASY CLEAR",
            50,
            Some(T0),
        )]),
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
        &batch(vec![kaiden_host_suite::cases::score_bp(
            900,
            "FULL COMBO",
            70,
            Some(T0 + 1000),
        )]),
    )
    .unwrap();
    let (got, want) = kaiden_host_suite::cases::alpha_pb_and_pb_of_every_score_from(
        &host,
        host.documents("scores", USER).unwrap(),
        host.documents("pbs", USER).unwrap(),
    );
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

/// A list longer than a document keeps inline goes to `id_chunks` (4,096 ids
/// a row), the document keeps an empty list, and the rows go with it. (The
/// host suite's `long_score_lists_…` checks every read gives the list back.)
#[test]
fn long_score_lists_are_stored_in_chunks_and_removed_with_their_document() {
    let e = env("id-chunks", true);
    let doc = run(&e.host, &kaiden_host_suite::long_batch(5_000)).unwrap();
    assert_eq!(doc.score_ids.len(), 5_000);
    let c = rusqlite::Connection::open(e.host.path()).unwrap();
    let chunks = |owner: &str| -> Vec<usize> {
        c.prepare("SELECT ids FROM id_chunks WHERE owner = ?1 ORDER BY n")
            .unwrap()
            .query_map([owner], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|t| {
                serde_json::from_str::<Vec<String>>(&t.unwrap())
                    .unwrap()
                    .len()
            })
            .collect()
    };
    assert_eq!(chunks(&doc.import_id), vec![4096, 904]);
    let session = &doc.created_sessions[0].session_id;
    assert_eq!(chunks(session), vec![4096, 904]);
    let inline: String = c
        .query_row(
            "SELECT json_extract(doc, '$.scoreIDs') FROM imports WHERE import_id = ?1",
            [&doc.import_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(inline, "[]");
    // A short list stays inline, as it always was.
    let short = run(&e.host, &batch(vec![score("Alpha", 1999, "CLEAR", None)])).unwrap();
    assert!(chunks(&short.import_id).is_empty());
    block_on(kaiden::pipeline::revert_import(
        &e.host,
        USER,
        &doc.import_id,
    ))
    .unwrap();
    assert!(chunks(&doc.import_id).is_empty());
    assert!(
        chunks(session).is_empty(),
        "the session went with its scores"
    );
    let left: i64 = c
        .query_row("SELECT COUNT(*) FROM id_chunks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

/// A queued upload is a row of its own in the job queue's file (the job's
/// row, updated at every claim, carries none of it), gone once the job ends.
#[test]
fn a_queued_upload_is_kept_apart_from_its_job_and_dropped_when_it_ends() {
    use kaiden::service::{QueuedImport, ServiceStore as _};
    let e = env("upload-rows", false);
    let job = |id: &str| QueuedImport {
        import_id: id.to_owned(),
        user: USER,
        user_intent: false,
        import_type: kaiden::core::ImportType::FILE_BATCH_MANUAL,
        input: vec![7u8; 200_000],
        filename: None,
        fields: Default::default(),
        headers: Default::default(),
        runs: 0,
        lock_retries: 0,
    };
    block_on(e.host.enqueue_import(&job("a"))).unwrap();
    block_on(e.host.enqueue_import(&job("b"))).unwrap();
    let mut service = e.host.path().as_os_str().to_owned();
    service.push(".service");
    let c = rusqlite::Connection::open(&service).unwrap();
    let sizes = |sql: &str| -> Vec<i64> {
        c.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        sizes("SELECT length(input) FROM import_jobs ORDER BY import_id"),
        vec![0, 0]
    );
    assert_eq!(
        sizes("SELECT length(input) FROM import_inputs ORDER BY import_id"),
        vec![200_000, 200_000]
    );
    let a = block_on(e.host.claim_import(60_000)).unwrap().unwrap();
    assert_eq!(a.input, vec![7u8; 200_000]);
    block_on(e.host.complete_import(&a.import_id)).unwrap();
    let b = block_on(e.host.claim_import(60_000)).unwrap().unwrap();
    block_on(e.host.fail_import(&b.import_id, 500, "x")).unwrap();
    assert!(sizes("SELECT length(input) FROM import_inputs").is_empty());
    // A stream shorter or longer than announced queues nothing.
    for (announced, actual) in [(10u64, 5usize), (5, 10)] {
        let mut j = job("short");
        j.input = Vec::new();
        let bytes = vec![1u8; actual];
        let mut from: &[u8] = &bytes;
        let err = block_on(e.host.enqueue_import_from(&j, &mut from, announced));
        assert!(err.is_err(), "{announced} announced, {actual} sent");
        assert_eq!(block_on(e.host.import_state("short")).unwrap(), None);
        assert!(sizes("SELECT length(input) FROM import_inputs").is_empty());
    }
}
