//! PMS: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::shared;
use crate::config::*;
use kaiden_core::game::Gpt;
use kaiden_core::query::MatchType;

/// What both playtypes share (the config of PMS_CONTROLLER).
const PMS: GptConfig = GptConfig {
    gpt: Gpt::PmsController,
    difficulties: Difficulties::Fixed {
        order: &["CHART"],
        default: "CHART",
    },
    versions: &[],
    judgements: &["cool", "great", "good", "bad", "poor"],
    provided_metrics: shared::BMS_PROVIDED_METRICS,
    derived_metrics: shared::BMS_DERIVED_METRICS,
    optional_metrics: shared::BMS_OPTIONAL_METRICS,
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["sieglinde"],
    session_rating_algs: &[average_of_best("sieglinde", "sieglinde", 10, true)],
    profile_rating_algs: &[average_of_best("sieglinde", "sieglinde", 20, false)],
    classes: &[provided(
        "dan",
        &[
            cv("INSANE_1", "●1", Some("Insane 1st Dan")),
            cv("INSANE_2", "●2", Some("Insane 2nd Dan")),
            cv("INSANE_3", "●3", Some("Insane 3rd Dan")),
            cv("INSANE_4", "●4", Some("Insane 4th Dan")),
            cv("INSANE_5", "●5", Some("Insane 5th Dan")),
            cv("INSANE_6", "●6", Some("Insane 6th Dan")),
            cv("INSANE_7", "●7", Some("Insane 7th Dan")),
            cv("INSANE_8", "●8", Some("Insane 8th Dan")),
            cv("INSANE_9", "●9", Some("Insane 9th Dan")),
            cv("INSANE_10", "●10", Some("Insane 10th Dan")),
            cv("INSANE_KAIDEN", "●●", Some("Insane Kaiden")),
            cv("OVERJOY", "●OJ", Some("Overjoy")),
            cv("UNDEFINED", "●UNDF", Some("Undefined (Post-Overjoy)")),
        ],
    )],
    grades: shared::IIDXLIKE_GRADES,
    supported_match_types: &[MatchType::BmsChartHash, MatchType::TachiSongId],
    score_meta: &[
        meta(
            "random",
            MetaFieldKind::Enum(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
        ),
        meta("client", MetaFieldKind::Enum(&["beatoraja"])),
        meta(
            "gauge",
            MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "EX-HARD"]),
        ),
    ],
};

/// PMS_CONTROLLER.
pub(crate) static PMS_CONTROLLER: GptConfig = PMS;

/// PMS_KEYBOARD: the same but for its name.
pub(crate) static PMS_KEYBOARD: GptConfig = GptConfig {
    gpt: Gpt::PmsKeyboard,
    ..PMS
};

/// What PMS does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::iidx::derive,
    score_rating: super::bms::score_rating,
    chart_check: super::iidx::chart_check,
    validate: super::iidx::validate,
    custom_profile: super::no_custom_profile,
    pb: &super::bms::PB,
    profile_reads_songs: false,
};
