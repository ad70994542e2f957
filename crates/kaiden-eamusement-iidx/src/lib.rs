//! # kaiden-eamusement-iidx
//!
//! `file/eamusement-iidx-csv` and `file/pli-iidx-csv`: the official e-amusement
//! beatmania IIDX score CSV (and PLI's copy of it), one file per playstyle, read
//! with Konami's CSV dialect ([`kaiden_konami_csv`]) the way Tachi reads it.
//!
//! - Layouts: 27 columns (up to ROOTAGE: NORMAL, HYPER, ANOTHER) or 41 (HEROIC
//!   VERSE on: BEGINNER, NORMAL, HYPER, ANOTHER, LEGGENDARIA), told apart by count.
//! - The playtype comes from the request (`playtype` field), cross-checked against
//!   the file name unless `assertPlaytypeCorrect` is sent.
//! - The import version is the newest version named in column 0 over all rows
//!   (a first, cheap pass); rows then stream, one record per difficulty.
//! - Conversion: unplayed charts (EX 0, level 0) are skipped; old `…†` titles are
//!   LEGGENDARIAs; timestamps are Japan time; `---` means no BP.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, fused_records,
};
use kaiden_core::query::{ChartKey, ChartQuery, NotFound};
use kaiden_core::score::{DryScore, ScoreData};
use kaiden_core::{ConverterFailure, Game, ImportType, Playtype};
use kaiden_games::GptConfig;
use kaiden_konami_csv::{KonamiCsv, KonamiLines, check_header, row_cells};
use serde::{Deserialize, Serialize};

/// The format (both CSV import types).
#[derive(Debug, Clone, Default)]
pub struct EamusementIidx;

/// One difficulty of one row, as written.
///
/// The row's text is shared by its difficulties (one allocation per row, not
/// eight per record); each cell is a span of it. Stored (an orphan's `data`)
/// as `{title, timestamp, difficulty, level, exscore, pgreat, great, bp, lamp}`.
#[derive(Clone, PartialEq, Eq)]
pub struct IidxRecord {
    row: Arc<str>,
    /// title, timestamp, level, exscore, pgreat, great, bp, lamp.
    spans: [(u32, u32); 8],
    /// The difficulty, upper-case (`ANOTHER`).
    pub difficulty: Cow<'static, str>,
    /// 1-based line (not stored).
    pub line: u64,
}

/// The stored form of an [`IidxRecord`].
#[derive(Serialize, Deserialize)]
struct StoredRecord<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    timestamp: Cow<'a, str>,
    difficulty: String,
    #[serde(borrow)]
    level: Cow<'a, str>,
    #[serde(borrow)]
    exscore: Cow<'a, str>,
    #[serde(borrow)]
    pgreat: Cow<'a, str>,
    #[serde(borrow)]
    great: Cow<'a, str>,
    #[serde(borrow)]
    bp: Cow<'a, str>,
    #[serde(borrow)]
    lamp: Cow<'a, str>,
}

impl IidxRecord {
    /// A record from its cells: title, timestamp, difficulty, then level, EX
    /// score, PGREATs, GREATs, BP and lamp.
    #[must_use]
    pub fn new(
        title: &str,
        timestamp: &str,
        difficulty: &str,
        cells: [&str; 6],
        line: u64,
    ) -> Self {
        let mut row = String::new();
        let mut spans = [(0, 0); 8];
        for (i, part) in [title, timestamp].into_iter().chain(cells).enumerate() {
            let start = row.len();
            row.push_str(part);
            spans[i] = (offset(start), offset(row.len()));
        }
        IidxRecord {
            row: Arc::from(row),
            spans,
            difficulty: known_difficulty(difficulty),
            line,
        }
    }

    fn cell(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        self.row.get(a as usize..b as usize).unwrap_or_default()
    }

    /// The title (trimmed).
    #[must_use]
    pub fn title(&self) -> &str {
        self.cell(0)
    }
    /// The last-played time, `YYYY-MM-DD HH:MM` in Japan time (trimmed).
    #[must_use]
    pub fn timestamp(&self) -> &str {
        self.cell(1)
    }
    /// The level (`0` or empty: no such chart).
    #[must_use]
    pub fn level(&self) -> &str {
        self.cell(2)
    }
    /// EX score.
    #[must_use]
    pub fn exscore(&self) -> &str {
        self.cell(3)
    }
    /// PGREATs.
    #[must_use]
    pub fn pgreat(&self) -> &str {
        self.cell(4)
    }
    /// GREATs.
    #[must_use]
    pub fn great(&self) -> &str {
        self.cell(5)
    }
    /// Miss count, or `---`.
    #[must_use]
    pub fn bp(&self) -> &str {
        self.cell(6)
    }
    /// Clear type.
    #[must_use]
    pub fn lamp(&self) -> &str {
        self.cell(7)
    }
}

/// A span offset. Rows are far shorter than 4 GiB (uploads are 16 MiB); a
/// longer one saturates, and its cells read as empty.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A difficulty name, borrowed from the layouts when it is one of theirs.
fn known_difficulty(d: &str) -> Cow<'static, str> {
    HV.1.iter()
        .find(|k| **k == d)
        .map_or_else(|| Cow::Owned(d.to_owned()), |k| Cow::Borrowed(*k))
}

impl std::fmt::Debug for IidxRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IidxRecord")
            .field("title", &self.title())
            .field("timestamp", &self.timestamp())
            .field("difficulty", &self.difficulty)
            .field("level", &self.level())
            .field("exscore", &self.exscore())
            .field("pgreat", &self.pgreat())
            .field("great", &self.great())
            .field("bp", &self.bp())
            .field("lamp", &self.lamp())
            .field("line", &self.line)
            .finish()
    }
}

impl Serialize for IidxRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StoredRecord {
            title: Cow::Borrowed(self.title()),
            timestamp: Cow::Borrowed(self.timestamp()),
            difficulty: self.difficulty.to_string(),
            level: Cow::Borrowed(self.level()),
            exscore: Cow::Borrowed(self.exscore()),
            pgreat: Cow::Borrowed(self.pgreat()),
            great: Cow::Borrowed(self.great()),
            bp: Cow::Borrowed(self.bp()),
            lamp: Cow::Borrowed(self.lamp()),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for IidxRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = StoredRecord::deserialize(d)?;
        Ok(IidxRecord::new(
            &r.title,
            &r.timestamp,
            &r.difficulty,
            [&r.level, &r.exscore, &r.pgreat, &r.great, &r.bp, &r.lamp],
            0,
        ))
    }
}

/// What every record of one file shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IidxContext {
    /// SP or DP, from the request.
    pub playtype: Playtype,
    /// The newest version the file names (Tachi's version id, e.g. `"27"`).
    pub import_version: String,
    /// Whether the file has the 41-column layout.
    pub has_beginner_and_legg: bool,
    /// `e-amusement` or `PLI`.
    pub service: String,
}

/// Version names of column 0, with their numbers (Tachi's `EAM_VERSION_NAMES`).
const VERSIONS: [(&str, u32); 33] = [
    ("1st&substream", 1),
    ("2nd style", 2),
    ("3rd style", 3),
    ("4th style", 4),
    ("5th style", 5),
    ("6th style", 6),
    ("7th style", 7),
    ("8th style", 8),
    ("9th style", 9),
    ("10th style", 10),
    ("IIDX RED", 11),
    ("HAPPY SKY", 12),
    ("DistorteD", 13),
    ("GOLD", 14),
    ("DJ TROOPERS", 15),
    ("EMPRESS", 16),
    ("SIRIUS", 17),
    ("Resort Anthem", 18),
    ("Lincle", 19),
    ("tricoro", 20),
    ("SPADA", 21),
    ("PENDUAL", 22),
    ("copula", 23),
    ("SINOBUZ", 24),
    ("CANNON BALLERS", 25),
    ("Rootage", 26),
    ("HEROIC VERSE", 27),
    ("BISTROVER", 28),
    ("CastHour", 29),
    ("RESIDENT", 30),
    ("EPOLIS", 31),
    ("Pinky Crush", 32),
    ("Sparkle Shower", 33),
];

const PRE_HV: (usize, &[&str]) = (27, &["NORMAL", "HYPER", "ANOTHER"]);
const HV: (usize, &[&str]) = (
    41,
    &["BEGINNER", "NORMAL", "HYPER", "ANOTHER", "LEGGENDARIA"],
);

/// The header line of an export: the 41-column layout (HEROIC VERSE on) when
/// `hv`, else the 27-column one. Column names as real exports write them; the
/// reader itself only counts them.
#[must_use]
pub fn csv_header(hv: bool) -> String {
    let (_, difficulties) = if hv { HV } else { PRE_HV };
    let score = if hv { "スコア" } else { "EXスコア" };
    let mut h = String::from("バージョン,タイトル,ジャンル,アーティスト,プレー回数");
    for d in difficulties {
        for c in [
            "難易度",
            score,
            "PGreat",
            "Great",
            "ミスカウント",
            "クリアタイプ",
            "DJ LEVEL",
        ] {
            h.push(',');
            h.push_str(d);
            h.push(' ');
            h.push_str(c);
        }
    }
    h.push_str(",最終プレー日時");
    h
}

fn version_of(name: &str) -> Option<u32> {
    // The newest versions first: exports name them on almost every row.
    VERSIONS
        .iter()
        .rev()
        .find(|(n, _)| n.len() == name.len() && *n == name)
        .map(|(_, v)| *v)
}

/// Tachi's lamp for a クリアタイプ.
#[must_use]
pub fn lamp(clear_type: &str) -> Option<&'static str> {
    Some(match clear_type {
        "NO PLAY" => "NO PLAY",
        "FAILED" => "FAILED",
        "ASSIST CLEAR" => "ASSIST CLEAR",
        "EASY CLEAR" => "EASY CLEAR",
        "CLEAR" => "CLEAR",
        "HARD CLEAR" => "HARD CLEAR",
        "EX HARD CLEAR" => "EX HARD CLEAR",
        "FULLCOMBO CLEAR" => "FULL COMBO",
        _ => return None,
    })
}

/// A `YYYY-MM-DD HH:MM` wall-clock time in Japan (UTC+9, no daylight saving) as
/// ms since the epoch.
#[must_use]
pub fn japan_time_ms(s: &str) -> Option<i64> {
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())?;
    let jst = FixedOffset::east_opt(9 * 3600)?;
    jst.from_local_datetime(&naive)
        .single()
        .map(|t| t.timestamp_millis())
}

fn positive_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The IIDX CSV's fatal errors; each displays as Tachi's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IidxCsvError {
    /// The `playtype` field is missing or not SP/DP.
    #[error("Invalid playtype of {0} given.")]
    Playtype(String),
    /// The file name says the other playtype (and `assertPlaytypeCorrect` is absent).
    #[error(
        "Safety Triggered: Filename contained '{named}', but was marked as a {marked} import. Are you *absolutely* sure this is right?"
    )]
    PlaytypeClash {
        /// What the file name contains.
        named: String,
        /// The playtype the import was marked as.
        marked: String,
    },
    /// The header has neither layout's column count.
    #[error(
        "Invalid CSV provided. CSV does not have the correct amount of headers. (found {0}, expected 27 up to ROOTAGE or 41 from HEROIC VERSE on)"
    )]
    Headers(usize),
    /// A row names a version this format does not know.
    #[error("Invalid/Unsupported Eamusement Version Name {0}.")]
    VersionName(String),
    /// The newest version is not one of the GPT's.
    #[error("Unsupported version '{0}'. Is your CSV properly filled out?")]
    Version(String),
    /// The file is empty.
    #[error("Expected headers, but received nothing in the first row.")]
    NoHeaders,
    /// The bytes are not UTF-8.
    #[error("The file is not UTF-8 text.")]
    NotUtf8,
}

impl kaiden_core::error::FormatError for IidxCsvError {}

/// The playtype from the `playtype` field, cross-checked against the file
/// name unless `assertPlaytypeCorrect` is sent (Tachi's safety check).
fn playtype_of(input: &ImportInput<'_>) -> Result<Playtype, ImportError> {
    let playtype = match input.field("playtype") {
        Some("SP") => Playtype::Sp,
        Some("DP") => Playtype::Dp,
        other => {
            return Err(IidxCsvError::Playtype(other.unwrap_or("undefined").to_owned()).into());
        }
    };
    if input.field("assertPlaytypeCorrect").is_none() {
        let name = input.filename.as_deref().unwrap_or_default().to_lowercase();
        let clash = match playtype {
            Playtype::Dp if name.contains("sp") => Some(("SP", "DP")),
            Playtype::Sp if name.contains("dp") => Some(("DP", "SP")),
            _ => None,
        };
        if let Some((named, marked)) = clash {
            return Err(IidxCsvError::PlaytypeClash {
                named: named.to_string(),
                marked: marked.to_string(),
            }
            .into());
        }
    }
    Ok(playtype)
}

/// The layout a header of `n` cells names.
fn layout(n: usize) -> Result<(usize, &'static [&'static str]), ImportError> {
    match n {
        27 => Ok(PRE_HV),
        41 => Ok(HV),
        n => Err(ImportError::from(IidxCsvError::Headers(n)).at(Position::line(1))),
    }
}

/// Pass 1 on line `i` (0-based): the version its first cell names; 0 for a
/// skipped single-cell line.
fn line_version(i: u64, line: &str) -> Result<u32, ImportError> {
    let Some((first, _)) = line.split_once(',') else {
        return Ok(0); // a single-cell line: skipped, as the reader does
    };
    let name = first
        .strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or(first);
    version_of(name).ok_or_else(|| {
        ImportError::from(IidxCsvError::VersionName(name.to_owned()))
            .at(Position::line(i + 1).with_field("バージョン"))
    })
}

fn context_of(
    import_type: ImportType,
    playtype: Playtype,
    newest: u32,
    columns: usize,
) -> Result<IidxContext, ImportError> {
    let import_version = newest.to_string();
    let gpt = Game::Iidx
        .with_playtype(playtype)
        .ok_or_else(|| IidxCsvError::Playtype(playtype.as_str().to_owned()))?;
    if !GptConfig::of(gpt).has_version(&import_version) {
        return Err(IidxCsvError::Version(import_version).into());
    }
    Ok(IidxContext {
        playtype,
        import_version,
        has_beginner_and_legg: columns == 41,
        service: if import_type == ImportType::FILE_PLI_IIDX_CSV {
            "PLI"
        } else {
            "e-amusement"
        }
        .to_owned(),
    })
}

/// The records of one row, handed out one difficulty block at a time (no
/// queue: each record is built as it is asked for).
#[derive(Default)]
struct RowRecords {
    row: Option<Arc<str>>,
    line: u64,
    title: (u32, u32),
    timestamp: (u32, u32),
    /// level, exscore, pgreat, great, bp, lamp of each difficulty block.
    blocks: [[(u32, u32); 6]; 5],
    difficulties: &'static [&'static str],
    next: usize,
}

impl RowRecords {
    /// Takes a row's cells (slices of `text`).
    fn load(
        &mut self,
        text: &str,
        cells: &[&str],
        line: u64,
        columns: usize,
        difficulties: &'static [&'static str],
    ) {
        let base = text.as_ptr() as usize;
        // Every cell is a slice of `text`, so its span is its address offset.
        let span = |c: &str| {
            let start = (c.as_ptr() as usize).wrapping_sub(base);
            (offset(start), offset(start + c.len()))
        };
        self.title = span(cells[1].trim());
        self.timestamp = span(cells[columns - 1].trim());
        for (d, block) in self.blocks.iter_mut().take(difficulties.len()).enumerate() {
            for (k, slot) in block.iter_mut().enumerate() {
                *slot = span(cells[5 + 7 * d + k]);
            }
        }
        self.row = Some(Arc::from(text));
        self.line = line;
        self.difficulties = difficulties;
        self.next = 0;
    }

    /// The next record of the row, if any is left.
    fn take(&mut self) -> Option<IidxRecord> {
        let diff = *self.difficulties.get(self.next)?;
        let row = self.row.as_ref()?;
        let b = self.blocks[self.next];
        self.next += 1;
        Some(IidxRecord {
            row: Arc::clone(row),
            spans: [
                self.title,
                self.timestamp,
                b[0],
                b[1],
                b[2],
                b[3],
                b[4],
                b[5],
            ],
            difficulty: Cow::Borrowed(diff),
            line: self.line,
        })
    }
}

impl EamusementIidx {
    /// Parses a file of any size from a reader, one line in memory at a time:
    /// two passes (the newest version, then the rows), with the same rules and
    /// errors as [`ImportFormat::parse`] on the whole file. `input` gives the
    /// form fields and file name; its bytes are not read.
    pub fn parse_reader<R>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'_>,
        reader: R,
    ) -> Result<ParsedImport<'static, IidxRecord, IidxContext>, ImportError>
    where
        R: std::io::BufRead + std::io::Seek + Send + 'static,
    {
        let playtype = playtype_of(input)?;
        let mut lines = KonamiLines::new(reader);
        let (columns, difficulties) = match lines.next_line()? {
            Some((_, header)) => {
                check_header(header)?;
                layout(header.split(',').count())?
            }
            None => {
                check_header("")?;
                return Err(IidxCsvError::NoHeaders.into());
            }
        };
        let mut newest = 0u32;
        while let Some((i, line)) = lines.next_line()? {
            newest = newest.max(line_version(i, line)?);
        }
        let context = context_of(import_type, playtype, newest, columns)?;
        let mut reader = lines.into_inner();
        reader.seek(std::io::SeekFrom::Start(0)).map_err(|e| {
            ImportError::internal(format!("cannot seek back for the second pass: {e}"))
        })?;
        let mut lines = KonamiLines::new(reader);
        lines.next_line()?; // the header
        let mut current = RowRecords::default();
        let records = fused_records(move || {
            loop {
                if let Some(r) = current.take() {
                    return Ok(Some(r));
                }
                let Some((i, line)) = lines.next_line()? else {
                    return Ok(None);
                };
                match row_cells(line, columns, i) {
                    None => {}
                    Some(Err(e)) => return Err(e),
                    Some(Ok(cells)) => current.load(line, &cells, i + 1, columns, difficulties),
                }
            }
        });
        Ok(ParsedImport {
            game: Game::Iidx,
            context,
            records: Box::new(records),
            classes: ClassSlot::default(),
        })
    }
}

impl ImportFormat for EamusementIidx {
    type Record = IidxRecord;
    type Context = IidxContext;

    fn import_types(&self) -> &'static [ImportType] {
        &[
            ImportType::FILE_EAMUSEMENT_IIDX_CSV,
            ImportType::FILE_PLI_IIDX_CSV,
        ]
    }

    fn reads_streams(&self, _import_type: ImportType) -> bool {
        true
    }

    fn parse<'a>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, IidxRecord, IidxContext>, ImportError> {
        if let Some(stream) = &input.stream {
            let reader = stream
                .open()
                .map_err(kaiden_core::error::unreadable_input)?;
            return self.parse_reader(import_type, input, reader);
        }
        let playtype = playtype_of(input)?;
        let text = std::str::from_utf8(input.bytes).map_err(|e| {
            ImportError::from(IidxCsvError::NotUtf8)
                .at(Position::default().with_byte(e.valid_up_to() as u64))
        })?;
        let csv = KonamiCsv::new(text)?;
        let (columns, difficulties) = layout(csv.headers.len())?;
        // Pass 1: the newest version over all rows (and every version name valid).
        // Only the first cell of each line is read; pass 2 checks the rest.
        let mut newest = 0u32;
        for (i, line) in text.split('\n').enumerate().skip(1) {
            newest = newest.max(line_version(i as u64, line)?);
        }
        let context = context_of(import_type, playtype, newest, columns)?;
        // Pass 2: stream the rows, one record per difficulty block.
        let mut csv = csv;
        let mut current = RowRecords::default();
        let records = fused_records(move || {
            loop {
                if let Some(r) = current.take() {
                    return Ok(Some(r));
                }
                match csv.next() {
                    None => return Ok(None),
                    Some(Err(e)) => return Err(e),
                    Some(Ok(r)) => current.load(r.text, &r.cells, r.line, columns, difficulties),
                }
            }
        });
        Ok(ParsedImport {
            game: Game::Iidx,
            context,
            records: Box::new(records),
            classes: ClassSlot::default(),
        })
    }

    fn position(&self, record: &IidxRecord) -> Option<Position> {
        (record.line > 0)
            .then(|| Position::line(record.line).with_field(record.difficulty.to_string()))
    }

    fn convert(
        &self,
        import_type: ImportType,
        r: &IidxRecord,
        context: &IidxContext,
    ) -> Result<PendingScore, ConverterFailure> {
        if r.exscore() == "0" {
            return Err(ConverterFailure::Skip(
                "Score has an exscore of 0.".to_owned(),
            ));
        }
        if r.level().is_empty() || r.level() == "0" {
            return Err(ConverterFailure::Skip("Chart has a level of 0.".to_owned()));
        }
        let mut title: &str = r.title();
        let mut difficulty: &str = &r.difficulty;
        if !context.has_beginner_and_legg {
            if let Some(stripped) = title
                .strip_suffix("†LEGGENDARIA")
                .or_else(|| title.strip_suffix('†'))
            {
                title = stripped.trim_end();
                difficulty = "LEGGENDARIA";
            }
        }
        let h = format!(
            "{title} ({} {} [v{}])",
            context.playtype, r.difficulty, context.import_version
        );
        let invalid = |m: String| ConverterFailure::InvalidScore(format!("{h} - {m}"));
        let ex = positive_int(r.exscore())
            .ok_or_else(|| invalid(format!("Invalid EX score of {}", r.exscore())))?;
        let pgreat = positive_int(r.pgreat())
            .ok_or_else(|| invalid(format!("Invalid PGreats of {}", r.pgreat())))?;
        // Tachi's message prints the PGREATs here.
        let great = positive_int(r.great())
            .ok_or_else(|| invalid(format!("Invalid Greats of {}", r.pgreat())))?;
        // Checked: the counts are anything up to i64's limit (the fuzz
        // target found `pgreat * 2` overflowing); such a sum equals no EX.
        if pgreat.checked_mul(2).and_then(|d| d.checked_add(great)) != Some(ex) {
            return Err(invalid(format!(
                "PGreats * 2 + Greats did not equal EXScore ({pgreat} * 2 + {great} != {ex})."
            )));
        }
        let lamp =
            lamp(r.lamp()).ok_or_else(|| invalid(format!("Invalid Lamp of {}.", r.lamp())))?;
        let time_achieved = if r.timestamp().is_empty() {
            None
        } else {
            Some(
                japan_time_ms(r.timestamp())
                    .ok_or_else(|| invalid(format!("Invalid timestamp of {}.", r.timestamp())))?,
            )
        };
        let mut score_data = ScoreData::default();
        score_data.set("score", ex as f64);
        score_data.set("lamp", lamp);
        score_data.judgements.insert("pgreat".into(), Some(pgreat));
        score_data.judgements.insert("great".into(), Some(great));
        let bp = r.bp().trim();
        if bp != "---" {
            let n = if bp.is_empty() {
                Some(0.0)
            } else {
                bp.parse::<f64>().ok()
            };
            match n {
                Some(n) if n.fract() == 0.0 && (0.0..=9999.0).contains(&n) => {
                    score_data.optional.insert("bp".into(), n.into());
                }
                Some(_) => return Err(invalid(format!("Invalid BP of {}.", r.bp()))),
                // Not a number: ignored, as Tachi does.
                None => {}
            }
        }
        let gpt = Game::Iidx
            .with_playtype(context.playtype)
            .ok_or_else(|| ConverterFailure::Internal("IIDX playtype".to_owned()))?;
        Ok(PendingScore {
            dry: DryScore {
                service: context.service.clone(),
                game: Game::Iidx,
                import_type,
                time_achieved,
                comment: None,
                score_data,
                score_meta: serde_json::Map::new(),
            },
            query: ChartQuery {
                gpt,
                key: ChartKey::SongTitle {
                    title: title.to_owned(),
                    artist: None,
                    exact_first: true,
                    level: Some(r.level().trim().to_owned()).filter(|l| !l.is_empty()),
                },
                difficulty: Some(difficulty.to_owned()),
                version: Some(context.import_version.clone()),
            },
            expected_level: None,
            // Tachi's converter's words.
            not_found: Some(NotFound::song_then_chart_of(
                format!("Could not find song for {title}."),
                "Could not find chart for ",
                format!(
                    " ({} {} [v{}])",
                    context.playtype, r.difficulty, context.import_version
                ),
            )),
            highlight: false,
        })
    }
}

#[cfg(test)]
mod tests;
