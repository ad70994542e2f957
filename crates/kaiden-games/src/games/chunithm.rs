//! CHUNITHM: its configs, derived metrics, score ratings and validators.

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

/// The CHUNITHM SINGLE config.
pub(crate) static CHUNITHM_SINGLE: GptConfig = GptConfig {
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
        metric("score", int(Some(0.0), Some(1010000.0))),
        metric(
            "noteLamp",
            enum_of(
                &["NONE", "FULL COMBO", "ALL JUSTICE", "ALL JUSTICE CRITICAL"],
                Some("FULL COMBO"),
            ),
        ),
        metric(
            "clearLamp",
            enum_of(
                &[
                    "FAILED",
                    "CLEAR",
                    "HARD",
                    "BRAVE",
                    "ABSOLUTE",
                    "CATASTROPHY",
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
            "scoreGraph",
            MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(1010000.0),
                integer: false,
            },
        ),
        metric(
            "lifeGraph",
            MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(999.0),
                integer: false,
            },
        ),
    ],
    default_metric: "score",
    preferred_default_enum: "grade",
    score_rating_algs: &["rating"],
    session_rating_algs: &[average_of_best("naiveRating", "rating", 10, true)],
    profile_rating_algs: &[average_of_best("naiveRating", "rating", 50, false).multiplied(100.0)],
    classes: &[
        derived(
            "colour",
            &[
                cv("BLUE", "青", Some("Blue: 0 - 1.99 Rating")),
                cv("GREEN", "緑", Some("Green: 2 - 3.99 Rating")),
                cv("ORANGE", "橙", Some("Orange: 4 - 6.99 Rating")),
                cv("RED", "赤", Some("Red: 7 - 9.99 Rating")),
                cv("PURPLE", "紫", Some("Purple: 10 - 11.99 Rating")),
                cv("COPPER", "銅", Some("Copper: 12 - 13.24 Rating")),
                cv("SILVER", "銀", Some("Silver: 13.25 - 14.49 Rating")),
                cv("GOLD", "金", Some("Gold: 14.50 - 15.24 Rating")),
                cv("PLATINUM", "鉑", Some("Platinum: 15.25 - 15.99 Rating")),
                cv("RAINBOW", "虹★", Some("Rainbow I: >=16 Rating")),
                cv("RAINBOW_II", "虹★★", Some("Rainbow II: >=16.25 Rating")),
                cv("RAINBOW_III", "虹★★★", Some("Rainbow III: >=16.5 Rating")),
                cv("RAINBOW_IV", "虹★★★★", Some("Rainbow IV: >=16.75 Rating")),
                cv(
                    "RAINBOW_EX_I",
                    "虹(極)★",
                    Some("Rainbow Extreme I: >=17 Rating"),
                ),
                cv(
                    "RAINBOW_EX_II",
                    "虹(極)★★",
                    Some("Rainbow Extreme II: >=17.25 Rating"),
                ),
                cv(
                    "RAINBOW_EX_III",
                    "虹(極)★★★",
                    Some("Rainbow Extreme III: >=17.5 Rating"),
                ),
            ],
            "naiveRating",
            ClassRule::Thresholds {
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
        ),
        provided(
            "dan",
            &[
                cv("DAN_I", "I", Some("Class I")),
                cv("DAN_II", "II", Some("Class II")),
                cv("DAN_III", "III", Some("Class III")),
                cv("DAN_IV", "IV", Some("Class IV")),
                cv("DAN_V", "V", Some("Class V")),
                cv("DAN_INFINITE", "∞", Some("Infinite Class")),
            ],
        ),
        provided(
            "emblem",
            &[
                cv("DAN_I", "I", Some("Class I")),
                cv("DAN_II", "II", Some("Class II")),
                cv("DAN_III", "III", Some("Class III")),
                cv("DAN_IV", "IV", Some("Class IV")),
                cv("DAN_V", "V", Some("Class V")),
                cv("DAN_INFINITE", "∞", Some("Infinite Class")),
            ],
        ),
    ],
    grades: GradeConfig {
        table: "CHUNITHM_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("D", 0.0),
            gb("C", 500000.0),
            gb("B", 600000.0),
            gb("BB", 700000.0),
            gb("BBB", 800000.0),
            gb("A", 900000.0),
            gb("AA", 925000.0),
            gb("AAA", 950000.0),
            gb("S", 975000.0),
            gb("S+", 990000.0),
            gb("SS", 1000000.0),
            gb("SS+", 1005000.0),
            gb("SSS", 1007500.0),
            gb("SSS+", 1009000.0),
        ],
    },
    supported_match_types: &[
        MatchType::InGameId,
        MatchType::SongTitle,
        MatchType::TachiSongId,
    ],
    score_meta: &[],
};

/// What CHUNITHM does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_score,
    score_rating,
    chart_check: super::no_chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

/// Tachi's four CHUNITHM validators, each reporting its first complaint.
pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("noteLamp");
    let s = sc.num("score");
    const AJC: &str = "ALL JUSTICE CRITICAL";
    // The lamp against the score.
    if l == AJC && s != 1_010_000.0 {
        e.push("An ALL JUSTICE CRITICAL must have a score of 1.01 million.".to_owned());
    } else if l != AJC && s == 1_010_000.0 {
        e.push("A score of 1.01 million must have a lamp of ALL JUSTICE CRITICAL.".to_owned());
    } else if l == "ALL JUSTICE" && s < 1_000_000.0 {
        e.push(format!(
            "A score of {} cannot be an ALL JUSTICE.",
            fmt_num(s)
        ));
    } else if l == "FULL COMBO" && s < 500_000.0 {
        e.push(format!("A score of {} cannot be a FULL COMBO.", fmt_num(s)));
    }
    // The lamp against the judgements (absent ones count 0).
    let (a, ju, m) = (sc.j0("attack"), sc.j0("justice"), sc.j0("miss"));
    let lamp_judgements = match l {
        AJC if a + ju + m > 0.0 => {
            Some("Cannot have an ALL JUSTICE CRITICAL with any non-jcrit judgements.")
        }
        "ALL JUSTICE" if a + m > 0.0 => {
            Some("Cannot have an ALL JUSTICE if not all hits were justice or better.")
        }
        "FULL COMBO" if m > 0.0 => Some("Cannot have a FULL COMBO if the score has misses."),
        _ => None,
    };
    e.extend(lamp_judgements.map(str::to_owned));
    // maxCombo against the judgements, when all are given.
    if let (Some(mc), Some(a), Some(jc), Some(ju), Some(m)) = (
        data.optional_number("maxCombo"),
        sc.j("attack"),
        sc.j("jcrit"),
        sc.j("justice"),
        sc.j("miss"),
    ) {
        if l != "NONE" && jc + ju + a + m != mc {
            let article = if l == "FULL COMBO" { "a" } else { "an" };
            e.push(format!(
                "Cannot have {article} {l} if maxCombo is not equal to the sum of judgements."
            ));
        }
    }
    // The clear lamp against the judgements, when given.
    if let (Some(a), Some(ju), Some(m)) = (sc.j("attack"), sc.j("justice"), sc.j("miss")) {
        let n = ju + a + m;
        let clear = match sc.lamp("clearLamp") {
            "CATASTROPHY" if n >= 10.0 => {
                Some("Cannot have a CATASTROPHY clear with 10 or more non-jcrit judgements.")
            }
            "ABSOLUTE" if n >= 50.0 => {
                Some("Cannot have an ABSOLUTE clear with 50 or more non-jcrit judgements.")
            }
            "BRAVE" if n >= 150.0 => {
                Some("Cannot have a BRAVE clear with 150 or more non-jcrit judgements.")
            }
            // JUDGE allows 20 misses, JUDGE+ 10, EMBLEM 300 non-jcrits: which
            // skill was used is unknown, so only what none allows is refused.
            "HARD" if n >= 300.0 && m >= 20.0 => Some(
                "Cannot have a HARD clear with 300 or more non-jcrit judgements, and over 20 misses.",
            ),
            _ => None,
        };
        e.extend(clear.map(str::to_owned));
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
        "rating" => rated(rating::chunithm_rating(
            need_number(data, gpt, "score")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[
        PbMerger {
            name: "Best Note Lamp",
            direction: Largest,
            key: MergeKey::EnumIndex("noteLamp"),
            copies: &[M("noteLamp")],
        },
        PbMerger {
            name: "Best Clear Lamp",
            direction: Largest,
            key: MergeKey::EnumIndex("clearLamp"),
            copies: &[M("clearLamp")],
        },
    ],
    ranking_tiebreak: None,
};
