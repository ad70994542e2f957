//! One module per game: its configs (playtypes sharing what they share).
//! Facts from Tachi's game-support configs (commit 536c3c6), checked
//! against `game-configs.json` by `tests/conformance.rs`.

mod arcaea;
mod bms;
mod build;
pub(crate) mod checks;
mod chunithm;
mod ddr;
mod gitadora;
mod iidx;
mod itg;
mod jubeat;
mod maimai;
mod maimaidx;
mod museca;
mod ongeki;
mod pms;
mod popn;
mod sdvx;
mod shared;
mod usc;
mod wacca;

use crate::config::GptConfig;
use crate::profile::SongMap;
use kaiden_core::documents::ChartDocument;
use kaiden_core::failure::ConverterFailure;
use kaiden_core::game::{Game, Gpt};
use kaiden_core::host::PbRatings;
use kaiden_core::score::ScoreData;

use checks::{Derived, grade, need_number};

pub use iidx::iidx_like_percent;
pub use popn::lamp_for_medal as popn_lamp_for_medal;

/// What a game does to a score once its chart is known (Tachi's per-game
/// server implementation). Each game module has one, `RULES`.
pub(crate) struct Rules {
    /// Derived metrics of the dry score (`percent`, `grade`, ...).
    pub(crate) derive:
        fn(Gpt, &ScoreData, &ChartDocument, &mut Derived) -> Result<(), ConverterFailure>,
    /// One score rating (`calculatedData` entry) by name.
    pub(crate) score_rating: ScoreRating,
    /// Bounds that depend on the chart (`chartDependentMax` metrics), as
    /// Tachi's `chartSpecificValidators`: the message for a chart-dependent
    /// metric's value that breaks its chart's bound, `None` when it is fine.
    pub(crate) chart_check: fn(&str, f64, &ChartDocument) -> Option<String>,
    /// Lamp, score and judgement consistency.
    pub(crate) validate: fn(&ScoreData, &ChartDocument, &mut Vec<String>),
    /// A profile rating of the game's own formula (`Aggregation::Custom`), by name.
    pub(crate) custom_profile: fn(&str, &[PbRatings], &SongMap) -> Option<f64>,
    /// How a PB is built from several scores (every playtype of the game alike).
    pub(crate) pb: &'static crate::config::pb::PbMergeConfig,
    /// Whether its profile ratings read song documents.
    pub(crate) profile_reads_songs: bool,
}

/// Computes one score rating by name; `Ok(None)` when the chart lacks what it needs.
pub(crate) type ScoreRating =
    fn(Gpt, &str, &ScoreData, &ChartDocument) -> Result<Option<f64>, ConverterFailure>;

/// The rules of a game.
pub(crate) fn rules(game: Game) -> &'static Rules {
    match game {
        Game::Iidx => &iidx::RULES,
        Game::Museca => &museca::RULES,
        Game::Sdvx => &sdvx::RULES,
        Game::Bms => &bms::RULES,
        Game::Gitadora => &gitadora::RULES,
        Game::Chunithm => &chunithm::RULES,
        Game::Wacca => &wacca::RULES,
        Game::Jubeat => &jubeat::RULES,
        Game::Popn => &popn::RULES,
        Game::Maimai => &maimai::RULES,
        Game::Maimaidx => &maimaidx::RULES,
        Game::Pms => &pms::RULES,
        Game::Usc => &usc::RULES,
        Game::Itg => &itg::RULES,
        Game::Arcaea => &arcaea::RULES,
        Game::Ongeki => &ongeki::RULES,
        Game::Ddr => &ddr::RULES,
    }
}

/// Games whose only chart-dependent metrics need no chart check.
fn no_chart_check(_metric: &str, _value: f64, _chart: &ChartDocument) -> Option<String> {
    None
}

/// Games whose profile ratings are all aggregations.
fn no_custom_profile(_name: &str, _pbs: &[PbRatings], _songs: &SongMap) -> Option<f64> {
    None
}

/// Games with no lamp/score consistency rules.
fn no_validators(_data: &ScoreData, _chart: &ChartDocument, _e: &mut Vec<String>) {}

/// The grade, from `percent` (GITADORA, maimai DX).
fn grade_on_percent(
    gpt: Gpt,
    data: &ScoreData,
    _chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    out.push(("grade", grade(gpt, need_number(data, gpt, "percent")?)?));
    Ok(())
}

/// The grade, from `score` (most games).
fn grade_on_score(
    gpt: Gpt,
    data: &ScoreData,
    _chart: &ChartDocument,
    out: &mut Derived,
) -> Result<(), ConverterFailure> {
    out.push(("grade", grade(gpt, need_number(data, gpt, "score")?)?));
    Ok(())
}

/// The config of a GPT.
pub(crate) fn config(gpt: Gpt) -> &'static GptConfig {
    match gpt {
        Gpt::IidxSp => &iidx::IIDX_SP,
        Gpt::IidxDp => &iidx::IIDX_DP,
        Gpt::MusecaSingle => &museca::MUSECA_SINGLE,
        Gpt::SdvxSingle => &sdvx::SDVX_SINGLE,
        Gpt::Bms14K => &bms::BMS_14K,
        Gpt::Bms7K => &bms::BMS_7K,
        Gpt::GitadoraDora => &gitadora::GITADORA_DORA,
        Gpt::GitadoraGita => &gitadora::GITADORA_GITA,
        Gpt::ChunithmSingle => &chunithm::CHUNITHM_SINGLE,
        Gpt::WaccaSingle => &wacca::WACCA_SINGLE,
        Gpt::JubeatSingle => &jubeat::JUBEAT_SINGLE,
        Gpt::Popn9B => &popn::POPN_9B,
        Gpt::MaimaiSingle => &maimai::MAIMAI_SINGLE,
        Gpt::MaimaidxSingle => &maimaidx::MAIMAIDX_SINGLE,
        Gpt::PmsController => &pms::PMS_CONTROLLER,
        Gpt::PmsKeyboard => &pms::PMS_KEYBOARD,
        Gpt::UscController => &usc::USC_CONTROLLER,
        Gpt::UscKeyboard => &usc::USC_KEYBOARD,
        Gpt::ItgStamina => &itg::ITG_STAMINA,
        Gpt::ArcaeaTouch => &arcaea::ARCAEA_TOUCH,
        Gpt::OngekiSingle => &ongeki::ONGEKI_SINGLE,
        Gpt::DdrSp => &ddr::DDR_SP,
        Gpt::DdrDp => &ddr::DDR_DP,
    }
}
