//! The whole pipeline into PostgreSQL: the SQLite pipeline bench's input
//! (10^5 BATCH-MANUAL scores on a 16,000-chart IIDX set) into a fresh schema
//! each iteration, on the server `KAIDEN_BENCH_POSTGRES` names (default: the
//! local one). Says SKIPPED without a server.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kaiden_benches::pipeline::{self, SCORES, SONGS};
use kaiden_core::host::ChartLookup;
use kaiden_pipeline::NoProgress;
use kaiden_postgres::{PgHost, PgOptions};
use kaiden_testkit::TempDir;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SCHEMA: &str = "kaiden_bench_pipeline";

fn url() -> String {
    std::env::var("KAIDEN_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn admin(sql: &str) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&url(), tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(conn);
        let r = client.batch_execute(sql).await.map_err(|e| e.to_string());
        drop(client);
        let _ = driver.await;
        r
    })
}

/// A fresh schema with the seeds loaded, user 1 and a warm catalogue.
fn fresh_host(seeds: &std::path::Path, runtime: &tokio::runtime::Runtime) -> PgHost {
    admin(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")).expect("drop schema");
    let mut options = PgOptions::new(url());
    options.schema = Some(SCHEMA.to_owned());
    let host = PgHost::open_with(options).expect("host");
    host.load_seeds(seeds).expect("seeds");
    host.ensure_user(1, "bench").expect("user");
    runtime
        .block_on(host.charts_by_id(kaiden_core::Game::Iidx, &[]))
        .expect("catalogue");
    host
}

fn bench(c: &mut Criterion) {
    if let Err(e) = admin("SELECT 1") {
        eprintln!(
            "SKIPPED: pipeline on PostgreSQL: no server at {} ({e})",
            url()
        );
        return;
    }
    let tmp = TempDir::new("bench-pipeline-pg");
    let seeds = tmp.join("seeds");
    std::fs::create_dir_all(&seeds).expect("seeds dir");
    kaiden_benches::write_iidx_seeds(&seeds, SONGS).expect("seeds");
    let bytes = pipeline::input();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let registry = pipeline::registry();
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(SCORES as u64));
    let mut first = true;
    group.bench_function("batch_manual_100k_scores_postgres (scores)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let host = fresh_host(&seeds, &runtime);
                let t = Instant::now();
                let doc = runtime
                    .block_on(kaiden_pipeline::import(
                        &host,
                        &registry,
                        pipeline::request(&bytes),
                        &NoProgress,
                    ))
                    .expect("imports");
                total += t.elapsed();
                assert!(doc.score_ids.len() > SCORES * 9 / 10);
                if first || std::env::var_os("KAIDEN_BENCH_STEPS").is_some() {
                    first = false;
                    if let Ok(Some(t)) = host.import_timings(&doc.import_id) {
                        eprintln!("pipeline steps (ms): {}", t["abs"]);
                    }
                }
            }
            total
        });
    });
    group.finish();
    let _ = admin(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"));
}

criterion_group!(benches, bench);
criterion_main!(benches);
