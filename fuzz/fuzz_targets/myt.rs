//! MYT messages on arbitrary bytes: the first byte picks the game, the rest
//! is decoded as that game's play-log message (as tonic decodes what MYT
//! streams); converting it never panics, and a record read back from its
//! stored JSON (as an orphan is) converts the same way.
#![no_main]

use kaiden_myt::proto::{chunithm, maimai, ongeki, wacca};
use kaiden_myt::{Chunithm, Maimaidx, Ongeki, Title, Wacca};
use libfuzzer_sys::fuzz_target;
use prost::Message;

fn check<T: Title>(record: &T::Record) {
    let a = T::convert(T::IMPORT_TYPE, record);
    let json = serde_json::to_string(record).expect("a record serializes");
    let back: T::Record = serde_json::from_str(&json).expect("reads back");
    let b = T::convert(T::IMPORT_TYPE, &back);
    assert_eq!(a, b);
}

fuzz_target!(|data: &[u8]| {
    let Some((game, bytes)) = data.split_first() else { return };
    match game % 4 {
        0 => {
            if let Ok(m) = chunithm::GetPlaylogStreamItem::decode(bytes) {
                check::<Chunithm>(&m);
            }
        }
        1 => {
            if let Ok(m) = maimai::GetPlaylogStreamItem::decode(bytes) {
                check::<Maimaidx>(&m);
            }
        }
        2 => {
            if let Ok(m) = ongeki::GetPlaylogStreamItem::decode(bytes) {
                check::<Ongeki>(&m);
            }
        }
        _ => {
            if let Ok(m) = wacca::PlaylogStreamItem::decode(bytes) {
                if let Ok(r) = Wacca::record(m) {
                    check::<Wacca>(&r);
                }
            }
        }
    }
});
