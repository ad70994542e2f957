//! The IIDX e-amusement CSV on arbitrary bytes (as SP, both import types):
//! parsing, both passes, the record stream and conversion never panic.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_eamusement_iidx::EamusementIidx;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for t in [ImportType::FileEamusementIidxCsv, ImportType::FilePliIidxCsv] {
        let mut input = ImportInput { bytes: data, ..ImportInput::default() };
        input.fields.insert("playtype".into(), "SP".into());
        let Ok(parsed) = EamusementIidx.parse(t, &input) else { continue };
        let ctx = parsed.context;
        for r in parsed.records.take(20_000) {
            let Ok(r) = r else { break };
            let _ = EamusementIidx.convert(t, &r, &ctx);
        }
    }
});
