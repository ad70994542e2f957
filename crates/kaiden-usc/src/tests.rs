#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde_json::json;

use super::*;

/// A USC submission.
pub(crate) fn body() -> Value {
    json!({
        "chart": {"chartHash": "5".repeat(40), "artist": "a", "title": "t", "level": 10,
                  "difficulty": 2, "effector": "e", "illustrator": "i", "bpm": "180"},
        "score": {
            "score": 9_000_000, "gauge": 0.5, "timestamp": 1, "crit": 100, "near": 50, "error": 5,
            "options": {"gaugeType": 0, "mirror": true, "random": false, "autoFlags": 0},
            "windows": {"perfect": 46, "good": 150, "hold": 150, "miss": 300, "slam": 84}
        }
    })
}

fn parse(b: &Value, playtype: &str) -> Result<(Value, UscContext), ImportError> {
    let bytes = serde_json::to_vec(b).unwrap();
    let input = ImportInput {
        bytes: &bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([
            (TIME_RECEIVED.to_owned(), "10".to_owned()),
            (PLAYTYPE.to_owned(), playtype.to_owned()),
        ]),
        headers: BTreeMap::new(),
    };
    let p = Usc.parse(ImportType::IR_USC, &input)?;
    let ctx = p.context;
    Ok((p.records.map(Result::unwrap).next().unwrap(), ctx))
}

fn convert(b: &Value) -> Result<PendingScore, ConverterFailure> {
    let (r, ctx) = parse(b, "Controller").unwrap();
    Usc.convert(ImportType::IR_USC, &r, &ctx)
}

fn lamp(
    score: u64,
    error: u64,
    gauge_type: u64,
    gauge: f64,
) -> Result<&'static str, ConverterFailure> {
    derive_lamp(
        &json!({"score": score, "error": error, "gauge": gauge, "options": {"gaugeType": gauge_type}}),
    )
}

#[test]
fn lamps_are_derived_as_tachis_tests_expect() {
    assert_eq!(lamp(9_000_000, 5, 1, 0.8), Ok("EXCESSIVE CLEAR"));
    assert_eq!(lamp(9_000_000, 5, 0, 0.5), Ok("FAILED"));
    assert_eq!(lamp(9_000_000, 5, 0, 0.7), Ok("CLEAR"));
    assert_eq!(lamp(9_000_000, 5, 2, 1.0), Ok("FAILED"));
    assert_eq!(lamp(9_000_000, 5, 2, 0.0), Ok("FAILED"));
    assert_eq!(lamp(10_000_000, 5, 2, 0.0), Ok("PERFECT ULTIMATE CHAIN"));
    assert_eq!(lamp(9_000_000, 0, 2, 0.0), Ok("ULTIMATE CHAIN"));
    assert_eq!(lamp(9_000_000, 5, 1, 0.1), Ok("EXCESSIVE CLEAR"));
    assert_eq!(lamp(9_000_000, 5, 1, 0.0), Ok("FAILED"));
    assert_eq!(lamp(10_000_000, 0, 0, 0.0), Ok("PERFECT ULTIMATE CHAIN"));
    assert_eq!(lamp(9_000_000, 0, 0, 0.15), Ok("ULTIMATE CHAIN"));
    assert!(lamp(9_000_000, 5, 3, 0.5).is_err());
    let m = |mirror: bool, random: bool| {
        derive_note_mod(&json!({"options": {"mirror": mirror, "random": random}}))
    };
    assert_eq!(
        (
            m(true, false),
            m(true, true),
            m(false, false),
            m(false, true)
        ),
        ("MIRROR", "MIR-RAN", "NORMAL", "RANDOM")
    );
}

#[test]
fn a_score_converts_as_tachi_converts_it() {
    let p = convert(&body()).unwrap();
    assert_eq!(p.dry.service, "USC-IR");
    assert_eq!(p.dry.time_achieved, Some(10));
    assert_eq!(p.dry.score_data.string("lamp"), Some("FAILED"));
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.judgements).unwrap(),
        json!({"critical": 100, "near": 50, "miss": 5})
    );
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.optional).unwrap(),
        json!({"gauge": 0.5, "fast": null, "slow": null, "maxCombo": null})
    );
    assert_eq!(
        Value::Object(p.dry.score_meta.clone()),
        json!({"gaugeMod": "NORMAL", "noteMod": "MIRROR"})
    );
    assert_eq!(p.query.gpt, Gpt::UscController);
    assert_eq!(p.query.key, ChartKey::UscChartHash("5".repeat(40)));
    assert_eq!(
        p.not_found,
        Some(format!("Chart {} is not on the IR.", "5".repeat(40)).into())
    );
    for (k, v) in [
        ("perfect", 45),
        ("good", 151),
        ("hold", 149),
        ("miss", 301),
        ("slam", 85),
    ] {
        let mut b = body();
        b["score"]["windows"][k] = json!(v);
        assert_eq!(
            convert(&b).unwrap_err(),
            ConverterFailure::InvalidScore(
                "HitWindows have been modified - Score is invalid.".to_owned()
            ),
            "{k}"
        );
    }
    let mut auto = body();
    auto["score"]["options"]["autoFlags"] = json!(1);
    assert_eq!(
        convert(&auto).unwrap_err(),
        ConverterFailure::InvalidScore("Autoplay was enabled - Score is invalid.".to_owned())
    );
    let (_, ctx) = parse(&body(), "Keyboard").unwrap();
    assert_eq!(ctx.playtype, "Keyboard");
}

#[test]
fn bodies_are_refused_with_tachis_words() {
    let msg = |b: &Value| parse(b, "Controller").unwrap_err().message().to_owned();
    let mut b = body();
    b["score"]["gauge"] = json!(2);
    assert_eq!(
        msg(&b),
        "Invalid USC Score.: gauge | Expected a number between 0 and 1. | Received 2 [type: number]."
    );
    let mut b = body();
    b["chart"]["level"] = json!(21);
    assert_eq!(
        msg(&b),
        "Invalid chart.: level | Expected an integer between 1 and 20. | Received 21 [type: number]."
    );
    assert_eq!(
        parse(&body(), "Pad").unwrap_err().message(),
        "Invalid playtype. Expected Keyboard or Controller."
    );
}
