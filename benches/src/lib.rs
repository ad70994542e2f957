//! Deterministic inputs for kaiden's benchmarks (see `benches/`).
#![deny(missing_docs)]

use kaiden_core::score::ScoreData;

/// IIDX lamps, for generating varied scores.
const LAMPS: [&str; 5] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR", "FULL COMBO"];

/// `n` IIDX SP dry scoreData values with varied EX scores and lamps, and chart ids
/// of the Tachi shape (40 hex), generated from a fixed seed.
#[must_use]
pub fn iidx_scores(n: usize) -> Vec<(String, ScoreData)> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut data = ScoreData::default();
            #[allow(clippy::cast_precision_loss)]
            data.set("score", (x % 4000) as f64);
            data.set("lamp", LAMPS[usize::try_from(x % 5).unwrap_or(0)]);
            (format!("{x:016x}{:024x}", x.rotate_left(17)), data)
        })
        .collect()
}

/// A deterministic xorshift stream.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream from a fixed seed.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

const DIFFICULTIES: [&str; 4] = ["NORMAL", "HYPER", "ANOTHER", "LEGGENDARIA"];

/// Note count of the generated chart `(song, difficulty index)`.
#[must_use]
pub fn notecount(song: u64, diff: usize) -> u64 {
    300 + (song * 37 + diff as u64 * 211) % 1700
}

/// A chartID as Tachi's seeds have them: 40 hex digits that look random (a
/// SHA-1 there; a fixed mix of the song, difficulty and playtype here), so
/// index keys differ from their first bytes as in a real catalogue.
fn chart_id(song: u64, difficulty: u64, dp: bool) -> String {
    let mut x = song.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (difficulty << 1 | u64::from(dp));
    let mut out = String::with_capacity(40);
    for _ in 0..3 {
        // splitmix64
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{:016x}", z ^ (z >> 31)));
    }
    out.truncate(40);
    out
}

/// Writes an IIDX seeds folder of `songs` songs with SP and DP charts on four
/// difficulties each (`8 × songs` charts), in Tachi's seed shape.
///
/// # Errors
/// If the files cannot be written.
pub fn write_iidx_seeds(dir: &std::path::Path, songs: u64) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut s = String::from("[");
    let mut c = String::from("[");
    for id in 1..=songs {
        if id > 1 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"id":{id},"title":"Generated Song {id}","artist":"bench","altTitles":[],"searchTerms":[],"data":{{"genre":"BENCH","displayVersion":"31"}}}}"#
        );
        for (d, diff) in DIFFICULTIES.iter().enumerate() {
            for pt in ["SP", "DP"] {
                if c.len() > 1 {
                    c.push(',');
                }
                let level = 1 + (id + d as u64) % 12;
                let _ = write!(
                    c,
                    r#"{{"chartID":"{}","songID":{id},"level":"{level}","levelNum":{level},"isPrimary":true,"difficulty":"{diff}","playtype":"{pt}","versions":["31"],"data":{{"notecount":{},"inGameID":{},"kaidenAverage":null,"worldRecord":null,"bpiCoefficient":null}}}}"#,
                    chart_id(id, d as u64, pt == "DP"),
                    notecount(id, d),
                    20_000 + id
                );
            }
        }
    }
    s.push(']');
    c.push(']');
    std::fs::write(dir.join("songs-iidx.json"), s)?;
    std::fs::write(dir.join("charts-iidx.json"), c)
}

/// A BATCH-MANUAL iidx:SP document of `n` scores on the songs of
/// [`write_iidx_seeds`], tab-indented like the files community tools write:
/// matched by in-game id, with judgements, BP and a timestamp (a play every 90 s).
#[must_use]
pub fn batch_manual_iidx(n: usize, songs: u64, seed: u64) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(n * 330 + 200);
    out.push_str("{\n\t\"meta\": {\n\t\t\"game\": \"iidx\",\n\t\t\"playtype\": \"SP\",\n\t\t\"service\": \"kaiden bench\"\n\t},\n\t\"scores\": [");
    let start: u64 = 1_600_000_000_000;
    for i in 0..n {
        let song = 1 + rng.below(songs);
        let d = usize::try_from(rng.below(4)).unwrap_or(0);
        let max = notecount(song, d) * 2;
        let ex = rng.below(max + 1);
        let lamp = LAMPS[usize::try_from(rng.below(5)).unwrap_or(0)];
        let pgreat = ex / 2;
        let great = ex - pgreat * 2;
        let bp = rng.below(60);
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "\n\t\t{{\n\t\t\t\"score\": {ex},\n\t\t\t\"lamp\": \"{lamp}\",\n\t\t\t\"matchType\": \"inGameID\",\n\t\t\t\"identifier\": \"{}\",\n\t\t\t\"difficulty\": \"{}\",\n\t\t\t\"timeAchieved\": {},\n\t\t\t\"judgements\": {{\n\t\t\t\t\"pgreat\": {pgreat},\n\t\t\t\t\"great\": {great}\n\t\t\t}},\n\t\t\t\"optional\": {{\n\t\t\t\t\"bp\": {bp}\n\t\t\t}}\n\t\t}}",
            20_000 + song,
            DIFFICULTIES[d],
            start + i as u64 * 90_000
        );
    }
    out.push_str("\n\t]\n}\n");
    out.into_bytes()
}

const SDVX_DIFFS: [&str; 4] = ["NOVICE", "ADVANCED", "EXHAUST", "MAXIMUM"];
const SDVX_MARKS: [&str; 5] = [
    "PLAYED",
    "COMPLETE",
    "EXCESSIVE COMPLETE",
    "ULTIMATE CHAIN",
    "PERFECT",
];

/// An e-amusement SDVX CSV of at least `bytes` bytes (BOM, padded header, LF).
#[must_use]
pub fn sdvx_csv(bytes: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut rng = Rng::new(5);
    let mut s = String::from(
        "\u{feff}          楽曲名,難易度,楽曲レベル,クリアランク,スコアグレード,ハイスコア,EXスコア,プレー回数,クリア回数,ULTIMATE CHAIN,PERFECT\n",
    );
    let mut i = 0u64;
    while s.len() < bytes {
        i += 1;
        let d = usize::try_from(rng.below(4)).unwrap_or(0);
        let m = usize::try_from(rng.below(5)).unwrap_or(0);
        let _ = writeln!(
            s,
            "楽曲 {i},{},{},{},AA+,{},{},{},{},0,0",
            SDVX_DIFFS[d],
            5 + rng.below(15),
            SDVX_MARKS[m],
            8_000_000 + rng.below(2_000_000),
            rng.below(3000),
            1 + rng.below(20),
            rng.below(10)
        );
    }
    s.into_bytes()
}

/// A WACCA MyPage scraper `records.csv` of at least `bytes` bytes.
#[must_use]
pub fn wacca_records_csv(bytes: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut rng = Rng::new(9);
    let mut s = String::from(
        "music_id,music_title,music_artist,music_genre,music_levels,music_play_counts,music_scores,music_achieves\n",
    );
    let mut i = 0u64;
    while s.len() < bytes {
        i += 1;
        let sc = |r: &mut Rng| {
            if r.below(4) == 0 {
                0
            } else {
                900_000 + r.below(100_000)
            }
        };
        let scores = [sc(&mut rng), sc(&mut rng), sc(&mut rng), sc(&mut rng)];
        let _ = writeln!(
            s,
            "{i},\"Song, number {i}\",Artist {i},0,\"[3,7+,12,13+]\",\"[1,1,1,1]\",\"[{},{},{},{}]\",\"[{},{},{},{}]\"",
            scores[0],
            scores[1],
            scores[2],
            scores[3],
            rng.below(5),
            rng.below(5),
            rng.below(5),
            rng.below(5)
        );
    }
    s.into_bytes()
}

const IIDX_HV_DIFFS: [&str; 5] = ["BEGINNER", "NORMAL", "HYPER", "ANOTHER", "LEGGENDARIA"];
const IIDX_CLEARS: [&str; 5] = [
    "FAILED",
    "EASY CLEAR",
    "CLEAR",
    "HARD CLEAR",
    "FULLCOMBO CLEAR",
];

/// An e-amusement IIDX CSV in the 41-column (HEROIC VERSE on) layout, at least
/// `bytes` long: BOM, CRLF, distinct titles, played and unplayed charts.
#[must_use]
pub fn iidx_csv(bytes: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut rng = Rng::new(3);
    let mut s = format!("\u{feff}{}\r\n", kaiden::eamusement_iidx::csv_header(true));
    let mut i = 0u64;
    while s.len() < bytes {
        i += 1;
        let _ = write!(
            s,
            "HEROIC VERSE,Generated Title {i},GENRE,ARTIST,{}",
            rng.below(50)
        );
        for _ in IIDX_HV_DIFFS {
            if rng.below(3) == 0 {
                s.push_str(",0,0,0,0,---,NO PLAY,---");
            } else {
                let pg = rng.below(1500);
                let gr = rng.below(400);
                let _ = write!(
                    s,
                    ",{},{},{pg},{gr},{},{},AA",
                    1 + rng.below(12),
                    pg * 2 + gr,
                    rng.below(80),
                    IIDX_CLEARS[usize::try_from(rng.below(5)).unwrap_or(0)]
                );
            }
        }
        let _ = write!(
            s,
            ",2020-{:02}-{:02} {:02}:{:02}\r\n",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60)
        );
    }
    s.into_bytes()
}

const S3_DIFFS: [&str; 8] = ["L7", "7", "A", "B", "L14", "14", "A14", "B14"];
const S3_CLEARS: [&str; 6] = [
    "played",
    "cleared",
    "combo",
    "comboed",
    "perfect",
    "perfected",
];

/// A Solid State Squad XML export of at least `bytes` bytes, laid out like the
/// site's (tabs, CDATA titles, score breakdowns, mods, comments on some songs).
#[must_use]
pub fn s3_xml(bytes: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut rng = Rng::new(13);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<s3data version=\"0.1\" xmlns=\"http://iidx.solidstatesquad.com/xml/ns#\">\n\t<userdata>\n\t\t<id>3</id>\n\t\t<login>\n\t\t\t<![CDATA[bench]]>\n\t\t</login>\n\t\t<djname>\n\t\t\t<![CDATA[BENCH]]>\n\t\t</djname>\n\t</userdata>\n\t<scoredata>\n",
    );
    let mut i = 0u64;
    while s.len() < bytes {
        i += 1;
        let pg = rng.below(900);
        let gr = rng.below(300);
        let _ = write!(
            s,
            "\t\t<song>\n\t\t\t<id>{i}</id>\n\t\t\t<diff>{}</diff>\n\t\t\t<songname>\n\t\t\t\t<![CDATA[Generated Song {i}]]>\n\t\t\t</songname>\n\t\t\t<artist>\n\t\t\t\t<![CDATA[ARTIST]]>\n\t\t\t</artist>\n\t\t\t<genre>\n\t\t\t\t<![CDATA[GENRE]]>\n\t\t\t</genre>\n\t\t\t<bpm>150</bpm>\n\t\t\t<styles>3rd,djt,pb</styles>\n\t\t\t<rating>10</rating>\n\t\t\t<notes>1000</notes>\n\t\t\t<exscore>{}</exscore>\n\t\t\t<grade>AA</grade>\n\t\t\t<djpoints>9</djpoints>\n\t\t\t<scorebreakdown>\n\t\t\t\t<justgreats>{pg}</justgreats>\n\t\t\t\t<greats>{gr}</greats>\n\t\t\t\t<good>1</good>\n\t\t\t\t<bad>2</bad>\n\t\t\t\t<poor>3</poor>\n\t\t\t</scorebreakdown>\n\t\t\t<mods>\n\t\t\t\t<highspeed>2</highspeed>\n\t\t\t\t<hidsud>T</hidsud>\n\t\t\t\t<hardeasy>H</hardeasy>\n\t\t\t\t<ranmir>B</ranmir>\n\t\t\t</mods>\n\t\t\t<cleartype>{}</cleartype>\n\t\t\t<date>2010-10-19 04:54:22</date>\n",
            S3_DIFFS[usize::try_from(rng.below(8)).unwrap_or(0)],
            pg * 2 + gr,
            S3_CLEARS[usize::try_from(rng.below(6)).unwrap_or(0)]
        );
        if i % 8 == 0 {
            s.push_str(
                "\t\t\t<comment>\n\t\t\t\t<![CDATA[a comment on this score]]>\n\t\t\t</comment>\n",
            );
        }
        s.push_str("\t\t</song>\n");
    }
    s.push_str("\t</scoredata>\n</s3data>\n");
    s.into_bytes()
}

/// A KAI play-history page of about `bytes` bytes: IIDX items (`api/flo-iidx`)
/// in the shape FLO serves, with the fields Tachi ignores included.
#[must_use]
pub fn kai_iidx_page(bytes: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut rng = Rng::new(21);
    let mut s = String::from("{\"_links\":{\"_next\":null},\"_items\":[");
    let mut i = 0u64;
    while s.len() < bytes {
        if i > 0 {
            s.push(',');
        }
        let pg = rng.below(900);
        let gr = rng.below(300);
        let diff = ["NORMAL", "HYPER", "ANOTHER", "LEGGENDARIA"]
            [usize::try_from(rng.below(4)).unwrap_or(0)];
        let _ = write!(
            s,
            "{{\"_id\":\"{i:024x}\",\"chart_id\":\"{:040x}\",\"music_id\":{},\"music_difficulty\":7,\"play_style\":\"{}\",\"difficulty\":\"{diff}\",\"version_played\":{},\"lamp\":{},\"ex_score\":{},\"miss_count\":{},\"fast_count\":{},\"slow_count\":{},\"grade\":\"AA\",\"iidx_id\":\"1234-5678\",\"timestamp\":\"2024-{:02}-{:02}T{:02}:{:02}:00Z\"}}",
            rng.next_u64(),
            20000 + rng.below(12000),
            if rng.below(5) == 0 {
                "DOUBLE"
            } else {
                "SINGLE"
            },
            20 + rng.below(13),
            rng.below(8),
            pg * 2 + gr,
            rng.below(60),
            rng.below(200),
            rng.below(200),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
        );
        i += 1;
    }
    s.push_str("]}");
    s.into_bytes()
}

/// The pipeline bench's workload, shared by `benches/pipeline.rs` and the
/// `import_once` example: 10^5 BATCH-MANUAL iidx:SP scores on a 16,000-chart
/// catalogue (2,000 songs), imported by user 1 into a fresh copy of a seeded
/// database.
pub mod pipeline {
    use std::path::{Path, PathBuf};

    use kaiden_core::ImportType;
    use kaiden_core::format::ImportInput;
    use kaiden_pipeline::{ImportRequest, Registry};
    use kaiden_sqlite::SqliteHost;

    /// Scores in the input.
    pub const SCORES: usize = 100_000;
    /// Songs in the catalogue (eight charts each).
    pub const SONGS: u64 = 2000;

    /// Writes the seeds into `dir/seeds` and the seeded database (with user 1)
    /// as `dir/template.db`; returns the database's path.
    ///
    /// # Errors
    /// If a file cannot be written or the seeds cannot be loaded.
    pub fn template(dir: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
        let seeds = dir.join("seeds");
        std::fs::create_dir_all(&seeds)?;
        super::write_iidx_seeds(&seeds, SONGS)?;
        let template = dir.join("template.db");
        let host = SqliteHost::open(&template)?;
        host.load_seeds(&seeds)?;
        host.ensure_user(1, "bench")?;
        Ok(template)
    }

    /// The BATCH-MANUAL file.
    #[must_use]
    pub fn input() -> Vec<u8> {
        super::batch_manual_iidx(SCORES, SONGS, 11)
    }

    /// The default registry, with BATCH-MANUAL's size limit lifted.
    #[must_use]
    pub fn registry() -> Registry {
        kaiden::registry().with(kaiden::batch_manual::BatchManual::new().with_max_bytes(usize::MAX))
    }

    /// A fresh copy of `template` at `db` (any old copy and its WAL removed),
    /// opened, with its chart catalogue built (as a running server has it).
    ///
    /// # Errors
    /// If the copy or the database fails.
    pub fn fresh_host(
        template: &Path,
        db: &Path,
    ) -> Result<SqliteHost, Box<dyn std::error::Error>> {
        remove_db(db);
        std::fs::copy(template, db)?;
        let host = SqliteHost::open(db)?;
        host.catalog(kaiden_core::Game::Iidx)?;
        Ok(host)
    }

    /// Removes a database file and its WAL and shared-memory files.
    pub fn remove_db(db: &Path) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }

    /// The import of `bytes` by user 1.
    #[must_use]
    pub fn request(bytes: &[u8]) -> ImportRequest<'_> {
        ImportRequest {
            import_type: ImportType::FILE_BATCH_MANUAL,
            user: 1,
            user_intent: false,
            input: ImportInput {
                bytes,
                ..ImportInput::default()
            },
            import_id: None,
        }
    }
}
