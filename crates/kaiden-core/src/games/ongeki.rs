//! O.N.G.E.K.I.: its configs.

use super::build::*;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

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
        metric("fast", int(Some(0.0), None)),
        metric("slow", int(Some(0.0), None)),
        metric("maxCombo", int(Some(0.0), None)),
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
