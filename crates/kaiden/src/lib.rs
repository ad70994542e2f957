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
/// registers (several, comma-separated, when a crate has several; the API crates need the host's credentials: [`registry_with_api`]).
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
    "cg" cg = kaiden_cg;
    "myt" myt = kaiden_myt;
    "fervidex" fervidex = kaiden_fervidex => kaiden_fervidex::Fervidex, kaiden_fervidex::FervidexStatic;
    "kshook" kshook = kaiden_kshook => kaiden_kshook::KsHook, kaiden_kshook::KsHookStatic;
    "barbatos" barbatos = kaiden_barbatos => kaiden_barbatos::Barbatos;
    "lr2hook" lr2hook = kaiden_lr2hook => kaiden_lr2hook::Lr2Hook;
    "beatoraja" beatoraja = kaiden_beatoraja => kaiden_beatoraja::Beatoraja::default();
    "usc" usc = kaiden_usc => kaiden_usc::Usc;
}

/// Where the API services are: the KAI services, the CG services and MYT,
/// each configured from its environment variables by [`ApiConfig::from_env`]
/// (`KAIDEN_KAI_*`, `KAIDEN_CG_*`, `KAIDEN_MYT_*`); a service left
/// unconfigured serves no import type.
#[derive(Debug, Clone, Default)]
pub struct ApiConfig {
    /// The KAI services (FLO, EAG, MIN).
    #[cfg(feature = "kai")]
    pub kai: kaiden_kai::KaiConfig,
    /// The CG services (dev, gan, nag).
    #[cfg(feature = "cg")]
    pub cg: kaiden_cg::CgConfig,
    /// MYT.
    #[cfg(feature = "myt")]
    pub myt: kaiden_myt::MytConfig,
}

impl ApiConfig {
    /// Every service from its environment variables.
    #[must_use]
    pub fn from_env() -> Self {
        ApiConfig {
            #[cfg(feature = "kai")]
            kai: kaiden_kai::KaiConfig::from_env(),
            #[cfg(feature = "cg")]
            cg: kaiden_cg::CgConfig::from_env(),
            #[cfg(feature = "myt")]
            myt: kaiden_myt::MytConfig::from_env(),
        }
    }
}

/// [`registry`] plus the API import types, which pull scores with the
/// credentials the host keeps in `store` (KAI tokens, CG cards, MYT access
/// codes): those of
/// the services `api` configures.
#[must_use]
pub fn registry_with_api(
    store: std::sync::Arc<dyn service::IntegrationStore>,
    api: ApiConfig,
) -> pipeline::Registry {
    let r = registry();
    #[cfg(feature = "kai")]
    let r = if api.kai.any() {
        r.with(kaiden_kai::Kai::new(api.kai, std::sync::Arc::clone(&store)))
    } else {
        r
    };
    #[cfg(feature = "cg")]
    let r = if api.cg.any() {
        r.with(kaiden_cg::Cg::new(api.cg, std::sync::Arc::clone(&store)))
    } else {
        r
    };
    #[cfg(feature = "myt")]
    let r = if api.myt.server.is_some() {
        let myt = kaiden_myt::Myt::new(api.myt, std::sync::Arc::clone(&store));
        r.with(myt.format::<kaiden_myt::Chunithm>())
            .with(myt.format::<kaiden_myt::Maimaidx>())
            .with(myt.format::<kaiden_myt::Ongeki>())
            .with(myt.format::<kaiden_myt::Wacca>())
    } else {
        r
    };
    #[cfg(not(any(feature = "kai", feature = "cg", feature = "myt")))]
    let _ = (store, api);
    r
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
