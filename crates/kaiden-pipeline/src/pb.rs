//! Personal bests (Tachi's `framework/pb`): the best score by the default metric,
//! merged with the best score of each merger (best lamp, lowest BP, ...), with
//! ratings recomputed on the merged data; then chart rankings.

use std::cmp::Ordering;

use kaiden_core::config::{GptConfig, MergeDirection, MergeField, MergeKey, pb_merge};
use kaiden_core::documents::{ChartDocument, PbDocument, PbReference, RankingData};
use kaiden_core::gpt_impl::{enum_indexes, score_ratings};
use kaiden_core::score::{ScoreData, UserId};
use kaiden_core::{ConverterFailure, Gpt, ScoreDocument};

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
                        pb.score_data.metrics.insert((*name).to_owned(), v.clone());
                    }
                    None => {
                        pb.score_data.metrics.remove(*name);
                    }
                },
                MergeField::Optional(name) => match src.score_data.optional.get(*name) {
                    Some(v) => {
                        pb.score_data.optional.insert((*name).to_owned(), v.clone());
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
