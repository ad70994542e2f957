//! BATCH-MANUAL on arbitrary bytes: parsing, the record stream, conversion and
//! the orphan round trip (record → JSON → record → conversion) never panic, and
//! a record read back from its JSON converts the same way. The same bytes read
//! as a stream, cut into windows of a few bytes and through a tiny buffer, give
//! the same records, positions, errors and classes as read whole.
#![no_main]

use std::sync::Arc;

use kaiden_batch_manual::{BatchManual, BatchScore};
use kaiden_core::ImportType;
use kaiden_core::error::ImportError;
use kaiden_core::format::{BufReadSeek, ImportFormat, ImportInput, InputStream};
use libfuzzer_sys::fuzz_target;

#[derive(Debug)]
struct MemStream(Vec<u8>);

impl InputStream for MemStream {
    fn open(&self) -> std::io::Result<Box<dyn BufReadSeek>> {
        Ok(Box::new(std::io::BufReader::with_capacity(5, std::io::Cursor::new(self.0.clone()))))
    }
    fn len(&self) -> u64 {
        self.0.len() as u64
    }
}

type Outcome = (Option<ImportError>, Vec<Result<Box<BatchScore>, ImportError>>, String);

fn outcome(format: &BatchManual, input: &ImportInput<'_>) -> Outcome {
    match format.parse(ImportType::FILE_BATCH_MANUAL, input) {
        Err(e) => (Some(e), Vec::new(), String::new()),
        Ok(p) => {
            let records: Vec<_> = p.records.take(10_000).collect();
            (None, records, format!("{:?}", p.classes.get()))
        }
    }
}

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
    let whole = outcome(&format, &ImportInput { bytes: data, ..ImportInput::default() });
    let stream = ImportInput {
        stream: Some(Arc::new(MemStream(data.to_vec()))),
        ..ImportInput::default()
    };
    let streamed = outcome(&BatchManual::new().with_stream_window(16), &stream);
    assert_eq!(whole, streamed);
});
