//! GITADORA: its configs, derived metrics, score ratings and validators.

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

/// What both playtypes share (the config of GITADORA_GITA).
const GITADORA: GptConfig = GptConfig {
    gpt: Gpt::GitadoraGita,
    difficulties: Difficulties::Fixed {
        order: &[
            "BASIC",
            "ADVANCED",
            "EXTREME",
            "MASTER",
            "BASS BASIC",
            "BASS ADVANCED",
            "BASS EXTREME",
            "BASS MASTER",
        ],
        default: "EXTREME",
    },
    versions: &[
        ("konaste", "Konaste"),
        ("fuzzUp", "FUZZ-UP"),
        ("highVoltage", "HIGH-VOLTAGE"),
        ("nextage", "NEX+AGE"),
        ("exchain", "EXCHAIN"),
        ("matixx", "Matixx"),
    ],
    judgements: &["perfect", "great", "good", "ok", "miss"],
    provided_metrics: &[
        metric("percent", dec(Some(0.0), Some(100.0))),
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
        enum_of(&["C", "B", "A", "S", "SS", "MAX"], Some("A")),
    )],
    optional_metrics: shared::ARCAEA_OPTIONAL_METRICS,
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["skill"],
    session_rating_algs: &[average_of_best("skill", "skill", 10, true)],
    profile_rating_algs: &[sum_of_best("naiveSkill", "skill", 50, false)],
    classes: &[derived(
        "colour",
        &[
            cv("WHITE", "白", Some("White")),
            cv("ORANGE", "橙", Some("Orange")),
            cv("ORANGE_GRD", "橙グラ", Some("Orange Gradient")),
            cv("YELLOW", "黄", Some("Yellow")),
            cv("YELLOW_GRD", "黄グラ", Some("Yellow Gradient")),
            cv("GREEN", "緑", Some("Green")),
            cv("GREEN_GRD", "緑グラ", Some("Green Gradient")),
            cv("BLUE", "青", Some("Blue")),
            cv("BLUE_GRD", "青グラ", Some("Blue Gradient")),
            cv("PURPLE", "紫", Some("Purple")),
            cv("PURPLE_GRD", "紫グラ", Some("Purple Gradient")),
            cv("RED", "赤", Some("Red")),
            cv("RED_GRD", "赤グラ", Some("Red Gradient")),
            cv("BRONZE", "銅", Some("Bronze")),
            cv("SILVER", "銀", Some("Silver")),
            cv("GOLD", "金", Some("Gold")),
            cv("RAINBOW", "虹", Some("Rainbow")),
        ],
        "naiveSkill",
        ClassRule::Thresholds {
            steps: &[
                (8500.0, "RAINBOW"),
                (8000.0, "GOLD"),
                (7500.0, "SILVER"),
                (7000.0, "BRONZE"),
                (6500.0, "RED_GRD"),
                (6000.0, "RED"),
                (5500.0, "PURPLE_GRD"),
                (5000.0, "PURPLE"),
                (4500.0, "BLUE_GRD"),
                (4000.0, "BLUE"),
                (3500.0, "GREEN_GRD"),
                (3000.0, "GREEN"),
                (2500.0, "YELLOW_GRD"),
                (2000.0, "YELLOW"),
                (1500.0, "ORANGE_GRD"),
                (1000.0, "ORANGE"),
            ],
            otherwise: "WHITE",
        },
    )],
    grades: GradeConfig {
        table: "GITADORA_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            gb("C", 0.0),
            gb("B", 63.0),
            gb("A", 73.0),
            gb("S", 80.0),
            gb("SS", 95.0),
            gb("MAX", 100.0),
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

/// GITADORA_GITA.
pub(crate) static GITADORA_GITA: GptConfig = GITADORA;

/// GITADORA_DORA: the drum set has no bass difficulties.
pub(crate) static GITADORA_DORA: GptConfig = GptConfig {
    gpt: Gpt::GitadoraDora,
    difficulties: Difficulties::Fixed {
        order: &["BASIC", "ADVANCED", "EXTREME", "MASTER"],
        default: "EXTREME",
    },
    ..GITADORA
};

/// What GITADORA does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_percent,
    score_rating,
    chart_check: super::no_chart_check,
    validate: super::no_validators,
    custom_profile: super::no_custom_profile,
    pb: &pb::PERCENT_LAMP,
    profile_reads_songs: false,
};

pub(super) fn score_rating(
    gpt: Gpt,
    alg: &str,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Option<f64>, ConverterFailure> {
    let level = chart.level_num;
    match alg {
        "skill" => rated(rating::gitadora_skill(
            need_number(data, gpt, "percent")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}
