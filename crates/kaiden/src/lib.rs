//! # kaiden
//!
//! Tachi-compatible score imports for any Rust server. This crate gathers the
//! pieces: [`core`] (names, documents, host traits), [`games`] (the game rules),
//! [`score_id`], [`service`] (a server's store), [`pipeline`] (the import
//! steps) and the import types kaiden ships, each behind a feature.
//! [`registry`] gives a [`Registry`](pipeline::Registry) with every enabled one.
//!
//! A host (your database) implements [`core::host::Host`]; `kaiden-sqlite` is
//! the embedded default.
#![deny(missing_docs)]

pub use kaiden_core as core;
pub use kaiden_games as games;
pub use kaiden_par as par;
pub use kaiden_pipeline as pipeline;
pub use kaiden_score_id as score_id;
pub use kaiden_service as service;

/// The import-type crates kaiden ships, one line each: the cargo feature, the
/// module it is re-exported as, the crate, and the format [`registry`]
/// registers (several, comma-separated, when a crate has several; the KAI crate needs the host's tokens: [`registry_with_api`]).
macro_rules! import_type_crates {
    ($($feature:literal $module:ident = $krate:ident $(=> $($format:expr),+)?;)+) => {
        $(
            #[cfg(feature = $feature)]
            #[doc = concat!("The `", $feature, "` import types (cargo feature `", $feature, "`).")]
            pub use $krate as $module;
        )+

        /// A registry of every file and score-hook import type compiled in.
        #[must_use]
        pub fn registry() -> pipeline::Registry {
            let r = pipeline::Registry::new();
            $($($(
                #[cfg(feature = $feature)]
                let r = r.with($format);
            )+)?)+
            r
        }
    };
}

import_type_crates! {
    "batch-manual" batch_manual = kaiden_batch_manual => kaiden_batch_manual::BatchManual::new();
    "eamusement-iidx" eamusement_iidx = kaiden_eamusement_iidx => kaiden_eamusement_iidx::EamusementIidx;
    "eamusement-sdvx" eamusement_sdvx = kaiden_eamusement_sdvx => kaiden_eamusement_sdvx::EamusementSdvx;
    "mypagescraper" mypagescraper = kaiden_mypagescraper => kaiden_mypagescraper::MyPageScraper;
    "solid-state-squad" solid_state_squad = kaiden_solid_state_squad => kaiden_solid_state_squad::SolidStateSquad;
    "kai" kai = kaiden_kai;
    "fervidex" fervidex = kaiden_fervidex => kaiden_fervidex::Fervidex, kaiden_fervidex::FervidexStatic;
    "kshook" kshook = kaiden_kshook => kaiden_kshook::KsHook, kaiden_kshook::KsHookStatic;
    "barbatos" barbatos = kaiden_barbatos => kaiden_barbatos::Barbatos;
    "lr2hook" lr2hook = kaiden_lr2hook => kaiden_lr2hook::Lr2Hook;
    "beatoraja" beatoraja = kaiden_beatoraja => kaiden_beatoraja::Beatoraja::default();
    "usc" usc = kaiden_usc => kaiden_usc::Usc;
}

/// [`registry`] plus the API import types, which pull scores with the
/// credentials the host keeps in `store`: the KAI services configured in
/// `kai` (e.g. [`kai::KaiConfig::from_env`]); none when `kai` configures none.
#[cfg(feature = "kai")]
#[must_use]
pub fn registry_with_api(
    store: std::sync::Arc<dyn service::IntegrationStore>,
    kai: kaiden_kai::KaiConfig,
) -> pipeline::Registry {
    let r = registry();
    if kai.any() {
        r.with(kaiden_kai::Kai::new(kai, store))
    } else {
        r
    }
}

/// The README's Rust example, compiled and run as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use kaiden_core::ImportType;

    #[test]
    fn the_default_registry_serves_batch_manual() {
        let r = super::registry();
        assert!(r.get(ImportType::FILE_BATCH_MANUAL).is_some());
        assert!(r.get(ImportType::IR_DIRECT_MANUAL).is_some());
        assert!(r.get(ImportType::FILE_EAMUSEMENT_SDVX_CSV).is_some());
        assert!(r.get(ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV).is_some());
        assert!(r.get(ImportType::FILE_MYPAGESCRAPER_PLAYER_CSV).is_some());
        assert!(r.get(ImportType::FILE_EAMUSEMENT_IIDX_CSV).is_some());
        assert!(r.get(ImportType::FILE_PLI_IIDX_CSV).is_some());
        assert!(r.get(ImportType::FILE_SOLID_STATE_SQUAD).is_some());
    }
}
