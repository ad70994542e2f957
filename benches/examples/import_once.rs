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

use std::io::Write as _;

use kaiden_benches::pipeline;
use kaiden_pipeline::NoProgress;

/// The allocator the `kaiden` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
            pipeline::template(dir)?;
            std::fs::write(&input, pipeline::input())?;
            Ok(())
        }
        "run" => {
            let bytes = std::fs::read(&input)?;
            let host = pipeline::fresh_host(&template, &dir.join("run.db"))?;
            let registry = pipeline::registry();
            let runtime = tokio::runtime::Builder::new_current_thread().build()?;
            let t = std::time::Instant::now();
            let doc = runtime.block_on(kaiden_pipeline::import(
                &host,
                &registry,
                pipeline::request(&bytes),
                &NoProgress,
            ))?;
            // A closed stdout (`| head -1`) is not an error of the import.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{} scores in {:?}", doc.score_ids.len(), t.elapsed());
            if let Ok(Some(t)) = host.import_timings(&doc.import_id) {
                let _ = writeln!(out, "steps (ms): {}", t["abs"]);
            }
            Ok(())
        }
        _ => Err(format!("unknown command {cmd}").into()),
    }
}
