//! `kaiden integrations set`, `kaiden sync` and the server's from-api route
//! against a tiny KAI service on a loopback port, a CG service on another,
//! and a fake MYT (gRPC) on a third.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use kaiden_testkit::{TempDir, workspace_root};
use serde_json::{Value, json};

/// A KAI service answering every request from `route(path)`; returns its origin.
fn fake_kai(route: fn(&str) -> Value) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_owned();
            let body = route(&path).to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

fn kai_routes(path: &str) -> Value {
    let item = |id: u64, diff: &str, ex: u64, minute: u64| {
        json!({
            "music_id": id, "play_style": "SINGLE", "difficulty": diff, "version_played": 31,
            "lamp": 4, "ex_score": ex, "miss_count": 5, "fast_count": null, "slow_count": null,
            "timestamp": format!("2024-06-01T12:{minute:02}:00Z")
        })
    };
    match path {
        "/api/iidx/v2/play_history" => {
            json!({"_links": {"_next": null}, "_items": [item(31001, "HYPER", 1200, 0), item(31003, "ANOTHER", 2000, 5)]})
        }
        "/api/iidx/v2/player_profile" => json!({"sp": 12, "dp": null}),
        _ => json!({}),
    }
}

fn kaiden(db: &Path, kai: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("KAIDEN_KAI_FLO_URL", kai)
        .env("KAIDEN_KAI_FLO_CLIENT_ID", "id")
        .env("KAIDEN_KAI_FLO_CLIENT_SECRET", "secret")
        .current_dir(workspace_root())
        .output()
        .expect("kaiden runs")
}

/// `kaiden --db DB ARGS` with the environment `env`.
fn kaiden_with(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace_root())
        .output()
        .expect("kaiden runs")
}

fn ok_stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// `kaiden serve` on `db` with `env`, asked `POST /api/v1/import/from-api`
/// with `body` under API key `key`: the status and the JSON answer.
fn from_api(db: &Path, env: &[(&str, &str)], key: &str, body: &str) -> (u16, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(format!("{base}/api/v1/import/from-api"))
        .header("Authorization", format!("Bearer {}", key.trim()))
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .unwrap();
    let status = r.status().as_u16();
    let answer: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    (status, answer)
}

#[test]
fn sync_pulls_with_stored_tokens_and_from_api_serves_the_same_import_type() {
    let kai = fake_kai(kai_routes);
    let dir = TempDir::new("cli-sync");
    let db = dir.join("kaiden.db");
    let seeds = workspace_root().join("examples/seeds");
    ok_stdout(&kaiden(
        &db,
        &kai,
        &["seeds", "load", seeds.to_str().unwrap()],
    ));
    let user = ok_stdout(&kaiden(&db, &kai, &["users", "add", "alice"]))
        .trim()
        .to_owned();

    // No tokens yet: the error in words, without the server's status.
    let out = kaiden(
        &db,
        &kai,
        &["sync", "--type", "api/flo-iidx", "--user", &user],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No authentication was stored for FLO.") && !err.contains("(status"),
        "{err}"
    );

    ok_stdout(&kaiden(
        &db,
        &kai,
        &[
            "integrations",
            "set",
            "--user",
            &user,
            "--service",
            "flo",
            "--token",
            "t",
            "--refresh-token",
            "r",
        ],
    ));
    let doc: Value = serde_json::from_str(&ok_stdout(&kaiden(
        &db,
        &kai,
        &[
            "sync",
            "--type",
            "api/flo-iidx",
            "--user",
            &user,
            "--intent",
        ],
    )))
    .unwrap();
    assert_eq!(doc["importType"], "api/flo-iidx");
    assert_eq!(doc["userIntent"], true);
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(2), "{doc}");
    assert_eq!(
        doc["classDeltas"][0]["new"], "DAN_6",
        "sp 12: 7 kyu ranks, then 6th dan: {doc}"
    );

    // The server's from-api route runs the same import type.
    let key = ok_stdout(&kaiden(
        &db,
        &kai,
        &[
            "keys",
            "create",
            "--user",
            &user,
            "--permission",
            "submit_score",
        ],
    ));
    let (status, body) = from_api(
        &db,
        &[("KAIDEN_KAI_FLO_URL", &kai)],
        &key,
        r#"{"importType": "api/flo-iidx", "ignored": true}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["importType"], "api/flo-iidx");
    assert_eq!(
        body["body"]["scoreIDs"],
        json!([]),
        "a re-sync imports nothing new"
    );
}

/// A CG service: SDVX scores for the card E004000000000001 with PIN 1234,
/// CG's refusal for anything else.
fn cg_routes(path: &str) -> Value {
    if path.starts_with("/cg/sdvx-scores?")
        && path.contains("api_key=server-key")
        && path.contains("card_id=E004000000000001")
        && path.contains("pin=1234")
    {
        json!({"success": true, "data": {"profile": {"id": "1", "name": "ALICE"}, "scores": [
            {"internalId": 1, "difficulty": 1, "version": 6, "score": 9_123_000, "exScore": 0,
             "clearType": 2, "scoreGrade": 7, "maxChain": 200, "critical": 900, "near": 20,
             "error": 3, "dateTime": "2023-01-01T10:00:00Z"}
        ]}})
    } else {
        json!({"success": false, "message": "Unknown card"})
    }
}

#[test]
fn integrations_set_stores_a_cg_card_and_sync_pulls_with_it() {
    let cg = format!("{}/cg", fake_kai(cg_routes));
    let dir = TempDir::new("cli-cg");
    let db = dir.join("kaiden.db");
    let env = [
        ("KAIDEN_CG_DEV_URL", cg.as_str()),
        ("KAIDEN_CG_DEV_API_KEY", "server-key"),
    ];
    let run = |args: &[&str]| kaiden_with(&db, &env, args);
    let user = ok_stdout(&run(&["users", "add", "alice"]))
        .trim()
        .to_owned();
    let sync = ["sync", "--type", "api/cg-dev-sdvx", "--user", user.as_str()];
    let out = run(&sync);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("This user has no card info set up for this service."),
        "{err}"
    );
    // A CG service takes a card, not tokens.
    let out = run(&[
        "integrations",
        "set",
        "--user",
        &user,
        "--service",
        "cg-dev",
        "--token",
        "t",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --card-id and --pin"));
    ok_stdout(&run(&[
        "integrations",
        "set",
        "--user",
        &user,
        "--service",
        "cg-dev",
        "--card-id",
        "E004000000000001",
        "--pin",
        "1234",
    ]));
    // No SDVX seeds here: the score is kept as an orphan, in CG's words.
    let doc: Value = serde_json::from_str(&ok_stdout(&run(&sync))).unwrap();
    assert_eq!(doc["importType"], "api/cg-dev-sdvx");
    assert_eq!(doc["errors"][0]["type"], "SongOrChartNotFound", "{doc}");
    assert_eq!(
        doc["errors"][0]["message"],
        "Could not find chart with songID 1 (ADV - Version exceed)"
    );
    // SDVX seeds with the chart: orphan re-processing imports the CG score.
    let seeds = dir.join("sdvx-seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::write(
        seeds.join("songs-sdvx.json"),
        json!([{"id": 1, "title": "One", "artist": "a", "altTitles": [], "searchTerms": [],
                "data": {"displayVersion": "1"}}])
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        seeds.join("charts-sdvx.json"),
        json!([{"chartID": "sdvx-1-adv", "songID": 1, "level": "12", "levelNum": 12,
                "isPrimary": true, "difficulty": "ADV", "playtype": "Single",
                "versions": ["exceed"], "data": {"inGameID": 1}}])
        .to_string(),
    )
    .unwrap();
    let out = ok_stdout(&run(&["seeds", "load", seeds.to_str().unwrap()]));
    assert!(
        out.contains("orphans: 1 imported, 0 still orphaned"),
        "{out}"
    );
    // The server's from-api route serves the CG types too.
    let key = ok_stdout(&run(&[
        "keys",
        "create",
        "--user",
        &user,
        "--permission",
        "submit_score",
    ]));
    let (status, body) = from_api(&db, &env, &key, r#"{"importType": "api/cg-dev-sdvx"}"#);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["importType"], "api/cg-dev-sdvx");
    assert_eq!(
        body["body"]["scoreIDs"],
        json!([]),
        "the score came in from its orphan already"
    );
    assert_eq!(body["body"]["errors"], json!([]));
}

/// A chart of CHUNITHM song 956 at MASTER (in-game id 956), as seeds.
fn chunithm_seeds(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("songs-chunithm.json"),
        json!([{"id": 956, "title": "killy killy JOKER", "artist": "a", "altTitles": [],
                "searchTerms": [], "data": {"displayVersion": "CHUNITHM CRYSTAL PLUS",
                "duration": 136, "genre": "POPS & ANIME"}}])
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("charts-chunithm.json"),
        json!([{"chartID": "chunithm-956-master", "songID": 956, "level": "13", "levelNum": 13.2,
                "isPrimary": true, "difficulty": "MASTER", "playtype": "Single",
                "versions": ["verse-omni"], "data": {"inGameID": 956}}])
        .to_string(),
    )
    .unwrap();
}

#[test]
fn integrations_set_stores_a_myt_card_and_sync_and_from_api_pull_over_grpc() {
    use kaiden_myt::proto::chunithm;
    const CODE: &str = "01234567890123456789";
    let fake = kaiden_myt::fake::FakeMyt::start("server-token");
    fake.with(|s| {
        s.cards.insert(
            CODE.to_owned(),
            vec![("chunithm".to_owned(), "chu-1".to_owned())],
        );
        s.chunithm.insert(
            "chu-1".to_owned(),
            vec![chunithm::GetPlaylogStreamItem {
                playlog_api_id: "p1".into(),
                info: Some(chunithm::PlaylogInfo {
                    music_id: 956,
                    level: 4,
                    score: 1_001_715,
                    combo_status: 1,
                    clear_status: 2,
                    user_play_date: "2024-02-05T00:00:00.000Z".into(),
                    ..Default::default()
                }),
                judge: Some(chunithm::PlaylogJudge {
                    judge_critical: 1159,
                    judge_heaven: 300,
                    ..Default::default()
                }),
            }],
        );
    });
    let url = fake.url();
    let env = [
        ("KAIDEN_MYT_URL", url.as_str()),
        ("KAIDEN_MYT_TOKEN", "server-token"),
    ];
    let dir = TempDir::new("cli-myt");
    let db = dir.join("kaiden.db");
    let run = |args: &[&str]| kaiden_with(&db, &env, args);
    let user = ok_stdout(&run(&["users", "add", "alice"]))
        .trim()
        .to_owned();
    let sync = [
        "sync",
        "--type",
        "api/myt-chunithm",
        "--user",
        user.as_str(),
    ];
    let out = run(&sync);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("This user has no card info set up for this service."),
        "{err}"
    );
    assert!(!err.contains("(status"), "no HTTP leftovers: {err}");
    let set = |code: &str| {
        run(&[
            "integrations",
            "set",
            "--user",
            &user,
            "--service",
            "myt",
            "--access-code",
            code,
        ])
    };
    let out = set("1234");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--access-code: Expected 20 digits."),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ok_stdout(&set(CODE));
    // No CHUNITHM seeds: the score is kept as an orphan, in Tachi's words.
    let doc: Value = serde_json::from_str(&ok_stdout(&run(&sync))).unwrap();
    assert_eq!(doc["importType"], "api/myt-chunithm");
    assert_eq!(doc["errors"][0]["type"], "SongOrChartNotFound", "{doc}");
    assert_eq!(
        doc["errors"][0]["message"],
        "Can't find chart with id 956 and difficulty MASTER"
    );
    // Seeds with the chart: orphan re-processing imports the MYT score.
    let seeds = dir.join("chunithm-seeds");
    chunithm_seeds(&seeds);
    let out = ok_stdout(&run(&["seeds", "load", seeds.to_str().unwrap()]));
    assert!(
        out.contains("orphans: 1 imported, 0 still orphaned"),
        "{out}"
    );
    // The server's from-api route serves the MYT types too; the play is
    // already stored.
    let key = ok_stdout(&run(&[
        "keys",
        "create",
        "--user",
        &user,
        "--permission",
        "submit_score",
    ]));
    let (status, body) = from_api(&db, &env, &key, r#"{"importType": "api/myt-chunithm"}"#);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"]["importType"], "api/myt-chunithm");
    assert_eq!(body["body"]["scoreIDs"], json!([]));
    assert_eq!(body["body"]["errors"], json!([]));
    let calls = fake.with(|s| s.calls.clone());
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.starts_with("GetPlaylog chunithm chu-1"))
            .count(),
        2,
        "{calls:?}"
    );
    // A card MYT does not know is the user's to fix: 401 through the route.
    ok_stdout(&set("99999999999999999999"));
    let (status, body) = from_api(&db, &env, &key, r#"{"importType": "api/myt-chunithm"}"#);
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["description"], "Card not found on MYT: no such card");
}
