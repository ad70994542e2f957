//! What Tachi's server-side game implementations do to a score once its chart is
//! known: derive metrics, index enums, compute score ratings (`calculatedData`),
//! and validate.
//!
//! All functions are pure: the chart comes in, a result goes out.

use std::collections::BTreeMap;

use crate::config::{GptConfig, MetricConfig, MetricKind};
use crate::games;
use crate::games::checks::{fmt_num, internal, need_str};
pub use crate::games::{iidx_like_percent, popn_lamp_for_medal};
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::score::{Key, MetricValue, ScoreData};

/// Allowed distance of `timeAchieved` into the future (24 h, in ms).
pub const FUTURE_LENIENCY_MS: i64 = 24 * 60 * 60 * 1000;

/// Computes the derived metrics of a dry score.
pub fn derive_metrics(
    gpt: Gpt,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Vec<(&'static str, MetricValue)>, ConverterFailure> {
    let mut out = Vec::with_capacity(2);
    (games::rules(gpt.game()).derive)(gpt, data, chart, &mut out)?;
    Ok(out)
}

/// Computes one score rating of `gpt` (a `calculatedData` entry) from the dry
/// scoreData and the chart.
pub fn score_rating(
    gpt: Gpt,
    alg: &str,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Option<f64>, ConverterFailure> {
    (games::rules(gpt.game()).score_rating)(gpt, alg, data, chart)
}

/// Every score rating of `gpt`, computed on the dry scoreData.
pub fn score_ratings(
    gpt: Gpt,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<BTreeMap<Key, Option<f64>>, ConverterFailure> {
    GptConfig::of(gpt)
        .score_rating_algs
        .iter()
        .map(|alg| Ok((Key::Borrowed(*alg), score_rating(gpt, alg, data, chart)?)))
        .collect()
}

/// Enum indexes of the provided and derived enum metrics (`scoreData.enumIndexes`).
pub fn enum_indexes(gpt: Gpt, data: &ScoreData) -> Result<BTreeMap<Key, usize>, ConverterFailure> {
    let conf = GptConfig::of(gpt);
    let mut out = BTreeMap::new();
    for m in conf.provided_metrics.iter().chain(conf.derived_metrics) {
        if let MetricKind::Enum { values, .. } = m.kind {
            let v = need_str(data, gpt, m.name)?;
            let i = values
                .iter()
                .position(|x| *x == v)
                .ok_or_else(|| internal(format!("{v:?} is not a value of {gpt} {}", m.name)))?;
            out.insert(Key::Borrowed(m.name), i);
        }
    }
    Ok(out)
}

/// Tachi's `HydrateScore` on scoreData: adds derived metrics and enum indexes,
/// and returns the score ratings computed on the dry data.
pub fn hydrate_score_data(
    gpt: Gpt,
    dry: &ScoreData,
    chart: &ChartDocument,
) -> Result<(ScoreData, BTreeMap<Key, Option<f64>>), ConverterFailure> {
    hydrate_score_data_owned(gpt, dry.clone(), chart)
}

/// [`hydrate_score_data`] on a dry score the caller gives up (no copy of it).
pub fn hydrate_score_data_owned(
    gpt: Gpt,
    dry: ScoreData,
    chart: &ChartDocument,
) -> Result<(ScoreData, BTreeMap<Key, Option<f64>>), ConverterFailure> {
    // Tachi's order: the full score data (derived metrics, enum indexes; its
    // failures are `InternalFailure`s), then the ratings (whose functions throw:
    // Tachi reports those as unexpected errors).
    let derived = derive_metrics(gpt, &dry, chart)?;
    let mut full = dry;
    for (k, v) in derived {
        full.metrics.insert(Key::Borrowed(k), v);
    }
    full.enum_indexes = Some(enum_indexes(gpt, &full)?);
    let ratings = score_ratings(gpt, &full, chart).map_err(|e| match e {
        ConverterFailure::Internal(m) => ConverterFailure::Unexpected(m),
        other => other,
    })?;
    Ok((full, ratings))
}

fn check_bounds(errors: &mut Vec<String>, label: &str, v: f64, min: Option<f64>, max: Option<f64>) {
    if let Some(min) = min.filter(|m| v < *m) {
        errors.push(format!(
            "{label} must be at least {}, got {}.",
            fmt_num(min),
            fmt_num(v)
        ));
    }
    if let Some(max) = max.filter(|m| v > *m) {
        errors.push(format!(
            "{label} must be at most {}, got {}.",
            fmt_num(max),
            fmt_num(v)
        ));
    }
}

fn is_safe_integer(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_991.0
}

/// Checks one metric value against its config (type and non-chart bounds).
/// Chart-dependent bounds are checked by [`chart_specific_error`].
pub fn metric_errors(m: &MetricConfig, value: &MetricValue, label: &str) -> Vec<String> {
    let mut errors = Vec::new();
    match (m.kind, value) {
        (MetricKind::Enum { values, .. }, MetricValue::Str(s)) => {
            if !values.contains(&s.as_str()) {
                errors.push(format!(
                    "{label} {s:?} is not one of {}.",
                    values.join(", ")
                ));
            }
        }
        (MetricKind::Integer { min, max }, MetricValue::Number(n)) => {
            if !is_safe_integer(*n) {
                errors.push(format!("{label} must be an integer, got {}.", fmt_num(*n)));
            } else if !m.chart_dependent_max {
                check_bounds(&mut errors, label, *n, min, max);
            }
        }
        (MetricKind::Decimal { min, max }, MetricValue::Number(n)) => {
            if !n.is_finite() {
                errors.push(format!(
                    "{label} must be a finite number, got {}.",
                    fmt_num(*n)
                ));
            } else if !m.chart_dependent_max {
                check_bounds(&mut errors, label, *n, min, max);
            }
        }
        (
            MetricKind::Graph {
                nullable,
                min,
                max,
                integer,
            },
            MetricValue::Graph(items),
        ) => {
            for (i, x) in items.iter().enumerate() {
                match x {
                    None if !nullable => {
                        errors.push(format!("{label}[{i}] must be a number, got null."));
                    }
                    None => {}
                    Some(n) if integer && !is_safe_integer(*n) => {
                        errors.push(format!("{label}[{i}] must be an integer."));
                    }
                    Some(n) => check_bounds(&mut errors, &format!("{label}[{i}]"), *n, min, max),
                }
            }
        }
        (kind, v) => {
            let want = match kind {
                MetricKind::Enum { .. } => "a string",
                MetricKind::Integer { .. } | MetricKind::Decimal { .. } => "a number",
                MetricKind::Graph { .. } => "an array",
            };
            errors.push(format!("{label} must be {want}, got {}.", v.type_name()));
        }
    }
    errors
}

/// The GPT's chart-specific validator (`chartDependentMax` metrics) on one
/// value: Tachi's message when it breaks the chart's bound.
#[must_use]
pub fn chart_specific_error(
    gpt: Gpt,
    metric: &str,
    value: f64,
    chart: &ChartDocument,
) -> Option<String> {
    (games::rules(gpt.game()).chart_check)(metric, value, chart)
}

/// The GPT's score validators (lamp/score/judgement consistency).
#[must_use]
pub fn score_validator_errors(gpt: Gpt, data: &ScoreData, chart: &ChartDocument) -> Vec<String> {
    let mut errors = Vec::new();
    (games::rules(gpt.game()).validate)(data, chart, &mut errors);
    errors
}

/// A metric value as JavaScript's template strings write it (`${v}`).
fn js_text(v: Option<&MetricValue>) -> String {
    match v {
        None => "undefined".to_owned(),
        Some(MetricValue::Null) => "null".to_owned(),
        Some(MetricValue::Number(n)) => fmt_num(*n),
        Some(MetricValue::Str(s)) => s.clone(),
        Some(MetricValue::Graph(items)) => items
            .iter()
            .map(|x| x.map(fmt_num).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// Tachi's `ValidateMetrics` on one metric: its errors, worded as Tachi's.
fn tachi_metric_errors(
    gpt: Gpt,
    m: &MetricConfig,
    value: Option<&MetricValue>,
    chart: &ChartDocument,
    errors: &mut Vec<String>,
) {
    let name = m.name;
    match m.kind {
        MetricKind::Enum { values, .. } => {
            if !matches!(value, Some(MetricValue::Str(s)) if values.contains(&s.as_str())) {
                errors.push(format!(
                    "Invalid value for {name}, got {}, but expected any of {}.",
                    js_text(value),
                    values.join(", ")
                ));
            }
        }
        MetricKind::Integer { .. } | MetricKind::Decimal { .. } => {
            let n = match value {
                Some(MetricValue::Number(n)) => Some(*n),
                _ => None,
            };
            let integer = matches!(m.kind, MetricKind::Integer { .. });
            if integer && !n.is_some_and(is_safe_integer) {
                errors.push(format!(
                    "Invalid value for {name}, got {}, but expected an integer.",
                    js_text(value)
                ));
            } else if !n.is_some_and(f64::is_finite) {
                errors.push(format!(
                    "Invalid value for {name}, got {}, but expected a finite number.",
                    js_text(value)
                ));
            }
            let Some(n) = n else { return };
            let err = if m.chart_dependent_max {
                chart_specific_error(gpt, name, n, chart)
            } else {
                m.validator.message(n)
            };
            if let Some(e) = err {
                errors.push(format!("Invalid value for {name}, {e} Got {}.", fmt_num(n)));
            }
        }
        MetricKind::Graph { nullable, .. } => {
            let Some(MetricValue::Graph(items)) = value else {
                errors.push(format!(
                    "Invalid value for metric {name}, expected an array."
                ));
                return;
            };
            for x in items {
                match x {
                    None if nullable => {}
                    None => errors.push(format!(
                        "Invalid value for metric {name}, {}, got null.",
                        m.validator.message(f64::NAN).unwrap_or_default()
                    )),
                    Some(v) => {
                        if let Some(e) = m.validator.message(*v) {
                            errors.push(format!(
                                "Invalid value for metric {name}, {e}, got {}.",
                                fmt_num(*v)
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// Tachi's `ValidateScore` on a hydrated scoreData, in its order and words: a
/// timestamp in the future fails at once; otherwise every provided, derived
/// and optional metric is checked against its config (chart-dependent ones
/// against the chart), then the GPT's score validators run, and all problems
/// make one `InvalidScore` failure.
pub fn validate_score(
    gpt: Gpt,
    data: &ScoreData,
    time_achieved: Option<i64>,
    chart: &ChartDocument,
    now_ms: i64,
) -> Result<(), ConverterFailure> {
    if time_achieved.is_some_and(|t| t > now_ms.saturating_add(FUTURE_LENIENCY_MS)) {
        return Err(ConverterFailure::InvalidScore(
            "Invalid timestamp: score happens in the future.".to_owned(),
        ));
    }
    let conf = GptConfig::of(gpt);
    let mut errors = Vec::new();
    for m in conf.provided_metrics.iter().chain(conf.derived_metrics) {
        tachi_metric_errors(gpt, m, data.metrics.get(m.name), chart, &mut errors);
    }
    for m in conf.optional_metrics {
        match data.optional.get(m.name) {
            None | Some(MetricValue::Null) => {}
            Some(v) => tachi_metric_errors(gpt, m, Some(v), chart, &mut errors),
        }
    }
    errors.extend(score_validator_errors(gpt, data, chart));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ConverterFailure::InvalidScore(format!(
            "Got {} {} when validating score:\n{}",
            errors.len(),
            if errors.len() == 1 { "error" } else { "errors" },
            errors.join("\n")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaiden_core::documents::ChartData;
    use kaiden_core::game::Playtype;

    fn iidx_chart(notes: f64) -> ChartDocument {
        ChartDocument {
            chart_id: "c1".into(),
            song_id: 1,
            level: "12".into(),
            level_num: 12.0,
            is_primary: true,
            difficulty: "ANOTHER".into(),
            playtype: Playtype::Sp,
            versions: vec![],
            data: ChartData {
                notecount: Some(notes),
                ..ChartData::default()
            },
            extra: kaiden_core::documents::ExtraFields::default(),
        }
    }

    fn iidx(score: f64, lamp: &str) -> ScoreData {
        let mut d = ScoreData::default();
        d.set("score", score);
        d.set("lamp", lamp);
        d
    }

    #[test]
    fn iidx_hydration_derives_percent_grade_indexes_and_ratings() {
        let chart = iidx_chart(1000.0);
        let (full, ratings) =
            hydrate_score_data(Gpt::IidxSp, &iidx(1556.0, "HARD CLEAR"), &chart).expect("hydrates");
        assert_eq!(full.number("percent"), Some(77.8));
        assert_eq!(full.string("grade"), Some("AA"));
        let idx = full.enum_indexes.expect("indexed");
        assert_eq!(idx["lamp"], 5);
        assert_eq!(idx["grade"], 6);
        assert_eq!(ratings["ktLampRating"], Some(12.0));
        assert_eq!(ratings["BPI"], None);
    }

    #[test]
    fn iidx_validation_catches_ex_over_max_and_bad_judgements() {
        let chart = iidx_chart(1000.0);
        let (full, _) =
            hydrate_score_data(Gpt::IidxSp, &iidx(2000.0, "CLEAR"), &chart).expect("hydrates");
        assert!(validate_score(Gpt::IidxSp, &full, None, &chart, 0).is_ok());

        let mut over = iidx(2001.0, "CLEAR");
        over.judgements.insert("pgreat".into(), Some(1000));
        over.judgements.insert("great".into(), Some(0));
        let err = hydrate_score_data(Gpt::IidxSp, &over, &chart)
            .and_then(|(full, _)| validate_score(Gpt::IidxSp, &full, None, &chart, 0))
            .expect_err("invalid");
        let ConverterFailure::InvalidScore(msg) = err else {
            panic!("expected InvalidScore, got {err:?}")
        };
        assert!(msg.starts_with("Got 3 errors when"), "{msg}");
        assert!(msg.contains("EX Score cannot be greater than 2000 for this chart."));
        assert!(msg.contains("Expected PGreat*2 + Great to equal EX score."));
    }

    #[test]
    fn negative_ex_is_an_internal_error_as_in_tachi() {
        let chart = iidx_chart(1000.0);
        let err = hydrate_score_data(Gpt::IidxSp, &iidx(-1.0, "CLEAR"), &chart)
            .expect_err("grade cannot resolve");
        assert!(matches!(err, ConverterFailure::Internal(_)));
    }

    #[test]
    fn future_timestamps_are_invalid() {
        let chart = iidx_chart(1000.0);
        let (full, _) =
            hydrate_score_data(Gpt::IidxSp, &iidx(100.0, "FAILED"), &chart).expect("hydrates");
        let now = 1_700_000_000_000;
        assert!(
            validate_score(
                Gpt::IidxSp,
                &full,
                Some(now + FUTURE_LENIENCY_MS),
                &chart,
                now
            )
            .is_ok()
        );
        assert!(
            validate_score(
                Gpt::IidxSp,
                &full,
                Some(now + FUTURE_LENIENCY_MS + 1),
                &chart,
                now
            )
            .is_err()
        );
    }

    #[test]
    fn sdvx_puc_rules() {
        let mut chart = iidx_chart(0.0);
        chart.playtype = Playtype::Single;
        chart.level_num = 18.0;
        let mut d = ScoreData::default();
        d.set("score", 9_999_999.0);
        d.set("lamp", "PERFECT ULTIMATE CHAIN");
        let (full, _) = hydrate_score_data(Gpt::SdvxSingle, &d, &chart).expect("hydrates");
        assert_eq!(full.string("grade"), Some("S"));
        let errors = score_validator_errors(Gpt::SdvxSingle, &full, &chart);
        assert_eq!(
            errors,
            vec!["Cannot have a PERFECT ULTIMATE CHAIN without a perfect score.".to_owned()]
        );
    }

    #[test]
    fn popn_derives_lamp_and_caps_failed_grades() {
        let mut chart = iidx_chart(0.0);
        chart.playtype = Playtype::B9;
        chart.level_num = 45.0;
        let mut d = ScoreData::default();
        d.set("score", 95_000.0);
        d.set("clearMedal", "failedStar");
        let (full, ratings) = hydrate_score_data(Gpt::Popn9B, &d, &chart).expect("hydrates");
        assert_eq!(full.string("lamp"), Some("FAILED"));
        assert_eq!(full.string("grade"), Some("A"));
        assert!(ratings["classPoints"].is_some());
    }

    #[test]
    fn metric_type_errors() {
        let conf = GptConfig::of(Gpt::IidxSp);
        let score = conf.metric("score").expect("score");
        assert_eq!(
            metric_errors(score, &MetricValue::Number(1.5), "score"),
            vec!["score must be an integer, got 1.5.".to_owned()]
        );
        let lamp = conf.metric("lamp").expect("lamp");
        assert!(
            metric_errors(lamp, &MetricValue::Str("HARD CLAER".into()), "lamp")[0]
                .contains("is not one of NO PLAY")
        );
        let gauge = conf.optional_metric("gaugeHistory").expect("gaugeHistory");
        assert!(metric_errors(gauge, &MetricValue::Graph(vec![Some(50.0), None]), "g").is_empty());
        assert_eq!(
            metric_errors(gauge, &MetricValue::Graph(vec![Some(101.0)]), "g").len(),
            1
        );
    }
}
