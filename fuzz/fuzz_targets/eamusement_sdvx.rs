//! The SDVX CSV on arbitrary bytes: parsing, the row stream and conversion never
//! panic; a row read back from its stored JSON converts the same way.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_eamusement_sdvx::{EamusementSdvx, SdvxRow};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let t = ImportType::FILE_EAMUSEMENT_SDVX_CSV;
    let input = ImportInput { bytes: data, ..ImportInput::default() };
    let Ok(parsed) = EamusementSdvx.parse(t, &input) else { return };
    let ctx = parsed.context;
    for row in parsed.records.take(10_000) {
        let Ok(row) = row else { break };
        let a = EamusementSdvx.convert(t, &row, &ctx);
        let back: SdvxRow = serde_json::from_value(serde_json::to_value(&row).expect("serialises")).expect("reads back");
        let b = EamusementSdvx.convert(t, &back, &ctx);
        assert_eq!(a.is_ok(), b.is_ok());
    }
});
