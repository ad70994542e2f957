//! A user's stored scores written back out as BATCH-MANUAL documents (one per
//! game+playtype, and per game version where a chart is named through one),
//! such that importing them for the same user into a store with the same
//! seeds gives the same scoreIDs: every provided metric, the judgements, the
//! optional metrics, `timeAchieved`, the comment and `scoreMeta` are written
//! as stored, and each score names its chart in a way that is checked to
//! resolve to that very chart.
//!
//! The chart is named by the first of these that the GPT's BATCH-MANUAL
//! accepts and that the host resolves back to the score's chart: Tachi's song
//! id and the difficulty (without a version, then with each of the chart's
//! versions: a chart that is not the primary one needs its version), the
//! in-game ids, the chart hashes (BMS, pop'n, USC, ITG), the song title. A
//! score whose chart none of them names is reported, not written.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kaiden_core::documents::{ChartDocument, SongDocument};
use kaiden_core::format::ImportFormat;
use kaiden_core::host::{ChartLookup, Host, HostError};
use kaiden_core::query::{ChartQuery, ChartResolution, MatchType};
use kaiden_core::score::{ScoreDocument, UserId};
use kaiden_core::{Game, Gpt, ImportType};
use kaiden_games::config::GptConfig;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{BatchContext, BatchManual, BatchScore};

/// The `meta.service` of exported documents.
pub const EXPORT_SERVICE: &str = "kaiden export";

/// How many scores are read from the host at a time.
const PAGE: usize = 1000;

/// One BATCH-MANUAL document of an export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedDocument {
    /// Its game+playtype.
    pub gpt: Gpt,
    /// Its `meta.version`, when its scores name charts of one version.
    pub version: Option<String>,
    /// The document (`{"meta": ..., "scores": [...]}`).
    pub document: Value,
}

impl ExportedDocument {
    /// How many scores it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.document["scores"].as_array().map_or(0, Vec::len)
    }

    /// Whether it holds no score.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A file name for it: `<game>-<playtype>[-<version>].json`.
    #[must_use]
    pub fn file_name(&self) -> String {
        let safe = |s: &str| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        };
        match &self.version {
            Some(v) => format!(
                "{}-{}-{}.json",
                self.gpt.game(),
                self.gpt.playtype(),
                safe(v)
            ),
            None => format!("{}-{}.json", self.gpt.game(), self.gpt.playtype()),
        }
    }
}

/// A stored score the export could not write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unexported {
    /// Its scoreID.
    #[serde(rename = "scoreID")]
    pub score_id: String,
    /// Its chart.
    #[serde(rename = "chartID")]
    pub chart_id: String,
    /// Why.
    pub reason: String,
}

/// What [`export`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Export {
    /// The documents, by game+playtype and version.
    pub documents: Vec<ExportedDocument>,
    /// Scores not written, with the reason.
    pub unexported: Vec<Unexported>,
}

/// One way of naming a chart in a BATCH-MANUAL score.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Naming {
    match_type: MatchType,
    identifier: String,
    difficulty: Option<String>,
    version: Option<String>,
}

/// The namings to try for a chart, best first.
fn namings(gpt: Gpt, chart: &ChartDocument, song: Option<&SongDocument>) -> Vec<Naming> {
    let conf = GptConfig::of(gpt);
    let versions: Vec<Option<String>> = std::iter::once(None)
        .chain(
            chart
                .versions
                .iter()
                .filter(|v| conf.has_version(v))
                .map(|v| Some(v.clone())),
        )
        .collect();
    let diff = Some(chart.difficulty.clone());
    let mut out = Vec::new();
    let by_song = |match_type: MatchType, identifier: String, out: &mut Vec<Naming>| {
        if conf.supports_match_type(match_type) {
            for v in &versions {
                out.push(Naming {
                    match_type,
                    identifier: identifier.clone(),
                    difficulty: diff.clone(),
                    version: v.clone(),
                });
            }
        }
    };
    if let Some(song) = song {
        by_song(MatchType::TachiSongId, song.id.to_string(), &mut out);
    }
    let d = &chart.data;
    for id in d.in_game_id.iter().flat_map(|ids| ids.iter()) {
        by_song(MatchType::InGameId, id.to_string(), &mut out);
        by_song(MatchType::SdvxInGameId, id.to_string(), &mut out);
    }
    if let Some(id) = &d.in_game_str_id {
        by_song(MatchType::InGameStrId, id.clone(), &mut out);
    }
    let mut by_hash = |match_type: MatchType, hash: &String| {
        if conf.supports_match_type(match_type) {
            out.push(Naming {
                match_type,
                identifier: hash.clone(),
                difficulty: None,
                version: None,
            });
        }
    };
    for h in d
        .hash_md5
        .iter()
        .chain(d.hash_sha256.iter().flat_map(|h| h.iter()))
    {
        by_hash(MatchType::BmsChartHash, h);
    }
    for h in d.hash_sha256.iter().flat_map(|h| h.iter()) {
        by_hash(MatchType::PopnChartHash, h);
    }
    for h in d.hash_sha1.iter().flat_map(|h| h.iter()) {
        by_hash(MatchType::UscChartHash, h);
    }
    if let Some(h) = &d.hash_gsv3 {
        by_hash(MatchType::ItgChartHash, h);
    }
    if let Some(song) = song {
        by_song(MatchType::SongTitle, song.title.clone(), &mut out);
    }
    out
}

/// The chart query BATCH-MANUAL's converter makes of a naming (`None` when it
/// refuses it).
fn query_of(gpt: Gpt, n: &Naming) -> Option<ChartQuery> {
    let record = Box::new(BatchScore {
        match_type: Some(n.match_type.as_str().to_owned()),
        identifier: Some(n.identifier.clone()),
        difficulty: n.difficulty.clone(),
        ..BatchScore::default()
    });
    let context = BatchContext {
        gpt,
        service: EXPORT_SERVICE.to_owned(),
        version: n.version.clone(),
    };
    BatchManual::new()
        .convert(ImportType::FILE_BATCH_MANUAL, &record, &context)
        .ok()
        .map(|p| p.query)
}

/// A stored score as a BATCH-MANUAL score naming its chart by `n`.
fn score_json(gpt: Gpt, score: &ScoreDocument, n: &Naming) -> Value {
    let conf = GptConfig::of(gpt);
    let mut o = Map::new();
    for m in conf.provided_metrics {
        if let Some(v) = score.score_data.metrics.get(m.name) {
            o.insert(
                m.name.to_owned(),
                serde_json::to_value(v).unwrap_or(Value::Null),
            );
        }
    }
    o.insert("matchType".into(), n.match_type.as_str().into());
    o.insert("identifier".into(), n.identifier.clone().into());
    if let Some(d) = &n.difficulty {
        o.insert("difficulty".into(), d.clone().into());
    }
    o.insert(
        "timeAchieved".into(),
        score.time_achieved.map_or(Value::Null, Value::from),
    );
    if let Some(c) = &score.comment {
        o.insert("comment".into(), c.clone().into());
    }
    let sd = &score.score_data;
    if !sd.judgements.is_empty() {
        o.insert(
            "judgements".into(),
            serde_json::to_value(&sd.judgements).unwrap_or(Value::Null),
        );
    }
    if !sd.optional.is_empty() {
        o.insert(
            "optional".into(),
            serde_json::to_value(&sd.optional).unwrap_or(Value::Null),
        );
    }
    if !score.score_meta.is_empty() {
        o.insert("scoreMeta".into(), Value::Object(score.score_meta.clone()));
    }
    Value::Object(o)
}

/// Exports `user`'s stored scores (of one GPT when `gpt` is given), reading
/// them from `host` a page at a time.
///
/// # Errors
/// The host's, when a read fails.
pub async fn export<H: Host + ChartLookup>(
    host: &H,
    user: UserId,
    gpt: Option<Gpt>,
) -> Result<Export, HostError> {
    let mut files: BTreeMap<(Gpt, Option<String>), Vec<Value>> = BTreeMap::new();
    let mut unexported = Vec::new();
    let mut after = None;
    loop {
        let page = host.user_scores(user, after, PAGE).await?;
        let scores: Vec<ScoreDocument> = page
            .scores
            .into_iter()
            .filter(|s| gpt.is_none() || s.gpt() == gpt)
            .collect();
        // The charts and songs of the page, per game.
        let mut chart_ids: HashMap<Game, Vec<String>> = HashMap::new();
        for s in &scores {
            chart_ids
                .entry(s.game)
                .or_default()
                .push(s.chart_id.clone());
        }
        let mut charts: HashMap<String, Arc<ChartDocument>> = HashMap::new();
        let mut songs: HashMap<(Game, i64), Arc<SongDocument>> = HashMap::new();
        for (game, mut ids) in chart_ids {
            ids.sort_unstable();
            ids.dedup();
            let found = host.charts_by_id(game, &ids).await?;
            let mut song_ids: Vec<i64> = found.iter().map(|c| c.song_id).collect();
            song_ids.sort_unstable();
            song_ids.dedup();
            for s in host.songs_by_id(game, &song_ids).await? {
                songs.insert((game, s.id), s);
            }
            for c in found {
                charts.insert(c.chart_id.clone(), c);
            }
        }
        // Each score's namings, tried a round at a time (one batched lookup
        // per round) until one resolves back to its chart.
        let mut open: Vec<(usize, Gpt, Vec<Naming>, usize)> = Vec::new();
        for (i, s) in scores.iter().enumerate() {
            let (Some(g), Some(chart)) = (s.gpt(), charts.get(&s.chart_id)) else {
                unexported.push(Unexported {
                    score_id: s.score_id.clone(),
                    chart_id: s.chart_id.clone(),
                    reason: "its chart is no longer in the seeds".into(),
                });
                continue;
            };
            let song = songs.get(&(s.game, chart.song_id)).map(|s| &**s);
            open.push((i, g, namings(g, chart, song), 0));
        }
        while !open.is_empty() {
            let mut queries = Vec::new();
            let mut asked = Vec::new();
            let mut still = Vec::new();
            for (i, g, ns, mut next) in open.drain(..) {
                let query = loop {
                    match ns.get(next) {
                        None => break None,
                        Some(n) => match query_of(g, n) {
                            Some(q) => break Some(q),
                            None => next += 1,
                        },
                    }
                };
                match query {
                    Some(q) => {
                        queries.push(q);
                        asked.push((i, g, ns, next));
                    }
                    None => unexported.push(Unexported {
                        score_id: scores[i].score_id.clone(),
                        chart_id: scores[i].chart_id.clone(),
                        reason: "no BATCH-MANUAL match type of its game names its chart".into(),
                    }),
                }
            }
            let answers = host.resolve_charts(&queries).await?;
            for ((i, g, ns, next), answer) in asked.into_iter().zip(answers) {
                let hit = matches!(&answer, ChartResolution::Found { chart, .. } if chart.chart_id == scores[i].chart_id);
                if hit {
                    let n = &ns[next];
                    files
                        .entry((g, n.version.clone()))
                        .or_default()
                        .push(score_json(g, &scores[i], n));
                } else {
                    still.push((i, g, ns, next + 1));
                }
            }
            open = still;
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let documents = files
        .into_iter()
        .map(|((gpt, version), scores)| {
            let mut meta = Map::new();
            meta.insert("game".into(), gpt.game().as_str().into());
            meta.insert("playtype".into(), gpt.playtype().as_str().into());
            meta.insert("service".into(), EXPORT_SERVICE.into());
            if let Some(v) = &version {
                meta.insert("version".into(), v.clone().into());
            }
            let mut doc = Map::new();
            doc.insert("meta".into(), Value::Object(meta));
            doc.insert("scores".into(), Value::Array(scores));
            ExportedDocument {
                gpt,
                version,
                document: Value::Object(doc),
            }
        })
        .collect();
    Ok(Export {
        documents,
        unexported,
    })
}
