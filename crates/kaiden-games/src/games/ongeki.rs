//! O.N.G.E.K.I.: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::checks::*;
use crate::config::pb::*;
use crate::config::*;
use crate::profile::{SongMap, js_round, pb_values, profile_best_n};
use crate::rating;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::host::PbRatings;
use kaiden_core::query::MatchType;
use kaiden_core::score::{MetricValue, ScoreData};

/// The ONGEKI SINGLE config.
pub(crate) static ONGEKI_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::OngekiSingle,
    difficulties: Difficulties::Fixed {
        order: &["BASIC", "ADVANCED", "EXPERT", "MASTER", "LUNATIC"],
        default: "MASTER",
    },
    versions: &[
        ("brightMemory2Omni", "bright MEMORY Act.II Omnimix"),
        ("brightMemory3", "bright MEMORY Act.III"),
        ("brightMemory3Omni", "bright MEMORY Act.III Omnimix"),
        ("refresh", "Re:Fresh"),
        ("refreshOmni", "Re:Fresh Omnimix"),
    ],
    judgements: &["cbreak", "break", "hit", "miss"],
    provided_metrics: &[
        metric("score", int(Some(0.0), Some(1010000.0))),
        metric(
            "noteLamp",
            enum_of(
                &["LOSS", "CLEAR", "FULL COMBO", "ALL BREAK", "ALL BREAK+"],
                Some("CLEAR"),
            ),
        ),
        metric(
            "bellLamp",
            enum_of(&["NONE", "FULL BELL"], Some("FULL BELL")),
        ),
        metric("platinumScore", int(None, None)).chart_max(),
    ],
    derived_metrics: &[
        metric(
            "grade",
            enum_of(
                &[
                    "D", "C", "B", "BB", "BBB", "A", "AA", "AAA", "S", "SS", "SSS", "SSS+",
                ],
                Some("A"),
            ),
        ),
        metric("platinumStars", int(Some(0.0), Some(6.0))),
    ],
    optional_metrics: &[
        metric("fast", int(Some(0.0), None)).positive_integer(),
        metric("slow", int(Some(0.0), None)).positive_integer(),
        metric("maxCombo", int(Some(0.0), None)).positive_integer(),
        metric("damage", int(None, None)).chart_max().in_score_id(),
        metric("bellCount", int(None, None))
            .chart_max()
            .in_score_id(),
        metric("totalBellCount", int(None, None)).chart_max(),
        metric(
            "scoreGraph",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(1010000.0),
                integer: false,
            },
        ),
        metric(
            "platinumGraph",
            MetricKind::Graph {
                nullable: true,
                min: Some(-100000.0),
                max: Some(0.0),
                integer: false,
            },
        ),
        metric(
            "bellGraph",
            MetricKind::Graph {
                nullable: true,
                min: Some(-10000.0),
                max: Some(0.0),
                integer: false,
            },
        ),
        metric(
            "lifeGraph",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["rating", "scoreRating", "starRating"],
    session_rating_algs: &[
        average_of_best("naiveRating", "rating", 10, true),
        average_of_best("naiveScoreRating", "scoreRating", 10, true),
        average_of_best("starRating", "starRating", 10, true),
    ],
    profile_rating_algs: &[
        average_of_best("naiveRating", "rating", 45, false).multiplied(100.0),
        custom_rating("naiveRatingRefresh"),
    ],
    classes: &[derived(
        "colour",
        &[
            cv("BLUE", "水", Some("Blue: 0.000~3.999 Rating")),
            cv("GREEN", "緑", Some("Green: 4.000~6.999 Rating")),
            cv("ORANGE", "橙", Some("Orange: 7.000~8.999 Rating")),
            cv("RED", "赤", Some("Red: 9.000~10.999 Rating")),
            cv("PURPLE", "紫", Some("Purple: 11.000~12.999 Rating")),
            cv("COPPER", "銅", Some("Copper: 13.000~14.999 Rating")),
            cv("SILVER", "銀", Some("Silver: 15.000~16.999 Rating")),
            cv("GOLD", "金", Some("Gold: 17.000~17.999 Rating")),
            cv("PLATINUM", "鉑", Some("Platinum: 18.000~18.999 Rating")),
            cv("RAINBOW", "虹", Some("Rainbow: 19.000~19.999 Rating")),
            cv(
                "RAINBOW_SHINY",
                "虹(光)",
                Some("Rainbow Shiny: 20.000~20.999 Rating"),
            ),
            cv(
                "RAINBOW_EX",
                "虹(極)",
                Some("Rainbow Extreme: 21.000~ Rating"),
            ),
        ],
        "naiveRatingRefresh",
        ClassRule::Thresholds {
            steps: &[
                (21.0, "RAINBOW_EX"),
                (20.0, "RAINBOW_SHINY"),
                (19.0, "RAINBOW"),
                (18.0, "PLATINUM"),
                (17.0, "GOLD"),
                (15.0, "SILVER"),
                (13.0, "COPPER"),
                (11.0, "PURPLE"),
                (9.0, "RED"),
                (7.0, "ORANGE"),
                (4.0, "GREEN"),
            ],
            otherwise: "BLUE",
        },
    )],
    grades: GradeConfig {
        table: "ONGEKI_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("D", 0.0),
            gb("C", 500000.0),
            gb("B", 700000.0),
            gb("BB", 750000.0),
            gb("BBB", 800000.0),
            gb("A", 850000.0),
            gb("AA", 900000.0),
            gb("AAA", 940000.0),
            gb("S", 970000.0),
            gb("SS", 990000.0),
            gb("SSS", 1000000.0),
            gb("SSS+", 1007500.0),
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[],
};

/// What O.N.G.E.K.I. does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive,
    score_rating,
    chart_check,
    validate,
    custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

fn is_ongeki_unranked(chart: &ChartDocument) -> bool {
    let id = chart
        .data
        .in_game_id
        .as_ref()
        .and_then(|ids| ids.iter().next().copied());
    matches!(id, Some(i) if (7000..8000).contains(&i)) || chart.level_num == 0.0
}

fn ongeki_stars(platinum: f64, max: f64) -> f64 {
    (((platinum / max) * 100.0).floor().min(99.0) - 93.0).max(0.0)
}

pub(super) fn derive(
    gpt: Gpt,
    data: &ScoreData,
    chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    out.push(("grade", grade(gpt, need_number(data, gpt, "score")?)?));
    let plat = need_number(data, gpt, "platinumScore")?;
    let max = chart_number(chart.data.max_plat_score, chart, "maxPlatScore")?;
    out.push((
        "platinumStars",
        MetricValue::Number(ongeki_stars(plat, max)),
    ));
    Ok(())
}

pub(super) fn chart_check(metric: &str, value: f64, chart: &ChartDocument) -> Option<String> {
    let v = fmt_num(value);
    match metric {
        "bellCount" if value < 0.0 => Some(format!("Bell Count must be non-negative. Got {v}")),
        "totalBellCount" if value < 0.0 => {
            Some(format!("Total bell Count must be non-negative. Got {v}"))
        }
        "damage" if value < 0.0 => Some(format!("Damage must be non-negative. Got {v}")),
        "platinumScore" if value < 0.0 => {
            Some(format!("Platinum Score must be non-negative. Got {v}"))
        }
        "platinumScore" => {
            let max = chart.data.max_plat_score?;
            (value > max).then(|| {
                format!(
                    "Platinum Score must not exceed the chart's maximum Platinum Score. Got {v}/{}",
                    fmt_num(max)
                )
            })
        }
        _ => None,
    }
}

/// Tachi's one O.N.G.E.K.I. validator: its first complaint only.
pub(super) fn validate(data: &ScoreData, chart: &ChartDocument, e: &mut Vec<String>) {
    e.extend(first_complaint(data, chart));
}

fn first_complaint(data: &ScoreData, chart: &ChartDocument) -> Option<String> {
    let sc = Judged(data);
    let nl = sc.lamp("noteLamp");
    let bl = sc.lamp("bellLamp");
    let s = sc.num("score");
    let (hit, miss, brk) = (sc.j0("hit"), sc.j0("miss"), sc.j0("break"));
    let said = |m: &str| Some(m.to_owned());
    if nl == "ALL BREAK+" {
        if hit + miss + brk > 0.0 {
            return said(
                "Cannot have an ALL BREAK+ if not all hits were critical break or better.",
            );
        }
        if s < 1_010_000.0 {
            return said("Cannot have an ALL BREAK+ if the score is not 1,010,000");
        }
    }
    if s == 1_010_000.0 && (nl != "ALL BREAK+" || bl != "FULL BELL") {
        return said("Cannot have a perfect score without FBAB+");
    }
    if nl == "ALL BREAK" && hit + miss > 0.0 {
        return said("Cannot have an ALL BREAK if not all hits were break or better.");
    }
    if nl == "FULL COMBO" && miss > 0.0 {
        return said("Cannot have a FULL COMBO if the score has misses.");
    }
    if bl == "FULL BELL" && nl == "LOSS" {
        return said("Cannot have a LOSS with a FULL BELL.");
    }
    match (data.number("platinumScore"), chart.data.max_plat_score) {
        (Some(p), Some(max)) if p > max => Some(format!(
            "Cannot have {}/{} Platinum Score.",
            fmt_num(p),
            fmt_num(max)
        )),
        _ => None,
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
        "rating" | "scoreRating" | "starRating" => {
            if is_ongeki_unranked(chart) {
                return Ok(Some(0.0));
            }
            let score = need_number(data, gpt, "score")?;
            match alg {
                "rating" => rated(rating::ongeki_rating(score, level)),
                "scoreRating" => {
                    #[allow(clippy::float_cmp)]
                    let lamp = if score == 1_010_000.0 {
                        "ALL BREAK+"
                    } else {
                        need_str(data, gpt, "noteLamp")?
                    };
                    let full_bell = need_str(data, gpt, "bellLamp")? == "FULL BELL";
                    rated(rating::ongeki_rating_refresh(level, score, lamp, full_bell))
                }
                _ => {
                    let plat = need_number(data, gpt, "platinumScore")?;
                    let max = chart_number(chart.data.max_plat_score, chart, "maxPlatScore")?;
                    rated(rating::ongeki_rating_platinum(
                        level,
                        ongeki_stars(plat, max),
                    ))
                }
            }
        }
        _ => Err(no_rating(gpt, alg)),
    }
}

/// ONGEKI's `naiveRatingRefresh`: best 60 score ratings and best 50 star
/// ratings, in Tachi's integer maths.
fn custom_profile(name: &str, pbs: &[PbRatings], _songs: &SongMap) -> Option<f64> {
    if name != "naiveRatingRefresh" {
        return None;
    }
    let s = profile_best_n(
        pb_values(pbs, "scoreRating", true),
        60,
        true,
        false,
        Some(1000.0),
    )
    .unwrap_or(0.0);
    let t = profile_best_n(
        pb_values(pbs, "starRating", true),
        50,
        true,
        false,
        Some(1000.0),
    )
    .unwrap_or(0.0);
    Some(((js_round(s * 1000.0) * 1.2).floor() + js_round(t * 1000.0)) / 1000.0)
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[
        PbMerger {
            name: "Best Platinum Score",
            direction: Largest,
            key: MergeKey::Metric("platinumScore"),
            copies: &[M("platinumScore"), M("platinumStars")],
        },
        PbMerger {
            name: "Best Note Lamp",
            direction: Largest,
            key: MergeKey::EnumIndex("noteLamp"),
            copies: &[M("noteLamp")],
        },
        PbMerger {
            name: "Best Bell Lamp",
            direction: Largest,
            key: MergeKey::EnumIndex("bellLamp"),
            copies: &[M("bellLamp")],
        },
    ],
    ranking_tiebreak: Some("platinumScore"),
};
