//! The beatoraja IR (`ir/beatoraja`, `POST /ir/beatoraja/submit-score`), as
//! Tachi imports it: one BMS score (from LR2oraja) or PMS score (from
//! beatoraja) per request, with a description of its chart. A chart the seeds
//! lack is proposed for creation from play ([`ImportFormat::proposed_chart`]):
//! once enough distinct players have sent scores on it (3 by default,
//! [`Beatoraja::with_players_needed`]) it is created and their scores imported.
#![deny(missing_docs)]

use kaiden_core::documents::{ChartDocument, SongDocument};
use kaiden_core::error::FormatError;
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, ProposedChart,
};
use kaiden_core::prudence::{self, Field, Schema, field};
use kaiden_core::query::{ChartKey, ChartQuery};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportError, ImportType, Playtype};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

#[cfg(test)]
mod tests;

pub use kaiden_core::format::TIME_RECEIVED;

/// Why a beatoraja request is refused as a whole (HTTP 400).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BeatorajaError {
    /// The body is not JSON.
    #[error("Invalid JSON body: {0}")]
    Json(String),
    /// The score broke its schema.
    #[error("{}", .0.format("Invalid Beatoraja Import - Score"))]
    Score(Box<prudence::PrudenceError>),
    /// The chart broke its schema.
    #[error("{}", .0.format("Invalid Beatoraja Import - Chart"))]
    Chart(Box<prudence::PrudenceError>),
    /// A PMS chart from a client other than beatoraja, or a BMS chart from
    /// one other than LR2oraja.
    #[error("Unsupported client {client} -- Expected a variant of {expected}.")]
    Client {
        /// The client sent.
        client: String,
        /// `beatoraja` or `LR2oraja`.
        expected: &'static str,
    },
}

impl FormatError for BeatorajaError {}

fn sha256_rule(v: Option<&Value>) -> Result<(), &'static str> {
    let ok = v.and_then(Value::as_str).is_some_and(|s| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if ok {
        Ok(())
    } else {
        Err("Expected string to match /^[0-9a-f]{64}$/u")
    }
}

const CLEARS: &[&str] = &[
    "NoPlay",
    "Failed",
    "AssistEasy",
    "LightAssistEasy",
    "Easy",
    "Normal",
    "Hard",
    "ExHard",
    "FullCombo",
    "Perfect",
    "Max",
];

const JUDGEMENTS: [&str; 12] = [
    "epg", "egr", "egd", "ebd", "epr", "lpg", "lgr", "lgd", "lbd", "lpr", "ems", "lms",
];

fn score_schema() -> &'static [Field] {
    static S: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
        let mut f = vec![
            field("sha256", Schema::Custom(sha256_rule)),
            field("exscore", Schema::PositiveInteger),
            field("passnotes", Schema::PositiveInteger),
            field(
                "gauge",
                Schema::AnyOf(vec![Schema::Between(0.0, 100.0), Schema::IsNum(-1.0)]),
            ),
            field(
                "deviceType",
                Schema::InStr(&["BM_CONTROLLER", "KEYBOARD", "MIDI"]),
            ),
            field(
                "minbp",
                Schema::AnyOf(vec![Schema::PositiveInteger, Schema::IsNum(-1.0)]),
            ),
            field("option", Schema::Integer),
            field("lntype", Schema::InNum(&[0, 1])),
            field("clear", Schema::InStr(CLEARS)),
            field("assist", Schema::IsNum(0.0)),
            field("maxcombo", Schema::PositiveInteger),
        ];
        f.extend(JUDGEMENTS.iter().map(|k| field(k, Schema::PositiveInteger)));
        f
    });
    &S
}

fn chart_schema() -> &'static [Field] {
    static S: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
        vec![
            field("md5", Schema::Type("string")),
            field("sha256", Schema::Custom(sha256_rule)),
            field("title", Schema::Type("string")),
            field("subtitle", Schema::Type("string")),
            field("genre", Schema::Type("string")),
            field("artist", Schema::Type("string")),
            field("subartist", Schema::Type("string")),
            field("total", Schema::Positive),
            field("lntype", Schema::InNum(&[-1, 0, 1, 2])),
            field("mode", Schema::InStr(&["BEAT_7K", "BEAT_14K", "POPN_9K"])),
            field("judge", Schema::Positive),
            field("notes", Schema::PositiveInteger),
            field("hasUndefinedLN", Schema::Type("boolean")),
            field("hasRandom", Schema::Type("boolean")),
        ]
    });
    &S
}

/// What a beatoraja score carries besides itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BeatorajaContext {
    /// `lr2oraja` (BMS) or `beatoraja` (PMS).
    pub client: String,
    /// The chart as the client described it.
    pub chart: Value,
    /// When the request came (the score's `timeAchieved`).
    pub time_received: i64,
}

/// `ir/beatoraja`.
#[derive(Debug, Clone, Copy)]
pub struct Beatoraja {
    players_needed: usize,
}

impl Default for Beatoraja {
    fn default() -> Self {
        Beatoraja { players_needed: 3 }
    }
}

impl Beatoraja {
    /// The format, creating an unknown chart once `n` distinct players have
    /// sent scores on it (Tachi's `BEATORAJA_QUEUE_SIZE`).
    #[must_use]
    pub fn with_players_needed(n: usize) -> Self {
        Beatoraja {
            players_needed: n.max(1),
        }
    }

    /// The queue key of a described chart (what Tachi's queue matches on):
    /// BMS by sha256, PMS by sha256 and playtype.
    #[must_use]
    pub fn queue_key(chart: &Value, device: Option<&str>) -> String {
        let sha = chart["sha256"].as_str().unwrap_or_default();
        if chart["mode"] == "POPN_9K" {
            let pt = if device == Some("BM_CONTROLLER") {
                "Controller"
            } else {
                "Keyboard"
            };
            format!("pms:{pt}:{sha}")
        } else {
            format!("bms:{sha}")
        }
    }

    /// The lookup a score on `chart` (the body's `chart`) is resolved with:
    /// a PMS chart by the score's sha256 and device's playtype, a BMS chart by
    /// its sha256 in any playtype. `None` for a PMS score from a device that
    /// names no playtype (MIDI, which the converter rejects).
    #[must_use]
    pub fn chart_query(
        chart: &Value,
        score_sha256: Option<&str>,
        device: Option<&str>,
    ) -> Option<ChartQuery> {
        let sha = score_sha256.unwrap_or_default().to_owned();
        let (gpt, key) = if chart["mode"] == "POPN_9K" {
            let gpt = match device {
                Some("BM_CONTROLLER") => Gpt::PmsController,
                Some("KEYBOARD") => Gpt::PmsKeyboard,
                _ => return None,
            };
            (gpt, ChartKey::BmsChartHash(sha))
        } else {
            (Gpt::Bms7K, ChartKey::AnyPlaytypeHash(sha))
        };
        Some(ChartQuery {
            gpt,
            key,
            difficulty: None,
            version: None,
        })
    }
}

/// JavaScript's `${v}` of a value that may be absent.
fn js_template(v: Option<&Value>) -> String {
    match v {
        None => "undefined".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => {
            let mut out = String::new();
            kaiden_core::stable_json::write_js_number(&mut out, n.as_f64().unwrap_or(f64::NAN));
            out
        }
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| js_template(Some(x)))
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".to_owned(),
    }
}

fn is_pms(context: &BeatorajaContext) -> bool {
    context.chart["mode"] == "POPN_9K"
}

impl ImportFormat for Beatoraja {
    /// The `score` object of the body.
    type Record = Value;
    type Context = BeatorajaContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_BEATORAJA]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, BeatorajaContext>, ImportError> {
        let mut body: Value =
            serde_json::from_slice(input.bytes).map_err(|e| BeatorajaError::Json(e.to_string()))?;
        prudence::check_opt(body.get("score"), score_schema(), true)
            .map_err(|e| BeatorajaError::Score(Box::new(e)))?;
        prudence::check_opt(body.get("chart"), chart_schema(), true)
            .map_err(|e| BeatorajaError::Chart(Box::new(e)))?;
        let score = body
            .get_mut("score")
            .map(Value::take)
            .unwrap_or(Value::Null);
        let chart = body
            .get_mut("chart")
            .map(Value::take)
            .unwrap_or(Value::Null);
        let client = js_template(body.get("client"));
        let pms = chart["mode"] == "POPN_9K";
        let expected = if pms { "beatoraja" } else { "LR2oraja" };
        if !client.starts_with(expected) {
            return Err(BeatorajaError::Client { client, expected }.into());
        }
        Ok(ParsedImport {
            game: if pms { Game::Pms } else { Game::Bms },
            context: BeatorajaContext {
                client: if pms { "beatoraja" } else { "lr2oraja" }.to_owned(),
                chart,
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
        context: &BeatorajaContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let chart = &context.chart;
        if chart["lntype"].as_f64() != Some(0.0) {
            return Err(ConverterFailure::InvalidScore(
                "CN or HCN mode is not supported by this IR.".to_owned(),
            ));
        }
        if chart["hasRandom"] == Value::Bool(true) {
            return Err(ConverterFailure::InvalidScore(
                "Charts with #RANDOM declarations are not supported by this IR.".to_owned(),
            ));
        }
        let pms = is_pms(context);
        let Some(ChartQuery { gpt, key, .. }) = Beatoraja::chart_query(
            &context.chart,
            data["sha256"].as_str(),
            data["deviceType"].as_str(),
        ) else {
            return Err(ConverterFailure::InvalidScore(
                "MIDI is not allowed for PMS scores.".to_owned(),
            ));
        };
        let mut sd = ScoreData::default();
        sd.set(
            "score",
            MetricValue::from(prudence::int_field(data, "exscore")?),
        );
        let lamp = match data["clear"].as_str() {
            Some("NoPlay") => "NO PLAY",
            Some("Failed") => "FAILED",
            Some("AssistEasy" | "LightAssistEasy") => "ASSIST CLEAR",
            Some("Easy") => "EASY CLEAR",
            Some("Normal") => "CLEAR",
            Some("Hard") => "HARD CLEAR",
            Some("ExHard") => "EX HARD CLEAR",
            Some("FullCombo" | "Perfect" | "Max") => "FULL COMBO",
            _ => return Err(ConverterFailure::InvalidScore("Invalid clear.".to_owned())),
        };
        sd.set("lamp", lamp);
        let j = |k: &str| prudence::int_field(data, k);
        let top = if pms { "cool" } else { "pgreat" };
        sd.judgements
            .insert(top.into(), Some(j("epg")? + j("lpg")?));
        sd.judgements
            .insert("great".into(), Some(j("egr")? + j("lgr")?));
        sd.judgements
            .insert("good".into(), Some(j("egd")? + j("lgd")?));
        sd.judgements
            .insert("bad".into(), Some(j("ebd")? + j("lbd")?));
        sd.judgements.insert(
            "poor".into(),
            Some(j("epr")? + j("lpr")? + j("ems")? + j("lms")?),
        );
        let opt = &mut sd.optional;
        let minbp = prudence::int_field(data, "minbp")?;
        opt.insert(
            "bp".into(),
            if minbp == -1 {
                MetricValue::Null
            } else {
                MetricValue::from(minbp)
            },
        );
        let gauge = data["gauge"].as_f64().unwrap_or(-1.0);
        #[allow(clippy::float_cmp)]
        opt.insert(
            "gauge".into(),
            if gauge == -1.0 {
                MetricValue::Null
            } else {
                MetricValue::Number(gauge)
            },
        );
        for k in ["ebd", "lbd", "egd", "lgd", "egr", "lgr", "epg", "lpg"] {
            opt.insert(k.into(), MetricValue::from(j(k)?));
        }
        opt.insert("epr".into(), MetricValue::from(j("epr")? + j("ems")?));
        opt.insert("lpr".into(), MetricValue::from(j("lpr")? + j("lms")?));
        opt.insert(
            "fast".into(),
            MetricValue::from(j("ebd")? + j("egr")? + j("epr")? + j("ems")?),
        );
        opt.insert(
            "slow".into(),
            MetricValue::from(j("lbd")? + j("lgr")? + j("lpr")? + j("lms")?),
        );
        // The random, for any chart but a 14K one (`check_with_chart`).
        let random = match data.get("option").and_then(prudence::safe_integer) {
            Some(0) => json!("NONRAN"),
            Some(1) => json!("MIRROR"),
            Some(2) => json!("RANDOM"),
            Some(3) => json!("R-RANDOM"),
            Some(4) => json!("S-RANDOM"),
            _ => Value::Null,
        };
        let mut meta = Map::new();
        meta.insert("client".into(), context.client.clone().into());
        meta.insert(
            "inputDevice".into(),
            data.get("deviceType").cloned().unwrap_or(Value::Null),
        );
        meta.insert("random".into(), random);
        let artist = js_template(chart.get("artist"));
        let title = js_template(chart.get("title"));
        Ok(PendingScore {
            dry: DryScore {
                service: "Beatoraja IR".to_owned(),
                game: if pms { Game::Pms } else { Game::Bms },
                import_type,
                time_achieved: Some(context.time_received),
                comment: None,
                score_data: sd,
                score_meta: meta,
            },
            query: ChartQuery {
                gpt,
                key,
                difficulty: None,
                version: None,
            },
            expected_level: None,
            not_found: Some(format!("This chart ({artist} - {title}) is orphaned.").into()),
            highlight: false,
        })
    }

    fn check_with_chart(
        &self,
        dry: &mut DryScore,
        chart: &ChartDocument,
        _song: &SongDocument,
    ) -> Result<(), ConverterFailure> {
        if chart.playtype == Playtype::K14 {
            dry.score_meta.insert("random".into(), Value::Null);
        }
        Ok(())
    }

    fn proposed_chart(
        &self,
        _import_type: ImportType,
        data: &Value,
        context: &BeatorajaContext,
    ) -> Option<ProposedChart> {
        let c = &context.chart;
        let md5 = c["md5"].as_str()?;
        // Tachi queues only charts with a real md5.
        if md5.len() != 32 {
            return None;
        }
        let device = data["deviceType"].as_str();
        let (gpt, playtype) = match c["mode"].as_str()? {
            "BEAT_7K" => (Gpt::Bms7K, "7K"),
            "BEAT_14K" => (Gpt::Bms14K, "14K"),
            _ if device == Some("BM_CONTROLLER") => (Gpt::PmsController, "Controller"),
            _ => (Gpt::PmsKeyboard, "Keyboard"),
        };
        let chart: ChartDocument = serde_json::from_value(json!({
            "chartID": "", "difficulty": "CHART", "isPrimary": true, "level": "?",
            "levelNum": 0, "playtype": playtype, "songID": 0, "versions": [],
            "data": {
                "hashMD5": md5, "hashSHA256": c["sha256"], "notecount": c["notes"],
                "tableFolders": [], "aiLevel": null, "sglEC": null, "sglHC": null
            }
        }))
        .ok()?;
        let song: SongDocument = serde_json::from_value(json!({
            "id": 0, "title": c["title"], "artist": c["artist"], "altTitles": [],
            "searchTerms": [],
            "data": {
                "genre": c["genre"], "subartist": c["subartist"],
                "subtitle": c["subtitle"], "tableString": null
            }
        }))
        .ok()?;
        Some(ProposedChart {
            key: Beatoraja::queue_key(c, device),
            gpt,
            song,
            chart,
            players_needed: self.players_needed,
        })
    }
}
