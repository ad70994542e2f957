//! A stream read forward into buffers, counting where it is: what formats
//! that cut a stream into pieces (BATCH-MANUAL's windows, S3's) read with.

use crate::error::{ImportError, unreadable_input};
use crate::format::BufReadSeek;

/// A reader that moves bytes into the caller's buffers and counts the byte,
/// line and character column it is at (a character is a byte that does not
/// continue a UTF-8 sequence, whatever the bytes are).
pub struct Tape {
    r: Box<dyn BufReadSeek>,
    byte: u64,
    line: u64,
    col: u64,
}

impl std::fmt::Debug for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tape")
            .field("byte", &self.byte)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl Tape {
    /// A tape at the reader's position, counted as byte 0, line 1.
    #[must_use]
    pub fn new(r: Box<dyn BufReadSeek>) -> Self {
        Tape {
            r,
            byte: 0,
            line: 1,
            col: 0,
        }
    }

    /// Bytes read so far.
    #[must_use]
    pub fn byte(&self) -> u64 {
        self.byte
    }

    /// The 1-based line of the next byte.
    #[must_use]
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The 1-based character column of the next byte.
    #[must_use]
    pub fn column(&self) -> u64 {
        self.col + 1
    }

    /// The buffered bytes not read yet (empty at the end).
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn fill(&mut self) -> Result<&[u8], ImportError> {
        self.r.fill_buf().map_err(unreadable_input)
    }

    /// The next byte, not read.
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn peek(&mut self) -> Result<Option<u8>, ImportError> {
        Ok(self.fill()?.first().copied())
    }

    /// Whether the unread input starts with `s` (at most a buffer ahead).
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn starts_with(&mut self, s: &[u8]) -> Result<bool, ImportError> {
        Ok(self.fill()?.starts_with(s))
    }

    /// Moves up to `n` buffered bytes into `out` (fewer at the buffer's end).
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn take(&mut self, n: usize, out: &mut Vec<u8>) -> Result<usize, ImportError> {
        let buf = self.r.fill_buf().map_err(unreadable_input)?;
        let n = n.min(buf.len());
        for &c in &buf[..n] {
            if c == b'\n' {
                self.line += 1;
                self.col = 0;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        out.extend_from_slice(&buf[..n]);
        self.byte += n as u64;
        self.r.consume(n);
        Ok(n)
    }

    /// Moves bytes into `out` while `keep` holds; the count moved.
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn take_while(
        &mut self,
        mut keep: impl FnMut(u8) -> bool,
        out: &mut Vec<u8>,
    ) -> Result<u64, ImportError> {
        let mut moved = 0;
        loop {
            let buf = self.fill()?;
            let n = buf.iter().take_while(|c| keep(**c)).count();
            let whole = n == buf.len() && n > 0;
            self.take(n, out)?;
            moved += n as u64;
            if !whole {
                return Ok(moved);
            }
        }
    }

    /// Moves bytes into `out` up to and including the first `end` among the
    /// bytes it moves (what `out` held before does not count); `false` when
    /// the input ends first (all of it moved).
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn take_through(&mut self, end: &[u8], out: &mut Vec<u8>) -> Result<bool, ImportError> {
        let Some(&last) = end.last() else {
            return Ok(true);
        };
        let start = out.len();
        loop {
            self.take_while(|c| c != last, out)?;
            if self.peek()?.is_none() {
                return Ok(false);
            }
            self.take(1, out)?;
            if out.len() - start >= end.len() && out.ends_with(end) {
                return Ok(true);
            }
        }
    }

    /// Moves the rest of the input into `out`.
    ///
    /// # Errors
    /// When the stream cannot be read.
    pub fn rest(&mut self, out: &mut Vec<u8>) -> Result<(), ImportError> {
        loop {
            let n = self.fill()?.len();
            if n == 0 {
                return Ok(());
            }
            self.take(n, out)?;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Tape;

    fn tape(s: &str, cap: usize) -> Tape {
        Tape::new(Box::new(std::io::BufReader::with_capacity(
            cap,
            std::io::Cursor::new(s.as_bytes().to_vec()),
        )))
    }

    #[test]
    fn counts_bytes_lines_and_characters_across_buffers() {
        for cap in [1, 2, 3, 64] {
            let mut t = tape("ab\né🎵x-->y", cap);
            let mut out = Vec::new();
            assert_eq!(t.take_while(|c| c != b'\n', &mut out).unwrap(), 2);
            assert_eq!((t.byte(), t.line(), t.column()), (2, 1, 3));
            t.take(1, &mut out).unwrap();
            assert!(t.take_through(b"-->", &mut out).unwrap());
            assert_eq!(out, "ab\né🎵x-->".as_bytes());
            assert_eq!((t.line(), t.column()), (2, 7));
            assert_eq!(t.peek().unwrap(), Some(b'y'));
            assert!(!t.take_through(b"-->", &mut out).unwrap());
            assert_eq!(t.peek().unwrap(), None);
            assert_eq!(t.byte() as usize, "ab\né🎵x-->y".len());
            // What `out` held before is not part of the match: `<!--` then
            // `>` is no `-->`.
            let mut t = tape("> -->z", cap);
            let mut out = b"<!--".to_vec();
            assert!(t.take_through(b"-->", &mut out).unwrap());
            assert_eq!(out, b"<!--> -->");
        }
    }
}
