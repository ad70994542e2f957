//! Personal bests (Tachi's `framework/pb`): the best score by the default metric,
//! merged with the best score of each merger (best lamp, lowest BP, ...), with
//! ratings recomputed on the merged data; then chart rankings.

use std::cmp::Ordering;

use kaiden_core::documents::{ChartDocument, PbDocument, PbReference, RankingData};
use kaiden_core::score::{ScoreData, UserId};
use kaiden_core::{ConverterFailure, Gpt, ScoreDocument};
use kaiden_games::config::{GptConfig, MergeDirection, MergeField, MergeKey, pb_merge};
use kaiden_games::gpt_impl::{enum_indexes, score_ratings};

fn key_value(data: &ScoreData, key: MergeKey) -> Option<f64> {
    match key {
        MergeKey::EnumIndex(name) => data
            .enum_indexes
            .as_ref()
            .and_then(|e| e.get(name))
            .map(|i| *i as f64),
        MergeKey::Metric(name) => data.number(name),
        MergeKey::Optional(name) => data.optional_number(name),
    }
}

/// Tachi's tie-break for mergers: untimed scores first, then the oldest.
fn time_order(a: &ScoreDocument, b: &ScoreDocument) -> Ordering {
    match (a.time_achieved, b.time_achieved) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

/// Builds the user's PB on `chart` from all their scores on it (in insertion
/// order). `None` if there are none.
pub fn build_pb(
    gpt: Gpt,
    user: UserId,
    chart: &ChartDocument,
    scores: &[&ScoreDocument],
) -> Result<Option<PbDocument>, ConverterFailure> {
    let conf = GptConfig::of(gpt);
    let rules = pb_merge(gpt);
    let metric = conf.default_metric;
    // The base: the highest default metric; ties go to the first stored.
    let mut base: Option<&ScoreDocument> = None;
    for &s in scores {
        let v = s.score_data.number(metric);
        if base.is_none_or(|b| {
            v.unwrap_or(f64::NEG_INFINITY)
                > b.score_data.number(metric).unwrap_or(f64::NEG_INFINITY)
        }) {
            base = Some(s);
        }
    }
    let Some(base) = base else {
        return Ok(None);
    };
    let mut pb = PbDocument {
        user_id: user,
        chart_id: chart.chart_id.clone(),
        song_id: base.song_id,
        game: base.game,
        playtype: base.playtype,
        composed_from: vec![PbReference {
            name: rules.default_ref_name.to_owned(),
            score_id: base.score_id.clone(),
        }],
        ranking_data: RankingData {
            rank: 0,
            out_of: 0,
            rival_rank: None,
        },
        highlight: base.highlight,
        is_primary: chart.is_primary,
        time_achieved: base.time_achieved,
        score_data: base.score_data.clone(),
        calculated_data: base.calculated_data.clone(),
    };
    for merger in rules.mergers {
        let mut best: Option<(&ScoreDocument, f64)> = None;
        for &s in scores {
            let Some(v) = key_value(&s.score_data, merger.key) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((b, bv)) => {
                    let by_value = match merger.direction {
                        MergeDirection::Largest => v.total_cmp(&bv),
                        MergeDirection::Smallest => bv.total_cmp(&v),
                    };
                    by_value == Ordering::Greater
                        || (by_value == Ordering::Equal && time_order(s, b) == Ordering::Less)
                }
            };
            if better {
                best = Some((s, v));
            }
        }
        let Some((src, _)) = best else {
            continue;
        };
        for field in merger.copies {
            match field {
                MergeField::Metric(name) => match src.score_data.metrics.get(*name) {
                    Some(v) => {
                        pb.score_data.metrics.insert((*name).into(), v.clone());
                    }
                    None => {
                        pb.score_data.metrics.remove(*name);
                    }
                },
                MergeField::Optional(name) => match src.score_data.optional.get(*name) {
                    Some(v) => {
                        pb.score_data.optional.insert((*name).into(), v.clone());
                    }
                    _ => {
                        pb.score_data.optional.remove(*name);
                    }
                },
            }
        }
        pb.highlight |= src.highlight;
        if let (Some(a), Some(b)) = (pb.time_achieved, src.time_achieved) {
            pb.time_achieved = Some(a.max(b));
        }
        if !pb.composed_from.iter().any(|r| r.score_id == src.score_id) {
            pb.composed_from.push(PbReference {
                name: merger.name.to_owned(),
                score_id: src.score_id.clone(),
            });
        }
    }
    pb.score_data.enum_indexes = Some(enum_indexes(gpt, &pb.score_data)?);
    pb.calculated_data = score_ratings(gpt, &pb.score_data, chart)?;
    Ok(Some(pb))
}

/// Ranks every PB on one chart: by the default metric (ONGEKI: then platinum
/// score), timed PBs before untimed, older first. Ranks are 1-based and unshared.
pub fn rank_chart(gpt: Gpt, pbs: &mut [PbDocument]) {
    let metric = GptConfig::of(gpt).default_metric;
    let tiebreak = pb_merge(gpt).ranking_tiebreak;
    let value = |p: &PbDocument, m: &str| p.score_data.number(m).unwrap_or(f64::NEG_INFINITY);
    pbs.sort_by(|a, b| {
        value(b, metric)
            .total_cmp(&value(a, metric))
            .then_with(|| match tiebreak {
                Some(t) => value(b, t).total_cmp(&value(a, t)),
                None => Ordering::Equal,
            })
            .then_with(|| match (a.time_achieved, b.time_achieved) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.user_id.cmp(&b.user_id))
    });
    let out_of = pbs.len() as u64;
    for (i, pb) in pbs.iter_mut().enumerate() {
        pb.ranking_data = RankingData {
            rank: i as u64 + 1,
            out_of,
            // kaiden hosts keep no rival lists yet; Tachi gives null without rivals.
            rival_rank: None,
        };
    }
}

/// What a PB criterion compares of a score: criterion 0 (the base) the
/// default metric (missing = lowest); criterion `i > 0` merger `i - 1`'s key.
fn criterion_value(gpt: Gpt, criterion: usize, doc: &ScoreDocument) -> Option<f64> {
    if criterion == 0 {
        let metric = GptConfig::of(gpt).default_metric;
        return Some(doc.score_data.number(metric).unwrap_or(f64::NEG_INFINITY));
    }
    key_value(&doc.score_data, pb_merge(gpt).mergers[criterion - 1].key)
}

/// Which of two scores a PB criterion prefers: `true` if `new` beats `best`
/// (each with its [`criterion_value`]). Criterion 0 is the base (highest
/// default metric, the earlier score on ties); criterion `i > 0` is merger
/// `i - 1` (its key, then untimed/older first).
fn beats(
    gpt: Gpt,
    criterion: usize,
    (new, v): (&ScoreDocument, Option<f64>),
    best: Option<(&ScoreDocument, Option<f64>)>,
) -> bool {
    let Some(v) = v else { return false };
    let Some((b, bv)) = best else { return true };
    let Some(bv) = bv else { return true };
    if criterion == 0 {
        return v > bv;
    }
    let by_value = match pb_merge(gpt).mergers[criterion - 1].direction {
        MergeDirection::Largest => v.total_cmp(&bv),
        MergeDirection::Smallest => bv.total_cmp(&v),
    };
    by_value == Ordering::Greater
        || (by_value == Ordering::Equal && time_order(new, b) == Ordering::Less)
}

/// The scores of one chart that [`build_pb`] could pick, kept as an import
/// streams in: for the base and for each merger, the best score so far. Any
/// other score can never be chosen, so an import holds a few scores per chart
/// instead of all of them; the choices are the same as over every score.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    docs: Vec<ScoreDocument>,
    /// Per criterion, the index in `docs` of its best score and that score's
    /// value for the criterion (read once, when it was offered).
    best: Vec<Option<(usize, Option<f64>)>>,
}

impl Candidates {
    /// Offers a new score (in insertion order); keeps it only if some criterion
    /// prefers it.
    pub fn offer(&mut self, gpt: Gpt, doc: ScoreDocument) {
        let criteria = 1 + pb_merge(gpt).mergers.len();
        if self.best.len() != criteria {
            self.best = vec![None; criteria];
        }
        // Bit c: criterion c prefers the new score (at most 1 + 3 mergers).
        let mut wins = 0u32;
        let mut values = [None; 8];
        for c in 0..criteria.min(values.len()) {
            let v = criterion_value(gpt, c, &doc);
            values[c] = v;
            let best = self.best[c].map(|(i, bv)| (&self.docs[i], bv));
            if beats(gpt, c, (&doc, v), best) {
                wins |= 1 << c;
            }
        }
        if wins == 0 {
            return;
        }
        let new = self.docs.len();
        self.docs.push(doc);
        for (c, (best, v)) in self.best.iter_mut().zip(values).enumerate() {
            if wins & (1 << c) != 0 {
                *best = Some((new, v));
            }
        }
        // Drop scores no criterion points at any more, keeping the order.
        let mut used = 0u64;
        for (i, _) in self.best.iter().flatten() {
            used |= 1 << i;
        }
        if used.count_ones() as usize == self.docs.len() {
            return;
        }
        let mut i = 0;
        self.docs.retain(|_| {
            let keep = used & (1 << i) != 0;
            i += 1;
            keep
        });
        for (b, _) in self.best.iter_mut().flatten() {
            // The new index is the number of kept scores before it.
            *b = (used & ((1u64 << *b) - 1)).count_ones() as usize;
        }
    }

    /// The kept scores, in insertion order.
    #[must_use]
    pub fn docs(&self) -> &[ScoreDocument] {
        &self.docs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaiden_core::documents::ChartDocument;
    use proptest::prelude::*;

    fn chart() -> ChartDocument {
        serde_json::from_value(serde_json::json!({"chartID": "c", "songID": 1, "level": "12", "levelNum": 12,
            "isPrimary": true, "difficulty": "ANOTHER", "playtype": "SP", "versions": [], "data": {"notecount": 1000}}))
        .expect("chart")
    }

    const LAMPS: [&str; 5] = ["FAILED", "EASY CLEAR", "CLEAR", "HARD CLEAR", "FULL COMBO"];

    #[test]
    fn every_gpt_fits_the_candidates_criteria() {
        // `Candidates::offer` keeps the values of at most 8 criteria.
        for gpt in Gpt::ALL {
            assert!(pb_merge(gpt).mergers.len() < 8, "{gpt}");
        }
    }

    fn score(i: usize, ex: u16, lamp: usize, bp: Option<u8>, time: Option<u8>) -> ScoreDocument {
        let mut data = kaiden_core::ScoreData::default();
        data.set("score", f64::from(ex));
        data.set("lamp", LAMPS[lamp]);
        data.set("percent", f64::from(ex) / 20.0);
        data.set("grade", "F");
        if let Some(bp) = bp {
            data.optional.insert("bp".into(), f64::from(bp).into());
        }
        data.enum_indexes = kaiden_games::gpt_impl::enum_indexes(Gpt::IidxSp, &data).ok();
        serde_json::from_value(serde_json::json!({
            "scoreID": format!("T{i}"), "userID": 1, "chartID": "c", "songID": 1, "game": "iidx", "playtype": "SP",
            "isPrimary": true, "service": "x", "importType": "file/batch-manual",
            "timeAchieved": time.map(|t| 1_700_000_000_000_i64 + i64::from(t) * 1000), "timeAdded": 0,
            "comment": null, "highlight": false, "scoreData": data, "scoreMeta": {}, "calculatedData": {}
        }))
        .expect("score")
    }

    proptest! {
        /// Keeping only the candidates gives the PB of all scores, for any scores
        /// in any order (old scores from the store first, as the pipeline does).
        #[test]
        fn candidates_give_the_same_pb_as_every_score(
            old in proptest::collection::vec((0u16..2000, 0usize..5, proptest::option::of(0u8..50), proptest::option::of(0u8..20)), 0..4),
            new in proptest::collection::vec((0u16..2000, 0usize..5, proptest::option::of(0u8..50), proptest::option::of(0u8..20)), 1..30),
        ) {
            let old: Vec<ScoreDocument> = old.iter().enumerate().map(|(i, s)| score(i, s.0, s.1, s.2, s.3)).collect();
            let new: Vec<ScoreDocument> = new.iter().enumerate().map(|(i, s)| score(100 + i, s.0, s.1, s.2, s.3)).collect();
            let chart = chart();
            let all: Vec<&ScoreDocument> = old.iter().chain(&new).collect();
            let want = build_pb(Gpt::IidxSp, 1, &chart, &all).expect("pb");
            let mut c = Candidates::default();
            for s in &new {
                c.offer(Gpt::IidxSp, s.clone());
            }
            prop_assert!(c.docs().len() <= 3);
            let kept: Vec<&ScoreDocument> = old.iter().chain(c.docs()).collect();
            let got = build_pb(Gpt::IidxSp, 1, &chart, &kept).expect("pb");
            prop_assert_eq!(got, want);
        }
    }
}
