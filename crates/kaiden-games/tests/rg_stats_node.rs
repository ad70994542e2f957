//! kaiden's rating functions against the `rg-stats` 1.1.0 package Tachi pins,
//! run by Node on the same inputs, compared bit for bit (or both refusing).
//!
//! Needs `node` and the package, unpacked, at `$KAIDEN_RG_STATS` or
//! `target/rg-stats-1.1.0/package` (`.ci/run` fetches it from the npm
//! registry); otherwise the test says it was skipped and passes.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use kaiden_games::rating;
use serde_json::{Value, json};

fn package() -> Option<PathBuf> {
    let dir = std::env::var_os("KAIDEN_RG_STATS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/rg-stats-1.1.0/package"),
        PathBuf::from,
    );
    dir.join("js/algorithms/volforce.js")
        .is_file()
        .then_some(dir)
}

/// A deterministic stream of numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// An integer in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    #[allow(clippy::cast_precision_loss)]
    fn float(&mut self, n: u64) -> f64 {
        self.below(n) as f64
    }
}

/// One call: the rg-stats module and function, and its arguments.
type Call = (&'static str, &'static str, Vec<Value>);

#[allow(clippy::too_many_lines)]
fn calls() -> Vec<Call> {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out: Vec<Call> = Vec::new();
    const SDVX_LAMPS: [&str; 6] = [
        "FAILED",
        "CLEAR",
        "EXCESSIVE CLEAR",
        "MAXXIVE CLEAR",
        "ULTIMATE CHAIN",
        "PERFECT ULTIMATE CHAIN",
    ];
    const POPN_LAMPS: [&str; 5] = ["FAILED", "EASY CLEAR", "CLEAR", "FULL COMBO", "PERFECT"];
    for _ in 0..2000 {
        // Chart levels to one decimal, as the seeds give them.
        let level = r.float(160) / 10.0;
        let score = match r.below(4) {
            0 => r.float(1_010_001),
            1 => [
                975_000.0,
                1_000_000.0,
                1_005_000.0,
                1_007_500.0,
                1_009_000.0,
                900_000.0,
            ][r.below(6) as usize],
            _ => 900_000.0 + r.float(110_001),
        };
        out.push((
            "chunithm-rating",
            "calculate",
            vec![json!(score), json!(level)],
        ));
        let vf_score = if r.below(3) == 0 {
            10_000_000.0
        } else {
            r.float(10_000_001)
        };
        let lamp = SDVX_LAMPS[r.below(6) as usize];
        out.push((
            "volforce",
            "calculateVF6",
            vec![json!(vf_score), json!(lamp), json!(1.0 + r.float(20))],
        ));
        // maimai: percents to two decimals, rank boundaries often.
        let max = [100.0, 101.5, 102.0, 103.42, 104.0, 104.01, 104.5][r.below(7) as usize];
        let percent = match r.below(3) {
            0 => [80.0, 90.0, 94.0, 96.99, 97.0, 98.99, 99.0, 99.99, 100.0][r.below(9) as usize],
            _ => r.float(10_001) / 100.0,
        };
        let percent: f64 = if percent > max { max } else { percent };
        out.push((
            "maimai-rate",
            "calculate",
            vec![json!(percent), json!(max), json!(r.float(151) / 10.0)],
        ));
        out.push((
            "maimaidx-rate",
            "calculate",
            vec![
                json!(r.float(101_0001) / 10_000.0),
                json!(1.0 + r.float(150) / 10.0),
            ],
        ));
        out.push((
            "wacca-rate",
            "calculate",
            vec![json!(r.float(1_000_001)), json!(1.0 + r.float(150) / 10.0)],
        ));
        out.push((
            "gitadora-skill",
            "calculate",
            vec![
                json!(r.float(10_001) / 100.0),
                json!(1.0 + r.float(899) / 100.0),
            ],
        ));
        out.push((
            "jubility",
            "calculate",
            vec![
                json!(r.float(1_000_001)),
                json!(r.float(1_201) / 10.0),
                json!(1.0 + r.float(100) / 10.0),
            ],
        ));
        out.push((
            "popn-classpoints",
            "calculate",
            vec![
                json!(r.float(100_001)),
                json!(POPN_LAMPS[r.below(5) as usize]),
                json!(1.0 + r.float(50)),
            ],
        ));
        out.push((
            "curator-skill",
            "calculate",
            vec![json!(r.float(1_000_001)), json!(1.0 + r.float(15))],
        ));
        out.push((
            "potential",
            "calculate",
            vec![json!(r.float(10_002_001)), json!(1.0 + r.float(120) / 10.0)],
        ));
        // BPI: an IIDX chart's max EX, kaiden average and world record.
        let max = 2.0 * (500.0 + r.float(3000));
        let wr = max - r.float(max as u64 / 8 + 1);
        let kavg = (wr * (0.6 + r.float(35) / 100.0)).floor();
        let ex = match r.below(5) {
            0 => kavg,
            1 => wr,
            _ => r.float(max as u64 + 1),
        };
        let coef = [None, Some(1.175), Some(-1.0), Some(1.5)][r.below(4) as usize];
        let mut args = vec![json!(ex), json!(kavg), json!(wr), json!(max)];
        if let Some(c) = coef {
            args.push(json!(c));
        }
        out.push(("poyashi-bpi", "calculate", args));
        out.push((
            "ongeki-rating",
            "calculate",
            vec![json!(r.float(1_010_001)), json!(1.0 + r.float(150) / 10.0)],
        ));
    }
    out
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// kaiden's answer to one call: the value, or `None` when it refuses.
fn kaiden(module: &str, function: &str, a: &[Value]) -> Option<f64> {
    let r = match (module, function) {
        ("chunithm-rating", _) => rating::chunithm_rating(num(&a[0]), num(&a[1])),
        ("volforce", _) => rating::volforce_vf6(num(&a[0]), text(&a[1]), num(&a[2])),
        ("maimai-rate", _) => rating::maimai_rate(num(&a[0]), num(&a[1]), num(&a[2])),
        ("maimaidx-rate", _) => rating::maimaidx_rate(num(&a[0]), num(&a[1])),
        ("wacca-rate", _) => rating::wacca_rate(num(&a[0]), num(&a[1])),
        ("gitadora-skill", _) => rating::gitadora_skill(num(&a[0]), num(&a[1])),
        ("jubility", _) => rating::jubility(num(&a[0]), num(&a[1]), num(&a[2])),
        ("popn-classpoints", _) => rating::popn_class_points(num(&a[0]), text(&a[1]), num(&a[2])),
        ("curator-skill", _) => rating::curator_skill(num(&a[0]), num(&a[1])),
        ("potential", _) => rating::arcaea_potential(num(&a[0]), num(&a[1])),
        ("ongeki-rating", _) => rating::ongeki_rating(num(&a[0]), num(&a[1])),
        ("poyashi-bpi", _) => rating::poyashi_bpi(
            num(&a[0]),
            num(&a[1]),
            num(&a[2]),
            num(&a[3]),
            a.get(4).map(num),
        ),
        _ => return None,
    };
    r.ok()
}

#[test]
fn ratings_match_rg_stats_1_1_0_on_node() {
    let Some(pkg) = package() else {
        println!("SKIPPED: rg-stats 1.1.0 is not unpacked (KAIDEN_RG_STATS)");
        return;
    };
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("SKIPPED: node is not installed");
        return;
    }
    let calls = calls();
    let input = Value::Array(calls.iter().map(|(m, f, a)| json!([m, f, a])).collect());
    let script = format!(
        "const d=JSON.parse(require('fs').readFileSync(0,'utf8'));const p={:?};\
         const out=d.map(([m,f,a])=>{{try{{return require(p+'/js/algorithms/'+m+'.js')[f](...a)}}catch(e){{return 'ERR'}}}});\
         process.stdout.write(JSON.stringify(out))",
        pkg.display().to_string()
    );
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("node answers");
    assert!(output.status.success(), "node failed");
    let theirs: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(theirs.len(), calls.len());
    let mut differences = Vec::new();
    for ((m, f, a), t) in calls.iter().zip(&theirs) {
        let ours = kaiden(m, f, a);
        let same = match (ours, t.as_f64()) {
            (Some(x), Some(y)) => x.to_bits() == y.to_bits(),
            (None, None) => true,
            _ => false,
        };
        if !same {
            differences.push(format!("{m}.{f}{a:?}: kaiden {ours:?}, rg-stats {t}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} calls differ, e.g.:\n{}",
        differences.len(),
        calls.len(),
        differences[..differences.len().min(12)].join("\n")
    );
}
