//! What the games' rules share: reading a score's values, failing, grading,
//! and Tachi's number formatting in messages.

use crate::config::GptConfig;
use crate::rating::RatingError;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::score::{MetricValue, ScoreData};

/// Derived metrics, in the order a game derives them.
pub(crate) type Derived = Vec<(&'static str, MetricValue)>;

/// An internal failure (the score lacks what its game needs).
pub(crate) fn internal(msg: impl Into<String>) -> ConverterFailure {
    ConverterFailure::Internal(msg.into())
}

/// A numeric metric the game needs.
pub(crate) fn need_number(data: &ScoreData, gpt: Gpt, name: &str) -> Result<f64, ConverterFailure> {
    data.number(name)
        .ok_or_else(|| internal(format!("{gpt} score has no numeric {name}")))
}

/// A string metric the game needs.
pub(crate) fn need_str<'a>(
    data: &'a ScoreData,
    gpt: Gpt,
    name: &str,
) -> Result<&'a str, ConverterFailure> {
    data.string(name)
        .ok_or_else(|| internal(format!("{gpt} score has no {name}")))
}

/// A chart fact the game needs.
pub(crate) fn chart_number(
    value: Option<f64>,
    chart: &ChartDocument,
    name: &str,
) -> Result<f64, ConverterFailure> {
    value.ok_or_else(|| {
        internal(format!(
            "chart {} has no data.{name}, which this game needs",
            chart.chart_id
        ))
    })
}

/// The grade of `value` in the GPT's grade table.
pub(crate) fn grade(gpt: Gpt, value: f64) -> Result<MetricValue, ConverterFailure> {
    GptConfig::of(gpt)
        .grades
        .grade_for(value)
        .map(|g| MetricValue::Str(g.to_owned()))
        .ok_or_else(|| internal(format!("Could not resolve grade for {value} on {gpt}.")))
}

/// A rating function's answer as a score rating.
pub(crate) fn rated(r: Result<f64, RatingError>) -> Result<Option<f64>, ConverterFailure> {
    r.map(Some)
        .map_err(|e| internal(format!("rating failed: {e}")))
}

/// The failure for a rating the GPT does not have.
pub(crate) fn no_rating(gpt: Gpt, alg: &str) -> ConverterFailure {
    internal(format!("{gpt} has no score rating {alg}"))
}

/// A number as JavaScript prints it (Tachi's messages).
pub(crate) fn fmt_num(n: f64) -> String {
    let mut s = String::new();
    kaiden_core::stable_json::write_js_number(&mut s, n);
    s
}

/// Adds `msg` unless `ok`.
pub(crate) fn rule(e: &mut Vec<String>, ok: bool, msg: &str) {
    if !ok {
        e.push(msg.to_owned());
    }
}

/// A score as the validators read it: missing numbers are NaN (no rule
/// holds), missing strings empty, judgements as numbers.
#[derive(Clone, Copy)]
pub(crate) struct Judged<'a>(pub(crate) &'a ScoreData);

impl<'a> Judged<'a> {
    pub(crate) fn num(self, n: &str) -> f64 {
        self.0.number(n).unwrap_or(f64::NAN)
    }

    pub(crate) fn lamp(self, n: &str) -> &'a str {
        self.0.string(n).unwrap_or("")
    }

    #[allow(clippy::cast_precision_loss)]
    pub(crate) fn j(self, n: &str) -> Option<f64> {
        self.0.judgement(n).map(|v| v as f64)
    }

    pub(crate) fn j0(self, n: &str) -> f64 {
        self.j(n).unwrap_or(0.0)
    }
}
