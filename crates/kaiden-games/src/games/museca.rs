//! MÚSECA: its configs, derived metrics, score ratings and validators.

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

/// What MÚSECA does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_score,
    score_rating,
    chart_check: super::no_chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &pb::SCORE_LAMP,
    profile_reads_songs: false,
};

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let s = sc.num("score");
    if l == "PERFECT CONNECT ALL" {
        rule(
            e,
            s == 1_000_000.0,
            "A PERFECT CONNECT ALL must have a score of 1 million.",
        );
        rule(
            e,
            sc.j0("miss") + sc.j0("near") == 0.0,
            "Cannot have a PERFECT CONNECT ALL with any nears or misses.",
        );
    } else if s == 1_000_000.0 {
        rule(
            e,
            false,
            "A perfect score of 1 million must have a lamp of PERFECT CONNECT ALL.",
        );
    }
    if l == "CONNECT ALL" {
        rule(
            e,
            sc.j0("miss") == 0.0,
            "Cannot have a CONNECT ALL with any misses.",
        );
    }
    if s < 800_000.0 {
        rule(e, l == "FAILED", "A score of <800k must be a fail.");
    } else {
        rule(e, l != "FAILED", "A score of >=800k must be a clear.");
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
        "curatorSkill" => rated(rating::curator_skill(
            need_number(data, gpt, "score")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}
