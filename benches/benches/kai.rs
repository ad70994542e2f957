//! KAI play-history pages: `read_page` (the page rules) and the IIDX converter
//! on a ~10 MB page.

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden::kai::{Kai, KaiConfig, KaiContext, read_page};
use kaiden_core::ImportType;
use kaiden_core::format::ImportFormat;
use kaiden_service::NoIntegrations;

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let page = kaiden_benches::kai_iidx_page(10_000_000);
    let items = read_page(serde_json::from_slice(&page).expect("json"))
        .expect("page")
        .1
        .len() as u64;
    eprintln!("kai page: {} bytes, {items} items", page.len());
    let kai = Kai::new(KaiConfig::default(), Arc::new(NoIntegrations));
    let ctx = KaiContext {
        service: "FLO".to_owned(),
    };
    let t = ImportType::API_FLO_IIDX;
    let mut group = c.benchmark_group("kai");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("read_page_10MB (bytes)", |b| {
        b.iter(|| {
            read_page(serde_json::from_slice(&page).expect("json"))
                .expect("page")
                .1
                .len()
        });
    });
    group.throughput(Throughput::Elements(items));
    group.bench_function("read_page_convert_10MB (records)", |b| {
        b.iter(|| {
            let (_, items) = read_page(serde_json::from_slice(&page).expect("json")).expect("page");
            items
                .iter()
                .filter(|i| kai.convert(t, i, &ctx).is_ok())
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
