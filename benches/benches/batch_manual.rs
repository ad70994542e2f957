//! BATCH-MANUAL parse + schema validation + conversion, on a ~10 MB document.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden::batch_manual::BatchManual;
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SCORES: usize = 40_000;

fn bench(c: &mut Criterion) {
    let bytes = kaiden_benches::batch_manual_iidx(SCORES, 2000, 7);
    assert!(bytes.len() >= 10_000_000, "{} bytes", bytes.len());
    eprintln!(
        "batch_manual input: {} scores, {} bytes",
        SCORES,
        bytes.len()
    );
    let format = BatchManual::new().with_max_bytes(usize::MAX);
    let input = ImportInput {
        bytes: &bytes,
        ..ImportInput::default()
    };
    let mut group = c.benchmark_group("batch_manual");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse_validate_10MB (bytes)", |b| {
        b.iter(|| {
            let parsed = format
                .parse(ImportType::FILE_BATCH_MANUAL, &input)
                .expect("parses");
            parsed
                .records
                .map(|r| r.map(|s| s.metrics.len()).unwrap_or(0))
                .sum::<usize>()
        });
    });
    group.throughput(Throughput::Elements(SCORES as u64));
    group.bench_function("parse_validate_convert_10MB (records)", |b| {
        b.iter(|| {
            let parsed = format
                .parse(ImportType::FILE_BATCH_MANUAL, &input)
                .expect("parses");
            let ctx = parsed.context;
            let mut n = 0usize;
            for r in parsed.records {
                let r = r.expect("valid");
                n += usize::from(
                    format
                        .convert(ImportType::FILE_BATCH_MANUAL, &r, &ctx)
                        .is_ok(),
                );
            }
            assert_eq!(n, SCORES);
            n
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
