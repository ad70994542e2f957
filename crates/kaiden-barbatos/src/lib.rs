//! The Barbatos SDVX score hook (`ir/barbatos`, `POST /ir/barbatos/score/submit`),
//! as Tachi imports it: one score per request, in SDVX 5 (VIVID WAVE) or SDVX 6
//! (EXCEED GEAR) shape, told apart by the presence of `ex_score`. Both schemas
//! are strict (no excess keys).
#![deny(missing_docs)]

use kaiden_core::error::FormatError;
use kaiden_core::format::{ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore};
use kaiden_core::prudence::{self, Field, Schema, field};
use kaiden_core::query::{ChartKey, ChartQuery, SDVX_ANY_INF};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportError, ImportType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

pub use kaiden_core::format::TIME_RECEIVED;

/// Why a Barbatos request is refused as a whole (HTTP 400).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BarbatosError {
    /// The body is not JSON.
    #[error("Invalid JSON body: {0}")]
    Json(String),
    /// The body broke its schema (prudence's text).
    #[error("{}", .0.format("Invalid Barbatos Request"))]
    Schema(prudence::PrudenceError),
}

impl FormatError for BarbatosError {}

fn vivid_schema() -> &'static [Field] {
    static SCHEMA: std::sync::LazyLock<Vec<Field>> =
        std::sync::LazyLock::new(vivid_schema_uncached);
    &SCHEMA
}

fn vivid_schema_uncached() -> Vec<Field> {
    vec![
        field("difficulty", Schema::InNum(&[0, 1, 2, 3, 4])),
        field("level", Schema::BoundedInteger(1, 20)),
        field("song_id", Schema::PositiveInteger),
        field("max_chain", Schema::PositiveInteger),
        field("critical", Schema::PositiveInteger),
        field("near_total", Schema::PositiveInteger),
        field("near_fast", Schema::PositiveInteger),
        field("near_slow", Schema::PositiveInteger),
        field("score", Schema::BoundedInteger(0, 10_000_000)),
        field("error", Schema::PositiveInteger),
        field("percent", Schema::Between(0.0, 100.0)),
        field("did_fail", Schema::Type("boolean")),
        field("clear_type", Schema::InNum(&[1, 2, 3, 4, 5])),
        field("gauge_type", Schema::InNum(&[0, 1, 2, 3])),
        field("is_skill_analyzer", Schema::Type("boolean")),
    ]
}

fn exceed_schema() -> &'static [Field] {
    static SCHEMA: std::sync::LazyLock<Vec<Field>> =
        std::sync::LazyLock::new(exceed_schema_uncached);
    &SCHEMA
}

fn exceed_schema_uncached() -> Vec<Field> {
    let mut f = vec![
        field("difficulty", Schema::InNum(&[0, 1, 2, 3, 4])),
        field("level", Schema::BoundedInteger(1, 20)),
        field("score", Schema::BoundedInteger(0, 10_000_000)),
        field("ex_score", Schema::Integer),
        field("clear_type", Schema::InNum(&[1, 2, 3, 4, 5])),
        field("song_id", Schema::PositiveInteger),
        field("grade", Schema::Any),
        field("percent", Schema::Between(0.0, 100.0)),
        field("max_chain", Schema::PositiveInteger),
    ];
    for k in [
        "early_error",
        "early_near",
        "early_crit",
        "s_crit",
        "late_crit",
        "late_near",
        "late_error",
        "chip_s_crit",
        "chip_crit",
        "chip_near",
        "chip_error",
        "long_crit",
        "long_error",
        "vol_crit",
        "vol_error",
    ] {
        f.push(field(k, Schema::Integer));
    }
    f.push(field("gauge_type", Schema::InNum(&[0, 1, 2, 3])));
    f
}

/// What a Barbatos score carries besides itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BarbatosContext {
    /// When the request came (the score's `timeAchieved`).
    pub time_received: i64,
    /// `vivid` (SDVX 5 shape) or `exceed` (SDVX 6 shape).
    pub version: String,
}

/// `ir/barbatos`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Barbatos;

impl ImportFormat for Barbatos {
    /// The request body, kept whole.
    type Record = Value;
    type Context = BarbatosContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_BARBATOS]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, BarbatosContext>, ImportError> {
        let body: Value =
            serde_json::from_slice(input.bytes).map_err(|e| BarbatosError::Json(e.to_string()))?;
        let exceed = body.get("ex_score").is_some();
        let schema = if exceed {
            exceed_schema()
        } else {
            vivid_schema()
        };
        prudence::check(&body, schema, false).map_err(BarbatosError::Schema)?;
        Ok(ParsedImport {
            game: Game::Sdvx,
            context: BarbatosContext {
                time_received: input.time_received(),
                version: if exceed { "exceed" } else { "vivid" }.to_owned(),
            },
            records: Box::new(std::iter::once(Ok(body))),
            classes: ClassSlot::default(),
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        data: &Value,
        context: &BarbatosContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let difficulty = match prudence::int_field(data, "difficulty")? {
            0 => "NOV",
            1 => "ADV",
            2 => "EXH",
            3 => SDVX_ANY_INF,
            4 => "MXM",
            d => {
                return Err(ConverterFailure::InvalidScore(format!(
                    "Invalid difficulty {d}."
                )));
            }
        };
        let lamp = match prudence::int_field(data, "clear_type")? {
            1 => "FAILED",
            2 => "CLEAR",
            3 => "EXCESSIVE CLEAR",
            4 => "ULTIMATE CHAIN",
            5 => "PERFECT ULTIMATE CHAIN",
            c => {
                return Err(ConverterFailure::InvalidScore(format!(
                    "Invalid clear_type {c}."
                )));
            }
        };
        let song_id = prudence::int_field(data, "song_id")?;
        let exceed = data.get("ex_score").is_some();
        let (critical, near, miss, fast, slow) = if exceed {
            (
                prudence::int_field(data, "early_crit")?
                    + prudence::int_field(data, "s_crit")?
                    + prudence::int_field(data, "late_crit")?,
                // Tachi's sum, as written (chip nears only).
                prudence::int_field(data, "chip_near")?,
                prudence::int_field(data, "early_error")?
                    + prudence::int_field(data, "late_error")?,
                prudence::int_field(data, "early_near")?,
                prudence::int_field(data, "late_near")?,
            )
        } else {
            (
                prudence::int_field(data, "critical")?,
                prudence::int_field(data, "near_total")?,
                prudence::int_field(data, "error")?,
                prudence::int_field(data, "near_fast")?,
                prudence::int_field(data, "near_slow")?,
            )
        };
        let mut sd = ScoreData::default();
        sd.set(
            "score",
            MetricValue::from(prudence::int_field(data, "score")?),
        );
        sd.set("lamp", lamp);
        for (k, v) in [("critical", critical), ("near", near), ("miss", miss)] {
            sd.judgements.insert(k.into(), Some(v));
        }
        let percent = data
            .get("percent")
            .and_then(Value::as_f64)
            .ok_or_else(|| ConverterFailure::InvalidScore("Invalid percent.".to_owned()))?;
        let opt = &mut sd.optional;
        opt.insert("fast".into(), MetricValue::from(fast));
        opt.insert("slow".into(), MetricValue::from(slow));
        opt.insert("gauge".into(), MetricValue::Number(percent));
        opt.insert(
            "maxCombo".into(),
            MetricValue::from(prudence::int_field(data, "max_chain")?),
        );
        opt.insert(
            "exScore".into(),
            if exceed {
                MetricValue::from(prudence::int_field(data, "ex_score")?)
            } else {
                MetricValue::Null
            },
        );
        let mut meta = Map::new();
        meta.insert(
            "inSkillAnalyser".into(),
            data.get("is_skill_analyzer")
                .cloned()
                .unwrap_or(Value::Null),
        );
        Ok(PendingScore {
            dry: DryScore {
                service: format!("Barbatos ({})", context.version),
                game: Game::Sdvx,
                import_type,
                time_achieved: Some(context.time_received),
                comment: None,
                score_data: sd,
                score_meta: meta,
            },
            query: ChartQuery {
                gpt: Gpt::SdvxSingle,
                key: ChartKey::SdvxInGameId(song_id),
                difficulty: Some(difficulty.to_owned()),
                version: Some(context.version.clone()),
            },
            expected_level: None,
            not_found: Some(
                format!("Could not find chart with songID {song_id} ({difficulty})").into(),
            ),
            highlight: false,
        })
    }
}
