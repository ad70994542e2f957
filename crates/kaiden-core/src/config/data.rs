//! The 23 GPT configs. Facts from Tachi's game-support configs (commit 536c3c6);
//! checked against `game-configs.json` by `tests/conformance_configs.rs`.

use super::*;
use crate::game::Gpt;
use crate::query::MatchType;

pub(super) static IIDX_SP: GptConfig = GptConfig {
    gpt: Gpt::IidxSp,
    difficulties: Difficulties::Fixed {
        order: &[
            "NORMAL",
            "HYPER",
            "ANOTHER",
            "LEGGENDARIA",
            "All Scratch NORMAL",
            "All Scratch HYPER",
            "All Scratch ANOTHER",
            "All Scratch LEGGENDARIA",
            "Kichiku NORMAL",
            "Kichiku HYPER",
            "Kichiku ANOTHER",
            "Kichiku LEGGENDARIA",
            "Kiraku NORMAL",
            "Kiraku HYPER",
            "Kiraku ANOTHER",
            "Kiraku LEGGENDARIA",
        ],
        default: "ANOTHER",
    },
    versions: &[
        ("20", "tricoro"),
        ("21", "SPADA"),
        ("22", "PENDUAL"),
        ("23", "copula"),
        ("24", "SINOBUZ"),
        ("25", "CANNON BALLERS"),
        ("26", "ROOTAGE"),
        ("27", "HEROIC VERSE"),
        ("28", "BISTROVER"),
        ("29", "CastHour"),
        ("30", "Resident"),
        ("31", "Epolis"),
        ("32", "Pinky Crush"),
        ("33", "Sparkle Shower"),
        ("3-cs", "3rd Style CS"),
        ("4-cs", "4th Style CS"),
        ("5-cs", "5th Style CS"),
        ("6-cs", "6th Style CS"),
        ("7-cs", "7th Style CS"),
        ("8-cs", "8th Style CS"),
        ("9-cs", "9th Style CS"),
        ("10-cs", "10th Style CS"),
        ("11-cs", "IIDX RED CS"),
        ("12-cs", "HAPPY SKY CS"),
        ("13-cs", "DISTORTED CS"),
        ("14-cs", "GOLD CS"),
        ("15-cs", "DJ TROOPERS CS"),
        ("16-cs", "EMPRESS CS"),
        ("26-omni", "ROOTAGE Omnimix"),
        ("27-omni", "HEROIC VERSE Omnimix"),
        ("28-omni", "BISTROVER Omnimix"),
        ("29-omni", "CastHour Omnimix"),
        ("30-omni", "Resident Omnimix"),
        ("31-omni", "Epolis Omnimix"),
        ("32-omni", "Pinky Crush Omnimix"),
        ("27-2dxtra", "HEROIC VERSE 2dxtra"),
        ("28-2dxtra", "BISTROVER 2dxtra"),
        ("30-2dxtra", "RESIDENT 2dxtra"),
        ("31-2dxtra", "Epolis 2dxtra"),
        ("bmus", "BEATMANIA US"),
        ("inf", "INFINITAS"),
    ],
    judgements: &["pgreat", "great", "good", "bad", "poor"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "NO PLAY",
                    "FAILED",
                    "ASSIST CLEAR",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "EX HARD CLEAR",
                    "FULL COMBO",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bp",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "comboBreak",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistory",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "scoreHistory",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmEasy",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmNormal",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmHard",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmEXHard",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["ktLampRating", "BPI"],
    session_rating_algs: &[
        RatingAlgConfig {
            name: "ktLampRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "ktLampRating",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "BPI",
            aggregation: Aggregation::AverageOfBestN {
                source: "BPI",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
    ],
    profile_rating_algs: &[
        RatingAlgConfig {
            name: "ktLampRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "ktLampRating",
                n: 20,
                null_if_fewer_than_n: false,
                multiplier: None,
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "BPI",
            aggregation: Aggregation::AverageOfBestN {
                source: "BPI",
                n: 20,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
    ],
    classes: &[ClassConfig {
        name: "dan",
        kind: ClassKind::Provided,
        values: &[
            ClassValue {
                id: "KYU_7",
                display: "七級",
                hover_text: Some("7th Kyu"),
            },
            ClassValue {
                id: "KYU_6",
                display: "六級",
                hover_text: Some("6th Kyu"),
            },
            ClassValue {
                id: "KYU_5",
                display: "五級",
                hover_text: Some("5th Kyu"),
            },
            ClassValue {
                id: "KYU_4",
                display: "四級",
                hover_text: Some("4th Kyu"),
            },
            ClassValue {
                id: "KYU_3",
                display: "三級",
                hover_text: Some("3rd Kyu"),
            },
            ClassValue {
                id: "KYU_2",
                display: "二級",
                hover_text: Some("2nd Kyu"),
            },
            ClassValue {
                id: "KYU_1",
                display: "一級",
                hover_text: Some("1st Kyu"),
            },
            ClassValue {
                id: "DAN_1",
                display: "初段",
                hover_text: Some("1st Dan"),
            },
            ClassValue {
                id: "DAN_2",
                display: "二段",
                hover_text: Some("2nd Dan"),
            },
            ClassValue {
                id: "DAN_3",
                display: "三段",
                hover_text: Some("3rd Dan"),
            },
            ClassValue {
                id: "DAN_4",
                display: "四段",
                hover_text: Some("4th Dan"),
            },
            ClassValue {
                id: "DAN_5",
                display: "五段",
                hover_text: Some("5th Dan"),
            },
            ClassValue {
                id: "DAN_6",
                display: "六段",
                hover_text: Some("6th Dan"),
            },
            ClassValue {
                id: "DAN_7",
                display: "七段",
                hover_text: Some("7th Dan"),
            },
            ClassValue {
                id: "DAN_8",
                display: "八段",
                hover_text: Some("8th Dan"),
            },
            ClassValue {
                id: "DAN_9",
                display: "九段",
                hover_text: Some("9th Dan"),
            },
            ClassValue {
                id: "DAN_10",
                display: "十段",
                hover_text: Some("10th Dan"),
            },
            ClassValue {
                id: "CHUUDEN",
                display: "中伝",
                hover_text: Some("Chuuden"),
            },
            ClassValue {
                id: "KAIDEN",
                display: "皆伝",
                hover_text: Some("Kaiden"),
            },
        ],
        derivation: None,
    }],
    grades: GradeConfig {
        table: "IIDXLIKE_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 22.22222222222222,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 33.333333333333336,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 44.44444444444444,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 55.55555555555556,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 66.66666666666667,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 77.77777777777777,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 88.88888888888889,
            },
            GradeBoundary {
                grade: "MAX-",
                lower_bound: 94.44444444444444,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::TachiSongId,
        MatchType::SongTitle,
    ],
    score_meta: &[
        MetaField {
            name: "random",
            kind: MetaFieldKind::Enum(&["NONRAN", "MIRROR", "R-RANDOM", "RANDOM", "S-RANDOM"]),
            nullable: false,
        },
        MetaField {
            name: "assist",
            kind: MetaFieldKind::Enum(&["AUTO SCRATCH", "LEGACY NOTE", "NO ASSIST", "FULL ASSIST"]),
            nullable: false,
        },
        MetaField {
            name: "range",
            kind: MetaFieldKind::Enum(&[
                "NONE",
                "HIDDEN+",
                "SUDDEN+",
                "LIFT",
                "LIFT SUD+",
                "SUD+ HID+",
            ]),
            nullable: false,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["ASSISTED EASY", "EASY", "NORMAL", "HARD", "EX-HARD"]),
            nullable: false,
        },
    ],
};

pub(super) static IIDX_DP: GptConfig = GptConfig {
    gpt: Gpt::IidxDp,
    difficulties: Difficulties::Fixed {
        order: &[
            "NORMAL",
            "HYPER",
            "ANOTHER",
            "LEGGENDARIA",
            "All Scratch NORMAL",
            "All Scratch HYPER",
            "All Scratch ANOTHER",
            "All Scratch LEGGENDARIA",
            "Kichiku NORMAL",
            "Kichiku HYPER",
            "Kichiku ANOTHER",
            "Kichiku LEGGENDARIA",
            "Kiraku NORMAL",
            "Kiraku HYPER",
            "Kiraku ANOTHER",
            "Kiraku LEGGENDARIA",
        ],
        default: "ANOTHER",
    },
    versions: &[
        ("20", "tricoro"),
        ("21", "SPADA"),
        ("22", "PENDUAL"),
        ("23", "copula"),
        ("24", "SINOBUZ"),
        ("25", "CANNON BALLERS"),
        ("26", "ROOTAGE"),
        ("27", "HEROIC VERSE"),
        ("28", "BISTROVER"),
        ("29", "CastHour"),
        ("30", "Resident"),
        ("31", "Epolis"),
        ("32", "Pinky Crush"),
        ("33", "Sparkle Shower"),
        ("3-cs", "3rd Style CS"),
        ("4-cs", "4th Style CS"),
        ("5-cs", "5th Style CS"),
        ("6-cs", "6th Style CS"),
        ("7-cs", "7th Style CS"),
        ("8-cs", "8th Style CS"),
        ("9-cs", "9th Style CS"),
        ("10-cs", "10th Style CS"),
        ("11-cs", "IIDX RED CS"),
        ("12-cs", "HAPPY SKY CS"),
        ("13-cs", "DISTORTED CS"),
        ("14-cs", "GOLD CS"),
        ("15-cs", "DJ TROOPERS CS"),
        ("16-cs", "EMPRESS CS"),
        ("26-omni", "ROOTAGE Omnimix"),
        ("27-omni", "HEROIC VERSE Omnimix"),
        ("28-omni", "BISTROVER Omnimix"),
        ("29-omni", "CastHour Omnimix"),
        ("30-omni", "Resident Omnimix"),
        ("31-omni", "Epolis Omnimix"),
        ("32-omni", "Pinky Crush Omnimix"),
        ("27-2dxtra", "HEROIC VERSE 2dxtra"),
        ("28-2dxtra", "BISTROVER 2dxtra"),
        ("30-2dxtra", "RESIDENT 2dxtra"),
        ("31-2dxtra", "Epolis 2dxtra"),
        ("bmus", "BEATMANIA US"),
        ("inf", "INFINITAS"),
    ],
    judgements: &["pgreat", "great", "good", "bad", "poor"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "NO PLAY",
                    "FAILED",
                    "ASSIST CLEAR",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "EX HARD CLEAR",
                    "FULL COMBO",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bp",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "comboBreak",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistory",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "scoreHistory",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmEasy",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmNormal",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmHard",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gsmEXHard",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["ktLampRating", "BPI"],
    session_rating_algs: &[
        RatingAlgConfig {
            name: "ktLampRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "ktLampRating",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "BPI",
            aggregation: Aggregation::AverageOfBestN {
                source: "BPI",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
    ],
    profile_rating_algs: &[
        RatingAlgConfig {
            name: "ktLampRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "ktLampRating",
                n: 20,
                null_if_fewer_than_n: false,
                multiplier: None,
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "BPI",
            aggregation: Aggregation::AverageOfBestN {
                source: "BPI",
                n: 20,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
    ],
    classes: &[ClassConfig {
        name: "dan",
        kind: ClassKind::Provided,
        values: &[
            ClassValue {
                id: "KYU_7",
                display: "七級",
                hover_text: Some("7th Kyu"),
            },
            ClassValue {
                id: "KYU_6",
                display: "六級",
                hover_text: Some("6th Kyu"),
            },
            ClassValue {
                id: "KYU_5",
                display: "五級",
                hover_text: Some("5th Kyu"),
            },
            ClassValue {
                id: "KYU_4",
                display: "四級",
                hover_text: Some("4th Kyu"),
            },
            ClassValue {
                id: "KYU_3",
                display: "三級",
                hover_text: Some("3rd Kyu"),
            },
            ClassValue {
                id: "KYU_2",
                display: "二級",
                hover_text: Some("2nd Kyu"),
            },
            ClassValue {
                id: "KYU_1",
                display: "一級",
                hover_text: Some("1st Kyu"),
            },
            ClassValue {
                id: "DAN_1",
                display: "初段",
                hover_text: Some("1st Dan"),
            },
            ClassValue {
                id: "DAN_2",
                display: "二段",
                hover_text: Some("2nd Dan"),
            },
            ClassValue {
                id: "DAN_3",
                display: "三段",
                hover_text: Some("3rd Dan"),
            },
            ClassValue {
                id: "DAN_4",
                display: "四段",
                hover_text: Some("4th Dan"),
            },
            ClassValue {
                id: "DAN_5",
                display: "五段",
                hover_text: Some("5th Dan"),
            },
            ClassValue {
                id: "DAN_6",
                display: "六段",
                hover_text: Some("6th Dan"),
            },
            ClassValue {
                id: "DAN_7",
                display: "七段",
                hover_text: Some("7th Dan"),
            },
            ClassValue {
                id: "DAN_8",
                display: "八段",
                hover_text: Some("8th Dan"),
            },
            ClassValue {
                id: "DAN_9",
                display: "九段",
                hover_text: Some("9th Dan"),
            },
            ClassValue {
                id: "DAN_10",
                display: "十段",
                hover_text: Some("10th Dan"),
            },
            ClassValue {
                id: "CHUUDEN",
                display: "中伝",
                hover_text: Some("Chuuden"),
            },
            ClassValue {
                id: "KAIDEN",
                display: "皆伝",
                hover_text: Some("Kaiden"),
            },
        ],
        derivation: None,
    }],
    grades: GradeConfig {
        table: "IIDXLIKE_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 22.22222222222222,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 33.333333333333336,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 44.44444444444444,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 55.55555555555556,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 66.66666666666667,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 77.77777777777777,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 88.88888888888889,
            },
            GradeBoundary {
                grade: "MAX-",
                lower_bound: 94.44444444444444,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::TachiSongId,
        MatchType::SongTitle,
    ],
    score_meta: &[
        MetaField {
            name: "random",
            kind: MetaFieldKind::EnumPair(&["NONRAN", "MIRROR", "R-RANDOM", "RANDOM", "S-RANDOM"]),
            nullable: false,
        },
        MetaField {
            name: "assist",
            kind: MetaFieldKind::Enum(&["AUTO SCRATCH", "LEGACY NOTE", "NO ASSIST", "FULL ASSIST"]),
            nullable: false,
        },
        MetaField {
            name: "range",
            kind: MetaFieldKind::Enum(&[
                "NONE",
                "HIDDEN+",
                "SUDDEN+",
                "LIFT",
                "LIFT SUD+",
                "SUD+ HID+",
            ]),
            nullable: false,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["ASSISTED EASY", "EASY", "NORMAL", "HARD", "EX-HARD"]),
            nullable: false,
        },
    ],
};

pub(super) static MUSECA_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::MusecaSingle,
    difficulties: Difficulties::Fixed {
        order: &["Green", "Yellow", "Red"],
        default: "Red",
    },
    versions: &[("1.5", "1 + 1/2"), ("1.5-b", "1 + 1/2 Rev. B")],
    judgements: &["critical", "near", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &["FAILED", "CLEAR", "CONNECT ALL", "PERFECT CONNECT ALL"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &["没", "拙", "凡", "佳", "良", "優", "秀", "傑", "傑G"],
            minimum_relevant: Some("優"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["curatorSkill"],
    session_rating_algs: &[RatingAlgConfig {
        name: "curatorSkill",
        aggregation: Aggregation::AverageOfBestN {
            source: "curatorSkill",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "curatorSkill",
        aggregation: Aggregation::SumOfBestN {
            source: "curatorSkill",
            n: 20,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[],
    grades: GradeConfig {
        table: "MUSECA_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "没",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "拙",
                lower_bound: 600000.0,
            },
            GradeBoundary {
                grade: "凡",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "佳",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "良",
                lower_bound: 850000.0,
            },
            GradeBoundary {
                grade: "優",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "秀",
                lower_bound: 950000.0,
            },
            GradeBoundary {
                grade: "傑",
                lower_bound: 975000.0,
            },
            GradeBoundary {
                grade: "傑G",
                lower_bound: 1000000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[],
};

pub(super) static SDVX_SINGLE: GptConfig = GptConfig {
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
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(10000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "EXCESSIVE CLEAR",
                    "MAXXIVE CLEAR",
                    "ULTIMATE CHAIN",
                    "PERFECT ULTIMATE CHAIN",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "D", "C", "B", "A", "A+", "AA", "AA+", "AAA", "AAA+", "S", "PUC",
            ],
            minimum_relevant: Some("A+"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "exScore",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: true,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["VF6"],
    session_rating_algs: &[RatingAlgConfig {
        name: "ProfileVF6",
        aggregation: Aggregation::AverageOfBestN {
            source: "VF6",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: Some(50.0),
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "VF6",
        aggregation: Aggregation::SumOfBestN {
            source: "VF6",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "dan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "DAN_1",
                    display: "LV.01",
                    hover_text: Some("1st Dan"),
                },
                ClassValue {
                    id: "DAN_2",
                    display: "LV.02",
                    hover_text: Some("2nd Dan"),
                },
                ClassValue {
                    id: "DAN_3",
                    display: "LV.03",
                    hover_text: Some("3rd Dan"),
                },
                ClassValue {
                    id: "DAN_4",
                    display: "LV.04",
                    hover_text: Some("4th Dan"),
                },
                ClassValue {
                    id: "DAN_5",
                    display: "LV.05",
                    hover_text: Some("5th Dan"),
                },
                ClassValue {
                    id: "DAN_6",
                    display: "LV.06",
                    hover_text: Some("6th Dan"),
                },
                ClassValue {
                    id: "DAN_7",
                    display: "LV.07",
                    hover_text: Some("7th Dan"),
                },
                ClassValue {
                    id: "DAN_8",
                    display: "LV.08",
                    hover_text: Some("8th Dan"),
                },
                ClassValue {
                    id: "DAN_9",
                    display: "LV.09",
                    hover_text: Some("9th Dan"),
                },
                ClassValue {
                    id: "DAN_10",
                    display: "LV.10",
                    hover_text: Some("10th Dan"),
                },
                ClassValue {
                    id: "DAN_11",
                    display: "LV.11",
                    hover_text: Some("11th Dan"),
                },
                ClassValue {
                    id: "INF",
                    display: "LV.INF",
                    hover_text: Some("Inf. Dan"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "vfClass",
            kind: ClassKind::Derived,
            values: &[
                ClassValue {
                    id: "SIENNA_I",
                    display: "Sienna I",
                    hover_text: Some("0 - 2.499VF"),
                },
                ClassValue {
                    id: "SIENNA_II",
                    display: "Sienna II",
                    hover_text: Some("2.5 - 4.999VF"),
                },
                ClassValue {
                    id: "SIENNA_III",
                    display: "Sienna III",
                    hover_text: Some("5.0 - 7.499VF"),
                },
                ClassValue {
                    id: "SIENNA_IV",
                    display: "Sienna IV",
                    hover_text: Some("7.5 - 9.999VF"),
                },
                ClassValue {
                    id: "COBALT_I",
                    display: "Cobalt I",
                    hover_text: Some("10 - 10.499VF"),
                },
                ClassValue {
                    id: "COBALT_II",
                    display: "Cobalt II",
                    hover_text: Some("10.5 - 10.999VF"),
                },
                ClassValue {
                    id: "COBALT_III",
                    display: "Cobalt III",
                    hover_text: Some("11 - 11.499VF"),
                },
                ClassValue {
                    id: "COBALT_IV",
                    display: "Cobalt IV",
                    hover_text: Some("11.5 - 11.999VF"),
                },
                ClassValue {
                    id: "DANDELION_I",
                    display: "Dandelion I",
                    hover_text: Some("12 - 12.499VF"),
                },
                ClassValue {
                    id: "DANDELION_II",
                    display: "Dandelion II",
                    hover_text: Some("12.5 - 12.999VF"),
                },
                ClassValue {
                    id: "DANDELION_III",
                    display: "Dandelion III",
                    hover_text: Some("13 - 13.499VF"),
                },
                ClassValue {
                    id: "DANDELION_IV",
                    display: "Dandelion IV",
                    hover_text: Some("13.5 - 13.999VF"),
                },
                ClassValue {
                    id: "CYAN_I",
                    display: "Cyan I",
                    hover_text: Some("14 - 14.249VF"),
                },
                ClassValue {
                    id: "CYAN_II",
                    display: "Cyan II",
                    hover_text: Some("14.25 - 14.499VF"),
                },
                ClassValue {
                    id: "CYAN_III",
                    display: "Cyan III",
                    hover_text: Some("14.5 - 14.749VF"),
                },
                ClassValue {
                    id: "CYAN_IV",
                    display: "Cyan IV",
                    hover_text: Some("14.75 - 14.999VF"),
                },
                ClassValue {
                    id: "SCARLET_I",
                    display: "Scarlet I",
                    hover_text: Some("15 - 15.249VF"),
                },
                ClassValue {
                    id: "SCARLET_II",
                    display: "Scarlet II",
                    hover_text: Some("15.25 - 15.499VF"),
                },
                ClassValue {
                    id: "SCARLET_III",
                    display: "Scarlet III",
                    hover_text: Some("15.5 - 15.749VF"),
                },
                ClassValue {
                    id: "SCARLET_IV",
                    display: "Scarlet IV",
                    hover_text: Some("15.75 - 15.999VF"),
                },
                ClassValue {
                    id: "CORAL_I",
                    display: "Coral I",
                    hover_text: Some("16 - 16.249VF"),
                },
                ClassValue {
                    id: "CORAL_II",
                    display: "Coral II",
                    hover_text: Some("16.25 - 16.499VF"),
                },
                ClassValue {
                    id: "CORAL_III",
                    display: "Coral III",
                    hover_text: Some("16.5 - 16.749VF"),
                },
                ClassValue {
                    id: "CORAL_IV",
                    display: "Coral IV",
                    hover_text: Some("16.75 - 16.999VF"),
                },
                ClassValue {
                    id: "ARGENTO_I",
                    display: "Argento I",
                    hover_text: Some("17 - 17.249VF"),
                },
                ClassValue {
                    id: "ARGENTO_II",
                    display: "Argento II",
                    hover_text: Some("17.25 - 17.499VF"),
                },
                ClassValue {
                    id: "ARGENTO_III",
                    display: "Argento III",
                    hover_text: Some("17.5 - 17.749VF"),
                },
                ClassValue {
                    id: "ARGENTO_IV",
                    display: "Argento IV",
                    hover_text: Some("17.75 - 17.999VF"),
                },
                ClassValue {
                    id: "ELDORA_I",
                    display: "Eldora I",
                    hover_text: Some("18 - 18.249VF"),
                },
                ClassValue {
                    id: "ELDORA_II",
                    display: "Eldora II",
                    hover_text: Some("18.25 - 18.499VF"),
                },
                ClassValue {
                    id: "ELDORA_III",
                    display: "Eldora III",
                    hover_text: Some("18.5 - 18.749VF"),
                },
                ClassValue {
                    id: "ELDORA_IV",
                    display: "Eldora IV",
                    hover_text: Some("18.75 - 18.999VF"),
                },
                ClassValue {
                    id: "CRIMSON_I",
                    display: "Crimson I",
                    hover_text: Some("19 - 19.249VF"),
                },
                ClassValue {
                    id: "CRIMSON_II",
                    display: "Crimson II",
                    hover_text: Some("19.25 - 19.499VF"),
                },
                ClassValue {
                    id: "CRIMSON_III",
                    display: "Crimson III",
                    hover_text: Some("19.5 - 19.749VF"),
                },
                ClassValue {
                    id: "CRIMSON_IV",
                    display: "Crimson IV",
                    hover_text: Some("19.75 - 19.999VF"),
                },
                ClassValue {
                    id: "IMPERIAL_I",
                    display: "Imperial I",
                    hover_text: Some("20 - 20.999VF"),
                },
                ClassValue {
                    id: "IMPERIAL_II",
                    display: "Imperial II",
                    hover_text: Some("21 - 21.999VF"),
                },
                ClassValue {
                    id: "IMPERIAL_III",
                    display: "Imperial III",
                    hover_text: Some("22 - 22.999VF"),
                },
                ClassValue {
                    id: "IMPERIAL_IV",
                    display: "Imperial IV",
                    hover_text: Some(">23VF"),
                },
            ],
            derivation: Some(ClassDerivation {
                from_profile_rating: "VF6",
                rule: ClassRule::Thresholds {
                    steps: &[
                        (23.0, "IMPERIAL_IV"),
                        (22.0, "IMPERIAL_III"),
                        (21.0, "IMPERIAL_II"),
                        (20.0, "IMPERIAL_I"),
                        (19.75, "CRIMSON_IV"),
                        (19.5, "CRIMSON_III"),
                        (19.25, "CRIMSON_II"),
                        (19.0, "CRIMSON_I"),
                        (18.75, "ELDORA_IV"),
                        (18.5, "ELDORA_III"),
                        (18.25, "ELDORA_II"),
                        (18.0, "ELDORA_I"),
                        (17.75, "ARGENTO_IV"),
                        (17.5, "ARGENTO_III"),
                        (17.25, "ARGENTO_II"),
                        (17.0, "ARGENTO_I"),
                        (16.75, "CORAL_IV"),
                        (16.5, "CORAL_III"),
                        (16.25, "CORAL_II"),
                        (16.0, "CORAL_I"),
                        (15.75, "SCARLET_IV"),
                        (15.5, "SCARLET_III"),
                        (15.25, "SCARLET_II"),
                        (15.0, "SCARLET_I"),
                        (14.75, "CYAN_IV"),
                        (14.5, "CYAN_III"),
                        (14.25, "CYAN_II"),
                        (14.0, "CYAN_I"),
                        (13.5, "DANDELION_IV"),
                        (13.0, "DANDELION_III"),
                        (12.5, "DANDELION_II"),
                        (12.0, "DANDELION_I"),
                        (11.5, "COBALT_IV"),
                        (11.0, "COBALT_III"),
                        (10.5, "COBALT_II"),
                        (10.0, "COBALT_I"),
                        (7.5, "SIENNA_IV"),
                        (5.0, "SIENNA_III"),
                        (2.5, "SIENNA_II"),
                    ],
                    otherwise: "SIENNA_I",
                },
            }),
        },
    ],
    grades: GradeConfig {
        table: "SDVXLIKE_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 7000000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 8000000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 8700000.0,
            },
            GradeBoundary {
                grade: "A+",
                lower_bound: 9000000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 9300000.0,
            },
            GradeBoundary {
                grade: "AA+",
                lower_bound: 9500000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 9700000.0,
            },
            GradeBoundary {
                grade: "AAA+",
                lower_bound: 9800000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 9900000.0,
            },
            GradeBoundary {
                grade: "PUC",
                lower_bound: 10000000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::SdvxInGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

pub(super) static BMS_14K: GptConfig = GptConfig {
    gpt: Gpt::Bms14K,
    difficulties: Difficulties::Fixed {
        order: &["CHART"],
        default: "CHART",
    },
    versions: &[],
    judgements: &["pgreat", "great", "good", "bad", "poor"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "NO PLAY",
                    "FAILED",
                    "ASSIST CLEAR",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "EX HARD CLEAR",
                    "FULL COMBO",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bp",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistory",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryEasy",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryGroove",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryHard",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "ebd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lbd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["sieglinde"],
    session_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 20,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "genocideDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "NORMAL_1",
                    display: "☆1",
                    hover_text: Some("Normal 1st Dan"),
                },
                ClassValue {
                    id: "NORMAL_2",
                    display: "☆2",
                    hover_text: Some("Normal 2nd Dan"),
                },
                ClassValue {
                    id: "NORMAL_3",
                    display: "☆3",
                    hover_text: Some("Normal 3rd Dan"),
                },
                ClassValue {
                    id: "NORMAL_4",
                    display: "☆4",
                    hover_text: Some("Normal 4th Dan"),
                },
                ClassValue {
                    id: "NORMAL_5",
                    display: "☆5",
                    hover_text: Some("Normal 5th Dan"),
                },
                ClassValue {
                    id: "NORMAL_6",
                    display: "☆6",
                    hover_text: Some("Normal 6th Dan"),
                },
                ClassValue {
                    id: "NORMAL_7",
                    display: "☆7",
                    hover_text: Some("Normal 7th Dan"),
                },
                ClassValue {
                    id: "NORMAL_8",
                    display: "☆8",
                    hover_text: Some("Normal 8th Dan"),
                },
                ClassValue {
                    id: "NORMAL_9",
                    display: "☆9",
                    hover_text: Some("Normal 9th Dan"),
                },
                ClassValue {
                    id: "NORMAL_10",
                    display: "☆10",
                    hover_text: Some("Normal 10th Dan"),
                },
                ClassValue {
                    id: "INSANE_1",
                    display: "★1",
                    hover_text: Some("Insane 1st Dan"),
                },
                ClassValue {
                    id: "INSANE_2",
                    display: "★2",
                    hover_text: Some("Insane 2nd Dan"),
                },
                ClassValue {
                    id: "INSANE_3",
                    display: "★3",
                    hover_text: Some("Insane 3rd Dan"),
                },
                ClassValue {
                    id: "INSANE_4",
                    display: "★4",
                    hover_text: Some("Insane 4th Dan"),
                },
                ClassValue {
                    id: "INSANE_5",
                    display: "★5",
                    hover_text: Some("Insane 5th Dan"),
                },
                ClassValue {
                    id: "INSANE_6",
                    display: "★6",
                    hover_text: Some("Insane 6th Dan"),
                },
                ClassValue {
                    id: "INSANE_7",
                    display: "★7",
                    hover_text: Some("Insane 7th Dan"),
                },
                ClassValue {
                    id: "INSANE_8",
                    display: "★8",
                    hover_text: Some("Insane 8th Dan"),
                },
                ClassValue {
                    id: "INSANE_9",
                    display: "★9",
                    hover_text: Some("Insane 9th Dan"),
                },
                ClassValue {
                    id: "INSANE_10",
                    display: "★10",
                    hover_text: Some("Insane 10th Dan"),
                },
                ClassValue {
                    id: "INSANE_KAIDEN",
                    display: "★★",
                    hover_text: Some("Insane Kaiden"),
                },
                ClassValue {
                    id: "OVERJOY",
                    display: "(^^)",
                    hover_text: Some("Overjoy"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "stslDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "SL0",
                    display: "sl0",
                    hover_text: Some("Satellite 0"),
                },
                ClassValue {
                    id: "SL1",
                    display: "sl1",
                    hover_text: Some("Satellite 1"),
                },
                ClassValue {
                    id: "SL2",
                    display: "sl2",
                    hover_text: Some("Satellite 2"),
                },
                ClassValue {
                    id: "SL3",
                    display: "sl3",
                    hover_text: Some("Satellite 3"),
                },
                ClassValue {
                    id: "SL4",
                    display: "sl4",
                    hover_text: Some("Satellite 4"),
                },
                ClassValue {
                    id: "SL5",
                    display: "sl5",
                    hover_text: Some("Satellite 5"),
                },
                ClassValue {
                    id: "SL6",
                    display: "sl6",
                    hover_text: Some("Satellite 6"),
                },
                ClassValue {
                    id: "SL7",
                    display: "sl7",
                    hover_text: Some("Satellite 7"),
                },
                ClassValue {
                    id: "SL8",
                    display: "sl8",
                    hover_text: Some("Satellite 8"),
                },
                ClassValue {
                    id: "SL9",
                    display: "sl9",
                    hover_text: Some("Satellite 9"),
                },
                ClassValue {
                    id: "SL10",
                    display: "sl10",
                    hover_text: Some("Satellite 10"),
                },
                ClassValue {
                    id: "SL11",
                    display: "sl11",
                    hover_text: Some("Satellite 11"),
                },
                ClassValue {
                    id: "SL12",
                    display: "sl12",
                    hover_text: Some("Satellite 12"),
                },
            ],
            derivation: None,
        },
    ],
    grades: GradeConfig {
        table: "IIDXLIKE_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 22.22222222222222,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 33.333333333333336,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 44.44444444444444,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 55.55555555555556,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 66.66666666666667,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 77.77777777777777,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 88.88888888888889,
            },
            GradeBoundary {
                grade: "MAX-",
                lower_bound: 94.44444444444444,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[MatchType::BmsChartHash, MatchType::TachiSongId],
    score_meta: &[
        MetaField {
            name: "random",
            kind: MetaFieldKind::EnumPair(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
            nullable: true,
        },
        MetaField {
            name: "inputDevice",
            kind: MetaFieldKind::Enum(&["BM_CONTROLLER", "KEYBOARD", "MIDI"]),
            nullable: true,
        },
        MetaField {
            name: "client",
            kind: MetaFieldKind::Enum(&["lr2oraja", "LR2"]),
            nullable: true,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "EX-HARD"]),
            nullable: true,
        },
    ],
};

pub(super) static BMS_7K: GptConfig = GptConfig {
    gpt: Gpt::Bms7K,
    difficulties: Difficulties::Fixed {
        order: &["CHART"],
        default: "CHART",
    },
    versions: &[],
    judgements: &["pgreat", "great", "good", "bad", "poor"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "NO PLAY",
                    "FAILED",
                    "ASSIST CLEAR",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "EX HARD CLEAR",
                    "FULL COMBO",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bp",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistory",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryEasy",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryGroove",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryHard",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "ebd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lbd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["sieglinde"],
    session_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 20,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "genocideDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "NORMAL_1",
                    display: "☆1",
                    hover_text: Some("Normal 1st Dan"),
                },
                ClassValue {
                    id: "NORMAL_2",
                    display: "☆2",
                    hover_text: Some("Normal 2nd Dan"),
                },
                ClassValue {
                    id: "NORMAL_3",
                    display: "☆3",
                    hover_text: Some("Normal 3rd Dan"),
                },
                ClassValue {
                    id: "NORMAL_4",
                    display: "☆4",
                    hover_text: Some("Normal 4th Dan"),
                },
                ClassValue {
                    id: "NORMAL_5",
                    display: "☆5",
                    hover_text: Some("Normal 5th Dan"),
                },
                ClassValue {
                    id: "NORMAL_6",
                    display: "☆6",
                    hover_text: Some("Normal 6th Dan"),
                },
                ClassValue {
                    id: "NORMAL_7",
                    display: "☆7",
                    hover_text: Some("Normal 7th Dan"),
                },
                ClassValue {
                    id: "NORMAL_8",
                    display: "☆8",
                    hover_text: Some("Normal 8th Dan"),
                },
                ClassValue {
                    id: "NORMAL_9",
                    display: "☆9",
                    hover_text: Some("Normal 9th Dan"),
                },
                ClassValue {
                    id: "NORMAL_10",
                    display: "☆10",
                    hover_text: Some("Normal 10th Dan"),
                },
                ClassValue {
                    id: "INSANE_1",
                    display: "★1",
                    hover_text: Some("Insane 1st Dan"),
                },
                ClassValue {
                    id: "INSANE_2",
                    display: "★2",
                    hover_text: Some("Insane 2nd Dan"),
                },
                ClassValue {
                    id: "INSANE_3",
                    display: "★3",
                    hover_text: Some("Insane 3rd Dan"),
                },
                ClassValue {
                    id: "INSANE_4",
                    display: "★4",
                    hover_text: Some("Insane 4th Dan"),
                },
                ClassValue {
                    id: "INSANE_5",
                    display: "★5",
                    hover_text: Some("Insane 5th Dan"),
                },
                ClassValue {
                    id: "INSANE_6",
                    display: "★6",
                    hover_text: Some("Insane 6th Dan"),
                },
                ClassValue {
                    id: "INSANE_7",
                    display: "★7",
                    hover_text: Some("Insane 7th Dan"),
                },
                ClassValue {
                    id: "INSANE_8",
                    display: "★8",
                    hover_text: Some("Insane 8th Dan"),
                },
                ClassValue {
                    id: "INSANE_9",
                    display: "★9",
                    hover_text: Some("Insane 9th Dan"),
                },
                ClassValue {
                    id: "INSANE_10",
                    display: "★10",
                    hover_text: Some("Insane 10th Dan"),
                },
                ClassValue {
                    id: "INSANE_KAIDEN",
                    display: "★★",
                    hover_text: Some("Insane Kaiden"),
                },
                ClassValue {
                    id: "OVERJOY",
                    display: "(^^)",
                    hover_text: Some("Overjoy"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "stslDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "SL0",
                    display: "sl0",
                    hover_text: Some("Satellite 0"),
                },
                ClassValue {
                    id: "SL1",
                    display: "sl1",
                    hover_text: Some("Satellite 1"),
                },
                ClassValue {
                    id: "SL2",
                    display: "sl2",
                    hover_text: Some("Satellite 2"),
                },
                ClassValue {
                    id: "SL3",
                    display: "sl3",
                    hover_text: Some("Satellite 3"),
                },
                ClassValue {
                    id: "SL4",
                    display: "sl4",
                    hover_text: Some("Satellite 4"),
                },
                ClassValue {
                    id: "SL5",
                    display: "sl5",
                    hover_text: Some("Satellite 5"),
                },
                ClassValue {
                    id: "SL6",
                    display: "sl6",
                    hover_text: Some("Satellite 6"),
                },
                ClassValue {
                    id: "SL7",
                    display: "sl7",
                    hover_text: Some("Satellite 7"),
                },
                ClassValue {
                    id: "SL8",
                    display: "sl8",
                    hover_text: Some("Satellite 8"),
                },
                ClassValue {
                    id: "SL9",
                    display: "sl9",
                    hover_text: Some("Satellite 9"),
                },
                ClassValue {
                    id: "SL10",
                    display: "sl10",
                    hover_text: Some("Satellite 10"),
                },
                ClassValue {
                    id: "SL11",
                    display: "sl11",
                    hover_text: Some("Satellite 11"),
                },
                ClassValue {
                    id: "SL12",
                    display: "sl12",
                    hover_text: Some("Satellite 12"),
                },
                ClassValue {
                    id: "ST0",
                    display: "st0",
                    hover_text: Some("Stella 0"),
                },
                ClassValue {
                    id: "ST1",
                    display: "st1",
                    hover_text: Some("Stella 1"),
                },
                ClassValue {
                    id: "ST2",
                    display: "st2",
                    hover_text: Some("Stella 2"),
                },
                ClassValue {
                    id: "ST3",
                    display: "st3",
                    hover_text: Some("Stella 3"),
                },
                ClassValue {
                    id: "ST4",
                    display: "st4",
                    hover_text: Some("Stella 4"),
                },
                ClassValue {
                    id: "ST5",
                    display: "st5",
                    hover_text: Some("Stella 5"),
                },
                ClassValue {
                    id: "ST6",
                    display: "st6",
                    hover_text: Some("Stella 6"),
                },
                ClassValue {
                    id: "ST7",
                    display: "st7",
                    hover_text: Some("Stella 7"),
                },
                ClassValue {
                    id: "ST8",
                    display: "st8",
                    hover_text: Some("Stella 8"),
                },
                ClassValue {
                    id: "ST9",
                    display: "st9",
                    hover_text: Some("Stella 9"),
                },
                ClassValue {
                    id: "ST10",
                    display: "st10",
                    hover_text: Some("Stella 10"),
                },
                ClassValue {
                    id: "ST11",
                    display: "st11",
                    hover_text: Some("Stella 11"),
                },
                ClassValue {
                    id: "ST12",
                    display: "st12",
                    hover_text: Some("Stella 12"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "newGenerationDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "NORMAL_1",
                    display: "▽1",
                    hover_text: Some("Normal 1st Dan"),
                },
                ClassValue {
                    id: "NORMAL_2",
                    display: "▽2",
                    hover_text: Some("Normal 2nd Dan"),
                },
                ClassValue {
                    id: "NORMAL_3",
                    display: "▽3",
                    hover_text: Some("Normal 3rd Dan"),
                },
                ClassValue {
                    id: "NORMAL_4",
                    display: "▽4",
                    hover_text: Some("Normal 4th Dan"),
                },
                ClassValue {
                    id: "NORMAL_5",
                    display: "▽5",
                    hover_text: Some("Normal 5th Dan"),
                },
                ClassValue {
                    id: "NORMAL_6",
                    display: "▽6",
                    hover_text: Some("Normal 6th Dan"),
                },
                ClassValue {
                    id: "NORMAL_7",
                    display: "▽7",
                    hover_text: Some("Normal 7th Dan"),
                },
                ClassValue {
                    id: "NORMAL_8",
                    display: "▽8",
                    hover_text: Some("Normal 8th Dan"),
                },
                ClassValue {
                    id: "NORMAL_9",
                    display: "▽9",
                    hover_text: Some("Normal 9th Dan"),
                },
                ClassValue {
                    id: "NORMAL_10",
                    display: "▽10",
                    hover_text: Some("Normal 10th Dan"),
                },
                ClassValue {
                    id: "INSANE_0",
                    display: "▼0",
                    hover_text: Some("Insane 0th Dan"),
                },
                ClassValue {
                    id: "INSANE_1",
                    display: "▼1",
                    hover_text: Some("Insane 1st Dan"),
                },
                ClassValue {
                    id: "INSANE_2",
                    display: "▼2",
                    hover_text: Some("Insane 2nd Dan"),
                },
                ClassValue {
                    id: "INSANE_3",
                    display: "▼3",
                    hover_text: Some("Insane 3rd Dan"),
                },
                ClassValue {
                    id: "INSANE_4",
                    display: "▼4",
                    hover_text: Some("Insane 4th Dan"),
                },
                ClassValue {
                    id: "INSANE_5",
                    display: "▼5",
                    hover_text: Some("Insane 5th Dan"),
                },
                ClassValue {
                    id: "INSANE_6",
                    display: "▼6",
                    hover_text: Some("Insane 6th Dan"),
                },
                ClassValue {
                    id: "INSANE_7",
                    display: "▼7",
                    hover_text: Some("Insane 7th Dan"),
                },
                ClassValue {
                    id: "INSANE_8",
                    display: "▼8",
                    hover_text: Some("Insane 8th Dan"),
                },
                ClassValue {
                    id: "INSANE_9",
                    display: "▼9",
                    hover_text: Some("Insane 9th Dan"),
                },
                ClassValue {
                    id: "INSANE_10",
                    display: "▼10",
                    hover_text: Some("Insane 10th Dan"),
                },
                ClassValue {
                    id: "INSANE_KAIDEN",
                    display: "▼皆伝",
                    hover_text: Some("Insane Kaiden"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "lnDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "DAN_1",
                    display: "◆1",
                    hover_text: Some("LN 1st Dan"),
                },
                ClassValue {
                    id: "DAN_2",
                    display: "◆2",
                    hover_text: Some("LN 2nd Dan"),
                },
                ClassValue {
                    id: "DAN_3",
                    display: "◆3",
                    hover_text: Some("LN 3rd Dan"),
                },
                ClassValue {
                    id: "DAN_4",
                    display: "◆4",
                    hover_text: Some("LN 4th Dan"),
                },
                ClassValue {
                    id: "DAN_5",
                    display: "◆5",
                    hover_text: Some("LN 5th Dan"),
                },
                ClassValue {
                    id: "DAN_6",
                    display: "◆6",
                    hover_text: Some("LN 6th Dan"),
                },
                ClassValue {
                    id: "DAN_7",
                    display: "◆7",
                    hover_text: Some("LN 7th Dan"),
                },
                ClassValue {
                    id: "DAN_8",
                    display: "◆8",
                    hover_text: Some("LN 8th Dan"),
                },
                ClassValue {
                    id: "DAN_9",
                    display: "◆9",
                    hover_text: Some("LN 9th Dan"),
                },
                ClassValue {
                    id: "DAN_10",
                    display: "◆10",
                    hover_text: Some("LN 10th Dan"),
                },
                ClassValue {
                    id: "KAIDEN",
                    display: "◆◆",
                    hover_text: Some("LN Kaiden"),
                },
                ClassValue {
                    id: "OVERJOY",
                    display: "◆(^^)",
                    hover_text: Some("LN Overjoy"),
                },
                ClassValue {
                    id: "UDON",
                    display: "◆うどん",
                    hover_text: Some("LN Udon"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "scratchDan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "KYU_7",
                    display: "七級",
                    hover_text: Some("Scratch 7th Kyu"),
                },
                ClassValue {
                    id: "KYU_6",
                    display: "六級",
                    hover_text: Some("Scratch 6th Kyu"),
                },
                ClassValue {
                    id: "KYU_5",
                    display: "五級",
                    hover_text: Some("Scratch 5th Kyu"),
                },
                ClassValue {
                    id: "KYU_4",
                    display: "四級",
                    hover_text: Some("Scratch 4th Kyu"),
                },
                ClassValue {
                    id: "KYU_3",
                    display: "三級",
                    hover_text: Some("Scratch 3rd Kyu"),
                },
                ClassValue {
                    id: "KYU_2",
                    display: "二級",
                    hover_text: Some("Scratch 2nd Kyu"),
                },
                ClassValue {
                    id: "KYU_1",
                    display: "一級",
                    hover_text: Some("Scratch 1st Kyu"),
                },
                ClassValue {
                    id: "DAN_1",
                    display: "初段",
                    hover_text: Some("Scratch 1st Dan"),
                },
                ClassValue {
                    id: "DAN_2",
                    display: "二段",
                    hover_text: Some("Scratch 2nd Dan"),
                },
                ClassValue {
                    id: "DAN_3",
                    display: "三段",
                    hover_text: Some("Scratch 3rd Dan"),
                },
                ClassValue {
                    id: "DAN_4",
                    display: "四段",
                    hover_text: Some("Scratch 4th Dan"),
                },
                ClassValue {
                    id: "DAN_5",
                    display: "五段",
                    hover_text: Some("Scratch 5th Dan"),
                },
                ClassValue {
                    id: "DAN_6",
                    display: "六段",
                    hover_text: Some("Scratch 6th Dan"),
                },
                ClassValue {
                    id: "DAN_7",
                    display: "七段",
                    hover_text: Some("Scratch 7th Dan"),
                },
                ClassValue {
                    id: "DAN_8",
                    display: "八段",
                    hover_text: Some("Scratch 8th Dan"),
                },
                ClassValue {
                    id: "DAN_9",
                    display: "九段",
                    hover_text: Some("Scratch 9th Dan"),
                },
                ClassValue {
                    id: "DAN_10",
                    display: "十段",
                    hover_text: Some("Scratch 10th Dan"),
                },
                ClassValue {
                    id: "KAIDEN",
                    display: "皆伝",
                    hover_text: Some("Scratch Kaiden"),
                },
            ],
            derivation: None,
        },
    ],
    grades: GradeConfig {
        table: "IIDXLIKE_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 22.22222222222222,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 33.333333333333336,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 44.44444444444444,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 55.55555555555556,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 66.66666666666667,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 77.77777777777777,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 88.88888888888889,
            },
            GradeBoundary {
                grade: "MAX-",
                lower_bound: 94.44444444444444,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[MatchType::BmsChartHash, MatchType::TachiSongId],
    score_meta: &[
        MetaField {
            name: "random",
            kind: MetaFieldKind::Enum(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
            nullable: true,
        },
        MetaField {
            name: "inputDevice",
            kind: MetaFieldKind::Enum(&["BM_CONTROLLER", "KEYBOARD", "MIDI"]),
            nullable: true,
        },
        MetaField {
            name: "client",
            kind: MetaFieldKind::Enum(&["lr2oraja", "LR2"]),
            nullable: true,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "EX-HARD"]),
            nullable: true,
        },
    ],
};

pub(super) static GITADORA_DORA: GptConfig = GptConfig {
    gpt: Gpt::GitadoraDora,
    difficulties: Difficulties::Fixed {
        order: &["BASIC", "ADVANCED", "EXTREME", "MASTER"],
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
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &["FAILED", "CLEAR", "FULL COMBO", "EXCELLENT"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &["C", "B", "A", "S", "SS", "MAX"],
            minimum_relevant: Some("A"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["skill"],
    session_rating_algs: &[RatingAlgConfig {
        name: "skill",
        aggregation: Aggregation::AverageOfBestN {
            source: "skill",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveSkill",
        aggregation: Aggregation::SumOfBestN {
            source: "skill",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[ClassConfig {
        name: "colour",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "WHITE",
                display: "白",
                hover_text: Some("White"),
            },
            ClassValue {
                id: "ORANGE",
                display: "橙",
                hover_text: Some("Orange"),
            },
            ClassValue {
                id: "ORANGE_GRD",
                display: "橙グラ",
                hover_text: Some("Orange Gradient"),
            },
            ClassValue {
                id: "YELLOW",
                display: "黄",
                hover_text: Some("Yellow"),
            },
            ClassValue {
                id: "YELLOW_GRD",
                display: "黄グラ",
                hover_text: Some("Yellow Gradient"),
            },
            ClassValue {
                id: "GREEN",
                display: "緑",
                hover_text: Some("Green"),
            },
            ClassValue {
                id: "GREEN_GRD",
                display: "緑グラ",
                hover_text: Some("Green Gradient"),
            },
            ClassValue {
                id: "BLUE",
                display: "青",
                hover_text: Some("Blue"),
            },
            ClassValue {
                id: "BLUE_GRD",
                display: "青グラ",
                hover_text: Some("Blue Gradient"),
            },
            ClassValue {
                id: "PURPLE",
                display: "紫",
                hover_text: Some("Purple"),
            },
            ClassValue {
                id: "PURPLE_GRD",
                display: "紫グラ",
                hover_text: Some("Purple Gradient"),
            },
            ClassValue {
                id: "RED",
                display: "赤",
                hover_text: Some("Red"),
            },
            ClassValue {
                id: "RED_GRD",
                display: "赤グラ",
                hover_text: Some("Red Gradient"),
            },
            ClassValue {
                id: "BRONZE",
                display: "銅",
                hover_text: Some("Bronze"),
            },
            ClassValue {
                id: "SILVER",
                display: "銀",
                hover_text: Some("Silver"),
            },
            ClassValue {
                id: "GOLD",
                display: "金",
                hover_text: Some("Gold"),
            },
            ClassValue {
                id: "RAINBOW",
                display: "虹",
                hover_text: Some("Rainbow"),
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "naiveSkill",
            rule: ClassRule::Thresholds {
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
        }),
    }],
    grades: GradeConfig {
        table: "GITADORA_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "C",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 63.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 73.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 80.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 95.0,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

pub(super) static GITADORA_GITA: GptConfig = GptConfig {
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
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &["FAILED", "CLEAR", "FULL COMBO", "EXCELLENT"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &["C", "B", "A", "S", "SS", "MAX"],
            minimum_relevant: Some("A"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["skill"],
    session_rating_algs: &[RatingAlgConfig {
        name: "skill",
        aggregation: Aggregation::AverageOfBestN {
            source: "skill",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveSkill",
        aggregation: Aggregation::SumOfBestN {
            source: "skill",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[ClassConfig {
        name: "colour",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "WHITE",
                display: "白",
                hover_text: Some("White"),
            },
            ClassValue {
                id: "ORANGE",
                display: "橙",
                hover_text: Some("Orange"),
            },
            ClassValue {
                id: "ORANGE_GRD",
                display: "橙グラ",
                hover_text: Some("Orange Gradient"),
            },
            ClassValue {
                id: "YELLOW",
                display: "黄",
                hover_text: Some("Yellow"),
            },
            ClassValue {
                id: "YELLOW_GRD",
                display: "黄グラ",
                hover_text: Some("Yellow Gradient"),
            },
            ClassValue {
                id: "GREEN",
                display: "緑",
                hover_text: Some("Green"),
            },
            ClassValue {
                id: "GREEN_GRD",
                display: "緑グラ",
                hover_text: Some("Green Gradient"),
            },
            ClassValue {
                id: "BLUE",
                display: "青",
                hover_text: Some("Blue"),
            },
            ClassValue {
                id: "BLUE_GRD",
                display: "青グラ",
                hover_text: Some("Blue Gradient"),
            },
            ClassValue {
                id: "PURPLE",
                display: "紫",
                hover_text: Some("Purple"),
            },
            ClassValue {
                id: "PURPLE_GRD",
                display: "紫グラ",
                hover_text: Some("Purple Gradient"),
            },
            ClassValue {
                id: "RED",
                display: "赤",
                hover_text: Some("Red"),
            },
            ClassValue {
                id: "RED_GRD",
                display: "赤グラ",
                hover_text: Some("Red Gradient"),
            },
            ClassValue {
                id: "BRONZE",
                display: "銅",
                hover_text: Some("Bronze"),
            },
            ClassValue {
                id: "SILVER",
                display: "銀",
                hover_text: Some("Silver"),
            },
            ClassValue {
                id: "GOLD",
                display: "金",
                hover_text: Some("Gold"),
            },
            ClassValue {
                id: "RAINBOW",
                display: "虹",
                hover_text: Some("Rainbow"),
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "naiveSkill",
            rule: ClassRule::Thresholds {
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
        }),
    }],
    grades: GradeConfig {
        table: "GITADORA_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "C",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 63.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 73.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 80.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 95.0,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

pub(super) static CHUNITHM_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::ChunithmSingle,
    difficulties: Difficulties::Fixed {
        order: &["BASIC", "ADVANCED", "EXPERT", "MASTER", "ULTIMA"],
        default: "MASTER",
    },
    versions: &[
        ("paradiselost", "PARADISE LOST"),
        ("new", "NEW"),
        ("newplus", "NEW PLUS"),
        ("sun", "SUN"),
        ("sun-intl", "SUN International"),
        ("sun-omni", "SUN Omnimix"),
        ("sunplus", "SUN PLUS"),
        ("sunplus-intl", "SUN PLUS International"),
        ("sunplus-omni", "SUN PLUS Omnimix"),
        ("luminous", "LUMINOUS"),
        ("luminous-intl", "LUMINOUS International"),
        ("luminous-omni", "LUMINOUS Omnimix"),
        ("luminousplus", "LUMINOUS PLUS"),
        ("luminousplus-intl", "LUMINOUS PLUS International"),
        ("luminousplus-omni", "LUMINOUS PLUS Omnimix"),
        ("verse", "VERSE"),
        ("verse-intl", "VERSE International"),
        ("verse-omni", "VERSE Omnimix"),
    ],
    judgements: &["jcrit", "justice", "attack", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1010000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "noteLamp",
            kind: MetricKind::Enum {
                values: &["NONE", "FULL COMBO", "ALL JUSTICE", "ALL JUSTICE CRITICAL"],
                minimum_relevant: Some("FULL COMBO"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "clearLamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "HARD",
                    "BRAVE",
                    "ABSOLUTE",
                    "CATASTROPHY",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "D", "C", "B", "BB", "BBB", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+",
            ],
            minimum_relevant: Some("A"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "scoreGraph",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(1010000.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lifeGraph",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(999.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["rating"],
    session_rating_algs: &[RatingAlgConfig {
        name: "naiveRating",
        aggregation: Aggregation::AverageOfBestN {
            source: "rating",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveRating",
        aggregation: Aggregation::AverageOfBestN {
            source: "rating",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: Some(100.0),
            post_multiply: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "colour",
            kind: ClassKind::Derived,
            values: &[
                ClassValue {
                    id: "BLUE",
                    display: "青",
                    hover_text: Some("Blue: 0 - 1.99 Rating"),
                },
                ClassValue {
                    id: "GREEN",
                    display: "緑",
                    hover_text: Some("Green: 2 - 3.99 Rating"),
                },
                ClassValue {
                    id: "ORANGE",
                    display: "橙",
                    hover_text: Some("Orange: 4 - 6.99 Rating"),
                },
                ClassValue {
                    id: "RED",
                    display: "赤",
                    hover_text: Some("Red: 7 - 9.99 Rating"),
                },
                ClassValue {
                    id: "PURPLE",
                    display: "紫",
                    hover_text: Some("Purple: 10 - 11.99 Rating"),
                },
                ClassValue {
                    id: "COPPER",
                    display: "銅",
                    hover_text: Some("Copper: 12 - 13.24 Rating"),
                },
                ClassValue {
                    id: "SILVER",
                    display: "銀",
                    hover_text: Some("Silver: 13.25 - 14.49 Rating"),
                },
                ClassValue {
                    id: "GOLD",
                    display: "金",
                    hover_text: Some("Gold: 14.50 - 15.24 Rating"),
                },
                ClassValue {
                    id: "PLATINUM",
                    display: "鉑",
                    hover_text: Some("Platinum: 15.25 - 15.99 Rating"),
                },
                ClassValue {
                    id: "RAINBOW",
                    display: "虹★",
                    hover_text: Some("Rainbow I: >=16 Rating"),
                },
                ClassValue {
                    id: "RAINBOW_II",
                    display: "虹★★",
                    hover_text: Some("Rainbow II: >=16.25 Rating"),
                },
                ClassValue {
                    id: "RAINBOW_III",
                    display: "虹★★★",
                    hover_text: Some("Rainbow III: >=16.5 Rating"),
                },
                ClassValue {
                    id: "RAINBOW_IV",
                    display: "虹★★★★",
                    hover_text: Some("Rainbow IV: >=16.75 Rating"),
                },
                ClassValue {
                    id: "RAINBOW_EX_I",
                    display: "虹(極)★",
                    hover_text: Some("Rainbow Extreme I: >=17 Rating"),
                },
                ClassValue {
                    id: "RAINBOW_EX_II",
                    display: "虹(極)★★",
                    hover_text: Some("Rainbow Extreme II: >=17.25 Rating"),
                },
                ClassValue {
                    id: "RAINBOW_EX_III",
                    display: "虹(極)★★★",
                    hover_text: Some("Rainbow Extreme III: >=17.5 Rating"),
                },
            ],
            derivation: Some(ClassDerivation {
                from_profile_rating: "naiveRating",
                rule: ClassRule::Thresholds {
                    steps: &[
                        (17.5, "RAINBOW_EX_III"),
                        (17.25, "RAINBOW_EX_II"),
                        (17.0, "RAINBOW_EX_I"),
                        (16.75, "RAINBOW_IV"),
                        (16.5, "RAINBOW_III"),
                        (16.25, "RAINBOW_II"),
                        (16.0, "RAINBOW"),
                        (15.25, "PLATINUM"),
                        (14.5, "GOLD"),
                        (13.25, "SILVER"),
                        (12.0, "COPPER"),
                        (10.0, "PURPLE"),
                        (7.0, "RED"),
                        (4.0, "ORANGE"),
                        (2.0, "GREEN"),
                    ],
                    otherwise: "BLUE",
                },
            }),
        },
        ClassConfig {
            name: "dan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "DAN_I",
                    display: "I",
                    hover_text: Some("Class I"),
                },
                ClassValue {
                    id: "DAN_II",
                    display: "II",
                    hover_text: Some("Class II"),
                },
                ClassValue {
                    id: "DAN_III",
                    display: "III",
                    hover_text: Some("Class III"),
                },
                ClassValue {
                    id: "DAN_IV",
                    display: "IV",
                    hover_text: Some("Class IV"),
                },
                ClassValue {
                    id: "DAN_V",
                    display: "V",
                    hover_text: Some("Class V"),
                },
                ClassValue {
                    id: "DAN_INFINITE",
                    display: "∞",
                    hover_text: Some("Infinite Class"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "emblem",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "DAN_I",
                    display: "I",
                    hover_text: Some("Class I"),
                },
                ClassValue {
                    id: "DAN_II",
                    display: "II",
                    hover_text: Some("Class II"),
                },
                ClassValue {
                    id: "DAN_III",
                    display: "III",
                    hover_text: Some("Class III"),
                },
                ClassValue {
                    id: "DAN_IV",
                    display: "IV",
                    hover_text: Some("Class IV"),
                },
                ClassValue {
                    id: "DAN_V",
                    display: "V",
                    hover_text: Some("Class V"),
                },
                ClassValue {
                    id: "DAN_INFINITE",
                    display: "∞",
                    hover_text: Some("Infinite Class"),
                },
            ],
            derivation: None,
        },
    ],
    grades: GradeConfig {
        table: "CHUNITHM_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 500000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 600000.0,
            },
            GradeBoundary {
                grade: "BB",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "BBB",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 925000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 950000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 975000.0,
            },
            GradeBoundary {
                grade: "S+",
                lower_bound: 990000.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 1000000.0,
            },
            GradeBoundary {
                grade: "SS+",
                lower_bound: 1005000.0,
            },
            GradeBoundary {
                grade: "SSS",
                lower_bound: 1007500.0,
            },
            GradeBoundary {
                grade: "SSS+",
                lower_bound: 1009000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

pub(super) static WACCA_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::WaccaSingle,
    difficulties: Difficulties::Fixed {
        order: &["NORMAL", "HARD", "EXPERT", "INFERNO"],
        default: "EXPERT",
    },
    versions: &[("reverse", "REVERSE"), ("plus", "PLUS")],
    judgements: &["marvelous", "great", "good", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &["FAILED", "CLEAR", "MISSLESS", "FULL COMBO", "ALL MARVELOUS"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "D", "C", "B", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+", "MASTER",
            ],
            minimum_relevant: Some("S"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["rate"],
    session_rating_algs: &[RatingAlgConfig {
        name: "rate",
        aggregation: Aggregation::AverageOfBestN {
            source: "rate",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveRate",
        aggregation: Aggregation::SumOfBestN {
            source: "rate",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "stageUp",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "I",
                    display: "I",
                    hover_text: None,
                },
                ClassValue {
                    id: "II",
                    display: "II",
                    hover_text: None,
                },
                ClassValue {
                    id: "III",
                    display: "III",
                    hover_text: None,
                },
                ClassValue {
                    id: "IV",
                    display: "IV",
                    hover_text: None,
                },
                ClassValue {
                    id: "V",
                    display: "V",
                    hover_text: None,
                },
                ClassValue {
                    id: "VI",
                    display: "VI",
                    hover_text: None,
                },
                ClassValue {
                    id: "VII",
                    display: "VII",
                    hover_text: None,
                },
                ClassValue {
                    id: "VIII",
                    display: "VIII",
                    hover_text: None,
                },
                ClassValue {
                    id: "IX",
                    display: "IX",
                    hover_text: None,
                },
                ClassValue {
                    id: "X",
                    display: "X",
                    hover_text: None,
                },
                ClassValue {
                    id: "XI",
                    display: "XI",
                    hover_text: None,
                },
                ClassValue {
                    id: "XII",
                    display: "XII",
                    hover_text: None,
                },
                ClassValue {
                    id: "XIII",
                    display: "XIII",
                    hover_text: None,
                },
                ClassValue {
                    id: "XIV",
                    display: "XIV",
                    hover_text: None,
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "colour",
            kind: ClassKind::Derived,
            values: &[
                ClassValue {
                    id: "ASH",
                    display: "Ash",
                    hover_text: None,
                },
                ClassValue {
                    id: "NAVY",
                    display: "Navy",
                    hover_text: None,
                },
                ClassValue {
                    id: "YELLOW",
                    display: "Yellow",
                    hover_text: None,
                },
                ClassValue {
                    id: "RED",
                    display: "Red",
                    hover_text: None,
                },
                ClassValue {
                    id: "PURPLE",
                    display: "Purple",
                    hover_text: None,
                },
                ClassValue {
                    id: "BLUE",
                    display: "Blue",
                    hover_text: None,
                },
                ClassValue {
                    id: "SILVER",
                    display: "Silver",
                    hover_text: None,
                },
                ClassValue {
                    id: "GOLD",
                    display: "Gold",
                    hover_text: None,
                },
                ClassValue {
                    id: "RAINBOW",
                    display: "Rainbow",
                    hover_text: None,
                },
            ],
            derivation: Some(ClassDerivation {
                from_profile_rating: "naiveRate",
                rule: ClassRule::Thresholds {
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
            }),
        },
    ],
    grades: GradeConfig {
        table: "WACCA_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 1.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 300100.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 850000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "S+",
                lower_bound: 930000.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 950000.0,
            },
            GradeBoundary {
                grade: "SS+",
                lower_bound: 970000.0,
            },
            GradeBoundary {
                grade: "SSS",
                lower_bound: 980000.0,
            },
            GradeBoundary {
                grade: "SSS+",
                lower_bound: 990000.0,
            },
            GradeBoundary {
                grade: "MASTER",
                lower_bound: 1000000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[MetaField {
        name: "mirror",
        kind: MetaFieldKind::Boolean,
        nullable: false,
    }],
};

pub(super) static JUBEAT_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::JubeatSingle,
    difficulties: Difficulties::Fixed {
        order: &["BSC", "ADV", "EXT", "HARD BSC", "HARD ADV", "HARD EXT"],
        default: "EXT",
    },
    versions: &[
        ("jubeat", "jubeat"),
        ("ripples", "ripples"),
        ("knit", "knit"),
        ("copious", "copious"),
        ("saucer", "saucer"),
        ("prop", "prop"),
        ("qubell", "Qubell"),
        ("clan", "clan"),
        ("festo", "festo"),
        ("festo-omni", "festo Omnimix"),
        ("ave", "Ave."),
    ],
    judgements: &["perfect", "great", "good", "poor", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "musicRate",
            kind: MetricKind::Decimal {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &["FAILED", "CLEAR", "FULL COMBO", "EXCELLENT"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &["E", "D", "C", "B", "A", "S", "SS", "SSS", "EXC"],
            minimum_relevant: Some("A"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "musicBar",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(3.0),
                integer: true,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "musicRate",
    preferred_default_enum: "grade",
    score_rating_algs: &["jubility"],
    session_rating_algs: &[RatingAlgConfig {
        name: "jubility",
        aggregation: Aggregation::AverageOfBestN {
            source: "jubility",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[
        RatingAlgConfig {
            name: "jubility",
            aggregation: Aggregation::Custom,
        },
        RatingAlgConfig {
            name: "naiveJubility",
            aggregation: Aggregation::SumOfBestN {
                source: "jubility",
                n: 60,
                null_if_fewer_than_n: false,
                multiplier: None,
            },
        },
    ],
    classes: &[ClassConfig {
        name: "colour",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "BLACK",
                display: "Black",
                hover_text: None,
            },
            ClassValue {
                id: "YELLOW_GREEN",
                display: "Yellow-Green",
                hover_text: None,
            },
            ClassValue {
                id: "GREEN",
                display: "Green",
                hover_text: None,
            },
            ClassValue {
                id: "LIGHT_BLUE",
                display: "Light Blue",
                hover_text: None,
            },
            ClassValue {
                id: "BLUE",
                display: "Blue",
                hover_text: None,
            },
            ClassValue {
                id: "VIOLET",
                display: "Violet",
                hover_text: None,
            },
            ClassValue {
                id: "PURPLE",
                display: "Purple",
                hover_text: None,
            },
            ClassValue {
                id: "PINK",
                display: "Pink",
                hover_text: None,
            },
            ClassValue {
                id: "ORANGE",
                display: "Orange",
                hover_text: None,
            },
            ClassValue {
                id: "GOLD",
                display: "Gold",
                hover_text: None,
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "jubility",
            rule: ClassRule::Thresholds {
                steps: &[
                    (9500.0, "GOLD"),
                    (8500.0, "ORANGE"),
                    (7000.0, "PINK"),
                    (5500.0, "PURPLE"),
                    (4000.0, "VIOLET"),
                    (2500.0, "BLUE"),
                    (1500.0, "LIGHT_BLUE"),
                    (750.0, "GREEN"),
                    (250.0, "YELLOW_GREEN"),
                ],
                otherwise: "BLACK",
            },
        }),
    }],
    grades: GradeConfig {
        table: "JUBEAT_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "E",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 500000.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 850000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 950000.0,
            },
            GradeBoundary {
                grade: "SSS",
                lower_bound: 980000.0,
            },
            GradeBoundary {
                grade: "EXC",
                lower_bound: 1000000.0,
            },
        ],
    },
    supported_match_types: &[MatchType::InGameId, MatchType::TachiSongId],
    score_meta: &[],
};

pub(super) static POPN_9B: GptConfig = GptConfig {
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
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(100000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "clearMedal",
            kind: MetricKind::Enum {
                values: &[
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
                minimum_relevant: Some("clearCircle"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &["FAILED", "EASY CLEAR", "CLEAR", "FULL COMBO", "PERFECT"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["E", "D", "C", "B", "A", "AA", "AAA", "S"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "lamp",
    score_rating_algs: &["classPoints"],
    session_rating_algs: &[RatingAlgConfig {
        name: "classPoints",
        aggregation: Aggregation::AverageOfBestN {
            source: "classPoints",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveClassPoints",
        aggregation: Aggregation::AverageOfBestN {
            source: "classPoints",
            n: 20,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[ClassConfig {
        name: "class",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "KITTY",
                display: "にゃんこ",
                hover_text: Some("Kitty"),
            },
            ClassValue {
                id: "STUDENT",
                display: "小学生",
                hover_text: Some("Grade School Student"),
            },
            ClassValue {
                id: "DELINQUENT",
                display: "番長",
                hover_text: Some("Delinquent"),
            },
            ClassValue {
                id: "DETECTIVE",
                display: "刑事",
                hover_text: Some("Detective"),
            },
            ClassValue {
                id: "IDOL",
                display: "アイドル",
                hover_text: Some("Idol"),
            },
            ClassValue {
                id: "GENERAL",
                display: "将軍",
                hover_text: Some("General"),
            },
            ClassValue {
                id: "HERMIT",
                display: "仙人",
                hover_text: Some("Hermit"),
            },
            ClassValue {
                id: "GOD",
                display: "神",
                hover_text: Some("God"),
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "naiveClassPoints",
            rule: ClassRule::UpperBounds {
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
        }),
    }],
    grades: GradeConfig {
        table: "POPN_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "E",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 50000.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 62000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 72000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 82000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 90000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 95000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 98000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::TachiSongId,
        MatchType::PopnChartHash,
    ],
    score_meta: &[
        MetaField {
            name: "hiSpeed",
            kind: MetaFieldKind::Number,
            nullable: true,
        },
        MetaField {
            name: "hidden",
            kind: MetaFieldKind::Number,
            nullable: true,
        },
        MetaField {
            name: "sudden",
            kind: MetaFieldKind::Number,
            nullable: true,
        },
        MetaField {
            name: "random",
            kind: MetaFieldKind::Enum(&["MIRROR", "NONRAN", "RANDOM", "S-RANDOM"]),
            nullable: true,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "DANGER"]),
            nullable: true,
        },
    ],
};

pub(super) static MAIMAI_SINGLE: GptConfig = GptConfig {
    gpt: Gpt::MaimaiSingle,
    difficulties: Difficulties::Fixed {
        order: &["Easy", "Basic", "Advanced", "Expert", "Master", "Re:Master"],
        default: "Master",
    },
    versions: &[("finale", "FiNALE")],
    judgements: &["perfect", "great", "good", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "FULL COMBO",
                    "ALL PERFECT",
                    "ALL PERFECT+",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "F", "E", "D", "C", "B", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+",
            ],
            minimum_relevant: Some("A"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["rate"],
    session_rating_algs: &[RatingAlgConfig {
        name: "rate",
        aggregation: Aggregation::AverageOfBestN {
            source: "rate",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveRate",
        aggregation: Aggregation::AverageOfBestN {
            source: "rate",
            n: 30,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "colour",
            kind: ClassKind::Derived,
            values: &[
                ClassValue {
                    id: "WHITE",
                    display: "White",
                    hover_text: Some("0 - 1.99 Rating"),
                },
                ClassValue {
                    id: "BLUE",
                    display: "Blue",
                    hover_text: Some("2 - 3.99 Rating"),
                },
                ClassValue {
                    id: "GREEN",
                    display: "Green",
                    hover_text: Some("4 - 6.99 Rating"),
                },
                ClassValue {
                    id: "YELLOW",
                    display: "Yellow",
                    hover_text: Some("7 - 9.99 Rating"),
                },
                ClassValue {
                    id: "RED",
                    display: "Red",
                    hover_text: Some("10 - 11.99 Rating"),
                },
                ClassValue {
                    id: "PURPLE",
                    display: "Purple",
                    hover_text: Some("12 - 12.99 Rating"),
                },
                ClassValue {
                    id: "BRONZE",
                    display: "Bronze",
                    hover_text: Some("13 - 13.99 Rating"),
                },
                ClassValue {
                    id: "SILVER",
                    display: "Silver",
                    hover_text: Some("14 - 14.49 Rating"),
                },
                ClassValue {
                    id: "GOLD",
                    display: "Gold",
                    hover_text: Some("14.5 - 14.99 Rating"),
                },
                ClassValue {
                    id: "RAINBOW",
                    display: "Rainbow",
                    hover_text: Some(">=15 Rating"),
                },
            ],
            derivation: Some(ClassDerivation {
                from_profile_rating: "naiveRate",
                rule: ClassRule::Thresholds {
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
            }),
        },
        ClassConfig {
            name: "dan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "DAN_1",
                    display: "初段",
                    hover_text: Some("1st Dan"),
                },
                ClassValue {
                    id: "DAN_2",
                    display: "二段",
                    hover_text: Some("2nd Dan"),
                },
                ClassValue {
                    id: "DAN_3",
                    display: "三段",
                    hover_text: Some("3rd Dan"),
                },
                ClassValue {
                    id: "DAN_4",
                    display: "四段",
                    hover_text: Some("4th Dan"),
                },
                ClassValue {
                    id: "DAN_5",
                    display: "五段",
                    hover_text: Some("5th Dan"),
                },
                ClassValue {
                    id: "DAN_6",
                    display: "六段",
                    hover_text: Some("6th Dan"),
                },
                ClassValue {
                    id: "DAN_7",
                    display: "七段",
                    hover_text: Some("7th Dan"),
                },
                ClassValue {
                    id: "DAN_8",
                    display: "八段",
                    hover_text: Some("8th Dan"),
                },
                ClassValue {
                    id: "DAN_9",
                    display: "九段",
                    hover_text: Some("9th Dan"),
                },
                ClassValue {
                    id: "DAN_10",
                    display: "十段",
                    hover_text: Some("10th Dan"),
                },
                ClassValue {
                    id: "KAIDEN",
                    display: "皆伝",
                    hover_text: Some("Kaiden"),
                },
                ClassValue {
                    id: "SHINDAN_1",
                    display: "真初段",
                    hover_text: Some("1st Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_2",
                    display: "真二段",
                    hover_text: Some("2nd Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_3",
                    display: "真三段",
                    hover_text: Some("3rd Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_4",
                    display: "真四段",
                    hover_text: Some("4th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_5",
                    display: "真五段",
                    hover_text: Some("5th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_6",
                    display: "真六段",
                    hover_text: Some("6th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_7",
                    display: "真七段",
                    hover_text: Some("7th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_8",
                    display: "真八段",
                    hover_text: Some("8th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_9",
                    display: "真九段",
                    hover_text: Some("9th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_10",
                    display: "真十段",
                    hover_text: Some("10th Shindan"),
                },
                ClassValue {
                    id: "SHINKAIDEN",
                    display: "真皆伝",
                    hover_text: Some("Shinkaiden"),
                },
            ],
            derivation: None,
        },
    ],
    grades: GradeConfig {
        table: "MAIMAI_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 10.0,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 20.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 40.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 60.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 80.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 90.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 94.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 97.0,
            },
            GradeBoundary {
                grade: "S+",
                lower_bound: 98.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 99.0,
            },
            GradeBoundary {
                grade: "SS+",
                lower_bound: 99.5,
            },
            GradeBoundary {
                grade: "SSS",
                lower_bound: 100.0,
            },
            GradeBoundary {
                grade: "SSS+",
                lower_bound: 104.0,
            },
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

pub(super) static MAIMAIDX_SINGLE: GptConfig = GptConfig {
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
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(101.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "FULL COMBO",
                    "FULL COMBO+",
                    "ALL PERFECT",
                    "ALL PERFECT+",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "D", "C", "B", "BB", "BBB", "A", "AA", "AAA", "S", "S+", "SS", "SS+", "SSS", "SSS+",
            ],
            minimum_relevant: Some("A"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "percentGraph",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(101.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lifeGraph",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(999.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "grade",
    score_rating_algs: &["rate"],
    session_rating_algs: &[RatingAlgConfig {
        name: "rate",
        aggregation: Aggregation::AverageOfBestN {
            source: "rate",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naiveRate",
        aggregation: Aggregation::SumOfBestN {
            source: "rate",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "colour",
            kind: ClassKind::Derived,
            values: &[
                ClassValue {
                    id: "WHITE",
                    display: "White",
                    hover_text: Some("0 - 999 Rating"),
                },
                ClassValue {
                    id: "BLUE",
                    display: "Blue",
                    hover_text: Some("1000 - 1999 Rating"),
                },
                ClassValue {
                    id: "GREEN",
                    display: "Green",
                    hover_text: Some("2000 - 3999 Rating"),
                },
                ClassValue {
                    id: "YELLOW",
                    display: "Yellow",
                    hover_text: Some("4000 - 6999 Rating"),
                },
                ClassValue {
                    id: "RED",
                    display: "Red",
                    hover_text: Some("7000 - 9999 Rating"),
                },
                ClassValue {
                    id: "PURPLE",
                    display: "Purple",
                    hover_text: Some("10000 - 11999 Rating"),
                },
                ClassValue {
                    id: "BRONZE",
                    display: "Bronze",
                    hover_text: Some("12000 - 12999 Rating"),
                },
                ClassValue {
                    id: "SILVER",
                    display: "Silver",
                    hover_text: Some("13000 - 13999 Rating"),
                },
                ClassValue {
                    id: "GOLD",
                    display: "Gold",
                    hover_text: Some("14000 - 14499 Rating"),
                },
                ClassValue {
                    id: "PLATINUM",
                    display: "Platinum",
                    hover_text: Some("14500 - 14999 Rating"),
                },
                ClassValue {
                    id: "RAINBOW",
                    display: "Rainbow",
                    hover_text: Some(">=15000 Rating"),
                },
            ],
            derivation: Some(ClassDerivation {
                from_profile_rating: "naiveRate",
                rule: ClassRule::Thresholds {
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
            }),
        },
        ClassConfig {
            name: "dan",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "DAN_1",
                    display: "初段",
                    hover_text: Some("1st Dan"),
                },
                ClassValue {
                    id: "DAN_2",
                    display: "二段",
                    hover_text: Some("2nd Dan"),
                },
                ClassValue {
                    id: "DAN_3",
                    display: "三段",
                    hover_text: Some("3rd Dan"),
                },
                ClassValue {
                    id: "DAN_4",
                    display: "四段",
                    hover_text: Some("4th Dan"),
                },
                ClassValue {
                    id: "DAN_5",
                    display: "五段",
                    hover_text: Some("5th Dan"),
                },
                ClassValue {
                    id: "DAN_6",
                    display: "六段",
                    hover_text: Some("6th Dan"),
                },
                ClassValue {
                    id: "DAN_7",
                    display: "七段",
                    hover_text: Some("7th Dan"),
                },
                ClassValue {
                    id: "DAN_8",
                    display: "八段",
                    hover_text: Some("8th Dan"),
                },
                ClassValue {
                    id: "DAN_9",
                    display: "九段",
                    hover_text: Some("9th Dan"),
                },
                ClassValue {
                    id: "DAN_10",
                    display: "十段",
                    hover_text: Some("10th Dan"),
                },
                ClassValue {
                    id: "SHINDAN_1",
                    display: "真初段",
                    hover_text: Some("1st Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_2",
                    display: "真二段",
                    hover_text: Some("2nd Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_3",
                    display: "真三段",
                    hover_text: Some("3rd Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_4",
                    display: "真四段",
                    hover_text: Some("4th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_5",
                    display: "真五段",
                    hover_text: Some("5th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_6",
                    display: "真六段",
                    hover_text: Some("6th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_7",
                    display: "真七段",
                    hover_text: Some("7th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_8",
                    display: "真八段",
                    hover_text: Some("8th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_9",
                    display: "真九段",
                    hover_text: Some("9th Shindan"),
                },
                ClassValue {
                    id: "SHINDAN_10",
                    display: "真十段",
                    hover_text: Some("10th Shindan"),
                },
                ClassValue {
                    id: "SHINKAIDEN",
                    display: "真皆伝",
                    hover_text: Some("Shinkaiden"),
                },
                ClassValue {
                    id: "URAKAIDEN",
                    display: "裏皆伝",
                    hover_text: Some("Urakaiden"),
                },
            ],
            derivation: None,
        },
        ClassConfig {
            name: "matchingClass",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "B5",
                    display: "B5",
                    hover_text: None,
                },
                ClassValue {
                    id: "B4",
                    display: "B4",
                    hover_text: None,
                },
                ClassValue {
                    id: "B3",
                    display: "B3",
                    hover_text: None,
                },
                ClassValue {
                    id: "B2",
                    display: "B2",
                    hover_text: None,
                },
                ClassValue {
                    id: "B1",
                    display: "B1",
                    hover_text: None,
                },
                ClassValue {
                    id: "A5",
                    display: "A5",
                    hover_text: None,
                },
                ClassValue {
                    id: "A5",
                    display: "A5",
                    hover_text: None,
                },
                ClassValue {
                    id: "A4",
                    display: "A4",
                    hover_text: None,
                },
                ClassValue {
                    id: "A3",
                    display: "A3",
                    hover_text: None,
                },
                ClassValue {
                    id: "A2",
                    display: "A2",
                    hover_text: None,
                },
                ClassValue {
                    id: "A1",
                    display: "A1",
                    hover_text: None,
                },
                ClassValue {
                    id: "S5",
                    display: "S5",
                    hover_text: None,
                },
                ClassValue {
                    id: "S4",
                    display: "S4",
                    hover_text: None,
                },
                ClassValue {
                    id: "S3",
                    display: "S3",
                    hover_text: None,
                },
                ClassValue {
                    id: "S2",
                    display: "S2",
                    hover_text: None,
                },
                ClassValue {
                    id: "S1",
                    display: "S1",
                    hover_text: None,
                },
                ClassValue {
                    id: "SS5",
                    display: "SS5",
                    hover_text: None,
                },
                ClassValue {
                    id: "SS4",
                    display: "SS4",
                    hover_text: None,
                },
                ClassValue {
                    id: "SS3",
                    display: "SS3",
                    hover_text: None,
                },
                ClassValue {
                    id: "SS2",
                    display: "SS2",
                    hover_text: None,
                },
                ClassValue {
                    id: "SS1",
                    display: "SS1",
                    hover_text: None,
                },
                ClassValue {
                    id: "SSS5",
                    display: "SSS5",
                    hover_text: None,
                },
                ClassValue {
                    id: "SSS4",
                    display: "SSS4",
                    hover_text: None,
                },
                ClassValue {
                    id: "SSS3",
                    display: "SSS3",
                    hover_text: None,
                },
                ClassValue {
                    id: "SSS2",
                    display: "SSS2",
                    hover_text: None,
                },
                ClassValue {
                    id: "SSS1",
                    display: "SSS1",
                    hover_text: None,
                },
                ClassValue {
                    id: "LEGEND",
                    display: "Legend",
                    hover_text: None,
                },
            ],
            derivation: None,
        },
    ],
    grades: GradeConfig {
        table: "MAIMAIDX_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 50.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 60.0,
            },
            GradeBoundary {
                grade: "BB",
                lower_bound: 70.0,
            },
            GradeBoundary {
                grade: "BBB",
                lower_bound: 75.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 80.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 90.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 94.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 97.0,
            },
            GradeBoundary {
                grade: "S+",
                lower_bound: 98.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 99.0,
            },
            GradeBoundary {
                grade: "SS+",
                lower_bound: 99.5,
            },
            GradeBoundary {
                grade: "SSS",
                lower_bound: 100.0,
            },
            GradeBoundary {
                grade: "SSS+",
                lower_bound: 100.5,
            },
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[],
};

pub(super) static PMS_CONTROLLER: GptConfig = GptConfig {
    gpt: Gpt::PmsController,
    difficulties: Difficulties::Fixed {
        order: &["CHART"],
        default: "CHART",
    },
    versions: &[],
    judgements: &["cool", "great", "good", "bad", "poor"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "NO PLAY",
                    "FAILED",
                    "ASSIST CLEAR",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "EX HARD CLEAR",
                    "FULL COMBO",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bp",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistory",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryEasy",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryGroove",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryHard",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "ebd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lbd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["sieglinde"],
    session_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 20,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[ClassConfig {
        name: "dan",
        kind: ClassKind::Provided,
        values: &[
            ClassValue {
                id: "INSANE_1",
                display: "●1",
                hover_text: Some("Insane 1st Dan"),
            },
            ClassValue {
                id: "INSANE_2",
                display: "●2",
                hover_text: Some("Insane 2nd Dan"),
            },
            ClassValue {
                id: "INSANE_3",
                display: "●3",
                hover_text: Some("Insane 3rd Dan"),
            },
            ClassValue {
                id: "INSANE_4",
                display: "●4",
                hover_text: Some("Insane 4th Dan"),
            },
            ClassValue {
                id: "INSANE_5",
                display: "●5",
                hover_text: Some("Insane 5th Dan"),
            },
            ClassValue {
                id: "INSANE_6",
                display: "●6",
                hover_text: Some("Insane 6th Dan"),
            },
            ClassValue {
                id: "INSANE_7",
                display: "●7",
                hover_text: Some("Insane 7th Dan"),
            },
            ClassValue {
                id: "INSANE_8",
                display: "●8",
                hover_text: Some("Insane 8th Dan"),
            },
            ClassValue {
                id: "INSANE_9",
                display: "●9",
                hover_text: Some("Insane 9th Dan"),
            },
            ClassValue {
                id: "INSANE_10",
                display: "●10",
                hover_text: Some("Insane 10th Dan"),
            },
            ClassValue {
                id: "INSANE_KAIDEN",
                display: "●●",
                hover_text: Some("Insane Kaiden"),
            },
            ClassValue {
                id: "OVERJOY",
                display: "●OJ",
                hover_text: Some("Overjoy"),
            },
            ClassValue {
                id: "UNDEFINED",
                display: "●UNDF",
                hover_text: Some("Undefined (Post-Overjoy)"),
            },
        ],
        derivation: None,
    }],
    grades: GradeConfig {
        table: "IIDXLIKE_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 22.22222222222222,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 33.333333333333336,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 44.44444444444444,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 55.55555555555556,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 66.66666666666667,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 77.77777777777777,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 88.88888888888889,
            },
            GradeBoundary {
                grade: "MAX-",
                lower_bound: 94.44444444444444,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[MatchType::BmsChartHash, MatchType::TachiSongId],
    score_meta: &[
        MetaField {
            name: "random",
            kind: MetaFieldKind::Enum(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
            nullable: false,
        },
        MetaField {
            name: "client",
            kind: MetaFieldKind::Enum(&["beatoraja"]),
            nullable: false,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "EX-HARD"]),
            nullable: false,
        },
    ],
};

pub(super) static PMS_KEYBOARD: GptConfig = GptConfig {
    gpt: Gpt::PmsKeyboard,
    difficulties: Difficulties::Fixed {
        order: &["CHART"],
        default: "CHART",
    },
    versions: &[],
    judgements: &["cool", "great", "good", "bad", "poor"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "NO PLAY",
                    "FAILED",
                    "ASSIST CLEAR",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "EX HARD CLEAR",
                    "FULL COMBO",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "percent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bp",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistory",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryEasy",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryGroove",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gaugeHistoryHard",
            kind: MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "egd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "ebd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "epr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpg",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lgd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lbd",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lpr",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["sieglinde"],
    session_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "sieglinde",
        aggregation: Aggregation::AverageOfBestN {
            source: "sieglinde",
            n: 20,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[ClassConfig {
        name: "dan",
        kind: ClassKind::Provided,
        values: &[
            ClassValue {
                id: "INSANE_1",
                display: "●1",
                hover_text: Some("Insane 1st Dan"),
            },
            ClassValue {
                id: "INSANE_2",
                display: "●2",
                hover_text: Some("Insane 2nd Dan"),
            },
            ClassValue {
                id: "INSANE_3",
                display: "●3",
                hover_text: Some("Insane 3rd Dan"),
            },
            ClassValue {
                id: "INSANE_4",
                display: "●4",
                hover_text: Some("Insane 4th Dan"),
            },
            ClassValue {
                id: "INSANE_5",
                display: "●5",
                hover_text: Some("Insane 5th Dan"),
            },
            ClassValue {
                id: "INSANE_6",
                display: "●6",
                hover_text: Some("Insane 6th Dan"),
            },
            ClassValue {
                id: "INSANE_7",
                display: "●7",
                hover_text: Some("Insane 7th Dan"),
            },
            ClassValue {
                id: "INSANE_8",
                display: "●8",
                hover_text: Some("Insane 8th Dan"),
            },
            ClassValue {
                id: "INSANE_9",
                display: "●9",
                hover_text: Some("Insane 9th Dan"),
            },
            ClassValue {
                id: "INSANE_10",
                display: "●10",
                hover_text: Some("Insane 10th Dan"),
            },
            ClassValue {
                id: "INSANE_KAIDEN",
                display: "●●",
                hover_text: Some("Insane Kaiden"),
            },
            ClassValue {
                id: "OVERJOY",
                display: "●OJ",
                hover_text: Some("Overjoy"),
            },
            ClassValue {
                id: "UNDEFINED",
                display: "●UNDF",
                hover_text: Some("Undefined (Post-Overjoy)"),
            },
        ],
        derivation: None,
    }],
    grades: GradeConfig {
        table: "IIDXLIKE_GBOUNDARIES",
        graded_on: "percent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "E",
                lower_bound: 22.22222222222222,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 33.333333333333336,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 44.44444444444444,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 55.55555555555556,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 66.66666666666667,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 77.77777777777777,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 88.88888888888889,
            },
            GradeBoundary {
                grade: "MAX-",
                lower_bound: 94.44444444444444,
            },
            GradeBoundary {
                grade: "MAX",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[MatchType::BmsChartHash, MatchType::TachiSongId],
    score_meta: &[
        MetaField {
            name: "random",
            kind: MetaFieldKind::Enum(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
            nullable: false,
        },
        MetaField {
            name: "client",
            kind: MetaFieldKind::Enum(&["beatoraja"]),
            nullable: false,
        },
        MetaField {
            name: "gauge",
            kind: MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "EX-HARD"]),
            nullable: false,
        },
    ],
};

pub(super) static USC_CONTROLLER: GptConfig = GptConfig {
    gpt: Gpt::UscController,
    difficulties: Difficulties::Fixed {
        order: &["NOV", "ADV", "EXH", "INF"],
        default: "EXH",
    },
    versions: &[],
    judgements: &["critical", "near", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(10000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "EXCESSIVE CLEAR",
                    "ULTIMATE CHAIN",
                    "PERFECT ULTIMATE CHAIN",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "D", "C", "B", "A", "A+", "AA", "AA+", "AAA", "AAA+", "S", "PUC",
            ],
            minimum_relevant: Some("A+"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["VF6"],
    session_rating_algs: &[RatingAlgConfig {
        name: "ProfileVF6",
        aggregation: Aggregation::AverageOfBestN {
            source: "VF6",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: Some(50.0),
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "VF6",
        aggregation: Aggregation::SumOfBestN {
            source: "VF6",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[ClassConfig {
        name: "vfClass",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "SIENNA_I",
                display: "Sienna I",
                hover_text: Some("0 - 2.499VF"),
            },
            ClassValue {
                id: "SIENNA_II",
                display: "Sienna II",
                hover_text: Some("2.5 - 4.999VF"),
            },
            ClassValue {
                id: "SIENNA_III",
                display: "Sienna III",
                hover_text: Some("5.0 - 7.499VF"),
            },
            ClassValue {
                id: "SIENNA_IV",
                display: "Sienna IV",
                hover_text: Some("7.5 - 9.999VF"),
            },
            ClassValue {
                id: "COBALT_I",
                display: "Cobalt I",
                hover_text: Some("10 - 10.499VF"),
            },
            ClassValue {
                id: "COBALT_II",
                display: "Cobalt II",
                hover_text: Some("10.5 - 10.999VF"),
            },
            ClassValue {
                id: "COBALT_III",
                display: "Cobalt III",
                hover_text: Some("11 - 11.499VF"),
            },
            ClassValue {
                id: "COBALT_IV",
                display: "Cobalt IV",
                hover_text: Some("11.5 - 11.999VF"),
            },
            ClassValue {
                id: "DANDELION_I",
                display: "Dandelion I",
                hover_text: Some("12 - 12.499VF"),
            },
            ClassValue {
                id: "DANDELION_II",
                display: "Dandelion II",
                hover_text: Some("12.5 - 12.999VF"),
            },
            ClassValue {
                id: "DANDELION_III",
                display: "Dandelion III",
                hover_text: Some("13 - 13.499VF"),
            },
            ClassValue {
                id: "DANDELION_IV",
                display: "Dandelion IV",
                hover_text: Some("13.5 - 13.999VF"),
            },
            ClassValue {
                id: "CYAN_I",
                display: "Cyan I",
                hover_text: Some("14 - 14.249VF"),
            },
            ClassValue {
                id: "CYAN_II",
                display: "Cyan II",
                hover_text: Some("14.25 - 14.499VF"),
            },
            ClassValue {
                id: "CYAN_III",
                display: "Cyan III",
                hover_text: Some("14.5 - 14.749VF"),
            },
            ClassValue {
                id: "CYAN_IV",
                display: "Cyan IV",
                hover_text: Some("14.75 - 14.999VF"),
            },
            ClassValue {
                id: "SCARLET_I",
                display: "Scarlet I",
                hover_text: Some("15 - 15.249VF"),
            },
            ClassValue {
                id: "SCARLET_II",
                display: "Scarlet II",
                hover_text: Some("15.25 - 15.499VF"),
            },
            ClassValue {
                id: "SCARLET_III",
                display: "Scarlet III",
                hover_text: Some("15.5 - 15.749VF"),
            },
            ClassValue {
                id: "SCARLET_IV",
                display: "Scarlet IV",
                hover_text: Some("15.75 - 15.999VF"),
            },
            ClassValue {
                id: "CORAL_I",
                display: "Coral I",
                hover_text: Some("16 - 16.249VF"),
            },
            ClassValue {
                id: "CORAL_II",
                display: "Coral II",
                hover_text: Some("16.25 - 16.499VF"),
            },
            ClassValue {
                id: "CORAL_III",
                display: "Coral III",
                hover_text: Some("16.5 - 16.749VF"),
            },
            ClassValue {
                id: "CORAL_IV",
                display: "Coral IV",
                hover_text: Some("16.75 - 16.999VF"),
            },
            ClassValue {
                id: "ARGENTO_I",
                display: "Argento I",
                hover_text: Some("17 - 17.249VF"),
            },
            ClassValue {
                id: "ARGENTO_II",
                display: "Argento II",
                hover_text: Some("17.25 - 17.499VF"),
            },
            ClassValue {
                id: "ARGENTO_III",
                display: "Argento III",
                hover_text: Some("17.5 - 17.749VF"),
            },
            ClassValue {
                id: "ARGENTO_IV",
                display: "Argento IV",
                hover_text: Some("17.75 - 17.999VF"),
            },
            ClassValue {
                id: "ELDORA_I",
                display: "Eldora I",
                hover_text: Some("18 - 18.249VF"),
            },
            ClassValue {
                id: "ELDORA_II",
                display: "Eldora II",
                hover_text: Some("18.25 - 18.499VF"),
            },
            ClassValue {
                id: "ELDORA_III",
                display: "Eldora III",
                hover_text: Some("18.5 - 18.749VF"),
            },
            ClassValue {
                id: "ELDORA_IV",
                display: "Eldora IV",
                hover_text: Some("18.75 - 18.999VF"),
            },
            ClassValue {
                id: "CRIMSON_I",
                display: "Crimson I",
                hover_text: Some("19 - 19.249VF"),
            },
            ClassValue {
                id: "CRIMSON_II",
                display: "Crimson II",
                hover_text: Some("19.25 - 19.499VF"),
            },
            ClassValue {
                id: "CRIMSON_III",
                display: "Crimson III",
                hover_text: Some("19.5 - 19.749VF"),
            },
            ClassValue {
                id: "CRIMSON_IV",
                display: "Crimson IV",
                hover_text: Some("19.75 - 19.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_I",
                display: "Imperial I",
                hover_text: Some("20 - 20.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_II",
                display: "Imperial II",
                hover_text: Some("21 - 21.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_III",
                display: "Imperial III",
                hover_text: Some("22 - 22.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_IV",
                display: "Imperial IV",
                hover_text: Some(">23VF"),
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "VF6",
            rule: ClassRule::Thresholds {
                steps: &[
                    (23.0, "IMPERIAL_IV"),
                    (22.0, "IMPERIAL_III"),
                    (21.0, "IMPERIAL_II"),
                    (20.0, "IMPERIAL_I"),
                    (19.75, "CRIMSON_IV"),
                    (19.5, "CRIMSON_III"),
                    (19.25, "CRIMSON_II"),
                    (19.0, "CRIMSON_I"),
                    (18.75, "ELDORA_IV"),
                    (18.5, "ELDORA_III"),
                    (18.25, "ELDORA_II"),
                    (18.0, "ELDORA_I"),
                    (17.75, "ARGENTO_IV"),
                    (17.5, "ARGENTO_III"),
                    (17.25, "ARGENTO_II"),
                    (17.0, "ARGENTO_I"),
                    (16.75, "CORAL_IV"),
                    (16.5, "CORAL_III"),
                    (16.25, "CORAL_II"),
                    (16.0, "CORAL_I"),
                    (15.75, "SCARLET_IV"),
                    (15.5, "SCARLET_III"),
                    (15.25, "SCARLET_II"),
                    (15.0, "SCARLET_I"),
                    (14.75, "CYAN_IV"),
                    (14.5, "CYAN_III"),
                    (14.25, "CYAN_II"),
                    (14.0, "CYAN_I"),
                    (13.5, "DANDELION_IV"),
                    (13.0, "DANDELION_III"),
                    (12.5, "DANDELION_II"),
                    (12.0, "DANDELION_I"),
                    (11.5, "COBALT_IV"),
                    (11.0, "COBALT_III"),
                    (10.5, "COBALT_II"),
                    (10.0, "COBALT_I"),
                    (7.5, "SIENNA_IV"),
                    (5.0, "SIENNA_III"),
                    (2.5, "SIENNA_II"),
                ],
                otherwise: "SIENNA_I",
            },
        }),
    }],
    grades: GradeConfig {
        table: "SDVXLIKE_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 7000000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 8000000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 8700000.0,
            },
            GradeBoundary {
                grade: "A+",
                lower_bound: 9000000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 9300000.0,
            },
            GradeBoundary {
                grade: "AA+",
                lower_bound: 9500000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 9700000.0,
            },
            GradeBoundary {
                grade: "AAA+",
                lower_bound: 9800000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 9900000.0,
            },
            GradeBoundary {
                grade: "PUC",
                lower_bound: 10000000.0,
            },
        ],
    },
    supported_match_types: &[MatchType::UscChartHash, MatchType::TachiSongId],
    score_meta: &[
        MetaField {
            name: "noteMod",
            kind: MetaFieldKind::Enum(&["MIR-RAN", "MIRROR", "NORMAL", "RANDOM"]),
            nullable: false,
        },
        MetaField {
            name: "gaugeMod",
            kind: MetaFieldKind::Enum(&["NORMAL", "HARD", "PERMISSIVE"]),
            nullable: false,
        },
    ],
};

pub(super) static USC_KEYBOARD: GptConfig = GptConfig {
    gpt: Gpt::UscKeyboard,
    difficulties: Difficulties::Fixed {
        order: &["NOV", "ADV", "EXH", "INF"],
        default: "EXH",
    },
    versions: &[],
    judgements: &["critical", "near", "miss"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(10000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "EXCESSIVE CLEAR",
                    "ULTIMATE CHAIN",
                    "PERFECT ULTIMATE CHAIN",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "D", "C", "B", "A", "A+", "AA", "AA+", "AAA", "AAA+", "S", "PUC",
            ],
            minimum_relevant: Some("A+"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "gauge",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["VF6"],
    session_rating_algs: &[RatingAlgConfig {
        name: "ProfileVF6",
        aggregation: Aggregation::AverageOfBestN {
            source: "VF6",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: Some(50.0),
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "VF6",
        aggregation: Aggregation::SumOfBestN {
            source: "VF6",
            n: 50,
            null_if_fewer_than_n: false,
            multiplier: None,
        },
    }],
    classes: &[ClassConfig {
        name: "vfClass",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "SIENNA_I",
                display: "Sienna I",
                hover_text: Some("0 - 2.499VF"),
            },
            ClassValue {
                id: "SIENNA_II",
                display: "Sienna II",
                hover_text: Some("2.5 - 4.999VF"),
            },
            ClassValue {
                id: "SIENNA_III",
                display: "Sienna III",
                hover_text: Some("5.0 - 7.499VF"),
            },
            ClassValue {
                id: "SIENNA_IV",
                display: "Sienna IV",
                hover_text: Some("7.5 - 9.999VF"),
            },
            ClassValue {
                id: "COBALT_I",
                display: "Cobalt I",
                hover_text: Some("10 - 10.499VF"),
            },
            ClassValue {
                id: "COBALT_II",
                display: "Cobalt II",
                hover_text: Some("10.5 - 10.999VF"),
            },
            ClassValue {
                id: "COBALT_III",
                display: "Cobalt III",
                hover_text: Some("11 - 11.499VF"),
            },
            ClassValue {
                id: "COBALT_IV",
                display: "Cobalt IV",
                hover_text: Some("11.5 - 11.999VF"),
            },
            ClassValue {
                id: "DANDELION_I",
                display: "Dandelion I",
                hover_text: Some("12 - 12.499VF"),
            },
            ClassValue {
                id: "DANDELION_II",
                display: "Dandelion II",
                hover_text: Some("12.5 - 12.999VF"),
            },
            ClassValue {
                id: "DANDELION_III",
                display: "Dandelion III",
                hover_text: Some("13 - 13.499VF"),
            },
            ClassValue {
                id: "DANDELION_IV",
                display: "Dandelion IV",
                hover_text: Some("13.5 - 13.999VF"),
            },
            ClassValue {
                id: "CYAN_I",
                display: "Cyan I",
                hover_text: Some("14 - 14.249VF"),
            },
            ClassValue {
                id: "CYAN_II",
                display: "Cyan II",
                hover_text: Some("14.25 - 14.499VF"),
            },
            ClassValue {
                id: "CYAN_III",
                display: "Cyan III",
                hover_text: Some("14.5 - 14.749VF"),
            },
            ClassValue {
                id: "CYAN_IV",
                display: "Cyan IV",
                hover_text: Some("14.75 - 14.999VF"),
            },
            ClassValue {
                id: "SCARLET_I",
                display: "Scarlet I",
                hover_text: Some("15 - 15.249VF"),
            },
            ClassValue {
                id: "SCARLET_II",
                display: "Scarlet II",
                hover_text: Some("15.25 - 15.499VF"),
            },
            ClassValue {
                id: "SCARLET_III",
                display: "Scarlet III",
                hover_text: Some("15.5 - 15.749VF"),
            },
            ClassValue {
                id: "SCARLET_IV",
                display: "Scarlet IV",
                hover_text: Some("15.75 - 15.999VF"),
            },
            ClassValue {
                id: "CORAL_I",
                display: "Coral I",
                hover_text: Some("16 - 16.249VF"),
            },
            ClassValue {
                id: "CORAL_II",
                display: "Coral II",
                hover_text: Some("16.25 - 16.499VF"),
            },
            ClassValue {
                id: "CORAL_III",
                display: "Coral III",
                hover_text: Some("16.5 - 16.749VF"),
            },
            ClassValue {
                id: "CORAL_IV",
                display: "Coral IV",
                hover_text: Some("16.75 - 16.999VF"),
            },
            ClassValue {
                id: "ARGENTO_I",
                display: "Argento I",
                hover_text: Some("17 - 17.249VF"),
            },
            ClassValue {
                id: "ARGENTO_II",
                display: "Argento II",
                hover_text: Some("17.25 - 17.499VF"),
            },
            ClassValue {
                id: "ARGENTO_III",
                display: "Argento III",
                hover_text: Some("17.5 - 17.749VF"),
            },
            ClassValue {
                id: "ARGENTO_IV",
                display: "Argento IV",
                hover_text: Some("17.75 - 17.999VF"),
            },
            ClassValue {
                id: "ELDORA_I",
                display: "Eldora I",
                hover_text: Some("18 - 18.249VF"),
            },
            ClassValue {
                id: "ELDORA_II",
                display: "Eldora II",
                hover_text: Some("18.25 - 18.499VF"),
            },
            ClassValue {
                id: "ELDORA_III",
                display: "Eldora III",
                hover_text: Some("18.5 - 18.749VF"),
            },
            ClassValue {
                id: "ELDORA_IV",
                display: "Eldora IV",
                hover_text: Some("18.75 - 18.999VF"),
            },
            ClassValue {
                id: "CRIMSON_I",
                display: "Crimson I",
                hover_text: Some("19 - 19.249VF"),
            },
            ClassValue {
                id: "CRIMSON_II",
                display: "Crimson II",
                hover_text: Some("19.25 - 19.499VF"),
            },
            ClassValue {
                id: "CRIMSON_III",
                display: "Crimson III",
                hover_text: Some("19.5 - 19.749VF"),
            },
            ClassValue {
                id: "CRIMSON_IV",
                display: "Crimson IV",
                hover_text: Some("19.75 - 19.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_I",
                display: "Imperial I",
                hover_text: Some("20 - 20.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_II",
                display: "Imperial II",
                hover_text: Some("21 - 21.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_III",
                display: "Imperial III",
                hover_text: Some("22 - 22.999VF"),
            },
            ClassValue {
                id: "IMPERIAL_IV",
                display: "Imperial IV",
                hover_text: Some(">23VF"),
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "VF6",
            rule: ClassRule::Thresholds {
                steps: &[
                    (23.0, "IMPERIAL_IV"),
                    (22.0, "IMPERIAL_III"),
                    (21.0, "IMPERIAL_II"),
                    (20.0, "IMPERIAL_I"),
                    (19.75, "CRIMSON_IV"),
                    (19.5, "CRIMSON_III"),
                    (19.25, "CRIMSON_II"),
                    (19.0, "CRIMSON_I"),
                    (18.75, "ELDORA_IV"),
                    (18.5, "ELDORA_III"),
                    (18.25, "ELDORA_II"),
                    (18.0, "ELDORA_I"),
                    (17.75, "ARGENTO_IV"),
                    (17.5, "ARGENTO_III"),
                    (17.25, "ARGENTO_II"),
                    (17.0, "ARGENTO_I"),
                    (16.75, "CORAL_IV"),
                    (16.5, "CORAL_III"),
                    (16.25, "CORAL_II"),
                    (16.0, "CORAL_I"),
                    (15.75, "SCARLET_IV"),
                    (15.5, "SCARLET_III"),
                    (15.25, "SCARLET_II"),
                    (15.0, "SCARLET_I"),
                    (14.75, "CYAN_IV"),
                    (14.5, "CYAN_III"),
                    (14.25, "CYAN_II"),
                    (14.0, "CYAN_I"),
                    (13.5, "DANDELION_IV"),
                    (13.0, "DANDELION_III"),
                    (12.5, "DANDELION_II"),
                    (12.0, "DANDELION_I"),
                    (11.5, "COBALT_IV"),
                    (11.0, "COBALT_III"),
                    (10.5, "COBALT_II"),
                    (10.0, "COBALT_I"),
                    (7.5, "SIENNA_IV"),
                    (5.0, "SIENNA_III"),
                    (2.5, "SIENNA_II"),
                ],
                otherwise: "SIENNA_I",
            },
        }),
    }],
    grades: GradeConfig {
        table: "SDVXLIKE_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 7000000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 8000000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 8700000.0,
            },
            GradeBoundary {
                grade: "A+",
                lower_bound: 9000000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 9300000.0,
            },
            GradeBoundary {
                grade: "AA+",
                lower_bound: 9500000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 9700000.0,
            },
            GradeBoundary {
                grade: "AAA+",
                lower_bound: 9800000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 9900000.0,
            },
            GradeBoundary {
                grade: "PUC",
                lower_bound: 10000000.0,
            },
        ],
    },
    supported_match_types: &[MatchType::UscChartHash, MatchType::TachiSongId],
    score_meta: &[
        MetaField {
            name: "noteMod",
            kind: MetaFieldKind::Enum(&["MIR-RAN", "MIRROR", "NORMAL", "RANDOM"]),
            nullable: false,
        },
        MetaField {
            name: "gaugeMod",
            kind: MetaFieldKind::Enum(&["NORMAL", "HARD", "PERMISSIVE"]),
            nullable: false,
        },
    ],
};

pub(super) static ITG_STAMINA: GptConfig = GptConfig {
    gpt: Gpt::ItgStamina,
    difficulties: Difficulties::Dynamic,
    versions: &[],
    judgements: &[
        "fantastic+",
        "fantastic",
        "excellent",
        "great",
        "decent",
        "wayoff",
        "miss",
    ],
    provided_metrics: &[
        MetricConfig {
            name: "scorePercent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "survivedPercent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(100.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "CLEAR",
                    "FULL COMBO",
                    "FULL EXCELLENT COMBO",
                    "QUAD",
                    "QUINT",
                ],
                minimum_relevant: Some("FAILED"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &["F", "D", "C", "B", "A", "S", "★", "★★", "★★★", "★★★★"],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "finalPercent",
            kind: MetricKind::Decimal {
                min: Some(0.0),
                max: Some(200.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[MetricConfig {
        name: "lifebarHistory",
        kind: MetricKind::Graph {
            nullable: false,
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    default_metric: "finalPercent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["blockRating", "fastest32"],
    session_rating_algs: &[RatingAlgConfig {
        name: "blockRating",
        aggregation: Aggregation::AverageOfBestN {
            source: "blockRating",
            n: 5,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[
        RatingAlgConfig {
            name: "highestBlock",
            aggregation: Aggregation::SumOfBestN {
                source: "blockRating",
                n: 1,
                null_if_fewer_than_n: true,
                multiplier: None,
            },
        },
        RatingAlgConfig {
            name: "fastest32",
            aggregation: Aggregation::SumOfBestN {
                source: "fastest32",
                n: 1,
                null_if_fewer_than_n: true,
                multiplier: None,
            },
        },
    ],
    classes: &[],
    grades: GradeConfig {
        table: "ITG_GBOUNDARIES",
        graded_on: "scorePercent",
        boundaries: &[
            GradeBoundary {
                grade: "F",
                lower_bound: f64::NEG_INFINITY,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 55.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 68.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 80.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 89.0,
            },
            GradeBoundary {
                grade: "★",
                lower_bound: 96.0,
            },
            GradeBoundary {
                grade: "★★",
                lower_bound: 98.0,
            },
            GradeBoundary {
                grade: "★★★",
                lower_bound: 99.0,
            },
            GradeBoundary {
                grade: "★★★★",
                lower_bound: 100.0,
            },
        ],
    },
    supported_match_types: &[MatchType::ItgChartHash],
    score_meta: &[],
};

pub(super) static ARCAEA_TOUCH: GptConfig = GptConfig {
    gpt: Gpt::ArcaeaTouch,
    difficulties: Difficulties::Fixed {
        order: &["Past", "Present", "Future", "Beyond"],
        default: "Future",
    },
    versions: &[("mobile", "Mobile"), ("switch", "Nintendo Switch")],
    judgements: &["pure", "far", "lost"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "LOST",
                    "EASY CLEAR",
                    "CLEAR",
                    "HARD CLEAR",
                    "FULL RECALL",
                    "PURE MEMORY",
                ],
                minimum_relevant: Some("EASY CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &["D", "C", "B", "A", "AA", "EX", "EX+"],
            minimum_relevant: Some("AA"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["potential"],
    session_rating_algs: &[RatingAlgConfig {
        name: "naivePotential",
        aggregation: Aggregation::AverageOfBestN {
            source: "potential",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "naivePotential",
        aggregation: Aggregation::AverageOfBestN {
            source: "potential",
            n: 30,
            null_if_fewer_than_n: false,
            multiplier: None,
            post_multiply: None,
        },
    }],
    classes: &[
        ClassConfig {
            name: "badge",
            kind: ClassKind::Derived,
            values: &[
                ClassValue {
                    id: "BLUE",
                    display: "Blue",
                    hover_text: Some("0.00 - 3.49 Potential"),
                },
                ClassValue {
                    id: "GREEN",
                    display: "Green",
                    hover_text: Some("3.50 - 6.99 Potential"),
                },
                ClassValue {
                    id: "ASH_PURPLE",
                    display: "Ash Purple",
                    hover_text: Some("7.00 - 9.99 Potential"),
                },
                ClassValue {
                    id: "PURPLE",
                    display: "Purple",
                    hover_text: Some("10.00 - 10.99 Potential"),
                },
                ClassValue {
                    id: "RED",
                    display: "Red",
                    hover_text: Some("11.00 - 11.99 Potential"),
                },
                ClassValue {
                    id: "ONE_STAR",
                    display: "☆",
                    hover_text: Some("12.00 - 12.49 Potential"),
                },
                ClassValue {
                    id: "TWO_STARS",
                    display: "☆☆",
                    hover_text: Some("12.50 - 12.99 Potential"),
                },
                ClassValue {
                    id: "THREE_STARS",
                    display: "☆☆☆",
                    hover_text: Some(">=13.00 Potential"),
                },
            ],
            derivation: Some(ClassDerivation {
                from_profile_rating: "naivePotential",
                rule: ClassRule::Thresholds {
                    steps: &[
                        (13.0, "THREE_STARS"),
                        (12.5, "TWO_STARS"),
                        (12.0, "ONE_STAR"),
                        (11.0, "RED"),
                        (10.0, "PURPLE"),
                        (7.0, "ASH_PURPLE"),
                        (3.5, "GREEN"),
                    ],
                    otherwise: "BLUE",
                },
            }),
        },
        ClassConfig {
            name: "courseBanner",
            kind: ClassKind::Provided,
            values: &[
                ClassValue {
                    id: "PHASE_1",
                    display: "Phase 1",
                    hover_text: Some("First Step in a New World"),
                },
                ClassValue {
                    id: "PHASE_2",
                    display: "Phase 2",
                    hover_text: Some("Swept up in a Heartbeat"),
                },
                ClassValue {
                    id: "PHASE_3",
                    display: "Phase 3",
                    hover_text: Some("Unceasing Spirit"),
                },
                ClassValue {
                    id: "PHASE_4",
                    display: "Phase 4",
                    hover_text: Some("The Eternal Realm of Light"),
                },
                ClassValue {
                    id: "PHASE_5",
                    display: "Phase 5",
                    hover_text: Some("The Brutality of Glass"),
                },
                ClassValue {
                    id: "PHASE_6",
                    display: "Phase 6",
                    hover_text: Some("In Grief and Great Delight"),
                },
                ClassValue {
                    id: "PHASE_7",
                    display: "Phase 7",
                    hover_text: Some("On Fate's Approach"),
                },
                ClassValue {
                    id: "PHASE_8",
                    display: "Phase 8",
                    hover_text: Some("The Disfigured Flow of Time"),
                },
                ClassValue {
                    id: "PHASE_9",
                    display: "Phase 9",
                    hover_text: Some("Ego's Demise"),
                },
                ClassValue {
                    id: "PHASE_10",
                    display: "Phase 10",
                    hover_text: Some("A Torrent of Light and Conflict"),
                },
                ClassValue {
                    id: "PHASE_11",
                    display: "Phase 11",
                    hover_text: Some("Radiant Genesis"),
                },
            ],
            derivation: None,
        },
    ],
    grades: GradeConfig {
        table: "ARCAEA_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 8600000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 8900000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 9200000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 9500000.0,
            },
            GradeBoundary {
                grade: "EX",
                lower_bound: 9800000.0,
            },
            GradeBoundary {
                grade: "EX+",
                lower_bound: 9900000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameStrId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

pub(super) static ONGEKI_SINGLE: GptConfig = GptConfig {
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
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1010000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "noteLamp",
            kind: MetricKind::Enum {
                values: &["LOSS", "CLEAR", "FULL COMBO", "ALL BREAK", "ALL BREAK+"],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bellLamp",
            kind: MetricKind::Enum {
                values: &["NONE", "FULL BELL"],
                minimum_relevant: Some("FULL BELL"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "platinumScore",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[
        MetricConfig {
            name: "grade",
            kind: MetricKind::Enum {
                values: &[
                    "D", "C", "B", "BB", "BBB", "A", "AA", "AAA", "S", "SS", "SSS", "SSS+",
                ],
                minimum_relevant: Some("A"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "platinumStars",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(6.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    optional_metrics: &[
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "damage",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: true,
        },
        MetricConfig {
            name: "bellCount",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: true,
        },
        MetricConfig {
            name: "totalBellCount",
            kind: MetricKind::Integer {
                min: None,
                max: None,
            },
            chart_dependent_max: true,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "scoreGraph",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(1010000.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "platinumGraph",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(-100000.0),
                max: Some(0.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "bellGraph",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(-10000.0),
                max: Some(0.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lifeGraph",
            kind: MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["rating", "scoreRating", "starRating"],
    session_rating_algs: &[
        RatingAlgConfig {
            name: "naiveRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "rating",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "naiveScoreRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "scoreRating",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "starRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "starRating",
                n: 10,
                null_if_fewer_than_n: true,
                multiplier: None,
                post_multiply: None,
            },
        },
    ],
    profile_rating_algs: &[
        RatingAlgConfig {
            name: "naiveRating",
            aggregation: Aggregation::AverageOfBestN {
                source: "rating",
                n: 45,
                null_if_fewer_than_n: false,
                multiplier: Some(100.0),
                post_multiply: None,
            },
        },
        RatingAlgConfig {
            name: "naiveRatingRefresh",
            aggregation: Aggregation::Custom,
        },
    ],
    classes: &[ClassConfig {
        name: "colour",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "BLUE",
                display: "水",
                hover_text: Some("Blue: 0.000~3.999 Rating"),
            },
            ClassValue {
                id: "GREEN",
                display: "緑",
                hover_text: Some("Green: 4.000~6.999 Rating"),
            },
            ClassValue {
                id: "ORANGE",
                display: "橙",
                hover_text: Some("Orange: 7.000~8.999 Rating"),
            },
            ClassValue {
                id: "RED",
                display: "赤",
                hover_text: Some("Red: 9.000~10.999 Rating"),
            },
            ClassValue {
                id: "PURPLE",
                display: "紫",
                hover_text: Some("Purple: 11.000~12.999 Rating"),
            },
            ClassValue {
                id: "COPPER",
                display: "銅",
                hover_text: Some("Copper: 13.000~14.999 Rating"),
            },
            ClassValue {
                id: "SILVER",
                display: "銀",
                hover_text: Some("Silver: 15.000~16.999 Rating"),
            },
            ClassValue {
                id: "GOLD",
                display: "金",
                hover_text: Some("Gold: 17.000~17.999 Rating"),
            },
            ClassValue {
                id: "PLATINUM",
                display: "鉑",
                hover_text: Some("Platinum: 18.000~18.999 Rating"),
            },
            ClassValue {
                id: "RAINBOW",
                display: "虹",
                hover_text: Some("Rainbow: 19.000~19.999 Rating"),
            },
            ClassValue {
                id: "RAINBOW_SHINY",
                display: "虹(光)",
                hover_text: Some("Rainbow Shiny: 20.000~20.999 Rating"),
            },
            ClassValue {
                id: "RAINBOW_EX",
                display: "虹(極)",
                hover_text: Some("Rainbow Extreme: 21.000~ Rating"),
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "naiveRatingRefresh",
            rule: ClassRule::Thresholds {
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
        }),
    }],
    grades: GradeConfig {
        table: "ONGEKI_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 500000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "BB",
                lower_bound: 750000.0,
            },
            GradeBoundary {
                grade: "BBB",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 850000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 940000.0,
            },
            GradeBoundary {
                grade: "S",
                lower_bound: 970000.0,
            },
            GradeBoundary {
                grade: "SS",
                lower_bound: 990000.0,
            },
            GradeBoundary {
                grade: "SSS",
                lower_bound: 1000000.0,
            },
            GradeBoundary {
                grade: "SSS+",
                lower_bound: 1007500.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::InGameId,
    ],
    score_meta: &[],
};

pub(super) static DDR_SP: GptConfig = GptConfig {
    gpt: Gpt::DdrSp,
    difficulties: Difficulties::Fixed {
        order: &["BEGINNER", "BASIC", "DIFFICULT", "EXPERT", "CHALLENGE"],
        default: "EXPERT",
    },
    versions: &[
        ("a", "A"),
        ("a20", "A20"),
        ("a20plus", "A20+"),
        ("a3", "A3"),
        ("konaste", "Konaste"),
        ("world", "World"),
    ],
    judgements: &["MARVELOUS", "PERFECT", "GREAT", "GOOD", "MISS", "OK"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "ASSIST",
                    "CLEAR",
                    "FULL COMBO",
                    "GREAT FULL COMBO",
                    "PERFECT FULL COMBO",
                    "MARVELOUS FULL COMBO",
                    "LIFE4",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "E", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+", "AA-", "AA",
                "AA+", "AAA",
            ],
            minimum_relevant: Some("D"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "flare",
            kind: MetricKind::Enum {
                values: &[
                    "0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "EX",
                ],
                minimum_relevant: Some("0"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "exScore",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: true,
        },
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "lamp",
    score_rating_algs: &["flareSkill"],
    session_rating_algs: &[RatingAlgConfig {
        name: "flareSkill",
        aggregation: Aggregation::AverageOfBestN {
            source: "flareSkill",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "flareSkill",
        aggregation: Aggregation::Custom,
    }],
    classes: &[ClassConfig {
        name: "flare",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "NONE",
                display: "NONE",
                hover_text: None,
            },
            ClassValue {
                id: "NONE+",
                display: "NONE+",
                hover_text: None,
            },
            ClassValue {
                id: "NONE++",
                display: "NONE++",
                hover_text: None,
            },
            ClassValue {
                id: "NONE+++",
                display: "NONE+++",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY",
                display: "水星 / MERCURY",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY+",
                display: "水星 / MERCURY+",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY++",
                display: "水星 / MERCURY++",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY+++",
                display: "水星 / MERCURY+++",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS",
                display: "金星 / VENUS",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS+",
                display: "金星 / VENUS+",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS++",
                display: "金星 / VENUS++",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS+++",
                display: "金星 / VENUS+++",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH",
                display: "地球 / EARTH",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH+",
                display: "地球 / EARTH+",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH++",
                display: "地球 / EARTH++",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH+++",
                display: "地球 / EARTH+++",
                hover_text: None,
            },
            ClassValue {
                id: "MARS",
                display: "火星 / MARS",
                hover_text: None,
            },
            ClassValue {
                id: "MARS+",
                display: "火星 / MARS+",
                hover_text: None,
            },
            ClassValue {
                id: "MARS++",
                display: "火星 / MARS++",
                hover_text: None,
            },
            ClassValue {
                id: "MARS+++",
                display: "火星 / MARS+++",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER",
                display: "木星 / JUPITER",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER+",
                display: "木星 / JUPITER+",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER++",
                display: "木星 / JUPITER++",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER+++",
                display: "木星 / JUPITER+++",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN",
                display: "土星 / SATURN",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN+",
                display: "土星 / SATURN+",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN++",
                display: "土星 / SATURN++",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN+++",
                display: "土星 / SATURN+++",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS",
                display: "天王星 / URANUS",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS+",
                display: "天王星 / URANUS+",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS++",
                display: "天王星 / URANUS++",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS+++",
                display: "天王星 / URANUS+++",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE",
                display: "海王星 / NEPTUNE",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE+",
                display: "海王星 / NEPTUNE+",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE++",
                display: "海王星 / NEPTUNE++",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE+++",
                display: "海王星 / NEPTUNE+++",
                hover_text: None,
            },
            ClassValue {
                id: "SUN",
                display: "太陽 / SUN",
                hover_text: None,
            },
            ClassValue {
                id: "SUN+",
                display: "太陽 / SUN+",
                hover_text: None,
            },
            ClassValue {
                id: "SUN++",
                display: "太陽 / SUN++",
                hover_text: None,
            },
            ClassValue {
                id: "SUN+++",
                display: "太陽 / SUN+++",
                hover_text: None,
            },
            ClassValue {
                id: "WORLD",
                display: "世界 / WORLD",
                hover_text: None,
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "flareSkill",
            rule: ClassRule::UpperBounds {
                steps: &[
                    (500.0, "NONE"),
                    (1000.0, "NONE+"),
                    (1500.0, "NONE++"),
                    (2000.0, "NONE+++"),
                    (3000.0, "MERCURY"),
                    (4000.0, "MERCURY+"),
                    (5000.0, "MERCURY++"),
                    (6000.0, "MERCURY+++"),
                    (7000.0, "VENUS"),
                    (8000.0, "VENUS+"),
                    (9000.0, "VENUS++"),
                    (10000.0, "VENUS+++"),
                    (11500.0, "EARTH"),
                    (13000.0, "EARTH+"),
                    (14500.0, "EARTH++"),
                    (16000.0, "EARTH+++"),
                    (18000.0, "MARS"),
                    (20000.0, "MARS+"),
                    (22000.0, "MARS++"),
                    (24000.0, "MARS+++"),
                    (26500.0, "JUPITER"),
                    (29000.0, "JUPITER+"),
                    (31500.0, "JUPITER++"),
                    (34000.0, "JUPITER+++"),
                    (36750.0, "SATURN"),
                    (39500.0, "SATURN+"),
                    (42250.0, "SATURN++"),
                    (45000.0, "SATURN+++"),
                    (48750.0, "URANUS"),
                    (52500.0, "URANUS+"),
                    (56250.0, "URANUS++"),
                    (60000.0, "URANUS+++"),
                    (63750.0, "NEPTUNE"),
                    (67500.0, "NEPTUNE+"),
                    (71250.0, "NEPTUNE++"),
                    (75000.0, "NEPTUNE+++"),
                    (78750.0, "SUN"),
                    (82500.0, "SUN+"),
                    (86250.0, "SUN++"),
                    (90000.0, "SUN+++"),
                ],
                otherwise: "WORLD",
            },
        }),
    }],
    grades: GradeConfig {
        table: "DDR_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "E",
                lower_bound: f64::NEG_INFINITY,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "D+",
                lower_bound: 550000.0,
            },
            GradeBoundary {
                grade: "C-",
                lower_bound: 590000.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 600000.0,
            },
            GradeBoundary {
                grade: "C+",
                lower_bound: 650000.0,
            },
            GradeBoundary {
                grade: "B-",
                lower_bound: 690000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "B+",
                lower_bound: 750000.0,
            },
            GradeBoundary {
                grade: "A-",
                lower_bound: 790000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "A+",
                lower_bound: 850000.0,
            },
            GradeBoundary {
                grade: "AA-",
                lower_bound: 890000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "AA+",
                lower_bound: 950000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 990000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::DdrSongHash,
    ],
    score_meta: &[],
};

pub(super) static DDR_DP: GptConfig = GptConfig {
    gpt: Gpt::DdrDp,
    difficulties: Difficulties::Fixed {
        order: &["BEGINNER", "BASIC", "DIFFICULT", "EXPERT", "CHALLENGE"],
        default: "EXPERT",
    },
    versions: &[
        ("a", "A"),
        ("a20", "A20"),
        ("a20plus", "A20+"),
        ("a3", "A3"),
        ("konaste", "Konaste"),
        ("world", "World"),
    ],
    judgements: &["MARVELOUS", "PERFECT", "GREAT", "GOOD", "MISS", "OK"],
    provided_metrics: &[
        MetricConfig {
            name: "score",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: Some(1000000.0),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "lamp",
            kind: MetricKind::Enum {
                values: &[
                    "FAILED",
                    "ASSIST",
                    "CLEAR",
                    "FULL COMBO",
                    "GREAT FULL COMBO",
                    "PERFECT FULL COMBO",
                    "MARVELOUS FULL COMBO",
                    "LIFE4",
                ],
                minimum_relevant: Some("CLEAR"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    derived_metrics: &[MetricConfig {
        name: "grade",
        kind: MetricKind::Enum {
            values: &[
                "E", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+", "AA-", "AA",
                "AA+", "AAA",
            ],
            minimum_relevant: Some("D"),
        },
        chart_dependent_max: false,
        part_of_score_id: false,
    }],
    optional_metrics: &[
        MetricConfig {
            name: "flare",
            kind: MetricKind::Enum {
                values: &[
                    "0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "EX",
                ],
                minimum_relevant: Some("0"),
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "exScore",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: true,
        },
        MetricConfig {
            name: "fast",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "slow",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
        MetricConfig {
            name: "maxCombo",
            kind: MetricKind::Integer {
                min: Some(0.0),
                max: None,
            },
            chart_dependent_max: false,
            part_of_score_id: false,
        },
    ],
    default_metric: "score",
    preferred_default_enum: "lamp",
    score_rating_algs: &["flareSkill"],
    session_rating_algs: &[RatingAlgConfig {
        name: "flareSkill",
        aggregation: Aggregation::AverageOfBestN {
            source: "flareSkill",
            n: 10,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: None,
        },
    }],
    profile_rating_algs: &[RatingAlgConfig {
        name: "flareSkill",
        aggregation: Aggregation::Custom,
    }],
    classes: &[ClassConfig {
        name: "flare",
        kind: ClassKind::Derived,
        values: &[
            ClassValue {
                id: "NONE",
                display: "NONE",
                hover_text: None,
            },
            ClassValue {
                id: "NONE+",
                display: "NONE+",
                hover_text: None,
            },
            ClassValue {
                id: "NONE++",
                display: "NONE++",
                hover_text: None,
            },
            ClassValue {
                id: "NONE+++",
                display: "NONE+++",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY",
                display: "水星 / MERCURY",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY+",
                display: "水星 / MERCURY+",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY++",
                display: "水星 / MERCURY++",
                hover_text: None,
            },
            ClassValue {
                id: "MERCURY+++",
                display: "水星 / MERCURY+++",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS",
                display: "金星 / VENUS",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS+",
                display: "金星 / VENUS+",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS++",
                display: "金星 / VENUS++",
                hover_text: None,
            },
            ClassValue {
                id: "VENUS+++",
                display: "金星 / VENUS+++",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH",
                display: "地球 / EARTH",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH+",
                display: "地球 / EARTH+",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH++",
                display: "地球 / EARTH++",
                hover_text: None,
            },
            ClassValue {
                id: "EARTH+++",
                display: "地球 / EARTH+++",
                hover_text: None,
            },
            ClassValue {
                id: "MARS",
                display: "火星 / MARS",
                hover_text: None,
            },
            ClassValue {
                id: "MARS+",
                display: "火星 / MARS+",
                hover_text: None,
            },
            ClassValue {
                id: "MARS++",
                display: "火星 / MARS++",
                hover_text: None,
            },
            ClassValue {
                id: "MARS+++",
                display: "火星 / MARS+++",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER",
                display: "木星 / JUPITER",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER+",
                display: "木星 / JUPITER+",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER++",
                display: "木星 / JUPITER++",
                hover_text: None,
            },
            ClassValue {
                id: "JUPITER+++",
                display: "木星 / JUPITER+++",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN",
                display: "土星 / SATURN",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN+",
                display: "土星 / SATURN+",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN++",
                display: "土星 / SATURN++",
                hover_text: None,
            },
            ClassValue {
                id: "SATURN+++",
                display: "土星 / SATURN+++",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS",
                display: "天王星 / URANUS",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS+",
                display: "天王星 / URANUS+",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS++",
                display: "天王星 / URANUS++",
                hover_text: None,
            },
            ClassValue {
                id: "URANUS+++",
                display: "天王星 / URANUS+++",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE",
                display: "海王星 / NEPTUNE",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE+",
                display: "海王星 / NEPTUNE+",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE++",
                display: "海王星 / NEPTUNE++",
                hover_text: None,
            },
            ClassValue {
                id: "NEPTUNE+++",
                display: "海王星 / NEPTUNE+++",
                hover_text: None,
            },
            ClassValue {
                id: "SUN",
                display: "太陽 / SUN",
                hover_text: None,
            },
            ClassValue {
                id: "SUN+",
                display: "太陽 / SUN+",
                hover_text: None,
            },
            ClassValue {
                id: "SUN++",
                display: "太陽 / SUN++",
                hover_text: None,
            },
            ClassValue {
                id: "SUN+++",
                display: "太陽 / SUN+++",
                hover_text: None,
            },
            ClassValue {
                id: "WORLD",
                display: "世界 / WORLD",
                hover_text: None,
            },
        ],
        derivation: Some(ClassDerivation {
            from_profile_rating: "flareSkill",
            rule: ClassRule::UpperBounds {
                steps: &[
                    (500.0, "NONE"),
                    (1000.0, "NONE+"),
                    (1500.0, "NONE++"),
                    (2000.0, "NONE+++"),
                    (3000.0, "MERCURY"),
                    (4000.0, "MERCURY+"),
                    (5000.0, "MERCURY++"),
                    (6000.0, "MERCURY+++"),
                    (7000.0, "VENUS"),
                    (8000.0, "VENUS+"),
                    (9000.0, "VENUS++"),
                    (10000.0, "VENUS+++"),
                    (11500.0, "EARTH"),
                    (13000.0, "EARTH+"),
                    (14500.0, "EARTH++"),
                    (16000.0, "EARTH+++"),
                    (18000.0, "MARS"),
                    (20000.0, "MARS+"),
                    (22000.0, "MARS++"),
                    (24000.0, "MARS+++"),
                    (26500.0, "JUPITER"),
                    (29000.0, "JUPITER+"),
                    (31500.0, "JUPITER++"),
                    (34000.0, "JUPITER+++"),
                    (36750.0, "SATURN"),
                    (39500.0, "SATURN+"),
                    (42250.0, "SATURN++"),
                    (45000.0, "SATURN+++"),
                    (48750.0, "URANUS"),
                    (52500.0, "URANUS+"),
                    (56250.0, "URANUS++"),
                    (60000.0, "URANUS+++"),
                    (63750.0, "NEPTUNE"),
                    (67500.0, "NEPTUNE+"),
                    (71250.0, "NEPTUNE++"),
                    (75000.0, "NEPTUNE+++"),
                    (78750.0, "SUN"),
                    (82500.0, "SUN+"),
                    (86250.0, "SUN++"),
                    (90000.0, "SUN+++"),
                ],
                otherwise: "WORLD",
            },
        }),
    }],
    grades: GradeConfig {
        table: "DDR_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            GradeBoundary {
                grade: "E",
                lower_bound: f64::NEG_INFINITY,
            },
            GradeBoundary {
                grade: "D",
                lower_bound: 0.0,
            },
            GradeBoundary {
                grade: "D+",
                lower_bound: 550000.0,
            },
            GradeBoundary {
                grade: "C-",
                lower_bound: 590000.0,
            },
            GradeBoundary {
                grade: "C",
                lower_bound: 600000.0,
            },
            GradeBoundary {
                grade: "C+",
                lower_bound: 650000.0,
            },
            GradeBoundary {
                grade: "B-",
                lower_bound: 690000.0,
            },
            GradeBoundary {
                grade: "B",
                lower_bound: 700000.0,
            },
            GradeBoundary {
                grade: "B+",
                lower_bound: 750000.0,
            },
            GradeBoundary {
                grade: "A-",
                lower_bound: 790000.0,
            },
            GradeBoundary {
                grade: "A",
                lower_bound: 800000.0,
            },
            GradeBoundary {
                grade: "A+",
                lower_bound: 850000.0,
            },
            GradeBoundary {
                grade: "AA-",
                lower_bound: 890000.0,
            },
            GradeBoundary {
                grade: "AA",
                lower_bound: 900000.0,
            },
            GradeBoundary {
                grade: "AA+",
                lower_bound: 950000.0,
            },
            GradeBoundary {
                grade: "AAA",
                lower_bound: 990000.0,
            },
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
        MatchType::DdrSongHash,
    ],
    score_meta: &[],
};

pub(super) fn config(gpt: Gpt) -> &'static GptConfig {
    match gpt {
        Gpt::IidxSp => &IIDX_SP,
        Gpt::IidxDp => &IIDX_DP,
        Gpt::MusecaSingle => &MUSECA_SINGLE,
        Gpt::SdvxSingle => &SDVX_SINGLE,
        Gpt::Bms14K => &BMS_14K,
        Gpt::Bms7K => &BMS_7K,
        Gpt::GitadoraDora => &GITADORA_DORA,
        Gpt::GitadoraGita => &GITADORA_GITA,
        Gpt::ChunithmSingle => &CHUNITHM_SINGLE,
        Gpt::WaccaSingle => &WACCA_SINGLE,
        Gpt::JubeatSingle => &JUBEAT_SINGLE,
        Gpt::Popn9B => &POPN_9B,
        Gpt::MaimaiSingle => &MAIMAI_SINGLE,
        Gpt::MaimaidxSingle => &MAIMAIDX_SINGLE,
        Gpt::PmsController => &PMS_CONTROLLER,
        Gpt::PmsKeyboard => &PMS_KEYBOARD,
        Gpt::UscController => &USC_CONTROLLER,
        Gpt::UscKeyboard => &USC_KEYBOARD,
        Gpt::ItgStamina => &ITG_STAMINA,
        Gpt::ArcaeaTouch => &ARCAEA_TOUCH,
        Gpt::OngekiSingle => &ONGEKI_SINGLE,
        Gpt::DdrSp => &DDR_SP,
        Gpt::DdrDp => &DDR_DP,
    }
}
