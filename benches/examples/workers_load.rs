//! One-score imports through a front end and `kaiden worker` processes on
//! PostgreSQL: `kaiden serve --processor external --workers 0` queues each
//! `POST /ir/direct-manual/import`, and 1, 2 or 3 `kaiden worker` processes
//! (one import at a time each) run the queue. Closed loop: 16 clients of
//! different users each send an import, poll its status until it is done,
//! then send the next (polling every 20 ms). Prints imports/s and the
//! latency from sending to the ImportDocument's `timeFinished` (queueing, the
//! worker's pick-up, the import) for each worker count. Loopback only, bounded, processes killed at the end.
//!
//! ```sh
//! cargo build --release -p kaiden-cli
//! cargo run --release -p kaiden-benches --example workers_load -- target/release/kaiden [imports per run]
//! ```
//!
//! The server is `KAIDEN_BENCH_POSTGRES` (default the local one), in a schema
//! of its own that is dropped at the end.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kaiden_benches::{Rng, notecount, write_iidx_seeds};
use kaiden_postgres::{PgHost, PgOptions};

const SONGS: u64 = 2_000;
const CLIENTS: usize = 16;
const SCHEMA: &str = "kaiden_bench_workers";

fn url() -> String {
    std::env::var("KAIDEN_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A direct-manual body of one valid iidx:SP score on a random chart.
fn push(seed: u64, time: u64) -> Vec<u8> {
    const DIFFS: [&str; 3] = ["NORMAL", "HYPER", "ANOTHER"];
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    let mut rng = Rng::new(z ^ (z >> 31));
    let song = 1 + rng.below(SONGS);
    let d = rng.below(3) as usize;
    let ex = rng.below(notecount(song, d) * 2 + 1);
    serde_json::to_vec(&serde_json::json!({
        "meta": {"game": "iidx", "playtype": "SP", "service": "load"},
        "scores": [{"score": ex, "lamp": "CLEAR", "matchType": "inGameID",
            "identifier": (20_000 + song).to_string(), "difficulty": DIFFS[d], "timeAchieved": time}],
    }))
    .unwrap_or_default()
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(kaiden: &str, args: &[&str]) -> Result<(Proc, String), Box<dyn std::error::Error>> {
    let mut child = Command::new(kaiden)
        .arg("--db")
        .arg(url())
        .args(args)
        .env("KAIDEN_PG_SCHEMA", SCHEMA)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    Ok((Proc(child), line.trim().to_owned()))
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn run(base: &str, keys: &[String], per_client: usize, round: u64) -> (Vec<Duration>, Duration) {
    let start = Instant::now();
    let threads: Vec<_> = keys
        .iter()
        .enumerate()
        .map(|(c, key)| {
            let (base, key) = (base.to_owned(), key.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(60)))
                    .build()
                    .into();
                let mut latencies = Vec::with_capacity(per_client);
                for r in 0..per_client {
                    let seed = round * 1_000_000_000 + (c as u64) * 1_000_000 + r as u64;
                    let time = 1_600_000_000_000 + round * 10_000_000_000 + r as u64 * 150_000;
                    let body = push(seed, time);
                    let sent_ms = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
                    let mut answer = agent
                        .post(format!("{base}/ir/direct-manual/import"))
                        .header("Authorization", format!("Bearer {key}"))
                        .header("Content-Type", "application/json")
                        .send(&body[..])
                        .expect("request");
                    assert_eq!(answer.status(), 202, "queued");
                    let doc: serde_json::Value = serde_json::from_str(
                        &answer.body_mut().read_to_string().unwrap_or_default(),
                    )
                    .unwrap_or_default();
                    let id = doc["body"]["importID"]
                        .as_str()
                        .expect("importID")
                        .to_owned();
                    loop {
                        let mut p = agent
                            .get(format!("{base}/api/v1/imports/{id}/poll-status"))
                            .call()
                            .expect("poll");
                        let s: serde_json::Value = serde_json::from_str(
                            &p.body_mut().read_to_string().unwrap_or_default(),
                        )
                        .unwrap_or_default();
                        match s["body"]["importStatus"].as_str() {
                            // Polled slowly, not to load the two cores; the
                            // latency is read from the document instead.
                            Some("ongoing") => std::thread::sleep(Duration::from_millis(20)),
                            Some("completed") => {
                                let finished = s["body"]["import"]["timeFinished"]
                                    .as_f64()
                                    .unwrap_or(f64::NAN);
                                latencies.push(Duration::from_secs_f64(
                                    ((finished - sent_ms) / 1000.0).max(0.0),
                                ));
                                break;
                            }
                            other => panic!("import {id}: {other:?}: {s}"),
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in threads {
        all.extend(t.join().expect("client"));
    }
    (all, start.elapsed())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let kaiden = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "target/release/kaiden".to_owned());
    let per_run: usize = args.get(2).map_or(Ok(640), |n| n.parse())?;
    let poll_ms = std::env::var("KAIDEN_BENCH_POLL_MS").unwrap_or_else(|_| "200".to_owned());
    let dir = std::env::temp_dir().join(format!("kaiden-workers-load-{}", std::process::id()));
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds)?;
    write_iidx_seeds(&seeds, SONGS)?;
    let mut options = PgOptions::new(url());
    options.schema = Some(SCHEMA.to_owned());
    let keys: Vec<String> = {
        let host = PgHost::open_with(options)?;
        host.load_seeds(&seeds)?;
        (0..CLIENTS)
            .map(|i| {
                let user = host.add_user(&format!("player{i}"))?;
                host.create_api_key(user, &["submit_score".to_owned()])
            })
            .collect::<Result<_, _>>()?
    };
    let (_front, line) = spawn(
        &kaiden,
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            "--processor",
            "external",
            "--workers",
            "0",
        ],
    )?;
    let base = line
        .strip_prefix("listening on ")
        .ok_or("unexpected first line")?
        .to_owned();
    println!("front end {base}; workers poll every {poll_ms} ms when idle");
    println!("| worker processes | imports | imports/s | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    let mut round = 1;
    for workers in 1..=3 {
        let procs: Vec<Proc> = (0..workers)
            .map(|_| {
                spawn(
                    &kaiden,
                    &["worker", "--workers", "1", "--poll-interval-ms", &poll_ms],
                )
                .map(|(p, _)| p)
            })
            .collect::<Result<_, _>>()?;
        // Warm up: connections and the chart catalogue of every worker.
        run(&base, &keys, 4, round);
        round += 1;
        let (mut latencies, wall) = run(&base, &keys, per_run / CLIENTS, round);
        round += 1;
        latencies.sort_unstable();
        println!(
            "| {workers} | {} | {:.0} | {:.1} | {:.1} | {:.1} |",
            latencies.len(),
            latencies.len() as f64 / wall.as_secs_f64(),
            quantile(&latencies, 0.5),
            quantile(&latencies, 0.99),
            quantile(&latencies, 1.0),
        );
        drop(procs);
    }
    drop(_front);
    let _ = std::fs::remove_dir_all(&dir);
    // The schema goes with the run (KAIDEN_BENCH_KEEP=1 keeps it to look at).
    if std::env::var_os("KAIDEN_BENCH_KEEP").is_some() {
        return Ok(());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        if let Ok((client, conn)) = tokio_postgres::connect(&url(), tokio_postgres::NoTls).await {
            let driver = tokio::spawn(conn);
            let _ = client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
                .await;
            drop(client);
            let _ = driver.await;
        }
    });
    Ok(())
}
