#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde_json::json;

use super::*;

fn input(bytes: &[u8]) -> ImportInput<'_> {
    ImportInput {
        bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "10".to_owned())]),
        headers: BTreeMap::new(),
    }
}

/// A kshook score (EXCESSIVE on ADVANCED of music 1).
pub(crate) fn base_score() -> Value {
    json!({
        "clear": "CLEAR_EXCESSIVE", "difficulty": "DIFFICULTY_ADVANCED", "gauge": 71,
        "grade": "GRADE_AA_PLUS", "max_chain": 158, "music_id": 1, "score": 9_579_365,
        "ex_score": 1334, "critical": 1184, "near": 46, "error": 30,
        "rate": "RATE_EXCESSIVE", "track_no": 0, "retry_count": 0
    })
}

fn parse(body: &Value) -> Result<(Vec<Value>, KsHookContext), ImportError> {
    let bytes = serde_json::to_vec(body).unwrap();
    let p = KsHook.parse(ImportType::IR_KSHOOK_SV6C, &input(&bytes))?;
    let ctx = p.context;
    Ok((p.records.map(Result::unwrap).collect(), ctx))
}

#[test]
fn a_score_converts_as_tachis_test_expects() {
    let (records, ctx) = parse(&base_score()).unwrap();
    assert_eq!(ctx.time_received, 10);
    let p = KsHook
        .convert(ImportType::IR_KSHOOK_SV6C, &records[0], &ctx)
        .unwrap();
    let d = &p.dry;
    assert_eq!(d.service, "kshook SV6C");
    assert_eq!(d.time_achieved, Some(10));
    assert_eq!(d.score_data.string("lamp"), Some("EXCESSIVE CLEAR"));
    assert_eq!(d.score_data.number("score"), Some(9_579_365.0));
    assert_eq!(
        serde_json::to_value(&d.score_data.judgements).unwrap(),
        json!({"critical": 1184, "near": 46, "miss": 30})
    );
    assert_eq!(
        serde_json::to_value(&d.score_data.optional).unwrap(),
        json!({"gauge": 0.71, "maxCombo": 158, "exScore": 1334})
    );
    assert_eq!(p.query.key, ChartKey::SdvxInGameId(1));
    assert_eq!(p.query.difficulty.as_deref(), Some("ADV"));
    assert_eq!(p.query.version.as_deref(), Some("konaste"));
    assert_eq!(
        p.not_found
            .as_ref()
            .map(kaiden_core::NotFound::song_message),
        Some("Could not find chart with songID 1 (ADV for Konaste).")
    );
}

#[test]
fn lamps_and_difficulties_map_as_tachi_maps_them() {
    for (clear, want) in [
        ("CLEAR_PLAYED", "FAILED"),
        ("CLEAR_EFFECTIVE", "CLEAR"),
        ("CLEAR_EXCESSIVE", "EXCESSIVE CLEAR"),
        ("CLEAR_ULTIMATE_CHAIN", "ULTIMATE CHAIN"),
        ("CLEAR_PERFECT", "PERFECT ULTIMATE CHAIN"),
        ("CLEAR_MAXXIVE", "MAXXIVE CLEAR"),
    ] {
        assert_eq!(lamp(Some(clear)), Ok(want));
    }
    for (d, want) in [
        ("DIFFICULTY_NOVICE", "NOV"),
        ("DIFFICULTY_ADVANCED", "ADV"),
        ("DIFFICULTY_EXHAUST", "EXH"),
        ("DIFFICULTY_INFINITE", "ANY_INF"),
        ("DIFFICULTY_MAXIMUM", "MXM"),
    ] {
        assert_eq!(difficulty(Some(d)), want);
    }
}

#[test]
fn the_parser_accepts_and_rejects_what_tachis_does() {
    let with = |k: &str, v: Value| {
        let mut s = base_score();
        s[k] = v;
        parse(&s).map(|_| ())
    };
    // Accepted: excess keys and the bounds.
    assert!(with("extra", json!(1)).is_ok());
    for (k, v) in [
        ("gauge", json!(0)),
        ("gauge", json!(10000)),
        ("gauge", json!(55.5)),
        ("score", json!(0)),
        ("score", json!(10_000_000)),
    ] {
        assert!(with(k, v.clone()).is_ok(), "{k} {v}");
    }
    // Refused.
    for (k, v) in [
        ("clear", json!("CLEAR_NONSENSE")),
        ("difficulty", json!("DIFFICULTY_EASY")),
        ("grade", json!("GRADE_SSS")),
        ("rate", json!("RATE_NONE")),
        ("gauge", json!(-1)),
        ("gauge", json!(10001)),
        ("max_chain", json!(-1)),
        ("max_chain", json!(100.5)),
        ("score", json!(-1)),
        ("score", json!(10_000_001)),
        ("track_no", json!(-1)),
        ("track_no", json!(50.5)),
    ] {
        let e = with(k, v.clone()).unwrap_err();
        assert_eq!(e.http_status(), 400, "{k} {v}");
        assert!(
            e.message().starts_with(&format!("Error: {k} | ")),
            "{k} {v}: {}",
            e.message()
        );
    }
    assert_eq!(
        parse(&json!({})).unwrap_err().message(),
        "Error: clear | Expected any of CLEAR_PLAYED, CLEAR_EFFECTIVE, CLEAR_EXCESSIVE, CLEAR_ULTIMATE_CHAIN, CLEAR_MAXXIVE, CLEAR_PERFECT. | Received undefined [type: undefined]."
    );
    assert_eq!(
        with("gauge", json!(-1)).unwrap_err().message(),
        "Error: gauge | Expected a number between 0 and 10000. | Received -1 [type: number]."
    );
}

fn static_score(timestamp: i64) -> Value {
    json!({
        "score": 9_579_365, "ex_score": 1334, "clear": "CLEAR_EXCESSIVE",
        "difficulty": "DIFFICULTY_ADVANCED", "grade": "GRADE_AA_PLUS", "max_chain": 158,
        "music_id": 1, "timestamp": timestamp
    })
}

fn parse_static(body: &Value) -> Result<Vec<Value>, ImportError> {
    let bytes = serde_json::to_vec(body).unwrap();
    let p = KsHookStatic.parse(ImportType::IR_KSHOOK_SV6C_STATIC, &input(&bytes))?;
    Ok(p.records.map(Result::unwrap).collect())
}

#[test]
fn a_static_export_converts_with_its_quirks() {
    let records =
        parse_static(&json!({"scores": [static_score(1000), static_score(2000)]})).unwrap();
    assert_eq!(records.len(), 2);
    let p = KsHookStatic
        .convert(
            ImportType::IR_KSHOOK_SV6C_STATIC,
            &records[0],
            &KsHookStaticContext {},
        )
        .unwrap();
    assert_eq!(p.dry.service, "kshook SV6C Static");
    assert_eq!(p.dry.score_data.string("lamp"), Some("EXCESSIVE CLEAR"));
    assert_eq!(p.dry.time_achieved, Some(1_000_000));
    assert_eq!(p.dry.import_type, ImportType::IR_KSHOOK_SV6C);
    assert!(p.dry.score_data.judgements.is_empty());
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.optional).unwrap(),
        json!({"maxCombo": 158, "exScore": 1334})
    );
    assert_eq!(
        parse_static(&json!({})).unwrap_err().message(),
        "Error: scores | Value was not an array. | Received undefined [type: undefined]."
    );
    assert!(parse_static(&json!({"scores": "no"})).is_err());
    let mut bad = static_score(1);
    bad["timestamp"] = json!(-1);
    assert_eq!(
        parse_static(&json!({"scores": [static_score(1), bad]}))
            .unwrap_err()
            .message(),
        "Error: scores[1].timestamp | Expected a positive integer. | Received -1 [type: number]."
    );
}
