#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use super::*;

/// A beatoraja submission of a BMS 7K chart.
pub(crate) fn body(client: &str, mode: &str) -> Value {
    json!({
        "client": client,
        "score": {
            "sha256": "195fe1be5c3e74fccd04dc426e05f8a9cfa8a1059c339d0a23e99f63661f0b7d",
            "exscore": 1004, "passnotes": 2256, "gauge": 85.5, "deviceType": "KEYBOARD",
            "minbp": 40, "option": 2, "lntype": 0, "clear": "Hard", "assist": 0,
            "maxcombo": 300, "epg": 300, "egr": 200, "egd": 10, "ebd": 5, "epr": 3,
            "lpg": 200, "lgr": 104, "lgd": 11, "lbd": 6, "lpr": 4, "ems": 1, "lms": 2
        },
        "chart": {
            "md5": "38616b85332037cc12924f2ae2840262",
            "sha256": "195fe1be5c3e74fccd04dc426e05f8a9cfa8a1059c339d0a23e99f63661f0b7d",
            "title": "Song", "subtitle": "[ANOTHER]", "genre": "G", "artist": "Art",
            "subartist": "obj", "total": 300, "lntype": 0, "mode": mode, "judge": 100,
            "notes": 2256, "hasUndefinedLN": false, "hasRandom": false
        }
    })
}

fn parse(b: &Value) -> Result<(Value, BeatorajaContext, Game), ImportError> {
    let bytes = serde_json::to_vec(b).unwrap();
    let input = ImportInput {
        bytes: &bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "10".to_owned())]),
        headers: BTreeMap::new(),
    };
    let p = Beatoraja::default().parse(ImportType::IR_BEATORAJA, &input)?;
    let (game, ctx) = (p.game, p.context);
    Ok((p.records.map(Result::unwrap).next().unwrap(), ctx, game))
}

fn convert(b: &Value) -> Result<PendingScore, ConverterFailure> {
    let (r, ctx, _) = parse(b).unwrap();
    Beatoraja::default().convert(ImportType::IR_BEATORAJA, &r, &ctx)
}

#[test]
fn a_bms_score_converts_as_tachi_converts_it() {
    let (_, ctx, game) = parse(&body("LR2oraja 0.8.0", "BEAT_7K")).unwrap();
    assert_eq!((game, ctx.client.as_str()), (Game::Bms, "lr2oraja"));
    let p = convert(&body("LR2oraja 0.8.0", "BEAT_7K")).unwrap();
    let d = &p.dry;
    assert_eq!(d.service, "Beatoraja IR");
    assert_eq!(d.time_achieved, Some(10));
    assert_eq!(d.score_data.number("score"), Some(1004.0));
    assert_eq!(d.score_data.string("lamp"), Some("HARD CLEAR"));
    assert_eq!(
        serde_json::to_value(&d.score_data.judgements).unwrap(),
        json!({"pgreat": 500, "great": 304, "good": 21, "bad": 11, "poor": 10})
    );
    let opt = serde_json::to_value(&d.score_data.optional).unwrap();
    assert_eq!(opt["bp"], 40);
    assert_eq!(opt["gauge"], 85.5);
    assert_eq!(
        (opt["epr"].clone(), opt["lpr"].clone()),
        (json!(4), json!(6))
    );
    assert_eq!(
        (opt["fast"].clone(), opt["slow"].clone()),
        (json!(209), json!(116))
    );
    assert_eq!(
        Value::Object(d.score_meta.clone()),
        json!({"client": "lr2oraja", "inputDevice": "KEYBOARD", "random": "RANDOM"})
    );
    assert_eq!(
        p.query.key,
        ChartKey::AnyPlaytypeHash(
            "195fe1be5c3e74fccd04dc426e05f8a9cfa8a1059c339d0a23e99f63661f0b7d".to_owned()
        )
    );
    assert_eq!(
        p.not_found
            .as_ref()
            .map(kaiden_core::NotFound::song_message),
        Some("This chart (Art - Song) is orphaned.")
    );
}

#[test]
fn pms_scores_pick_the_playtype_from_the_device() {
    let mut b = body("beatoraja 0.8.0", "POPN_9K");
    b["score"]["deviceType"] = json!("BM_CONTROLLER");
    let p = convert(&b).unwrap();
    assert_eq!(p.query.gpt, Gpt::PmsController);
    assert!(p.dry.score_data.judgements.contains_key("cool"));
    assert_eq!(p.dry.game, Game::Pms);
    b["score"]["deviceType"] = json!("KEYBOARD");
    assert_eq!(convert(&b).unwrap().query.gpt, Gpt::PmsKeyboard);
    b["score"]["deviceType"] = json!("MIDI");
    assert_eq!(
        convert(&b).unwrap_err(),
        ConverterFailure::InvalidScore("MIDI is not allowed for PMS scores.".to_owned())
    );
}

#[test]
fn clients_charts_and_scores_are_refused_as_tachi_refuses_them() {
    let msg = |b: &Value| parse(b).unwrap_err().message().to_owned();
    assert_eq!(
        msg(&body("beatoraja 0.8.0", "BEAT_7K")),
        "Unsupported client beatoraja 0.8.0 -- Expected a variant of LR2oraja."
    );
    assert_eq!(
        msg(&body("LR2oraja 0.8.0", "POPN_9K")),
        "Unsupported client LR2oraja 0.8.0 -- Expected a variant of beatoraja."
    );
    let mut no_client = body("x", "BEAT_7K");
    no_client.as_object_mut().unwrap().remove("client");
    assert_eq!(
        msg(&no_client),
        "Unsupported client undefined -- Expected a variant of LR2oraja."
    );
    let mut b = body("LR2oraja", "BEAT_7K");
    b["score"]["exscore"] = json!(-1);
    assert_eq!(
        msg(&b),
        "Invalid Beatoraja Import - Score: exscore | Expected a positive integer. | Received -1 [type: number]."
    );
    let mut b = body("LR2oraja", "BEAT_7K");
    b["chart"]["title"] = Value::Null;
    assert_eq!(
        msg(&b),
        "Invalid Beatoraja Import - Chart: title | Expected string. | Received null [type: null]."
    );
    let mut b = body("LR2oraja", "BEAT_7K");
    b["score"]["sha256"] = json!("ABC");
    assert_eq!(
        msg(&b),
        "Invalid Beatoraja Import - Score: sha256 | Expected string to match /^[0-9a-f]{64}$/u | Received ABC [type: string]."
    );
    let mut b = body("LR2oraja", "BEAT_7K");
    b["score"]["assist"] = json!(1);
    assert!(msg(&b).starts_with("Invalid Beatoraja Import - Score: assist |"));
    let mut b = body("LR2oraja", "BEAT_7K");
    b.as_object_mut().unwrap().remove("score");
    assert_eq!(
        msg(&b),
        "Invalid Beatoraja Import - Score: null | Non-object provided for validation. | Received undefined [type: undefined]."
    );
    // CN/HCN and #RANDOM charts are invalid scores (per record, not fatal).
    let mut cn = body("LR2oraja", "BEAT_7K");
    cn["chart"]["lntype"] = json!(1);
    assert_eq!(
        convert(&cn).unwrap_err(),
        ConverterFailure::InvalidScore("CN or HCN mode is not supported by this IR.".to_owned())
    );
    let mut r = body("LR2oraja", "BEAT_7K");
    r["chart"]["hasRandom"] = json!(true);
    assert!(matches!(
        convert(&r).unwrap_err(),
        ConverterFailure::InvalidScore(_)
    ));
}

#[test]
fn an_unknown_chart_is_proposed_with_what_the_client_described() {
    let b = body("LR2oraja", "BEAT_14K");
    let (r, ctx, _) = parse(&b).unwrap();
    let f = Beatoraja::with_players_needed(2);
    let p = f
        .proposed_chart(ImportType::IR_BEATORAJA, &r, &ctx)
        .unwrap();
    assert_eq!(p.gpt, Gpt::Bms14K);
    assert_eq!(p.players_needed, 2);
    assert_eq!(
        p.key,
        "bms:195fe1be5c3e74fccd04dc426e05f8a9cfa8a1059c339d0a23e99f63661f0b7d"
    );
    assert_eq!(p.chart.difficulty, "CHART");
    assert_eq!(p.chart.level, "?");
    assert_eq!(
        p.chart.data.hash_md5.as_deref(),
        Some("38616b85332037cc12924f2ae2840262")
    );
    assert_eq!(p.chart.data.notecount, Some(2256.0));
    assert_eq!(
        (p.song.title.as_str(), p.song.artist.as_str()),
        ("Song", "Art")
    );
    // No real md5: not queued.
    let mut garbage = b.clone();
    garbage["chart"]["md5"] = json!("");
    let (r, ctx, _) = parse(&garbage).unwrap();
    assert!(
        f.proposed_chart(ImportType::IR_BEATORAJA, &r, &ctx)
            .is_none()
    );
    // PMS charts are queued per playtype.
    let mut pms = body("beatoraja", "POPN_9K");
    pms["score"]["deviceType"] = json!("BM_CONTROLLER");
    let (r, ctx, _) = parse(&pms).unwrap();
    let p = f
        .proposed_chart(ImportType::IR_BEATORAJA, &r, &ctx)
        .unwrap();
    assert_eq!(p.gpt, Gpt::PmsController);
    assert!(p.key.starts_with("pms:Controller:"));
}
