//! MÚSECA: its configs.

use super::build::*;
use super::shared;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

/// The MUSECA SINGLE config.
pub(crate) static MUSECA_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::MusecaSingle,
    difficulties: Difficulties::Fixed {
        order: &["Green", "Yellow", "Red"],
        default: "Red",
    },
    versions: &[("1.5", "1 + 1/2"), ("1.5-b", "1 + 1/2 Rev. B")],
    judgements: &["critical", "near", "miss"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(1000000.0))),
        metric(
            "lamp",
            enum_of(
                &["FAILED", "CLEAR", "CONNECT ALL", "PERFECT CONNECT ALL"],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(
            &["没", "拙", "凡", "佳", "良", "優", "秀", "傑", "傑G"],
            Some("優"),
        ),
    )],
    optional_metrics: shared::ARCAEA_OPTIONAL_METRICS,
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["curatorSkill"],
    session_rating_algs: &[average_of_best("curatorSkill", "curatorSkill", 10, true)],
    profile_rating_algs: &[sum_of_best("curatorSkill", "curatorSkill", 20, false)],
    classes: &[],
    grades: GradeConfig {
        table: "MUSECA_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("没", 0.0),
            gb("拙", 600000.0),
            gb("凡", 700000.0),
            gb("佳", 800000.0),
            gb("良", 850000.0),
            gb("優", 900000.0),
            gb("秀", 950000.0),
            gb("傑", 975000.0),
            gb("傑G", 1000000.0),
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[],
};
