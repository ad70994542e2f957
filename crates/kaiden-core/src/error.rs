//! Fatal import errors (the whole import is unusable) and their positions.

use std::fmt;

/// A name that is not one of a fixed set (an import type, a game, a playtype, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {given:?} (expected one of: {})", expected.join(", "))]
pub struct UnknownName {
    /// What kind of name was expected, e.g. `"import type"`.
    pub what: &'static str,
    /// What was given.
    pub given: String,
    /// The valid names.
    pub expected: Vec<&'static str>,
}

/// Where in an input something went wrong. Every part is optional; parsers fill in
/// what their format has (a CSV has lines and records, JSON has a path, XML bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// 1-based line number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column (characters) within the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// 1-based record (row, score, element) number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// 0-based byte offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte: Option<u64>,
    /// The field (column name, JSON path, XML element) concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Position {
    /// A position at a line.
    #[must_use]
    pub fn line(line: u64) -> Self {
        Position {
            line: Some(line),
            ..Position::default()
        }
    }

    /// Sets the field.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Sets the record number.
    #[must_use]
    pub fn with_record(mut self, record: u64) -> Self {
        self.record = Some(record);
        self
    }

    /// Sets the byte offset.
    #[must_use]
    pub fn with_byte(mut self, byte: u64) -> Self {
        self.byte = Some(byte);
        self
    }

    /// Sets the column.
    #[must_use]
    pub fn with_column(mut self, column: u64) -> Self {
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written piece by piece: reports print one per record.
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter<'_>| {
            if std::mem::replace(&mut first, false) {
                Ok(())
            } else {
                f.write_str(", ")
            }
        };
        if let Some(l) = self.line {
            sep(f)?;
            write!(f, "line {l}")?;
            if let Some(c) = self.column {
                write!(f, ", column {c}")?;
            }
        }
        if let Some(r) = self.record {
            sep(f)?;
            write!(f, "record {r}")?;
        }
        if let Some(b) = self.byte {
            sep(f)?;
            write!(f, "byte {b}")?;
        }
        if let Some(field) = &self.field {
            sep(f)?;
            f.write_str("field ")?;
            f.write_str(field)?;
        }
        if first {
            f.write_str("start of input")?;
        }
        Ok(())
    }
}

impl Position {
    /// Writes what [`Display`](fmt::Display) writes, straight to a byte
    /// writer: no formatting machinery, for reports that print one position
    /// per record (a million lines for a 50 MB CSV).
    ///
    /// # Errors
    /// The writer's.
    pub fn write_to<W: std::io::Write + ?Sized>(&self, w: &mut W) -> std::io::Result<()> {
        fn number<W: std::io::Write + ?Sized>(w: &mut W, n: u64) -> std::io::Result<()> {
            let mut digits = [0u8; 20];
            let mut at = digits.len();
            let mut n = n;
            loop {
                at -= 1;
                digits[at] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            w.write_all(&digits[at..])
        }
        let mut first = true;
        let mut part = |w: &mut W, name: &[u8]| {
            if !std::mem::replace(&mut first, false) {
                w.write_all(b", ")?;
            }
            w.write_all(name)
        };
        if let Some(l) = self.line {
            part(w, b"line ")?;
            number(w, l)?;
            if let Some(c) = self.column {
                w.write_all(b", column ")?;
                number(w, c)?;
            }
        }
        if let Some(r) = self.record {
            part(w, b"record ")?;
            number(w, r)?;
        }
        if let Some(b) = self.byte {
            part(w, b"byte ")?;
            number(w, b)?;
        }
        if let Some(field) = &self.field {
            part(w, b"field ")?;
            w.write_all(field.as_bytes())?;
        }
        if first {
            w.write_all(b"start of input")?;
        }
        Ok(())
    }
}

/// What kind of fatal error stopped an import; decides the HTTP status Tachi uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum ImportErrorKind {
    /// The input is malformed or breaks the format's rules (400).
    InvalidInput,
    /// The import needs credentials the user has not stored (401).
    Unauthorised,
    /// The user already has an import running (409).
    LockHeld,
    /// A third-party service failed or answered nonsense (500).
    Upstream,
    /// A paged API never stopped paging (508).
    TooManyPages,
    /// Our fault, or the host failed (500).
    Internal,
    /// The store is busy (its writer queue or lock did not come free in
    /// time); the same import may succeed later (503).
    Unavailable,
}

impl ImportErrorKind {
    /// The HTTP status Tachi answers with.
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            ImportErrorKind::InvalidInput => 400,
            ImportErrorKind::Unauthorised => 401,
            ImportErrorKind::LockHeld => 409,
            ImportErrorKind::Upstream | ImportErrorKind::Internal => 500,
            ImportErrorKind::TooManyPages => 508,
            ImportErrorKind::Unavailable => 503,
        }
    }
}

/// A fatal error: the import stops and nothing of it is kept.
///
/// It keeps what caused it ([`std::error::Error::source`]): a format's own
/// error enum ([`FormatError`]), or the host's [`HostError`](crate::host::HostError)
/// and, below it, the store's. Two errors are equal when kind, message, file
/// and position are (the cause is not compared).
///
/// Boxed so that `Result<T, ImportError>` stays one pointer wide on hot paths.
#[derive(Debug, Clone)]
pub struct ImportError(Box<ImportErrorInner>);

/// The error of an input stream that cannot be opened or read (a 500: the
/// bytes were never seen, so no rule of the format was broken).
#[must_use]
pub fn unreadable_input(e: std::io::Error) -> ImportError {
    ImportError::internal(format!("The input could not be read: {e}")).caused_by(e)
}

/// The cause of an error, shared so errors stay cheap to clone.
type Cause = std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, Clone)]
struct ImportErrorInner {
    kind: ImportErrorKind,
    message: String,
    file: Option<String>,
    position: Option<Position>,
    source: Option<Cause>,
}

impl PartialEq for ImportError {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.0, &other.0);
        a.kind == b.kind && a.message == b.message && a.file == b.file && a.position == b.position
    }
}

impl Eq for ImportError {}

/// A format's fatal error: an enum whose `Display` is the message Tachi
/// answers with. It converts into an [`ImportError`] of its [`kind`](Self::kind)
/// that keeps it as its source, so a test matches the variant
/// ([`ImportError::format_error`]) instead of the text.
pub trait FormatError: std::error::Error + Send + Sync + 'static {
    /// The kind of import error it is (by default a 400, the input's fault).
    fn kind(&self) -> ImportErrorKind {
        ImportErrorKind::InvalidInput
    }
}

impl<E: FormatError> From<E> for ImportError {
    fn from(e: E) -> Self {
        ImportError::new(e.kind(), e.to_string()).caused_by(e)
    }
}

impl ImportError {
    /// A new error of `kind` with a sentence a player understands.
    pub fn new(kind: ImportErrorKind, message: impl Into<String>) -> Self {
        ImportError(Box::new(ImportErrorInner {
            kind,
            message: message.into(),
            file: None,
            position: None,
            source: None,
        }))
    }

    /// Keeps `cause` as this error's source.
    #[must_use]
    pub fn caused_by(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(std::sync::Arc::new(cause));
        self
    }

    /// The format error of type `E` that caused this error, if one did.
    #[must_use]
    pub fn format_error<E: FormatError>(&self) -> Option<&E> {
        self.0.source.as_deref().and_then(|s| s.downcast_ref::<E>())
    }

    /// A 500: an API import type was asked to parse without the importing
    /// user (its [`parse`](crate::format::ImportFormat::parse); such formats
    /// pull the user's scores in `parse_for_user`).
    pub fn needs_user(import_type: crate::ImportType) -> Self {
        ImportError::internal(format!(
            "{import_type} pulls a user's scores: it needs the importing user"
        ))
    }

    /// A 400: the input breaks a rule.
    pub fn invalid(message: impl Into<String>) -> Self {
        ImportError::new(ImportErrorKind::InvalidInput, message)
    }

    /// A 400 at a position.
    pub fn invalid_at(position: Position, message: impl Into<String>) -> Self {
        ImportError::invalid(message).at(position)
    }

    /// A 500: our fault or the host's.
    pub fn internal(message: impl Into<String>) -> Self {
        ImportError::new(ImportErrorKind::Internal, message)
    }

    /// Tachi's 409 for a second concurrent import of one user.
    #[must_use]
    pub fn lock_held() -> Self {
        ImportError::new(
            ImportErrorKind::LockHeld,
            "This user already has an ongoing import.",
        )
    }

    /// Attaches a position.
    #[must_use]
    pub fn at(mut self, position: Position) -> Self {
        self.0.position = Some(position);
        self
    }

    /// Attaches the input's file name.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.0.file = Some(file.into());
        self
    }

    /// The kind.
    #[must_use]
    pub fn kind(&self) -> ImportErrorKind {
        self.0.kind
    }

    /// The HTTP status Tachi uses for this error.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        self.0.kind.http_status()
    }

    /// The message without position (Tachi's `description`).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The position, if the input has one.
    #[must_use]
    pub fn position(&self) -> Option<&Position> {
        self.0.position.as_ref()
    }

    /// The file name, if known.
    #[must_use]
    pub fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0.file, &self.0.position) {
            (Some(file), Some(pos)) => write!(f, "{file}: {pos}: {}", self.0.message),
            (Some(file), None) => write!(f, "{file}: {}", self.0.message),
            (None, Some(pos)) => write!(f, "{pos}: {}", self.0.message),
            (None, None) => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_in_a_fixed_order() {
        assert_eq!(Position::default().to_string(), "start of input");
        assert_eq!(Position::line(3).to_string(), "line 3");
        let all = Position::line(3)
            .with_column(7)
            .with_record(2)
            .with_byte(40)
            .with_field("scores[1].lamp");
        assert_eq!(
            all.to_string(),
            "line 3, column 7, record 2, byte 40, field scores[1].lamp"
        );
        let some = Position::default().with_byte(9).with_field("song[0]");
        assert_eq!(some.to_string(), "byte 9, field song[0]");
        // A column without a line is not shown.
        assert_eq!(
            Position::default().with_column(4).to_string(),
            "start of input"
        );
    }

    #[test]
    fn write_to_writes_what_display_shows() {
        let fields = [None, Some("BEGINNER"), Some("scores[1].lamp")];
        let numbers = [
            None,
            Some(0u64),
            Some(9),
            Some(10),
            Some(1_402),
            Some(u64::MAX),
        ];
        for line in numbers {
            for column in [None, Some(7u64)] {
                for record in numbers {
                    for byte in [None, Some(40u64)] {
                        for field in fields {
                            let p = Position {
                                line,
                                column,
                                record,
                                byte,
                                field: field.map(str::to_owned),
                            };
                            let mut out = Vec::new();
                            p.write_to(&mut out).unwrap_or_default();
                            assert_eq!(String::from_utf8_lossy(&out), p.to_string(), "{p:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn display_names_file_position_and_rule() {
        let e = ImportError::invalid_at(
            Position::line(41).with_field("scores[40].lamp"),
            "\"HARD CLAER\" is not a lamp of iidx:SP",
        )
        .in_file("scores.json");
        assert_eq!(
            e.to_string(),
            "scores.json: line 41, field scores[40].lamp: \"HARD CLAER\" is not a lamp of iidx:SP"
        );
        assert_eq!(e.http_status(), 400);
        assert_eq!(ImportError::lock_held().http_status(), 409);
        assert_eq!(
            ImportError::from(crate::host::HostError::Busy("waited".into())).http_status(),
            503
        );
        assert_eq!(
            ImportError::new(ImportErrorKind::TooManyPages, "x").http_status(),
            508
        );
    }
}

/// serde_json's words for text that is not Unicode, said plainly: a lone
/// UTF-16 surrogate escape (`"\ud800"`, which JavaScript's `JSON.parse`
/// accepts but no Rust string holds) or bytes that are not UTF-8. Any other
/// message is returned as it is.
#[must_use]
pub fn plain_json_message(message: &str) -> std::borrow::Cow<'_, str> {
    const SURROGATE: &str = "a string holds a lone UTF-16 surrogate escape (\\uD800 to \\uDFFF without its pair), which is not Unicode text";
    const NOT_UNICODE: &str =
        "not Unicode text: bytes that are not UTF-8, or a lone UTF-16 surrogate escape";
    let mut out = std::borrow::Cow::Borrowed(message);
    for (from, to) in [
        ("unexpected end of hex escape", SURROGATE),
        ("lone leading surrogate in hex escape", SURROGATE),
        ("invalid unicode code point", NOT_UNICODE),
    ] {
        if out.contains(from) {
            out = std::borrow::Cow::Owned(out.replacen(from, to, 1));
        }
    }
    out
}

#[cfg(test)]
mod json_message_tests {
    use super::plain_json_message;

    fn serde_says(text: &[u8]) -> String {
        match serde_json::from_slice::<String>(text) {
            Err(e) => e.to_string(),
            Ok(s) => panic!("parsed: {s:?}"),
        }
    }

    #[test]
    fn lone_surrogates_and_bad_utf8_are_said_plainly() {
        for text in [&br#""A\ud800B""#[..], br#""A\ud800""#, br#""\ud800\u0041""#] {
            let m = serde_says(text);
            let plain = plain_json_message(&m);
            assert!(plain.contains("lone UTF-16 surrogate"), "{m} -> {plain}");
            assert!(
                plain.contains(" at line 1 column"),
                "the position stays: {plain}"
            );
        }
        let m = serde_says(b"\"A\xff\"");
        assert!(plain_json_message(&m).contains("not UTF-8"), "{m}");
        assert_eq!(plain_json_message("expected `:`"), "expected `:`");
    }
}
