//! What Tachi's server-side game implementations do to a score once its chart is
//! known: derive metrics, index enums, compute score ratings (`calculatedData`),
//! and validate.
//!
//! All functions are pure: the chart comes in, a result goes out.

use std::collections::BTreeMap;

use crate::config::{GptConfig, MetricConfig, MetricKind};
use crate::documents::ChartDocument;
use crate::failure::ConverterFailure;
use crate::game::Gpt;
use crate::rating::{self, RatingError};
use crate::score::{Key, MetricValue, ScoreData};

/// Allowed distance of `timeAchieved` into the future (24 h, in ms).
pub const FUTURE_LENIENCY_MS: i64 = 24 * 60 * 60 * 1000;

fn internal(msg: impl Into<String>) -> ConverterFailure {
    ConverterFailure::Internal(msg.into())
}

fn need_number(data: &ScoreData, gpt: Gpt, name: &str) -> Result<f64, ConverterFailure> {
    data.number(name)
        .ok_or_else(|| internal(format!("{gpt} score has no numeric {name}")))
}

fn need_str<'a>(data: &'a ScoreData, gpt: Gpt, name: &str) -> Result<&'a str, ConverterFailure> {
    data.string(name)
        .ok_or_else(|| internal(format!("{gpt} score has no {name}")))
}

fn chart_number(
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

/// pop'n music: the lamp a clear medal stands for.
#[must_use]
pub fn popn_lamp_for_medal(medal: &str) -> Option<&'static str> {
    Some(match medal {
        "failedCircle" | "failedDiamond" | "failedStar" => "FAILED",
        "easyClear" => "EASY CLEAR",
        "clearCircle" | "clearDiamond" | "clearStar" => "CLEAR",
        "fullComboCircle" | "fullComboDiamond" | "fullComboStar" => "FULL COMBO",
        "perfect" => "PERFECT",
        _ => return None,
    })
}

/// IIDX/BMS/PMS percent, in Tachi's order of operations so that boundary scores
/// land on the right grade.
#[must_use]
pub fn iidx_like_percent(score: f64, notecount: f64) -> f64 {
    (100.0 * score) / (notecount * 2.0)
}

fn is_ongeki_unranked(chart: &ChartDocument) -> bool {
    let id = chart
        .data
        .in_game_id
        .as_ref()
        .and_then(|ids| ids.iter().next().copied());
    matches!(id, Some(i) if (7000..8000).contains(&i)) || chart.level_num == 0.0
}

fn ongeki_stars(platinum: f64, max: f64) -> f64 {
    (((platinum / max) * 100.0).floor().min(99.0) - 93.0).max(0.0)
}

/// Computes the derived metrics of a dry score.
pub fn derive_metrics(
    gpt: Gpt,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Vec<(&'static str, MetricValue)>, ConverterFailure> {
    use Gpt as G;
    let conf = GptConfig::of(gpt);
    let grade_of = |v: f64| {
        conf.grades
            .grade_for(v)
            .map(|g| MetricValue::Str(g.to_owned()))
            .ok_or_else(|| internal(format!("Could not resolve grade for {v} on {gpt}.")))
    };
    let mut out = Vec::with_capacity(2);
    match gpt {
        G::IidxSp | G::IidxDp | G::Bms7K | G::Bms14K | G::PmsController | G::PmsKeyboard => {
            let score = need_number(data, gpt, "score")?;
            let notes = chart_number(chart.data.notecount, chart, "notecount")?;
            let percent = iidx_like_percent(score, notes);
            out.push(("percent", MetricValue::Number(percent)));
            out.push(("grade", grade_of(percent)?));
        }
        G::GitadoraDora | G::GitadoraGita | G::MaimaidxSingle => {
            out.push(("grade", grade_of(need_number(data, gpt, "percent")?)?));
        }
        G::MaimaiSingle => {
            let percent = need_number(data, gpt, "percent")?;
            let max = chart_number(chart.data.max_percent, chart, "maxPercent")?;
            #[allow(clippy::float_cmp)] // Tachi compares exactly
            let grade = if percent == max {
                MetricValue::Str("SSS+".into())
            } else {
                grade_of(percent)?
            };
            out.push(("grade", grade));
        }
        G::DdrSp | G::DdrDp => {
            let grade = if need_str(data, gpt, "lamp")? == "FAILED" {
                MetricValue::Str("E".into())
            } else {
                grade_of(need_number(data, gpt, "score")?)?
            };
            out.push(("grade", grade));
        }
        G::Popn9B => {
            let medal = need_str(data, gpt, "clearMedal")?;
            let lamp = popn_lamp_for_medal(medal)
                .ok_or_else(|| internal(format!("unknown clearMedal {medal}")))?;
            let score = need_number(data, gpt, "score")?;
            let grade = if lamp == "FAILED" && score >= 90_000.0 {
                MetricValue::Str("A".into())
            } else {
                grade_of(score)?
            };
            out.push(("lamp", MetricValue::Str(lamp.into())));
            out.push(("grade", grade));
        }
        G::ItgStamina => {
            let lamp = need_str(data, gpt, "lamp")?;
            let score_percent = need_number(data, gpt, "scorePercent")?;
            let survived = need_number(data, gpt, "survivedPercent")?;
            let failed = lamp == "FAILED";
            let final_percent = if failed {
                survived
            } else {
                100.0 + score_percent
            };
            let grade = if failed {
                MetricValue::Str("F".into())
            } else {
                grade_of(score_percent)?
            };
            out.push(("finalPercent", MetricValue::Number(final_percent)));
            out.push(("grade", grade));
        }
        G::OngekiSingle => {
            out.push(("grade", grade_of(need_number(data, gpt, "score")?)?));
            let plat = need_number(data, gpt, "platinumScore")?;
            let max = chart_number(chart.data.max_plat_score, chart, "maxPlatScore")?;
            out.push((
                "platinumStars",
                MetricValue::Number(ongeki_stars(plat, max)),
            ));
        }
        G::SdvxSingle
        | G::UscController
        | G::UscKeyboard
        | G::ChunithmSingle
        | G::MusecaSingle
        | G::WaccaSingle
        | G::ArcaeaTouch
        | G::JubeatSingle => {
            out.push(("grade", grade_of(need_number(data, gpt, "score")?)?));
        }
    }
    Ok(out)
}

fn rated(r: Result<f64, RatingError>) -> Result<Option<f64>, ConverterFailure> {
    r.map(Some)
        .map_err(|e| internal(format!("rating failed: {e}")))
}

fn lamp_tier_rating(gpt: Gpt, lamp: &str, chart: &ChartDocument) -> f64 {
    let d = &chart.data;
    if gpt == Gpt::IidxDp {
        let ec = d.dp_tier.as_ref().map_or(chart.level_num, |t| t.value);
        return match lamp {
            "FULL COMBO" | "EX HARD CLEAR" | "HARD CLEAR" | "CLEAR" | "EASY CLEAR" => ec,
            _ => 0.0,
        };
    }
    let nc = d.nc_tier.as_ref().map_or(chart.level_num, |t| t.value);
    let hc = d.hc_tier.as_ref().map_or(0.0, |t| t.value).max(nc);
    let exhc = d.exhc_tier.as_ref().map_or(0.0, |t| t.value).max(hc);
    match lamp {
        "FULL COMBO" | "EX HARD CLEAR" => exhc,
        "HARD CLEAR" => hc,
        "CLEAR" => nc,
        _ => 0.0,
    }
}

/// DDR flare ranks in order; the position is the flare level.
const DDR_FLARES: [&str; 11] = [
    "0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "EX",
];

/// Computes one score rating of `gpt` (a `calculatedData` entry) from the dry
/// scoreData and the chart.
pub fn score_rating(
    gpt: Gpt,
    alg: &str,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Option<f64>, ConverterFailure> {
    use Gpt as G;
    let level = chart.level_num;
    match (gpt, alg) {
        (G::IidxSp | G::IidxDp, "ktLampRating") => Ok(Some(lamp_tier_rating(
            gpt,
            need_str(data, gpt, "lamp")?,
            chart,
        ))),
        (G::IidxSp | G::IidxDp, "BPI") => {
            let (Some(kavg), Some(wr)) = (chart.data.kaiden_average, chart.data.world_record)
            else {
                return Ok(None);
            };
            let notes = chart_number(chart.data.notecount, chart, "notecount")?;
            rated(rating::poyashi_bpi(
                need_number(data, gpt, "score")?,
                kavg,
                wr,
                notes * 2.0,
                chart.data.bpi_coefficient,
            ))
        }
        (G::Bms7K | G::Bms14K | G::PmsController | G::PmsKeyboard, "sieglinde") => {
            let ec = chart.data.sgl_ec.unwrap_or(0.0);
            let hc = chart.data.sgl_hc.unwrap_or(0.0);
            Ok(Some(match need_str(data, gpt, "lamp")? {
                "FULL COMBO" | "EX HARD CLEAR" | "HARD CLEAR" => hc.max(ec),
                "CLEAR" | "EASY CLEAR" => ec,
                _ => 0.0,
            }))
        }
        (G::SdvxSingle | G::UscController | G::UscKeyboard, "VF6") => rated(rating::volforce_vf6(
            need_number(data, gpt, "score")?,
            need_str(data, gpt, "lamp")?,
            level,
        )),
        (G::ChunithmSingle, "rating") => rated(rating::chunithm_rating(
            need_number(data, gpt, "score")?,
            level,
        )),
        (G::MaimaiSingle, "rate") => rated(rating::maimai_rate(
            need_number(data, gpt, "percent")?,
            chart_number(chart.data.max_percent, chart, "maxPercent")?,
            level,
        )),
        (G::MaimaidxSingle, "rate") => rated(rating::maimaidx_rate(
            need_number(data, gpt, "percent")?,
            level,
        )),
        (G::WaccaSingle, "rate") => {
            rated(rating::wacca_rate(need_number(data, gpt, "score")?, level))
        }
        (G::GitadoraDora | G::GitadoraGita, "skill") => rated(rating::gitadora_skill(
            need_number(data, gpt, "percent")?,
            level,
        )),
        (G::JubeatSingle, "jubility") => rated(rating::jubility(
            need_number(data, gpt, "score")?,
            need_number(data, gpt, "musicRate")?,
            level,
        )),
        (G::Popn9B, "classPoints") => {
            let medal = need_str(data, gpt, "clearMedal")?;
            let lamp = popn_lamp_for_medal(medal)
                .ok_or_else(|| internal(format!("unknown clearMedal {medal}")))?;
            rated(rating::popn_class_points(
                need_number(data, gpt, "score")?,
                lamp,
                level,
            ))
        }
        (G::MusecaSingle, "curatorSkill") => rated(rating::curator_skill(
            need_number(data, gpt, "score")?,
            level,
        )),
        (G::ArcaeaTouch, "potential") => rated(rating::arcaea_potential(
            need_number(data, gpt, "score")?,
            level,
        )),
        (G::OngekiSingle, "rating" | "scoreRating" | "starRating") => {
            if is_ongeki_unranked(chart) {
                return Ok(Some(0.0));
            }
            let score = need_number(data, gpt, "score")?;
            match alg {
                "rating" => rated(rating::ongeki_rating(score, level)),
                "scoreRating" => {
                    #[allow(clippy::float_cmp)]
                    let lamp = if score == 1_010_000.0 {
                        "ALL BREAK+"
                    } else {
                        need_str(data, gpt, "noteLamp")?
                    };
                    let full_bell = need_str(data, gpt, "bellLamp")? == "FULL BELL";
                    rated(rating::ongeki_rating_refresh(level, score, lamp, full_bell))
                }
                _ => {
                    let plat = need_number(data, gpt, "platinumScore")?;
                    let max = chart_number(chart.data.max_plat_score, chart, "maxPlatScore")?;
                    rated(rating::ongeki_rating_platinum(
                        level,
                        ongeki_stars(plat, max),
                    ))
                }
            }
        }
        (G::DdrSp | G::DdrDp, "flareSkill") => {
            if need_str(data, gpt, "lamp")? == "FAILED" {
                return Ok(Some(0.0));
            }
            let flare = match data.optional.get("flare").and_then(MetricValue::as_str) {
                Some(f) => DDR_FLARES
                    .iter()
                    .position(|x| *x == f)
                    .ok_or_else(|| internal(format!("unknown flare {f}")))?,
                None => 0,
            };
            rated(rating::ddr_flare(level, flare))
        }
        (G::ItgStamina, "blockRating") => {
            if need_str(data, gpt, "lamp")? == "FAILED" {
                return Ok(None);
            }
            Ok(chart.data.ranked_level)
        }
        (G::ItgStamina, "fastest32") => {
            let (Some(nps), Some(notes)) = (
                chart.data.nps_per_measure.as_deref(),
                chart.data.notes_per_measure.as_deref(),
            ) else {
                return Ok(None);
            };
            #[allow(clippy::cast_precision_loss)]
            let died_at = if need_str(data, gpt, "lamp")? == "FAILED" {
                Some((need_number(data, gpt, "survivedPercent")? / 100.0) * notes.len() as f64)
            } else {
                None
            };
            let v = rating::itg_highest_unbroken(nps, notes, died_at, 32)
                .map_err(|e| internal(format!("rating failed: {e}")))?;
            Ok(v.filter(|bpm| *bpm >= 100.0))
        }
        _ => Err(internal(format!("{gpt} has no score rating {alg}"))),
    }
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
    let ratings = score_ratings(gpt, &dry, chart)?;
    let derived = derive_metrics(gpt, &dry, chart)?;
    let mut full = dry;
    for (k, v) in derived {
        full.metrics.insert(Key::Borrowed(k), v);
    }
    full.enum_indexes = Some(enum_indexes(gpt, &full)?);
    Ok((full, ratings))
}

fn fmt_num(n: f64) -> String {
    let mut s = String::new();
    crate::stable_json::write_js_number(&mut s, n);
    s
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
/// Chart-dependent bounds are checked by [`chart_specific_errors`].
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

/// The GPT's chart-specific validators (`chartDependentMax` metrics).
#[must_use]
pub fn chart_specific_errors(gpt: Gpt, data: &ScoreData, chart: &ChartDocument) -> Vec<String> {
    use Gpt as G;
    let mut errors = Vec::new();
    let d = &chart.data;
    let need = |errors: &mut Vec<String>, v: Option<f64>, name: &str| {
        if v.is_none() {
            errors.push(format!(
                "Chart {} has no data.{name} to validate against.",
                chart.chart_id
            ));
        }
        v
    };
    match gpt {
        G::IidxSp | G::IidxDp | G::Bms7K | G::Bms14K | G::PmsController | G::PmsKeyboard => {
            if let (Some(score), Some(notes)) = (
                data.number("score"),
                need(&mut errors, d.notecount, "notecount"),
            ) {
                if score < 0.0 {
                    errors.push("EX Score cannot be negative.".into());
                } else if score > notes * 2.0 {
                    errors.push(format!(
                        "EX Score cannot be greater than {} for this chart.",
                        fmt_num(notes * 2.0)
                    ));
                }
            }
        }
        G::SdvxSingle => {
            if let Some(ex) = data.optional_number("exScore").filter(|v| *v < 0.0) {
                errors.push(format!(
                    "EX Score must be non-negative. Got {}",
                    fmt_num(ex)
                ));
            }
        }
        G::MaimaiSingle => {
            if let (Some(p), Some(max)) = (
                data.number("percent"),
                need(&mut errors, d.max_percent, "maxPercent"),
            ) {
                if p < 0.0 {
                    errors.push("Percent cannot be negative.".into());
                } else if p > max {
                    errors.push(format!(
                        "Percent cannot be greater than {} for this chart.",
                        fmt_num(max)
                    ));
                }
            }
        }
        G::OngekiSingle => {
            if let (Some(p), Some(max)) = (
                data.number("platinumScore"),
                need(&mut errors, d.max_plat_score, "maxPlatScore"),
            ) {
                if p < 0.0 || p > max {
                    errors.push(format!(
                        "Platinum Score must be between 0 and {}, got {}.",
                        fmt_num(max),
                        fmt_num(p)
                    ));
                }
            }
            for m in ["damage", "bellCount", "totalBellCount"] {
                if let Some(v) = data.optional_number(m).filter(|v| *v < 0.0) {
                    errors.push(format!("{m} must be non-negative, got {}.", fmt_num(v)));
                }
            }
        }
        G::JubeatSingle => {
            if let Some(rate) = data.number("musicRate") {
                let max = if chart.difficulty.starts_with("HARD ") {
                    120.0
                } else {
                    100.0
                };
                if !(0.0..=max).contains(&rate) {
                    errors.push(format!(
                        "Music Rate must be between 0 and {} on {}, got {}.",
                        fmt_num(max),
                        chart.difficulty,
                        fmt_num(rate)
                    ));
                }
            }
        }
        G::ArcaeaTouch => {
            if let (Some(score), Some(notes)) = (
                data.number("score"),
                need(&mut errors, d.notecount, "notecount"),
            ) {
                if score < 0.0 {
                    errors.push(format!(
                        "Score must be non-negative. Got {}",
                        fmt_num(score)
                    ));
                } else if score > 10_000_000.0 + notes {
                    errors.push(format!(
                        "Score cannot exceed {} for this chart.",
                        fmt_num(10_000_000.0 + notes)
                    ));
                }
            }
        }
        _ => {}
    }
    errors
}

/// The GPT's score validators (lamp/score/judgement consistency).
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn score_validator_errors(gpt: Gpt, data: &ScoreData, chart: &ChartDocument) -> Vec<String> {
    use Gpt as G;
    let mut e = Vec::new();
    let num = |n: &str| data.number(n).unwrap_or(f64::NAN);
    let lamp = |n: &str| data.string(n).unwrap_or("");
    #[allow(clippy::cast_precision_loss)]
    let j = |n: &str| data.judgement(n).map(|v| v as f64);
    let j0 = |n: &str| j(n).unwrap_or(0.0);
    fn rule(e: &mut Vec<String>, ok: bool, msg: &str) {
        if !ok {
            e.push(msg.to_owned());
        }
    }
    match gpt {
        G::IidxSp | G::IidxDp | G::Bms7K | G::Bms14K | G::PmsController | G::PmsKeyboard => {
            if let (Some(pg), Some(gr)) = (j("pgreat"), j("great")) {
                let score = num("score");
                #[allow(clippy::float_cmp)]
                if pg * 2.0 + gr != score {
                    e.push(format!(
                        "Expected PGreat*2 + Great to equal EX score. Got {}*2 + {} but that wasn't equal to the EX score of {}.",
                        fmt_num(pg),
                        fmt_num(gr),
                        fmt_num(score)
                    ));
                }
            }
        }
        G::SdvxSingle | G::UscController | G::UscKeyboard => {
            let l = lamp("lamp");
            let s = num("score");
            if l == "PERFECT ULTIMATE CHAIN" {
                rule(
                    &mut e,
                    s == 10_000_000.0,
                    "Cannot have a PERFECT ULTIMATE CHAIN without a perfect score.",
                );
                rule(
                    &mut e,
                    j0("miss") + j0("near") == 0.0,
                    "Cannot have a PERFECT ULTIMATE CHAIN with any nears or misses.",
                );
            }
            if l == "ULTIMATE CHAIN" {
                rule(
                    &mut e,
                    j0("miss") == 0.0,
                    "Cannot have an ULTIMATE CHAIN with non-zero miss count.",
                );
                rule(
                    &mut e,
                    s >= 5_000_000.0,
                    "Cannot have an ULTIMATE CHAIN with a score less than 5m.",
                );
            }
        }
        G::ChunithmSingle => {
            let l = lamp("noteLamp");
            let s = num("score");
            if l == "ALL JUSTICE CRITICAL" {
                rule(
                    &mut e,
                    s == 1_010_000.0,
                    "An ALL JUSTICE CRITICAL must have a score of 1.01 million.",
                );
                rule(
                    &mut e,
                    j0("attack") + j0("justice") + j0("miss") == 0.0,
                    "Cannot have an ALL JUSTICE CRITICAL with any non-jcrit judgements.",
                );
            }
            if s == 1_010_000.0 {
                rule(
                    &mut e,
                    l == "ALL JUSTICE CRITICAL",
                    "A score of 1.01 million must have a lamp of ALL JUSTICE CRITICAL.",
                );
            }
            if l == "ALL JUSTICE" {
                if s < 1_000_000.0 {
                    e.push(format!(
                        "A score of {} cannot be an ALL JUSTICE.",
                        fmt_num(s)
                    ));
                }
                rule(
                    &mut e,
                    j0("attack") + j0("miss") == 0.0,
                    "Cannot have an ALL JUSTICE if not all hits were justice or better.",
                );
            }
            if l == "FULL COMBO" {
                if s < 500_000.0 {
                    e.push(format!("A score of {} cannot be a FULL COMBO.", fmt_num(s)));
                }
                rule(
                    &mut e,
                    j0("miss") == 0.0,
                    "Cannot have a FULL COMBO if the score has misses.",
                );
            }
            if let (Some(mc), Some(a), Some(jc), Some(ju), Some(m)) = (
                data.optional_number("maxCombo"),
                j("attack"),
                j("jcrit"),
                j("justice"),
                j("miss"),
            ) {
                if l != "NONE" && jc + ju + a + m != mc {
                    e.push(format!(
                        "Cannot have a(n) {l} if maxCombo is not equal to the sum of judgements."
                    ));
                }
            }
            if let (Some(a), Some(ju), Some(m)) = (j("attack"), j("justice"), j("miss")) {
                let n = ju + a + m;
                let clear = lamp("clearLamp");
                let ok = match clear {
                    "CATASTROPHY" => n < 10.0,
                    "ABSOLUTE" => n < 50.0,
                    "BRAVE" => n < 150.0,
                    "HARD" => !(n >= 300.0 && m >= 20.0),
                    _ => true,
                };
                if !ok {
                    e.push(format!(
                        "Cannot have a {clear} clear with {} non-jcrit judgements and {} misses.",
                        fmt_num(n),
                        fmt_num(m)
                    ));
                }
            }
        }
        G::MaimaiSingle => {
            rule(
                &mut e,
                num("percent") <= 104.0,
                "Score cannot be greater than 104%.",
            );
            let l = lamp("lamp");
            let sssp = data.number("percent") == chart.data.max_percent;
            if l == "ALL PERFECT+" {
                rule(
                    &mut e,
                    sssp,
                    "Cannot have an ALL PERFECT+ without grade SSS+.",
                );
            } else if sssp {
                rule(
                    &mut e,
                    false,
                    "Cannot have grade SSS+ without an ALL PERFECT+",
                );
            }
            if l == "ALL PERFECT" {
                rule(
                    &mut e,
                    j0("great") + j0("good") + j0("miss") == 0.0,
                    "Cannot have an ALL PERFECT with any non-perfect judgements.",
                );
            }
            if l == "FULL COMBO" {
                rule(
                    &mut e,
                    j0("miss") == 0.0,
                    "Cannot have a FULL COMBO if the score has misses.",
                );
            }
        }
        G::MaimaidxSingle => {
            let l = lamp("lamp");
            let p = num("percent");
            if l == "ALL PERFECT+" {
                rule(
                    &mut e,
                    p == 101.0,
                    "Cannot have an ALL PERFECT+ without 101%.",
                );
            } else if p == 101.0 {
                rule(&mut e, false, "A score of 101% should be an ALL PERFECT+");
            }
            if l == "ALL PERFECT" {
                rule(
                    &mut e,
                    p >= 100.5,
                    "Cannot have an ALL PERFECT without at least 100.5%.",
                );
            }
        }
        G::OngekiSingle => {
            let nl = lamp("noteLamp");
            let bl = lamp("bellLamp");
            let s = num("score");
            if nl == "ALL BREAK+" {
                rule(
                    &mut e,
                    j0("hit") + j0("miss") + j0("break") == 0.0,
                    "Cannot have an ALL BREAK+ if not all hits were critical break or better.",
                );
                rule(
                    &mut e,
                    s >= 1_010_000.0,
                    "Cannot have an ALL BREAK+ if the score is not 1,010,000",
                );
            }
            if s == 1_010_000.0 {
                rule(
                    &mut e,
                    nl == "ALL BREAK+" && bl == "FULL BELL",
                    "Cannot have a perfect score without FBAB+",
                );
            }
            if nl == "ALL BREAK" {
                rule(
                    &mut e,
                    j0("hit") + j0("miss") == 0.0,
                    "Cannot have an ALL BREAK if not all hits were break or better.",
                );
            }
            if nl == "FULL COMBO" {
                rule(
                    &mut e,
                    j0("miss") == 0.0,
                    "Cannot have a FULL COMBO if the score has misses.",
                );
            }
            rule(
                &mut e,
                !(bl == "FULL BELL" && nl == "LOSS"),
                "Cannot have a LOSS with a FULL BELL.",
            );
            if let (Some(p), Some(max)) = (data.number("platinumScore"), chart.data.max_plat_score)
            {
                if p > max {
                    e.push(format!(
                        "Cannot have {}/{} Platinum Score.",
                        fmt_num(p),
                        fmt_num(max)
                    ));
                }
            }
        }
        G::WaccaSingle => {
            let l = lamp("lamp");
            let s = num("score");
            if l == "ALL MARVELOUS" {
                rule(
                    &mut e,
                    s == 1_000_000.0,
                    "ALL MARVELOUS scores must have a perfect score.",
                );
                rule(
                    &mut e,
                    j0("miss") + j0("good") + j0("great") == 0.0,
                    "Cannot have an ALL MARVELOUS if all judgements were not marvelous.",
                );
            } else if s == 1_000_000.0 {
                rule(
                    &mut e,
                    false,
                    "Perfect scores of 1 million must have ALL MARVELOUS as their lamp.",
                );
            }
            if let Some(m) = j("miss").filter(|m| *m != 0.0) {
                rule(
                    &mut e,
                    l != "FULL COMBO",
                    "Cannot have a FULL COMBO with misses.",
                );
                if m > 5.0 {
                    rule(
                        &mut e,
                        l != "MISSLESS",
                        "Cannot have a MISSLESS lamp with >5 misses.",
                    );
                }
            }
        }
        G::DdrSp | G::DdrDp => {
            let l = lamp("lamp");
            let (ma, pe, gr, go, ok, mi) = (
                j("MARVELOUS"),
                j("PERFECT"),
                j("GREAT"),
                j("GOOD"),
                j("OK"),
                j("MISS"),
            );
            if let (Some(steps), Some(ma), Some(pe), Some(gr), Some(go), Some(okc), Some(_)) =
                (chart.data.step_count, ma, pe, gr, go, ok, mi)
            {
                if l != "FAILED" {
                    let max_points = 5.0 * steps;
                    let points = 5.0 * (ma + pe + okc) + 3.0 * gr + go;
                    let penalised = points * 100_000.0 - (pe + gr + go) * max_points;
                    let calc = (penalised / max_points).floor() * 10.0;
                    if calc != num("score") {
                        e.push(format!(
                            "Expected calculated score from judgements of {} to equal score of {}.",
                            fmt_num(calc),
                            fmt_num(num("score"))
                        ));
                    }
                }
            }
            if let (Some(ma), Some(pe), Some(gr), Some(go), Some(mi)) = (ma, pe, gr, go, mi) {
                let _ = ma;
                let ok = match l {
                    "FULL COMBO" => mi == 0.0,
                    "GREAT FULL COMBO" => mi == 0.0 && go == 0.0,
                    "PERFECT FULL COMBO" => mi == 0.0 && go == 0.0 && gr == 0.0,
                    "MARVELOUS FULL COMBO" => mi == 0.0 && go == 0.0 && gr == 0.0 && pe == 0.0,
                    _ => true,
                };
                if !ok {
                    e.push(format!("Cannot have a {l} with those judgements."));
                }
            }
            if let (Some(ma), Some(pe), Some(gr), Some(okc), Some(ex)) =
                (ma, pe, gr, ok, data.optional_number("exScore"))
            {
                let calc = ma * 3.0 + okc * 3.0 + pe * 2.0 + gr;
                if calc != ex {
                    e.push(format!(
                        "EXScore expected to be {} instead of {}",
                        fmt_num(calc),
                        fmt_num(ex)
                    ));
                }
            }
        }
        G::JubeatSingle => {
            let l = lamp("lamp");
            let s = num("score");
            if l == "EXCELLENT" {
                rule(
                    &mut e,
                    s == 1_000_000.0,
                    "An EXCELLENT lamp must be accompanied with a score of 1 million.",
                );
                rule(
                    &mut e,
                    j0("good") + j0("great") + j0("miss") + j0("poor") == 0.0,
                    "An EXCELLENT lamp can't have any non-perfect judgements.",
                );
            } else if s == 1_000_000.0 {
                rule(
                    &mut e,
                    false,
                    "A score of 1 million must be accompanied with an EXCELLENT lamp.",
                );
            }
            if l == "FULL COMBO" {
                rule(
                    &mut e,
                    j0("miss") == 0.0,
                    "A FULL COMBO cannot have any misses.",
                );
            }
            if s < 700_000.0 {
                rule(&mut e, l == "FAILED", "A score of <700k must be a fail.");
            } else {
                rule(&mut e, l != "FAILED", "A score >=700k must be a clear.");
            }
        }
        G::Popn9B => {
            let l = lamp("lamp");
            let medal = lamp("clearMedal");
            if l == "PERFECT" {
                rule(
                    &mut e,
                    j0("bad") + j0("good") == 0.0,
                    "Cannot have a PERFECT lamp with any bads or goods.",
                );
            }
            if l == "FULL COMBO" {
                rule(
                    &mut e,
                    j0("bad") == 0.0,
                    "Cannot have a FULL COMBO lamp with any bads.",
                );
            }
            if let (Some(bad), Some(good)) = (j("bad"), j("good")) {
                let (v, lo, hi, what) = match medal {
                    "fullComboStar" => (good, 1.0, 5.0, "goods"),
                    "fullComboDiamond" => (good, 6.0, 20.0, "goods"),
                    "fullComboCircle" => (good, 21.0, f64::INFINITY, "goods"),
                    "clearStar" => (bad, 1.0, 5.0, "bads"),
                    "clearDiamond" => (bad, 6.0, 20.0, "bads"),
                    "clearCircle" => (bad, 21.0, f64::INFINITY, "bads"),
                    _ => (0.0, 0.0, 0.0, ""),
                };
                if !what.is_empty() && !(lo..=hi).contains(&v) {
                    e.push(format!(
                        "Must have between {} and {} {what} for a {medal}, got {}.",
                        fmt_num(lo),
                        fmt_num(hi),
                        fmt_num(v)
                    ));
                }
            }
        }
        G::MusecaSingle => {
            let l = lamp("lamp");
            let s = num("score");
            if l == "PERFECT CONNECT ALL" {
                rule(
                    &mut e,
                    s == 1_000_000.0,
                    "A PERFECT CONNECT ALL must have a score of 1 million.",
                );
                rule(
                    &mut e,
                    j0("miss") + j0("near") == 0.0,
                    "Cannot have a PERFECT CONNECT ALL with any nears or misses.",
                );
            } else if s == 1_000_000.0 {
                rule(
                    &mut e,
                    false,
                    "A perfect score of 1 million must have a lamp of PERFECT CONNECT ALL.",
                );
            }
            if l == "CONNECT ALL" {
                rule(
                    &mut e,
                    j0("miss") == 0.0,
                    "Cannot have a CONNECT ALL with any misses.",
                );
            }
            if s < 800_000.0 {
                rule(&mut e, l == "FAILED", "A score of <800k must be a fail.");
            } else {
                rule(&mut e, l != "FAILED", "A score of >=800k must be a clear.");
            }
        }
        G::ItgStamina => {
            let l = lamp("lamp");
            if l != "FAILED" {
                rule(
                    &mut e,
                    num("survivedPercent") >= 100.0,
                    "Cannot clear a chart that you didn't survive 100% of.",
                );
            }
            let worse: &[&str] = match l {
                "QUINT" => &[
                    "fantastic",
                    "excellent",
                    "great",
                    "decent",
                    "wayoff",
                    "miss",
                ],
                "QUAD" => &["excellent", "great", "decent", "wayoff", "miss"],
                "FULL EXCELLENT COMBO" => &["great", "decent", "wayoff", "miss"],
                "FULL COMBO" => &["decent", "wayoff", "miss"],
                _ => &[],
            };
            if worse.iter().map(|k| j0(k)).sum::<f64>() != 0.0 {
                e.push(format!(
                    "Cannot have a {l} with any {} judgements.",
                    worse.join("/")
                ));
            }
        }
        G::ArcaeaTouch => {
            let l = lamp("lamp");
            let s = num("score");
            if l == "PURE MEMORY" {
                rule(
                    &mut e,
                    s >= 10_000_000.0,
                    "PURE MEMORY scores must have a score larger than 10 million.",
                );
                rule(
                    &mut e,
                    j0("lost") + j0("far") == 0.0,
                    "Cannot have a PURE MEMORY with any fars or losts.",
                );
            }
            if l == "FULL RECALL" {
                rule(
                    &mut e,
                    s >= 5_000_000.0,
                    "FULL RECALL scores must have a score larger than 5 million.",
                );
                rule(
                    &mut e,
                    j0("lost") == 0.0,
                    "Cannot have a FULL RECALL with non-zero lost count.",
                );
            }
        }
        G::GitadoraDora | G::GitadoraGita => {}
    }
    e
}

/// Tachi's `ValidateScore` on a hydrated scoreData: timestamp, every metric's type
/// and bounds, chart-specific bounds, then the GPT's score validators. All problems
/// are collected into one `InvalidScore` failure.
pub fn validate_score(
    gpt: Gpt,
    data: &ScoreData,
    time_achieved: Option<i64>,
    chart: &ChartDocument,
    now_ms: i64,
) -> Result<(), ConverterFailure> {
    let conf = GptConfig::of(gpt);
    let mut errors = Vec::new();
    if time_achieved.is_some_and(|t| t > now_ms.saturating_add(FUTURE_LENIENCY_MS)) {
        errors.push("Invalid timestamp: score happens in the future.".to_owned());
    }
    for m in conf.provided_metrics.iter().chain(conf.derived_metrics) {
        match data.metrics.get(m.name) {
            Some(v) => errors.extend(metric_errors(m, v, m.name)),
            None => errors.push(format!("{} is missing.", m.name)),
        }
    }
    for m in conf.optional_metrics {
        match data.optional.get(m.name) {
            None | Some(MetricValue::Null) => {}
            Some(v) => errors.extend(metric_errors(m, v, &format!("optional.{}", m.name))),
        }
    }
    errors.extend(chart_specific_errors(gpt, data, chart));
    errors.extend(score_validator_errors(gpt, data, chart));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ConverterFailure::InvalidScore(format!(
            "Got {} error(s) when validating score:\n{}",
            errors.len(),
            errors.join("\n")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::ChartData;
    use crate::game::Playtype;

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
            extra: serde_json::Map::new(),
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
        assert!(msg.starts_with("Got 3 error(s)"), "{msg}");
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
