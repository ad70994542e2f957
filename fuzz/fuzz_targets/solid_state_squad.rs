//! S3 XML on arbitrary bytes: parsing, the song stream and conversion never
//! panic, no entity is ever expanded (outputs stay bounded by the input), and
//! the plain-song fast path reads exactly what quick-xml's events give.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_solid_state_squad::{SolidStateSquad, read_songs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (fast, fast_err) = read_songs(data, true);
    let (slow, slow_err) = read_songs(data, false);
    assert_eq!(fast, slow, "the fast path read other songs");
    assert_eq!(
        fast.iter().map(|s| s.byte).collect::<Vec<_>>(),
        slow.iter().map(|s| s.byte).collect::<Vec<_>>(),
        "the fast path put songs at other bytes"
    );
    assert_eq!(
        fast_err.map(|e| e.to_string()),
        slow_err.map(|e| e.to_string()),
        "the fast path failed otherwise"
    );
    let t = ImportType::FILE_SOLID_STATE_SQUAD;
    let input = ImportInput { bytes: data, ..ImportInput::default() };
    let Ok(parsed) = SolidStateSquad.parse(t, &input) else { return };
    let ctx = parsed.context;
    for s in parsed.records.take(10_000) {
        let Ok(s) = s else { break };
        assert!(s.songname.len() <= data.len() + 4, "text grew beyond the input: an entity was expanded");
        let _ = SolidStateSquad.convert(t, &s, &ctx);
    }
});
