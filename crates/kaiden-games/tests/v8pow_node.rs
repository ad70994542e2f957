//! `v8pow::pow` against Node's `Math.pow`, bit for bit, when Node is installed.

use std::process::Command;

use kaiden_games::v8pow;

#[test]
fn pow_matches_node_bit_for_bit() {
    let Ok(probe) = Command::new("node").arg("--version").output() else {
        println!("node not installed: differential pow check skipped");
        return;
    };
    if !probe.status.success() {
        println!("node not usable: differential pow check skipped");
        return;
    }
    // Bases and exponents the rating code meets (BPI: a ratio of logs to the
    // power 1.175 or a chart's coefficient) and a wide random spread.
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    #[allow(clippy::cast_precision_loss)]
    while pairs.len() < 60_000 {
        let a = next();
        let b = next();
        let unit = (a >> 11) as f64 / (1u64 << 53) as f64;
        let base = match b % 4 {
            0 => unit * 2.0,
            1 => unit * 1000.0,
            2 => f64::from_bits(a >> 2), // any positive double
            _ => 1.0 + unit * 1e-6,
        };
        let exp = match (b >> 8) % 5 {
            0 => 1.5,
            1 => 1.175,
            2 => ((b >> 16) % 4000) as f64 / 1000.0,
            3 => ((b >> 16) % 61) as f64 - 30.0,
            _ => (unit - 0.5) * 40.0,
        };
        if base.is_finite() && base > 0.0 {
            pairs.push((base, exp));
        }
    }
    pairs.push((0.140_313_995_589_965_07, 1.5));
    let script = "const b=require('fs').readFileSync(0);const o=Buffer.alloc(b.length/2);for(let i=0,j=0;i<b.length;i+=16,j+=8){o.writeDoubleLE(Math.pow(b.readDoubleLE(i),b.readDoubleLE(i+8)),j)}process.stdout.write(o)";
    let mut input = Vec::with_capacity(pairs.len() * 16);
    for (x, y) in &pairs {
        input.extend_from_slice(&x.to_le_bytes());
        input.extend_from_slice(&y.to_le_bytes());
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
    assert_eq!(out.stdout.len(), pairs.len() * 8);
    let mut differ_from_fdlibm = 0;
    for ((x, y), theirs) in pairs.iter().zip(out.stdout.chunks_exact(8)) {
        let theirs = f64::from_le_bytes(theirs.try_into().expect("8 bytes"));
        let ours = v8pow::pow(*x, *y);
        assert_eq!(
            ours.to_bits(),
            theirs.to_bits(),
            "pow({x:e}, {y:e}): ours {ours:e}, Node {theirs:e}"
        );
        if libm::pow(*x, *y).to_bits() != theirs.to_bits() {
            differ_from_fdlibm += 1;
        }
    }
    println!(
        "{} pairs agree with Node; plain fdlibm differs on {differ_from_fdlibm}",
        pairs.len()
    );
}
