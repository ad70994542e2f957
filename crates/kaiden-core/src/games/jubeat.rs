//! jubeat: its configs.

use super::build::*;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

/// The JUBEAT SINGLE config.
pub(crate) static JUBEAT_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::JubeatSingle,
    difficulties: Difficulties::Fixed {
        order: &["BSC", "ADV", "EXT", "HARD BSC", "HARD ADV", "HARD EXT"],
        default: "EXT",
    },
    versions: &[
        ("jubeat", "jubeat"),
        ("ripples", "ripples"),
        ("knit", "knit"),
        ("copious", "copious"),
        ("saucer", "saucer"),
        ("prop", "prop"),
        ("qubell", "Qubell"),
        ("clan", "clan"),
        ("festo", "festo"),
        ("festo-omni", "festo Omnimix"),
        ("ave", "Ave."),
    ],
    judgements: &["perfect", "great", "good", "poor", "miss"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(1000000.0))),
        metric("musicRate", dec(None, None)).chart_max(),
        metric(
            "lamp",
            enum_of(
                &["FAILED", "CLEAR", "FULL COMBO", "EXCELLENT"],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(
            &["E", "D", "C", "B", "A", "S", "SS", "SSS", "EXC"],
            Some("A"),
        ),
    )],
    optional_metrics: &[
        metric("fast", int(Some(0.0), None)),
        metric("slow", int(Some(0.0), None)),
        metric("maxCombo", int(Some(0.0), None)),
        metric(
            "musicBar",
            MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(3.0),
                integer: true,
            },
        ),
    ],
    default_metric: "musicRate",
    preferred_default_enum: "grade",
    score_rating_algs: &["jubility"],
    session_rating_algs: &[average_of_best("jubility", "jubility", 10, true)],
    profile_rating_algs: &[
        custom_rating("jubility"),
        sum_of_best("naiveJubility", "jubility", 60, false),
    ],
    classes: &[derived(
        "colour",
        &[
            cv("BLACK", "Black", None),
            cv("YELLOW_GREEN", "Yellow-Green", None),
            cv("GREEN", "Green", None),
            cv("LIGHT_BLUE", "Light Blue", None),
            cv("BLUE", "Blue", None),
            cv("VIOLET", "Violet", None),
            cv("PURPLE", "Purple", None),
            cv("PINK", "Pink", None),
            cv("ORANGE", "Orange", None),
            cv("GOLD", "Gold", None),
        ],
        "jubility",
        ClassRule::Thresholds {
            steps: &[
                (9500.0, "GOLD"),
                (8500.0, "ORANGE"),
                (7000.0, "PINK"),
                (5500.0, "PURPLE"),
                (4000.0, "VIOLET"),
                (2500.0, "BLUE"),
                (1500.0, "LIGHT_BLUE"),
                (750.0, "GREEN"),
                (250.0, "YELLOW_GREEN"),
            ],
            otherwise: "BLACK",
        },
    )],
    grades: GradeConfig {
        table: "JUBEAT_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("E", 0.0),
            gb("D", 500000.0),
            gb("C", 700000.0),
            gb("B", 800000.0),
            gb("A", 850000.0),
            gb("S", 900000.0),
            gb("SS", 950000.0),
            gb("SSS", 980000.0),
            gb("EXC", 1000000.0),
        ],
    },
    supported_match_types: &[MatchType::InGameId, MatchType::TachiSongId],
    score_meta: &[],
};
