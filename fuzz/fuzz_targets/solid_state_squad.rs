//! S3 XML on arbitrary bytes: parsing, the song stream and conversion never
//! panic, no entity is ever expanded (outputs stay bounded by the input), and
//! the plain-song fast path reads exactly what quick-xml's events give. The
//! same bytes read as a stream, cut into windows of a few bytes and through a
//! tiny buffer, give the same songs, at the same bytes, and the same error.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{BufReadSeek, ImportFormat, ImportInput, InputStream};
use kaiden_solid_state_squad::{SolidStateSquad, read_songs, read_songs_stream};
use libfuzzer_sys::fuzz_target;

#[derive(Debug)]
struct MemStream(Vec<u8>);

impl InputStream for MemStream {
    fn open(&self) -> std::io::Result<Box<dyn BufReadSeek>> {
        Ok(Box::new(std::io::BufReader::with_capacity(5, std::io::Cursor::new(self.0.clone()))))
    }
    fn len(&self) -> u64 {
        self.0.len() as u64
    }
}

fuzz_target!(|data: &[u8]| {
    let whole = read_songs(data, true);
    let streamed = read_songs_stream(&MemStream(data.to_vec()), 32);
    assert_eq!(whole, streamed, "the stream read otherwise");
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
