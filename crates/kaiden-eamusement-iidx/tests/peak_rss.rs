//! Parsing a 100 MB e-amusement CSV from disk keeps this process's peak
//! resident memory under 32 MiB (the reader path holds one line at a time).
//! Linux only: the peak is the kernel's `VmHWM`.

use std::io::{BufReader, BufWriter, Write};

use kaiden_core::ImportType;
use kaiden_core::format::ImportInput;
use kaiden_eamusement_iidx::{EamusementIidx, csv_header};

const TARGET_BYTES: u64 = 100 * 1000 * 1000;
const LIMIT_KIB: u64 = 32 * 1024;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A 41-column row with realistic cells (played charts, lamps, BP, a JST time).
fn row(i: u64) -> String {
    let mut cells = vec![
        "HEROIC VERSE".to_owned(),
        format!("Generated Song {i}"),
        "GENRE".into(),
        "ARTIST".into(),
        (i % 50).to_string(),
    ];
    for d in 0..5u64 {
        let pg = 300 + (i * 7 + d * 13) % 900;
        let gr = 50 + (i + d) % 200;
        cells.extend([
            (1 + (i + d) % 12).to_string(),
            (pg * 2 + gr).to_string(),
            pg.to_string(),
            gr.to_string(),
            if d == 0 {
                "---".into()
            } else {
                ((i + d) % 60).to_string()
            },
            ["CLEAR", "HARD CLEAR", "FAILED", "EASY CLEAR", "FULL COMBO"][(d + i) as usize % 5]
                .into(),
            "AA".into(),
        ]);
    }
    cells.push(format!(
        "2021-03-{:02} {:02}:{:02}",
        1 + i % 28,
        i % 24,
        i % 60
    ));
    cells.join(",")
}

#[test]
fn parsing_a_100_mb_csv_stays_under_32_mib() {
    let Some(before) = peak_rss_kib() else {
        eprintln!("SKIPPED: no /proc/self/status (not Linux)");
        return;
    };
    let path = std::env::temp_dir().join(format!("kaiden-peak-rss-{}.csv", std::process::id()));
    let mut rows = 0u64;
    {
        let mut w = BufWriter::new(std::fs::File::create(&path).expect("create"));
        let header = csv_header(true);
        writeln!(w, "{header}").expect("write");
        let mut written = header.len() as u64 + 1;
        while written < TARGET_BYTES {
            let r = row(rows);
            writeln!(w, "{r}").expect("write");
            written += r.len() as u64 + 1;
            rows += 1;
        }
        w.flush().expect("flush");
    }
    let size = std::fs::metadata(&path).expect("metadata").len();
    let mut input = ImportInput::default();
    input.fields.insert("playtype".into(), "SP".into());
    let file = std::fs::File::open(&path).expect("open");
    let parsed = EamusementIidx
        .parse_reader(
            ImportType::FILE_EAMUSEMENT_IIDX_CSV,
            &input,
            BufReader::with_capacity(64 * 1024, file),
        )
        .expect("parses");
    let mut records = 0u64;
    for r in parsed.records {
        r.expect("record");
        records += 1;
    }
    let _ = std::fs::remove_file(&path);
    let peak = peak_rss_kib().expect("VmHWM");
    eprintln!("{size} bytes, {records} records: peak RSS {peak} KiB (before parsing {before} KiB)");
    assert!(size >= TARGET_BYTES);
    assert_eq!(records, rows * 5);
    assert!(peak < LIMIT_KIB, "peak RSS {peak} KiB ≥ {LIMIT_KIB} KiB");
}
