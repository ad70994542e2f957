//! API keys, the import queue ([`ServiceStore`]) and third-party tokens
//! ([`IntegrationStore`]), outside the imports' transactions (a job is queued
//! and tokens are rotated while an import runs), as the SQLite host keeps them
//! in a second file.

use std::collections::{BTreeMap, HashMap};
use std::sync::PoisonError;

use kaiden_core::Game;
use kaiden_core::host::HostError;
use kaiden_core::score::UserId;
use kaiden_service::{
    ApiKey, CgCard, HookSettings, HookStore, ImportFilter, ImportState, IntegrationStore,
    KaiTokens, QueuedImport, ServiceStore, hash_api_key,
};
use serde_json::{Value, json};

use crate::{MemoryHost, now_ms, storage};

#[derive(Debug)]
struct Job {
    job: QueuedImport,
    state: ImportState,
    due_at: i64,
    created: u64,
    /// When it was submitted (ms).
    created_at: i64,
    lease_until: Option<i64>,
}

/// What the server's store holds.
#[derive(Debug, Default)]
pub(crate) struct ServiceState {
    keys: HashMap<String, ApiKey>,
    jobs: BTreeMap<String, Job>,
    next_job: u64,
    tokens: HashMap<(UserId, String), KaiTokens>,
    cg_cards: HashMap<(UserId, String), CgCard>,
    myt_cards: HashMap<UserId, String>,
    hooks: HashMap<(UserId, String), HookSettings>,
    replays: HashMap<String, Vec<u8>>,
}

impl MemoryHost {
    fn service<T>(&self, f: impl FnOnce(&mut ServiceState) -> T) -> T {
        f(&mut self.service.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Creates an API key for `user` with `permissions` and returns the token
    /// (only its hash is kept).
    pub fn create_api_key(
        &self,
        user: UserId,
        permissions: &[String],
    ) -> Result<String, HostError> {
        kaiden_service::check_permissions(permissions)?;
        if !self.user_exists(user) {
            return Err(HostError::UnknownUser(user));
        }
        let token = kaiden_service::new_api_token()?;
        self.service(|s| {
            s.keys.insert(
                hash_api_key(&token),
                ApiKey {
                    user,
                    permissions: permissions.to_vec(),
                },
            );
        });
        Ok(token)
    }

    fn job_mut(&self, import_id: &str, f: impl FnOnce(&mut Job)) -> Result<(), HostError> {
        self.service(|s| {
            if let Some(j) = s.jobs.get_mut(import_id) {
                f(j);
            }
        });
        Ok(())
    }
}

impl ServiceStore for MemoryHost {
    async fn api_key(&self, token_hash: &str) -> Result<Option<ApiKey>, HostError> {
        Ok(self.service(|s| s.keys.get(token_hash).cloned()))
    }

    async fn enqueue_import(&self, job: &QueuedImport) -> Result<(), HostError> {
        self.service(|s| {
            if s.jobs.contains_key(&job.import_id) {
                return Err(storage(format!("job {} is already queued", job.import_id)));
            }
            s.next_job += 1;
            s.jobs.insert(
                job.import_id.clone(),
                Job {
                    job: job.clone(),
                    state: ImportState::Queued,
                    due_at: now_ms(),
                    created: s.next_job,
                    created_at: now_ms(),
                    lease_until: None,
                },
            );
            Ok(())
        })
    }

    async fn claim_import(&self, lease_ms: i64) -> Result<Option<QueuedImport>, HostError> {
        let now = now_ms();
        Ok(self.service(|s| {
            let due = s
                .jobs
                .values_mut()
                .filter(|j| match j.state {
                    ImportState::Queued => j.due_at <= now,
                    ImportState::Running => j.lease_until.is_some_and(|l| l < now),
                    _ => false,
                })
                .min_by_key(|j| (j.due_at, j.created))?;
            due.state = ImportState::Running;
            due.job.runs += 1;
            due.lease_until = Some(now.saturating_add(lease_ms));
            Some(due.job.clone())
        }))
    }

    async fn requeue_import(&self, import_id: &str, delay_ms: i64) -> Result<(), HostError> {
        self.job_mut(import_id, |j| {
            j.state = ImportState::Queued;
            j.job.lock_retries += 1;
            j.job.runs = j.job.runs.saturating_sub(1);
            j.lease_until = None;
            j.due_at = now_ms().saturating_add(delay_ms);
        })
    }

    async fn fail_import(
        &self,
        import_id: &str,
        status: u16,
        message: &str,
    ) -> Result<(), HostError> {
        self.job_mut(import_id, |j| {
            j.state = ImportState::Failed {
                status,
                message: message.to_owned(),
            };
            j.lease_until = None;
            j.job.input = Vec::new();
        })
    }

    async fn record_failed_import(
        &self,
        job: &QueuedImport,
        status: u16,
        message: &str,
    ) -> Result<(), HostError> {
        self.service(|s| {
            if s.jobs.contains_key(&job.import_id) {
                return Err(storage(format!("job {} is already kept", job.import_id)));
            }
            s.next_job += 1;
            let now = now_ms();
            s.jobs.insert(
                job.import_id.clone(),
                Job {
                    job: QueuedImport {
                        input: Vec::new(),
                        ..job.clone()
                    },
                    state: ImportState::Failed {
                        status,
                        message: message.to_owned(),
                    },
                    due_at: now,
                    created: s.next_job,
                    created_at: now,
                    lease_until: None,
                },
            );
            Ok(())
        })
    }

    async fn failed_imports(
        &self,
        user: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<kaiden_service::FailedImport>, HostError> {
        Ok(self.service(|s| {
            let mut failed: Vec<&Job> = s
                .jobs
                .values()
                .filter(|j| matches!(j.state, ImportState::Failed { .. }))
                .filter(|j| user.is_none_or(|u| j.job.user == u))
                .collect();
            failed.sort_by_key(|j| std::cmp::Reverse((j.created_at, j.created)));
            failed
                .into_iter()
                .take(limit)
                .map(|j| {
                    let (status, message) = match &j.state {
                        ImportState::Failed { status, message } => (*status, message.clone()),
                        _ => (500, String::new()),
                    };
                    kaiden_service::FailedImport::new(
                        j.job.import_id.clone(),
                        j.job.user,
                        j.job.import_type,
                        j.job.user_intent,
                        j.created_at,
                        status,
                        message,
                    )
                })
                .collect()
        }))
    }

    async fn complete_import(&self, import_id: &str) -> Result<(), HostError> {
        self.job_mut(import_id, |j| {
            j.state = ImportState::Completed;
            j.lease_until = None;
            j.job.input = Vec::new();
            j.due_at = now_ms();
        })
    }

    async fn import_state(&self, import_id: &str) -> Result<Option<ImportState>, HostError> {
        Ok(self.service(|s| s.jobs.get(import_id).map(|j| j.state.clone())))
    }

    async fn recover_imports(&self) -> Result<u64, HostError> {
        // Nothing outlives the process that holds this host: a job found
        // running was claimed by a worker of this process that is gone.
        Ok(self.service(|s| {
            let mut n = 0;
            for j in s.jobs.values_mut() {
                if j.state == ImportState::Running {
                    j.state = ImportState::Queued;
                    j.lease_until = None;
                    n += 1;
                }
            }
            n
        }))
    }

    async fn imports(&self, filter: &ImportFilter, limit: usize) -> Result<Vec<Value>, HostError> {
        let state = self.snapshot();
        let mut docs: Vec<(i64, u64, Value)> = Vec::new();
        for (i, (_, d)) in state.imports.iter().enumerate() {
            if filter.user.is_some_and(|u| u != d.user_id)
                || filter.import_type.is_some_and(|t| t != d.import_type)
                || filter.user_intent.is_some_and(|b| b != d.user_intent)
            {
                continue;
            }
            docs.push((
                d.time_finished,
                i as u64,
                serde_json::to_value(&**d).map_err(storage)?,
            ));
        }
        docs.sort_by_key(|d| std::cmp::Reverse((d.0, d.1)));
        if let Some(after) = &filter.after {
            // The cursor's place in the order of every import.
            let Some((i, (_, d))) = state
                .imports
                .iter()
                .enumerate()
                .find(|(_, (id, _))| id.as_str() == after.as_str())
            else {
                return Ok(Vec::new());
            };
            let cursor = (d.time_finished, i as u64);
            docs.retain(|d| (d.0, d.1) < cursor);
        }
        Ok(docs.into_iter().take(limit).map(|(_, _, d)| d).collect())
    }

    async fn scores_by_id(&self, score_ids: &[String]) -> Result<Vec<Value>, HostError> {
        let state = self.snapshot();
        score_ids
            .iter()
            .filter_map(|id| state.scores.get(id.as_str()))
            .map(|s| serde_json::to_value(&**s).map_err(storage))
            .collect()
    }

    async fn put_replay(&self, score_id: &str, bytes: &[u8]) -> Result<(), HostError> {
        self.service(|s| s.replays.insert(score_id.to_owned(), bytes.to_vec()));
        Ok(())
    }

    async fn replay(&self, score_id: &str) -> Result<Option<Vec<u8>>, HostError> {
        Ok(self.service(|s| s.replays.get(score_id).cloned()))
    }

    async fn chart_pbs(&self, chart_id: &str) -> Result<Vec<Value>, HostError> {
        let state = self.snapshot();
        let mut pbs: Vec<_> = state
            .pbs
            .iter()
            .filter(|(_, p)| p.chart_id == chart_id)
            .map(|(_, p)| (p.ranking_data.rank, p.user_id, serde_json::to_value(&**p)))
            .collect();
        pbs.sort_by_key(|(rank, user, _)| (*rank, *user));
        pbs.into_iter()
            .map(|(_, _, v)| v.map_err(storage))
            .collect()
    }

    async fn users(&self, ids: &[UserId]) -> Result<Vec<Value>, HostError> {
        let state = self.snapshot();
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids
            .into_iter()
            .filter_map(|id| {
                state
                    .users
                    .get(&id)
                    .map(|name| json!({"id": id, "username": name}))
            })
            .collect())
    }

    async fn import_view(&self, import_id: &str) -> Result<Option<Value>, HostError> {
        let state = self.snapshot();
        let Some(import) = state.imports.get(import_id) else {
            return Ok(None);
        };
        let scores: Vec<_> = import
            .score_ids
            .iter()
            .filter_map(|id| {
                Some((
                    state.scores.seq(id.as_str())?,
                    state.scores.get(id.as_str())?,
                ))
            })
            .collect::<BTreeMap<_, _>>()
            .into_values()
            .collect();
        // The charts and songs of the import's scores: one catalogue pass per game.
        let mut wanted: BTreeMap<Game, (Vec<String>, Vec<i64>)> = BTreeMap::new();
        for s in &scores {
            let (charts, songs) = wanted.entry(s.game).or_default();
            charts.push(s.chart_id.clone());
            songs.push(s.song_id);
        }
        let mut charts: BTreeMap<String, Value> = BTreeMap::new();
        let mut songs: BTreeMap<(Game, i64), Value> = BTreeMap::new();
        for (game, (chart_ids, mut song_ids)) in wanted {
            for c in state.charts_by_id(game, &chart_ids) {
                charts.insert(
                    c.chart_id.clone(),
                    serde_json::to_value(&*c).map_err(storage)?,
                );
            }
            song_ids.sort_unstable();
            song_ids.dedup();
            for song in state.songs_by_id(game, &song_ids) {
                songs.insert(
                    (game, song.id),
                    serde_json::to_value(&*song).map_err(storage)?,
                );
            }
        }
        let sessions: Vec<Value> = state
            .sessions
            .iter()
            .filter(|(id, _)| import.created_sessions.iter().any(|c| &c.session_id == *id))
            .map(|(_, s)| serde_json::to_value(&**s).map_err(storage))
            .collect::<Result<_, _>>()?;
        let scores: Vec<Value> = scores
            .into_iter()
            .map(|s| serde_json::to_value(&**s).map_err(storage))
            .collect::<Result<_, _>>()?;
        Ok(Some(json!({
            "scores": scores,
            "songs": songs.into_values().collect::<Vec<_>>(),
            "charts": charts.into_values().collect::<Vec<_>>(),
            "sessions": sessions,
            "import": serde_json::to_value(&**import).map_err(storage)?,
            "user": {"id": import.user_id, "username": state.users.get(&import.user_id)},
        })))
    }
}

impl IntegrationStore for MemoryHost {
    fn kai_tokens(&self, user: UserId, service: &str) -> Result<Option<KaiTokens>, HostError> {
        Ok(self.service(|s| s.tokens.get(&(user, service.to_owned())).cloned()))
    }

    fn put_kai_tokens(
        &self,
        user: UserId,
        service: &str,
        tokens: &KaiTokens,
    ) -> Result<(), HostError> {
        self.service(|s| {
            s.tokens.insert((user, service.to_owned()), tokens.clone());
        });
        Ok(())
    }

    fn cg_card(&self, user: UserId, service: &str) -> Result<Option<CgCard>, HostError> {
        Ok(self.service(|s| s.cg_cards.get(&(user, service.to_owned())).cloned()))
    }

    fn put_cg_card(&self, user: UserId, service: &str, card: &CgCard) -> Result<(), HostError> {
        self.service(|s| {
            s.cg_cards.insert((user, service.to_owned()), card.clone());
        });
        Ok(())
    }

    fn myt_card(&self, user: UserId) -> Result<Option<String>, HostError> {
        Ok(self.service(|s| s.myt_cards.get(&user).cloned()))
    }

    fn put_myt_card(&self, user: UserId, access_code: &str) -> Result<(), HostError> {
        self.service(|s| {
            s.myt_cards.insert(user, access_code.to_owned());
        });
        Ok(())
    }
}

impl HookStore for MemoryHost {
    fn hook_settings(&self, user: UserId, hook: &str) -> Result<HookSettings, HostError> {
        Ok(self.service(|s| {
            s.hooks
                .get(&(user, hook.to_owned()))
                .cloned()
                .unwrap_or_default()
        }))
    }

    fn put_hook_settings(
        &self,
        user: UserId,
        hook: &str,
        settings: &HookSettings,
    ) -> Result<(), HostError> {
        self.service(|s| {
            s.hooks.insert((user, hook.to_owned()), settings.clone());
        });
        Ok(())
    }

    fn take_force_static_import(&self, user: UserId, hook: &str) -> Result<bool, HostError> {
        Ok(self.service(|s| {
            s.hooks
                .get_mut(&(user, hook.to_owned()))
                .is_some_and(|h| std::mem::take(&mut h.force_static_import))
        }))
    }
}
