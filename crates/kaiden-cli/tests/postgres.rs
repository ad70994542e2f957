//! Several `kaiden` processes on one PostgreSQL database: front ends that
//! only queue (`serve --processor external --workers 0`) and `kaiden worker`
//! processes that run the queue, killed and cut off as an operator or a
//! failing network would. Each test has a schema of its own on the server
//! `KAIDEN_TEST_POSTGRES` names (default: the local one), dropped at the end;
//! without a server each says SKIPPED. Loopback only, bounded in count and time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kaiden::core::host::Host;
use kaiden::service::{ImportState, ServiceStore};
use kaiden_postgres::{PgHost, PgOptions};
use kaiden_testkit::{big_batch_manual, workspace_root};
use serde_json::{Value, json};

fn url() -> String {
    std::env::var("KAIDEN_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Runs `sql` on a connection of its own; the rows' first column as text.
fn admin(sql: &str) -> Result<Vec<String>, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (client, conn) = tokio::time::timeout(
            Duration::from_secs(5),
            tokio_postgres::connect(&url(), tokio_postgres::NoTls),
        )
        .await
        .map_err(|_| format!("{} did not answer within 5 s", url()))?
        .map_err(|e| format!("{}: {e}", url()))?;
        let driver = tokio::spawn(conn);
        let rows = client.simple_query(sql).await.map_err(|e| e.to_string())?;
        drop(client);
        let _ = driver.await;
        Ok(rows
            .iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
                _ => None,
            })
            .collect())
    })
}

/// A schema of this test's own, dropped with it.
struct Db {
    schema: String,
}

impl Db {
    /// `None` (after printing SKIPPED) when no server is reachable.
    fn fresh(test: &str) -> Option<Db> {
        if let Err(e) = admin("SELECT 1") {
            eprintln!("SKIPPED: {test}: no PostgreSQL server ({e}); set KAIDEN_TEST_POSTGRES");
            return None;
        }
        static N: AtomicU64 = AtomicU64::new(0);
        let schema = format!(
            "kaiden_cli_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        Some(Db { schema })
    }

    fn host(&self) -> PgHost {
        let mut o = PgOptions::new(url());
        o.schema = Some(self.schema.clone());
        PgHost::open_with(o).expect("host")
    }

    /// The URL a process of this test uses, naming it `app` on the server.
    fn url_as(&self, app: &str) -> String {
        format!("{}?application_name={app}", url())
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = admin(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// A `kaiden` process, killed (SIGKILL) when dropped.
struct Proc {
    child: Child,
    first_line: String,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(db: &Db, app: &str, args: &[&str]) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db.url_as(app))
        .args(args)
        .env("KAIDEN_PG_SCHEMA", &db.schema)
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kaiden starts");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("first line");
    Proc { child, first_line }
}

/// A front end that only queues.
fn front_end(db: &Db) -> (Proc, String) {
    let p = spawn(
        db,
        "kaiden_front",
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            "--processor",
            "external",
            "--workers",
            "0",
        ],
    );
    let base = p
        .first_line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {:?}", p.first_line))
        .to_owned();
    (p, base)
}

fn worker(db: &Db, app: &str, workers: &str) -> Proc {
    let p = spawn(
        db,
        app,
        &[
            "worker",
            "--workers",
            workers,
            "--lock-backoff-ms",
            "20",
            "--poll-interval-ms",
            "50",
        ],
    );
    assert!(
        p.first_line.starts_with("working with"),
        "{:?}",
        p.first_line
    );
    p
}

fn upload(base: &str, key: &str, bytes: &[u8]) -> (u16, Value) {
    let boundary = "kaidenPgTestBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"importType\"\r\n\r\nfile/batch-manual\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"scoreData\"; filename=\"scores.json\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut r = agent
        .post(format!("{base}/api/v1/import/file"))
        .header("Authorization", format!("Bearer {key}"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .expect("http");
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).expect("json"))
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

fn state(host: &PgHost, id: &str) -> Option<ImportState> {
    block_on(host.import_state(id)).unwrap()
}

/// Waits until `id` is in a state `done` accepts; the state.
fn wait_for(host: &PgHost, id: &str, secs: u64, done: fn(&ImportState) -> bool) -> ImportState {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(s) = state(host, id).filter(done) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "{id}: still {:?} after {secs} s",
            state(host, id)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

const T0: i64 = 1_700_000_000_000;
const HOUR: i64 = 3_600_000;

/// User `u`'s `k`th file: two scores no other file has.
fn small_file(k: i64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "meta": {"game": "iidx", "playtype": "SP", "service": "pg test"},
        "scores": [
            {"score": 10 + k, "lamp": "CLEAR", "matchType": "tachiSongID", "identifier": "1",
             "difficulty": "NORMAL", "timeAchieved": T0 + k * HOUR},
            {"score": 10 + k, "lamp": "HARD CLEAR", "matchType": "tachiSongID", "identifier": "2",
             "difficulty": "HYPER", "timeAchieved": T0 + k * HOUR},
        ]
    }))
    .unwrap()
}

fn setup_users(host: &PgHost, users: impl Iterator<Item = u64>) -> BTreeMap<u64, String> {
    host.load_seeds(workspace_root().join("examples/seeds"))
        .unwrap();
    users
        .map(|u| {
            host.ensure_user(u, &format!("player{u}")).unwrap();
            let key = host
                .create_api_key(u, &["submit_score".to_owned()])
                .unwrap();
            (u, key)
        })
        .collect()
}

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

/// Starts a large import on `worker_app` and waits until a worker runs it.
fn start_big_import(db: &Db, host: &PgHost, key: &str, n: usize) -> (Proc, String) {
    let (front, base) = front_end(db);
    let (status, body) = upload(&base, key, &big_batch_manual(n));
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"].as_str().unwrap().to_owned();
    assert_eq!(state(host, &id), Some(ImportState::Queued));
    (front, id)
}

fn assert_imported_once(host: &PgHost, user: u64, id: &str, n: usize) {
    let imports = host.documents("imports", user).unwrap();
    assert_eq!(imports.len(), 1, "one ImportDocument");
    assert_eq!(imports[0]["importID"], json!(id));
    assert_eq!(
        imports[0]["scoreIDs"].as_array().map(Vec::len),
        Some(n),
        "{} errors, the first {}",
        imports[0]["errors"].as_array().map_or(0, Vec::len),
        imports[0]["errors"][0]
    );
    assert_eq!(host.documents("scores", user).unwrap().len(), n);
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
