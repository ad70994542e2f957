//! `kaiden serve`, `kaiden users add`, `kaiden keys create`: the real binary on
//! a loopback port, killed and restarted as an operator would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kaiden_testkit::{TempDir, big_batch_manual, workspace_root};
use serde_json::{Value, json};

fn kaiden(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("kaiden runs")
}

fn stdout_line(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

fn examples() -> PathBuf {
    workspace_root().join("examples")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A `kaiden serve` process, killed (SIGKILL) when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path, args: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--bind", "127.0.0.1:0", "--rate-limit", "0"])
        .args(args)
        .env("KAIDEN_LOG", "warn")
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .spawn()
        .expect("kaiden serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Served { child, base }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
    let mut r = r.expect("http");
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).expect("json"))
}

fn upload(base: &str, key: &str, bytes: &[u8]) -> (u16, Value) {
    let boundary = "kaidenCliTestBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"importType\"\r\n\r\nfile/batch-manual\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"scoreData\"; filename=\"scores.json\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    answer(
        agent()
            .post(format!("{base}/api/v1/import/file"))
            .header("Authorization", format!("Bearer {key}"))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .send(&body[..]),
    )
}

fn poll_status(base: &str, id: &str) -> (u16, Value) {
    answer(
        agent()
            .get(format!("{base}/api/v1/imports/{id}/poll-status"))
            .call(),
    )
}

fn poll_until_done(base: &str, id: &str) -> (u16, Value) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, body) = poll_status(base, id);
        if status != 200 || body["body"]["importStatus"] != "ongoing" {
            return (status, body);
        }
        assert!(Instant::now() < deadline, "never finished");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A user and a submit_score key, made with the CLI.
fn user_and_key(db: &Path) -> (String, String) {
    let user = stdout_line(&kaiden(db, &["users", "add", "alice"]));
    assert!(
        user.parse::<u64>().is_ok(),
        "users add prints the id: {user}"
    );
    let key = stdout_line(&kaiden(
        db,
        &[
            "keys",
            "create",
            "--user",
            &user,
            "--permission",
            "submit_score",
        ],
    ));
    assert_eq!(key.len(), 40, "{key}");
    (user, key)
}

fn comparable(doc: &Value) -> Value {
    json!({
        "scores": doc["scoreIDs"].as_array().map(Vec::len),
        "errors": doc["errors"],
        "sessions": doc["createdSessions"].as_array().map(|s| s.iter().map(|x| x["type"].clone()).collect::<Vec<_>>()),
        "classDeltas": doc["classDeltas"],
        "game": doc["game"],
    })
}

fn imports_scores(db: &Path, user: &str) -> usize {
    let out = kaiden(db, &["imports", "list", "--user", user]);
    let imports: Value = serde_json::from_slice(&out.stdout).expect("imports list is JSON");
    imports
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["scoreIDs"].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn serve_imports_an_upload_like_kaiden_import_and_curl_works_as_in_the_readme() {
    let dir = TempDir::new("cli-serve");
    let db = dir.join("demo.db");
    let (_, key) = user_and_key(&db);
    let seeds = examples().join("seeds");
    let served = serve(&db, &["--seeds", s(&seeds)]);
    let file = std::fs::read(examples().join("iidx-batch-manual.json")).unwrap();
    let (status, body) = upload(&served.base, &key, &file);
    assert_eq!(status, 200, "{body}");

    let other = dir.join("cli.db");
    let cli: Value = serde_json::from_slice(
        &kaiden(
            &other,
            &[
                "import",
                "--seeds",
                s(&seeds),
                "--type",
                "file/batch-manual",
                s(&examples().join("iidx-batch-manual.json")),
            ],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(comparable(&body["body"]), comparable(&cli));

    // The README's curl line, as written there (with this server's port).
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("SKIPPED: curl is not installed");
        return;
    }
    let out = Command::new("curl")
        .current_dir(workspace_root())
        .args([
            "-s",
            "-H",
            &format!("Authorization: Bearer {key}"),
            "-H",
            "X-User-Intent: true",
            "-F",
            "importType=file/batch-manual",
            "-F",
            "scoreData=@examples/iidx-batch-manual.json",
            &format!("{}/api/v1/import/file", served.base),
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("curl got JSON");
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["body"]["userIntent"], true);
    assert_eq!(
        v["body"]["scoreIDs"],
        json!([]),
        "the same file again adds nothing"
    );
}

#[test]
fn a_killed_server_completes_its_queued_and_running_imports_exactly_once_after_restart() {
    let dir = TempDir::new("cli-serve-kill");
    let db = dir.join("kaiden.db");
    let (user, key) = user_and_key(&db);
    let seeds = examples().join("seeds");
    let file = std::fs::read(examples().join("iidx-batch-manual.json")).unwrap();

    // Queued: a process that only queues (no workers) is killed.
    let queued_id = {
        let served = serve(
            &db,
            &[
                "--seeds",
                s(&seeds),
                "--processor",
                "external",
                "--workers",
                "0",
            ],
        );
        let (status, body) = upload(&served.base, &key, &file);
        assert_eq!(status, 202, "{body}");
        let id = body["body"]["importID"].as_str().unwrap().to_owned();
        let (status, body) = poll_status(&served.base, &id);
        assert_eq!(
            (status, &body["body"]["progress"]["description"]),
            (200, &json!("Starting up import."))
        );
        id
    };

    // Running: a large import, killed while a worker is inside it.
    let n = 40_000;
    let big = big_batch_manual(n);
    let (running_id, killed_mid_import) = {
        let served = serve(&db, &["--processor", "external", "--workers", "1"]);
        let (status, body) = poll_until_done(&served.base, &queued_id);
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
            Some(4)
        );
        let (status, body) = upload(&served.base, &key, &big);
        assert_eq!(status, 202, "{body}");
        let id = body["body"]["importID"].as_str().unwrap().to_owned();
        let mut mid = false;
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let (_, b) = poll_status(&served.base, &id);
            if b["body"]["importStatus"] == "completed" {
                break;
            }
            let d = b["body"]["progress"]["description"].as_str().unwrap_or("");
            if d.starts_with("Imported ") || d == "Parsing score data." {
                mid = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        (id, mid)
        // `served` is dropped here: SIGKILL.
    };
    // The worker was inside the import when the process died: the job is
    // still claimed and no ImportDocument exists.
    assert!(killed_mid_import, "the import finished before the kill");
    {
        use kaiden::core::host::Host;
        use kaiden::service::{ImportState, ServiceStore};
        let host = kaiden_sqlite::SqliteHost::open(&db).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(
            rt.block_on(host.import_state(&running_id)).unwrap(),
            Some(ImportState::Running)
        );
        assert!(
            rt.block_on(host.import_document(&running_id))
                .unwrap()
                .is_none()
        );
    }

    let served = serve(&db, &["--processor", "external", "--workers", "1"]);
    let (status, body) = poll_until_done(&served.base, &running_id);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
        Some(n),
        "errors: {}",
        body["body"]["import"]["errors"]
            .as_array()
            .map_or(0, Vec::len)
    );
    drop(served);
    // Exactly once: two imports, every score once.
    let out = kaiden(&db, &["imports", "list", "--user", &user]);
    let imports: Value = serde_json::from_slice(&out.stdout).expect("imports list is JSON");
    let ids: Vec<&str> = imports
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["importID"].as_str())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&queued_id.as_str()) && ids.contains(&running_id.as_str()));
    assert_eq!(imports_scores(&db, &user), n + 4);
}

/// `--chart-queue-size 1`: a beatoraja score on a chart no seed holds creates
/// it at once; `kaiden hooks set` changes what the fervidex route checks.
#[test]
fn the_chart_queue_size_and_hook_settings_are_set_from_the_command_line() {
    let dir = TempDir::new("cli-hooks");
    let db = dir.join("kaiden.db");
    let (user, key) = user_and_key(&db);
    let sha = "a".repeat(64);
    let body = json!({
        "client": "LR2oraja 0.8.0",
        "score": {
            "sha256": sha, "exscore": 100, "passnotes": 100, "gauge": 80, "deviceType": "KEYBOARD",
            "minbp": 1, "option": 0, "lntype": 0, "clear": "Easy", "assist": 0, "maxcombo": 10,
            "epg": 50, "egr": 0, "egd": 0, "ebd": 0, "epr": 0, "lpg": 0, "lgr": 0, "lgd": 0,
            "lbd": 0, "lpr": 0, "ems": 0, "lms": 0
        },
        "chart": {
            "md5": "b".repeat(32), "sha256": sha, "title": "Made Here", "subtitle": "",
            "genre": "", "artist": "Me", "subartist": "", "total": 200, "lntype": 0,
            "mode": "BEAT_7K", "judge": 100, "notes": 100, "hasUndefinedLN": false,
            "hasRandom": false
        }
    });
    let served = serve(&db, &["--chart-queue-size", "1"]);
    let (status, r) = answer(
        agent()
            .post(format!("{}/ir/beatoraja/submit-score", served.base))
            .header("Authorization", format!("Bearer {key}"))
            .header("X-TachiIR-Version", "v3.0.0")
            .header("Content-Type", "application/json")
            .send(body.to_string()),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["body"]["song"]["title"], "Made Here");
    // The card filter, set by the command line, is what the route checks.
    let shown = stdout_line(&kaiden(
        &db,
        &[
            "hooks", "set", "--user", &user, "--hook", "fervidex", "--cards", "C1",
        ],
    ));
    assert_eq!(
        serde_json::from_str::<Value>(&shown).unwrap(),
        json!({"cards": ["C1"], "forceStaticImport": false})
    );
    let (status, r) = answer(
        agent()
            .post(format!("{}/ir/fervidex/score/submit", served.base))
            .header("Authorization", format!("Bearer {key}"))
            .header("User-Agent", "fervidex/1.3.0")
            .header("X-Software-Model", "LDJ:J:B:A:2020092900")
            .header("X-Account-Id", "C2")
            .header("Content-Type", "application/json")
            .send("{}"),
    );
    assert_eq!(status, 400);
    assert_eq!(
        r["error"],
        "The card ID C2 is not in your list of filters. Ignoring."
    );
}

/// `kaiden keys list` and `keys revoke`: a revoked key is refused by a running
/// server on its very next request.
#[test]
fn a_revoked_key_is_refused_at_once() {
    let dir = TempDir::new("cli-keys");
    let db = dir.join("kaiden.db");
    let (user, key) = user_and_key(&db);
    let other = stdout_line(&kaiden(
        &db,
        &[
            "keys",
            "create",
            "--user",
            &user,
            "--permission",
            "submit_score",
        ],
    ));
    let listed: Value = serde_json::from_str(&stdout_line(&kaiden(
        &db,
        &["keys", "list", "--user", &user],
    )))
    .unwrap();
    let listed = listed.as_array().unwrap().clone();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|k| k["permissions"] == json!(["submit_score"]))
    );
    assert!(listed.iter().all(|k| k["id"].as_str().unwrap().len() == 12));
    let served = serve(&db, &[]);
    let orphans = |k: &str| {
        answer(
            agent()
                .post(format!("{}/api/v1/import/orphans", served.base))
                .header("Authorization", format!("Bearer {k}"))
                .send_empty(),
        )
        .0
    };
    assert_eq!(orphans(&key), 200);
    // Revoked by the key itself, then the other by its listed id.
    assert_eq!(
        stdout_line(&kaiden(&db, &["keys", "revoke", &key])),
        "revoked"
    );
    assert_eq!(orphans(&key), 401);
    assert_eq!(orphans(&other), 200);
    let listed: Value = serde_json::from_str(&stdout_line(&kaiden(
        &db,
        &["keys", "list", "--user", &user],
    )))
    .unwrap();
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        stdout_line(&kaiden(&db, &["keys", "revoke", &id])),
        "revoked"
    );
    assert_eq!(orphans(&other), 401);
    let again = kaiden(&db, &["keys", "revoke", &id]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no such key"));
}

/// `kaiden serve` logs one line per request and per import on stderr, and
/// never a key or a query string.
#[test]
fn the_server_logs_requests_and_imports_without_secrets() {
    let dir = TempDir::new("cli-serve-logs");
    let db = dir.join("kaiden.db");
    let (_, key) = user_and_key(&db);
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(&db)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            "--seeds",
        ])
        .arg(examples().join("seeds"))
        .current_dir(workspace_root())
        .env("KAIDEN_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kaiden serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let (status, _) = answer(
        agent()
            .get(format!("{base}/api/v1/imports?pin=SECRETPIN"))
            .header("Authorization", format!("Bearer {key}"))
            .call(),
    );
    assert_eq!(status, 200);
    let file = std::fs::read(examples().join("iidx-batch-manual.json")).unwrap();
    let (status, body) = upload(&base, &key, &file);
    assert_eq!(status, 200, "{body}");
    let _ = child.kill();
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    let _ = child.wait();
    assert!(
        logs.lines()
            .any(|l| l.contains("path=/api/v1/imports ") && l.contains("status=200")),
        "{logs}"
    );
    assert!(
        logs.lines().any(|l| l.contains("import completed")
            && l.contains("import_type=file/batch-manual")
            && l.contains("scores=4")),
        "{logs}"
    );
    assert!(
        !logs.contains("SECRETPIN"),
        "a query string was logged: {logs}"
    );
    assert!(!logs.contains(&key), "a key was logged: {logs}");
}
