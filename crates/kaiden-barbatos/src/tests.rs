#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde_json::json;

use super::*;

/// An SDVX 5 Barbatos score (CLEAR on ADV of song 1).
pub(crate) fn vivid() -> Value {
    json!({
        "difficulty": 1, "level": 10, "song_id": 1, "max_chain": 100, "critical": 100,
        "near_total": 50, "near_fast": 40, "near_slow": 10, "score": 9_000_000, "error": 5,
        "percent": 90, "did_fail": false, "clear_type": 2, "gauge_type": 0,
        "is_skill_analyzer": false
    })
}

/// An SDVX 6 Barbatos score.
pub(crate) fn exceed() -> Value {
    json!({
        "difficulty": 1, "level": 10, "score": 9_000_000, "ex_score": 1234, "clear_type": 2,
        "song_id": 1, "grade": 5, "percent": 90, "max_chain": 100,
        "early_error": 8, "early_near": 6, "early_crit": 10, "s_crit": 11, "late_crit": 5,
        "late_near": 9, "late_error": 9, "chip_s_crit": 1, "chip_crit": 1, "chip_near": 2,
        "chip_error": 1, "long_crit": 1, "long_error": 1, "vol_crit": 1, "vol_error": 1,
        "gauge_type": 0
    })
}

fn convert(body: &Value) -> Result<PendingScore, ImportError> {
    let bytes = serde_json::to_vec(body).unwrap();
    let input = ImportInput {
        bytes: &bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "10".to_owned())]),
        headers: BTreeMap::new(),
    };
    let p = Barbatos.parse(ImportType::IR_BARBATOS, &input)?;
    let ctx = p.context;
    let record = p.records.map(Result::unwrap).next().unwrap();
    Ok(Barbatos
        .convert(ImportType::IR_BARBATOS, &record, &ctx)
        .unwrap())
}

#[test]
fn sdvx5_and_sdvx6_scores_convert_as_tachis_tests_expect() {
    let p = convert(&vivid()).unwrap();
    assert_eq!(p.dry.service, "Barbatos (vivid)");
    assert_eq!(p.dry.time_achieved, Some(10));
    assert_eq!(p.dry.score_data.string("lamp"), Some("CLEAR"));
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.judgements).unwrap(),
        json!({"critical": 100, "near": 50, "miss": 5})
    );
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.optional).unwrap(),
        json!({"fast": 40, "slow": 10, "gauge": 90, "maxCombo": 100, "exScore": null})
    );
    assert_eq!(p.dry.score_meta["inSkillAnalyser"], json!(false));
    assert_eq!(p.query.key, ChartKey::SdvxInGameId(1));
    assert_eq!(p.query.difficulty.as_deref(), Some("ADV"));
    assert_eq!(p.query.version.as_deref(), Some("vivid"));

    let p = convert(&exceed()).unwrap();
    assert_eq!(p.dry.service, "Barbatos (exceed)");
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.judgements).unwrap(),
        json!({"critical": 26, "near": 2, "miss": 17})
    );
    assert_eq!(
        serde_json::to_value(&p.dry.score_data.optional).unwrap(),
        json!({"fast": 6, "slow": 9, "gauge": 90, "maxCombo": 100, "exScore": 1234})
    );
    assert_eq!(p.dry.score_meta["inSkillAnalyser"], Value::Null);
    assert_eq!(p.query.version.as_deref(), Some("exceed"));
    let mut inf = vivid();
    inf["difficulty"] = json!(3);
    assert_eq!(
        convert(&inf).unwrap().query.difficulty.as_deref(),
        Some("ANY_INF")
    );
}

#[test]
fn the_schemas_are_strict() {
    assert_eq!(
        convert(&json!({})).unwrap_err().message(),
        "Invalid Barbatos Request: difficulty | Expected any of 0, 1, 2, 3, 4. | Received undefined [type: undefined]."
    );
    let mut extra = vivid();
    extra["foo"] = json!(1);
    assert_eq!(
        convert(&extra).unwrap_err().message(),
        "Invalid Barbatos Request: null | Unexpected properties inside object: foo.."
    );
    let mut bad = vivid();
    bad["percent"] = json!(101);
    assert_eq!(
        convert(&bad).unwrap_err().message(),
        "Invalid Barbatos Request: percent | Expected a number between 0 and 100. | Received 101 [type: number]."
    );
    // An SDVX 5 key in an SDVX 6 body is an excess key.
    let mut mixed = exceed();
    mixed["critical"] = json!(1);
    assert!(convert(&mixed).is_err());
    let mut neg = exceed();
    neg["ex_score"] = json!(-5);
    assert!(convert(&neg).is_ok(), "SDVX 6 counts are any integer");
    neg["ex_score"] = json!(1.5);
    assert_eq!(
        convert(&neg).unwrap_err().message(),
        "Invalid Barbatos Request: ex_score | Expected an integer. | Received 1.5 [type: number]."
    );
}
