//! CG answers: the envelope and every score's schema check (`read_scores`),
//! then conversion, on a generated 10 MB SDVX answer.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden::cg::{Cg, CgConfig, CgContext, CgGame, read_scores};
use kaiden::core::ImportType;
use kaiden::core::format::ImportFormat;
use kaiden::service::NoIntegrations;
use serde_json::json;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An SDVX answer of about `bytes` bytes.
fn sdvx_answer(bytes: usize) -> String {
    let mut scores = Vec::new();
    let mut size = 0;
    let mut i: u64 = 0;
    while size < bytes {
        let item = json!({"internalId": 1 + i % 1500, "difficulty": i % 5, "version": 1 + i % 6,
            "score": 8_000_000 + (i * 7919) % 2_000_000, "exScore": (i * 31) % 5000,
            "clearType": 1 + i % 6, "scoreGrade": 5, "maxChain": 100 + i % 900,
            "critical": 500 + i % 1000, "near": i % 50, "error": i % 20,
            "dateTime": format!("2023-{:02}-{:02}T{:02}:00:00Z", 1 + i % 12, 1 + i % 28, i % 24)});
        size += item.to_string().len() + 1;
        scores.push(item);
        i += 1;
    }
    json!({"success": true, "data": {"profile": {"id": "1", "name": "BENCH"}, "scores": scores}})
        .to_string()
}

fn bench(c: &mut Criterion) {
    let body = sdvx_answer(10_000_000);
    let n = read_scores(CgGame::Sdvx, &body).expect("valid").len();
    eprintln!("cg answer: {} bytes, {n} scores", body.len());
    let cg = Cg::new(CgConfig::default(), Arc::new(NoIntegrations));
    let ctx = CgContext {
        service: "dev".to_owned(),
    };
    let mut group = c.benchmark_group("cg");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("read_scores_10MB (bytes)", |b| {
        b.iter(|| {
            read_scores(CgGame::Sdvx, black_box(&body))
                .expect("valid")
                .len()
        });
    });
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("read_scores_and_convert_10MB (scores)", |b| {
        b.iter(|| {
            read_scores(CgGame::Sdvx, black_box(&body))
                .expect("valid")
                .iter()
                .filter(|s| cg.convert(ImportType::API_CG_DEV_SDVX, s, &ctx).is_ok())
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
