//! # kaiden-core
//!
//! The vocabulary of kaiden, a reimplementation of the Tachi score tracker's import
//! pipeline: names, positions and errors, scores and documents, and the traits
//! that import types and hosts implement. No I/O, no async runtime, no game
//! rules (those are `kaiden-games`), no thread pool (`kaiden-par`).
//!
//! - [`ImportType`], [`Game`], [`Playtype`], [`Gpt`]: the names, as Tachi spells them.
//! - [`score`]: `scoreData`, [`DryScore`], [`ScoreDocument`].
//! - [`stable_json`]: JSON as Tachi's `fast-json-stable-hash` and JavaScript write it.
//! - [`documents`]: songs, charts, sessions, PBs, the [`ImportDocument`].
//! - [`ConverterFailure`] (one record) and [`ImportError`] (the whole import).
//! - [`format::ImportFormat`] (what an import type implements) and
//!   [`host::Host`] (what a store implements).
#![deny(missing_docs)]

pub mod documents;
pub mod ea3;
pub mod error;
pub mod failure;
pub mod format;
pub mod game;
pub mod host;
pub mod import_type;
pub mod prudence;
pub mod query;
pub mod score;
pub mod score_ids;
pub mod seeds;
pub mod stable_json;
pub mod tape;
pub mod time;

pub use documents::{ChartDocument, ImportDocument, SongDocument};
pub use error::{ImportError, ImportErrorKind, Position, UnknownName};
pub use failure::{ConverterFailure, ImportErrorEntry, ImportErrorType};
pub use game::{Game, Gpt, Playtype};
pub use import_type::{ImportKind, ImportType};
pub use query::{ChartKey, ChartQuery, ChartResolution, MatchType, NotFound};
pub use score::{DryScore, MetricValue, ScoreData, ScoreDocument, UserId};
pub use score_ids::{ScoreIdStr, ScoreIds};

/// How many bytes `v` is as compact JSON (`serde_json::to_writer`), counted
/// as it is written: no buffer. 0 if it cannot be serialised.
#[must_use]
pub fn json_len<T: serde::Serialize + ?Sized>(v: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    match serde_json::to_writer(&mut c, v) {
        Ok(()) => c.0,
        Err(_) => 0,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn json_len_is_the_length_of_the_compact_json() {
        for v in [
            serde_json::json!({}),
            serde_json::json!({"a": [1, 2.5, "é\n"], "b": null}),
            serde_json::json!("x".repeat(10_000)),
        ] {
            assert_eq!(super::json_len(&v), serde_json::to_vec(&v).unwrap().len());
        }
    }
}
