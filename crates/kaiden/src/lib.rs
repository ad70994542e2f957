//! # kaiden
//!
//! Tachi-compatible score imports for any Rust server. This crate gathers the
//! pieces: [`core`] (import types, games, documents, host traits), [`pipeline`]
//! (the import steps) and the import types kaiden ships, each behind a feature.
//! [`registry`] gives a [`Registry`](pipeline::Registry) with every enabled one.
//!
//! A host (your database) implements [`core::host::Host`]; `kaiden-sqlite` is
//! the embedded default.
#![deny(missing_docs)]

pub use kaiden_core as core;
pub use kaiden_pipeline as pipeline;

#[cfg(feature = "batch-manual")]
pub use kaiden_batch_manual as batch_manual;
#[cfg(feature = "eamusement-iidx")]
pub use kaiden_eamusement_iidx as eamusement_iidx;
#[cfg(feature = "eamusement-sdvx")]
pub use kaiden_eamusement_sdvx as eamusement_sdvx;
#[cfg(feature = "kai")]
pub use kaiden_kai as kai;
#[cfg(feature = "mypagescraper")]
pub use kaiden_mypagescraper as mypagescraper;
#[cfg(feature = "solid-state-squad")]
pub use kaiden_solid_state_squad as solid_state_squad;

/// A registry of every import type compiled in.
#[must_use]
pub fn registry() -> pipeline::Registry {
    let r = pipeline::Registry::new();
    #[cfg(feature = "batch-manual")]
    let r = r.with(kaiden_batch_manual::BatchManual::new());
    #[cfg(feature = "eamusement-iidx")]
    let r = r.with(kaiden_eamusement_iidx::EamusementIidx);
    #[cfg(feature = "eamusement-sdvx")]
    let r = r.with(kaiden_eamusement_sdvx::EamusementSdvx);
    #[cfg(feature = "mypagescraper")]
    let r = r.with(kaiden_mypagescraper::MyPageScraper);
    #[cfg(feature = "solid-state-squad")]
    let r = r.with(kaiden_solid_state_squad::SolidStateSquad);
    r
}

/// [`registry`] plus the API import types, which pull scores with the
/// credentials the host keeps in `store`: the KAI services configured in
/// `kai` (e.g. [`kai::KaiConfig::from_env`]); none when `kai` configures none.
#[cfg(feature = "kai")]
#[must_use]
pub fn registry_with_api(
    store: std::sync::Arc<dyn core::service::IntegrationStore>,
    kai: kaiden_kai::KaiConfig,
) -> pipeline::Registry {
    let r = registry();
    if kai.any() {
        r.with(kaiden_kai::Kai::new(kai, store))
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use kaiden_core::ImportType;

    #[test]
    fn the_default_registry_serves_batch_manual() {
        let r = super::registry();
        assert!(r.get(ImportType::FileBatchManual).is_some());
        assert!(r.get(ImportType::IrDirectManual).is_some());
        assert!(r.get(ImportType::FileEamusementSdvxCsv).is_some());
        assert!(r.get(ImportType::FileMypagescraperRecordsCsv).is_some());
        assert!(r.get(ImportType::FileMypagescraperPlayerCsv).is_some());
        assert!(r.get(ImportType::FileEamusementIidxCsv).is_some());
        assert!(r.get(ImportType::FilePliIidxCsv).is_some());
        assert!(r.get(ImportType::FileSolidStateSquad).is_some());
    }
}
