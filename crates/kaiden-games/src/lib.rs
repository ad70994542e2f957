//! # kaiden-games
//!
//! The rules Tachi applies to each game, one module per game (`games/iidx.rs`,
//! `games/sdvx.rs`, ...): its configs (difficulties, metrics, grades, classes,
//! ratings, PB rules), derived metrics, score ratings and validators; and, for
//! any GPT, hydration and validation ([`gpt_impl`]), the `rg-stats` rating
//! functions ([`rating`]), the chart catalogue hosts answer lookups with
//! ([`catalog`]) and the seeds' folder query language ([`folder`]).
#![deny(missing_docs)]

pub mod catalog;
pub mod config;
pub mod folder;
mod games;
pub mod gpt_impl;
pub mod profile;
pub mod rating;
pub mod v8log;
pub mod v8pow;

pub use config::GptConfig;
