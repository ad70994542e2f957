//! Arcaea: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::checks::*;
use super::shared;
use crate::config::pb;
use crate::config::*;
use crate::rating;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::query::MatchType;
use kaiden_core::score::ScoreData;

/// The ARCAEA TOUCH config.
pub(crate) static ARCAEA_TOUCH: GptConfig = GptConfig {
    gpt: Gpt::ArcaeaTouch,
    difficulties: Difficulties::Fixed {
        order: &["Past", "Present", "Future", "Beyond"],
        default: "Future",
    },
    versions: &[("mobile", "Mobile"), ("switch", "Nintendo Switch")],
    judgements: &["pure", "far", "lost"],
    provided_metrics: &[
        metric("score", int(None, None)).chart_max(),
        metric(
            "lamp",
            enum_of(
                &[
                    "LOST",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "FULL RECALL",
                    "PURE MEMORY",
                ],
                Some("EASY CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(&["D", "C", "B", "A", "AA", "EX", "EX+"], Some("AA")),
    )],
    optional_metrics: shared::ARCAEA_OPTIONAL_METRICS,
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["potential"],
    session_rating_algs: &[average_of_best("naivePotential", "potential", 10, true)],
    profile_rating_algs: &[average_of_best("naivePotential", "potential", 30, false)],
    classes: &[
        derived(
            "badge",
            &[
                cv("BLUE", "Blue", Some("0.00 - 3.49 Potential")),
                cv("GREEN", "Green", Some("3.50 - 6.99 Potential")),
                cv("ASH_PURPLE", "Ash Purple", Some("7.00 - 9.99 Potential")),
                cv("PURPLE", "Purple", Some("10.00 - 10.99 Potential")),
                cv("RED", "Red", Some("11.00 - 11.99 Potential")),
                cv("ONE_STAR", "☆", Some("12.00 - 12.49 Potential")),
                cv("TWO_STARS", "☆☆", Some("12.50 - 12.99 Potential")),
                cv("THREE_STARS", "☆☆☆", Some(">=13.00 Potential")),
            ],
            "naivePotential",
            ClassRule::Thresholds {
                steps: &[
                    (13.0, "THREE_STARS"),
                    (12.5, "TWO_STARS"),
                    (12.0, "ONE_STAR"),
                    (11.0, "RED"),
                    (10.0, "PURPLE"),
                    (7.0, "ASH_PURPLE"),
                    (3.5, "GREEN"),
                ],
                otherwise: "BLUE",
            },
        ),
        provided(
            "courseBanner",
            &[
                cv("PHASE_1", "Phase 1", Some("First Step in a New World")),
                cv("PHASE_2", "Phase 2", Some("Swept up in a Heartbeat")),
                cv("PHASE_3", "Phase 3", Some("Unceasing Spirit")),
                cv("PHASE_4", "Phase 4", Some("The Eternal Realm of Light")),
                cv("PHASE_5", "Phase 5", Some("The Brutality of Glass")),
                cv("PHASE_6", "Phase 6", Some("In Grief and Great Delight")),
                cv("PHASE_7", "Phase 7", Some("On Fate's Approach")),
                cv("PHASE_8", "Phase 8", Some("The Disfigured Flow of Time")),
                cv("PHASE_9", "Phase 9", Some("Ego's Demise")),
                cv(
                    "PHASE_10",
                    "Phase 10",
                    Some("A Torrent of Light and Conflict"),
                ),
                cv("PHASE_11", "Phase 11", Some("Radiant Genesis")),
            ],
        ),
    ],
    grades: GradeConfig {
        table: "ARCAEA_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("D", 0.0),
            gb("C", 8600000.0),
            gb("B", 8900000.0),
            gb("A", 9200000.0),
            gb("AA", 9500000.0),
            gb("EX", 9800000.0),
            gb("EX+", 9900000.0),
        ],
    },
    supported_match_types: &[
        MatchType::InGameStrId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

/// What Arcaea does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_score,
    score_rating,
    chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &pb::SCORE_LAMP,
    profile_reads_songs: false,
};

pub(super) fn chart_check(metric: &str, value: f64, chart: &ChartDocument) -> Option<String> {
    if metric != "score" {
        return None;
    }
    if value < 0.0 {
        return Some(format!(
            "Score must be non-negative. Got {}",
            fmt_num(value)
        ));
    }
    let max = 10_000_000.0 + chart.data.notecount?;
    (value > max).then(|| format!("Score cannot exceed {} for this chart.", fmt_num(max)))
}

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let s = sc.num("score");
    if l == "PURE MEMORY" {
        if s < 10_000_000.0 {
            e.push(format!(
                "PURE MEMORY scores must have a score larger than 10 million. Got {} instead.",
                fmt_num(s)
            ));
        }
        rule(
            e,
            sc.j0("lost") + sc.j0("far") == 0.0,
            "Cannot have a PURE MEMORY with any fars or losts.",
        );
    }
    if l == "FULL RECALL" {
        if s < 5_000_000.0 {
            e.push(format!(
                "FULL RECALL scores must have a score larger than 5 million. Got {} instead.",
                fmt_num(s)
            ));
        }
        rule(
            e,
            sc.j0("lost") == 0.0,
            "Cannot have a FULL RECALL with non-zero lost count.",
        );
    }
}

pub(super) fn score_rating(
    gpt: Gpt,
    alg: &str,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Option<f64>, ConverterFailure> {
    let level = chart.level_num;
    match alg {
        "potential" => rated(rating::arcaea_potential(
            need_number(data, gpt, "score")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}
