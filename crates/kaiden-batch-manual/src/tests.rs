use super::*;
use kaiden_games::config::MetricKind;
use serde_json::json;

fn input(doc: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(doc).expect("json")
}

/// Context, records and classes of a parsed document.
type Parsed = (BatchContext, Vec<Box<BatchScore>>, Vec<ProvidedClass>);

fn parse_all(bytes: &[u8], t: ImportType) -> Result<Parsed, ImportError> {
    let inp = ImportInput {
        bytes,
        ..ImportInput::default()
    };
    let p = BatchManual::new().parse(t, &inp)?;
    let records: Result<Vec<_>, _> = p.records.collect();
    Ok((p.context, records?, p.classes.get()))
}

fn err(doc: &Value) -> ImportError {
    match parse_all(&input(doc), ImportType::FILE_BATCH_MANUAL) {
        Err(e) => e,
        Ok(_) => panic!("expected a fatal error for {doc}"),
    }
}

/// A valid score of `gpt` with every provided metric.
fn sample_score(gpt: Gpt) -> Map<String, Value> {
    let conf = GptConfig::of(gpt);
    let mut m = Map::new();
    for metric in conf.provided_metrics {
        let v = match metric.kind {
            MetricKind::Enum { values, .. } => json!(values[values.len() - 1]),
            MetricKind::Integer { min, .. } | MetricKind::Decimal { min, .. } => {
                json!(min.unwrap_or(0.0).max(0.0) as i64 + 1)
            }
            MetricKind::Graph { .. } => json!([]),
        };
        m.insert(metric.name.to_owned(), v);
    }
    let mt = conf.supported_match_types[0];
    m.insert("matchType".into(), json!(mt.as_str()));
    m.insert("identifier".into(), json!("1"));
    if mt.needs_difficulty() {
        let d = match conf.difficulties {
            kaiden_games::config::Difficulties::Fixed { default, .. } => default,
            kaiden_games::config::Difficulties::Dynamic => "Hard 12",
        };
        m.insert("difficulty".into(), json!(d));
    }
    m.insert("timeAchieved".into(), json!(1_700_000_000_000_i64));
    m
}

fn doc_of(gpt: Gpt, scores: Vec<Value>) -> Value {
    json!({"meta": {"game": gpt.game().as_str(), "playtype": gpt.playtype().as_str(), "service": "tests"}, "scores": scores})
}

#[test]
fn every_gpt_parses_and_converts_a_full_score() {
    for gpt in Gpt::ALL {
        let doc = doc_of(gpt, vec![Value::Object(sample_score(gpt))]);
        let (ctx, records, _) = parse_all(&input(&doc), ImportType::FILE_BATCH_MANUAL)
            .unwrap_or_else(|e| panic!("{gpt}: {e}"));
        assert_eq!(ctx.gpt, gpt);
        assert_eq!(ctx.service, "tests (BATCH-MANUAL)");
        assert_eq!(records.len(), 1);
        let p = BatchManual::new()
            .convert(ImportType::FILE_BATCH_MANUAL, &records[0], &ctx)
            .unwrap_or_else(|e| panic!("{gpt}: {e}"));
        assert_eq!(p.query.gpt, gpt);
        assert_eq!(p.dry.time_achieved, Some(1_700_000_000_000));
        for m in GptConfig::of(gpt).provided_metrics {
            assert!(
                p.dry.score_data.metrics.contains_key(m.name),
                "{gpt} {}",
                m.name
            );
        }
    }
}

#[test]
fn direct_manual_names_its_service() {
    let doc = doc_of(Gpt::IidxSp, vec![]);
    let (ctx, records, _) = parse_all(&input(&doc), ImportType::IR_DIRECT_MANUAL).expect("parses");
    assert_eq!(ctx.service, "tests (DIRECT-MANUAL)");
    assert!(records.is_empty());
}

#[test]
fn a_bad_lamp_names_path_line_and_expected_values() {
    let mut s = sample_score(Gpt::IidxSp);
    s.insert("lamp".into(), json!("HARD CLAER"));
    let mut scores: Vec<Value> = (0..41)
        .map(|_| Value::Object(sample_score(Gpt::IidxSp)))
        .collect();
    scores.push(Value::Object(s));
    let e = err(&doc_of(Gpt::IidxSp, scores));
    assert_eq!(e.kind(), kaiden_core::ImportErrorKind::InvalidInput);
    assert!(
        matches!(
            e.format_error::<BatchManualError>(),
            Some(BatchManualError::Schema { field, .. }) if field == "scores[41].lamp"
        ),
        "{e:?}"
    );
    assert!(
        e.message().starts_with(
            "scores[41].lamp: \"HARD CLAER\" is not a lamp of iidx:SP (expected one of NO PLAY,"
        ),
        "{}",
        e.message()
    );
    let pos = e.position().expect("position");
    assert_eq!(pos.field.as_deref(), Some("scores[41].lamp"));
    assert_eq!(pos.record, Some(42));
    assert!(pos.line.is_some_and(|l| l > 41 * 8), "{pos:?}");
}

#[test]
fn schema_rules() {
    let g = Gpt::IidxSp;
    let with = |k: &str, v: Value| {
        let mut s = sample_score(g);
        s.insert(k.into(), v);
        doc_of(g, vec![Value::Object(s)])
    };
    let cases = [
        (with("lamps", json!("CLEAR")), "scores[0].lamps"),
        (with("score", json!("500")), "scores[0].score"),
        (with("score", json!(1.5)), "scores[0].score"),
        (with("timeAchieved", json!(12345)), "scores[0].timeAchieved"),
        (with("comment", json!("hi")), "scores[0].comment"),
        (
            with("judgements", json!({"perfect": 1})),
            "scores[0].judgements.perfect",
        ),
        (
            with("judgements", json!({"pgreat": -1})),
            "scores[0].judgements.pgreat",
        ),
        (
            with("optional", json!({"fast": "x"})),
            "scores[0].optional.fast",
        ),
        (
            with("optional", json!({"nope": 1})),
            "scores[0].optional.nope",
        ),
        (with("hitMeta", json!({"bp": -5})), "scores[0].hitMeta.bp"),
        (
            with("scoreMeta", json!({"random": "SUPER"})),
            "scores[0].scoreMeta.random",
        ),
        (with("matchType", json!("songName")), "scores[0].matchType"),
    ];
    for (doc, field) in cases {
        let e = err(&doc);
        assert_eq!(
            e.position().and_then(|p| p.field.as_deref()),
            Some(field),
            "{}",
            e.message()
        );
    }
    let mut missing = sample_score(g);
    missing.remove("lamp");
    let e = err(&doc_of(g, vec![Value::Object(missing)]));
    assert_eq!(
        e.format_error::<BatchManualError>(),
        Some(&BatchManualError::Schema {
            field: "scores[0].lamp".into(),
            message: "scores[0].lamp: is missing".into()
        })
    );
    // Valid optional pieces pass.
    let ok = with("optional", json!({"bp": 5, "fast": null}));
    assert!(parse_all(&input(&ok), ImportType::FILE_BATCH_MANUAL).is_ok());
    let ok = with("scoreMeta", json!({"random": "RANDOM"}));
    assert!(parse_all(&input(&ok), ImportType::FILE_BATCH_MANUAL).is_ok());
}

#[test]
fn meta_rules() {
    let bad = [
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "ab"}, "scores": []}),
            "meta.service",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "x".repeat(61)}, "scores": []}),
            "meta.service",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "9B", "service": "abc"}, "scores": []}),
            "meta.playtype",
        ),
        (
            json!({"meta": {"game": "iidy", "playtype": "SP", "service": "abc"}, "scores": []}),
            "meta.game",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "abc", "version": "99"}, "scores": []}),
            "meta.version",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "abc", "extra": 1}, "scores": []}),
            "meta",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "abc"}, "scores": [], "other": 1}),
            "other",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "abc"}}),
            "scores",
        ),
        (json!({"scores": []}), "meta"),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "abc"}, "scores": {}}),
            "scores",
        ),
        (
            json!({"meta": {"game": "iidx", "playtype": "SP", "service": "abc"}, "scores": [], "classes": {"dan": "DAN_11"}}),
            "classes.dan",
        ),
        (
            json!({"meta": {"game": "sdvx", "playtype": "Single", "service": "abc"}, "scores": [], "classes": {"vfClass": "SIENNA_I"}}),
            "classes.vfClass",
        ),
    ];
    for (doc, field) in bad {
        let e = err(&doc);
        assert_eq!(
            e.position().and_then(|p| p.field.as_deref()),
            Some(field),
            "{doc}: {}",
            e.message()
        );
    }
}

#[test]
fn meta_and_classes_may_come_after_scores() {
    let text = format!(
        r#"{{"scores": [{}], "classes": {{"dan": "DAN_10"}}, "meta": {{"game": "iidx", "playtype": "SP", "service": "abc", "version": "27"}}}}"#,
        Value::Object(sample_score(Gpt::IidxSp))
    );
    let (ctx, records, classes) =
        parse_all(text.as_bytes(), ImportType::FILE_BATCH_MANUAL).expect("parses");
    assert_eq!(ctx.version.as_deref(), Some("27"));
    assert_eq!(records.len(), 1);
    assert_eq!(
        classes,
        vec![ProvidedClass {
            gpt: Gpt::IidxSp,
            set: "dan".into(),
            class_id: "DAN_10".into()
        }]
    );
}

#[test]
fn classes_and_keys_after_a_streamed_scores_array_are_read_at_its_end() {
    let score = Value::Object(sample_score(Gpt::IidxSp));
    let meta = r#""meta": {"game": "iidx", "playtype": "SP", "service": "abc"}"#;
    // Classes after scores: known once the stream ends.
    let text =
        format!(r#"{{{meta}, "scores": [{score}, {score}], "classes": {{"dan": "KAIDEN"}}}}"#);
    let (_, records, classes) =
        parse_all(text.as_bytes(), ImportType::FILE_BATCH_MANUAL).expect("parses");
    assert_eq!(records.len(), 2);
    assert_eq!(classes[0].class_id, "KAIDEN");
    // Problems after the array are fatal when the stream reaches them.
    for (tail, field) in [
        (r#", "other": 1}"#, "other"),
        (r#", "meta": {}}"#, "meta"),
        (r#", "classes": {"dan": "DAN_99"}}"#, "classes.dan"),
        (r#"} trailing"#, "$"),
        (r#" "classes": {}}"#, "scores"),
    ] {
        let text = format!(r#"{{{meta}, "scores": [{score}]{tail}"#);
        let e = parse_all(text.as_bytes(), ImportType::FILE_BATCH_MANUAL).expect_err(tail);
        assert_eq!(
            e.position().and_then(|p| p.field.as_deref()),
            Some(field),
            "{tail}: {e}"
        );
    }
}

#[test]
fn invalid_json_is_fatal_with_a_position() {
    for text in [
        "",
        "[]",
        "{\"meta\": {",
        "{\"meta\": {\"game\": \"iidx\", \"playtype\": \"SP\", \"service\": \"abc\"}, \"scores\": [{\"score\": 1,}]}",
        "{\"meta\": {\"game\": \"iidx\", \"playtype\": \"SP\", \"service\": \"abc\"}, \"scores\": [1 2]}",
        "{\"meta\": {\"game\": \"iidx\", \"playtype\": \"SP\", \"service\": \"abc\"}, \"scores\": []} x",
    ] {
        let e = match parse_all(text.as_bytes(), ImportType::FILE_BATCH_MANUAL) {
            Err(e) => e,
            Ok(_) => panic!("{text:?} should fail"),
        };
        assert_eq!(e.http_status(), 400, "{text:?}");
        assert!(
            e.position().is_some_and(|p| p.line.is_some()),
            "{text:?}: {e}"
        );
    }
}

#[test]
fn invalid_utf8_in_a_score_is_fatal_and_valid_text_needs_no_second_check() {
    let mut text = br#"{"meta": {"game": "iidx", "playtype": "SP", "service": "abc"}, "scores": [{"score": 1, "lamp": "CLEAR", "matchType": "songTitle", "identifier": "X"#.to_vec();
    text.extend_from_slice(b"\xff\xfe");
    text.extend_from_slice(br#"", "difficulty": "ANOTHER"}]}"#);
    let e = parse_all(&text, ImportType::FILE_BATCH_MANUAL).expect_err("invalid UTF-8");
    assert_eq!(
        e.position().and_then(|p| p.field.as_deref()),
        Some("scores[0].identifier"),
        "{e}"
    );
    assert!(e.to_string().contains("not UTF-8"), "said plainly: {e}");
    // The same document in valid UTF-8 (read through the `str` path) parses.
    let ok = String::from_utf8_lossy(&text).into_owned();
    let (_, records, _) = parse_all(ok.as_bytes(), ImportType::FILE_BATCH_MANUAL).expect("parses");
    assert_eq!(records[0].identifier.as_deref(), Some("X\u{fffd}\u{fffd}"));
}

#[test]
fn a_lone_surrogate_escape_is_said_plainly_with_its_field() {
    // JavaScript's JSON.parse takes "\ud800"; no Rust string can hold it.
    let text = br#"{"meta": {"game": "iidx", "playtype": "SP", "service": "abc"}, "scores": [{"score": 1, "lamp": "CLEAR", "matchType": "songTitle", "identifier": "A\ud800B", "difficulty": "ANOTHER"}]}"#;
    let e = parse_all(text, ImportType::FILE_BATCH_MANUAL).expect_err("a lone surrogate");
    assert_eq!(
        e.position().and_then(|p| p.field.as_deref()),
        Some("scores[0].identifier"),
        "{e}"
    );
    assert!(e.to_string().contains("lone UTF-16 surrogate"), "{e}");
    assert!(!e.to_string().contains("hex escape"), "{e}");
}

#[test]
fn size_limits() {
    let doc = input(&doc_of(Gpt::IidxSp, vec![]));
    let inp = ImportInput {
        bytes: &doc,
        ..ImportInput::default()
    };
    assert!(
        BatchManual::new()
            .with_max_bytes(10)
            .parse(ImportType::FILE_BATCH_MANUAL, &inp)
            .is_err()
    );
    let big = vec![b' '; DIRECT_MANUAL_MAX_BYTES + 1];
    let inp = ImportInput {
        bytes: &big,
        ..ImportInput::default()
    };
    let e = BatchManual::new()
        .parse(ImportType::IR_DIRECT_MANUAL, &inp)
        .expect_err("too large");
    assert_eq!(
        e.format_error::<BatchManualError>(),
        Some(&BatchManualError::TooLarge {
            size: DIRECT_MANUAL_MAX_BYTES + 1,
            limit: DIRECT_MANUAL_MAX_BYTES
        })
    );
}

#[test]
fn converter_rules() {
    let g = Gpt::IidxSp;
    let ctx = BatchContext {
        gpt: g,
        service: "x (BATCH-MANUAL)".into(),
        version: None,
    };
    let convert = |s: Map<String, Value>| {
        BatchManual::new().convert(ImportType::FILE_BATCH_MANUAL, &rec(s), &ctx)
    };
    let mut s = sample_score(g);
    s.insert("matchType".into(), json!("uscChartHash"));
    assert!(
        matches!(convert(s), Err(ConverterFailure::InvalidScore(m)) if m.contains("matchType"))
    );
    // A lookup by chart checks the difficulty first (Tachi's
    // AssertStrAsDifficulty, which prints a missing one as undefined)...
    let by_chart = |s: &mut Map<String, Value>| {
        s.insert("matchType".into(), json!("inGameID"));
    };
    let mut s = sample_score(g);
    by_chart(&mut s);
    s.remove("difficulty");
    assert!(
        matches!(convert(s), Err(ConverterFailure::InvalidScore(m)) if m.ends_with("(Got undefined)"))
    );
    let mut s = sample_score(g);
    by_chart(&mut s);
    s.insert("difficulty".into(), json!("EXTREME"));
    assert!(matches!(convert(s), Err(ConverterFailure::InvalidScore(m)) if m.contains("EXTREME")));
    // ...a lookup by song only once the song is found: an unknown song is an
    // orphan whatever its difficulty.
    for (diff, said) in [
        (
            None,
            "Missing 'difficulty' field, but was necessary for this lookup.",
        ),
        (
            Some("EXTREME"),
            "Invalid Difficulty for iidx SP - Expected any of",
        ),
    ] {
        let mut s = sample_score(g);
        s.insert("matchType".into(), json!("tachiSongID"));
        s.remove("difficulty");
        if let Some(d) = diff {
            s.insert("difficulty".into(), json!(d));
        }
        let p = convert(s).expect("converts");
        let words = p.not_found.expect("words");
        assert!(
            words.invalid_message().is_some_and(|m| m.starts_with(said)),
            "{words:?}"
        );
        assert_eq!(words.song_message(), "Cannot find song with songID 1.");
    }
    // An in-game id that is no integer names no chart: an orphan.
    for id in ["x1", "1.5", "-4"] {
        let mut s = sample_score(g);
        by_chart(&mut s);
        s.insert("identifier".into(), json!(id));
        assert_eq!(
            convert(s),
            Err(ConverterFailure::SongOrChartNotFound(format!(
                "Cannot find chart for inGameID {id} (SP)."
            )))
        );
    }
    let mut s = sample_score(g);
    by_chart(&mut s);
    s.insert("identifier".into(), json!(" 0x10 "));
    assert_eq!(
        convert(s).expect("converts").query.key,
        ChartKey::InGameId(16)
    );
    let mut s = sample_score(g);
    s.insert("matchType".into(), json!("tachiSongID"));
    s.insert("identifier".into(), json!("abc"));
    assert!(matches!(convert(s), Err(ConverterFailure::InvalidScore(m)) if m.contains("integer")));
    let mut s = sample_score(g);
    s.insert("matchType".into(), json!("songTitle"));
    s.insert("identifier".into(), json!("5.1.1."));
    s.insert("artist".into(), json!("dj nagureo"));
    s.insert("hitMeta".into(), json!({"bp": 3}));
    s.insert("judgements".into(), json!({"pgreat": 100, "great": null}));
    let p = convert(s).expect("converts");
    assert_eq!(
        p.query.key,
        ChartKey::SongTitle {
            title: "5.1.1.".into(),
            artist: Some("dj nagureo".into()),
            exact_first: false,
            level: None,
        }
    );
    assert_eq!(p.dry.score_data.optional_number("bp"), Some(3.0));
    assert_eq!(p.dry.score_data.judgement("pgreat"), Some(100));
    let sdvx = BatchContext {
        gpt: Gpt::SdvxSingle,
        service: "x".into(),
        version: None,
    };
    let mut s = sample_score(Gpt::SdvxSingle);
    s.insert("matchType".into(), json!("sdvxInGameID"));
    s.insert("difficulty".into(), json!("ANY_INF"));
    let p = BatchManual::new()
        .convert(ImportType::FILE_BATCH_MANUAL, &rec(s), &sdvx)
        .expect("ANY_INF is allowed");
    assert_eq!(p.query.difficulty.as_deref(), Some("ANY_INF"));
}

#[test]
fn a_time_achieved_of_zero_is_stored_as_unknown() {
    let g = Gpt::WaccaSingle;
    let ctx = BatchContext {
        gpt: g,
        service: "x (BATCH-MANUAL)".into(),
        version: None,
    };
    let time_of = |t: Value| {
        let mut s = sample_score(g);
        s.insert("timeAchieved".into(), t);
        BatchManual::new()
            .convert(ImportType::FILE_BATCH_MANUAL, &rec(s), &ctx)
            .expect("converts")
            .dry
            .time_achieved
    };
    assert_eq!(time_of(json!(0)), None);
    assert_eq!(time_of(json!(0.0)), None);
    assert_eq!(time_of(Value::Null), None);
    assert_eq!(
        time_of(json!(1_700_000_000_001_i64)),
        Some(1_700_000_000_001)
    );
}

fn rec(s: Map<String, Value>) -> Box<BatchScore> {
    serde_json::from_value(Value::Object(s)).expect("a score object")
}

#[test]
fn orphan_records_round_trip_as_the_raw_object() {
    let mut s = sample_score(Gpt::IidxSp);
    s.insert("judgements".into(), json!({"pgreat": 3, "great": null}));
    s.insert("hitMeta".into(), json!({"bp": 2}));
    s.insert("scoreMeta".into(), json!({"random": "RANDOM"}));
    s.insert("comment".into(), json!("nice one"));
    let mut r = rec(s.clone());
    r.index = 7;
    r.line = 40;
    let v = serde_json::to_value(&r).expect("serialises");
    let mut want = s.clone();
    want.sort_keys();
    let mut got = v.as_object().expect("object").clone();
    got.sort_keys();
    assert_eq!(got, want);
    let back: BatchScore = serde_json::from_value(v).expect("deserialises");
    assert_eq!(back.metrics, r.metrics);
    assert_eq!(back.judgements, r.judgements);
    assert_eq!((back.index, back.line), (0, 0));
}

#[test]
fn direct_manual_infers_the_time_of_exactly_one_untimed_score() {
    let parse_with = |doc: &Value, t: ImportType, header: Option<&str>| {
        let bytes = input(doc);
        let mut inp = ImportInput {
            bytes: &bytes,
            ..ImportInput::default()
        };
        if let Some(h) = header {
            inp.headers
                .insert("x-infer-score-timeachieved".into(), h.into());
        }
        let p = BatchManual::new().parse(t, &inp)?;
        p.records.collect::<Result<Vec<_>, _>>()
    };
    let score = |time: Option<i64>| {
        let mut s = json!({"score": 500, "lamp": "HARD CLEAR", "matchType": "songTitle", "identifier": "5.1.1.", "difficulty": "ANOTHER"});
        if let Some(t) = time {
            s["timeAchieved"] = json!(t);
        }
        s
    };
    let doc = |scores: Vec<Value>| json!({"meta": {"game": "iidx", "playtype": "SP", "service": "test"}, "scores": scores});
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as f64;
    let one = parse_with(
        &doc(vec![score(None)]),
        ImportType::IR_DIRECT_MANUAL,
        Some("True"),
    )
    .expect("parses");
    assert_eq!(one.len(), 1);
    assert!(one[0].time_achieved.expect("inferred") >= before);
    // A time of 0 is no time.
    assert!(
        parse_with(
            &doc(vec![score(Some(0))]),
            ImportType::IR_DIRECT_MANUAL,
            Some("true")
        )
        .is_ok()
    );
    let e = parse_with(
        &doc(vec![score(None), score(None)]),
        ImportType::IR_DIRECT_MANUAL,
        Some("true"),
    )
    .expect_err("two scores");
    assert_eq!(
        e.format_error::<BatchManualError>(),
        Some(&BatchManualError::InferWithManyScores)
    );
    assert_eq!(
        e.message(),
        "Cannot use X-Infer-Score-TimeAchieved with multiple scores in your import."
    );
    assert_eq!(e.http_status(), 400);
    let e = parse_with(
        &doc(vec![score(Some(1_700_000_000_000))]),
        ImportType::IR_DIRECT_MANUAL,
        Some("true"),
    )
    .expect_err("already timed");
    assert_eq!(
        e.format_error::<BatchManualError>(),
        Some(&BatchManualError::InferOverTime)
    );
    let e = parse_with(&doc(vec![]), ImportType::IR_DIRECT_MANUAL, Some("true"))
        .expect_err("no scores");
    assert_eq!(e.http_status(), 400);
    assert_eq!(
        e.format_error::<BatchManualError>(),
        Some(&BatchManualError::InferWithoutScores)
    );
    // Without the header, or on a file import, nothing is inferred.
    let plain = parse_with(
        &doc(vec![score(None), score(None)]),
        ImportType::IR_DIRECT_MANUAL,
        None,
    )
    .expect("parses");
    assert!(plain.iter().all(|s| s.time_achieved.is_none()));
    let file = parse_with(
        &doc(vec![score(None)]),
        ImportType::FILE_BATCH_MANUAL,
        Some("true"),
    )
    .expect("parses");
    assert!(file[0].time_achieved.is_none());
}

#[test]
fn syntax_errors_and_rule_errors_are_told_apart() {
    let g = Gpt::IidxSp;
    let text = doc_of(g, vec![Value::Object(sample_score(g))]).to_string();
    let cut = &text[..text.len() - 5];
    let inp = ImportInput {
        bytes: cut.as_bytes(),
        ..ImportInput::default()
    };
    let e = match BatchManual::new().parse(ImportType::FILE_BATCH_MANUAL, &inp) {
        Err(e) => e,
        Ok(mut p) => p
            .records
            .find_map(Result::err)
            .expect("a truncated file fails"),
    };
    assert!(
        matches!(
            e.format_error::<BatchManualError>(),
            Some(BatchManualError::Json { .. })
        ),
        "{e:?}"
    );
    let mut s = sample_score(g);
    s.insert("score".into(), json!("500"));
    let e = err(&doc_of(g, vec![Value::Object(s)]));
    assert!(
        matches!(
            e.format_error::<BatchManualError>(),
            Some(BatchManualError::Schema { field, .. }) if field == "scores[0].score"
        ),
        "{e:?}"
    );
}

#[test]
fn invalid_utf8_in_meta_is_reported_at_one_position() {
    // serde_json counts from the start of `meta`; the error names the
    // document's own line and column, once, and says what is wrong plainly.
    let mut text = b"{\n  \"scores\": [],\n  \"meta\": {\"game\": \"iidx\", \"playtype\": \"SP\", \"service\": \"ab".to_vec();
    text.extend_from_slice(b"\xff\xfe");
    text.extend_from_slice(b"c\"}\n}");
    let e = parse_all(&text, ImportType::FILE_BATCH_MANUAL).expect_err("invalid UTF-8");
    let p = e.position().expect("a position").clone();
    assert_eq!(p.line, Some(3), "{e}");
    assert_eq!(p.field.as_deref(), Some("meta"), "{e}");
    let shown = e.to_string();
    assert!(shown.contains("not UTF-8"), "said plainly: {shown}");
    assert_eq!(
        shown.matches("column").count(),
        1,
        "one column, the document's: {shown}"
    );
    let column = p.column.expect("a column");
    assert!(shown.contains(&format!("column {column}")), "{shown}");
    // The column is in the line the bad bytes are on, past `"service": "ab`.
    let line3 = text.split(|b| *b == b'\n').nth(2).expect("line 3");
    let at = line3
        .windows(2)
        .position(|w| w == b"\xff\xfe")
        .expect("bytes") as u64;
    assert!(
        column > at / 2 && column <= at + 2,
        "column {column}, bytes at {at}: {shown}"
    );
}

/// A document in memory as a stream, read through a tiny buffer so values
/// straddle every buffer boundary.
#[derive(Debug)]
struct MemStream(Vec<u8>);

impl kaiden_core::format::InputStream for MemStream {
    fn open(&self) -> std::io::Result<Box<dyn kaiden_core::format::BufReadSeek>> {
        Ok(Box::new(std::io::BufReader::with_capacity(
            7,
            std::io::Cursor::new(self.0.clone()),
        )))
    }

    fn len(&self) -> u64 {
        self.0.len() as u64
    }
}

/// Every record or the error that ended them, and the classes at the end.
type Outcome = (
    Result<BatchContext, ImportError>,
    Vec<Result<Box<BatchScore>, ImportError>>,
    Vec<ProvidedClass>,
);

fn outcome(format: &BatchManual, input: &ImportInput<'_>) -> Outcome {
    match format.parse(ImportType::FILE_BATCH_MANUAL, input) {
        Err(e) => (Err(e), Vec::new(), Vec::new()),
        Ok(p) => {
            let records: Vec<_> = p.records.collect();
            (Ok(p.context), records, p.classes.get())
        }
    }
}

/// Reads `doc` whole and as a stream cut into windows of each size: the
/// same records (positions included), errors and classes.
fn assert_streams_alike(doc: &[u8]) {
    let whole = outcome(
        &BatchManual::new(),
        &ImportInput {
            bytes: doc,
            ..ImportInput::default()
        },
    );
    let stream = ImportInput {
        stream: Some(std::sync::Arc::new(MemStream(doc.to_vec()))),
        ..ImportInput::default()
    };
    for window in [1, 40, 300, stream::WINDOW] {
        let streamed = outcome(&BatchManual::new().with_stream_window(window), &stream);
        assert_eq!(
            whole,
            streamed,
            "window {window}, document {:?}",
            String::from_utf8_lossy(doc)
        );
    }
}

#[test]
fn a_streamed_file_reads_as_the_file_in_memory() {
    assert!(BatchManual::new().reads_streams(ImportType::FILE_BATCH_MANUAL));
    assert!(!BatchManual::new().reads_streams(ImportType::IR_DIRECT_MANUAL));
    let gpt = Gpt::IidxSp;
    let score = Value::Object(sample_score(gpt));
    let mut odd = sample_score(gpt);
    odd.insert(
        "comment".into(),
        json!("brackets ]}[{ and \"quotes\" \\ é 🎵"),
    );
    let odd = Value::Object(odd);
    let scores: Vec<Value> = (0..12)
        .map(|i| {
            if i % 3 == 0 {
                odd.clone()
            } else {
                score.clone()
            }
        })
        .collect();
    let pretty = input(&doc_of(gpt, scores.clone()));
    assert_streams_alike(&pretty);
    let compact = serde_json::to_vec(&doc_of(gpt, scores.clone())).expect("test data");
    assert_streams_alike(&compact);
    // A byte order mark, classes after and before the scores.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&pretty);
    assert_streams_alike(&bom);
    let meta = json!({"game": "iidx", "playtype": "SP", "service": "tests"});
    let after = format!(
        "{{\"meta\": {meta},\n \"scores\": {},\n \"classes\": {{\"dan\": \"DAN_3\"}}}}",
        serde_json::to_string(&scores).expect("test data")
    );
    assert_streams_alike(after.as_bytes());
    let before = format!(
        "{{\"classes\": {{\"dan\": \"DAN_3\"}}, \"meta\": {meta}, \"scores\": {}}}",
        serde_json::to_string_pretty(&scores).expect("test data")
    );
    assert_streams_alike(before.as_bytes());
    // Scores before meta: read whole.
    let first = format!(
        "{{\"scores\": {}, \"meta\": {meta}}}",
        serde_json::to_string(&scores).expect("test data")
    );
    assert_streams_alike(first.as_bytes());
    // Empty arrays, a trailing separator, bad elements, bad separators, a
    // bad score midway, truncations anywhere, trailing garbage.
    let s = serde_json::to_string(&score).expect("test data");
    let bad = s.replace("\"matchType\"", "\"matchTyp\"");
    for tail in [
        "[]}".to_owned(),
        "[ \n ]}".to_owned(),
        format!("[{s},{s},]}}"),
        format!("[{s},\n{s} , \n ]}}"),
        format!("[{s},1,{s}]}}"),
        format!("[{s},{s};{s}]}}"),
        format!("[{s},{s},{bad},{s}]}}"),
        // A missing score (fuzzing found the cutter dropped it).
        format!(
            "[ \r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r, {s}]}}"
        ),
        format!("[{s}, ,{s}]}}"),
        format!("[{s},{s}]}} x"),
        format!("[{s},{s}]"),
        format!("[{s},\"str\",[1,2],{s}]}}"),
        format!("[{s}, {s}] , \"classes\": {{\"dan\": \"NOPE\"}}}}"),
    ] {
        let doc = format!("{{\"meta\": {meta}, \"scores\": {tail}");
        assert_streams_alike(doc.as_bytes());
    }
    for cut in (0..pretty.len()).step_by(37) {
        assert_streams_alike(&pretty[..cut]);
    }
}

#[test]
fn a_streamed_file_keeps_its_size_limit() {
    let doc = input(&doc_of(
        Gpt::IidxSp,
        vec![Value::Object(sample_score(Gpt::IidxSp))],
    ));
    let stream = ImportInput {
        stream: Some(std::sync::Arc::new(MemStream(doc.clone()))),
        ..ImportInput::default()
    };
    let small = BatchManual::new().with_max_bytes(doc.len() - 1);
    let e = match small.parse(ImportType::FILE_BATCH_MANUAL, &stream) {
        Err(e) => e,
        Ok(_) => panic!("too large"),
    };
    assert!(matches!(
        e.format_error::<BatchManualError>(),
        Some(BatchManualError::TooLarge { .. })
    ));
}

#[test]
fn tachis_fixtures_stream_as_they_read() {
    let Some(data) = kaiden_testkit::tachi_data() else {
        eprintln!("SKIPPED: no ../shared/tachi-data");
        return;
    };
    let dir = data.join("fixtures").join("batch-manual");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("test data") {
        let bytes = std::fs::read(entry.expect("test data").path()).expect("test data");
        assert_streams_alike(&bytes);
        n += 1;
    }
    assert!(n >= 4);
}
