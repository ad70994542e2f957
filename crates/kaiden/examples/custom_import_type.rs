//! An import type defined outside kaiden: a server's own tab-separated IIDX SP
//! export, `file/example-iidx-tsv`, registered beside the built-in types and
//! imported into a temporary SQLite database.
//!
//! `cargo run -p kaiden --example custom_import_type` prints the ImportDocument.
//!
//! Each line is `title<TAB>difficulty<TAB>EX score<TAB>lamp<TAB>time (ms)`.
//! A malformed line is a fatal error naming its line; a bad lamp is a
//! per-record error and the import goes on; an unknown title is kept as an
//! orphan.

use std::path::Path;

use kaiden::core::error::{ImportError, Position};
use kaiden::core::format::{ClassSlot, ImportFormat, ImportInput, ParsedImport, PendingScore};
use kaiden::core::query::{ChartKey, ChartQuery};
use kaiden::core::score::{DryScore, ScoreData};
use kaiden::core::{ConverterFailure, Game, Gpt, ImportType};
use kaiden::games::config::GptConfig;
use kaiden::pipeline::{self, ImportRequest, NoProgress};
use kaiden_sqlite::SqliteHost;
use serde::{Deserialize, Serialize};

/// The new import type's name: `file/` makes it a file upload.
const EXAMPLE_TSV: ImportType = ImportType::new("file/example-iidx-tsv");

/// The format: a parser and a converter.
#[derive(Debug)]
struct ExampleTsv;

/// One line, raw (an orphan stores it, and is converted again from it).
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    line: u64,
    title: String,
    difficulty: String,
    ex_score: String,
    lamp: String,
    time: String,
}

impl ImportFormat for ExampleTsv {
    type Record = Line;
    type Context = ();

    fn import_types(&self) -> &'static [ImportType] {
        &[EXAMPLE_TSV]
    }

    fn parse<'a>(
        &self,
        _import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Line, ()>, ImportError> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| {
            ImportError::invalid_at(
                Position::default().with_byte(e.valid_up_to() as u64),
                "The file is not UTF-8 text.",
            )
        })?;
        let records = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let line = i as u64 + 1;
                let cells: Vec<&str> = l.split('\t').collect();
                match cells[..] {
                    [title, difficulty, ex_score, lamp, time] => Ok(Line {
                        line,
                        title: title.to_owned(),
                        difficulty: difficulty.to_owned(),
                        ex_score: ex_score.to_owned(),
                        lamp: lamp.to_owned(),
                        time: time.to_owned(),
                    }),
                    _ => Err(ImportError::invalid_at(
                        Position::line(line),
                        format!("expected 5 tab-separated cells, found {}", cells.len()),
                    )),
                }
            });
        Ok(ParsedImport {
            game: Game::Iidx,
            context: (),
            records: Box::new(records),
            classes: ClassSlot::default(),
        })
    }

    fn position(&self, record: &Line) -> Option<Position> {
        Some(Position::line(record.line))
    }

    fn convert(
        &self,
        import_type: ImportType,
        r: &Line,
        _context: &(),
    ) -> Result<PendingScore, ConverterFailure> {
        let bad = |what: &str, v: &str| {
            ConverterFailure::InvalidScore(format!("line {}: invalid {what} {v:?}", r.line))
        };
        let ex_score: f64 = r
            .ex_score
            .parse()
            .map_err(|_| bad("EX score", &r.ex_score))?;
        let time: i64 = r.time.parse().map_err(|_| bad("time", &r.time))?;
        // Lamps and difficulties are the game's own: read them from its config.
        let config = GptConfig::of(Gpt::IidxSp);
        let lamp = config
            .metric("lamp")
            .and_then(|m| m.enum_values())
            .and_then(|lamps| lamps.iter().find(|l| **l == r.lamp))
            .ok_or_else(|| bad("lamp", &r.lamp))?;
        if !config.difficulties.accepts(&r.difficulty) {
            return Err(bad("difficulty", &r.difficulty));
        }
        let mut score_data = ScoreData::default();
        score_data.set("score", ex_score);
        score_data.set("lamp", *lamp);
        Ok(PendingScore {
            dry: DryScore {
                service: "example TSV".to_owned(),
                game: Game::Iidx,
                import_type,
                time_achieved: Some(time),
                comment: None,
                score_data,
                score_meta: serde_json::Map::new(),
            },
            query: ChartQuery {
                gpt: Gpt::IidxSp,
                key: ChartKey::SongTitle {
                    title: r.title.clone(),
                    artist: None,
                    exact_first: true,
                    level: None,
                },
                difficulty: Some(r.difficulty.clone()),
                version: None,
            },
            expected_level: None,
            not_found: None,
            highlight: false,
        })
    }
}

const FILE: &str = "Lantern Festival\tANOTHER\t2400\tHARD CLEAR\t1700000000000
Paper Comet\tHYPER\t1500\tCLEAR\t1700000600000
Midnight Turntable\tANOTHER\t100\tSOMEWHAT CLEAR\t1700001200000
A Song The Seeds Lack\tANOTHER\t1000\tCLEAR\t1700001800000
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("kaiden-custom-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let host = SqliteHost::open(dir.join("kaiden.db"))?;
    host.load_seeds(root.join("examples/seeds"))?;
    host.ensure_user(1, "player")?;

    // Registering: the built-in types, plus this one.
    let registry = kaiden::registry().with(ExampleTsv);
    let import_type = registry.parse("file/example-iidx-tsv")?;

    let request = ImportRequest {
        import_type,
        user: 1,
        user_intent: true,
        input: ImportInput {
            bytes: FILE.as_bytes(),
            ..ImportInput::default()
        },
        import_id: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let doc = runtime.block_on(pipeline::import(&host, &registry, request, &NoProgress))?;
    println!("{}", serde_json::to_string_pretty(&doc)?);
    let _ = std::fs::remove_dir_all(&dir);
    // Two scores stored; a bad lamp and an unknown song (an orphan) reported.
    if doc.score_ids.len() != 2 || doc.errors.len() != 2 {
        return Err(format!(
            "expected 2 scores and 2 errors, got {} and {}",
            doc.score_ids.len(),
            doc.errors.len()
        )
        .into());
    }
    Ok(())
}
