//! The CSV import types: the e-amusement SDVX CSV (Konami's dialect) and the WACCA
//! MyPage scraper records (RFC 4180, `csv` crate), parse + conversion of ~10 MB.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let sdvx = kaiden_benches::sdvx_csv(10_000_000);
    let wacca = kaiden_benches::wacca_records_csv(10_000_000);
    eprintln!(
        "sdvx csv: {} bytes; wacca records csv: {} bytes",
        sdvx.len(),
        wacca.len()
    );
    let mut group = c.benchmark_group("csv_formats");
    group.sample_size(10);

    let iidx = kaiden_benches::iidx_csv(10_000_000);
    eprintln!("iidx csv: {} bytes", iidx.len());
    let f = kaiden_eamusement_iidx::EamusementIidx;
    let t = ImportType::FileEamusementIidxCsv;
    let mut input = ImportInput {
        bytes: &iidx,
        ..ImportInput::default()
    };
    input.fields.insert("playtype".into(), "SP".into());
    let datapoints = f.parse(t, &input).expect("parses").records.count() as u64;
    group.throughput(Throughput::Bytes(iidx.len() as u64));
    group.bench_function("iidx_parse_10MB (bytes)", |b| {
        b.iter(|| {
            f.parse(t, &input)
                .expect("parses")
                .records
                .filter(Result::is_ok)
                .count()
        });
    });
    // The floor Tachi's perf anchor measured: the csv crate counting records of the same bytes.
    group.bench_function("csv_crate_count_records_iidx_10MB (bytes)", |b| {
        b.iter(|| {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(&iidx[..]);
            let mut rec = csv::ByteRecord::new();
            let mut n = 0u64;
            while r.read_byte_record(&mut rec).unwrap_or(false) {
                n += 1;
            }
            n
        });
    });
    group.throughput(Throughput::Elements(datapoints));
    group.bench_function("iidx_parse_convert_10MB (datapoints)", |b| {
        b.iter(|| {
            let p = f.parse(t, &input).expect("parses");
            let ctx = p.context;
            p.records
                .filter_map(Result::ok)
                .filter(|r| f.convert(t, r, &ctx).is_ok())
                .count()
        });
    });

    let f = kaiden_eamusement_sdvx::EamusementSdvx;
    let t = ImportType::FileEamusementSdvxCsv;
    let input = ImportInput {
        bytes: &sdvx,
        ..ImportInput::default()
    };
    let rows = f.parse(t, &input).expect("parses").records.count() as u64;
    group.throughput(Throughput::Bytes(sdvx.len() as u64));
    group.bench_function("sdvx_parse_10MB (bytes)", |b| {
        b.iter(|| {
            f.parse(t, &input)
                .expect("parses")
                .records
                .filter(Result::is_ok)
                .count()
        });
    });
    group.throughput(Throughput::Elements(rows));
    group.bench_function("sdvx_parse_convert_10MB (records)", |b| {
        b.iter(|| {
            let p = f.parse(t, &input).expect("parses");
            let ctx = p.context;
            p.records
                .filter_map(Result::ok)
                .filter(|r| f.convert(t, r, &ctx).is_ok())
                .count()
        });
    });

    let f = kaiden_mypagescraper::MyPageScraper;
    let t = ImportType::FileMypagescraperRecordsCsv;
    let input = ImportInput {
        bytes: &wacca,
        ..ImportInput::default()
    };
    let items = f.parse(t, &input).expect("parses").records.count() as u64;
    group.throughput(Throughput::Bytes(wacca.len() as u64));
    group.bench_function("wacca_records_parse_10MB (bytes)", |b| {
        b.iter(|| {
            f.parse(t, &input)
                .expect("parses")
                .records
                .filter(Result::is_ok)
                .count()
        });
    });
    group.throughput(Throughput::Elements(items));
    group.bench_function("wacca_records_parse_convert_10MB (records)", |b| {
        b.iter(|| {
            let p = f.parse(t, &input).expect("parses");
            let ctx = p.context;
            p.records
                .filter_map(Result::ok)
                .filter(|r| f.convert(t, r, &ctx).is_ok())
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
