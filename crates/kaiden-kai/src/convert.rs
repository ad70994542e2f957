//! KAI play-history items to dry scores, and profiles to dan classes.

use kaiden_core::format::PendingScore;
use kaiden_core::query::{ChartKey, ChartQuery, SDVX_ANY_INF};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use serde_json::Value;

fn invalid(message: String) -> ConverterFailure {
    ConverterFailure::InvalidScore(message)
}

/// How Tachi's schema errors show a value: the raw string, else its JSON.
fn shown(v: Option<&Value>) -> (String, &'static str) {
    match v {
        None => ("undefined".to_owned(), "undefined"),
        Some(Value::String(s)) => (s.clone(), "string"),
        Some(Value::Null) => ("null".to_owned(), "null"),
        Some(v @ Value::Number(_)) => (v.to_string(), "number"),
        Some(v @ Value::Bool(_)) => (v.to_string(), "boolean"),
        Some(v @ Value::Array(_)) => (v.to_string(), "array"),
        Some(v @ Value::Object(_)) => (v.to_string(), "object"),
    }
}

fn schema_error(key: &str, expected: &str, v: Option<&Value>) -> ConverterFailure {
    let (value, ty) = shown(v);
    invalid(format!(
        "Invalid KAI item: {key}: Expected {expected}, received {value} [type: {ty}]."
    ))
}

/// A whole number ≥ 0 (JSON integers, or floats with no fraction).
fn as_uint(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9.0e15)
            .map(|f| f as u64)
    })
}

fn uint(item: &Value, key: &str) -> Result<u64, ConverterFailure> {
    let v = item.get(key);
    v.and_then(as_uint)
        .ok_or_else(|| schema_error(key, "a positive integer", v))
}

/// A nullable count: absent or null is `None`.
fn opt_uint(item: &Value, key: &str) -> Result<Option<u64>, ConverterFailure> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => as_uint(v)
            .map(Some)
            .ok_or_else(|| schema_error(key, "a positive integer or null", Some(v))),
    }
}

fn int_in(item: &Value, key: &str, lo: i64, hi: i64) -> Result<i64, ConverterFailure> {
    let v = item.get(key);
    v.and_then(Value::as_i64)
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| schema_error(key, &format!("an integer between {lo} and {hi}"), v))
}

fn string<'a>(item: &'a Value, key: &str, expected: &str) -> Result<&'a str, ConverterFailure> {
    let v = item.get(key);
    v.and_then(Value::as_str)
        .ok_or_else(|| schema_error(key, expected, v))
}

fn number(n: Option<u64>) -> MetricValue {
    n.map_or(MetricValue::Null, |n| MetricValue::Number(n as f64))
}

/// An ISO-8601 timestamp in ms; a time without a zone is UTC.
pub(crate) fn timestamp(s: &str) -> Result<i64, ConverterFailure> {
    kaiden_core::time::parse_js_date(s)
        .ok_or_else(|| invalid(format!("Invalid/Unparsable score timestamp of {s}.")))
}

/// Konami's old LEGGENDARIA song ids and the songs they belong to.
const LEGACY_LEGGENDARIA: &[(u64, u64)] = &[
    (1100, 1017),
    (4100, 4005),
    (4101, 4001),
    (5100, 5014),
    (11100, 11032),
    (11101, 11012),
    (12100, 12002),
    (13100, 13010),
    (14100, 14009),
    (14101, 14046),
    (15101, 15023),
    (15102, 15007),
    (15104, 15004),
    (15105, 15045),
    (16101, 16050),
    (16102, 16045),
    (16103, 16031),
    (16104, 16015),
    (17101, 17060),
    (18100, 18025),
    (18103, 18011),
    (19100, 19063),
    (20103, 20100),
    (20104, 20039),
    (20105, 20068),
    (20106, 20024),
    (20107, 20019),
    (21100, 21012),
    (21101, 21059),
    (21102, 21069),
    (21103, 21073),
    (21104, 21052),
    (21105, 21048),
    (21106, 21050),
    (21107, 21029),
    (22101, 22008),
    (22102, 22013),
    (22103, 22024),
    (22104, 22027),
    (22105, 22031),
    (22106, 22089),
    (22107, 22006),
    (23100, 23054),
    (23101, 23031),
    (24100, 24041),
    (24101, 24011),
];

/// A KAI IIDX play-history item.
pub(crate) fn iidx(
    import_type: ImportType,
    item: &Value,
    service: &str,
) -> Result<PendingScore, ConverterFailure> {
    let music_id = uint(item, "music_id")?;
    let gpt = match item.get("play_style").and_then(Value::as_str) {
        Some("SINGLE") => Gpt::IidxSp,
        Some("DOUBLE") => Gpt::IidxDp,
        _ => {
            return Err(schema_error(
                "play_style",
                "any of SINGLE, DOUBLE",
                item.get("play_style"),
            ));
        }
    };
    let mut difficulty = string(
        item,
        "difficulty",
        "any of BEGINNER, NORMAL, HYPER, ANOTHER, LEGGENDARIA",
    )?;
    if !["BEGINNER", "NORMAL", "HYPER", "ANOTHER", "LEGGENDARIA"].contains(&difficulty) {
        return Err(schema_error(
            "difficulty",
            "any of BEGINNER, NORMAL, HYPER, ANOTHER, LEGGENDARIA",
            item.get("difficulty"),
        ));
    }
    let version_raw = item.get("version_played");
    let version = version_raw
        .and_then(Value::as_i64)
        .ok_or_else(|| schema_error("version_played", "an integer", version_raw))?;
    let lamp = int_in(item, "lamp", 0, 7)?;
    let ex_score = uint(item, "ex_score")?;
    let bp = match item.get("miss_count") {
        None | Some(Value::Null) => None,
        Some(v) if v.as_i64() == Some(-1) => None,
        Some(v) => Some(as_uint(v).ok_or_else(|| {
            schema_error("miss_count", "a positive integer, -1 or null", Some(v))
        })?),
    };
    let fast = opt_uint(item, "fast_count")?;
    let slow = opt_uint(item, "slow_count")?;
    let when = string(item, "timestamp", "a string")?;

    if !(20..=32).contains(&version) {
        return Err(invalid(format!("Unsupported version {version}.")));
    }
    let mut song_id = music_id;
    if let Some(&(_, new)) = LEGACY_LEGGENDARIA.iter().find(|(old, _)| *old == music_id) {
        song_id = new;
        difficulty = "LEGGENDARIA";
    }
    if difficulty == "BEGINNER" {
        return Err(ConverterFailure::Skip(
            "BEGINNER charts are not tracked.".to_owned(),
        ));
    }
    let time = timestamp(when)?;
    let mut score_data = ScoreData::default();
    score_data.set("score", ex_score as f64);
    // KAI's lamp is the index into IIDX's lamps (0..=7, checked above).
    let lamps = kaiden_games::config::GptConfig::of(gpt).enum_values("lamp");
    let lamp = usize::try_from(lamp)
        .ok()
        .and_then(|i| lamps.get(i))
        .ok_or_else(|| schema_error("lamp", "an integer in 0..=7", item.get("lamp")))?;
    score_data.set("lamp", *lamp);
    score_data.optional.insert("fast".into(), number(fast));
    score_data.optional.insert("slow".into(), number(slow));
    score_data.optional.insert("bp".into(), number(bp));
    let playtype = if gpt == Gpt::IidxSp { "SP" } else { "DP" };
    Ok(PendingScore {
        dry: DryScore {
            service: service.to_owned(),
            game: Game::Iidx,
            import_type,
            time_achieved: Some(time),
            comment: None,
            score_data,
            score_meta: serde_json::Map::new(),
        },
        query: ChartQuery {
            gpt,
            key: ChartKey::IidxInGameId(song_id as i64),
            difficulty: Some(difficulty.to_owned()),
            version: Some(version.to_string()),
        },
        expected_level: None,
        not_found: Some(format!(
            "Could not find chart with songID {song_id} ({playtype} {difficulty} - Version {version})"
        ).into()),
        highlight: false,
    })
}

const SDVX_DIFFICULTIES: [&str; 5] = ["NOV", "ADV", "EXH", SDVX_ANY_INF, "MXM"];
const SDVX_VERSIONS: [&str; 6] = ["booth", "inf", "gw", "heaven", "vivid", "exceed"];
const SDVX_LAMPS: [&str; 5] = [
    "FAILED",
    "CLEAR",
    "EXCESSIVE CLEAR",
    "ULTIMATE CHAIN",
    "PERFECT ULTIMATE CHAIN",
];

/// A KAI SDVX play-history item.
pub(crate) fn sdvx(
    import_type: ImportType,
    item: &Value,
    service: &str,
) -> Result<PendingScore, ConverterFailure> {
    let music_id = uint(item, "music_id")?;
    let diff = int_in(item, "music_difficulty", 0, 4)?;
    let version = int_in(item, "played_version", 1, 6)?;
    let clear = int_in(item, "clear_type", 1, 5)?;
    let max_chain = uint(item, "max_chain")?;
    let score = int_in(item, "score", 0, 10_000_000)?;
    let critical = uint(item, "critical")?;
    let near = uint(item, "near")?;
    let error = opt_uint(item, "error")?;
    let early = opt_uint(item, "early")?;
    let late = opt_uint(item, "late")?;
    let gauge_v = item.get("gauge_rate");
    let gauge = gauge_v
        .and_then(Value::as_f64)
        .filter(|g| (0.0..=100.0).contains(g))
        .ok_or_else(|| schema_error("gauge_rate", "a number between 0 and 100", gauge_v))?;
    let when = string(item, "timestamp", "a string")?;
    let time = timestamp(when)?;

    let difficulty = SDVX_DIFFICULTIES[usize::try_from(diff).unwrap_or(0)];
    let version = SDVX_VERSIONS[usize::try_from(version - 1).unwrap_or(0)];
    let mut score_data = ScoreData::default();
    score_data.set("score", score as f64);
    score_data.set("lamp", SDVX_LAMPS[usize::try_from(clear - 1).unwrap_or(0)]);
    score_data
        .judgements
        .insert("critical".into(), Some(critical as i64));
    score_data
        .judgements
        .insert("near".into(), Some(near as i64));
    score_data
        .judgements
        .insert("miss".into(), error.map(|e| e as i64));
    score_data
        .optional
        .insert("maxCombo".into(), MetricValue::Number(max_chain as f64));
    score_data.optional.insert("fast".into(), number(early));
    score_data.optional.insert("slow".into(), number(late));
    score_data
        .optional
        .insert("gauge".into(), MetricValue::Number(gauge));
    Ok(PendingScore {
        dry: DryScore {
            service: service.to_owned(),
            game: Game::Sdvx,
            import_type,
            time_achieved: Some(time),
            comment: None,
            score_data,
            score_meta: serde_json::Map::new(),
        },
        query: ChartQuery {
            gpt: Gpt::SdvxSingle,
            key: ChartKey::SdvxInGameId(music_id as i64),
            difficulty: Some(difficulty.to_owned()),
            version: Some(version.to_owned()),
        },
        expected_level: None,
        not_found: Some(
            format!(
                "Could not find chart with songID {music_id} ({difficulty} - Version {version})"
            )
            .into(),
        ),
        highlight: false,
    })
}

/// The dan an IIDX profile gives for `gpt` (`sp` / `dp`: 0 = 7th kyu … 18 = KAIDEN).
pub(crate) fn iidx_dan(profile: &Value, gpt: Gpt) -> Option<&'static str> {
    let key = match gpt {
        Gpt::IidxSp => "sp",
        Gpt::IidxDp => "dp",
        _ => return None,
    };
    let index = profile.get(key)?.as_u64()?;
    let dans = kaiden_games::GptConfig::of(gpt).class("dan")?;
    dans.values
        .get(usize::try_from(index).ok()?)
        .filter(|_| index <= 18)
        .map(|v| v.id)
}

/// The dan a SDVX profile gives (`skill_level` 1 = DAN_1 … 12 = INF; 0 = none).
pub(crate) fn sdvx_dan(profile: &Value) -> Option<&'static str> {
    let level = profile.get("skill_level")?.as_i64()?;
    let index = usize::try_from(level - 1).ok()?;
    let dans = kaiden_games::GptConfig::of(Gpt::SdvxSingle).class("dan")?;
    dans.values.get(index).filter(|_| index <= 11).map(|v| v.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flo_iidx() -> Value {
        json!({
            "music_id": 1000, "play_style": "SINGLE", "difficulty": "ANOTHER",
            "version_played": 26, "lamp": 5, "ex_score": 1570, "miss_count": 24,
            "fast_count": null, "slow_count": null, "timestamp": "2020-10-31T19:10:50Z",
            "chart_id": "ignored", "_id": "x"
        })
    }

    fn sdvx_item() -> Value {
        json!({
            "music_id": 1, "music_difficulty": 1, "played_version": 6, "clear_type": 2,
            "max_chain": 179, "score": 9_310_699, "critical": 1754, "near": 112, "error": 78,
            "early": 70, "late": 42, "gauge_rate": 90.01, "timestamp": "2020-08-30T13:08:11Z"
        })
    }

    fn message(f: ConverterFailure) -> String {
        f.to_string()
    }

    #[test]
    fn the_iidx_fixture_item_converts_as_tachis_test_expects() {
        let p = iidx(ImportType::API_FLO_IIDX, &flo_iidx(), "FLO").expect("converts");
        assert_eq!(p.dry.time_achieved, Some(1_604_171_450_000));
        assert_eq!(p.dry.service, "FLO");
        assert_eq!(
            p.dry.score_data.metric("score"),
            Some(&MetricValue::Number(1570.0))
        );
        assert_eq!(
            p.dry.score_data.metric("lamp"),
            Some(&MetricValue::Str("HARD CLEAR".into()))
        );
        assert!(p.dry.score_data.judgements.is_empty());
        assert_eq!(p.dry.score_data.optional["bp"], MetricValue::Number(24.0));
        assert_eq!(p.dry.score_data.optional["fast"], MetricValue::Null);
        assert_eq!(p.query.key, ChartKey::IidxInGameId(1000));
        assert_eq!(p.query.version.as_deref(), Some("26"));
        assert_eq!(p.query.difficulty.as_deref(), Some("ANOTHER"));
        assert_eq!(
            p.not_found
                .as_ref()
                .map(kaiden_core::NotFound::song_message),
            Some("Could not find chart with songID 1000 (SP ANOTHER - Version 26)")
        );
    }

    #[test]
    fn iidx_legacy_leggendaria_ids_are_remapped() {
        let mut item = flo_iidx();
        item["music_id"] = json!(24101);
        let p = iidx(ImportType::API_FLO_IIDX, &item, "FLO").expect("converts");
        assert_eq!(p.query.key, ChartKey::IidxInGameId(24011));
        assert_eq!(p.query.difficulty.as_deref(), Some("LEGGENDARIA"));
        assert_eq!(LEGACY_LEGGENDARIA.len(), 46);
    }

    #[test]
    fn iidx_rejections_and_skips() {
        let mut item = flo_iidx();
        item["music_id"] = json!("foo");
        let m = message(iidx(ImportType::API_FLO_IIDX, &item, "FLO").expect_err("invalid"));
        assert!(m.contains("music_id"), "{m}");
        assert!(m.contains("Expected a positive integer"), "{m}");
        assert!(m.contains("received foo [type: string]"), "{m}");

        let mut item = flo_iidx();
        item["version_played"] = json!(33);
        let m = message(iidx(ImportType::API_FLO_IIDX, &item, "FLO").expect_err("invalid"));
        assert!(m.contains("Unsupported version 33."), "{m}");

        let mut item = flo_iidx();
        item["difficulty"] = json!("BEGINNER");
        assert!(matches!(
            iidx(ImportType::API_FLO_IIDX, &item, "FLO"),
            Err(ConverterFailure::Skip(_))
        ));

        for (key, bad) in [
            ("lamp", json!(8)),
            ("play_style", json!("TRIPLE")),
            ("timestamp", json!("not a time")),
        ] {
            let mut item = flo_iidx();
            item[key] = bad;
            assert!(
                matches!(
                    iidx(ImportType::API_FLO_IIDX, &item, "FLO"),
                    Err(ConverterFailure::InvalidScore(_))
                ),
                "{key}"
            );
        }
        let mut item = flo_iidx();
        item["miss_count"] = json!(-1);
        let p = iidx(ImportType::API_FLO_IIDX, &item, "FLO").expect("converts");
        assert_eq!(p.dry.score_data.optional["bp"], MetricValue::Null);
    }

    #[test]
    fn the_sdvx_fixture_item_converts_as_tachis_test_expects() {
        let p = sdvx(ImportType::API_EAG_SDVX, &sdvx_item(), "EAG").expect("converts");
        assert_eq!(p.dry.time_achieved, Some(1_598_792_891_000));
        assert_eq!(p.dry.service, "EAG");
        assert_eq!(
            p.dry.score_data.metric("lamp"),
            Some(&MetricValue::Str("CLEAR".into()))
        );
        assert_eq!(p.dry.score_data.judgement("critical"), Some(1754));
        assert_eq!(p.dry.score_data.judgement("near"), Some(112));
        assert_eq!(p.dry.score_data.judgement("miss"), Some(78));
        assert_eq!(
            p.dry.score_data.optional["gauge"],
            MetricValue::Number(90.01)
        );
        assert_eq!(
            p.dry.score_data.optional["maxCombo"],
            MetricValue::Number(179.0)
        );
        assert!(!p.dry.score_data.optional.contains_key("exScore"));
        assert_eq!(p.query.key, ChartKey::SdvxInGameId(1));
        assert_eq!(p.query.difficulty.as_deref(), Some("ADV"));
        assert_eq!(p.query.version.as_deref(), Some("exceed"));
    }

    #[test]
    fn sdvx_tables_accept_their_ranges_only() {
        for (key, ok, bad) in [
            ("music_difficulty", 0..=4, [5, -1]),
            ("played_version", 1..=6, [0, 7]),
            ("clear_type", 1..=5, [0, 6]),
        ] {
            for v in ok {
                let mut item = sdvx_item();
                item[key] = json!(v);
                assert!(
                    sdvx(ImportType::API_FLO_SDVX, &item, "FLO").is_ok(),
                    "{key} {v}"
                );
            }
            for v in bad {
                let mut item = sdvx_item();
                item[key] = json!(v);
                assert!(
                    sdvx(ImportType::API_FLO_SDVX, &item, "FLO").is_err(),
                    "{key} {v}"
                );
            }
        }
        let mut item = sdvx_item();
        item["music_difficulty"] = json!(3);
        let p = sdvx(ImportType::API_FLO_SDVX, &item, "FLO").expect("converts");
        assert_eq!(p.query.difficulty.as_deref(), Some(SDVX_ANY_INF));
    }

    #[test]
    fn profiles_give_dans_as_tachis_class_handler_tests_expect() {
        assert_eq!(iidx_dan(&json!({"sp": 18}), Gpt::IidxSp), Some("KAIDEN"));
        assert_eq!(iidx_dan(&json!({"sp": 0}), Gpt::IidxSp), Some("KYU_7"));
        for bad in [
            json!({"sp": "NOT A NUMBER"}),
            json!({"sp": 19}),
            json!({"sp": -1}),
            json!({"sp": 1.5}),
        ] {
            assert_eq!(iidx_dan(&bad, Gpt::IidxSp), None, "{bad}");
        }
        assert_eq!(iidx_dan(&json!({"sp": 18, "dp": null}), Gpt::IidxDp), None);
        assert_eq!(iidx_dan(&json!({"sp": 18}), Gpt::Bms14K), None);
        assert_eq!(sdvx_dan(&json!({"skill_level": 10})), Some("DAN_10"));
        for bad in [
            json!({"skill_level": "NOT A NUMBER"}),
            json!({"skill_level": 13}),
            json!({"skill_level": -1}),
            json!({"skill_level": null}),
            json!({"skill_level": 0}),
        ] {
            assert_eq!(sdvx_dan(&bad), None, "{bad}");
        }
    }
}
