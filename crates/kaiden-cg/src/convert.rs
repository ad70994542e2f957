//! CG's four converters (Tachi's `api-cg/{jb,museca,popn,sdvx}/converter.ts`).
//! Items reach them already checked against their game's schema. What Tachi
//! checks before its chart lookup fails the record at once; what it checks
//! after (a lamp, the timestamp) waits for the chart: an unknown chart is an
//! orphan whatever those hold.

use kaiden_core::format::PendingScore;
use kaiden_core::query::{ChartKey, ChartQuery, NotFound};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Gpt, ImportType};
use kaiden_games::GptConfig;
use serde_json::{Map, Value};

use crate::{CgGame, Service};

fn invalid(m: impl Into<String>) -> ConverterFailure {
    ConverterFailure::InvalidScore(m.into())
}

/// An integer of the item (the schema checked it).
fn int(item: &Value, key: &str) -> i64 {
    item.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// Tachi's `ParseDateFromString`: empty is no time; one that does not parse
/// is invalid. An ISO-8601 time without a zone is read as UTC.
fn time_achieved(item: &Value) -> Result<Option<i64>, String> {
    let s = item.get("dateTime").and_then(Value::as_str).unwrap_or("");
    if s.is_empty() {
        return Ok(None);
    }
    kaiden_core::time::parse_js_date(s)
        .map(Some)
        .ok_or_else(|| format!("Invalid/Unparsable score timestamp of {s}."))
}

/// JavaScript's `ToInt32` of a value used in `&` (jubeat's `clearFlag` is
/// not checked by the schema).
fn to_int32(v: Option<&Value>) -> i64 {
    let n = match v {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => kaiden_core::stable_json::js_number(s),
        Some(Value::Bool(true)) => 1.0,
        _ => 0.0,
    };
    if !n.is_finite() {
        return 0;
    }
    #[allow(clippy::cast_possible_truncation)]
    let wrapped = (n.trunc() % 4_294_967_296.0) as i64;
    let u = wrapped.rem_euclid(4_294_967_296);
    if u >= 2_147_483_648 {
        u - 4_294_967_296
    } else {
        u
    }
}

fn difficulty_error(d: i64) -> ConverterFailure {
    invalid(format!("Invalid difficulty of {d} - Could not convert."))
}

/// What a converter found before the chart lookup.
struct Parts {
    gpt: Gpt,
    key: ChartKey,
    difficulty: &'static str,
    version: Option<&'static str>,
    /// The version as Tachi's not-found message names it.
    version_label: &'static str,
    /// `internalId` or `songID`, as the game's message says.
    id_name: &'static str,
    data: ScoreData,
    /// The first check Tachi makes after finding the chart that fails.
    after_chart: Option<String>,
}

pub(crate) fn convert(
    import_type: ImportType,
    game: CgGame,
    service: Service,
    item: &Value,
) -> Result<PendingScore, ConverterFailure> {
    let id = int(item, "internalId");
    let d = int(item, "difficulty");
    let v = int(item, "version");
    let mut data = ScoreData::default();
    #[allow(clippy::cast_precision_loss)]
    let num = |k: &str| int(item, k) as f64;
    let judge = |data: &mut ScoreData, pairs: &[(&'static str, &str)]| {
        for (name, key) in pairs {
            data.judgements.insert((*name).into(), Some(int(item, key)));
        }
    };
    let (time_ok, time_err) = match time_achieved(item) {
        Ok(t) => (t, None),
        Err(m) => (None, Some(m)),
    };
    let parts = match game {
        CgGame::Jubeat => {
            let hard = item
                .get("hardMode")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let difficulty = match (d, hard) {
                (0, false) => "BSC",
                (1, false) => "ADV",
                (2, false) => "EXT",
                (0, true) => "HARD BSC",
                (1, true) => "HARD ADV",
                (2, true) => "HARD EXT",
                _ => return Err(difficulty_error(d)),
            };
            let version = match v {
                1 => "jubeat",
                2 => "ripples",
                3 => "knit",
                4 => "copious",
                5 => "saucer",
                6 => "prop",
                7 => "qubell",
                8 => "clan",
                9 | 10 => "festo",
                11 => "ave",
                _ => return Err(invalid(format!("Unknown Game Version {v}."))),
            };
            let flag = to_int32(item.get("clearFlag"));
            let lamp = if flag & 8 != 0 {
                "EXCELLENT"
            } else if flag & 4 != 0 {
                "FULL COMBO"
            } else if flag & 2 != 0 {
                "CLEAR"
            } else if flag & 1 != 0 {
                "FAILED"
            } else {
                return Err(invalid("Failed to decode Lamp using bitfield clearFlag."));
            };
            data.set("score", num("score"));
            data.set("musicRate", num("musicRate") / 10.0);
            data.set("lamp", lamp);
            judge(
                &mut data,
                &[
                    ("perfect", "perfectCount"),
                    ("great", "greatCount"),
                    ("good", "goodCount"),
                    ("poor", "poorCount"),
                    ("miss", "missCount"),
                ],
            );
            // The version is checked but not used to find the chart, which
            // may be any chart of the id (Tachi's FindChartOnInGameID).
            Parts {
                gpt: Gpt::JubeatSingle,
                key: ChartKey::AnyInGameId(id),
                difficulty,
                version: None,
                version_label: version,
                id_name: "internalId",
                data,
                after_chart: time_err.clone(),
            }
        }
        CgGame::Museca => {
            let difficulty = match d {
                0 => "Green",
                1 => "Yellow",
                2 => "Red",
                _ => return Err(difficulty_error(d)),
            };
            if v != 2 {
                return Err(invalid(format!("Unknown/Unsupported Game Version {v}.")));
            }
            let score = num("score");
            let error = int(item, "error");
            // Tachi's MusecaGetLamp: the game's own clear is not used.
            let lamp = if score >= 1_000_000.0 {
                "PERFECT CONNECT ALL"
            } else if error == 0 {
                "CONNECT ALL"
            } else if score >= 800_000.0 {
                "CLEAR"
            } else {
                "FAILED"
            };
            data.set("score", score);
            data.set("lamp", lamp);
            judge(
                &mut data,
                &[
                    ("critical", "critical"),
                    ("near", "near"),
                    ("miss", "error"),
                ],
            );
            data.optional
                .insert("maxCombo".into(), MetricValue::Number(num("maxChain")));
            Parts {
                gpt: Gpt::MusecaSingle,
                key: ChartKey::InGameId(id),
                difficulty,
                version: Some("1.5-b"),
                version_label: "1.5-b",
                id_name: "songID",
                data,
                after_chart: time_err.clone(),
            }
        }
        CgGame::Popn => {
            let difficulty = match d {
                0 => "Easy",
                1 => "Normal",
                2 => "Hyper",
                3 => "EX",
                4 | 5 => {
                    return Err(ConverterFailure::Skip(
                        "Battle Mode scores are not supported!".to_owned(),
                    ));
                }
                _ => return Err(difficulty_error(d)),
            };
            let version = match v {
                27 => "unilab",
                26 => "kaimei",
                25 => "peace",
                _ => return Err(invalid(format!("Unknown/Unsupported Game Version {v}."))),
            };
            let score = int(item, "score");
            if score > 100_000 {
                return Err(invalid(format!("Score is > 100_000 (got {score})")));
            }
            let flag = int(item, "clearFlag");
            // clearFlag 1..11 is the medal's place in the game's enum
            // (failedCircle .. perfect).
            let medal = usize::try_from(flag - 1).ok().and_then(|i| {
                GptConfig::of(Gpt::Popn9B)
                    .enum_values("clearMedal")
                    .get(i)
                    .copied()
            });
            #[allow(clippy::cast_precision_loss)]
            data.set("score", score as f64);
            // An unknown medal is reported once the chart is found; until then
            // the score holds none (it is not stored).
            if let Some(m) = medal {
                data.set("clearMedal", m);
            }
            judge(
                &mut data,
                &[
                    ("cool", "coolCount"),
                    ("great", "greatCount"),
                    ("good", "goodCount"),
                    ("bad", "badCount"),
                ],
            );
            let after_chart = match medal {
                None => Some(format!("Invalid/unexpected clearMedal of {flag}.")),
                Some(_) => time_err.clone(),
            };
            Parts {
                gpt: Gpt::Popn9B,
                key: ChartKey::InGameId(id),
                difficulty,
                version: Some(version),
                version_label: version,
                id_name: "songID",
                data,
                after_chart,
            }
        }
        CgGame::Sdvx => {
            let difficulty = match d {
                0 => "NOV",
                1 => "ADV",
                2 => "EXH",
                3 => "ANY_INF",
                4 => "MXM",
                5 => "ULT",
                _ => return Err(difficulty_error(d)),
            };
            let version = match v {
                1 => "booth",
                2 => "inf",
                3 => "gw",
                4 => "heaven",
                5 => "vivid",
                6 => "exceed",
                _ => return Err(invalid(format!("Unknown Game Version {v}."))),
            };
            let clear = int(item, "clearType");
            let lamp = match clear {
                1 => Some("FAILED"),
                2 => Some("CLEAR"),
                3 => Some("EXCESSIVE CLEAR"),
                4 => Some("ULTIMATE CHAIN"),
                5 => Some("PERFECT ULTIMATE CHAIN"),
                6 => Some("MAXXIVE CLEAR"),
                _ => None,
            };
            data.set("score", num("score"));
            if let Some(l) = lamp {
                data.set("lamp", l);
            }
            judge(
                &mut data,
                &[
                    ("critical", "critical"),
                    ("near", "near"),
                    ("miss", "error"),
                ],
            );
            data.optional
                .insert("maxCombo".into(), MetricValue::Number(num("maxChain")));
            let ex = num("exScore");
            data.optional.insert(
                "exScore".into(),
                if ex == 0.0 {
                    MetricValue::Null
                } else {
                    MetricValue::Number(ex)
                },
            );
            let after_chart = match lamp {
                None => Some(format!("Invalid lamp of {clear} - Could not convert.")),
                Some(_) => time_err.clone(),
            };
            Parts {
                gpt: Gpt::SdvxSingle,
                key: ChartKey::SdvxInGameId(id),
                difficulty,
                version: Some(version),
                version_label: version,
                id_name: "songID",
                data,
                after_chart,
            }
        }
    };
    let mut not_found = NotFound::new(format!(
        "Could not find chart with {} {id} ({} - Version {})",
        parts.id_name, parts.difficulty, parts.version_label
    ));
    if let Some(m) = &parts.after_chart {
        not_found = not_found.invalid_once_chart_found(m.clone());
    }
    Ok(PendingScore {
        dry: DryScore {
            service: service.label().to_owned(),
            game: game.game(),
            import_type,
            // A timestamp that does not parse is reported once the chart is
            // found (above); the score is not stored then.
            time_achieved: time_ok,
            comment: None,
            score_data: parts.data,
            score_meta: Map::new(),
        },
        query: ChartQuery {
            gpt: parts.gpt,
            key: parts.key,
            difficulty: Some(parts.difficulty.to_owned()),
            version: parts.version.map(str::to_owned),
        },
        expected_level: None,
        not_found: Some(not_found),
        highlight: false,
    })
}
