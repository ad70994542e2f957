//! The SDVX CSV on arbitrary bytes: parsing, the row stream and conversion never
//! panic; the line-by-line reader path (`parse_reader`) gives the same rows, or
//! fails with the same message, whenever the bytes are UTF-8; a row read back
//! from its stored JSON converts the same way.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_eamusement_sdvx::{EamusementSdvx, SdvxRow};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let t = ImportType::FILE_EAMUSEMENT_SDVX_CSV;
    let input = ImportInput { bytes: data, ..ImportInput::default() };
    let whole = EamusementSdvx
        .parse(t, &input)
        .map(|p| p.records.take(10_000).collect::<Vec<_>>());
    if std::str::from_utf8(data).is_ok() {
        let streamed = EamusementSdvx
            .parse_reader(std::io::Cursor::new(data.to_vec()))
            .map(|p| p.records.take(10_000).collect::<Vec<_>>());
        match (&whole, &streamed) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.message(), b.message()),
            _ => panic!("whole-file and reader paths disagree"),
        }
    }
    let Ok(rows) = whole else { return };
    for row in rows {
        let Ok(row) = row else { break };
        let a = EamusementSdvx.convert(t, &row, &kaiden_eamusement_sdvx::SdvxContext {});
        let back: SdvxRow = serde_json::from_value(serde_json::to_value(&row).expect("serialises")).expect("reads back");
        let b = EamusementSdvx.convert(t, &back, &kaiden_eamusement_sdvx::SdvxContext {});
        assert_eq!(a.is_ok(), b.is_ok());
    }
});
