//! BATCH-MANUAL on arbitrary bytes: parsing, the record stream, conversion and
//! the orphan round trip (record → JSON → record → conversion) never panic, and
//! a record read back from its JSON converts the same way.
#![no_main]

use kaiden_batch_manual::{BatchManual, BatchScore};
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = BatchManual::new();
    for import_type in [ImportType::FILE_BATCH_MANUAL, ImportType::IR_DIRECT_MANUAL] {
        let input = ImportInput { bytes: data, ..ImportInput::default() };
        let Ok(parsed) = format.parse(import_type, &input) else {
            continue;
        };
        let context = parsed.context;
        for record in parsed.records.take(10_000) {
            let Ok(record) = record else { break };
            let first = format.convert(import_type, &record, &context);
            let json = serde_json::to_value(&record).expect("a record serialises");
            let back: Box<BatchScore> = serde_json::from_value(json).expect("a record reads back");
            let again = format.convert(import_type, &back, &context);
            assert_eq!(first.is_ok(), again.is_ok());
            if let (Ok(a), Ok(b)) = (first, again) {
                assert_eq!(a.query, b.query);
            }
        }
        let _ = parsed.classes.get();
    }
});
