//! # kaiden-core
//!
//! The vocabulary of kaiden, a reimplementation of the Tachi score tracker's import
//! pipeline: import types, games and their configs, scores and documents, failures,
//! the Tachi-compatible scoreID, and the traits that import types and hosts
//! implement. No I/O and no async runtime live here.
//!
//! - [`ImportType`], [`Game`], [`Playtype`], [`Gpt`]: the names, as Tachi spells them.
//! - [`config::GptConfig`]: the static facts of each of the 23 game+playtypes.
//! - [`score`]: `scoreData`, [`DryScore`], [`ScoreDocument`], [`score_id`].
//! - [`gpt_impl`]: derived metrics, enum indexes, score ratings, validation.
//! - [`documents`]: songs, charts, sessions, PBs, the [`ImportDocument`].
//! - [`ConverterFailure`] (one record) and [`ImportError`] (the whole import).
//! - [`format::ImportFormat`] (what an import type implements) and
//!   [`host::Host`] (what a store implements).
#![deny(missing_docs)]

pub mod catalog;
pub mod config;
pub mod documents;
pub mod error;
pub mod failure;
pub mod folder;
pub mod format;
pub mod game;
mod games;
pub mod gpt_impl;
pub mod host;
pub mod import_type;
pub mod konami_csv;
pub mod par;
pub mod query;
pub mod rating;
pub mod score;
pub mod seeds;
pub mod service;
pub mod stable_json;
pub mod v8pow;

pub use config::GptConfig;
pub use documents::{ChartDocument, ImportDocument, SongDocument};
pub use error::{ImportError, ImportErrorKind, Position, UnknownName};
pub use failure::{ConverterFailure, ImportErrorEntry, ImportErrorType};
pub use game::{Game, Gpt, Playtype};
pub use import_type::{ImportKind, ImportType};
pub use query::{ChartKey, ChartQuery, ChartResolution, MatchType};
pub use score::{DryScore, MetricValue, ScoreData, ScoreDocument, UserId, score_id};

/// The README's Rust example, compiled and run as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
