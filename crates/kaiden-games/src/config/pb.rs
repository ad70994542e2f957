//! How each GPT builds a personal best from several scores (Tachi's
//! `pbMergeFunctions`): a base score by the default metric, then mergers that
//! each pick the best score for one key and copy fields from it.

use kaiden_core::game::Gpt;

/// Which way a merger prefers values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeDirection {
    /// The largest value wins.
    Largest,
    /// The smallest value wins (BP).
    Smallest,
}

/// Where a merger reads the value it sorts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeKey {
    /// `scoreData.enumIndexes.<name>`.
    EnumIndex(&'static str),
    /// `scoreData.<name>` (a number).
    Metric(&'static str),
    /// `scoreData.optional.<name>` (only scores where it is a number).
    Optional(&'static str),
}

/// A field a merger copies onto the PB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeField {
    /// `scoreData.<name>`.
    Metric(&'static str),
    /// `scoreData.optional.<name>`.
    Optional(&'static str),
}

/// One merge function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PbMerger {
    /// Its name in `composedFrom`, e.g. `Best Lamp`.
    pub name: &'static str,
    /// Largest or smallest wins.
    pub direction: MergeDirection,
    /// What it sorts on.
    pub key: MergeKey,
    /// What it copies.
    pub copies: &'static [MergeField],
}

/// A GPT's PB rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PbMergeConfig {
    /// The `composedFrom` name of the base score (`Best Score`, `Best Percent`, ...).
    pub default_ref_name: &'static str,
    /// Merge functions, applied in order.
    pub mergers: &'static [PbMerger],
    /// A second ranking key after the default metric (ONGEKI: `platinumScore`).
    pub ranking_tiebreak: Option<&'static str>,
}

use MergeDirection::{Largest, Smallest};
use MergeField::{Metric as M, Optional as O};

const fn lamp(copies: &'static [MergeField]) -> PbMerger {
    PbMerger {
        name: "Best Lamp",
        direction: Largest,
        key: MergeKey::EnumIndex("lamp"),
        copies,
    }
}

const LAMP_ONLY: PbMerger = lamp(&[M("lamp")]);
const LOWEST_BP: PbMerger = PbMerger {
    name: "Lowest BP",
    direction: Smallest,
    key: MergeKey::Optional("bp"),
    copies: &[O("bp")],
};
const BEST_EX: PbMerger = PbMerger {
    name: "Best EX Score",
    direction: Largest,
    key: MergeKey::Optional("exScore"),
    copies: &[O("exScore")],
};
const BEST_SCORE_GRADE: PbMerger = PbMerger {
    name: "Best Score",
    direction: Largest,
    key: MergeKey::Metric("score"),
    copies: &[M("score"), M("grade")],
};

static IIDX: PbMergeConfig = PbMergeConfig {
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
static BMS_PMS: PbMergeConfig = PbMergeConfig {
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
static SCORE_LAMP: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[LAMP_ONLY],
    ranking_tiebreak: None,
};
static PERCENT_LAMP: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Percent",
    mergers: &[LAMP_ONLY],
    ranking_tiebreak: None,
};
static SDVX: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[LAMP_ONLY, BEST_EX],
    ranking_tiebreak: None,
};
static CHUNITHM: PbMergeConfig = PbMergeConfig {
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
static JUBEAT: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Music Rate",
    mergers: &[LAMP_ONLY, BEST_SCORE_GRADE],
    ranking_tiebreak: None,
};
static POPN: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[PbMerger {
        name: "Best Clear",
        direction: Largest,
        key: MergeKey::EnumIndex("clearMedal"),
        copies: &[M("clearMedal"), M("lamp")],
    }],
    ranking_tiebreak: None,
};
static ITG: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Result",
    mergers: &[LAMP_ONLY],
    ranking_tiebreak: None,
};
static ONGEKI: PbMergeConfig = PbMergeConfig {
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
static DDR: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[LAMP_ONLY, BEST_SCORE_GRADE, BEST_EX],
    ranking_tiebreak: None,
};

/// The PB rules of a GPT.
#[must_use]
pub fn pb_merge(gpt: Gpt) -> &'static PbMergeConfig {
    match gpt {
        Gpt::IidxSp | Gpt::IidxDp => &IIDX,
        Gpt::Bms7K | Gpt::Bms14K | Gpt::PmsController | Gpt::PmsKeyboard => &BMS_PMS,
        Gpt::SdvxSingle => &SDVX,
        Gpt::MusecaSingle
        | Gpt::UscController
        | Gpt::UscKeyboard
        | Gpt::WaccaSingle
        | Gpt::ArcaeaTouch => &SCORE_LAMP,
        Gpt::GitadoraDora | Gpt::GitadoraGita | Gpt::MaimaiSingle | Gpt::MaimaidxSingle => {
            &PERCENT_LAMP
        }
        Gpt::ChunithmSingle => &CHUNITHM,
        Gpt::JubeatSingle => &JUBEAT,
        Gpt::Popn9B => &POPN,
        Gpt::ItgStamina => &ITG,
        Gpt::OngekiSingle => &ONGEKI,
        Gpt::DdrSp | Gpt::DdrDp => &DDR,
    }
}
