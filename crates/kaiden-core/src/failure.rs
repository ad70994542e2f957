//! Per-record failures: one record could not become a score; the import goes on.

use serde::{Deserialize, Serialize};

/// Why one record did not become a score. Converters, chart checks, hydration and
/// validation return these; the pipeline turns each into an ImportDocument
/// `errors[]` entry (or nothing, for [`ConverterFailure::Skip`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConverterFailure {
    /// Not an error: the record holds nothing to import (an unplayed chart, an
    /// unsupported mode). Not reported.
    #[error("skipped: {0}")]
    Skip(String),
    /// The song or chart is unknown. The record is kept as an orphan so it can be
    /// imported once the chart exists.
    #[error("{0}")]
    SongOrChartNotFound(String),
    /// The record is impossible or breaks a rule (Tachi's `InvalidScore`).
    #[error("{0}")]
    InvalidScore(String),
    /// A title lookup matched more than one song.
    #[error("{message}")]
    AmbiguousTitle {
        /// The title that matched several songs.
        title: String,
        /// The sentence for the ImportDocument.
        message: String,
    },
    /// Our fault (a chart without a song, a rating function given out-of-range data).
    /// The real message is logged; the ImportDocument shows a generic sentence.
    #[error("internal error: {0}")]
    Internal(String),
    /// What Tachi's code throws rather than reports (a rating function given
    /// data outside its domain): Tachi's import loop catches it as an unknown
    /// error, and the ImportDocument says [`UNEXPECTED_ERROR_MESSAGE`].
    #[error("unexpected error: {0}")]
    Unexpected(String),
}

impl ConverterFailure {
    /// The ImportDocument error entry for this failure, or `None` for skips.
    /// `orphan_existed` tells whether a not-found record matched an existing orphan.
    #[must_use]
    pub fn to_error_entry(&self, orphan_existed: bool) -> Option<ImportErrorEntry> {
        let (error_type, message) = match self {
            ConverterFailure::Skip(_) => return None,
            ConverterFailure::SongOrChartNotFound(m) if orphan_existed => {
                (ImportErrorType::OrphanExists, m.clone())
            }
            ConverterFailure::SongOrChartNotFound(m) => {
                (ImportErrorType::SongOrChartNotFound, m.clone())
            }
            ConverterFailure::InvalidScore(m) => (ImportErrorType::InvalidDatapoint, m.clone()),
            ConverterFailure::AmbiguousTitle { message, .. } => {
                (ImportErrorType::AmbiguousTitle, message.clone())
            }
            ConverterFailure::Internal(_) => (
                ImportErrorType::InternalError,
                INTERNAL_ERROR_MESSAGE.to_owned(),
            ),
            ConverterFailure::Unexpected(_) => (
                ImportErrorType::InternalError,
                UNEXPECTED_ERROR_MESSAGE.to_owned(),
            ),
        };
        Some(ImportErrorEntry {
            error_type,
            message,
        })
    }
}

/// The sentence Tachi shows for internal failures (spelling as Tachi's).
pub const INTERNAL_ERROR_MESSAGE: &str = "An internal error has occured.";

/// The sentence Tachi shows for an error its converter did not expect (spelling
/// as Tachi's).
pub const UNEXPECTED_ERROR_MESSAGE: &str = "An internal service error has occured.";

/// The `type` of an ImportDocument `errors[]` entry, named as Tachi names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImportErrorType {
    /// A new orphan was stored.
    SongOrChartNotFound,
    /// The same orphan was already stored.
    OrphanExists,
    /// The record was invalid.
    InvalidDatapoint,
    /// A title matched several songs.
    AmbiguousTitle,
    /// Our fault.
    InternalError,
}

/// One entry of the ImportDocument's `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportErrorEntry {
    /// Tachi's error type name.
    #[serde(rename = "type")]
    pub error_type: ImportErrorType,
    /// What went wrong, as a sentence.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_use_tachi_type_names() {
        let e = ConverterFailure::SongOrChartNotFound("Could not find song X.".into());
        let json = serde_json::to_value(e.to_error_entry(false)).expect("serialises");
        assert_eq!(json["type"], "SongOrChartNotFound");
        let json = serde_json::to_value(e.to_error_entry(true)).expect("serialises");
        assert_eq!(json["type"], "OrphanExists");
        let internal = ConverterFailure::Internal("chart 1 has no song".into())
            .to_error_entry(false)
            .expect("reported");
        assert_eq!(internal.error_type, ImportErrorType::InternalError);
        assert_eq!(internal.message, INTERNAL_ERROR_MESSAGE);
        assert!(
            ConverterFailure::Skip("NO PLAY".into())
                .to_error_entry(false)
                .is_none()
        );
        let invalid = ConverterFailure::InvalidScore("EX too high".into())
            .to_error_entry(false)
            .expect("reported");
        assert_eq!(
            serde_json::to_string(&invalid).expect("serialises"),
            r#"{"type":"InvalidDatapoint","message":"EX too high"}"#
        );
    }
}
