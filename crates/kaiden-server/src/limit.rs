//! The score-import rate limit: N requests per window per API key (Tachi:
//! 5 per 60 s on file and direct-manual imports).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A sliding-window counter per key.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn limit(&self) -> u32 {
        self.limit
    }

    pub(crate) fn window(&self) -> Duration {
        self.window
    }

    /// Counts a request by `key` at `now`; `false` when over the limit (the
    /// refused request is not counted).
    pub(crate) fn allow(&self, key: &str, now: Instant) -> bool {
        if self.limit == 0 {
            return true;
        }
        let mut hits = self.hits.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget keys that went quiet, so the map cannot grow without bound.
        if hits.len() > 10_000 {
            let window = self.window;
            hits.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let q = hits.entry(key.to_owned()).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            q.pop_front();
        }
        if q.len() >= self.limit as usize {
            return false;
        }
        q.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_per_window_then_refused_until_the_window_moves() {
        let l = RateLimiter::new(5, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(l.allow("k", t0 + Duration::from_secs(i)), "request {i}");
        }
        assert!(!l.allow("k", t0 + Duration::from_secs(10)));
        // Another key has its own budget.
        assert!(l.allow("other", t0 + Duration::from_secs(10)));
        // The first hit leaves the window at t0+60.
        assert!(l.allow("k", t0 + Duration::from_secs(60)));
        assert!(!l.allow("k", t0 + Duration::from_secs(60)));
    }

    #[test]
    fn zero_means_no_limit() {
        let l = RateLimiter::new(0, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!((0..100).all(|_| l.allow("k", t0)));
    }
}
