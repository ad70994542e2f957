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
