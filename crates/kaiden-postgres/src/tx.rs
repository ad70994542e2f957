//! One import's transaction: a pooled connection in `BEGIN`, holding the
//! user's advisory lock until it ends.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::task::JoinHandle;

use kaiden_core::documents::{
    ChartDocument, ImportDocument, ImportTimings, PbDocument, SessionDocument, SongDocument,
};
use kaiden_core::host::{
    ChartLookup, GameStats, GoalStore, HostError, ImportStore, ImportTransaction, OrphanDocument,
    OrphanInsert, OrphanStore, PbRatings, PbStore, ScoreStore, SessionStore, StatsStore,
    Subscription,
};
use kaiden_core::query::{ChartQuery, ChartResolution};
use kaiden_core::score::UserId;
use kaiden_core::{Game, Gpt, ScoreDocument};
use kaiden_games::catalog::Catalog;
use serde_json::Value;
use tokio_postgres::types::ToSql;

use crate::pool::Conn;
use crate::{PgHost, json, lock_key, parse, storage, user_i64};

/// An import in progress on the PostgreSQL host. Dropping it without
/// committing rolls back (on the host's runtime) and so releases the lock.
#[derive(Debug)]
pub struct PgTransaction<'h> {
    host: &'h PgHost,
    conn: Option<Conn>,
    /// The last value of the scores' sequence when the import began: every
    /// score of this user stored before it has a `seq` at most this (the
    /// user's lock was free, so their earlier imports had committed), and
    /// every score this import stores has a higher one.
    start_seq: i64,
    /// Whether the user had any PB (so any score) before this import.
    had_scores: bool,
    /// The seeds generation when the import began.
    generation: i64,
    /// Catalogues this transaction changed (songs and charts created from
    /// play), seen by its own lookups only until it commits.
    own_catalogs: HashMap<Game, Arc<Catalog>>,
    /// The batch of scores being written behind the pipeline (one at most):
    /// every other call waits for it first.
    pending: Mutex<Option<JoinHandle<Result<(), HostError>>>>,
}

/// How many locks the charts' PBs are guarded by (see `pbs_on_charts`).
const CHART_BUCKETS: u64 = 512;

fn chart_bucket(space: &str, chart_id: &str) -> i64 {
    let h = lock_key(space, "chart", chart_id) as u64 % CHART_BUCKETS;
    lock_key(space, "charts", &h.to_string())
}

/// One score row: scoreID, user, chartID, the document as JSON.
type ScoreRow = (String, i64, String, String);

/// Batches from this many scores are written with `COPY`.
const COPY_FROM: usize = 64;

/// Stores score rows in order: with `COPY … FROM STDIN BINARY`, or a
/// statement for a few.
async fn copy_scores(client: &crate::pool::Session, rows: Vec<ScoreRow>) -> Result<(), HostError> {
    use tokio_postgres::binary_copy::BinaryCopyInWriter;
    use tokio_postgres::types::Type;
    if rows.len() < COPY_FROM {
        // A few rows: one prepared statement is one round trip; COPY's
        // protocol takes two.
        let mut cols: (Vec<&str>, Vec<i64>, Vec<&str>, Vec<&str>) = Default::default();
        for (id, user, chart, doc) in &rows {
            cols.0.push(id);
            cols.1.push(*user);
            cols.2.push(chart);
            cols.3.push(doc);
        }
        client
            .execute_p(
                "INSERT INTO scores (score_id, user_id, chart_id, doc) \
                 SELECT s, u, c, d FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[]) \
                 WITH ORDINALITY AS t(s, u, c, d, n) ORDER BY n",
                &[&cols.0, &cols.1, &cols.2, &cols.3],
            )
            .await
            .map_err(storage)?;
        return Ok(());
    }
    let sink = client
        .copy_in("COPY scores (score_id, user_id, chart_id, doc) FROM STDIN BINARY")
        .await
        .map_err(storage)?;
    let writer = BinaryCopyInWriter::new(sink, &[Type::TEXT, Type::INT8, Type::TEXT, Type::TEXT]);
    let mut writer = std::pin::pin!(writer);
    for (id, user, chart, doc) in &rows {
        writer
            .as_mut()
            .write(&[id, user, chart, doc])
            .await
            .map_err(storage)?;
    }
    writer.finish().await.map_err(storage)?;
    Ok(())
}

fn finished() -> HostError {
    HostError::Storage("transaction already finished".into())
}

pub(crate) async fn begin(host: &PgHost, user: UserId) -> Result<PgTransaction<'_>, HostError> {
    let uid = user_i64(user)?;
    let conn = host.pool().get().await?;
    conn.batch_execute("BEGIN").await.map_err(storage)?;
    let mut tx = PgTransaction {
        host,
        conn: Some(conn),
        start_seq: 0,
        had_scores: false,
        generation: 0,
        own_catalogs: HashMap::new(),
        pending: Mutex::new(None),
    };
    // One round trip: the user, their lock, and the state the import
    // starts from.
    let key = lock_key(host.space(), "user", &uid.to_string());
    let row = tx
        .conn()
        .await?
        .query_one_p(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1), pg_try_advisory_xact_lock($2), \
                    (SELECT last_value FROM scores_seq_seq), \
                    EXISTS (SELECT 1 FROM pbs WHERE user_id = $1), \
                    (SELECT value FROM meta WHERE key = 'seeds_generation')",
            &[&uid, &key],
        )
        .await
        .map_err(storage)?;
    let exists: bool = row.try_get(0).map_err(storage)?;
    let locked: bool = row.try_get(1).map_err(storage)?;
    if !exists || !locked {
        tx.finish(false).await?;
        return Err(if exists {
            HostError::LockHeld
        } else {
            HostError::UnknownUser(user)
        });
    }
    tx.start_seq = row.try_get(2).map_err(storage)?;
    tx.had_scores = row.try_get(3).map_err(storage)?;
    tx.generation = row
        .try_get::<_, Option<String>>(4)
        .map_err(storage)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(tx)
}

impl PgTransaction<'_> {
    /// Waits for the scores written behind the pipeline; their error, if any.
    async fn settle(&self) -> Result<(), HostError> {
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match pending {
            Some(h) => h.await.map_err(|_| crate::pool::stopped())?,
            None => Ok(()),
        }
    }

    /// Runs `write` behind the pipeline, after every write queued before:
    /// the call returns at once, the next call waits for it.
    async fn write_behind<F>(
        &self,
        write: impl FnOnce(Arc<crate::pool::Session>) -> F,
    ) -> Result<(), HostError>
    where
        F: std::future::Future<Output = Result<(), HostError>> + Send + 'static,
    {
        let client = self.conn().await?.shared().ok_or_else(finished)?;
        let handle = self.host.pool().handle().spawn(write(client));
        *self.pending.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
        Ok(())
    }

    /// The connection, once every write queued before is done.
    async fn conn(&self) -> Result<&Conn, HostError> {
        self.settle().await?;
        self.conn.as_ref().ok_or_else(finished)
    }

    async fn finish(&mut self, commit: bool) -> Result<(), HostError> {
        let settled = self.settle().await;
        let conn = self.conn.take().ok_or_else(finished)?;
        let sql = if commit && settled.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        match conn.batch_execute(sql).await {
            Ok(()) => settled,
            Err(e) => {
                // Its state is unknown: close it (PostgreSQL rolls back
                // and releases the lock with the session).
                conn.discard();
                settled.and(Err(storage(e)))
            }
        }
    }

    async fn docs<T: serde::de::DeserializeOwned + Send>(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<T>, HostError> {
        let raw = self.conn().await?.strings_p(sql, params).await?;
        kaiden_par::map_ref(&raw, |d| parse(d))
            .into_iter()
            .collect()
    }

    async fn exec(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, HostError> {
        self.conn()
            .await?
            .execute_p(sql, params)
            .await
            .map_err(storage)
    }

    async fn pairs(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Subscription>, HostError> {
        let rows = self
            .conn()
            .await?
            .query_p(sql, params)
            .await
            .map_err(storage)?;
        rows.iter()
            .map(|r| {
                Ok(Subscription {
                    document: parse(&r.try_get::<_, String>(0).map_err(storage)?)?,
                    subscription: parse(&r.try_get::<_, String>(1).map_err(storage)?)?,
                })
            })
            .collect()
    }
}

impl Drop for PgTransaction<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Not committed: roll back before the connection is reused,
            // once a write still running behind has ended.
            let pending = self
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            self.host.pool().handle().spawn(async move {
                if let Some(p) = pending {
                    let _ = p.await;
                }
                if conn.batch_execute("ROLLBACK").await.is_err() {
                    conn.discard();
                }
            });
        }
    }
}

impl ChartLookup for PgTransaction<'_> {
    async fn resolve_charts(
        &self,
        queries: &[ChartQuery],
    ) -> Result<Vec<ChartResolution>, HostError> {
        // Catalogues are usually cached: the connection (and so the wait for
        // the scores written behind) only when one must be built.
        let mut catalogs: HashMap<Game, Arc<Catalog>> = HashMap::new();
        let mut missing = false;
        for q in queries {
            let game = q.gpt.game();
            let found = self
                .own_catalogs
                .get(&game)
                .cloned()
                .or_else(|| self.host.cached_catalog(game, Some(self.generation)));
            match found {
                Some(c) => {
                    catalogs.insert(game, c);
                }
                None => missing = true,
            }
        }
        if missing {
            catalogs = self
                .host
                .catalogs_for(
                    &***self.conn().await?,
                    queries,
                    self.generation,
                    &self.own_catalogs,
                )
                .await?;
        }
        kaiden_games::catalog::resolve_all(queries, |game| {
            catalogs
                .get(&game)
                .cloned()
                .ok_or_else(|| HostError::Storage(format!("no catalogue of {game}")))
        })
    }

    async fn charts_by_id(
        &self,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Arc<ChartDocument>>, HostError> {
        Ok(self.catalog(game).await?.charts_by_id(chart_ids))
    }

    async fn songs_by_id(
        &self,
        game: Game,
        ids: &[i64],
    ) -> Result<Vec<Arc<SongDocument>>, HostError> {
        Ok(self.catalog(game).await?.songs_by_id(ids))
    }
}

impl PgTransaction<'_> {
    async fn catalog(&self, game: Game) -> Result<Arc<Catalog>, HostError> {
        if let Some(c) = self.own_catalogs.get(&game) {
            return Ok(Arc::clone(c));
        }
        if let Some(c) = self.host.cached_catalog(game, Some(self.generation)) {
            return Ok(c);
        }
        self.host
            .build_catalog_on(&***self.conn().await?, game, self.generation)
            .await
    }
}

impl kaiden_core::host::ChartStore for PgTransaction<'_> {
    async fn pending_chart(
        &mut self,
        key: &str,
    ) -> Result<Option<kaiden_core::documents::PendingChart>, HostError> {
        // Read, then written back by this import: other imports wait here
        // for this one to end, so no player added meanwhile is lost.
        let lock = lock_key(self.host.space(), "pending-chart", key);
        self.exec("SELECT pg_advisory_xact_lock($1)", &[&lock])
            .await?;
        Ok(self
            .docs("SELECT doc FROM pending_charts WHERE key = $1", &[&key])
            .await?
            .pop())
    }

    async fn put_pending_chart(
        &mut self,
        pending: &kaiden_core::documents::PendingChart,
    ) -> Result<(), HostError> {
        let doc = json(pending)?;
        self.exec(
            "INSERT INTO pending_charts (key, doc) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET doc = excluded.doc",
            &[&pending.key, &doc],
        )
        .await
        .map(|_| ())
    }

    async fn remove_pending_chart(&mut self, key: &str) -> Result<(), HostError> {
        self.exec("DELETE FROM pending_charts WHERE key = $1", &[&key])
            .await
            .map(|_| ())
    }

    async fn insert_song_and_chart(
        &mut self,
        game: Game,
        song: &SongDocument,
        chart: &ChartDocument,
    ) -> Result<i64, HostError> {
        let (mut song, mut chart) = (song.clone(), chart.clone());
        let g = game.as_str();
        // Song ids per game are handed out one import at a time.
        let lock = lock_key(self.host.space(), "songs", g);
        self.exec("SELECT pg_advisory_xact_lock($1)", &[&lock])
            .await?;
        let c = self.conn().await?;
        let id: i64 = c
            .query_one_p(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM songs WHERE game = $1",
                &[&g],
            )
            .await
            .and_then(|r| r.try_get(0))
            .map_err(storage)?;
        song.id = id;
        chart.song_id = id;
        c.execute_p(
            "INSERT INTO songs (game, id, doc) VALUES ($1, $2, $3)",
            &[&g, &id, &json(&song)?],
        )
        .await
        .map_err(storage)?;
        c.execute_p(
            "INSERT INTO charts (chart_id, game, doc) VALUES ($1, $2, $3)",
            &[&chart.chart_id, &g, &json(&chart)?],
        )
        .await
        .map_err(storage)?;
        // Everyone's cached catalogues of the game are stale once this commits.
        c.execute_p(
            "INSERT INTO meta (key, value) VALUES ('seeds_generation', '1') \
             ON CONFLICT (key) DO UPDATE SET value = ((meta.value)::bigint + 1)::text",
            &[],
        )
        .await
        .map_err(storage)?;
        let catalog = Arc::new(crate::build_catalog(&***c, game).await?);
        self.own_catalogs.insert(game, catalog);
        Ok(id)
    }
}

impl ScoreStore for PgTransaction<'_> {
    async fn existing_score_ids(
        &mut self,
        score_ids: &[String],
    ) -> Result<HashSet<String>, HostError> {
        if !self.had_scores || score_ids.is_empty() {
            return Ok(HashSet::new());
        }
        let found = self
            .conn()
            .await?
            .strings_p(
                "SELECT score_id FROM scores WHERE score_id = ANY($1)",
                &[&score_ids],
            )
            .await?;
        Ok(found.into_iter().collect())
    }

    async fn blacklisted_score_ids(&mut self, user: UserId) -> Result<HashSet<String>, HostError> {
        let uid = user_i64(user)?;
        let ids = self
            .conn()
            .await?
            .strings_p(
                "SELECT score_id FROM score_blacklist WHERE user_id = $1",
                &[&uid],
            )
            .await?;
        Ok(ids.into_iter().collect())
    }

    async fn insert_scores(&mut self, scores: &[ScoreDocument]) -> Result<(), HostError> {
        if scores.is_empty() {
            return Ok(());
        }
        let docs = kaiden_par::map_ref(scores, json);
        let mut rows: Vec<ScoreRow> = Vec::with_capacity(scores.len());
        for (s, doc) in scores.iter().zip(docs) {
            rows.push((
                s.score_id.clone(),
                user_i64(s.user_id)?,
                s.chart_id.clone(),
                doc?,
            ));
        }
        // Written behind the pipeline (COPY, binary): the next batch is
        // parsed, resolved and hydrated meanwhile; the call after waits.
        self.write_behind(|client| async move { copy_scores(&client, rows).await })
            .await
    }

    async fn highlight_scores(&mut self, score_ids: &[String]) -> Result<(), HostError> {
        if score_ids.is_empty() {
            return Ok(());
        }
        // The document's keys keep their order: set in the JSON text, not jsonb.
        let rows = self
            .conn()
            .await?
            .query_p(
                "SELECT score_id, doc FROM scores WHERE score_id = ANY($1) FOR UPDATE",
                &[&score_ids],
            )
            .await
            .map_err(storage)?;
        let mut ids = Vec::with_capacity(rows.len());
        let mut docs = Vec::with_capacity(rows.len());
        for r in rows {
            let mut doc: Value = parse(&r.try_get::<_, String>(1).map_err(storage)?)?;
            if let Some(o) = doc.as_object_mut() {
                o.insert("highlight".into(), Value::Bool(true));
            }
            ids.push(r.try_get::<_, String>(0).map_err(storage)?);
            docs.push(doc.to_string());
        }
        self.exec(
            "UPDATE scores s SET doc = t.d FROM unnest($1::text[], $2::text[]) AS t(i, d) \
             WHERE s.score_id = t.i",
            &[&ids, &docs],
        )
        .await
        .map(|_| ())
    }

    async fn scores_by_id(
        &mut self,
        score_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        self.docs(
            "SELECT doc FROM scores WHERE score_id = ANY($1) ORDER BY seq",
            &[&score_ids],
        )
        .await
    }

    async fn scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        if !self.had_scores || chart_ids.is_empty() {
            return Ok(Vec::new());
        }
        let uid = user_i64(user)?;
        // The scores the user's PBs on these charts are composed from (for
        // each PB criterion, the best so far), as the SQLite host reads them:
        // no (user, chart) index for every insert to maintain.
        let c = self.conn().await?;
        let rows = c
            .query_p(
                "SELECT p.chart_id, s.seq, s.doc FROM pbs p \
                 CROSS JOIN LATERAL json_array_elements(p.doc::json -> 'composedFrom') j \
                 LEFT JOIN scores s ON s.score_id = j ->> 'scoreID' AND s.seq <= $3 \
                 WHERE p.user_id = $1 AND p.chart_id = ANY($2)",
                &[&uid, &chart_ids, &self.start_seq],
            )
            .await
            .map_err(storage)?;
        let mut out: Vec<(i64, String)> = Vec::with_capacity(rows.len());
        let mut broken: Vec<String> = Vec::new();
        for r in &rows {
            let seq: Option<i64> = r.try_get(1).map_err(storage)?;
            let doc: Option<String> = r.try_get(2).map_err(storage)?;
            match (seq, doc) {
                (Some(seq), Some(doc)) => out.push((seq, doc)),
                _ => broken.push(r.try_get(0).map_err(storage)?),
            }
        }
        if !broken.is_empty() {
            // A PB names a score that is gone: every older score of the
            // user on those charts.
            broken.sort_unstable();
            broken.dedup();
            let rows = c
                .query_p(
                    "SELECT seq, doc FROM scores WHERE user_id = $1 AND seq <= $3 AND chart_id = ANY($2)",
                    &[&uid, &broken, &self.start_seq],
                )
                .await
                .map_err(storage)?;
            for r in &rows {
                out.push((
                    r.try_get(0).map_err(storage)?,
                    r.try_get(1).map_err(storage)?,
                ));
            }
        }
        out.sort_unstable_by_key(|(seq, _)| *seq);
        out.dedup_by_key(|(seq, _)| *seq);
        kaiden_par::map_ref(&out, |(_, d)| parse::<ScoreDocument>(d))
            .into_iter()
            .collect()
    }
}

impl OrphanStore for PgTransaction<'_> {
    async fn insert_orphan(&mut self, orphan: &OrphanDocument) -> Result<OrphanInsert, HostError> {
        let doc = json(orphan)?;
        let uid = user_i64(orphan.user_id)?;
        let n = self
            .exec(
                "INSERT INTO orphans (orphan_id, user_id, doc) VALUES ($1, $2, $3) \
                 ON CONFLICT (orphan_id) DO NOTHING",
                &[&orphan.orphan_id, &uid, &doc],
            )
            .await?;
        Ok(if n == 1 {
            OrphanInsert::Inserted
        } else {
            OrphanInsert::Existed
        })
    }

    async fn orphans_of(&mut self, user: UserId) -> Result<Vec<OrphanDocument>, HostError> {
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM orphans WHERE user_id = $1 ORDER BY seq",
            &[&uid],
        )
        .await
    }

    async fn remove_orphan(&mut self, orphan_id: &str) -> Result<(), HostError> {
        self.exec("DELETE FROM orphans WHERE orphan_id = $1", &[&orphan_id])
            .await
            .map(|_| ())
    }
}

impl SessionStore for PgTransaction<'_> {
    async fn sessions_between(
        &mut self,
        user: UserId,
        gpt: Gpt,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<SessionDocument>, HostError> {
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM sessions WHERE user_id = $1 AND gpt = $2 AND \
             ((time_started >= $3 AND time_started < $4) OR (time_ended >= $3 AND time_ended < $4)) \
             ORDER BY seq",
            &[&uid, &gpt.as_str(), &from_ms, &to_ms],
        )
        .await
    }

    async fn upsert_session(&mut self, s: &SessionDocument) -> Result<(), HostError> {
        let doc = json(s)?;
        let gpt = s.game.with_playtype(s.playtype).map_or("", |g| g.as_str());
        let uid = user_i64(s.user_id)?;
        let (id, started, ended) = (s.session_id.clone(), s.time_started, s.time_ended);
        // Behind the pipeline: a session of a large import is megabytes.
        self.write_behind(|c| async move {
            c.execute_p(
                "INSERT INTO sessions (session_id, user_id, gpt, time_started, time_ended, doc) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (session_id) DO UPDATE SET \
                 time_started = excluded.time_started, time_ended = excluded.time_ended, doc = excluded.doc",
                &[&id, &uid, &gpt, &started, &ended, &doc],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
        .await
    }
}

impl PbStore for PgTransaction<'_> {
    async fn upsert_pbs(&mut self, pbs: &[PbDocument]) -> Result<(), HostError> {
        if pbs.is_empty() {
            return Ok(());
        }
        // One row per (chart, user), the last one given winning (a statement
        // may not update a row twice).
        let mut last: HashMap<(&str, UserId), usize> = HashMap::with_capacity(pbs.len());
        for (i, p) in pbs.iter().enumerate() {
            last.insert((p.chart_id.as_str(), p.user_id), i);
        }
        let keep: Vec<&PbDocument> = pbs
            .iter()
            .enumerate()
            .filter(|(i, p)| last.get(&(p.chart_id.as_str(), p.user_id)) == Some(i))
            .map(|(_, p)| p)
            .collect();
        let encoded = kaiden_par::map_ref(&keep, |p| {
            Ok((
                json(*p)?,
                json(&(p.song_id, p.is_primary, &p.calculated_data))?,
            ))
        })
        .into_iter()
        .collect::<Result<Vec<(String, String)>, HostError>>()?;
        let (docs, ratings): (Vec<String>, Vec<String>) = encoded.into_iter().unzip();
        let charts: Vec<String> = keep.iter().map(|p| p.chart_id.clone()).collect();
        let users = keep
            .iter()
            .map(|p| user_i64(p.user_id))
            .collect::<Result<Vec<i64>, HostError>>()?;
        let gpts: Vec<&'static str> = keep
            .iter()
            .map(|p| p.game.with_playtype(p.playtype).map_or("", |g| g.as_str()))
            .collect();
        let ranks: Vec<i64> = keep
            .iter()
            .map(|p| i64::try_from(p.ranking_data.rank).unwrap_or(i64::MAX))
            .collect();
        self.write_behind(|c| async move {
            c.execute_p(
                "INSERT INTO pbs (chart_id, user_id, gpt, rank, doc, ratings) \
                 SELECT c, u, g, r, d, x FROM unnest($1::text[], $2::int8[], $3::text[], $4::int8[], $5::text[], $6::text[]) \
                 WITH ORDINALITY AS t(c, u, g, r, d, x, n) ORDER BY n \
                 ON CONFLICT (chart_id, user_id) DO UPDATE SET gpt = excluded.gpt, rank = excluded.rank, \
                 doc = excluded.doc, ratings = excluded.ratings",
                &[&charts, &users, &gpts, &ranks, &docs, &ratings],
            )
            .await
            .map(|_| ())
            .map_err(storage)
        })
        .await
    }

    async fn pbs_on_charts(&mut self, chart_ids: &[String]) -> Result<Vec<PbDocument>, HostError> {
        if chart_ids.is_empty() {
            return Ok(Vec::new());
        }
        // The pipeline ranks every user's PB on these charts and writes the
        // ones whose rank moved: what it reads must stay as read until this
        // import commits, or two imports on one chart would write each
        // other's PBs back stale (and lock them in opposite orders). So an
        // import holds the charts' locks from here to its end: one lock per
        // bucket of charts (CHART_BUCKETS, a bounded count however many
        // charts an import touches), taken in key order, so that imports of
        // at most one chunk of charts never deadlock.
        let mut keys: Vec<i64> = chart_ids
            .iter()
            .map(|c| chart_bucket(self.host.space(), c))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        self.exec(
            "SELECT count(pg_advisory_xact_lock(k)) FROM \
             (SELECT k FROM unnest($1::int8[]) WITH ORDINALITY AS t(k, n) ORDER BY n) s",
            &[&keys],
        )
        .await?;
        self.docs(
            "SELECT doc FROM pbs WHERE chart_id = ANY($1) ORDER BY chart_id COLLATE \"C\", user_id",
            &[&chart_ids],
        )
        .await
    }

    async fn user_pbs_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<PbDocument>, HostError> {
        if chart_ids.is_empty() {
            return Ok(Vec::new());
        }
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM pbs WHERE user_id = $1 AND chart_id = ANY($2) \
             ORDER BY chart_id COLLATE \"C\"",
            &[&uid, &chart_ids],
        )
        .await
    }

    async fn pbs_of(&mut self, user: UserId, gpt: Gpt) -> Result<Vec<PbDocument>, HostError> {
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM pbs WHERE user_id = $1 AND gpt = $2 ORDER BY seq",
            &[&uid, &gpt.as_str()],
        )
        .await
    }

    async fn pb_ratings_of(
        &mut self,
        user: UserId,
        gpt: Gpt,
    ) -> Result<std::sync::Arc<Vec<PbRatings>>, HostError> {
        let uid = user_i64(user)?;
        let rows = self
            .conn()
            .await?
            .query_p(
                "SELECT chart_id, COALESCE(ratings, \
                   json_build_array(doc::json->'songID', doc::json->'isPrimary', doc::json->'calculatedData')::text) \
                 FROM pbs WHERE user_id = $1 AND gpt = $2 ORDER BY seq",
                &[&uid, &gpt.as_str()],
            )
            .await
            .map_err(storage)?;
        let rows: Vec<(String, String)> = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, tokio_postgres::Error>>()
            .map_err(storage)?;
        kaiden_par::map_ref(&rows, |(chart_id, fields)| {
            type Fields = (
                i64,
                Option<bool>,
                Option<std::collections::BTreeMap<kaiden_core::score::Key, Option<f64>>>,
            );
            let (song_id, is_primary, calculated): Fields = parse(fields)?;
            Ok(PbRatings {
                chart_id: chart_id.clone(),
                song_id,
                is_primary: is_primary.unwrap_or(false),
                calculated_data: calculated
                    .map(kaiden_core::host::RatingValues::from)
                    .unwrap_or_default(),
            })
        })
        .into_iter()
        .collect::<Result<Vec<_>, HostError>>()
        .map(std::sync::Arc::new)
    }
}

impl StatsStore for PgTransaction<'_> {
    async fn game_stats(&mut self, user: UserId, gpt: Gpt) -> Result<Option<GameStats>, HostError> {
        let uid = user_i64(user)?;
        Ok(self
            .docs(
                "SELECT doc FROM game_stats WHERE user_id = $1 AND gpt = $2",
                &[&uid, &gpt.as_str()],
            )
            .await?
            .pop())
    }

    async fn put_game_stats(
        &mut self,
        user: UserId,
        gpt: Gpt,
        stats: &GameStats,
    ) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        let doc = json(stats)?;
        self.exec(
            "INSERT INTO game_stats (user_id, gpt, doc) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, gpt) DO UPDATE SET doc = excluded.doc",
            &[&uid, &gpt.as_str(), &doc],
        )
        .await
        .map(|_| ())
    }
}

impl GoalStore for PgTransaction<'_> {
    async fn goals_touching(
        &mut self,
        user: UserId,
        game: Game,
        chart_ids: &[String],
    ) -> Result<Vec<Subscription>, HostError> {
        if chart_ids.is_empty() {
            return Ok(Vec::new());
        }
        let uid = user_i64(user)?;
        self.pairs(
            "SELECT g.doc, s.doc FROM goal_subs s JOIN goals g ON g.goal_id = s.goal_id \
             WHERE s.user_id = $1 AND s.game = $2 AND s.goal_id IN \
               (SELECT goal_id FROM goal_charts WHERE chart_id = ANY($3)) \
             ORDER BY s.goal_id COLLATE \"C\"",
            &[&uid, &game.as_str(), &chart_ids],
        )
        .await
    }

    async fn goal_chart_ids(&mut self, goal_id: &str) -> Result<Vec<String>, HostError> {
        self.conn().await?.strings_p("SELECT chart_id FROM goal_charts WHERE goal_id = $1 ORDER BY chart_id COLLATE \"C\"",
            &[&goal_id],
        )
        .await
    }

    async fn quests_containing(
        &mut self,
        user: UserId,
        game: Game,
        goal_ids: &[String],
    ) -> Result<Vec<Subscription>, HostError> {
        if goal_ids.is_empty() {
            return Ok(Vec::new());
        }
        let uid = user_i64(user)?;
        self.pairs(
            "SELECT q.doc, s.doc FROM quest_subs s JOIN quests q ON q.quest_id = s.quest_id \
             WHERE s.user_id = $1 AND s.game = $2 AND s.quest_id IN \
               (SELECT quest_id FROM quest_goals WHERE goal_id = ANY($3)) \
             ORDER BY s.quest_id COLLATE \"C\"",
            &[&uid, &game.as_str(), &goal_ids],
        )
        .await
    }

    async fn goal_subscriptions(
        &mut self,
        user: UserId,
        goal_ids: &[String],
    ) -> Result<Vec<Value>, HostError> {
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM goal_subs WHERE user_id = $1 AND goal_id = ANY($2) \
             ORDER BY goal_id COLLATE \"C\"",
            &[&uid, &goal_ids],
        )
        .await
    }

    async fn put_goal_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.put_subs("goal_subs", "goal_id", "goalID", user, subscriptions)
            .await
    }

    async fn put_quest_subscriptions(
        &mut self,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        self.put_subs("quest_subs", "quest_id", "questID", user, subscriptions)
            .await
    }
}

impl PgTransaction<'_> {
    async fn put_subs(
        &self,
        table: &str,
        column: &str,
        id_field: &str,
        user: UserId,
        subscriptions: &[Value],
    ) -> Result<(), HostError> {
        if subscriptions.is_empty() {
            return Ok(());
        }
        let uid = user_i64(user)?;
        let ids: Vec<&str> = subscriptions
            .iter()
            .map(|s| s.get(id_field).and_then(Value::as_str).unwrap_or_default())
            .collect();
        let docs: Vec<String> = subscriptions.iter().map(Value::to_string).collect();
        self.exec(
            &format!(
                "UPDATE {table} s SET doc = t.d FROM unnest($2::text[], $3::text[]) AS t(i, d) \
                 WHERE s.user_id = $1 AND s.{column} = t.i"
            ),
            &[&uid, &ids, &docs],
        )
        .await
        .map(|_| ())
    }
}

impl ImportStore for PgTransaction<'_> {
    async fn save_import(
        &mut self,
        document: &ImportDocument,
        timings: &ImportTimings,
    ) -> Result<(), HostError> {
        let doc = json(document)?;
        let t = json(timings)?;
        let uid = user_i64(document.user_id)?;
        self.exec(
            "INSERT INTO imports (import_id, user_id, import_type, user_intent, time_started, time_finished, doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &document.import_id,
                &uid,
                &document.import_type.as_str(),
                &document.user_intent,
                &document.time_started,
                &document.time_finished,
                &doc,
            ],
        )
        .await?;
        self.exec(
            "INSERT INTO import_timings (import_id, doc) VALUES ($1, $2)",
            &[&document.import_id, &t],
        )
        .await
        .map(|_| ())
    }
}

impl kaiden_core::host::LifecycleStore for PgTransaction<'_> {
    async fn delete_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
        blacklist: bool,
    ) -> Result<Vec<ScoreDocument>, HostError> {
        let uid = user_i64(user)?;
        let found: Vec<ScoreDocument> = self
            .docs(
                "DELETE FROM scores WHERE user_id = $1 AND score_id = ANY($2) RETURNING doc",
                &[&uid, &score_ids],
            )
            .await?;
        let mut found = found;
        // RETURNING has no order: storing order is the documents' ids' order
        // in the request, then as stored.
        let order: HashMap<&str, usize> = score_ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        found.sort_by_key(|d| {
            order
                .get(d.score_id.as_str())
                .copied()
                .unwrap_or(usize::MAX)
        });
        if blacklist && !found.is_empty() {
            let ids: Vec<String> = found.iter().map(|d| d.score_id.clone()).collect();
            self.exec(
                "INSERT INTO score_blacklist (user_id, score_id) SELECT $1, i FROM unnest($2::text[]) AS t(i) \
                 ON CONFLICT DO NOTHING",
                &[&uid, &ids],
            )
            .await?;
        }
        Ok(found)
    }

    async fn current_scores_on_charts(
        &mut self,
        user: UserId,
        chart_ids: &[String],
    ) -> Result<Vec<ScoreDocument>, HostError> {
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM scores WHERE user_id = $1 AND chart_id = ANY($2) ORDER BY seq",
            &[&uid, &chart_ids],
        )
        .await
    }

    async fn sessions_with_scores(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> Result<Vec<SessionDocument>, HostError> {
        let uid = user_i64(user)?;
        self.docs(
            "SELECT doc FROM sessions s WHERE user_id = $1 AND EXISTS \
             (SELECT 1 FROM json_array_elements_text(s.doc::json -> 'scoreIDs') j(v) WHERE j.v = ANY($2)) \
             ORDER BY seq",
            &[&uid, &score_ids],
        )
        .await
    }

    async fn delete_session(&mut self, session_id: &str) -> Result<(), HostError> {
        self.exec("DELETE FROM sessions WHERE session_id = $1", &[&session_id])
            .await
            .map(|_| ())
    }

    async fn delete_pbs(&mut self, user: UserId, chart_ids: &[String]) -> Result<(), HostError> {
        let uid = user_i64(user)?;
        self.exec(
            "DELETE FROM pbs WHERE user_id = $1 AND chart_id = ANY($2)",
            &[&uid, &chart_ids],
        )
        .await
        .map(|_| ())
    }

    async fn pull_from_imports(
        &mut self,
        user: UserId,
        score_ids: &[String],
    ) -> Result<Vec<String>, HostError> {
        let uid = user_i64(user)?;
        let docs: Vec<ImportDocument> = self
            .docs(
                "SELECT doc FROM imports i WHERE user_id = $1 AND EXISTS \
                 (SELECT 1 FROM json_array_elements_text(i.doc::json -> 'scoreIDs') j(v) WHERE j.v = ANY($2))",
                &[&uid, &score_ids],
            )
            .await?;
        let gone: std::collections::HashSet<&str> = score_ids.iter().map(String::as_str).collect();
        let mut changed = Vec::with_capacity(docs.len());
        for mut d in docs {
            d.score_ids.retain(|i| !gone.contains(i));
            let id = d.import_id.clone();
            if d.score_ids.is_empty() {
                self.exec("DELETE FROM imports WHERE import_id = $1", &[&id])
                    .await?;
                self.exec("DELETE FROM import_timings WHERE import_id = $1", &[&id])
                    .await?;
            } else {
                let doc = json(&d)?;
                self.exec(
                    "UPDATE imports SET doc = $2 WHERE import_id = $1",
                    &[&id, &doc],
                )
                .await?;
            }
            changed.push(id);
        }
        Ok(changed)
    }

    async fn delete_import(&mut self, import_id: &str) -> Result<(), HostError> {
        self.exec("DELETE FROM imports WHERE import_id = $1", &[&import_id])
            .await?;
        self.exec(
            "DELETE FROM import_timings WHERE import_id = $1",
            &[&import_id],
        )
        .await
        .map(|_| ())
    }

    async fn update_scores(&mut self, scores: &[ScoreDocument]) -> Result<(), HostError> {
        if scores.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = scores.iter().map(|s| s.score_id.as_str()).collect();
        let docs = scores.iter().map(json).collect::<Result<Vec<_>, _>>()?;
        self.exec(
            "UPDATE scores s SET doc = t.d FROM unnest($1::text[], $2::text[]) AS t(i, d) \
             WHERE s.score_id = t.i",
            &[&ids, &docs],
        )
        .await
        .map(|_| ())
    }
}

impl ImportTransaction for PgTransaction<'_> {
    async fn commit(mut self) -> Result<(), HostError> {
        self.finish(true).await
    }

    async fn rollback(mut self) -> Result<(), HostError> {
        self.finish(false).await
    }
}
