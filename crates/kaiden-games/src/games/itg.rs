//! ITG: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::checks::*;
use crate::config::pb::*;
use crate::config::*;
use crate::rating;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::query::MatchType;
use kaiden_core::score::{MetricValue, ScoreData};

/// The ITG STAMINA config.
pub(crate) static ITG_STAMINA: GptConfig = GptConfig {
    gpt: Gpt::ItgStamina,
    difficulties: Difficulties::Dynamic,
    versions: &[],
    judgements: &[
        "fantastic+",
        "fantastic",
        "excellent",
        "great",
        "decent",
        "wayoff",
        "miss",
    ],
    provided_metrics: &[
        metric("scorePercent", dec(Some(0.0), Some(100.0))),
        metric("survivedPercent", dec(Some(0.0), Some(100.0))),
        metric(
            "lamp",
            enum_of(
                &[
                    "FAILED",
                    "CLEAR",
                    "FULL COMBO",
                    "FULL EXCELLENT COMBO",
                    "QUAD",
                    "QUINT",
                ],
                Some("FAILED"),
            ),
        ),
    ],
    derived_metrics: &[
        metric(
            "grade",
            enum_of(
                &["F", "D", "C", "B", "A", "S", "★", "★★", "★★★", "★★★★"],
                Some("A"),
            ),
        ),
        metric("finalPercent", dec(Some(0.0), Some(200.0))),
    ],
    optional_metrics: &[metric(
        "lifebarHistory",
        MetricKind::Graph {
            nullable: false,
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
    )],
    default_metric: "finalPercent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["blockRating", "fastest32"],
    session_rating_algs: &[average_of_best("blockRating", "blockRating", 5, true)],
    profile_rating_algs: &[
        sum_of_best("highestBlock", "blockRating", 1, true),
        sum_of_best("fastest32", "fastest32", 1, true),
    ],
    classes: &[],
    grades: GradeConfig {
        table: "ITG_GBOUNDARIES",
        graded_on: "scorePercent",
        boundaries: &[
            gb("F", f64::NEG_INFINITY),
            gb("D", 0.0),
            gb("C", 55.0),
            gb("B", 68.0),
            gb("A", 80.0),
            gb("S", 89.0),
            gb("★", 96.0),
            gb("★★", 98.0),
            gb("★★★", 99.0),
            gb("★★★★", 100.0),
        ],
    },
    supported_match_types: &[MatchType::ItgChartHash],
    score_meta: &[],
};

/// What ITG does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive,
    score_rating,
    chart_check: super::no_chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

pub(super) fn derive(
    gpt: Gpt,
    data: &ScoreData,
    _chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
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
        grade(gpt, score_percent)?
    };
    out.push(("finalPercent", MetricValue::Number(final_percent)));
    out.push(("grade", grade));
    Ok(())
}

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    if l != "FAILED" {
        rule(
            e,
            sc.num("survivedPercent") >= 100.0,
            "Cannot clear a chart that you didn't survive 100% of.",
        );
    }
    // Tachi's words for each lamp and the judgements that break it.
    let (worse, message): (&[&str], &str) = match l {
        "QUINT" => (
            &[
                "fantastic",
                "excellent",
                "great",
                "decent",
                "wayoff",
                "miss",
            ],
            "Cannot have a QUINT with any fantastic (or worse) judgements.",
        ),
        "QUAD" => (
            &["excellent", "great", "decent", "wayoff", "miss"],
            "Cannot have a QUAD with any excellent (or worse) judgements.",
        ),
        "FULL EXCELLENT COMBO" => (
            &["great", "decent", "wayoff", "miss"],
            "Cannot have a FULL EXCELLENT COMBO with any great (or worse) judgements.",
        ),
        "FULL COMBO" => (
            &["decent", "wayoff", "miss"],
            "Cannot have a FULL COMBO with any combo breaks.",
        ),
        _ => (&[], ""),
    };
    if worse.iter().map(|k| sc.j0(k)).sum::<f64>() > 0.0 {
        e.push(message.to_owned());
    }
}

pub(super) fn score_rating(
    gpt: Gpt,
    alg: &str,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Option<f64>, ConverterFailure> {
    match alg {
        "blockRating" => {
            if need_str(data, gpt, "lamp")? == "FAILED" {
                return Ok(None);
            }
            Ok(chart.data.ranked_level)
        }
        "fastest32" => {
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
        _ => Err(no_rating(gpt, alg)),
    }
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Result",
    mergers: &[LAMP_ONLY],
    ranking_tiebreak: None,
};
