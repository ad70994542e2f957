//! CG syncs against a fake CG service on a loopback port (a small axum app
//! answering `/<game>-scores` with what each test sets), on the SQLite host.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kaiden_cg::{Cg, CgConfig, ServiceConfig};
use kaiden_core::format::ImportInput;
use kaiden_core::{ImportDocument, ImportError, ImportType};
use kaiden_pipeline::{ImportRequest, NoProgress, Registry};
use kaiden_service::{CgCard, IntegrationStore};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::TempDir;
use serde_json::{Value, json};

/// What the fake answers (status, body text) and the queries it saw.
#[derive(Default)]
struct Fake {
    reply: Option<(u16, String)>,
    seen: Vec<(String, BTreeMap<String, String>)>,
}

type Shared = Arc<Mutex<Fake>>;

async fn scores(
    State(s): State<Shared>,
    Path(endpoint): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut f = s.lock().unwrap();
    f.seen.push((endpoint, q));
    let (status, body) = f.reply.clone().unwrap_or((404, String::new()));
    (StatusCode::from_u16(status).unwrap(), body).into_response()
}

fn start_fake(shared: Shared) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = Router::new()
                .route("/api/{endpoint}", get(scores))
                .with_state(shared);
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    base
}

struct Env {
    fake: Shared,
    host: Arc<SqliteHost>,
    user: u64,
    config: CgConfig,
    _dir: TempDir,
}

/// SDVX song 1 with an ADV chart (inGameID 1) in EXCEED GEAR, and a pop'n
/// song with an Easy chart (inGameID 0) in peace.
fn env(label: &str) -> Env {
    let fake: Shared = Arc::new(Mutex::new(Fake::default()));
    let base = start_fake(Arc::clone(&fake));
    let dir = TempDir::new(label);
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let song = |id: i64| {
        json!({"id": id, "title": format!("Song {id}"), "artist": "a", "altTitles": [],
                                "searchTerms": [], "data": {"displayVersion": "1"}})
    };
    std::fs::write(seeds.join("songs-sdvx.json"), json!([song(1)]).to_string()).unwrap();
    std::fs::write(
        seeds.join("charts-sdvx.json"),
        json!([{"chartID": "sdvx-1-adv", "songID": 1, "level": "12", "levelNum": 12, "isPrimary": true,
                "difficulty": "ADV", "playtype": "Single", "versions": ["exceed", "vivid"],
                "data": {"inGameID": 1}}])
        .to_string(),
    )
    .unwrap();
    std::fs::write(seeds.join("songs-popn.json"), json!([song(7)]).to_string()).unwrap();
    std::fs::write(
        seeds.join("charts-popn.json"),
        json!([{"chartID": "popn-0-easy", "songID": 7, "level": "5", "levelNum": 5, "isPrimary": true,
                "difficulty": "Easy", "playtype": "9B", "versions": ["peace"],
                "data": {"inGameID": 0, "hashSHA256": null}}])
        .to_string(),
    )
    .unwrap();
    let host = SqliteHost::open(dir.join("kaiden.db")).unwrap();
    host.load_seeds(&seeds).unwrap();
    let user = host.add_user("alice").unwrap();
    host.put_cg_card(
        user,
        "CG-DEV",
        &CgCard {
            card_id: "E004000000000001".into(),
            pin: "1234".into(),
        },
    )
    .unwrap();
    let config = CgConfig {
        dev: Some(ServiceConfig {
            base_url: base,
            api_key: "server-key".into(),
        }),
        ..CgConfig::default()
    };
    Env {
        fake,
        host: Arc::new(host),
        user,
        config,
        _dir: dir,
    }
}

impl Env {
    fn reply(&self, status: u16, body: Value) {
        self.fake.lock().unwrap().reply = Some((status, body.to_string()));
    }

    fn sync(&self, import_type: ImportType) -> Result<ImportDocument, ImportError> {
        let cg = Cg::new(
            self.config.clone(),
            Arc::clone(&self.host) as Arc<dyn IntegrationStore>,
        );
        let registry = Registry::new().with(cg);
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(kaiden_pipeline::import(
                &*self.host,
                &registry,
                ImportRequest {
                    import_type,
                    user: self.user,
                    user_intent: true,
                    input: ImportInput::default(),
                    import_id: None,
                },
                &NoProgress,
            ))
    }

    fn scores(&self) -> Vec<Value> {
        self.host.documents("scores", self.user).unwrap()
    }
}

fn sdvx(internal_id: i64, clear: i64, score: i64, minute: i64) -> Value {
    json!({"internalId": internal_id, "difficulty": 1, "version": 6, "score": score,
           "exScore": 1234, "clearType": clear, "scoreGrade": 7, "maxChain": 200,
           "critical": 900, "near": 20, "error": 3,
           "dateTime": format!("2023-01-01T10:{minute:02}:00Z")})
}

fn ok(scores: Vec<Value>) -> Value {
    json!({"success": true, "data": {"profile": {"id": "1", "name": "ALICE"}, "scores": scores}})
}

#[test]
fn a_sync_imports_the_scores_of_one_get_with_the_users_card() {
    let e = env("cg-sync");
    e.reply(
        200,
        ok(vec![
            sdvx(1, 2, 9_123_000, 0),
            sdvx(1, 3, 9_500_000, 5),
            // No such chart: an orphan, even with a lamp CG does not know.
            sdvx(99, 9, 9_000_000, 10),
        ]),
    );
    let doc = e.sync(ImportType::API_CG_DEV_SDVX).unwrap();
    assert_eq!(doc.score_ids.len(), 2, "{:?}", doc.errors);
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(
        doc.errors[0].message,
        "Could not find chart with songID 99 (ADV - Version exceed)"
    );
    let scores = e.scores();
    assert_eq!(scores.len(), 2);
    assert!(
        scores
            .iter()
            .all(|s| s["service"] == "CG Dev" && s["chartID"] == "sdvx-1-adv")
    );
    assert_eq!(scores[1]["scoreData"]["lamp"], "EXCESSIVE CLEAR");
    assert_eq!(scores[0]["timeAchieved"], 1_672_567_200_000_i64);
    assert_eq!(e.host.documents("orphans", e.user).unwrap().len(), 1);
    // One GET, with the server's key and the user's card in the query.
    let seen = e.fake.lock().unwrap().seen.clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "sdvx-scores");
    assert_eq!(seen[0].1["api_key"], "server-key");
    assert_eq!(seen[0].1["card_id"], "E004000000000001");
    assert_eq!(seen[0].1["pin"], "1234");
    // A found chart with an unknown lamp is invalid (Tachi checks it after
    // the lookup).
    e.reply(200, ok(vec![sdvx(1, 9, 9_000_000, 20)]));
    let doc = e.sync(ImportType::API_CG_DEV_SDVX).unwrap();
    assert_eq!(
        doc.errors[0].message,
        "Invalid lamp of 9 - Could not convert."
    );
}

#[test]
fn popn_battle_mode_is_skipped_and_medals_are_read() {
    let e = env("cg-popn");
    let item = |difficulty: i64| {
        json!({"internalId": 0, "difficulty": difficulty, "version": 25, "clearFlag": 5,
               "score": 87_000, "coolCount": 100, "greatCount": 15, "goodCount": 25,
               "badCount": 50, "dateTime": "2023-01-01T10:00:00Z"})
    };
    e.reply(200, ok(vec![item(0), item(4)]));
    let doc = e.sync(ImportType::API_CG_DEV_POPN).unwrap();
    assert_eq!(doc.score_ids.len(), 1);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let s = &e.scores()[0];
    assert_eq!(s["chartID"], "popn-0-easy");
    assert_eq!(s["scoreData"]["clearMedal"], "clearCircle");
}

#[test]
fn one_bad_score_fails_the_whole_import_with_prudences_words() {
    let e = env("cg-schema");
    let mut bad = sdvx(1, 2, 9_000_000, 1);
    bad["score"] = json!(10_000_001);
    e.reply(200, ok(vec![sdvx(1, 2, 9_000_000, 0), bad]));
    let err = e.sync(ImportType::API_CG_DEV_SDVX).unwrap_err();
    assert_eq!(err.http_status(), 400);
    assert_eq!(
        err.to_string(),
        "Invalid CG sdvx Score.: data[1].score | Expected an integer between 0 and 10000000. | Received 10000001 [number]."
    );
    let mut extra = sdvx(1, 2, 9_000_000, 1);
    extra["surprise"] = json!(true);
    e.reply(200, ok(vec![extra]));
    let err = e.sync(ImportType::API_CG_DEV_SDVX).unwrap_err();
    assert_eq!(err.http_status(), 400, "{err}");
    assert!(
        err.to_string().starts_with("Invalid CG sdvx Score.: "),
        "{err}"
    );
    assert!(e.scores().is_empty());
}

#[test]
fn the_services_failures_are_fatal_with_tachis_statuses() {
    let e = env("cg-fail");
    e.reply(
        200,
        json!({"success": false, "message": "Card not registered"}),
    );
    let err = e.sync(ImportType::API_CG_DEV_JUBEAT).unwrap_err();
    assert_eq!(err.http_status(), 400);
    assert_eq!(
        err.to_string(),
        "Failed to fetch data from CG. Error Message: Card not registered."
    );
    for (status, body) in [
        (200, "<html>down</html>".to_owned()),
        (502, String::new()),
        (
            200,
            json!({"success": true, "data": {"scores": []}}).to_string(),
        ),
    ] {
        e.fake.lock().unwrap().reply = Some((status, body.clone()));
        let err = e.sync(ImportType::API_CG_DEV_MUSECA).unwrap_err();
        assert_eq!(err.http_status(), 500, "{body}");
        assert_eq!(
            err.to_string(),
            "Received invalid response from their API. Are they down?"
        );
        // The card's PIN is in no message.
        assert!(!format!("{err:?}").contains("1234"), "{err:?}");
    }
    // No card at gan: 401; gan not configured here: 500 naming its settings.
    let mut gan = e.config.clone();
    gan.gan = gan.dev.clone();
    let cg = Cg::new(gan, Arc::clone(&e.host) as Arc<dyn IntegrationStore>);
    let err = cg
        .fetch_scores(ImportType::API_CG_GAN_SDVX, e.user)
        .unwrap_err();
    assert_eq!(err.http_status(), 401);
    assert_eq!(
        err.to_string(),
        "This user has no card info set up for this service."
    );
    let err = e.sync(ImportType::API_CG_NAG_SDVX).unwrap_err();
    assert_eq!(err.http_status(), 500);
    assert!(err.to_string().contains("KAIDEN_CG_NAG_URL"), "{err}");
    assert!(e.scores().is_empty());
}
