//! Tachi's stable JSON (the `fast-json-stable-hash` 1.0.3 serialisation) and the
//! hashes built on it: scoreIDs, orphanIDs, goalIDs.
//!
//! The rules, all of which matter for bit-identical hashes:
//! - object keys sorted by UTF-16 code units (JavaScript's default sort);
//! - strings escaped as `JSON.stringify` escapes them;
//! - numbers written as JavaScript's `String(number)` writes them (`100`, not
//!   `100.0`; `1e+21`; `1e-7`; `-0` as `0`; `NaN`, `Infinity`);
//! - no whitespace.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::Value;

/// Orders two strings as JavaScript's default `Array.prototype.sort` does: by
/// UTF-16 code units. Differs from byte order only for characters above U+FFFF
/// against characters in U+E000..=U+FFFF.
#[must_use]
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// JavaScript's `Number(s)`: surrounding white space trimmed, empty is 0,
/// a decimal literal (signed, with fraction and exponent, or `Infinity`), or
/// an unsigned `0x`/`0o`/`0b` integer; anything else is NaN.
#[must_use]
pub fn js_number(s: &str) -> f64 {
    // JavaScript's white space and line terminators: Unicode's White_Space
    // without U+0085, with U+FEFF.
    let js_space = |c: char| (c.is_whitespace() && c != '\u{85}') || c == '\u{FEFF}';
    let t = s.trim_matches(js_space);
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return f64::NAN;
            }
            return digits
                .chars()
                .filter_map(|c| c.to_digit(radix))
                .fold(0.0, |n, d| n * f64::from(radix) + f64::from(d));
        }
    }
    let (negative, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if body == "Infinity" {
        return if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    // digits [. digits] | . digits, then an optional exponent.
    let b = body.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return f64::NAN;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return f64::NAN;
        }
        i += exp_digits;
    }
    if i != b.len() {
        return f64::NAN;
    }
    // The grammar above is a subset of what Rust's parser takes.
    let n = body.parse::<f64>().unwrap_or(f64::NAN);
    if negative { -n } else { n }
}

/// Appends `n` as JavaScript's `String(n)` would write it.
pub fn write_js_number(out: &mut String, n: f64) {
    if n.is_nan() {
        out.push_str("NaN");
        return;
    }
    if n.is_infinite() {
        out.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if n == 0.0 {
        out.push('0'); // also -0
        return;
    }
    // Integers below 2^53 print all their digits in JS, as Rust's i64 does.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)] // exact: |n| < 2^53 and integral
        let i = n as i64;
        push_integer(out, i);
        return;
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like JS; only the layout
    // differs. `d.ddde±x` → digits and a decimal exponent.
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 16 {
        break_tie_to_even(n.abs(), &mut digits, exp);
    }
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    // JS: value = 0.d1..dk × 10^n_js
    let n_js = exp + 1;
    if n < 0.0 {
        out.push('-');
    }
    if k <= n_js && n_js <= 21 {
        out.push_str(&digits);
        for _ in 0..(n_js - k) {
            out.push('0');
        }
    } else if 0 < n_js && n_js <= 21 {
        let split = usize::try_from(n_js).unwrap_or(0);
        out.push_str(&digits[..split]);
        out.push('.');
        out.push_str(&digits[split..]);
    } else if -6 < n_js && n_js <= 0 {
        out.push_str("0.");
        for _ in 0..(-n_js) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let e = n_js - 1;
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        let _ = write!(out, "{}", e.abs());
    }
}

/// ECMAScript's Number::toString picks, among equally short digit strings that
/// read back as `a`, the one closest to `a`, and on an exact tie the even one.
/// Rust's shortest formatting may pick the odd one of a tie; ties are only
/// possible with 16 or 17 digits, so only those are checked, on the exact
/// decimal expansion of `a`.
fn break_tie_to_even(a: f64, digits: &mut String, exp: i32) {
    let k = digits.len();
    let exact = format!("{a:.800e}");
    let Some((mantissa, exact_exp)) = exact.split_once('e') else {
        return;
    };
    if exact_exp.parse::<i32>().ok() != Some(exp) {
        return;
    }
    let exact_digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    if exact_digits.len() <= k + 1
        || exact_digits[k] != b'5'
        || exact_digits[k + 1..].iter().any(|d| *d != b'0')
    {
        return;
    }
    // `a` lies exactly between `lower` (the truncation) and `lower + 1`.
    let lower: Vec<u8> = exact_digits[..k].to_vec();
    let mut upper = lower.clone();
    let mut i = k;
    loop {
        if i == 0 {
            return; // carries into a new digit: not a same-length tie
        }
        i -= 1;
        if upper[i] == b'9' {
            upper[i] = b'0';
        } else {
            upper[i] += 1;
            break;
        }
    }
    let even = if (lower[k - 1] - b'0') % 2 == 0 {
        lower
    } else {
        upper
    };
    let Ok(even) = String::from_utf8(even) else {
        return;
    };
    // Only if the even candidate also reads back as `a`.
    let reads_back = format!("{}.{}e{exp}", &even[..1], &even[1..])
        .parse::<f64>()
        .is_ok_and(|v| v == a);
    if reads_back {
        *digits = even;
    }
}

/// Appends an integer's decimal digits (no `fmt` machinery: this is the hot
/// path of every scoreID).
fn push_integer(out: &mut String, i: i64) {
    if i < 0 {
        out.push('-');
    }
    let mut v = i.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        // `v % 10` is below 10, so the digit is ASCII.
        buf[at] = b'0' + u8::try_from(v % 10).unwrap_or(0);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// Appends `s` quoted and escaped as `JSON.stringify` does.
pub fn write_js_string(out: &mut String, s: &str) {
    // Most strings need no escape: one scan (no early exit, so it vectorises),
    // one copy.
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0x00..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends the stable serialisation of a JSON value.
pub fn write_stable(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            // JS numbers are doubles: big integers lose precision exactly as there.
            if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() < (1 << 53)) {
                let _ = write!(out, "{i}");
            } else {
                write_js_number(out, n.as_f64().unwrap_or(f64::NAN));
            }
        }
        Value::String(s) => write_js_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_stable(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| cmp_utf16(a, b));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js_string(out, k);
                out.push(':');
                if let Some(v) = map.get(k) {
                    write_stable(out, v);
                }
            }
            out.push('}');
        }
    }
}

/// The stable serialisation of a JSON value.
#[must_use]
pub fn stable_stringify(v: &Value) -> String {
    let mut out = String::new();
    write_stable(&mut out, v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_number_reads_strings_as_javascript_s_number_does() {
        for (s, n) in [
            ("12", 12.0),
            (" 12\n", 12.0),
            ("\u{FEFF}7", 7.0),
            ("", 0.0),
            ("  ", 0.0),
            ("-3", -3.0),
            ("+3", 3.0),
            ("1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e3", 1000.0),
            ("1E-2", 0.01),
            ("0x1F", 31.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ] {
            assert_eq!(js_number(s).to_bits(), n.to_bits(), "{s:?}");
        }
        for s in [
            "x1", "1x", "inf", "NaN", "infinity", "-0x10", "0x", "1e", ".", "1_000", "1 2",
            "\u{85}1", "--1", "+-1",
        ] {
            assert!(js_number(s).is_nan(), "{s:?}");
        }
    }

    fn js(n: f64) -> String {
        let mut s = String::new();
        write_js_number(&mut s, n);
        s
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        let cases: &[(f64, &str)] = &[
            (100.0, "100"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (100.5, "100.5"),
            (95.12, "95.12"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (-2.5, "-2.5"),
            (0.000_123, "0.000123"),
            (9_007_199_254_740_993.0, "9007199254740992"),
            (2f64.powi(63), "9223372036854776000"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1_658_206_780_088_562.2, "1658206780088562.2"),
            (200.0 / 9.0, "22.22222222222222"),
        ];
        for (n, want) in cases {
            assert_eq!(js(*n), *want, "{n:e}");
        }
    }

    #[test]
    fn strings_escape_as_json_stringify() {
        let mut s = String::new();
        write_js_string(&mut s, "a\"b\\c\n\u{1}\u{7f}é/");
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\u{7f}é/\"");
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+FF5E (one unit 0xFF5E) sorts after U+1F600 (units 0xD83D 0xDE00) in
        // UTF-16, although its code point is lower.
        assert_eq!(cmp_utf16("\u{1F600}", "\u{FF5E}"), Ordering::Less);
        assert_eq!(cmp_utf16("B", "a"), Ordering::Less);
        let v = serde_json::json!({"b": 1, "a": [1.5, null, "x"], "A": {"z": true, "y": false}});
        assert_eq!(
            stable_stringify(&v),
            r#"{"A":{"y":false,"z":true},"a":[1.5,null,"x"],"b":1}"#
        );
    }
}
