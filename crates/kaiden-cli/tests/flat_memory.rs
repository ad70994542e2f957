//! `kaiden import` and `kaiden check` read a file as a stream: their peak
//! resident memory does not grow with the file's size. Each runs on a 4 MB
//! and on a 40 MB e-amusement IIDX CSV (the same rows over and over, of the
//! example seeds' songs: a bounded set of distinct scores, the rest exact
//! repeats the import drops as duplicates), and the larger file's peak (the
//! child's `ru_maxrss`, read by GNU time) must stay within a few MiB of the
//! smaller one's. Reading either file whole would add its size.
//!
//! Linux with `/usr/bin/time` only (it says SKIPPED otherwise).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

use kaiden_testkit::{TempDir, workspace_root};

const SMALL: u64 = 4_000_000;
const LARGE: u64 = 40_000_000;
/// How much more the large file may take than the small one (the files
/// differ by 36 MB).
const SLACK_KIB: u64 = 8 * 1024;

/// The example seeds' charts: (title, NORMAL, HYPER, ANOTHER levels).
const SONGS: [(&str, u32, u32, u32); 3] = [
    ("Lantern Festival", 5, 9, 11),
    ("Midnight Turntable", 6, 10, 12),
    ("Paper Comet", 7, 11, 13),
];

/// Writes a 41-column export of at least `target` bytes: row `i` is song
/// `i % 3` with cells that repeat every 60 rows (20 distinct plays per song).
fn write_csv(path: &Path, target: u64) -> u64 {
    let mut w = BufWriter::new(std::fs::File::create(path).expect("create"));
    let header = kaiden::eamusement_iidx::csv_header(true);
    writeln!(w, "{header}").expect("write");
    let mut written = header.len() as u64 + 1;
    let mut rows = 0u64;
    while written < target {
        let (title, n, h, a) = SONGS[(rows % 3) as usize];
        let k = (rows / 3) % 20;
        let mut cells = vec![
            "EPOLIS".to_owned(),
            title.to_owned(),
            "EXAMPLE".into(),
            "kaiden example".into(),
            "3".into(),
        ];
        // BEGINNER and LEGGENDARIA unplayed (level 0: skipped).
        cells.extend(["0", "0", "0", "0", "---", "NO PLAY", "---"].map(String::from));
        for (d, level) in [n, h, a].into_iter().enumerate() {
            let pg = 200 + k * 3 + d as u64;
            let gr = 40 + k;
            cells.extend([
                level.to_string(),
                (pg * 2 + gr).to_string(),
                pg.to_string(),
                gr.to_string(),
                (k % 7).to_string(),
                ["CLEAR", "HARD CLEAR", "EASY CLEAR"][d].to_owned(),
                "A".to_owned(),
            ]);
        }
        cells.extend(["0", "0", "0", "0", "---", "NO PLAY", "---"].map(String::from));
        cells.push(format!("2023-01-{:02} 12:{:02}", 1 + k, k));
        let line = cells.join(",");
        writeln!(w, "{line}").expect("write");
        written += line.len() as u64 + 1;
        rows += 1;
    }
    w.flush().expect("flush");
    rows
}

/// Runs `kaiden` under GNU time: its stdout and its peak RSS in KiB.
fn kaiden_peak(db: &Path, args: &[&str]) -> (Vec<u8>, u64) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak-kib=%M"])
        .arg(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("time runs kaiden");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "kaiden {args:?} failed: {stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kib="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in: {stderr}"));
    (out.stdout, peak)
}

fn gnu_time_available() -> bool {
    Command::new("/usr/bin/time")
        .args(["-f", "%M", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn import_and_check_stay_flat_from_4_to_40_mb() {
    if !cfg!(target_os = "linux") || !gnu_time_available() {
        eprintln!("SKIPPED: needs Linux and /usr/bin/time");
        return;
    }
    let tmp = TempDir::new("cli-flat-memory");
    let seeds = workspace_root().join("examples/seeds");
    let mut peaks = Vec::new();
    for (name, target) in [("small", SMALL), ("large", LARGE)] {
        // No "sp" in the name: the IIDX CSV's file-name safety check.
        let csv = tmp.join(&format!("{name}.csv"));
        let rows = write_csv(&csv, target);
        let csv = csv.to_str().unwrap();
        let db = tmp.join(&format!("{name}.db"));
        let load = Command::new(env!("CARGO_BIN_EXE_kaiden"))
            .arg("--db")
            .arg(&db)
            .args(["seeds", "load", seeds.to_str().unwrap()])
            .output()
            .expect("kaiden runs");
        assert!(load.status.success());
        let common = [
            "--type",
            "file/eamusement-iidx-csv",
            "--playtype",
            "SP",
            csv,
        ];

        let (out, check_peak) = kaiden_peak(&db, &[&["check", "--summary"][..], &common].concat());
        let summary = String::from_utf8_lossy(&out);
        // 3 songs x 3 charts x 20 plays are new; every other played chart of
        // every row is a repeat; BEGINNER and LEGGENDARIA are unplayed.
        let played = rows * 3;
        assert!(
            summary.contains(&format!(
                "180 would be imported, 0 orphaned, 0 rejected, {} skipped",
                played - 180 + rows * 2
            )),
            "{summary}"
        );

        let (out, import_peak) = kaiden_peak(&db, &[&["import"][..], &common].concat());
        let doc: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(180));
        assert_eq!(doc["errors"].as_array().map(Vec::len), Some(0));
        eprintln!(
            "{name}: {} bytes, {rows} rows: check peak {check_peak} KiB, import peak {import_peak} KiB",
            std::fs::metadata(csv).unwrap().len()
        );
        peaks.push((check_peak, import_peak));
    }
    let (small, large) = (peaks[0], peaks[1]);
    assert!(
        large.0 <= small.0 + SLACK_KIB,
        "check: {} KiB on 40 MB vs {} KiB on 4 MB",
        large.0,
        small.0
    );
    assert!(
        large.1 <= small.1 + SLACK_KIB,
        "import: {} KiB on 40 MB vs {} KiB on 4 MB",
        large.1,
        small.1
    );
}

/// Imports `file` as `import_type` into a new database `db` seeded from
/// `seeds`; its peak KiB. The files here hold 3 songs x 20 plays, each found
/// on its chart, repeated: exactly 60 scores and no errors.
fn import_peak(db: &Path, seeds: &Path, import_type: &str, file: &Path) -> u64 {
    let load = Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(["seeds", "load", seeds.to_str().unwrap()])
        .output()
        .expect("kaiden runs");
    assert!(load.status.success(), "{load:?}");
    let args = ["import", "--type", import_type, file.to_str().unwrap()];
    let (out, peak) = kaiden_peak(db, &args);
    let doc: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(doc["scoreIDs"].as_array().map(Vec::len), Some(60), "{doc}");
    assert_eq!(doc["errors"].as_array().map(Vec::len), Some(0), "{doc}");
    peak
}

/// Writes `head`, then `record(n)` for n = 0, 1, ... until the file holds at
/// least `target` bytes, then `tail`. The count of records written.
fn write_until(
    path: &Path,
    target: u64,
    head: &str,
    tail: &str,
    mut record: impl FnMut(u64) -> String,
) -> u64 {
    let mut w = BufWriter::new(std::fs::File::create(path).expect("create"));
    w.write_all(head.as_bytes()).expect("write");
    let mut written = head.len() as u64;
    let mut n = 0u64;
    while written < target {
        let r = record(n);
        w.write_all(r.as_bytes()).expect("write");
        written += r.len() as u64;
        n += 1;
    }
    w.write_all(tail.as_bytes()).expect("write");
    w.flush().expect("flush");
    n
}

/// Writes a BATCH-MANUAL document of at least `target` bytes: 60 distinct
/// iidx:SP scores on the example seeds' charts, repeated. The count written.
fn write_batch_manual(path: &Path, target: u64) -> u64 {
    let head = r#"{"meta": {"game": "iidx", "playtype": "SP", "service": "flat"}, "scores": ["#;
    write_until(path, target, head, "\n]}\n", |n| {
        let (title, ..) = SONGS[(n % 3) as usize];
        let k = (n / 3) % 20;
        format!(
            "{}\n  {{\"matchType\": \"songTitle\", \"identifier\": \"{title}\", \"difficulty\": \"HYPER\", \"score\": {}, \"lamp\": \"CLEAR\", \"timeAchieved\": {}, \"comment\": \"a comment to make the score longer\"}}",
            if n == 0 { "" } else { "," },
            500 + k,
            1_700_000_000_000_u64 + k * 60_000,
        )
    })
}

#[test]
fn a_batch_manual_import_stays_flat_from_1_to_15_mb() {
    if !cfg!(target_os = "linux") || !gnu_time_available() {
        eprintln!("SKIPPED: needs Linux and /usr/bin/time");
        return;
    }
    let tmp = TempDir::new("cli-flat-bm");
    let seeds = workspace_root().join("examples/seeds");
    let mut peaks = Vec::new();
    // Under the format's 16 MiB limit.
    for (name, target) in [("small", 1_000_000), ("large", 15_000_000)] {
        let path = tmp.join(&format!("{name}.json"));
        let n = write_batch_manual(&path, target);
        let peak = import_peak(
            &tmp.join(&format!("{name}.db")),
            &seeds,
            "file/batch-manual",
            &path,
        );
        eprintln!("{name}: {n} scores, import peak {peak} KiB");
        peaks.push(peak);
    }
    // Read whole, the 14 MB more would be there at least once.
    assert!(
        peaks[1] <= peaks[0] + 6 * 1024,
        "import: {} KiB on 15 MB vs {} KiB on 1 MB",
        peaks[1],
        peaks[0]
    );
}

/// Writes an S3 (Solid State Squad) export of at least `target` bytes: 60
/// distinct plays on the example seeds' SP HYPER charts (as 3rd style CS
/// charts), repeated. The count written.
fn write_s3(path: &Path, target: u64) -> u64 {
    let head = "<s3data version=\"0.1\" xmlns=\"http://iidx.solidstatesquad.com/xml/ns#\">\n\
        <userdata><id>3</id><login><![CDATA[flat]]></login><djname><![CDATA[FLAT]]></djname></userdata>\n\
        <scoredata>\n";
    write_until(path, target, head, "</scoredata>\n</s3data>\n", |n| {
        let (title, ..) = SONGS[(n % 3) as usize];
        let k = (n / 3) % 20;
        format!(
            "<song><id>{}</id><diff>7</diff><songname><![CDATA[{title}]]></songname>\
             <artist><![CDATA[An Artist]]></artist><genre><![CDATA[A Genre]]></genre>\
             <bpm>150</bpm><styles>3rd</styles><rating>9</rating><notes>900</notes>\
             <exscore>{}</exscore><grade>AA</grade><djpoints>9</djpoints>\
             <scorebreakdown><justgreats>{}</justgreats><greats>100</greats><good>0</good>\
             <bad>0</bad><poor>4</poor></scorebreakdown><mods><highspeed>2</highspeed>\
             <hidsud>T</hidsud><hardeasy>H</hardeasy><ranmir>B</ranmir></mods>\
             <cleartype>cleared</cleartype><date>2010-10-19 04:{k:02}:22</date></song>\n",
            n % 3,
            500 + 2 * k,
            200 + k,
        )
    })
}

#[test]
fn an_s3_import_stays_flat_from_1_to_15_mb() {
    if !cfg!(target_os = "linux") || !gnu_time_available() {
        eprintln!("SKIPPED: needs Linux and /usr/bin/time");
        return;
    }
    let tmp = TempDir::new("cli-flat-s3");
    // The example seeds, their charts also in 3rd style CS (S3's versions).
    let seeds = tmp.join("seeds");
    std::fs::create_dir_all(&seeds).expect("seeds dir");
    let examples = workspace_root().join("examples/seeds");
    std::fs::copy(
        examples.join("songs-iidx.json"),
        seeds.join("songs-iidx.json"),
    )
    .expect("songs");
    let mut charts: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(examples.join("charts-iidx.json")).expect("charts"))
            .expect("JSON");
    for c in &mut charts {
        if let Some(v) = c["versions"].as_array_mut() {
            v.push("3-cs".into());
        }
    }
    std::fs::write(
        seeds.join("charts-iidx.json"),
        serde_json::to_vec(&charts).expect("JSON"),
    )
    .expect("write charts");
    let mut peaks = Vec::new();
    for (name, target) in [("small", 1_000_000), ("large", 15_000_000)] {
        let path = tmp.join(&format!("{name}.xml"));
        let n = write_s3(&path, target);
        let peak = import_peak(
            &tmp.join(&format!("{name}.db")),
            &seeds,
            "file/solid-state-squad",
            &path,
        );
        eprintln!("{name}: {n} songs, import peak {peak} KiB");
        peaks.push(peak);
    }
    // Read whole, the 14 MB more would be there at least once (and the XML
    // reader's own copies with it: 17 MiB more when tried). Streamed, the
    // peaks were 1-4 MiB apart in repeated runs.
    assert!(
        peaks[1] <= peaks[0] + SLACK_KIB,
        "import: {} KiB on 15 MB vs {} KiB on 1 MB",
        peaks[1],
        peaks[0]
    );
}
