//! # kaiden-eamusement-sdvx
//!
//! `file/eamusement-sdvx-csv`: the official e-amusement SOUND VOLTEX score export
//! (11 columns, or 10 in exports without the EX score column; one row per chart; no
//! timestamps), read with Konami's CSV dialect
//! ([`kaiden_konami_csv`]) as Tachi reads it. Rows stream one at a time.
//!
//! Conversion follows Tachi: title → song (exact, case-insensitive, alt titles);
//! difficulty names to Tachi's (`EXHAUST` → `EXH`, ...); the chart must have the
//! level the CSV states; clear marks to lamps; an EX score of 0 means "not
//! recorded" and is stored as `null`.
#![deny(missing_docs)]

use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, fused_records,
};
use kaiden_core::query::{ChartKey, ChartQuery, NotFound};
use kaiden_core::score::{DryScore, MetricValue, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use kaiden_konami_csv::{KonamiCsv, KonamiLines, check_header, row_cells};
use serde::{Deserialize, Serialize};

/// The number of columns of the export (EXCEED GEAR, with the EX score column).
pub const COLUMNS: usize = 11;

/// The number of columns of exports without the EX score column.
pub const COLUMNS_WITHOUT_EX: usize = 10;

/// The header of the EX score column.
const EX_HEADER: &str = "EXスコア";

/// The format.
#[derive(Debug, Clone, Default)]
pub struct EamusementSdvx;

/// The SDVX CSV's own fatal errors (the dialect's are
/// [`KonamiCsvError`](kaiden_konami_csv::KonamiCsvError)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SdvxCsvError {
    /// The header has neither column count.
    #[error(
        "Invalid CSV provided. CSV does not have the correct number of headers. (found {0}, expected {COLUMNS}, or {COLUMNS_WITHOUT_EX} without {EX_HEADER})"
    )]
    Headers(usize),
    /// The bytes are not UTF-8.
    #[error("The file is not UTF-8 text.")]
    NotUtf8,
}

impl kaiden_core::error::FormatError for SdvxCsvError {}

/// One row, as the CSV gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SdvxRow {
    /// 楽曲名.
    pub title: String,
    /// 難易度 (`EXHAUST`, ...).
    pub difficulty: String,
    /// 楽曲レベル.
    pub level: String,
    /// クリアランク (`COMPLETE`, ...).
    pub lamp: String,
    /// ハイスコア.
    pub score: String,
    /// EXスコア.
    pub exscore: String,
    /// 1-based line (not part of the stored record).
    #[serde(skip)]
    pub line: u64,
}

/// What every row shares (nothing: the export has no options).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SdvxContext {}

/// Tachi's difficulty names for the export's.
#[must_use]
pub fn difficulty(name: &str) -> Option<&'static str> {
    Some(match name {
        "NOVICE" => "NOV",
        "ADVANCED" => "ADV",
        "EXHAUST" => "EXH",
        "MAXIMUM" => "MXM",
        "INFINITE" => "INF",
        "GRAVITY" => "GRV",
        "HEAVENLY" => "HVN",
        "VIVID" => "VVD",
        "EXCEED" => "XCD",
        _ => return None,
    })
}

/// Tachi's lamp for the export's clear mark.
#[must_use]
pub fn lamp(mark: &str) -> Option<&'static str> {
    Some(match mark {
        "PLAYED" => "FAILED",
        "COMPLETE" => "CLEAR",
        "EXCESSIVE COMPLETE" => "EXCESSIVE CLEAR",
        "MAXXIVE COMPLETE" => "MAXXIVE CLEAR",
        "ULTIMATE CHAIN" => "ULTIMATE CHAIN",
        "PERFECT" => "PERFECT ULTIMATE CHAIN",
        _ => return None,
    })
}

/// Tachi's `AssertStrAsPositiveInt`: digits only (no sign, no fraction).
fn positive_int(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<u64>().ok().map(|n| n as f64)
}

fn invalid(m: String) -> ConverterFailure {
    ConverterFailure::InvalidScore(m)
}

/// The EX score's column, if the header has one; an error for a header with
/// neither layout's cell count.
fn ex_column(headers: &[&str]) -> Result<Option<usize>, ImportError> {
    let clean = |h: &str| h.trim_start_matches('\u{feff}').trim().to_owned();
    let has_ex = headers.iter().any(|h| clean(h) == EX_HEADER);
    match (headers.len(), has_ex) {
        (COLUMNS, _) => Ok(Some(6)),
        (COLUMNS_WITHOUT_EX, false) => Ok(None),
        (n, _) => Err(ImportError::from(SdvxCsvError::Headers(n)).at(Position::line(1))),
    }
}

impl SdvxRow {
    /// The record of a row's cells (as many as the header has).
    fn of(cells: &[&str], line: u64, ex_column: Option<usize>) -> SdvxRow {
        SdvxRow {
            title: cells[0].to_owned(),
            difficulty: cells[1].to_owned(),
            level: cells[2].to_owned(),
            lamp: cells[3].to_owned(),
            score: cells[5].to_owned(),
            // Without the column the EX score is unknown: 0, stored as null.
            exscore: ex_column.map_or_else(|| "0".to_owned(), |i| cells[i].to_owned()),
            line,
        }
    }
}

impl EamusementSdvx {
    /// Parses a file of any size from a reader, one line in memory at a
    /// time, with the same rules and errors as [`ImportFormat::parse`] on the
    /// whole file (except that a line that is not UTF-8 ends the records
    /// where it is, instead of failing before the first).
    pub fn parse_reader<R>(
        &self,
        reader: R,
    ) -> Result<ParsedImport<'static, SdvxRow, SdvxContext>, ImportError>
    where
        R: std::io::BufRead + Send + 'static,
    {
        let mut lines = KonamiLines::new(reader);
        let header = lines
            .next_line()?
            .map(|(_, h)| h.to_owned())
            .unwrap_or_default();
        check_header(&header)?;
        let headers: Vec<&str> = header.split(',').collect();
        let ex_column = ex_column(&headers)?;
        let columns = headers.len();
        let records = fused_records(move || {
            loop {
                let Some((i, line)) = lines.next_line()? else {
                    return Ok(None);
                };
                match row_cells(line, columns, i) {
                    None => {}
                    Some(Err(e)) => return Err(e),
                    Some(Ok(cells)) => return Ok(Some(SdvxRow::of(&cells, i + 1, ex_column))),
                }
            }
        });
        Ok(ParsedImport {
            game: Game::Sdvx,
            context: SdvxContext {},
            records: Box::new(records),
            classes: ClassSlot::default(),
        })
    }
}

impl ImportFormat for EamusementSdvx {
    type Record = SdvxRow;
    type Context = SdvxContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::FILE_EAMUSEMENT_SDVX_CSV]
    }

    fn reads_streams(&self, _import_type: ImportType) -> bool {
        true
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, SdvxRow, SdvxContext>, ImportError> {
        if let Some(stream) = &input.stream {
            let reader = stream
                .open()
                .map_err(kaiden_core::error::unreadable_input)?;
            return self.parse_reader(reader);
        }
        let text = std::str::from_utf8(input.bytes).map_err(|e| {
            ImportError::from(SdvxCsvError::NotUtf8)
                .at(Position::default().with_byte(e.valid_up_to() as u64))
        })?;
        let csv = KonamiCsv::new(text)?;
        let ex_column = ex_column(&csv.headers)?;
        let records = csv.map(move |row| row.map(|r| SdvxRow::of(&r.cells, r.line, ex_column)));
        Ok(ParsedImport {
            game: Game::Sdvx,
            context: SdvxContext {},
            records: Box::new(records),
            classes: ClassSlot::default(),
        })
    }

    fn position(&self, record: &SdvxRow) -> Option<Position> {
        (record.line > 0).then(|| Position::line(record.line))
    }

    fn convert(
        &self,
        import_type: ImportType,
        r: &SdvxRow,
        _context: &SdvxContext,
    ) -> Result<PendingScore, ConverterFailure> {
        let diff = difficulty(&r.difficulty).ok_or_else(|| {
            invalid(format!(
                "{} - Invalid difficulty of {}.",
                r.title, r.difficulty
            ))
        })?;
        let head = format!("{} [{diff}]", r.title);
        let score = positive_int(&r.score)
            .ok_or_else(|| invalid(format!("{head} - Invalid score of {}.", r.score)))?;
        if score > 10_000_000.0 {
            return Err(invalid(format!(
                "{head} - Invalid score of {} (was greater than 10,000,000).",
                r.score
            )));
        }
        // Tachi's message prints the score here, not the EX score.
        let ex = positive_int(&r.exscore)
            .ok_or_else(|| invalid(format!("{head} - Invalid EX score of {}.", r.score)))?;
        let lamp = lamp(&r.lamp)
            .ok_or_else(|| invalid(format!("{head} - Invalid lamp of {}.", r.lamp)))?;
        let mut score_data = ScoreData::default();
        score_data.set("score", score);
        score_data.set("lamp", lamp);
        score_data.optional.insert(
            "exScore".into(),
            if ex == 0.0 {
                MetricValue::Null
            } else {
                MetricValue::Number(ex)
            },
        );
        Ok(PendingScore {
            dry: DryScore {
                service: "e-amusement".to_owned(),
                game: Game::Sdvx,
                import_type,
                time_achieved: None,
                comment: None,
                score_data,
                score_meta: serde_json::Map::new(),
            },
            query: ChartQuery {
                gpt: Gpt::SdvxSingle,
                key: ChartKey::SongTitle {
                    title: r.title.clone(),
                    artist: None,
                    exact_first: true,
                    level: Some(r.level.clone()),
                },
                difficulty: Some(diff.to_owned()),
                version: None,
            },
            expected_level: Some(r.level.clone()),
            // Tachi's converter's words.
            not_found: Some(NotFound::song_then_chart_of(
                format!("Could not find song for {}.", r.title),
                "Could not find chart for ",
                format!(" [{diff}]."),
            )),
            highlight: false,
        })
    }
}

#[cfg(test)]
mod tests;
