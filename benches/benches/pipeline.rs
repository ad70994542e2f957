//! The whole pipeline into SQLite: 10^5 BATCH-MANUAL scores on a 16,000-chart
//! IIDX set (2,000 songs), from parse to the stored ImportDocument, into a fresh
//! copy of the seeded database each iteration.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden_benches::pipeline::{self, SCORES, SONGS};
use kaiden_pipeline::NoProgress;
use kaiden_testkit::TempDir;

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let tmp = TempDir::new("bench-pipeline");
    let template = pipeline::template(tmp.path()).expect("seeded database");
    let bytes = pipeline::input();
    eprintln!(
        "pipeline input: {SCORES} scores, {} bytes, {} charts",
        bytes.len(),
        SONGS * 8
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(SCORES as u64));
    let registry = pipeline::registry();
    let mut run = 0u32;
    // Two figures: until `import` returns (what its caller waits for), and
    // until the host has also folded the import's WAL into the database file
    // (the checkpoint runs on the host's thread after the commit): all the
    // work an import causes.
    for (name, with_checkpoint) in [
        ("batch_manual_100k_scores_sqlite (scores)", false),
        (
            "batch_manual_100k_scores_sqlite_and_checkpoint (scores)",
            true,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // A fresh copy of the seeded database; the chart catalogue is
                    // built before timing starts, as a running server has it cached.
                    run += 1;
                    let db = tmp.join(&format!("run{run}.db"));
                    let host = pipeline::fresh_host(&template, &db).expect("database");
                    let cpu_before = cpu_ms();
                    let t = Instant::now();
                    let doc = runtime
                        .block_on(kaiden_pipeline::import(
                            &host,
                            &registry,
                            pipeline::request(&bytes),
                            &NoProgress,
                        ))
                        .expect("imports");
                    if with_checkpoint {
                        host.finish_checkpoints();
                    }
                    let wall = t.elapsed();
                    total += wall;
                    assert!(
                        doc.score_ids.len() > SCORES * 9 / 10,
                        "{} scores, {:?}",
                        doc.score_ids.len(),
                        doc.errors.first()
                    );
                    if run == 1 || std::env::var_os("KAIDEN_BENCH_STEPS").is_some() {
                        // Where the time goes, step by step (ms), and the CPU
                        // time of every thread of the process (Linux).
                        if let Ok(Some(t)) = host.import_timings(&doc.import_id) {
                            eprintln!("pipeline steps (ms): {}", t["abs"]);
                        }
                        if let (Some(a), Some(b)) = (cpu_before, cpu_ms()) {
                            eprintln!("import: {wall:?} wall, {} ms CPU", b - a);
                        }
                    }
                    drop(host);
                    pipeline::remove_db(&db);
                }
                total
            });
        });
    }
    group.finish();
}

/// CPU time (user + system) of the whole process so far, in ms, from
/// `/proc/self/stat` (clock ticks of 10 ms); `None` where there is none.
fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks * 10)
}

criterion_group!(benches, bench);
criterion_main!(benches);
