//! The host's connections: a fixed number, created on first use, driven by
//! the host's own runtime.
//!
//! Callers may await the host from any executor (the pipeline's tests start a
//! small runtime per call; a server runs on its own): connecting, the timer
//! and every connection's socket live on the host's runtime, and a
//! `tokio_postgres::Client` only talks to its connection task over a channel,
//! so a client works from any executor.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use kaiden_core::host::HostError;
use tokio::runtime::Handle;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, NoTls, Row, Statement};

/// Statements a session keeps prepared, at most (then it starts over).
const STATEMENTS: usize = 256;

/// One connection and the statements prepared on it: each statement is
/// parsed and planned once per connection, not on every call (a query by its
/// text costs a round trip to prepare it first).
#[derive(Debug)]
pub(crate) struct Session {
    client: Client,
    statements: Mutex<HashMap<String, Statement>>,
}

impl std::ops::Deref for Session {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl Session {
    fn new(client: Client) -> Self {
        Session {
            client,
            statements: Mutex::new(HashMap::new()),
        }
    }

    /// `sql`, prepared on this connection (once).
    pub(crate) async fn statement(&self, sql: &str) -> Result<Statement, tokio_postgres::Error> {
        let known = self
            .statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(sql)
            .cloned();
        if let Some(s) = known {
            return Ok(s);
        }
        let s = self.client.prepare(sql).await?;
        let mut cache = self
            .statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= STATEMENTS {
            cache.clear();
        }
        cache.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    /// `query` with `sql` prepared once.
    pub(crate) async fn query_p(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, tokio_postgres::Error> {
        let st = self.statement(sql).await?;
        self.client.query(&st, params).await
    }

    /// `query_opt` with `sql` prepared once.
    pub(crate) async fn query_opt_p(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<Row>, tokio_postgres::Error> {
        let st = self.statement(sql).await?;
        self.client.query_opt(&st, params).await
    }

    /// `query_one` with `sql` prepared once.
    pub(crate) async fn query_one_p(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Row, tokio_postgres::Error> {
        let st = self.statement(sql).await?;
        self.client.query_one(&st, params).await
    }

    /// `execute` with `sql` prepared once.
    pub(crate) async fn execute_p(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<u64, tokio_postgres::Error> {
        let st = self.statement(sql).await?;
        self.client.execute(&st, params).await
    }

    /// The first column of every row, as text.
    pub(crate) async fn strings_p(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<String>, kaiden_core::host::HostError> {
        self.query_p(sql, params)
            .await
            .map_err(crate::storage)?
            .iter()
            .map(|r| r.try_get::<_, String>(0).map_err(crate::storage))
            .collect()
    }
}

/// The host's connections.
#[derive(Debug)]
pub(crate) struct Pool {
    config: Config,
    handle: Handle,
    idle: Mutex<Vec<Arc<Session>>>,
    permits: Arc<Semaphore>,
    timeout: Duration,
}

/// A connection taken from the pool; put back when dropped (unless it broke).
#[derive(Debug)]
pub(crate) struct Conn {
    client: Option<Arc<Session>>,
    _permit: OwnedSemaphorePermit,
    pool: Arc<Pool>,
}

impl std::ops::Deref for Conn {
    type Target = Session;

    fn deref(&self) -> &Session {
        // Set from creation until drop.
        match &self.client {
            Some(c) => c,
            None => unreachable!("a pooled connection is present until dropped"),
        }
    }
}

impl Conn {
    /// Closes the connection instead of putting it back (its session state
    /// is unknown: a transaction may still be open on it).
    pub(crate) fn discard(mut self) {
        self.client = None;
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            if !c.is_closed() {
                self.pool
                    .idle
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(c);
            }
        }
    }
}

pub(crate) fn stopped() -> HostError {
    HostError::Storage("the PostgreSQL host's runtime has stopped".into())
}

impl Pool {
    pub(crate) fn new(config: Config, handle: Handle, size: usize, timeout: Duration) -> Self {
        Pool {
            config,
            handle,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(size.max(1))),
            timeout,
        }
    }

    pub(crate) fn handle(&self) -> &Handle {
        &self.handle
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// A connection: an idle one, or a new one while fewer than the pool's
    /// size are out. Waits at most the pool's timeout, then `Busy`.
    pub(crate) async fn get(self: &Arc<Self>) -> Result<Conn, HostError> {
        let pool = Arc::clone(self);
        self.handle
            .spawn(async move { pool.get_here().await })
            .await
            .map_err(|_| stopped())?
    }

    async fn get_here(self: Arc<Self>) -> Result<Conn, HostError> {
        let permit = tokio::time::timeout(self.timeout, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| {
                HostError::Busy(format!(
                    "no PostgreSQL connection was free within {} s",
                    self.timeout.as_secs()
                ))
            })?
            .map_err(|_| stopped())?;
        loop {
            let idle = self
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            match idle {
                Some(c) if !c.is_closed() => {
                    return Ok(Conn {
                        client: Some(c),
                        _permit: permit,
                        pool: self,
                    });
                }
                Some(_) => {}
                None => break,
            }
        }
        let client = connect(&self.config, self.timeout, None).await?;
        Ok(Conn {
            client: Some(Arc::new(Session::new(client))),
            _permit: permit,
            pool: self,
        })
    }

    /// Runs `f` on the host's runtime and waits for it on this thread: what
    /// the synchronous stores (tokens, hook settings, admin calls) do.
    pub(crate) fn block<T: Send + 'static>(
        &self,
        f: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, HostError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = tx.send(f.await);
        });
        rx.recv().map_err(|_| stopped())
    }
}

impl Conn {
    /// The client, mutably (to open a `Transaction`); `None` while a task
    /// still shares it.
    pub(crate) fn client_mut(&mut self) -> Option<&mut Client> {
        self.client
            .as_mut()
            .and_then(Arc::get_mut)
            .map(|s| &mut s.client)
    }

    /// The connection, for a task that writes behind its owner.
    pub(crate) fn shared(&self) -> Option<Arc<Session>> {
        self.client.clone()
    }
}

/// A new connection whose socket is driven by a task of the current runtime
/// (call it on the host's); its notifications (`LISTEN`) wake `notified`.
pub(crate) async fn connect(
    config: &Config,
    timeout: Duration,
    notified: Option<Arc<tokio::sync::Notify>>,
) -> Result<Client, HostError> {
    let (client, mut connection) = tokio::time::timeout(timeout, config.connect(NoTls))
        .await
        .map_err(|_| {
            HostError::Busy(format!(
                "PostgreSQL did not accept a connection within {} s",
                timeout.as_secs()
            ))
        })?
        .map_err(crate::storage)?;
    tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => {
                    if let Some(n) = &notified {
                        n.notify_waiters();
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            }
        }
    });
    Ok(client)
}
