//! The WACCA MyPage scraper CSVs on arbitrary bytes, as both import types:
//! parsing, the record stream, classes and conversion never panic.
#![no_main]

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_mypagescraper::MyPageScraper;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for t in [ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV, ImportType::FILE_MYPAGESCRAPER_PLAYER_CSV] {
        let input = ImportInput { bytes: data, ..ImportInput::default() };
        let Ok(parsed) = MyPageScraper.parse(t, &input) else { continue };
        let ctx = parsed.context;
        for r in parsed.records.take(10_000) {
            let Ok(r) = r else { break };
            let _ = MyPageScraper.convert(t, &r, &ctx);
        }
        let _ = parsed.classes.get();
    }
});
