//! `kaiden check` and `kaiden import` on large e-amusement IIDX CSVs: wall
//! time, throughput and peak RSS of the real binary (GNU time's `%M`), for
//! BENCHMARKS.md.
//!
//! ```sh
//! cargo build --release -p kaiden-cli
//! cargo run --release -p kaiden-benches --example cli_large_csv -- target/release/kaiden /tmp/k
//! ```
//!
//! The files repeat the rows of Tachi's real export fixture
//! (`eamusement-iidx-csv/post-leggendaria.csv`, 6,285 datapoints) after one
//! header up to 10, 50 and 100 MB, and resolve against Tachi's 2021 IIDX
//! database (`iidx/`), both from `$KAIDEN_TACHI_DATA` or
//! `../shared/tachi-data`. Repeats are exact duplicates, so the import stores
//! the first copy and drops the rest as duplicates: the figure shows the
//! cost of reading and deciding every row, and memory that must stay flat.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn data_dir() -> PathBuf {
    std::env::var_os("KAIDEN_TACHI_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tachi-data"),
        PathBuf::from,
    )
}

/// Writes the fixture's header once, then its rows until `target` bytes.
fn write_csv(fixture: &Path, out: &Path, target: u64) -> std::io::Result<u64> {
    let text = std::fs::read(fixture)?;
    let mut lines = text.lines();
    let header = lines.next().transpose()?.unwrap_or_default();
    let rows: Vec<String> = lines.collect::<Result<_, _>>()?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    writeln!(w, "{header}")?;
    let mut written = header.len() as u64 + 1;
    let mut n = 0u64;
    'fill: loop {
        for r in &rows {
            if written >= target {
                break 'fill;
            }
            writeln!(w, "{r}")?;
            written += r.len() as u64 + 1;
            n += 1;
        }
    }
    w.flush()?;
    Ok(n)
}

/// Runs the binary under GNU time with stdout to `stdout`: seconds and peak KiB.
fn timed(kaiden: &Path, db: &Path, args: &[&str], stdout: &Path) -> Result<(f64, u64), String> {
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak-kib=%M"])
        .arg(kaiden)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::fs::File::create(stdout).map_err(|e| e.to_string())?)
        .output()
        .map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{args:?}: {stderr}"));
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kib="))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no peak in {stderr}"))?;
    Ok((secs, peak))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(kaiden), Some(dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: cli_large_csv KAIDEN_BINARY DIR".into());
    };
    let kaiden = Path::new(kaiden);
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir)?;
    let data = data_dir();
    let fixture = data.join("fixtures/eamusement-iidx-csv/post-leggendaria.csv");
    let seeds = data.join("iidx");
    println!("| file | datapoints | command | wall s | MB/s | peak RSS MiB |");
    println!("|---|---|---|---|---|---|");
    for mb in [10u64, 50, 100] {
        let csv = dir.join(format!("export-{mb}mb.csv"));
        let rows = write_csv(&fixture, &csv, mb * 1_000_000)?;
        let bytes = std::fs::metadata(&csv)?.len();
        let csv = csv.to_str().ok_or("path")?;
        let db = dir.join(format!("bench-{mb}.db"));
        let _ = std::fs::remove_file(&db);
        let load = Command::new(kaiden)
            .arg("--db")
            .arg(&db)
            .args(["seeds", "load"])
            .arg(&seeds)
            .output()?;
        if !load.status.success() {
            return Err(String::from_utf8_lossy(&load.stderr).into_owned().into());
        }
        let common = [
            "--type",
            "file/eamusement-iidx-csv",
            "--playtype",
            "SP",
            csv,
        ];
        for (name, cmd) in [
            ("check (report to a file)", vec!["check"]),
            ("check --summary", vec!["check", "--summary"]),
            ("import", vec!["import"]),
        ] {
            let argv: Vec<&str> = cmd.iter().copied().chain(common).collect();
            let (secs, peak) = timed(kaiden, &db, &argv, &dir.join("stdout"))?;
            println!(
                "| {:.1} MB | {} | `{name}` | {secs:.2} | {:.0} | {:.1} |",
                bytes as f64 / 1e6,
                rows * 5,
                bytes as f64 / 1e6 / secs,
                peak as f64 / 1024.0
            );
        }
    }
    Ok(())
}
