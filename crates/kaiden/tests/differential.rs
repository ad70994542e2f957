//! The differential test: kaiden's BATCH-MANUAL import beside Tachi's own code.
//!
//! `tests/differential/harness.ts` is bundled by esbuild with Tachi's TypeScript
//! from `../shared/tachi-src` (or `$KAIDEN_TACHI_SRC`): Tachi's real parser,
//! converter, `CreateScoreID`, `HydrateScore`, `ValidateScore` and in-import
//! dedupe, with only the database, logger, config and orphan store stubbed. A
//! seeded generator writes, for every game+playtype, a catalogue of songs and
//! charts in Tachi's seed shape (BPI and tier data for IIDX, hashes for BMS, PMS,
//! USC, ITG and pop'n, ...) and BATCH-MANUAL documents of valid and invalid
//! scores with edge values. Each document is imported by kaiden (the memory host,
//! the seeds loaded as files) and by Tachi (the same songs and charts), and the
//! outcomes are compared: fatal or not, the scoreIDs in order, every error's type
//! and message, and every stored score field by field (numbers exactly).
//!
//! Needs `node` and the harness's packages (esbuild 0.15.18, rg-stats 1.1.0,
//! prudence 0.10.0, zod 3.20.2, deepmerge 4.2.2, fast-json-stable-hash 1.0.3, the
//! versions of Tachi's lockfile) in `$KAIDEN_TACHI_HARNESS` or
//! `target/tachi-harness/node_modules` (`.ci/run` installs them); without them
//! the test says SKIPPED and passes. `KAIDEN_DIFFERENTIAL_N` sets the scores per
//! game+playtype (default 240) and `KAIDEN_DIFFERENTIAL_SEED` the seed, for
//! longer local runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kaiden::core::format::ImportInput;
use kaiden::core::query::MatchType;
use kaiden::core::{Game, Gpt, ImportType};
use kaiden::games::config::{Difficulties, GptConfig, MetaFieldKind, MetricConfig, MetricKind};
use kaiden::pipeline::{ImportRequest, NoProgress};
use kaiden_memory::MemoryHost;
use kaiden_testkit::{TempDir, workspace_root};
use serde_json::{Map, Value, json};

/// Tachi's source tree, when present.
fn tachi_src() -> Option<PathBuf> {
    let dir = std::env::var_os("KAIDEN_TACHI_SRC").map_or_else(
        || workspace_root().join("../shared/tachi-src"),
        PathBuf::from,
    );
    dir.join("server/src/lib/score-import")
        .is_dir()
        .then_some(dir)
}

/// The harness's `node_modules`, when installed.
fn harness_modules() -> Option<PathBuf> {
    let dir = std::env::var_os("KAIDEN_TACHI_HARNESS").map_or_else(
        || workspace_root().join("target/tachi-harness/node_modules"),
        PathBuf::from,
    );
    [
        "esbuild",
        "rg-stats",
        "prudence",
        "zod",
        "fast-json-stable-hash",
        "deepmerge",
    ]
    .iter()
    .all(|p| dir.join(p).join("package.json").is_file())
    .then_some(dir)
}

/// A deterministic stream of numbers (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// An integer in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `p` percent.
    fn chance(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    #[allow(clippy::cast_precision_loss)]
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn hex(&mut self, len: usize) -> String {
        let mut s = String::new();
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(len);
        s
    }
}

/// A number with `decimals` decimal places between `lo` and `hi`, as JS would
/// write it.
#[allow(clippy::cast_precision_loss)]
fn decimal(r: &mut Rng, lo: f64, hi: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let steps = ((hi - lo) * scale).floor().max(0.0) as u64;
    let k = r.below(steps + 1) as f64;
    ((lo * scale).round() + k) / scale
}

fn tier(r: &mut Rng) -> Value {
    if r.chance(35) {
        return Value::Null;
    }
    let value = decimal(r, 1.0, 20.0, 1);
    json!({"value": value, "text": format!("{value}"), "individualDifference": r.chance(20)})
}

/// The difficulties of a GPT for the catalogue.
fn difficulties(gpt: Gpt) -> Vec<&'static str> {
    match GptConfig::of(gpt).difficulties {
        Difficulties::Fixed { order, .. } => order.to_vec(),
        Difficulties::Dynamic => vec!["Beginner 3", "Easy 5", "Medium 8", "Hard 10", "Expert 12"],
    }
}

/// A level of the game's shape: (text, number).
fn level(game: Game, r: &mut Rng) -> (String, f64) {
    match game {
        Game::Chunithm | Game::Ongeki | Game::Maimaidx | Game::Maimai | Game::Arcaea => {
            let n = decimal(r, 1.0, 15.4, 1);
            (format!("{n}"), n)
        }
        Game::Sdvx => {
            let n = decimal(r, 1.0, 20.0, 1);
            (format!("{}", n.floor()), n)
        }
        _ => {
            let n = r.int(1, 19);
            #[allow(clippy::cast_precision_loss)]
            (n.to_string(), n as f64)
        }
    }
}

/// The game-specific `data` of a chart.
fn chart_data(gpt: Gpt, song: u64, r: &mut Rng) -> Value {
    let in_game = 1000 + song * 7;
    let notecount = r.int(200, 2500);
    match gpt.game() {
        Game::Iidx => {
            let max = notecount * 2;
            let (ka, wr, coef) = if r.chance(70) {
                let ka = r.int(max / 2, max * 8 / 10);
                let wr = r.int(ka + 1, max - 1);
                let coef = if r.chance(50) {
                    Value::Null
                } else {
                    json!(decimal(r, 0.8, 1.6, 3))
                };
                (json!(ka), json!(wr), coef)
            } else {
                (Value::Null, Value::Null, Value::Null)
            };
            let mut d = json!({"notecount": notecount, "inGameID": in_game, "hashSHA256": null,
                "2dxtraSet": null, "kaidenAverage": ka, "worldRecord": wr, "bpiCoefficient": coef});
            if gpt == Gpt::IidxSp {
                d["ncTier"] = tier(r);
                d["hcTier"] = tier(r);
                d["exhcTier"] = tier(r);
            } else {
                d["dpTier"] = tier(r);
            }
            d
        }
        Game::Sdvx => {
            json!({"inGameID": in_game, "clearTier": tier(r), "pucTier": tier(r), "sTier": tier(r)})
        }
        Game::Bms | Game::Pms => {
            let folders = if r.chance(50) {
                json!([{"table": "sl", "level": r.int(0, 12).to_string()}])
            } else {
                json!([])
            };
            let sgl = |r: &mut Rng| {
                if r.chance(50) {
                    Value::Null
                } else {
                    json!(decimal(r, 0.0, 25.0, 2))
                }
            };
            json!({"notecount": notecount, "hashMD5": r.hex(32), "hashSHA256": r.hex(64),
                "tableFolders": folders, "sglEC": sgl(r), "sglHC": sgl(r), "aiLevel": null})
        }
        Game::Popn => json!({"hashSHA256": r.hex(64), "inGameID": in_game}),
        Game::Maimai => json!({"inGameID": in_game, "inGameStrID": format!("m{in_game}"),
            "maxPercent": decimal(r, 100.0, 104.5, 2)}),
        Game::Maimaidx => json!({"displayVersion": "maimai でらっくす", "inGameID": in_game}),
        Game::Ongeki => json!({"displayVersion": "オンゲキ", "isReMaster": false,
            "maxPlatScore": r.int(500, 6000), "inGameID": in_game}),
        Game::Jubeat => {
            let bars: Vec<i64> = (0..120).map(|_| r.int(0, 8)).collect();
            json!({"inGameID": in_game, "noteCount": notecount, "musicBar": bars})
        }
        Game::Itg => {
            let ranked = if r.chance(50) {
                json!(r.int(8, 30))
            } else {
                Value::Null
            };
            json!({"rankedLevel": ranked, "chartLevel": r.int(1, 30), "hashGSv3": r.hex(40),
                "difficultyTag": "Hard", "length": decimal(r, 60.0, 600.0, 2), "charter": "tests",
                "streamBPM": null, "breakdown": null, "npsPerMeasure": [1.5, 2.0],
                "notesPerMeasure": [6, 8], "bannerLocationOverride": null,
                "originalPack": "Pack", "packs": ["Pack"]})
        }
        Game::Usc => json!({"hashSHA1": r.hex(40), "isOfficial": r.chance(50),
            "effector": "tests", "tableFolders": []}),
        Game::Arcaea => json!({"inGameStrID": format!("a{in_game}"), "notecount": notecount}),
        Game::Ddr => json!({"inGameID": in_game, "stepCount": notecount}),
        _ => json!({"inGameID": in_game}),
    }
}

/// One game's songs and charts (every playtype), in Tachi's seed shape.
struct Catalogue {
    songs: Vec<Value>,
    charts: Vec<Value>,
}

const SONGS: u64 = 10;

fn catalogue(game: Game, r: &mut Rng) -> Catalogue {
    let mut songs = Vec::new();
    for id in 1..=SONGS {
        songs.push(json!({"id": id, "title": format!("Song {id} of {game}"),
            "artist": format!("Artist {}", id % 3), "altTitles": [format!("alt {id}")], "searchTerms": [],
            "data": {"genre": "TEST", "displayVersion": "tests", "flareCategory": "GOLD",
                     "ddrSongHash": format!("ddrhash{id}"), "isHot": false}}));
    }
    let mut charts = Vec::new();
    for gpt in Gpt::ALL.into_iter().filter(|g| g.game() == game) {
        let versions: Vec<&str> = GptConfig::of(gpt)
            .versions
            .iter()
            .map(|(id, _)| *id)
            .collect();
        for song in 1..=SONGS {
            for diff in difficulties(gpt) {
                if r.chance(20) {
                    continue;
                }
                let (text, num) = level(game, r);
                let vs: Vec<&str> = versions.iter().copied().filter(|_| r.chance(60)).collect();
                charts.push(json!({"chartID": r.hex(40), "songID": song, "level": text,
                    "levelNum": num, "isPrimary": true, "difficulty": diff,
                    "playtype": gpt.playtype().as_str(), "versions": vs,
                    "data": chart_data(gpt, song, r)}));
            }
        }
    }
    Catalogue { songs, charts }
}

/// The most a chart-dependent metric can be on `chart`, where the generator
/// knows it (so it can aim at it and just past it).
#[allow(clippy::cast_precision_loss)]
fn chart_max(game: Game, metric: &str, chart: &Value) -> Option<f64> {
    let d = &chart["data"];
    match (game, metric) {
        (Game::Iidx | Game::Bms | Game::Pms, "score") => Some(d["notecount"].as_f64()? * 2.0),
        (Game::Arcaea, "score") => Some(10_000_000.0 + d["notecount"].as_f64()?),
        (Game::Ongeki, "platinumScore") => d["maxPlatScore"].as_f64(),
        (Game::Maimai, "percent") => d["maxPercent"].as_f64(),
        (Game::Ddr, "exScore") => Some(d["stepCount"].as_f64()? * 3.0),
        _ => None,
    }
}

fn metric_value(r: &mut Rng, gpt: Gpt, m: &MetricConfig, chart: &Value) -> Value {
    let conf = GptConfig::of(gpt);
    match m.kind {
        MetricKind::Enum { values, .. } => json!(r.pick(values)),
        MetricKind::Integer { min, max } => {
            let lo = min.unwrap_or(0.0) as i64;
            let hi = match (m.chart_dependent_max, chart_max(gpt.game(), m.name, chart)) {
                (true, Some(top)) => top as i64,
                _ => max.map_or(lo + 5000, |x| x as i64),
            };
            let v = match r.below(8) {
                0 => lo,
                1 => hi,
                2 if m.chart_dependent_max => hi + r.int(1, 3),
                3 => grade_edge(r, conf, m.name, lo, hi),
                _ => r.int(lo, hi),
            };
            // A bound the schema checks is kept (its breach is a fatal error,
            // tried by the fatal documents).
            let v = match max {
                Some(x) if !m.chart_dependent_max => v.min(x as i64),
                _ => v,
            };
            json!(v.max(lo))
        }
        MetricKind::Decimal { min, max } => {
            let lo = min.unwrap_or(0.0);
            let hi = match (m.chart_dependent_max, chart_max(gpt.game(), m.name, chart)) {
                (true, Some(top)) => top,
                _ => max.unwrap_or(100.0),
            };
            let v = match r.below(8) {
                0 => lo,
                1 => hi,
                2 if m.chart_dependent_max => hi + 0.01,
                3 => {
                    // A grade boundary, or just under one.
                    let b = conf
                        .grades
                        .boundaries
                        .iter()
                        .map(|b| b.lower_bound)
                        .filter(|x| *x >= lo && *x <= hi)
                        .collect::<Vec<_>>();
                    if b.is_empty() {
                        lo
                    } else {
                        let x = *r.pick(&b);
                        if r.chance(50) { x } else { (x - 0.01).max(lo) }
                    }
                }
                _ => decimal(r, lo, hi, 2),
            };
            let v = match max {
                Some(x) if !m.chart_dependent_max => v.min(x),
                _ => v,
            };
            json!(v.max(lo))
        }
        MetricKind::Graph {
            nullable,
            min,
            max,
            integer,
        } => {
            let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
            let n = r.below(6);
            let xs: Vec<Value> = (0..n)
                .map(|_| {
                    if nullable && r.chance(10) {
                        Value::Null
                    } else if integer {
                        json!(r.int(lo as i64, hi as i64))
                    } else {
                        json!(decimal(r, lo, hi, 1))
                    }
                })
                .collect();
            Value::Array(xs)
        }
    }
}

/// An integer score on a grade boundary of a GPT graded on that metric.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn grade_edge(r: &mut Rng, conf: &GptConfig, metric: &str, lo: i64, hi: i64) -> i64 {
    if conf.grades.graded_on == metric {
        let b: Vec<f64> = conf
            .grades
            .boundaries
            .iter()
            .map(|b| b.lower_bound)
            .filter(|x| *x >= lo as f64 && *x <= hi as f64)
            .collect();
        if !b.is_empty() {
            let x = *r.pick(&b) as i64;
            return if r.chance(50) { x } else { (x - 1).max(lo) };
        }
    }
    // Graded on a percentage of the chart's maximum: aim at 2/3, 7/9, 8/9.
    let frac = *r.pick(&[2.0 / 3.0, 7.0 / 9.0, 8.0 / 9.0, 0.5, 0.8, 0.9]);
    let x = ((hi as f64) * frac).ceil() as i64;
    if r.chance(50) { x } else { (x - 1).max(lo) }
}

fn meta_value(r: &mut Rng, kind: MetaFieldKind) -> Value {
    match kind {
        MetaFieldKind::Enum(vals) => json!(r.pick(vals)),
        MetaFieldKind::EnumPair(vals) => json!([r.pick(vals), r.pick(vals)]),
        MetaFieldKind::Boolean => json!(r.chance(50)),
        MetaFieldKind::Number => json!(r.int(0, 20)),
    }
}

/// The identifier a match type needs for `chart` (of song `song`).
fn identifier(mt: MatchType, chart: &Value, song: &Value, r: &mut Rng) -> String {
    let d = &chart["data"];
    let s = |v: &Value| match v {
        Value::String(x) => x.clone(),
        other => other.to_string(),
    };
    match mt.as_str() {
        "tachiSongID" => match r.below(20) {
            0 => "9999".into(),
            1 => "x1".into(),
            _ => s(&chart["songID"]),
        },
        "songTitle" => match r.below(10) {
            0 => "No such song".into(),
            1 => song["title"].as_str().unwrap_or_default().to_uppercase(),
            2 => s(&song["altTitles"][0]),
            _ => s(&song["title"]),
        },
        "inGameID" | "sdvxInGameID" => s(&d["inGameID"]),
        "inGameStrID" => s(&d["inGameStrID"]),
        "bmsChartHash" => {
            if r.chance(50) {
                s(&d["hashMD5"])
            } else {
                s(&d["hashSHA256"])
            }
        }
        "popnChartHash" => s(&d["hashSHA256"]),
        "uscChartHash" => s(&d["hashSHA1"]),
        "itgChartHash" => s(&d["hashGSv3"]),
        "ddrSongHash" => s(&song["data"]["ddrSongHash"]),
        other => other.to_owned(),
    }
}

/// One BATCH-MANUAL score on a random chart of `gpt`.
fn score(r: &mut Rng, gpt: Gpt, cat: &Catalogue) -> Value {
    let conf = GptConfig::of(gpt);
    let charts: Vec<&Value> = cat
        .charts
        .iter()
        .filter(|c| c["playtype"] == gpt.playtype().as_str())
        .collect();
    let chart = *r.pick(&charts);
    let song = &cat.songs[(chart["songID"].as_u64().unwrap() - 1) as usize];
    let mut o = Map::new();
    for m in conf.provided_metrics {
        o.insert(m.name.into(), metric_value(r, gpt, m, chart));
    }
    // PMS by hash is left out: Tachi's converter looks PMS hashes up among
    // BMS charts and never finds them (every such score is orphaned); kaiden
    // finds the PMS chart (`tests/games.rs` in kaiden-sqlite imports one).
    let usable: Vec<MatchType> = conf
        .supported_match_types
        .iter()
        .copied()
        .filter(|m| !(gpt.game() == Game::Pms && *m == MatchType::BmsChartHash))
        .collect();
    let mt = if r.chance(3) {
        // A match type the GPT may not support.
        *r.pick(&[
            MatchType::InGameId,
            MatchType::SongTitle,
            MatchType::TachiSongId,
        ])
    } else {
        *r.pick(&usable)
    };
    o.insert("matchType".into(), json!(mt.as_str()));
    o.insert("identifier".into(), json!(identifier(mt, chart, song, r)));
    if mt.needs_difficulty() || r.chance(10) {
        let diff = match r.below(25) {
            0 => "NOT A DIFFICULTY".to_owned(),
            1 if gpt.game() == Game::Sdvx => "ANY_INF".to_owned(),
            2 => (*r.pick(&difficulties(gpt))).to_owned(),
            _ => chart["difficulty"].as_str().unwrap_or_default().to_owned(),
        };
        o.insert("difficulty".into(), json!(diff));
    }
    if r.chance(10) {
        o.insert("artist".into(), song["artist"].clone());
    }
    match r.below(10) {
        0 => {
            o.insert("timeAchieved".into(), json!(0));
        }
        1 => {
            o.insert("timeAchieved".into(), Value::Null);
        }
        2 => {}
        _ => {
            o.insert(
                "timeAchieved".into(),
                json!(1_600_000_000_000_i64 + r.int(0, 100_000_000_000)),
            );
        }
    }
    if r.chance(10) {
        o.insert("comment".into(), json!("a comment"));
    }
    if r.chance(60) {
        let mut j = Map::new();
        let top = chart["data"]["notecount"].as_i64().unwrap_or(500);
        for name in conf.judgements {
            match r.below(10) {
                0 => {}
                1 => {
                    j.insert((*name).into(), Value::Null);
                }
                2..=5 => {
                    j.insert((*name).into(), json!(0));
                }
                _ => {
                    j.insert((*name).into(), json!(r.int(0, top)));
                }
            }
        }
        o.insert("judgements".into(), Value::Object(j));
    }
    if r.chance(40) {
        let mut opt = Map::new();
        for m in conf.optional_metrics {
            if r.chance(50) {
                let v = if r.chance(10) {
                    Value::Null
                } else {
                    metric_value(r, gpt, m, chart)
                };
                opt.insert(m.name.into(), v);
            }
        }
        let key = if r.chance(20) { "hitMeta" } else { "optional" };
        o.insert(key.into(), Value::Object(opt));
    }
    if r.chance(30) && !conf.score_meta.is_empty() {
        let mut meta = Map::new();
        for f in conf.score_meta {
            if r.chance(60) {
                let v = if f.nullable && r.chance(15) {
                    Value::Null
                } else {
                    meta_value(r, f.kind)
                };
                meta.insert(f.name.into(), v);
            }
        }
        o.insert("scoreMeta".into(), Value::Object(meta));
    }
    Value::Object(o)
}

/// A document of `n` scores of `gpt`; some repeat an earlier score (the same
/// scoreID), with other judgements.
fn document(r: &mut Rng, gpt: Gpt, cat: &Catalogue, n: usize) -> Value {
    let mut scores: Vec<Value> = Vec::new();
    for _ in 0..n {
        if !scores.is_empty() && r.chance(10) {
            let mut again = r.pick(&scores).clone();
            if r.chance(50) {
                again.as_object_mut().unwrap().remove("judgements");
            }
            scores.push(again);
        } else {
            scores.push(score(r, gpt, cat));
        }
    }
    let mut meta = json!({"game": gpt.game().as_str(), "playtype": gpt.playtype().as_str(),
        "service": "differential"});
    let versions = GptConfig::of(gpt).versions;
    if r.chance(25) && !versions.is_empty() {
        meta["version"] = json!(r.pick(versions).0);
    }
    json!({"meta": meta, "scores": scores})
}

/// A document Tachi's schema rejects as a whole: a bounded metric out of its
/// bounds, or a judgement that is not a count.
fn fatal_document(r: &mut Rng, gpt: Gpt, cat: &Catalogue) -> Option<Value> {
    let conf = GptConfig::of(gpt);
    let mut doc = document(r, gpt, cat, 3);
    let s = doc["scores"][1].as_object_mut()?;
    let bounded = conf.provided_metrics.iter().find_map(|m| match m.kind {
        MetricKind::Integer { max: Some(x), .. } | MetricKind::Decimal { max: Some(x), .. }
            if !m.chart_dependent_max =>
        {
            Some((m.name, x + 1.0))
        }
        _ => None,
    });
    match bounded {
        Some((name, v)) => {
            s.insert(name.into(), json!(v));
        }
        None => {
            s.insert("judgements".into(), json!({conf.judgements[0]: -1}));
        }
    }
    Some(doc)
}

/// What one import came to, on either side.
#[derive(Debug, PartialEq)]
enum Outcome {
    Fatal(String),
    Imported {
        score_ids: Vec<String>,
        errors: Vec<(String, String)>,
        scores: BTreeMap<String, Value>,
    },
}

fn kaiden_import(dir: &Path, game: Game, cat: &Catalogue, doc: &Value) -> Outcome {
    let seeds = dir.join(game.as_str());
    if !seeds.is_dir() {
        std::fs::create_dir_all(&seeds).unwrap();
        std::fs::write(
            seeds.join(format!("songs-{game}.json")),
            Value::Array(cat.songs.clone()).to_string(),
        )
        .unwrap();
        std::fs::write(
            seeds.join(format!("charts-{game}.json")),
            Value::Array(cat.charts.clone()).to_string(),
        )
        .unwrap();
    }
    let host = MemoryHost::new();
    host.load_seeds(&seeds).unwrap();
    host.ensure_user(1, "player");
    let bytes = serde_json::to_vec(doc).unwrap();
    let request = ImportRequest {
        import_type: ImportType::FILE_BATCH_MANUAL,
        user: 1,
        user_intent: false,
        input: ImportInput {
            bytes: &bytes,
            ..ImportInput::default()
        },
        import_id: None,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    match rt.block_on(kaiden::pipeline::import(
        &host,
        &kaiden::registry(),
        request,
        &NoProgress,
    )) {
        Err(e) => Outcome::Fatal(e.to_string()),
        Ok(d) => {
            let scores = host
                .documents("scores", 1)
                .unwrap()
                .into_iter()
                .map(|s| (s["scoreID"].as_str().unwrap_or_default().to_owned(), s))
                .collect();
            Outcome::Imported {
                score_ids: d.score_ids.clone(),
                errors: d
                    .errors
                    .iter()
                    .map(|e| {
                        let v = serde_json::to_value(e).unwrap();
                        (
                            v["type"].as_str().unwrap_or_default().to_owned(),
                            e.message.clone(),
                        )
                    })
                    .collect(),
                scores,
            }
        }
    }
}

fn tachi_outcome(v: &Value) -> Outcome {
    if let Some(f) = v.get("fatal") {
        return Outcome::Fatal(f["message"].as_str().unwrap_or_default().to_owned());
    }
    let results = v["results"].as_array().cloned().unwrap_or_default();
    let score_ids = results
        .iter()
        .filter(|r| r["success"] == true)
        .map(|r| r["scoreID"].as_str().unwrap_or_default().to_owned())
        .collect();
    let errors = results
        .iter()
        .filter(|r| r["success"] == false)
        .map(|r| {
            (
                r["type"].as_str().unwrap_or_default().to_owned(),
                r["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let scores = v["scores"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s["scoreID"].as_str().unwrap_or_default().to_owned(), s))
        .collect();
    Outcome::Imported {
        score_ids,
        errors,
        scores,
    }
}

/// Fields of a stored score that are the store's own, not computed from the
/// input: not compared.
const NOT_COMPARED: &[&str] = &["timeAdded", "_id", "importID"];

/// Every difference between Tachi's value and kaiden's, by path. Numbers are
/// equal when they are the same double (JSON `1` and `1.0` are).
fn diff_values(path: &str, tachi: &Value, kaiden: &Value, out: &mut Vec<String>) {
    match (tachi, kaiden) {
        (Value::Number(a), Value::Number(b)) => {
            if a.as_f64().map(f64::to_bits) != b.as_f64().map(f64::to_bits) {
                out.push(format!("{path}: Tachi {a}, kaiden {b}"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, av) in a {
                if path.is_empty() && NOT_COMPARED.contains(&k.as_str()) {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match b.get(k) {
                    Some(bv) => diff_values(&p, av, bv, out),
                    None => out.push(format!("{p}: Tachi {av}, kaiden has no such field")),
                }
            }
            for (k, bv) in b {
                let store_own = path.is_empty() && NOT_COMPARED.contains(&k.as_str());
                if !a.contains_key(k) && !store_own {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    out.push(format!("{p}: Tachi has no such field, kaiden {bv}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (av, bv)) in a.iter().zip(b).enumerate() {
                diff_values(&format!("{path}[{i}]"), av, bv, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: Tachi {a}, kaiden {b}")),
    }
}

/// Tachi's "not found" messages of the lookups that find a song, then its
/// chart (`tachiSongID`, `songTitle`, `ddrSongHash`): the chart's message names
/// the song found, which kaiden's pipeline does not pass back to the format
/// yet, so kaiden words these its own way (issue 25). Same type, same outcome
/// (an orphan); counted and reported, not failed.
fn song_then_chart_not_found(tachi_message: &str) -> bool {
    [
        "Cannot find chart for ",
        "Cannot find song with ",
        "Found song with ddrSongHash ",
    ]
    .iter()
    .any(|p| tachi_message.starts_with(p))
        && !tachi_message.starts_with("Cannot find chart for hash ")
        && !tachi_message.starts_with("Cannot find chart for inGame")
        && !tachi_message.starts_with("Cannot find chart for itgChartHash ")
        && !tachi_message.starts_with("Cannot find chart for popnChartHash ")
}

/// Divergences known and left for later (issue 25 stays open for them),
/// counted and printed rather than failed. Each is a rejection both sides
/// make, worded differently, or (the last) a score both sides refuse to
/// import as it stands, at a different step.
fn known_divergence(
    game: Game,
    tachi: &(String, String),
    kaiden: &(String, String),
) -> Option<&'static str> {
    let validation = |e: &(String, String)| e.0 == "InvalidDatapoint" && e.1.starts_with("Got ");
    if validation(tachi) && validation(kaiden) {
        return match game {
            Game::Popn => Some("pop'n medal validators' wording"),
            Game::Chunithm => Some("CHUNITHM lamp validators' wording"),
            Game::Ddr => Some("DDR lamp validators' wording"),
            Game::Ongeki => Some("O.N.G.E.K.I. validators' wording and number"),
            _ => None,
        };
    }
    // Tachi looks the song up before it checks the difficulty (an unknown
    // song with a bad difficulty is an orphan); kaiden checks the difficulty
    // first (an invalid score).
    ((tachi.0 == "SongOrChartNotFound" || tachi.0 == "OrphanExists")
        && tachi.1.starts_with("Cannot find song with")
        && kaiden.0 == "InvalidDatapoint"
        && kaiden.1.starts_with("Invalid Difficulty for"))
    .then_some("difficulty checked before the song lookup")
}

fn compare(
    game: Game,
    tachi: &Outcome,
    kaiden: &Outcome,
    reworded: &mut usize,
    known: &mut BTreeMap<&'static str, usize>,
) -> Vec<String> {
    let mut out = Vec::new();
    match (tachi, kaiden) {
        (Outcome::Fatal(_), Outcome::Fatal(_)) => {}
        (Outcome::Fatal(t), Outcome::Imported { .. }) => {
            out.push(format!(
                "Tachi rejects the document ({t}); kaiden imports it"
            ));
        }
        (Outcome::Imported { .. }, Outcome::Fatal(k)) => {
            out.push(format!(
                "kaiden rejects the document ({k}); Tachi imports it"
            ));
        }
        (
            Outcome::Imported {
                score_ids: ti,
                errors: te,
                scores: ts,
            },
            Outcome::Imported {
                score_ids: ki,
                errors: ke,
                scores: ks,
            },
        ) => {
            if ti != ki {
                out.push(format!("scoreIDs: Tachi {ti:?}\n  kaiden {ki:?}"));
            }
            let n = te.len().max(ke.len());
            for i in 0..n {
                if let (Some(t), Some(k)) = (te.get(i), ke.get(i)) {
                    if t.0 == k.0 && song_then_chart_not_found(&t.1) {
                        *reworded += 1;
                        continue;
                    }
                    if let Some(rule) = known_divergence(game, t, k) {
                        *known.entry(rule).or_default() += 1;
                        continue;
                    }
                }
                if te.get(i) != ke.get(i) {
                    out.push(format!(
                        "error {i}: Tachi {:?}\n  kaiden {:?}",
                        te.get(i),
                        ke.get(i)
                    ));
                }
            }
            for (id, t) in ts {
                match ks.get(id) {
                    Some(k) => {
                        let mut d = Vec::new();
                        diff_values("", t, k, &mut d);
                        out.extend(d.into_iter().map(|x| format!("score {id}: {x}")));
                    }
                    None => out.push(format!("score {id}: stored by Tachi, not by kaiden")),
                }
            }
            for id in ks.keys() {
                if !ts.contains_key(id) {
                    out.push(format!("score {id}: stored by kaiden, not by Tachi"));
                }
            }
        }
    }
    out
}

#[test]
fn batch_manual_imports_as_tachi_s_own_code_does() {
    let (Some(src), Some(modules)) = (tachi_src(), harness_modules()) else {
        eprintln!(
            "SKIPPED: the differential test needs Tachi's source (../shared/tachi-src or \
             $KAIDEN_TACHI_SRC) and the harness's packages (target/tachi-harness/node_modules \
             or $KAIDEN_TACHI_HARNESS; .ci/run installs them)"
        );
        return;
    };
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED: the differential test needs node");
        return;
    }
    let tmp = TempDir::new("differential");
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential");
    let bundle = tmp.join("tachi-harness.js");
    let built = Command::new("node")
        .arg(here.join("build.mjs"))
        .arg(&src)
        .arg(&modules)
        .arg(&bundle)
        .output()
        .expect("node runs");
    assert!(
        built.status.success(),
        "bundling Tachi's code failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let per_gpt: usize = std::env::var("KAIDEN_DIFFERENTIAL_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(240);
    let seed: u64 = std::env::var("KAIDEN_DIFFERENTIAL_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5EED_D1FF);
    let mut r = Rng(seed | 1);

    // Jobs: per GPT, documents of up to 60 scores, and one the schema rejects.
    let mut catalogues: HashMap<Game, Catalogue> = HashMap::new();
    let mut jobs: Vec<(Gpt, Value)> = Vec::new();
    for gpt in Gpt::ALL {
        let game = gpt.game();
        catalogues
            .entry(game)
            .or_insert_with(|| catalogue(game, &mut r));
        let cat = &catalogues[&game];
        let mut left = per_gpt;
        while left > 0 {
            let n = left.min(60);
            jobs.push((gpt, document(&mut r, gpt, cat, n)));
            left -= n;
        }
        if let Some(doc) = fatal_document(&mut r, gpt, cat) {
            jobs.push((gpt, doc));
        }
    }

    // Tachi's side: one Node process, a job per line.
    let mut input = Vec::new();
    for (gpt, doc) in &jobs {
        let cat = &catalogues[&gpt.game()];
        let job = json!({"game": gpt.game().as_str(), "songs": cat.songs, "charts": cat.charts,
            "userID": 1, "importType": "file/batch-manual", "document": doc});
        serde_json::to_writer(&mut input, &job).unwrap();
        input.push(b'\n');
    }
    if let Some(path) = std::env::var_os("KAIDEN_DIFFERENTIAL_JOBS") {
        std::fs::write(path, &input).unwrap();
    }
    let mut child = Command::new("node")
        .arg(&bundle)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "Tachi's harness failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tachi: Vec<Value> = out
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(tachi.len(), jobs.len(), "one answer per job");

    // kaiden's side, and the comparison.
    let mut divergences: Vec<String> = Vec::new();
    let mut reworded = 0usize;
    let mut known: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut counts: BTreeMap<Gpt, (usize, usize, usize)> = BTreeMap::new();
    for ((gpt, doc), t) in jobs.iter().zip(&tachi) {
        let cat = &catalogues[&gpt.game()];
        let k = kaiden_import(tmp.path(), gpt.game(), cat, doc);
        let t = tachi_outcome(t);
        let c = counts.entry(*gpt).or_default();
        if let Outcome::Imported {
            score_ids, errors, ..
        } = &t
        {
            c.0 += score_ids.len();
            c.1 += errors.len();
        } else {
            c.2 += 1;
        }
        for d in compare(gpt.game(), &t, &k, &mut reworded, &mut known) {
            divergences.push(format!("{gpt}: {d}"));
        }
    }
    for (gpt, (ok, rejected, fatal)) in &counts {
        eprintln!("{gpt}: {ok} imported, {rejected} rejected, {fatal} fatal documents");
    }
    eprintln!(
        "song-then-chart not-found messages in kaiden's own words (same type and outcome): {reworded}"
    );
    for (rule, n) in &known {
        eprintln!("known divergence, left for later: {rule}: {n}");
    }
    // Every GPT had scores accepted and scores rejected, or the generator is
    // not trying what it should.
    for (gpt, (ok, rejected, _)) in &counts {
        assert!(
            *ok > 0 && *rejected > 0,
            "{gpt}: {ok} imported, {rejected} rejected"
        );
    }
    assert_eq!(counts.len(), Gpt::ALL.len());
    if let Some(path) = std::env::var_os("KAIDEN_DIFFERENTIAL_REPORT") {
        std::fs::write(path, divergences.join("\n")).unwrap();
    }
    if !divergences.is_empty() {
        let shown: Vec<&String> = divergences.iter().take(60).collect();
        panic!(
            "{} divergences from Tachi's own code (first {}):\n{}",
            divergences.len(),
            shown.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
