//! beatoraja bodies on arbitrary bytes: parsing, conversion and the proposed
//! chart never panic; a record read back from its orphan JSON converts the
//! same way; a proposed chart is always a CHART of its key's game.
#![no_main]

use std::collections::BTreeMap;

use kaiden_beatoraja::{Beatoraja, TIME_RECEIVED};
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
    let t = ImportType::IR_BEATORAJA;
    let f = Beatoraja::default();
    if let Ok(p) = f.parse(t, &input) {
        for r in p.records.take(10).flatten() {
            let a = f.convert(t, &r, &p.context);
            let back = serde_json::from_str(&r.to_string()).expect("reads back");
            assert_eq!(a, f.convert(t, &back, &p.context));
            if let Some(c) = f.proposed_chart(t, &r, &p.context) {
                assert_eq!(c.chart.difficulty, "CHART");
                assert_eq!(c.players_needed, 3);
                assert!(c.key.starts_with(c.gpt.game().as_str()));
            }
        }
    }
});
