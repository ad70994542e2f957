//! The CSV import types: the e-amusement IIDX and SDVX CSVs (Konami's dialect)
//! and the WACCA MyPage scraper records (RFC 4180, `csv` crate), parse and
//! parse + conversion of ~10 MB each, plus the `csv` crate's record count of the
//! IIDX bytes as a floor.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `<name>_parse_10MB` (MB/s) and `<name>_parse_convert_10MB` (records/s).
fn bench_format<F: ImportFormat>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    f: &F,
    t: ImportType,
    input: &ImportInput<'_>,
) {
    let records = f.parse(t, input).expect("parses").records.count() as u64;
    group.throughput(Throughput::Bytes(input.bytes.len() as u64));
    group.bench_function(format!("{name}_parse_10MB (bytes)"), |b| {
        b.iter(|| {
            f.parse(t, input)
                .expect("parses")
                .records
                .filter(Result::is_ok)
                .count()
        });
    });
    group.throughput(Throughput::Elements(records));
    group.bench_function(format!("{name}_parse_convert_10MB (records)"), |b| {
        b.iter(|| {
            let p = f.parse(t, input).expect("parses");
            let ctx = p.context;
            p.records
                .filter_map(Result::ok)
                .filter(|r| f.convert(t, r, &ctx).is_ok())
                .count()
        });
    });
}

fn bench(c: &mut Criterion) {
    let iidx = kaiden_benches::iidx_csv(10_000_000);
    let sdvx = kaiden_benches::sdvx_csv(10_000_000);
    let wacca = kaiden_benches::wacca_records_csv(10_000_000);
    eprintln!(
        "iidx csv: {} bytes; sdvx csv: {} bytes; wacca records csv: {} bytes",
        iidx.len(),
        sdvx.len(),
        wacca.len()
    );
    let mut group = c.benchmark_group("csv_formats");
    group.sample_size(10);

    let mut input = ImportInput {
        bytes: &iidx,
        ..ImportInput::default()
    };
    input.fields.insert("playtype".into(), "SP".into());
    bench_format(
        &mut group,
        "iidx",
        &kaiden::eamusement_iidx::EamusementIidx,
        ImportType::FILE_EAMUSEMENT_IIDX_CSV,
        &input,
    );
    // The floor Tachi's perf anchor measured: the csv crate counting records of the same bytes.
    group.throughput(Throughput::Bytes(iidx.len() as u64));
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

    let input = ImportInput {
        bytes: &sdvx,
        ..ImportInput::default()
    };
    bench_format(
        &mut group,
        "sdvx",
        &kaiden::eamusement_sdvx::EamusementSdvx,
        ImportType::FILE_EAMUSEMENT_SDVX_CSV,
        &input,
    );

    let input = ImportInput {
        bytes: &wacca,
        ..ImportInput::default()
    };
    bench_format(
        &mut group,
        "wacca_records",
        &kaiden::mypagescraper::MyPageScraper,
        ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV,
        &input,
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
