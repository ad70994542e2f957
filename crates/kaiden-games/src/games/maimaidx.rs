//! maimai DX: its configs, derived metrics, score ratings and validators.

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

/// The MAIMAIDX SINGLE config.
pub(crate) static MAIMAIDX_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::MaimaidxSingle,
    difficulties: Difficulties::Fixed {
        order: &[
            "Basic",
            "Advanced",
            "Expert",
            "Master",
            "Re:Master",
            "DX Basic",
            "DX Advanced",
            "DX Expert",
            "DX Master",
            "DX Re:Master",
        ],
        default: "Master",
    },
    versions: &[
        ("universeplus", "UNiVERSE PLUS"),
        ("festival", "FESTiVAL"),
        ("festivalplus", "FESTiVAL PLUS"),
        ("buddies", "BUDDiES"),
        ("buddies-omni", "BUDDiES Omnimix"),
        ("buddiesplus", "BUDDiES PLUS"),
        ("buddiesplus-omni", "BUDDiES PLUS Omnimix"),
        ("prism", "PRiSM"),
        ("prism-omni", "PRiSM Omnimix"),
        ("prismplus", "PRiSM PLUS"),
    ],
    judgements: &["pcrit", "perfect", "great", "good", "miss"],
    provided_metrics: &[
        metric("percent", dec(Some(0.0), Some(101.0))),
        metric(
            "lamp",
            enum_of(
                &[
                    "FAILED",
                    "CLEAR",
                    "FULL COMBO",
                    "FULL COMBO+",
                    "ALL PERFECT",
                    "ALL PERFECT+",
                ],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: shared::CHUNITHM_DERIVED_METRICS,
    optional_metrics: &[
        metric("fast", int(Some(0.0), None)).positive_integer(),
        metric("slow", int(Some(0.0), None)).positive_integer(),
        metric("maxCombo", int(Some(0.0), None)).positive_integer(),
        metric(
            "percentGraph",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(101.0),
                integer: false,
            },
        ),
        metric(
            "lifeGraph",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(999.0),
                integer: false,
            },
        ),
    ],
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["rate"],
    session_rating_algs: &[average_of_best("rate", "rate", 10, true)],
    profile_rating_algs: &[sum_of_best("naiveRate", "rate", 50, false)],
    classes: &[
        derived(
            "colour",
            &[
                cv("WHITE", "White", Some("0 - 999 Rating")),
                cv("BLUE", "Blue", Some("1000 - 1999 Rating")),
                cv("GREEN", "Green", Some("2000 - 3999 Rating")),
                cv("YELLOW", "Yellow", Some("4000 - 6999 Rating")),
                cv("RED", "Red", Some("7000 - 9999 Rating")),
                cv("PURPLE", "Purple", Some("10000 - 11999 Rating")),
                cv("BRONZE", "Bronze", Some("12000 - 12999 Rating")),
                cv("SILVER", "Silver", Some("13000 - 13999 Rating")),
                cv("GOLD", "Gold", Some("14000 - 14499 Rating")),
                cv("PLATINUM", "Platinum", Some("14500 - 14999 Rating")),
                cv("RAINBOW", "Rainbow", Some(">=15000 Rating")),
            ],
            "naiveRate",
            ClassRule::Thresholds {
                steps: &[
                    (15000.0, "RAINBOW"),
                    (14500.0, "PLATINUM"),
                    (14000.0, "GOLD"),
                    (13000.0, "SILVER"),
                    (12000.0, "BRONZE"),
                    (10000.0, "PURPLE"),
                    (7000.0, "RED"),
                    (4000.0, "YELLOW"),
                    (2000.0, "GREEN"),
                    (1000.0, "BLUE"),
                ],
                otherwise: "WHITE",
            },
        ),
        provided(
            "dan",
            &[
                cv("DAN_1", "初段", Some("1st Dan")),
                cv("DAN_2", "二段", Some("2nd Dan")),
                cv("DAN_3", "三段", Some("3rd Dan")),
                cv("DAN_4", "四段", Some("4th Dan")),
                cv("DAN_5", "五段", Some("5th Dan")),
                cv("DAN_6", "六段", Some("6th Dan")),
                cv("DAN_7", "七段", Some("7th Dan")),
                cv("DAN_8", "八段", Some("8th Dan")),
                cv("DAN_9", "九段", Some("9th Dan")),
                cv("DAN_10", "十段", Some("10th Dan")),
                cv("SHINDAN_1", "真初段", Some("1st Shindan")),
                cv("SHINDAN_2", "真二段", Some("2nd Shindan")),
                cv("SHINDAN_3", "真三段", Some("3rd Shindan")),
                cv("SHINDAN_4", "真四段", Some("4th Shindan")),
                cv("SHINDAN_5", "真五段", Some("5th Shindan")),
                cv("SHINDAN_6", "真六段", Some("6th Shindan")),
                cv("SHINDAN_7", "真七段", Some("7th Shindan")),
                cv("SHINDAN_8", "真八段", Some("8th Shindan")),
                cv("SHINDAN_9", "真九段", Some("9th Shindan")),
                cv("SHINDAN_10", "真十段", Some("10th Shindan")),
                cv("SHINKAIDEN", "真皆伝", Some("Shinkaiden")),
                cv("URAKAIDEN", "裏皆伝", Some("Urakaiden")),
            ],
        ),
        provided(
            "matchingClass",
            &[
                cv("B5", "B5", None),
                cv("B4", "B4", None),
                cv("B3", "B3", None),
                cv("B2", "B2", None),
                cv("B1", "B1", None),
                cv("A5", "A5", None),
                cv("A5", "A5", None),
                cv("A4", "A4", None),
                cv("A3", "A3", None),
                cv("A2", "A2", None),
                cv("A1", "A1", None),
                cv("S5", "S5", None),
                cv("S4", "S4", None),
                cv("S3", "S3", None),
                cv("S2", "S2", None),
                cv("S1", "S1", None),
                cv("SS5", "SS5", None),
                cv("SS4", "SS4", None),
                cv("SS3", "SS3", None),
                cv("SS2", "SS2", None),
                cv("SS1", "SS1", None),
                cv("SSS5", "SSS5", None),
                cv("SSS4", "SSS4", None),
                cv("SSS3", "SSS3", None),
                cv("SSS2", "SSS2", None),
                cv("SSS1", "SSS1", None),
                cv("LEGEND", "Legend", None),
            ],
        ),
    ],
    grades: GradeConfig {
        table: "MAIMAIDX_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            gb("D", 0.0),
            gb("C", 50.0),
            gb("B", 60.0),
            gb("BB", 70.0),
            gb("BBB", 75.0),
            gb("A", 80.0),
            gb("AA", 90.0),
            gb("AAA", 94.0),
            gb("S", 97.0),
            gb("S+", 98.0),
            gb("SS", 99.0),
            gb("SS+", 99.5),
            gb("SSS", 100.0),
            gb("SSS+", 100.5),
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[],
};

/// What maimai DX does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_percent,
    score_rating,
    chart_check: super::no_chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &pb::PERCENT_LAMP,
    profile_reads_songs: false,
};

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let p = sc.num("percent");
    if l == "ALL PERFECT+" {
        rule(e, p == 101.0, "Cannot have an ALL PERFECT+ without 101%.");
    } else if p == 101.0 {
        rule(e, false, "A score of 101% should be an ALL PERFECT+");
    }
    if l == "ALL PERFECT" {
        rule(
            e,
            p >= 100.5,
            "Cannot have an ALL PERFECT without at least 100.5%.",
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
        "rate" => rated(rating::maimaidx_rate(
            need_number(data, gpt, "percent")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}
