//! LR2Hook bodies on arbitrary bytes: parsing, conversion and the course
//! route's check never panic; a record read back from its orphan JSON
//! converts the same way.
#![no_main]

use std::collections::BTreeMap;

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_lr2hook::{Lr2Hook, TIME_RECEIVED, check_course};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = ImportInput {
        bytes: data,
        stream: None,
        filename: None,
        fields: BTreeMap::from([(TIME_RECEIVED.to_owned(), "1000".to_owned())]),
        headers: BTreeMap::new(),
    };
    let t = ImportType::IR_LR2HOOK;
    if let Ok(p) = Lr2Hook.parse(t, &input) {
        for r in p.records.take(10).flatten() {
            let a = Lr2Hook.convert(t, &r, &p.context);
            let back = serde_json::from_str(&r.to_string()).expect("reads back");
            assert_eq!(a, Lr2Hook.convert(t, &back, &p.context));
        }
    }
    if let Ok(v) = serde_json::from_slice(data) {
        if let Err(e) = check_course(&v) {
            let _ = (e.middleware_format(), e.route_format(), e.format("Error"));
        }
    }
});
