//! The host's connections: a pool of readers and one writer behind a fair gate.
//!
//! The locking order, which no thread breaks:
//! - A reader connection is taken from the pool (a mutex held only to pop or
//!   push), used, and put back. Readers are `query_only`: in WAL mode they
//!   never wait for SQLite's write lock, so a read never waits on a writer.
//! - Everything that writes (an import's transaction, a user added, seeds
//!   loaded) first takes the **gate**: a FIFO queue in this process, waited on
//!   with a timeout and without holding any other lock. The gate's holder owns
//!   the one writer connection, so imports of different users queue here,
//!   fairly, and never in SQLite's busy handler.
//! - Only the gate's holder waits in SQLite's busy handler, and only for a
//!   writer in *another* process, for at most [`Timeouts::busy`]; it holds no
//!   lock another thread of this process needs meanwhile (reads use the pool).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use kaiden_core::host::HostError;
use rusqlite::Connection;

use crate::open_connection;

/// How long the host waits before giving up with [`HostError::Busy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For this process's writer gate: how long an import (or any write) may
    /// queue behind the writes before it (default 10 minutes: a queue of large
    /// imports takes its time, and every one of them ends).
    pub gate: Duration,
    /// For SQLite's write lock while another process holds it (default 30 s).
    pub busy: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            gate: Duration::from_secs(600),
            busy: Duration::from_secs(30),
        }
    }
}

/// Idle reader connections kept for reuse; more are opened when all are out,
/// and the extra ones are closed when they come back.
const IDLE_READERS: usize = 8;

/// The pool of read connections.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub(crate) fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on a reader connection: the last committed state.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HostError> {
        let taken = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match taken {
            Some(c) => c,
            None => open_reader(&self.path).map_err(crate::storage)?,
        };
        let out = f(&conn).map_err(crate::storage);
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < IDLE_READERS && conn.is_autocommit() {
            idle.push(conn);
        }
        out
    }
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = open_connection(path)?;
    // A reader that tried to write would wait for the write lock; it may not.
    conn.pragma_update(None, "query_only", true)?;
    conn.pragma_update(None, "cache_size", -crate::page_cache_at_most(16_384))?;
    Ok(conn)
}

/// The writer gate: at most one holder, the others served in arrival order.
#[derive(Debug)]
pub(crate) struct Gate {
    path: PathBuf,
    timeouts: Timeouts,
    state: Mutex<GateState>,
}

#[derive(Debug)]
struct GateState {
    held: bool,
    /// Tickets of the waiters, first come first, with their threads: the
    /// gate wakes only the first (waking all of them, 16 importing users
    /// cost 15 futile thread switches per import).
    queue: VecDeque<(u64, std::thread::Thread)>,
    next_ticket: u64,
    /// The writer connection while nobody holds the gate.
    conn: Option<Connection>,
}

/// The gate, held: the writer connection is the holder's until it gives the
/// gate back (by [`WriteLease::release`] or by dropping the lease).
#[derive(Debug)]
pub(crate) struct WriteLease<'g> {
    gate: &'g Gate,
    released: bool,
}

impl GateState {
    /// Wakes the first waiter, if the gate is free (its turn).
    fn wake_first(&self) {
        if !self.held {
            if let Some((_, thread)) = self.queue.front() {
                thread.unpark();
            }
        }
    }
}

impl Gate {
    pub(crate) fn new(path: &Path, timeouts: Timeouts) -> Gate {
        Gate {
            path: path.to_path_buf(),
            timeouts,
            state: Mutex::new(GateState {
                held: false,
                queue: VecDeque::new(),
                next_ticket: 0,
                conn: None,
            }),
        }
    }

    pub(crate) fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// Waits for this caller's turn (FIFO), at most [`Timeouts::gate`]; then
    /// the writer connection (opened if there is none) is the caller's.
    pub(crate) fn acquire(&self) -> Result<(WriteLease<'_>, Connection), HostError> {
        let deadline = Instant::now() + self.timeouts.gate;
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let ticket = st.next_ticket;
        st.next_ticket += 1;
        st.queue.push_back((ticket, std::thread::current()));
        loop {
            if !st.held && st.queue.front().map(|w| w.0) == Some(ticket) {
                st.queue.pop_front();
                st.held = true;
                let conn = st.conn.take();
                drop(st);
                let lease = WriteLease {
                    gate: self,
                    released: false,
                };
                // Opened outside the state lock (lease drop gives the gate back on failure).
                let conn = match conn {
                    Some(c) => c,
                    None => self.open_writer().map_err(crate::storage)?,
                };
                return Ok((lease, conn));
            }
            let now = Instant::now();
            if now >= deadline {
                st.queue.retain(|w| w.0 != ticket);
                // The next in line may be this one's successor.
                st.wake_first();
                return Err(HostError::Busy(format!(
                    "waited {} s for this server's database writer (imports of other users ahead of this one); try again later",
                    self.timeouts.gate.as_secs_f64()
                )));
            }
            // Woken by the holder giving the gate back (or spuriously:
            // the loop checks again).
            drop(st);
            std::thread::park_timeout(deadline - now);
            st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn open_writer(&self) -> rusqlite::Result<Connection> {
        let conn = open_connection(&self.path)?;
        conn.busy_timeout(self.timeouts.busy)?;
        // Checkpoints are the host's checkpoint thread's work (after commit).
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(conn)
    }

    /// Runs `f` on the writer connection (autocommit) with the gate held.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HostError> {
        let (lease, conn) = self.acquire()?;
        let out = f(&conn).map_err(|e| busy_or_storage(e, self.timeouts.busy));
        lease.release(Some(conn));
        out
    }

    /// [`Gate::with`] with the connection mutable (for its own transactions).
    pub(crate) fn with_mut<T, E: From<HostError>>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let (lease, mut conn) = self.acquire()?;
        let out = f(&mut conn);
        lease.release(Some(conn));
        out
    }
}

impl WriteLease<'_> {
    /// Gives the gate back, with the writer connection for the next holder
    /// (`None`: it is gone or unusable, and the next holder opens another).
    /// A connection still inside a transaction is not kept.
    pub(crate) fn release(mut self, conn: Option<Connection>) {
        self.give_back(conn);
    }

    fn give_back(&mut self, conn: Option<Connection>) {
        if self.released {
            return;
        }
        self.released = true;
        let mut st = self
            .gate
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        st.held = false;
        st.conn = conn.filter(Connection::is_autocommit);
        st.wake_first();
    }
}

impl Drop for WriteLease<'_> {
    fn drop(&mut self) {
        self.give_back(None);
    }
}

/// SQLite's "database is locked" after the busy timeout is [`HostError::Busy`]
/// (another process holds the write lock); anything else is storage.
pub(crate) fn busy_or_storage(e: rusqlite::Error, busy: Duration) -> HostError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            HostError::Busy(format!(
                "waited {} s for the database's write lock, held by another process; try again later",
                busy.as_secs_f64()
            ))
        }
        _ => crate::storage(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn gate(dir: &Path, gate_ms: u64) -> Arc<Gate> {
        Arc::new(Gate::new(
            &dir.join("g.db"),
            Timeouts {
                gate: Duration::from_millis(gate_ms),
                busy: Duration::from_millis(100),
            },
        ))
    }

    fn temp_dir(label: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "kaiden-gate-{label}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    }

    #[test]
    fn the_gate_serves_waiters_in_arrival_order() {
        let dir = temp_dir("fifo");
        let g = gate(&dir, 10_000);
        let order = Arc::new(Mutex::new(Vec::new()));
        let (lease, conn) = g.acquire().expect("first");
        let mut threads = Vec::new();
        for i in 0..6 {
            let (mine, order) = (Arc::clone(&g), Arc::clone(&order));
            threads.push(std::thread::spawn(move || {
                let (lease, conn) = mine.acquire().expect("turn");
                order.lock().expect("order").push(i);
                lease.release(Some(conn));
            }));
            // Each waiter is queued before the next one arrives.
            while g.state.lock().expect("state").queue.len() < i + 1 {
                std::thread::yield_now();
            }
        }
        let handed = Instant::now();
        lease.release(Some(conn));
        for t in threads {
            t.join().expect("joined");
        }
        assert_eq!(*order.lock().expect("order"), vec![0, 1, 2, 3, 4, 5]);
        // Each release woke the next in line: none waited out its 10 s
        // (a waiter the gate forgot to wake would still get its turn, late).
        assert!(
            handed.elapsed() < Duration::from_secs(5),
            "a waiter was not woken: {:?}",
            handed.elapsed()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_wait_that_does_not_end_in_time_is_busy_and_leaves_the_queue() {
        let dir = temp_dir("timeout");
        let g = gate(&dir, 50);
        let (lease, conn) = g.acquire().expect("first");
        let err = g.acquire().expect_err("times out");
        assert!(matches!(err, HostError::Busy(_)), "{err:?}");
        assert!(g.state.lock().expect("state").queue.is_empty());
        // Dropping a lease gives the gate back too (without its connection).
        drop(conn);
        drop(lease);
        let (lease, conn) = g.acquire().expect("free again");
        lease.release(Some(conn));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn readers_cannot_write() {
        let dir = temp_dir("readers");
        let g = gate(&dir, 1000);
        g.with(|c| c.execute_batch("CREATE TABLE t (x INTEGER)"))
            .expect("created");
        let r = Readers::new(&dir.join("g.db"));
        let err = r
            .with(|c| c.execute("INSERT INTO t VALUES (1)", []))
            .expect_err("query_only");
        // SQLite's own error is kept: read-only, not busy.
        let sqlite = err
            .backend_error::<rusqlite::Error>()
            .expect("SQLite's error");
        assert_eq!(
            sqlite.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ReadOnly)
        );
        assert_eq!(
            r.with(|c| c.query_row("SELECT COUNT(*) FROM t", [], |row| row.get::<_, i64>(0)))
                .expect("read"),
            0
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
