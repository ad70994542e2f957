//! The server on a real loopback port, spoken to over HTTP.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kaiden::core::ImportType;
use kaiden::core::format::ImportInput;
use kaiden::core::host::Host;
use kaiden::pipeline::{self, ImportRequest, NoProgress};
use kaiden::service::{QueuedImport, ServiceStore};
use kaiden_server::{Config, Processor};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::{TempDir, big_batch_manual, tachi_data, workspace_root};
use serde_json::{Value, json};

mod common;
use common::{agent, answer, multipart, serve};

struct TestServer {
    base: String,
    host: Arc<SqliteHost>,
    user: u64,
    key: String,
    _dir: TempDir,
}

fn examples() -> PathBuf {
    workspace_root().join("examples")
}

fn new_host(dir: &TempDir, seeds: bool) -> (Arc<SqliteHost>, u64, String) {
    let host = SqliteHost::open(dir.join("kaiden.db")).expect("open db");
    if seeds {
        host.load_seeds(examples().join("seeds")).expect("seeds");
    }
    let user = host.add_user("alice").expect("user");
    let key = host
        .create_api_key(user, &["submit_score".to_owned()])
        .expect("key");
    (Arc::new(host), user, key)
}

fn start(config: Config) -> TestServer {
    start_with(config, true)
}

fn start_with(config: Config, seeds: bool) -> TestServer {
    let dir = TempDir::new("server");
    let (host, user, key) = new_host(&dir, seeds);
    let base = serve(Arc::clone(&host), config, kaiden::registry());
    TestServer {
        base,
        host,
        user,
        key,
        _dir: dir,
    }
}

fn external() -> Config {
    Config {
        processor: Processor::External,
        workers: 1,
        poll_interval: Duration::from_millis(20),
        lock_backoff: Duration::from_millis(20),
        ..Config::default()
    }
}

impl TestServer {
    fn upload_as(
        &self,
        key: Option<&str>,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
        intent: bool,
    ) -> (u16, Value) {
        let (ct, body) = multipart(fields, files);
        let mut req = agent()
            .post(format!("{}/api/v1/import/file", self.base))
            .header("Content-Type", ct);
        if let Some(k) = key {
            req = req.header("Authorization", format!("Bearer {k}"));
        }
        if intent {
            req = req.header("X-User-Intent", "true");
        }
        answer(req.send(&body[..]))
    }

    fn upload(&self, import_type: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
        self.upload_as(
            Some(&self.key),
            &[("importType", import_type)],
            &[("scoreData", name, bytes)],
            false,
        )
    }

    fn get(&self, path: &str) -> (u16, Value) {
        answer(agent().get(format!("{}{path}", self.base)).call())
    }

    fn post_json(&self, path: &str, body: &[u8]) -> (u16, Value) {
        answer(
            agent()
                .post(format!("{}{path}", self.base))
                .header("Authorization", format!("Bearer {}", self.key))
                .header("Content-Type", "application/json")
                .send(body),
        )
    }

    /// Polls an external import until it is no longer ongoing.
    fn poll(&self, import_id: &str) -> (u16, Value) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (status, body) = self.get(&format!("/api/v1/imports/{import_id}/poll-status"));
            if status != 200 || body["body"]["importStatus"] != "ongoing" {
                return (status, body);
            }
            assert!(
                Instant::now() < deadline,
                "import {import_id} never finished"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn example_file() -> Vec<u8> {
    std::fs::read(examples().join("iidx-batch-manual.json")).expect("example")
}

/// What must match between two imports of the same file by different routes.
fn comparable(doc: &Value) -> Value {
    let mut errors: Vec<Value> = doc["errors"].as_array().cloned().unwrap_or_default();
    errors.sort_by_key(ToString::to_string);
    json!({
        "scores": doc["scoreIDs"].as_array().map(Vec::len),
        "errors": errors,
        "sessions": doc["createdSessions"].as_array().map(|s| s.iter().map(|x| x["type"].clone()).collect::<Vec<_>>()),
        "classDeltas": doc["classDeltas"],
        "game": doc["game"],
        "importType": doc["importType"],
        "playtypes": doc["playtypes"],
    })
}

/// The document the pipeline itself writes for the example file, on a fresh store.
fn direct_import_of_example() -> Value {
    let dir = TempDir::new("server-direct");
    let (host, user, _) = new_host(&dir, true);
    let bytes = example_file();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("rt");
    let doc = rt
        .block_on(pipeline::import(
            &*host,
            &kaiden::registry(),
            ImportRequest {
                import_type: ImportType::FILE_BATCH_MANUAL,
                user,
                user_intent: true,
                input: ImportInput {
                    bytes: &bytes,
                    stream: None,
                    filename: Some("iidx-batch-manual.json".into()),
                    fields: [("importType".to_owned(), "file/batch-manual".to_owned())].into(),
                    headers: Default::default(),
                },
                import_id: None,
            },
            &NoProgress,
        ))
        .expect("import");
    serde_json::to_value(doc).expect("json")
}

#[test]
fn a_file_upload_is_imported_in_the_request_and_matches_the_pipeline() {
    let s = start(Config::default());
    let (status, body) = s.upload_as(
        Some(&s.key),
        &[("importType", "file/batch-manual")],
        &[("scoreData", "iidx-batch-manual.json", &example_file())],
        true,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["description"], "Import successful.");
    let doc = &body["body"];
    assert_eq!(doc["userID"], s.user);
    assert_eq!(doc["userIntent"], true);
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(4));
    assert_eq!(comparable(doc), comparable(&direct_import_of_example()));

    // The import is stored and viewable with its scores, charts, songs, sessions.
    let id = doc["importID"].as_str().expect("importID");
    let (status, view) = s.get(&format!("/api/v1/imports/{id}"));
    assert_eq!(status, 200, "{view}");
    let v = &view["body"];
    assert_eq!(v["import"], *doc);
    assert_eq!(v["scores"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["user"]["username"], "alice");
    let charts: Vec<&str> = v["charts"]
        .as_array()
        .expect("charts")
        .iter()
        .filter_map(|c| c["chartID"].as_str())
        .collect();
    for score in v["scores"].as_array().expect("scores") {
        assert!(charts.contains(&score["chartID"].as_str().expect("chartID")));
    }
    assert!(!v["songs"].as_array().expect("songs").is_empty());

    // Without X-User-Intent the intent is false; the same file again imports nothing.
    let (status, body) = s.upload("file/batch-manual", "again.json", &example_file());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["userIntent"], false);
    assert_eq!(body["body"]["scoreIDs"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_tachi_fixture_csv_with_its_playtype_field_imports_with_no_errors() {
    let Some(data) = tachi_data() else {
        eprintln!("SKIPPED: Tachi data not found");
        return;
    };
    let s = start_with(Config::default(), false);
    s.host.load_seeds(data.join("iidx")).expect("iidx seeds");
    let csv = std::fs::read(data.join("fixtures/eamusement-iidx-csv/small-hv-file.csv"))
        .expect("fixture");
    let (status, body) = s.upload_as(
        Some(&s.key),
        &[
            ("importType", "file/eamusement-iidx-csv"),
            ("playtype", "SP"),
        ],
        &[("scoreData", "small-hv-file.csv", &csv)],
        false,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["scoreIDs"].as_array().map(Vec::len), Some(2));
    assert_eq!(body["body"]["errors"], json!([]));
    // The playtype field is required: Tachi's 400.
    let (status, body) = s.upload("file/eamusement-iidx-csv", "small-hv-file.csv", &csv);
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["success"], false);
}

#[test]
fn external_mode_answers_202_and_polling_reaches_the_same_document() {
    let s = start(external());
    let (status, body) = s.upload(
        "file/batch-manual",
        "iidx-batch-manual.json",
        &example_file(),
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        body["description"],
        "Import loaded into queue. You can poll the provided URL for information on when its complete."
    );
    let id = body["body"]["importID"]
        .as_str()
        .expect("importID")
        .to_owned();
    assert_eq!(id.len(), 40);
    assert_eq!(
        body["body"]["url"],
        format!("{}/api/v1/imports/{id}/poll-status", s.base)
    );
    // A forged Host header never reaches the poll link.
    let (ct, forged) = multipart(
        &[("importType", "file/batch-manual")],
        &[("scoreData", "scores.json", &example_file())],
    );
    let (status, evil) = answer(
        agent()
            .post(format!("{}/api/v1/import/file", s.base))
            .header("Content-Type", ct)
            .header("Authorization", format!("Bearer {}", s.key))
            .header("Host", "evil.example:666")
            .send(&forged[..]),
    );
    assert_eq!(status, 202, "{evil}");
    let url = evil["body"]["url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("{}/api/v1/imports/", s.base)),
        "{url}"
    );
    assert!(!url.contains("evil"), "{url}");
    let (status, polled) = s.poll(&id);
    assert_eq!(status, 200, "{polled}");
    assert_eq!(polled["description"], "Import was completed!");
    assert_eq!(polled["body"]["importStatus"], "completed");
    let doc = &polled["body"]["import"];
    assert_eq!(doc["importID"], id.as_str());
    assert_eq!(comparable(doc), comparable(&direct_import_of_example()));
    let (status, view) = s.get(&format!("/api/v1/imports/{id}"));
    assert_eq!(status, 200);
    assert_eq!(view["body"]["import"], *doc);
}

/// Uploads past 1 MiB go to a temporary file and are imported from it as a
/// stream (with the external processor, copied into the queue and claimed
/// out of it in pieces), and their ImportDocuments (past 512 KiB) are answered
/// as a stream, by the 200 and by poll-status: three different users upload at
/// once, and each gets every score, the same through either processor.
#[test]
fn large_uploads_of_different_users_at_once_import_the_same_through_either_processor() {
    let file = big_batch_manual(12_000);
    assert!(
        file.len() > 1024 * 1024,
        "{} bytes: not spooled",
        file.len()
    );
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("scoreIDs")
            .iter()
            .map(|i| i.as_str().expect("id").to_owned())
            .collect()
    };
    let run = |config: Config| -> Vec<Vec<String>> {
        let s = start(config);
        let mut keys = vec![s.key.clone()];
        for name in ["bob", "carol"] {
            let user = s.host.add_user(name).expect("user");
            keys.push(
                s.host
                    .create_api_key(user, &["submit_score".to_owned()])
                    .expect("key"),
            );
        }
        let answers: Vec<(u16, Value)> = std::thread::scope(|t| {
            let running: Vec<_> = keys
                .iter()
                .map(|k| {
                    let (s, file) = (&s, &file);
                    t.spawn(move || {
                        s.upload_as(
                            Some(k),
                            &[("importType", "file/batch-manual")],
                            &[("scoreData", "big.json", file)],
                            false,
                        )
                    })
                })
                .collect();
            running
                .into_iter()
                .map(|r| r.join().expect("upload"))
                .collect()
        });
        answers
            .into_iter()
            .map(|(status, body)| match status {
                200 => {
                    assert_eq!(body["body"]["errors"], serde_json::json!([]));
                    ids(&body["body"]["scoreIDs"])
                }
                202 => {
                    let id = body["body"]["importID"].as_str().expect("id").to_owned();
                    let deadline = Instant::now() + Duration::from_secs(180);
                    loop {
                        let (status, b) = s.get(&format!("/api/v1/imports/{id}/poll-status"));
                        assert_eq!(status, 200, "{b}");
                        if b["body"]["importStatus"] == "completed" {
                            assert_eq!(b["description"], "Import was completed!");
                            break ids(&b["body"]["import"]["scoreIDs"]);
                        }
                        assert!(Instant::now() < deadline, "not done in time");
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                other => panic!("{other}: {body}"),
            })
            .collect()
    };
    let internal = run(Config::default());
    for user in &internal {
        assert_eq!(user.len(), 12_000);
    }
    assert_ne!(internal[0], internal[1], "each user's own scoreIDs");
    let external = run(Config {
        workers: 2,
        ..external()
    });
    assert_eq!(internal, external);
}

#[test]
fn poll_status_reports_progress_of_a_running_import() {
    let s = start(external());
    let (status, body) = s.upload("file/batch-manual", "big.json", &big_batch_manual(30_000));
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"].as_str().expect("id").to_owned();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, b) = s.get(&format!("/api/v1/imports/{id}/poll-status"));
        assert_eq!(status, 200, "{b}");
        if b["body"]["importStatus"] == "completed" {
            assert_eq!(
                b["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
                Some(30_000)
            );
            break;
        }
        assert_eq!(b["description"], "Import is ongoing.");
        let d = b["body"]["progress"]["description"]
            .as_str()
            .expect("description")
            .to_owned();
        if seen.last() != Some(&d) {
            seen.push(d);
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    // Every description is one of Tachi's progress strings.
    for d in &seen {
        assert!(
            d == "Starting up import."
                || d == "Importing Scores."
                || d == "Parsing score data."
                || d.starts_with("Imported ")
                || d.ends_with('.'),
            "{d}"
        );
    }
    assert!(!seen.is_empty());
}

#[test]
fn authentication_and_permissions_use_tachis_answers() {
    let s = start(Config::default());
    let file = example_file();
    let files: &[(&str, &str, &[u8])] = &[("scoreData", "f.json", &file)];
    let fields = &[("importType", "file/batch-manual")];

    let (status, body) = s.upload_as(None, fields, files, false);
    assert_eq!(status, 401);
    assert_eq!(body["success"], false);
    assert_eq!(
        body["description"],
        "You are not authorised to perform this action."
    );

    let (status, _) = s.upload_as(
        Some("0123456789abcdef0123456789abcdef01234567"),
        fields,
        files,
        false,
    );
    assert_eq!(status, 401);

    let reader = s
        .host
        .create_api_key(s.user, &["customise_profile".to_owned()])
        .expect("key");
    let (status, body) = s.upload_as(Some(&reader), fields, files, false);
    assert_eq!(status, 403);
    assert_eq!(
        body["description"],
        "You are missing the following permissions necessary for this request: submit_score"
    );
    for path in [
        "/api/v1/import/orphans",
        "/api/v1/import/from-api",
        "/ir/direct-manual/import",
    ] {
        let (status, _) = answer(agent().post(format!("{}{path}", s.base)).send(&b"{}"[..]));
        assert_eq!(status, 401, "{path}");
    }
    // Nothing was imported by the refused requests.
    assert_eq!(s.host.counts(s.user).expect("counts")["scores"], 0);
}

#[test]
fn upload_shape_errors_are_tachis_400s() {
    let s = start(Config {
        file_limit: 4096,
        rate_limit: 0,
        ..Config::default()
    });
    let file = example_file();
    let (status, body) = s.upload_as(
        Some(&s.key),
        &[("importType", "file/batch-manual")],
        &[],
        false,
    );
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Expected a file for field scoreData."))
    );

    let (status, body) = s.upload_as(
        Some(&s.key),
        &[("importType", "file/batch-manual")],
        &[("wrongField", "f.json", &file)],
        false,
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "File provided was too large, corrupt, or provided in the wrong field."
    );

    let big = big_batch_manual(100);
    assert!(big.len() > 4096);
    let (status, body) = s.upload("file/batch-manual", "big.json", &big);
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "File provided was too large, corrupt, or provided in the wrong field."
    );

    for bad in ["file/nonsense", "api/flo-iidx", "ir/direct-manual"] {
        let (status, body) = s.upload(bad, "f.json", &file);
        assert_eq!(status, 400, "{bad}: {body}");
        let d = body["description"].as_str().expect("description");
        assert!(d.starts_with("[importType] Expected any of file/"), "{d}");
        assert!(
            d.contains("file/batch-manual") && d.contains(&format!("'{bad}'")),
            "{d}"
        );
    }
    let (status, _) = s.upload_as(Some(&s.key), &[], &[("scoreData", "f.json", &file)], false);
    assert_eq!(status, 400);

    // A fatal parse error is the import's 400, with its position.
    let (status, body) = s.upload(
        "file/batch-manual",
        "bad.json",
        b"{\"meta\": {\"game\": \"iidx\",",
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body["description"]
            .as_str()
            .expect("d")
            .contains("Invalid JSON"),
        "{body}"
    );
    assert_eq!(s.host.counts(s.user).expect("counts")["scores"], 0);
}

#[test]
fn a_disabled_import_type_is_refused() {
    let dir = TempDir::new("server-disabled");
    let (host, _, key) = new_host(&dir, true);
    // A registry with BATCH-MANUAL only.
    let registry = pipeline::Registry::new().with(kaiden::batch_manual::BatchManual::new());
    let base = serve(host, Config::default(), registry);
    let s = TestServer {
        base,
        host: Arc::new(SqliteHost::open(dir.join("kaiden.db")).expect("db")),
        user: 1,
        key,
        _dir: dir,
    };
    let (status, body) = s.upload("file/solid-state-squad", "s3.xml", b"<s3data/>");
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["description"],
        "[importType] Expected any of file/batch-manual. (Received 'file/solid-state-squad')"
    );
}

#[test]
fn direct_manual_takes_the_body_and_limits_it_to_4mb() {
    let s = start(Config {
        rate_limit: 0,
        ..Config::default()
    });
    let (status, body) = s.post_json("/ir/direct-manual/import", &example_file());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["importType"], "ir/direct-manual");
    assert_eq!(body["body"]["scoreIDs"].as_array().map(Vec::len), Some(4));

    let huge = vec![b' '; 4 * 1024 * 1024 + 1];
    let (status, body) = s.post_json("/ir/direct-manual/import", &huge);
    assert_eq!(status, 413);
    assert_eq!(
        body["description"],
        "Your request body was too large. The limit is 4MB."
    );

    let (status, body) = s.post_json("/ir/direct-manual/import", b"{nope");
    assert_eq!(status, 400, "{body}");

    // X-Infer-Score-TimeAchieved: one untimed score gets the current time.
    let one = |scores: Value| {
        let doc = json!({"meta": {"game": "iidx", "playtype": "SP", "service": "hook"}, "scores": scores});
        answer(
            agent()
                .post(format!("{}/ir/direct-manual/import", s.base))
                .header("Authorization", format!("Bearer {}", s.key))
                .header("X-Infer-Score-TimeAchieved", "true")
                .send(&serde_json::to_vec(&doc).expect("json")[..]),
        )
    };
    let score = json!({"score": 1111, "lamp": "CLEAR", "matchType": "inGameID", "identifier": "31002", "difficulty": "ANOTHER"});
    let (status, body) = one(json!([score.clone()]));
    assert_eq!(status, 200, "{body}");
    let id = body["body"]["importID"].as_str().expect("id").to_owned();
    let (_, view) = s.get(&format!("/api/v1/imports/{id}"));
    assert!(
        view["body"]["scores"][0]["timeAchieved"].as_i64().is_some(),
        "{view}"
    );
    let (status, body) = one(json!([score.clone(), score]));
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Cannot use X-Infer-Score-TimeAchieved with multiple scores in your import."
    );
}

#[test]
fn the_score_import_rate_limit_is_five_per_minute_per_key() {
    let s = start(Config::default());
    let file = example_file();
    for i in 0..5 {
        let (status, body) = s.upload("file/batch-manual", "f.json", &file);
        assert_eq!(status, 200, "request {i}: {body}");
    }
    let (status, body) = s.upload("file/batch-manual", "f.json", &file);
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({
            "success": false,
            "description": "You have exceeded 5 requests per 60 seconds. Please wait.",
            "status": 429,
            "message": "You're being rate limited.",
        })
    );
    let (status, _) = s.post_json("/ir/direct-manual/import", &file);
    assert_eq!(status, 429);
    // Another key of the same user has its own budget; orphans are not limited.
    let other = s
        .host
        .create_api_key(s.user, &["submit_score".to_owned()])
        .expect("key");
    let (status, _) = s.upload_as(
        Some(&other),
        &[("importType", "file/batch-manual")],
        &[("scoreData", "f.json", &file)],
        false,
    );
    assert_eq!(status, 200);
    let (status, _) = s.post_json("/api/v1/import/orphans", b"");
    assert_eq!(status, 200);
}

#[test]
fn two_simultaneous_uploads_for_one_user_give_one_409() {
    let s = Arc::new(start(Config::default()));
    let file = Arc::new(big_batch_manual(40_000));
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let s = Arc::clone(&s);
            let file = Arc::clone(&file);
            std::thread::spawn(move || s.upload("file/batch-manual", &format!("f{i}.json"), &file))
        })
        .collect();
    let mut results: Vec<(u16, Value)> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    results.sort_by_key(|r| r.0);
    assert_eq!(results[0].0, 200, "{}", results[0].1);
    assert_eq!(results[1].0, 409, "{}", results[1].1);
    assert_eq!(
        results[1].1["description"],
        "This user already has an ongoing import."
    );
    assert_eq!(s.host.counts(s.user).expect("counts")["scores"], 40_000);
}

#[test]
fn poll_status_answers_501_internally_and_404_for_unknown_imports() {
    let s = start(Config::default());
    let (status, body) = s.get("/api/v1/imports/0000/poll-status");
    assert_eq!(status, 501);
    assert!(
        body["description"]
            .as_str()
            .expect("d")
            .starts_with("kaiden does not use an external score import worker.")
    );
    let (status, body) = s.get("/api/v1/imports/0000");
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("This import does not exist."))
    );

    let e = start(external());
    let (status, body) = e.get("/api/v1/imports/0000/poll-status");
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("There is no ongoing import here."))
    );
    let (status, _) = e.get("/no/such/route");
    assert_eq!(status, 404);
}

#[test]
fn a_failed_external_import_polls_as_its_fatal_error() {
    let s = start(external());
    let (status, body) = s.upload("file/batch-manual", "bad.json", b"[1, 2, 3]");
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"].as_str().expect("id").to_owned();
    let (status, body) = s.poll(&id);
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["success"], false);
    assert!(
        body["description"]
            .as_str()
            .expect("d")
            .contains("must be an object"),
        "{body}"
    );
}

#[test]
fn a_locked_user_is_retried_with_backoff_then_given_up_with_409() {
    let s = start(Config {
        lock_tries: 3,
        ..external()
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("rt");
    // Hold the user's lock as another import would.
    let tx = rt.block_on(s.host.begin_import(s.user)).expect("lock");
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 202);
    let first = body["body"]["importID"].as_str().expect("id").to_owned();
    let (status, body) = s.poll(&first);
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["description"],
        "Couldn't get an import through in the past 6 hours, at all."
    );

    // Released while the next one waits: it goes through.
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 202);
    let second = body["body"]["importID"].as_str().expect("id").to_owned();
    std::thread::sleep(Duration::from_millis(30));
    rt.block_on(kaiden::core::host::ImportTransaction::rollback(tx))
        .expect("unlock");
    let (status, body) = s.poll(&second);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
        Some(4)
    );
}

#[test]
fn jobs_left_running_by_a_dead_worker_complete_exactly_once_after_restart() {
    let dir = TempDir::new("server-recover");
    let (host, user, key) = new_host(&dir, true);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("rt");
    let job = |id: &str| QueuedImport {
        import_id: id.to_owned(),
        user,
        user_intent: true,
        import_type: ImportType::FILE_BATCH_MANUAL,
        input: example_file(),
        filename: Some("f.json".into()),
        fields: Default::default(),
        headers: Default::default(),
        runs: 0,
        lock_retries: 0,
    };
    let a = "a".repeat(40);
    let b = "b".repeat(40);
    rt.block_on(async {
        // Job A was claimed by a worker that died before importing.
        host.enqueue_import(&job(&a)).await.expect("enqueue");
        let claimed = host
            .claim_import(3_600_000)
            .await
            .expect("claim")
            .expect("job");
        assert_eq!(claimed.import_id, a);
        assert_eq!(claimed.runs, 1);
        // Job B's worker committed the import, then died before marking the job.
        host.enqueue_import(&job(&b)).await.expect("enqueue");
        let claimed = host
            .claim_import(3_600_000)
            .await
            .expect("claim")
            .expect("job");
        assert_eq!(claimed.import_id, b);
    });
    let bytes = example_file();
    rt.block_on(pipeline::import(
        &*host,
        &kaiden::registry(),
        ImportRequest {
            import_type: ImportType::FILE_BATCH_MANUAL,
            user,
            user_intent: true,
            input: ImportInput {
                bytes: &bytes,
                stream: None,
                filename: None,
                fields: Default::default(),
                headers: Default::default(),
            },
            import_id: Some(b.clone()),
        },
        &NoProgress,
    ))
    .expect("import B");
    assert_eq!(host.counts(user).expect("counts")["scores"], 4);

    // The restarted server requeues A and only marks B.
    let base = serve(Arc::clone(&host), external(), kaiden::registry());
    let s = TestServer {
        base,
        host,
        user,
        key,
        _dir: dir,
    };
    let (status, body) = s.poll(&a);
    assert_eq!(status, 200, "{body}");
    // A's scores were all imported by B already: A imports none, nothing doubles.
    assert_eq!(
        body["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
        Some(0)
    );
    let (status, body) = s.poll(&b);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
        Some(4)
    );
    let counts = s.host.counts(user).expect("counts");
    assert_eq!((counts["scores"], counts["imports"]), (4, 2));
    // Poll-status answers from B's ImportDocument, which B's first worker
    // committed; the restarted worker marks the job itself when it claims it,
    // which may be a moment after that answer.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let state = rt.block_on(s.host.import_state(&b)).expect("state");
        if state == Some(kaiden::service::ImportState::Completed) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "B's job was never marked completed: {state:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Marked once: the counts are as they were.
    let counts = s.host.counts(user).expect("counts");
    assert_eq!((counts["scores"], counts["imports"]), (4, 2));
}

#[test]
fn orphans_endpoint_imports_orphans_once_their_charts_exist() {
    let s = start_with(Config::default(), false);
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["scoreIDs"].as_array().map(Vec::len), Some(0));
    s.host.load_seeds(examples().join("seeds")).expect("seeds");
    let (status, body) = s.post_json("/api/v1/import/orphans", b"");
    assert_eq!(status, 200, "{body}");
    let r = &body["body"];
    assert_eq!(
        body["description"],
        format!("Reprocessed {} orphan scores.", r["processed"])
    );
    assert_eq!(r["success"], 4, "{r}");
    assert_eq!(r["failed"], 1, "the unseeded song stays an orphan: {r}");
    assert_eq!(
        r["processed"].as_u64(),
        Some(
            r["success"].as_u64().unwrap_or(0)
                + r["failed"].as_u64().unwrap_or(0)
                + r["removed"].as_u64().unwrap_or(0)
        )
    );
    assert_eq!(s.host.counts(s.user).expect("counts")["scores"], 4);
}

#[test]
fn from_api_refuses_types_this_server_does_not_serve() {
    let s = start(Config::default());
    let (status, body) = s.post_json(
        "/api/v1/import/from-api",
        br#"{"importType": "api/flo-iidx"}"#,
    );
    assert_eq!(status, 400, "{body}");
    // kaiden::registry() holds no API type: the answer says so, not
    // "Expected any of ." as Tachi's text would.
    assert_eq!(
        body["description"],
        "[importType] This server has no api import types configured. (Received 'api/flo-iidx')"
    );
    let (status, _) = s.post_json("/api/v1/import/from-api", b"not json");
    assert_eq!(status, 400);
}

#[test]
fn import_listings_filter_by_type_and_intent_newest_first() {
    let s = start(Config {
        rate_limit: 0,
        ..Config::default()
    });
    let file = example_file();
    let upload = |intent: bool| {
        s.upload_as(
            Some(&s.key),
            &[("importType", "file/batch-manual")],
            &[("scoreData", "f.json", &file)],
            intent,
        )
    };
    let (_, first) = upload(true);
    let (_, second) = upload(false);
    let (status, third) = s.post_json("/ir/direct-manual/import", &file);
    assert_eq!(status, 200, "{third}");
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|d| d["importID"].as_str().map(str::to_owned))
            .collect()
    };
    let id = |v: &Value| v["body"]["importID"].as_str().expect("id").to_owned();

    let (status, all) = s.get("/api/v1/imports");
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        ids(&all["body"]["imports"]),
        vec![id(&third), id(&second), id(&first)]
    );
    assert_eq!(
        all["body"]["users"],
        json!([{"id": s.user, "username": "alice"}])
    );

    let (_, direct) = s.get("/api/v1/imports?importType=ir%2Fdirect-manual");
    assert_eq!(ids(&direct["body"]["imports"]), vec![id(&third)]);
    let (_, intent) = s.get("/api/v1/imports?userIntent=true&importType=file/batch-manual");
    assert_eq!(ids(&intent["body"]["imports"]), vec![id(&first)]);
    let (_, none) = s.get("/api/v1/imports?userIntent=false");
    assert_eq!(ids(&none["body"]["imports"]), vec![id(&third), id(&second)]);

    let (status, mine) = s.get(&format!(
        "/api/v1/users/{}/imports?importType=file/batch-manual",
        s.user
    ));
    assert_eq!(status, 200);
    assert_eq!(ids(&mine["body"]), vec![id(&second), id(&first)]);

    let (status, _) = s.get("/api/v1/imports?userIntent=maybe");
    assert_eq!(status, 400);
    let (status, body) = s.get("/api/v1/imports?importType=file/nope");
    assert_eq!(status, 400, "{body}");
    let (status, body) = s.get("/api/v1/users/999/imports");
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("The user 999 does not exist."))
    );
}

/// An import type the server's embedder defines: BATCH-MANUAL under another name.
#[derive(Debug)]
struct Renamed(kaiden::batch_manual::BatchManual);

const RENAMED: ImportType = ImportType::new("file/kaiden-test-renamed-json");

impl kaiden::core::format::ImportFormat for Renamed {
    type Record = <kaiden::batch_manual::BatchManual as kaiden::core::format::ImportFormat>::Record;
    type Context =
        <kaiden::batch_manual::BatchManual as kaiden::core::format::ImportFormat>::Context;

    fn import_types(&self) -> &'static [ImportType] {
        &[RENAMED]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<
        kaiden::core::format::ParsedImport<'a, Self::Record, Self::Context>,
        kaiden::core::ImportError,
    > {
        self.0.parse(ImportType::FILE_BATCH_MANUAL, input)
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &Self::Record,
        context: &Self::Context,
    ) -> Result<kaiden::core::format::PendingScore, kaiden::core::ConverterFailure> {
        self.0.convert(import_type, record, context)
    }
}

#[test]
fn an_import_type_registered_by_the_embedder_is_served_and_queued_like_tachis() {
    let dir = TempDir::new("server-custom-type");
    let (host, user, key) = new_host(&dir, true);
    let registry = kaiden::registry().with(Renamed(kaiden::batch_manual::BatchManual::new()));
    let base = serve(Arc::clone(&host), external(), registry);
    let s = TestServer {
        base,
        host,
        user,
        key,
        _dir: dir,
    };
    let (status, body) = s.upload(
        "file/kaiden-test-renamed-json",
        "scores.json",
        &example_file(),
    );
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"]
        .as_str()
        .expect("importID")
        .to_owned();
    let (status, polled) = s.poll(&id);
    assert_eq!(status, 200, "{polled}");
    let doc = &polled["body"]["import"];
    assert_eq!(doc["importType"], "file/kaiden-test-renamed-json");
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(4), "{doc}");
    // Its orphans name it, and the document reads back from the store.
    let orphans = s.host.documents("orphans", s.user).expect("orphans");
    assert_eq!(orphans[0]["importType"], "file/kaiden-test-renamed-json");
    let (status, view) = s.get(&format!("/api/v1/imports/{id}"));
    assert_eq!(status, 200);
    assert_eq!(view["body"]["import"], *doc);
    // An unknown file type's error lists it beside the built-in ones.
    let (status, body) = s.upload("file/nope", "x", b"x");
    assert_eq!(status, 400);
    let text = body["description"].as_str().expect("description");
    assert!(
        text.contains("file/kaiden-test-renamed-json") && text.contains("file/batch-manual"),
        "{text}"
    );
}

#[test]
fn a_busy_store_is_retried_like_a_held_lock_then_given_up_with_503() {
    let dir = TempDir::new("server-busy");
    let (first_host, user, key) = new_host(&dir, true);
    drop(first_host);
    // This host waits 50 ms for the file's write lock before answering busy.
    let host = Arc::new(
        SqliteHost::open_with(
            dir.join("kaiden.db"),
            kaiden_sqlite::Timeouts {
                gate: Duration::from_secs(30),
                busy: Duration::from_millis(50),
            },
        )
        .expect("db"),
    );
    let base = serve(
        Arc::clone(&host),
        Config {
            lock_tries: 4,
            lock_backoff: Duration::from_millis(100),
            ..external()
        },
        kaiden::registry(),
    );
    let s = TestServer {
        base,
        host,
        user,
        key,
        _dir: dir,
    };
    // Another process holds the database's write lock for the whole time.
    let outside = rusqlite::Connection::open(s._dir.join("kaiden.db")).expect("outside");
    outside.execute_batch("BEGIN IMMEDIATE").expect("locked");
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 202, "{body}");
    let first = body["body"]["importID"].as_str().expect("id").to_owned();
    let (status, body) = s.poll(&first);
    assert_eq!(status, 503, "{body}");
    assert!(
        body["description"]
            .as_str()
            .is_some_and(|d| d.contains("busy")),
        "{body}"
    );
    // Released after the next one's first try found the store busy (it is
    // claimed within 20 ms and waits 50): a retry goes through.
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 202);
    let second = body["body"]["importID"].as_str().expect("id").to_owned();
    std::thread::sleep(Duration::from_millis(200));
    outside.execute_batch("ROLLBACK").expect("unlocked");
    let (status, body) = s.poll(&second);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["body"]["import"]["scoreIDs"].as_array().map(Vec::len),
        Some(4)
    );
}

#[test]
fn unknown_routes_and_wrong_methods_answer_in_tachis_envelope() {
    let s = start(Config::default());
    let (status, body) = s.get("/api/v1/nothing-here");
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"success": false, "description": "Endpoint Not Found."})
    );
    // A known path with the wrong method: 405, still the envelope.
    let (status, body) = s.get("/api/v1/import/file");
    assert_eq!(status, 405);
    assert_eq!(body["success"], false);
    assert_eq!(
        body["description"],
        "This endpoint does not accept this method."
    );
    let (status, body) = s.get("/ir/fervidex/score/submit");
    assert_eq!((status, body["success"].clone()), (405, json!(false)));
}

#[test]
fn an_oversized_title_is_rejected_and_nothing_of_it_is_stored() {
    let s = start(Config::default());
    let huge = "x".repeat(2_000_000);
    let file = json!({
        "meta": {"game": "iidx", "playtype": "SP", "service": "hostile"},
        "scores": [
            {"score": 1, "lamp": "CLEAR", "matchType": "songTitle", "identifier": huge, "difficulty": "ANOTHER"},
            {"score": 1, "lamp": "CLEAR", "matchType": "songTitle", "identifier": "Nowhere Song", "difficulty": "ANOTHER"}
        ]
    });
    let (status, body) = s.upload(
        "file/batch-manual",
        "hostile.json",
        file.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    let errors = body["body"]["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["type"], "InvalidDatapoint");
    assert_eq!(
        errors[0]["message"],
        "The title is 2000000 bytes long; at most 1024 are accepted."
    );
    // The ordinary unknown title is an orphan; the huge one is not kept.
    assert_eq!(errors[1]["type"], "SongOrChartNotFound");
    let orphans = s.host.documents("orphans", s.user).expect("orphans");
    assert_eq!(orphans.len(), 1);
    assert!(orphans[0].to_string().len() < 10_000);
}

#[test]
fn listings_are_paged_with_a_limit_and_a_cursor() {
    let s = start(Config {
        rate_limit: 0,
        ..Config::default()
    });
    for (i, title) in ["Alpha", "Beta", "Gamma"].iter().enumerate() {
        let file = json!({
            "meta": {"game": "iidx", "playtype": "SP", "service": "pages"},
            "scores": [{"score": 100 + i, "lamp": "CLEAR", "matchType": "songTitle", "identifier": title, "difficulty": "ANOTHER"}]
        });
        let (status, _) = s.upload("file/batch-manual", "p.json", file.to_string().as_bytes());
        assert_eq!(status, 200);
    }
    let get = |q: &str| {
        let mut r = agent()
            .get(format!("{}/api/v1/imports{q}", s.base))
            .call()
            .unwrap();
        let next = r
            .headers()
            .get("x-next-cursor")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        (r.status().as_u16(), body, next)
    };
    let (status, first, next) = get("?limit=2");
    assert_eq!(status, 200);
    let first_ids: Vec<&str> = first["body"]["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["importID"].as_str().unwrap())
        .collect();
    assert_eq!(first_ids.len(), 2);
    assert_eq!(next.as_deref(), Some(first_ids[1]));
    let (_, second, next2) = get(&format!("?limit=2&cursor={}", next.unwrap()));
    assert_eq!(second["body"]["imports"].as_array().unwrap().len(), 1);
    assert_eq!(next2, None);
    let (_, all, none) = get("");
    assert_eq!(all["body"]["imports"].as_array().unwrap().len(), 3);
    assert_eq!(none, None);
    for bad in ["?limit=0", "?limit=501", "?limit=x"] {
        let (status, body, _) = get(bad);
        assert_eq!(status, 400, "{bad}");
        assert!(body["description"].as_str().unwrap().starts_with("[limit]"));
    }
    // The user's listing pages the same way.
    let mut r = agent()
        .get(format!(
            "{}/api/v1/users/{}/imports?limit=1",
            s.base, s.user
        ))
        .call()
        .unwrap();
    assert!(r.headers().get("x-next-cursor").is_some());
    let body: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["body"].as_array().unwrap().len(), 1);
}

#[test]
fn a_users_export_is_batch_manual_that_imports_back_to_the_same_scores() {
    let s = start(Config::default());
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 200, "{body}");
    let mut ids: Vec<Value> = body["body"]["scoreIDs"].as_array().unwrap().clone();
    ids.sort_by_key(ToString::to_string);

    let (status, body) = s.get(&format!(
        "/api/v1/users/{}/export?game=iidx&playtype=SP",
        s.user
    ));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["body"]["unexported"], json!([]));
    let documents = body["body"]["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(
        body["description"],
        format!("Exported {} scores.", ids.len())
    );

    // Uploaded by the same user to a fresh server with the same seeds.
    let fresh = start(Config::default());
    let file = serde_json::to_vec(&documents[0]).unwrap();
    let (status, again) = fresh.upload("file/batch-manual", "export.json", &file);
    assert_eq!(status, 200, "{again}");
    let mut again_ids: Vec<Value> = again["body"]["scoreIDs"].as_array().unwrap().clone();
    again_ids.sort_by_key(ToString::to_string);
    assert_eq!(again_ids, ids);

    // Another playtype: nothing; bad queries and unknown users: Tachi's envelope.
    let (status, body) = s.get(&format!(
        "/api/v1/users/{}/export?game=iidx&playtype=DP",
        s.user
    ));
    assert_eq!(
        (status, body["body"]["documents"].clone()),
        (200, json!([]))
    );
    let (status, body) = s.get(&format!("/api/v1/users/{}/export?game=iidx", s.user));
    assert_eq!((status, body["success"].clone()), (400, json!(false)));
    assert!(body["description"].as_str().unwrap().contains("[playtype]"));
    let (status, _) = s.get(&format!(
        "/api/v1/users/{}/export?game=nope&playtype=SP",
        s.user
    ));
    assert_eq!(status, 400);
    let (status, body) = s.get("/api/v1/users/999/export?game=iidx&playtype=SP");
    assert_eq!(status, 404, "{body}");
}

#[test]
fn failed_imports_are_kept_and_listed_for_both_processors() {
    let bad = br#"{"meta": {"game": "iidx", "playtype": "SP", "service": "bad"}, "scores": [{"score": 1, "lamp": "HARD CLAER", "matchType": "songTitle", "identifier": "Paper Comet", "difficulty": "ANOTHER"}]}"#;
    // Internal: the upload fails in the request, and is kept as it answered.
    let s = start(Config::default());
    let (status, answer) = s.upload("file/batch-manual", "bad.json", bad);
    assert_eq!(status, 400, "{answer}");
    let (status, body) = s.post_json("/ir/direct-manual/import", b"{\"meta\": 1}");
    assert_eq!(status, 400, "{body}");
    let (ok_status, _) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(ok_status, 200);
    let (status, listed) = s.get(&format!("/api/v1/users/{}/imports/failed", s.user));
    assert_eq!(status, 200, "{listed}");
    let failed = listed["body"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{listed}");
    // Newest first: the direct-manual body, then the upload.
    assert_eq!(failed[0]["importType"], "ir/direct-manual");
    assert_eq!(failed[1]["type"], "FAILED");
    assert_eq!(failed[1]["importType"], "file/batch-manual");
    assert_eq!(failed[1]["userID"], s.user);
    assert_eq!(failed[1]["error"]["statusCode"], 400);
    assert_eq!(failed[1]["error"]["message"], answer["description"]);
    assert_eq!(failed[1]["importID"].as_str().map(str::len), Some(40));
    let (_, everyone) = s.get("/api/v1/imports/failed?limit=1");
    assert_eq!(everyone["body"].as_array().map(Vec::len), Some(1));
    let (status, _) = s.get("/api/v1/imports/failed?limit=0");
    assert_eq!(status, 400);
    let (status, _) = s.get("/api/v1/users/999/imports/failed");
    assert_eq!(status, 404);

    // External: a queued import that fails is listed the same way.
    let x = start(external());
    let (status, queued) = x.upload("file/batch-manual", "bad.json", bad);
    assert_eq!(status, 202, "{queued}");
    let id = queued["body"]["importID"].as_str().unwrap().to_owned();
    let (status, polled) = x.poll(&id);
    assert_eq!(
        (status, polled["success"].clone()),
        (400, json!(false)),
        "{polled}"
    );
    let (_, listed) = x.get(&format!("/api/v1/users/{}/imports/failed", x.user));
    let failed = listed["body"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{listed}");
    assert_eq!(failed[0]["importID"], id.as_str());
    assert_eq!(failed[0]["error"]["statusCode"], 400);
}

#[test]
fn a_score_is_deleted_and_an_import_reverted_by_its_owner_only() {
    let s = start(Config::default());
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 200, "{body}");
    let import_id = body["body"]["importID"].as_str().unwrap().to_owned();
    let ids: Vec<String> = body["body"]["scoreIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let delete = |key: &str, path: &str| {
        answer(
            agent()
                .delete(format!("{}{path}", s.base))
                .header("Authorization", format!("Bearer {key}"))
                .call(),
        )
    };
    let revert = |key: &str, id: &str| {
        answer(
            agent()
                .post(format!("{}/api/v1/imports/{id}/revert", s.base))
                .header("Authorization", format!("Bearer {key}"))
                .send(&b""[..]),
        )
    };
    // The upload key lacks delete_score.
    let (status, _) = delete(&s.key, &format!("/api/v1/scores/{}", ids[0]));
    assert_eq!(status, 403);
    let owner = s
        .host
        .create_api_key(s.user, &["delete_score".to_owned()])
        .unwrap();
    let other = s.host.add_user("mallory").unwrap();
    let other_key = s
        .host
        .create_api_key(other, &["delete_score".to_owned()])
        .unwrap();
    // Another user can neither delete the score nor revert the import.
    let (status, _) = delete(&other_key, &format!("/api/v1/scores/{}", ids[0]));
    assert_eq!(status, 404);
    let (status, body) = revert(&other_key, &import_id);
    assert_eq!(
        (status, body["success"].clone()),
        (403, json!(false)),
        "{body}"
    );

    let (status, body) = delete(&owner, &format!("/api/v1/scores/{}?blacklist=true", ids[0]));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["deletedScoreIDs"], json!([ids[0]]));
    assert_eq!(body["body"]["blacklisted"], true);
    let (status, _) = delete(
        &owner,
        &format!("/api/v1/scores/{}?blacklist=maybe", ids[1]),
    );
    assert_eq!(status, 400);

    let (status, body) = revert(&owner, &import_id);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["revertedImportID"], import_id.as_str());
    assert_eq!(
        body["body"]["deletedScoreIDs"].as_array().map(Vec::len),
        Some(ids.len() - 1)
    );
    let (status, _) = s.get(&format!("/api/v1/imports/{import_id}"));
    assert_eq!(status, 404);
    let (status, _) = revert(&owner, &import_id);
    assert_eq!(status, 404);
}

/// Requests a receiver got: headers (lowercased names) and body.
type Received = Arc<std::sync::Mutex<Vec<(BTreeMap<String, String>, Vec<u8>)>>>;

/// A webhook receiver on loopback: answers 500 to its first request and 200
/// to the others, and keeps each request's headers (lowercased) and body.
fn webhook_receiver() -> (String, Received) {
    use std::io::{BufRead as _, Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = Arc::clone(&seen);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let kept = Arc::clone(&kept);
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(conn.try_clone().unwrap());
                let mut conn = conn;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut headers = BTreeMap::new();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 {
                            return;
                        }
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        if let Some((k, v)) = h.split_once(':') {
                            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
                        }
                    }
                    let len: usize = headers
                        .get("content-length")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let mut body = vec![0u8; len];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let first = {
                        let mut k = kept.lock().unwrap();
                        k.push((headers, body));
                        k.len() == 1
                    };
                    let status = if first {
                        "500 Internal Server Error"
                    } else {
                        "200 OK"
                    };
                    let _ = write!(conn, "HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
                }
            });
        }
    });
    (url, seen)
}

#[test]
fn committed_imports_reach_the_webhook_signed_and_retried() {
    let (url, seen) = webhook_receiver();
    let secret = "s3cret";
    let s = start(Config {
        webhooks: vec![kaiden_server::webhooks::Webhook {
            url,
            secret: secret.to_owned(),
        }],
        webhook_tries: 3,
        webhook_backoff: Duration::from_millis(20),
        ..Config::default()
    });
    // A failing import sends nothing.
    let (status, _) = s.upload("file/batch-manual", "bad.json", b"{\"meta\": 1}");
    assert_eq!(status, 400);
    let (status, body) = s.upload("file/batch-manual", "f.json", &example_file());
    assert_eq!(status, 200, "{body}");
    let import_id = body["body"]["importID"].as_str().unwrap().to_owned();
    let deltas = body["body"]["classDeltas"].as_array().map_or(0, Vec::len);
    assert!(deltas >= 1, "the sample sets a dan: {body}");
    // Every event once, plus the first delivery's retry.
    let want = deltas + 1;
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.lock().unwrap().len() < want + 1 {
        assert!(
            Instant::now() < deadline,
            "{} of {want} deliveries",
            seen.lock().unwrap().len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), want + 1, "no more than that");
    assert_eq!(got[0].1, got[1].1, "the failed delivery was sent again");
    let mut kinds = Vec::new();
    for (headers, body) in &got[1..] {
        assert_eq!(
            headers.get("authorization").map(String::as_str),
            Some("Bearer s3cret")
        );
        assert_eq!(
            headers.get("x-kaiden-signature"),
            Some(&kaiden_server::webhooks::signature(secret, body))
        );
        let event: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            headers.get("x-kaiden-event").map(String::as_str),
            event["type"].as_str()
        );
        kinds.push(event["type"].as_str().unwrap().to_owned());
        if event["type"] == "class-update/v1" {
            assert_eq!(event["content"]["userID"], s.user);
            assert_eq!(event["content"]["game"], "iidx");
            assert!(event["content"]["set"].is_string());
        }
        if event["type"] == "import-finished/v1" {
            assert_eq!(event["content"]["importID"], import_id.as_str());
        }
    }
    assert_eq!(
        kinds.iter().filter(|k| *k == "class-update/v1").count(),
        deltas
    );
    assert_eq!(kinds.last().map(String::as_str), Some("import-finished/v1"));
}
