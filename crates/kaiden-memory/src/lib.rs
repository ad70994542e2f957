//! # kaiden-memory
//!
//! kaiden's in-memory reference host: every host trait over plain maps, with
//! nothing on disk. Use it to test a pipeline step or an import type without a
//! database, in tools that import once and print, and as the model for a new
//! host: it is the simplest store that passes `kaiden-host-suite`.
//!
//! How it keeps the promises the traits make:
//! - **All or nothing.** An import works on its own copy of the state (a clone
//!   of every map; documents are shared behind `Arc`s, so this costs one entry
//!   per stored document) and a commit replaces the state with it; a rollback,
//!   an error or a dropped transaction leaves the state as it was.
//! - **One import per user** ([`HostError::LockHeld`] for a second), and imports
//!   of different users one after another, in the order they asked (a fair
//!   async mutex), so no commit overwrites another's.
//! - **Reads never wait:** [`Host::import_document`] and the helpers read the
//!   last committed state.
//!
//! Its costs are a reference host's, not a production store's: each import
//! copies the state's maps, and lookups by user scan.
#![deny(missing_docs)]

mod seeds;
mod service;
mod state;
mod tx;

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use kaiden_core::Game;
use kaiden_core::documents::{ChartDocument, ImportDocument, SongDocument};
use kaiden_core::host::{ChartLookup, Host, HostError};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::UserId;
use serde_json::Value;

pub use kaiden_core::seeds::SeedReport;
pub use tx::MemoryTransaction;

use state::State;

/// A failure loading seeds.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MemoryError {
    /// A seed file could not be read or parsed.
    #[error("{file}: {message}")]
    Seed {
        /// The file.
        file: String,
        /// What went wrong (with its line and column for JSON).
        message: String,
    },
}

/// The in-memory host. Cheap to create; everything is lost when it is dropped.
#[derive(Debug, Default)]
pub struct MemoryHost {
    /// The last committed state.
    committed: RwLock<Arc<State>>,
    /// Held by the import (or helper) that is writing: imports of different
    /// users take turns in the order they asked.
    gate: Arc<tokio::sync::Mutex<()>>,
    /// Users with an import running.
    running: Mutex<HashSet<UserId>>,
    /// The server's store: API keys and the import queue.
    service: Mutex<service::ServiceState>,
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

pub(crate) fn storage(e: impl std::fmt::Display) -> HostError {
    HostError::Storage(e.to_string())
}

impl MemoryHost {
    /// An empty host: no seeds, no users.
    #[must_use]
    pub fn new() -> Self {
        MemoryHost::default()
    }

    /// The last committed state.
    pub(crate) fn snapshot(&self) -> Arc<State> {
        Arc::clone(
            &self
                .committed
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Runs `f` on the state as a writer: after any import that is running
    /// has finished, and with no import starting meanwhile.
    fn write<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let _turn = loop {
            if let Ok(g) = self.gate.try_lock() {
                break g;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        let mut guard = self
            .committed
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        f(Arc::make_mut(&mut guard))
    }

    /// Replaces the committed state (a transaction's commit; the caller holds
    /// the gate).
    pub(crate) fn publish(&self, state: State) {
        *self
            .committed
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(state);
    }

    /// Marks `user` as importing; `false` when they already are.
    pub(crate) fn claim(&self, user: UserId) -> bool {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(user)
    }

    /// Ends `user`'s import.
    pub(crate) fn release(&self, user: UserId) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&user);
    }

    /// Loads a folder of Tachi seed files: songs and charts of each game found
    /// replace that game's; folders, goals and quests are added or replaced by
    /// id. Scores and everything users own are kept.
    pub fn load_seeds(&self, dir: impl AsRef<Path>) -> Result<SeedReport, MemoryError> {
        let read = seeds::read_dir(dir.as_ref())?;
        Ok(self.write(|s| seeds::apply(s, read)))
    }

    /// Makes sure a user exists (created with `name` if not).
    pub fn ensure_user(&self, id: UserId, name: &str) {
        self.write(|s| {
            s.users.entry(id).or_insert_with(|| name.to_owned());
        });
    }

    /// Adds a user and returns its id (one more than the largest so far).
    pub fn add_user(&self, name: &str) -> UserId {
        self.write(|s| {
            let id = s.users.keys().next_back().map_or(1, |k| k + 1);
            s.users.insert(id, name.to_owned());
            id
        })
    }

    /// Whether a user exists.
    #[must_use]
    pub fn user_exists(&self, id: UserId) -> bool {
        self.snapshot().users.contains_key(&id)
    }

    /// Blacklists a scoreID for a user: it is never imported again.
    pub fn blacklist_score(&self, user: UserId, score_id: &str) {
        self.write(|s| {
            s.blacklist.insert((user, score_id.to_owned()));
        });
    }

    /// Subscribes a user to a goal (progress starts empty, as a fresh Tachi
    /// goal-sub). Unknown goals are an error.
    pub fn subscribe_goal(&self, user: UserId, goal_id: &str) -> Result<(), HostError> {
        self.write(|s| s.subscribe_goal(user, goal_id, now_ms()))
    }

    /// Subscribes a user to a quest and to each of its goals.
    pub fn subscribe_quest(&self, user: UserId, quest_id: &str) -> Result<(), HostError> {
        self.write(|s| {
            let now = now_ms();
            let quest = s
                .quests
                .get(quest_id)
                .cloned()
                .ok_or_else(|| storage(format!("no quest {quest_id}")))?;
            let sub = kaiden_core::documents::new_quest_subscription(user, &quest, now);
            s.quest_subs
                .insert_if_absent((user, quest_id.to_owned()), sub);
            for goal in s.quest_goals.get(quest_id).cloned().unwrap_or_default() {
                s.subscribe_goal(user, &goal, now)?;
            }
            Ok(())
        })
    }

    /// A user's stored documents of one table, in the order they were first
    /// stored: `scores`, `orphans`, `sessions`, `pbs`, `game_stats`,
    /// `goal_subs`, `quest_subs`, `imports` (the same names and shapes as the
    /// SQLite host's). For tools and tests.
    pub fn documents(&self, table: &str, user: UserId) -> Result<Vec<Value>, HostError> {
        self.snapshot().documents(table, user)
    }

    /// A stored import's timings, as JSON.
    #[must_use]
    pub fn import_timings(&self, import_id: &str) -> Option<Value> {
        self.snapshot()
            .timings
            .get(import_id)
            .and_then(|t| serde_json::to_value(t).ok())
    }

    /// Every stored thing, as text, in a stable order: for tests that need to
    /// prove an import left the store unchanged.
    #[must_use]
    pub fn dump(&self) -> Vec<String> {
        self.snapshot().dump()
    }
}

impl Host for MemoryHost {
    type Transaction<'a> = MemoryTransaction<'a>;

    async fn begin_import(&self, user: UserId) -> Result<MemoryTransaction<'_>, HostError> {
        tx::begin(self, user).await
    }

    async fn pending_chart(
        &self,
        key: &str,
    ) -> Result<Option<kaiden_core::documents::PendingChart>, HostError> {
        Ok(self.snapshot().pending_charts.get(key).cloned())
    }

    async fn bms_course(
        &self,
        md5sums: &str,
    ) -> Result<Option<kaiden_core::documents::BmsCourse>, HostError> {
        Ok(self.snapshot().bms_courses.get(md5sums).cloned())
    }

    async fn import_document(&self, import_id: &str) -> Result<Option<ImportDocument>, HostError> {
        Ok(self
            .snapshot()
            .imports
            .get(import_id)
            .map(|d| ImportDocument::clone(d)))
    }

    async fn user_scores(
        &self,
        user: UserId,
        after: Option<u64>,
        limit: usize,
    ) -> Result<kaiden_core::host::ScorePage, HostError> {
        let state = self.snapshot();
        let mut page = kaiden_core::host::ScorePage::default();
        let mut last = None;
        for (seq, _, doc) in state.scores.iter_after(after) {
            if doc.user_id != user {
                continue;
            }
            if page.scores.len() == limit.max(1) {
                page.next = last;
                break;
            }
            page.scores
                .push(kaiden_core::score::ScoreDocument::clone(doc));
            last = Some(seq);
        }
        Ok(page)
    }
}

impl ChartLookup for MemoryHost {
    async fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        self.snapshot().resolve(queries)
    }

    async fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        Ok(self.snapshot().charts_by_id(game, chart_ids))
    }

    async fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        Ok(self.snapshot().songs_by_id(game, ids))
    }
}
