//! Field limits for every import type, applied to each converted record
//! before anything of it is looked up or stored: a title or identifier, a
//! comment, the play options, a graph. A record over a limit is rejected on
//! its own (`InvalidDatapoint`), never kept as an orphan, so hostile input
//! cannot make the store keep megabytes per record. The limits are far above
//! what real data holds (Tachi's longest song titles are a few hundred
//! bytes; LR2's HP graphs are 1,000 points; an IIDX gauge history has one
//! point per note, a few thousand).

use kaiden_core::ConverterFailure;
use kaiden_core::format::PendingScore;
use kaiden_core::query::ChartKey;
use kaiden_core::score::MetricValue;

/// The longest title, identifier or hash a record may name its chart by.
pub const MAX_KEY_BYTES: usize = 1024;
/// The longest service name.
pub const MAX_SERVICE_BYTES: usize = 256;
/// The longest comment.
pub const MAX_COMMENT_BYTES: usize = 4096;
/// The largest play options (`scoreMeta`), as JSON.
pub const MAX_META_BYTES: usize = 16 * 1024;
/// The most points in a graph metric (gauge, score history).
pub const MAX_GRAPH_POINTS: usize = 20_000;
/// The longest string metric.
pub const MAX_STRING_METRIC_BYTES: usize = 256;

fn too_long(what: &str, len: usize, max: usize) -> ConverterFailure {
    ConverterFailure::InvalidScore(format!(
        "The {what} is {len} bytes long; at most {max} are accepted."
    ))
}

/// How many bytes `v` is as JSON, counted as it is written: no buffer per
/// record (this runs on every record of every import).
fn json_len(v: &serde_json::Map<String, serde_json::Value>) -> usize {
    if v.is_empty() {
        return 2;
    }
    kaiden_core::json_len(v)
}

/// Rejects a converted record with a field over its limit.
pub(crate) fn check(p: PendingScore) -> Result<PendingScore, ConverterFailure> {
    let key = match &p.query.key {
        ChartKey::SongTitle {
            title,
            artist,
            level,
            ..
        } => {
            if let Some(a) = artist.as_ref().filter(|a| a.len() > MAX_KEY_BYTES) {
                return Err(too_long("artist", a.len(), MAX_KEY_BYTES));
            }
            if let Some(l) = level.as_ref().filter(|l| l.len() > MAX_KEY_BYTES) {
                return Err(too_long("level", l.len(), MAX_KEY_BYTES));
            }
            Some(("title", title))
        }
        ChartKey::InGameStrId(s) => Some(("identifier", s)),
        ChartKey::DdrSongHash(s)
        | ChartKey::BmsChartHash(s)
        | ChartKey::ItgChartHash(s)
        | ChartKey::UscChartHash(s)
        | ChartKey::PopnChartHash(s)
        | ChartKey::AnyPlaytypeHash(s) => Some(("chart hash", s)),
        ChartKey::TachiSongId(_)
        | ChartKey::InGameId(_)
        | ChartKey::IidxInGameId(_)
        | ChartKey::AnyInGameId(_)
        | ChartKey::SdvxInGameId(_) => None,
    };
    if let Some((what, s)) = key.filter(|(_, s)| s.len() > MAX_KEY_BYTES) {
        return Err(too_long(what, s.len(), MAX_KEY_BYTES));
    }
    for v in [&p.query.difficulty, &p.query.version, &p.expected_level]
        .into_iter()
        .flatten()
    {
        if v.len() > MAX_KEY_BYTES {
            return Err(too_long(
                "difficulty, version or level",
                v.len(),
                MAX_KEY_BYTES,
            ));
        }
    }
    let d = &p.dry;
    if d.service.len() > MAX_SERVICE_BYTES {
        return Err(too_long("service", d.service.len(), MAX_SERVICE_BYTES));
    }
    if let Some(c) = d.comment.as_ref().filter(|c| c.len() > MAX_COMMENT_BYTES) {
        return Err(too_long("comment", c.len(), MAX_COMMENT_BYTES));
    }
    let meta = json_len(&d.score_meta);
    if meta > MAX_META_BYTES {
        return Err(too_long("scoreMeta", meta, MAX_META_BYTES));
    }
    for (name, v) in d
        .score_data
        .metrics
        .iter()
        .chain(d.score_data.optional.iter())
    {
        match v {
            MetricValue::Graph(points) if points.len() > MAX_GRAPH_POINTS => {
                return Err(ConverterFailure::InvalidScore(format!(
                    "{name} has {} points; at most {MAX_GRAPH_POINTS} are accepted.",
                    points.len()
                )));
            }
            MetricValue::Str(s) if s.len() > MAX_STRING_METRIC_BYTES => {
                return Err(too_long(name, s.len(), MAX_STRING_METRIC_BYTES));
            }
            _ => {}
        }
    }
    Ok(p)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use kaiden_core::query::ChartQuery;
    use kaiden_core::score::{DryScore, ScoreData};
    use kaiden_core::{Game, Gpt, ImportType};

    use super::*;

    fn pending(title: &str) -> PendingScore {
        PendingScore {
            dry: DryScore {
                service: "s".into(),
                game: Game::Iidx,
                import_type: ImportType::FILE_BATCH_MANUAL,
                time_achieved: None,
                comment: None,
                score_data: ScoreData::default(),
                score_meta: serde_json::Map::new(),
            },
            query: ChartQuery {
                gpt: Gpt::IidxSp,
                key: ChartKey::SongTitle {
                    title: title.into(),
                    artist: None,
                    exact_first: false,
                    level: None,
                },
                difficulty: Some("ANOTHER".into()),
                version: None,
            },
            expected_level: None,
            not_found: None,
            highlight: false,
        }
    }

    #[test]
    fn json_len_counts_what_serde_writes() {
        let mut m = serde_json::Map::new();
        assert_eq!(json_len(&m), 2);
        m.insert("random".into(), serde_json::json!(["RANDOM", "MIRROR"]));
        m.insert("gauge".into(), serde_json::json!("HARD"));
        assert_eq!(json_len(&m), serde_json::to_string(&m).unwrap().len());
    }

    #[test]
    fn every_field_has_a_limit() {
        assert!(check(pending(&"a".repeat(MAX_KEY_BYTES))).is_ok());
        assert_eq!(
            check(pending(&"a".repeat(MAX_KEY_BYTES + 1))).unwrap_err(),
            ConverterFailure::InvalidScore(
                "The title is 1025 bytes long; at most 1024 are accepted.".into()
            )
        );
        let mut p = pending("t");
        p.dry.comment = Some("c".repeat(MAX_COMMENT_BYTES + 1));
        assert!(check(p).is_err());
        let mut p = pending("t");
        p.dry
            .score_meta
            .insert("x".into(), "y".repeat(MAX_META_BYTES).into());
        assert!(check(p).is_err());
        let mut p = pending("t");
        p.dry.score_data.optional.insert(
            "gaugeHistory".into(),
            MetricValue::Graph(vec![Some(1.0); MAX_GRAPH_POINTS + 1]),
        );
        assert!(check(p).is_err());
        let mut p = pending("t");
        p.dry
            .score_data
            .set("lamp", "L".repeat(MAX_STRING_METRIC_BYTES + 1));
        assert!(check(p).is_err());
        let mut p = pending("t");
        p.query.key = ChartKey::BmsChartHash("f".repeat(MAX_KEY_BYTES + 1));
        assert!(check(p).is_err());
    }
}
