//! KAI pages and items on arbitrary JSON: reading a page and converting its
//! items for every KAI import type never panics; an item read back from its
//! stored JSON (as an orphan is) converts the same way.
#![no_main]

use std::sync::Arc;

use kaiden_core::format::ImportFormat;
use kaiden_service::NoIntegrations;
use kaiden_core::ImportType;
use kaiden_kai::{Kai, KaiConfig, KaiContext, read_page};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const TYPES: [ImportType; 5] = [
    ImportType::API_FLO_IIDX,
    ImportType::API_EAG_IIDX,
    ImportType::API_FLO_SDVX,
    ImportType::API_EAG_SDVX,
    ImportType::API_MIN_SDVX,
];

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return };
    let kai = Kai::new(KaiConfig::default(), Arc::new(NoIntegrations));
    let ctx = KaiContext { service: "FLO".to_owned() };
    let items = match read_page(value.clone()) {
        Ok((_, items)) => items,
        Err(_) => vec![value],
    };
    for item in items.iter().take(1_000) {
        for t in TYPES {
            let a = kai.convert(t, item, &ctx);
            let back: Value = serde_json::from_str(&item.to_string()).expect("reads back");
            let b = kai.convert(t, &back, &ctx);
            assert_eq!(a.is_ok(), b.is_ok());
        }
    }
});
