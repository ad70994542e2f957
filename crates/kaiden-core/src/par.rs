//! Data parallelism for the pure, per-record parts of an import (conversion,
//! scoreIDs, hydration, document encoding): a batch is cut into one run per
//! core and each run is mapped on its own scoped thread, the first on the
//! caller's. Results keep the input's order, so nothing downstream can tell
//! how many threads ran. Small batches run on the caller's thread alone.
//!
//! The number of threads is the machine's parallelism, at most
//! [`MAX_THREADS`], or `KAIDEN_THREADS` when set (`1` turns parallelism off),
//! or what [`with_threads`] sets for the calling thread.

use std::cell::Cell;
use std::sync::OnceLock;

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

/// Fewer items than this per thread are not worth a thread.
const MIN_PER_THREAD: usize = 128;

/// How many threads a map may use.
#[must_use]
pub fn threads() -> usize {
    if let Some(n) = OVERRIDE.with(Cell::get) {
        return n;
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

/// How many runs `len` items are cut into.
fn runs(len: usize) -> usize {
    threads().min(len / MIN_PER_THREAD).max(1)
}

/// `items.iter_mut().map(f).collect()`, on up to [`threads`] threads.
pub fn map_mut<T, R, F>(items: &mut [T], f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(&mut T) -> R + Sync,
{
    let runs = runs(items.len());
    if runs == 1 {
        return items.iter_mut().map(f).collect();
    }
    let total = items.len();
    let per_run = total.div_ceil(runs);
    let f = &f;
    std::thread::scope(|scope| {
        let mut chunks = items.chunks_mut(per_run);
        let first = chunks.next();
        let others: Vec<_> = chunks
            .map(|chunk| scope.spawn(move || chunk.iter_mut().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = Vec::with_capacity(total);
        out.extend(first.into_iter().flat_map(|c| c.iter_mut().map(f)));
        for handle in others {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// `items.iter().map(f).collect()`, on up to [`threads`] threads.
pub fn map_ref<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    if runs(items.len()) == 1 {
        return items.iter().map(f).collect();
    }
    let mut refs: Vec<&T> = items.iter().collect();
    map_mut(&mut refs, |r| f(r))
}

/// `items.into_iter().map(f).collect()`, on up to [`threads`] threads.
pub fn map<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
    map_mut(&mut items, |slot| slot.take().map(&f))
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(map(items, |x| x * 3 + 1), want, "{len}");
        }
    }

    #[test]
    fn with_threads_sets_the_count_for_this_thread_only() {
        let items: Vec<u32> = (0..4096).collect();
        let distinct = |v: Vec<std::thread::ThreadId>| {
            v.into_iter()
                .collect::<std::collections::HashSet<_>>()
                .len()
        };
        assert_eq!(
            with_threads(1, || distinct(
                map_ref(&items, |_| std::thread::current().id())
            )),
            1
        );
        assert_eq!(
            with_threads(3, || distinct(
                map_ref(&items, |_| std::thread::current().id())
            )),
            3
        );
        assert_eq!(with_threads(3, threads), 3);
        assert_eq!(
            threads(),
            with_threads(2, || std::thread::spawn(threads).join().unwrap_or(0))
        );
    }

    #[test]
    fn large_maps_run_on_more_than_one_thread_when_the_machine_has_them() {
        let items: Vec<u32> = (0..4096).collect();
        let ids = map_ref(&items, |_| std::thread::current().id());
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), runs(items.len()));
        assert!(distinct.len() <= threads());
    }
}
