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

pub(crate) use MergeDirection::{Largest, Smallest};
pub(crate) use MergeField::{Metric as M, Optional as O};

pub(crate) const fn lamp(copies: &'static [MergeField]) -> PbMerger {
    PbMerger {
        name: "Best Lamp",
        direction: Largest,
        key: MergeKey::EnumIndex("lamp"),
        copies,
    }
}

pub(crate) const LAMP_ONLY: PbMerger = lamp(&[M("lamp")]);
pub(crate) const LOWEST_BP: PbMerger = PbMerger {
    name: "Lowest BP",
    direction: Smallest,
    key: MergeKey::Optional("bp"),
    copies: &[O("bp")],
};
pub(crate) const BEST_EX: PbMerger = PbMerger {
    name: "Best EX Score",
    direction: Largest,
    key: MergeKey::Optional("exScore"),
    copies: &[O("exScore")],
};
pub(crate) const BEST_SCORE_GRADE: PbMerger = PbMerger {
    name: "Best Score",
    direction: Largest,
    key: MergeKey::Metric("score"),
    copies: &[M("score"), M("grade")],
};

/// Best score, then best lamp (MÚSECA, USC, WACCA, Arcaea).
pub(crate) static SCORE_LAMP: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Score",
    mergers: &[LAMP_ONLY],
    ranking_tiebreak: None,
};
/// Best percent, then best lamp (GITADORA, maimai, maimai DX).
pub(crate) static PERCENT_LAMP: PbMergeConfig = PbMergeConfig {
    default_ref_name: "Best Percent",
    mergers: &[LAMP_ONLY],
    ranking_tiebreak: None,
};

/// The PB rules of a GPT (every playtype of a game has its game's).
#[must_use]
pub fn pb_merge(gpt: Gpt) -> &'static PbMergeConfig {
    crate::games::rules(gpt.game()).pb
}
