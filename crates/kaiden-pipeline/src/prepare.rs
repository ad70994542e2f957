//! Between conversion and storing: chart resolution in batches, the chart
//! checks and the scoreID, then hydration (derived metrics, ratings) and
//! validation.

use super::*;

pub(crate) fn describe_query(q: &ChartQuery) -> String {
    let what = match &q.key {
        ChartKey::SongTitle { title, .. } => format!("title {title:?}"),
        ChartKey::TachiSongId(id) => format!("tachiSongID {id}"),
        ChartKey::InGameId(id)
        | ChartKey::SdvxInGameId(id)
        | ChartKey::IidxInGameId(id)
        | ChartKey::AnyInGameId(id) => {
            format!("inGameID {id}")
        }
        ChartKey::InGameStrId(id) => format!("inGameStrID {id:?}"),
        ChartKey::DdrSongHash(h) => format!("ddrSongHash {h}"),
        ChartKey::BmsChartHash(h)
        | ChartKey::ItgChartHash(h)
        | ChartKey::UscChartHash(h)
        | ChartKey::PopnChartHash(h)
        | ChartKey::AnyPlaytypeHash(h) => format!("chart hash {h}"),
    };
    let mut s = format!("{} {what}", q.gpt);
    if let Some(d) = &q.difficulty {
        s.push_str(&format!(" {d}"));
    }
    if let Some(v) = &q.version {
        s.push_str(&format!(" (version {v})"));
    }
    s
}

/// A record's chart and song from the host's answer, or why it has none:
/// the format's own words first ([`NotFound`]), else the pipeline's.
pub(crate) fn settle(
    p: &PendingScore,
    r: Option<ChartResolution>,
) -> Result<(Arc<ChartDocument>, Arc<SongDocument>), ConverterFailure> {
    let r = r.unwrap_or(ChartResolution::SongNotFound);
    let words = p.not_found.as_ref();
    // Checks Tachi makes only once the song (or chart) is found.
    if let Some(message) = words.and_then(|w| w.invalid_for(&r)) {
        return Err(ConverterFailure::InvalidScore(message.to_owned()));
    }
    if let ChartResolution::Found { chart, song } = r {
        return Ok((chart, song));
    }
    let q = &p.query;
    let said = words.and_then(|w| w.message(&r));
    Err(match r {
        ChartResolution::AmbiguousTitle => {
            let title = match &q.key {
                ChartKey::SongTitle { title, .. } => title.clone(),
                _ => String::new(),
            };
            // Tachi's exact-title lookup's words, unless the format has its own.
            let message = said.unwrap_or_else(|| {
                format!(
                    "Multiple songs exist with the title {title}. We cannot resolve this. \
                     Please try and use a different song resolution method."
                )
            });
            ConverterFailure::AmbiguousTitle { message, title }
        }
        ChartResolution::ChartNotFound { .. } => ConverterFailure::SongOrChartNotFound(
            said.unwrap_or_else(|| format!("Could not find chart for {}.", describe_query(q))),
        ),
        _ => ConverterFailure::SongOrChartNotFound(
            said.unwrap_or_else(|| format!("Could not find song for {}.", describe_query(q))),
        ),
    })
}

/// A record of a batch between chart resolution and preparation. (A found
/// score is boxed as it came from conversion; a slots buffer is reused
/// batch after batch, so the variants' sizes matter little.)
#[allow(clippy::large_enum_variant)]
pub(crate) enum Slot {
    /// Failed (an entry to report, if any) or kept as an orphan.
    Done(Result<Prepared, Option<ImportErrorEntry>>),
    /// Its chart was found; to be prepared.
    Found(Box<PendingScore>, Arc<ChartDocument>, Arc<SongDocument>),
}

/// A score with its chart, its scoreID computed, not yet hydrated.
pub(crate) struct Prepared {
    pub(crate) gpt: Gpt,
    pub(crate) dry: DryScore,
    pub(crate) chart: Arc<ChartDocument>,
    pub(crate) song: Arc<SongDocument>,
    pub(crate) score_id: String,
    /// The source asks that a stored score with this scoreID be highlighted.
    pub(crate) highlight: bool,
}

pub(crate) fn prepare(
    format: &dyn DynFormat,
    user: UserId,
    pending: PendingScore,
    chart: Arc<ChartDocument>,
    song: Arc<SongDocument>,
) -> Result<Prepared, ConverterFailure> {
    let PendingScore {
        mut dry,
        expected_level,
        highlight,
        ..
    } = pending;
    if let Some(level) = expected_level {
        if !kaiden_games::catalog::level_matches(&level, &chart) {
            return Err(ConverterFailure::InvalidScore(format!(
                "{} [{}] - Should be level {}, but found level {level}.",
                song.title, chart.difficulty, chart.level
            )));
        }
    }
    format.check_with_chart(&mut dry, &chart, &song)?;
    let gpt = dry.game.with_playtype(chart.playtype).ok_or_else(|| {
        ConverterFailure::Internal(format!(
            "chart {} has playtype {} outside {}",
            chart.chart_id, chart.playtype, dry.game
        ))
    })?;
    let score_id = score_id(gpt, user, &chart.chart_id, &dry.score_data)
        .map_err(|e| ConverterFailure::Internal(e.to_string()))?;
    Ok(Prepared {
        gpt,
        dry,
        chart,
        song,
        score_id,
        highlight,
    })
}

pub(crate) fn finish(
    mut p: Prepared,
    user: UserId,
    now: i64,
) -> Result<ScoreDocument, ConverterFailure> {
    let (score_data, calculated_data) =
        hydrate_score_data_owned(p.gpt, std::mem::take(&mut p.dry.score_data), &p.chart)?;
    validate_score(p.gpt, &score_data, p.dry.time_achieved, &p.chart, now)?;
    Ok(ScoreDocument {
        score_id: p.score_id,
        user_id: user,
        chart_id: p.chart.chart_id.clone(),
        song_id: p.song.id,
        game: p.dry.game,
        playtype: p.chart.playtype,
        is_primary: p.chart.is_primary,
        service: p.dry.service,
        import_type: p.dry.import_type,
        time_achieved: p.dry.time_achieved,
        time_added: now,
        comment: p.dry.comment,
        highlight: false,
        score_data,
        score_meta: p.dry.score_meta,
        calculated_data,
    })
}

/// Resolves the queries of a batch, each distinct query once.
pub(crate) async fn resolve_batch<L: ChartLookup>(
    lookup: &L,
    batch: &[Converted],
) -> Result<Vec<Option<ChartResolution>>, ImportError> {
    let mut index: FastMap<&ChartQuery, usize> = FastMap::default();
    let mut queries: Vec<ChartQuery> = Vec::new();
    for c in batch {
        if let Ok(p) = &c.outcome {
            if !index.contains_key(&p.query) {
                index.insert(&p.query, queries.len());
                queries.push(p.query.clone());
            }
        }
    }
    let answers = lookup.resolve_charts(&queries).await?;
    if answers.len() != queries.len() {
        return Err(ImportError::internal(format!(
            "host answered {} of {} chart queries",
            answers.len(),
            queries.len()
        )));
    }
    Ok(batch
        .iter()
        .map(|c| {
            c.outcome
                .as_ref()
                .ok()
                .and_then(|p| index.get(&p.query))
                .map(|i| answers[*i].clone())
        })
        .collect())
}
