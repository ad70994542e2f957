//! Session and profile ratings: aggregations of score ratings (Tachi's
//! `sessionCalcs` and `profileCalcs`). A game's custom profile ratings
//! (jubility, ONGEKI's refresh rating, DDR's flare skill) are in its module.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::config::{Aggregation, GptConfig};
use kaiden_core::Gpt;
use kaiden_core::documents::SongDocument;
use kaiden_core::host::PbRatings;

/// JavaScript's `Math.round` (halves go towards +∞).
pub(crate) fn js_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

pub(crate) fn best_n(mut values: Vec<f64>, n: usize) -> Vec<f64> {
    // The n largest first (linear), then only they are sorted: the same
    // values in the same order as sorting all and keeping n (a user's
    // thousands of PBs for a best 20 or 50).
    if n == 0 {
        values.clear();
        return values;
    }
    if n < values.len() {
        values.select_nth_unstable_by(n - 1, |a, b| b.total_cmp(a));
        values.truncate(n);
    }
    values.sort_by(|a, b| b.total_cmp(a));
    values
}

/// A session rating: only numeric values count; fewer than `n` gives `null`.
#[must_use]
pub fn session_rating(aggregation: &Aggregation, values: &[f64]) -> Option<f64> {
    match *aggregation {
        Aggregation::AverageOfBestN {
            n, post_multiply, ..
        } => {
            if values.len() < n || n == 0 {
                return None;
            }
            let best = best_n(values.to_vec(), n);
            let avg = best.iter().sum::<f64>() / n as f64;
            Some(post_multiply.map_or(avg, |m| avg * m))
        }
        Aggregation::SumOfBestN { n, .. } => {
            if values.len() < n {
                return None;
            }
            Some(best_n(values.to_vec(), n).iter().sum())
        }
        Aggregation::Custom => None,
    }
}

/// Anything that holds a score's ratings (`calculatedData`) by algorithm name.
pub trait Ratings {
    /// The rating of `name`, if numeric.
    fn rating(&self, name: &str) -> Option<f64>;
}

impl<K: std::borrow::Borrow<str> + Ord> Ratings for BTreeMap<K, Option<f64>> {
    fn rating(&self, name: &str) -> Option<f64> {
        self.get(name).copied().flatten()
    }
}

/// The `calculatedData` of a session from its scores' ratings.
#[must_use]
pub fn session_calculated_data<'a>(
    gpt: Gpt,
    scores: impl Iterator<Item = &'a dyn Ratings> + Clone,
) -> BTreeMap<String, Option<f64>> {
    GptConfig::of(gpt)
        .session_rating_algs
        .iter()
        .map(|alg| {
            let source = match alg.aggregation {
                Aggregation::AverageOfBestN { source, .. }
                | Aggregation::SumOfBestN { source, .. } => source,
                Aggregation::Custom => alg.name,
            };
            let values: Vec<f64> = scores
                .clone()
                .filter_map(|c| c.rating(source))
                .filter(|v| v.is_finite())
                .collect();
            (
                alg.name.to_owned(),
                session_rating(&alg.aggregation, &values),
            )
        })
        .collect()
}

/// Tachi's `ProfileAvgBestN` / `ProfileSumBestN` over the values of primary PBs.
pub(crate) fn profile_best_n(
    values: Vec<f64>,
    n: usize,
    average: bool,
    null_if_fewer: bool,
    mult: Option<f64>,
) -> Option<f64> {
    if values.is_empty() || (null_if_fewer && values.len() < n) || n == 0 {
        return None;
    }
    let best = best_n(values, n);
    match mult {
        Some(m) if m != 1.0 => {
            let sum: f64 = best.iter().map(|v| js_round(v * m)).sum();
            Some(if average {
                (sum / n as f64).floor() / m
            } else {
                sum / m
            })
        }
        _ => {
            let sum: f64 = best.iter().sum();
            Some(if average { sum / n as f64 } else { sum })
        }
    }
}

/// The finite values of `source` over the (primary) PBs, in PB order.
pub(crate) fn pb_values(pbs: &[PbRatings], source: &str, primary_only: bool) -> Vec<f64> {
    pbs.iter()
        .filter(|p| !primary_only || p.is_primary)
        .filter_map(|p| p.calculated_data.get(source).copied().flatten())
        .filter(|v| v.is_finite())
        .collect()
}

/// The finite values of each of `sources` over the primary PBs, in PB order.
fn primary_values(pbs: &[PbRatings], sources: &[&str]) -> Vec<Vec<f64>> {
    let mut values = vec![Vec::with_capacity(pbs.len()); sources.len()];
    for p in pbs.iter().filter(|p| p.is_primary) {
        for (source, out) in sources.iter().zip(values.iter_mut()) {
            if let Some(Some(v)) = p.calculated_data.get(source) {
                if v.is_finite() {
                    out.push(*v);
                }
            }
        }
    }
    values
}

/// What custom profile ratings read besides PBs: songs (`displayVersion`,
/// `flareCategory`) by id, and chart difficulties by chartID.
#[derive(Debug, Default)]
pub struct SongMap {
    /// Songs by Tachi id.
    pub songs: HashMap<i64, Arc<SongDocument>>,
    /// Chart difficulty by chartID.
    pub difficulties: HashMap<String, String>,
}

/// Profile ratings of a user's PBs on one GPT.
#[must_use]
pub fn profile_ratings(
    gpt: Gpt,
    pbs: &[PbRatings],
    songs: &SongMap,
) -> BTreeMap<String, Option<f64>> {
    let algs = GptConfig::of(gpt).profile_rating_algs;
    // Every best-N source's values in one pass over the PBs (each PB's
    // ratings are read once, not once per algorithm).
    let mut sources: Vec<&str> = Vec::new();
    for alg in algs {
        if let Aggregation::AverageOfBestN { source, .. } | Aggregation::SumOfBestN { source, .. } =
            alg.aggregation
        {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
    }
    let values = primary_values(pbs, &sources);
    let of = |source: &str| {
        sources
            .iter()
            .position(|s| *s == source)
            .map(|i| values[i].clone())
            .unwrap_or_default()
    };
    algs.iter()
        .map(|alg| {
            let v = match alg.aggregation {
                Aggregation::AverageOfBestN {
                    source,
                    n,
                    null_if_fewer_than_n,
                    multiplier,
                    ..
                } => profile_best_n(of(source), n, true, null_if_fewer_than_n, multiplier),
                Aggregation::SumOfBestN {
                    source,
                    n,
                    null_if_fewer_than_n,
                    multiplier,
                } => profile_best_n(of(source), n, false, null_if_fewer_than_n, multiplier),
                Aggregation::Custom => {
                    (crate::games::rules(gpt.game()).custom_profile)(alg.name, pbs, songs)
                }
            };
            (alg.name.to_owned(), v)
        })
        .collect()
}

/// Whether profile ratings of this GPT read song documents.
#[must_use]
pub fn needs_songs(gpt: Gpt) -> bool {
    crate::games::rules(gpt.game()).profile_reads_songs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_average_needs_n_values() {
        let agg = Aggregation::AverageOfBestN {
            source: "x",
            n: 3,
            null_if_fewer_than_n: true,
            multiplier: None,
            post_multiply: Some(2.0),
        };
        assert_eq!(session_rating(&agg, &[1.0, 2.0]), None);
        assert_eq!(session_rating(&agg, &[1.0, 2.0, 3.0, 4.0]), Some(6.0));
    }

    #[test]
    fn profile_average_divides_by_n_and_uses_integer_maths_with_a_multiplier() {
        assert_eq!(
            profile_best_n(vec![10.0, 20.0], 20, true, false, None),
            Some(1.5)
        );
        assert_eq!(profile_best_n(vec![10.0, 20.0], 20, true, true, None), None);
        assert_eq!(profile_best_n(vec![], 20, true, false, None), None);
        // round(15.555*100)=1556, round(15.554*100)=1555 -> floor(3111/2)/100
        assert_eq!(
            profile_best_n(vec![15.555, 15.554], 2, true, false, Some(100.0)),
            Some(15.55)
        );
        assert_eq!(
            profile_best_n(vec![1.0, 2.0, 3.0], 2, false, false, None),
            Some(5.0)
        );
    }

    fn pb(chart: &str, song: i64, primary: bool, ratings: &[(&'static str, f64)]) -> PbRatings {
        PbRatings {
            chart_id: chart.to_owned(),
            song_id: song,
            is_primary: primary,
            calculated_data: ratings
                .iter()
                .map(|(k, v)| (kaiden_core::score::Key::Borrowed(k), Some(*v)))
                .collect(),
        }
    }

    fn song(id: i64, key: &str, value: &str) -> (i64, Arc<SongDocument>) {
        let mut data = serde_json::Map::new();
        data.insert(key.to_owned(), serde_json::Value::String(value.to_owned()));
        let doc = SongDocument {
            id,
            title: format!("song {id}"),
            artist: String::new(),
            alt_titles: vec![],
            search_terms: vec![],
            data,
            extra: serde_json::Map::new(),
        };
        (id, Arc::new(doc))
    }

    #[test]
    fn ongeki_refresh_rating_uses_tachis_integer_maths() {
        let pbs = [pb(
            "c",
            1,
            true,
            &[("scoreRating", 15.0), ("starRating", 0.5)],
        )];
        let r = profile_ratings(Gpt::OngekiSingle, &pbs, &SongMap::default());
        // s = floor(15000 / 60) / 1000 = 0.25; t = floor(500 / 50) / 1000 = 0.01;
        // (floor(250 * 1.2) + 10) / 1000.
        assert_eq!(r["naiveRatingRefresh"], Some(0.31));
    }

    #[test]
    fn jubility_takes_the_best_of_each_song_and_difficulty_in_two_pools() {
        let songs = SongMap {
            songs: [
                song(1, "displayVersion", "ave"),
                song(2, "displayVersion", "festo"),
            ]
            .into_iter()
            .collect(),
            difficulties: [
                ("c1".to_owned(), "EXT".to_owned()),
                ("c1h".to_owned(), "HARD EXT".to_owned()),
                ("c2".to_owned(), "EXT".to_owned()),
            ]
            .into_iter()
            .collect(),
        };
        assert!(needs_songs(Gpt::JubeatSingle));
        let pbs = [
            pb("c1", 1, true, &[("jubility", 100.0)]),
            // The HARD chart of the same song and difficulty: one entry, the best.
            pb("c1h", 1, false, &[("jubility", 120.0)]),
            pb("c2", 2, true, &[("jubility", 50.0)]),
        ];
        let r = profile_ratings(Gpt::JubeatSingle, &pbs, &songs);
        assert_eq!(r["jubility"], Some(170.0));
    }

    #[test]
    fn flare_skill_sums_the_best_of_each_category_of_primary_charts() {
        let songs = SongMap {
            songs: [
                song(1, "flareCategory", "CLASSIC"),
                song(2, "flareCategory", "WHITE"),
                song(3, "flareCategory", "GOLD"),
                song(4, "flareCategory", "NONE"),
            ]
            .into_iter()
            .collect(),
            difficulties: HashMap::new(),
        };
        assert!(needs_songs(Gpt::DdrSp));
        assert!(!needs_songs(Gpt::IidxSp));
        let pbs = [
            pb("a", 1, true, &[("flareSkill", 10.0)]),
            pb("b", 2, true, &[("flareSkill", 20.0)]),
            pb("c", 3, true, &[("flareSkill", 30.0)]),
            pb("d", 4, true, &[("flareSkill", 99.0)]),
            pb("e", 1, false, &[("flareSkill", 99.0)]),
        ];
        let r = profile_ratings(Gpt::DdrSp, &pbs, &songs);
        assert_eq!(r["flareSkill"], Some(60.0));
    }
}

#[cfg(test)]
mod best_n_props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The n largest, selected then sorted, are bit for bit what sorting
        /// every value and keeping n gives (signed zeros, ties and order
        /// included), as the ratings' sums depend on that order.
        #[test]
        fn best_n_equals_sorting_all(
            values in proptest::collection::vec(
                prop_oneof![
                    -1e6f64..1e6,
                    Just(0.0),
                    Just(-0.0),
                    (0u8..8).prop_map(f64::from),
                ],
                0..300,
            ),
            n in 0usize..320,
        ) {
            let mut all = values.clone();
            all.sort_by(|a, b| b.total_cmp(a));
            all.truncate(n);
            let got = best_n(values, n);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&got), bits(&all));
        }
    }
}
