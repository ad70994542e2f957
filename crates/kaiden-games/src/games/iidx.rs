//! beatmania IIDX: its configs, derived metrics, score ratings and validators.

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
        metric("fast", int(Some(0.0), None)).positive_integer(),
        metric("slow", int(Some(0.0), None)).positive_integer(),
        metric("maxCombo", int(Some(0.0), None)).positive_integer(),
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

/// What beatmania IIDX does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive,
    score_rating,
    chart_check,
    validate,
    custom_profile: super::no_custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

/// IIDX/BMS/PMS percent, in Tachi's order of operations so that boundary scores
/// land on the right grade.
#[must_use]
pub fn iidx_like_percent(score: f64, notecount: f64) -> f64 {
    (100.0 * score) / (notecount * 2.0)
}

fn lamp_tier_rating(gpt: Gpt, lamp: &str, chart: &ChartDocument) -> f64 {
    let d = &chart.data;
    if gpt == Gpt::IidxDp {
        let ec = d.dp_tier.as_ref().map_or(chart.level_num, |t| t.value);
        return match lamp {
            "FULL COMBO" | "EX HARD CLEAR" | "HARD CLEAR" | "CLEAR" | "EASY CLEAR" => ec,
            _ => 0.0,
        };
    }
    let nc = d.nc_tier.as_ref().map_or(chart.level_num, |t| t.value);
    let hc = d.hc_tier.as_ref().map_or(0.0, |t| t.value).max(nc);
    let exhc = d.exhc_tier.as_ref().map_or(0.0, |t| t.value).max(hc);
    match lamp {
        "FULL COMBO" | "EX HARD CLEAR" => exhc,
        "HARD CLEAR" => hc,
        "CLEAR" => nc,
        _ => 0.0,
    }
}

pub(super) fn derive(
    gpt: Gpt,
    data: &ScoreData,
    chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    let score = need_number(data, gpt, "score")?;
    let notes = chart_number(chart.data.notecount, chart, "notecount")?;
    let percent = iidx_like_percent(score, notes);
    out.push(("percent", MetricValue::Number(percent)));
    out.push(("grade", grade(gpt, percent)?));
    Ok(())
}

pub(super) fn chart_check(metric: &str, value: f64, chart: &ChartDocument) -> Option<String> {
    if metric != "score" {
        return None;
    }
    if value < 0.0 {
        return Some("EX Score cannot be negative.".into());
    }
    // A chart without a notecount compares with NaN in Tachi: no error.
    let max = chart.data.notecount? * 2.0;
    (value > max).then(|| {
        format!(
            "EX Score cannot be greater than {} for this chart.",
            fmt_num(max)
        )
    })
}

pub(super) fn validate(data: &ScoreData, _chart: &ChartDocument, e: &mut Vec<String>) {
    let sc = Judged(data);
    if let (Some(pg), Some(gr)) = (sc.j("pgreat"), sc.j("great")) {
        let score = sc.num("score");
        #[allow(clippy::float_cmp)]
        if pg * 2.0 + gr != score {
            e.push(format!(
                "Expected PGreat*2 + Great to equal EX score. Got {}*2 + {} but that wasn't equal to the EX score of {}.",
                fmt_num(pg),
                fmt_num(gr),
                fmt_num(score)
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
    match alg {
        "ktLampRating" => Ok(Some(lamp_tier_rating(
            gpt,
            need_str(data, gpt, "lamp")?,
            chart,
        ))),
        "BPI" => {
            let (Some(kavg), Some(wr)) = (chart.data.kaiden_average, chart.data.world_record)
            else {
                return Ok(None);
            };
            let notes = chart_number(chart.data.notecount, chart, "notecount")?;
            rated(rating::poyashi_bpi(
                need_number(data, gpt, "score")?,
                kavg,
                wr,
                notes * 2.0,
                chart.data.bpi_coefficient,
            ))
        }
        _ => Err(no_rating(gpt, alg)),
    }
}

/// Its PB rules.
pub(super) static PB: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[
        lamp(&[
            M("lamp"),
            O("gsmEasy"),
            O("gsmNormal"),
            O("gsmHard"),
            O("gsmEXHard"),
            O("gauge"),
            O("gaugeHistory"),
            O("comboBreak"),
        ]),
        LOWEST_BP,
    ],
    ranking_tiebreak: None,
};
