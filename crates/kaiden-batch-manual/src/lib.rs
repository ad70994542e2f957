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

mod scan;

use kaiden_core::config::{ClassKind, GptConfig, MetaFieldKind};
use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{
    ImportFormat, ImportInput, ParsedImport, PendingScore, ProvidedClass, RecordResult,
};
use kaiden_core::gpt_impl::metric_errors;
use kaiden_core::query::{ChartKey, ChartQuery, MatchType, SDVX_ANY_INF};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use scan::{LineCounter, ScanError, line_col, skip_string, skip_value, skip_ws};

/// The default size limit: Tachi's 16 MiB upload limit.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// Tachi's body limit for `ir/direct-manual`.
pub const DIRECT_MANUAL_MAX_BYTES: usize = 4 * 1024 * 1024;

/// The BATCH-MANUAL format.
#[derive(Debug, Clone)]
pub struct BatchManual {
    max_bytes: usize,
}

impl Default for BatchManual {
    fn default() -> Self {
        BatchManual {
            max_bytes: DEFAULT_MAX_BYTES,
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

/// One element of `scores`, exactly as the document gave it (an orphan keeps it so).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchScore {
    /// The score object.
    pub data: Map<String, Value>,
    /// 0-based index in `scores`.
    pub index: u64,
    /// 1-based line where the element starts (0 when re-read from an orphan).
    pub line: u64,
}

impl Serialize for BatchScore {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}

impl<'de> Deserialize<'de> for BatchScore {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(BatchScore {
            data: Map::deserialize(d)?,
            index: 0,
            line: 0,
        })
    }
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

fn fatal(input: &[u8], at: usize, field: &str, message: impl Into<String>) -> ImportError {
    let (line, column) = line_col(input, at);
    ImportError::invalid_at(
        Position::line(line)
            .with_column(column)
            .with_byte(at as u64)
            .with_field(field),
        message,
    )
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

fn metric_value(v: &Value) -> Option<MetricValue> {
    serde_json::from_value(v.clone()).ok()
}

/// Checks one score object against its GPT's schema; `Err((key, message))`.
fn check_score(gpt: Gpt, obj: &Map<String, Value>) -> Result<(), (String, String)> {
    let conf = GptConfig::of(gpt);
    for (k, v) in obj {
        if let Some(m) = conf.provided_metrics.iter().find(|m| m.name == k) {
            let Some(mv) = metric_value(v) else {
                return Err((
                    k.clone(),
                    format!("expected a {} value, got {}", gpt, type_of(v)),
                ));
            };
            let errs = metric_errors(m, &mv, k);
            if let Some(e) = errs.into_iter().next() {
                let e = match m.enum_values() {
                    Some(values) if mv.as_str().is_some() => format!(
                        "{v} is not a {k} of {gpt} (expected one of {})",
                        values.join(", ")
                    ),
                    _ => e,
                };
                return Err((k.clone(), e));
            }
            continue;
        }
        if !SCORE_KEYS.contains(&k.as_str()) {
            return Err((
                k.clone(),
                format!(
                    "unknown key (a score of {gpt} may have: {}, {})",
                    conf.provided_metrics
                        .iter()
                        .map(|m| m.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                    SCORE_KEYS.join(", ")
                ),
            ));
        }
        match (k.as_str(), v) {
            ("matchType", Value::String(s)) => {
                if s.parse::<MatchType>().is_err() {
                    return Err((k.clone(), format!("{v} is not a match type")));
                }
            }
            ("identifier", Value::String(_)) => {}
            ("difficulty" | "artist", Value::String(_) | Value::Null) => {}
            ("comment", Value::Null) => {}
            ("comment", Value::String(s)) => {
                let n = s.chars().count();
                if !(3..=240).contains(&n) {
                    return Err((k.clone(), format!("must be 3 to 240 characters, got {n}")));
                }
            }
            ("timeAchieved", Value::Null) => {}
            ("timeAchieved", Value::Number(n)) => {
                let t = n.as_f64().unwrap_or(-1.0);
                if !(t == 0.0 || t > 1e12) {
                    return Err((
                        k.clone(),
                        format!(
                            "{n} is not a time in milliseconds (it must be 0, null or above 10^12)"
                        ),
                    ));
                }
            }
            ("judgements", Value::Object(j)) => {
                for (jk, jv) in j {
                    if !conf.judgements.contains(&jk.as_str()) {
                        return Err((
                            format!("judgements.{jk}"),
                            format!(
                                "unknown judgement (expected one of {})",
                                conf.judgements.join(", ")
                            ),
                        ));
                    }
                    let ok = jv.is_null() || jv.as_u64().is_some_and(|n| n <= (1 << 53));
                    if !ok {
                        return Err((
                            format!("judgements.{jk}"),
                            format!("{jv} is not a non-negative integer or null"),
                        ));
                    }
                }
            }
            ("optional" | "hitMeta", Value::Object(o)) => {
                for (ok, ov) in o {
                    let Some(m) = conf.optional_metric(ok) else {
                        return Err((
                            format!("{k}.{ok}"),
                            format!(
                                "unknown optional metric (expected one of {})",
                                conf.optional_metrics
                                    .iter()
                                    .map(|m| m.name)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    };
                    if ov.is_null() {
                        continue;
                    }
                    let label = format!("{k}.{ok}");
                    let errs = metric_value(ov).map_or_else(
                        || vec![format!("{label} is {}", type_of(ov))],
                        |mv| metric_errors(m, &mv, &label),
                    );
                    if let Some(e) = errs.into_iter().next() {
                        return Err((label, e));
                    }
                }
            }
            ("scoreMeta", Value::Object(o)) => {
                for (mk, mv) in o {
                    let Some(f) = conf.score_meta.iter().find(|f| f.name == mk) else {
                        return Err((format!("scoreMeta.{mk}"), "unknown key".to_owned()));
                    };
                    let ok = match (f.kind, mv) {
                        (_, Value::Null) => f.nullable,
                        (MetaFieldKind::Enum(vals), Value::String(s)) => vals.contains(&s.as_str()),
                        (MetaFieldKind::EnumPair(vals), Value::Array(a)) => {
                            a.len() == 2
                                && a.iter()
                                    .all(|x| x.as_str().is_some_and(|s| vals.contains(&s)))
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
            (_, other) => return Err((k.clone(), format!("unexpected {}", type_of(other)))),
        }
    }
    for m in conf.provided_metrics {
        if !obj.contains_key(m.name) {
            return Err((m.name.to_owned(), "is missing".to_owned()));
        }
    }
    for key in ["matchType", "identifier"] {
        if !obj.contains_key(key) {
            return Err((key.to_owned(), "is missing".to_owned()));
        }
    }
    Ok(())
}

/// The top level of a document: where each part is.
struct TopLevel {
    meta: Option<(usize, usize)>,
    scores: Option<(usize, usize)>,
    classes: Option<(usize, usize)>,
}

fn scan_top(b: &[u8]) -> Result<TopLevel, ImportError> {
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return Err(fatal(
            b,
            i,
            "$",
            "Invalid JSON: the document must be an object with meta and scores.",
        ));
    }
    i += 1;
    let mut top = TopLevel {
        meta: None,
        scores: None,
        classes: None,
    };
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b'}') => {
                i += 1;
                break;
            }
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
        let key_end = skip_string(b, i).map_err(|e| scan_fatal(b, e, "$"))?;
        let key: String = serde_json::from_slice(&b[i..key_end])
            .map_err(|e| fatal(b, i, "$", format!("Invalid JSON: {e}.")))?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return Err(fatal(b, i, &key, "Invalid JSON: expected ':'."));
        }
        let start = skip_ws(b, i + 1);
        let end = skip_value(b, start).map_err(|e| scan_fatal(b, e, &key))?;
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
        *slot = Some((start, end));
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => {}
            _ => return Err(fatal(b, i, &key, "Invalid JSON: expected ',' or '}'.")),
        }
    }
    let rest = skip_ws(b, i);
    if rest != b.len() {
        return Err(fatal(
            b,
            rest,
            "$",
            "Invalid JSON: trailing characters after the document.",
        ));
    }
    Ok(top)
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
        ImportError::invalid_at(
            Position::line(line).with_column(column).with_field(field),
            format!("{field}: {e}"),
        )
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
    let suffix = if import_type == ImportType::IrDirectManual {
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

/// Streams the elements of the `scores` array.
struct Scores<'a> {
    b: &'a [u8],
    gpt: Gpt,
    i: usize,
    end: usize,
    index: u64,
    lines: LineCounter,
    done: bool,
}

impl Scores<'_> {
    fn step(&mut self) -> Result<Option<BatchScore>, ImportError> {
        let b = self.b;
        let i = skip_ws(b, self.i);
        if i >= self.end || b[i] == b']' {
            return Ok(None);
        }
        let start = i;
        let end = skip_value(b, start)
            .map_err(|e| scan_fatal(b, e, &format!("scores[{}]", self.index)))?;
        let path = format!("scores[{}]", self.index);
        let (line, column) = self.lines.advance(b, start);
        let pos = || {
            Position::line(line)
                .with_column(column)
                .with_byte(start as u64)
                .with_record(self.index + 1)
        };
        let value: Value = serde_json::from_slice(&b[start..end]).map_err(|e| {
            ImportError::invalid_at(
                pos().with_field(path.clone()),
                format!("{path}: Invalid JSON: {e}"),
            )
        })?;
        let Value::Object(obj) = value else {
            return Err(ImportError::invalid_at(
                pos().with_field(path.clone()),
                format!("{path}: expected an object, got {}", type_of(&value)),
            ));
        };
        if let Err((key, message)) = check_score(self.gpt, &obj) {
            let field = format!("{path}.{key}");
            return Err(ImportError::invalid_at(
                pos().with_field(field.clone()),
                format!("{field}: {message}"),
            ));
        }
        let j = skip_ws(b, end);
        match b.get(j) {
            Some(b',') => self.i = j + 1,
            Some(b']') => self.i = j,
            _ => {
                return Err(fatal(
                    b,
                    j,
                    &path,
                    "Invalid JSON: expected ',' or ']' after a score.",
                ));
            }
        }
        let record = BatchScore {
            data: obj,
            index: self.index,
            line,
        };
        self.index += 1;
        Ok(Some(record))
    }
}

impl Iterator for Scores<'_> {
    type Item = RecordResult<BatchScore>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

fn failure(m: impl Into<String>) -> ConverterFailure {
    ConverterFailure::InvalidScore(m.into())
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

impl ImportFormat for BatchManual {
    type Record = BatchScore;
    type Context = BatchContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::FileBatchManual, ImportType::IrDirectManual]
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, BatchScore, BatchContext>, ImportError> {
        let b = input.bytes;
        let limit = if import_type == ImportType::IrDirectManual {
            self.max_bytes.min(DIRECT_MANUAL_MAX_BYTES)
        } else {
            self.max_bytes
        };
        if b.len() > limit {
            return Err(ImportError::invalid(format!(
                "The input is {} bytes; the limit is {limit} bytes.",
                b.len()
            )));
        }
        let b = b.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(b);
        let top = scan_top(b)?;
        let context = parse_meta(b, &top, import_type)?;
        let classes = parse_classes(b, &top, context.gpt)?;
        let Some((start, end)) = top.scores else {
            return Err(fatal(b, 0, "scores", "scores is missing."));
        };
        if b.get(start) != Some(&b'[') {
            return Err(fatal(b, start, "scores", "scores must be an array."));
        }
        let gpt = context.gpt;
        Ok(ParsedImport {
            game: gpt.game(),
            context,
            records: Box::new(Scores {
                b,
                gpt,
                i: start + 1,
                end,
                index: 0,
                lines: LineCounter::default(),
                done: false,
            }),
            classes,
        })
    }

    fn position(&self, record: &BatchScore) -> Option<Position> {
        (record.line > 0).then(|| {
            Position::line(record.line)
                .with_record(record.index + 1)
                .with_field(format!("scores[{}]", record.index))
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        record: &BatchScore,
        context: &BatchContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let gpt = context.gpt;
        let conf = GptConfig::of(gpt);
        let d = &record.data;
        let match_type: MatchType = d
            .get("matchType")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| failure("matchType is missing or invalid."))?;
        if !conf.supports_match_type(match_type) {
            return Err(failure(format!(
                "Invalid matchType {match_type} for {gpt}."
            )));
        }
        let identifier = d
            .get("identifier")
            .and_then(Value::as_str)
            .ok_or_else(|| failure("identifier is missing."))?;
        let int_id = || -> Result<i64, ConverterFailure> {
            identifier.trim().parse::<i64>().map_err(|_| {
                failure(format!(
                    "Invalid {match_type} identifier {identifier:?}: expected an integer."
                ))
            })
        };
        let key = match match_type {
            MatchType::SongTitle => ChartKey::SongTitle {
                title: identifier.to_owned(),
                artist: d.get("artist").and_then(Value::as_str).map(str::to_owned),
            },
            MatchType::TachiSongId => ChartKey::TachiSongId(int_id()?),
            MatchType::InGameId => ChartKey::InGameId(int_id()?),
            MatchType::SdvxInGameId => ChartKey::SdvxInGameId(int_id()?),
            MatchType::InGameStrId => ChartKey::InGameStrId(identifier.to_owned()),
            MatchType::DdrSongHash => ChartKey::DdrSongHash(identifier.to_owned()),
            MatchType::BmsChartHash => ChartKey::BmsChartHash(identifier.to_owned()),
            MatchType::ItgChartHash => ChartKey::ItgChartHash(identifier.to_owned()),
            MatchType::UscChartHash => ChartKey::UscChartHash(identifier.to_owned()),
            MatchType::PopnChartHash => ChartKey::PopnChartHash(identifier.to_owned()),
        };
        let difficulty = if match_type.needs_difficulty() {
            let diff = d.get("difficulty").and_then(Value::as_str).ok_or_else(|| {
                failure(format!(
                    "Missing 'difficulty' field, but was necessary for matchType {match_type}."
                ))
            })?;
            let any_inf = match_type == MatchType::SdvxInGameId && diff == SDVX_ANY_INF;
            if !any_inf && !conf.difficulties.accepts(diff) {
                return Err(failure(format!("Invalid difficulty {diff} for {gpt}.")));
            }
            Some(diff.to_owned())
        } else {
            None
        };
        let mut score_data = ScoreData::default();
        for m in conf.provided_metrics {
            if let Some(v) = d.get(m.name).and_then(metric_value) {
                score_data.metrics.insert(m.name.to_owned(), v);
            }
        }
        if let Some(Value::Object(j)) = d.get("judgements") {
            for (k, v) in j {
                score_data.judgements.insert(k.clone(), v.as_i64());
            }
        }
        for key in ["hitMeta", "optional"] {
            if let Some(Value::Object(o)) = d.get(key) {
                for (k, v) in o {
                    if let Some(mv) = metric_value(v) {
                        score_data.optional.insert(k.clone(), mv);
                    }
                }
            }
        }
        let score_meta = match d.get("scoreMeta") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let time_achieved = d.get("timeAchieved").and_then(number).map(|t| t as i64);
        Ok(PendingScore {
            dry: DryScore {
                service: context.service.clone(),
                game: gpt.game(),
                import_type,
                time_achieved,
                comment: d.get("comment").and_then(Value::as_str).map(str::to_owned),
                score_data,
                score_meta,
            },
            query: ChartQuery {
                gpt,
                key,
                difficulty,
                version: context.version.clone(),
            },
        })
    }
}

#[cfg(test)]
mod tests;
