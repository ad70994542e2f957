//! Fuzzes the stable serialiser and the scoreID: any JSON value serialises without
//! panicking, the output is valid JSON again (for finite numbers), and scoreIDs
//! never panic on arbitrary scoreData.
#![no_main]

use kaiden_core::score::ScoreData;
use kaiden_core::stable_json::stable_stringify;
use kaiden_core::Gpt;
use kaiden_score_id::score_id;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let s = stable_stringify(&value);
    let again: serde_json::Value = serde_json::from_str(&s).expect("stable JSON is JSON");
    assert_eq!(stable_stringify(&again), s, "stable JSON is a fixed point");
    if let Ok(score_data) = serde_json::from_value::<ScoreData>(value) {
        for gpt in Gpt::ALL {
            let _ = score_id(gpt, 1, "chart", &score_data);
        }
    }
});
