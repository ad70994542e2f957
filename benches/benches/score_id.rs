//! scoreID throughput: stable serialisation + sha256 per score.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden_core::Gpt;
use kaiden_score_id::score_id;

fn bench_score_id(c: &mut Criterion) {
    let scores = kaiden_benches::iidx_scores(10_000);
    let mut group = c.benchmark_group("score_id");
    group.throughput(Throughput::Elements(scores.len() as u64));
    group.bench_function("iidx_sp_10k", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for (chart, data) in &scores {
                n += score_id(Gpt::IidxSp, 1, chart, data).map_or(0, |s| s.len());
            }
            n
        });
    });
    group.finish();
}

criterion_group!(benches, bench_score_id);
criterion_main!(benches);
