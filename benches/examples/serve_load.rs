//! Small imports through the real server: `kaiden serve` (SQLite, internal
//! processor, no rate limit) on loopback, keep-alive clients of different
//! users pushing `POST /ir/direct-manual/import` requests, as score hooks do.
//! Prints imports/s, scores/s, p50/p99/max latency and the server's peak RSS
//! for each (clients, scores per import) pair. Bounded: a fixed number of
//! requests per client, loopback only; the server is killed at the end.
//!
//! ```sh
//! cargo build --release -p kaiden-cli
//! cargo run --release -p kaiden-benches --example serve_load -- target/release/kaiden
//! ```
//!
//! Optional arguments after the binary: requests per run (default 3,200),
//! then the rows to run as `CLIENTSxSCORES` pairs (default
//! `1x1,16x1,1x25,16x25`; `1x1,16x1` for the one-score rows alone), each
//! optionally paced as `CLIENTSxSCORES@RATE`: the clients together send
//! RATE imports/s on a fixed schedule (open loop; latency counts from each
//! request's due time) instead of each sending as soon as its last answer
//! came back.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kaiden_benches::{Rng, notecount, write_iidx_seeds};
use kaiden_sqlite::SqliteHost;

const SONGS: u64 = 2_000;

/// A direct-manual body of `n` valid iidx:SP scores on random charts of the
/// seeds (new scoreIDs for every seed), played a minute apart from `time` on.
fn push(n: usize, seed: u64, time: u64) -> Vec<u8> {
    const DIFFS: [&str; 3] = ["NORMAL", "HYPER", "ANOTHER"];
    const LAMPS: [&str; 4] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR"];
    // splitmix64's finaliser: neighbouring seeds give unrelated streams
    // (`Rng::new` keeps only odd states, so 2k and 2k+1 would be one stream).
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    let mut rng = Rng::new(z ^ (z >> 31));
    let scores: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let song = 1 + rng.below(SONGS);
            let d = rng.below(3) as usize;
            let ex = rng.below(notecount(song, d) * 2 + 1);
            serde_json::json!({
                "score": ex, "lamp": LAMPS[rng.below(4) as usize], "matchType": "inGameID",
                "identifier": (20_000 + song).to_string(), "difficulty": DIFFS[d],
                "timeAchieved": time + i as u64 * 60_000,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "meta": {"game": "iidx", "playtype": "SP", "service": "load"},
        "scores": scores,
    }))
    .unwrap_or_default()
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's resident set now and at its peak, in MiB (Linux).
fn rss_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn start(kaiden: &str, db: &std::path::Path) -> Result<Server, Box<dyn std::error::Error>> {
    let mut child = Command::new(kaiden)
        .arg("--db")
        .arg(db)
        .args(["serve", "--bind", "127.0.0.1:0", "--rate-limit", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected first line {line:?}"))?
        .to_owned();
    Ok(Server { child, base })
}

struct Measured {
    latencies: Vec<Duration>,
    wall: Duration,
    scores: usize,
    import_ids: Vec<String>,
}

fn run(
    server: &Server,
    keys: &[String],
    clients: usize,
    per_import: usize,
    total: usize,
    round: u64,
    rate: Option<f64>,
) -> Measured {
    let per_client = total / clients;
    let start = Instant::now();
    let threads: Vec<_> = keys[..clients]
        .iter()
        .enumerate()
        .map(|(c, key)| {
            let (base, key) = (server.base.clone(), key.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(60)))
                    .build()
                    .into();
                let mut latencies = Vec::with_capacity(per_client);
                let mut scores = 0;
                let mut ids = Vec::with_capacity(per_client);
                for r in 0..per_client {
                    // A seed of its own per request: new scores every time.
                    let seed = round * 1_000_000_000 + (c as u64) * 1_000_000 + r as u64;
                    // A play every 2.5 minutes, in sessions of 40 plays
                    // three hours apart; each run on days of its own.
                    let time = 1_600_000_000_000
                        + round * 10_000_000_000
                        + r as u64 * 150_000
                        + (r as u64 / 40) * 3 * 3_600_000;
                    let body = push(per_import, seed, time);
                    // Paced (open loop): request r of client c is due at its
                    // slot of the total rate; its latency counts from then,
                    // so a server that falls behind is charged the wait.
                    let t = match rate {
                        Some(rate) => {
                            let due =
                                start + Duration::from_secs_f64((r * clients + c) as f64 / rate);
                            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                                std::thread::sleep(wait);
                            }
                            due
                        }
                        None => Instant::now(),
                    };
                    let answer = agent
                        .post(format!("{base}/ir/direct-manual/import"))
                        .header("Authorization", format!("Bearer {key}"))
                        .header("Content-Type", "application/json")
                        .send(&body[..]);
                    let text = match answer {
                        Ok(mut a) if a.status() == 200 => {
                            a.body_mut().read_to_string().unwrap_or_default()
                        }
                        Ok(mut a) => panic!(
                            "status {}: {}",
                            a.status(),
                            a.body_mut().read_to_string().unwrap_or_default()
                        ),
                        Err(e) => panic!("request failed: {e}"),
                    };
                    latencies.push(t.elapsed());
                    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                    let stored = doc["body"]["scoreIDs"].as_array().map_or(0, Vec::len);
                    if let Some(id) = doc["body"]["importID"].as_str() {
                        ids.push(id.to_owned());
                    }
                    if stored == 0 && std::env::var_os("SERVE_LOAD_DEBUG").is_some() {
                        eprintln!("{text}");
                    }
                    scores += stored;
                }
                (latencies, scores, ids)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut scores = 0;
    let mut import_ids = Vec::new();
    for t in threads {
        let (l, s, ids) = t.join().expect("client");
        latencies.extend(l);
        scores += s;
        import_ids.extend(ids);
    }
    Measured {
        latencies,
        wall: start.elapsed(),
        scores,
        import_ids,
    }
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// The mean of each step's time (ms) over these imports' stored timings.
fn mean_steps(
    db: &std::path::Path,
    ids: &[String],
) -> Result<std::collections::BTreeMap<String, f64>, Box<dyn std::error::Error>> {
    let host = SqliteHost::open(db)?;
    let mut sums: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    let mut n = 0.0;
    for id in ids {
        let Some(t) = host.import_timings(id)? else {
            continue;
        };
        n += 1.0;
        *sums.entry("total".to_owned()).or_default() += t["total"].as_f64().unwrap_or(0.0);
        if let Some(abs) = t["abs"].as_object() {
            for (k, v) in abs {
                *sums.entry(k.clone()).or_default() += v.as_f64().unwrap_or(0.0);
            }
        }
    }
    for v in sums.values_mut() {
        *v /= n;
    }
    Ok(sums)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let kaiden = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "target/release/kaiden".to_owned());
    let total: usize = args.get(2).map_or(Ok(3_200), |n| n.parse())?;
    let dir = std::env::temp_dir().join(format!("kaiden-serve-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds)?;
    write_iidx_seeds(&seeds, SONGS)?;
    let db = dir.join("load.db");
    let keys: Vec<String> = {
        let host = SqliteHost::open(&db)?;
        host.load_seeds(&seeds)?;
        (0..16)
            .map(|i| {
                let user = host.add_user(&format!("player{i}"))?;
                host.create_api_key(user, &["submit_score".to_owned()])
            })
            .collect::<Result<_, _>>()?
    };
    let server = start(&kaiden, &db)?;
    println!("server {} (pid {})", server.base, server.child.id());
    // Warm up: connections, the chart catalogue, the allocator.
    run(&server, &keys, 16, 1, 320, 0, None);
    println!(
        "| clients | scores/import | imports | imports/s | scores/s | p50 ms | p99 ms | max ms | server RSS MiB (now / peak) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut round = 1;
    let mut steps = Vec::new();
    let rows: Vec<(usize, usize, Option<f64>)> = args
        .get(3)
        .map_or("1x1,16x1,1x25,16x25", String::as_str)
        .split(',')
        .map(|r| {
            let (shape, rate) = match r.split_once('@') {
                Some((shape, rate)) => (shape, Some(rate.trim().parse::<f64>()?)),
                None => (r, None),
            };
            let (c, n) = shape
                .split_once('x')
                .ok_or("rows look like 16x1,1x25,16x1@500")?;
            Ok::<_, Box<dyn std::error::Error>>((c.trim().parse()?, n.trim().parse()?, rate))
        })
        .collect::<Result<_, _>>()?;
    {
        for (clients, per_import, rate) in rows {
            let m = run(&server, &keys, clients, per_import, total, round, rate);
            round += 1;
            let mut sorted = m.latencies.clone();
            sorted.sort_unstable();
            let secs = m.wall.as_secs_f64();
            let (rss, peak) = rss_mib(server.child.id());
            let clients = match rate {
                Some(rate) => format!("{clients} paced at {rate}/s"),
                None => clients.to_string(),
            };
            println!(
                "| {clients} | {per_import} | {} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {rss:.0} / {peak:.0} |",
                sorted.len(),
                sorted.len() as f64 / secs,
                m.scores as f64 / secs,
                quantile(&sorted, 0.5),
                quantile(&sorted, 0.99),
                quantile(&sorted, 1.0),
            );
            steps.push((clients, per_import, mean_steps(&db, &m.import_ids)?));
        }
    }
    // Where an import's time goes, from the timings each import stores
    // (mean ms per import; the import's own steps, inside the server).
    let names: Vec<String> = steps
        .first()
        .map(|(_, _, s)| s.keys().cloned().collect())
        .unwrap_or_default();
    println!();
    println!("| clients | scores/import | {} |", names.join(" | "));
    println!("|---|---|{}", "---|".repeat(names.len()));
    for (clients, per_import, s) in &steps {
        let cells: Vec<String> = names
            .iter()
            .map(|n| format!("{:.3}", s.get(n).copied().unwrap_or(f64::NAN)))
            .collect();
        println!("| {clients} | {per_import} | {} |", cells.join(" | "));
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
