//! One module per game: its configs (playtypes sharing what they share).
//! Facts from Tachi's game-support configs (commit 536c3c6), checked
//! against `game-configs.json` by `tests/conformance.rs`.

mod arcaea;
mod bms;
mod build;
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
use crate::game::Gpt;

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
