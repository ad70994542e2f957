//! Many users at once, as a score tracker serves them: 16 users each pushing
//! one-score imports while four of them also upload 2,000-score files, with
//! both processors, on a real server over loopback. Bounded: every request
//! has a deadline, and the test ends by itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kaiden_server::{Config, Processor};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::{TempDir, big_batch_manual, workspace_root};
use serde_json::{Value, json};

mod common;
use common::{answer, multipart, serve};

const USERS: usize = 16;
const PUSHES: usize = 25;
const UPLOADERS: usize = 4;
const FILE_SCORES: usize = 2_000;
/// No request, poll or whole run may take longer than this.
const DEADLINE: Duration = Duration::from_secs(120);

/// A keep-alive client that gives up on any request after the deadline
/// (a stalled server fails the test instead of hanging it).
fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(DEADLINE))
        .build()
        .into()
}

/// One score of a user's push: IIDX SP ANOTHER of song 1, EX `100 + k`.
fn push_body(k: usize) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "meta": {"game": "iidx", "playtype": "SP", "service": "hook"},
        "scores": [{"score": 100 + k, "lamp": "CLEAR", "matchType": "tachiSongID", "identifier": "1",
                    "difficulty": "ANOTHER", "timeAchieved": 1_700_000_000_000_u64 + k as u64 * 60_000}]
    }))
    .expect("json")
}

/// What one request ended as.
#[derive(Debug)]
enum Ended {
    /// The import's scoreIDs.
    Imported(Vec<String>),
    /// 409: this user's other import was running.
    Locked,
}

struct Run {
    base: String,
    processor: Processor,
}

impl Run {
    /// The ImportDocument of an answer: in the body (internal), or polled
    /// until the queued import ends (external).
    fn settle(&self, agent: &ureq::Agent, status: u16, body: &Value) -> Ended {
        match (self.processor, status) {
            (_, 409) => Ended::Locked,
            (Processor::Internal, 200) => Ended::Imported(score_ids(&body["body"])),
            (Processor::External, 202) => {
                let id = body["body"]["importID"].as_str().expect("importID");
                let start = Instant::now();
                loop {
                    let (status, polled) = answer(
                        agent
                            .get(format!("{}/api/v1/imports/{id}/poll-status", self.base))
                            .call(),
                    );
                    assert_eq!(status, 200, "{polled}");
                    match polled["body"]["importStatus"].as_str() {
                        Some("ongoing") => {
                            assert!(start.elapsed() < DEADLINE, "import {id} never ended");
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        Some("completed") => {
                            return Ended::Imported(score_ids(&polled["body"]["import"]));
                        }
                        _ => panic!("import {id} failed: {polled}"),
                    }
                }
            }
            _ => panic!("unexpected answer {status}: {body}"),
        }
    }
}

fn score_ids(doc: &Value) -> Vec<String> {
    doc["scoreIDs"]
        .as_array()
        .expect("scoreIDs")
        .iter()
        .map(|v| v.as_str().expect("scoreID").to_owned())
        .collect()
}

fn many_users_at_once(processor: Processor) {
    let started = Instant::now();
    let dir = TempDir::new("many-users");
    let host = SqliteHost::open(dir.join("kaiden.db")).expect("open db");
    host.load_seeds(workspace_root().join("examples/seeds"))
        .expect("seeds");
    let users: Vec<(u64, String)> = (0..USERS)
        .map(|i| {
            let user = host.add_user(&format!("player{i}")).expect("user");
            let key = host
                .create_api_key(user, &["submit_score".to_owned()])
                .expect("key");
            (user, key)
        })
        .collect();
    let host = Arc::new(host);
    let config = Config {
        processor,
        workers: 2,
        rate_limit: 0,
        poll_interval: Duration::from_millis(10),
        lock_backoff: Duration::from_millis(10),
        ..Config::default()
    };
    let run = Arc::new(Run {
        base: serve(Arc::clone(&host), config, kaiden::registry()),
        processor,
    });
    let file = Arc::new(big_batch_manual(FILE_SCORES));
    let mut threads = Vec::new();
    for (i, (user, key)) in users.iter().enumerate() {
        // Each user pushes one score at a time, as a score hook does.
        let (pusher, push_key, user) = (Arc::clone(&run), key.clone(), *user);
        threads.push(std::thread::spawn(move || {
            let (run, key) = (pusher, push_key);
            let agent = client();
            let mut out = Vec::new();
            for k in 0..PUSHES {
                let (status, body) = answer(
                    agent
                        .post(format!("{}/ir/direct-manual/import", run.base))
                        .header("Authorization", format!("Bearer {key}"))
                        .header("Content-Type", "application/json")
                        .send(&push_body(k)[..]),
                );
                out.push((user, false, run.settle(&agent, status, &body)));
            }
            out
        }));
        // And some of them upload a large file meanwhile.
        if i < UPLOADERS {
            let (uploader, upload_key, file) = (Arc::clone(&run), key.clone(), Arc::clone(&file));
            threads.push(std::thread::spawn(move || {
                let (run, key) = (uploader, upload_key);
                let agent = client();
                let (ct, body) = multipart(
                    &[("importType", "file/batch-manual")],
                    &[("scoreData", "big.json", &file[..])],
                );
                let (status, answer_body) = answer(
                    agent
                        .post(format!("{}/api/v1/import/file", run.base))
                        .header("Authorization", format!("Bearer {key}"))
                        .header("Content-Type", ct)
                        .send(&body[..]),
                );
                vec![(user, true, run.settle(&agent, status, &answer_body))]
            }));
        }
    }
    let mut returned: HashMap<u64, Vec<String>> = HashMap::new();
    let mut imports: HashMap<u64, usize> = HashMap::new();
    let mut locked = 0;
    for t in threads {
        for (user, is_file, ended) in t.join().expect("client thread") {
            match ended {
                Ended::Imported(ids) => {
                    if is_file {
                        assert_eq!(ids.len(), FILE_SCORES, "user {user}'s file");
                    } else {
                        assert_eq!(ids.len(), 1, "user {user}'s push");
                    }
                    returned.entry(user).or_default().extend(ids);
                    *imports.entry(user).or_default() += 1;
                }
                Ended::Locked => {
                    // Only where this user's own imports overlapped.
                    let uploader = users.iter().position(|(u, _)| *u == user).expect("user");
                    assert!(
                        uploader < UPLOADERS,
                        "user {user} got a 409 with no overlap"
                    );
                    locked += 1;
                }
            }
        }
    }
    // Nothing lost, nothing twice: each user's stored scores are exactly the
    // scoreIDs the server answered with, and each import is stored once.
    for (user, _) in &users {
        let stored: Vec<String> = host
            .documents("scores", *user)
            .expect("scores")
            .iter()
            .map(|d| d["scoreID"].as_str().expect("scoreID").to_owned())
            .collect();
        let stored_set: HashSet<&String> = stored.iter().collect();
        assert_eq!(
            stored_set.len(),
            stored.len(),
            "user {user}: a score stored twice"
        );
        let returned_set: HashSet<&String> = returned[user].iter().collect();
        assert_eq!(returned_set.len(), returned[user].len());
        assert_eq!(stored_set, returned_set, "user {user}");
        assert_eq!(
            host.documents("imports", *user).expect("imports").len(),
            imports[user],
            "user {user}"
        );
    }
    // Every request was answered, and the queue never gives a user's 409 back
    // (its workers retry with backoff).
    assert_eq!(
        imports.values().sum::<usize>() + locked,
        USERS * PUSHES + UPLOADERS
    );
    if processor == Processor::External {
        assert_eq!(locked, 0);
    }
    eprintln!(
        "{processor:?}: {} imports, {locked} answered 409, in {:?}",
        imports.values().sum::<usize>(),
        started.elapsed()
    );
}

#[test]
fn sixteen_users_at_once_on_the_internal_processor() {
    many_users_at_once(Processor::Internal);
}

#[test]
fn sixteen_users_at_once_on_the_external_processor() {
    many_users_at_once(Processor::External);
}
