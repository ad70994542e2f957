//! Solid State Squad XML: parse + schema checks (and conversion) of ~20 MB.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden::solid_state_squad::SolidStateSquad;
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let xml = kaiden_benches::s3_xml(20_000_000);
    let t = ImportType::FILE_SOLID_STATE_SQUAD;
    let input = ImportInput {
        bytes: &xml,
        ..ImportInput::default()
    };
    let songs = SolidStateSquad
        .parse(t, &input)
        .expect("parses")
        .records
        .count() as u64;
    eprintln!("s3 xml: {} bytes, {songs} songs", xml.len());
    let mut group = c.benchmark_group("solid_state_squad");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("parse_validate_20MB (bytes)", |b| {
        b.iter(|| {
            SolidStateSquad
                .parse(t, &input)
                .expect("parses")
                .records
                .filter(Result::is_ok)
                .count()
        });
    });
    // The floor: quick-xml alone reading every event of the same bytes (the
    // reader settings the S3 parser uses), nothing kept.
    group.bench_function("quick_xml_count_events_20MB (bytes)", |b| {
        b.iter(|| {
            let mut reader = quick_xml::Reader::from_reader(&xml[..]);
            reader.config_mut().expand_empty_elements = true;
            let mut events = 0u64;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => events += 1,
                    Err(e) => panic!("{e}"),
                }
            }
            events
        });
    });
    group.throughput(Throughput::Elements(songs));
    group.bench_function("parse_validate_convert_20MB (records)", |b| {
        b.iter(|| {
            let p = SolidStateSquad.parse(t, &input).expect("parses");
            let ctx = p.context;
            p.records
                .filter_map(Result::ok)
                .filter(|s| SolidStateSquad.convert(t, s, &ctx).is_ok())
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
