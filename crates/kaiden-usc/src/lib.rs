//! The USC IR (`ir/usc`, `POST /ir/usc/{playtype}/scores`), as Tachi imports
//! it: one unnamed-SDVX-clone score per request, its chart named by the
//! chart file's SHA-1. The route passes the playtype (`Controller` or
//! `Keyboard`) as the input field [`PLAYTYPE`]; the rest of the USC-IR protocol
//! (heartbeat, records, leaderboards, replays) is the server's.
#![deny(missing_docs)]

use kaiden_core::error::FormatError;
use kaiden_core::format::{ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore};
use kaiden_core::prudence::{self, Field, Schema, field};
use kaiden_core::query::{ChartKey, ChartQuery};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportError, ImportType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

pub use kaiden_core::format::TIME_RECEIVED;
/// The input field with the route's playtype (`Controller` or `Keyboard`).
pub const PLAYTYPE: &str = "playtype";

/// Hit windows a valid score was played with (USC's defaults), in ms:
/// perfect, good, hold, miss, slam.
pub const DEFAULT_WINDOWS: [(&str, f64); 5] = [
    ("perfect", 46.0),
    ("good", 150.0),
    ("hold", 150.0),
    ("miss", 300.0),
    ("slam", 84.0),
];

/// Why a USC request is refused as a whole (status 40 in the protocol).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UscError {
    /// The body is not JSON.
    #[error("Invalid JSON body: {0}")]
    Json(String),
    /// The chart object broke its schema.
    #[error("{}", .0.format("Invalid chart."))]
    Chart(Box<prudence::PrudenceError>),
    /// The score object broke its schema.
    #[error("{}", .0.format("Invalid USC Score."))]
    Score(Box<prudence::PrudenceError>),
    /// The playtype is neither `Controller` nor `Keyboard`.
    #[error("Invalid playtype. Expected Keyboard or Controller.")]
    Playtype,
}

impl FormatError for UscError {}

/// The chart object's schema (the route checks it before the import).
#[must_use]
pub fn chart_schema() -> &'static [Field] {
    static S: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
        vec![
            field("chartHash", Schema::Type("string")),
            field("artist", Schema::Type("string")),
            field("title", Schema::Type("string")),
            field("level", Schema::BoundedInteger(1, 20)),
            field("difficulty", Schema::BoundedInteger(0, 3)),
            field("effector", Schema::Type("string")),
            field("illustrator", Schema::Type("string")),
            field("bpm", Schema::Type("string")),
        ]
    });
    &S
}

fn score_schema() -> &'static [Field] {
    static S: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
        vec![
            field("score", Schema::BoundedInteger(0, 10_000_000)),
            field("gauge", Schema::Between(0.0, 1.0)),
            field("timestamp", Schema::PositiveInteger),
            field("crit", Schema::PositiveInteger),
            field("near", Schema::PositiveInteger),
            field("error", Schema::PositiveInteger),
            field("early", Schema::optional(Schema::PositiveInteger)),
            field("late", Schema::optional(Schema::PositiveInteger)),
            field("combo", Schema::optional(Schema::PositiveInteger)),
            field(
                "options",
                Schema::Object(vec![
                    field("gaugeType", Schema::InNum(&[0, 1, 2])),
                    field("mirror", Schema::Type("boolean")),
                    field("random", Schema::Type("boolean")),
                    field("autoFlags", Schema::Integer),
                ]),
            ),
            field(
                "windows",
                Schema::Object(
                    DEFAULT_WINDOWS
                        .iter()
                        .map(|(k, _)| field(k, Schema::Positive))
                        .collect(),
                ),
            ),
        ]
    });
    &S
}

/// What a USC score carries besides itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UscContext {
    /// The chart's SHA-1.
    pub chart_hash: String,
    /// `Controller` or `Keyboard`.
    pub playtype: String,
    /// When the request came (the score's `timeAchieved`).
    pub time_received: i64,
}

/// `ir/usc`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usc;

/// Tachi's `DeriveLamp`.
///
/// # Errors
/// A gauge type outside 0..=2.
pub fn derive_lamp(score: &Value) -> Result<&'static str, ConverterFailure> {
    if score["score"].as_f64() == Some(10_000_000.0) {
        return Ok("PERFECT ULTIMATE CHAIN");
    }
    if score["error"].as_f64() == Some(0.0) {
        return Ok("ULTIMATE CHAIN");
    }
    let gauge = score["gauge"].as_f64().unwrap_or(0.0);
    match score["options"]["gaugeType"].as_i64() {
        Some(0) => Ok(if gauge >= 0.7 { "CLEAR" } else { "FAILED" }),
        Some(1) => Ok(if gauge > 0.0 {
            "EXCESSIVE CLEAR"
        } else {
            "FAILED"
        }),
        Some(2) => Ok("FAILED"),
        other => Err(ConverterFailure::Internal(format!(
            "Invalid gaugeType of {}.",
            other.map_or_else(|| "undefined".to_owned(), |g| g.to_string())
        ))),
    }
}

/// Tachi's `DeriveNoteMod`.
#[must_use]
pub fn derive_note_mod(score: &Value) -> &'static str {
    let on = |k: &str| score["options"][k] == Value::Bool(true);
    match (on("mirror"), on("random")) {
        (true, true) => "MIR-RAN",
        (true, false) => "MIRROR",
        (false, true) => "RANDOM",
        (false, false) => "NORMAL",
    }
}

#[allow(clippy::cast_precision_loss)]
fn opt_num(v: &Value) -> MetricValue {
    v.as_f64().map_or(MetricValue::Null, MetricValue::Number)
}

impl ImportFormat for Usc {
    /// The `score` object of the body (`early`, `late`, `combo` as null when
    /// absent, as Tachi's parser sets them).
    type Record = Value;
    type Context = UscContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_USC]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, UscContext>, ImportError> {
        let playtype = match input.field(PLAYTYPE) {
            Some(p @ ("Controller" | "Keyboard")) => p.to_owned(),
            _ => return Err(UscError::Playtype.into()),
        };
        let mut body: Value =
            serde_json::from_slice(input.bytes).map_err(|e| UscError::Json(e.to_string()))?;
        prudence::check_opt(body.get("chart"), chart_schema(), true)
            .map_err(|e| UscError::Chart(Box::new(e)))?;
        prudence::check_opt(body.get("score"), score_schema(), true)
            .map_err(|e| UscError::Score(Box::new(e)))?;
        let chart_hash = body["chart"]["chartHash"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut score = body
            .get_mut("score")
            .map(Value::take)
            .unwrap_or(Value::Null);
        if let Value::Object(m) = &mut score {
            for k in ["early", "late", "combo"] {
                m.entry(k).or_insert(Value::Null);
            }
        }
        Ok(ParsedImport {
            game: Game::Usc,
            context: UscContext {
                chart_hash,
                playtype,
                time_received: input.time_received(),
            },
            records: Box::new(std::iter::once(Ok(score))),
            classes: ClassSlot::default(),
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        data: &Value,
        context: &UscContext,
    ) -> Result<PendingScore, ConverterFailure> {
        #[allow(clippy::float_cmp)]
        let modified = DEFAULT_WINDOWS
            .iter()
            .any(|(k, v)| data["windows"][*k].as_f64() != Some(*v));
        if modified {
            return Err(ConverterFailure::InvalidScore(
                "HitWindows have been modified - Score is invalid.".to_owned(),
            ));
        }
        if data["options"]["autoFlags"].as_f64() != Some(0.0) {
            return Err(ConverterFailure::InvalidScore(
                "Autoplay was enabled - Score is invalid.".to_owned(),
            ));
        }
        let gpt = if context.playtype == "Keyboard" {
            Gpt::UscKeyboard
        } else {
            Gpt::UscController
        };
        let lamp = derive_lamp(data)?;
        let mut sd = ScoreData::default();
        sd.set(
            "score",
            MetricValue::Number(prudence::int_field(data, "score")? as f64),
        );
        sd.set("lamp", lamp);
        for (to, from) in [("critical", "crit"), ("near", "near"), ("miss", "error")] {
            sd.judgements
                .insert(to.into(), Some(prudence::int_field(data, from)?));
        }
        let opt = &mut sd.optional;
        opt.insert("gauge".into(), opt_num(&data["gauge"]));
        opt.insert("fast".into(), opt_num(&data["early"]));
        opt.insert("slow".into(), opt_num(&data["late"]));
        opt.insert("maxCombo".into(), opt_num(&data["combo"]));
        let gauge_mod = match data["options"]["gaugeType"].as_i64() {
            Some(0) => "NORMAL",
            Some(1) => "HARD",
            _ => "PERMISSIVE",
        };
        let mut meta = Map::new();
        meta.insert("gaugeMod".into(), gauge_mod.into());
        meta.insert("noteMod".into(), derive_note_mod(data).into());
        Ok(PendingScore {
            dry: DryScore {
                service: "USC-IR".to_owned(),
                game: Game::Usc,
                import_type,
                time_achieved: Some(context.time_received),
                comment: None,
                score_data: sd,
                score_meta: meta,
            },
            query: ChartQuery {
                gpt,
                key: ChartKey::UscChartHash(context.chart_hash.clone()),
                difficulty: None,
                version: None,
            },
            expected_level: None,
            not_found: Some(format!("Chart {} is not on the IR.", context.chart_hash).into()),
            highlight: false,
        })
    }
}
