#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde_json::json;

use super::*;

fn graph_of(v: i64) -> Value {
    Value::from(vec![v; 1000])
}

/// An LR2Hook score (HARD on a 2256-note 7K chart).
pub(crate) fn base_score() -> Value {
    json!({
        "md5": "38616b85332037cc12924f2ae2840262",
        "playerData": {"autoScr": 0, "gameMode": "7K", "random": "RAN", "gauge": "GROOVE", "rseed": 1},
        "scoreData": {
            "pgreat": 1100, "great": 900, "good": 200, "bad": 50, "poor": 6,
            "maxCombo": 500, "exScore": 2500, "moneyScore": 100_000,
            "notesTotal": 2256, "notesPlayed": 2256, "lamp": "HARD",
            "hpGraph": graph_of(80)
        }
    })
}

fn parse(body: &Value) -> Result<(Value, Lr2HookContext), ImportError> {
    let bytes = serde_json::to_vec(body).unwrap();
    let input = ImportInput {
        bytes: &bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "10000".to_owned())]),
        headers: BTreeMap::new(),
    };
    let p = Lr2Hook.parse(ImportType::IR_LR2HOOK, &input)?;
    let ctx = p.context;
    Ok((p.records.map(Result::unwrap).next().unwrap(), ctx))
}

fn convert(body: &Value) -> PendingScore {
    let (r, ctx) = parse(body).unwrap();
    Lr2Hook.convert(ImportType::IR_LR2HOOK, &r, &ctx).unwrap()
}

fn opt(p: &PendingScore, k: &str) -> Option<MetricValue> {
    p.dry.score_data.optional.get(k).cloned()
}

#[test]
fn a_score_converts_as_tachis_tests_expect() {
    let p = convert(&base_score());
    assert_eq!(p.dry.service, "LR2Hook");
    assert_eq!(p.dry.time_achieved, Some(10000));
    assert_eq!(p.dry.score_data.string("lamp"), Some("HARD CLEAR"));
    assert_eq!(p.dry.score_data.number("score"), Some(2500.0));
    assert_eq!(opt(&p, "bp"), Some(MetricValue::Number(56.0)));
    assert_eq!(opt(&p, "gauge"), Some(MetricValue::Number(80.0)));
    assert_eq!(opt(&p, "epg"), None);
    assert_eq!(opt(&p, "fast"), None);
    assert_eq!(p.dry.score_meta["client"], json!("LR2"));
    assert_eq!(p.dry.score_meta["gauge"], json!("NORMAL"));
    assert_eq!(
        p.query.key,
        ChartKey::AnyPlaytypeHash("38616b85332037cc12924f2ae2840262".to_owned())
    );
    assert_eq!(
        p.not_found
            .as_ref()
            .map(kaiden_core::NotFound::song_message),
        Some("Could not find chart with md5 38616b85332037cc12924f2ae2840262.")
    );
    // Extended judgements and graphs, and the player's own timestamp.
    let mut ext = base_score();
    let keys = [
        "epg", "lpg", "egr", "lgr", "egd", "lgd", "ebd", "lbd", "epr", "lpr", "cb", "fast", "slow",
    ];
    let mut e = Map::new();
    for (i, k) in keys.iter().enumerate() {
        e.insert((*k).to_owned(), json!(i + 1));
    }
    e.insert("notesPlayed".into(), json!(2256));
    ext["scoreData"]["extendedJudgements"] = Value::Object(e);
    ext["scoreData"]["extendedHpGraphs"] = json!({
        "groove": graph_of(1), "hard": graph_of(2), "hazard": graph_of(3),
        "easy": graph_of(4), "pattack": graph_of(5), "gattack": graph_of(6)
    });
    ext["unixTimestamp"] = json!(8);
    let p = convert(&ext);
    assert_eq!(p.dry.time_achieved, Some(8000));
    assert_eq!(opt(&p, "bp"), Some(MetricValue::Number(56.0)));
    assert_eq!(opt(&p, "epg"), Some(MetricValue::Number(1.0)));
    assert_eq!(opt(&p, "lpr"), Some(MetricValue::Number(10.0)));
    assert_eq!(opt(&p, "fast"), Some(MetricValue::Number(12.0)));
    assert_eq!(opt(&p, "slow"), Some(MetricValue::Number(13.0)));
    assert_eq!(opt(&p, "cb"), None, "cb is not a metric");
    assert_eq!(
        opt(&p, "gaugeHistoryGroove"),
        Some(MetricValue::Graph(vec![Some(1.0); 1000]))
    );
    assert_eq!(
        opt(&p, "gaugeHistoryHard"),
        Some(MetricValue::Graph(vec![Some(2.0); 1000]))
    );
    assert_eq!(
        opt(&p, "gaugeHistoryEasy"),
        Some(MetricValue::Graph(vec![Some(4.0); 1000]))
    );
    // bp: unknown when the player quit without extended judgements; counted
    // from them when sent.
    let mut quit = base_score();
    quit["scoreData"]["notesPlayed"] = json!(2255);
    assert_eq!(opt(&convert(&quit), "bp"), Some(MetricValue::Null));
    let mut quit_ext = ext.clone();
    quit_ext["scoreData"]["extendedJudgements"]["notesPlayed"] = json!(2255);
    assert_eq!(
        opt(&convert(&quit_ext), "bp"),
        Some(MetricValue::Number(57.0))
    );
}

#[test]
fn the_random_is_kept_for_7k_charts_only() {
    let mut p = convert(&base_score());
    let chart = |pt: &str| -> ChartDocument {
        serde_json::from_value(json!({
            "chartID": "c", "songID": 1, "level": "?", "levelNum": 0, "isPrimary": true,
            "difficulty": "CHART", "playtype": pt, "data": {}, "versions": []
        }))
        .unwrap()
    };
    let song: SongDocument = serde_json::from_value(json!({
        "id": 1, "title": "t", "artist": "a", "altTitles": [], "searchTerms": [], "data": {}
    }))
    .unwrap();
    let mut p14 = p.clone();
    Lr2Hook
        .check_with_chart(&mut p.dry, &chart("7K"), &song)
        .unwrap();
    assert_eq!(p.dry.score_meta["random"], json!("RANDOM"));
    Lr2Hook
        .check_with_chart(&mut p14.dry, &chart("14K"), &song)
        .unwrap();
    assert_eq!(p14.dry.score_meta["random"], Value::Null);
}

#[test]
fn the_parser_rejects_what_tachis_rejects() {
    let err = |body: &Value| parse(body).unwrap_err().message().to_owned();
    let mut auto = base_score();
    auto["playerData"]["autoScr"] = json!(true);
    assert_eq!(
        err(&auto),
        "Error: playerData.autoScr | Auto Scratch cannot be turned on, as it is treated as an EASY CLEAR by LR2. | Received true [type: boolean]."
    );
    for r in ["H-RAN", "ALLSCR"] {
        let mut b = base_score();
        b["playerData"]["random"] = json!(r);
        assert!(err(&b).contains("Note that ALLSCR and H-RAN are not supported!"));
    }
    assert!(parse(&json!({})).is_err());
    for (path, v) in [
        ("rseed", json!("1")),
        ("rseed", json!(1.5)),
        ("unixTimestamp", json!("1")),
        ("unixTimestamp", json!(1.5)),
    ] {
        let mut b = base_score();
        if path == "rseed" {
            b["playerData"][path] = v;
        } else {
            b[path] = v;
        }
        assert!(parse(&b).is_err(), "{path}");
    }
    for k in [
        "pgreat",
        "great",
        "good",
        "bad",
        "poor",
        "maxCombo",
        "exScore",
        "moneyScore",
        "notesTotal",
        "notesPlayed",
    ] {
        for v in [json!(-1), json!(0.5), json!("0"), Value::Null] {
            let mut b = base_score();
            b["scoreData"][k] = v.clone();
            assert!(
                err(&b).starts_with(&format!(
                    "Error: scoreData.{k} | Expected a positive integer."
                )),
                "{k} {v}"
            );
        }
    }
    for v in [json!("NONSENSE"), Value::Null] {
        let mut b = base_score();
        b["scoreData"]["lamp"] = v;
        assert!(parse(&b).is_err());
    }
    let mut b = base_score();
    b["scoreData"].as_object_mut().unwrap().remove("lamp");
    assert!(parse(&b).is_err());
    for (g, want) in [
        (
            Value::from(vec![50; 999]),
            "Expected an array with length 1000.",
        ),
        (
            Value::from(Vec::<i64>::new()),
            "Expected an array with length 1000.",
        ),
        (
            Value::from(vec![50; 1001]),
            "Expected an array with length 1000.",
        ),
        (
            Value::from(vec![101; 1000]),
            "Expected an array of 1000 integers between 0 and 100.",
        ),
        (
            Value::from(vec![-1; 1000]),
            "Expected an array of 1000 integers between 0 and 100.",
        ),
    ] {
        let mut b = base_score();
        b["scoreData"]["hpGraph"] = g;
        // prudence's message ends with a period, and FormatPrError adds one.
        assert_eq!(err(&b), format!("Error: scoreData.hpGraph | {want}."));
    }
    let mut b = base_score();
    b["scoreData"]["extendedHpGraphs"] = json!({
        "groove": [], "hard": graph_of(2), "hazard": graph_of(3),
        "easy": graph_of(4), "pattack": graph_of(5), "gattack": graph_of(6)
    });
    assert_eq!(
        err(&b),
        "Error: scoreData.extendedHpGraphs.groove | Expected an array with length 1000.."
    );
    // Excess keys are allowed at every level.
    let mut b = base_score();
    b["extra"] = json!(1);
    b["playerData"]["extra"] = json!(1);
    b["scoreData"]["extra"] = json!(1);
    assert!(parse(&b).is_ok());
}

#[test]
fn the_course_check_is_strict_and_reads_the_notes() {
    let mut course = base_score();
    course["md5"] = json!("a".repeat(128));
    let c = check_course(&course).unwrap();
    assert_eq!((c.notes_played, c.notes_total), (2256, 2256));
    assert_eq!(c.md5.len(), 128);
    course["extra"] = json!(1);
    assert_eq!(
        check_course(&course).unwrap_err().middleware_format(),
        "[null] Unexpected properties inside object: extra."
    );
    let mut auto = base_score();
    auto["playerData"]["autoScr"] = json!(1);
    assert_eq!(
        check_course(&auto).unwrap_err().middleware_format(),
        "[playerData.autoScr] Invalid Input, but no error message is available. (Received 1)"
    );
}
