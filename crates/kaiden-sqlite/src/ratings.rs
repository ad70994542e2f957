//! What profile ratings read of users' PBs (`PbRatings`: chart, song,
//! `isPrimary`, `calculatedData`), kept between imports by user and GPT.
//!
//! Every import recomputes the user's profile ratings from every PB of the
//! GPT; reading them back (a JSON path call over each PB's document) was the
//! largest step of a one-score import. Kept here instead, as committed:
//!
//! - Only a transaction reads or changes an entry, holding the writer gate
//!   (so one at a time). It takes the entry out of the cache when it first
//!   needs it, patches it with every PB it upserts, and puts it back when it
//!   commits; a rollback just drops it (the next import reads the database).
//! - A transaction that deletes a user's PBs forgets all of that user's
//!   entries when it commits.
//! - Anything else that writes the database (another process, another
//!   connection) changes the writer connection's `PRAGMA data_version`,
//!   checked as each transaction opens: then everything is forgotten.
//! - The entries' order is the database's (`rowid`): an upserted PB keeps its
//!   place, a new one goes last, as its row does.
//! - Bounded: at most [`BUDGET`] PBs in all; the rest are read each time.

use std::collections::HashMap;
use std::sync::Arc;

use kaiden_core::Gpt;
use kaiden_core::documents::PbDocument;
use kaiden_core::host::PbRatings;
use kaiden_core::score::UserId;

/// The most PBs kept in all (~150 bytes each).
pub(crate) const BUDGET: usize = 200_000;

/// A patch costs a scan of the entry per PB: past this many comparisons an
/// entry is dropped instead (a large import's PBs; read again when needed).
const PATCH_WORK: usize = 1 << 18;

/// One user's PBs of one GPT, as profile ratings read them.
pub(crate) type Entry = Arc<Vec<PbRatings>>;

/// The cache (see the module's documentation).
#[derive(Debug, Default)]
pub(crate) struct RatingsCache {
    /// The writer connection's `data_version` the entries match.
    version: Option<i64>,
    entries: HashMap<(UserId, Gpt), Entry>,
    /// PBs held in all.
    held: usize,
}

impl RatingsCache {
    /// Forgets everything if the database changed by another connection
    /// since the entries were kept (`version` is `PRAGMA data_version`).
    pub(crate) fn check_version(&mut self, version: i64) {
        if self.version != Some(version) {
            self.clear();
            self.version = Some(version);
        }
    }

    /// Forgets every entry.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.held = 0;
    }

    /// Takes an entry out (a transaction holds it until it commits).
    pub(crate) fn take(&mut self, key: (UserId, Gpt)) -> Option<Entry> {
        let e = self.entries.remove(&key)?;
        self.held -= e.len();
        Some(e)
    }

    /// Keeps an entry, dropping others while the budget is exceeded.
    pub(crate) fn put(&mut self, key: (UserId, Gpt), entry: Entry) {
        self.take(key);
        if entry.len() > BUDGET {
            return;
        }
        while self.held + entry.len() > BUDGET {
            let Some(&other) = self.entries.keys().next() else {
                break;
            };
            self.take(other);
        }
        self.held += entry.len();
        self.entries.insert(key, entry);
    }

    /// Forgets every entry of a user.
    pub(crate) fn forget_user(&mut self, user: UserId) {
        let keys: Vec<(UserId, Gpt)> = self
            .entries
            .keys()
            .filter(|(u, _)| *u == user)
            .copied()
            .collect();
        for k in keys {
            self.take(k);
        }
    }

    /// A copy of an entry (for tests).
    pub(crate) fn peek(&self, key: (UserId, Gpt)) -> Option<Vec<PbRatings>> {
        self.entries.get(&key).map(|e| e.to_vec())
    }

    /// How many entries are kept (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// What a PB document gives profile ratings.
pub(crate) fn of_pb(p: &PbDocument) -> PbRatings {
    PbRatings {
        chart_id: p.chart_id.clone(),
        song_id: p.song_id,
        is_primary: p.is_primary,
        calculated_data: kaiden_core::host::RatingValues::from(&p.calculated_data),
    }
}

/// Patches `entry` with upserted PBs of its user and GPT: a PB replaces the
/// one on its chart in place, or goes last. `false` if the patch would cost
/// too much (the caller drops the entry instead).
pub(crate) fn patch(entry: &mut Entry, pbs: &[&PbDocument]) -> bool {
    if pbs.len().saturating_mul(entry.len().max(1)) > PATCH_WORK {
        return false;
    }
    let list = Arc::make_mut(entry);
    for p in pbs {
        let r = of_pb(p);
        // The song first: an integer in the entry itself, where the chartID
        // is behind a pointer (a user's thousands of PBs are scanned per PB).
        match list
            .iter_mut()
            .find(|e| e.song_id == r.song_id && e.chart_id == r.chart_id)
        {
            Some(e) => *e = r,
            None => list.push(r),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(chart: &str, v: f64) -> PbRatings {
        PbRatings {
            chart_id: chart.to_owned(),
            song_id: 1,
            is_primary: true,
            calculated_data: [("ktLampRating", Some(v))].into_iter().collect(),
        }
    }

    #[test]
    fn the_budget_bounds_what_is_kept_and_versions_clear_it() {
        let mut c = RatingsCache::default();
        c.check_version(1);
        let big = Arc::new(vec![r("a", 1.0); BUDGET / 2 + 1]);
        c.put((1, Gpt::IidxSp), big.clone());
        c.put((2, Gpt::IidxSp), big.clone());
        assert_eq!(c.len(), 1, "two halves and one more do not fit");
        assert!(c.held <= BUDGET);
        c.put((3, Gpt::IidxDp), Arc::new(vec![r("b", 2.0)]));
        c.put((3, Gpt::IidxSp), Arc::new(vec![r("c", 2.0)]));
        c.forget_user(3);
        assert!(c.take((3, Gpt::IidxDp)).is_none());
        assert!(c.take((3, Gpt::IidxSp)).is_none());
        c.check_version(1);
        assert_eq!(c.len(), 1, "same version: kept");
        c.check_version(2);
        assert_eq!((c.len(), c.held), (0, 0), "another writer: forgotten");
        c.put((4, Gpt::IidxSp), Arc::new(vec![r("a", 1.0); BUDGET + 1]));
        assert_eq!(c.len(), 0, "an entry over the budget is not kept");
    }
}
