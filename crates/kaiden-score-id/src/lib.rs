//! # kaiden-score-id
//!
//! Tachi's identifiers, bit-identical to its own: the scoreID (`"T"` + sha256
//! of the stable JSON of `{userID, chartID, <provided metrics>,
//! <partOfScoreID optionals>}`, keys from the game's config) and the orphanID.
//! The stable JSON itself is [`kaiden_core::stable_json`].
#![deny(missing_docs)]

use kaiden_core::Gpt;
use kaiden_core::score::{MetricValue, ScoreData, UserId};
use kaiden_core::stable_json::{cmp_utf16, stable_stringify, write_js_number, write_js_string};
use kaiden_games::GptConfig;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// `prefix` + the lowercase hex SHA-256 of `s` (Tachi's ids).
#[must_use]
pub fn prefixed_sha256(prefix: char, s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(s.as_bytes());
    let mut hex = [0u8; 64];
    for (i, byte) in digest.iter().enumerate() {
        hex[2 * i] = HEX[usize::from(byte >> 4)];
        hex[2 * i + 1] = HEX[usize::from(byte & 0xf)];
    }
    let mut out = String::with_capacity(65);
    out.push(prefix);
    // Only ASCII hex digits were written.
    out.push_str(std::str::from_utf8(&hex).unwrap_or_default());
    out
}

/// An orphan's id: `O` + sha256 of the stable JSON of
/// `{importType, data, context, userID}` (Tachi's `orphanID`).
#[must_use]
pub fn orphan_id(import_type: &str, data: &Value, context: &Value, user_id: u64) -> String {
    let mut map = serde_json::Map::new();
    map.insert("importType".into(), Value::String(import_type.to_owned()));
    map.insert("data".into(), data.clone());
    map.insert("context".into(), context.clone());
    map.insert("userID".into(), Value::from(user_id));
    prefixed_sha256('O', &stable_stringify(&Value::Object(map)))
}

/// Why a scoreID could not be made (Tachi throws, and the record becomes an
/// `InternalError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreIdError {
    /// A provided metric is missing (JS `undefined` cannot be hashed).
    #[error("provided metric {metric} of {gpt} is missing")]
    MissingMetric {
        /// The GPT.
        gpt: Gpt,
        /// The missing metric.
        metric: &'static str,
    },
    /// A provided metric is a graph, which no GPT uses.
    #[error("provided metric {metric} of {gpt} is an array")]
    UnhashableMetric {
        /// The GPT.
        gpt: Gpt,
        /// The metric.
        metric: &'static str,
    },
}

/// Version of the scoreID function. Tachi calls any change to it "a major breaking
/// change"; so do we.
pub const SCORE_ID_VERSION: u32 = 1;

fn write_value(out: &mut String, v: &MetricValue) {
    match v {
        MetricValue::Number(n) => write_js_number(out, *n),
        MetricValue::Str(s) => write_js_string(out, s),
        MetricValue::Null => out.push_str("null"),
        MetricValue::Graph(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match x {
                    Some(n) => write_js_number(out, *n),
                    None => out.push_str("null"),
                }
            }
            out.push(']');
        }
    }
}

/// One key of a GPT's scoreID object, in the order the stable serialiser writes.
#[derive(Debug)]
enum IdKey {
    User,
    Chart,
    Metric(&'static str),
    Optional(&'static str),
}

/// Each GPT's scoreID keys, sorted once (UTF-16 order) with their quoted form.
fn id_keys(gpt: Gpt) -> &'static [(String, IdKey)] {
    use std::sync::OnceLock;
    static KEYS: OnceLock<Vec<Vec<(String, IdKey)>>> = OnceLock::new();
    let all = KEYS.get_or_init(|| {
        Gpt::ALL
            .iter()
            .map(|g| {
                let conf = GptConfig::of(*g);
                let mut keys: Vec<(String, IdKey)> = vec![
                    ("userID".to_owned(), IdKey::User),
                    ("chartID".to_owned(), IdKey::Chart),
                ];
                keys.extend(
                    conf.provided_metrics
                        .iter()
                        .map(|m| (m.name.to_owned(), IdKey::Metric(m.name))),
                );
                keys.extend(
                    conf.score_id_optionals()
                        .map(|m| (format!("optional.{}", m.name), IdKey::Optional(m.name))),
                );
                keys.sort_by(|a, b| cmp_utf16(&a.0, &b.0));
                keys.into_iter()
                    .map(|(k, v)| {
                        let mut quoted = String::new();
                        write_js_string(&mut quoted, &k);
                        (quoted, v)
                    })
                    .collect()
            })
            .collect()
    });
    // `Gpt::ALL` lists the variants in declaration order.
    &all[gpt as usize]
}

/// The stable JSON the scoreID hashes: `{userID, chartID, <provided metrics>,
/// "optional.<m>": value ?? null for partOfScoreID optionals}` with sorted keys.
pub fn score_id_input(
    gpt: Gpt,
    user_id: UserId,
    chart_id: &str,
    data: &ScoreData,
) -> Result<String, ScoreIdError> {
    let mut out = String::with_capacity(192);
    out.push('{');
    for (i, (quoted, key)) in id_keys(gpt).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(quoted);
        out.push(':');
        match key {
            #[allow(clippy::cast_precision_loss)] // JS numbers are doubles
            IdKey::User => write_js_number(&mut out, user_id as f64),
            IdKey::Chart => write_js_string(&mut out, chart_id),
            IdKey::Metric(name) => {
                let v = data
                    .metrics
                    .get(*name)
                    .ok_or(ScoreIdError::MissingMetric { gpt, metric: name })?;
                if matches!(v, MetricValue::Graph(_)) {
                    return Err(ScoreIdError::UnhashableMetric { gpt, metric: name });
                }
                write_value(&mut out, v);
            }
            IdKey::Optional(name) => match data.optional.get(*name) {
                Some(v) => write_value(&mut out, v),
                None => out.push_str("null"),
            },
        }
    }
    out.push('}');
    Ok(out)
}

/// Tachi's scoreID: `"T"` + lowercase hex sha256 of [`score_id_input`].
/// Bit-identical to `CreateScoreID` in Tachi's `score-id.ts`.
pub fn score_id(
    gpt: Gpt,
    user_id: UserId,
    chart_id: &str,
    data: &ScoreData,
) -> Result<String, ScoreIdError> {
    Ok(prefixed_sha256(
        'T',
        &score_id_input(gpt, user_id, chart_id, data)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tachi_canary() {
        let mut data = ScoreData::default();
        data.set("score", 786.0);
        data.set("lamp", "CLEAR");
        let chart = "c2311194e3897ddb5745b1760d2c0141f933e683";
        assert_eq!(
            score_id_input(Gpt::IidxSp, 1, chart, &data).expect("hashable"),
            r#"{"chartID":"c2311194e3897ddb5745b1760d2c0141f933e683","lamp":"CLEAR","score":786,"userID":1}"#
        );
        assert_eq!(
            score_id(Gpt::IidxSp, 1, chart, &data).expect("hashable"),
            "T5d669c4d5d6ca80761e87698acd77c51d2bed95b64ab76e65952dbca7c26bc81"
        );
    }

    #[test]
    fn optional_part_of_score_id_is_null_when_absent() {
        let mut data = ScoreData::default();
        data.set("score", 9_500_000.0);
        data.set("lamp", "CLEAR");
        let s = score_id_input(Gpt::SdvxSingle, 1, "x", &data).expect("hashable");
        assert_eq!(
            s,
            r#"{"chartID":"x","lamp":"CLEAR","optional.exScore":null,"score":9500000,"userID":1}"#
        );
        data.optional.insert("exScore".into(), MetricValue::Null);
        assert_eq!(
            score_id_input(Gpt::SdvxSingle, 1, "x", &data).expect("hashable"),
            s
        );
    }

    #[test]
    fn missing_provided_metric_is_an_error() {
        let mut data = ScoreData::default();
        data.set("score", 1.0);
        assert_eq!(
            score_id(Gpt::IidxSp, 1, "x", &data),
            Err(ScoreIdError::MissingMetric {
                gpt: Gpt::IidxSp,
                metric: "lamp"
            })
        );
    }

    #[test]
    fn orphan_ids_are_prefixed_sha256() {
        let id = orphan_id(
            "file/batch-manual",
            &serde_json::json!({"score": 1}),
            &serde_json::json!({}),
            1,
        );
        assert_eq!(id.len(), 65);
        assert!(id.starts_with('O'));
        assert_eq!(
            id,
            prefixed_sha256(
                'O',
                r#"{"context":{},"data":{"score":1},"importType":"file/batch-manual","userID":1}"#
            )
        );
    }
}
