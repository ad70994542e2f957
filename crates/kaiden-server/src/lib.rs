//! # kaiden-server
//!
//! The reference HTTP server: Tachi's import endpoints on top of
//! [`kaiden::pipeline`], over any host that implements
//! [`Host`] (imports) and [`ServiceStore`] (API keys, the import queue).
//!
//! | Route | What |
//! |---|---|
//! | `POST /api/v1/import/file` | multipart upload: `importType`, the file in `scoreData`, other fields to the import type |
//! | `POST /api/v1/import/from-api` | `{"importType": "api/..."}` |
//! | `POST /api/v1/import/orphans` | re-process the user's orphans |
//! | `GET /api/v1/imports?importType=&userIntent=` | the 500 newest imports, with their users |
//! | `GET /api/v1/users/{id}/imports?importType=&userIntent=` | a user's 500 newest imports |
//! | `DELETE /api/v1/scores/{id}[?blacklist=true]` | the owner deletes a score (`delete_score`) |
//! | `POST /api/v1/imports/{id}/revert` | the owner reverts an import (`delete_score`) |
//! | `GET /api/v1/imports/failed`, `GET /api/v1/users/{id}/imports/failed` | imports that failed (queued or in the request), newest first |
//! | `GET /api/v1/users/{id}/export?game=&playtype=` | the user's scores of one GPT as BATCH-MANUAL documents |
//! | `GET /api/v1/imports/{id}` | an import with its scores, songs, charts, sessions |
//! | `GET /api/v1/imports/{id}/poll-status` | an external-processor import's status |
//! | `POST /ir/direct-manual/import` | BATCH-MANUAL in the body |
//! | `POST /ir/fervidex/score/submit` | one IIDX score from fervidex (`User-Agent`, `X-Software-Model`, `X-Account-Id` checked) |
//! | `POST /ir/fervidex/profile/submit` | a fervidex profile: 202 at once; dans always, scores on INFINITAS 2 or the user's one-shot `forceStaticImport` |
//! | `POST /ir/fervidex/class/submit` | a dan course result: the dan set if higher |
//! | `POST /ir/kshook/sv6c/score/save` | one SDVX Konaste score from kshook |
//! | `POST /ir/kshook/sv6c/score/export` | kshook's static export, once per `forceStaticImport` |
//! | `POST /ir/barbatos/score/submit` | one SDVX 5/6 score from Barbatos |
//! | `POST /ir/lr2hook/import` | one BMS score from LR2Hook |
//! | `POST /ir/beatoraja/submit-score` | a beatoraja (PMS) or LR2oraja (BMS) score; an unknown chart is queued and created once 3 players sent it |
//! | `POST /ir/beatoraja/submit-course` | a dan course clear (the seeds' `bms-course-lookup.json`) |
//! | `GET /ir/beatoraja/charts/{sha256}/scores` | every player's PB on the chart, in beatoraja's shape |
//! | `GET /ir/usc/{playtype}` … | the USC-IR protocol (heartbeat, `charts/{hash}`, `/record`, `/leaderboard`, `POST /scores`, `POST /replays`); replays served at `GET /uscir/replays/{scoreID}` |
//! | `POST /ir/lr2hook/import/course` | an LR2 course clear: its class (seeds' `bms-course-lookup.json`) set if higher |
//!
//! Every answer is Tachi's envelope `{success, description, body?}`. Imports
//! need an API key (`Authorization: Bearer`) with `submit_score`.
//!
//! With [`Processor::Internal`] an import runs within its request (200 with the
//! ImportDocument). With [`Processor::External`] the upload is stored in the
//! host's queue first and answered 202 `{url, importID}`; workers take jobs
//! from the queue, so a job outlives a restart or a worker that died.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! let host = Arc::new(kaiden_sqlite::SqliteHost::open("kaiden.db").expect("db"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! kaiden_server::serve(listener, host, kaiden::registry(), kaiden_server::Config::default()).await
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod conn;
mod hooks;
mod limit;
mod log;
mod routes;
mod spool;
mod usc;
pub mod webhooks;
mod worker;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use kaiden::core::host::{ChartLookup, Host};
use kaiden::pipeline::Registry;
use kaiden::service::{HookStore, ServiceStore};
use tokio::net::TcpListener;
use tokio::sync::Notify;

pub use api::ApiError;

/// Where imports run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Processor {
    /// In the request; the answer is the ImportDocument (Tachi's default).
    Internal,
    /// In workers fed by the host's durable queue; the answer is 202 and the
    /// client polls (Tachi's `USE_EXTERNAL_SCORE_IMPORT_WORKER`).
    External,
}

/// Server settings. [`Config::default`] gives Tachi's values.
#[derive(Debug, Clone)]
pub struct Config {
    /// Internal or external processing.
    pub processor: Processor,
    /// Worker tasks in external mode (0: this process only queues).
    pub workers: usize,
    /// The largest file `/import/file` takes (16 MiB).
    pub file_limit: usize,
    /// The largest JSON body (4 MB).
    pub json_limit: usize,
    /// File and direct-manual imports allowed per key per window (5; 0 = no limit).
    pub rate_limit: u32,
    /// The rate limit's window (60 s).
    pub rate_window: Duration,
    /// How long a worker's claim on a job lasts before another worker may
    /// take it over (its worker is presumed dead).
    pub lease: Duration,
    /// The base of the lock-conflict backoff: a job whose user's import lock
    /// is held waits `random() × base × 4^n` before try n+1 (Tachi: 1 s).
    pub lock_backoff: Duration,
    /// Tries before a job whose user is always locked fails with 409 (7).
    pub lock_tries: u32,
    /// Claims of one job that never finished before it is failed rather than
    /// tried again (an input that kills its worker must not loop forever).
    pub max_runs: u32,
    /// How often an idle worker looks for jobs queued by other processes.
    pub poll_interval: Duration,
    /// The service's name in messages.
    pub name: String,
    /// The public URL prefix of poll-status links (`http://host:port`).
    /// [`serve`] fills in the address it is bound to when `None`; a request's
    /// `Host` header is never used (anyone could forge it).
    pub public_url: Option<String>,
    /// How long the server waits for a client (30 s): for a request's head
    /// from when it starts waiting (slow headers, an idle kept-alive
    /// connection), and for each part of a request body after the last (a
    /// minimum rate). Handling a request is never cut by it.
    pub read_timeout: Duration,
    /// Connections served at once (1,024); more wait to be accepted.
    pub max_connections: usize,
    /// Where the events of committed imports are POSTed (none by default).
    pub webhooks: Vec<webhooks::Webhook>,
    /// Tries of a webhook delivery that fails (5).
    pub webhook_tries: u32,
    /// The base of a failed delivery's backoff: try n+1 waits `base × 2^n` (1 s).
    pub webhook_backoff: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            processor: Processor::Internal,
            workers: 2,
            file_limit: 16 * 1024 * 1024,
            json_limit: 4 * 1024 * 1024,
            rate_limit: 5,
            rate_window: Duration::from_secs(60),
            lease: Duration::from_secs(60 * 60),
            lock_backoff: Duration::from_secs(1),
            lock_tries: 7,
            max_runs: 5,
            poll_interval: Duration::from_millis(500),
            name: "kaiden".to_owned(),
            public_url: None,
            read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            webhooks: Vec::new(),
            webhook_tries: 5,
            webhook_backoff: Duration::from_secs(1),
        }
    }
}

/// What every handler shares.
pub(crate) struct App<H> {
    pub(crate) host: Arc<H>,
    pub(crate) registry: Registry,
    pub(crate) config: Config,
    pub(crate) limiter: limit::RateLimiter,
    /// Live progress descriptions of the imports this process runs.
    pub(crate) progress: Mutex<HashMap<String, String>>,
    /// Woken when this process queues a job.
    pub(crate) queued: Notify,
    /// The events of committed imports, for the webhooks.
    pub(crate) webhooks: webhooks::Webhooks,
}

impl<H> App<H> {
    pub(crate) fn set_progress(&self, import_id: &str, description: Option<String>) {
        let mut map = self.progress.lock().unwrap_or_else(PoisonError::into_inner);
        match description {
            Some(d) => {
                map.insert(import_id.to_owned(), d);
            }
            None => {
                map.remove(import_id);
            }
        }
    }

    pub(crate) fn progress_of(&self, import_id: &str) -> Option<String> {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(import_id)
            .cloned()
    }
}

/// A bound the server needs of its host.
pub trait ServerHost: Host + ChartLookup + ServiceStore + HookStore + 'static {}
impl<H: Host + ChartLookup + ServiceStore + HookStore + 'static> ServerHost for H {}

/// Runs `f` on a blocking thread: hosts may block (SQLite does), and the
/// runtime's own threads must keep serving requests meanwhile.
pub(crate) async fn blocking<H, T, F, Fut>(host: &Arc<H>, f: F) -> Result<T, ApiError>
where
    H: Send + Sync + 'static,
    T: Send + 'static,
    F: FnOnce(Arc<H>) -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    let host = Arc::clone(host);
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(f(host)))
        .await
        .map_err(|e| ApiError::internal(&format!("task failed: {e}")))
}

/// A server ready to be served: its router and, in external mode, its workers.
pub struct Server<H: ServerHost> {
    app: Arc<App<H>>,
}

impl<H: ServerHost> std::fmt::Debug for Server<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("config", &self.app.config)
            .finish_non_exhaustive()
    }
}

impl<H: ServerHost> Server<H> {
    /// A server over `host` serving the import types in `registry`.
    pub fn new(host: Arc<H>, registry: Registry, config: Config) -> Self {
        let limiter = limit::RateLimiter::new(config.rate_limit, config.rate_window);
        Server {
            app: Arc::new(App {
                host,
                registry,
                limiter,
                progress: Mutex::new(HashMap::new()),
                queued: Notify::new(),
                webhooks: webhooks::Webhooks::start(
                    config.webhooks.clone(),
                    config.webhook_tries,
                    config.webhook_backoff,
                ),
                config,
            }),
        }
    }

    /// The routes, for embedding in a larger axum app.
    pub fn router(&self) -> Router {
        routes::router(Arc::clone(&self.app))
    }

    /// Serves the routes on `listener` with the connection bounds of the
    /// config (`read_timeout`, `max_connections`), starting the workers first.
    ///
    /// # Errors
    /// Starting the workers, or accepting connections, failed.
    pub async fn serve_on(self, listener: TcpListener) -> std::io::Result<()> {
        self.start_workers()
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let (timeout, max) = (
            self.app.config.read_timeout,
            self.app.config.max_connections,
        );
        conn::serve(listener, self.router(), timeout, max).await
    }

    /// In external mode: requeues jobs a previous process left running and
    /// starts the workers (tasks on the current runtime). Does nothing in
    /// internal mode.
    pub async fn start_workers(&self) -> Result<(), ApiError> {
        if self.app.config.processor != Processor::External {
            return Ok(());
        }
        blocking(&self.app.host, |h| async move { h.recover_imports().await })
            .await?
            .map_err(|e| ApiError::internal(&e.to_string()))?;
        for n in 0..self.app.config.workers {
            tokio::spawn(worker::run(Arc::clone(&self.app), n));
        }
        Ok(())
    }
}

/// Serves the import endpoints on `listener` until the process ends
/// (starting the workers in external mode).
pub async fn serve<H: ServerHost>(
    listener: TcpListener,
    host: Arc<H>,
    registry: Registry,
    mut config: Config,
) -> std::io::Result<()> {
    if config.public_url.is_none() {
        config.public_url = Some(format!("http://{}", listener.local_addr()?));
    }
    Server::new(host, registry, config).serve_on(listener).await
}
