//! S3 XML read from a stream, in windows of bounded size.
//!
//! The head (everything up to the `<scoredata>` start tag under the root:
//! the XML declaration, `<userdata>`, …) is read once. The songs are then cut
//! after whole `<song>` elements into windows of about [`WINDOW`] bytes, and
//! each window is parsed by the in-memory reader: the head, the window's
//! songs, and the closing tags (or, for the last window, the real rest of
//! the file). Byte positions in a window are moved back to the file's, so
//! songs and errors are those of the file read whole. Anything the cutter
//! does not expect (a DOCTYPE, no `<scoredata>`, an element not closed)
//! hands the rest of the file to the reader whole.

use std::collections::VecDeque;

use kaiden_core::error::{ImportError, unreadable_input};
use kaiden_core::format::InputStream;
use kaiden_core::tape::Tape;

use crate::xml::{S3Error, S3Song, Songs};

/// The size a window of songs grows to before it is parsed.
pub(crate) const WINDOW: usize = 256 * 1024;

/// A head larger than this is not re-read per window: the file is read whole.
const MAX_HEAD: usize = 1024 * 1024;

/// One piece of markup, from its `<`.
enum Markup {
    Start {
        name: Vec<u8>,
        empty: bool,
    },
    End,
    /// A comment, processing instruction or CDATA section.
    Other,
    /// A DOCTYPE, or markup the input ends inside.
    Odd,
}

/// Moves the markup at the tape's `<` into `out`.
fn markup(t: &mut Tape, out: &mut Vec<u8>) -> Result<Markup, ImportError> {
    let through = |t: &mut Tape, out: &mut Vec<u8>, end: &[u8]| {
        let closed = t.take_through(end, out)?;
        Ok::<_, ImportError>(if closed { Markup::Other } else { Markup::Odd })
    };
    t.take(1, out)?;
    match t.peek()? {
        Some(b'?') => {
            t.take(1, out)?;
            through(t, out, b"?>")
        }
        Some(b'!') => {
            t.take(1, out)?;
            match t.peek()? {
                Some(b'-') => {
                    t.take(1, out)?;
                    if t.peek()? != Some(b'-') {
                        return Ok(Markup::Odd);
                    }
                    t.take(1, out)?;
                    through(t, out, b"-->")
                }
                Some(b'[') => through(t, out, b"]]>"),
                _ => Ok(Markup::Odd),
            }
        }
        None => Ok(Markup::Odd),
        Some(first) => {
            let start = out.len();
            let mut quote = None;
            let mut closed = false;
            loop {
                let buf = t.fill()?;
                if buf.is_empty() {
                    break;
                }
                let mut n = 0;
                for &c in buf {
                    n += 1;
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None if c == b'"' || c == b'\'' => quote = Some(c),
                        None if c == b'>' => {
                            closed = true;
                            break;
                        }
                        None => {}
                    }
                }
                t.take(n, out)?;
                if closed {
                    break;
                }
            }
            if !closed {
                return Ok(Markup::Odd);
            }
            if first == b'/' {
                return Ok(Markup::End);
            }
            let tag = &out[start..];
            let name = tag
                .iter()
                .take_while(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>'))
                .copied()
                .collect();
            Ok(Markup::Start {
                name,
                empty: tag.ends_with(b"/>"),
            })
        }
    }
}

/// A name without its namespace prefix.
fn local(name: &[u8]) -> &[u8] {
    name.iter()
        .rposition(|c| *c == b':')
        .map_or(name, |i| &name[i + 1..])
}

/// Reads the head into `head`, up to the end of the `<scoredata>` start tag
/// under the root: the closing tags of a window (`</scoredata></s3data>`,
/// as the document names them), or `None` when the file must be read whole.
fn read_head(t: &mut Tape, head: &mut Vec<u8>) -> Result<Option<Vec<u8>>, ImportError> {
    let mut root: Option<Vec<u8>> = None;
    let mut depth = 0usize;
    loop {
        if head.len() > MAX_HEAD {
            return Ok(None);
        }
        t.take_while(|c| c != b'<', head)?;
        if t.peek()?.is_none() {
            return Ok(None);
        }
        match markup(t, head)? {
            Markup::Start { name, empty } => {
                if depth == 0 {
                    if empty || local(&name) != b"s3data" {
                        return Ok(None);
                    }
                    root = Some(name);
                    depth = 1;
                } else if depth == 1 && !empty && local(&name) == b"scoredata" {
                    let mut closing = b"</".to_vec();
                    closing.extend_from_slice(&name);
                    closing.extend_from_slice(b"></");
                    closing.extend_from_slice(root.as_deref().unwrap_or(b"s3data"));
                    closing.push(b'>');
                    return Ok(Some(closing));
                } else if !empty {
                    depth += 1;
                }
            }
            Markup::End => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(None);
                }
            }
            Markup::Other => {}
            Markup::Odd => return Ok(None),
        }
    }
}

/// The songs of a streamed file, a window at a time.
struct Windows {
    t: Tape,
    head: Vec<u8>,
    closing: Vec<u8>,
    window: usize,
    index: u64,
    ready: VecDeque<Result<S3Song, ImportError>>,
    first: bool,
    last: bool,
}

impl Windows {
    fn step(&mut self) -> Result<Option<S3Song>, ImportError> {
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

    /// Reads and parses the next window. An error opening the first window
    /// is returned (the file is refused before any song, as in memory);
    /// later errors are queued after the songs before them.
    fn read_window(&mut self) -> Result<(), ImportError> {
        let mut doc = self.head.clone();
        let at = doc.len() as u64;
        let file_at = self.t.byte();
        let mut depth = 0usize;
        let mut song = false;
        loop {
            self.t.take_while(|c| c != b'<', &mut doc)?;
            if self.t.peek()?.is_none() {
                self.last = true;
                break;
            }
            let done = match markup(&mut self.t, &mut doc)? {
                Markup::Start { name, empty } => {
                    if depth == 0 {
                        song = local(&name) == b"song";
                    }
                    if !empty {
                        depth += 1;
                    }
                    empty && depth == 0 && song
                }
                Markup::End if depth == 0 => {
                    // `</scoredata>`: the rest is the last window's.
                    self.last = true;
                    break;
                }
                Markup::End => {
                    depth -= 1;
                    depth == 0 && song
                }
                Markup::Other => false,
                Markup::Odd => {
                    self.last = true;
                    break;
                }
            };
            if done && doc.len() as u64 - at >= self.window as u64 {
                doc.extend_from_slice(&self.closing);
                break;
            }
        }
        if self.last {
            self.t.rest(&mut doc)?;
        }
        let moved = |byte: u64| {
            if byte >= at {
                byte - at + file_at
            } else {
                byte
            }
        };
        let map_err = |e: ImportError| match e.position().cloned() {
            Some(mut p) => {
                p.byte = p.byte.map(moved);
                e.at(p)
            }
            None => e,
        };
        let first = std::mem::replace(&mut self.first, false);
        let mut songs = match Songs::open_at(&doc, self.index) {
            Ok(s) => s,
            Err(e) if first => return Err(map_err(e)),
            // A last window without songs, read to its end: the file has
            // ended well (elsewhere, the reader found a foreign element).
            Err(e)
                if e.format_error::<S3Error>() == Some(&S3Error::NoSongs)
                    && e.position().and_then(|p| p.byte) == Some(doc.len() as u64) =>
            {
                self.last = true;
                return Ok(());
            }
            Err(e) => {
                self.ready.push_back(Err(map_err(e)));
                self.last = true;
                return Ok(());
            }
        };
        loop {
            match songs.step() {
                Ok(Some(mut s)) => {
                    s.byte = moved(s.byte);
                    self.ready.push_back(Ok(s));
                }
                Ok(None) => break,
                Err(e) => {
                    self.ready.push_back(Err(map_err(e)));
                    self.last = true;
                    break;
                }
            }
        }
        self.index = songs.next_index();
        Ok(())
    }
}

/// The songs of `stream`, read in windows of `window` bytes.
pub(crate) fn songs(
    stream: &dyn InputStream,
    window: usize,
) -> Result<Box<dyn Iterator<Item = Result<S3Song, ImportError>> + Send>, ImportError> {
    let mut t = Tape::new(stream.open().map_err(unreadable_input)?);
    let mut head = Vec::new();
    let Some(closing) = read_head(&mut t, &mut head)? else {
        // Read whole; parsed as in memory, all at once.
        t.rest(&mut head)?;
        let mut songs = Songs::open(&head)?;
        let mut all = Vec::new();
        loop {
            match songs.step() {
                Ok(Some(s)) => all.push(Ok(s)),
                Ok(None) => break,
                Err(e) => {
                    all.push(Err(e));
                    break;
                }
            }
        }
        return Ok(Box::new(all.into_iter()));
    };
    let mut windows = Windows {
        t,
        head,
        closing,
        window: window.max(1),
        index: 0,
        ready: VecDeque::new(),
        first: true,
        last: false,
    };
    windows.read_window()?;
    Ok(Box::new(kaiden_core::format::fused_records(move || {
        windows.step()
    })))
}
