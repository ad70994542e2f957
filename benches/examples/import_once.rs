//! One pipeline import of the bench's 10^5 BATCH-MANUAL scores, in a process of
//! its own: for profilers and instruction counters (`perf`, `valgrind
//! --tool=callgrind`), which the criterion harness's repetitions get in the
//! way of.
//!
//! ```sh
//! cargo run --release -p kaiden-benches --example import_once -- prepare /tmp/k
//! cargo run --release -p kaiden-benches --example import_once -- run /tmp/k
//! ```
//!
//! `prepare DIR` writes the seeded database and the input file into `DIR`;
//! `run DIR` imports the input into a fresh copy of the database (the chart
//! catalogue built first, as a running server has it) and prints the count.

use kaiden_core::ImportType;
use kaiden_core::format::ImportInput;
use kaiden_pipeline::{ImportRequest, NoProgress};
use kaiden_sqlite::SqliteHost;

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SCORES: usize = 100_000;
const SONGS: u64 = 2000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(cmd), Some(dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: import_once prepare|run DIR".into());
    };
    let dir = std::path::Path::new(dir);
    let template = dir.join("template.db");
    let input = dir.join("input.json");
    match cmd.as_str() {
        "prepare" => {
            let seeds = dir.join("seeds");
            std::fs::create_dir_all(&seeds)?;
            kaiden_benches::write_iidx_seeds(&seeds, SONGS)?;
            let host = SqliteHost::open(&template)?;
            host.load_seeds(&seeds)?;
            host.ensure_user(1, "bench")?;
            std::fs::write(&input, kaiden_benches::batch_manual_iidx(SCORES, SONGS, 11))?;
            Ok(())
        }
        "run" => {
            let bytes = std::fs::read(&input)?;
            let db = dir.join("run.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            std::fs::copy(&template, &db)?;
            let host = SqliteHost::open(&db)?;
            host.catalog(kaiden_core::Game::Iidx)?;
            let registry = kaiden::registry()
                .with(kaiden_batch_manual::BatchManual::new().with_max_bytes(usize::MAX));
            let request = ImportRequest {
                import_type: ImportType::FileBatchManual,
                user: 1,
                user_intent: false,
                input: ImportInput {
                    bytes: &bytes,
                    ..ImportInput::default()
                },
                import_id: None,
            };
            let runtime = tokio::runtime::Builder::new_current_thread().build()?;
            let t = std::time::Instant::now();
            let doc = runtime.block_on(kaiden_pipeline::import(
                &host,
                &registry,
                request,
                &NoProgress,
            ))?;
            println!("{} scores in {:?}", doc.score_ids.len(), t.elapsed());
            if let Ok(Some(t)) = host.import_timings(&doc.import_id) {
                println!("steps (ms): {}", t["abs"]);
            }
            Ok(())
        }
        _ => Err(format!("unknown command {cmd}").into()),
    }
}
