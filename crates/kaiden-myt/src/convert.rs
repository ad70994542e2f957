//! MYT's four converters (Tachi's `api/myt-{chunithm,maimaidx,ongeki,wacca}`
//! converters, spec §4.4–§4.7). Records are the messages MYT sent, as
//! decoded; what Tachi checks before its chart lookup fails the record at
//! once, what it checks after (WACCA's lamp, every timestamp) waits for the
//! chart, so an unknown chart is an orphan whatever those hold.

use kaiden_core::format::PendingScore;
use kaiden_core::query::{ChartKey, ChartQuery, NotFound};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Gpt, ImportType};
use serde_json::Map;

use crate::proto::{chunithm, maimai, ongeki, wacca};

/// The service written on every MYT score.
pub(crate) const SERVICE: &str = "MYT";

fn invalid(m: impl Into<String>) -> ConverterFailure {
    ConverterFailure::InvalidScore(m.into())
}

fn unspecified_difficulty(music_id: i32) -> ConverterFailure {
    invalid(format!(
        "Can't process a score with unspecified difficulty (musicId {music_id})"
    ))
}

fn missing_parts() -> ConverterFailure {
    invalid("Failed to receive score data from MYT API")
}

/// Tachi's `ParseDateFromString`: an empty date is no time; one that does not
/// parse is invalid (reported once the chart is found).
fn play_date(s: &str) -> Result<Option<i64>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    kaiden_core::time::parse_js_date(s)
        .map(Some)
        .ok_or_else(|| format!("Invalid/Unparsable score timestamp of {s}."))
}

/// The pending score of a converted record: the chart is `music_id` at
/// `difficulty` (any version, Tachi's `FindChartOnInGameID`); `after_chart`
/// is what Tachi rejects once the chart is found.
fn pending(
    import_type: ImportType,
    gpt: Gpt,
    music_id: i32,
    difficulty: &str,
    data: ScoreData,
    date: &str,
    after_chart: Option<String>,
) -> PendingScore {
    let (time, bad_time) = match play_date(date) {
        Ok(t) => (t, None),
        Err(m) => (None, Some(m)),
    };
    let mut not_found = NotFound::new(format!(
        "Can't find chart with id {music_id} and difficulty {difficulty}"
    ));
    if let Some(m) = after_chart.or(bad_time) {
        not_found = not_found.invalid_once_chart_found(m);
    }
    PendingScore {
        dry: DryScore {
            service: SERVICE.to_owned(),
            game: gpt.game(),
            import_type,
            time_achieved: time,
            comment: None,
            score_data: data,
            score_meta: Map::new(),
        },
        query: ChartQuery {
            gpt,
            key: ChartKey::AnyInGameId(i64::from(music_id)),
            difficulty: Some(difficulty.to_owned()),
            version: None,
        },
        expected_level: None,
        not_found: Some(not_found),
        highlight: false,
    }
}

fn judge(data: &mut ScoreData, pairs: &[(&'static str, i32)]) {
    for (name, n) in pairs {
        data.judgements.insert((*name).into(), Some(i64::from(*n)));
    }
}

fn optional(data: &mut ScoreData, pairs: &[(&'static str, i32)]) {
    for (name, n) in pairs {
        data.optional
            .insert((*name).into(), MetricValue::Number(f64::from(*n)));
    }
}

/// `api/myt-chunithm` (spec §4.4).
pub(crate) fn chunithm(
    import_type: ImportType,
    item: &chunithm::GetPlaylogStreamItem,
) -> Result<PendingScore, ConverterFailure> {
    let (Some(info), Some(j)) = (&item.info, &item.judge) else {
        return Err(missing_parts());
    };
    let difficulty = match info.level {
        1 => "BASIC",
        2 => "ADVANCED",
        3 => "EXPERT",
        4 => "MASTER",
        5 => "ULTIMA",
        6 => {
            return Err(ConverterFailure::Skip(
                "WORLD'S END charts are not supported".to_owned(),
            ));
        }
        _ => return Err(unspecified_difficulty(info.music_id)),
    };
    let clear_lamp = match info.clear_status {
        1 => "FAILED",
        2 => "CLEAR",
        3 => "HARD",
        4 => "BRAVE",
        5 => "ABSOLUTE",
        6 => "CATASTROPHY",
        _ => {
            return Err(invalid(
                "Can't process a score with an invalid clear status",
            ));
        }
    };
    let note_lamp = match info.combo_status {
        1 => "NONE",
        2 => "FULL COMBO",
        3 => "ALL JUSTICE",
        4 => "ALL JUSTICE CRITICAL",
        _ => {
            return Err(invalid(
                "Can't process a score with an invalid combo status",
            ));
        }
    };
    let mut data = ScoreData::default();
    data.set("score", f64::from(info.score));
    data.set("clearLamp", clear_lamp);
    data.set("noteLamp", note_lamp);
    // JavaScript adds the two counts as doubles: no int32 overflow.
    data.judgements.insert(
        "jcrit".into(),
        Some(i64::from(j.judge_critical) + i64::from(j.judge_heaven)),
    );
    judge(
        &mut data,
        &[
            ("justice", j.judge_justice),
            ("attack", j.judge_attack),
            ("miss", j.judge_miss),
        ],
    );
    optional(&mut data, &[("maxCombo", j.max_combo)]);
    Ok(pending(
        import_type,
        Gpt::ChunithmSingle,
        info.music_id,
        difficulty,
        data,
        &info.user_play_date,
        None,
    ))
}

/// `api/myt-maimaidx` (spec §4.5).
pub(crate) fn maimai(
    import_type: ImportType,
    item: &maimai::GetPlaylogStreamItem,
) -> Result<PendingScore, ConverterFailure> {
    let (Some(info), Some(j)) = (&item.info, &item.judge) else {
        return Err(missing_parts());
    };
    let base = match info.level {
        1 => "Basic",
        2 => "Advanced",
        3 => "Expert",
        4 => "Master",
        5 => "Re:Master",
        6 => {
            return Err(ConverterFailure::Skip(
                "Utage charts are not supported".to_owned(),
            ));
        }
        _ => return Err(unspecified_difficulty(info.music_id)),
    };
    // Songs numbered from 10000 on are the DX charts.
    let difficulty = if info.music_id >= 10_000 {
        format!("DX {base}")
    } else {
        base.to_owned()
    };
    let lamp = match (info.combo_status, info.is_clear) {
        (0, _) => None,
        (_, false) => Some("FAILED"),
        (1, true) => Some("CLEAR"),
        (2, true) => Some("FULL COMBO"),
        (3, true) => Some("FULL COMBO+"),
        (4, true) => Some("ALL PERFECT"),
        (5, true) => Some("ALL PERFECT+"),
        _ => None,
    }
    .ok_or_else(|| {
        invalid("Can't process a score with an invalid combo status and/or clear status")
    })?;
    let mut data = ScoreData::default();
    data.set("percent", f64::from(info.achievement) / 10_000.0);
    data.set("lamp", lamp);
    judge(
        &mut data,
        &[
            ("pcrit", j.judge_critical_perfect),
            ("perfect", j.judge_perfect),
            ("great", j.judge_great),
            ("good", j.judge_good),
            ("miss", j.judge_miss),
        ],
    );
    optional(
        &mut data,
        &[
            ("fast", j.fast_count),
            ("slow", j.late_count),
            ("maxCombo", j.max_combo),
        ],
    );
    Ok(pending(
        import_type,
        Gpt::MaimaidxSingle,
        info.music_id,
        &difficulty,
        data,
        &info.user_play_date,
        None,
    ))
}

/// `api/myt-ongeki` (spec §4.6).
pub(crate) fn ongeki(
    import_type: ImportType,
    item: &ongeki::GetPlaylogStreamItem,
) -> Result<PendingScore, ConverterFailure> {
    let (Some(info), Some(j)) = (&item.info, &item.judge) else {
        return Err(missing_parts());
    };
    let difficulty = match info.level {
        1 => "BASIC",
        2 => "ADVANCED",
        3 => "EXPERT",
        4 => "MASTER",
        5 => "LUNATIC",
        _ => return Err(unspecified_difficulty(info.music_id)),
    };
    let note_lamp = match (info.combo_status, info.clear_status) {
        (0, _) | (_, 0) => None,
        _ if info.tech_score == 1_010_000 => Some("ALL BREAK+"),
        (3, _) => Some("ALL BREAK"),
        (2, _) => Some("FULL COMBO"),
        (_, 2 | 3) => Some("CLEAR"),
        (_, 1) => Some("LOSS"),
        _ => None,
    }
    .ok_or_else(|| {
        invalid("Can't process a score with an invalid combo status and/or clear status")
    })?;
    let mut data = ScoreData::default();
    data.set("score", f64::from(info.tech_score));
    data.set("noteLamp", note_lamp);
    data.set(
        "bellLamp",
        if info.is_full_bell {
            "FULL BELL"
        } else {
            "NONE"
        },
    );
    data.set("platinumScore", f64::from(info.platinum_score));
    judge(
        &mut data,
        &[
            ("cbreak", j.judge_critical_break),
            ("break", j.judge_break),
            ("hit", j.judge_hit),
            ("miss", j.judge_miss),
        ],
    );
    optional(
        &mut data,
        &[
            ("damage", j.damage_count),
            ("bellCount", j.bell_count),
            ("totalBellCount", j.total_bell_count),
        ],
    );
    Ok(pending(
        import_type,
        Gpt::OngekiSingle,
        info.music_id,
        difficulty,
        data,
        &info.user_play_date,
        None,
    ))
}

/// `api/myt-wacca` (spec §4.7): the record is the play's info alone.
pub(crate) fn wacca(
    import_type: ImportType,
    info: &wacca::PlaylogInfo,
) -> Result<PendingScore, ConverterFailure> {
    let difficulty = match info.music_difficulty {
        1 => "NORMAL",
        2 => "HARD",
        3 => "EXPERT",
        4 => "INFERNO",
        _ => return Err(unspecified_difficulty(info.music_id)),
    };
    // Tachi finds the chart before it reads the lamp.
    let lamp = match &info.clear_status {
        None => Err("Can't process a score without clearStatus".to_owned()),
        Some(c) if c.is_all_marvelous => Ok("ALL MARVELOUS"),
        Some(c) if c.is_full_combo => Ok("FULL COMBO"),
        Some(c) if c.is_missless => Ok("MISSLESS"),
        Some(c) if c.is_clear => Ok("CLEAR"),
        // A give-up is a failure.
        Some(_) => Ok("FAILED"),
    };
    let mut data = ScoreData::default();
    data.set("score", f64::from(info.score));
    let after_chart = match lamp {
        Ok(l) => {
            data.set("lamp", l);
            None
        }
        Err(m) => Some(m),
    };
    // Without a judge message Tachi's judgements are all undefined, which
    // JSON leaves out.
    if let Some(j) = &info.judge {
        judge(
            &mut data,
            &[
                ("marvelous", j.marvelous),
                ("great", j.great),
                ("good", j.good),
                ("miss", j.miss),
            ],
        );
    }
    optional(
        &mut data,
        &[
            ("fast", info.fast),
            ("slow", info.late),
            ("maxCombo", info.combo),
        ],
    );
    Ok(pending(
        import_type,
        Gpt::WaccaSingle,
        info.music_id,
        difficulty,
        data,
        &info.user_play_date,
        after_chart,
    ))
}
