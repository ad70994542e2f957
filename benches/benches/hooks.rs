//! The score hooks: parse + convert of one request body per hook (what a hook
//! costs before the host is asked anything), and a whole one-score fervidex
//! import into SQLite (a player's score landing on a 16,000-chart IIDX set,
//! their scores accumulating as they play).

use std::collections::BTreeMap;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_pipeline::{ImportRequest, NoProgress};
use kaiden_testkit::TempDir;
use serde_json::{Value, json};

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn input<'a>(bytes: &'a [u8], model: &str) -> ImportInput<'a> {
    ImportInput {
        bytes,
        stream: None,
        filename: None,
        fields: BTreeMap::from([("timeReceived".to_owned(), "1700000000000".to_owned())]),
        headers: BTreeMap::from([("x-software-model".to_owned(), model.to_owned())]),
    }
}

fn fervidex(entry: u64, chart: &str, pgreat: u64) -> Value {
    json!({
        "chart": chart, "entry_id": entry, "chart_sha256": "", "custom": false,
        "pgreat": pgreat, "great": 40, "good": 3, "bad": 1, "poor": 2,
        "fast": 20, "slow": 23, "max_combo": 300, "combo_break": 3,
        "ex_score": pgreat * 2 + 40, "clear_type": 4,
        "gauge": (0..200).map(|i| (i % 100) as u64).collect::<Vec<_>>(),
        "ghost": (0..64).map(|i| i * 3).collect::<Vec<u64>>(),
        "option": {"gauge": "HARD", "range": "SUDDEN_PLUS", "style": "RANDOM"},
        "pacemaker": {"name": "", "score": 0, "type": "PACEMAKER_A"}
    })
}

/// Parses and converts one body `n` times per iteration.
fn parse_convert<F: ImportFormat>(f: &F, t: ImportType, i: &ImportInput<'_>) -> usize {
    let p = f.parse(t, i).expect("parses");
    let ctx = p.context;
    p.records
        .filter_map(Result::ok)
        .filter(|r| f.convert(t, r, &ctx).is_ok())
        .count()
}

fn bench_parsers(c: &mut Criterion) {
    let fer = serde_json::to_vec(&fervidex(1000, "spa", 300)).expect("json");
    let ks = serde_json::to_vec(&json!({
        "clear": "CLEAR_EXCESSIVE", "difficulty": "DIFFICULTY_ADVANCED", "gauge": 71,
        "grade": "GRADE_AA_PLUS", "max_chain": 158, "music_id": 1, "score": 9_579_365,
        "ex_score": 1334, "critical": 1184, "near": 46, "error": 30,
        "rate": "RATE_EXCESSIVE", "track_no": 0, "retry_count": 0
    }))
    .expect("json");
    let barb = serde_json::to_vec(&json!({
        "difficulty": 1, "level": 10, "song_id": 1, "max_chain": 100, "critical": 100,
        "near_total": 50, "near_fast": 40, "near_slow": 10, "score": 9_000_000, "error": 5,
        "percent": 90, "did_fail": false, "clear_type": 2, "gauge_type": 0,
        "is_skill_analyzer": false
    }))
    .expect("json");
    let lr2 = serde_json::to_vec(&json!({
        "md5": "38616b85332037cc12924f2ae2840262",
        "playerData": {"autoScr": 0, "gameMode": "7K", "random": "RAN", "gauge": "GROOVE"},
        "scoreData": {
            "pgreat": 1100, "great": 900, "good": 200, "bad": 50, "poor": 6,
            "maxCombo": 500, "exScore": 3100, "moneyScore": 100_000,
            "notesTotal": 2256, "notesPlayed": 2256, "lamp": "HARD",
            "hpGraph": (0..1000).map(|i| i % 101).collect::<Vec<u64>>()
        }
    }))
    .expect("json");
    // A profile export of 2,000 charts.
    let mut songs = serde_json::Map::new();
    for s in 0..500u64 {
        let mut charts = serde_json::Map::new();
        for (i, ch) in ["spn", "sph", "spa", "dpa"].iter().enumerate() {
            charts.insert(
                (*ch).to_owned(),
                json!({"clear_type": (s + i as u64) % 8, "ex_score": 500 + s, "miss_count": s % 30}),
            );
        }
        songs.insert((1000 + s).to_string(), Value::Object(charts));
    }
    let profile =
        serde_json::to_vec(&json!({"name": "X", "qpro": {}, "scores": songs, "sp_dan": 15}))
            .expect("json");
    let mut group = c.benchmark_group("hooks");
    let model = "LDJ:J:B:A:2020092900";
    let cases: [(&str, &[u8]); 4] = [
        ("fervidex_score", &fer),
        ("kshook_sv6c_score", &ks),
        ("barbatos_score", &barb),
        ("lr2hook_score", &lr2),
    ];
    for (name, body) in cases {
        group.throughput(Throughput::Elements(1));
        let i = input(body, model);
        group.bench_function(format!("{name}_parse_convert (records)"), |b| {
            b.iter(|| match name {
                "fervidex_score" => {
                    parse_convert(&kaiden::fervidex::Fervidex, ImportType::IR_FERVIDEX, &i)
                }
                "kshook_sv6c_score" => {
                    parse_convert(&kaiden::kshook::KsHook, ImportType::IR_KSHOOK_SV6C, &i)
                }
                "barbatos_score" => {
                    parse_convert(&kaiden::barbatos::Barbatos, ImportType::IR_BARBATOS, &i)
                }
                _ => parse_convert(&kaiden::lr2hook::Lr2Hook, ImportType::IR_LR2HOOK, &i),
            });
        });
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(format!("{name}_parse_convert (bytes)"), |b| {
            b.iter(|| match name {
                "fervidex_score" => {
                    parse_convert(&kaiden::fervidex::Fervidex, ImportType::IR_FERVIDEX, &i)
                }
                "kshook_sv6c_score" => {
                    parse_convert(&kaiden::kshook::KsHook, ImportType::IR_KSHOOK_SV6C, &i)
                }
                "barbatos_score" => {
                    parse_convert(&kaiden::barbatos::Barbatos, ImportType::IR_BARBATOS, &i)
                }
                _ => parse_convert(&kaiden::lr2hook::Lr2Hook, ImportType::IR_LR2HOOK, &i),
            });
        });
    }
    let mut i = input(&profile, model);
    i.fields
        .insert("shouldImportScores".to_owned(), "true".to_owned());
    group.throughput(Throughput::Elements(2000));
    group.bench_function(
        "fervidex_profile_2000_charts_parse_convert (records)",
        |b| {
            b.iter(|| {
                parse_convert(
                    &kaiden::fervidex::FervidexStatic,
                    ImportType::IR_FERVIDEX_STATIC,
                    &i,
                )
            });
        },
    );
    group.throughput(Throughput::Bytes(profile.len() as u64));
    group.bench_function("fervidex_profile_2000_charts_parse_convert (bytes)", |b| {
        b.iter(|| {
            parse_convert(
                &kaiden::fervidex::FervidexStatic,
                ImportType::IR_FERVIDEX_STATIC,
                &i,
            )
        });
    });
    group.finish();
}

fn bench_import(c: &mut Criterion) {
    const SONGS: u64 = 2000;
    let tmp = TempDir::new("bench-hooks");
    let seeds = tmp.join("seeds");
    std::fs::create_dir_all(&seeds).expect("dir");
    kaiden_benches::write_iidx_seeds(&seeds, SONGS).expect("seeds");
    let host = kaiden_sqlite::SqliteHost::open(tmp.join("kaiden.db")).expect("db");
    host.load_seeds(&seeds).expect("load");
    host.ensure_user(1, "player").expect("user");
    let registry = kaiden::registry();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut rng = kaiden_benches::Rng::new(0x5eed);
    let charts = ["spn", "sph", "spa", "dpn", "dph", "dpa"];
    let model = "LDJ:J:B:A:2023101800".to_owned();
    let mut group = c.benchmark_group("hooks");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(1));
    group.bench_function("fervidex_one_score_import_sqlite (scores)", |b| {
        b.iter(|| {
            let body = serde_json::to_vec(&fervidex(
                20_001 + rng.below(SONGS),
                charts[rng.below(charts.len() as u64) as usize],
                rng.below(40),
            ))
            .expect("json");
            let request = ImportRequest {
                import_type: ImportType::IR_FERVIDEX,
                user: 1,
                user_intent: false,
                input: ImportInput {
                    bytes: &body,
                    stream: None,
                    filename: None,
                    fields: BTreeMap::new(),
                    headers: BTreeMap::from([("x-software-model".to_owned(), model.clone())]),
                },
                import_id: None,
            };
            runtime
                .block_on(kaiden_pipeline::import(
                    &host,
                    &registry,
                    request,
                    &NoProgress,
                ))
                .expect("import")
                .score_ids
                .len()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_parsers, bench_import);
criterion_main!(benches);
