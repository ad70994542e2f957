//! jubeat: its configs, derived metrics, score ratings and validators.

use super::Rules;
use crate::config::pb::*;
use std::collections::HashMap;

use super::build::*;
use super::checks::*;
use crate::config::*;
use crate::profile::{SongMap, best_n};
use crate::rating;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::host::PbRatings;
use kaiden_core::query::MatchType;
use kaiden_core::score::ScoreData;

/// The JUBEAT SINGLE config.
pub(crate) static JUBEAT_SINGLE: GptConfig = GptConfig {
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
        metric("score", int(Some(0.0), Some(1000000.0))),
        metric("musicRate", dec(None, None)).chart_max(),
        metric(
            "lamp",
            enum_of(
                &["FAILED", "CLEAR", "FULL COMBO", "EXCELLENT"],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(
            &["E", "D", "C", "B", "A", "S", "SS", "SSS", "EXC"],
            Some("A"),
        ),
    )],
    optional_metrics: &[
        metric("fast", int(Some(0.0), None)).positive_integer(),
        metric("slow", int(Some(0.0), None)).positive_integer(),
        metric("maxCombo", int(Some(0.0), None)).positive_integer(),
        metric(
            "musicBar",
            MetricKind::Graph {
                nullable: false,
                min: Some(0.0),
                max: Some(3.0),
                integer: true,
            },
        )
        .bounded_integer(0.0, 3.0),
    ],
    default_metric: "musicRate",
    preferred_default_enum: "grade",
    score_rating_algs: &["jubility"],
    session_rating_algs: &[average_of_best("jubility", "jubility", 10, true)],
    profile_rating_algs: &[
        custom_rating("jubility"),
        sum_of_best("naiveJubility", "jubility", 60, false),
    ],
    classes: &[derived(
        "colour",
        &[
            cv("BLACK", "Black", None),
            cv("YELLOW_GREEN", "Yellow-Green", None),
            cv("GREEN", "Green", None),
            cv("LIGHT_BLUE", "Light Blue", None),
            cv("BLUE", "Blue", None),
            cv("VIOLET", "Violet", None),
            cv("PURPLE", "Purple", None),
            cv("PINK", "Pink", None),
            cv("ORANGE", "Orange", None),
            cv("GOLD", "Gold", None),
        ],
        "jubility",
        ClassRule::Thresholds {
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
    )],
    grades: GradeConfig {
        table: "JUBEAT_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("E", 0.0),
            gb("D", 500000.0),
            gb("C", 700000.0),
            gb("B", 800000.0),
            gb("A", 850000.0),
            gb("S", 900000.0),
            gb("SS", 950000.0),
            gb("SSS", 980000.0),
            gb("EXC", 1000000.0),
        ],
    },
    supported_match_types: &[MatchType::InGameId, MatchType::TachiSongId],
    score_meta: &[],
};

/// What jubeat does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::grade_on_score,
    score_rating,
    chart_check,
    validate,
    custom_profile,
    pb: &PB,
    profile_reads_songs: true,
};

pub(super) fn chart_check(metric: &str, value: f64, chart: &ChartDocument) -> Option<String> {
    // Tachi checks the music rate only on the six difficulties it names.
    let max = match (metric, chart.difficulty.as_str()) {
        ("musicRate", "BSC" | "ADV" | "EXT") => 100.0,
        ("musicRate", "HARD BSC" | "HARD ADV" | "HARD EXT") => 120.0,
        _ => return None,
    };
    Validator::Between(0.0, max).message(value)
}

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let s = sc.num("score");
    if l == "EXCELLENT" {
        rule(
            e,
            s == 1_000_000.0,
            "An EXCELLENT lamp must be accompanied with a score of 1 million.",
        );
        rule(
            e,
            sc.j0("good") + sc.j0("great") + sc.j0("miss") + sc.j0("poor") == 0.0,
            "An EXCELLENT lamp can't have any non-perfect judgements.",
        );
    } else if s == 1_000_000.0 {
        rule(
            e,
            false,
            "A score of 1 million must be accompanied with an EXCELLENT lamp.",
        );
    }
    if l == "FULL COMBO" {
        rule(
            e,
            sc.j0("miss") == 0.0,
            "A FULL COMBO cannot have any misses.",
        );
    }
    if s < 700_000.0 {
        rule(e, l == "FAILED", "A score of <700k must be a fail.");
    } else {
        rule(e, l != "FAILED", "A score >=700k must be a clear.");
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
        "jubility" => rated(rating::jubility(
            need_number(data, gpt, "score")?,
            need_number(data, gpt, "musicRate")?,
            level,
        )),
        _ => Err(no_rating(gpt, alg)),
    }
}

/// jubeat: best 30 on songs of the current "hot" version plus best 30 elsewhere,
/// one per song and difficulty (HARD charts fold into their normal difficulty).
fn jubility(pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    const HOT_VERSION: &str = "ave";
    let mut best: HashMap<(bool, i64, String), f64> = HashMap::new();
    for pb in pbs {
        let Some(v) = pb.calculated_data.get("jubility").copied().flatten() else {
            continue;
        };
        let hot = songs
            .songs
            .get(&pb.song_id)
            .and_then(|s| s.data_str("displayVersion"))
            == Some(HOT_VERSION);
        let difficulty = songs
            .difficulties
            .get(&pb.chart_id)
            .map_or("", String::as_str);
        let key = (
            hot,
            pb.song_id,
            difficulty.trim_start_matches("HARD ").to_owned(),
        );
        let e = best.entry(key).or_insert(f64::NEG_INFINITY);
        if v > *e {
            *e = v;
        }
    }
    if best.is_empty() {
        return None;
    }
    let pool = |hot: bool| -> f64 {
        best_n(
            best.iter()
                .filter(|(k, _)| k.0 == hot)
                .map(|(_, v)| *v)
                .collect(),
            30,
        )
        .iter()
        .sum()
    };
    Some(pool(true) + pool(false))
}

fn custom_profile(name: &str, pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    (name == "jubility").then(|| jubility(pbs, songs)).flatten()
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Music Rate",
    mergers: &[LAMP_ONLY, BEST_SCORE_GRADE],
    ranking_tiebreak: None,
};
