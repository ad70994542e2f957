//! Barbatos bodies on arbitrary bytes: parsing (both shapes) and conversion
//! never panic; a record read back from its orphan JSON converts the same way.
#![no_main]

use std::collections::BTreeMap;

use kaiden_barbatos::{Barbatos, TIME_RECEIVED};
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = ImportInput {
        bytes: data,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "1000".to_owned())]),
        headers: BTreeMap::new(),
    };
    let t = ImportType::IR_BARBATOS;
    if let Ok(p) = Barbatos.parse(t, &input) {
        for r in p.records.take(10).flatten() {
            let a = Barbatos.convert(t, &r, &p.context);
            let back = serde_json::from_str(&r.to_string()).expect("reads back");
            assert_eq!(a, Barbatos.convert(t, &back, &p.context));
        }
    }
});
