//! The stored state: tables that remember the order their rows were first
//! stored in, as the SQLite host's `rowid` does.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use kaiden_core::documents::{
    ChartDocument, ImportDocument, ImportTimings, PbDocument, SessionDocument, SongDocument,
};
use kaiden_core::host::{GameStats, HostError, OrphanDocument};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::{ScoreDocument, UserId};
use kaiden_core::{Game, Gpt};
use kaiden_games::catalog::Catalog;
use kaiden_games::folder::FolderDocument;
use serde::Serialize;
use serde_json::Value;

use crate::storage;

/// Rows by key, iterated in the order each key was first stored. Values are
/// shared, so cloning a table copies one entry per row.
#[derive(Debug)]
pub(crate) struct Table<K, V> {
    rows: HashMap<K, (u64, Arc<V>)>,
    order: BTreeMap<u64, K>,
    next: u64,
}

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Table {
            rows: HashMap::new(),
            order: BTreeMap::new(),
            next: 0,
        }
    }
}

impl<K: Clone, V> Clone for Table<K, V> {
    fn clone(&self) -> Self {
        Table {
            rows: self.rows.clone(),
            order: self.order.clone(),
            next: self.next,
        }
    }
}

impl<K: Hash + Eq + Clone, V> Table<K, V> {
    /// Stores `v` unless `k` is stored; whether it was stored now.
    pub(crate) fn insert_if_absent(&mut self, k: K, v: V) -> bool {
        if self.rows.contains_key(&k) {
            return false;
        }
        self.order.insert(self.next, k.clone());
        self.rows.insert(k, (self.next, Arc::new(v)));
        self.next += 1;
        true
    }

    /// Stores `v` under `k`, keeping the row's place if it was stored.
    pub(crate) fn upsert(&mut self, k: K, v: V) {
        match self.rows.get_mut(&k) {
            Some((_, old)) => *old = Arc::new(v),
            None => {
                self.insert_if_absent(k, v);
            }
        }
    }

    pub(crate) fn get<Q>(&self, k: &Q) -> Option<&Arc<V>>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.rows.get(k).map(|(_, v)| v)
    }

    pub(crate) fn contains<Q>(&self, k: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.rows.contains_key(k)
    }

    pub(crate) fn remove<Q>(&mut self, k: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some((seq, _)) = self.rows.remove(k) {
            self.order.remove(&seq);
        }
    }

    /// The place a key was first stored at.
    pub(crate) fn seq<Q>(&self, k: &Q) -> Option<u64>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.rows.get(k).map(|(s, _)| *s)
    }

    /// The rows stored at places after `after` (all with `None`), in order,
    /// with their places.
    pub(crate) fn iter_after(
        &self,
        after: Option<u64>,
    ) -> impl Iterator<Item = (u64, &K, &Arc<V>)> {
        let from = after.map_or(std::ops::Bound::Unbounded, std::ops::Bound::Excluded);
        self.order
            .range((from, std::ops::Bound::Unbounded))
            .filter_map(|(seq, k)| self.rows.get(k).map(|(_, v)| (*seq, k, v)))
    }

    /// Every row, in the order first stored.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &Arc<V>)> {
        self.order
            .values()
            .filter_map(|k| self.rows.get(k).map(|(_, v)| (k, v)))
    }
}

/// Everything the host holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) songs: HashMap<Game, Arc<Vec<SongDocument>>>,
    pub(crate) charts: HashMap<Game, Arc<Vec<ChartDocument>>>,
    pub(crate) catalogs: HashMap<Game, Arc<Catalog>>,
    pub(crate) folders: Table<String, FolderDocument>,
    pub(crate) goals: Table<String, Value>,
    pub(crate) quests: Table<String, Value>,
    /// Charts described by score hooks, waiting for players, by key.
    pub(crate) pending_charts: HashMap<String, kaiden_core::documents::PendingChart>,
    /// The seeds' BMS courses, by md5sums.
    pub(crate) bms_courses: std::collections::HashMap<String, kaiden_core::documents::BmsCourse>,
    /// Each goal's charts (a folder goal: the folder's), sorted.
    pub(crate) goal_charts: HashMap<String, Vec<String>>,
    /// Each quest's goals.
    pub(crate) quest_goals: HashMap<String, Vec<String>>,
    pub(crate) users: BTreeMap<UserId, String>,
    pub(crate) blacklist: HashSet<(UserId, String)>,
    pub(crate) scores: Table<String, ScoreDocument>,
    pub(crate) orphans: Table<String, OrphanDocument>,
    pub(crate) sessions: Table<String, SessionDocument>,
    pub(crate) pbs: Table<(UserId, String), PbDocument>,
    pub(crate) game_stats: Table<(UserId, Gpt), GameStats>,
    pub(crate) goal_subs: Table<(UserId, String), Value>,
    pub(crate) quest_subs: Table<(UserId, String), Value>,
    pub(crate) imports: Table<String, ImportDocument>,
    pub(crate) timings: HashMap<String, ImportTimings>,
}

fn to_json<T: Serialize>(v: &T) -> Result<Value, HostError> {
    serde_json::to_value(v).map_err(storage)
}

impl State {
    pub(crate) fn subscribe_goal(
        &mut self,
        user: UserId,
        goal_id: &str,
        now: i64,
    ) -> Result<(), HostError> {
        let goal = self
            .goals
            .get(goal_id)
            .cloned()
            .ok_or_else(|| storage(format!("no goal {goal_id}")))?;
        let sub = kaiden_core::documents::new_goal_subscription(user, &goal, now);
        self.goal_subs
            .insert_if_absent((user, goal_id.to_owned()), sub);
        Ok(())
    }

    pub(crate) fn resolve(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        kaiden_games::catalog::resolve_all(queries, |game| {
            Ok::<_, HostError>(
                self.catalogs
                    .get(&game)
                    .cloned()
                    .unwrap_or_else(|| Arc::new(Catalog::new(game, Vec::new(), Vec::new()))),
            )
        })
    }

    pub(crate) fn charts_by_id(&self, game: Game, ids: &[String]) -> Vec<Arc<ChartDocument>> {
        self.catalogs
            .get(&game)
            .map(|c| c.charts_by_id(ids))
            .unwrap_or_default()
    }

    pub(crate) fn songs_by_id(&self, game: Game, ids: &[i64]) -> Vec<Arc<SongDocument>> {
        self.catalogs
            .get(&game)
            .map(|c| c.songs_by_id(ids))
            .unwrap_or_default()
    }

    /// A user's documents of one table as JSON, in the order first stored.
    pub(crate) fn documents(&self, table: &str, user: UserId) -> Result<Vec<Value>, HostError> {
        fn of<K: Hash + Eq + Clone, V: Serialize>(
            t: &Table<K, V>,
            mine: impl Fn(&K, &V) -> bool,
        ) -> Result<Vec<Value>, HostError> {
            t.iter()
                .filter(|(k, v)| mine(k, v))
                .map(|(_, v)| to_json(&**v))
                .collect()
        }
        match table {
            "scores" => of(&self.scores, |_, s| s.user_id == user),
            "orphans" => of(&self.orphans, |_, o| o.user_id == user),
            "sessions" => of(&self.sessions, |_, s| s.user_id == user),
            "pbs" => of(&self.pbs, |k, _| k.0 == user),
            "game_stats" => of(&self.game_stats, |k, _| k.0 == user),
            "goal_subs" => of(&self.goal_subs, |k, _| k.0 == user),
            "quest_subs" => of(&self.quest_subs, |k, _| k.0 == user),
            "imports" => of(&self.imports, |_, d| d.user_id == user),
            _ => Err(storage(format!(
                "no table {table:?} (expected one of scores, orphans, sessions, pbs, \
                 game_stats, goal_subs, quest_subs, imports)"
            ))),
        }
    }

    /// Every stored thing as text, sorted: two dumps are equal when the
    /// stores hold the same.
    pub(crate) fn dump(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |table: &str, v: Result<Value, HostError>| {
            out.push(format!(
                "{table}: {}",
                v.map_or_else(|e| e.to_string(), |v| v.to_string())
            ));
        };
        for (id, name) in &self.users {
            push("users", Ok(serde_json::json!([id, name])));
        }
        let blacklist: BTreeSet<_> = self.blacklist.iter().collect();
        for b in blacklist {
            push("score_blacklist", Ok(serde_json::json!([b.0, b.1])));
        }
        for (_, v) in self.scores.iter() {
            push("scores", to_json(&**v));
        }
        for (_, v) in self.orphans.iter() {
            push("orphans", to_json(&**v));
        }
        for (_, v) in self.sessions.iter() {
            push("sessions", to_json(&**v));
        }
        for (_, v) in self.pbs.iter() {
            push("pbs", to_json(&**v));
        }
        for ((u, g), v) in self.game_stats.iter() {
            push("game_stats", to_json(&(u, g.as_str(), &**v)));
        }
        for (_, v) in self.goal_subs.iter() {
            push("goal_subs", Ok(Value::clone(v)));
        }
        for (_, v) in self.quest_subs.iter() {
            push("quest_subs", Ok(Value::clone(v)));
        }
        for (_, v) in self.imports.iter() {
            push("imports", to_json(&**v));
        }
        let timings: BTreeMap<_, _> = self.timings.iter().collect();
        for (id, t) in timings {
            push("import_timings", to_json(&(id, t)));
        }
        for (_, v) in self.goals.iter() {
            push("goals", Ok(Value::clone(v)));
        }
        for (_, v) in self.quests.iter() {
            push("quests", Ok(Value::clone(v)));
        }
        out.sort();
        out
    }
}
