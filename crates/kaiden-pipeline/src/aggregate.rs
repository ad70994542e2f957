//! Session and profile ratings: aggregations of score ratings (Tachi's
//! `sessionCalcs` and `profileCalcs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kaiden_core::Gpt;
use kaiden_core::documents::SongDocument;
use kaiden_core::host::PbRatings;
use kaiden_games::config::{Aggregation, GptConfig};

/// JavaScript's `Math.round` (halves go towards +∞).
fn js_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

fn best_n(mut values: Vec<f64>, n: usize) -> Vec<f64> {
    values.sort_by(|a, b| b.total_cmp(a));
    values.truncate(n);
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
fn profile_best_n(
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

fn pb_values(pbs: &[PbRatings], source: &str, primary_only: bool) -> Vec<f64> {
    pbs.iter()
        .filter(|p| !primary_only || p.is_primary)
        .filter_map(|p| p.calculated_data.get(source).copied().flatten())
        .filter(|v| v.is_finite())
        .collect()
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
    GptConfig::of(gpt)
        .profile_rating_algs
        .iter()
        .map(|alg| {
            let v = match alg.aggregation {
                Aggregation::AverageOfBestN {
                    source,
                    n,
                    null_if_fewer_than_n,
                    multiplier,
                    ..
                } => profile_best_n(
                    pb_values(pbs, source, true),
                    n,
                    true,
                    null_if_fewer_than_n,
                    multiplier,
                ),
                Aggregation::SumOfBestN {
                    source,
                    n,
                    null_if_fewer_than_n,
                    multiplier,
                } => profile_best_n(
                    pb_values(pbs, source, true),
                    n,
                    false,
                    null_if_fewer_than_n,
                    multiplier,
                ),
                Aggregation::Custom => custom_profile_rating(alg.name, pbs, songs),
            };
            (alg.name.to_owned(), v)
        })
        .collect()
}

/// Whether profile ratings of this GPT read song documents.
#[must_use]
pub fn needs_songs(gpt: Gpt) -> bool {
    matches!(gpt, Gpt::JubeatSingle | Gpt::DdrSp | Gpt::DdrDp)
}

fn custom_profile_rating(name: &str, pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    match name {
        "naiveRatingRefresh" => {
            let s = profile_best_n(
                pb_values(pbs, "scoreRating", true),
                60,
                true,
                false,
                Some(1000.0),
            )
            .unwrap_or(0.0);
            let t = profile_best_n(
                pb_values(pbs, "starRating", true),
                50,
                true,
                false,
                Some(1000.0),
            )
            .unwrap_or(0.0);
            Some(((js_round(s * 1000.0) * 1.2).floor() + js_round(t * 1000.0)) / 1000.0)
        }
        "jubility" => jubility(pbs, songs),
        "flareSkill" => flare_skill(pbs, songs),
        _ => None,
    }
}

/// jubeat: best 30 on songs of the current "hot" version plus best 30 elsewhere,
/// one per song and difficulty (HARD charts fold into their normal difficulty).
fn jubility(pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    const HOT_VERSION: &str = "ave";
    let mut best: HashMap<(bool, i64, String), f64> = HashMap::new();
    for pb in pbs {
        let Some(v) = pb.calculated_data.get("jubility").copied().flatten() else {
            continue;
        };
        let hot = songs
            .songs
            .get(&pb.song_id)
            .and_then(|s| s.data_str("displayVersion"))
            == Some(HOT_VERSION);
        let difficulty = songs
            .difficulties
            .get(&pb.chart_id)
            .map_or("", String::as_str);
        let key = (
            hot,
            pb.song_id,
            difficulty.trim_start_matches("HARD ").to_owned(),
        );
        let e = best.entry(key).or_insert(f64::NEG_INFINITY);
        if v > *e {
            *e = v;
        }
    }
    if best.is_empty() {
        return None;
    }
    let pool = |hot: bool| -> f64 {
        best_n(
            best.iter()
                .filter(|(k, _)| k.0 == hot)
                .map(|(_, v)| *v)
                .collect(),
            30,
        )
        .iter()
        .sum()
    };
    Some(pool(true) + pool(false))
}

/// DDR: best 30 flare points in each of the CLASSIC, WHITE and GOLD categories.
fn flare_skill(pbs: &[PbRatings], songs: &SongMap) -> Option<f64> {
    let mut buckets: HashMap<&str, Vec<f64>> = HashMap::new();
    for pb in pbs.iter().filter(|p| p.is_primary) {
        let Some(v) = pb.calculated_data.get("flareSkill").copied().flatten() else {
            continue;
        };
        let Some(cat) = songs
            .songs
            .get(&pb.song_id)
            .and_then(|s| s.data_str("flareCategory"))
        else {
            continue;
        };
        if let Some(cat) = ["CLASSIC", "WHITE", "GOLD"].into_iter().find(|c| *c == cat) {
            buckets.entry(cat).or_default().push(v);
        }
    }
    if buckets.is_empty() {
        return None;
    }
    Some(
        buckets
            .into_values()
            .map(|v| best_n(v, 30).iter().sum::<f64>())
            .sum(),
    )
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
}
