//! API keys and the durable import queue ([`ServiceStore`]), users' tokens
//! ([`IntegrationStore`]) and score-hook settings ([`HookStore`]), in the same
//! database as the imports: PostgreSQL locks rows, not the file, so a queued
//! upload never waits for a running import.
//!
//! **The queue.** A worker claims the oldest due job with `FOR UPDATE SKIP
//! LOCKED` (two workers never take the same job) and records its process's
//! presence key in the job. Each host holds a session advisory lock on its
//! presence key, on a connection of its own, for as long as it lives; when
//! the process dies, PostgreSQL ends the session and the lock with it. A job
//! whose claimer's lock is gone is due again at once; one whose claimer
//! lives but hangs is due when its lease runs out. A job is finished exactly
//! when its ImportDocument exists (the document's primary key is the
//! importID, so an import can commit once).

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use kaiden_core::ImportType;
use kaiden_core::host::HostError;
use kaiden_core::score::UserId;
use kaiden_service::{
    ApiKey, CgCard, HookSettings, HookStore, ImportFilter, ImportState, IntegrationStore,
    KaiTokens, QueuedImport, ServiceStore, hash_api_key,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio_postgres::Client;

use crate::{PgHost, json as to_json, lock_key, now_ms, parse, storage, strings, user_i64};

/// A job's metadata, stored as JSON beside its bytes.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JobMeta {
    user_intent: bool,
    import_type: ImportType,
    filename: Option<String>,
    fields: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
}

impl JobMeta {
    /// What is stored of a job beside its bytes.
    fn of(job: &QueuedImport) -> JobMeta {
        JobMeta {
            user_intent: job.user_intent,
            import_type: job.import_type,
            filename: job.filename.clone(),
            fields: job.fields.clone(),
            headers: job.headers.clone(),
        }
    }
}

/// This host's presence in the queue: its key, and the connection holding
/// the session advisory lock on it (from the first claim). When that
/// connection is lost (the server restarted), the host takes a new key: jobs
/// claimed under the old one are then plainly another claimer's, gone.
///
/// The same connection `LISTEN`s on the queue's channel: every enqueue
/// `NOTIFY`s it, and idle workers of this process wake at once.
#[derive(Debug)]
pub(crate) struct Presence {
    space: String,
    held: Mutex<(i64, Option<Client>)>,
    /// The queue's notification channel (per database and schema).
    channel: String,
    /// Woken by each notification on `channel`.
    queued: std::sync::Arc<tokio::sync::Notify>,
}

impl Presence {
    pub(crate) fn new(space: &str) -> Self {
        Presence {
            space: space.to_owned(),
            held: Mutex::new((fresh_key(space), None)),
            channel: format!("kaiden_jobs_{:016x}", lock_key(space, "jobs", "")),
            queued: std::sync::Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The current key.
    fn key(&self) -> i64 {
        self.held.lock().unwrap_or_else(PoisonError::into_inner).0
    }
}

/// A presence key no other host has: a random nonce (or the time and
/// process id, with no randomness to be had).
fn fresh_key(space: &str) -> i64 {
    let mut nonce = [0u8; 8];
    let id = if getrandom::fill(&mut nonce).is_ok() {
        u64::from_le_bytes(nonce).to_string()
    } else {
        format!("{}-{}", std::process::id(), now_ms())
    };
    lock_key(space, "worker", &id)
}

/// `true` when no session holds the advisory lock on `worker` (an SQL
/// condition on a job row `j`): its process is gone.
const CLAIMER_GONE: &str = "NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' \
     AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
     AND ((l.classid::bigint << 32) | l.objid::bigint) = j.worker)";

impl PgHost {
    /// Makes sure this host's presence lock is held (a connection of its own,
    /// kept for the host's life). Returns its key.
    async fn present(&self) -> Result<i64, HostError> {
        {
            let held = self
                .presence
                .held
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if held.1.as_ref().is_some_and(|c| !c.is_closed()) {
                return Ok(held.0);
            }
        }
        // Never held, or lost with its connection: a new key.
        let key = fresh_key(&self.presence.space);
        let config = self.pool().config().clone();
        let timeout = std::time::Duration::from_secs(30);
        let (channel, queued) = (
            self.presence.channel.clone(),
            std::sync::Arc::clone(&self.presence.queued),
        );
        let client = self
            .pool()
            .handle()
            .spawn(async move {
                let c = crate::pool::connect(&config, timeout, Some(queued)).await?;
                c.batch_execute(&format!("SELECT pg_advisory_lock({key}); LISTEN {channel}"))
                    .await
                    .map_err(storage)?;
                Ok::<_, HostError>(c)
            })
            .await
            .map_err(|_| crate::pool::stopped())??;
        *self
            .presence
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = (key, Some(client));
        Ok(key)
    }

    /// Creates an API key for `user` with `permissions` and returns the token.
    /// Only the token's hash is stored; the token cannot be shown again.
    pub fn create_api_key(
        &self,
        user: UserId,
        permissions: &[String],
    ) -> Result<String, HostError> {
        kaiden_service::check_permissions(permissions)?;
        if !self.user_exists(user)? {
            return Err(HostError::UnknownUser(user));
        }
        let token = kaiden_service::new_api_token()?;
        let perms = to_json(&permissions)?;
        let hash = hash_api_key(&token);
        let uid = user_i64(user)?;
        self.with_conn(move |c| async move {
            c.execute_p(
                "INSERT INTO api_keys (token_hash, user_id, permissions, created_at) VALUES ($1, $2, $3, $4)",
                &[&hash, &uid, &perms, &now_ms()],
            )
            .await
            .map_err(storage)
        })?;
        Ok(token)
    }

    /// A user's API keys: the first 12 hex digits of each key's SHA-256, its
    /// permissions and when it was made, oldest first.
    pub fn api_keys_of(&self, user: UserId) -> Result<Vec<Value>, HostError> {
        let uid = user_i64(user)?;
        let rows: Vec<(String, String, i64)> = self.with_conn(move |c| async move {
            let rows = c
                .query_p(
                    "SELECT token_hash, permissions, created_at FROM api_keys WHERE user_id = $1 \
                     ORDER BY created_at, token_hash COLLATE \"C\"",
                    &[&uid],
                )
                .await
                .map_err(storage)?;
            rows.iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
                .collect::<Result<_, tokio_postgres::Error>>()
                .map_err(storage)
        })?;
        rows.into_iter()
            .map(|(hash, perms, created)| {
                let perms: Vec<String> = parse(&perms)?;
                Ok(json!({"id": &hash[..12.min(hash.len())], "permissions": perms, "createdAt": created}))
            })
            .collect()
    }

    /// Revokes the key `key_or_id`: the key itself, or an id `api_keys_of`
    /// shows (a hash prefix of at least 8 digits naming exactly one key).
    /// Returns how many were revoked (0 or 1).
    pub fn revoke_api_key(&self, key_or_id: &str) -> Result<usize, HostError> {
        let full = hash_api_key(key_or_id);
        let prefix = key_or_id.to_ascii_lowercase();
        let is_prefix =
            prefix.len() >= 8 && prefix.len() < 64 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
        self.with_conn(move |c| async move {
            let n = c
                .execute("DELETE FROM api_keys WHERE token_hash = $1", &[&full])
                .await
                .map_err(storage)?;
            if n > 0 || !is_prefix {
                return Ok(n as usize);
            }
            let pattern = format!("{prefix}%");
            let matching: i64 = c
                .query_one_p(
                    "SELECT COUNT(*) FROM api_keys WHERE token_hash LIKE $1",
                    &[&pattern],
                )
                .await
                .and_then(|r| r.try_get(0))
                .map_err(storage)?;
            if matching > 1 {
                return Err(HostError::Storage(format!(
                    "{prefix} names {matching} keys; give more of it"
                )));
            }
            c.execute_p("DELETE FROM api_keys WHERE token_hash LIKE $1", &[&pattern])
                .await
                .map(|n| n as usize)
                .map_err(storage)
        })
    }
}

fn job_from(r: &tokio_postgres::Row) -> Result<QueuedImport, HostError> {
    let meta: JobMeta = parse(&r.try_get::<_, String>(2).map_err(storage)?)?;
    let runs: i32 = r.try_get(4).map_err(storage)?;
    let retries: i32 = r.try_get(5).map_err(storage)?;
    Ok(QueuedImport {
        import_id: r.try_get(0).map_err(storage)?,
        user: r.try_get::<_, i64>(1).map_err(storage)? as UserId,
        user_intent: meta.user_intent,
        import_type: meta.import_type,
        input: r.try_get(3).map_err(storage)?,
        filename: meta.filename,
        fields: meta.fields,
        headers: meta.headers,
        runs: u32::try_from(runs).unwrap_or(0),
        lock_retries: u32::try_from(retries).unwrap_or(0),
    })
}

impl ServiceStore for PgHost {
    async fn api_key(&self, token_hash: &str) -> Result<Option<ApiKey>, HostError> {
        let c = self.pool().get().await?;
        let row = c
            .query_opt_p(
                "SELECT user_id, permissions FROM api_keys WHERE token_hash = $1",
                &[&token_hash],
            )
            .await
            .map_err(storage)?;
        row.map(|r| {
            Ok(ApiKey {
                user: r.try_get::<_, i64>(0).map_err(storage)? as UserId,
                permissions: parse(&r.try_get::<_, String>(1).map_err(storage)?)?,
            })
        })
        .transpose()
    }

    async fn enqueue_import(&self, job: &QueuedImport) -> Result<(), HostError> {
        let meta = to_json(&JobMeta::of(job))?;
        let uid = user_i64(job.user)?;
        let c = self.pool().get().await?;
        // Stored and announced in one statement: a process's idle workers
        // listen on the channel (see `Presence`).
        c.execute_p(
            "WITH job AS (INSERT INTO import_jobs (import_id, user_id, doc, input, state, due_at, created_at) \
             VALUES ($1, $2, $3, $4, 'queued', $5, $5) RETURNING 1) \
             SELECT pg_notify($6, '') FROM job",
            &[&job.import_id, &uid, &meta, &job.input, &now_ms(), &self.presence.channel],
        )
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn claim_import(&self, lease_ms: i64) -> Result<Option<QueuedImport>, HostError> {
        let me = self.present().await?;
        let now = now_ms();
        let c = self.pool().get().await?;
        let row = c
            .query_opt_p(
                &format!(
                    "UPDATE import_jobs SET state = 'running', runs = runs + 1, lease_until = $2, worker = $3 \
                     WHERE import_id = (SELECT import_id FROM import_jobs j \
                       WHERE (j.state = 'queued' AND j.due_at <= $1) \
                          OR (j.state = 'running' AND (j.lease_until < $1 OR {CLAIMER_GONE})) \
                       ORDER BY j.due_at, j.created_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
                     RETURNING import_id, user_id, doc, input, runs, lock_retries"
                ),
                &[&now, &now.saturating_add(lease_ms), &me],
            )
            .await
            .map_err(storage)?;
        row.as_ref().map(job_from).transpose()
    }

    async fn requeue_import(&self, import_id: &str, delay_ms: i64) -> Result<(), HostError> {
        let c = self.pool().get().await?;
        c.execute_p(
            "UPDATE import_jobs SET state = 'queued', lock_retries = lock_retries + 1, \
             runs = runs - 1, lease_until = NULL, worker = NULL, due_at = $2 WHERE import_id = $1",
            &[&import_id, &now_ms().saturating_add(delay_ms)],
        )
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn fail_import(
        &self,
        import_id: &str,
        status: u16,
        message: &str,
    ) -> Result<(), HostError> {
        let c = self.pool().get().await?;
        c.execute_p(
            "UPDATE import_jobs SET state = 'failed', status = $2, message = $3, lease_until = NULL, \
             input = '\\x'::bytea WHERE import_id = $1",
            &[&import_id, &i32::from(status), &message],
        )
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn record_failed_import(
        &self,
        job: &QueuedImport,
        status: u16,
        message: &str,
    ) -> Result<(), HostError> {
        let meta = to_json(&JobMeta::of(job))?;
        let uid = user_i64(job.user)?;
        let c = self.pool().get().await?;
        c.execute_p(
            "INSERT INTO import_jobs (import_id, user_id, doc, input, state, due_at, status, message, created_at) \
             VALUES ($1, $2, $3, '\\x'::bytea, 'failed', $4, $5, $6, $4)",
            &[&job.import_id, &uid, &meta, &now_ms(), &i32::from(status), &message],
        )
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn failed_imports(
        &self,
        user: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<kaiden_service::FailedImport>, HostError> {
        let uid = user.map(user_i64).transpose()?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let c = self.pool().get().await?;
        let rows = c
            .query_p(
                "SELECT import_id, user_id, doc, status, message, created_at FROM import_jobs \
                 WHERE state = 'failed' AND ($1::BIGINT IS NULL OR user_id = $1) \
                 ORDER BY created_at DESC, import_id DESC LIMIT $2",
                &[&uid, &limit],
            )
            .await
            .map_err(storage)?;
        rows.iter()
            .map(|r| {
                let meta: JobMeta = parse(&r.try_get::<_, String>(2).map_err(storage)?)?;
                let status: Option<i32> = r.try_get(3).map_err(storage)?;
                let message: Option<String> = r.try_get(4).map_err(storage)?;
                Ok(kaiden_service::FailedImport::new(
                    r.try_get(0).map_err(storage)?,
                    u64::try_from(r.try_get::<_, i64>(1).map_err(storage)?).unwrap_or(0),
                    meta.import_type,
                    meta.user_intent,
                    r.try_get(5).map_err(storage)?,
                    status.and_then(|s| u16::try_from(s).ok()).unwrap_or(500),
                    message.unwrap_or_default(),
                ))
            })
            .collect()
    }

    async fn complete_import(&self, import_id: &str) -> Result<(), HostError> {
        let c = self.pool().get().await?;
        c.execute_p(
            "UPDATE import_jobs SET state = 'completed', lease_until = NULL, input = '\\x'::bytea, \
             due_at = $2 WHERE import_id = $1",
            &[&import_id, &now_ms()],
        )
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn import_state(&self, import_id: &str) -> Result<Option<ImportState>, HostError> {
        let c = self.pool().get().await?;
        let row = c
            .query_opt_p(
                "SELECT state, status, message FROM import_jobs WHERE import_id = $1",
                &[&import_id],
            )
            .await
            .map_err(storage)?;
        row.map(|r| {
            let state: String = r.try_get(0).map_err(storage)?;
            let status: Option<i32> = r.try_get(1).map_err(storage)?;
            let message: Option<String> = r.try_get(2).map_err(storage)?;
            Ok(match state.as_str() {
                "queued" => ImportState::Queued,
                "running" => ImportState::Running,
                "completed" => ImportState::Completed,
                _ => ImportState::Failed {
                    status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(500),
                    message: message.unwrap_or_default(),
                },
            })
        })
        .transpose()
    }

    fn jobs_queued_elsewhere(&self) -> impl std::future::Future<Output = ()> + Send {
        let queued = std::sync::Arc::clone(&self.presence.queued);
        async move { queued.notified().await }
    }

    async fn recover_imports(&self) -> Result<u64, HostError> {
        // Called as a server starts, when this host runs no job: jobs it
        // claimed earlier, and jobs whose claimer's process is gone, are
        // due again. Jobs other live processes run are theirs.
        let me = self.presence.key();
        let c = self.pool().get().await?;
        c.execute_p(
            &format!(
                "UPDATE import_jobs j SET state = 'queued', lease_until = NULL, worker = NULL \
                 WHERE j.state = 'running' AND (j.worker IS NULL OR j.worker = $1 OR {CLAIMER_GONE})"
            ),
            &[&me],
        )
        .await
        .map_err(storage)
    }

    async fn imports(&self, filter: &ImportFilter, limit: usize) -> Result<Vec<Value>, HostError> {
        let user = filter.user.map(user_i64).transpose()?;
        let import_type = filter.import_type.map(|t| t.as_str());
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let c = self.pool().get().await?;
        let raw = strings(
            &**c,
            "SELECT doc FROM imports i WHERE ($1::int8 IS NULL OR user_id = $1) \
             AND ($2::text IS NULL OR import_type = $2) \
             AND ($3::bool IS NULL OR user_intent = $3) \
             AND ($5::text IS NULL OR (time_finished, seq) < \
                  (SELECT time_finished, seq FROM imports WHERE import_id = $5)) \
             ORDER BY time_finished DESC, seq DESC LIMIT $4",
            &[
                &user,
                &import_type,
                &filter.user_intent,
                &limit,
                &filter.after,
            ],
        )
        .await?;
        raw.iter().map(|d| parse(d)).collect()
    }

    async fn users(&self, ids: &[UserId]) -> Result<Vec<Value>, HostError> {
        let ids: Vec<i64> = ids.iter().filter_map(|i| i64::try_from(*i).ok()).collect();
        let c = self.pool().get().await?;
        let rows = c
            .query_p(
                "SELECT id, name FROM users WHERE id = ANY($1) ORDER BY id",
                &[&ids],
            )
            .await
            .map_err(storage)?;
        rows.iter()
            .map(|r| {
                Ok(json!({
                    "id": r.try_get::<_, i64>(0).map_err(storage)?,
                    "username": r.try_get::<_, String>(1).map_err(storage)?,
                }))
            })
            .collect()
    }

    async fn scores_by_id(&self, score_ids: &[String]) -> Result<Vec<Value>, HostError> {
        let c = self.pool().get().await?;
        // In the order asked.
        let raw = strings(
            &**c,
            "SELECT s.doc FROM unnest($1::text[]) WITH ORDINALITY AS t(i, n) \
             JOIN scores s ON s.score_id = t.i ORDER BY t.n",
            &[&score_ids],
        )
        .await?;
        raw.iter().map(|d| parse(d)).collect()
    }

    async fn put_replay(&self, score_id: &str, bytes: &[u8]) -> Result<(), HostError> {
        let c = self.pool().get().await?;
        c.execute_p(
            "INSERT INTO replays (score_id, data, stored_at) VALUES ($1, $2, $3) \
             ON CONFLICT (score_id) DO UPDATE SET data = excluded.data, stored_at = excluded.stored_at",
            &[&score_id, &bytes, &now_ms()],
        )
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn replay(&self, score_id: &str) -> Result<Option<Vec<u8>>, HostError> {
        let c = self.pool().get().await?;
        let row = c
            .query_opt_p("SELECT data FROM replays WHERE score_id = $1", &[&score_id])
            .await
            .map_err(storage)?;
        row.map(|r| r.try_get(0).map_err(storage)).transpose()
    }

    async fn chart_pbs(&self, chart_id: &str) -> Result<Vec<Value>, HostError> {
        let c = self.pool().get().await?;
        let raw = strings(
            &**c,
            "SELECT doc FROM pbs WHERE chart_id = $1 ORDER BY rank, user_id",
            &[&chart_id],
        )
        .await?;
        raw.iter().map(|d| parse(d)).collect()
    }

    async fn import_view(&self, import_id: &str) -> Result<Option<Value>, HostError> {
        let c = self.pool().get().await?;
        let Some(doc) = strings(
            &**c,
            "SELECT doc FROM imports WHERE import_id = $1",
            &[&import_id],
        )
        .await?
        .pop() else {
            return Ok(None);
        };
        let import: Value = parse(&doc)?;
        let list = |key: &str, inner: Option<&str>| -> Vec<String> {
            import[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| inner.map_or(v, |k| &v[k]).as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let score_ids = list("scoreIDs", None);
        let session_ids = list("createdSessions", Some("sessionID"));
        let parse_all = |raw: Vec<String>| -> Result<Vec<Value>, HostError> {
            raw.iter().map(|d| parse(d)).collect()
        };
        let scores = parse_all(
            strings(
                &**c,
                "SELECT doc FROM scores WHERE score_id = ANY($1) ORDER BY seq",
                &[&score_ids],
            )
            .await?,
        )?;
        let rows = c
            .query_p(
                "SELECT game, doc FROM charts WHERE chart_id IN \
                 (SELECT DISTINCT chart_id FROM scores WHERE score_id = ANY($1)) ORDER BY seq",
                &[&score_ids],
            )
            .await
            .map_err(storage)?;
        let mut charts = Vec::with_capacity(rows.len());
        let (mut games, mut song_ids): (Vec<String>, Vec<i64>) = (Vec::new(), Vec::new());
        for r in &rows {
            let chart: Value = parse(&r.try_get::<_, String>(1).map_err(storage)?)?;
            if let Some(id) = chart["songID"].as_i64() {
                games.push(r.try_get(0).map_err(storage)?);
                song_ids.push(id);
            }
            charts.push(chart);
        }
        let songs = parse_all(
            strings(
                &**c,
                "SELECT s.doc FROM (SELECT DISTINCT g, i FROM unnest($1::text[], $2::int8[]) AS t(g, i)) t \
                 JOIN songs s ON s.game = t.g AND s.id = t.i ORDER BY s.game COLLATE \"C\", s.id",
                &[&games, &song_ids],
            )
            .await?,
        )?;
        let sessions = parse_all(
            strings(
                &**c,
                "SELECT doc FROM sessions WHERE session_id = ANY($1) ORDER BY seq",
                &[&session_ids],
            )
            .await?,
        )?;
        let user_id = import["userID"].as_i64().unwrap_or(0);
        let username = strings(&**c, "SELECT name FROM users WHERE id = $1", &[&user_id])
            .await?
            .pop();
        Ok(Some(json!({
            "scores": scores,
            "songs": songs,
            "charts": charts,
            "sessions": sessions,
            "import": import,
            "user": {"id": user_id, "username": username},
        })))
    }
}

impl IntegrationStore for PgHost {
    fn kai_tokens(&self, user: UserId, service: &str) -> Result<Option<KaiTokens>, HostError> {
        let uid = user_i64(user)?;
        let service = service.to_owned();
        self.with_conn(move |c| async move {
            let row = c
                .query_opt_p(
                    "SELECT access_token, refresh_token FROM kai_tokens WHERE user_id = $1 AND service = $2",
                    &[&uid, &service],
                )
                .await
                .map_err(storage)?;
            row.map(|r| {
                Ok(KaiTokens {
                    access_token: r.try_get(0).map_err(storage)?,
                    refresh_token: r.try_get(1).map_err(storage)?,
                })
            })
            .transpose()
        })
    }

    fn put_kai_tokens(
        &self,
        user: UserId,
        service: &str,
        tokens: &KaiTokens,
    ) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let service = service.to_owned();
        let tokens = tokens.clone();
        self.with_conn(move |c| async move {
            c.execute_p(
                "INSERT INTO kai_tokens (user_id, service, access_token, refresh_token, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, service) DO UPDATE SET \
                 access_token = excluded.access_token, refresh_token = excluded.refresh_token, \
                 updated_at = excluded.updated_at",
                &[&uid, &service, &tokens.access_token, &tokens.refresh_token, &now_ms()],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
    }

    fn cg_card(&self, user: UserId, service: &str) -> Result<Option<CgCard>, HostError> {
        let uid = user_i64(user)?;
        let service = service.to_owned();
        self.with_conn(move |c| async move {
            let row = c
                .query_opt_p(
                    "SELECT card_id, pin FROM cg_cards WHERE user_id = $1 AND service = $2",
                    &[&uid, &service],
                )
                .await
                .map_err(storage)?;
            row.map(|r| {
                Ok(CgCard {
                    card_id: r.try_get(0).map_err(storage)?,
                    pin: r.try_get(1).map_err(storage)?,
                })
            })
            .transpose()
        })
    }

    fn put_cg_card(&self, user: UserId, service: &str, card: &CgCard) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let service = service.to_owned();
        let card = card.clone();
        self.with_conn(move |c| async move {
            c.execute_p(
                "INSERT INTO cg_cards (user_id, service, card_id, pin, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, service) DO UPDATE SET \
                 card_id = excluded.card_id, pin = excluded.pin, updated_at = excluded.updated_at",
                &[&uid, &service, &card.card_id, &card.pin, &now_ms()],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
    }

    fn myt_card(&self, user: UserId) -> Result<Option<String>, HostError> {
        let uid = user_i64(user)?;
        self.with_conn(move |c| async move {
            let row = c
                .query_opt_p(
                    "SELECT access_code FROM myt_cards WHERE user_id = $1",
                    &[&uid],
                )
                .await
                .map_err(storage)?;
            row.map(|r| r.try_get(0).map_err(storage)).transpose()
        })
    }

    fn put_myt_card(&self, user: UserId, access_code: &str) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let code = access_code.to_owned();
        self.with_conn(move |c| async move {
            c.execute_p(
                "INSERT INTO myt_cards (user_id, access_code, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET access_code = excluded.access_code, \
                 updated_at = excluded.updated_at",
                &[&uid, &code, &now_ms()],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
    }
}

impl HookStore for PgHost {
    fn hook_settings(&self, user: UserId, hook: &str) -> Result<HookSettings, HostError> {
        let uid = user_i64(user)?;
        let hook = hook.to_owned();
        self.with_conn(move |c| async move {
            let row = c
                .query_opt_p(
                    "SELECT cards, force_static_import FROM hook_settings WHERE user_id = $1 AND hook = $2",
                    &[&uid, &hook],
                )
                .await
                .map_err(storage)?;
            let Some(r) = row else {
                return Ok(HookSettings::default());
            };
            let cards: Option<String> = r.try_get(0).map_err(storage)?;
            Ok(HookSettings {
                cards: cards.map(|c| parse(&c)).transpose()?,
                force_static_import: r.try_get(1).map_err(storage)?,
            })
        })
    }

    fn put_hook_settings(
        &self,
        user: UserId,
        hook: &str,
        settings: &HookSettings,
    ) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let hook = hook.to_owned();
        let cards = settings.cards.as_ref().map(to_json).transpose()?;
        let force = settings.force_static_import;
        self.with_conn(move |c| async move {
            c.execute_p(
                "INSERT INTO hook_settings (user_id, hook, cards, force_static_import) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, hook) DO UPDATE SET cards = excluded.cards, \
                 force_static_import = excluded.force_static_import",
                &[&uid, &hook, &cards, &force],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
    }

    fn take_force_static_import(&self, user: UserId, hook: &str) -> Result<bool, HostError> {
        let uid = user_i64(user)?;
        let hook = hook.to_owned();
        // One statement: of two requests at once, one changes the row.
        self.with_conn(move |c| async move {
            c.execute_p(
                "UPDATE hook_settings SET force_static_import = false \
                 WHERE user_id = $1 AND hook = $2 AND force_static_import",
                &[&uid, &hook],
            )
            .await
            .map(|n| n > 0)
            .map_err(storage)
        })
    }
}
