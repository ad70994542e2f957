//! The kshook SDVX Konaste score hook, as Tachi imports it.
//!
//! - `ir/kshook-sv6c` ([`KsHook`]): one score per request
//!   (`POST /ir/kshook/sv6c/score/save`).
//! - `ir/kshook-sv6c-static` ([`KsHookStatic`]): a list of the player's best
//!   scores (`POST /ir/kshook/sv6c/score/export`), imported only when the
//!   user's one-shot `forceStaticImport` setting is on (the route's check).
//!
//! Charts are found by in-game id and difficulty in the `konaste` version.
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

/// Why a kshook request is refused as a whole (HTTP 400).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum KsHookError {
    /// The body is not JSON.
    #[error("Invalid JSON body: {0}")]
    Json(String),
    /// The body broke the request schema (prudence's text).
    #[error("{}", .0.format("Error"))]
    Schema(prudence::PrudenceError),
}

impl FormatError for KsHookError {}

const CLEARS: &[&str] = &[
    "CLEAR_PLAYED",
    "CLEAR_EFFECTIVE",
    "CLEAR_EXCESSIVE",
    "CLEAR_ULTIMATE_CHAIN",
    "CLEAR_MAXXIVE",
    "CLEAR_PERFECT",
];
const DIFFICULTIES: &[&str] = &[
    "DIFFICULTY_NOVICE",
    "DIFFICULTY_ADVANCED",
    "DIFFICULTY_EXHAUST",
    "DIFFICULTY_INFINITE",
    "DIFFICULTY_MAXIMUM",
];
const GRADES: &[&str] = &[
    "GRADE_D",
    "GRADE_C",
    "GRADE_B",
    "GRADE_A",
    "GRADE_A_PLUS",
    "GRADE_AA",
    "GRADE_AA_PLUS",
    "GRADE_AAA",
    "GRADE_AAA_PLUS",
    "GRADE_S",
];
const RATES: &[&str] = &[
    "RATE_EFFECTIVE",
    "RATE_PERMISSIVE",
    "RATE_EXCESSIVE",
    "RATE_BLASTIVE",
    "RATE_MAXXIVE",
];

fn score_schema() -> &'static [Field] {
    static SCHEMA: std::sync::LazyLock<Vec<Field>> =
        std::sync::LazyLock::new(score_schema_uncached);
    &SCHEMA
}

fn score_schema_uncached() -> Vec<Field> {
    vec![
        field("clear", Schema::InStr(CLEARS)),
        field("difficulty", Schema::InStr(DIFFICULTIES)),
        field("gauge", Schema::Between(0.0, 10000.0)),
        field("grade", Schema::InStr(GRADES)),
        field("max_chain", Schema::PositiveInteger),
        field("music_id", Schema::PositiveInteger),
        field("score", Schema::BoundedInteger(0, 10_000_000)),
        field("ex_score", Schema::PositiveInteger),
        field("critical", Schema::PositiveInteger),
        field("near", Schema::PositiveInteger),
        field("error", Schema::PositiveInteger),
        field("rate", Schema::InStr(RATES)),
        field("track_no", Schema::PositiveInteger),
        field("retry_count", Schema::Any),
    ]
}

fn static_schema() -> &'static [Field] {
    static SCHEMA: std::sync::LazyLock<Vec<Field>> =
        std::sync::LazyLock::new(static_schema_uncached);
    &SCHEMA
}

fn static_schema_uncached() -> Vec<Field> {
    vec![field(
        "scores",
        Schema::array(Schema::Object(vec![
            field("score", Schema::BoundedInteger(0, 10_000_000)),
            field("ex_score", Schema::PositiveInteger),
            field("clear", Schema::InStr(CLEARS)),
            field("difficulty", Schema::InStr(DIFFICULTIES)),
            field("grade", Schema::InStr(GRADES)),
            field("max_chain", Schema::PositiveInteger),
            field("music_id", Schema::PositiveInteger),
            field("timestamp", Schema::PositiveInteger),
        ])),
    )]
}

fn body(input: &ImportInput<'_>) -> Result<Value, ImportError> {
    serde_json::from_slice(input.bytes).map_err(|e| KsHookError::Json(e.to_string()).into())
}

/// Tachi's `SV6CConvertDifficulty` (anything unknown is MXM).
fn difficulty(d: Option<&str>) -> &'static str {
    match d {
        Some("DIFFICULTY_NOVICE") => "NOV",
        Some("DIFFICULTY_ADVANCED") => "ADV",
        Some("DIFFICULTY_EXHAUST") => "EXH",
        Some("DIFFICULTY_INFINITE") => SDVX_ANY_INF,
        _ => "MXM",
    }
}

/// Tachi's `SV6CConvertLamp`.
fn lamp(clear: Option<&str>) -> Result<&'static str, ConverterFailure> {
    Ok(match clear {
        Some("CLEAR_PLAYED") => "FAILED",
        Some("CLEAR_EFFECTIVE") => "CLEAR",
        Some("CLEAR_EXCESSIVE") => "EXCESSIVE CLEAR",
        Some("CLEAR_ULTIMATE_CHAIN") => "ULTIMATE CHAIN",
        Some("CLEAR_PERFECT") => "PERFECT ULTIMATE CHAIN",
        Some("CLEAR_MAXXIVE") => "MAXXIVE CLEAR",
        other => {
            return Err(ConverterFailure::InvalidScore(format!(
                "Invalid lamp of {} - Could not convert.",
                other.unwrap_or("undefined")
            )));
        }
    })
}

/// The parts both types share: score, lamp, chart query.
fn common(
    import_type: ImportType,
    data: &Value,
    service: &str,
    time_achieved: i64,
) -> Result<PendingScore, ConverterFailure> {
    let diff = difficulty(data.get("difficulty").and_then(Value::as_str));
    let music_id = prudence::int_field(data, "music_id")?;
    let mut sd = ScoreData::default();
    sd.set(
        "score",
        MetricValue::from(prudence::int_field(data, "score")?),
    );
    sd.set("lamp", lamp(data.get("clear").and_then(Value::as_str))?);
    sd.optional.insert(
        "maxCombo".into(),
        MetricValue::from(prudence::int_field(data, "max_chain")?),
    );
    sd.optional.insert(
        "exScore".into(),
        MetricValue::from(prudence::int_field(data, "ex_score")?),
    );
    Ok(PendingScore {
        dry: DryScore {
            service: service.to_owned(),
            game: Game::Sdvx,
            import_type,
            time_achieved: Some(time_achieved),
            comment: None,
            score_data: sd,
            score_meta: Map::new(),
        },
        query: ChartQuery {
            gpt: Gpt::SdvxSingle,
            key: ChartKey::SdvxInGameId(music_id),
            difficulty: Some(diff.to_owned()),
            version: Some("konaste".to_owned()),
        },
        expected_level: None,
        not_found: Some(
            format!("Could not find chart with songID {music_id} ({diff} for Konaste).").into(),
        ),
        highlight: false,
    })
}

/// What a kshook score request's score carries besides itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KsHookContext {
    /// When the request came (the score's `timeAchieved`).
    pub time_received: i64,
}

/// `ir/kshook-sv6c`.
#[derive(Debug, Clone, Copy, Default)]
pub struct KsHook;

impl ImportFormat for KsHook {
    /// The request body, kept whole.
    type Record = Value;
    type Context = KsHookContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_KSHOOK_SV6C]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, KsHookContext>, ImportError> {
        let body = body(input)?;
        prudence::check(&body, score_schema(), true).map_err(KsHookError::Schema)?;
        Ok(ParsedImport {
            game: Game::Sdvx,
            context: KsHookContext {
                time_received: input.time_received(),
            },
            records: Box::new(std::iter::once(Ok(body))),
            classes: ClassSlot::default(),
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        data: &Value,
        context: &KsHookContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let mut p = common(import_type, data, "kshook SV6C", context.time_received)?;
        let sd = &mut p.dry.score_data;
        for (j, from) in [
            ("critical", "critical"),
            ("near", "near"),
            ("miss", "error"),
        ] {
            sd.judgements
                .insert(j.into(), Some(prudence::int_field(data, from)?));
        }
        let gauge = data
            .get("gauge")
            .and_then(Value::as_f64)
            .ok_or_else(|| ConverterFailure::InvalidScore("Invalid gauge.".to_owned()))?;
        sd.optional
            .insert("gauge".into(), MetricValue::Number(gauge / 100.0));
        Ok(p)
    }
}

/// What a static export's scores share: nothing (Tachi's context is `{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KsHookStaticContext {}

/// `ir/kshook-sv6c-static`.
#[derive(Debug, Clone, Copy, Default)]
pub struct KsHookStatic;

impl ImportFormat for KsHookStatic {
    /// One element of `scores`.
    type Record = Value;
    type Context = KsHookStaticContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_KSHOOK_SV6C_STATIC]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, KsHookStaticContext>, ImportError> {
        let body = body(input)?;
        prudence::check(&body, static_schema(), true).map_err(KsHookError::Schema)?;
        let scores = match body {
            Value::Object(mut m) => match m.remove("scores") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        Ok(ParsedImport {
            game: Game::Sdvx,
            context: KsHookStaticContext {},
            records: Box::new(scores.into_iter().map(Ok)),
            classes: ClassSlot::default(),
        })
    }

    fn convert(
        &self,
        _import_type: ImportType,
        data: &Value,
        _context: &KsHookStaticContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let when = prudence::int_field(data, "timestamp")?.saturating_mul(1000);
        // Tachi's quirk: the static converter's scores name `ir/kshook-sv6c`.
        common(ImportType::IR_KSHOOK_SV6C, data, "kshook SV6C Static", when)
    }
}
