//! Properties of the stable serialiser that Tachi-compatible hashes rest on.

use std::process::Command;

use kaiden_core::stable_json::{cmp_utf16, stable_stringify, write_js_number};
use proptest::prelude::*;

fn js(n: f64) -> String {
    let mut s = String::new();
    write_js_number(&mut s, n);
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Any finite double prints in JS layout and reads back as itself.
    #[test]
    fn finite_numbers_round_trip_in_js_layout(bits in any::<u64>()) {
        let n = f64::from_bits(bits);
        prop_assume!(n.is_finite());
        let s = js(n);
        let back: f64 = s.parse().expect("parses");
        prop_assert!(back == n, "{s} read back as {back}, not {n}");
        let a = n.abs();
        let exponent_form = a != 0.0 && !(1e-6..1e21).contains(&a);
        prop_assert_eq!(s.contains('e'), exponent_form, "{}", s);
        if a < 1e21 && n.fract() == 0.0 {
            prop_assert!(!s.contains('.'), "integers print without a fraction: {}", s);
        }
        // Shortest digits: as many significant digits as Rust's shortest repr.
        let sci = format!("{a:e}");
        let want = sci.split('e').next().unwrap_or("").chars().filter(char::is_ascii_digit).count();
        let mantissa = s.split('e').next().unwrap_or("");
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let significant = digits.trim_start_matches('0').trim_end_matches('0').len().max(1);
        prop_assert!(significant <= want, "{} has more digits than {}", s, sci);
    }

    /// Key order is JavaScript's (UTF-16 code units) and independent of insertion order.
    #[test]
    fn key_order_is_utf16_and_insertion_independent(keys in proptest::collection::vec(any::<String>(), 0..8)) {
        let mut a = serde_json::Map::new();
        let mut b = serde_json::Map::new();
        for (i, k) in keys.iter().enumerate() {
            a.insert(k.clone(), serde_json::Value::from(i));
        }
        for k in keys.iter().rev() {
            let v = a.get(k).cloned().unwrap_or_default();
            b.insert(k.clone(), v);
        }
        let sa = stable_stringify(&serde_json::Value::Object(a.clone()));
        prop_assert_eq!(&sa, &stable_stringify(&serde_json::Value::Object(b)));
        let mut sorted: Vec<&String> = a.keys().collect();
        sorted.sort_by_key(|x| x.encode_utf16().collect::<Vec<_>>());
        let mut again: Vec<&String> = a.keys().collect();
        again.sort_by(|x, y| cmp_utf16(x, y));
        prop_assert_eq!(sorted, again);
    }
}

/// Differential check against a real JavaScript engine, when one is installed:
/// Node formats the same doubles and must print the same strings.
#[test]
fn numbers_match_node_when_available() {
    let Ok(probe) = Command::new("node").arg("--version").output() else {
        println!("node not installed: differential JS number check skipped");
        return;
    };
    if !probe.status.success() {
        println!("node not usable: differential JS number check skipped");
        return;
    }
    // Deterministic spread of doubles: special values, boundaries, and a xorshift
    // walk over bit patterns.
    let mut values: Vec<f64> = vec![
        0.0,
        -0.0,
        1e21,
        1e-6,
        1e-7,
        999_999_999_999_999_900_000.0,
        0.1,
        100.5,
        95.12,
        2f64.powi(53),
        2f64.powi(53) + 2.0,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        200.0 / 9.0,
        1700.0 / 18.0,
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while values.len() < 20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = f64::from_bits(x);
        if n.is_finite() {
            values.push(n);
        }
        // Also realistic magnitudes: scores and percents.
        #[allow(clippy::cast_precision_loss)]
        values.push((x % 100_000_000) as f64 / 1000.0);
    }
    let script = "const b=require('fs').readFileSync(0);const out=[];for(let i=0;i<b.length;i+=8){out.push(String(b.readDoubleLE(i)))}process.stdout.write(out.join('\\n'))";
    let mut input = Vec::with_capacity(values.len() * 8);
    for v in &values {
        input.extend_from_slice(&v.to_le_bytes());
    }
    let mut child = Command::new("node")
        .args(["-e", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&input).expect("write");
    }
    let out = child.wait_with_output().expect("node runs");
    let text = String::from_utf8(out.stdout).expect("utf8");
    let theirs: Vec<&str> = text.split('\n').collect();
    assert_eq!(theirs.len(), values.len());
    for (v, t) in values.iter().zip(theirs) {
        assert_eq!(js(*v), t, "formatting {v:e}");
    }
}

/// Fuzz crash `stable_json/crash-a0fc758b`: serde_json's default float parser is
/// not always correctly rounded, so a long integer literal parsed to a double one
/// ULP away from the one JavaScript (and Rust's `str::parse`) gives; its stable
/// serialisation then did not read back to itself, and a BATCH-MANUAL number could
/// hash to a different scoreID than Tachi's. The workspace enables serde_json's
/// `float_roundtrip`.
#[test]
fn fuzz_crash_a0fc758b_long_numbers_parse_correctly_rounded() {
    for literal in [
        "6666666000000000003384629513536842365",
        "93.12345678901234567",
        "0.30000000000000004441",
        "1.7976931348623157e308",
        "5e-324",
    ] {
        let text = literal;
        let ours: serde_json::Value = serde_json::from_str(text).expect("a number");
        let want: f64 = text.parse().expect("a number");
        assert_eq!(
            ours.as_f64().map(f64::to_bits),
            Some(want.to_bits()),
            "{text}"
        );
        let s = kaiden_core::stable_json::stable_stringify(&ours);
        let again: serde_json::Value = serde_json::from_str(&s).expect("JSON");
        assert_eq!(
            kaiden_core::stable_json::stable_stringify(&again),
            s,
            "{text}"
        );
    }
}
