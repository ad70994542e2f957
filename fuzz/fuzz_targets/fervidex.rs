//! fervidex bodies on arbitrary bytes: the score (`ir/fervidex`) and profile
//! (`ir/fervidex-static`) parsers and converters never panic, for every
//! software model kind; a record read back from its orphan JSON converts the
//! same way; any software model string is answered, never a panic.
#![no_main]

use std::collections::BTreeMap;

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_fervidex::{
    Fervidex, FervidexStatic, SHOULD_IMPORT_SCORES, SOFTWARE_MODEL_HEADER, TIME_RECEIVED,
    software_version,
};
use libfuzzer_sys::fuzz_target;

const MODELS: [&str; 4] = [
    "LDJ:J:B:A:2020092900",
    "P2D:J:B:A:2020092900",
    "LDJ:J:B:X:2023090500",
    "LDJ:J:B:Z:2020092900",
];

fn round_trip<F: ImportFormat>(f: &F, t: ImportType, r: &F::Record, c: &F::Context) {
    let a = f.convert(t, r, c);
    let json = serde_json::to_string(r).expect("a record serialises");
    let back: F::Record = serde_json::from_str(&json).expect("reads back");
    let b = f.convert(t, &back, c);
    assert_eq!(a, b);
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else { return };
    let model = MODELS[usize::from(sel) % MODELS.len()];
    let input = ImportInput {
        bytes: body,
        stream: None,
        filename: None,
        fields: BTreeMap::from([
            (TIME_RECEIVED.to_owned(), "1000".to_owned()),
            (SHOULD_IMPORT_SCORES.to_owned(), (sel & 4 != 0).to_string()),
        ]),
        headers: BTreeMap::from([(SOFTWARE_MODEL_HEADER.to_owned(), model.to_owned())]),
    };
    if let Ok(p) = Fervidex.parse(ImportType::IR_FERVIDEX, &input) {
        for r in p.records.take(10).flatten() {
            round_trip(&Fervidex, ImportType::IR_FERVIDEX, &r, &p.context);
        }
    }
    if let Ok(p) = FervidexStatic.parse(ImportType::IR_FERVIDEX_STATIC, &input) {
        let _ = p.classes.get();
        for r in p.records.take(1_000).flatten() {
            round_trip(&FervidexStatic, ImportType::IR_FERVIDEX_STATIC, &r, &p.context);
        }
    }
    if let Ok(s) = std::str::from_utf8(body) {
        let _ = software_version(s);
    }
});
