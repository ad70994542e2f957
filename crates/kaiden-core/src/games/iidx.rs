//! beatmania IIDX: its configs.

use super::build::*;
use super::shared;
use crate::config::*;
use crate::game::Gpt;
use crate::query::MatchType;

/// The random options, per side on DP.
const RANDOMS: &[&str] = &["NONRAN", "MIRROR", "R-RANDOM", "RANDOM", "S-RANDOM"];

const ASSIST: MetaField = meta(
    "assist",
    MetaFieldKind::Enum(&["AUTO SCRATCH", "LEGACY NOTE", "NO ASSIST", "FULL ASSIST"]),
);

const RANGE: MetaField = meta(
    "range",
    MetaFieldKind::Enum(&[
        "NONE",
        "HIDDEN+",
        "SUDDEN+",
        "LIFT",
        "LIFT SUD+",
        "SUD+ HID+",
    ]),
);

const GAUGE: MetaField = meta(
    "gauge",
    MetaFieldKind::Enum(&["ASSISTED EASY", "EASY", "NORMAL", "HARD", "EX-HARD"]),
);

/// What both playtypes share (the config of IIDX_SP).
const IIDX: GptConfig = GptConfig {
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
    provided_metrics: shared::BMS_PROVIDED_METRICS,
    derived_metrics: &[
        metric("percent", dec(Some(0.0), Some(100.0))),
        metric(
            "grade",
            enum_of(
                &["F", "E", "D", "C", "B", "A", "AA", "AAA", "MAX-", "MAX"],
                Some("A"),
            ),
        ),
    ],
    optional_metrics: &[
        metric("fast", int(Some(0.0), None)),
        metric("slow", int(Some(0.0), None)),
        metric("maxCombo", int(Some(0.0), None)),
        metric("bp", int(Some(0.0), None)),
        metric("gauge", dec(Some(0.0), Some(100.0))),
        metric("comboBreak", int(Some(0.0), None)),
        metric(
            "gaugeHistory",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
        metric(
            "scoreHistory",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
        metric(
            "gsmEasy",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
        metric(
            "gsmNormal",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
        metric(
            "gsmHard",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
        metric(
            "gsmEXHard",
            MetricKind::Graph {
                nullable: true,
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
    ],
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["ktLampRating", "BPI"],
    session_rating_algs: &[
        average_of_best("ktLampRating", "ktLampRating", 10, true),
        average_of_best("BPI", "BPI", 10, true),
    ],
    profile_rating_algs: &[
        average_of_best("ktLampRating", "ktLampRating", 20, false),
        average_of_best("BPI", "BPI", 20, true),
    ],
    classes: &[provided(
        "dan",
        &[
            cv("KYU_7", "七級", Some("7th Kyu")),
            cv("KYU_6", "六級", Some("6th Kyu")),
            cv("KYU_5", "五級", Some("5th Kyu")),
            cv("KYU_4", "四級", Some("4th Kyu")),
            cv("KYU_3", "三級", Some("3rd Kyu")),
            cv("KYU_2", "二級", Some("2nd Kyu")),
            cv("KYU_1", "一級", Some("1st Kyu")),
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
            cv("CHUUDEN", "中伝", Some("Chuuden")),
            cv("KAIDEN", "皆伝", Some("Kaiden")),
        ],
    )],
    grades: shared::IIDXLIKE_GRADES,
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::TachiSongId,
        MatchType::SongTitle,
    ],
    score_meta: &[
        meta("random", MetaFieldKind::Enum(RANDOMS)),
        ASSIST,
        RANGE,
        GAUGE,
    ],
};

/// IIDX_SP.
pub(crate) static IIDX_SP: GptConfig = IIDX;

/// IIDX_DP: `random` is one per side.
pub(crate) static IIDX_DP: GptConfig = GptConfig {
    gpt: Gpt::IidxDp,
    score_meta: &[
        meta("random", MetaFieldKind::EnumPair(RANDOMS)),
        ASSIST,
        RANGE,
        GAUGE,
    ],
    ..IIDX
};
