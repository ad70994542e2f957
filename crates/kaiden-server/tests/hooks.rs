//! The score hooks through the real server on loopback, against Tachi's mock
//! database (`fixtures/mock-db` of the Tachi data): the acceptance cases of
//! the spec's §6 (Tachi's own route and converter tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use kaiden::service::{HookSettings, HookStore};
use kaiden_server::Config;
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::{TempDir, tachi_data};
use serde_json::{Value, json};

mod common;
use common::{agent, answer, serve};

const FER_MODEL: &str = "LDJ:J:B:A:2020092900";
const FER_UA: &str = "fervidex/1.3.0";
const KS_MODEL: &str = "QCV:J:C:A:2021100600";
const KS_UA: &str = "kshook/0.1.0";

struct Hooks {
    base: String,
    host: Arc<SqliteHost>,
    user: u64,
    key: String,
    /// A key of the same user without `submit_score`.
    weak: String,
    _dir: TempDir,
}

/// A server over Tachi's mock database, or `None` (skipped) without the data.
fn start(extra_seeds: &[&str]) -> Option<Hooks> {
    let Some(data) = tachi_data() else {
        eprintln!("SKIPPED: Tachi data not found");
        return None;
    };
    let dir = TempDir::new("hooks");
    let host = SqliteHost::open(dir.join("kaiden.db")).expect("open");
    // The games the hooks here serve (the mock database's PMS charts are in
    // an older shape, without `isPrimary`), read from the data's own folder.
    let seeds = dir.join("mock-db");
    std::fs::create_dir_all(&seeds).expect("dir");
    for name in [
        "songs-iidx.json",
        "charts-iidx.json",
        "songs-sdvx.json",
        "charts-sdvx.json",
        "songs-bms.json",
        "charts-bms.json",
        "bms-course-lookup.json",
        "songs-usc.json",
        "charts-usc.json",
    ] {
        std::fs::copy(data.join("fixtures/mock-db").join(name), seeds.join(name))
            .expect("mock-db file");
    }
    // The PMS charts with the two fields today's seeds always have.
    let pms: Vec<Value> = serde_json::from_slice(
        &std::fs::read(data.join("fixtures/mock-db/charts-pms.json")).expect("pms charts"),
    )
    .expect("json");
    let pms: Vec<Value> = pms
        .into_iter()
        .map(|mut c| {
            c["isPrimary"] = json!(true);
            c["difficulty"] = json!("CHART");
            c
        })
        .collect();
    std::fs::write(
        seeds.join("charts-pms.json"),
        serde_json::to_vec(&pms).unwrap(),
    )
    .unwrap();
    std::fs::copy(
        data.join("fixtures/mock-db/songs-pms.json"),
        seeds.join("songs-pms.json"),
    )
    .expect("pms songs");
    host.load_seeds(&seeds).expect("mock-db seeds");
    for s in extra_seeds {
        host.load_seeds(data.join(s)).expect("seeds");
    }
    let user = host.add_user("tester").expect("user");
    let key = host
        .create_api_key(user, &["submit_score".to_owned()])
        .expect("key");
    let weak = host.create_api_key(user, &[]).expect("key");
    let host = Arc::new(host);
    let base = serve(Arc::clone(&host), Config::default(), kaiden::registry());
    Some(Hooks {
        base,
        host,
        user,
        key,
        weak,
        _dir: dir,
    })
}

impl Hooks {
    fn post(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> (u16, Value) {
        let mut req = agent().post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        answer(
            req.header("Content-Type", "application/json")
                .send(body.to_string()),
        )
    }

    fn fer(&self, path: &str, body: &Value) -> (u16, Value) {
        let auth = format!("Bearer {}", self.key);
        self.post(
            path,
            &[
                ("Authorization", &auth),
                ("User-Agent", FER_UA),
                ("X-Software-Model", FER_MODEL),
            ],
            body,
        )
    }

    fn ks_as(&self, key: &str, body: &Value) -> (u16, Value) {
        let auth = format!("Bearer {key}");
        self.post(
            "/ir/kshook/sv6c/score/save",
            &[
                ("Authorization", &auth),
                ("User-Agent", KS_UA),
                ("X-Software-Model", KS_MODEL),
            ],
            body,
        )
    }

    fn ks(&self, path: &str, body: &Value) -> (u16, Value) {
        let auth = format!("Bearer {}", self.key);
        self.post(
            path,
            &[
                ("Authorization", &auth),
                ("User-Agent", KS_UA),
                ("X-Software-Model", KS_MODEL),
            ],
            body,
        )
    }

    fn std_post(&self, path: &str, body: &Value) -> (u16, Value) {
        let auth = format!("Bearer {}", self.key);
        self.post(path, &[("Authorization", &auth)], body)
    }

    fn scores(&self) -> Vec<Value> {
        self.host.documents("scores", self.user).expect("scores")
    }

    fn orphans(&self) -> Vec<Value> {
        self.host.documents("orphans", self.user).expect("orphans")
    }

    /// The user's game stats, each with its GPT as `gpt`.
    fn game_stats(&self) -> Vec<Value> {
        let c = rusqlite::Connection::open(self.host.path()).expect("db");
        let mut st = c
            .prepare("SELECT gpt, doc FROM game_stats WHERE user_id = ?1 ORDER BY gpt")
            .expect("query");
        st.query_map([self.user as i64], |r| {
            let (gpt, doc): (String, String) = (r.get(0)?, r.get(1)?);
            let mut v: Value = serde_json::from_str(&doc).expect("json");
            v["gpt"] = Value::String(gpt);
            Ok(v)
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("stats")
    }
}

fn fer_score() -> Value {
    json!({
        "chart": "spa", "entry_id": 1000, "chart_sha256": "", "custom": false,
        "pgreat": 34, "great": 0, "good": 0, "bad": 0, "poor": 6,
        "fast": 0, "slow": 0, "max_combo": 34, "combo_break": 6, "ex_score": 68,
        "clear_type": 1, "gauge": [100, 50], "ghost": [0, 2, 4],
        "option": {"gauge": "HARD", "range": "SUDDEN_PLUS", "style": "RANDOM"},
        "pacemaker": {}
    })
}

fn imported(r: &(u16, Value)) -> &Value {
    assert_eq!(r.0, 200, "{}", r.1);
    assert_eq!(r.1["success"], true, "{}", r.1);
    &r.1["body"]
}

#[test]
fn fervidex_scores_import_as_tachis_route_tests_expect() {
    let Some(s) = start(&[]) else { return };
    let r = s.fer("/ir/fervidex/score/submit", &fer_score());
    let doc = imported(&r);
    assert_eq!(doc["errors"], json!([]));
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["userIntent"], false);
    assert_eq!(doc["importType"], "ir/fervidex");
    let scores = s.scores();
    assert_eq!(scores.len(), 1);
    let sc = &scores[0];
    assert_eq!(sc["service"], "Fervidex");
    assert_eq!(sc["scoreData"]["lamp"], "FAILED");
    assert_eq!(
        sc["scoreData"]["judgements"],
        json!({"pgreat": 34, "great": 0, "good": 0, "bad": 0, "poor": 6})
    );
    assert_eq!(sc["scoreData"]["optional"]["bp"], 6);
    assert_eq!(
        sc["scoreData"]["optional"]["gaugeHistory"],
        json!([100, 50])
    );
    assert_eq!(
        sc["scoreMeta"],
        json!({"assist": "NO ASSIST", "gauge": "HARD", "random": "RANDOM", "range": "SUDDEN+"})
    );
    assert_eq!(sc["highlight"], false);

    // Without options, and with GSM graphs (different scores: new scoreIDs).
    let mut bare = fer_score();
    bare.as_object_mut().unwrap().remove("option");
    bare["ex_score"] = json!(70);
    bare["pgreat"] = json!(35);
    assert_eq!(
        imported(&s.fer("/ir/fervidex/score/submit", &bare))["errors"],
        json!([])
    );
    let mut gsm = fer_score();
    gsm["ex_score"] = json!(72);
    gsm["pgreat"] = json!(36);
    gsm["2dx-gsm"] = json!({"EASY": [1, 2], "NORMAL": [1], "HARD": [1], "EX_HARD": [1]});
    assert_eq!(
        imported(&s.fer("/ir/fervidex/score/submit", &gsm))["errors"],
        json!([])
    );
    assert_eq!(s.scores().len(), 3);

    // Resent with highlight: the stored score is highlighted, nothing new.
    let mut again = fer_score();
    again["highlight"] = json!(true);
    let doc = imported(&s.fer("/ir/fervidex/score/submit", &again)).clone();
    assert_eq!(doc["scoreIDs"], json!([]));
    let first = s
        .scores()
        .into_iter()
        .find(|x| x["scoreData"]["score"] == 68)
        .unwrap();
    assert_eq!(first["highlight"], true);
    assert!(
        s.scores()
            .iter()
            .filter(|x| x["scoreData"]["score"] != 68)
            .all(|x| x["highlight"] == false)
    );

    // An impossible EX score is rejected by validation (200, one error).
    let mut over = fer_score();
    over["ex_score"] = json!(9999);
    let doc = imported(&s.fer("/ir/fervidex/score/submit", &over)).clone();
    assert_eq!(doc["scoreIDs"], json!([]));
    assert_eq!(doc["errors"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["errors"][0]["type"], "InvalidDatapoint");

    // A gauge over 100.
    let mut g = fer_score();
    g["gauge"] = json!([150]);
    let doc = imported(&s.fer("/ir/fervidex/score/submit", &g)).clone();
    assert_eq!(
        doc["errors"],
        json!([{"type": "InvalidDatapoint", "message": "Invalid value of gauge 150."}])
    );

    // An unknown chart is kept as an orphan.
    let mut spl = fer_score();
    spl["chart"] = json!("spl");
    let doc = imported(&s.fer("/ir/fervidex/score/submit", &spl)).clone();
    assert_eq!(doc["errors"][0]["type"], "SongOrChartNotFound");
    assert_eq!(
        doc["errors"][0]["message"],
        "Could not find chart with songID 1000 (SP LEGGENDARIA [27])"
    );
    assert_eq!(s.orphans().len(), 1);

    // A body the schema refuses: 400 under `error`.
    let (status, body) = s.fer("/ir/fervidex/score/submit", &json!({}));
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Invalid Fervidex Request?: chart |")
    );
    assert!(body.get("description").is_none());
}

#[test]
fn fervidex_headers_and_auth_are_checked_as_tachi_checks_them() {
    let Some(s) = start(&[]) else { return };
    let auth = format!("Bearer {}", s.key);
    let with = |ua: Option<&str>, model: Option<&str>, card: Option<&str>| {
        let mut h = vec![("Authorization", auth.as_str())];
        if let Some(ua) = ua {
            h.push(("User-Agent", ua));
        }
        if let Some(m) = model {
            h.push(("X-Software-Model", m));
        }
        if let Some(c) = card {
            h.push(("X-Account-Id", c));
        }
        s.post("/ir/fervidex/score/submit", &h, &fer_score())
    };
    for model in [
        "LDJ:J:B:A:2022082400",
        "LDJ:J:B:A:2021091500",
        "LDJ:J:B:A:2020092900",
        "LDJ:J:B:X:2023090500",
        "P2D:J:B:A:2020092900",
    ] {
        let (status, body) = with(Some(FER_UA), Some(model), None);
        assert_eq!(status, 200, "{model}: {body}");
    }
    for (ua, model, want) in [
        (
            Some(FER_UA),
            Some("LDJ:J:B:A:NONSENSE"),
            "Invalid X-Software-Model.",
        ),
        (
            Some(FER_UA),
            Some("LDJ:J:B:Z:2020092900"),
            "2DX_BMS is not supported.",
        ),
        (
            Some(FER_UA),
            Some("LDJ:J:B:A:2017010100"),
            "Invalid software model LDJ:J:B:A:2017010100)",
        ),
        (Some(FER_UA), None, "Invalid X-Software-Model."),
        (
            Some("fervidex/1.2.0"),
            Some(FER_MODEL),
            "Versions of fervidex < 1.3.0 are not supported.",
        ),
        (Some("fervidex/.0"), Some(FER_MODEL), "Invalid version 0.0."),
        (
            Some("fervidex/a.b.c"),
            Some(FER_MODEL),
            "Invalid version NaN.NaN.NaN.",
        ),
        (Some(""), Some(FER_MODEL), "Invalid User-Agent."),
        (
            Some("invalid"),
            Some(FER_MODEL),
            "Invalid User-Agent invalid - expected fervidex client.",
        ),
    ] {
        let (status, body) = with(ua, model, None);
        assert_eq!(status, 400, "{ua:?} {model:?}: {body}");
        assert_eq!(body["error"], want, "{ua:?} {model:?}");
    }
    // The card filter.
    s.host
        .put_hook_settings(
            s.user,
            "fervidex",
            &HookSettings {
                cards: Some(vec!["foo".to_owned()]),
                force_static_import: false,
            },
        )
        .unwrap();
    let (status, body) = with(Some(FER_UA), Some(FER_MODEL), Some("bar"));
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "The card ID bar is not in your list of filters. Ignoring."
    );
    let (status, body) = with(Some(FER_UA), Some(FER_MODEL), None);
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("Fervidex did not provide a card ID."))
    );
    let (status, _) = with(Some(FER_UA), Some(FER_MODEL), Some("foo"));
    assert_eq!(status, 200);
    // Auth: none, unknown, not Bearer, no permission.
    let h = [("User-Agent", FER_UA), ("X-Software-Model", FER_MODEL)];
    let (status, body) = s.post("/ir/fervidex/score/submit", &h, &fer_score());
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("This endpoint requires authentication."))
    );
    let (status, body) = s.post(
        "/ir/fervidex/score/submit",
        &[("Authorization", "Bearer nope"), h[0], h[1]],
        &fer_score(),
    );
    assert_eq!(status, 401);
    assert!(body["error"].is_string());
    let (status, _) = s.post(
        "/ir/fervidex/score/submit",
        &[("Authorization", "Basic abc"), h[0], h[1]],
        &fer_score(),
    );
    assert_eq!(status, 400);
    let weak = format!("Bearer {}", s.weak);
    let (status, body) = s.post(
        "/ir/fervidex/score/submit",
        &[("Authorization", &weak), h[0], h[1]],
        &fer_score(),
    );
    assert_eq!(status, 403);
    assert_eq!(
        body["description"],
        "You are missing the following permissions necessary for this request: submit_score"
    );
}

#[test]
fn fervidex_class_submit_sets_the_dan_if_higher() {
    let Some(s) = start(&[]) else { return };
    let (status, body) = s.fer(
        "/ir/fervidex/class/submit",
        &json!({"cleared": true, "course_id": 18, "play_style": 0}),
    );
    assert_eq!(
        (status, body["description"].clone()),
        (200, json!("Dan changed!"))
    );
    assert_eq!(body["body"]["classDelta"]["new"], "KAIDEN");
    assert_eq!(body["body"]["classDelta"]["old"], Value::Null);
    let (_, body) = s.fer(
        "/ir/fervidex/class/submit",
        &json!({"cleared": true, "course_id": 17, "play_style": 1}),
    );
    assert_eq!(body["description"], "Dan changed!");
    let stats = s.game_stats();
    let dan_of = |gpt: &str| {
        stats
            .iter()
            .find(|x| x["gpt"] == gpt)
            .map(|x| x["classes"]["dan"].clone())
    };
    assert_eq!(dan_of("iidx:SP"), Some(json!("KAIDEN")), "{stats:?}");
    assert_eq!(dan_of("iidx:DP"), Some(json!("CHUUDEN")), "{stats:?}");
    let (_, body) = s.fer(
        "/ir/fervidex/class/submit",
        &json!({"cleared": true, "course_id": 3, "play_style": 0}),
    );
    assert_eq!(
        body["description"],
        "Dan unchanged, was worse than your current dan."
    );
    let (status, body) = s.fer(
        "/ir/fervidex/class/submit",
        &json!({"cleared": false, "course_id": 3, "play_style": 0}),
    );
    assert_eq!(
        (status, body["description"].clone()),
        (200, json!("No Update Made."))
    );
    for (b, want) in [
        (
            json!({"cleared": true, "course_id": null, "play_style": 0}),
            "[course_id] Expected an integer between 0 and 18. (Received null)",
        ),
        (
            json!({"cleared": true, "course_id": 20, "play_style": 0}),
            "[course_id] Expected an integer between 0 and 18. (Received 20)",
        ),
        (
            json!({"cleared": true, "course_id": -1, "play_style": 0}),
            "[course_id] Expected an integer between 0 and 18. (Received -1)",
        ),
        (
            json!({"cleared": true, "course_id": 1, "play_style": null}),
            "[play_style] Expected any of 0, 1. (Received null)",
        ),
    ] {
        let (status, body) = s.fer("/ir/fervidex/class/submit", &b);
        assert_eq!(status, 400);
        assert_eq!(body["error"], want);
    }
}

fn static_body() -> Value {
    json!({
        "name": "TESTER", "qpro": {},
        "scores": {
            "1000": {
                "spa": {"clear_type": 4, "ex_score": 1180, "miss_count": 40},
                "spn": {"clear_type": 7, "ex_score": 158, "miss_count": 0}
            },
            "1001": {"dph": {"clear_type": 3, "ex_score": 15, "miss_count": 1}}
        },
        "sp_dan": 15
    })
}

/// Waits (bounded) until `f` holds; the profile import runs after its 202.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn fervidex_profiles_import_scores_only_on_infinitas_or_once_when_forced() {
    let Some(s) = start(&["iidx"]) else { return };
    let auth = format!("Bearer {}", s.key);
    let profile = |model: &str| {
        s.post(
            "/ir/fervidex/profile/submit",
            &[
                ("Authorization", &auth),
                ("User-Agent", FER_UA),
                ("X-Software-Model", model),
            ],
            &static_body(),
        )
    };
    let imports = || s.host.documents("imports", s.user).unwrap().len();
    // Arcade, flag off: 202, no scores; the dan is not kept for a player
    // without scores (Tachi keeps no stats without a score).
    let (status, body) = profile(FER_MODEL);
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        body,
        json!({"success": true, "description": "Your import has been loaded for further processing.", "body": {}})
    );
    eventually("the dans-only import", || imports() == 1);
    assert!(s.scores().is_empty());
    assert!(s.game_stats().is_empty());
    // The flag: one import, then off.
    s.host
        .put_hook_settings(
            s.user,
            "fervidex",
            &HookSettings {
                cards: None,
                force_static_import: true,
            },
        )
        .unwrap();
    assert_eq!(profile(FER_MODEL).0, 202);
    eventually("3 scores", || s.scores().len() == 3);
    assert!(s.scores().iter().all(|x| x["service"] == "Fervidex Static"));
    eventually("the import", || imports() == 2);
    assert!(
        s.game_stats()
            .iter()
            .any(|x| x["gpt"] == "iidx:SP" && x["classes"]["dan"] == "DAN_9"),
        "{:?}",
        s.game_stats()
    );
    assert!(
        !s.host
            .hook_settings(s.user, "fervidex")
            .unwrap()
            .force_static_import
    );
    // INFINITAS 2 always imports (nothing new here: the same scores).
    assert_eq!(profile("P2D:J:B:A:2020092900").0, 202);
    eventually("the INFINITAS import", || imports() == 3);
    assert_eq!(s.scores().len(), 3);
}

fn ks_score() -> Value {
    json!({
        "clear": "CLEAR_EXCESSIVE", "difficulty": "DIFFICULTY_ADVANCED", "gauge": 71,
        "grade": "GRADE_AA_PLUS", "max_chain": 158, "music_id": 1, "score": 9_579_365,
        "ex_score": 1334, "critical": 1184, "near": 46, "error": 30,
        "rate": "RATE_EXCESSIVE", "track_no": 0, "retry_count": 0
    })
}

#[test]
fn kshook_saves_scores_and_exports_once_per_flag() {
    let Some(s) = start(&[]) else { return };
    let r = s.ks("/ir/kshook/sv6c/score/save", &ks_score());
    let doc = imported(&r);
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["errors"], json!([]));
    assert_eq!(doc["userIntent"], false);
    let sc = &s.scores()[0];
    assert_eq!(sc["service"], "kshook SV6C");
    assert_eq!(sc["scoreData"]["lamp"], "EXCESSIVE CLEAR");
    assert_eq!(
        sc["scoreData"]["judgements"],
        json!({"critical": 1184, "near": 46, "miss": 30})
    );
    assert_eq!(sc["scoreData"]["optional"]["maxCombo"], 158);
    let mut unknown = ks_score();
    unknown["music_id"] = json!(10000);
    let doc = imported(&s.ks("/ir/kshook/sv6c/score/save", &unknown)).clone();
    assert_eq!(
        doc["errors"],
        json!([{"type": "SongOrChartNotFound", "message": "Could not find chart with songID 10000 (ADV for Konaste)."}])
    );
    assert_eq!(s.orphans().len(), 1);
    for body in [json!({}), {
        let mut b = ks_score();
        b["clear"] = json!("CLEAR_NONSENSE");
        b
    }] {
        let (status, body) = s.ks("/ir/kshook/sv6c/score/save", &body);
        assert_eq!(status, 400);
        assert!(body["error"].is_string(), "{body}");
    }
    let auth = format!("Bearer {}", s.key);
    for (ua, model, want) in [
        (
            KS_UA,
            Some("LDJ:J:B:A:2020092900"),
            "Invalid softID LDJ:J:B:A:2020092900.",
        ),
        (KS_UA, None, "Invalid X-Software-Model."),
        (
            "fervidex/1.3.0",
            Some(KS_MODEL),
            "Invalid User-Agent fervidex/1.3.0 - expected KsHook client.",
        ),
    ] {
        let mut h = vec![("Authorization", auth.as_str()), ("User-Agent", ua)];
        if let Some(m) = model {
            h.push(("X-Software-Model", m));
        }
        let (status, body) = s.post("/ir/kshook/sv6c/score/save", &h, &ks_score());
        assert_eq!((status, body["error"].clone()), (400, json!(want)));
    }
    let h = [("User-Agent", KS_UA), ("X-Software-Model", KS_MODEL)];
    let (status, body) = s.post("/ir/kshook/sv6c/score/save", &h, &ks_score());
    assert_eq!((status, body["error"].is_string()), (401, true));
    let (status, _) = s.post(
        "/ir/kshook/sv6c/score/save",
        &[("Authorization", "Bearer nope"), h[0], h[1]],
        &ks_score(),
    );
    assert_eq!(status, 401);
    // kshook asks for no permission.
    let weak = format!("Bearer {}", s.weak);
    let mut other = ks_score();
    other["score"] = json!(9_000_000);
    let (status, _) = s.post(
        "/ir/kshook/sv6c/score/save",
        &[("Authorization", &weak), h[0], h[1]],
        &other,
    );
    assert_eq!(status, 200);

    // The static export: ignored unless the flag is set, then once.
    let export = json!({"scores": [{
        "score": 9_800_000, "ex_score": 1400, "clear": "CLEAR_ULTIMATE_CHAIN",
        "difficulty": "DIFFICULTY_ADVANCED", "grade": "GRADE_AAA", "max_chain": 200,
        "music_id": 1, "timestamp": 1000
    }]});
    let (status, body) = s.ks("/ir/kshook/sv6c/score/export", &export);
    assert_eq!(status, 200);
    assert_eq!(
        body["description"],
        "Static importing is disabled. Ignoring static import request."
    );
    let before = s.scores().len();
    s.host
        .put_hook_settings(
            s.user,
            "kshook-sv6c",
            &HookSettings {
                cards: None,
                force_static_import: true,
            },
        )
        .unwrap();
    let doc = imported(&s.ks("/ir/kshook/sv6c/score/export", &export)).clone();
    assert_eq!(doc["importType"], "ir/kshook-sv6c-static");
    assert_eq!(s.scores().len(), before + 1);
    let st = s
        .scores()
        .into_iter()
        .find(|x| x["service"] == "kshook SV6C Static")
        .unwrap();
    assert_eq!(st["timeAchieved"], 1_000_000);
    assert_eq!(st["importType"], "ir/kshook-sv6c");
    let (_, body) = s.ks("/ir/kshook/sv6c/score/export", &export);
    assert_eq!(
        body["description"],
        "Static importing is disabled. Ignoring static import request."
    );
}

#[test]
fn barbatos_scores_import_and_its_schema_and_auth_hold() {
    let Some(s) = start(&[]) else { return };
    let body = json!({
        "difficulty": 1, "level": 10, "song_id": 1, "max_chain": 100, "critical": 100,
        "near_total": 50, "near_fast": 40, "near_slow": 10, "score": 9_000_000, "error": 5,
        "percent": 90, "did_fail": false, "clear_type": 2, "gauge_type": 0,
        "is_skill_analyzer": false
    });
    let r = s.std_post("/ir/barbatos/score/submit", &body);
    let doc = imported(&r);
    assert_eq!(doc["errors"], json!([]));
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(1));
    assert_eq!(s.scores()[0]["service"], "Barbatos (vivid)");
    // An unknown song, and a chart outside the shape's version: orphans.
    let mut unknown = body.clone();
    unknown["song_id"] = json!(1000);
    let doc = imported(&s.std_post("/ir/barbatos/score/submit", &unknown)).clone();
    assert_eq!(
        doc["errors"],
        json!([{"type": "SongOrChartNotFound", "message": "Could not find chart with songID 1000 (ADV)"}])
    );
    let (status, b) = s.std_post("/ir/barbatos/score/submit", &json!({}));
    assert_eq!(status, 400);
    assert!(
        b["description"]
            .as_str()
            .unwrap()
            .starts_with("Invalid Barbatos Request:")
    );
    let (status, b) = s.post("/ir/barbatos/score/submit", &[], &body);
    assert_eq!(
        (status, b["description"].clone()),
        (401, json!("This endpoint requires authentication."))
    );
    let (status, _) = s.post(
        "/ir/barbatos/score/submit",
        &[("Authorization", "Bearer nope")],
        &body,
    );
    assert_eq!(status, 401);
    let weak = format!("Bearer {}", s.weak);
    let (status, _) = s.post(
        "/ir/barbatos/score/submit",
        &[("Authorization", &weak)],
        &body,
    );
    assert_eq!(status, 403);
}

fn lr2_score(md5: &str) -> Value {
    json!({
        "md5": md5,
        "playerData": {"autoScr": 0, "gameMode": "7K", "random": "RAN", "gauge": "GROOVE"},
        "scoreData": {
            "pgreat": 1100, "great": 900, "good": 200, "bad": 50, "poor": 6,
            "maxCombo": 500, "exScore": 3100, "moneyScore": 100_000,
            "notesTotal": 2256, "notesPlayed": 2256, "lamp": "HARD",
            "hpGraph": vec![80; 1000]
        }
    })
}

#[test]
fn lr2hook_scores_and_course_clears() {
    let Some(s) = start(&[]) else { return };
    let r = s.std_post(
        "/ir/lr2hook/import",
        &lr2_score("38616b85332037cc12924f2ae2840262"),
    );
    let doc = imported(&r);
    assert_eq!(doc["errors"], json!([]), "{doc}");
    let sc = &s.scores()[0];
    assert_eq!(sc["service"], "LR2Hook");
    assert_eq!(sc["chartID"], "88eb6cc5683e2740cbd07f588a5f3db1db8d467b");
    assert_eq!(sc["songID"], 27339);
    assert_eq!(sc["playtype"], "7K");
    assert_eq!(
        sc["scoreMeta"],
        json!({"gauge": "NORMAL", "random": "RANDOM", "client": "LR2"})
    );
    assert_eq!(sc["scoreData"]["optional"]["bp"], 56);
    // Unknown md5: an orphan.
    let doc = imported(&s.std_post(
        "/ir/lr2hook/import",
        &lr2_score("00000000000000000000000000000000"),
    ))
    .clone();
    assert_eq!(doc["errors"][0]["type"], "SongOrChartNotFound");
    let weak = format!("Bearer {}", s.weak);
    let (status, _) = s.post(
        "/ir/lr2hook/import",
        &[("Authorization", &weak)],
        &lr2_score("x"),
    );
    assert_eq!(status, 403);
    let (status, _) = s.post(
        "/ir/lr2hook/import",
        &[("Authorization", "Bearer nope")],
        &lr2_score("x"),
    );
    assert_eq!(status, 401);

    // Courses (the mock database's GENOSIDE 2018 Overjoy).
    let md5s = "cfad3baadce9e02c45021963453d7c9477d23be22b2370925c573d922276bce0188a99f74ab71804f2e360dcf484545cc46a81cb184f5a804c119930d6eba748";
    let mut partial = lr2_score(md5s);
    partial["scoreData"]["notesPlayed"] = json!(2000);
    let (status, body) = s.std_post("/ir/lr2hook/import/course", &partial);
    assert_eq!(status, 200);
    assert_eq!(
        body["description"],
        "Class not updated. You failed to clear this course."
    );
    assert_eq!(
        body["body"],
        json!({"notesPlayed": 2000, "notesTotal": 2256})
    );
    let (status, body) = s.std_post("/ir/lr2hook/import/course", &lr2_score(md5s));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["description"], "Successfully updated class.");
    assert_eq!(body["body"]["set"], "genocideDan");
    assert_eq!(body["body"]["value"], "OVERJOY");
    assert!(
        s.game_stats()
            .iter()
            .any(|x| x["gpt"] == "bms:7K" && x["classes"]["genocideDan"] == "OVERJOY"),
        "{:?}",
        s.game_stats()
    );
    let (_, body) = s.std_post("/ir/lr2hook/import/course", &lr2_score(md5s));
    assert_eq!(body["description"], "Class not updated.");
    let (status, body) = s.std_post("/ir/lr2hook/import/course", &lr2_score("feed"));
    assert_eq!(status, 404);
    assert_eq!(
        body["description"],
        "Couldn't find a course with this MD5 (feed)."
    );
    let mut extra = lr2_score(md5s);
    extra["unexpected"] = json!(1);
    let (status, body) = s.std_post("/ir/lr2hook/import/course", &extra);
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "[null] Unexpected properties inside object: unexpected."
    );
}

fn bj_body(client: &str, mode: &str, sha: &str, device: &str, ex: u64) -> Value {
    json!({
        "client": client,
        "score": {
            "sha256": sha, "exscore": ex, "passnotes": 1065, "gauge": 80, "deviceType": device,
            "minbp": 20, "option": 0, "lntype": 0, "clear": "Hard", "assist": 0,
            "maxcombo": 300, "epg": ex / 4, "egr": 0, "egd": 0, "ebd": 0, "epr": 0,
            "lpg": ex / 2 - ex / 4, "lgr": ex % 2, "lgd": 0, "lbd": 0, "lpr": 0, "ems": 0, "lms": 0
        },
        "chart": {
            "md5": "d1253dd56bb2087d0b0d474f0d562aae", "sha256": sha, "title": "A Title",
            "subtitle": "", "genre": "G", "artist": "An Artist", "subartist": "",
            "total": 300, "lntype": 0, "mode": mode, "judge": 100, "notes": 1065,
            "hasUndefinedLN": false, "hasRandom": false
        }
    })
}

const BMS_SHA: &str = "195fe1be5c3e74fccd04dc426e05f8a9cfa8a1059c339d0a23e99f63661f0b7d";
const PMS_SHA: &str = "a10193f7ae05ce839292dc716f182fda0b1cc6ac5382c2056f37e22ffba87b7d";

impl Hooks {
    fn bj(&self, key: &str, path: &str, body: &Value) -> (u16, Value) {
        let auth = format!("Bearer {key}");
        self.post(
            path,
            &[("Authorization", &auth), ("X-TachiIR-Version", "v2.0.0")],
            body,
        )
    }

    fn user_key(&self, name: &str) -> (u64, String) {
        let user = self.host.add_user(name).expect("user");
        (user, self.host.create_api_key(user, &[]).expect("key"))
    }
}

#[test]
fn beatoraja_scores_charts_from_play_leaderboards_and_courses() {
    let Some(s) = start(&[]) else { return };
    let k = s.key.clone();
    // BMS from LR2oraja.
    let (status, body) = s.bj(
        &k,
        "/ir/beatoraja/submit-score",
        &bj_body("LR2oraja 0.8.0", "BEAT_7K", BMS_SHA, "KEYBOARD", 1004),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["description"], "Imported score.");
    assert_eq!(body["body"]["score"]["scoreData"]["score"], 1004);
    assert_eq!(
        body["body"]["chart"]["chartID"],
        "88eb6cc5683e2740cbd07f588a5f3db1db8d467b"
    );
    assert_eq!(body["body"]["song"]["id"], 27339);
    assert_eq!(body["body"]["import"]["importType"], "ir/beatoraja");
    assert_eq!(body["body"]["score"]["service"], "Beatoraja IR");
    // The same again: nothing new.
    let (status, body) = s.bj(
        &k,
        "/ir/beatoraja/submit-score",
        &bj_body("LR2oraja 0.8.0", "BEAT_7K", BMS_SHA, "KEYBOARD", 1004),
    );
    assert_eq!(
        (status, body["description"].clone()),
        (400, json!("No scores were imported."))
    );
    // PMS from beatoraja: the device picks the playtype.
    for (device, chart) in [
        ("BM_CONTROLLER", "0446f1b54e90d631ff9fe98419ebaea9481fab1f"),
        ("KEYBOARD", "ca553d77cbf8b3e9e7709dad6123ffed1695a1dd"),
    ] {
        let (status, body) = s.bj(
            &k,
            "/ir/beatoraja/submit-score",
            &bj_body("beatoraja 0.8.0", "POPN_9K", PMS_SHA, device, 900),
        );
        assert_eq!(status, 200, "{device}: {body}");
        assert_eq!(body["body"]["chart"]["chartID"], chart);
    }
    // Refusals.
    let (status, body) = s.bj(
        &k,
        "/ir/beatoraja/submit-score",
        &bj_body("beatoraja 0.8.0", "BEAT_7K", BMS_SHA, "KEYBOARD", 10),
    );
    assert_eq!(status, 400);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("Unsupported client")
    );
    let mut bad = bj_body("LR2oraja", "BEAT_7K", BMS_SHA, "KEYBOARD", 10);
    bad["score"]["exscore"] = json!(-1);
    let (status, body) = s.bj(&k, "/ir/beatoraja/submit-score", &bad);
    assert_eq!(status, 400);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("Invalid Beatoraja Import - Score")
    );
    let mut bad = bj_body("LR2oraja", "BEAT_7K", BMS_SHA, "KEYBOARD", 10);
    bad["chart"]["title"] = Value::Null;
    let (_, body) = s.bj(&k, "/ir/beatoraja/submit-score", &bad);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("Invalid Beatoraja Import - Chart")
    );
    let auth = format!("Bearer {k}");
    let (status, body) = s.post(
        "/ir/beatoraja/submit-score",
        &[("Authorization", &auth)],
        &bad,
    );
    assert_eq!(
        (status, body["description"].clone()),
        (400, json!("Invalid X-TachiIR-Version."))
    );
    let (status, _) = s.post(
        "/ir/beatoraja/submit-score",
        &[("X-TachiIR-Version", "v2")],
        &bad,
    );
    assert_eq!(status, 401);
    let (status, _) = s.bj("nope", "/ir/beatoraja/submit-score", &bad);
    assert_eq!(status, 401);

    // A chart the seeds lack: queued, and created by the third player.
    let fresh = "f".repeat(64);
    let (status, body) = s.bj(
        &k,
        "/ir/beatoraja/submit-score",
        &bj_body("LR2oraja", "BEAT_7K", &fresh, "KEYBOARD", 700),
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        body["description"],
        "Chart and score have been orphaned. This chart will be un-orphaned when 3 players have played the chart (Currently: 1)."
    );
    let (u2, k2) = s.user_key("second");
    let (status, body) = s.bj(
        &k2,
        "/ir/beatoraja/submit-score",
        &bj_body("LR2oraja", "BEAT_7K", &fresh, "KEYBOARD", 710),
    );
    assert_eq!(status, 202);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .ends_with("(Currently: 2).")
    );
    let (u3, k3) = s.user_key("third");
    let (status, body) = s.bj(
        &k3,
        "/ir/beatoraja/submit-score",
        &bj_body("LR2oraja", "BEAT_7K", &fresh, "KEYBOARD", 720),
    );
    assert_eq!(status, 200, "{body}");
    let created = body["body"]["chart"]["chartID"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(body["body"]["song"]["title"], "A Title");
    for u in [s.user, u2, u3] {
        let scores = s.host.documents("scores", u).unwrap();
        assert!(
            scores.iter().any(|x| x["chartID"] == created.as_str()),
            "user {u}"
        );
    }
    // Its leaderboard: every player, the caller as "".
    let r = agent()
        .get(format!("{}/ir/beatoraja/charts/{fresh}/scores", s.base))
        .header("Authorization", format!("Bearer {k2}"))
        .header("X-TachiIR-Version", "v2")
        .call();
    let (status, body) = answer(r);
    assert_eq!(status, 200, "{body}");
    let rows = body["body"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["player"], "third");
    assert!(rows.iter().any(|r| r["player"] == ""));
    assert_eq!(rows[0]["epg"], 360);
    assert_eq!(rows[0]["clear"], 6, "HARD CLEAR");
    let r = agent()
        .get(format!(
            "{}/ir/beatoraja/charts/{}/scores",
            s.base,
            "0".repeat(64)
        ))
        .header("Authorization", format!("Bearer {k2}"))
        .header("X-TachiIR-Version", "v2")
        .call();
    let (status, body) = answer(r);
    assert_eq!(
        (status, body["description"].clone()),
        (404, json!("Chart does not exist on IR yet."))
    );

    // Courses (the mock database's GENOSIDE 2018 Overjoy).
    let md5s = "cfad3baadce9e02c45021963453d7c9477d23be22b2370925c573d922276bce0188a99f74ab71804f2e360dcf484545cc46a81cb184f5a804c119930d6eba748";
    let course = |clear: &str, md5s: &str| {
        let charts: Vec<Value> = (0..4)
            .map(|i| json!({"md5": &md5s[i * 32..i * 32 + 32]}))
            .collect();
        json!({"course": {"charts": charts, "constraint": ["GAUGE_LR2"]}, "score": {"clear": clear, "option": 0, "lntype": 0}})
    };
    let (status, body) = s.bj(&k, "/ir/beatoraja/submit-course", &course("Failed", md5s));
    assert_eq!(
        (status, body["description"].clone()),
        (
            200,
            json!("Class not updated, as you didn't clear this course.")
        )
    );
    let (status, body) = s.bj(&k, "/ir/beatoraja/submit-course", &course("Hard", md5s));
    assert_eq!(
        (status, body["description"].clone()),
        (200, json!("Successfully updated class.")),
        "{body}"
    );
    assert_eq!(body["body"]["value"], "OVERJOY");
    let (_, body) = s.bj(&k, "/ir/beatoraja/submit-course", &course("Hard", md5s));
    assert_eq!(body["description"], "Class not updated.");
    let (status, body) = s.bj(
        &k,
        "/ir/beatoraja/submit-course",
        &course("Hard", &"a".repeat(128)),
    );
    assert_eq!(
        (status, body["description"].clone()),
        (404, json!("Unsupported course."))
    );
    let mut cn = course("Hard", md5s);
    cn["course"]["constraint"] = json!(["CN"]);
    let (status, body) = s.bj(&k, "/ir/beatoraja/submit-course", &cn);
    assert_eq!(
        (status, body["description"].clone()),
        (400, json!("CN mode is not allowed in dans."))
    );
    let mut three = course("Hard", md5s);
    three["course"]["charts"] = json!([{"md5": "a"}]);
    let (status, body) = s.bj(&k, "/ir/beatoraja/submit-course", &three);
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "[course.charts] Expected an array of 4 objects with MD5 properties."
    );
}

fn usc_body(hash: &str, score: u64, gauge: f64) -> Value {
    json!({
        "chart": {"chartHash": hash, "artist": "a", "title": "t", "level": 10, "difficulty": 0,
                  "effector": "e", "illustrator": "i", "bpm": "180"},
        "score": {
            "score": score, "gauge": gauge, "timestamp": 1, "crit": 100, "near": 50, "error": 5,
            "options": {"gaugeType": 0, "mirror": true, "random": false, "autoFlags": 0},
            "windows": {"perfect": 46, "good": 150, "hold": 150, "miss": 300, "slam": 84}
        }
    })
}

impl Hooks {
    fn usc_get(&self, key: Option<&str>, path: &str) -> (u16, Value) {
        let mut req = agent().get(format!("{}/ir/usc/Controller{path}", self.base));
        if let Some(k) = key {
            req = req.header("Authorization", k);
        }
        answer(req.call())
    }

    fn usc_post(&self, key: &str, body: &Value) -> (u16, Value) {
        self.post(
            "/ir/usc/Controller/scores",
            &[("Authorization", &format!("Bearer {key}"))],
            body,
        )
    }

    fn replay(&self, key: &str, identifier: Option<&str>, file: Option<&[u8]>) -> (u16, Value) {
        let mut fields = vec![];
        if let Some(i) = identifier {
            fields.push(("identifier", i));
        }
        let files: Vec<(&str, &str, &[u8])> =
            file.map(|f| ("replay", "r.urf", f)).into_iter().collect();
        let (ct, body) = common::multipart(&fields, &files);
        answer(
            agent()
                .post(format!("{}/ir/usc/Controller/replays", self.base))
                .header("Authorization", format!("Bearer {key}"))
                .header("Content-Type", ct)
                .send(&body[..]),
        )
    }
}

#[test]
fn the_usc_ir_protocol() {
    let Some(s) = start(&[]) else { return };
    let bearer = format!("Bearer {}", s.key);
    // Playtype, then USC's own auth answers.
    let r = answer(
        agent()
            .get(format!("{}/ir/usc/Pad", s.base))
            .header("Authorization", &bearer)
            .call(),
    );
    assert_eq!(r.0, 400);
    assert_eq!(
        r.1["description"],
        "Invalid playtype. Expected Keyboard or Controller."
    );
    assert_eq!(
        s.usc_get(None, "").1,
        json!({"statusCode": 40, "description": "No auth token provided."})
    );
    assert_eq!(s.usc_get(Some("Basic x"), "").1["statusCode"], 40);
    assert_eq!(
        s.usc_get(Some("Bearer nope"), "").1,
        json!({"statusCode": 41, "description": "Unauthorized."})
    );
    let (status, hb) = s.usc_get(Some(&bearer), "");
    assert_eq!((status, hb["statusCode"].clone()), (200, json!(20)));
    assert_eq!(hb["body"]["irVersion"], "0.4.0-a");
    assert!(hb["body"]["serverTime"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(
        s.usc_get(Some(&bearer), "/charts/USC_CHART_HASH").1["statusCode"],
        20
    );
    assert_eq!(s.usc_get(Some(&bearer), "/charts/nope").1["statusCode"], 44);
    assert_eq!(
        s.usc_get(Some(&bearer), "/charts/USC_CHART_HASH/record").1["statusCode"],
        44
    );

    // A score (Tachi's route case): lamp FAILED, MIRROR, NORMAL gauge.
    let (status, r) = s.usc_post(&s.key, &usc_body("USC_CHART_HASH", 9_000_000, 0.5));
    assert_eq!(status, 200);
    assert_eq!(r["statusCode"], 20, "{r}");
    assert_eq!(r["description"], "Successfully imported score.");
    let stored = &s.scores()[0];
    assert_eq!(stored["scoreData"]["lamp"], "FAILED");
    assert_eq!(
        stored["scoreMeta"],
        json!({"gaugeMod": "NORMAL", "noteMod": "MIRROR"})
    );
    assert_eq!(stored["service"], "USC-IR");
    let b = &r["body"];
    assert_eq!(b["sendReplay"], stored["scoreID"]);
    assert_eq!(b["isServerRecord"], true);
    assert_eq!(b["isPB"], true);
    assert_eq!(b["score"]["username"], "tester");
    assert_eq!(b["score"]["lamp"], 1);
    assert_eq!(b["score"]["noteMod"], "MIRROR");
    assert_eq!(b["score"]["ranking"], 1);
    assert_eq!(b["adjacentAbove"], json!([]));
    let my_score_id = stored["scoreID"].as_str().unwrap().to_owned();
    // The same again; a weaker one (not a PB); modified windows; an unknown chart.
    let (_, r) = s.usc_post(&s.key, &usc_body("USC_CHART_HASH", 9_000_000, 0.5));
    assert_eq!(
        r,
        json!({"statusCode": 20, "description": "Score was identical to another score you already have."})
    );
    let (_, r) = s.usc_post(&s.key, &usc_body("USC_CHART_HASH", 8_000_000, 0.5));
    assert_eq!(
        (r["statusCode"].clone(), r["body"]["isPB"].clone()),
        (json!(20), json!(false))
    );
    let mut w = usc_body("USC_CHART_HASH", 9_100_000, 0.5);
    w["score"]["windows"]["perfect"] = json!(40);
    let (_, r) = s.usc_post(&s.key, &w);
    assert_eq!(
        r,
        json!({"statusCode": 40, "description": "InvalidDatapoint HitWindows have been modified - Score is invalid."})
    );
    let (_, r) = s.usc_post(&s.key, &usc_body("UNKNOWN_HASH", 9_000_000, 0.5));
    assert_eq!(r["statusCode"], 22);
    assert_eq!(
        r["description"],
        "This score has been saved, but the chart is not currently on the IR."
    );
    assert_eq!(s.orphans().len(), 1);
    let mut bad_chart = usc_body("USC_CHART_HASH", 9_000_000, 0.5);
    bad_chart["chart"]["level"] = json!(0);
    let (_, r) = s.usc_post(&s.key, &bad_chart);
    assert_eq!(r["statusCode"], 40);
    assert!(
        r["description"]
            .as_str()
            .unwrap()
            .starts_with("Invalid chart.: level")
    );
    let weak = s.usc_post(&s.weak, &usc_body("USC_CHART_HASH", 9_200_000, 0.5));
    assert_eq!(weak.0, 403);

    // A second player takes the record: neighbours and the leaderboard.
    let (u2, k2) = s.user_key("rival");
    let k2_full = s
        .host
        .create_api_key(u2, &["submit_score".to_owned()])
        .unwrap();
    let _ = k2;
    let (_, r) = s.usc_post(&k2_full, &usc_body("USC_CHART_HASH", 9_900_000, 0.9));
    assert_eq!(r["statusCode"], 20, "{r}");
    assert_eq!(r["body"]["isServerRecord"], true);
    assert_eq!(r["body"]["adjacentBelow"][0]["username"], "tester");
    let (_, r) = s.usc_post(&s.key, &usc_body("USC_CHART_HASH", 9_300_000, 0.5));
    assert_eq!(r["body"]["isServerRecord"], false);
    assert_eq!(r["body"]["serverRecord"]["username"], "rival");
    assert_eq!(r["body"]["score"]["ranking"], 2);
    assert_eq!(
        r["body"]["adjacentAbove"],
        json!([]),
        "the record is not repeated above"
    );
    let (_, r) = s.usc_get(Some(&bearer), "/charts/USC_CHART_HASH/record");
    assert_eq!(r["body"]["record"]["username"], "rival");
    assert_eq!(r["body"]["record"]["lamp"], 2, "CLEAR");
    let (_, r) = s.usc_get(
        Some(&bearer),
        "/charts/USC_CHART_HASH/leaderboard?mode=best&n=5",
    );
    assert_eq!(r["statusCode"], 20);
    let names: Vec<&str> = r["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["rival", "tester"]);
    let (_, r) = s.usc_get(
        Some(&bearer),
        "/charts/USC_CHART_HASH/leaderboard?mode=best&n=1",
    );
    assert_eq!(r["body"].as_array().map(Vec::len), Some(1));
    for q in [
        "?mode=best&n=0",
        "?mode=best&n=x",
        "?mode=best",
        "?mode=worst&n=3",
    ] {
        let (_, r) = s.usc_get(
            Some(&bearer),
            &format!("/charts/USC_CHART_HASH/leaderboard{q}"),
        );
        assert_eq!(r["statusCode"], 40, "{q}");
    }
    let (_, r) = s.usc_get(
        Some(&bearer),
        "/charts/USC_CHART_HASH/leaderboard?mode=rivals&n=3",
    );
    assert_eq!(r["description"], "This is currently unsupported.");

    // Replays: the caller's own USC score only, at most 1 MiB; served back.
    let data = std::fs::read(tachi_data().unwrap().join("fixtures/usc/replayfile.urf")).unwrap();
    let (_, r) = s.replay(&s.key, Some(&my_score_id), Some(&data));
    assert_eq!(
        r,
        json!({"statusCode": 20, "description": "Saved replay.", "body": {}})
    );
    let mut got = agent()
        .get(format!("{}/uscir/replays/{my_score_id}", s.base))
        .call()
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    let back = got
        .body_mut()
        .with_config()
        .limit(2 << 20)
        .read_to_vec()
        .unwrap();
    assert_eq!(back, data);
    let (_, r) = s.replay(&k2_full, Some(&my_score_id), Some(b"overwrite"));
    assert_eq!(r["statusCode"], 44, "another player's score");
    let (_, r) = s.replay(&s.key, None, Some(b"x"));
    assert_eq!(r["description"], "No Identifier Provided.");
    let (_, r) = s.replay(&s.key, Some(&my_score_id), None);
    assert_eq!(r["description"], "No File Provided.");
    let big = vec![7u8; 1024 * 1024 + 1];
    let (status, r) = s.replay(&s.key, Some(&my_score_id), Some(&big));
    assert_eq!(status, 400);
    assert_eq!(
        r["description"],
        "File provided was too large, corrupt, or provided in the wrong field."
    );
    let (status, _) = answer(agent().get(format!("{}/uscir/replays/nope", s.base)).call());
    assert_eq!(status, 404);
}

/// Different players at once, as hooks push all day: six users each push
/// kshook scores while three of them send a score on the same unknown
/// beatoraja chart at the same moment. Every request is answered, each
/// user's stored scores are exactly the scoreIDs returned, and the chart is
/// created once (the queue is not raced into two).
#[test]
fn different_players_push_hook_scores_at_once() {
    let Some(s) = start(&[]) else { return };
    let users: Vec<(u64, String)> = (0..6)
        .map(|i| {
            let user = s.host.add_user(&format!("p{i}")).unwrap();
            let key = s
                .host
                .create_api_key(user, &["submit_score".to_owned()])
                .unwrap();
            (user, key)
        })
        .collect();
    let fresh = "c".repeat(64);
    let start_line = std::sync::Barrier::new(users.len());
    let returned: Vec<(u64, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = users
            .iter()
            .enumerate()
            .map(|(i, (user, key))| {
                let (s, fresh, start_line) = (&s, &fresh, &start_line);
                scope.spawn(move || {
                    let mut ids = Vec::new();
                    start_line.wait();
                    if i < 3 {
                        let body =
                            bj_body("LR2oraja", "BEAT_7K", fresh, "KEYBOARD", 600 + i as u64);
                        let (status, r) = s.bj(key, "/ir/beatoraja/submit-score", &body);
                        assert!(status == 200 || status == 202, "{status} {r}");
                        if status == 200 {
                            ids.push(r["body"]["score"]["scoreID"].as_str().unwrap().to_owned());
                        }
                    }
                    for n in 0..8u64 {
                        let mut b = ks_score();
                        b["score"] = json!(9_000_000 + n * 1000 + i as u64);
                        let (status, r) = s.ks_as(key, &b);
                        assert_eq!(status, 200, "{r}");
                        for id in r["body"]["scoreIDs"].as_array().unwrap() {
                            ids.push(id.as_str().unwrap().to_owned());
                        }
                    }
                    (*user, ids)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // A player busy with another import when the chart was made keeps that
    // score as an orphan until their next re-processing: do it now.
    for (_, key) in &users[..3] {
        let (status, _) = s.post(
            "/api/v1/import/orphans",
            &[("Authorization", &format!("Bearer {key}"))],
            &json!({}),
        );
        assert_eq!(status, 200);
    }
    for (user, ids) in &returned {
        let stored = s.host.documents("scores", *user).unwrap();
        let kshook: Vec<&str> = stored
            .iter()
            .filter(|x| x["service"] == "kshook SV6C")
            .map(|x| x["scoreID"].as_str().unwrap())
            .collect();
        assert_eq!(kshook.len(), 8, "user {user}");
        for id in ids {
            assert!(
                stored.iter().any(|x| x["scoreID"] == id.as_str()),
                "user {user}: {id} returned but not stored"
            );
        }
    }
    // One chart was created, and each of the three players has a score on it.
    let r = answer(
        agent()
            .get(format!("{}/ir/beatoraja/charts/{fresh}/scores", s.base))
            .header("Authorization", format!("Bearer {}", users[0].1))
            .header("X-TachiIR-Version", "v2")
            .call(),
    );
    assert_eq!(r.0, 200, "{}", r.1);
    assert_eq!(r.1["body"].as_array().unwrap().len(), 3, "{}", r.1);
    let first = s.host.documents("scores", users[0].0).unwrap();
    let chart = first
        .iter()
        .find(|x| x["service"] == "Beatoraja IR")
        .map(|x| x["chartID"].clone())
        .unwrap();
    for (user, _) in &users[..3] {
        let mine = s.host.documents("scores", *user).unwrap();
        assert!(mine.iter().any(|x| x["chartID"] == chart), "user {user}");
    }
}
