//! # kaiden-solid-state-squad
//!
//! `file/solid-state-squad`: the IIDX score export of the old Solid State Squad
//! site, read with a streaming `quick-xml` reader. `<song>` elements are read one
//! at a time, each flat into one slot per element the schema reads, checked
//! against Tachi's schema and turned into a record; songs written the plain way
//! real exports are take a `memchr` fast path after the first, anything else is
//! read by quick-xml (the two are fuzzed against each other). A file read as a
//! stream is cut after whole songs into windows of 256 KiB, each parsed the
//! same way with its positions moved back (memory stays flat; also fuzzed
//! against reading the file whole). Hostile input: no DTD or entity is ever expanded (an unknown
//! entity reference stays literal text, as in Tachi), nesting is bounded, and text
//! stays text (a title `.59` is the string `.59`).
#![deny(missing_docs)]

mod stream;
mod xml;

use chrono::NaiveDateTime;
use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{
    ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore, fused_records,
};
use kaiden_core::query::{ChartKey, ChartQuery, NotFound};
use kaiden_core::score::{DryScore, ScoreData};
use kaiden_core::{ConverterFailure, Game, Gpt, ImportType};
use serde::{Deserialize, Serialize};

pub use xml::{S3Error, S3Song};

/// The format.
#[derive(Debug, Clone, Default)]
pub struct SolidStateSquad;

/// Every song of a document up to the first error, read with the plain-song
/// fast path on or off: the two must agree on every input (the fuzz target and
/// the property tests compare them). Imports always use the fast path.
#[doc(hidden)]
pub fn read_songs(bytes: &[u8], fast_path: bool) -> (Vec<S3Song>, Option<ImportError>) {
    let mut songs = match xml::Songs::open_with(bytes, fast_path) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut out = Vec::new();
    loop {
        match songs.step() {
            Ok(Some(s)) => out.push(s),
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

/// Every song of a streamed document up to the first error, read in windows
/// of `window` bytes: the same as [`read_songs`] on the same bytes (the fuzz
/// target and the tests compare them). Imports use 256 KiB windows.
#[doc(hidden)]
pub fn read_songs_stream(
    stream: &dyn kaiden_core::format::InputStream,
    window: usize,
) -> (Vec<S3Song>, Option<ImportError>) {
    let songs = match stream::songs(stream, window) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut out = Vec::new();
    for s in songs {
        match s {
            Ok(s) => out.push(s),
            Err(e) => return (out, Some(e)),
        }
    }
    (out, None)
}

/// Nothing is shared between songs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3Context {}

/// Playtype and Tachi difficulty of a `diff` code; `None` for 5-key.
fn difficulty(code: &str) -> Result<Option<(Gpt, &'static str)>, ConverterFailure> {
    Ok(Some(match code {
        "L7" => (Gpt::IidxSp, "NORMAL"),
        "7" => (Gpt::IidxSp, "HYPER"),
        "A" => (Gpt::IidxSp, "ANOTHER"),
        "B" => (Gpt::IidxSp, "LEGGENDARIA"),
        "5" => return Ok(None),
        "L14" => (Gpt::IidxDp, "NORMAL"),
        "14" => (Gpt::IidxDp, "HYPER"),
        "A14" => (Gpt::IidxDp, "ANOTHER"),
        "B14" => (Gpt::IidxDp, "LEGGENDARIA"),
        other => {
            return Err(ConverterFailure::InvalidScore(format!(
                "Invalid difficulty {other}."
            )));
        }
    }))
}

/// Tachi's version of an S3 style.
fn version(style: &str) -> Option<&'static str> {
    Some(match style {
        "3rd" => "3-cs",
        "4th" => "4-cs",
        "5th" => "5-cs",
        "6th" => "6-cs",
        "7th" => "7-cs",
        "8th" => "8-cs",
        "9th" => "9-cs",
        "10th" => "10-cs",
        "red" => "11-cs",
        "hs" => "12-cs",
        "dd" => "13-cs",
        "gold" => "14-cs",
        "djt" => "15-cs",
        "emp" | "pb" => "16-cs",
        "us" => "bmus",
        _ => return None,
    })
}

/// Tachi's `ResolveS3Lamp`.
fn lamp(cleartype: &str, hardeasy: Option<&str>) -> Result<&'static str, ConverterFailure> {
    match cleartype {
        "played" => Ok("FAILED"),
        "cleared" => match hardeasy {
            None => Ok("CLEAR"),
            Some("E") => Ok("EASY CLEAR"),
            Some("H") => Ok("HARD CLEAR"),
            Some(x) => Err(ConverterFailure::InvalidScore(format!(
                "Invalid hardeasy of {x} while evaluating a 'cleared' score?"
            ))),
        },
        "combo" | "comboed" | "perfect" | "perfected" => Ok("FULL COMBO"),
        x => Err(ConverterFailure::InvalidScore(format!(
            "Invalid cleartype of {x}."
        ))),
    }
}

impl ImportFormat for SolidStateSquad {
    type Record = S3Song;
    type Context = S3Context;

    fn import_types(&self) -> &'static [ImportType] {
        &[ImportType::FILE_SOLID_STATE_SQUAD]
    }

    fn reads_streams(&self, _import_type: ImportType) -> bool {
        true
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, S3Song, S3Context>, ImportError> {
        if let Some(stream) = &input.stream {
            return Ok(ParsedImport {
                game: Game::Iidx,
                context: S3Context {},
                records: stream::songs(stream.as_ref(), stream::WINDOW)?,
                classes: ClassSlot::default(),
            });
        }
        let mut songs = xml::Songs::open(input.bytes)?;
        Ok(ParsedImport {
            game: Game::Iidx,
            context: S3Context {},
            records: Box::new(fused_records(move || songs.step())),
            classes: ClassSlot::default(),
        })
    }

    fn position(&self, song: &S3Song) -> Option<Position> {
        Some(
            Position::default()
                .with_record(song.index + 1)
                .with_byte(song.byte)
                .with_field(format!("song[{}]", song.index)),
        )
    }

    fn convert(
        &self,
        import_type: ImportType,
        s: &S3Song,
        _context: &S3Context,
    ) -> Result<PendingScore, ConverterFailure> {
        let Some((gpt, diff)) = difficulty(&s.diff)? else {
            return Err(ConverterFailure::Skip(
                "5KEY scores are not supported.".to_owned(),
            ));
        };
        let last = s.styles.rsplit(',').next().unwrap_or_default();
        if last.is_empty() {
            return Err(ConverterFailure::InvalidScore(
                "Song has invalid style -- Score has no styles?".to_owned(),
            ));
        }
        let version = version(last).ok_or_else(|| {
            ConverterFailure::InvalidScore(format!("Song has invalid style {last}."))
        })?;
        let lamp = lamp(&s.cleartype, s.hardeasy.as_deref())?;
        let time_achieved = if s.date.is_empty() {
            None
        } else {
            // S3 dates carry no zone; read as UTC (Tachi uses the server's zone).
            let t = NaiveDateTime::parse_from_str(&s.date, "%Y-%m-%d %H:%M:%S").map_err(|_| {
                ConverterFailure::InvalidScore(format!(
                    "Invalid/Unparsable score timestamp of {}.",
                    s.date
                ))
            })?;
            Some(t.and_utc().timestamp_millis())
        };
        let mut score_data = ScoreData::default();
        #[allow(clippy::cast_precision_loss)]
        score_data.set("score", s.exscore as f64);
        score_data.set("lamp", lamp);
        if let Some([pg, gr, gd, bd, pr]) = s.scorebreakdown {
            for (k, v) in [
                ("pgreat", pg),
                ("great", gr),
                ("good", gd),
                ("bad", bd),
                ("poor", pr),
            ] {
                score_data.judgements.insert(k.into(), Some(v));
            }
        }
        Ok(PendingScore {
            dry: DryScore {
                service: "Solid State Squad".to_owned(),
                game: Game::Iidx,
                import_type,
                time_achieved,
                comment: s.comment.clone(),
                score_data,
                score_meta: serde_json::Map::new(),
            },
            query: ChartQuery {
                gpt,
                key: ChartKey::SongTitle {
                    title: s.songname.clone(),
                    artist: None,
                    exact_first: false,
                    level: None,
                },
                difficulty: Some(diff.to_owned()),
                version: Some(version.to_owned()),
            },
            expected_level: None,
            // Tachi's converter's words (and those of its case-insensitive
            // title lookup).
            not_found: Some(
                NotFound::song_then_chart(
                    format!("Could not find song with title {}", s.songname),
                    format!(
                        "Could not find chart {} ({} {diff} version ({version}))",
                        s.songname,
                        gpt.playtype()
                    ),
                )
                .with_ambiguous(format!(
                    "Multiple songs exist with the case-insensitive title {}. We cannot resolve \
                     this. Please try adding an artist field.",
                    s.songname
                )),
            ),
            highlight: false,
        })
    }
}

#[cfg(test)]
mod tests;
