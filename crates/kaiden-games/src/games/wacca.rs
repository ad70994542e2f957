//! WACCA: its configs, derived metrics, score ratings and validators.

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

/// The WACCA SINGLE config.
pub(crate) static WACCA_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::WaccaSingle,
    difficulties: Difficulties::Fixed {
        order: &["NORMAL", "HARD", "EXPERT", "INFERNO"],
        default: "EXPERT",
    },
    versions: &[("reverse", "REVERSE"), ("plus", "PLUS")],
    judgements: &["marvelous", "great", "good", "miss"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(1000000.0))),
        metric(
            "lamp",
            enum_of(
                &["FAILED", "CLEAR", "MISSLESS", "FULL COMBO", "ALL MARVELOUS"],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(
            &[
                "D", "C", "B", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+", "MASTER",
            ],
            Some("S"),
        ),
    )],
    optional_metrics: shared::ARCAEA_OPTIONAL_METRICS,
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["rate"],
    session_rating_algs: &[average_of_best("rate", "rate", 10, true)],
    profile_rating_algs: &[sum_of_best("naiveRate", "rate", 50, false)],
    classes: &[
        provided(
            "stageUp",
            &[
                cv("I", "I", None),
                cv("II", "II", None),
                cv("III", "III", None),
                cv("IV", "IV", None),
                cv("V", "V", None),
                cv("VI", "VI", None),
                cv("VII", "VII", None),
                cv("VIII", "VIII", None),
                cv("IX", "IX", None),
                cv("X", "X", None),
                cv("XI", "XI", None),
                cv("XII", "XII", None),
                cv("XIII", "XIII", None),
                cv("XIV", "XIV", None),
            ],
        ),
        derived(
            "colour",
            &[
                cv("ASH", "Ash", None),
                cv("NAVY", "Navy", None),
                cv("YELLOW", "Yellow", None),
                cv("RED", "Red", None),
                cv("PURPLE", "Purple", None),
                cv("BLUE", "Blue", None),
                cv("SILVER", "Silver", None),
                cv("GOLD", "Gold", None),
                cv("RAINBOW", "Rainbow", None),
            ],
            "naiveRate",
            ClassRule::Thresholds {
                steps: &[
                    (2500.0, "RAINBOW"),
                    (2200.0, "GOLD"),
                    (1900.0, "SILVER"),
                    (1600.0, "BLUE"),
                    (1300.0, "PURPLE"),
                    (1000.0, "RED"),
                    (600.0, "YELLOW"),
                    (300.0, "NAVY"),
                ],
                otherwise: "ASH",
            },
        ),
    ],
    grades: GradeConfig {
        table: "WACCA_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("D", 0.0),
            gb("C", 1.0),
            gb("B", 300100.0),
            gb("A", 700000.0),
            gb("AA", 800000.0),
            gb("AAA", 850000.0),
            gb("S", 900000.0),
            gb("S+", 930000.0),
            gb("SS", 950000.0),
            gb("SS+", 970000.0),
            gb("SSS", 980000.0),
            gb("SSS+", 990000.0),
            gb("MASTER", 1000000.0),
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[meta("mirror", MetaFieldKind::Boolean)],
};

/// What WACCA does to a score once its chart is known.
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
    if l == "ALL MARVELOUS" {
        if s != 1_000_000.0 {
            e.push(format!(
                "ALL MARVELOUS scores must have a perfect score. Got {} instead.",
                fmt_num(s)
            ));
        }
        rule(
            e,
            sc.j0("miss") + sc.j0("good") + sc.j0("great") == 0.0,
            "Cannot have an ALL MARVELOUS if all judgements were not marvelous.",
        );
    } else if s == 1_000_000.0 {
        e.push(format!(
            "Perfect scores of 1 million must have ALL MARVELOUS as their lamp. Got {l} instead."
        ));
    }
    if let Some(m) = sc.j("miss").filter(|m| *m != 0.0) {
        rule(
            e,
            l != "FULL COMBO",
            "Cannot have a FULL COMBO with misses.",
        );
        if m > 5.0 {
            rule(
                e,
                l != "MISSLESS",
                "Cannot have a MISSLESS lamp with >5 misses.",
            );
        }
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
        "rate" => rated(rating::wacca_rate(need_number(data, gpt, "score")?, level)),
        _ => Err(no_rating(gpt, alg)),
    }
}
