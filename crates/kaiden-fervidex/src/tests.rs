#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_core::{ConverterFailure, ImportType};
use serde_json::{Value, json};

use super::*;

const MODEL: &str = "LDJ:J:B:A:2020092900";

fn input<'a>(bytes: &'a [u8], model: &str) -> ImportInput<'a> {
    ImportInput {
        bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "10".to_owned())]),
        headers: BTreeMap::from([(SOFTWARE_MODEL_HEADER.to_owned(), model.to_owned())]),
    }
}

/// A fervidex score as the hook sends it (SP ANOTHER of entry 1000).
pub(crate) fn base_score() -> Value {
    json!({
        "chart": "spa", "entry_id": 1000, "chart_sha256": "", "custom": false,
        "pgreat": 34, "great": 0, "good": 0, "bad": 0, "poor": 6,
        "fast": 0, "slow": 0, "max_combo": 34, "combo_break": 6, "ex_score": 68,
        "clear_type": 1, "gauge": [100, 50], "ghost": [0, 2, 4],
        "option": {"gauge": "HARD", "range": "SUDDEN_PLUS", "style": "RANDOM"},
        "pacemaker": {"name": "", "score": 0, "type": "PACEMAKER_A"}
    })
}

fn parse_one(body: &Value) -> Result<(Value, FervidexContext), ImportError> {
    let bytes = serde_json::to_vec(body).unwrap();
    let p = Fervidex.parse(ImportType::IR_FERVIDEX, &input(&bytes, MODEL))?;
    let ctx = p.context;
    let records: Vec<Value> = p.records.map(Result::unwrap).collect();
    assert_eq!(records.len(), 1);
    Ok((records.into_iter().next().unwrap(), ctx))
}

fn convert(body: &Value) -> Result<PendingScore, ConverterFailure> {
    let (record, ctx) = parse_one(body).unwrap();
    Fervidex.convert(ImportType::IR_FERVIDEX, &record, &ctx)
}

#[test]
fn software_models_map_to_versions_as_tachi_maps_them() {
    for (model, want) in [
        ("LDJ:J:B:A:2020092900", "27"),
        ("LDJ:J:B:X:2020092900", "27-omni"),
        ("LDJ:J:B:E:2020092900", "27-2dxtra"),
        ("TDJ:J:B:A:2021091500", "28"),
        ("LDJ:J:B:A:2022082400", "29"),
        ("LDJ:J:B:X:2023090500", "30-omni"),
        ("LDJ:J:B:E:2024082600", "31-2dxtra"),
        ("LDJ:J:B:A:2025082500", "32"),
        ("LDJ:J:B:A:2019100700", "26"),
        ("LDJ:J:B:A:2018091900", "25"),
        ("P2D:J:B:A:2020092900", "inf"),
        ("P2D:J:B:Z:1234567890", "inf"),
    ] {
        assert_eq!(software_version(model), Ok(want), "{model}");
    }
    for model in [
        "",
        "LDJ:J:B:A:NONSENSE",
        "LDJ:J:B:Z:2020092900",
        "LDJ:J:B:X:2018091900",
        "LDJ:J:B:E:2022082400",
        "LDJ:J:B:A:2017010100",
        "KFC:J:B:A:2020092900",
        "LDJ:J:B:A",
    ] {
        assert_eq!(
            software_version(model),
            Err(FervidexError::UnsupportedModel(model.to_owned())),
            "{model}"
        );
        assert_eq!(
            software_version(model).unwrap_err().to_string(),
            format!("Unsupported Software Model {model}.")
        );
    }
}

#[test]
fn a_score_converts_as_tachis_converter_test_expects() {
    let p = convert(&base_score()).unwrap();
    let d = &p.dry;
    assert_eq!(d.service, "Fervidex");
    assert_eq!(d.time_achieved, Some(10));
    assert_eq!(d.score_data.number("score"), Some(68.0));
    assert_eq!(d.score_data.string("lamp"), Some("FAILED"));
    let j: Vec<(String, Option<i64>)> = d
        .score_data
        .judgements
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    assert_eq!(
        j,
        [
            ("bad".to_owned(), Some(0)),
            ("good".to_owned(), Some(0)),
            ("great".to_owned(), Some(0)),
            ("pgreat".to_owned(), Some(34)),
            ("poor".to_owned(), Some(6)),
        ]
    );
    let opt = serde_json::to_value(&d.score_data.optional).unwrap();
    assert_eq!(
        opt,
        json!({"fast": 0, "slow": 0, "maxCombo": null, "gaugeHistory": [100, 50],
               "scoreHistory": [0, 2, 4], "gauge": 50, "bp": 6, "comboBreak": 6})
    );
    assert_eq!(
        Value::Object(d.score_meta.clone()),
        json!({"assist": "NO ASSIST", "gauge": "HARD", "random": "RANDOM", "range": "SUDDEN+"})
    );
    assert_eq!(p.query.key, ChartKey::IidxInGameId(1000));
    assert_eq!(p.query.gpt, Gpt::IidxSp);
    assert_eq!(p.query.difficulty.as_deref(), Some("ANOTHER"));
    assert_eq!(p.query.version.as_deref(), Some("27"));
    assert!(!p.highlight);
}

#[test]
fn converter_variants() {
    // DP: random is a pair.
    let mut dp = base_score();
    dp["chart"] = json!("dpa");
    dp["option"]["style_2p"] = json!("R_RANDOM");
    let p = convert(&dp).unwrap();
    assert_eq!(p.dry.score_meta["random"], json!(["RANDOM", "R-RANDOM"]));
    assert_eq!(p.query.gpt, Gpt::IidxDp);
    // A dead player's bp is unknown.
    let mut dead = base_score();
    dead["dead"] = json!({"measure": 5, "note": 10});
    let p = convert(&dead).unwrap();
    assert_eq!(p.dry.score_data.optional["bp"], MetricValue::Null);
    // Gauge values over 200 are unknown points.
    let mut g = base_score();
    g["gauge"] = json!([10, 5, 249, 248]);
    let p = convert(&g).unwrap();
    assert_eq!(
        p.dry.score_data.optional["gaugeHistory"],
        MetricValue::Graph(vec![Some(10.0), Some(5.0), None, None])
    );
    assert_eq!(p.dry.score_data.optional["gauge"], MetricValue::Null);
    // No options: the defaults.
    let mut bare = base_score();
    bare.as_object_mut().unwrap().remove("option");
    bare.as_object_mut().unwrap().remove("ghost");
    let p = convert(&bare).unwrap();
    assert_eq!(
        Value::Object(p.dry.score_meta.clone()),
        json!({"assist": "NO ASSIST", "gauge": "NORMAL", "random": "NONRAN", "range": "NONE"})
    );
    assert!(!p.dry.score_data.optional.contains_key("scoreHistory"));
    // GSM graphs.
    let mut gsm = base_score();
    gsm["2dx-gsm"] = json!({"EASY": [1], "NORMAL": [2], "HARD": [3], "EX_HARD": [4]});
    let p = convert(&gsm).unwrap();
    assert_eq!(
        p.dry.score_data.optional["gsmEXHard"],
        MetricValue::Graph(vec![Some(4.0)])
    );
    // BEGINNER is skipped; Scripted Long's old id is remapped.
    let mut b = base_score();
    b["chart"] = json!("spb");
    assert_eq!(
        convert(&b).unwrap_err(),
        ConverterFailure::Skip("BEGINNER charts are not supported.".to_owned())
    );
    let mut sl = base_score();
    sl["entry_id"] = json!(21201);
    let p = convert(&sl).unwrap();
    assert_eq!(p.query.key, ChartKey::IidxInGameId(12250));
    assert_eq!(p.query.difficulty.as_deref(), Some("LEGGENDARIA"));
    // Customs are found by hash, and need one.
    let mut custom = base_score();
    custom["custom"] = json!(true);
    assert!(matches!(
        convert(&custom).unwrap_err(),
        ConverterFailure::InvalidScore(m) if m == "Score has no chart_sha256 but is a custom?"
    ));
    custom["chart_sha256"] = json!("abc");
    assert_eq!(
        convert(&custom).unwrap().query.key,
        ChartKey::BmsChartHash("abc".to_owned())
    );
    // Highlight requests are passed on.
    let mut h = base_score();
    h["highlight"] = json!(true);
    assert!(convert(&h).unwrap().highlight);
    // Assist and gauge names.
    let mut o = base_score();
    o["option"] = json!({"assist": "ASCR_LEGACY", "gauge": "EX_HARD", "range": "LIFT_SUD_PLUS", "style": "S_RANDOM"});
    let p = convert(&o).unwrap();
    assert_eq!(
        Value::Object(p.dry.score_meta),
        json!({"assist": "FULL ASSIST", "gauge": "EX-HARD", "random": "S-RANDOM", "range": "LIFT SUD+"})
    );
}

#[test]
fn the_schema_rejects_bodies_with_prudences_words() {
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({}),
            "Invalid Fervidex Request?: chart | Expected any of spb, spn, dpn, sph, dph, spa, dpa, spl, dpl. | Received undefined [type: undefined].",
        ),
        (
            {
                let mut s = base_score();
                s["ex_score"] = json!(-1);
                s
            },
            "Invalid Fervidex Request?: ex_score | Expected a positive integer. | Received -1 [type: number].",
        ),
        (
            {
                let mut s = base_score();
                s["clear_type"] = json!(8);
                s
            },
            "Invalid Fervidex Request?: clear_type | Expected an integer between 0 and 7. | Received 8 [type: number].",
        ),
        (
            {
                let mut s = base_score();
                s["gauge"] = json!([1, 256]);
                s
            },
            "Invalid Fervidex Request?: gauge[1] | Expected an integer between 0 and 255. | Received 256 [type: number].",
        ),
        (
            {
                let mut s = base_score();
                s["option"]["style"] = json!("FOO");
                s
            },
            "Invalid Fervidex Request?: option.style | Expected any of RANDOM, R_RANDOM, S_RANDOM, MIRROR. | Received FOO [type: string].",
        ),
        (
            {
                let mut s = base_score();
                s["2dx-gsm"] = json!({"EASY": [], "NORMAL": [], "HARD": []});
                s
            },
            "Invalid Fervidex Request?: [\"2dx-gsm\"].EX_HARD | Value was not an array. | Received undefined [type: undefined].",
        ),
    ];
    for (body, want) in cases {
        let e = parse_one(&body).unwrap_err();
        assert_eq!(e.message(), want);
        assert_eq!(e.http_status(), 400);
        assert!(matches!(
            e.format_error::<FervidexError>(),
            Some(FervidexError::Schema(_))
        ));
    }
    // Excess keys are allowed.
    let mut extra = base_score();
    extra["new_mod"] = json!(1);
    assert!(parse_one(&extra).is_ok());
    // Bad JSON and a bad model are fatal too.
    let e = Fervidex
        .parse(ImportType::IR_FERVIDEX, &input(b"{", MODEL))
        .unwrap_err();
    assert!(matches!(
        e.format_error::<FervidexError>(),
        Some(FervidexError::Json(_))
    ));
    let e = Fervidex
        .parse(
            ImportType::IR_FERVIDEX,
            &input(b"{}", "LDJ:J:B:Z:2020092900"),
        )
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Unsupported Software Model LDJ:J:B:Z:2020092900."
    );
}

/// A profile as fervidex sends it.
pub(crate) fn static_body() -> Value {
    json!({
        "name": "TESTER", "qpro": {},
        "scores": {
            "1001": {"dph": {"clear_type": 3, "ex_score": 15, "miss_count": 1}},
            "1000": {
                "spa": {"clear_type": 4, "ex_score": 1180, "miss_count": 40},
                "spn": {"clear_type": 7, "ex_score": 158, "miss_count": 0}
            }
        },
        "sp_dan": 15, "dp_dan": 7
    })
}

fn parse_static(
    body: &Value,
    import: bool,
) -> Result<(Vec<StaticScore>, Vec<ProvidedClass>), ImportError> {
    let bytes = serde_json::to_vec(body).unwrap();
    let mut i = input(&bytes, MODEL);
    i.fields
        .insert(SHOULD_IMPORT_SCORES.to_owned(), import.to_string());
    let p = FervidexStatic.parse(ImportType::IR_FERVIDEX_STATIC, &i)?;
    assert_eq!(p.context.version, "27");
    let classes = p.classes.get();
    Ok((p.records.map(Result::unwrap).collect(), classes))
}

#[test]
fn a_profile_parses_in_javascripts_key_order_with_its_dans() {
    let (scores, classes) = parse_static(&static_body(), true).unwrap();
    let got: Vec<(i64, &str, i64, i64, Option<i64>)> = scores
        .iter()
        .map(|s| {
            (
                s.song_id,
                s.chart.as_str(),
                s.clear_type,
                s.ex_score,
                s.miss_count,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1000, "spa", 4, 1180, Some(40)),
            (1000, "spn", 7, 158, Some(0)),
            (1001, "dph", 3, 15, Some(1)),
        ]
    );
    let dans: Vec<(Gpt, &str)> = classes
        .iter()
        .map(|c| (c.gpt, c.class_id.as_str()))
        .collect();
    let sp = GptConfig::of(Gpt::IidxSp).class("dan").unwrap().values[15].id;
    let dp = GptConfig::of(Gpt::IidxDp).class("dan").unwrap().values[7].id;
    assert_eq!(dans, [(Gpt::IidxSp, sp), (Gpt::IidxDp, dp)]);
    assert_eq!(sp, "DAN_9");
    // Without the route's go-ahead only the dans are read.
    let (scores, classes) = parse_static(&static_body(), false).unwrap();
    assert!(scores.is_empty());
    assert_eq!(classes.len(), 2);
    // Dans out of range or not integers are ignored.
    let mut odd = static_body();
    odd["sp_dan"] = json!(-1);
    odd["dp_dan"] = json!(100);
    assert!(parse_static(&odd, false).unwrap().1.is_empty());
    odd["sp_dan"] = json!(1.5);
    odd["dp_dan"] = json!("5");
    assert!(parse_static(&odd, false).unwrap().1.is_empty());
}

#[test]
fn a_profile_is_refused_as_tachi_refuses_it() {
    let with = |scores: Value| {
        let mut b = static_body();
        b["scores"] = scores;
        parse_static(&b, true)
            .map(|_| ())
            .unwrap_err()
            .message()
            .to_owned()
    };
    assert_eq!(
        parse_static(&json!({}), true).unwrap_err().message(),
        "Invalid body.scores."
    );
    assert_eq!(
        with(json!({"nonsenseKey": {}})),
        "Invalid songID nonsenseKey. (Not an integer -- nonsenseKey.)"
    );
    assert_eq!(
        with(json!({"-5": {}})),
        "Invalid songID -5. (Was negative -- -5.)"
    );
    assert_eq!(
        with(json!({"1000": null})),
        "Invalid score with songID 1000."
    );
    assert_eq!(
        with(json!({"1000": {"spn": null}})),
        "Invalid score with songID 1000 at chart spn."
    );
    assert_eq!(
        with(json!({"1000": {"spn": "foo"}})),
        "Invalid score with songID 1000 at chart spn."
    );
    assert_eq!(
        with(json!({"1000": {"spx": {"clear_type": 1, "ex_score": 1}}})),
        "Invalid chart spx."
    );
    assert_eq!(
        with(json!({"1000": {"spn": {"clear_type": 1, "ex_score": -1}}})),
        "Invalid Score with songID 1000 at chart spn: ex_score | Expected a positive integer. | Received -1 [type: number]."
    );
    assert_eq!(
        with(json!({"1000": {"spn": {"clear_type": 1, "ex_score": 1, "miss_count": "foo"}}})),
        "Invalid Score with songID 1000 at chart spn: miss_count | The input was invalid, but no error message is available. | Received foo [type: string]."
    );
    assert_eq!(
        with(json!({"1000": {"spn": {"clear_type": -1, "ex_score": 1}}})),
        "Invalid Score with songID 1000 at chart spn: clear_type | Expected an integer between 0 and 7. | Received -1 [type: number]."
    );
    // The score schema is strict.
    assert_eq!(
        with(json!({"1000": {"spn": {"clear_type": 1, "ex_score": 1, "extra": 2}}})),
        "Invalid Score with songID 1000 at chart spn: null | Unexpected properties inside object: extra.."
    );
}

#[test]
fn a_profile_score_converts() {
    let (scores, _) = parse_static(&static_body(), true).unwrap();
    let ctx = FervidexStaticContext {
        version: "27".to_owned(),
    };
    let p = FervidexStatic
        .convert(ImportType::IR_FERVIDEX_STATIC, &scores[0], &ctx)
        .unwrap();
    assert_eq!(p.dry.service, "Fervidex Static");
    assert_eq!(p.dry.time_achieved, None);
    assert_eq!(p.dry.score_data.string("lamp"), Some("CLEAR"));
    assert_eq!(p.dry.score_data.number("score"), Some(1180.0));
    assert!(p.dry.score_data.judgements.is_empty());
    assert_eq!(p.dry.score_data.optional["bp"], MetricValue::Number(40.0));
    assert_eq!(p.query.key, ChartKey::InGameId(1000));
    let unknown = StaticScore {
        miss_count: Some(-1),
        ..scores[1].clone()
    };
    let p = FervidexStatic
        .convert(ImportType::IR_FERVIDEX_STATIC, &unknown, &ctx)
        .unwrap();
    assert_eq!(p.dry.score_data.optional["bp"], MetricValue::Null);
    assert_eq!(
        p.not_found
            .as_ref()
            .map(kaiden_core::NotFound::song_message),
        Some("Could not find chart with songID 1000 (SP NORMAL Version 27)")
    );
}
