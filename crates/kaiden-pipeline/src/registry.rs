//! Import types behind one object-safe trait, so the pipeline, the CLI and a
//! server can pick a format by its [`ImportType`] at run time.

use std::collections::HashMap;
use std::sync::Arc;

use kaiden_core::documents::{ChartDocument, SongDocument};
use kaiden_core::error::{ImportError, Position};
use kaiden_core::format::{ImportFormat, ImportInput, ParsedImport, PendingScore, ProvidedClass};
use kaiden_core::score::{DryScore, UserId};
use kaiden_core::{ConverterFailure, Game, ImportType};
use kaiden_par as par;
use serde_json::Value;

/// One converted record of a batch.
#[derive(Debug)]
pub struct Converted {
    /// The record's 0-based index in the source.
    pub index: u64,
    /// The score and its chart query, or why there is none. Boxed: most
    /// records of some files are skipped, and a batch's records move
    /// several times (a pointer moves cheaper than a whole pending score).
    pub outcome: Result<Box<PendingScore>, ConverterFailure>,
}

/// A parsed import whose records are converted batch by batch.
pub trait RecordSource: Send {
    /// The game.
    fn game(&self) -> Game;
    /// Classes the source reports; final once the records are exhausted.
    fn classes(&self) -> Vec<ProvidedClass>;
    /// Parses and converts up to `n` more records into `out` (cleared first).
    /// Returns `false` once the source is exhausted. A fatal error ends the import.
    fn next_batch(&mut self, n: usize, out: &mut Vec<Converted>) -> Result<bool, ImportError>;
    /// The raw record `i` of the last batch as JSON (an orphan's `data`).
    fn record_json(&self, i: usize) -> Value;
    /// Where record `i` of the last batch is in the file, when the format knows
    /// (asked for by reports only, never on the import path).
    fn position(&self, i: usize) -> Option<Position>;
    /// The import's context as JSON (an orphan's `context`).
    fn context_json(&self) -> Value;
    /// The chart record `i` of the last batch describes, for creating it from
    /// play (see `ImportFormat::proposed_chart`).
    fn proposed_chart(&self, i: usize) -> Option<kaiden_core::format::ProposedChart>;
}

/// What the pipeline needs of an import type, object-safe.
pub trait DynFormat: Send + Sync {
    /// The import types this format serves.
    fn import_types(&self) -> &'static [ImportType];
    /// Whether it reads [`ImportInput::stream`] as it goes (see
    /// `ImportFormat::reads_streams`).
    fn reads_streams(&self, import_type: ImportType) -> bool;
    /// Parses the input of an import by `user`.
    fn open<'a>(
        &'a self,
        import_type: ImportType,
        input: &ImportInput<'a>,
        user: UserId,
    ) -> Result<Box<dyn RecordSource + 'a>, ImportError>;
    /// Converts a stored orphan's record and context again.
    fn convert_json(
        &self,
        import_type: ImportType,
        data: &Value,
        context: &Value,
    ) -> Result<PendingScore, ConverterFailure>;
    /// Phase 2 of conversion, once the chart is known.
    fn check_with_chart(
        &self,
        dry: &mut DryScore,
        chart: &ChartDocument,
        song: &SongDocument,
    ) -> Result<(), ConverterFailure>;
}

struct Source<'a, F: ImportFormat> {
    format: &'a F,
    import_type: ImportType,
    parsed: ParsedImport<'a, F::Record, F::Context>,
    batch: Vec<F::Record>,
    /// The last batch's conversions (a buffer kept between batches).
    outcomes: Vec<Result<Box<PendingScore>, ConverterFailure>>,
    next_index: u64,
}

impl<F: ImportFormat> RecordSource for Source<'_, F> {
    fn game(&self) -> Game {
        self.parsed.game
    }

    fn classes(&self) -> Vec<ProvidedClass> {
        self.parsed.classes.get()
    }

    fn next_batch(&mut self, n: usize, out: &mut Vec<Converted>) -> Result<bool, ImportError> {
        out.clear();
        self.batch.clear();
        // Records are read in order; converting them is pure, so it runs on
        // every core (`kaiden_par`), results in record order.
        while self.batch.len() < n {
            match self.parsed.records.next() {
                None => break,
                Some(record) => self.batch.push(record?),
            }
        }
        let (format, import_type, context) = (self.format, self.import_type, &self.parsed.context);
        par::map_mut_into(&mut self.batch, &mut self.outcomes, |record| {
            format
                .convert(import_type, record, context)
                .and_then(crate::limits::check)
                .map(Box::new)
        });
        for outcome in self.outcomes.drain(..) {
            out.push(Converted {
                index: self.next_index,
                outcome,
            });
            self.next_index += 1;
        }
        Ok(!self.batch.is_empty())
    }

    fn record_json(&self, i: usize) -> Value {
        self.batch
            .get(i)
            .and_then(|r| serde_json::to_value(r).ok())
            .unwrap_or(Value::Null)
    }

    fn position(&self, i: usize) -> Option<Position> {
        self.batch.get(i).and_then(|r| self.format.position(r))
    }

    fn context_json(&self) -> Value {
        serde_json::to_value(&self.parsed.context).unwrap_or(Value::Null)
    }

    fn proposed_chart(&self, i: usize) -> Option<kaiden_core::format::ProposedChart> {
        let record = self.batch.get(i)?;
        self.format
            .proposed_chart(self.import_type, record, &self.parsed.context)
    }
}

impl<F: ImportFormat> DynFormat for F {
    fn import_types(&self) -> &'static [ImportType] {
        ImportFormat::import_types(self)
    }

    fn reads_streams(&self, import_type: ImportType) -> bool {
        ImportFormat::reads_streams(self, import_type)
    }

    fn open<'a>(
        &'a self,
        import_type: ImportType,
        input: &ImportInput<'a>,
        user: UserId,
    ) -> Result<Box<dyn RecordSource + 'a>, ImportError> {
        let parsed = self.parse_for_user(import_type, input, user)?;
        Ok(Box::new(Source {
            format: self,
            import_type,
            parsed,
            batch: Vec::new(),
            outcomes: Vec::new(),
            next_index: 0,
        }))
    }

    fn convert_json(
        &self,
        import_type: ImportType,
        data: &Value,
        context: &Value,
    ) -> Result<PendingScore, ConverterFailure> {
        let record: F::Record = serde_json::from_value(data.clone())
            .map_err(|e| ConverterFailure::Internal(format!("stored record unreadable: {e}")))?;
        let context: F::Context = serde_json::from_value(context.clone())
            .map_err(|e| ConverterFailure::Internal(format!("stored context unreadable: {e}")))?;
        self.convert(import_type, &record, &context)
            .and_then(crate::limits::check)
    }

    fn check_with_chart(
        &self,
        dry: &mut DryScore,
        chart: &ChartDocument,
        song: &SongDocument,
    ) -> Result<(), ConverterFailure> {
        ImportFormat::check_with_chart(self, dry, chart, song)
    }
}

/// The bytes of `input`'s stream, read whole, when `format` cannot read the
/// stream as it goes; `None` when there is no stream or the format reads it.
/// A stream larger than `max_bytes` is refused before it is read.
pub(crate) fn whole_stream(
    format: &dyn DynFormat,
    import_type: ImportType,
    input: &ImportInput<'_>,
    max_bytes: u64,
) -> Result<Option<Vec<u8>>, ImportError> {
    use std::io::Read as _;
    let Some(stream) = &input.stream else {
        return Ok(None);
    };
    if format.reads_streams(import_type) {
        return Ok(None);
    }
    if stream.len() > max_bytes {
        return Err(ImportError::invalid(format!(
            "{import_type} reads its input whole, and this one is {} bytes (at most {max_bytes}).",
            stream.len()
        )));
    }
    let unreadable = kaiden_core::error::unreadable_input;
    let mut bytes = Vec::with_capacity(usize::try_from(stream.len()).unwrap_or(0));
    stream
        .open()
        .map_err(unreadable)?
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok(Some(bytes))
}

/// `input`, or the same input holding `whole` as its bytes (see [`whole_stream`]).
pub(crate) fn with_bytes<'b>(input: &ImportInput<'b>, whole: Option<&'b [u8]>) -> ImportInput<'b> {
    match whole {
        Some(bytes) => ImportInput {
            bytes,
            stream: None,
            ..input.clone()
        },
        None => input.clone(),
    }
}

/// The import types a pipeline can run, each with its format.
#[derive(Default, Clone)]
pub struct Registry {
    formats: HashMap<ImportType, Arc<dyn DynFormat>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut types: Vec<&str> = self.formats.keys().map(|t| t.as_str()).collect();
        types.sort_unstable();
        f.debug_struct("Registry").field("types", &types).finish()
    }
}

impl Registry {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Registry::default()
    }

    /// Registers a format for every import type it serves.
    #[must_use]
    pub fn with(mut self, format: impl DynFormat + 'static) -> Self {
        let format: Arc<dyn DynFormat> = Arc::new(format);
        for t in format.import_types() {
            t.declare();
            self.formats.insert(*t, Arc::clone(&format));
        }
        self
    }

    /// The format of an import type.
    #[must_use]
    pub fn get(&self, import_type: ImportType) -> Option<&Arc<dyn DynFormat>> {
        self.formats.get(&import_type)
    }

    /// The registered import types, sorted by name.
    #[must_use]
    pub fn import_types(&self) -> Vec<ImportType> {
        let mut v: Vec<ImportType> = self.formats.keys().copied().collect();
        v.sort_by_key(|t| t.as_str());
        v
    }

    /// The registered import type named `name`; otherwise the error lists the
    /// registered types of the kind its prefix names (all when it names none).
    pub fn parse(&self, name: &str) -> Result<ImportType, kaiden_core::UnknownName> {
        ImportType::find_in(name, &self.import_types())
    }

    /// The registered import types of one kind, sorted by name.
    #[must_use]
    pub fn import_types_of(&self, kind: kaiden_core::ImportKind) -> Vec<ImportType> {
        let mut v = self.import_types();
        v.retain(|t| t.kind() == kind);
        v
    }

    /// The format of an import type, or the 400-class error Tachi gives for an
    /// import type the server does not accept.
    pub fn require(&self, import_type: ImportType) -> Result<&Arc<dyn DynFormat>, ImportError> {
        self.get(import_type).ok_or_else(|| {
            ImportError::invalid(format!(
                "Invalid importType of {import_type}: this server does not support it."
            ))
        })
    }
}
