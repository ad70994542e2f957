//! S3 XML on arbitrary bytes: parsing, the song stream and conversion never
//! panic, and no entity is ever expanded (outputs stay bounded by the input).
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_solid_state_squad::SolidStateSquad;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let t = ImportType::FileSolidStateSquad;
    let input = ImportInput { bytes: data, ..ImportInput::default() };
    let Ok(parsed) = SolidStateSquad.parse(t, &input) else { return };
    let ctx = parsed.context;
    for s in parsed.records.take(10_000) {
        let Ok(s) = s else { break };
        assert!(s.songname.len() <= data.len() + 4, "text grew beyond the input: an entity was expanded");
        let _ = SolidStateSquad.convert(t, &s, &ctx);
    }
});
