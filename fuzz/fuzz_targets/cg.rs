//! CG answers on arbitrary bytes: reading the envelope and checking the
//! scores for every game, then converting each score for every CG import
//! type, never panics; a score read back from its stored JSON (as an orphan
//! is) converts the same way.
#![no_main]

use std::sync::Arc;

use kaiden_cg::{Cg, CgConfig, CgContext, CgGame, read_scores};
use kaiden_core::format::ImportFormat;
use kaiden_core::ImportType;
use kaiden_service::NoIntegrations;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const GAMES: [(CgGame, ImportType); 4] = [
    (CgGame::Jubeat, ImportType::API_CG_DEV_JUBEAT),
    (CgGame::Museca, ImportType::API_CG_GAN_MUSECA),
    (CgGame::Popn, ImportType::API_CG_NAG_POPN),
    (CgGame::Sdvx, ImportType::API_CG_DEV_SDVX),
];

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let cg = Cg::new(CgConfig::default(), Arc::new(NoIntegrations));
    let ctx = CgContext { service: "dev".to_owned() };
    for (game, t) in GAMES {
        let Ok(scores) = read_scores(game, body) else { continue };
        for item in scores.iter().take(1_000) {
            let a = cg.convert(t, item, &ctx);
            let back: Value = serde_json::from_str(&item.to_string()).expect("reads back");
            let b = cg.convert(t, &back, &ctx);
            assert_eq!(a, b);
        }
    }
});
