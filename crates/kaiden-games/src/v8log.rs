//! JavaScript's `Math.log` as V8 computes it: fdlibm's `__ieee754_log`
//! (V8's `base::ieee754::log`). The `libm` crate's `log` is musl's
//! rearrangement of the same polynomial, whose last steps are grouped
//! differently and differ from V8's by one ULP on about 1% of the values
//! BPI meets (`tests/v8log_node.rs` checks this one against Node, bit for bit).

// fdlibm's constants, by their bits.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const TWO54: f64 = f64::from_bits(0x4350_0000_0000_0000);
const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);
/// fdlibm's `0.33333333333333333`, the double nearest 1/3.
const THIRD: f64 = f64::from_bits(0x3fd5_5555_5555_5555);

fn high(x: f64) -> i32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let h = (x.to_bits() >> 32) as u32 as i32;
    h
}

fn low(x: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation)]
    let l = x.to_bits() as u32;
    l
}

fn with_high(x: f64, hi: i32) -> f64 {
    #[allow(clippy::cast_sign_loss)]
    let hi = u64::from(hi as u32);
    f64::from_bits((hi << 32) | u64::from(low(x)))
}

/// The natural logarithm, as V8's `Math.log`.
#[must_use]
#[allow(clippy::many_single_char_names, clippy::float_cmp)]
pub fn log(mut x: f64) -> f64 {
    let mut hx = high(x);
    let lx = low(x);
    let mut k: i32 = 0;
    if hx < 0x0010_0000 {
        // Zero, negative or subnormal.
        if ((hx & 0x7fff_ffff) as u32 | lx) == 0 {
            return f64::NEG_INFINITY;
        }
        if hx < 0 {
            return f64::NAN;
        }
        k -= 54;
        x *= TWO54;
        hx = high(x);
    }
    if hx >= 0x7ff0_0000 {
        return x + x;
    }
    k += (hx >> 20) - 1023;
    hx &= 0x000f_ffff;
    let i = (hx + 0x95f64) & 0x0010_0000;
    // Normalise x or x/2 into [sqrt(2)/2, sqrt(2)).
    x = with_high(x, hx | (i ^ 0x3ff0_0000));
    k += i >> 20;
    let f = x - 1.0;
    let dk = f64::from(k);
    if (0x000f_ffff & (2 + hx)) < 3 {
        // |f| < 2**-20.
        if f == 0.0 {
            return if k == 0 {
                0.0
            } else {
                dk * LN2_HI + dk * LN2_LO
            };
        }
        let r = f * f * (0.5 - THIRD * f);
        return if k == 0 {
            f - r
        } else {
            dk * LN2_HI - ((r - dk * LN2_LO) - f)
        };
    }
    let s = f / (2.0 + f);
    let z = s * s;
    let mut i = hx - 0x6147a;
    let w = z * z;
    let j = 0x6b851 - hx;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    i |= j;
    let r = t2 + t1;
    if i > 0 {
        let hfsq = 0.5 * f * f;
        if k == 0 {
            f - (hfsq - s * (hfsq + r))
        } else {
            dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
        }
    } else if k == 0 {
        f - s * (f - r)
    } else {
        dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values_and_the_bpi_case_node_gives() {
        assert_eq!(log(1.0), 0.0);
        assert_eq!(log(0.0), f64::NEG_INFINITY);
        assert!(log(-1.0).is_nan());
        assert_eq!(log(f64::INFINITY), f64::INFINITY);
        assert_eq!(log(std::f64::consts::E), 1.0);
        // A value BPI meets where `libm::log` is one ULP off V8's (Node 20).
        let y = f64::from_bits(0x3ff1_7943_5e50_d795);
        assert_eq!(log(y).to_bits(), 0x3fb6_8e32_a87f_1bf1);
        assert_eq!(libm::log(y).to_bits(), 0x3fb6_8e32_a87f_1bf2);
    }
}
