//! SOUND VOLTEX: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::checks::*;
use super::shared;
use crate::config::pb::*;
use crate::config::*;
use crate::rating;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::query::MatchType;
use kaiden_core::score::ScoreData;

/// The SDVX SINGLE config.
pub(crate) static SDVX_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::SdvxSingle,
    difficulties: Difficulties::Fixed {
        order: &[
            "NOV", "ADV", "EXH", "INF", "GRV", "HVN", "VVD", "XCD", "MXM", "ULT",
        ],
        default: "EXH",
    },
    versions: &[
        ("booth", "BOOTH"),
        ("inf", "infinite infection"),
        ("gw", "GRAVITY WARS"),
        ("heaven", "HEAVENLY HAVEN"),
        ("vivid", "VIVID WAVE"),
        ("exceed", "EXCEED GEAR"),
        ("konaste", "Konaste"),
    ],
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
                    "MAXXIVE CLEAR",
                    "ULTIMATE CHAIN",
                    "PERFECT ULTIMATE CHAIN",
                ],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: shared::SDVX_DERIVED_METRICS,
    optional_metrics: &[
        metric("fast", int(Some(0.0), None)).positive_integer(),
        metric("slow", int(Some(0.0), None)).positive_integer(),
        metric("maxCombo", int(Some(0.0), None)).positive_integer(),
        metric("exScore", int(None, None)).chart_max().in_score_id(),
        metric("gauge", dec(Some(0.0), Some(100.0))),
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["VF6"],
    session_rating_algs: &[average_of_best("ProfileVF6", "VF6", 10, true).times(50.0)],
    profile_rating_algs: &[sum_of_best("VF6", "VF6", 50, false)],
    classes: &[
        provided(
            "dan",
            &[
                cv("DAN_1", "LV.01", Some("1st Dan")),
                cv("DAN_2", "LV.02", Some("2nd Dan")),
                cv("DAN_3", "LV.03", Some("3rd Dan")),
                cv("DAN_4", "LV.04", Some("4th Dan")),
                cv("DAN_5", "LV.05", Some("5th Dan")),
                cv("DAN_6", "LV.06", Some("6th Dan")),
                cv("DAN_7", "LV.07", Some("7th Dan")),
                cv("DAN_8", "LV.08", Some("8th Dan")),
                cv("DAN_9", "LV.09", Some("9th Dan")),
                cv("DAN_10", "LV.10", Some("10th Dan")),
                cv("DAN_11", "LV.11", Some("11th Dan")),
                cv("INF", "LV.INF", Some("Inf. Dan")),
            ],
        ),
        shared::SDVX_VF_CLASS,
    ],
    grades: shared::SDVXLIKE_GRADES,
    supported_match_types: &[
        MatchType::SdvxInGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

/// What SOUND VOLTEX does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_score,
    score_rating,
    chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

pub(super) fn chart_check(metric: &str, value: f64, _chart: &ChartDocument) -> Option<String> {
    (metric == "exScore" && value < 0.0)
        .then(|| format!("EX Score must be non-negative. Got {}", fmt_num(value)))
}

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let s = sc.num("score");
    if l == "PERFECT ULTIMATE CHAIN" {
        rule(
            e,
            s == 10_000_000.0,
            "Cannot have a PERFECT ULTIMATE CHAIN without a perfect score.",
        );
        rule(
            e,
            sc.j0("miss") + sc.j0("near") == 0.0,
            "Cannot have a PERFECT ULTIMATE CHAIN with any nears or misses.",
        );
    }
    if l == "ULTIMATE CHAIN" {
        rule(
            e,
            sc.j0("miss") == 0.0,
            "Cannot have an ULTIMATE CHAIN with non-zero miss count.",
        );
        rule(
            e,
            s >= 5_000_000.0,
            "Cannot have an ULTIMATE CHAIN with a score less than 5m.",
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
        "VF6" => rated(rating::volforce_vf6(
            need_number(data, gpt, "score")?,
            need_str(data, gpt, "lamp")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[LAMP_ONLY, BEST_EX],
    ranking_tiebreak: None,
};
