//! The IIDX e-amusement CSV on arbitrary bytes (as SP, both import types):
//! parsing, both passes, the record stream and conversion never panic; the
//! line-by-line reader path (`parse_reader`) gives the same records, or fails
//! the same way, whenever the bytes are UTF-8; a record read back from its
//! stored JSON converts the same way.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_eamusement_iidx::{EamusementIidx, IidxRecord};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for t in [ImportType::FILE_EAMUSEMENT_IIDX_CSV, ImportType::FILE_PLI_IIDX_CSV] {
        let mut input = ImportInput { bytes: data, ..ImportInput::default() };
        input.fields.insert("playtype".into(), "SP".into());
        let whole = EamusementIidx.parse(t, &input).map(|p| {
            let ctx = p.context;
            let records: Vec<_> = p.records.take(20_000).collect();
            (ctx, records)
        });
        if std::str::from_utf8(data).is_ok() {
            let streamed = EamusementIidx
                .parse_reader(t, &input, std::io::Cursor::new(data.to_vec()))
                .map(|p| {
                    let ctx = p.context;
                    let records: Vec<_> = p.records.take(20_000).collect();
                    (ctx, records)
                });
            match (&whole, &streamed) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert_eq!(a.message(), b.message()),
                _ => panic!("whole-file and reader paths disagree"),
            }
        }
        let Ok((ctx, records)) = whole else { continue };
        for r in records {
            let Ok(r) = r else { break };
            let a = EamusementIidx.convert(t, &r, &ctx);
            let back: IidxRecord =
                serde_json::from_value(serde_json::to_value(&r).expect("serialises")).expect("reads back");
            assert_eq!(a, EamusementIidx.convert(t, &back, &ctx));
        }
    }
});
