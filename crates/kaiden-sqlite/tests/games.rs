//! Every game+playtype, end to end: a BATCH-MANUAL score on a generated chart is
//! parsed, converted, resolved, hydrated, validated, stored, and gets a session
//! and a PB, on a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use kaiden::core::format::ImportInput;
use kaiden::core::{Gpt, ImportType};
use kaiden::games::config::{Difficulties, GptConfig, MetricKind};
use kaiden::pipeline::{ImportRequest, NoProgress};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::TempDir;
use serde_json::{Map, Value, json};

/// A plausible value of a provided metric for a middling play.
fn metric_value(gpt: Gpt, name: &str, kind: MetricKind) -> Value {
    match kind {
        MetricKind::Enum { values, .. } => {
            // A clear-ish lamp that no score validator ties to a perfect score.
            let pick = match (gpt, name) {
                (Gpt::MusecaSingle | Gpt::JubeatSingle | Gpt::ItgStamina, _) => values[0],
                (
                    Gpt::PmsController
                    | Gpt::PmsKeyboard
                    | Gpt::Bms7K
                    | Gpt::Bms14K
                    | Gpt::IidxSp
                    | Gpt::IidxDp,
                    _,
                ) => "CLEAR",
                (_, "clearMedal") => "clearCircle",
                _ => values.get(1).copied().unwrap_or(values[0]),
            };
            json!(if values.contains(&pick) {
                pick
            } else {
                values[0]
            })
        }
        MetricKind::Integer { min, max } => {
            let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(1000.0));
            json!(((lo + hi) / 2.0).floor())
        }
        // Unbounded decimals are percentages and rates: keep them plausible.
        MetricKind::Decimal { min, max } => {
            let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
            json!(((lo + hi) / 2.0).floor())
        }
        _ => json!([]),
    }
}

fn chart_for(gpt: Gpt, difficulty: &str) -> Value {
    json!({"chartID": format!("chart-{}", gpt.as_str().replace(':', "-")), "songID": 1,
        "level": "10", "levelNum": 10.0, "isPrimary": true, "difficulty": difficulty,
        "playtype": gpt.playtype().as_str(), "versions": [],
        "data": {"notecount": 1000, "maxPercent": 101.0, "maxPlatScore": 2000, "inGameID": 1,
                 "inGameStrID": "1", "hashMD5": format!("md5-{gpt}"), "hashSHA256": format!("sha-{gpt}"),
                 "hashSHA1": format!("sha1-{gpt}"), "hashGSv3": format!("gs-{gpt}"), "isHot": false,
                 "stepCount": 500, "rankedLevel": 10, "chartLevel": 10, "length": 120,
                 "npsPerMeasure": [1.0], "notesPerMeasure": [1.0], "breakdown": {}, "sglEC": 1.0, "sglHC": 1.0}})
}

#[test]
fn every_gpt_imports_a_batch_manual_score_end_to_end() {
    let tmp = TempDir::new("games");
    let host = SqliteHost::open(tmp.join("k.db")).unwrap();
    host.ensure_user(1, "player").unwrap();
    let mut failures = Vec::new();
    for gpt in Gpt::ALL {
        let conf = GptConfig::of(gpt);
        let difficulty = match conf.difficulties {
            Difficulties::Fixed { default, .. } => default,
            Difficulties::Dynamic => "Hard 10",
        };
        let seeds = tmp.join(&format!("seeds-{}", gpt.as_str().replace(':', "-")));
        std::fs::create_dir_all(&seeds).unwrap();
        let game = gpt.game().as_str();
        let song = json!([{"id": 1, "title": format!("Song of {gpt}"), "artist": "tests", "altTitles": [], "searchTerms": [],
            "data": {"genre": "TEST", "displayVersion": "ave", "flareCategory": "GOLD", "ddrSongHash": "hash"}}]);
        // Both playtypes' charts of the game live in one file.
        let charts: Vec<Value> = Gpt::ALL
            .iter()
            .filter(|g| g.game() == gpt.game())
            .map(|g| {
                let d = match GptConfig::of(*g).difficulties {
                    Difficulties::Fixed { default, .. } => default,
                    Difficulties::Dynamic => "Hard 10",
                };
                chart_for(*g, d)
            })
            .collect();
        std::fs::write(seeds.join(format!("songs-{game}.json")), song.to_string()).unwrap();
        std::fs::write(
            seeds.join(format!("charts-{game}.json")),
            Value::Array(charts).to_string(),
        )
        .unwrap();
        host.load_seeds(&seeds).unwrap();

        let mut score = Map::new();
        for m in conf.provided_metrics {
            score.insert(m.name.to_owned(), metric_value(gpt, m.name, m.kind));
        }
        // The GPT's first supported match type, naming the generated chart.
        let match_type = conf.supported_match_types[0];
        let identifier = match match_type.as_str() {
            "bmsChartHash" => format!("md5-{gpt}"),
            "popnChartHash" => format!("sha-{gpt}"),
            "uscChartHash" => format!("sha1-{gpt}"),
            "itgChartHash" => format!("gs-{gpt}"),
            "ddrSongHash" => "hash".to_owned(),
            "songTitle" => format!("Song of {gpt}"),
            _ => "1".to_owned(),
        };
        score.insert("matchType".into(), json!(match_type.as_str()));
        score.insert("identifier".into(), json!(identifier));
        if match_type.needs_difficulty() {
            score.insert("difficulty".into(), json!(difficulty));
        }
        score.insert("timeAchieved".into(), json!(1_700_000_000_000_i64));
        let doc = json!({"meta": {"game": game, "playtype": gpt.playtype().as_str(), "service": "games test"},
            "scores": [Value::Object(score)]});
        let bytes = serde_json::to_vec(&doc).unwrap();
        let request = ImportRequest {
            import_type: ImportType::FILE_BATCH_MANUAL,
            user: 1,
            user_intent: false,
            input: ImportInput {
                bytes: &bytes,
                stream: None,
                filename: None,
                fields: BTreeMap::new(),
                headers: BTreeMap::new(),
            },
            import_id: None,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        match rt.block_on(kaiden::pipeline::import(
            &host,
            &kaiden::registry(),
            request,
            &NoProgress,
        )) {
            Ok(d)
                if d.score_ids.len() == 1
                    && d.errors.is_empty()
                    && d.created_sessions.len() == 1 => {}
            Ok(d) => failures.push(format!(
                "{gpt}: {} scores, errors {:?}",
                d.score_ids.len(),
                d.errors
            )),
            Err(e) => failures.push(format!("{gpt}: fatal {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let pbs = host.documents("pbs", 1).unwrap();
    assert_eq!(pbs.len(), Gpt::ALL.len());
    for pb in &pbs {
        assert!(pb["scoreData"]["enumIndexes"].is_object(), "{pb}");
    }
    // The host's cut-down read of PBs for profile ratings is the whole
    // documents' fields, value for value, on every GPT (read, not kept from
    // the imports: `ratings_cache.rs` tests those).
    host.forget_cached_ratings();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        use kaiden::core::host::{Host, ImportTransaction, PbRatings, PbStore};
        let mut tx = host.begin_import(1).await.unwrap();
        let mut rated = 0;
        for gpt in Gpt::ALL {
            let whole: Vec<PbRatings> = tx
                .pbs_of(1, gpt)
                .await
                .unwrap()
                .into_iter()
                .map(PbRatings::from)
                .collect();
            assert_eq!(whole.len(), 1, "{gpt}");
            rated += whole[0]
                .calculated_data
                .iter()
                .filter_map(|(_, v)| v)
                .count();
            assert_eq!(*tx.pb_ratings_of(1, gpt).await.unwrap(), whole, "{gpt}");
        }
        assert!(rated >= Gpt::ALL.len(), "ratings to compare: {rated}");
        tx.rollback().await.unwrap();
    });

    // Export round trip: every GPT's scores, exported as BATCH-MANUAL and
    // imported for the same user into a fresh database with the same seeds,
    // come back with the same scoreIDs and score data.
    let export = rt
        .block_on(kaiden::batch_manual::export::export(&host, 1, None))
        .unwrap();
    assert!(export.unexported.is_empty(), "{:?}", export.unexported);
    assert_eq!(export.documents.len(), Gpt::ALL.len());
    let fresh = SqliteHost::open(tmp.join("fresh.db")).unwrap();
    fresh.ensure_user(1, "player").unwrap();
    for gpt in Gpt::ALL {
        fresh
            .load_seeds(tmp.join(&format!("seeds-{}", gpt.as_str().replace(':', "-"))))
            .unwrap();
    }
    for d in &export.documents {
        let bytes = serde_json::to_vec(&d.document).unwrap();
        let request = ImportRequest {
            import_type: ImportType::FILE_BATCH_MANUAL,
            user: 1,
            user_intent: false,
            input: ImportInput {
                bytes: &bytes,
                ..ImportInput::default()
            },
            import_id: None,
        };
        let doc = rt
            .block_on(kaiden::pipeline::import(
                &fresh,
                &kaiden::registry(),
                request,
                &NoProgress,
            ))
            .unwrap();
        assert!(doc.errors.is_empty(), "{}: {:?}", d.gpt, doc.errors);
        assert_eq!(doc.score_ids.len(), d.len(), "{}", d.gpt);
    }
    let by_id = |h: &SqliteHost| {
        let mut v: Vec<(String, Value)> = h
            .documents("scores", 1)
            .unwrap()
            .into_iter()
            .map(|d| {
                (
                    d["scoreID"].as_str().unwrap().to_owned(),
                    d["scoreData"].clone(),
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(by_id(&fresh), by_id(&host));
}
