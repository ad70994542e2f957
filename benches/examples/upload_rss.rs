//! Peak memory of the server for file uploads of growing size: `kaiden serve`
//! (SQLite, each processor) on loopback, one BATCH-MANUAL upload of N
//! iidx:SP scores to a fresh server per row, the server's `VmHWM` read before
//! the upload (after a small warm-up import: catalogue, connections) and
//! after it. Prints the upload size, the peak's growth over the warm server
//! and that growth per byte uploaded, for issue 24's "at most 2x the upload
//! plus a constant".
//!
//! ```sh
//! cargo build --release -p kaiden-cli
//! cargo run --release -p kaiden-benches --example upload_rss -- target/release/kaiden
//! ```
//!
//! Rows may be chosen after the binary (`internal:125000 external:25000`);
//! `KAIDEN_UPLOAD_RSS_WRAP` runs the server under a wrapper command (a heap
//! profiler: `heaptrack -o /tmp/serve`), whose own memory then counts too.
//! `KAIDEN_UPLOAD_RSS_CACHE_MIB` sets the server's `--sqlite-cache-mib`.
//! `KAIDEN_UPLOAD_RSS_REPEAT=N` runs every row N times (rows interleaved, so a
//! slow minute of the machine touches them all) and ends with each row's
//! median growth and, per processor, the slope between its smallest and
//! largest rows' medians: the allocator's retention moves the peak by several
//! MiB between runs of one binary. `KAIDEN_UPLOAD_RSS_TRACE=DIR` writes, per
//! run, the server's `VmRSS` every 10 ms during the upload
//! (`DIR/<processor>-<scores>-<run>.tsv`: ms, MiB in all, anonymous, file and
//! shared, the client's step and, externally, the import's last progress:
//! sending, waiting for the import, reading the finished document).

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use kaiden_benches::{Rng, notecount, write_iidx_seeds};
use kaiden_sqlite::SqliteHost;

const SONGS: u64 = 2_000;

/// A BATCH-MANUAL file of `n` valid iidx:SP scores on random charts, a
/// minute apart (every scoreID new).
fn file(n: usize, seed: u64) -> Vec<u8> {
    const DIFFS: [&str; 3] = ["NORMAL", "HYPER", "ANOTHER"];
    const LAMPS: [&str; 4] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR"];
    let mut rng = Rng::new(seed | 1);
    let scores: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let song = 1 + rng.below(SONGS);
            let d = rng.below(3) as usize;
            let ex = rng.below(notecount(song, d) * 2 + 1);
            serde_json::json!({
                "score": ex, "lamp": LAMPS[rng.below(4) as usize], "matchType": "inGameID",
                "identifier": (20_000 + song).to_string(), "difficulty": DIFFS[d],
                "timeAchieved": 1_600_000_000_000u64 + i as u64 * 60_000,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "meta": {"game": "iidx", "playtype": "SP", "service": "upload"},
        "scores": scores,
    }))
    .unwrap_or_default()
}

struct Server {
    child: Child,
    base: String,
    wrapped: bool,
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.wrapped {
            // The server is the wrapper's child: end it, let the wrapper finish.
            let _ = Command::new("pkill")
                .args(["-TERM", "-P", &self.child.id().to_string()])
                .status();
            let _ = self.child.wait();
            return;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hwm_mib(pid: u32) -> f64 {
    status_mib(pid, "VmHWM:")
}

fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn start(
    kaiden: &str,
    db: &std::path::Path,
    processor: &str,
) -> Result<Server, Box<dyn std::error::Error>> {
    let wrap = std::env::var("KAIDEN_UPLOAD_RSS_WRAP").unwrap_or_default();
    let mut words = wrap.split_whitespace();
    let mut child = match words.next() {
        Some(w) => {
            let mut c = Command::new(w);
            c.args(words).arg(kaiden);
            c
        }
        None => Command::new(kaiden),
    };
    let mut child = child
        .arg("--db")
        .arg(db)
        .args(
            std::env::var("KAIDEN_UPLOAD_RSS_CACHE_MIB")
                .map(|m| vec!["--sqlite-cache-mib".to_owned(), m])
                .unwrap_or_default(),
        )
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            "--processor",
            processor,
        ])
        .env("KAIDEN_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    // The first line naming the address (a wrapper may print before it).
    let mut reader = BufReader::new(stdout);
    let base = loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err("the server ended before listening".into());
        }
        if let Some(base) = line.trim().strip_prefix("listening on ") {
            break base.to_owned();
        }
        if wrap.is_empty() {
            return Err(format!("unexpected first line {line:?}").into());
        }
    };
    // The rest of the wrapper's output, read so it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    Ok(Server {
        child,
        base,
        wrapped: !wrap.is_empty(),
    })
}

/// The client's step, for a trace: 0 sending the upload, 1 waiting for the
/// import (polling), 2 reading the finished document's answer.
static STEP: AtomicU8 = AtomicU8::new(0);
/// The last progress an external import's poll-status reported.
static PROGRESS: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// Samples the server's `VmRSS` every 10 ms into `path` until `stop`.
fn trace(pid: u32, path: std::path::PathBuf, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let started = Instant::now();
        let mut out = String::from("ms\tMiB\tanon\tfile\tshmem\tstep\tprogress\n");
        while !stop.load(Ordering::Relaxed) {
            let [rss, anon, file, shmem] =
                ["VmRSS:", "RssAnon:", "RssFile:", "RssShmem:"].map(|f| status_mib(pid, f));
            let step = ["send", "wait", "read"][usize::from(STEP.load(Ordering::Relaxed)).min(2)];
            let progress = PROGRESS.lock().map(|p| p.clone()).unwrap_or_default();
            out.push_str(&format!(
                "{}\t{rss:.1}\t{anon:.1}\t{file:.1}\t{shmem:.1}\t{step}\t{progress}\n",
                started.elapsed().as_millis()
            ));
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Err(e) = std::fs::write(&path, out) {
            eprintln!("cannot write {}: {e}", path.display());
        }
    })
}

/// Uploads `bytes` as a BATCH-MANUAL file and waits for the import to end:
/// the number of scores it imported.
fn upload(server: &Server, key: &str, bytes: &[u8]) -> Result<usize, Box<dyn std::error::Error>> {
    STEP.store(0, Ordering::Relaxed);
    if let Ok(mut p) = PROGRESS.lock() {
        p.clear();
    }
    let boundary = "kaidenuploadrssboundary";
    let mut body = Vec::with_capacity(bytes.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"importType\"\r\n\r\nfile/batch-manual\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"scoreData\"; filename=\"f.json\"\r\n\
             Content-Type: application/json\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let mut res = agent
        .post(format!("{}/api/v1/import/file", server.base))
        .header("Authorization", format!("Bearer {key}"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])?;
    STEP.store(1, Ordering::Relaxed);
    let status = res.status().as_u16();
    let v: serde_json::Value = serde_json::from_str(&res.body_mut().read_to_string()?)?;
    match status {
        200 => Ok(v["body"]["scoreIDs"].as_array().map_or(0, Vec::len)),
        202 => {
            let url = v["body"]["url"].as_str().ok_or("no poll url")?.to_owned();
            let deadline = Instant::now() + Duration::from_secs(600);
            loop {
                let mut r = agent.get(&url).call()?;
                if r.headers()
                    .get("content-length")
                    .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                    .is_some_and(|n| n > 4096)
                {
                    STEP.store(2, Ordering::Relaxed);
                }
                let p: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string()?)?;
                if let (Some(d), Ok(mut mine)) = (
                    p["body"]["progress"]["description"].as_str(),
                    PROGRESS.lock(),
                ) {
                    d.clone_into(&mut mine);
                }
                if p["body"]["importStatus"] == "completed" {
                    return Ok(p["body"]["import"]["scoreIDs"]
                        .as_array()
                        .map_or(0, Vec::len));
                }
                if p["body"]["importStatus"] != "ongoing" || Instant::now() > deadline {
                    return Err(format!("import ended as {p}").into());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        s => Err(format!("upload answered {s}: {v}").into()),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let kaiden = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "target/release/kaiden".to_owned());
    let dir = std::env::temp_dir().join(format!("kaiden-upload-rss-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds)?;
    write_iidx_seeds(&seeds, SONGS)?;
    let template = dir.join("template.db");
    let key = {
        let host = SqliteHost::open(&template)?;
        host.load_seeds(&seeds)?;
        let user = host.add_user("uploader")?;
        host.create_api_key(user, &["submit_score".to_owned()])?
    };
    let warm = file(100, 7);
    println!(
        "| processor | scores | upload MiB | warm server MiB (VmHWM) | peak MiB | growth MiB | growth / upload |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut rows: Vec<(String, usize)> = args[2.min(args.len())..]
        .iter()
        .filter_map(|a| {
            let (p, n) = a.split_once(':')?;
            Some((p.to_owned(), n.parse().ok()?))
        })
        .collect();
    if rows.is_empty() {
        for processor in ["internal", "external"] {
            for n in [25_000usize, 50_000, 100_000, 125_000] {
                rows.push((processor.to_owned(), n));
            }
        }
    }
    let repeat: usize = std::env::var("KAIDEN_UPLOAD_RSS_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    // (processor, scores asked, upload MiB) → growth of each run.
    let mut growth: Vec<((String, usize, f64), Vec<f64>)> = Vec::new();
    let trace_dir = std::env::var_os("KAIDEN_UPLOAD_RSS_TRACE").map(std::path::PathBuf::from);
    for run in 0..repeat {
        for (processor, n) in &rows {
            let (processor, n) = (processor.as_str(), *n);
            let db = dir.join(format!("{processor}-{n}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            std::fs::copy(&template, &db)?;
            let server = start(&kaiden, &db, processor)?;
            upload(&server, &key, &warm)?;
            let before = hwm_mib(server.child.id());
            let bytes = file(n, n as u64);
            let stop = Arc::new(AtomicBool::new(false));
            let tracer = trace_dir.as_ref().map(|d| {
                let path = d.join(format!("{processor}-{n}-{run}.tsv"));
                trace(server.child.id(), path, Arc::clone(&stop))
            });
            let imported = upload(&server, &key, &bytes)?;
            let after = hwm_mib(server.child.id());
            stop.store(true, Ordering::Relaxed);
            if let Some(t) = tracer {
                let _ = t.join();
            }
            let mib = bytes.len() as f64 / 1_048_576.0;
            println!(
                "| {processor} | {imported} | {mib:.1} | {before:.0} | {after:.0} | {:.0} | {:.2} |",
                after - before,
                (after - before) / mib
            );
            let key = (processor.to_owned(), n, mib);
            match growth.iter_mut().find(|(k, _)| *k == key) {
                Some((_, runs)) => runs.push(after - before),
                None => growth.push((key, vec![after - before])),
            }
        }
    }
    if repeat > 1 {
        let median = |runs: &[f64]| {
            let mut v = runs.to_vec();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!();
        println!("| processor | scores | upload MiB | runs | median growth MiB |");
        println!("|---|---|---|---|---|");
        for ((p, n, mib), runs) in &growth {
            println!(
                "| {p} | {n} | {mib:.1} | {} | {:.0} |",
                runs.len(),
                median(runs)
            );
        }
        for p in ["internal", "external"] {
            let mine: Vec<_> = growth.iter().filter(|((q, _, _), _)| q == p).collect();
            let lo = mine.iter().min_by_key(|((_, n, _), _)| *n);
            let hi = mine.iter().max_by_key(|((_, n, _), _)| *n);
            if let (Some(((_, a, amib), ar)), Some(((_, b, bmib), br))) = (lo, hi) {
                if a < b {
                    println!(
                        "{p}: from {a} to {b} scores the median growth rises {:.1} MiB for {:.1} MiB more upload: {:.2}x",
                        median(br) - median(ar),
                        bmib - amib,
                        (median(br) - median(ar)) / (bmib - amib)
                    );
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
