//! Arcaea: its configs.

use super::build::*;
use super::shared;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

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
