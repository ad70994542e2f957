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

const SONGS: u64 = 12;

/// Songs 11 and 12 share a title but for its case (and have other artists):
/// a title asked in a third case is ambiguous without the artist.
const TWINS: [u64; 2] = [11, 12];

fn song_title(game: Game, id: u64) -> String {
    match id {
        11 => format!("Twin of {game}"),
        12 => format!("TWIN of {game}"),
        _ => format!("Song {id} of {game}"),
    }
}

fn catalogue(game: Game, r: &mut Rng) -> Catalogue {
    let mut songs = Vec::new();
    for id in 1..=SONGS {
        songs.push(json!({"id": id, "title": song_title(game, id),
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
            // The twins have every chart in every version, so no chart tells
            // them apart (kaiden would pick the one that has it).
            let twin = TWINS.contains(&song);
            for diff in difficulties(gpt) {
                if !twin && r.chance(20) {
                    continue;
                }
                let (text, num) = level(game, r);
                let vs: Vec<&str> = versions
                    .iter()
                    .copied()
                    .filter(|_| twin || r.chance(60))
                    .collect();
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
        // A twin's title asked as written finds it in kaiden (the exact title
        // first, issue 26) where Tachi finds both; asked in a third case it
        // is ambiguous in both.
        "songTitle" if TWINS.contains(&song["id"].as_u64().unwrap_or(0)) => {
            s(&song["title"]).to_lowercase()
        }
        "songTitle" => match r.below(10) {
            0 => "No such song".into(),
            1 => song["title"].as_str().unwrap_or_default().to_uppercase(),
            2 => s(&song["altTitles"][0]),
            _ => s(&song["title"]),
        },
        // JavaScript's Number reads these: some find no chart (an orphan),
        // some find the chart all the same.
        "inGameID" | "sdvxInGameID" => match r.below(25) {
            0 => "x1".into(),
            1 => "1.5".into(),
            2 => format!(" {} ", s(&d["inGameID"])),
            3 => "-4".into(),
            _ => s(&d["inGameID"]),
        },
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
    // Sometimes missing where it is needed (by song, Tachi asks for it only
    // once the song is found).
    let with_difficulty = if mt.needs_difficulty() {
        !r.chance(4)
    } else {
        r.chance(10)
    };
    if with_difficulty {
        let diff = match r.below(25) {
            0 => "NOT A DIFFICULTY".to_owned(),
            1 if gpt.game() == Game::Sdvx => "ANY_INF".to_owned(),
            2 => (*r.pick(&difficulties(gpt))).to_owned(),
            _ => chart["difficulty"].as_str().unwrap_or_default().to_owned(),
        };
        o.insert("difficulty".into(), json!(diff));
    }
    match r.below(20) {
        0 | 1 => {
            o.insert("artist".into(), song["artist"].clone());
        }
        // An empty artist is no artist; another artist finds no song.
        2 => {
            o.insert("artist".into(), json!(""));
        }
        3 => {
            o.insert("artist".into(), json!("Artist 7"));
        }
        _ => {}
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
        /// By start time (then first scoreID).
        sessions: Vec<Value>,
        /// By chartID.
        pbs: BTreeMap<String, Value>,
    },
}

/// Sessions in a comparable order.
fn by_start(mut sessions: Vec<Value>) -> Vec<Value> {
    sessions.sort_by_key(|s| (s["timeStarted"].as_i64(), s["scoreIDs"][0].to_string()));
    sessions
}

/// PB documents by chartID.
fn by_chart(pbs: Vec<Value>) -> BTreeMap<String, Value> {
    pbs.into_iter()
        .map(|p| (p["chartID"].as_str().unwrap_or_default().to_owned(), p))
        .collect()
}

/// kaiden's import of `doc` on a fresh memory host with the catalogue; first
/// its dry run (`kaiden check`), whose disagreements with the import are
/// added to `disagreements`.
fn kaiden_import(
    dir: &Path,
    game: Game,
    cat: &Catalogue,
    doc: &Value,
    disagreements: &mut Vec<String>,
) -> Outcome {
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
    let checked = rt.block_on(kaiden::pipeline::check(
        &host,
        &kaiden::registry(),
        ImportType::FILE_BATCH_MANUAL,
        &request.input,
        1,
    ));
    let imported = rt.block_on(kaiden::pipeline::import(
        &host,
        &kaiden::registry(),
        request,
        &NoProgress,
    ));
    disagreements.extend(check_against_import(&checked, &imported));
    match imported {
        Err(e) => Outcome::Fatal(e.to_string()),
        Ok(d) => {
            let scores = host
                .documents("scores", 1)
                .unwrap()
                .into_iter()
                .map(|s| (s["scoreID"].as_str().unwrap_or_default().to_owned(), s))
                .collect();
            Outcome::Imported {
                sessions: by_start(host.documents("sessions", 1).unwrap()),
                pbs: by_chart(host.documents("pbs", 1).unwrap()),
                score_ids: d.score_ids.to_vec(),
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

/// Where `kaiden check` and the import disagree: fatal or not, and record by
/// record, which are imported, orphaned or rejected and why (the import's
/// internal errors show a generic sentence, so only their kind is compared).
fn check_against_import(
    checked: &Result<kaiden::pipeline::CheckReport, kaiden::core::ImportError>,
    imported: &Result<kaiden::core::ImportDocument, kaiden::core::ImportError>,
) -> Vec<String> {
    let (report, doc) = match (checked, imported) {
        (Ok(r), Ok(d)) => (r, d),
        (Err(_), Err(_)) => return Vec::new(),
        (Ok(_), Err(e)) => return vec![format!("check: the import failed ({e}), check did not")],
        (Err(e), Ok(_)) => return vec![format!("check: check failed ({e}), the import did not")],
    };
    let mut out = Vec::new();
    if report.import != doc.score_ids.len() as u64 {
        out.push(format!(
            "check: {} to import, the import stored {}",
            report.import,
            doc.score_ids.len()
        ));
    }
    let said: Vec<(&str, &str)> = report
        .records
        .iter()
        .filter(|r| r.outcome == "orphan" || r.outcome == "reject")
        .map(|r| (r.outcome, r.reason.as_deref().unwrap_or_default()))
        .collect();
    let done: Vec<(&str, &str)> = doc
        .errors
        .iter()
        .map(|e| {
            let orphan = matches!(
                e.error_type,
                kaiden::core::ImportErrorType::SongOrChartNotFound
                    | kaiden::core::ImportErrorType::OrphanExists
            );
            (if orphan { "orphan" } else { "reject" }, e.message.as_str())
        })
        .collect();
    if said.len() != done.len() {
        out.push(format!(
            "check: {} orphans and rejections, the import {}",
            said.len(),
            done.len()
        ));
    }
    for (i, (c, d)) in said.iter().zip(&done).enumerate() {
        let generic = d.1 == kaiden::core::failure::UNEXPECTED_ERROR_MESSAGE
            || d.1 == kaiden::core::failure::INTERNAL_ERROR_MESSAGE;
        if c.0 != d.0 || (!generic && c.1 != d.1) {
            out.push(format!("check: failure {i}: check {c:?}, the import {d:?}"));
        }
    }
    out
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
    let list = |k: &str| v[k].as_array().cloned().unwrap_or_default();
    Outcome::Imported {
        score_ids,
        errors,
        scores,
        sessions: by_start(list("sessions")),
        pbs: by_chart(list("pbs")),
    }
}

/// Fields of a stored document that are the store's own, not computed from
/// the input (a session's random name and ID, a PB's ranking, which Tachi adds
/// in a later step over every user's PBs): not compared.
const NOT_COMPARED: &[&str] = &[
    "timeAdded",
    "_id",
    "importID",
    "sessionID",
    "name",
    "timeInserted",
    "rankingData",
];

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

fn compare(tachi: &Outcome, kaiden: &Outcome) -> Vec<String> {
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
                sessions: tsess,
                pbs: tpbs,
            },
            Outcome::Imported {
                score_ids: ki,
                errors: ke,
                scores: ks,
                sessions: ksess,
                pbs: kpbs,
            },
        ) => {
            if tsess.len() == ksess.len() {
                for (i, (t, k)) in tsess.iter().zip(ksess).enumerate() {
                    let mut d = Vec::new();
                    diff_values("", t, k, &mut d);
                    out.extend(d.into_iter().map(|x| format!("session {i}: {x}")));
                }
            } else {
                out.push(format!(
                    "sessions: Tachi {} {tsess:?}\n  kaiden {} {ksess:?}",
                    tsess.len(),
                    ksess.len()
                ));
            }
            for (chart, t) in tpbs {
                match kpbs.get(chart) {
                    Some(k) => {
                        let mut d = Vec::new();
                        diff_values("", t, k, &mut d);
                        out.extend(d.into_iter().map(|x| format!("PB on {chart}: {x}")));
                    }
                    None => out.push(format!("PB on {chart}: made by Tachi, not by kaiden")),
                }
            }
            for chart in kpbs.keys() {
                if !tpbs.contains_key(chart) {
                    out.push(format!("PB on {chart}: made by kaiden, not by Tachi"));
                }
            }
            if ti != ki {
                out.push(format!("scoreIDs: Tachi {ti:?}\n  kaiden {ki:?}"));
            }
            let n = te.len().max(ke.len());
            for i in 0..n {
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
    let mut counts: BTreeMap<Gpt, (usize, usize, usize)> = BTreeMap::new();
    // How many sessions and PBs Tachi made (each compared with kaiden's).
    let mut compared = (0usize, 0usize);
    // How often Tachi reported each failure.
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for ((gpt, doc), t) in jobs.iter().zip(&tachi) {
        let cat = &catalogues[&gpt.game()];
        let mut disagreements = Vec::new();
        let k = kaiden_import(tmp.path(), gpt.game(), cat, doc, &mut disagreements);
        divergences.extend(disagreements.into_iter().map(|d| format!("{gpt}: {d}")));
        let t = tachi_outcome(t);
        if let Outcome::Imported { sessions, pbs, .. } = &t {
            compared.0 += sessions.len();
            compared.1 += pbs.len();
        }
        let c = counts.entry(*gpt).or_default();
        if let Outcome::Imported {
            score_ids, errors, ..
        } = &t
        {
            c.0 += score_ids.len();
            c.1 += errors.len();
            for (kind, message) in errors {
                *kinds.entry(format!("{kind}: {message}")).or_default() += 1;
            }
        } else {
            c.2 += 1;
        }
        for d in compare(&t, &k) {
            divergences.push(format!("{gpt}: {d}"));
        }
    }
    for (gpt, (ok, rejected, fatal)) in &counts {
        eprintln!("{gpt}: {ok} imported, {rejected} rejected, {fatal} fatal documents");
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
    eprintln!("compared {} sessions and {} PBs", compared.0, compared.1);
    assert!(
        compared.0 > 0 && compared.1 > 0,
        "no sessions or PBs compared"
    );
    // And the lookups' failures were all tried: an unknown song, a song
    // without the chart, a shared title, a difficulty missing or unknown.
    for kind in [
        "SongOrChartNotFound: Cannot find song",
        "SongOrChartNotFound: Cannot find chart",
        "SongOrChartNotFound: Found song with",
        "AmbiguousTitle: Multiple songs exist",
        "InvalidDatapoint: Missing 'difficulty' field,",
        "InvalidDatapoint: Invalid Difficulty for",
        "SongOrChartNotFound: Cannot find chart for inGameID x1",
    ] {
        assert!(
            kinds.keys().any(|k| k.starts_with(kind)),
            "the generator never made Tachi say {kind:?}"
        );
    }
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
