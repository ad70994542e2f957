//! One BATCH-MANUAL score, deserialised straight into typed fields (no JSON
//! tree), and written back as the same JSON object for orphans.

use std::borrow::Cow;
use std::fmt;

use kaiden_core::score::MetricValue;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// One element of `scores`, as the document gave it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchScore {
    /// The provided metrics (every key that is not one of the fixed ones), in
    /// document order. Checked against the GPT when the score is read.
    pub metrics: Vec<(Cow<'static, str>, MetricValue)>,
    /// `matchType`.
    pub match_type: Option<String>,
    /// `identifier`.
    pub identifier: Option<String>,
    /// `difficulty`.
    pub difficulty: Option<String>,
    /// `artist`.
    pub artist: Option<String>,
    /// `comment`.
    pub comment: Option<String>,
    /// `timeAchieved` (ms), `None` for null or absent.
    pub time_achieved: Option<f64>,
    /// `judgements`.
    pub judgements: Vec<(Cow<'static, str>, Option<f64>)>,
    /// `optional`.
    pub optional: Vec<(Cow<'static, str>, MetricValue)>,
    /// `hitMeta` (the legacy name of `optional`).
    pub hit_meta: Vec<(Cow<'static, str>, MetricValue)>,
    /// `scoreMeta`.
    pub score_meta: Option<Map<String, Value>>,
    /// Whether `judgements` / `optional` / `hitMeta` were present.
    pub(crate) present: Present,
    /// 0-based index in `scores` (not part of the JSON).
    pub index: u64,
    /// Byte offset of the element in the document (not part of the JSON).
    pub byte: u64,
    /// 1-based line of the element, 0 when re-read from an orphan (not part of the JSON).
    pub line: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Present {
    pub judgements: bool,
    pub optional: bool,
    pub hit_meta: bool,
}

/// A string that borrows from the input when it has no escapes.
struct Str<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// `{key: value}` into a vector, keeping document order; keys a game config
/// knows are its own strings (no allocation per record).
struct Pairs<T>(Vec<(Cow<'static, str>, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Pairs<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Pairs<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Str<'de>>()? {
                    let key = intern_pair_key(k.0);
                    let v = map
                        .next_value::<T>()
                        .map_err(|e| de::Error::custom(format!("{key}{FIELD_SEP}{e}")))?;
                    out.push((key, v));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// Every provided metric name of every GPT, so the common keys need no allocation.
const METRIC_NAMES: [&str; 11] = [
    "score",
    "lamp",
    "percent",
    "noteLamp",
    "clearLamp",
    "clearMedal",
    "platinumScore",
    "bellLamp",
    "musicRate",
    "scorePercent",
    "survivedPercent",
];

/// Every judgement and optional metric name of every GPT.
fn pair_key_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        for gpt in kaiden_core::Gpt::ALL {
            let conf = kaiden_games::GptConfig::of(gpt);
            let optional = conf.optional_metrics.iter().map(|m| m.name);
            for n in conf.judgements.iter().copied().chain(optional) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names
    })
}

fn intern_pair_key(key: Cow<'_, str>) -> Cow<'static, str> {
    match pair_key_names().iter().find(|n| **n == key) {
        Some(n) => Cow::Borrowed(n),
        None => Cow::Owned(key.into_owned()),
    }
}

fn intern(key: Cow<'_, str>) -> Cow<'static, str> {
    match METRIC_NAMES.iter().find(|n| **n == key) {
        Some(n) => Cow::Borrowed(n),
        None => Cow::Owned(key.into_owned()),
    }
}

/// Separates the failing key from the message in errors raised while reading a
/// value, so the parser can name the JSON path.
pub(crate) const FIELD_SEP: char = '\u{1f}';

fn num_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Option::<f64>::deserialize(d)
}

struct Judgement(Option<f64>);

impl<'de> Deserialize<'de> for Judgement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        num_or_null(d).map(Judgement)
    }
}

impl<'de> Deserialize<'de> for BatchScore {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BatchScore;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a score object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BatchScore, A::Error> {
                let mut s = BatchScore::default();
                while let Some(k) = map.next_key::<Str<'de>>()? {
                    let key = k.0;
                    let wrap = |e: A::Error| de::Error::custom(format!("{key}{FIELD_SEP}{e}"));
                    let opt_str = |v: Option<Str<'de>>| v.map(|s| s.0.into_owned());
                    match key.as_ref() {
                        "matchType" => s.match_type = opt_str(map.next_value().map_err(wrap)?),
                        "identifier" => s.identifier = opt_str(map.next_value().map_err(wrap)?),
                        "difficulty" => s.difficulty = opt_str(map.next_value().map_err(wrap)?),
                        "artist" => s.artist = opt_str(map.next_value().map_err(wrap)?),
                        "comment" => s.comment = opt_str(map.next_value().map_err(wrap)?),
                        "timeAchieved" => {
                            s.time_achieved = map.next_value::<Option<f64>>().map_err(wrap)?;
                        }
                        "judgements" => {
                            let p: Pairs<Judgement> = map.next_value().map_err(wrap)?;
                            s.judgements = p.0.into_iter().map(|(k, v)| (k, v.0)).collect();
                            s.present.judgements = true;
                        }
                        "optional" => {
                            s.optional = map.next_value::<Pairs<MetricValue>>().map_err(wrap)?.0;
                            s.present.optional = true;
                        }
                        "hitMeta" => {
                            s.hit_meta = map.next_value::<Pairs<MetricValue>>().map_err(wrap)?.0;
                            s.present.hit_meta = true;
                        }
                        "scoreMeta" => s.score_meta = Some(map.next_value().map_err(wrap)?),
                        _ => {
                            let v = map.next_value::<MetricValue>().map_err(wrap)?;
                            s.metrics.push((intern(key), v));
                        }
                    }
                }
                Ok(s)
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for BatchScore {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(None)?;
        for (k, v) in &self.metrics {
            m.serialize_entry(k, v)?;
        }
        for (k, v) in [
            ("matchType", &self.match_type),
            ("identifier", &self.identifier),
            ("difficulty", &self.difficulty),
            ("artist", &self.artist),
            ("comment", &self.comment),
        ] {
            if let Some(v) = v {
                m.serialize_entry(k, v)?;
            }
        }
        if let Some(t) = self.time_achieved {
            m.serialize_entry("timeAchieved", &MetricValue::Number(t))?;
        }
        let obj = |pairs: &[(Cow<'static, str>, MetricValue)]| -> Map<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone().into_owned(),
                        serde_json::to_value(v).unwrap_or(Value::Null),
                    )
                })
                .collect()
        };
        if self.present.judgements {
            let j: Map<String, Value> = self
                .judgements
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone().into_owned(),
                        v.map_or(Value::Null, |n| {
                            serde_json::to_value(MetricValue::Number(n)).unwrap_or(Value::Null)
                        }),
                    )
                })
                .collect();
            m.serialize_entry("judgements", &j)?;
        }
        if self.present.optional {
            m.serialize_entry("optional", &obj(&self.optional))?;
        }
        if self.present.hit_meta {
            m.serialize_entry("hitMeta", &obj(&self.hit_meta))?;
        }
        if let Some(meta) = &self.score_meta {
            m.serialize_entry("scoreMeta", meta)?;
        }
        m.end()
    }
}
