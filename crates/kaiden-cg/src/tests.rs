//! The converters against Tachi's own cases (`api-cg/*/converter.test.ts`,
//! spec §5.4), the envelope, and the configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kaiden_core::Gpt;
use kaiden_core::query::{ChartKey, ChartResolution};
use serde_json::json;

use super::*;

fn convert_as(t: ImportType, item: Value) -> Result<PendingScore, ConverterFailure> {
    let (service, game) = of(t).unwrap();
    convert::convert(t, game, service, &item)
}

fn metric(p: &PendingScore, k: &str) -> Value {
    serde_json::to_value(&p.dry.score_data).unwrap()[k].clone()
}

fn jubeat(clear_flag: i64) -> Value {
    json!({"internalId": 10_000_001, "difficulty": 1, "version": 9, "clearFlag": clear_flag,
           "score": 947_184, "hardMode": false, "perfectCount": 100, "greatCount": 50,
           "goodCount": 25, "poorCount": 0, "missCount": 0, "musicRate": 952,
           "dateTime": "2022-05-01T12:00:00Z"})
}

#[test]
fn jubeat_reads_the_clear_flag_bits_highest_first() {
    let p = convert_as(ImportType::API_CG_DEV_JUBEAT, jubeat(0b0111)).unwrap();
    assert_eq!(p.dry.service, "CG Dev");
    assert_eq!(p.query.key, ChartKey::AnyInGameId(10_000_001));
    assert_eq!(p.query.difficulty.as_deref(), Some("ADV"));
    assert_eq!(p.query.version, None);
    assert_eq!(metric(&p, "lamp"), "FULL COMBO");
    assert_eq!(metric(&p, "musicRate"), 95.2);
    assert_eq!(metric(&p, "judgements")["great"], 50);
    assert_eq!(metric(&p, "optional"), json!({}));
    assert_eq!(p.dry.time_achieved, Some(1_651_406_400_000));
    for (flag, lamp) in [(0b1111, "EXCELLENT"), (0b0011, "CLEAR"), (0b0001, "FAILED")] {
        let p = convert_as(ImportType::API_CG_GAN_JUBEAT, jubeat(flag)).unwrap();
        assert_eq!(metric(&p, "lamp"), lamp, "{flag}");
        assert_eq!(p.dry.service, "CG");
    }
    assert_eq!(
        convert_as(ImportType::API_CG_DEV_JUBEAT, jubeat(0)).unwrap_err(),
        ConverterFailure::InvalidScore("Failed to decode Lamp using bitfield clearFlag.".into())
    );
    let mut hard = jubeat(2);
    hard["hardMode"] = json!(true);
    hard["difficulty"] = json!(2);
    let p = convert_as(ImportType::API_CG_DEV_JUBEAT, hard).unwrap();
    assert_eq!(p.query.difficulty.as_deref(), Some("HARD EXT"));
    let mut bad = jubeat(2);
    bad["version"] = json!(12);
    assert_eq!(
        convert_as(ImportType::API_CG_DEV_JUBEAT, bad).unwrap_err(),
        ConverterFailure::InvalidScore("Unknown Game Version 12.".into())
    );
    let mut bad = jubeat(2);
    bad["difficulty"] = json!(3);
    assert_eq!(
        convert_as(ImportType::API_CG_DEV_JUBEAT, bad).unwrap_err(),
        ConverterFailure::InvalidScore("Invalid difficulty of 3 - Could not convert.".into())
    );
}

#[test]
fn museca_derives_its_lamp_from_score_and_errors() {
    let item = |score: i64, error: i64| {
        json!({"internalId": 1, "difficulty": 0, "version": 2, "score": score, "clearType": 3,
               "scoreGrade": 5, "maxChain": 100, "critical": 50, "near": 10, "error": error,
               "dateTime": "2022-05-01 12:00:00"})
    };
    let p = convert_as(ImportType::API_CG_NAG_MUSECA, item(912_000, 10)).unwrap();
    assert_eq!(p.query.key, ChartKey::InGameId(1));
    assert_eq!(p.query.difficulty.as_deref(), Some("Green"));
    assert_eq!(p.query.version.as_deref(), Some("1.5-b"));
    assert_eq!(metric(&p, "lamp"), "CLEAR");
    assert_eq!(metric(&p, "optional")["maxCombo"], 100);
    assert_eq!(metric(&p, "judgements")["miss"], 10);
    for (score, error, lamp) in [
        (1_000_000, 3, "PERFECT CONNECT ALL"),
        (900_000, 0, "CONNECT ALL"),
        (800_000, 10, "CLEAR"),
        (799_999, 10, "FAILED"),
        (700_000, 10, "FAILED"),
    ] {
        let p = convert_as(ImportType::API_CG_NAG_MUSECA, item(score, error)).unwrap();
        assert_eq!(metric(&p, "lamp"), lamp, "{score} {error}");
    }
    let mut bad = item(900_000, 0);
    bad["version"] = json!(1);
    assert_eq!(
        convert_as(ImportType::API_CG_NAG_MUSECA, bad).unwrap_err(),
        ConverterFailure::InvalidScore("Unknown/Unsupported Game Version 1.".into())
    );
}

fn popn(difficulty: i64, clear_flag: i64, score: i64) -> Value {
    json!({"internalId": 0, "difficulty": difficulty, "version": 25, "clearFlag": clear_flag,
           "score": score, "coolCount": 100, "greatCount": 15, "goodCount": 25, "badCount": 50,
           "dateTime": "2022-05-01T12:00:00Z"})
}

#[test]
fn popn_reads_medals_skips_battle_mode_and_refuses_scores_over_100k() {
    let p = convert_as(ImportType::API_CG_DEV_POPN, popn(0, 5, 87_000)).unwrap();
    assert_eq!(p.query.gpt, Gpt::Popn9B);
    assert_eq!(p.query.difficulty.as_deref(), Some("Easy"));
    assert_eq!(p.query.version.as_deref(), Some("peace"));
    assert_eq!(metric(&p, "clearMedal"), "clearCircle");
    assert_eq!(
        metric(&p, "judgements"),
        json!({"cool": 100, "great": 15, "good": 25, "bad": 50})
    );
    assert!(matches!(
        convert_as(ImportType::API_CG_DEV_POPN, popn(4, 5, 87_000)),
        Err(ConverterFailure::Skip(m)) if m == "Battle Mode scores are not supported!"
    ));
    assert_eq!(
        convert_as(ImportType::API_CG_DEV_POPN, popn(0, 5, 100_001)).unwrap_err(),
        ConverterFailure::InvalidScore("Score is > 100_000 (got 100001)".into())
    );
    // An unknown medal is found out once the chart is: until then, not found
    // is an orphan.
    let p = convert_as(ImportType::API_CG_DEV_POPN, popn(0, 12, 87_000)).unwrap();
    let words = p.not_found.unwrap();
    assert_eq!(
        words.invalid_message(),
        Some("Invalid/unexpected clearMedal of 12.")
    );
    assert_eq!(
        words.message(&ChartResolution::SongNotFound).as_deref(),
        Some("Could not find chart with songID 0 (Easy - Version peace)")
    );
}

#[test]
fn sdvx_maps_clear_types_and_any_inf() {
    let item = |clear: i64, difficulty: i64| {
        json!({"internalId": 1, "difficulty": difficulty, "version": 6, "score": 9_123_000,
               "exScore": 1234, "clearType": clear, "scoreGrade": 7, "maxChain": 200,
               "critical": 900, "near": 20, "error": 3, "dateTime": "2022-05-01T12:00:00Z"})
    };
    let p = convert_as(ImportType::API_CG_DEV_SDVX, item(2, 1)).unwrap();
    assert_eq!(p.query.key, ChartKey::SdvxInGameId(1));
    assert_eq!(p.query.difficulty.as_deref(), Some("ADV"));
    assert_eq!(p.query.version.as_deref(), Some("exceed"));
    assert_eq!(metric(&p, "lamp"), "CLEAR");
    assert_eq!(metric(&p, "optional")["exScore"], 1234);
    for (clear, lamp) in [
        (1, "FAILED"),
        (3, "EXCESSIVE CLEAR"),
        (4, "ULTIMATE CHAIN"),
        (5, "PERFECT ULTIMATE CHAIN"),
        (6, "MAXXIVE CLEAR"),
    ] {
        let p = convert_as(ImportType::API_CG_DEV_SDVX, item(clear, 1)).unwrap();
        assert_eq!(metric(&p, "lamp"), lamp);
    }
    let p = convert_as(ImportType::API_CG_DEV_SDVX, item(2, 3)).unwrap();
    assert_eq!(p.query.difficulty.as_deref(), Some("ANY_INF"));
    let mut zero = item(2, 1);
    zero["exScore"] = json!(0);
    let p = convert_as(ImportType::API_CG_DEV_SDVX, zero).unwrap();
    assert_eq!(metric(&p, "optional")["exScore"], Value::Null);
    let p = convert_as(ImportType::API_CG_DEV_SDVX, item(9, 1)).unwrap();
    assert_eq!(
        p.not_found.unwrap().invalid_message(),
        Some("Invalid lamp of 9 - Could not convert.")
    );
    let mut late = item(2, 1);
    late["dateTime"] = json!("yesterday");
    let p = convert_as(ImportType::API_CG_DEV_SDVX, late).unwrap();
    assert_eq!(
        p.not_found.unwrap().invalid_message(),
        Some("Invalid/Unparsable score timestamp of yesterday.")
    );
}

#[test]
fn the_envelope_is_strict() {
    let ok = json!({"success": true, "data": {"profile": {"id": "1", "name": "n"}, "scores": [1]}});
    assert_eq!(envelope(&ok.to_string()).unwrap(), vec![json!(1)]);
    let refused = json!({"success": false, "message": "Invalid card"});
    let e = envelope(&refused.to_string()).unwrap_err();
    assert_eq!(e.http_status(), 400);
    assert_eq!(
        e.to_string(),
        "Failed to fetch data from CG. Error Message: Invalid card."
    );
    for bad in [
        "not json".to_owned(),
        json!({"success": true, "data": {"profile": {"id": "1", "name": "n"}, "scores": [], "x": 1}}).to_string(),
        json!({"success": true, "data": {"profile": {"id": 1, "name": "n"}, "scores": []}}).to_string(),
        json!({"success": false, "message": "m", "extra": true}).to_string(),
        json!({"success": "yes", "message": "m"}).to_string(),
        json!([]).to_string(),
    ] {
        let e = envelope(&bad).unwrap_err();
        assert_eq!(e.http_status(), 500, "{bad}");
        assert_eq!(
            e.to_string(),
            "Received invalid response from their API. Are they down?"
        );
    }
}

#[test]
fn import_types_name_a_service_and_game_and_config_comes_from_the_environment() {
    assert_eq!(
        of(ImportType::API_CG_GAN_POPN),
        Some((Service::Gan, CgGame::Popn))
    );
    assert_eq!(
        of(ImportType::API_CG_NAG_SDVX),
        Some((Service::Nag, CgGame::Sdvx))
    );
    assert_eq!(of(ImportType::API_FLO_IIDX), None);
    assert_eq!(IMPORT_TYPES.len(), 12);
    let c = CgConfig::from_vars(|n| match n {
        "KAIDEN_CG_DEV_URL" => Some("http://cg.example/api/".into()),
        "KAIDEN_CG_DEV_API_KEY" => Some("secret-key".into()),
        "KAIDEN_CG_GAN_URL" => Some("http://gan.example".into()),
        _ => None,
    });
    assert_eq!(c.dev.as_ref().unwrap().base_url, "http://cg.example/api");
    assert!(c.gan.is_none(), "a service needs its key too");
    assert!(c.any());
    assert!(!format!("{c:?}").contains("secret-key"));
    assert_eq!(Service::parse("cg-dev"), Some(Service::Dev));
    assert_eq!(Service::parse("FLO"), None);
}
