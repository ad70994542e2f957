//! Deterministic inputs for kaiden's benchmarks (see `benches/`).
#![deny(missing_docs)]

use kaiden_core::score::ScoreData;

/// IIDX lamps, for generating varied scores.
const LAMPS: [&str; 5] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR", "FULL COMBO"];

/// `n` IIDX SP dry scoreData values with varied EX scores and lamps, and chart ids
/// of the Tachi shape (40 hex), generated from a fixed seed.
#[must_use]
pub fn iidx_scores(n: usize) -> Vec<(String, ScoreData)> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut data = ScoreData::default();
            #[allow(clippy::cast_precision_loss)]
            data.set("score", (x % 4000) as f64);
            data.set("lamp", LAMPS[usize::try_from(x % 5).unwrap_or(0)]);
            (format!("{x:016x}{:024x}", x.rotate_left(17)), data)
        })
        .collect()
}
