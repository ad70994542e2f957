//! DanceDanceRevolution: its configs, derived metrics, score ratings and validators.

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
use kaiden_core::score::{MetricValue, ScoreData};

/// What both playtypes share (the config of DDR_SP).
const DDR: GptConfig = GptConfig {
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
        metric("score", int(Some(0.0), Some(1000000.0))),
        metric(
            "lamp",
            enum_of(
                &[
                    "FAILED",
                    "ASSIST",
                    "CLEAR",
                    "FULL COMBO",
                    "GREAT FULL COMBO",
                    "PERFECT FULL COMBO",
                    "MARVELOUS FULL COMBO",
                    "LIFE4",
                ],
                Some("CLEAR"),
            ),
        ),
    ],
    derived_metrics: &[metric(
        "grade",
        enum_of(
            &[
                "E", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+", "AA-", "AA",
                "AA+", "AAA",
            ],
            Some("D"),
        ),
    )],
    optional_metrics: &[
        metric(
            "flare",
            enum_of(
                &[
                    "0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "EX",
                ],
                Some("0"),
            ),
        ),
        metric("exScore", int(Some(0.0), None))
            .positive_integer()
            .in_score_id(),
        metric("fast", int(Some(0.0), None)).positive_integer(),
        metric("slow", int(Some(0.0), None)).positive_integer(),
        metric("maxCombo", int(Some(0.0), None)).positive_integer(),
    ],
    default_metric: "score",
    preferred_default_enum: "lamp",
    score_rating_algs: &["flareSkill"],
    session_rating_algs: &[average_of_best("flareSkill", "flareSkill", 10, true)],
    profile_rating_algs: &[custom_rating("flareSkill")],
    classes: &[derived(
        "flare",
        &[
            cv("NONE", "NONE", None),
            cv("NONE+", "NONE+", None),
            cv("NONE++", "NONE++", None),
            cv("NONE+++", "NONE+++", None),
            cv("MERCURY", "水星 / MERCURY", None),
            cv("MERCURY+", "水星 / MERCURY+", None),
            cv("MERCURY++", "水星 / MERCURY++", None),
            cv("MERCURY+++", "水星 / MERCURY+++", None),
            cv("VENUS", "金星 / VENUS", None),
            cv("VENUS+", "金星 / VENUS+", None),
            cv("VENUS++", "金星 / VENUS++", None),
            cv("VENUS+++", "金星 / VENUS+++", None),
            cv("EARTH", "地球 / EARTH", None),
            cv("EARTH+", "地球 / EARTH+", None),
            cv("EARTH++", "地球 / EARTH++", None),
            cv("EARTH+++", "地球 / EARTH+++", None),
            cv("MARS", "火星 / MARS", None),
            cv("MARS+", "火星 / MARS+", None),
            cv("MARS++", "火星 / MARS++", None),
            cv("MARS+++", "火星 / MARS+++", None),
            cv("JUPITER", "木星 / JUPITER", None),
            cv("JUPITER+", "木星 / JUPITER+", None),
            cv("JUPITER++", "木星 / JUPITER++", None),
            cv("JUPITER+++", "木星 / JUPITER+++", None),
            cv("SATURN", "土星 / SATURN", None),
            cv("SATURN+", "土星 / SATURN+", None),
            cv("SATURN++", "土星 / SATURN++", None),
            cv("SATURN+++", "土星 / SATURN+++", None),
            cv("URANUS", "天王星 / URANUS", None),
            cv("URANUS+", "天王星 / URANUS+", None),
            cv("URANUS++", "天王星 / URANUS++", None),
            cv("URANUS+++", "天王星 / URANUS+++", None),
            cv("NEPTUNE", "海王星 / NEPTUNE", None),
            cv("NEPTUNE+", "海王星 / NEPTUNE+", None),
            cv("NEPTUNE++", "海王星 / NEPTUNE++", None),
            cv("NEPTUNE+++", "海王星 / NEPTUNE+++", None),
            cv("SUN", "太陽 / SUN", None),
            cv("SUN+", "太陽 / SUN+", None),
            cv("SUN++", "太陽 / SUN++", None),
            cv("SUN+++", "太陽 / SUN+++", None),
            cv("WORLD", "世界 / WORLD", None),
        ],
        "flareSkill",
        ClassRule::UpperBounds {
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
    )],
    grades: GradeConfig {
        table: "DDR_GBOUNDARIES",
        graded_on: "score",
        boundaries: &[
            gb("E", f64::NEG_INFINITY),
            gb("D", 0.0),
            gb("D+", 550000.0),
            gb("C-", 590000.0),
            gb("C", 600000.0),
            gb("C+", 650000.0),
            gb("B-", 690000.0),
            gb("B", 700000.0),
            gb("B+", 750000.0),
            gb("A-", 790000.0),
            gb("A", 800000.0),
            gb("A+", 850000.0),
            gb("AA-", 890000.0),
            gb("AA", 900000.0),
            gb("AA+", 950000.0),
            gb("AAA", 990000.0),
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

/// DDR_SP.
pub(crate) static DDR_SP: GptConfig = DDR;

/// DDR_DP: the same but for its name.
pub(crate) static DDR_DP: GptConfig = GptConfig {
    gpt: Gpt::DdrDp,
    ..DDR
};

/// What DanceDanceRevolution does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive,
    score_rating,
    chart_check: super::no_chart_check,
    validate,
    custom_profile,
    pb: &PB,
    profile_reads_songs: true,
};

/// DDR flare ranks in order; the position is the flare level.
const DDR_FLARES: [&str; 11] = [
    "0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "EX",
];

pub(super) fn derive(
    gpt: Gpt,
    data: &ScoreData,
    _chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    let grade = if need_str(data, gpt, "lamp")? == "FAILED" {
        MetricValue::Str("E".into())
    } else {
        grade(gpt, need_number(data, gpt, "score")?)?
    };
    out.push(("grade", grade));
    Ok(())
}

pub(super) fn validate(data: &ScoreData, chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    let l = sc.lamp("lamp");
    let (ma, pe, gr, go, ok, mi) = (
        sc.j("MARVELOUS"),
        sc.j("PERFECT"),
        sc.j("GREAT"),
        sc.j("GOOD"),
        sc.j("OK"),
        sc.j("MISS"),
    );
    if let (Some(steps), Some(ma), Some(pe), Some(gr), Some(go), Some(okc), Some(_)) =
        (chart.data.step_count, ma, pe, gr, go, ok, mi)
    {
        if l != "FAILED" {
            let max_points = 5.0 * steps;
            let points = 5.0 * (ma + pe + okc) + 3.0 * gr + go;
            let penalised = points * 100_000.0 - (pe + gr + go) * max_points;
            let calc = (penalised / max_points).floor() * 10.0;
            if calc != sc.num("score") {
                e.push(format!(
                    "Expected calculated score from judgements of {} to equal score of {}.",
                    fmt_num(calc),
                    fmt_num(sc.num("score"))
                ));
            }
        }
    }
    if let (Some(ma), Some(pe), Some(gr), Some(go), Some(mi)) = (ma, pe, gr, go, mi) {
        let _ = ma;
        // Tachi's words, typo included.
        let refused = match l {
            "FULL COMBO" if mi > 0.0 => Some("Cannot have a FULL COMBO with more than 0 MISS"),
            "GREAT FULL COMBO" if mi > 0.0 || go > 0.0 => {
                Some("Cannot have a GREAT FULL COMBO with more than 0 MISS and GOOD")
            }
            "PERFECT FULL COMBO" if mi > 0.0 || go > 0.0 || gr > 0.0 => {
                Some("Cannot have a PERFECT FULL COMBO with more than 0 MISS, GOOD and GREAT")
            }
            "MARVELOUS FULL COMBO" if mi > 0.0 || go > 0.0 || gr > 0.0 || pe > 0.0 => Some(
                "Cannot have a MARVELOUS FULL COMBO with anyhing else than MARVELOUS judgements",
            ),
            _ => None,
        };
        e.extend(refused.map(str::to_owned));
    }
    if let (Some(ma), Some(pe), Some(gr), Some(okc), Some(ex)) =
        (ma, pe, gr, ok, data.optional_number("exScore"))
    {
        let calc = ma * 3.0 + okc * 3.0 + pe * 2.0 + gr;
        if calc != ex {
            e.push(format!(
                "EXScore expected to be {} instead of {}",
                fmt_num(calc),
                fmt_num(ex)
            ));
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
        "flareSkill" => {
            if need_str(data, gpt, "lamp")? == "FAILED" {
                return Ok(Some(0.0));
            }
            let flare = match data.optional.get("flare").and_then(MetricValue::as_str) {
                Some(f) => DDR_FLARES
                    .iter()
                    .position(|x| *x == f)
                    .ok_or_else(|| internal(format!("unknown flare {f}")))?,
                None => 0,
            };
            rated(rating::ddr_flare(level, flare))
        }
        _ => Err(no_rating(gpt, alg)),
    }
}

/// DDR: best 30 flare points in each of the CLASSIC, WHITE and GOLD categories.
fn flare_skill(pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    let mut buckets: HashMap<&str, Vec<f64>> = HashMap::new();
    for pb in pbs.iter().filter(|p| p.is_primary) {
        let Some(v) = pb.calculated_data.get("flareSkill").copied().flatten() else {
            continue;
        };
        let Some(cat) = songs
            .songs
            .get(&pb.song_id)
            .and_then(|s| s.data_str("flareCategory"))
        else {
            continue;
        };
        if let Some(cat) = ["CLASSIC", "WHITE", "GOLD"].into_iter().find(|c| *c == cat) {
            buckets.entry(cat).or_default().push(v);
        }
    }
    if buckets.is_empty() {
        return None;
    }
    Some(
        buckets
            .into_values()
            .map(|v| best_n(v, 30).iter().sum::<f64>())
            .sum(),
    )
}

fn custom_profile(name: &str, pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    (name == "flareSkill")
        .then(|| flare_skill(pbs, songs))
        .flatten()
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[LAMP_ONLY, BEST_SCORE_GRADE, BEST_EX],
    ranking_tiebreak: None,
};
