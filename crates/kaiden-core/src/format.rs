//! What an import type implements: a parser that streams records, and a
//! two-phase converter.
//!
//! # Adding an import type
//!
//! 1. Define the record type (what one row/element/score of the source holds, raw)
//!    and the context type (what the whole import shares: playtype, service,
//!    version). Both derive `Serialize`/`Deserialize`: an orphan is stored as the
//!    pair `(record, context)` and re-converted later.
//! 2. Implement [`ImportFormat::parse`]: read the input, fail fast with a positioned
//!    [`ImportError`] if the file as a whole is unusable, and return the records as
//!    an iterator, so the pipeline can stream them. Parsers do no I/O beyond the
//!    input they are given.
//! 3. Implement [`ImportFormat::convert`]: record + context → [`PendingScore`] (a
//!    [`DryScore`] and a [`ChartQuery`]). Pure and deterministic: no lookups, no
//!    clock. Per-record problems are [`ConverterFailure`]s; the import goes on.
//! 4. If the chart's facts change the score (a level cross-check, a note count),
//!    override [`ImportFormat::check_with_chart`].
//!
//! The pipeline resolves the queries of many records at once through the host,
//! hydrates, validates, dedupes and stores.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::documents::{ChartDocument, SongDocument};
use crate::error::ImportError;
use crate::failure::ConverterFailure;
use crate::game::{Game, Gpt};
use crate::import_type::ImportType;
use crate::query::ChartQuery;
use crate::score::DryScore;

/// A seekable, buffered byte stream (a file opened for reading).
pub trait BufReadSeek: std::io::BufRead + std::io::Seek + Send {}

impl<T: std::io::BufRead + std::io::Seek + Send> BufReadSeek for T {}

/// An input read from a stream instead of held in memory: a file too large to
/// hold, read a line or an element at a time by the formats that can
/// ([`ImportFormat::reads_streams`]). It can be opened more than once (a
/// format may read it in two passes); each opening starts at the first byte.
pub trait InputStream: Send + Sync + std::fmt::Debug {
    /// Opens the stream at its first byte.
    ///
    /// # Errors
    /// When the source cannot be read.
    fn open(&self) -> std::io::Result<Box<dyn BufReadSeek>>;

    /// Its size in bytes.
    fn len(&self) -> u64;

    /// Whether it is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A file on disk as an [`InputStream`].
#[derive(Debug, Clone)]
pub struct FileStream {
    path: std::path::PathBuf,
    len: u64,
}

impl FileStream {
    /// The file at `path` (its size is read now; it is opened on demand).
    ///
    /// # Errors
    /// When the file's metadata cannot be read.
    pub fn new(path: impl Into<std::path::PathBuf>) -> std::io::Result<Self> {
        let path = path.into();
        let len = std::fs::metadata(&path)?.len();
        Ok(FileStream { path, len })
    }
}

impl InputStream for FileStream {
    fn open(&self) -> std::io::Result<Box<dyn BufReadSeek>> {
        let file = std::fs::File::open(&self.path)?;
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
    }

    fn len(&self) -> u64 {
        self.len
    }
}

/// The input of a file or request-body import.
#[derive(Debug, Clone, Default)]
pub struct ImportInput<'a> {
    /// The bytes of the file or body (empty when [`stream`](Self::stream) is set).
    pub bytes: &'a [u8],
    /// The file as a stream instead of bytes. Formats that read streams
    /// ([`ImportFormat::reads_streams`]) read it as they go; for the others
    /// the pipeline reads it whole into memory first.
    pub stream: Option<std::sync::Arc<dyn InputStream>>,
    /// The uploaded file's name, when there is one (some formats cross-check it).
    pub filename: Option<String>,
    /// Form fields or options sent with the file (`playtype`,
    /// `assertPlaytypeCorrect`, ...), as Tachi passes its multipart body.
    pub fields: BTreeMap<String, String>,
    /// Headers that change parsing (`X-Infer-Score-TimeAchieved`), lowercased names.
    pub headers: BTreeMap<String, String>,
}

/// The input field a server sets to the time a request came, in ms since the
/// epoch (the score hooks' `timeReceived`: a converter stays pure, and an
/// orphan re-converts with the same time).
pub const TIME_RECEIVED: &str = "timeReceived";

impl ImportInput<'_> {
    /// The input's size in bytes (the stream's when there is one).
    #[must_use]
    pub fn len(&self) -> u64 {
        self.stream
            .as_ref()
            .map_or(self.bytes.len() as u64, |s| s.len())
    }

    /// Whether the input holds no byte.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A form field.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// The [`TIME_RECEIVED`] field, or the clock when it is absent.
    #[must_use]
    pub fn time_received(&self) -> i64 {
        self.field(TIME_RECEIVED)
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            })
    }
}

/// A class the source reports directly (a dan from BATCH-MANUAL's `classes`, a
/// WACCA stage-up). Provided classes never go down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ProvidedClass {
    /// The GPT the class belongs to.
    pub gpt: Gpt,
    /// The class set, e.g. `dan`.
    pub set: String,
    /// The class id, e.g. `DAN_10`.
    pub class_id: String,
}

/// The classes a source reports, shared between a parser and its record stream:
/// a parser that only reaches them after the records (BATCH-MANUAL's `classes`
/// may follow `scores`) fills them in as the stream ends. Final once the records
/// are exhausted; the pipeline reads them then.
#[derive(Debug, Clone, Default)]
pub struct ClassSlot(std::sync::Arc<std::sync::Mutex<Vec<ProvidedClass>>>);

impl ClassSlot {
    /// A slot holding `classes`.
    #[must_use]
    pub fn new(classes: Vec<ProvidedClass>) -> Self {
        ClassSlot(std::sync::Arc::new(std::sync::Mutex::new(classes)))
    }

    /// Replaces the classes.
    pub fn set(&self, classes: Vec<ProvidedClass>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = classes;
    }

    /// The classes now.
    #[must_use]
    pub fn get(&self) -> Vec<ProvidedClass> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// A record stream item: a record, or the fatal error that ends the stream.
pub type RecordResult<R> = Result<R, ImportError>;

/// A record stream from a step function (`Ok(None)` at the end): it yields each
/// record, and stops for good after the first fatal error.
pub fn fused_records<'a, R: 'a>(
    mut step: impl FnMut() -> Result<Option<R>, ImportError> + Send + 'a,
) -> impl Iterator<Item = RecordResult<R>> + Send + 'a {
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match step() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => {
                done = true;
                None
            }
            Err(e) => {
                done = true;
                Some(Err(e))
            }
        }
    })
}

/// What a parser returns: the import's header and a lazy stream of records.
pub struct ParsedImport<'a, R, C> {
    /// The game (one per import).
    pub game: Game,
    /// What every record shares.
    pub context: C,
    /// The records, in source order. A fatal error ends the import; per-record
    /// problems belong to conversion instead.
    pub records: Box<dyn Iterator<Item = RecordResult<R>> + Send + 'a>,
    /// Classes the source reports (final once `records` is exhausted).
    pub classes: ClassSlot,
}

impl<R, C: std::fmt::Debug> std::fmt::Debug for ParsedImport<'_, R, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedImport")
            .field("game", &self.game)
            .field("context", &self.context)
            .field("classes", &self.classes)
            .finish_non_exhaustive()
    }
}

/// A converted record awaiting its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingScore {
    /// The score as far as the record tells it.
    pub dry: DryScore,
    /// Which chart it is on.
    pub query: ChartQuery,
    /// The chart level the source states (Konami CSVs): the score is invalid if
    /// the chart found has another level (Tachi's level cross-check).
    pub expected_level: Option<String>,
    /// The messages when the chart is unknown (or the title shared), for
    /// formats whose Tachi converter words them itself (KAI: `Could not find
    /// chart with songID ...`); `None` gives the pipeline's own description of
    /// the query.
    pub not_found: Option<crate::query::NotFound>,
    /// Whether the source asks that the stored score with this score's
    /// scoreID be highlighted (fervidex resends a score the player marked; the
    /// resent score itself is then a duplicate). `false` for most formats.
    pub highlight: bool,
}

/// A chart a record describes well enough to create it when the seeds lack it
/// (beatoraja sends title, artist, hashes and notes). The pipeline queues it
/// ([`PendingChart`](crate::documents::PendingChart)) and creates it once
/// enough distinct players have sent scores on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedChart {
    /// What identifies the chart in the queue.
    pub key: String,
    /// The chart's game and playtype.
    pub gpt: Gpt,
    /// The song (its `id` is assigned on creation).
    pub song: SongDocument,
    /// The chart (its `chartID` and `songID` are assigned on creation).
    pub chart: ChartDocument,
    /// How many distinct players must send a score on it before it is
    /// created (Tachi's `BEATORAJA_QUEUE_SIZE`, 3 by default).
    pub players_needed: usize,
}

/// One import type family: a parser and a converter.
pub trait ImportFormat: Send + Sync {
    /// One raw record of the source.
    type Record: Serialize + DeserializeOwned + Send;
    /// What all records of one import share.
    type Context: Serialize + DeserializeOwned + Send + Sync;

    /// The import types this format serves (e.g. both IIDX CSV types).
    fn import_types(&self) -> &'static [ImportType];

    /// Whether [`parse`](Self::parse) reads [`ImportInput::stream`] itself,
    /// as it goes; `false` (the default) has the pipeline read a stream whole
    /// into [`ImportInput::bytes`] before calling `parse`.
    fn reads_streams(&self, import_type: ImportType) -> bool {
        let _ = import_type;
        false
    }

    /// Reads the input. Errors are fatal and name a position.
    fn parse<'a>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'a>,
    ) -> Result<ParsedImport<'a, Self::Record, Self::Context>, ImportError>;

    /// Reads the input of an import by `user`. Formats that pull from the
    /// user's account at a third party (API imports) override this; the
    /// default ignores the user and calls [`parse`](Self::parse).
    fn parse_for_user<'a>(
        &self,
        import_type: ImportType,
        input: &ImportInput<'a>,
        user: crate::score::UserId,
    ) -> Result<ParsedImport<'a, Self::Record, Self::Context>, ImportError> {
        let _ = user;
        self.parse(import_type, input)
    }

    /// Phase 1: turns one record into a dry score and a chart query. Pure.
    fn convert(
        &self,
        import_type: ImportType,
        record: &Self::Record,
        context: &Self::Context,
    ) -> Result<PendingScore, ConverterFailure>;

    /// Where a record is in the source (line, record number, JSON path), for
    /// per-record reports such as `kaiden check`.
    fn position(&self, record: &Self::Record) -> Option<crate::error::Position> {
        let _ = record;
        None
    }

    /// The chart a record describes, to be created from play when the seeds
    /// lack it (see [`ProposedChart`]); `None` (the default) for formats whose
    /// charts come only from the seeds. Pure.
    fn proposed_chart(
        &self,
        import_type: ImportType,
        record: &Self::Record,
        context: &Self::Context,
    ) -> Option<ProposedChart> {
        let _ = (import_type, record, context);
        None
    }

    /// Phase 2: adjusts or rejects the score once its chart is known. Pure.
    fn check_with_chart(
        &self,
        dry: &mut DryScore,
        chart: &ChartDocument,
        song: &SongDocument,
    ) -> Result<(), ConverterFailure> {
        let _ = (dry, chart, song);
        Ok(())
    }
}
