//! # kaiden-mypagescraper
//!
//! The CSVs of XezolesS/WaccaMyPageScraper, RFC 4180 files read with the `csv`
//! crate:
//! - `file/mypagescraper-records-csv` (`records.csv`): a player's best score per
//!   chart, four difficulties per song row; streamed row by row.
//! - `file/mypagescraper-player-csv` (`player.csv`): no scores, but the player's
//!   stage-up, which becomes a provided `stageUp` class (and a `classDeltas` entry).
//!
//! Messages and rules follow Tachi's parser and converter.
#![deny(missing_docs)]

use std::collections::VecDeque;

use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, ProvidedClass, RecordResult,
};
use kaiden_core::query::{ChartKey, ChartQuery, NotFound};
use kaiden_core::score::{DryScore, ScoreData};
use kaiden_core::stable_json::js_number;
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use kaiden_games::config::GptConfig;
use serde::{Deserialize, Serialize};

/// The format (both import types).
#[derive(Debug, Clone, Default)]
pub struct MyPageScraper;

/// One chart's best score from `records.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaccaRecord {
    /// `music_id` (unused for matching, as in Tachi).
    pub song_id: f64,
    /// `music_title`.
    pub song_title: String,
    /// 0 NORMAL, 1 HARD, 2 EXPERT, 3 INFERNO.
    pub diff_index: usize,
    /// The level as written (`13+`).
    pub level: String,
    /// The score cell as written.
    pub score: String,
    /// The clear code as written (0..4).
    pub lamp: String,
    /// 1-based line (not stored).
    #[serde(skip)]
    pub line: u64,
}

/// Nothing is shared between records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaccaContext {}

/// WACCA's config: the scraper's codes index its difficulties, lamps and
/// stage-up classes.
fn wacca() -> &'static GptConfig {
    GptConfig::of(Gpt::WaccaSingle)
}

fn difficulties() -> &'static [&'static str] {
    wacca().difficulties.names().unwrap_or(&[])
}

/// The stage-up class values, lowest first.
fn stage_ups() -> &'static [kaiden_games::config::ClassValue] {
    wacca().class("stageUp").map_or(&[], |c| c.values)
}

/// The items of a `[a,b,c]` / `[a,b,c,d]` cell, as Tachi's regex
/// `\[(.+?),(.+?),(.+?)(?:,(.+?))?\]` reads them; no match gives no items.
#[must_use]
pub fn array_cell(cell: &str) -> Vec<&str> {
    let Some(open) = cell.find('[') else {
        return Vec::new();
    };
    let inner = &cell[open + 1..];
    let Some(close) = inner.find(']') else {
        return Vec::new();
    };
    let inner = &inner[..close];
    let mut parts = inner.splitn(4, ',');
    let (Some(a), Some(b), Some(c)) = (parts.next(), parts.next(), parts.next()) else {
        return Vec::new();
    };
    if a.is_empty() || b.is_empty() || c.is_empty() {
        return Vec::new();
    }
    match parts.next() {
        Some(d) if !d.is_empty() => vec![a, b, c, d],
        Some(_) => Vec::new(),
        None => vec![a, b, c],
    }
}

/// The scraper CSVs' fatal errors; each displays as Tachi's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WaccaCsvError {
    /// A row's length differs from the header's.
    #[error(
        "Failed to parse CSV: Invalid Record Length: columns length is {expected}, got {found} on line {line}"
    )]
    RecordLength {
        /// The header's length.
        expected: u64,
        /// The row's.
        found: u64,
        /// The row's line.
        line: u64,
    },
    /// Anything else the CSV reader refuses.
    #[error("Failed to parse CSV: {0}")]
    Csv(String),
    /// A column the format needs is missing.
    #[error("Malformed CSV, invalid column(s) ({0}: undefined): Expected string.")]
    MissingColumn(String),
    /// The player CSV has no `player_stage` column.
    #[error("Malformed CSV: no player_stage column.")]
    NoPlayerStage,
    /// The player CSV has other than one player.
    #[error("Found {0} records instead of exactly 1 in the player CSV.")]
    PlayerCount(usize),
    /// The `player_stage` cell is not `[id,name,grade]`.
    #[error("Malformed player_stage entry.")]
    MalformedStage,
    /// The stage id is not a stage-up class.
    #[error("Unknown stage up id {0}.")]
    UnknownStage(String),
}

impl kaiden_core::error::FormatError for WaccaCsvError {}

fn csv_error(e: &csv::Error) -> ImportError {
    let line = e.position().map(csv::Position::line);
    let err = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => WaccaCsvError::RecordLength {
            expected: *expected_len,
            found: *len,
            line: line.unwrap_or(0),
        },
        _ => WaccaCsvError::Csv(e.to_string()),
    };
    let pos = line.map_or_else(Position::default, Position::line);
    ImportError::from(err).at(pos)
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes)
}

fn column(headers: &csv::StringRecord, name: &str) -> Result<usize, ImportError> {
    headers.iter().position(|h| h == name).ok_or_else(|| {
        ImportError::from(WaccaCsvError::MissingColumn(name.to_owned()))
            .at(Position::line(1).with_field(name))
    })
}

/// Streams the charts of `records.csv`.
struct Records<'a> {
    rows: csv::StringRecordsIntoIter<&'a [u8]>,
    cols: [usize; 5],
    pending: VecDeque<WaccaRecord>,
    done: bool,
}

impl Iterator for Records<'_> {
    type Item = RecordResult<WaccaRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return Some(Ok(r));
            }
            if self.done {
                return None;
            }
            let row = match self.rows.next() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(csv_error(&e)));
                }
                Some(Ok(row)) => row,
            };
            let line = row.position().map_or(0, csv::Position::line);
            let [id, title, levels, scores, achieves] = self.cols;
            let cell = |i: usize| row.get(i).unwrap_or_default();
            let levels = array_cell(cell(levels));
            let scores = array_cell(cell(scores));
            let achieves = array_cell(cell(achieves));
            for (i, level) in levels.iter().enumerate() {
                if *level == "0" {
                    continue;
                }
                let score = scores.get(i).copied().unwrap_or("undefined");
                if js_number(score) == 0.0 {
                    continue;
                }
                self.pending.push_back(WaccaRecord {
                    song_id: js_number(cell(id)),
                    song_title: cell(title).to_owned(),
                    diff_index: i,
                    level: (*level).to_owned(),
                    score: score.to_owned(),
                    lamp: achieves.get(i).copied().unwrap_or("undefined").to_owned(),
                    line,
                });
            }
        }
    }
}

fn parse_records(bytes: &[u8]) -> Result<ParsedImport<'_, WaccaRecord, WaccaContext>, ImportError> {
    let mut rdr = reader(bytes);
    let headers = rdr.headers().map_err(|e| csv_error(&e))?.clone();
    let cols = [
        column(&headers, "music_id")?,
        column(&headers, "music_title")?,
        column(&headers, "music_levels")?,
        column(&headers, "music_scores")?,
        column(&headers, "music_achieves")?,
    ];
    Ok(ParsedImport {
        game: Game::Wacca,
        context: WaccaContext {},
        records: Box::new(Records {
            rows: rdr.into_records(),
            cols,
            pending: VecDeque::new(),
            done: false,
        }),
        classes: ClassSlot::default(),
    })
}

/// The stage-up of a `player_stage` cell `[id,name,grade]`.
fn stage_up(cell: &str) -> Result<&'static str, ImportError> {
    let malformed = || {
        ImportError::from(WaccaCsvError::MalformedStage)
            .at(Position::line(2).with_field("player_stage"))
    };
    let open = cell.find('[').ok_or_else(malformed)?;
    let inner = &cell[open + 1..];
    let close = inner.rfind(']').ok_or_else(malformed)?;
    let inner = &inner[..close];
    let (id, rest) = inner.split_once(',').ok_or_else(malformed)?;
    let (name, grade) = rest.rsplit_once(',').ok_or_else(malformed)?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(id) || !digits(grade) || name.is_empty() {
        return Err(malformed());
    }
    let n: usize = id.parse().map_err(|_| malformed())?;
    n.checked_sub(1)
        .and_then(|i| stage_ups().get(i))
        .map(|v| v.id)
        .ok_or_else(|| {
            ImportError::from(WaccaCsvError::UnknownStage(id.to_owned()))
                .at(Position::line(2).with_field("player_stage"))
        })
}

fn parse_player(bytes: &[u8]) -> Result<ParsedImport<'_, WaccaRecord, WaccaContext>, ImportError> {
    let mut rdr = reader(bytes);
    let headers = rdr.headers().map_err(|e| csv_error(&e))?.clone();
    let rows: Vec<csv::StringRecord> = rdr
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| csv_error(&e))?;
    if rows.len() != 1 {
        return Err(WaccaCsvError::PlayerCount(rows.len()).into());
    }
    let col = headers
        .iter()
        .position(|h| h == "player_stage")
        .ok_or_else(|| ImportError::from(WaccaCsvError::NoPlayerStage).at(Position::line(1)))?;
    let stage = stage_up(rows[0].get(col).unwrap_or_default())?;
    Ok(ParsedImport {
        game: Game::Wacca,
        context: WaccaContext {},
        records: Box::new(std::iter::empty()),
        classes: ClassSlot::new(vec![ProvidedClass {
            gpt: Gpt::WaccaSingle,
            set: "stageUp".to_owned(),
            class_id: stage.to_owned(),
        }]),
    })
}

fn invalid(m: String) -> ConverterFailure {
    ConverterFailure::InvalidScore(m)
}

impl ImportFormat for MyPageScraper {
    type Record = WaccaRecord;
    type Context = WaccaContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[
            ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV,
            ImportType::FILE_MYPAGESCRAPER_PLAYER_CSV,
        ]
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, WaccaRecord, WaccaContext>, ImportError> {
        match import_type {
            ImportType::FILE_MYPAGESCRAPER_PLAYER_CSV => parse_player(input.bytes),
            _ => parse_records(input.bytes),
        }
    }

    fn position(&self, record: &WaccaRecord) -> Option<Position> {
        (record.line > 0).then(|| {
            Position::line(record.line).with_field(
                difficulties()
                    .get(record.diff_index)
                    .copied()
                    .unwrap_or("?"),
            )
        })
    }

    fn convert(
        &self,
        import_type: ImportType,
        r: &WaccaRecord,
        _context: &WaccaContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let diff = difficulties().get(r.diff_index).ok_or_else(|| {
            invalid(format!(
                "Invalid difficulty index of {}. This corresponds to some unknown difficulty. Invalid input?",
                r.diff_index
            ))
        })?;
        let head = format!("{} [{diff}]", r.song_title);
        let code = js_number(&r.lamp);
        let lamp = (code.fract() == 0.0 && code >= 0.0)
            .then(|| wacca().enum_values("lamp").get(code as usize))
            .flatten()
            .ok_or_else(|| invalid(format!("{head} - Invalid lamp of {}.", r.lamp)))?;
        let score = js_number(&r.score);
        if score.is_nan() {
            return Err(invalid(format!("{head} - Invalid score of {}.", r.score)));
        }
        let mut score_data = ScoreData::default();
        score_data.set("score", score);
        score_data.set("lamp", *lamp);
        Ok(PendingScore {
            dry: DryScore {
                service: "mypage-scraper".to_owned(),
                game: Game::Wacca,
                import_type,
                time_achieved: None,
                comment: None,
                score_data,
                score_meta: serde_json::Map::new(),
            },
            query: ChartQuery {
                gpt: Gpt::WaccaSingle,
                key: ChartKey::SongTitle {
                    title: r.song_title.clone(),
                    artist: None,
                    // Tachi's WACCA converter uses the exact match.
                    exact_first: true,
                    level: None,
                },
                difficulty: Some((*diff).to_owned()),
                version: None,
            },
            expected_level: Some(r.level.clone()),
            // Tachi's converter's words.
            not_found: Some(NotFound::song_then_chart_of(
                format!("Could not find song for {}.", r.song_title),
                "Could not find chart for ",
                format!(" [{diff}]."),
            )),
            highlight: false,
        })
    }
}

#[cfg(test)]
mod tests;
