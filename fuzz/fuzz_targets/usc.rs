//! USC score bodies on arbitrary bytes, for both playtypes: parsing and
//! conversion never panic; a record read back from its orphan JSON converts
//! the same way.
#![no_main]

use std::collections::BTreeMap;

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_usc::{PLAYTYPE, TIME_RECEIVED, Usc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else { return };
    let playtype = if sel & 1 == 0 { "Controller" } else { "Keyboard" };
    let input = ImportInput {
        bytes: body,
        stream: None,
        filename: None,
        fields: BTreeMap::from([
            (TIME_RECEIVED.to_owned(), "1000".to_owned()),
            (PLAYTYPE.to_owned(), playtype.to_owned()),
        ]),
        headers: BTreeMap::new(),
    };
    let t = ImportType::IR_USC;
    if let Ok(p) = Usc.parse(t, &input) {
        for r in p.records.take(10).flatten() {
            let a = Usc.convert(t, &r, &p.context);
            let back = serde_json::from_str(&r.to_string()).expect("reads back");
            assert_eq!(a, Usc.convert(t, &back, &p.context));
        }
    }
});
