//! Score rating functions, bit-compatible with the `rg-stats` 1.1.0 library Tachi
//! pins. Each keeps the library's order of floating-point operations, because a
//! different order changes the last bit and so, after a floor, the answer.
//!
//! Like `rg-stats`, each function rejects out-of-range input with an error (Tachi
//! lets that error turn the record into an `InternalError`).

/// Input a rating function cannot rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RatingError(pub String);

fn ensure(ok: bool, message: impl FnOnce() -> String) -> Result<(), RatingError> {
    if ok {
        Ok(())
    } else {
        Err(RatingError(message()))
    }
}

/// JavaScript's `Math.round`: halves round towards +∞.
#[must_use]
pub fn js_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// JavaScript's `Math.max` of two numbers (neither NaN): +0 is larger than
/// −0, where Rust's `f64::max` may return either.
#[must_use]
pub fn js_max(a: f64, b: f64) -> f64 {
    if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() && b.is_sign_negative() {
            -0.0
        } else {
            0.0
        }
    } else {
        a.max(b)
    }
}

/// Poyashi's Beat Performance Index for an IIDX score.
pub fn poyashi_bpi(
    ex: f64,
    kaiden_average: f64,
    world_record: f64,
    max: f64,
    pow_coef: Option<f64>,
) -> Result<f64, RatingError> {
    let k = match pow_coef {
        None => 1.175,
        Some(-1.0) => 1.175,
        Some(c) => c,
    };
    let int = |x: f64| x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0;
    ensure(int(kaiden_average), || {
        "Kaiden Average was not an integer.".into()
    })?;
    ensure(int(world_record), || {
        "World Record was not an integer.".into()
    })?;
    ensure(int(max), || "MAX was not an integer.".into())?;
    ensure(kaiden_average <= max, || {
        "Kaiden Average was greater than MAX.".into()
    })?;
    ensure(world_record <= max, || {
        "World Record was greater than MAX.".into()
    })?;
    ensure(kaiden_average <= world_record, || {
        "Kaiden Average was greater than WR.".into()
    })?;
    ensure(kaiden_average >= 0.0, || {
        "Kaiden Average was negative.".into()
    })?;
    ensure(max >= 0.0, || "MAX was negative.".into())?;
    ensure(k >= 0.0, || "Power Coefficient was negative.".into())?;
    ensure(world_record != kaiden_average, || {
        "BPI is undefined for the case where Kaiden Average equals the World Record".into()
    })?;
    ensure(int(ex), || "Provided EX was not an integer.".into())?;
    ensure(ex <= max, || "Provided EX was greater than MAX.".into())?;
    ensure(ex >= 0.0, || "Provided EX was negative.".into())?;

    let pgf = |x: f64| {
        if x == max {
            max * 0.8
        } else {
            0.5 / (1.0 - x / max)
        }
    };
    let your = pgf(ex) / pgf(kaiden_average);
    let wr = pgf(world_record) / pgf(kaiden_average);
    if ex == kaiden_average {
        return Ok(0.0);
    }
    if ex == world_record {
        return Ok(100.0);
    }
    // V8's Math.log is fdlibm's original (`v8log`, not `libm`'s musl form); its `**` regroups one step of
    // fdlibm's pow, so `v8pow` reproduces it (checked against Node).
    let log = crate::v8log::log(your) / crate::v8log::log(wr);
    if ex < kaiden_average {
        // Negation is exact, so this is rg-stats' `100 * -1 * (-1 * log) ** k`.
        let bpi = -100.0 * crate::v8pow::pow(-log, k);
        return Ok(if bpi < -15.0 { -15.0 } else { bpi });
    }
    Ok(100.0 * crate::v8pow::pow(log, k))
}

/// SDVX lamps as `rg-stats` 1.1.0 knows them, as integers (×100): the
/// library multiplies whole coefficients and divides once at the end.
fn vf_lamp_coefficient(lamp: &str) -> Option<f64> {
    Some(match lamp {
        "PERFECT ULTIMATE CHAIN" => 110.0,
        "ULTIMATE CHAIN" => 105.0,
        "MAXXIVE CLEAR" => 104.0,
        "EXCESSIVE CLEAR" => 102.0,
        "CLEAR" => 100.0,
        "FAILED" => 50.0,
        _ => return None,
    })
}

fn vf_grade_coefficient(score: f64) -> f64 {
    match score {
        s if s < 7_000_000.0 => 80.0,
        s if s < 8_000_000.0 => 82.0,
        s if s < 8_700_000.0 => 85.0,
        s if s < 9_000_000.0 => 88.0,
        s if s < 9_300_000.0 => 91.0,
        s if s < 9_500_000.0 => 94.0,
        s if s < 9_700_000.0 => 97.0,
        s if s < 9_800_000.0 => 100.0,
        s if s < 9_900_000.0 => 102.0,
        _ => 105.0,
    }
}

/// SDVX VOLFORCE as defined in SDVX6 (floored to 3 decimal places).
pub fn volforce_vf6(score: f64, lamp: &str, level: f64) -> Result<f64, RatingError> {
    ensure(score <= 10_000_000.0, || {
        "Score cannot be greater than 10million".into()
    })?;
    ensure(score >= 0.0, || "Score cannot be negative".into())?;
    let lamp_coef = vf_lamp_coefficient(lamp)
        .ok_or_else(|| RatingError(format!("Unknown SDVX lamp {lamp}.")))?;
    // rg-stats 1.1.0: the whole product (coefficients ×100 each), then
    // floor(whole / 1000) / 1000.
    let whole = level * 2.0 * (score / 10_000_000.0) * vf_grade_coefficient(score) * lamp_coef;
    Ok((whole / 1000.0).floor() / 1000.0)
}

/// CHUNITHM rating (accurate up to SUN).
pub fn chunithm_rating(score: f64, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 1_010_000.0, || {
        "Score cannot be greater than 1,010,000.".into()
    })?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    // rg-stats 1.1.0 does not round the level: 10.2 * 100 is 1019.99…, and the
    // rating floors below 10.2 (Tachi's 10.19).
    let b = level * 100.0;
    let s = score;
    let val = if s >= 1_009_000.0 {
        b + 215.0
    } else if s >= 1_007_500.0 {
        b + 200.0 + (s - 1_007_500.0) / 100.0
    } else if s >= 1_005_000.0 {
        b + 150.0 + ((s - 1_005_000.0) * 10.0) / 500.0
    } else if s >= 1_000_000.0 {
        b + 100.0 + ((s - 1_000_000.0) * 5.0) / 500.0
    } else if s >= 975_000.0 {
        b + ((s - 975_000.0) * 2.0) / 500.0
    } else if s >= 900_000.0 {
        b - 500.0 + ((s - 900_000.0) * 2.0) / 300.0
    } else if s >= 800_000.0 {
        (b - 500.0) / 2.0 + ((s - 800_000.0) * ((b - 500.0) / 2.0)) / 100_000.0
    } else if s >= 500_000.0 {
        (((b - 500.0) / 2.0) * (s - 500_000.0)) / 300_000.0
    } else {
        0.0
    };
    Ok(js_max(val.floor() / 100.0, 0.0))
}

const MAIMAI_RATE_TABLE: [[f64; 15]; 16] = [
    [0.0; 15],
    [
        0.0, 0.0, 10.0, 20.0, 40.0, 100.0, 150.0, 250.0, 400.0, 400.0, 500.0, 550.0, 650.0, 700.0,
        800.0,
    ],
    [
        0.0, 0.0, 20.0, 40.0, 80.0, 200.0, 250.0, 300.0, 450.0, 450.0, 550.0, 600.0, 700.0, 750.0,
        850.0,
    ],
    [
        0.0, 0.0, 30.0, 60.0, 120.0, 300.0, 350.0, 400.0, 500.0, 500.0, 600.0, 650.0, 750.0, 800.0,
        900.0,
    ],
    [
        0.0, 0.0, 40.0, 80.0, 160.0, 350.0, 400.0, 450.0, 550.0, 550.0, 650.0, 700.0, 800.0, 850.0,
        950.0,
    ],
    [
        0.0, 0.0, 50.0, 100.0, 200.0, 400.0, 500.0, 550.0, 600.0, 600.0, 700.0, 750.0, 850.0,
        900.0, 1000.0,
    ],
    [
        0.0, 0.0, 60.0, 120.0, 240.0, 450.0, 550.0, 600.0, 650.0, 650.0, 750.0, 800.0, 900.0,
        950.0, 1050.0,
    ],
    [
        0.0, 0.0, 70.0, 140.0, 280.0, 500.0, 600.0, 700.0, 725.0, 750.0, 875.0, 900.0, 975.0,
        1000.0, 1100.0,
    ],
    [
        0.0, 0.0, 80.0, 160.0, 320.0, 550.0, 650.0, 725.0, 750.0, 800.0, 925.0, 950.0, 1025.0,
        1050.0, 1150.0,
    ],
    [
        0.0, 0.0, 90.0, 180.0, 360.0, 600.0, 700.0, 750.0, 800.0, 900.0, 1025.0, 1050.0, 1125.0,
        1150.0, 1250.0,
    ],
    [
        0.0, 0.0, 100.0, 200.0, 400.0, 700.0, 800.0, 850.0, 900.0, 1000.0, 1125.0, 1150.0, 1225.0,
        1250.0, 1350.0,
    ],
    [
        0.0, 0.0, 110.0, 220.0, 440.0, 800.0, 900.0, 950.0, 1000.0, 1100.0, 1175.0, 1200.0, 1275.0,
        1300.0, 1400.0,
    ],
    [
        0.0, 0.0, 120.0, 240.0, 480.0, 900.0, 1000.0, 1050.0, 1100.0, 1200.0, 1275.0, 1300.0,
        1375.0, 1400.0, 1500.0,
    ],
    [
        0.0, 0.0, 130.0, 260.0, 520.0, 1000.0, 1100.0, 1150.0, 1250.0, 1350.0, 1475.0, 1500.0,
        1575.0, 1600.0, 1700.0,
    ],
    [
        0.0, 0.0, 140.0, 280.0, 560.0, 1100.0, 1200.0, 1250.0, 1400.0, 1500.0, 1675.0, 1700.0,
        1775.0, 1800.0, 1900.0,
    ],
    [
        0.0, 0.0, 150.0, 300.0, 600.0, 1200.0, 1300.0, 1350.0, 1550.0, 1650.0, 1875.0, 1900.0,
        1975.0, 2000.0, 2100.0,
    ],
];

/// Rank boundaries (percent × 100) of maimai FiNALE: F, E, D, C, B, A, AA, AAA, S-,
/// S, SS-, SS, SSS-, SSS, SSS+.
const MAIMAI_RANK_BOUNDARIES: [f64; 15] = [
    0.0, 1000.0, 2000.0, 4000.0, 6000.0, 8000.0, 9000.0, 9400.0, 9699.0, 9700.0, 9899.0, 9900.0,
    9999.0, 10000.0, 20000.0,
];

/// maimai (FiNALE) rate.
pub fn maimai_rate(percent: f64, max_percent: f64, level: f64) -> Result<f64, RatingError> {
    // rg-stats: every note a break scores at most 104 %.
    ensure(max_percent <= 104.0, || {
        "Max score cannot be greater than 104%.".into()
    })?;
    ensure(percent >= 0.0, || "Score cannot be negative.".into())?;
    ensure(percent <= max_percent, || {
        "Score cannot be greater than the chart's max score.".into()
    })?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    let mut s = js_round(percent * 100.0);
    let m = js_round(max_percent * 100.0);
    let icl = js_round(level * 10.0);
    if s <= 1000.0 {
        return Ok(0.0);
    }
    // The rate curve at this level: rows of the table interpolated (extrapolated
    // above level 15.0).
    let mut curve = [0.0; 15];
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (lo_row, hi_row, base) = if icl > 150.0 {
        (14usize, 15usize, 140.0)
    } else {
        let lo = (icl / 10.0).floor();
        let hi = (icl / 10.0).ceil();
        (lo as usize, hi as usize, lo * 10.0)
    };
    for (i, c) in curve.iter_mut().enumerate() {
        let lo = MAIMAI_RATE_TABLE[lo_row][i];
        let hi = MAIMAI_RATE_TABLE[hi_row][i];
        *c = if lo_row == hi_row {
            lo
        } else {
            lo + ((hi - lo) * (icl - base)) / 10.0
        };
    }
    if s == m {
        return Ok(curve[14] / 100.0);
    }
    let rank = MAIMAI_RANK_BOUNDARIES
        .iter()
        .rposition(|b| s >= *b)
        .unwrap_or(0)
        .min(13);
    if rank == 13 {
        s = (((s - 10000.0) / (m - 10000.0)) * 10000.0 + 10000.0).floor();
    }
    let lower = MAIMAI_RANK_BOUNDARIES[rank];
    // On a rank's boundary rg-stats returns the curve's value unrounded.
    #[allow(clippy::float_cmp)]
    if s == lower {
        return Ok(curve[rank] / 100.0);
    }
    let upper = MAIMAI_RANK_BOUNDARIES[rank + 1];
    // rg-stats divides before it multiplies: the same order, the same bits.
    let val = curve[rank] + (curve[rank + 1] - curve[rank]) * ((s - lower) / (upper - lower));
    Ok(val.floor() / 100.0)
}

const MAIMAIDX_COEFFICIENTS: [(f64, f64); 23] = [
    (1_005_000.0, 224.0),
    (1_004_999.0, 222.0),
    (1_000_000.0, 216.0),
    (999_999.0, 214.0),
    (995_000.0, 211.0),
    (990_000.0, 208.0),
    (989_999.0, 206.0),
    (980_000.0, 203.0),
    (970_000.0, 200.0),
    (969_999.0, 176.0),
    (940_000.0, 168.0),
    (900_000.0, 152.0),
    (800_000.0, 136.0),
    (799_999.0, 128.0),
    (750_000.0, 120.0),
    (700_000.0, 112.0),
    (600_000.0, 96.0),
    (500_000.0, 80.0),
    (400_000.0, 64.0),
    (300_000.0, 48.0),
    (200_000.0, 32.0),
    (100_000.0, 16.0),
    (0.0, 0.0),
];

/// maimai DX rate (an integer).
pub fn maimaidx_rate(percent: f64, level: f64) -> Result<f64, RatingError> {
    ensure(percent >= 0.0, || "Score cannot be negative.".into())?;
    ensure(percent <= 101.0, || {
        "Score cannot be greater than 101%.".into()
    })?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    let s = js_round(percent * 10000.0).min(1_005_000.0);
    let icl = js_round(level * 10.0);
    let coef = MAIMAIDX_COEFFICIENTS
        .iter()
        .find(|(b, _)| s >= *b)
        .map_or(0.0, |(_, c)| *c);
    Ok(((s * coef * icl) / 100_000_000.0).floor())
}

/// WACCA rate.
pub fn wacca_rate(score: f64, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 1_000_000.0, || {
        "Score cannot be greater than 1 million.".into()
    })?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    let coef = match score {
        s if s >= 990_000.0 => 4.0,
        s if s >= 980_000.0 => 3.75,
        s if s >= 970_000.0 => 3.5,
        s if s >= 960_000.0 => 3.25,
        s if s >= 950_000.0 => 3.0,
        s if s >= 940_000.0 => 2.75,
        s if s >= 920_000.0 => 2.5,
        s if s >= 900_000.0 => 2.0,
        s if s >= 850_000.0 => 1.5,
        _ => 1.0,
    };
    Ok(js_round(coef * level * 1000.0) / 1000.0)
}

/// GITADORA skill.
pub fn gitadora_skill(percent: f64, level: f64) -> Result<f64, RatingError> {
    ensure(percent >= 0.0, || "Percent cannot be negative.".into())?;
    ensure(percent <= 100.0, || {
        "Percent cannot be greater than 100.".into()
    })?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    Ok((percent * level * 20.0).floor() / 100.0)
}

/// jubeat jubility.
pub fn jubility(score: f64, music_rate: f64, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 1_000_000.0, || {
        "Score cannot be greater than 1 million.".into()
    })?;
    ensure(music_rate >= 0.0, || {
        "Music rate cannot be negative.".into()
    })?;
    ensure(music_rate <= 120.0, || {
        "Music rate cannot be greater than 120.".into()
    })?;
    if score < 700_000.0 {
        return Ok(0.0);
    }
    let v = (js_round(level * 10.0) * 125.0 * (music_rate * 10.0).floor()) / 99.0;
    Ok((v / 100.0).floor() / 10.0)
}

/// pop'n music class points. `lamp` is the lamp derived from the clear medal.
pub fn popn_class_points(score: f64, lamp: &str, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 100_000.0, || {
        "Score cannot be greater than 100,000.".into()
    })?;
    let bonus = match lamp {
        "FAILED" => 0.0,
        "EASY CLEAR" | "CLEAR" => 3000.0,
        "FULL COMBO" | "PERFECT" => 5000.0,
        _ => return Err(RatingError(format!("Unknown pop'n lamp {lamp}."))),
    };
    if score <= 50_000.0 {
        return Ok(0.0);
    }
    Ok((10000.0 * level + score - 50000.0 + bonus) / 5440.0)
}

/// MÚSECA curator skill.
pub fn curator_skill(score: f64, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 1_000_000.0, || {
        "Score cannot be greater than 1 million.".into()
    })?;
    Ok((level * (score / 10000.0)).floor())
}

/// Arcaea potential.
pub fn arcaea_potential(score: f64, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    let icl = js_round(level * 100.0);
    let p = if score >= 10_000_000.0 {
        icl + 200.0
    } else if score >= 9_800_000.0 {
        icl + 100.0 + ((score - 9_800_000.0) / 2000.0).floor()
    } else {
        icl + ((score - 9_500_000.0) / 3000.0).floor()
    };
    Ok(js_max(p / 100.0, 0.0))
}

/// O.N.G.E.K.I. classic rating (bright MEMORY).
pub fn ongeki_rating(score: f64, level: f64) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 1_010_000.0, || {
        "Score cannot be greater than 1,010,000.".into()
    })?;
    if level == 0.0 {
        return Ok(0.0);
    }
    let icl = js_round(level * 100.0);
    let s = score;
    let v = if s >= 1_007_500.0 {
        icl + 200.0
    } else if s >= 1_000_000.0 {
        icl + 150.0 + ((s - 1_000_000.0) / 150.0).floor()
    } else if s >= 970_000.0 {
        icl + ((s - 970_000.0) / 200.0).floor()
    } else if s >= 900_000.0 {
        icl - ((970_000.0 - s) / 175.0).ceil()
    } else if s >= 800_000.0 {
        icl - 400.0 - ((900_000.0 - s) / 500.0).ceil()
    } else {
        return Ok(0.0);
    };
    Ok(js_max(v / 100.0, 0.0))
}

/// O.N.G.E.K.I. Re:Fresh score rating.
pub fn ongeki_rating_refresh(
    level: f64,
    score: f64,
    note_lamp: &str,
    full_bell: bool,
) -> Result<f64, RatingError> {
    ensure(score >= 0.0, || "Score cannot be negative.".into())?;
    ensure(score <= 1_010_000.0, || {
        "Score cannot be greater than 1,010,000.".into()
    })?;
    ensure(level >= 0.0, || "Chart level cannot be negative.".into())?;
    // rg-stats: a perfect score is an ALL BREAK+ with a FULL BELL, and only
    // a perfect score is an ALL BREAK+.
    #[allow(clippy::float_cmp)]
    let perfect = score == 1_010_000.0;
    ensure(!perfect || (full_bell && note_lamp == "ALL BREAK+"), || {
        "Invalid AB+: a score of 1,010,000 needs an ALL BREAK+ with a FULL BELL.".into()
    })?;
    ensure(note_lamp != "ALL BREAK+" || perfect, || {
        "An ALL BREAK+ needs a score of 1,010,000.".into()
    })?;
    ensure(!(note_lamp == "LOSS" && full_bell), || {
        "Cannot have a LOSS with a FULL BELL.".into()
    })?;
    let s = score;
    let add = if s >= 1_007_500.0 {
        1750.0 + ((250.0 * (s - 1_007_500.0)) / 2500.0).trunc() + 300.0
    } else if s >= 1_000_000.0 {
        1250.0 + ((500.0 * (s - 1_000_000.0)) / 7500.0).trunc() + 200.0
    } else if s >= 990_000.0 {
        750.0 + ((500.0 * (s - 990_000.0)) / 10000.0).trunc() + 100.0
    } else if s >= 970_000.0 {
        ((750.0 * (s - 970_000.0)) / 20000.0).floor()
    } else if s >= 900_000.0 {
        -((4000.0 * (970_000.0 - s)) / 70000.0).ceil()
    } else if s >= 800_000.0 {
        -4000.0 - ((2000.0 * (900_000.0 - s)) / 100_000.0).ceil()
    } else {
        return Ok(0.0);
    };
    let mut v = js_round(level * 1000.0) + add;
    if full_bell {
        v += 50.0;
    }
    v += match note_lamp {
        "FULL COMBO" => 100.0,
        "ALL BREAK" => 300.0,
        "ALL BREAK+" => 350.0,
        _ => 0.0,
    };
    Ok(js_max(v / 1000.0, 0.0))
}

/// O.N.G.E.K.I. platinum-star rating; 6 stars count as 5.
pub fn ongeki_rating_platinum(level: f64, stars: f64) -> Result<f64, RatingError> {
    ensure((0.0..=6.0).contains(&stars), || {
        format!("Invalid star count {stars}.")
    })?;
    let stars = stars.min(5.0);
    Ok((stars * level * level).floor() / 1000.0)
}

const FLARE_0_POINTS: [f64; 19] = [
    145.0, 155.0, 170.0, 185.0, 205.0, 230.0, 255.0, 290.0, 335.0, 400.0, 465.0, 510.0, 545.0,
    575.0, 600.0, 620.0, 635.0, 650.0, 665.0,
];

/// DDR flare skill of a chart level and flare rank (0 = no flare, 10 = EX).
pub fn ddr_flare(level: f64, flare: usize) -> Result<f64, RatingError> {
    ensure(level > 0.0 && level <= 19.0 && level.fract() == 0.0, || {
        format!("Invalid DDR level {level}.")
    })?;
    ensure(flare <= 10, || format!("Invalid flare rank {flare}."))?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked above
    let base = FLARE_0_POINTS[level as usize - 1];
    #[allow(clippy::cast_precision_loss)]
    let flare = flare as f64;
    Ok(((base * (100.0 + flare * 6.0)) / 100.0).floor())
}

/// ITG "highest unbroken": the BPM of the fastest unbroken run of `measures`
/// measures of 16ths, or `None` if the chart has none (before `died_at`).
pub fn itg_highest_unbroken(
    nps_per_measure: &[f64],
    notes_per_measure: &[f64],
    died_at: Option<f64>,
    measures: usize,
) -> Result<Option<f64>, RatingError> {
    ensure(nps_per_measure.len() == notes_per_measure.len(), || {
        "npsPerMeasure and notesPerMeasure differ in length.".into()
    })?;
    #[allow(clippy::cast_precision_loss)]
    let needed = (measures * 16) as f64;
    #[allow(clippy::cast_precision_loss)]
    let limit = died_at.unwrap_or(nps_per_measure.len() as f64);
    let mut best: Option<f64> = None;
    for start in 0..nps_per_measure.len() {
        let mut notes = 0.0;
        let mut min_nps = f64::INFINITY;
        for j in start..nps_per_measure.len() {
            #[allow(clippy::cast_precision_loss)]
            if j as f64 >= limit || notes_per_measure[j] == 0.0 {
                break;
            }
            notes += notes_per_measure[j];
            min_nps = min_nps.min(nps_per_measure[j]);
            if notes >= needed {
                best = Some(best.map_or(min_nps, |b: f64| b.max(min_nps)));
                break;
            }
        }
    }
    Ok(best.map(|nps| (nps * 60.0) / 4.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_input_is_an_error_not_a_panic() {
        assert!(volforce_vf6(-1.0, "CLEAR", 18.0).is_err());
        assert!(volforce_vf6(9e6, "NOT A LAMP", 18.0).is_err());
        assert!(poyashi_bpi(100.0, 1600.0, 1600.0, 2200.0, None).is_err());
        assert!(ddr_flare(20.0, 0).is_err());
        assert!(ddr_flare(0.0, 0).is_err());
        assert!(chunithm_rating(1_010_001.0, 14.0).is_err());
    }

    #[test]
    fn bpi_edges() {
        assert_eq!(poyashi_bpi(1600.0, 1600.0, 2000.0, 2200.0, None), Ok(0.0));
        assert_eq!(
            poyashi_bpi(2000.0, 1600.0, 2000.0, 2200.0, Some(-1.0)),
            Ok(100.0)
        );
        assert_eq!(poyashi_bpi(0.0, 1600.0, 2000.0, 2200.0, None), Ok(-15.0));
    }

    #[test]
    fn js_round_rounds_halves_up() {
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(-2.5), -2.0);
    }

    #[test]
    fn bpi_uses_v8s_log() {
        // Tachi's value (issue 25); `libm::log` gave ...315 (3 ULP off).
        let bpi = poyashi_bpi(659.0, 537.0, 636.0, 696.0, None).expect("a BPI");
        assert_eq!(bpi.to_bits(), 160.531_549_076_813_12_f64.to_bits());
    }

    #[test]
    fn vf6_multiplies_whole_coefficients_as_rg_stats_1_1_0() {
        // Tachi's value (issue 25): 19 · 2 · 1 · 105 · 100 = 399,000 → 0.399.
        assert_eq!(volforce_vf6(10_000_000.0, "CLEAR", 19.0), Ok(0.399));
        assert_eq!(
            volforce_vf6(9_850_000.0, "EXCESSIVE CLEAR", 17.0),
            Ok(0.348)
        );
    }

    #[test]
    fn maimai_rate_on_a_rank_boundary_is_the_curve_unrounded() {
        // Tachi's value (issue 25): level 6.1, 96.99 % (S-) → 6.575.
        assert_eq!(maimai_rate(96.99, 101.0, 6.1), Ok(6.575));
        // Off the boundary it is floored as before.
        assert_eq!(maimai_rate(97.5, 101.0, 6.1), Ok(6.85));
        // Between boundaries rg-stats divides before it multiplies: 0.28,
        // where multiplying first gives 0.29.
        assert_eq!(maimai_rate(15.8, 100.0, 5.0), Ok(0.28));
        // A chart whose maximum is above 104 % is refused, as rg-stats
        // refuses it (Tachi's import then reports an internal error).
        assert!(maimai_rate(100.0, 104.2, 6.1).is_err());
    }

    #[test]
    fn ratings_clamped_at_zero_are_positive_zero_as_javascript_s_math_max_gives() {
        // (level·100 − 500)/2 · 0 is −0 below level 5; Math.max(−0, 0) is +0.
        let r = chunithm_rating(500_000.0, 3.0).expect("rating");
        assert_eq!(r.to_bits(), 0.0_f64.to_bits());
        assert_eq!(js_max(-0.0, 0.0).to_bits(), 0.0_f64.to_bits());
        assert_eq!(js_max(-0.0, -0.0).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(js_max(-1.0, 2.5), 2.5);
    }

    #[test]
    fn chunithm_does_not_round_the_level_as_rg_stats_does_not() {
        // The values Tachi's own code gives (a differential run, issue 25).
        assert_eq!(chunithm_rating(975_000.0, 10.2), Ok(10.19));
        assert_eq!(chunithm_rating(900_000.0, 8.7), Ok(3.69));
        assert_eq!(chunithm_rating(985_000.0, 13.7), Ok(14.1));
    }
}
