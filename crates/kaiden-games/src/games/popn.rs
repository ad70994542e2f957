//! pop'n music: its configs, derived metrics, score ratings and validators.

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
use kaiden_core::score::{MetricValue, ScoreData};

/// The POPN 9B config.
pub(crate) static POPN_9B: GptConfig = GptConfig {
    gpt: Gpt::Popn9B,
    difficulties: Difficulties::Fixed {
        order: &["Easy", "Normal", "Hyper", "EX"],
        default: "EX",
    },
    versions: &[
        ("peace", "peace"),
        ("kaimei", "Kaimei Riddles"),
        ("unilab", "Unilab"),
    ],
    judgements: &["cool", "great", "good", "bad"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(100000.0))),
        metric(
            "clearMedal",
            enum_of(
                &[
                    "failedCircle",
                    "failedDiamond",
                    "failedStar",
                    "easyClear",
                    "clearCircle",
                    "clearDiamond",
                    "clearStar",
                    "fullComboCircle",
                    "fullComboDiamond",
                    "fullComboStar",
                    "perfect",
                ],
                Some("clearCircle"),
            ),
        ),
    ],
    derived_metrics: &[
        metric(
            "lamp",
            enum_of(
                &["FAILED", "EASY CLEAR", "CLEAR", "FULL COMBO", "PERFECT"],
                Some("CLEAR"),
            ),
        ),
        metric(
            "grade",
            enum_of(&["E", "D", "C", "B", "A", "AA", "AAA", "S"], Some("A")),
        ),
    ],
    optional_metrics: shared::POPN_OPTIONAL_METRICS,
    default_metric: "score",
    preferred_default_enum: "lamp",
    score_rating_algs: &["classPoints"],
    session_rating_algs: &[average_of_best("classPoints", "classPoints", 10, true)],
    profile_rating_algs: &[average_of_best(
        "naiveClassPoints",
        "classPoints",
        20,
        false,
    )],
    classes: &[derived(
        "class",
        &[
            cv("KITTY", "にゃんこ", Some("Kitty")),
            cv("STUDENT", "小学生", Some("Grade School Student")),
            cv("DELINQUENT", "番長", Some("Delinquent")),
            cv("DETECTIVE", "刑事", Some("Detective")),
            cv("IDOL", "アイドル", Some("Idol")),
            cv("GENERAL", "将軍", Some("General")),
            cv("HERMIT", "仙人", Some("Hermit")),
            cv("GOD", "神", Some("God")),
        ],
        "naiveClassPoints",
        ClassRule::UpperBounds {
            steps: &[
                (21.0, "KITTY"),
                (34.0, "STUDENT"),
                (46.0, "DELINQUENT"),
                (59.0, "DETECTIVE"),
                (68.0, "IDOL"),
                (79.0, "GENERAL"),
                (91.0, "HERMIT"),
            ],
            otherwise: "GOD",
        },
    )],
    grades: GradeConfig {
        table: "POPN_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("E", 0.0),
            gb("D", 50000.0),
            gb("C", 62000.0),
            gb("B", 72000.0),
            gb("A", 82000.0),
            gb("AA", 90000.0),
            gb("AAA", 95000.0),
            gb("S", 98000.0),
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::TachiSongId,
        MatchType::PopnChartHash,
    ],
    score_meta: &[
        meta("hiSpeed", MetaFieldKind::Number).nullable(),
        meta("hidden", MetaFieldKind::Number).nullable(),
        meta("sudden", MetaFieldKind::Number).nullable(),
        meta(
            "random",
            MetaFieldKind::Enum(&["MIRROR", "NONRAN", "RANDOM", "S-RANDOM"]),
        )
        .nullable(),
        meta(
            "gauge",
            MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "DANGER"]),
        )
        .nullable(),
    ],
};

/// What pop'n music does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive,
    score_rating,
    chart_check: super::no_chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

/// pop'n music: the lamp a clear medal stands for.
#[must_use]
pub fn lamp_for_medal(medal: &str) -> Option<&'static str> {
    Some(match medal {
        "failedCircle" | "failedDiamond" | "failedStar" => "FAILED",
        "easyClear" => "EASY CLEAR",
        "clearCircle" | "clearDiamond" | "clearStar" => "CLEAR",
        "fullComboCircle" | "fullComboDiamond" | "fullComboStar" => "FULL COMBO",
        "perfect" => "PERFECT",
        _ => return None,
    })
}

pub(super) fn derive(
    gpt: Gpt,
    data: &ScoreData,
    _chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    let medal = need_str(data, gpt, "clearMedal")?;
    let lamp =
        lamp_for_medal(medal).ok_or_else(|| internal(format!("unknown clearMedal {medal}")))?;
    let score = need_number(data, gpt, "score")?;
    let grade = if lamp == "FAILED" && score >= 90_000.0 {
        MetricValue::Str("A".into())
    } else {
        grade(gpt, score)?
    };
    out.push(("lamp", MetricValue::Str(lamp.into())));
    out.push(("grade", grade));
    Ok(())
}

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let medal = sc.lamp("clearMedal");
    if l == "PERFECT" {
        rule(
            e,
            sc.j0("bad") + sc.j0("good") == 0.0,
            "Cannot have a PERFECT lamp with any bads or goods.",
        );
    }
    if l == "FULL COMBO" {
        rule(
            e,
            sc.j0("bad") == 0.0,
            "Cannot have a FULL COMBO lamp with any bads.",
        );
    }
    if let (Some(bad), Some(good)) = (sc.j("bad"), sc.j("good")) {
        // Tachi's bounds and words (fails are not checked: the gauge is unknown).
        let refused = match medal {
            "fullComboStar" if !(1.0..=5.0).contains(&good) => {
                Some("Must have between 1-5 goods for a full combo star.")
            }
            "fullComboDiamond" if !(6.0..=20.0).contains(&good) => {
                Some("Must have between 6-20 goods for a full combo diamond.")
            }
            "fullComboCircle" if good < 21.0 => {
                Some("Must have >21 goods for a full combo circle.")
            }
            "clearStar" if !(1.0..=5.0).contains(&bad) => {
                Some("Must have between 1-5 bads for a clear star.")
            }
            "clearDiamond" if !(6.0..=20.0).contains(&bad) => {
                Some("Must have between 6-20 bads for a clear diamond.")
            }
            "clearCircle" if bad < 21.0 => Some("Must have between >21 bads for a clear circle."),
            _ => None,
        };
        e.extend(refused.map(str::to_owned));
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
        "classPoints" => {
            let medal = need_str(data, gpt, "clearMedal")?;
            let lamp = lamp_for_medal(medal)
                .ok_or_else(|| internal(format!("unknown clearMedal {medal}")))?;
            rated(rating::popn_class_points(
                need_number(data, gpt, "score")?,
                lamp,
                level,
            ))
        }
        _ => Err(no_rating(gpt, alg)),
    }
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[PbMerger {
        name: "Best Clear",
        direction: Largest,
        key: MergeKey::EnumIndex("clearMedal"),
        copies: &[M("clearMedal"), M("lamp")],
    }],
    ranking_tiebreak: None,
};
