//! Data parallelism for the pure, per-record parts of an import (conversion,
//! scoreIDs, hydration, document encoding): a batch is mapped on a pool of
//! long-lived worker threads that steal work from each other (rayon), so a
//! core busy with something else (the SQLite host's writer thread, say) never
//! holds a whole share of the batch back, and no thread is started per batch.
//! Results keep the input's order, so nothing downstream can tell how many
//! threads ran. Small batches run on the caller's thread alone.
//!
//! The number of threads is the machine's parallelism, at most
//! [`MAX_THREADS`], or `KAIDEN_THREADS` when set (`1` turns parallelism off),
//! or what [`with_threads`] sets for the calling thread. The pools are
//! kaiden's own: a host's use of rayon's global pool is left alone.
#![deny(missing_docs)]

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

thread_local! {
    static OVERRIDE: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `f` with maps started on this thread using up to `n` threads (at
/// least 1), whatever the machine has: to compare results across thread
/// counts, or to keep an import on one core.
pub fn with_threads<R>(n: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(n.clamp(1, MAX_THREADS)))));
    f()
}

/// The most threads one map uses.
pub const MAX_THREADS: usize = 8;

/// Fewer items than this per thread are not worth a thread; it is also the
/// smallest piece of a batch a worker takes at a time.
const MIN_PER_THREAD: usize = 128;

/// The smallest piece of a batch one worker takes (and others may steal).
const MIN_PIECE: usize = 32;

/// How many threads a map may use.
#[must_use]
pub fn threads() -> usize {
    if let Some(n) = OVERRIDE.with(Cell::get) {
        return n;
    }
    // A map nested in a map: the pool it runs on.
    if rayon::current_thread_index().is_some() {
        return rayon::current_num_threads();
    }
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("KAIDEN_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .min(MAX_THREADS)
    })
}

/// The pool of `n` worker threads, started on first use and kept for the
/// process's life; `None` if the system refused to start its threads (maps
/// then run on the caller's thread).
fn pool(n: usize) -> Option<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Option<Arc<rayon::ThreadPool>>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    pools
        .entry(n)
        .or_insert_with(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("kaiden-par-{i}"))
                .build()
                .ok()
                .map(Arc::new)
        })
        .clone()
}

/// The pool a map of `len` items runs on, or `None` to run it on the caller.
fn pool_for(len: usize) -> Option<Arc<rayon::ThreadPool>> {
    let n = threads();
    if n < 2 || len < 2 * MIN_PER_THREAD {
        return None;
    }
    pool(n)
}

/// `items.into_iter().map(f).collect()` for any of the three shapes below: on
/// the caller's thread, or on the pool in pieces of at least [`MIN_PIECE`].
fn map_items<I, R, F>(items: I, len: usize, f: F) -> Vec<R>
where
    I: IntoIterator + IntoParallelIterator<Item = <I as IntoIterator>::Item> + Send,
    <I as IntoParallelIterator>::Iter: IndexedParallelIterator,
    R: Send,
    F: Fn(<I as IntoIterator>::Item) -> R + Sync,
{
    match pool_for(len) {
        None => items.into_iter().map(f).collect(),
        Some(pool) => pool.install(|| {
            items
                .into_par_iter()
                .with_min_len(MIN_PIECE)
                .map(&f)
                .collect()
        }),
    }
}

/// `items.iter_mut().map(f).collect()`, on up to [`threads`] threads.
pub fn map_mut<T, R, F>(items: &mut [T], f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(&mut T) -> R + Sync,
{
    let len = items.len();
    map_items(items, len, f)
}

/// `items.iter().map(f).collect()`, on up to [`threads`] threads.
pub fn map_ref<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    map_items(items, items.len(), f)
}

/// `items.into_iter().map(f).collect()`, on up to [`threads`] threads.
pub fn map<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let len = items.len();
    map_items(items, len, f)
}

/// [`map`] that keeps both buffers: drains `items` (its capacity kept) and
/// writes the results into `out` (cleared first, its capacity reused). An
/// import maps a batch of large records several times per batch; fresh
/// buffers for each would be fresh memory (page faults, zeroing) each time.
pub fn map_into<T, R, F>(items: &mut Vec<T>, out: &mut Vec<R>, f: F)
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    match pool_for(items.len()) {
        None => {
            out.clear();
            out.extend(items.drain(..).map(f));
        }
        Some(pool) => pool.install(|| {
            items
                .par_drain(..)
                .with_min_len(MIN_PIECE)
                .map(&f)
                .collect_into_vec(out);
        }),
    }
}

/// [`map_mut`] into `out` (cleared first, its capacity reused).
pub fn map_mut_into<T, R, F>(items: &mut [T], out: &mut Vec<R>, f: F)
where
    T: Send,
    R: Send,
    F: Fn(&mut T) -> R + Sync,
{
    match pool_for(items.len()) {
        None => {
            out.clear();
            out.extend(items.iter_mut().map(f));
        }
        Some(pool) => pool.install(|| {
            items
                .par_iter_mut()
                .with_min_len(MIN_PIECE)
                .map(&f)
                .collect_into_vec(out);
        }),
    }
}

/// `(a(), b())`, the two run at once on the pool when it has two threads or
/// more (either may then run on a worker; maps inside them share the pool),
/// else one after the other on the caller's thread. For a sequential stage
/// overlapping a mapped one: the next batch parsed while this one is hydrated.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    if threads() < 2 {
        return (a(), b());
    }
    match pool(threads()) {
        Some(pool) => pool.install(|| rayon::join(a, b)),
        None => (a(), b()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Held by the tests whose pool items block until another thread acts
    /// (`join`'s waiting `a`, [`threads_used`]'s items). Run at once on the
    /// shared pool, two of them could each hold a worker the other waits for:
    /// CI once saw the join test's `a` time out while `threads_used`'s item
    /// held the pool's other thread.
    static BLOCKING: Mutex<()> = Mutex::new(());

    fn one_blocking_test_at_a_time() -> std::sync::MutexGuard<'static, ()> {
        BLOCKING.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[test]
    fn join_runs_both_at_once_when_it_can() {
        let _alone = one_blocking_test_at_a_time();
        let (tx, rx) = std::sync::mpsc::channel::<u32>();
        // `a` (which runs first) waits for a value `b` sends: only if both
        // run at once does it get it.
        let (a, b) = with_threads(2, || {
            join(
                move || {
                    rx.recv_timeout(std::time::Duration::from_secs(10))
                        .unwrap_or(0)
                },
                move || tx.send(7).map(|()| 1).unwrap_or(0),
            )
        });
        assert_eq!((a, b), (7, 1));
        // One thread: in order, on the caller's thread.
        let me = std::thread::current().id();
        let (x, y) = with_threads(1, || {
            join(
                || std::thread::current().id(),
                || std::thread::current().id(),
            )
        });
        assert_eq!((x, y), (me, me));
    }

    #[test]
    fn maps_keep_order_at_every_size() {
        for len in [0, 1, 127, 128, 255, 256, 257, 1000, 4099] {
            let items: Vec<u64> = (0..len).collect();
            let want: Vec<u64> = items.iter().map(|x| x * 3 + 1).collect();
            assert_eq!(map_ref(&items, |x| x * 3 + 1), want, "{len}");
            let mut m = items.clone();
            assert_eq!(
                map_mut(&mut m, |x| {
                    *x += 1;
                    *x * 3 - 2
                }),
                want,
                "{len}"
            );
            assert_eq!(m, (1..=len).collect::<Vec<_>>());
            let (mut drained, mut into) = (items.clone(), vec![7; 3]);
            let capacity = drained.capacity();
            map_into(&mut drained, &mut into, |x| x * 3 + 1);
            assert_eq!((drained.len(), &into), (0, &want), "{len}");
            assert_eq!(drained.capacity(), capacity, "the input buffer is kept");
            let mut m2 = items.clone();
            map_mut_into(&mut m2, &mut into, |x| *x * 3 + 1);
            assert_eq!(into, want, "{len}");
            assert_eq!(map(items, |x| x * 3 + 1), want, "{len}");
        }
    }

    /// The threads a map over 512 items ran on. Each item waits (up to a
    /// deadline shared by the whole map) until as many threads as the map may
    /// use have taken items, so the count does not depend on how soon the
    /// scheduler runs a worker on a loaded machine: a pool that never hands
    /// work to its other threads still shows one thread after the deadline.
    fn threads_used() -> usize {
        use std::collections::HashSet;
        use std::sync::Condvar;
        use std::time::{Duration, Instant};
        let want = threads();
        let seen = Mutex::new(HashSet::new());
        let more = Condvar::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        let items: Vec<u32> = (0..512).collect();
        map_ref(&items, |_| {
            let mut s = seen.lock().unwrap_or_else(PoisonError::into_inner);
            s.insert(std::thread::current().id());
            more.notify_all();
            while s.len() < want {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                s = more
                    .wait_timeout(s, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        });
        seen.into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    #[test]
    fn with_threads_sets_the_count_for_this_thread_only() {
        let _alone = one_blocking_test_at_a_time();
        assert_eq!(with_threads(1, threads_used), 1);
        // Work is stolen, not dealt: items that block leave the rest to others.
        assert_eq!(with_threads(3, threads_used), 3);
        assert_eq!(with_threads(3, threads), 3);
        assert_eq!(
            threads(),
            with_threads(2, || std::thread::spawn(threads).join().unwrap_or(0))
        );
        // Inside a map, the count is the pool's.
        let items: Vec<u32> = (0..1024).collect();
        let inner = with_threads(3, || map_ref(&items, |_| threads()));
        assert!(inner.iter().all(|n| *n == 3), "{inner:?}");
    }

    #[test]
    fn maps_nested_in_maps_keep_order() {
        let items: Vec<u64> = (0..600).collect();
        let got = with_threads(2, || {
            map_ref(&items, |x| map_ref(&items, |y| x * y).iter().sum::<u64>())
        });
        let sum: u64 = items.iter().sum();
        assert_eq!(got, items.iter().map(|x| x * sum).collect::<Vec<_>>());
    }

    #[test]
    fn large_maps_run_on_more_than_one_thread_when_the_machine_has_them() {
        let _alone = one_blocking_test_at_a_time();
        let used = threads_used();
        assert!(used <= threads());
        assert_eq!(used, threads(), "a large map takes every thread it may use");
    }
}
