//! BATCH-MANUAL read from a stream, in windows of bounded size.
//!
//! The document's head (everything before the `scores` array: `meta`, and
//! `classes` when it comes first) is read once. The array is then cut at
//! score boundaries into windows of about [`WINDOW`] bytes, and each window
//! is parsed by the same code as a document in memory: the head, the
//! window's scores, and `]}` (or, for the last window, the real rest of the
//! file). Positions in a window's scores are moved back to where those bytes
//! are in the file, so records and errors say exactly what reading the file
//! whole says. Anything the cutter does not expect (scores before `meta`, a
//! malformed separator, the end of the input inside a score) hands the rest
//! of the file to the parser whole, which then reports it in its own words.

use std::collections::VecDeque;

use kaiden_core::error::{ImportError, Position, unreadable_input};
use kaiden_core::format::{ClassSlot, InputStream, ParsedImport, fused_records};
use kaiden_core::tape::Tape;
use kaiden_core::{Gpt, ImportType};

use crate::record::BatchScore;
use crate::scan::line_col;
use crate::{BOM, BatchContext, BatchManual, BatchManualError, Scan, Scores, open_doc, scan_top};

/// The size a window of scores grows to before it is parsed.
pub(crate) const WINDOW: usize = 256 * 1024;

/// A head larger than this is not worth re-reading per window: the document
/// is read whole (it is bounded by the format's size limit anyway).
const MAX_HEAD: usize = 1024 * 1024;

/// Moves whitespace into `out`.
fn skip_ws(src: &mut Tape, out: &mut Vec<u8>) -> Result<(), ImportError> {
    src.take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'), out)
        .map(|_| ())
}

/// Copies one JSON value's bytes (strings and nesting followed, nothing
/// else checked: the parser does that). `false`: the input ended first.
fn copy_value(src: &mut Tape, out: &mut Vec<u8>) -> Result<bool, ImportError> {
    let Some(first) = src.peek()? else {
        return Ok(false);
    };
    if !matches!(first, b'{' | b'[' | b'"') {
        // A number, true, false, null, or garbage: up to a delimiter.
        src.take_while(
            |c| !matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'),
            out,
        )?;
        return Ok(true);
    }
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    loop {
        let buf = src.fill()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let mut done = false;
        let mut n = 0;
        for &c in buf {
            n += 1;
            if in_str {
                if esc {
                    esc = false;
                } else if c == b'\\' {
                    esc = true;
                } else if c == b'"' {
                    in_str = false;
                    if depth == 0 {
                        done = true;
                        break;
                    }
                }
            } else {
                match c {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            done = true;
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        src.take(n, out)?;
        if done {
            return Ok(true);
        }
    }
}

/// Reads the head into `head`: `true` when it stops just after the `[` of
/// `scores`, with `meta` before it; `false` when the document must be read
/// whole (the rest is not read yet).
fn read_head(src: &mut Tape, head: &mut Vec<u8>) -> Result<bool, ImportError> {
    skip_ws(src, head)?;
    if src.peek()? != Some(b'{') {
        return Ok(false);
    }
    src.take(1, head)?;
    let mut meta_seen = false;
    loop {
        skip_ws(src, head)?;
        if src.peek()? != Some(b'"') || head.len() > MAX_HEAD {
            return Ok(false);
        }
        let key_start = head.len();
        if !copy_value(src, head)? {
            return Ok(false);
        }
        let key = head[key_start..].to_vec();
        skip_ws(src, head)?;
        if src.peek()? != Some(b':') {
            return Ok(false);
        }
        src.take(1, head)?;
        skip_ws(src, head)?;
        if key == b"\"scores\"" && meta_seen && src.peek()? == Some(b'[') {
            src.take(1, head)?;
            return Ok(true);
        }
        if !copy_value(src, head)? {
            return Ok(false);
        }
        meta_seen |= key == b"\"meta\"";
        skip_ws(src, head)?;
        if src.peek()? != Some(b',') {
            return Ok(false);
        }
        src.take(1, head)?;
    }
}

/// Where a window's scores sit in the window and in the file.
#[derive(Clone, Copy)]
struct Splice {
    /// The window's first score byte, its line and column in the window.
    at: u64,
    line: u64,
    col: u64,
    /// The same byte in the file.
    file_at: u64,
    file_line: u64,
    file_col: u64,
}

impl Splice {
    fn position(&self, mut p: Position) -> Position {
        let after = match (p.byte, p.line, p.column) {
            (Some(b), _, _) => b >= self.at,
            (None, Some(l), c) => (l, c.unwrap_or(1)) >= (self.line, self.col),
            _ => false,
        };
        if !after {
            return p;
        }
        if let Some(b) = p.byte {
            p.byte = Some(b - self.at + self.file_at);
        }
        if let Some(l) = p.line {
            if let Some(c) = p.column {
                p.column = Some(if l == self.line {
                    c - self.col + self.file_col
                } else {
                    c
                });
            }
            p.line = Some(l - self.line + self.file_line);
        }
        p
    }

    fn error(&self, e: ImportError) -> ImportError {
        match e.position().cloned() {
            Some(p) => {
                let p = self.position(p);
                e.at(p)
            }
            None => e,
        }
    }

    fn record(&self, mut r: Box<BatchScore>) -> Box<BatchScore> {
        if r.byte >= self.at {
            r.byte = r.byte - self.at + self.file_at;
            r.line = r.line - self.line + self.file_line;
        }
        r
    }
}

/// The records of a streamed document, a window at a time.
struct Windows {
    src: Tape,
    head: Vec<u8>,
    gpt: Gpt,
    classes: ClassSlot,
    index: u64,
    window: usize,
    ready: VecDeque<Result<Box<BatchScore>, ImportError>>,
    /// The last window has been read.
    last: bool,
}

impl Windows {
    fn step(&mut self) -> Result<Option<Box<BatchScore>>, ImportError> {
        loop {
            if let Some(r) = self.ready.pop_front() {
                return r.map(Some);
            }
            if self.last {
                return Ok(None);
            }
            self.read_window()?;
        }
    }

    /// Reads the next window of scores and parses it into `ready`.
    fn read_window(&mut self) -> Result<(), ImportError> {
        let mut doc = self.head.clone();
        let (file_at, file_line, file_col) = (self.src.byte(), self.src.line(), self.src.column());
        let at = doc.len();
        // Scores and their separators, until the window is full.
        loop {
            skip_ws(&mut self.src, &mut doc)?;
            if self.src.peek()? == Some(b']') {
                // An empty array (a later window starts at a score), or a
                // separator before the end: the parser reads the rest.
                break self.finish(&mut doc)?;
            }
            let element_start = doc.len();
            // The input ended inside a score, or a separator (or garbage)
            // stands where a score should: the parser reads the rest.
            if !copy_value(&mut self.src, &mut doc)? || doc.len() == element_start {
                break self.finish(&mut doc)?;
            }
            let element_end = doc.len();
            skip_ws(&mut self.src, &mut doc)?;
            match self.src.peek()? {
                Some(b',') if doc.len() - at >= self.window => {
                    // Cut after this score, if another follows the separator
                    // (else the parser must see the separator).
                    let mut sep = Vec::new();
                    self.src.take(1, &mut sep)?;
                    skip_ws(&mut self.src, &mut sep)?;
                    if matches!(self.src.peek()?, Some(c) if c != b']') {
                        doc.truncate(element_end);
                        doc.extend_from_slice(b"]}");
                        break;
                    }
                    doc.extend_from_slice(&sep);
                    break self.finish(&mut doc)?;
                }
                Some(b',') => {
                    self.src.take(1, &mut doc)?;
                }
                _ => break self.finish(&mut doc)?,
            }
        }
        let (line, col) = line_col(&doc, at);
        let splice = Splice {
            at: at as u64,
            line,
            col,
            file_at,
            file_line,
            file_col,
        };
        let b = doc.as_slice();
        let (top, scan) = scan_top(b).map_err(|e| splice.error(e))?;
        let (Some((start, _)), Scan::Paused) = (top.scores, scan) else {
            return Err(ImportError::internal(
                "a BATCH-MANUAL window lost its scores",
            ));
        };
        let mut scores = Scores {
            b,
            gpt: self.gpt,
            i: start + 1,
            end: b.len(),
            index: self.index,
            line: (start + 1, line_col(b, start + 1).0),
            resume: Some(top),
            classes: self.classes.clone(),
            text: std::str::from_utf8(b).ok(),
        };
        loop {
            match scores.step() {
                Ok(Some(r)) => self.ready.push_back(Ok(splice.record(r))),
                Ok(None) => break,
                Err(e) => {
                    self.ready.push_back(Err(splice.error(e)));
                    self.last = true;
                    break;
                }
            }
        }
        self.index = scores.index;
        Ok(())
    }

    /// Ends the last window with the rest of the file.
    fn finish(&mut self, doc: &mut Vec<u8>) -> Result<(), ImportError> {
        self.last = true;
        self.src.rest(doc)
    }
}

/// Parses `stream` as a BATCH-MANUAL document, reading it in windows.
pub(crate) fn parse<'a>(
    format: &BatchManual,
    import_type: ImportType,
    stream: &dyn InputStream,
    limit: usize,
) -> Result<ParsedImport<'a, Box<BatchScore>, BatchContext>, ImportError> {
    let size = stream.len();
    if size > limit as u64 {
        return Err(BatchManualError::TooLarge {
            size: usize::try_from(size).unwrap_or(usize::MAX),
            limit,
        }
        .into());
    }
    let mut r = stream.open().map_err(unreadable_input)?;
    // Positions count from after a byte order mark, as in memory.
    let bom = r.fill_buf().map_err(unreadable_input)?.starts_with(BOM);
    if bom {
        r.consume(BOM.len());
    }
    let mut src = Tape::new(r);
    let mut head = Vec::new();
    if !read_head(&mut src, &mut head)? {
        // Read whole, then parsed as in memory, all at once.
        src.rest(&mut head)?;
        let (context, classes, mut scores) = open_doc(import_type, &head)?;
        let mut ready = VecDeque::new();
        loop {
            match scores.step() {
                Ok(Some(r)) => ready.push_back(Ok(r)),
                Ok(None) => break,
                Err(e) => {
                    ready.push_back(Err(e));
                    break;
                }
            }
        }
        return Ok(ParsedImport {
            game: context.gpt.game(),
            context,
            records: Box::new(ready.into_iter()),
            classes,
        });
    }
    // The head alone, closed, gives the context and the classes before the
    // scores (and their errors, at their own positions).
    let mut closed = head.clone();
    closed.extend_from_slice(b"]}");
    let (context, classes, _) = open_doc(import_type, &closed)?;
    let mut windows = Windows {
        src,
        head,
        gpt: context.gpt,
        classes: classes.clone(),
        index: 0,
        window: format.stream_window,
        ready: VecDeque::new(),
        last: false,
    };
    Ok(ParsedImport {
        game: context.gpt.game(),
        context,
        records: Box::new(fused_records(move || windows.step())),
        classes,
    })
}
