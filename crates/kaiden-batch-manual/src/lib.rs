//! # kaiden-batch-manual
//!
//! BATCH-MANUAL, Tachi's universal JSON import format, for every game:
//! `file/batch-manual` (an uploaded file) and `ir/direct-manual` (the same
//! document as a request body).
//!
//! ```json
//! {"meta": {"game": "iidx", "playtype": "SP", "service": "my tool"},
//!  "scores": [{"score": 500, "lamp": "HARD CLEAR", "matchType": "songTitle",
//!              "identifier": "5.1.1.", "difficulty": "ANOTHER"}],
//!  "classes": {"dan": "DAN_10"}}
//! ```
//!
//! The parser reads `meta` and `classes` first (wherever they are in the file),
//! then streams `scores` one element at a time: no tree of the whole file is
//! built. Every score is checked against its game's schema as it is read; like
//! Tachi, one malformed score rejects the whole import, with an error naming the
//! JSON path, line and column. Chart lookups and chart-dependent checks are
//! per-score failures that the pipeline reports and the import goes on.
#![deny(missing_docs)]

pub mod export;

mod record;
mod scan;
mod stream;

pub use record::BatchScore;
use record::FIELD_SEP;

use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, ProvidedClass, fused_records,
};
use kaiden_core::query::{ChartKey, ChartQuery, MatchType, NotFound, SDVX_ANY_INF};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::stable_json::{js_number, write_js_number};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use kaiden_games::config::{ClassKind, GptConfig, MetaFieldKind};
use kaiden_games::gpt_impl::metric_errors;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use scan::{ScanError, line_col, skip_string, skip_value, skip_ws};

/// The default size limit: Tachi's 16 MiB upload limit.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// Tachi's body limit for `ir/direct-manual`.
pub const DIRECT_MANUAL_MAX_BYTES: usize = 4 * 1024 * 1024;

/// The BATCH-MANUAL format.
#[derive(Debug, Clone)]
pub struct BatchManual {
    max_bytes: usize,
    /// The size of the windows a stream's scores are read in.
    stream_window: usize,
}

impl Default for BatchManual {
    fn default() -> Self {
        BatchManual {
            max_bytes: DEFAULT_MAX_BYTES,
            stream_window: stream::WINDOW,
        }
    }
}

impl BatchManual {
    /// The format with Tachi's limits.
    #[must_use]
    pub fn new() -> Self {
        BatchManual::default()
    }

    /// Sets the largest input accepted, in bytes (for `file/batch-manual`;
    /// `ir/direct-manual` keeps its 4 MiB unless this is smaller).
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Sets the size of the windows a streamed file's scores are parsed in
    /// (tests use tiny ones to cut documents everywhere).
    #[doc(hidden)]
    #[must_use]
    pub fn with_stream_window(mut self, bytes: usize) -> Self {
        self.stream_window = bytes.max(1);
        self
    }
}

/// What every score of one BATCH-MANUAL document shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchContext {
    /// The GPT.
    pub gpt: Gpt,
    /// `"<meta.service> (BATCH-MANUAL)"` or `"… (DIRECT-MANUAL)"`.
    pub service: String,
    /// `meta.version`, narrowing chart lookups.
    pub version: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    game: String,
    playtype: String,
    service: String,
    #[serde(default)]
    version: Option<String>,
}

const SCORE_KEYS: &[&str] = &[
    "matchType",
    "identifier",
    "difficulty",
    "artist",
    "comment",
    "timeAchieved",
    "judgements",
    "optional",
    "hitMeta",
    "scoreMeta",
];

/// BATCH-MANUAL's fatal errors. The whole file is rejected, as Tachi rejects
/// it; the message names the field (a JSON path) and the rule broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BatchManualError {
    /// The bytes are not the JSON document the format needs.
    #[error("{message}")]
    Json {
        /// The JSON path where reading stopped (`$`, `meta`, `scores[3]`, ...).
        field: String,
        /// What was wrong.
        message: String,
    },
    /// The document is JSON but breaks a rule of the format (a missing or
    /// unknown key, a value of the wrong type or outside the game's config).
    #[error("{message}")]
    Schema {
        /// The JSON path of the value, e.g. `scores[40].lamp`.
        field: String,
        /// The rule broken, with the field named as Tachi names it.
        message: String,
    },
    /// The input is over the size limit.
    #[error("The input is {size} bytes; the limit is {limit} bytes.")]
    TooLarge {
        /// The input's size.
        size: usize,
        /// The limit for this import type.
        limit: usize,
    },
    /// `X-Infer-Score-TimeAchieved` with no score.
    #[error("Cannot use X-Infer-Score-TimeAchieved with no scores in your import.")]
    InferWithoutScores,
    /// `X-Infer-Score-TimeAchieved` with more than one score.
    #[error("Cannot use X-Infer-Score-TimeAchieved with multiple scores in your import.")]
    InferWithManyScores,
    /// `X-Infer-Score-TimeAchieved` on a score that has a time.
    #[error(
        "Cannot use X-Infer-Score-Timestamp if the importing score already has a timeAchieved set."
    )]
    InferOverTime,
}

impl kaiden_core::error::FormatError for BatchManualError {}

/// The error for `message` about `field`: a JSON syntax error when the
/// message says so, a rule of the format otherwise.
fn error(field: &str, message: impl Into<String>) -> BatchManualError {
    let (field, message) = (field.to_owned(), message.into());
    if message.starts_with("Invalid JSON") || message.contains(": Invalid JSON") {
        BatchManualError::Json { field, message }
    } else {
        BatchManualError::Schema { field, message }
    }
}

fn fatal(input: &[u8], at: usize, field: &str, message: impl Into<String>) -> ImportError {
    let (line, column) = line_col(input, at);
    ImportError::from(error(field, message)).at(Position::line(line)
        .with_column(column)
        .with_byte(at as u64)
        .with_field(field))
}

fn scan_fatal(input: &[u8], e: ScanError, field: &str) -> ImportError {
    fatal(input, e.at, field, format!("Invalid JSON: {}.", e.message))
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn is_count(n: f64) -> bool {
    n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0
}

fn check_optional(
    gpt: Gpt,
    conf: &GptConfig,
    key: &str,
    pairs: &[(std::borrow::Cow<'static, str>, MetricValue)],
) -> Result<(), (String, String)> {
    for (ok, ov) in pairs {
        let Some(m) = conf.optional_metric(ok) else {
            let names: Vec<&str> = conf.optional_metrics.iter().map(|m| m.name).collect();
            return Err((
                format!("{key}.{ok}"),
                format!(
                    "unknown optional metric of {gpt} (expected one of {})",
                    names.join(", ")
                ),
            ));
        };
        if *ov == MetricValue::Null {
            continue;
        }
        // The label is only built when there is an error to report.
        if !metric_errors(m, ov, ok).is_empty() {
            let label = format!("{key}.{ok}");
            let e = metric_errors(m, ov, &label)
                .into_iter()
                .next()
                .unwrap_or_default();
            return Err((label, e));
        }
    }
    Ok(())
}

/// Checks one score against its GPT's schema; `Err((key, message))`.
fn check_score(gpt: Gpt, s: &BatchScore) -> Result<(), (String, String)> {
    let conf = GptConfig::of(gpt);
    for (k, v) in &s.metrics {
        let k: &str = k;
        let Some(m) = conf.provided_metrics.iter().find(|m| m.name == k) else {
            let names: Vec<&str> = conf.provided_metrics.iter().map(|m| m.name).collect();
            return Err((
                k.to_owned(),
                format!(
                    "unknown key (a score of {gpt} may have: {}, {})",
                    names.join(", "),
                    SCORE_KEYS.join(", ")
                ),
            ));
        };
        if let Some(e) = metric_errors(m, v, k).into_iter().next() {
            let e = match (m.enum_values(), v) {
                (Some(values), MetricValue::Str(x)) => {
                    format!(
                        "{x:?} is not a {k} of {gpt} (expected one of {})",
                        values.join(", ")
                    )
                }
                _ => e,
            };
            return Err((k.to_owned(), e));
        }
    }
    if let Some(mt) = &s.match_type {
        if mt.parse::<MatchType>().is_err() {
            return Err(("matchType".into(), format!("{mt:?} is not a match type")));
        }
    }
    if let Some(c) = &s.comment {
        let n = c.chars().count();
        if !(3..=240).contains(&n) {
            return Err((
                "comment".into(),
                format!("must be 3 to 240 characters, got {n}"),
            ));
        }
    }
    if let Some(t) = s.time_achieved {
        if !(t == 0.0 || t > 1e12) {
            return Err((
                "timeAchieved".into(),
                format!(
                    "{} is not a time in milliseconds (it must be 0, null or above 10^12)",
                    MetricValue::Number(t).as_f64().unwrap_or(t)
                ),
            ));
        }
    }
    for (jk, jv) in &s.judgements {
        if !conf.judgements.contains(&jk.as_ref()) {
            return Err((
                format!("judgements.{jk}"),
                format!(
                    "unknown judgement of {gpt} (expected one of {})",
                    conf.judgements.join(", ")
                ),
            ));
        }
        if let Some(n) = jv {
            if !is_count(*n) {
                return Err((
                    format!("judgements.{jk}"),
                    format!("{n} is not a non-negative integer or null"),
                ));
            }
        }
    }
    check_optional(gpt, conf, "optional", &s.optional)?;
    check_optional(gpt, conf, "hitMeta", &s.hit_meta)?;
    if let Some(meta) = &s.score_meta {
        for (mk, mv) in meta {
            let Some(f) = conf.score_meta.iter().find(|f| f.name == mk) else {
                return Err((format!("scoreMeta.{mk}"), "unknown key".to_owned()));
            };
            let ok = match (f.kind, mv) {
                (_, Value::Null) => f.nullable,
                (MetaFieldKind::Enum(vals), Value::String(x)) => vals.contains(&x.as_str()),
                (MetaFieldKind::EnumPair(vals), Value::Array(a)) => {
                    a.len() == 2
                        && a.iter()
                            .all(|x| x.as_str().is_some_and(|x| vals.contains(&x)))
                }
                (MetaFieldKind::Boolean, Value::Bool(_)) => true,
                (MetaFieldKind::Number, Value::Number(_)) => true,
                _ => false,
            };
            if !ok {
                return Err((
                    format!("scoreMeta.{mk}"),
                    format!("{mv} is not a valid {mk}"),
                ));
            }
        }
    }
    for m in conf.provided_metrics {
        if !s.metrics.iter().any(|(k, _)| k == m.name) {
            return Err((m.name.to_owned(), "is missing".to_owned()));
        }
    }
    if s.match_type.is_none() {
        return Err(("matchType".to_owned(), "is missing".to_owned()));
    }
    if s.identifier.is_none() {
        return Err(("identifier".to_owned(), "is missing".to_owned()));
    }
    Ok(())
}

/// Skips one JSON value with serde_json's validating skipper (faster than a
/// byte loop, and it rejects malformed JSON at once); returns its end.
fn skip_json(b: &[u8], start: usize) -> Result<usize, ScanError> {
    let mut stream =
        serde_json::Deserializer::from_slice(&b[start..]).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => Ok(start + stream.byte_offset()),
        Some(Err(e)) => {
            // Position of the error, from the value's start.
            let mut at = start;
            let mut line = 1;
            while line < e.line() && at < b.len() {
                if b[at] == b'\n' {
                    line += 1;
                }
                at += 1;
            }
            let at = if e.line() <= 1 {
                start + e.column().saturating_sub(1)
            } else {
                at + e.column().saturating_sub(1)
            };
            Err(ScanError {
                at: at.min(b.len()),
                message: e
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            })
        }
        None => Err(ScanError {
            at: start,
            message: "expected a value, found the end of the input".into(),
        }),
    }
}

/// The top level of a document: where each part is.
#[derive(Debug, Clone, Default)]
struct TopLevel {
    meta: Option<(usize, usize)>,
    /// `(start, end)`; `end` is unknown (`usize::MAX`) while the array is streamed.
    scores: Option<(usize, usize)>,
    classes: Option<(usize, usize)>,
}

/// Where a top-level scan stopped.
enum Scan {
    /// At the closing brace; the document is complete.
    Done,
    /// At the start of `scores` (meta already read): the rest is scanned after
    /// the array has been streamed.
    Paused,
}

/// Scans top-level keys from `i` (just after `{` when `first`, else just after a
/// `,`). With `pause`, stops at `scores` if `meta` has been seen, so the scores
/// array is read once, by the stream.
fn scan_keys(
    b: &[u8],
    mut i: usize,
    top: &mut TopLevel,
    pause: bool,
    mut first: bool,
) -> Result<Scan, ImportError> {
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b'}') if first => return finish_doc(b, i + 1).map(|()| Scan::Done),
            Some(b'"') => {}
            _ => {
                return Err(fatal(
                    b,
                    i,
                    "$",
                    "Invalid JSON: expected a key or the end of the object.",
                ));
            }
        }
        first = false;
        let key_end = skip_string(b, i).map_err(|e| scan_fatal(b, e, "$"))?;
        let key: String = serde_json::from_slice(&b[i..key_end])
            .map_err(|e| fatal(b, i, "$", format!("Invalid JSON: {e}.")))?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return Err(fatal(b, i, &key, "Invalid JSON: expected ':'."));
        }
        let start = skip_ws(b, i + 1);
        let meta_seen = top.meta.is_some();
        let slot = match key.as_str() {
            "meta" => &mut top.meta,
            "scores" => &mut top.scores,
            "classes" => &mut top.classes,
            _ => {
                return Err(fatal(
                    b,
                    i,
                    &key,
                    format!(
                        "unknown key {key:?} (a BATCH-MANUAL document has meta, scores and classes)"
                    ),
                ));
            }
        };
        if slot.is_some() {
            return Err(fatal(b, i, &key, format!("duplicate key {key:?}")));
        }
        if key == "scores" && pause && meta_seen && b.get(start) == Some(&b'[') {
            *slot = Some((start, usize::MAX));
            return Ok(Scan::Paused);
        }
        let end = skip_json(b, start).map_err(|e| scan_fatal(b, e, &key))?;
        *slot = Some((start, end));
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => return finish_doc(b, i + 1).map(|()| Scan::Done),
            _ => return Err(fatal(b, i, &key, "Invalid JSON: expected ',' or '}'.")),
        }
    }
}

/// Checks that nothing but whitespace follows the document.
fn finish_doc(b: &[u8], i: usize) -> Result<(), ImportError> {
    let rest = skip_ws(b, i);
    if rest == b.len() {
        Ok(())
    } else {
        Err(fatal(
            b,
            rest,
            "$",
            "Invalid JSON: trailing characters after the document.",
        ))
    }
}

fn scan_top(b: &[u8]) -> Result<(TopLevel, Scan), ImportError> {
    let i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return Err(fatal(
            b,
            i,
            "$",
            "Invalid JSON: the document must be an object with meta and scores.",
        ));
    }
    let mut top = TopLevel::default();
    let scan = scan_keys(b, i + 1, &mut top, true, true)?;
    Ok((top, scan))
}

fn parse_part<T: serde::de::DeserializeOwned>(
    b: &[u8],
    (start, end): (usize, usize),
    field: &str,
) -> Result<T, ImportError> {
    serde_json::from_slice(&b[start..end]).map_err(|e| {
        let (line, col) = line_col(b, start);
        // serde_json's line/column are relative to the part.
        let (line, column) = if e.line() <= 1 {
            (line, col + e.column().saturating_sub(1) as u64)
        } else {
            (line + e.line() as u64 - 1, e.column() as u64)
        };
        // One position: serde_json's own "at line L column C" (counted from
        // the part) is cut from the message; the position says where in the
        // document it is.
        let text = kaiden_core::error::plain_json_message(&e.to_string()).into_owned();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let text = text.strip_suffix(&suffix).unwrap_or(&text);
        ImportError::from(BatchManualError::Json {
            field: field.to_owned(),
            message: format!("{field}: {text}"),
        })
        .at(Position::line(line).with_column(column).with_field(field))
    })
}

fn parse_meta(
    b: &[u8],
    top: &TopLevel,
    import_type: ImportType,
) -> Result<BatchContext, ImportError> {
    let Some(range) = top.meta else {
        return Err(fatal(b, 0, "meta", "meta is missing."));
    };
    let meta: Meta = parse_part(b, range, "meta")?;
    let at = |f: &str, m: String| fatal(b, range.0, &format!("meta.{f}"), m);
    let game: Game = meta
        .game
        .parse()
        .map_err(|e: kaiden_core::UnknownName| at("game", e.to_string()))?;
    let gpt = game
        .parse_playtype(&meta.playtype)
        .map_err(|e| at("playtype", e.to_string()))?;
    let n = meta.service.chars().count();
    if !(3..=60).contains(&n) {
        return Err(at(
            "service",
            format!("must be 3 to 60 characters, got {n}"),
        ));
    }
    if let Some(v) = &meta.version {
        let conf = GptConfig::of(gpt);
        if !conf.has_version(v) {
            let ids: Vec<&str> = conf.versions.iter().map(|(id, _)| *id).collect();
            return Err(at(
                "version",
                format!(
                    "{v:?} is not a version of {gpt} (expected one of {})",
                    ids.join(", ")
                ),
            ));
        }
    }
    let suffix = if import_type == ImportType::IR_DIRECT_MANUAL {
        "DIRECT-MANUAL"
    } else {
        "BATCH-MANUAL"
    };
    Ok(BatchContext {
        gpt,
        service: format!("{} ({suffix})", meta.service),
        version: meta.version,
    })
}

fn parse_classes(b: &[u8], top: &TopLevel, gpt: Gpt) -> Result<Vec<ProvidedClass>, ImportError> {
    let Some(range) = top.classes else {
        return Ok(Vec::new());
    };
    let classes: Option<Map<String, Value>> = parse_part(b, range, "classes")?;
    let conf = GptConfig::of(gpt);
    let mut out = Vec::new();
    for (set, v) in classes.unwrap_or_default() {
        let at = |m: String| fatal(b, range.0, &format!("classes.{set}"), m);
        let Some(class) = conf.class(&set).filter(|c| c.kind == ClassKind::Provided) else {
            let provided: Vec<&str> = conf
                .classes
                .iter()
                .filter(|c| c.kind == ClassKind::Provided)
                .map(|c| c.name)
                .collect();
            return Err(at(format!(
                "{set:?} is not a provided class of {gpt} (expected one of {})",
                provided.join(", ")
            )));
        };
        match v {
            Value::Null => {}
            Value::String(id) if class.index_of(&id).is_some() => out.push(ProvidedClass {
                gpt,
                set,
                class_id: id,
            }),
            other => {
                let ids: Vec<&str> = class.values.iter().map(|v| v.id).collect();
                return Err(at(format!(
                    "{other} is not a {set} of {gpt} (expected one of {})",
                    ids.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// Tachi's `FormatGame`: the game's name, with the playtype when it has more
/// than one.
fn format_game(gpt: Gpt) -> String {
    let game = gpt.game();
    // Tachi's config names DDR so.
    let name = if game == Game::Ddr {
        "DDR"
    } else {
        game.display_name()
    };
    if game.playtypes().len() == 1 {
        name.to_owned()
    } else if gpt == Gpt::UscKeyboard {
        format!("{name} (Keyboard/Other)")
    } else {
        format!("{name} ({})", gpt.playtype())
    }
}

/// Tachi's `AssertStrAsPositiveInt` on a `tachiSongID` identifier.
fn song_id(identifier: &str) -> Result<i64, ConverterFailure> {
    const WHAT: &str = "Invalid songID - must be a stringified positive integer.";
    let digits = identifier.strip_prefix('-').unwrap_or(identifier);
    let is_int = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let value = is_int
        .then(|| identifier.parse::<i64>().ok())
        .flatten()
        .filter(|v| v.unsigned_abs() <= 9_007_199_254_740_991);
    match value {
        None => Err(failure(format!("{WHAT} (Not an integer -- {identifier}.)"))),
        Some(v) if v < 0 => Err(failure(format!("{WHAT} (Was negative -- {identifier}.)"))),
        Some(v) => Ok(v),
    }
}

/// Tachi's words for a difficulty the GPT does not have.
/// A number as JavaScript prints it.
fn js_number_text(n: f64) -> String {
    let mut s = String::new();
    write_js_number(&mut s, n);
    s
}

fn invalid_difficulty(gpt: Gpt, match_type: MatchType, diff: &str) -> String {
    let order = GptConfig::of(gpt)
        .difficulties
        .names()
        .unwrap_or_default()
        .join(", ");
    if match_type == MatchType::SdvxInGameId {
        return format!("Invalid difficulty '{diff}', Expected any of {order} or ANY_INF");
    }
    if gpt.game() == Game::Chunithm && diff == "WORLD'S END" {
        return "WORLD'S END is not supported. Sorry.".to_owned();
    }
    format!(
        "Invalid Difficulty for {} {} - Expected any of {order} (Got {diff})",
        gpt.game(),
        gpt.playtype()
    )
}

/// Streams the elements of the `scores` array.
struct Scores<'a> {
    b: &'a [u8],
    gpt: Gpt,
    i: usize,
    end: usize,
    index: u64,
    /// A byte offset and the 1-based line it is on, advanced as records are read.
    line: (usize, u64),
    /// The top level read so far, when its scan paused at `scores`: the rest of
    /// the document (e.g. `classes`) is read when the array ends.
    resume: Option<TopLevel>,
    classes: ClassSlot,
    /// The document as text, when it is valid UTF-8.
    text: Option<&'a str>,
}

impl Scores<'_> {
    fn step(&mut self) -> Result<Option<Box<BatchScore>>, ImportError> {
        let b = self.b;
        let i = skip_ws(b, self.i);
        if i >= self.end || b[i] == b']' {
            if let Some(mut top) = self.resume.take() {
                // The rest of the document after `scores`.
                let after = skip_ws(b, i + 1);
                match b.get(after) {
                    Some(b',') => {
                        scan_keys(b, after + 1, &mut top, false, false)?;
                    }
                    Some(b'}') => finish_doc(b, after + 1)?,
                    _ => {
                        return Err(fatal(
                            b,
                            after,
                            "scores",
                            "Invalid JSON: expected ',' or '}' after scores.",
                        ));
                    }
                }
                self.classes.set(parse_classes(b, &top, self.gpt)?);
            }
            return Ok(None);
        }
        let start = i;
        let index = self.index;
        let path = move || format!("scores[{index}]");
        let at = |field: &str, byte: usize| {
            let (line, column) = line_col(b, byte);
            Position::line(line)
                .with_column(column)
                .with_byte(byte as u64)
                .with_record(self.index + 1)
                .with_field(field)
        };
        if b[start] != b'{' {
            let found =
                serde_json::from_slice::<Value>(&b[start..skip_value(b, start).unwrap_or(b.len())])
                    .map_or("invalid JSON", |v| type_of(&v));
            return Err(ImportError::from(error(
                &path(),
                format!("{}: expected an object, got {found}", path()),
            ))
            .at(at(&path(), start)));
        }
        // A document already known to be UTF-8 is read as `str`: serde_json then
        // skips validating every string again.
        let (next, consumed) = match self.text.and_then(|t| t.get(start..self.end)) {
            Some(t) => {
                let mut stream =
                    serde_json::Deserializer::from_str(t).into_iter::<Box<BatchScore>>();
                (stream.next(), stream.byte_offset())
            }
            None => {
                let mut stream = serde_json::Deserializer::from_slice(&b[start..self.end])
                    .into_iter::<Box<BatchScore>>();
                (stream.next(), stream.byte_offset())
            }
        };
        let mut record = match next {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                let text = kaiden_core::error::plain_json_message(&e.to_string()).into_owned();
                let suffix = format!(" at line {} column {}", e.line(), e.column());
                let text = text.strip_suffix(&suffix).unwrap_or(&text);
                let (field, message) = match text.split_once(FIELD_SEP) {
                    Some((key, msg)) => {
                        let (inner, msg) = msg
                            .split_once(FIELD_SEP)
                            .map_or((None, msg), |(k2, m)| (Some(k2), m));
                        let field = match inner {
                            Some(k2) => format!("{}.{key}.{k2}", path()),
                            None => format!("{}.{key}", path()),
                        };
                        (field, msg.to_owned())
                    }
                    None => (path(), format!("Invalid JSON: {text}")),
                };
                // serde_json counts from the element's start.
                let (line0, col0) = line_col(b, start);
                let line = line0 + e.line().saturating_sub(1) as u64;
                let column = if e.line() <= 1 {
                    col0 + e.column().saturating_sub(1) as u64
                } else {
                    e.column() as u64
                };
                let pos = Position::line(line)
                    .with_column(column)
                    .with_record(self.index + 1)
                    .with_field(field.clone());
                return Err(
                    ImportError::from(error(&field, format!("{field}: {message}"))).at(pos),
                );
            }
            None => {
                return Err(ImportError::from(error(
                    &path(),
                    format!("{}: Invalid JSON: unexpected end of input", path()),
                ))
                .at(at(&path(), start)));
            }
        };
        let end = start + consumed;
        if let Err((key, message)) = check_score(self.gpt, &record) {
            let field = format!("{}.{key}", path());
            return Err(
                ImportError::from(error(&field, format!("{field}: {message}")))
                    .at(at(&field, start)),
            );
        }
        let j = skip_ws(b, end);
        match b.get(j) {
            Some(b',') => self.i = j + 1,
            Some(b']') => self.i = j,
            _ => {
                return Err(ImportError::from(error(
                    &path(),
                    "Invalid JSON: expected ',' or ']' after a score.",
                ))
                .at(at(&path(), j)));
            }
        }
        record.index = self.index;
        record.byte = start as u64;
        let (from, line) = self.line;
        let newlines = scan::count_newlines(&b[from.min(start)..start]);
        record.line = line + newlines;
        self.line = (start, record.line);
        self.index += 1;
        Ok(Some(record))
    }
}

fn failure(m: impl Into<String>) -> ConverterFailure {
    ConverterFailure::InvalidScore(m.into())
}

/// `X-Infer-Score-TimeAchieved: true` on `ir/direct-manual`: the import must
/// hold exactly one score, without a `timeAchieved`; it is given the current
/// time. Anything else is a fatal 400 (Tachi answers 500 for no scores; an
/// empty import is refused here instead).
fn infer_time_achieved<'a>(
    mut inner: Box<dyn Iterator<Item = Result<Box<BatchScore>, ImportError>> + Send + 'a>,
) -> Box<dyn Iterator<Item = Result<Box<BatchScore>, ImportError>> + Send + 'a> {
    let mut done = false;
    Box::new(fused_records(move || {
        if done {
            return Ok(None);
        }
        done = true;
        let Some(first) = inner.next() else {
            return Err(BatchManualError::InferWithoutScores.into());
        };
        let mut first = first?;
        if let Some(second) = inner.next() {
            second?;
            return Err(BatchManualError::InferWithManyScores.into());
        }
        if first.time_achieved.is_some_and(|t| t != 0.0) {
            return Err(BatchManualError::InferOverTime.into());
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        first.time_achieved = Some(now as f64);
        Ok(Some(first))
    }))
}

/// The UTF-8 byte order mark, read past.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl BatchManual {
    /// The size limit of `import_type`.
    fn limit(&self, import_type: ImportType) -> usize {
        if import_type == ImportType::IR_DIRECT_MANUAL {
            self.max_bytes.min(DIRECT_MANUAL_MAX_BYTES)
        } else {
            self.max_bytes
        }
    }
}

/// Opens a document (after its byte order mark): its context, the classes
/// read so far (those after `scores` are added when the array ends), and the
/// reader of its scores.
fn open_doc(
    import_type: ImportType,
    b: &[u8],
) -> Result<(BatchContext, ClassSlot, Scores<'_>), ImportError> {
    let (top, scan) = scan_top(b)?;
    let context = parse_meta(b, &top, import_type)?;
    let classes = ClassSlot::new(parse_classes(b, &top, context.gpt)?);
    let Some((start, end)) = top.scores else {
        return Err(fatal(b, 0, "scores", "scores is missing."));
    };
    if b.get(start) != Some(&b'[') {
        return Err(fatal(b, start, "scores", "scores must be an array."));
    }
    let (end, resume) = match scan {
        Scan::Paused => (b.len(), Some(top)),
        Scan::Done => (end, None),
    };
    let scores = Scores {
        b,
        gpt: context.gpt,
        i: start + 1,
        end,
        index: 0,
        line: (start + 1, line_col(b, start + 1).0),
        resume,
        classes: classes.clone(),
        text: std::str::from_utf8(b).ok(),
    };
    Ok((context, classes, scores))
}

impl ImportFormat for BatchManual {
    /// Boxed: records move through the stream and batches by pointer.
    type Record = Box<BatchScore>;
    type Context = BatchContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::FILE_BATCH_MANUAL, ImportType::IR_DIRECT_MANUAL]
    }

    fn reads_streams(&self, import_type: ImportType) -> bool {
        // A score hook's body is small and arrives whole.
        import_type == ImportType::FILE_BATCH_MANUAL
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Box<BatchScore>, BatchContext>, ImportError> {
        let limit = self.limit(import_type);
        if let Some(stream) = &input.stream {
            return stream::parse(self, import_type, stream.as_ref(), limit);
        }
        let b = input.bytes;
        if b.len() > limit {
            return Err(BatchManualError::TooLarge {
                size: b.len(),
                limit,
            }
            .into());
        }
        let b = b.strip_prefix(BOM).unwrap_or(b);
        let (context, classes, mut scores) = open_doc(import_type, b)?;
        let infer = import_type == ImportType::IR_DIRECT_MANUAL
            && input
                .headers
                .get("x-infer-score-timeachieved")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let records: Box<dyn Iterator<Item = Result<Box<BatchScore>, ImportError>> + Send + 'a> =
            Box::new(fused_records(move || scores.step()));
        let records = if infer {
            infer_time_achieved(records)
        } else {
            records
        };
        Ok(ParsedImport {
            game: context.gpt.game(),
            context,
            records,
            classes,
        })
    }

    fn position(&self, record: &Box<BatchScore>) -> Option<Position> {
        (record.line > 0).then(|| {
            Position::line(record.line)
                .with_record(record.index + 1)
                .with_field(format!("scores[{}]", record.index))
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &Box<BatchScore>,
        context: &BatchContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let gpt = context.gpt;
        let conf = GptConfig::of(gpt);
        let r = record;
        let match_type: MatchType = r
            .match_type
            .as_deref()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| failure("matchType is missing or invalid."))?;
        if !conf.supports_match_type(match_type) {
            // Tachi's converter's words.
            if gpt.game() == Game::Sdvx && match_type == MatchType::InGameId {
                return Err(failure(format!(
                    "Cannot use matchType {match_type} for {}. Use 'sdvxInGameID' instead.",
                    format_game(gpt)
                )));
            }
            let supported: Vec<&str> = conf
                .supported_match_types
                .iter()
                .map(|m| m.as_str())
                .collect();
            return Err(failure(format!(
                "Cannot use matchType {match_type} for {}. Expected any of {}.",
                format_game(gpt),
                supported.join(", ")
            )));
        }
        let identifier = r
            .identifier
            .as_deref()
            .ok_or_else(|| failure("identifier is missing."))?;
        // Tachi reads in-game ids with JavaScript's `Number`: one that is no
        // integer ("x1", "1.5") finds no chart, and the score is an orphan.
        let number = matches!(match_type, MatchType::InGameId | MatchType::SdvxInGameId)
            .then(|| js_number(identifier));
        #[allow(clippy::cast_possible_truncation)]
        let int_id = number
            .filter(|n| n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0)
            .map_or(-1, |n| n as i64);
        let no_such_id = number.is_some() && int_id < 0;
        let playtype = gpt.playtype().as_str();
        let key = match match_type {
            MatchType::SongTitle => ChartKey::SongTitle {
                title: identifier.to_owned(),
                // An empty artist is no artist (Tachi tests it for truth).
                artist: r.artist.clone().filter(|a| !a.is_empty()),
                exact_first: false,
                level: None,
            },
            MatchType::TachiSongId => ChartKey::TachiSongId(song_id(identifier)?),
            MatchType::InGameId => ChartKey::InGameId(int_id),
            MatchType::SdvxInGameId => ChartKey::SdvxInGameId(int_id),
            MatchType::InGameStrId => ChartKey::InGameStrId(identifier.to_owned()),
            MatchType::DdrSongHash => ChartKey::DdrSongHash(identifier.to_owned()),
            MatchType::BmsChartHash => ChartKey::BmsChartHash(identifier.to_owned()),
            MatchType::ItgChartHash => ChartKey::ItgChartHash(identifier.to_owned()),
            MatchType::UscChartHash => ChartKey::UscChartHash(identifier.to_owned()),
            MatchType::PopnChartHash => ChartKey::PopnChartHash(identifier.to_owned()),
        };
        // Tachi's converter checks the difficulty before the lookup, except
        // for the lookups by song (tachiSongID, songTitle): those find the
        // song first, so a song not found is an orphan whatever the
        // difficulty, and a song found with a bad difficulty is invalid.
        let by_song = matches!(match_type, MatchType::TachiSongId | MatchType::SongTitle);
        let mut invalid_once_found = None;
        let difficulty = if match_type.needs_difficulty() {
            match r.difficulty.as_deref() {
                None if by_song => {
                    invalid_once_found = Some(
                        "Missing 'difficulty' field, but was necessary for this lookup.".to_owned(),
                    );
                    None
                }
                None => return Err(failure(invalid_difficulty(gpt, match_type, "undefined"))),
                Some(diff) => {
                    let any_inf = match_type == MatchType::SdvxInGameId && diff == SDVX_ANY_INF;
                    if !any_inf && !conf.difficulties.accepts(diff) {
                        let message = invalid_difficulty(gpt, match_type, diff);
                        if !by_song {
                            return Err(failure(message));
                        }
                        invalid_once_found = Some(message);
                    }
                    Some(diff.to_owned())
                }
            }
        } else {
            None
        };
        // Tachi's converter's words when the lookup finds nothing.
        let version = context.version.as_deref().unwrap_or("null");
        let diff = difficulty.as_deref().unwrap_or_default();
        let chart_of_song = |song: String| {
            NotFound::song_then_chart_of(
                song,
                "Cannot find chart for ",
                format!(" ({playtype} {diff})"),
            )
        };
        let not_found = match &key {
            ChartKey::BmsChartHash(_) => NotFound::new(format!("Cannot find chart for hash {identifier}.")),
            ChartKey::ItgChartHash(_) => {
                NotFound::new(format!("Cannot find chart for itgChartHash {identifier}."))
            }
            ChartKey::PopnChartHash(_) => NotFound::new(format!(
                "Cannot find chart for popnChartHash {identifier} ({playtype})."
            )),
            ChartKey::UscChartHash(_) => NotFound::new(format!("Cannot find chart with hash {identifier}.")),
            ChartKey::InGameId(_) => NotFound::new(format!(
                "Cannot find chart for inGameID {identifier} ({playtype})."
            )),
            ChartKey::InGameStrId(_) => NotFound::new(format!(
                "Cannot find chart for inGameStrID {identifier} ({playtype})."
            )),
            ChartKey::SdvxInGameId(_) => NotFound::new(format!(
                "Cannot find SDVX chart with inGameID {}, difficulty {diff} and version {version}.",
                number.map(js_number_text).unwrap_or_default()
            )),
            ChartKey::DdrSongHash(_) => NotFound::song_then_chart(
                format!("Cannot find song with ddrSongHash {identifier}."),
                format!(
                    "Found song with ddrSongHash {identifier} but cannot find chart {playtype} {diff}."
                ),
            ),
            ChartKey::TachiSongId(_) => {
                chart_of_song(format!("Cannot find song with songID {identifier}."))
            }
            ChartKey::SongTitle { .. } => {
                chart_of_song(format!("Cannot find song with title {identifier}.")).with_ambiguous(
                    match r.artist.as_deref() {
                        Some(artist) if !artist.is_empty() => format!(
                            "Multiple songs exist with the case-insensitive title {identifier} by artist {artist}. \
                             We cannot resolve this. Please try and use a different song resolution method."
                        ),
                        _ => format!(
                            "Multiple songs exist with the case-insensitive title {identifier}. \
                             We cannot resolve this. Please try adding an artist field."
                        ),
                    },
                )
            }
            ChartKey::IidxInGameId(_) | ChartKey::AnyInGameId(_) | ChartKey::AnyPlaytypeHash(_) => {
                NotFound::new(format!("Cannot find chart for {identifier}."))
            }
        };
        if no_such_id {
            return Err(ConverterFailure::SongOrChartNotFound(
                not_found.song_message().to_owned(),
            ));
        }
        let not_found = Some(match invalid_once_found {
            Some(m) => not_found.invalid_once_found(m),
            None => not_found,
        });
        // Keys the configs know were read as the configs' own strings: copying
        // them copies no text.
        let mut score_data = ScoreData::default();
        for (k, v) in &r.metrics {
            score_data.metrics.insert(k.clone(), v.clone());
        }
        for (k, v) in &r.judgements {
            #[allow(clippy::cast_possible_truncation)]
            score_data.judgements.insert(k.clone(), v.map(|n| n as i64));
        }
        for (k, v) in r.hit_meta.iter().chain(&r.optional) {
            score_data.optional.insert(k.clone(), v.clone());
        }
        let score_meta = r.score_meta.clone().unwrap_or_default();
        // Tachi's converter: an explicit `timeAchieved: 0` means "unknown"
        // (null), kept for old clients that sent 0 for it.
        #[allow(clippy::cast_possible_truncation)]
        let time_achieved = r.time_achieved.filter(|t| *t != 0.0).map(|t| t as i64);
        let d_comment = r.comment.clone();
        Ok(PendingScore {
            dry: DryScore {
                service: context.service.clone(),
                game: gpt.game(),
                import_type,
                time_achieved,
                comment: d_comment,
                score_data,
                score_meta,
            },
            expected_level: None,
            not_found,
            query: ChartQuery {
                gpt,
                key,
                difficulty,
                version: context.version.clone(),
            },
            highlight: false,
        })
    }
}

#[cfg(test)]
mod tests;
