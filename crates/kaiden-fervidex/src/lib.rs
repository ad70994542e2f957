//! The fervidex IIDX score hook, as Tachi imports it.
//!
//! - `ir/fervidex` ([`Fervidex`]): one score per request
//!   (`POST /ir/fervidex/score/submit`), the richest IIDX data any source
//!   sends: judgements, fast/slow, gauge and ghost graphs, play options.
//! - `ir/fervidex-static` ([`FervidexStatic`]): a whole profile
//!   (`POST /ir/fervidex/profile/submit`): lamp and EX score per chart, and the
//!   player's dans. Scores are imported only when the route says so (INFINITAS 2,
//!   or the user's one-shot `forceStaticImport`): the input field
//!   [`SHOULD_IMPORT_SCORES`].
//!
//! Both read the game version from the `X-Software-Model` header
//! ([`software_version`]). The route's header checks (user agent, model, card
//! filter) are the server's; this crate holds the rules they use.
#![deny(missing_docs)]

use kaiden_core::ea3::{self, Ea3SoftId};
use kaiden_core::error::FormatError;
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, ProvidedClass,
};
use kaiden_core::prudence::{self, Field, Schema, field};
use kaiden_core::query::{ChartKey, ChartQuery};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{
    ChartDocument, ConverterFailure, Game, Gpt, ImportError, ImportType, SongDocument,
};
use kaiden_games::config::GptConfig;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

/// The input field the route sets for `ir/fervidex-static`: `"true"` when the
/// profile's scores are to be imported (otherwise only its dans are).
pub const SHOULD_IMPORT_SCORES: &str = "shouldImportScores";
pub use kaiden_core::format::TIME_RECEIVED;
/// The header with the EA3 software id (lower-case, as inputs carry headers).
pub const SOFTWARE_MODEL_HEADER: &str = "x-software-model";

/// Why a fervidex request is refused as a whole (HTTP 400).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FervidexError {
    /// The software model names no IIDX version Tachi knows.
    #[error("Unsupported Software Model {0}.")]
    UnsupportedModel(String),
    /// The body is not JSON.
    #[error("Invalid JSON body: {0}")]
    Json(String),
    /// The score broke the request schema (prudence's text).
    #[error("{}", .0.format("Invalid Fervidex Request?"))]
    Schema(Box<prudence::PrudenceError>),
    /// `scores` of a profile submit is not an object.
    #[error("Invalid body.scores.")]
    Scores,
    /// A song's chart map is not an object.
    #[error("Invalid score with songID {0}.")]
    SongScores(String),
    /// A chart's score is not an object.
    #[error("Invalid score with songID {song} at chart {chart}.")]
    ChartScore {
        /// The song id key.
        song: String,
        /// The chart key.
        chart: String,
    },
    /// A chart key is not one of the nine.
    #[error("Invalid chart {0}.")]
    Chart(String),
    /// A song id key is not a non-negative integer.
    #[error("Invalid songID {key}. ({why} -- {key}.)")]
    SongId {
        /// The key.
        key: String,
        /// `Not an integer` or `Was negative`.
        why: &'static str,
    },
    /// A profile score broke its (strict) schema.
    #[error("{}", .error.format(&format!("Invalid Score with songID {song} at chart {chart}")))]
    StaticScore {
        /// The song id key.
        song: String,
        /// The chart key.
        chart: String,
        /// The rule broken.
        error: Box<prudence::PrudenceError>,
    },
}

impl FormatError for FervidexError {}

/// The IIDX version an EA3 software id names (Tachi's `SoftwareIDToVersion`):
/// INFINITAS 2 is `inf`; arcade models (`LDJ`, `TDJ`) by release and revision.
///
/// # Errors
/// [`FervidexError::UnsupportedModel`] for anything else.
pub fn software_version(model: &str) -> Result<&'static str, FervidexError> {
    let unsupported = || FervidexError::UnsupportedModel(model.to_owned());
    let id = Ea3SoftId::parse(model).ok_or_else(unsupported)?;
    if id.model == ea3::MODEL_INFINITAS_2 {
        return Ok("inf");
    }
    if id.model != ea3::MODEL_IIDX && id.model != ea3::MODEL_IIDX_LIGHTNING {
        return Err(unsupported());
    }
    // (release dates, [normal, omnimix, 2dxtra])
    const TABLE: &[(&[&str], [Option<&str>; 3])] = &[
        (&["2018091900"], [Some("25"), None, None]),
        (
            &["2019090200", "2019100700"],
            [Some("26"), Some("26-omni"), None],
        ),
        (
            &["2020092900"],
            [Some("27"), Some("27-omni"), Some("27-2dxtra")],
        ),
        (
            &["2021091500"],
            [Some("28"), Some("28-omni"), Some("28-2dxtra")],
        ),
        (&["2022082400"], [Some("29"), Some("29-omni"), None]),
        (
            &[
                "2022103100",
                "2022120800",
                "2023022000",
                "2023040400",
                "2023090500",
            ],
            [Some("30"), Some("30-omni"), Some("30-2dxtra")],
        ),
        (
            &[
                "2023101800",
                "2023103000",
                "2023121800",
                "2024021300",
                "2024082600",
            ],
            [Some("31"), Some("31-omni"), Some("31-2dxtra")],
        ),
        (
            &[
                "2025011400",
                "2025032500",
                "2025041500",
                "2025072900",
                "2025082500",
            ],
            [Some("32"), Some("32-omni"), None],
        ),
    ];
    let rev = match id.rev {
        ea3::REV_NORMAL => 0,
        ea3::REV_OMNIMIX => 1,
        ea3::REV_2DXTRA => 2,
        _ => return Err(unsupported()),
    };
    TABLE
        .iter()
        .find(|(exts, _)| exts.contains(&id.ext))
        .and_then(|(_, versions)| versions[rev])
        .ok_or_else(unsupported)
}

fn version_of(input: &ImportInput<'_>) -> Result<&'static str, ImportError> {
    let model = input
        .headers
        .get(SOFTWARE_MODEL_HEADER)
        .map_or("", String::as_str);
    Ok(software_version(model)?)
}

fn body(input: &ImportInput<'_>) -> Result<Value, ImportError> {
    serde_json::from_slice(input.bytes).map_err(|e| FervidexError::Json(e.to_string()).into())
}

const CHARTS: &[&str] = &[
    "spb", "spn", "dpn", "sph", "dph", "spa", "dpa", "spl", "dpl",
];

fn bytes_0_255() -> Schema {
    Schema::array(Schema::BoundedInteger(0, 255))
}

fn fervidex_schema() -> &'static [Field] {
    static SCHEMA: std::sync::LazyLock<Vec<Field>> =
        std::sync::LazyLock::new(fervidex_schema_uncached);
    &SCHEMA
}

fn fervidex_schema_uncached() -> Vec<Field> {
    let opt_null_in = |v: &'static [&'static str]| Schema::opt_null(Schema::InStr(v));
    vec![
        field("chart", Schema::InStr(CHARTS)),
        field("entry_id", Schema::PositiveInteger),
        field("chart_sha256", Schema::Type("*string")),
        field("custom", Schema::Type("*boolean")),
        field("pgreat", Schema::PositiveInteger),
        field("great", Schema::PositiveInteger),
        field("good", Schema::PositiveInteger),
        field("bad", Schema::PositiveInteger),
        field("poor", Schema::PositiveInteger),
        field("slow", Schema::PositiveInteger),
        field("fast", Schema::PositiveInteger),
        field("max_combo", Schema::optional(Schema::PositiveInteger)),
        field("combo_break", Schema::PositiveInteger),
        field("ex_score", Schema::PositiveInteger),
        field("clear_type", Schema::BoundedInteger(0, 7)),
        field("gauge", bytes_0_255()),
        field("ghost", Schema::Any),
        field(
            "dead",
            Schema::optional(Schema::Object(vec![
                field("measure", Schema::opt_null(Schema::PositiveInteger)),
                field("note", Schema::opt_null(Schema::PositiveInteger)),
            ])),
        ),
        field(
            "option",
            Schema::optional(Schema::Object(vec![
                field(
                    "gauge",
                    opt_null_in(&[
                        "ASSISTED_EASY",
                        "EASY",
                        "HARD",
                        "EX_HARD",
                        "EROSION_LV1",
                        "EROSION_LV2",
                        "EROSION_LV3",
                        "EROSION_LV4",
                        "EROSION_LV5",
                    ]),
                ),
                field(
                    "range",
                    opt_null_in(&[
                        "SUDDEN_PLUS",
                        "HIDDEN_PLUS",
                        "SUD_PLUS_HID_PLUS",
                        "LIFT",
                        "LIFT_SUD_PLUS",
                    ]),
                ),
                field(
                    "style",
                    opt_null_in(&["RANDOM", "R_RANDOM", "S_RANDOM", "MIRROR"]),
                ),
                field(
                    "style_2p",
                    opt_null_in(&["RANDOM", "R_RANDOM", "S_RANDOM", "MIRROR"]),
                ),
                field(
                    "assist",
                    opt_null_in(&["AUTO_SCRATCH", "LEGACY_NOTE", "ASCR_LEGACY", "FULL_ASSIST"]),
                ),
            ])),
        ),
        field("pacemaker", Schema::Any),
        field(
            "2dx-gsm",
            Schema::optional(Schema::Object(vec![
                field("EASY", bytes_0_255()),
                field("NORMAL", bytes_0_255()),
                field("HARD", bytes_0_255()),
                field("EX_HARD", bytes_0_255()),
            ])),
        ),
        field("highlight", Schema::optional(Schema::Type("boolean"))),
        field("duplicate", Schema::optional(Schema::Type("boolean"))),
    ]
}

/// What every score of one fervidex request shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FervidexContext {
    /// The IIDX version (`27`, `30-omni`, `inf`).
    pub version: String,
    /// When the request came (the score's `timeAchieved`).
    pub time_received: i64,
}

/// `ir/fervidex`: one score per request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fervidex;

impl ImportFormat for Fervidex {
    /// The request body, kept whole (it is what an orphan stores).
    type Record = Value;
    type Context = FervidexContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_FERVIDEX]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Value, FervidexContext>, ImportError> {
        let version = version_of(input)?;
        let body = body(input)?;
        prudence::check(&body, fervidex_schema(), true)
            .map_err(|e| FervidexError::Schema(Box::new(e)))?;
        Ok(ParsedImport {
            game: Game::Iidx,
            context: FervidexContext {
                version: version.to_owned(),
                time_received: input.time_received(),
            },
            records: Box::new(std::iter::once(Ok(body))),
            classes: ClassSlot::default(),
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &Value,
        context: &FervidexContext,
    ) -> Result<PendingScore, ConverterFailure> {
        convert_fervidex(import_type, record, context)
    }

    fn check_with_chart(
        &self,
        dry: &mut DryScore,
        _chart: &ChartDocument,
        _song: &SongDocument,
    ) -> Result<(), ConverterFailure> {
        // Tachi checks the gauge once the chart is found (an unknown chart
        // makes an orphan first).
        if let Some(g) = dry.score_data.optional_number("gauge") {
            if g > 100.0 {
                return Err(ConverterFailure::InvalidScore(format!(
                    "Invalid value of gauge {g}."
                )));
            }
        }
        Ok(())
    }
}

/// `spa` → (SP, ANOTHER); BEGINNER is skipped.
fn split_chart(chart: &str) -> Result<(Gpt, &'static str), ConverterFailure> {
    let gpt = if chart.starts_with("sp") {
        Gpt::IidxSp
    } else {
        Gpt::IidxDp
    };
    let difficulty = match chart.as_bytes().last() {
        Some(b'b') => {
            return Err(ConverterFailure::Skip(
                "BEGINNER charts are not supported.".to_owned(),
            ));
        }
        Some(b'n') => "NORMAL",
        Some(b'h') => "HYPER",
        Some(b'a') => "ANOTHER",
        Some(b'l') => "LEGGENDARIA",
        _ => {
            return Err(ConverterFailure::Internal(format!(
                "Invalid fervidex difficulty of {chart}"
            )));
        }
    };
    Ok((gpt, difficulty))
}

const LAMPS: [&str; 8] = [
    "NO PLAY",
    "FAILED",
    "ASSIST CLEAR",
    "EASY CLEAR",
    "CLEAR",
    "HARD CLEAR",
    "EX HARD CLEAR",
    "FULL COMBO",
];

fn lamp(clear_type: Option<i64>) -> Result<&'static str, ConverterFailure> {
    clear_type
        .and_then(|c| usize::try_from(c).ok())
        .and_then(|c| LAMPS.get(c).copied())
        .ok_or_else(|| ConverterFailure::InvalidScore("Invalid clear_type.".to_owned()))
}

/// An array of 0..=255 values (schema-checked) as a graph.
fn graph(v: &Value) -> Option<MetricValue> {
    let items = v.as_array()?;
    Some(MetricValue::Graph(
        items.iter().map(Value::as_f64).collect(),
    ))
}

fn tachify_random(v: Option<&str>) -> &'static str {
    match v {
        Some("RANDOM") => "RANDOM",
        Some("S_RANDOM") => "S-RANDOM",
        Some("R_RANDOM") => "R-RANDOM",
        Some("MIRROR") => "MIRROR",
        _ => "NONRAN",
    }
}

fn score_meta(option: Option<&Value>, gpt: Gpt) -> Map<String, Value> {
    let get = |k: &str| option.and_then(|o| o.get(k)).and_then(Value::as_str);
    let assist = match get("assist") {
        Some("FULL_ASSIST" | "ASCR_LEGACY") => "FULL ASSIST",
        Some("AUTO_SCRATCH") => "AUTO SCRATCH",
        Some("LEGACY_NOTE") => "LEGACY NOTE",
        _ => "NO ASSIST",
    };
    let gauge = match get("gauge") {
        Some("ASSISTED_EASY") => "ASSISTED EASY",
        Some("EASY") => "EASY",
        Some("EX_HARD") => "EX-HARD",
        Some("HARD") => "HARD",
        _ => "NORMAL",
    };
    let range = match get("range") {
        Some("HIDDEN_PLUS") => "HIDDEN+",
        Some("LIFT") => "LIFT",
        Some("LIFT_SUD_PLUS") => "LIFT SUD+",
        Some("SUDDEN_PLUS") => "SUDDEN+",
        Some("SUD_PLUS_HID_PLUS") => "SUD+ HID+",
        _ => "NONE",
    };
    let random = if gpt == Gpt::IidxSp {
        Value::from(tachify_random(get("style")))
    } else {
        Value::from(vec![
            tachify_random(get("style")),
            tachify_random(get("style_2p")),
        ])
    };
    let mut meta = Map::new();
    meta.insert("assist".into(), assist.into());
    meta.insert("gauge".into(), gauge.into());
    meta.insert("random".into(), random);
    meta.insert("range".into(), range.into());
    meta
}

fn convert_fervidex(
    import_type: ImportType,
    data: &Value,
    context: &FervidexContext,
) -> Result<PendingScore, ConverterFailure> {
    let chart_ref = data.get("chart").and_then(Value::as_str).unwrap_or("");
    let (gpt, mut difficulty) = split_chart(chart_ref)?;
    let mut entry_id = prudence::int_field(data, "entry_id")?;
    // Scripted Long was an ANOTHER of 21201; it is now LEGGENDARIA 12250
    // (omnimix before October 2023 still sends the old id).
    if entry_id == 21201 && difficulty == "ANOTHER" {
        entry_id = 12250;
        difficulty = "LEGGENDARIA";
    }
    let key = if data.get("custom") == Some(&Value::Bool(true)) {
        match data.get("chart_sha256").and_then(Value::as_str) {
            Some(h) if !h.is_empty() => ChartKey::BmsChartHash(h.to_owned()),
            _ => {
                return Err(ConverterFailure::InvalidScore(
                    "Score has no chart_sha256 but is a custom?".to_owned(),
                ));
            }
        }
    } else {
        ChartKey::IidxInGameId(entry_id)
    };
    let gauge_history: Vec<Option<f64>> = data
        .get("gauge")
        .and_then(Value::as_array)
        .map(|g| {
            g.iter()
                .map(|v| v.as_f64().filter(|x| *x <= 200.0))
                .collect()
        })
        .unwrap_or_default();
    let gauge = gauge_history.last().copied().flatten();
    let (bad, poor) = (
        prudence::int_field(data, "bad")?,
        prudence::int_field(data, "poor")?,
    );
    let bp = if data.get("dead").is_some() {
        MetricValue::Null
    } else {
        MetricValue::from(bad + poor)
    };
    let mut sd = ScoreData::default();
    sd.set(
        "score",
        MetricValue::from(prudence::int_field(data, "ex_score")?),
    );
    sd.set(
        "lamp",
        lamp(data.get("clear_type").and_then(Value::as_i64))?,
    );
    for j in ["pgreat", "great", "good", "bad", "poor"] {
        sd.judgements
            .insert(j.into(), Some(prudence::int_field(data, j)?));
    }
    let opt = &mut sd.optional;
    opt.insert(
        "fast".into(),
        MetricValue::from(prudence::int_field(data, "fast")?),
    );
    opt.insert(
        "slow".into(),
        MetricValue::from(prudence::int_field(data, "slow")?),
    );
    // max_combo is sent but Tachi ignores it.
    opt.insert("maxCombo".into(), MetricValue::Null);
    opt.insert("gaugeHistory".into(), MetricValue::Graph(gauge_history));
    match data.get("ghost") {
        None => {}
        Some(Value::Null) => {
            opt.insert("scoreHistory".into(), MetricValue::Null);
        }
        Some(g) => {
            let history = graph(g)
                .filter(|_| {
                    g.as_array()
                        .is_some_and(|a| a.iter().all(|x| x.is_number() || x.is_null()))
                })
                .ok_or_else(|| {
                    ConverterFailure::InvalidScore(
                        "Invalid value for scoreHistory: expected an array of numbers.".to_owned(),
                    )
                })?;
            opt.insert("scoreHistory".into(), history);
        }
    }
    opt.insert(
        "gauge".into(),
        gauge.map_or(MetricValue::Null, MetricValue::Number),
    );
    opt.insert("bp".into(), bp);
    opt.insert(
        "comboBreak".into(),
        MetricValue::from(prudence::int_field(data, "combo_break")?),
    );
    if let Some(gsm) = data.get("2dx-gsm") {
        for (from, to) in [
            ("EASY", "gsmEasy"),
            ("NORMAL", "gsmNormal"),
            ("HARD", "gsmHard"),
            ("EX_HARD", "gsmEXHard"),
        ] {
            if let Some(g) = gsm.get(from).and_then(graph) {
                opt.insert(to.into(), g);
            }
        }
    }
    let playtype = gpt.playtype();
    Ok(PendingScore {
        dry: DryScore {
            service: "Fervidex".to_owned(),
            game: Game::Iidx,
            import_type,
            time_achieved: Some(context.time_received),
            comment: None,
            score_data: sd,
            score_meta: score_meta(data.get("option"), gpt),
        },
        query: ChartQuery {
            gpt,
            key,
            difficulty: Some(difficulty.to_owned()),
            version: Some(context.version.clone()),
        },
        expected_level: None,
        not_found: Some(
            format!(
                "Could not find chart with songID {entry_id} ({playtype} {difficulty} [{}])",
                context.version
            )
            .into(),
        ),
        highlight: data.get("highlight") == Some(&Value::Bool(true)),
    })
}

/// One chart of a profile submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticScore {
    /// The song's in-game id.
    pub song_id: i64,
    /// The chart (`spa`, `dpl`, ...).
    pub chart: String,
    /// 0 (NO PLAY) ..= 7 (FULL COMBO).
    pub clear_type: i64,
    /// EX score.
    pub ex_score: i64,
    /// Miss count; `-1` or `null` when unknown.
    pub miss_count: Option<i64>,
}

/// What a profile submit's scores share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FervidexStaticContext {
    /// The IIDX version.
    pub version: String,
}

/// `ir/fervidex-static`: a whole profile, and its dans.
#[derive(Debug, Clone, Copy, Default)]
pub struct FervidexStatic;

fn static_schema() -> &'static [Field] {
    static SCHEMA: std::sync::LazyLock<Vec<Field>> =
        std::sync::LazyLock::new(static_schema_uncached);
    &SCHEMA
}

fn static_schema_uncached() -> Vec<Field> {
    vec![
        field("ex_score", Schema::PositiveInteger),
        field(
            "miss_count",
            Schema::opt_null(Schema::AnyOf(vec![
                Schema::PositiveInteger,
                Schema::IsNum(-1.0),
            ])),
        ),
        field("clear_type", Schema::BoundedInteger(0, 7)),
    ]
}

/// JavaScript's property order: integer-like keys ascending, then the others
/// as written (what `Object.entries` gives).
fn js_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let index = |k: &str| -> Option<u32> {
        if k == "0" {
            return Some(0);
        }
        if k.starts_with('0') || k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        k.parse::<u32>().ok().filter(|n| *n < u32::MAX)
    };
    let mut ints: Vec<(u32, (&String, &Value))> = Vec::new();
    let mut rest = Vec::new();
    for (k, v) in map {
        match index(k) {
            Some(i) => ints.push((i, (k, v))),
            None => rest.push((k, v)),
        }
    }
    ints.sort_by_key(|(i, _)| *i);
    ints.into_iter().map(|(_, e)| e).chain(rest).collect()
}

fn song_id_of(key: &str) -> Result<i64, FervidexError> {
    let digits = key.strip_prefix('-').unwrap_or(key);
    let is_int = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let value = is_int.then(|| key.parse::<f64>().ok()).flatten();
    match value {
        Some(v) if v.abs() <= 9_007_199_254_740_991.0 => {
            if v < 0.0 {
                Err(FervidexError::SongId {
                    key: key.to_owned(),
                    why: "Was negative",
                })
            } else {
                #[allow(clippy::cast_possible_truncation)]
                Ok(v as i64)
            }
        }
        _ => Err(FervidexError::SongId {
            key: key.to_owned(),
            why: "Not an integer",
        }),
    }
}

/// The dans a profile reports (`sp_dan`, `dp_dan`: indexes into IIDX's dans);
/// anything else is ignored, as Tachi's class provider does.
fn static_classes(body: &Value) -> Vec<ProvidedClass> {
    let mut out = Vec::new();
    for (key, gpt) in [("sp_dan", Gpt::IidxSp), ("dp_dan", Gpt::IidxDp)] {
        let Some(index) = body.get(key).and_then(prudence::safe_integer) else {
            continue;
        };
        let Some(dans) = GptConfig::of(gpt).class("dan") else {
            continue;
        };
        if let Some(dan) = usize::try_from(index).ok().and_then(|i| dans.values.get(i)) {
            out.push(ProvidedClass {
                gpt,
                set: "dan".to_owned(),
                class_id: dan.id.to_owned(),
            });
        }
    }
    out
}

impl FervidexStatic {
    /// The profile's scores (Tachi's `ParseFervidexStatic` checks, in its
    /// order).
    ///
    /// # Errors
    /// The first problem, as Tachi words it.
    pub fn scores_of(body: &Value) -> Result<Vec<StaticScore>, FervidexError> {
        let Some(Value::Object(songs)) = body.get("scores") else {
            return Err(FervidexError::Scores);
        };
        let schema = static_schema();
        let mut out = Vec::new();
        for (song, charts) in js_entries(songs) {
            let song_id = song_id_of(song)?;
            let Value::Object(charts) = charts else {
                return Err(FervidexError::SongScores(song.clone()));
            };
            for (chart, score) in js_entries(charts) {
                if !score.is_object() {
                    return Err(FervidexError::ChartScore {
                        song: song.clone(),
                        chart: chart.clone(),
                    });
                }
                if !CHARTS.contains(&chart.as_str()) {
                    return Err(FervidexError::Chart(chart.clone()));
                }
                prudence::check(score, schema, false).map_err(|error| {
                    FervidexError::StaticScore {
                        song: song.clone(),
                        chart: chart.clone(),
                        error: Box::new(error),
                    }
                })?;
                let field_int = |k: &str| score.get(k).and_then(prudence::safe_integer);
                out.push(StaticScore {
                    song_id,
                    chart: chart.clone(),
                    clear_type: field_int("clear_type").unwrap_or(0),
                    ex_score: field_int("ex_score").unwrap_or(0),
                    miss_count: field_int("miss_count"),
                });
            }
        }
        Ok(out)
    }
}

impl ImportFormat for FervidexStatic {
    type Record = StaticScore;
    type Context = FervidexStaticContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::IR_FERVIDEX_STATIC]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, StaticScore, FervidexStaticContext>, ImportError> {
        let version = version_of(input)?;
        let body = body(input)?;
        let classes = ClassSlot::new(static_classes(&body));
        let scores = if input.field(SHOULD_IMPORT_SCORES) == Some("true") {
            Self::scores_of(&body)?
        } else {
            Vec::new()
        };
        Ok(ParsedImport {
            game: Game::Iidx,
            context: FervidexStaticContext {
                version: version.to_owned(),
            },
            records: Box::new(scores.into_iter().map(Ok)),
            classes,
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        data: &StaticScore,
        context: &FervidexStaticContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let (gpt, mut difficulty) = split_chart(&data.chart)?;
        let mut song_id = data.song_id;
        if song_id == 21201 && difficulty == "ANOTHER" {
            song_id = 12250;
            difficulty = "LEGGENDARIA";
        }
        let mut sd = ScoreData::default();
        sd.set("score", MetricValue::from(data.ex_score));
        sd.set("lamp", lamp(Some(data.clear_type))?);
        sd.optional.insert(
            "bp".into(),
            match data.miss_count {
                None | Some(-1) => MetricValue::Null,
                Some(n) => MetricValue::from(n),
            },
        );
        Ok(PendingScore {
            dry: DryScore {
                service: "Fervidex Static".to_owned(),
                game: Game::Iidx,
                import_type,
                time_achieved: None,
                comment: None,
                score_data: sd,
                score_meta: Map::new(),
            },
            query: ChartQuery {
                gpt,
                // Tachi's generic lookup here: 2dxtra charts are not left out.
                key: ChartKey::InGameId(song_id),
                difficulty: Some(difficulty.to_owned()),
                version: Some(context.version.clone()),
            },
            expected_level: None,
            not_found: Some(
                format!(
                    "Could not find chart with songID {song_id} ({} {difficulty} Version {})",
                    gpt.playtype(),
                    context.version
                )
                .into(),
            ),
            highlight: false,
        })
    }
}
