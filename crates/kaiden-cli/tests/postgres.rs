//! Several `kaiden` processes on one PostgreSQL database: front ends that
//! only queue (`serve --processor external --workers 0`) and `kaiden worker`
//! processes that run the queue, killed and cut off as an operator or a
//! failing network would. Each test has a schema of its own on the server
//! `KAIDEN_TEST_POSTGRES` names (default: the local one), dropped at the end;
//! without a server each says SKIPPED. Loopback only, bounded in count and time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kaiden::core::host::Host;
use kaiden::service::ImportState;
use pg::*;

#[test]
fn two_front_ends_and_three_workers_run_a_thousand_queued_imports_of_fifty_users_exactly_once() {
    let Some(db) = Db::fresh("a thousand queued imports") else {
        return;
    };
    let host = Arc::new(db.host());
    let keys = Arc::new(setup_users(&host, 1..=50));
    let fronts: Vec<(Proc, String)> = (0..2).map(|_| front_end(&db)).collect();
    let _workers: Vec<Proc> = (0..3)
        .map(|i| worker(&db, &format!("kaiden_worker_{i}"), "2"))
        .collect();
    let bases: Arc<Vec<String>> = Arc::new(fronts.iter().map(|(_, b)| b.clone()).collect());

    // Ten clients, five users each, twenty uploads per user, alternating
    // front ends.
    let per_user = 20_i64;
    let clients: Vec<_> = (0..10_u64)
        .map(|t| {
            let (keys, bases) = (Arc::clone(&keys), Arc::clone(&bases));
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for k in 0..per_user {
                    for u in (1..=50).filter(|u| u % 10 == t) {
                        let base = &bases[usize::try_from((u + k as u64) % 2).unwrap()];
                        let (status, body) = upload(base, &keys[&u], &small_file(k));
                        assert_eq!(status, 202, "{body}");
                        ids.push((u, body["body"]["importID"].as_str().unwrap().to_owned()));
                    }
                }
                ids
            })
        })
        .collect();
    let mut by_user: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for c in clients {
        for (u, id) in c.join().unwrap() {
            assert!(
                by_user.entry(u).or_default().insert(id),
                "importIDs are unique"
            );
        }
    }
    assert_eq!(by_user.values().map(BTreeSet::len).sum::<usize>(), 1000);

    // Every import completes (none fails: a user's jobs wait for each other).
    for id in by_user.values().flatten() {
        let s = wait_for(&host, id, 300, |s| {
            matches!(s, ImportState::Completed | ImportState::Failed { .. })
        });
        assert_eq!(s, ImportState::Completed, "{id}");
    }

    for (u, ids) in &by_user {
        let imports = host.documents("imports", *u).unwrap();
        let stored: BTreeSet<String> = imports
            .iter()
            .map(|d| d["importID"].as_str().unwrap().to_owned())
            .collect();
        // Each import once, and only the user's own.
        assert_eq!(imports.len(), ids.len(), "user {u}");
        assert_eq!(&stored, ids, "user {u}");
        // Every score once: the imports' scoreIDs are exactly the stored scores.
        let mut imported: Vec<String> = imports
            .iter()
            .flat_map(|d| d["scoreIDs"].as_array().unwrap().iter())
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        imported.sort();
        let mut scores: Vec<String> = host
            .documents("scores", *u)
            .unwrap()
            .iter()
            .map(|s| s["scoreID"].as_str().unwrap().to_owned())
            .collect();
        scores.sort();
        assert_eq!(imported.len(), 2 * ids.len(), "user {u}");
        assert_eq!(imported, scores, "user {u}");
        let mut unique = scores.clone();
        unique.dedup();
        assert_eq!(unique.len(), scores.len(), "user {u}: a duplicated score");
        // Never two imports of one user at once, whichever workers ran them.
        let mut spans: Vec<(i64, i64)> = imports
            .iter()
            .map(|d| {
                (
                    d["timeStarted"].as_i64().unwrap(),
                    d["timeFinished"].as_i64().unwrap(),
                )
            })
            .collect();
        spans.sort_unstable();
        for w in spans.windows(2) {
            assert!(w[1].0 >= w[0].1, "user {u}: imports overlap: {w:?}");
        }
    }
    drop(fronts);
}

#[test]
fn a_worker_killed_mid_import_leaves_nothing_and_another_completes_its_job_once() {
    let Some(db) = Db::fresh("a killed worker") else {
        return;
    };
    let host = db.host();
    let keys = setup_users(&host, 1..=1);
    let n = 40_000;
    let (_front, id) = start_big_import(&db, &host, &keys[&1], n);
    {
        let _doomed = worker(&db, "kaiden_doomed", "1");
        wait_for(&host, &id, 60, |s| *s == ImportState::Running);
        std::thread::sleep(Duration::from_millis(300));
        // `_doomed` is dropped here: SIGKILL, inside the import.
    }
    assert!(
        block_on(host.import_document(&id)).unwrap().is_none(),
        "the import finished before the kill"
    );
    assert_eq!(
        host.documents("scores", 1).unwrap().len(),
        0,
        "nothing half-written"
    );
    // The dead process's claim is released with its session: another
    // worker takes the job at once, not when the hour's lease runs out.
    let started = Instant::now();
    let _heir = worker(&db, "kaiden_heir", "1");
    assert_eq!(
        wait_for(&host, &id, 120, |s| !matches!(
            s,
            ImportState::Queued | ImportState::Running
        )),
        ImportState::Completed
    );
    assert!(started.elapsed() < Duration::from_secs(120));
    assert_imported_once(&host, 1, &id, n);
}

#[test]
fn an_import_whose_connections_are_cut_rolls_back_and_is_retried_to_completion_once() {
    let Some(db) = Db::fresh("cut connections") else {
        return;
    };
    let host = db.host();
    let keys = setup_users(&host, 1..=1);
    let n = 40_000;
    let (_front, id) = start_big_import(&db, &host, &keys[&1], n);
    let app = format!("kaiden_cut_{}", db.schema);
    let _worker = worker(&db, &app, "1");
    wait_for(&host, &id, 60, |s| *s == ImportState::Running);
    std::thread::sleep(Duration::from_millis(300));
    // What a server restart does to its clients: every session of the
    // worker ends at once (the import's transaction, the presence lock).
    let ended = admin(&format!(
        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '{app}'"
    ))
    .unwrap();
    assert!(!ended.is_empty(), "the worker had sessions");
    assert!(
        block_on(host.import_document(&id)).unwrap().is_none(),
        "the import finished before the cut"
    );
    // Rolled back, requeued (the store was unavailable), run again.
    assert_eq!(
        wait_for(&host, &id, 120, |s| !matches!(
            s,
            ImportState::Queued | ImportState::Running
        )),
        ImportState::Completed
    );
    assert_imported_once(&host, 1, &id, n);
}

/// `kaiden` with `--db` naming the test's schema on PostgreSQL.
fn kaiden_pg(db: &Db, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db.url_as("kaiden_cli"))
        .args(args)
        .env("KAIDEN_PG_SCHEMA", &db.schema)
        .current_dir(kaiden_testkit::workspace_root())
        .output()
        .expect("kaiden runs")
}

fn out_json(o: &std::process::Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

fn out_line(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// The README's PostgreSQL command, and every other command that takes
/// `--db`, on a `postgres://` URL: the same answers as on SQLite.
#[test]
fn the_readme_command_and_every_db_command_work_on_postgres() {
    let Some(db) = Db::fresh("the commands on postgres") else {
        return;
    };
    let args = [
        "import",
        "--seeds",
        "examples/seeds",
        "--type",
        "file/batch-manual",
        "examples/iidx-batch-manual.json",
    ];
    let doc = out_json(&kaiden_pg(&db, &args));
    assert_eq!(doc["scoreIDs"].as_array().unwrap().len(), 4);
    assert_eq!(doc["createdSessions"].as_array().unwrap().len(), 2);
    assert_eq!(doc["classDeltas"][0]["new"], "DAN_9");
    let again = out_json(&kaiden_pg(&db, &args));
    assert!(again["scoreIDs"].as_array().unwrap().is_empty());
    assert_eq!(again["errors"][0]["type"], "OrphanExists");
    let id = doc["importID"].as_str().unwrap();
    assert_eq!(out_json(&kaiden_pg(&db, &["imports", "show", id])), doc);
    let listed = out_json(&kaiden_pg(&db, &["imports", "list", "--user", "1"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    let seeds = out_line(&kaiden_pg(&db, &["seeds", "load", "examples/seeds"]));
    assert!(seeds.contains("iidx:"), "{seeds}");
    let check = out_line(&kaiden_pg(
        &db,
        &[
            "check",
            "--summary",
            "--type",
            "file/batch-manual",
            "examples/iidx-batch-manual.json",
        ],
    ));
    assert_eq!(
        check, "4 would be imported, 1 orphaned, 1 rejected, 0 skipped",
        "as on SQLite: a dry run does not look at stored scores"
    );
    let orphans = out_json(&kaiden_pg(&db, &["orphans", "--user", "1"]));
    assert_eq!(orphans["processed"], 1);
    let user = out_line(&kaiden_pg(&db, &["users", "add", "alice"]));
    assert_eq!(user, "2");
    let key = out_line(&kaiden_pg(
        &db,
        &[
            "keys",
            "create",
            "--user",
            "2",
            "--permission",
            "submit_score",
        ],
    ));
    assert_eq!(key.len(), 40);
    let keys = out_json(&kaiden_pg(&db, &["keys", "list", "--user", "2"]));
    assert_eq!(keys.as_array().map(Vec::len), Some(1));
    assert_eq!(
        out_line(&kaiden_pg(&db, &["keys", "revoke", &key])),
        "revoked"
    );
    out_line(&kaiden_pg(
        &db,
        &[
            "integrations",
            "set",
            "--user",
            "2",
            "--service",
            "FLO",
            "--token",
            "t",
            "--refresh-token",
            "r",
        ],
    ));
    let hooks = out_json(&kaiden_pg(
        &db,
        &[
            "hooks", "set", "--user", "2", "--hook", "fervidex", "--cards", "C1,C2",
        ],
    ));
    assert_eq!(hooks["cards"], serde_json::json!(["C1", "C2"]));
    let shown = out_json(&kaiden_pg(
        &db,
        &["hooks", "show", "--user", "2", "--hook", "fervidex"],
    ));
    assert_eq!(shown, hooks);
    // A bad URL names the server (no password) and the cause.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .args([
            "--db",
            "postgres://kaiden:secret@127.0.0.1:1/x",
            "imports",
            "list",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("127.0.0.1:1") && !err.contains("secret"),
        "{err}"
    );
}

/// An idle worker in another process wakes when a front end queues a job
/// (`LISTEN`/`NOTIFY`), not at its next poll: here the poll is a minute away.
#[test]
fn an_idle_worker_in_another_process_wakes_when_a_job_is_queued() {
    let Some(db) = Db::fresh("an idle worker wakes") else {
        return;
    };
    let host = db.host();
    let keys = setup_users(&host, 1..=1);
    let (_front, base) = front_end(&db);
    let _worker = spawn(
        &db,
        "kaiden_sleepy",
        &["worker", "--workers", "1", "--poll-interval-ms", "60000"],
    );
    // The worker has claimed nothing and sleeps on its poll.
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    let (status, body) = upload(&base, &keys[&1], &small_file(0));
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"].as_str().unwrap().to_owned();
    assert_eq!(
        wait_for(&host, &id, 20, |s| !matches!(
            s,
            ImportState::Queued | ImportState::Running
        )),
        ImportState::Completed
    );
    assert!(sent.elapsed() < Duration::from_secs(20));
}
