//! A small JSON scanner that finds value boundaries without building a tree, so
//! the `scores` array can be streamed element by element. Values themselves are
//! parsed (and fully checked) by serde_json; the scanner only has to find where
//! each one ends. Iterative: nesting depth costs no stack.

/// Where the scanner stopped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    /// Byte offset.
    pub at: usize,
    /// What was expected.
    pub message: String,
}

/// Deeper nesting than this is refused (serde_json's own limit is 128).
pub const MAX_DEPTH: usize = 128;

pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Skips a string starting at `i` (which must be `"`); returns the index after it.
pub fn skip_string(b: &[u8], i: usize) -> Result<usize, ScanError> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'"' => return Ok(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    Err(ScanError {
        at: i,
        message: "unterminated string".into(),
    })
}

/// Skips one JSON value starting at `i` (after whitespace); returns its end.
pub fn skip_value(b: &[u8], i: usize) -> Result<usize, ScanError> {
    let i = skip_ws(b, i);
    let Some(&first) = b.get(i) else {
        return Err(ScanError {
            at: i,
            message: "expected a value, found the end of the input".into(),
        });
    };
    match first {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => {
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(ScanError {
                                at: j,
                                message: format!("nesting deeper than {MAX_DEPTH}"),
                            });
                        }
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            Err(ScanError {
                at: i,
                message: "unterminated object or array".into(),
            })
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            if j == i {
                return Err(ScanError {
                    at: i,
                    message: format!("unexpected character {:?}", first as char),
                });
            }
            Ok(j)
        }
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(b: &[u8], at: usize) -> (u64, u64) {
    let at = at.min(b.len());
    let before = &b[..at];
    let line = before.iter().filter(|c| **c == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |p| p + 1);
    // Characters: bytes that do not continue a UTF-8 sequence (the same
    // count a stream keeps as it reads, whatever the bytes are).
    let col = before[line_start..]
        .iter()
        .filter(|c| **c & 0xC0 != 0x80)
        .count() as u64
        + 1;
    (line, col)
}

/// How many `\n` bytes `s` holds (vectorised: byte-wide counters per 255-byte chunk).
pub fn count_newlines(s: &[u8]) -> u64 {
    let mut total = 0u64;
    for chunk in s.chunks(255) {
        let mut n: u8 = 0;
        for &c in chunk {
            n += u8::from(c == b'\n');
        }
        total += u64::from(n);
    }
    total
}
