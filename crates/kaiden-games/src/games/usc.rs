//! USC: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::shared;
use crate::config::pb;
use crate::config::*;
use kaiden_core::game::Gpt;
use kaiden_core::query::MatchType;

/// What both playtypes share (the config of USC_CONTROLLER).
const USC: GptConfig = GptConfig {
    gpt: Gpt::UscController,
    difficulties: Difficulties::Fixed {
        order: &["NOV", "ADV", "EXH", "INF"],
        default: "EXH",
    },
    versions: &[],
    judgements: &["critical", "near", "miss"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(10000000.0))),
        metric(
            "lamp",
            enum_of(
                &[
                    "FAILED",
                    "CLEAR",
                    "EXCESSIVE CLEAR",
                    "ULTIMATE CHAIN",
                    "PERFECT ULTIMATE CHAIN",
                ],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: shared::SDVX_DERIVED_METRICS,
    optional_metrics: shared::POPN_OPTIONAL_METRICS,
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["VF6"],
    session_rating_algs: &[average_of_best("ProfileVF6", "VF6", 10, true).times(50.0)],
    profile_rating_algs: &[sum_of_best("VF6", "VF6", 50, false)],
    classes: &[shared::SDVX_VF_CLASS],
    grades: shared::SDVXLIKE_GRADES,
    supported_match_types: &[MatchType::UscChartHash, MatchType::TachiSongId],
    score_meta: &[
        meta(
            "noteMod",
            MetaFieldKind::Enum(&["MIR-RAN", "MIRROR", "NORMAL", "RANDOM"]),
        ),
        meta(
            "gaugeMod",
            MetaFieldKind::Enum(&["NORMAL", "HARD", "PERMISSIVE"]),
        ),
    ],
};

/// USC_CONTROLLER.
pub(crate) static USC_CONTROLLER: GptConfig = USC;

/// USC_KEYBOARD: the same but for its name.
pub(crate) static USC_KEYBOARD: GptConfig = GptConfig {
    gpt: Gpt::UscKeyboard,
    ..USC
};

/// What USC does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_score,
    score_rating: super::sdvx::score_rating,
    chart_check: super::no_chart_check,
    validate: super::sdvx::validate,
    custom_profile: super::no_custom_profile,
    pb: &pb::SCORE_LAMP,
    profile_reads_songs: false,
};
