//! pop'n music: its configs.

use super::build::*;
use super::shared;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

/// The POPN 9B config.
pub(crate) static POPN_9B: GptConfig = GptConfig {
    gpt: Gpt::Popn9B,
    difficulties: Difficulties::Fixed {
        order: &["Easy", "Normal", "Hyper", "EX"],
        default: "EX",
    },
    versions: &[
        ("peace", "peace"),
        ("kaimei", "Kaimei Riddles"),
        ("unilab", "Unilab"),
    ],
    judgements: &["cool", "great", "good", "bad"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(100000.0))),
        metric(
            "clearMedal",
            enum_of(
                &[
                    "failedCircle",
                    "failedDiamond",
                    "failedStar",
                    "easyClear",
                    "clearCircle",
                    "clearDiamond",
                    "clearStar",
                    "fullComboCircle",
                    "fullComboDiamond",
                    "fullComboStar",
                    "perfect",
                ],
                Some("clearCircle"),
            ),
        ),
    ],
    derived_metrics: &[
        metric(
            "lamp",
            enum_of(
                &["FAILED", "EASY CLEAR", "CLEAR", "FULL COMBO", "PERFECT"],
                Some("CLEAR"),
            ),
        ),
        metric(
            "grade",
            enum_of(&["E", "D", "C", "B", "A", "AA", "AAA", "S"], Some("A")),
        ),
    ],
    optional_metrics: shared::POPN_OPTIONAL_METRICS,
    default_metric: "score",
    preferred_default_enum: "lamp",
    score_rating_algs: &["classPoints"],
    session_rating_algs: &[average_of_best("classPoints", "classPoints", 10, true)],
    profile_rating_algs: &[average_of_best(
        "naiveClassPoints",
        "classPoints",
        20,
        false,
    )],
    classes: &[derived(
        "class",
        &[
            cv("KITTY", "にゃんこ", Some("Kitty")),
            cv("STUDENT", "小学生", Some("Grade School Student")),
            cv("DELINQUENT", "番長", Some("Delinquent")),
            cv("DETECTIVE", "刑事", Some("Detective")),
            cv("IDOL", "アイドル", Some("Idol")),
            cv("GENERAL", "将軍", Some("General")),
            cv("HERMIT", "仙人", Some("Hermit")),
            cv("GOD", "神", Some("God")),
        ],
        "naiveClassPoints",
        ClassRule::UpperBounds {
            steps: &[
                (21.0, "KITTY"),
                (34.0, "STUDENT"),
                (46.0, "DELINQUENT"),
                (59.0, "DETECTIVE"),
                (68.0, "IDOL"),
                (79.0, "GENERAL"),
                (91.0, "HERMIT"),
            ],
            otherwise: "GOD",
        },
    )],
    grades: GradeConfig {
        table: "POPN_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("E", 0.0),
            gb("D", 50000.0),
            gb("C", 62000.0),
            gb("B", 72000.0),
            gb("A", 82000.0),
            gb("AA", 90000.0),
            gb("AAA", 95000.0),
            gb("S", 98000.0),
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::TachiSongId,
        MatchType::PopnChartHash,
    ],
    score_meta: &[
        meta("hiSpeed", MetaFieldKind::Number).nullable(),
        meta("hidden", MetaFieldKind::Number).nullable(),
        meta("sudden", MetaFieldKind::Number).nullable(),
        meta(
            "random",
            MetaFieldKind::Enum(&["MIRROR", "NONRAN", "RANDOM", "S-RANDOM"]),
        )
        .nullable(),
        meta(
            "gauge",
            MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "DANGER"]),
        )
        .nullable(),
    ],
};
