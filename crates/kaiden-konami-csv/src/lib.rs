//! The CSV dialect of Konami's e-amusement exports, read the way Tachi's "naive"
//! reader does: nothing is escaped, so a line is split on every `,`; a cell
//! wholly wrapped in `"` loses them; lines with a single cell (empty, blank or
//! without a comma) are skipped; every other line must have as many cells as the
//! header. Streaming: lines are read lazily from the input.
#![deny(missing_docs)]

use kaiden_core::error::{ImportError, Position};

/// The dialect's fatal errors; each displays as Tachi's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KonamiCsvError {
    /// The first line is empty.
    #[error("Expected headers, but received nothing in the first row.")]
    NoHeaders,
    /// The header line is over 1000 characters.
    #[error("Headers were longer than 1000 characters long.")]
    HeadersTooLong,
    /// The header line has too many cells.
    #[error("Too many CSV headers.")]
    TooManyHeaders,
    /// A row's cell count differs from the header's.
    #[error("Row {row} has an invalid amount of cells ({found}, expected {expected}).")]
    CellCount {
        /// The 0-based row (the header is row 0).
        row: u64,
        /// Cells found.
        found: usize,
        /// Cells the header has.
        expected: usize,
    },
    /// Reading the file failed.
    #[error("The file could not be read: {0}")]
    Unreadable(String),
    /// The bytes are not UTF-8.
    #[error("The file is not UTF-8 text.")]
    NotUtf8,
}

impl kaiden_core::error::FormatError for KonamiCsvError {}

/// Tachi's limits on the header line.
pub const MAX_HEADER_CHARS: usize = 1000;
/// Tachi's limit on header cells.
pub const MAX_HEADER_CELLS: usize = 50;

/// A parsed header and the rows after it.
#[derive(Debug)]
pub struct KonamiCsv<'a> {
    /// The header cells, as written (BOM and padding included).
    pub headers: Vec<&'a str>,
    rest: &'a str,
    /// 0-based index of the next line.
    line: u64,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    /// 1-based line number in the file.
    pub line: u64,
    /// The whole line (without its `\n`); every cell is a slice of it.
    pub text: &'a str,
    /// The cells, unwrapped of surrounding quotes.
    pub cells: Vec<&'a str>,
}

/// Removes the quotes of a cell wholly wrapped in them. Like JavaScript's `.`, the
/// inside may not contain a line terminator (so `"x"\r` keeps its quotes).
fn unwrap_quotes(cell: &str) -> &str {
    match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
        Some(inner) if !inner.contains(['\r', '\n', '\u{2028}', '\u{2029}']) => inner,
        _ => cell,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `word` equal to `b` (exact: no borrow
/// between bytes).
fn bytes_equal(word: u64, b: u8) -> u64 {
    let x = word ^ (u64::from(b) * ONES);
    !(((x & LOW7) + LOW7) | x) & HIGH
}

/// Splits the first line of `text` on every comma, eight bytes at a time (a
/// word compare, no per-byte branch). Returns the cells and the line's length
/// (the `\n`, if any, follows it).
fn scan_line(text: &str, expected: usize) -> (Vec<&str>, usize) {
    let bytes = text.as_bytes();
    let mut cells = Vec::with_capacity(expected);
    let mut start = 0;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(word);
        let mut commas = bytes_equal(word, b',');
        let newlines = bytes_equal(word, b'\n');
        if newlines != 0 {
            // Only the commas before the first newline belong to this line.
            commas &= newlines.wrapping_sub(1) & !newlines;
        }
        while commas != 0 {
            let at = i + (commas.trailing_zeros() / 8) as usize;
            cells.push(unwrap_quotes(&text[start..at]));
            start = at + 1;
            commas &= commas - 1;
        }
        if newlines != 0 {
            let end = i + (newlines.trailing_zeros() / 8) as usize;
            cells.push(unwrap_quotes(&text[start..end]));
            return (cells, end);
        }
        i += 8;
    }
    let mut end = bytes.len();
    for (j, b) in bytes[i..].iter().enumerate() {
        if *b == b'\n' {
            end = i + j;
            break;
        }
        if *b == b',' {
            cells.push(unwrap_quotes(&text[start..i + j]));
            start = i + j + 1;
        }
    }
    cells.push(unwrap_quotes(&text[start..end]));
    (cells, end)
}

/// Splits a line (no `\n` in it) on every comma.
fn split_cells(line: &str, expected: usize) -> Vec<&str> {
    scan_line(line, expected).0
}

/// Checks a line's cells: `None` for a skipped single-cell line, an error when
/// the count differs from the header's.
fn check_cells(
    cells: Vec<&str>,
    headers: usize,
    index: u64,
) -> Option<Result<Vec<&str>, ImportError>> {
    if cells.len() == 1 {
        return None;
    }
    if cells.len() != headers {
        return Some(Err(ImportError::from(KonamiCsvError::CellCount {
            row: index,
            found: cells.len(),
            expected: headers,
        })
        .at(Position::line(index + 1).with_record(index))));
    }
    Some(Ok(cells))
}

/// Checks a header line against Tachi's limits (its fatal messages, positioned).
pub fn check_header(header: &str) -> Result<(), ImportError> {
    if header.is_empty() {
        return Err(ImportError::from(KonamiCsvError::NoHeaders).at(Position::line(1)));
    }
    let mut chars = 0usize;
    let mut commas = 0usize;
    for c in header.chars() {
        chars += 1;
        if chars > MAX_HEADER_CHARS {
            return Err(ImportError::from(KonamiCsvError::HeadersTooLong)
                .at(Position::line(1).with_column(chars as u64)));
        }
        if commas >= MAX_HEADER_CELLS {
            return Err(ImportError::from(KonamiCsvError::TooManyHeaders)
                .at(Position::line(1).with_column(chars as u64)));
        }
        if c == ',' {
            commas += 1;
        }
    }
    Ok(())
}

/// The cells of line `index` (0-based; the header is line 0): `None` for a
/// skipped single-cell line, an error when the count differs from the header's.
pub fn row_cells(line: &str, headers: usize, index: u64) -> Option<Result<Vec<&str>, ImportError>> {
    check_cells(split_cells(line, headers), headers, index)
}

impl<'a> KonamiCsv<'a> {
    /// Reads the header line. Errors are Tachi's fatal messages, positioned.
    pub fn new(text: &'a str) -> Result<Self, ImportError> {
        let (header, rest) = match text.split_once('\n') {
            Some((h, r)) => (h, r),
            None => (text, ""),
        };
        check_header(header)?;
        Ok(KonamiCsv {
            headers: header.split(',').collect(),
            rest,
            line: 1,
        })
    }
}

/// Konami's dialect read line by line from any [`BufRead`](std::io::BufRead), for files too
/// large to hold: one line in memory at a time. The same rules as
/// [`KonamiCsv`].
#[derive(Debug)]
pub struct KonamiLines<R> {
    reader: R,
    buf: Vec<u8>,
    /// Bytes consumed so far.
    offset: u64,
    /// 0-based index of the next line.
    line: u64,
}

impl<R: std::io::BufRead> KonamiLines<R> {
    /// A reader positioned at the start of the file.
    pub fn new(reader: R) -> Self {
        KonamiLines {
            reader,
            buf: Vec::with_capacity(1024),
            offset: 0,
            line: 0,
        }
    }

    /// The next line without its `\n` and its 0-based index; `None` at the end.
    /// A line that is not UTF-8 is a fatal error at its byte.
    pub fn next_line(&mut self) -> Result<Option<(u64, &str)>, ImportError> {
        self.buf.clear();
        let n = self.reader.read_until(b'\n', &mut self.buf).map_err(|e| {
            ImportError::from(KonamiCsvError::Unreadable(e.to_string()))
                .at(Position::line(self.line + 1).with_byte(self.offset))
        })?;
        if n == 0 {
            return Ok(None);
        }
        let start = self.offset;
        self.offset += n as u64;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        let index = self.line;
        self.line += 1;
        let text = std::str::from_utf8(&self.buf).map_err(|e| {
            ImportError::from(KonamiCsvError::NotUtf8)
                .at(Position::line(index + 1).with_byte(start + e.valid_up_to() as u64))
        })?;
        Ok(Some((index, text)))
    }

    /// The reader back, e.g. to seek it for a second pass.
    pub fn into_inner(self) -> R {
        self.reader
    }
}

impl<'a> Iterator for KonamiCsv<'a> {
    type Item = Result<Row<'a>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // One scan finds the line's end and its commas.
            let (cells, end) = scan_line(self.rest, self.headers.len());
            let line = &self.rest[..end];
            self.rest = self.rest.get(end + 1..).unwrap_or("");
            let index = self.line;
            self.line += 1;
            match check_cells(cells, self.headers.len(), index) {
                None => continue,
                Some(Err(e)) => {
                    self.rest = "";
                    return Some(Err(e));
                }
                Some(Ok(cells)) => {
                    return Some(Ok(Row {
                        line: index + 1,
                        text: line,
                        cells,
                    }));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-at-a-time scan splits exactly as `str::split` does, and
        /// stops at the first newline.
        #[test]
        fn scan_line_is_split_on_commas(text in "[a-c,\"\n\r\u{e9}\u{2028} ]{0,64}") {
            let line = text.split('\n').next().unwrap_or("");
            let (cells, end) = scan_line(&text, 4);
            proptest::prop_assert_eq!(end, line.len());
            let want: Vec<&str> = line.split(',').map(unwrap_quotes).collect();
            proptest::prop_assert_eq!(cells, want);
        }
    }

    #[test]
    fn tachi_rules() {
        let text = "\u{feff}  a,b,c\r\n1,\"x\",3\r\n\n   \nlonely\n4,\"q\"\"\",6";
        let csv = KonamiCsv::new(text).expect("header");
        assert_eq!(csv.headers, vec!["\u{feff}  a", "b", "c\r"]);
        let rows: Vec<Row<'_>> = csv.map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells, vec!["1", "x", "3\r"]);
        assert_eq!(rows[0].line, 2);
        // No escaping: the inside stays as written.
        assert_eq!(rows[1].cells, vec!["4", "q\"\"", "6"]);
        assert_eq!(rows[1].line, 6);
    }

    #[test]
    fn fatal_errors() {
        let kind = |e: &ImportError| e.format_error::<KonamiCsvError>().cloned();
        let e = KonamiCsv::new("").expect_err("empty");
        assert_eq!(kind(&e), Some(KonamiCsvError::NoHeaders));
        // The message is Tachi's.
        assert_eq!(
            e.message(),
            "Expected headers, but received nothing in the first row."
        );
        let e = KonamiCsv::new(&"a".repeat(1001)).expect_err("long");
        assert_eq!(kind(&e), Some(KonamiCsvError::HeadersTooLong));
        let e = KonamiCsv::new(&"a,".repeat(51)).expect_err("many");
        assert_eq!(kind(&e), Some(KonamiCsvError::TooManyHeaders));
        // 50 commas and nothing after slips through, as in Tachi.
        assert!(KonamiCsv::new(&",".repeat(50)).is_ok());
        let text = format!("{}a\n{}a", "a,".repeat(10), "a,".repeat(3));
        let mut csv = KonamiCsv::new(&text).expect("header");
        let e = csv.next().expect("a row").expect_err("bad count");
        assert_eq!(
            kind(&e),
            Some(KonamiCsvError::CellCount {
                row: 1,
                found: 4,
                expected: 11
            })
        );
        assert_eq!(
            e.message(),
            "Row 1 has an invalid amount of cells (4, expected 11)."
        );
        assert_eq!(e.position().and_then(|p| p.line), Some(2));
        assert!(csv.next().is_none());
    }
}
