//! kshook bodies on arbitrary bytes: the score and static-export parsers and
//! converters never panic; a record read back from its orphan JSON converts
//! the same way.
#![no_main]

use std::collections::BTreeMap;

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_kshook::{KsHook, KsHookStatic, TIME_RECEIVED};
use libfuzzer_sys::fuzz_target;

fn round_trip<F: ImportFormat>(f: &F, t: ImportType, r: &F::Record, c: &F::Context) {
    let a = f.convert(t, r, c);
    let json = serde_json::to_string(r).expect("a record serialises");
    let back: F::Record = serde_json::from_str(&json).expect("reads back");
    assert_eq!(a, f.convert(t, &back, c));
}

fuzz_target!(|data: &[u8]| {
    let input = ImportInput {
        bytes: data,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "1000".to_owned())]),
        headers: BTreeMap::new(),
    };
    if let Ok(p) = KsHook.parse(ImportType::IR_KSHOOK_SV6C, &input) {
        for r in p.records.take(10).flatten() {
            round_trip(&KsHook, ImportType::IR_KSHOOK_SV6C, &r, &p.context);
        }
    }
    if let Ok(p) = KsHookStatic.parse(ImportType::IR_KSHOOK_SV6C_STATIC, &input) {
        for r in p.records.take(1_000).flatten() {
            round_trip(&KsHookStatic, ImportType::IR_KSHOOK_SV6C_STATIC, &r, &p.context);
        }
    }
});
