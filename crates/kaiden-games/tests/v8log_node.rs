//! `v8log::log` against Node's `Math.log`, bit for bit, when Node is installed.

use std::io::Write as _;
use std::process::{Command, Stdio};

use kaiden_games::v8log;

#[test]
fn log_matches_node_bit_for_bit() {
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("SKIPPED: node is not installed");
        return;
    }
    let mut s: u64 = 0x5851_F42D_4C95_7F2D;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut xs: Vec<f64> = Vec::new();
    #[allow(clippy::cast_precision_loss)]
    while xs.len() < 100_000 {
        let a = next();
        let unit = (a >> 11) as f64 / (1u64 << 53) as f64;
        let x = match next() % 5 {
            // BPI's ratios of pika-great values: near 1, up to a few.
            0 => 1.0 + (unit - 0.5) * 1e-3,
            1 => 0.2 + unit * 5.0,
            2 => unit * 1e-300,
            3 => f64::from_bits(a >> 1),
            _ => 1.0 + unit * 1e-7,
        };
        if x.is_finite() && x > 0.0 {
            xs.push(x);
        }
    }
    xs.extend([1.0, f64::MIN_POSITIVE, 5e-324, f64::MAX, 2.0, 0.5]);
    let script = "const b=require('fs').readFileSync(0);const o=Buffer.alloc(b.length);for(let i=0;i<b.length;i+=8){o.writeDoubleLE(Math.log(b.readDoubleLE(i)),i)}process.stdout.write(o)";
    let mut child = Command::new("node")
        .args(["-e", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node starts");
    let input: Vec<u8> = xs.iter().flat_map(|x| x.to_le_bytes()).collect();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write");
    let out = child.wait_with_output().expect("node runs");
    assert_eq!(out.stdout.len(), xs.len() * 8);
    let mut musl_differs = 0;
    for (x, theirs) in xs.iter().zip(out.stdout.chunks_exact(8)) {
        let theirs = f64::from_le_bytes(theirs.try_into().expect("8 bytes"));
        let ours = v8log::log(*x);
        assert_eq!(
            ours.to_bits(),
            theirs.to_bits(),
            "log({x:e}): ours {ours:e}, Node {theirs:e}"
        );
        if libm::log(*x).to_bits() != theirs.to_bits() {
            musl_differs += 1;
        }
    }
    // The reason this port exists: the libm crate's log is not V8's.
    assert!(musl_differs > 0);
    println!(
        "{} values agree with Node; libm's log differs on {musl_differs}",
        xs.len()
    );
}
