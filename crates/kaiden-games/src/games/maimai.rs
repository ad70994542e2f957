//! maimai: its configs, derived metrics, score ratings and validators.

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
use kaiden_core::score::{MetricValue, ScoreData};

/// The MAIMAI SINGLE config.
pub(crate) static MAIMAI_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::MaimaiSingle,
    difficulties: Difficulties::Fixed {
        order: &["Easy", "Basic", "Advanced", "Expert", "Master", "Re:Master"],
        default: "Master",
    },
    versions: &[("finale", "FiNALE")],
    judgements: &["perfect", "great", "good", "miss"],
    provided_metrics: &[
        metric("percent", dec(None, None)).chart_max(),
        metric(
            "lamp",
            enum_of(
                &[
                    "FAILED",
                    "CLEAR",
                    "FULL COMBO",
                    "ALL PERFECT",
                    "ALL PERFECT+",
                ],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(
            &[
                "F", "E", "D", "C", "B", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+",
            ],
            Some("A"),
        ),
    )],
    optional_metrics: shared::ARCAEA_OPTIONAL_METRICS,
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["rate"],
    session_rating_algs: &[average_of_best("rate", "rate", 10, true)],
    profile_rating_algs: &[average_of_best("naiveRate", "rate", 30, false)],
    classes: &[
        derived(
            "colour",
            &[
                cv("WHITE", "White", Some("0 - 1.99 Rating")),
                cv("BLUE", "Blue", Some("2 - 3.99 Rating")),
                cv("GREEN", "Green", Some("4 - 6.99 Rating")),
                cv("YELLOW", "Yellow", Some("7 - 9.99 Rating")),
                cv("RED", "Red", Some("10 - 11.99 Rating")),
                cv("PURPLE", "Purple", Some("12 - 12.99 Rating")),
                cv("BRONZE", "Bronze", Some("13 - 13.99 Rating")),
                cv("SILVER", "Silver", Some("14 - 14.49 Rating")),
                cv("GOLD", "Gold", Some("14.5 - 14.99 Rating")),
                cv("RAINBOW", "Rainbow", Some(">=15 Rating")),
            ],
            "naiveRate",
            ClassRule::Thresholds {
                steps: &[
                    (15.0, "RAINBOW"),
                    (14.5, "GOLD"),
                    (14.0, "SILVER"),
                    (13.0, "BRONZE"),
                    (12.0, "PURPLE"),
                    (10.0, "RED"),
                    (7.0, "YELLOW"),
                    (4.0, "GREEN"),
                    (2.0, "BLUE"),
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
                cv("KAIDEN", "皆伝", Some("Kaiden")),
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
            ],
        ),
    ],
    grades: GradeConfig {
        table: "MAIMAI_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            gb("F", 0.0),
            gb("E", 10.0),
            gb("D", 20.0),
            gb("C", 40.0),
            gb("B", 60.0),
            gb("A", 80.0),
            gb("AA", 90.0),
            gb("AAA", 94.0),
            gb("S", 97.0),
            gb("S+", 98.0),
            gb("SS", 99.0),
            gb("SS+", 99.5),
            gb("SSS", 100.0),
            gb("SSS+", 104.0),
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
        MatchType::InGameStrId,
    ],
    score_meta: &[],
};

/// What maimai does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive,
    score_rating,
    chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &pb::PERCENT_LAMP,
    profile_reads_songs: false,
};

pub(super) fn derive(
    gpt: Gpt,
    data: &ScoreData,
    chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    let percent = need_number(data, gpt, "percent")?;
    let max = chart_number(chart.data.max_percent, chart, "maxPercent")?;
    #[allow(clippy::float_cmp)] // Tachi compares exactly
    let grade = if percent == max {
        MetricValue::Str("SSS+".into())
    } else {
        grade(gpt, percent)?
    };
    out.push(("grade", grade));
    Ok(())
}

pub(super) fn chart_check(metric: &str, value: f64, chart: &ChartDocument) -> Option<String> {
    if metric != "percent" {
        return None;
    }
    if value < 0.0 {
        return Some("Percent cannot be negative.".into());
    }
    let max = chart.data.max_percent?;
    (value > max).then(|| {
        format!(
            "Percent cannot be greater than {} for this chart.",
            fmt_num(max)
        )
    })
}

pub(super) fn validate(data: &ScoreData, chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    rule(
        e,
        sc.num("percent") <= 104.0,
        "Score cannot be greater than 104%.",
    );
    let l = sc.lamp("lamp");
    let sssp = data.number("percent") == chart.data.max_percent;
    if l == "ALL PERFECT+" {
        rule(e, sssp, "Cannot have an ALL PERFECT+ without grade SSS+.");
    } else if sssp {
        rule(e, false, "Cannot have grade SSS+ without an ALL PERFECT+");
    }
    if l == "ALL PERFECT" {
        rule(
            e,
            sc.j0("great") + sc.j0("good") + sc.j0("miss") == 0.0,
            "Cannot have an ALL PERFECT with any non-perfect judgements.",
        );
    }
    if l == "FULL COMBO" {
        rule(
            e,
            sc.j0("miss") == 0.0,
            "Cannot have a FULL COMBO if the score has misses.",
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
        "rate" => rated(rating::maimai_rate(
            need_number(data, gpt, "percent")?,
            chart_number(chart.data.max_percent, chart, "maxPercent")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}
