//! The rating functions whose arithmetic issue 25 changed to match rg-stats
//! bit for bit (BPI with V8's `Math.log`, VF6 on whole coefficients, CHUNITHM
//! without rounding the level, maimai's rate in rg-stats' order): 10,000
//! seeded calls each, to show the fixes cost nothing measurable (run against
//! the commit before them, see BENCHMARKS.md).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden::games::rating::{chunithm_rating, maimai_rate, poyashi_bpi, volforce_vf6};

const N: usize = 10_000;

/// xorshift64: the same inputs on every run and every tree.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        #[allow(clippy::cast_precision_loss)]
        let x = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        x
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

fn bench(c: &mut Criterion) {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let bpi: Vec<[f64; 4]> = (0..N)
        .map(|_| {
            let max = (r.between(500.0, 2000.0)).floor() * 2.0;
            let wr = (r.between(0.85, 1.0) * max).floor();
            let avg = (r.between(0.6, 0.85) * max).floor();
            let ex = (r.unit() * max).floor();
            [ex, avg, wr, max]
        })
        .collect();
    let lamps = [
        "FAILED",
        "CLEAR",
        "EXCESSIVE CLEAR",
        "ULTIMATE CHAIN",
        "PERFECT ULTIMATE CHAIN",
    ];
    let vf6: Vec<(f64, &str, f64)> = (0..N)
        .map(|i| {
            (
                r.between(0.0, 10_000_000.0).floor(),
                lamps[i % lamps.len()],
                r.between(1.0, 20.0).floor(),
            )
        })
        .collect();
    let chunithm: Vec<[f64; 2]> = (0..N)
        .map(|_| {
            [
                r.between(0.0, 1_010_000.0).floor(),
                (r.between(1.0, 15.4) * 10.0).floor() / 10.0,
            ]
        })
        .collect();
    let maimai: Vec<[f64; 3]> = (0..N)
        .map(|_| {
            let max = (r.between(100.0, 104.0) * 100.0).floor() / 100.0;
            [
                (r.unit() * max * 100.0).floor() / 100.0,
                max,
                (r.between(1.0, 15.0) * 10.0).floor() / 10.0,
            ]
        })
        .collect();

    let mut group = c.benchmark_group("ratings");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("bpi_10k", |b| {
        b.iter(|| {
            bpi.iter()
                .map(|[ex, avg, wr, max]| poyashi_bpi(*ex, *avg, *wr, *max, None).unwrap_or(0.0))
                .sum::<f64>()
        });
    });
    group.bench_function("vf6_10k", |b| {
        b.iter(|| {
            vf6.iter()
                .map(|(s, l, lv)| volforce_vf6(*s, l, *lv).unwrap_or(0.0))
                .sum::<f64>()
        });
    });
    group.bench_function("chunithm_10k", |b| {
        b.iter(|| {
            chunithm
                .iter()
                .map(|[s, lv]| chunithm_rating(*s, *lv).unwrap_or(0.0))
                .sum::<f64>()
        });
    });
    group.bench_function("maimai_10k", |b| {
        b.iter(|| {
            maimai
                .iter()
                .map(|[p, m, lv]| maimai_rate(*p, *m, *lv).unwrap_or(0.0))
                .sum::<f64>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
