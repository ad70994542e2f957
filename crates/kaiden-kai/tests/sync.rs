//! KAI syncs against a fake KAI service on a loopback port: a small axum app
//! serving paged JSON written for these tests from the spec's item shapes.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use kaiden_core::format::ImportInput;
use kaiden_core::{ImportDocument, ImportError, ImportType};
use kaiden_kai::{Kai, KaiConfig, KaiError, ServiceConfig};
use kaiden_pipeline::{ImportRequest, NoProgress, Registry};
use kaiden_service::{IntegrationStore, KaiTokens};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::{TempDir, tachi_data, workspace_root};
use serde_json::{Value, json};

/// What the fake service serves and what it saw.
#[derive(Default)]
struct Fake {
    /// Play-history pages: item lists (the server writes `_links`), or whole
    /// bodies under `"_body"` (malformed pages), or `"_text"` (not JSON).
    pages: Vec<Value>,
    /// Access tokens that work now.
    valid: HashSet<String>,
    /// The refresh token that works now.
    refresh_token: String,
    generation: u32,
    /// Before serving these pages (once each), every access token expires.
    expire_before: BTreeSet<usize>,
    /// Every API request answers 401.
    always_401: bool,
    /// The token endpoint's status and body, when overridden.
    token_reply: Option<(u16, Value)>,
    /// The profile's status and body.
    profile: Option<(u16, Value)>,
    /// Every access token expires before the profile is served (once).
    expire_before_profile: bool,
    refreshes: u32,
    page_requests: Vec<String>,
}

type Shared = Arc<Mutex<Fake>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, Fake> {
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn token(
    State(s): State<(Shared, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let mut f = lock(&s.0);
    f.refreshes += 1;
    if let Some((status, body)) = f.token_reply.clone() {
        return (
            StatusCode::from_u16(status).expect("status"),
            axum::Json(body),
        )
            .into_response();
    }
    if form.get("grant_type").map(String::as_str) != Some("refresh_token")
        || form.get("client_id").map(String::as_str) != Some("kaiden-test")
        || form.get("client_secret").map(String::as_str) != Some("test-secret")
        || form.get("refresh_token") != Some(&f.refresh_token)
    {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    f.generation += 1;
    let access = format!("access-{}", f.generation);
    f.refresh_token = format!("refresh-{}", f.generation);
    f.valid.insert(access.clone());
    axum::Json(
        json!({"access_token": access, "refresh_token": f.refresh_token, "token_type": "Bearer"}),
    )
    .into_response()
}

async fn api(
    State(s): State<(Shared, String)>,
    headers: axum::http::HeaderMap,
    uri: Uri,
) -> Response {
    let (shared, base) = s;
    let mut f = lock(&shared);
    let path = uri.path().to_owned();
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    if path.ends_with("/player_profile") {
        if std::mem::take(&mut f.expire_before_profile) {
            f.valid.clear();
        }
        if !f.valid.contains(&token) || f.always_401 {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        let (status, body) = f.profile.clone().unwrap_or((404, json!({})));
        return (
            StatusCode::from_u16(status).expect("status"),
            axum::Json(body),
        )
            .into_response();
    }
    if !path.ends_with("/play_history") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let page: usize = uri
        .query()
        .and_then(|q| q.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    f.page_requests.push(uri.to_string());
    if f.expire_before.remove(&page) {
        f.valid.clear();
    }
    if f.always_401 || !f.valid.contains(&token) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Some(content) = f.pages.get(page).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Some(text) = content.get("_text").and_then(Value::as_str) {
        return (StatusCode::OK, text.to_owned()).into_response();
    }
    if let Some(body) = content.get("_body") {
        return axum::Json(body.clone()).into_response();
    }
    let next = if page + 1 < f.pages.len() {
        json!(format!("{base}{path}?page={}", page + 1))
    } else {
        Value::Null
    };
    axum::Json(json!({"_links": {"_next": next}, "_items": content})).into_response()
}

/// Starts the fake on 127.0.0.1:0; returns its origin.
fn start_fake(shared: Shared) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = (shared, base.clone());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = Router::new()
                .route("/oauth/token", post(token))
                .fallback(api)
                .with_state(state);
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    base
}

struct Env {
    fake: Shared,
    base: String,
    host: Arc<SqliteHost>,
    user: u64,
    config: KaiConfig,
    dir: TempDir,
}

fn env(label: &str) -> Env {
    let fake: Shared = Arc::new(Mutex::new(Fake {
        valid: ["access-0".to_owned()].into(),
        refresh_token: "refresh-0".to_owned(),
        profile: Some((200, json!({"sp": 18, "dp": 10, "skill_level": 10}))),
        ..Fake::default()
    }));
    let base = start_fake(Arc::clone(&fake));
    let dir = TempDir::new(label);
    let host = SqliteHost::open(dir.join("kaiden.db")).expect("db");
    host.load_seeds(workspace_root().join("examples/seeds"))
        .expect("seeds");
    let user = host.add_user("alice").expect("user");
    let host = Arc::new(host);
    for service in ["FLO", "EAG"] {
        host.put_kai_tokens(
            user,
            service,
            &KaiTokens {
                access_token: "access-0".into(),
                refresh_token: "refresh-0".into(),
            },
        )
        .expect("tokens");
    }
    let service = ServiceConfig {
        base_url: base.clone(),
        client_id: Some("kaiden-test".into()),
        client_secret: Some("test-secret".into()),
    };
    let config = KaiConfig {
        flo: Some(service.clone()),
        eag: Some(service.clone()),
        min: Some(service),
        retries: 0,
        ..KaiConfig::default()
    };
    Env {
        fake,
        base,
        host,
        user,
        config,
        dir,
    }
}

impl Env {
    fn kai(&self) -> Kai {
        Kai::new(
            self.config.clone(),
            Arc::clone(&self.host) as Arc<dyn IntegrationStore>,
        )
    }

    fn sync(&self, import_type: ImportType) -> Result<ImportDocument, ImportError> {
        let registry = Registry::new().with(self.kai());
        rt().block_on(kaiden_pipeline::import(
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

    fn pages(&self, pages: Vec<Value>) {
        lock(&self.fake).pages = pages;
    }

    fn tokens(&self, service: &str) -> KaiTokens {
        self.host
            .kai_tokens(self.user, service)
            .expect("read")
            .expect("tokens")
    }

    fn scores(&self) -> u64 {
        self.host.counts(self.user).expect("counts")["scores"]
    }

    fn history(&self, import_type: ImportType) -> Result<Vec<Value>, ImportError> {
        self.kai().play_history(import_type, self.user)?.collect()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("rt")
}

/// A KAI IIDX item on the example seeds (song 1 = inGameID 31001, version 31).
fn iidx_item(music_id: u64, difficulty: &str, ex: u64, lamp: u64, minute: u64) -> Value {
    json!({
        "music_id": music_id, "play_style": "SINGLE", "difficulty": difficulty,
        "version_played": 31, "lamp": lamp, "ex_score": ex, "miss_count": 12,
        "fast_count": 30, "slow_count": 20,
        "timestamp": format!("2024-05-01T10:{minute:02}:00Z"),
        "chart_id": "ignored", "_id": format!("play-{minute}")
    })
}

fn three_pages() -> Vec<Value> {
    vec![
        json!([
            iidx_item(31001, "NORMAL", 900, 4, 0),
            iidx_item(31001, "HYPER", 1500, 5, 3)
        ]),
        json!([
            iidx_item(31002, "ANOTHER", 2800, 6, 6),
            iidx_item(31003, "HYPER", 1400, 4, 9)
        ]),
        json!([iidx_item(31002, "NORMAL", 800, 7, 12)]),
    ]
}

#[test]
fn a_multi_page_sync_imports_every_item_with_the_profiles_dans() {
    let e = env("kai-multipage");
    e.pages(three_pages());
    let doc = e.sync(ImportType::API_FLO_IIDX).expect("sync");
    assert_eq!(doc.score_ids.len(), 5, "{:?}", doc.errors);
    assert!(doc.errors.is_empty());
    assert_eq!(e.scores(), 5);
    assert_eq!(lock(&e.fake).page_requests.len(), 3);
    let scores = e.host.documents("scores", e.user).expect("scores");
    assert!(
        scores
            .iter()
            .all(|s| s["service"] == "FLO" && s["importType"] == "api/flo-iidx")
    );
    assert_eq!(scores[0]["timeAchieved"], 1_714_557_600_000_i64);
    assert_eq!(scores[0]["scoreData"]["optional"]["bp"], 12);
    // The profile's dans: sp 18 = KAIDEN, dp 10.
    let deltas = serde_json::to_value(&doc.class_deltas).expect("json");
    let sp = deltas
        .as_array()
        .expect("deltas")
        .iter()
        .find(|d| d["playtype"] == "SP")
        .expect("SP delta");
    assert_eq!(sp["new"], "KAIDEN");
    assert!(
        deltas
            .as_array()
            .expect("deltas")
            .iter()
            .any(|d| d["playtype"] == "DP")
    );

    // Re-syncing imports nothing new.
    let again = e.sync(ImportType::API_FLO_IIDX).expect("re-sync");
    assert!(again.score_ids.is_empty());
    assert_eq!(e.scores(), 5);
}

#[test]
fn an_expired_token_mid_sync_is_refreshed_once_and_the_new_tokens_are_stored() {
    let e = env("kai-refresh");
    e.pages(three_pages());
    lock(&e.fake).expire_before.insert(1);
    let doc = e.sync(ImportType::API_FLO_IIDX).expect("sync");
    assert_eq!(doc.score_ids.len(), 5);
    assert_eq!(lock(&e.fake).refreshes, 1);
    let t = e.tokens("FLO");
    assert_eq!(
        (t.access_token.as_str(), t.refresh_token.as_str()),
        ("access-1", "refresh-1")
    );
    // EAG's tokens are another service's: untouched.
    assert_eq!(e.tokens("EAG").refresh_token, "refresh-0");
}

#[test]
fn a_second_expiry_is_fatal_and_leaves_the_store_unchanged_but_keeps_rotated_tokens() {
    let e = env("kai-second-expiry");
    e.pages(three_pages());
    lock(&e.fake).expire_before.extend([1, 2]);
    let err = e.sync(ImportType::API_FLO_IIDX).expect_err("fatal");
    assert_eq!(err.http_status(), 500);
    assert!(
        matches!(kai_error(&err), Some(KaiError::ReauthenticationLoop { .. })),
        "{err}"
    );
    assert_eq!(e.scores(), 0, "page 1's scores were rolled back");
    assert_eq!(e.host.counts(e.user).expect("counts")["imports"], 0);
    // The refresh that did happen rotated the tokens; they are kept.
    assert_eq!(e.tokens("FLO").refresh_token, "refresh-1");
}

#[test]
fn a_malformed_page_is_fatal_naming_the_page_url_and_the_field() {
    let e = env("kai-malformed");
    e.pages(vec![
        json!([iidx_item(31001, "NORMAL", 900, 4, 0)]),
        json!({"_body": {"_links": {"_next": null}, "_items": {"not": "an array"}}}),
    ]);
    let err = e.sync(ImportType::API_FLO_IIDX).expect_err("fatal");
    let m = err.to_string();
    assert!(
        m.contains(&format!("{}/api/iidx/v2/play_history?page=1", e.base)),
        "{m}"
    );
    assert!(m.contains("_items"), "{m}");
    assert_eq!(err.http_status(), 500);
    assert!(
        matches!(kai_error(&err), Some(KaiError::InvalidData { problem, .. }) if problem.contains("_items")),
        "{err}"
    );
    assert_eq!(e.scores(), 0);
}

#[test]
fn a_next_link_to_another_host_is_refused() {
    let e = env("kai-evil");
    e.pages(vec![
        json!({"_body": {"_links": {"_next": "http://evil.example/sub?page=2"}, "_items": [1, 2]}}),
    ]);
    let err = e.history(ImportType::API_FLO_IIDX).expect_err("refused");
    assert_eq!(err.http_status(), 500);
    assert!(
        matches!(kai_error(&err), Some(KaiError::InvalidData { base, problem })
            if *base == e.base && problem.contains("evil.example")),
        "{err}"
    );
    assert_eq!(
        lock(&e.fake).page_requests.len(),
        1,
        "evil.example was never asked"
    );
}

// ---- The acceptance cases of Tachi's KAI tests (spec §3.7) ----

#[test]
fn traversal_yields_every_item_of_two_pages_in_order() {
    let e = env("kai-two-pages");
    e.pages(vec![json!([1, 2, 3, 4]), json!([5, 6])]);
    assert_eq!(
        e.history(ImportType::API_FLO_IIDX).expect("items"),
        (1..=6).map(|n| json!(n)).collect::<Vec<_>>()
    );
    // The SDVX endpoint of another service is paged the same way.
    assert_eq!(e.history(ImportType::API_EAG_SDVX).expect("items").len(), 6);
    assert!(
        lock(&e.fake)
            .page_requests
            .iter()
            .any(|u| u.contains("/api/sdvx/v1/play_history"))
    );
}

#[test]
fn traversal_rejects_malformed_pages() {
    let cases = [
        json!({"_text": "<html>down</html>"}),
        json!({"_body": [1, 2]}),
        json!({"_body": {"_links": null, "_items": []}}),
        json!({"_body": {"_links": "foo", "_items": []}}),
        json!({"_body": {"_links": {}, "_items": []}}),
        json!({"_body": {"_links": {"_next": {}}, "_items": []}}),
        json!({"_body": {"_links": {"_next": null}, "_items": {}}}),
    ];
    for (i, page) in cases.into_iter().enumerate() {
        let e = env(&format!("kai-malformed-{i}"));
        e.pages(vec![page.clone()]);
        let err = e.history(ImportType::API_FLO_IIDX).expect_err("rejected");
        assert_eq!(err.http_status(), 500, "{page}: {err}");
        assert!(
            matches!(kai_error(&err), Some(KaiError::InvalidData { .. })),
            "{page}: {err}"
        );
    }
    // A service that does not answer at all.
    let e = env("kai-down");
    let mut config = e.config.clone();
    let dead = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = dead.local_addr().expect("addr");
    drop(dead);
    config.flo = Some(ServiceConfig {
        base_url: format!("http://{addr}"),
        client_id: None,
        client_secret: None,
    });
    let kai = Kai::new(config, Arc::clone(&e.host) as Arc<dyn IntegrationStore>);
    let err = kai
        .play_history(ImportType::API_FLO_IIDX, e.user)
        .expect("opens")
        .collect::<Result<Vec<_>, _>>()
        .expect_err("no service");
    assert!(
        matches!(kai_error(&err), Some(KaiError::Unreachable(_))),
        "{err}"
    );
    // The message is Tachi's.
    assert!(err.to_string().contains("Are they down?"), "{err}");
}

#[test]
fn a_next_link_to_itself_forever_stops_with_508() {
    let mut e = env("kai-loop");
    e.config.max_pages = 5;
    let url = format!("{}/api/iidx/v2/play_history", e.base);
    e.pages(vec![
        json!({"_body": {"_links": {"_next": url}, "_items": [1]}}),
    ]);
    let err = e.history(ImportType::API_FLO_IIDX).expect_err("loop");
    assert_eq!(err.http_status(), 508);
    assert_eq!(
        kai_error(&err),
        Some(&KaiError::TooManyPages {
            service: kaiden_kai::Service::Flo,
            pages: 5
        })
    );
    assert_eq!(lock(&e.fake).page_requests.len(), 6);
}

#[test]
fn always_401_refreshes_once_then_fails() {
    let e = env("kai-401");
    e.pages(vec![json!([1])]);
    lock(&e.fake).always_401 = true;
    let err = e
        .history(ImportType::API_FLO_IIDX)
        .expect_err("401 forever");
    assert_eq!(lock(&e.fake).refreshes, 1);
    assert!(
        matches!(
            kai_error(&err),
            Some(KaiError::ReauthenticationLoop { status: 401, .. })
        ),
        "{err}"
    );
}

#[test]
fn refresh_failures_are_fatal_and_leave_the_tokens_alone() {
    for (status, body, http) in [
        (200, json!({}), 500),
        (500, json!({"error": "boom"}), 500),
        (400, json!({"error": "invalid_grant"}), 400),
    ] {
        let e = env("kai-refresh-fail");
        e.pages(vec![json!([1])]);
        {
            let mut f = lock(&e.fake);
            f.expire_before.insert(0);
            f.token_reply = Some((status, body.clone()));
        }
        let err = e.history(ImportType::API_FLO_IIDX).expect_err("fatal");
        assert_eq!(err.http_status(), http, "{status} {body}: {err}");
        let want = if http == 500 {
            KaiError::Reauthentication
        } else {
            KaiError::Expired(kaiden_kai::Service::Flo)
        };
        assert_eq!(kai_error(&err), Some(&want), "{err}");
        assert_eq!(e.tokens("FLO").refresh_token, "refresh-0");
    }
}

#[test]
fn no_stored_tokens_is_the_401_error() {
    let e = env("kai-no-tokens");
    e.pages(vec![json!([1])]);
    let err = match e.kai().play_history(ImportType::API_MIN_SDVX, e.user) {
        Ok(_) => panic!("MIN has no tokens"),
        Err(err) => err,
    };
    assert_eq!(err.http_status(), 401);
    assert_eq!(
        kai_error(&err),
        Some(&KaiError::NoTokens(kaiden_kai::Service::Min))
    );
    assert_eq!(err.to_string(), "No authentication was stored for MIN.");
    assert!(lock(&e.fake).page_requests.is_empty());
}

#[test]
fn profile_failures_give_no_class_and_never_fail_the_import() {
    let e = env("kai-profile-500");
    e.pages(three_pages());
    lock(&e.fake).profile = Some((500, json!({"error": "down"})));
    let doc = e.sync(ImportType::API_FLO_IIDX).expect("sync");
    assert_eq!(doc.score_ids.len(), 5);
    assert!(doc.class_deltas.is_empty());
    // A 401 on the profile is answered by a refresh, then the dans arrive.
    let e = env("kai-profile-401");
    e.pages(vec![json!([iidx_item(31001, "NORMAL", 900, 4, 0)])]);
    lock(&e.fake).expire_before_profile = true;
    let doc = e.sync(ImportType::API_EAG_IIDX).expect("sync");
    assert_eq!(doc.score_ids.len(), 1);
    assert_eq!(lock(&e.fake).refreshes, 1);
    assert!(!doc.class_deltas.is_empty());
    assert_eq!(e.tokens("EAG").refresh_token, "refresh-1");
}

#[test]
fn unknown_charts_become_orphans_that_reprocessing_resolves_later() {
    let e = env("kai-orphans");
    e.pages(vec![json!([
        iidx_item(31001, "NORMAL", 900, 4, 0),
        iidx_item(99001, "ANOTHER", 1234, 4, 1),
        {"music_id": "foo"}
    ])]);
    let doc = e.sync(ImportType::API_FLO_IIDX).expect("sync");
    assert_eq!(doc.score_ids.len(), 1);
    let errors = serde_json::to_value(&doc.errors).expect("json");
    let kinds: Vec<&str> = errors
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|x| x["type"].as_str())
        .collect();
    assert!(
        kinds.contains(&"SongOrChartNotFound") && kinds.contains(&"InvalidDatapoint"),
        "{errors}"
    );
    assert!(
        errors
            .to_string()
            .contains("Could not find chart with songID 99001 (SP ANOTHER - Version 31)"),
        "{errors}"
    );
    let orphans = e.host.documents("orphans", e.user).expect("orphans");
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0]["context"], json!({"service": "FLO"}));

    // The song arrives in the seeds: the orphan imports.
    let seeds = e.dir.join("seeds-plus");
    std::fs::create_dir_all(&seeds).expect("dir");
    extend_seeds(&seeds);
    e.host.load_seeds(&seeds).expect("seeds");
    let registry = Registry::new().with(e.kai());
    let report = rt()
        .block_on(kaiden_pipeline::reprocess_orphans(
            &*e.host,
            &registry,
            e.user,
            &NoProgress,
        ))
        .expect("reprocess");
    assert_eq!(
        (
            report.processed,
            report.success,
            report.failed,
            report.removed
        ),
        (1, 1, 0, 0)
    );
    let scores = e.host.documents("scores", e.user).expect("scores");
    assert_eq!(scores.len(), 2);
    assert!(scores.iter().all(|s| s["service"] == "FLO"));
}

/// The example seeds plus song 4 (inGameID 99001) with an SP ANOTHER chart.
fn extend_seeds(dir: &Path) {
    let examples = workspace_root().join("examples/seeds");
    for f in ["folders.json", "goals.json", "quests.json"] {
        std::fs::copy(examples.join(f), dir.join(f)).expect("copy");
    }
    let mut songs: Vec<Value> =
        serde_json::from_slice(&std::fs::read(examples.join("songs-iidx.json")).expect("songs"))
            .expect("json");
    let mut song = songs[0].clone();
    song["id"] = json!(4);
    song["title"] = json!("Late Arrival");
    song["altTitles"] = json!([]);
    song["searchTerms"] = json!([]);
    songs.push(song);
    let mut charts: Vec<Value> =
        serde_json::from_slice(&std::fs::read(examples.join("charts-iidx.json")).expect("charts"))
            .expect("json");
    let mut chart = charts
        .iter()
        .find(|c| c["playtype"] == "SP" && c["difficulty"] == "ANOTHER")
        .expect("an SP ANOTHER chart")
        .clone();
    chart["chartID"] = json!("00000000000000000000000000000000000e0400");
    chart["songID"] = json!(4);
    chart["data"]["inGameID"] = json!(99001);
    charts.push(chart);
    std::fs::write(
        dir.join("songs-iidx.json"),
        serde_json::to_vec(&songs).expect("json"),
    )
    .expect("write");
    std::fs::write(
        dir.join("charts-iidx.json"),
        serde_json::to_vec(&charts).expect("json"),
    )
    .expect("write");
}

#[test]
fn sdvx_syncs_through_eag_with_the_skill_level_dan() {
    let e = env("kai-sdvx");
    let seeds = e.dir.join("sdvx-seeds");
    std::fs::create_dir_all(&seeds).expect("dir");
    std::fs::write(
        seeds.join("songs-sdvx.json"),
        json!([{"id": 7, "title": "Test Voltex", "artist": "kaiden", "altTitles": [], "searchTerms": [], "data": {"displayVersion": "exceed"}}]).to_string(),
    )
    .expect("songs");
    std::fs::write(
        seeds.join("charts-sdvx.json"),
        json!([
            {"chartID": "00000000000000000000000000000000000f0701", "songID": 7, "difficulty": "ADV", "isPrimary": true, "level": "10", "levelNum": 10, "playtype": "Single", "versions": ["vivid", "exceed"], "data": {"inGameID": 7}},
            {"chartID": "00000000000000000000000000000000000f0704", "songID": 7, "difficulty": "XCD", "isPrimary": true, "level": "18", "levelNum": 18, "playtype": "Single", "versions": ["exceed"], "data": {"inGameID": 7}}
        ])
        .to_string(),
    )
    .expect("charts");
    e.host.load_seeds(&seeds).expect("seeds");
    let item = |diff: u64, score: u64| {
        json!({
            "music_id": 7, "music_difficulty": diff, "played_version": 6, "clear_type": 2,
            "max_chain": 179, "score": score, "critical": 1754, "near": 112, "error": 78,
            "early": 70, "late": 42, "gauge_rate": 90.01, "timestamp": "2024-08-30T13:08:11Z",
            "sdvx_id": "ignored"
        })
    };
    e.pages(vec![
        json!([item(1, 9_310_699)]),
        json!([item(3, 9_500_000)]),
    ]);
    let doc = e.sync(ImportType::API_EAG_SDVX).expect("sync");
    assert_eq!(doc.score_ids.len(), 2, "{:?}", doc.errors);
    let scores = e.host.documents("scores", e.user).expect("scores");
    assert_eq!(
        scores[0]["chartID"],
        "00000000000000000000000000000000000f0701"
    );
    // ANY_INF found the XCD chart.
    assert_eq!(
        scores[1]["chartID"],
        "00000000000000000000000000000000000f0704"
    );
    assert_eq!(scores[0]["scoreData"]["judgements"]["miss"], 78);
    assert_eq!(scores[0]["service"], "EAG");
    let deltas = serde_json::to_value(&doc.class_deltas).expect("json");
    assert_eq!(deltas[0]["new"], "DAN_10", "{deltas}");
}

#[test]
fn tachis_converter_cases_against_its_iidx_and_sdvx_data() {
    let Some(data) = tachi_data() else {
        eprintln!("SKIPPED: Tachi data not found");
        return;
    };
    let e = env("kai-tachi-data");
    e.host.load_seeds(data.join("iidx")).expect("iidx");
    let fixture = json!({
        "music_id": 1000, "play_style": "SINGLE", "difficulty": "ANOTHER", "version_played": 26,
        "lamp": 5, "ex_score": 1570, "miss_count": 24, "fast_count": null, "slow_count": null,
        "timestamp": "2020-10-31T19:10:50Z"
    });
    let mut legg = fixture.clone();
    legg["music_id"] = json!(24101);
    legg["version_played"] = json!(27);
    let mut missing = fixture.clone();
    missing["music_id"] = json!(0);
    e.pages(vec![json!([fixture, legg, missing])]);
    let doc = e.sync(ImportType::API_FLO_IIDX).expect("sync");
    assert_eq!(doc.score_ids.len(), 2, "{:?}", doc.errors);
    let scores = e.host.documents("scores", e.user).expect("scores");
    assert_eq!(
        scores[0]["chartID"],
        "c2311194e3897ddb5745b1760d2c0141f933e683"
    );
    assert_eq!(scores[0]["timeAchieved"], 1_604_171_450_000_i64);
    assert_eq!(scores[0]["scoreData"]["lamp"], "HARD CLEAR");
    assert_eq!(scores[0]["scoreData"]["optional"]["bp"], 24);
    let charts: Vec<Value> =
        serde_json::from_slice(&std::fs::read(data.join("iidx/charts-iidx.json")).expect("charts"))
            .expect("json");
    let legg_chart = charts
        .iter()
        .find(|c| c["chartID"] == scores[1]["chartID"])
        .expect("chart");
    assert_eq!(legg_chart["difficulty"], "LEGGENDARIA");
    assert_eq!(legg_chart["data"]["inGameID"], 24011);
    let errors = serde_json::to_value(&doc.errors).expect("json").to_string();
    assert!(
        errors.contains("Could not find chart with songID 0 (SP ANOTHER - Version 26)"),
        "{errors}"
    );

    // SDVX: Tachi's seeds, song 1 ADV.
    e.host.load_seeds(data.join("seeds")).expect("seeds");
    e.pages(vec![json!([{
        "music_id": 1, "music_difficulty": 1, "played_version": 6, "clear_type": 2, "max_chain": 179,
        "score": 9_310_699, "critical": 1754, "near": 112, "error": 78, "early": 70, "late": 42,
        "gauge_rate": 90.01, "timestamp": "2020-08-30T13:08:11Z"
    }])]);
    let doc = e.sync(ImportType::API_FLO_SDVX).expect("sync");
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    let scores = e.host.documents("scores", e.user).expect("scores");
    let sdvx = scores
        .iter()
        .find(|s| s["game"] == "sdvx")
        .expect("sdvx score");
    assert_eq!(sdvx["chartID"], "5088a4d0e1ee9d0cc2f625934306e45b1a60699b");
    assert_eq!(sdvx["timeAchieved"], 1_598_792_891_000_i64);
}

/// The KAI error behind an import error.
fn kai_error(err: &kaiden_core::ImportError) -> Option<&KaiError> {
    err.format_error::<KaiError>()
}
