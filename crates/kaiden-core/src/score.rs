//! Scores: metric values, `scoreData`, the converter's [`DryScore`], the stored
//! [`ScoreDocument`], and the Tachi-compatible scoreID.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::game::{Game, Gpt, Playtype};
use crate::import_type::ImportType;

/// A user's id (Tachi's integer `userID`).
pub type UserId = u64;

/// One metric value. JavaScript has one number type, so every number is an `f64`
/// here; integer-valued numbers serialise without a fraction, as in Tachi.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricValue {
    /// A number (INTEGER or DECIMAL metrics).
    Number(f64),
    /// A string (ENUM metrics).
    Str(String),
    /// An array of numbers or nulls (GRAPH metrics).
    Graph(Vec<Option<f64>>),
    /// An explicit `null` (optional metrics only).
    Null,
}

impl MetricValue {
    /// The number, if this is one.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            MetricValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            MetricValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's JSON type, for messages.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            MetricValue::Number(_) => "number",
            MetricValue::Str(_) => "string",
            MetricValue::Graph(_) => "array",
            MetricValue::Null => "null",
        }
    }
}

impl From<f64> for MetricValue {
    fn from(n: f64) -> Self {
        MetricValue::Number(n)
    }
}

impl From<i64> for MetricValue {
    #[allow(clippy::cast_precision_loss)] // JS numbers are doubles too
    fn from(n: i64) -> Self {
        MetricValue::Number(n as f64)
    }
}

impl From<&str> for MetricValue {
    fn from(s: &str) -> Self {
        MetricValue::Str(s.to_owned())
    }
}

impl From<String> for MetricValue {
    fn from(s: String) -> Self {
        MetricValue::Str(s)
    }
}

/// Serialises a number the way JavaScript's JSON does: integers without fraction.
fn serialize_js_number<S: Serializer>(n: f64, s: S) -> Result<S::Ok, S::Error> {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)] // exact: integral and below 2^53
        return s.serialize_i64(n as i64);
    }
    if n.is_finite() {
        s.serialize_f64(n)
    } else {
        // JSON.stringify writes non-finite numbers as null.
        s.serialize_unit()
    }
}

struct JsNumber(f64);

impl Serialize for JsNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_js_number(self.0, s)
    }
}

impl Serialize for MetricValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MetricValue::Number(n) => serialize_js_number(*n, s),
            MetricValue::Str(v) => s.serialize_str(v),
            MetricValue::Graph(items) => {
                let v: Vec<Option<JsNumber>> = items.iter().map(|x| x.map(JsNumber)).collect();
                v.serialize(s)
            }
            MetricValue::Null => s.serialize_unit(),
        }
    }
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MetricValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, a string, an array of numbers, or null")
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E>(self, v: i64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E>(self, v: u64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<MetricValue, E> {
                Ok(MetricValue::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<MetricValue, E> {
                Ok(MetricValue::Str(v))
            }
            fn visit_unit<E>(self) -> Result<MetricValue, E> {
                Ok(MetricValue::Null)
            }
            fn visit_none<E>(self) -> Result<MetricValue, E> {
                Ok(MetricValue::Null)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<MetricValue, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(x) = seq.next_element::<Option<f64>>()? {
                    out.push(x);
                }
                Ok(MetricValue::Graph(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A metric, judgement or rating name in a score's maps. Names the game configs
/// know are borrowed (`&'static str`, no allocation per score); names read from
/// stored documents are owned.
pub type Key = Cow<'static, str>;

/// Judgement counts by judgement name (`pgreat`, `critical`, ...). Tachi allows
/// `null` for an unknown count.
pub type Judgements = BTreeMap<Key, Option<i64>>;

/// A score's `scoreData`: provided (and, once hydrated, derived) metrics at the top
/// level, `judgements`, `optional`, and, once hydrated, `enumIndexes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreData {
    /// Provided and derived metrics by name.
    pub metrics: BTreeMap<Key, MetricValue>,
    /// Judgement counts.
    pub judgements: Judgements,
    /// Optional metrics by name.
    pub optional: BTreeMap<Key, MetricValue>,
    /// Index of each provided/derived enum value in its config list. `None` on dry
    /// scores; `Some` (written with an empty `optional.enumIndexes`, as Tachi writes
    /// it) on hydrated ones.
    pub enum_indexes: Option<BTreeMap<Key, usize>>,
}

impl ScoreData {
    /// A provided or derived metric.
    #[must_use]
    pub fn metric(&self, name: &str) -> Option<&MetricValue> {
        self.metrics.get(name)
    }

    /// A provided or derived metric as a number.
    #[must_use]
    pub fn number(&self, name: &str) -> Option<f64> {
        self.metrics.get(name).and_then(MetricValue::as_f64)
    }

    /// A provided or derived metric as a string.
    #[must_use]
    pub fn string(&self, name: &str) -> Option<&str> {
        self.metrics.get(name).and_then(MetricValue::as_str)
    }

    /// An optional metric as a number (`None` when absent or null).
    #[must_use]
    pub fn optional_number(&self, name: &str) -> Option<f64> {
        self.optional.get(name).and_then(MetricValue::as_f64)
    }

    /// A judgement count (`None` when absent or null).
    #[must_use]
    pub fn judgement(&self, name: &str) -> Option<i64> {
        self.judgements.get(name).copied().flatten()
    }

    /// Sets a provided or derived metric (a `&'static str` name is not copied).
    pub fn set(&mut self, name: impl Into<Key>, value: impl Into<MetricValue>) {
        self.metrics.insert(name.into(), value.into());
    }
}

impl Serialize for ScoreData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Optional<'a>(&'a BTreeMap<Key, MetricValue>, bool);
        impl Serialize for Optional<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                for (k, v) in self.0 {
                    m.serialize_entry(k, v)?;
                }
                if self.1 {
                    m.serialize_entry("enumIndexes", &BTreeMap::<String, usize>::new())?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.metrics {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("judgements", &self.judgements)?;
        m.serialize_entry(
            "optional",
            &Optional(&self.optional, self.enum_indexes.is_some()),
        )?;
        if let Some(idx) = &self.enum_indexes {
            m.serialize_entry("enumIndexes", idx)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for ScoreData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ScoreData;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scoreData object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ScoreData, A::Error> {
                let mut out = ScoreData::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "judgements" => out.judgements = map.next_value()?,
                        "enumIndexes" => out.enum_indexes = Some(map.next_value()?),
                        "optional" => {
                            let mut opt: BTreeMap<String, serde_json::Value> = map.next_value()?;
                            opt.remove("enumIndexes");
                            for (k, v) in opt {
                                let v = MetricValue::deserialize(v).map_err(de::Error::custom)?;
                                out.optional.insert(Cow::Owned(k), v);
                            }
                        }
                        _ => {
                            let v: MetricValue = map.next_value()?;
                            out.metrics.insert(Cow::Owned(key), v);
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// What a converter makes of one record, before the chart's facts are applied:
/// Tachi's `DryScore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DryScore {
    /// Where the score came from, e.g. `"e-amusement"`, `"foo (BATCH-MANUAL)"`.
    pub service: String,
    /// The game.
    pub game: Game,
    /// The import type that produced it.
    pub import_type: ImportType,
    /// When it was achieved, ms since the Unix epoch; `None` when unknown.
    pub time_achieved: Option<i64>,
    /// A comment (BATCH-MANUAL only).
    pub comment: Option<String>,
    /// Provided metrics, judgements and optional metrics.
    pub score_data: ScoreData,
    /// Game-specific play options (random, gauge, ...).
    pub score_meta: serde_json::Map<String, serde_json::Value>,
}

/// A stored score: Tachi's `ScoreDocument`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreDocument {
    /// `T` + 64 hex: Tachi's scoreID (made by `kaiden-score-id`).
    #[serde(rename = "scoreID")]
    pub score_id: String,
    /// Who achieved it.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The chart.
    #[serde(rename = "chartID")]
    pub chart_id: String,
    /// The chart's song.
    #[serde(rename = "songID")]
    pub song_id: i64,
    /// The game.
    pub game: Game,
    /// The chart's playtype.
    pub playtype: Playtype,
    /// Copied from the chart.
    pub is_primary: bool,
    /// Where the score came from.
    pub service: String,
    /// The import type that produced it.
    pub import_type: ImportType,
    /// ms since epoch, or `None`.
    pub time_achieved: Option<i64>,
    /// When it was stored, ms since epoch.
    pub time_added: i64,
    /// A comment.
    pub comment: Option<String>,
    /// Always `false` at import.
    pub highlight: bool,
    /// Provided + derived metrics, judgements, optional metrics, enum indexes.
    pub score_data: ScoreData,
    /// Play options.
    pub score_meta: serde_json::Map<String, serde_json::Value>,
    /// Score ratings by algorithm name (`null` where not applicable).
    pub calculated_data: BTreeMap<Key, Option<f64>>,
}

impl ScoreDocument {
    /// The score's GPT.
    #[must_use]
    pub fn gpt(&self) -> Option<Gpt> {
        self.game.with_playtype(self.playtype)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_data_json_shape() {
        let json = serde_json::json!({
            "score": 1556, "lamp": "HARD CLEAR", "percent": 77.8, "grade": "AA",
            "judgements": {"pgreat": 700, "great": 156, "poor": null},
            "optional": {"bp": 12, "enumIndexes": {}},
            "enumIndexes": {"lamp": 5, "grade": 6}
        });
        let data: ScoreData = serde_json::from_value(json.clone()).expect("parses");
        assert_eq!(data.number("score"), Some(1556.0));
        assert_eq!(data.judgement("poor"), None);
        assert_eq!(data.optional_number("bp"), Some(12.0));
        assert_eq!(serde_json::to_value(&data).expect("serialises"), json);

        let dry = ScoreData {
            enum_indexes: None,
            ..data
        };
        let v = serde_json::to_value(&dry).expect("serialises");
        assert!(v.get("enumIndexes").is_none());
        assert_eq!(v["optional"], serde_json::json!({"bp": 12}));
    }
}
