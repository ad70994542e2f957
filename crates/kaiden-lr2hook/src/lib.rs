//! The LR2Hook BMS score hook (`ir/lr2hook`, `POST /ir/lr2hook/import`), as
//! Tachi imports it: one score per request, its chart named by md5. The same
//! body sent to `POST /ir/lr2hook/import/course` reports a course clear
//! ([`check_course`]; the route looks the course up in the seeds'
//! `bms-course-lookup.json`).
#![deny(missing_docs)]

use kaiden_core::error::FormatError;
use kaiden_core::format::{ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore};
use kaiden_core::prudence::{self, Field, PrudenceError, Schema, field, field_msg};
use kaiden_core::query::{ChartKey, ChartQuery};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{
    ChartDocument, ConverterFailure, Game, Gpt, ImportError, ImportType, Playtype, SongDocument,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

pub use kaiden_core::format::TIME_RECEIVED;

/// Why an LR2Hook request is refused as a whole (HTTP 400).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Lr2HookError {
    /// The body is not JSON.
    #[error("Invalid JSON body: {0}")]
    Json(String),
    /// The body broke the schema (prudence's text).
    #[error("{}", .0.format("Error"))]
    Schema(PrudenceError),
}

impl FormatError for Lr2HookError {}

const RANDOMS: &[&str] = &["NORAN", "MIRROR", "RAN", "S-RAN"];

fn hp_graph(v: Option<&Value>) -> Result<(), &'static str> {
    let Some(Value::Array(a)) = v else {
        return Err("Expected an array");
    };
    if a.len() != 1000 {
        return Err("Expected an array with length 1000.");
    }
    let ok = |x: &Value| {
        x.as_f64()
            .is_some_and(|f| f.fract() == 0.0 && (0.0..=100.0).contains(&f))
    };
    if a.iter().all(ok) {
        Ok(())
    } else {
        Err("Expected an array of 1000 integers between 0 and 100.")
    }
}

/// The body's schema; `messages` adds the hook parser's two custom texts (the
/// course route's check has none).
fn schema(messages: bool) -> Vec<Field> {
    let with = |key, schema, msg| {
        if messages {
            field_msg(key, schema, msg)
        } else {
            field(key, schema)
        }
    };
    let ints = |keys: &[&'static str]| -> Vec<Field> {
        keys.iter()
            .map(|k| field(k, Schema::PositiveInteger))
            .collect()
    };
    let mut score = ints(&[
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
    ]);
    score.push(field(
        "lamp",
        Schema::InStr(&["NO PLAY", "FAIL", "EASY", "NORMAL", "HARD", "FULL COMBO"]),
    ));
    score.push(field("hpGraph", Schema::Custom(hp_graph)));
    score.push(field(
        "extendedJudgements",
        Schema::opt_null(Schema::Object(ints(&[
            "epg",
            "lpg",
            "egr",
            "lgr",
            "egd",
            "lgd",
            "ebd",
            "lbd",
            "epr",
            "lpr",
            "cb",
            "fast",
            "slow",
            "notesPlayed",
        ]))),
    ));
    score.push(field(
        "extendedHpGraphs",
        Schema::opt_null(Schema::Object(
            ["groove", "hard", "hazard", "easy", "pattack", "gattack"]
                .iter()
                .map(|k| field(k, Schema::Custom(hp_graph)))
                .collect(),
        )),
    ));
    vec![
        field("md5", Schema::Type("string")),
        field(
            "playerData",
            Schema::Object(vec![
                with(
                    "autoScr",
                    Schema::IsNum(0.0),
                    "Auto Scratch cannot be turned on, as it is treated as an EASY CLEAR by LR2.",
                ),
                field("gameMode", Schema::Any),
                with(
                    "random",
                    Schema::InStr(RANDOMS),
                    "Expected any of NORAN, MIRROR, RAN, S-RAN. Note that ALLSCR and H-RAN are not supported!",
                ),
                field(
                    "gauge",
                    Schema::InStr(&["GROOVE", "HARD", "HAZARD", "EASY", "P-ATTACK", "G-ATTACK"]),
                ),
                field("rseed", Schema::optional(Schema::BoundedInteger(0, 0x7ffe))),
            ]),
        ),
        field("scoreData", Schema::Object(score)),
        field("unixTimestamp", Schema::optional(Schema::PositiveInteger)),
    ]
}

/// What the course route reads of a valid body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseClear {
    /// The four charts' md5s, concatenated.
    pub md5: String,
    /// Notes played.
    pub notes_played: i64,
    /// Notes in the course.
    pub notes_total: i64,
}

/// The course route's check (Tachi's `prValidate`: strict, no custom texts).
///
/// # Errors
/// The first rule broken.
pub fn check_course(body: &Value) -> Result<CourseClear, PrudenceError> {
    prudence::check(body, &schema(false), false)?;
    let n = |k: &str| {
        body["scoreData"]
            .get(k)
            .and_then(prudence::safe_integer)
            .unwrap_or(0)
    };
    Ok(CourseClear {
        md5: body["md5"].as_str().unwrap_or_default().to_owned(),
        notes_played: n("notesPlayed"),
        notes_total: n("notesTotal"),
    })
}

/// What an LR2Hook score carries besides itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lr2HookContext {
    /// When the request came (the score's time when it sends none).
    pub time_received: i64,
}

/// `ir/lr2hook`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lr2Hook;

fn graph(v: &Value) -> MetricValue {
    MetricValue::Graph(
        v.as_array()
            .map(|a| a.iter().map(Value::as_f64).collect())
            .unwrap_or_default(),
    )
}

impl ImportFormat for Lr2Hook {
    /// The request body, kept whole.
    type Record = Value;
    type Context = Lr2HookContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_LR2HOOK]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, Lr2HookContext>, ImportError> {
        let body: Value =
            serde_json::from_slice(input.bytes).map_err(|e| Lr2HookError::Json(e.to_string()))?;
        prudence::check(&body, &schema(true), true).map_err(Lr2HookError::Schema)?;
        Ok(ParsedImport {
            game: Game::Bms,
            context: Lr2HookContext {
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
        context: &Lr2HookContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let md5 = data.get("md5").and_then(Value::as_str).unwrap_or_default();
        let player = &data["playerData"];
        let sd_in = &data["scoreData"];
        let gauge = match player.get("gauge").and_then(Value::as_str) {
            Some("EASY") => "EASY",
            Some("GROOVE") => "NORMAL",
            _ => "HARD",
        };
        let lamp = match sd_in.get("lamp").and_then(Value::as_str) {
            Some("EASY") => "EASY CLEAR",
            Some("FAIL") => "FAILED",
            Some("FULL COMBO") => "FULL COMBO",
            Some("HARD") => "HARD CLEAR",
            Some("NO PLAY") => "NO PLAY",
            Some("NORMAL") => "CLEAR",
            other => {
                return Err(ConverterFailure::InvalidScore(format!(
                    "Invalid lamp {}.",
                    other.unwrap_or("undefined")
                )));
            }
        };
        let ext = sd_in.get("extendedJudgements").filter(|v| !v.is_null());
        let (bad, poor) = (
            prudence::int_field(sd_in, "bad")?,
            prudence::int_field(sd_in, "poor")?,
        );
        let (notes_total, notes_played) = (
            prudence::int_field(sd_in, "notesTotal")?,
            prudence::int_field(sd_in, "notesPlayed")?,
        );
        let bp = match ext {
            Some(e) => {
                MetricValue::from(bad + poor + notes_total - prudence::int_field(e, "notesPlayed")?)
            }
            None if notes_played == notes_total => MetricValue::from(bad + poor),
            None => MetricValue::Null,
        };
        let mut sd = ScoreData::default();
        sd.set(
            "score",
            MetricValue::from(prudence::int_field(sd_in, "exScore")?),
        );
        sd.set("lamp", lamp);
        for j in ["pgreat", "great", "good", "bad", "poor"] {
            sd.judgements
                .insert(j.into(), Some(prudence::int_field(sd_in, j)?));
        }
        let hp = sd_in.get("hpGraph").cloned().unwrap_or(Value::Null);
        let opt = &mut sd.optional;
        opt.insert("bp".into(), bp);
        opt.insert(
            "maxCombo".into(),
            MetricValue::from(prudence::int_field(sd_in, "maxCombo")?),
        );
        opt.insert(
            "gauge".into(),
            MetricValue::Number(hp.get(999).and_then(Value::as_f64).unwrap_or(0.0)),
        );
        opt.insert("gaugeHistory".into(), graph(&hp));
        if let Some(e) = ext {
            for k in [
                "ebd", "lbd", "egd", "lgd", "egr", "lgr", "epg", "lpg", "epr", "lpr", "fast",
                "slow",
            ] {
                opt.insert(k.into(), MetricValue::from(prudence::int_field(e, k)?));
            }
        }
        if let Some(g) = sd_in.get("extendedHpGraphs").filter(|v| !v.is_null()) {
            for (from, to) in [
                ("easy", "gaugeHistoryEasy"),
                ("groove", "gaugeHistoryGroove"),
                ("hard", "gaugeHistoryHard"),
            ] {
                if let Some(v) = g.get(from) {
                    opt.insert(to.into(), graph(v));
                }
            }
        }
        let mut meta = Map::new();
        meta.insert("gauge".into(), gauge.into());
        // The random is set once the chart is known (7K charts only).
        meta.insert(
            "random".into(),
            player.get("random").cloned().unwrap_or(Value::Null),
        );
        meta.insert("client".into(), "LR2".into());
        let time = match data.get("unixTimestamp").and_then(prudence::safe_integer) {
            Some(t) => t.saturating_mul(1000),
            None => context.time_received,
        };
        Ok(PendingScore {
            dry: DryScore {
                service: "LR2Hook".to_owned(),
                game: Game::Bms,
                import_type,
                time_achieved: Some(time),
                comment: None,
                score_data: sd,
                score_meta: meta,
            },
            query: ChartQuery {
                // The md5 names a chart of either playtype (Tachi's
                // `FindBMSChartOnHash`); the chart found decides the GPT.
                gpt: Gpt::Bms7K,
                key: ChartKey::AnyPlaytypeHash(md5.to_owned()),
                difficulty: None,
                version: None,
            },
            expected_level: None,
            not_found: Some(format!("Could not find chart with md5 {md5}.").into()),
            highlight: false,
        })
    }

    fn check_with_chart(
        &self,
        dry: &mut DryScore,
        chart: &ChartDocument,
        _song: &SongDocument,
    ) -> Result<(), ConverterFailure> {
        let random = dry.score_meta.get("random").and_then(Value::as_str);
        let random = if chart.playtype == Playtype::K7 {
            match random {
                Some("NORAN") => Value::from("NONRAN"),
                Some("MIRROR") => Value::from("MIRROR"),
                Some("RAN") => Value::from("RANDOM"),
                Some("S-RAN") => Value::from("S-RANDOM"),
                _ => Value::Null,
            }
        } else {
            Value::Null
        };
        dry.score_meta.insert("random".into(), random);
        Ok(())
    }
}
