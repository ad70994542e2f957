//! ITG: its configs.

use super::build::*;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

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
