//! MYT: the cost of one play-log item. Decoding a protobuf message and
//! converting it, for each game; then a whole sync's stream over loopback
//! gRPC (a fake MYT, plaintext HTTP/2) read through the read-ahead buffer.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden::core::ImportType;
use kaiden::core::format::{ImportFormat, ImportInput};
use kaiden::myt::fake::FakeMyt;
use kaiden::myt::proto::{chunithm, maimai, ongeki, wacca};
use kaiden::myt::{Chunithm, Maimaidx, Myt, MytConfig, MytServer, Ongeki, Title, Wacca};
use kaiden::service::IntegrationStore;
use prost::Message;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const N: i32 = 20_000;

fn date(i: i32) -> String {
    format!(
        "2024-{:02}-{:02}T{:02}:00:00.000Z",
        1 + i % 12,
        1 + i % 28,
        i % 24
    )
}

fn chunithm_item(i: i32) -> chunithm::GetPlaylogStreamItem {
    chunithm::GetPlaylogStreamItem {
        playlog_api_id: format!("chu-{i}"),
        info: Some(chunithm::PlaylogInfo {
            music_id: 1 + i % 1500,
            level: 1 + i % 5,
            score: 900_000 + (i * 7919) % 110_000,
            combo_status: 1 + i % 4,
            clear_status: 1 + i % 6,
            user_play_date: date(i),
            ..Default::default()
        }),
        judge: Some(chunithm::PlaylogJudge {
            judge_heaven: i % 300,
            judge_critical: 1000 + i % 500,
            judge_justice: i % 40,
            judge_attack: i % 5,
            judge_miss: i % 10,
            max_combo: 500 + i % 900,
        }),
    }
}

fn maimai_item(i: i32) -> maimai::GetPlaylogStreamItem {
    maimai::GetPlaylogStreamItem {
        playlog_api_id: format!("mai-{i}"),
        info: Some(maimai::PlaylogInfo {
            music_id: if i % 2 == 0 {
                11_000 + i % 500
            } else {
                1 + i % 900
            },
            level: 1 + i % 5,
            achievement: 900_000 + (i * 31) % 110_000,
            combo_status: 1 + i % 5,
            is_clear: i % 7 != 0,
            user_play_date: date(i),
            ..Default::default()
        }),
        judge: Some(maimai::PlaylogJudge {
            judge_critical_perfect: 300,
            judge_perfect: 400 + i % 100,
            judge_great: i % 30,
            judge_good: i % 5,
            judge_miss: i % 3,
            max_combo: 700,
            fast_count: i % 20,
            late_count: i % 15,
        }),
    }
}

fn ongeki_item(i: i32) -> ongeki::GetPlaylogStreamItem {
    ongeki::GetPlaylogStreamItem {
        playlog_api_id: format!("ong-{i}"),
        info: Some(ongeki::PlaylogInfo {
            music_id: 1 + i % 800,
            level: 1 + i % 5,
            tech_score: 950_000 + (i * 13) % 60_000,
            combo_status: 1 + i % 3,
            clear_status: 1 + i % 3,
            is_full_bell: i % 2 == 0,
            platinum_score: 800 + i % 100,
            user_play_date: date(i),
            ..Default::default()
        }),
        judge: Some(ongeki::PlaylogJudge {
            judge_critical_break: 900,
            judge_break: 20 + i % 10,
            judge_hit: i % 5,
            judge_miss: i % 4,
            max_combo: 950,
            bell_count: 170,
            total_bell_count: 174,
            damage_count: i % 3,
        }),
    }
}

fn wacca_item(i: i32) -> wacca::PlaylogStreamItem {
    wacca::PlaylogStreamItem {
        playlog_api_id: format!("wac-{i}"),
        info: Some(wacca::PlaylogInfo {
            music_id: 1000 + i % 1000,
            music_difficulty: 1 + i % 4,
            score: 900_000 + (i * 17) % 100_000,
            judge: Some(wacca::WaccaJudge {
                marvelous: 900,
                great: i % 20,
                good: i % 5,
                miss: i % 3,
            }),
            clear_status: Some(wacca::WaccaClearStatus {
                is_clear: i % 5 != 0,
                is_missless: i % 3 == 0,
                ..Default::default()
            }),
            combo: 400,
            fast: i % 10,
            late: i % 7,
            user_play_date: date(i),
            ..Default::default()
        }),
    }
}

/// Decodes every encoded message and converts it; the count converted.
fn decode_convert<T: Title, M: Message + Default>(
    encoded: &[Vec<u8>],
    record: impl Fn(M) -> Option<T::Record>,
) -> usize {
    encoded
        .iter()
        .filter_map(|b| M::decode(b.as_slice()).ok())
        .filter_map(&record)
        .filter(|r| T::convert(T::IMPORT_TYPE, r).is_ok())
        .count()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("myt");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));
    let enc = |v: Vec<Vec<u8>>| {
        let bytes: usize = v.iter().map(Vec::len).sum();
        eprintln!("{} messages, {bytes} bytes", v.len());
        v
    };
    let chu = enc((0..N).map(|i| chunithm_item(i).encode_to_vec()).collect());
    group.bench_function("chunithm_decode_convert (items)", |b| {
        b.iter(|| {
            decode_convert::<Chunithm, chunithm::GetPlaylogStreamItem>(black_box(&chu), Some)
        });
    });
    let mai = enc((0..N).map(|i| maimai_item(i).encode_to_vec()).collect());
    group.bench_function("maimaidx_decode_convert (items)", |b| {
        b.iter(|| decode_convert::<Maimaidx, maimai::GetPlaylogStreamItem>(black_box(&mai), Some));
    });
    let ong = enc((0..N).map(|i| ongeki_item(i).encode_to_vec()).collect());
    group.bench_function("ongeki_decode_convert (items)", |b| {
        b.iter(|| decode_convert::<Ongeki, ongeki::GetPlaylogStreamItem>(black_box(&ong), Some));
    });
    let wac = enc((0..N).map(|i| wacca_item(i).encode_to_vec()).collect());
    group.bench_function("wacca_decode_convert (items)", |b| {
        b.iter(|| decode_convert::<Wacca, wacca::PlaylogStreamItem>(black_box(&wac), |m| m.info));
    });

    // A whole stream over loopback gRPC, lookup included.
    let fake = FakeMyt::start("bench-token");
    fake.with(|s| {
        s.cards.insert(
            "01234567890123456789".into(),
            vec![("chunithm".into(), "chu-1".into())],
        );
        s.chunithm
            .insert("chu-1".into(), (0..N).map(chunithm_item).collect());
    });
    let host = kaiden_memory::MemoryHost::new();
    host.ensure_user(1, "bench");
    host.put_myt_card(1, "01234567890123456789")
        .expect("stored");
    let myt = Myt::new(
        MytConfig {
            server: Some(MytServer {
                url: fake.url(),
                token: "bench-token".into(),
            }),
            ..MytConfig::default()
        },
        Arc::new(host),
    );
    let format = myt.format::<Chunithm>();
    group.bench_function("chunithm_stream_loopback (items)", |b| {
        b.iter(|| {
            let parsed = format
                .parse_for_user(ImportType::API_MYT_CHUNITHM, &ImportInput::default(), 1)
                .expect("a stream");
            parsed.records.filter(Result::is_ok).count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
