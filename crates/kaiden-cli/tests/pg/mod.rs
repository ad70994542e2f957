//! What the PostgreSQL process tests share: a schema of the test's own on
//! `KAIDEN_TEST_POSTGRES` (default: the local server), `kaiden` processes
//! killed when dropped, uploads and the queue's states.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kaiden::service::{ImportState, ServiceStore};
use kaiden_postgres::{PgHost, PgOptions};
use kaiden_testkit::{big_batch_manual, workspace_root};
use serde_json::{Value, json};

pub fn url() -> String {
    std::env::var("KAIDEN_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Runs `sql` on a connection of its own; the rows' first column as text.
pub fn admin(sql: &str) -> Result<Vec<String>, String> {
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
pub struct Db {
    pub schema: String,
}

impl Db {
    /// `None` (after printing SKIPPED) when no server is reachable.
    pub fn fresh(test: &str) -> Option<Db> {
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

    pub fn host(&self) -> PgHost {
        let mut o = PgOptions::new(url());
        o.schema = Some(self.schema.clone());
        PgHost::open_with(o).expect("host")
    }

    /// The URL a process of this test uses, naming it `app` on the server.
    pub fn url_as(&self, app: &str) -> String {
        format!("{}?application_name={app}", url())
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = admin(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// A `kaiden` process, killed (SIGKILL) when dropped.
pub struct Proc {
    pub child: Child,
    pub first_line: String,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn spawn(db: &Db, app: &str, args: &[&str]) -> Proc {
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
pub fn front_end(db: &Db) -> (Proc, String) {
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

pub fn worker(db: &Db, app: &str, workers: &str) -> Proc {
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

pub fn upload(base: &str, key: &str, bytes: &[u8]) -> (u16, Value) {
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

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

pub fn state(host: &PgHost, id: &str) -> Option<ImportState> {
    block_on(host.import_state(id)).unwrap()
}

/// Waits until `id` is in a state `done` accepts; the state.
pub fn wait_for(host: &PgHost, id: &str, secs: u64, done: fn(&ImportState) -> bool) -> ImportState {
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

pub const T0: i64 = 1_700_000_000_000;
pub const HOUR: i64 = 3_600_000;

/// User `u`'s `k`th file: two scores no other file has.
pub fn small_file(k: i64) -> Vec<u8> {
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

pub fn setup_users(host: &PgHost, users: impl Iterator<Item = u64>) -> BTreeMap<u64, String> {
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

/// Starts a large import on `worker_app` and waits until a worker runs it.
pub fn start_big_import(db: &Db, host: &PgHost, key: &str, n: usize) -> (Proc, String) {
    let (front, base) = front_end(db);
    let (status, body) = upload(&base, key, &big_batch_manual(n));
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"].as_str().unwrap().to_owned();
    assert_eq!(state(host, &id), Some(ImportState::Queued));
    (front, id)
}

pub fn assert_imported_once(host: &PgHost, user: u64, id: &str, n: usize) {
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
