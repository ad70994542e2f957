//! One import: its own copy of the state, published on commit.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use kaiden_core::documents::{
    ChartDocument, ImportDocument, ImportTimings, PbDocument, SessionDocument, SongDocument,
};
use kaiden_core::host::{
    ChartLookup, GameStats, GoalStore, HostError, ImportStore, ImportTransaction, OrphanDocument,
    OrphanInsert, OrphanStore, PbStore, ScoreStore, SessionStore, StatsStore, Subscription,
};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::{ScoreDocument, UserId};
use kaiden_core::{Game, Gpt};
use serde_json::Value;

use crate::state::State;
use crate::{MemoryHost, storage};

/// The user's claim on importing, released however the import ends (even if
/// the future beginning it is dropped while it waits for its turn).
#[derive(Debug)]
struct Claim<'h> {
    host: &'h MemoryHost,
    user: UserId,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.host.release(self.user);
    }
}

/// An import's transaction on a [`MemoryHost`]: every read and write goes to
/// its own copy of the state, which [`ImportTransaction::commit`] publishes.
/// Dropped without a commit, it changes nothing.
#[derive(Debug)]
pub struct MemoryTransaction<'h> {
    host: &'h MemoryHost,
    /// The state when the import began (what "stored before this import"
    /// means in the traits).
    before: Arc<State>,
    /// The import's state.
    state: State,
    _turn: tokio::sync::OwnedMutexGuard<()>,
    _claim: Claim<'h>,
}

pub(crate) async fn begin(
    host: &MemoryHost,
    user: UserId,
) -> Result<MemoryTransaction<'_>, HostError> {
    if !host.user_exists(user) {
        return Err(HostError::UnknownUser(user));
    }
    if !host.claim(user) {
        return Err(HostError::LockHeld);
    }
    let claim = Claim { host, user };
    let turn = Arc::clone(&host.gate).lock_owned().await;
    let before = host.snapshot();
    Ok(MemoryTransaction {
        host,
        state: State::clone(&before),
        before,
        _turn: turn,
        _claim: claim,
    })
}

impl kaiden_core::host::ChartStore for MemoryTransaction<'_> {
    async fn pending_chart(
        &mut self,
        key: &str,
    ) -> Result<Option<kaiden_core::documents::PendingChart>, HostError> {
        Ok(self.state.pending_charts.get(key).cloned())
    }

    async fn put_pending_chart(
        &mut self,
        pending: &kaiden_core::documents::PendingChart,
    ) -> Result<(), HostError> {
        self.state
            .pending_charts
            .insert(pending.key.clone(), pending.clone());
        Ok(())
    }

    async fn remove_pending_chart(&mut self, key: &str) -> Result<(), HostError> {
        self.state.pending_charts.remove(key);
        Ok(())
    }

    async fn insert_song_and_chart(
        &mut self,
        game: Game,
        song: &SongDocument,
        chart: &ChartDocument,
    ) -> Result<i64, HostError> {
        let mut songs = self
            .state
            .songs
            .get(&game)
            .map(|v| v.to_vec())
            .unwrap_or_default();
        let mut charts = self
            .state
            .charts
            .get(&game)
            .map(|v| v.to_vec())
            .unwrap_or_default();
        let id = songs.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        let mut song = song.clone();
        song.id = id;
        let mut chart = chart.clone();
        chart.song_id = id;
        songs.push(song);
        charts.push(chart);
        self.state.catalogs.insert(
            game,
            Arc::new(kaiden_games::catalog::Catalog::new(
                game,
                songs.clone(),
                charts.clone(),
            )),
        );
        self.state.songs.insert(game, Arc::new(songs));
        self.state.charts.insert(game, Arc::new(charts));
        Ok(id)
    }
}

impl ChartLookup for MemoryTransaction<'_> {
    async fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        self.state.resolve(queries)
    }

    async fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        Ok(self.state.charts_by_id(game, chart_ids))
    }

    async fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        Ok(self.state.songs_by_id(game, ids))
    }
}

impl ScoreStore for MemoryTransaction<'_> {
    async fn existing_score_ids(
        &mut self,
        score_ids: &[String],
    ) -> Result<HashSet<String>, HostError> {
        Ok(score_ids
            .iter()
            .filter(|id| self.before.scores.contains(id.as_str()))
            .cloned()
            .collect())
    }

    async fn blacklisted_score_ids(&mut self, user: UserId) -> Result<HashSet<String>, HostError> {
        Ok(self
            .state
            .blacklist
            .iter()
            .filter(|(u, _)| *u == user)
            .map(|(_, id)| id.clone())
            .collect())
    }

    async fn insert_scores(&mut self, scores: &[ScoreDocument]) -> Result<(), HostError> {
        for s in scores {
            if !self
                .state
                .scores
                .insert_if_absent(s.score_id.clone(), s.clone())
            {
                return Err(storage(format!("score {} is already stored", s.score_id)));
            }
        }
        Ok(())
    }

    async fn highlight_scores(&mut self, score_ids: &[String]) -> Result<(), HostError> {
        for id in score_ids {
            if let Some(s) = self.state.scores.get(id.as_str()) {
                let mut s = ScoreDocument::clone(s);
                s.highlight = true;
                self.state.scores.upsert(id.clone(), s);
            }
        }
        Ok(())
    }

    async fn scores_by_id(
        &mut self,
        score_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        let mut found: Vec<(u64, ScoreDocument)> = score_ids
            .iter()
            .filter_map(|id| {
                let seq = self.state.scores.seq(id.as_str())?;
                Some((
                    seq,
                    ScoreDocument::clone(self.state.scores.get(id.as_str())?),
                ))
            })
            .collect();
        found.sort_by_key(|(seq, _)| *seq);
        found.dedup_by_key(|(seq, _)| *seq);
        Ok(found.into_iter().map(|(_, s)| s).collect())
    }

    async fn scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        Ok(scores_on(&self.before, user, chart_ids))
    }
}

impl OrphanStore for MemoryTransaction<'_> {
    async fn insert_orphan(&mut self, orphan: &OrphanDocument) -> Result<OrphanInsert, HostError> {
        Ok(
            if self
                .state
                .orphans
                .insert_if_absent(orphan.orphan_id.clone(), orphan.clone())
            {
                OrphanInsert::Inserted
            } else {
                OrphanInsert::Existed
            },
        )
    }

    async fn orphans_of(&mut self, user: UserId) -> Result<Vec<OrphanDocument>, HostError> {
        Ok(self
            .state
            .orphans
            .iter()
            .filter(|(_, o)| o.user_id == user)
            .map(|(_, o)| OrphanDocument::clone(o))
            .collect())
    }

    async fn remove_orphan(&mut self, orphan_id: &str) -> Result<(), HostError> {
        self.state.orphans.remove(orphan_id);
        Ok(())
    }
}

/// `user`'s scores on these charts in `state`, in storing order.
fn scores_on(state: &State, user: UserId, chart_ids: &[String]) -> Vec<ScoreDocument> {
    let charts: HashSet<&str> = chart_ids.iter().map(String::as_str).collect();
    state
        .scores
        .iter()
        .filter(|(_, s)| s.user_id == user && charts.contains(s.chart_id.as_str()))
        .map(|(_, s)| ScoreDocument::clone(s))
        .collect()
}

fn gpt_of(game: Game, playtype: kaiden_core::Playtype) -> Option<Gpt> {
    game.with_playtype(playtype)
}

impl SessionStore for MemoryTransaction<'_> {
    async fn sessions_between(
        &mut self,
        user: UserId,
        gpt: Gpt,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<SessionDocument>, HostError> {
        let within = |t: i64| t >= from_ms && t < to_ms;
        Ok(self
            .state
            .sessions
            .iter()
            .filter(|(_, s)| {
                s.user_id == user
                    && gpt_of(s.game, s.playtype) == Some(gpt)
                    && (within(s.time_started) || within(s.time_ended))
            })
            .map(|(_, s)| SessionDocument::clone(s))
            .collect())
    }

    async fn upsert_session(&mut self, session: &SessionDocument) -> Result<(), HostError> {
        self.state
            .sessions
            .upsert(session.session_id.clone(), session.clone());
        Ok(())
    }
}

impl PbStore for MemoryTransaction<'_> {
    async fn upsert_pbs(&mut self, pbs: &[PbDocument]) -> Result<(), HostError> {
        for pb in pbs {
            self.state
                .pbs
                .upsert((pb.user_id, pb.chart_id.clone()), pb.clone());
        }
        Ok(())
    }

    async fn pbs_on_charts(&mut self, chart_ids: &[String]) -> Result<Vec<PbDocument>, HostError> {
        // Asked before the import writes PBs on these charts: the state
        // before it. By chart, then user (the SQLite host's key order).
        let charts: HashSet<&str> = chart_ids.iter().map(String::as_str).collect();
        let mut out: Vec<PbDocument> = self
            .before
            .pbs
            .iter()
            .filter(|((_, c), _)| charts.contains(c.as_str()))
            .map(|(_, p)| PbDocument::clone(p))
            .collect();
        out.sort_by(|a, b| (&a.chart_id, a.user_id).cmp(&(&b.chart_id, b.user_id)));
        Ok(out)
    }

    async fn user_pbs_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<PbDocument>, HostError> {
        let mut out: Vec<PbDocument> = chart_ids
            .iter()
            .filter_map(|c| self.state.pbs.get(&(user, c.clone())))
            .map(|p| PbDocument::clone(p))
            .collect();
        out.sort_by(|a, b| a.chart_id.cmp(&b.chart_id));
        out.dedup_by(|a, b| a.chart_id == b.chart_id);
        Ok(out)
    }

    async fn pbs_of(&mut self, user: UserId, gpt: Gpt) -> Result<Vec<PbDocument>, HostError> {
        Ok(self
            .state
            .pbs
            .iter()
            .filter(|((u, _), p)| *u == user && gpt_of(p.game, p.playtype) == Some(gpt))
            .map(|(_, p)| PbDocument::clone(p))
            .collect())
    }
}

impl StatsStore for MemoryTransaction<'_> {
    async fn game_stats(&mut self, user: UserId, gpt: Gpt) -> Result<Option<GameStats>, HostError> {
        Ok(self
            .state
            .game_stats
            .get(&(user, gpt))
            .map(|s| GameStats::clone(s)))
    }

    async fn put_game_stats(
        &mut self,
        user: UserId,
        gpt: Gpt,
        stats: &GameStats,
    ) -> Result<(), HostError> {
        self.state.game_stats.upsert((user, gpt), stats.clone());
        Ok(())
    }
}

impl MemoryTransaction<'_> {
    fn subscribed(&self, subs_game: &Value, game: Game) -> bool {
        subs_game.get("game").and_then(Value::as_str) == Some(game.as_str())
    }

    fn put_subs(&mut self, quest: bool, user: UserId, subs: &[Value]) -> Result<(), HostError> {
        let key = if quest { "questID" } else { "goalID" };
        for sub in subs {
            let id = sub
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| storage(format!("a subscription without {key}: {sub}")))?
                .to_owned();
            let table = if quest {
                &mut self.state.quest_subs
            } else {
                &mut self.state.goal_subs
            };
            let k = (user, id);
            if table.contains(&k) {
                table.upsert(k, sub.clone());
            }
        }
        Ok(())
    }
}

impl GoalStore for MemoryTransaction<'_> {
    async fn goals_touching(
        &mut self,
        user: UserId,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Subscription>, HostError> {
        let touched: HashSet<&str> = chart_ids.iter().map(String::as_str).collect();
        let mut found: BTreeMap<String, Subscription> = BTreeMap::new();
        for ((u, goal_id), sub) in self.state.goal_subs.iter() {
            if *u != user || !self.subscribed(sub, game) {
                continue;
            }
            let covers = self
                .state
                .goal_charts
                .get(goal_id)
                .is_some_and(|cs| cs.iter().any(|c| touched.contains(c.as_str())));
            if let (true, Some(goal)) = (covers, self.state.goals.get(goal_id.as_str())) {
                found.insert(
                    goal_id.clone(),
                    Subscription {
                        document: Value::clone(goal),
                        subscription: Value::clone(sub),
                    },
                );
            }
        }
        Ok(found.into_values().collect())
    }

    async fn goal_chart_ids(&mut self, goal_id: &str) -> Result<Vec<String>, HostError> {
        Ok(self
            .state
            .goal_charts
            .get(goal_id)
            .cloned()
            .unwrap_or_default())
    }

    async fn quests_containing(
        &mut self,
        user: UserId,
        game: Game,
        goal_ids: &[String],
    ) -> Result<Vec<Subscription>, HostError> {
        let goals: HashSet<&str> = goal_ids.iter().map(String::as_str).collect();
        let mut found: BTreeMap<String, Subscription> = BTreeMap::new();
        for ((u, quest_id), sub) in self.state.quest_subs.iter() {
            if *u != user || !self.subscribed(sub, game) {
                continue;
            }
            let lists = self
                .state
                .quest_goals
                .get(quest_id)
                .is_some_and(|gs| gs.iter().any(|g| goals.contains(g.as_str())));
            if let (true, Some(quest)) = (lists, self.state.quests.get(quest_id.as_str())) {
                found.insert(
                    quest_id.clone(),
                    Subscription {
                        document: Value::clone(quest),
                        subscription: Value::clone(sub),
                    },
                );
            }
        }
        Ok(found.into_values().collect())
    }

    async fn goal_subscriptions(
        &mut self,
        user: UserId,
        goal_ids: &[String],
    ) -> Result<Vec<Value>, HostError> {
        let mut ids: Vec<&String> = goal_ids.iter().collect();
        ids.sort();
        ids.dedup();
        Ok(ids
            .into_iter()
            .filter_map(|g| self.state.goal_subs.get(&(user, g.clone())))
            .map(|s| Value::clone(s))
            .collect())
    }

    async fn put_goal_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.put_subs(false, user, subscriptions)
    }

    async fn put_quest_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.put_subs(true, user, subscriptions)
    }
}

impl ImportStore for MemoryTransaction<'_> {
    async fn save_import(
        &mut self,
        document: &ImportDocument,
        timings: &ImportTimings,
    ) -> Result<(), HostError> {
        if !self
            .state
            .imports
            .insert_if_absent(document.import_id.clone(), document.clone())
        {
            return Err(storage(format!(
                "import {} is already stored",
                document.import_id
            )));
        }
        self.state
            .timings
            .insert(document.import_id.clone(), timings.clone());
        Ok(())
    }
}

impl kaiden_core::host::LifecycleStore for MemoryTransaction<'_> {
    async fn delete_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
        blacklist: bool,
    ) -> Result<Vec<ScoreDocument>, HostError> {
        let mut deleted: Vec<(u64, ScoreDocument)> = Vec::new();
        for id in score_ids {
            let Some(seq) = self.state.scores.seq(id.as_str()) else {
                continue;
            };
            let Some(doc) = self
                .state
                .scores
                .get(id.as_str())
                .map(|d| ScoreDocument::clone(d))
            else {
                continue;
            };
            if doc.user_id != user {
                continue;
            }
            self.state.scores.remove(id.as_str());
            if blacklist {
                self.state.blacklist.insert((user, id.clone()));
            }
            deleted.push((seq, doc));
        }
        deleted.sort_by_key(|(seq, _)| *seq);
        Ok(deleted.into_iter().map(|(_, d)| d).collect())
    }

    async fn current_scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        Ok(scores_on(&self.state, user, chart_ids))
    }

    async fn sessions_with_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> Result<Vec<SessionDocument>, HostError> {
        let ids: HashSet<&str> = score_ids.iter().map(String::as_str).collect();
        Ok(self
            .state
            .sessions
            .iter()
            .filter(|(_, s)| {
                s.user_id == user && s.score_ids.iter().any(|i| ids.contains(i.as_str()))
            })
            .map(|(_, s)| SessionDocument::clone(s))
            .collect())
    }

    async fn delete_session(&mut self, session_id: &str) -> Result<(), HostError> {
        self.state.sessions.remove(session_id);
        Ok(())
    }

    async fn delete_pbs(&mut self, user: UserId, chart_ids: &[String]) -> Result<(), HostError> {
        for c in chart_ids {
            self.state.pbs.remove(&(user, c.clone()));
        }
        Ok(())
    }

    async fn pull_from_imports(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> Result<Vec<String>, HostError> {
        let gone: HashSet<&str> = score_ids.iter().map(String::as_str).collect();
        let touched: Vec<ImportDocument> = self
            .state
            .imports
            .iter()
            .filter(|(_, d)| {
                d.user_id == user && d.score_ids.iter().any(|i| gone.contains(i.as_str()))
            })
            .map(|(_, d)| ImportDocument::clone(d))
            .collect();
        let mut changed = Vec::with_capacity(touched.len());
        for mut d in touched {
            d.score_ids.retain(|i| !gone.contains(i));
            let id = d.import_id.clone();
            if d.score_ids.is_empty() {
                self.state.imports.remove(id.as_str());
                self.state.timings.remove(id.as_str());
            } else {
                self.state.imports.upsert(id.clone(), d);
            }
            changed.push(id);
        }
        Ok(changed)
    }

    async fn delete_import(&mut self, import_id: &str) -> Result<(), HostError> {
        self.state.imports.remove(import_id);
        self.state.timings.remove(import_id);
        Ok(())
    }

    async fn update_scores(&mut self, scores: &[ScoreDocument]) -> Result<(), HostError> {
        for s in scores {
            if self.state.scores.contains(s.score_id.as_str()) {
                self.state.scores.upsert(s.score_id.clone(), s.clone());
            }
        }
        Ok(())
    }
}

impl ImportTransaction for MemoryTransaction<'_> {
    async fn commit(self) -> Result<(), HostError> {
        let MemoryTransaction { host, state, .. } = self;
        host.publish(state);
        Ok(())
    }

    async fn rollback(self) -> Result<(), HostError> {
        Ok(())
    }
}
