//! Small IIDX seeds written for kaiden's own tests, and helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use kaiden::core::format::ImportInput;
use kaiden::core::{ImportDocument, ImportError, ImportType};
use kaiden::pipeline::{self, ImportRequest, NoProgress, Progress};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::TempDir;
use serde_json::{Value, json};

pub const USER: u64 = 1;
pub const HOUR: i64 = 3_600_000;
/// 2023-11-14T22:13:20Z.
pub const T0: i64 = 1_700_000_000_000;

pub fn song(id: i64, title: &str) -> Value {
    json!({"id": id, "title": title, "artist": "kaiden tests", "altTitles": [], "searchTerms": [],
           "data": {"genre": "TEST", "displayVersion": "27"}})
}

pub fn chart(id: &str, song: i64, pt: &str, diff: &str, level: &str, notes: u32) -> Value {
    json!({"chartID": id, "songID": song, "level": level, "levelNum": level.parse::<f64>().unwrap(),
           "isPrimary": true, "difficulty": diff, "playtype": pt, "versions": ["27"],
           "data": {"notecount": notes, "inGameID": 1000 + song, "kaidenAverage": null, "worldRecord": null}})
}

/// Writes a seeds folder: songs Alpha, Beta (and Gamma when `with_gamma`),
/// a level-12 folder, a single goal, a folder goal and a quest of both.
pub fn write_seeds(dir: &Path, with_gamma: bool) {
    let mut songs = vec![song(1, "Alpha"), song(2, "Beta")];
    let mut charts = vec![
        chart("alpha-spa", 1, "SP", "ANOTHER", "12", 1000),
        chart("alpha-sph", 1, "SP", "HYPER", "10", 800),
        chart("alpha-dpa", 1, "DP", "ANOTHER", "12", 1100),
        chart("beta-spa", 2, "SP", "ANOTHER", "12", 500),
    ];
    if with_gamma {
        songs.push(song(3, "Gamma"));
        charts.push(chart("gamma-spa", 3, "SP", "ANOTHER", "11", 600));
    }
    std::fs::write(
        dir.join("songs-iidx.json"),
        serde_json::to_vec(&songs).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("charts-iidx.json"),
        serde_json::to_vec(&charts).unwrap(),
    )
    .unwrap();
    let folders = json!([{"folderID": "Flevel12", "game": "iidx", "playtype": "SP", "type": "charts",
        "data": {"level": "12"}, "title": "Level 12", "inactive": false, "searchTerms": []}]);
    let goals = json!([
        {"goalID": "Ghc-alpha", "game": "iidx", "playtype": "SP", "name": "HARD CLEAR Alpha (SP ANOTHER)",
         "charts": {"type": "single", "data": "alpha-spa"}, "criteria": {"key": "lamp", "mode": "single", "value": 5}},
        {"goalID": "Gclear-12s", "game": "iidx", "playtype": "SP", "name": "CLEAR 2 level 12s",
         "charts": {"type": "folder", "data": "Flevel12"}, "criteria": {"key": "lamp", "mode": "absolute", "value": 4, "countNum": 2}},
        {"goalID": "Gbeta-aaa", "game": "iidx", "playtype": "SP", "name": "AAA Beta",
         "charts": {"type": "multi", "data": ["beta-spa"]}, "criteria": {"key": "grade", "mode": "single", "value": 7}}
    ]);
    let quests = json!([{"questID": "Qtests", "game": "iidx", "playtype": "SP", "name": "Tests", "desc": "",
        "questData": [{"title": "All", "desc": "", "goals": [{"goalID": "Ghc-alpha", "note": ""}, {"goalID": "Gclear-12s", "note": ""}]}]}]);
    std::fs::write(dir.join("folders.json"), folders.to_string()).unwrap();
    std::fs::write(dir.join("goals.json"), goals.to_string()).unwrap();
    std::fs::write(dir.join("quests.json"), quests.to_string()).unwrap();
}

#[derive(Debug)]
pub struct Env {
    pub dir: TempDir,
    pub host: SqliteHost,
}

pub fn env(label: &str, with_gamma: bool) -> Env {
    let dir = TempDir::new(label);
    let seeds = dir.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    write_seeds(&seeds, with_gamma);
    let host = SqliteHost::open(dir.join("kaiden.db")).unwrap();
    host.load_seeds(&seeds).unwrap();
    host.ensure_user(USER, "tester").unwrap();
    Env { dir, host }
}

/// A BATCH-MANUAL IIDX SP score by title on ANOTHER.
pub fn score(title: &str, ex: u32, lamp: &str, time: Option<i64>) -> Value {
    json!({"score": ex, "lamp": lamp, "matchType": "songTitle", "identifier": title, "difficulty": "ANOTHER",
           "timeAchieved": time})
}

pub fn batch(scores: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({"meta": {"game": "iidx", "playtype": "SP", "service": "kaiden tests"}, "scores": scores})).unwrap()
}

pub fn run(host: &SqliteHost, bytes: &[u8]) -> Result<ImportDocument, ImportError> {
    run_with(host, bytes, &NoProgress)
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

pub fn run_with(
    host: &SqliteHost,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    run_as(host, USER, bytes, progress)
}

/// A BATCH-MANUAL import of `bytes` for `user`.
pub fn run_as(
    host: &SqliteHost,
    user: u64,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    let request = ImportRequest {
        import_type: ImportType::FileBatchManual,
        user,
        user_intent: false,
        input: ImportInput {
            bytes,
            filename: None,
            fields: BTreeMap::new(),
            headers: BTreeMap::new(),
        },
        import_id: None,
    };
    block_on(pipeline::import(
        host,
        &kaiden::registry(),
        request,
        progress,
    ))
}

/// A user's stored documents of a table.
pub fn docs(host: &SqliteHost, table: &str) -> Vec<Value> {
    host.documents(table, USER).unwrap()
}
