//! Charts created from play (Tachi's orphan-chart queue): a score whose chart
//! the seeds lack, from a hook that describes its chart, queues that chart
//! under its player; once enough distinct players have sent scores on it, the
//! song and chart are created and the score imported. The waiting orphans of
//! the other players are re-processed once the import commits.

use std::sync::Arc;

use kaiden_core::documents::{ChartDocument, PendingChart, SongDocument};
use kaiden_core::format::ProposedChart;
use kaiden_core::host::ImportTransaction;
use kaiden_core::{ImportError, UserId};

/// A chart this import created, and the players who had sent scores on it.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedChart {
    /// The chart as stored.
    pub chart: Arc<ChartDocument>,
    /// Its song as stored.
    pub song: Arc<SongDocument>,
    /// The players in the queue when it was created (this import's included).
    pub users: Vec<UserId>,
}

/// Queues `proposal` under `user`; creates the chart when its players are
/// enough. `Some` when it was created (by this call).
pub(crate) async fn propose<T: ImportTransaction>(
    tx: &mut T,
    proposal: ProposedChart,
    user: UserId,
) -> Result<Option<CreatedChart>, ImportError> {
    let mut pending = match tx.pending_chart(&proposal.key).await? {
        Some(p) => p,
        None => PendingChart {
            key: proposal.key.clone(),
            gpt: proposal.gpt,
            song: proposal.song,
            chart: proposal.chart,
            users: Vec::new(),
            players_needed: proposal.players_needed,
        },
    };
    pending.players_needed = proposal.players_needed;
    if !pending.users.contains(&user) {
        pending.users.push(user);
    }
    if pending.users.len() < proposal.players_needed.max(1) {
        tx.put_pending_chart(&pending).await?;
        return Ok(None);
    }
    // The queue's first description is the one kept (Tachi's), with a fresh
    // chartID as Tachi gives one.
    let mut chart = pending.chart.clone();
    chart.chart_id = crate::ids::new_chart_id()?;
    let song_id = tx
        .insert_song_and_chart(pending.gpt.game(), &pending.song, &chart)
        .await?;
    tx.remove_pending_chart(&pending.key).await?;
    let mut song = pending.song.clone();
    song.id = song_id;
    chart.song_id = song_id;
    Ok(Some(CreatedChart {
        chart: Arc::new(chart),
        song: Arc::new(song),
        users: pending.users,
    }))
}
