//! BMS: its configs, derived metrics, score ratings and validators.

use super::Rules;
use super::build::*;
use super::checks::*;
use super::shared;
use crate::config::pb::*;
use crate::config::*;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::Gpt;
use kaiden_core::query::MatchType;
use kaiden_core::score::ScoreData;

/// Satellite (SL0–SL12) then Stella (ST0–ST12): 7K's `stslDan`; 14K has Satellite only.
const STSL: [ClassValue; 26] = [
    cv("SL0", "sl0", Some("Satellite 0")),
    cv("SL1", "sl1", Some("Satellite 1")),
    cv("SL2", "sl2", Some("Satellite 2")),
    cv("SL3", "sl3", Some("Satellite 3")),
    cv("SL4", "sl4", Some("Satellite 4")),
    cv("SL5", "sl5", Some("Satellite 5")),
    cv("SL6", "sl6", Some("Satellite 6")),
    cv("SL7", "sl7", Some("Satellite 7")),
    cv("SL8", "sl8", Some("Satellite 8")),
    cv("SL9", "sl9", Some("Satellite 9")),
    cv("SL10", "sl10", Some("Satellite 10")),
    cv("SL11", "sl11", Some("Satellite 11")),
    cv("SL12", "sl12", Some("Satellite 12")),
    cv("ST0", "st0", Some("Stella 0")),
    cv("ST1", "st1", Some("Stella 1")),
    cv("ST2", "st2", Some("Stella 2")),
    cv("ST3", "st3", Some("Stella 3")),
    cv("ST4", "st4", Some("Stella 4")),
    cv("ST5", "st5", Some("Stella 5")),
    cv("ST6", "st6", Some("Stella 6")),
    cv("ST7", "st7", Some("Stella 7")),
    cv("ST8", "st8", Some("Stella 8")),
    cv("ST9", "st9", Some("Stella 9")),
    cv("ST10", "st10", Some("Stella 10")),
    cv("ST11", "st11", Some("Stella 11")),
    cv("ST12", "st12", Some("Stella 12")),
];

const GENOCIDE_DAN: ClassConfig = provided(
    "genocideDan",
    &[
        cv("NORMAL_1", "☆1", Some("Normal 1st Dan")),
        cv("NORMAL_2", "☆2", Some("Normal 2nd Dan")),
        cv("NORMAL_3", "☆3", Some("Normal 3rd Dan")),
        cv("NORMAL_4", "☆4", Some("Normal 4th Dan")),
        cv("NORMAL_5", "☆5", Some("Normal 5th Dan")),
        cv("NORMAL_6", "☆6", Some("Normal 6th Dan")),
        cv("NORMAL_7", "☆7", Some("Normal 7th Dan")),
        cv("NORMAL_8", "☆8", Some("Normal 8th Dan")),
        cv("NORMAL_9", "☆9", Some("Normal 9th Dan")),
        cv("NORMAL_10", "☆10", Some("Normal 10th Dan")),
        cv("INSANE_1", "★1", Some("Insane 1st Dan")),
        cv("INSANE_2", "★2", Some("Insane 2nd Dan")),
        cv("INSANE_3", "★3", Some("Insane 3rd Dan")),
        cv("INSANE_4", "★4", Some("Insane 4th Dan")),
        cv("INSANE_5", "★5", Some("Insane 5th Dan")),
        cv("INSANE_6", "★6", Some("Insane 6th Dan")),
        cv("INSANE_7", "★7", Some("Insane 7th Dan")),
        cv("INSANE_8", "★8", Some("Insane 8th Dan")),
        cv("INSANE_9", "★9", Some("Insane 9th Dan")),
        cv("INSANE_10", "★10", Some("Insane 10th Dan")),
        cv("INSANE_KAIDEN", "★★", Some("Insane Kaiden")),
        cv("OVERJOY", "(^^)", Some("Overjoy")),
    ],
);

const INPUT_DEVICE: MetaField = meta(
    "inputDevice",
    MetaFieldKind::Enum(&["BM_CONTROLLER", "KEYBOARD", "MIDI"]),
)
.nullable();

const CLIENT: MetaField = meta("client", MetaFieldKind::Enum(&["lr2oraja", "LR2"])).nullable();

const GAUGE: MetaField = meta(
    "gauge",
    MetaFieldKind::Enum(&["EASY", "NORMAL", "HARD", "EX-HARD"]),
)
.nullable();

/// What BMS_7K and BMS_14K share.
const BMS: GptConfig = GptConfig {
    gpt: Gpt::Bms7K,
    difficulties: Difficulties::Fixed {
        order: &["CHART"],
        default: "CHART",
    },
    versions: &[],
    judgements: &["pgreat", "great", "good", "bad", "poor"],
    provided_metrics: shared::BMS_PROVIDED_METRICS,
    derived_metrics: shared::BMS_DERIVED_METRICS,
    optional_metrics: shared::BMS_OPTIONAL_METRICS,
    default_metric: "percent",
    preferred_default_enum: "lamp",
    score_rating_algs: &["sieglinde"],
    session_rating_algs: &[average_of_best("sieglinde", "sieglinde", 10, true)],
    profile_rating_algs: &[average_of_best("sieglinde", "sieglinde", 20, false)],
    classes: &[
        GENOCIDE_DAN,
        provided("stslDan", &STSL),
        provided(
            "newGenerationDan",
            &[
                cv("NORMAL_1", "▽1", Some("Normal 1st Dan")),
                cv("NORMAL_2", "▽2", Some("Normal 2nd Dan")),
                cv("NORMAL_3", "▽3", Some("Normal 3rd Dan")),
                cv("NORMAL_4", "▽4", Some("Normal 4th Dan")),
                cv("NORMAL_5", "▽5", Some("Normal 5th Dan")),
                cv("NORMAL_6", "▽6", Some("Normal 6th Dan")),
                cv("NORMAL_7", "▽7", Some("Normal 7th Dan")),
                cv("NORMAL_8", "▽8", Some("Normal 8th Dan")),
                cv("NORMAL_9", "▽9", Some("Normal 9th Dan")),
                cv("NORMAL_10", "▽10", Some("Normal 10th Dan")),
                cv("INSANE_0", "▼0", Some("Insane 0th Dan")),
                cv("INSANE_1", "▼1", Some("Insane 1st Dan")),
                cv("INSANE_2", "▼2", Some("Insane 2nd Dan")),
                cv("INSANE_3", "▼3", Some("Insane 3rd Dan")),
                cv("INSANE_4", "▼4", Some("Insane 4th Dan")),
                cv("INSANE_5", "▼5", Some("Insane 5th Dan")),
                cv("INSANE_6", "▼6", Some("Insane 6th Dan")),
                cv("INSANE_7", "▼7", Some("Insane 7th Dan")),
                cv("INSANE_8", "▼8", Some("Insane 8th Dan")),
                cv("INSANE_9", "▼9", Some("Insane 9th Dan")),
                cv("INSANE_10", "▼10", Some("Insane 10th Dan")),
                cv("INSANE_KAIDEN", "▼皆伝", Some("Insane Kaiden")),
            ],
        ),
        provided(
            "lnDan",
            &[
                cv("DAN_1", "◆1", Some("LN 1st Dan")),
                cv("DAN_2", "◆2", Some("LN 2nd Dan")),
                cv("DAN_3", "◆3", Some("LN 3rd Dan")),
                cv("DAN_4", "◆4", Some("LN 4th Dan")),
                cv("DAN_5", "◆5", Some("LN 5th Dan")),
                cv("DAN_6", "◆6", Some("LN 6th Dan")),
                cv("DAN_7", "◆7", Some("LN 7th Dan")),
                cv("DAN_8", "◆8", Some("LN 8th Dan")),
                cv("DAN_9", "◆9", Some("LN 9th Dan")),
                cv("DAN_10", "◆10", Some("LN 10th Dan")),
                cv("KAIDEN", "◆◆", Some("LN Kaiden")),
                cv("OVERJOY", "◆(^^)", Some("LN Overjoy")),
                cv("UDON", "◆うどん", Some("LN Udon")),
            ],
        ),
        provided(
            "scratchDan",
            &[
                cv("KYU_7", "七級", Some("Scratch 7th Kyu")),
                cv("KYU_6", "六級", Some("Scratch 6th Kyu")),
                cv("KYU_5", "五級", Some("Scratch 5th Kyu")),
                cv("KYU_4", "四級", Some("Scratch 4th Kyu")),
                cv("KYU_3", "三級", Some("Scratch 3rd Kyu")),
                cv("KYU_2", "二級", Some("Scratch 2nd Kyu")),
                cv("KYU_1", "一級", Some("Scratch 1st Kyu")),
                cv("DAN_1", "初段", Some("Scratch 1st Dan")),
                cv("DAN_2", "二段", Some("Scratch 2nd Dan")),
                cv("DAN_3", "三段", Some("Scratch 3rd Dan")),
                cv("DAN_4", "四段", Some("Scratch 4th Dan")),
                cv("DAN_5", "五段", Some("Scratch 5th Dan")),
                cv("DAN_6", "六段", Some("Scratch 6th Dan")),
                cv("DAN_7", "七段", Some("Scratch 7th Dan")),
                cv("DAN_8", "八段", Some("Scratch 8th Dan")),
                cv("DAN_9", "九段", Some("Scratch 9th Dan")),
                cv("DAN_10", "十段", Some("Scratch 10th Dan")),
                cv("KAIDEN", "皆伝", Some("Scratch Kaiden")),
            ],
        ),
    ],
    grades: shared::IIDXLIKE_GRADES,
    supported_match_types: &[MatchType::BmsChartHash, MatchType::TachiSongId],
    score_meta: &[
        meta(
            "random",
            MetaFieldKind::Enum(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
        )
        .nullable(),
        INPUT_DEVICE,
        CLIENT,
        GAUGE,
    ],
};

/// BMS_7K.
pub(crate) static BMS_7K: GptConfig = BMS;

/// BMS_14K.
pub(crate) static BMS_14K: GptConfig = GptConfig {
    gpt: Gpt::Bms14K,
    classes: &[
        GENOCIDE_DAN,
        // Satellite only: the first 13 of the list.
        provided("stslDan", STSL.split_at(13).0),
    ],
    score_meta: &[
        meta(
            "random",
            MetaFieldKind::EnumPair(&["MIRROR", "NONRAN", "R-RANDOM", "RANDOM", "S-RANDOM"]),
        )
        .nullable(),
        INPUT_DEVICE,
        CLIENT,
        GAUGE,
    ],
    ..BMS
};

/// What BMS does to a score once its chart is known.
pub(super) static RULES: Rules = Rules {
    derive: super::iidx::derive,
    score_rating,
    chart_check: super::iidx::chart_check,
    validate: super::iidx::validate,
    custom_profile: super::no_custom_profile,
    pb: &PB,
    profile_reads_songs: false,
};

pub(super) fn score_rating(
    gpt: Gpt,
    alg: &str,
    data: &ScoreData,
    chart: &ChartDocument,
) -> Result<Option<f64>, ConverterFailure> {
    match alg {
        "sieglinde" => {
            let ec = chart.data.sgl_ec.unwrap_or(0.0);
            let hc = chart.data.sgl_hc.unwrap_or(0.0);
            Ok(Some(match need_str(data, gpt, "lamp")? {
                "FULL COMBO" | "EX HARD CLEAR" | "HARD CLEAR" => hc.max(ec),
                "CLEAR" | "EASY CLEAR" => ec,
                _ => 0.0,
            }))
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
            O("gauge"),
            O("gaugeHistory"),
            O("gaugeHistoryEasy"),
            O("gaugeHistoryGroove"),
            O("gaugeHistoryHard"),
        ]),
        LOWEST_BP,
    ],
    ranking_tiebreak: None,
};
