//! Chart queries: what a converter asks the host to find, and the answers.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::documents::{ChartDocument, SongDocument};
use crate::game::{Gpt, string_enum};

string_enum! {
    /// How a record names its chart (BATCH-MANUAL's `matchType`).
    MatchType, "match type" {
        /// Song title (or alt title), case-insensitively, plus difficulty.
        SongTitle => "songTitle",
        /// Tachi's song id plus difficulty.
        TachiSongId => "tachiSongID",
        /// BMS md5 or sha256 of the chart.
        BmsChartHash => "bmsChartHash",
        /// ITG GrooveStats hash.
        ItgChartHash => "itgChartHash",
        /// SDVX in-game id plus difficulty (`ANY_INF` allowed).
        SdvxInGameId => "sdvxInGameID",
        /// Konami in-game id plus difficulty.
        InGameId => "inGameID",
        /// String in-game id plus difficulty.
        InGameStrId => "inGameStrID",
        /// USC chart sha1.
        UscChartHash => "uscChartHash",
        /// pop'n chart sha256.
        PopnChartHash => "popnChartHash",
        /// DDR song hash plus difficulty.
        DdrSongHash => "ddrSongHash",
    }
}

impl MatchType {
    /// Whether the match type needs a difficulty (the others name one chart).
    #[must_use]
    pub const fn needs_difficulty(self) -> bool {
        !matches!(
            self,
            MatchType::BmsChartHash
                | MatchType::ItgChartHash
                | MatchType::PopnChartHash
                | MatchType::UscChartHash
        )
    }
}

/// The SDVX pseudo-difficulty that matches whichever of INF/GRV/HVN/VVD/XCD exists.
pub const SDVX_ANY_INF: &str = "ANY_INF";

/// What identifies the song or chart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "matchType", content = "identifier")]
pub enum ChartKey {
    /// A title matched against titles and alt titles, with an optional artist.
    ///
    /// The first step is the one the import type's Tachi original takes: the
    /// exact (case-sensitive) match when `exact_first` (its e-amusement CSV
    /// converters), else the case-insensitive one (BATCH-MANUAL, S3). When the
    /// exact match finds nothing, the tolerant one (case, NBSP, spacing) is
    /// tried; when the insensitive match finds several songs, those matching
    /// exactly are kept. Songs still sharing the title are told apart by the
    /// chart the query asks for (playtype, difficulty, version, and `level`
    /// when the source states one): one song with such a chart is the answer;
    /// none or several is `AmbiguousTitle`.
    #[serde(rename = "songTitle")]
    SongTitle {
        /// The title.
        title: String,
        /// The artist, when the source gives one (a filter).
        artist: Option<String>,
        /// Whether the exact match comes first.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        exact_first: bool,
        /// The level the source states for the chart (a tie-breaker).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<String>,
    },
    /// Tachi's song id.
    #[serde(rename = "tachiSongID")]
    TachiSongId(i64),
    /// A Konami in-game id (`chart.data.inGameID`).
    #[serde(rename = "inGameID")]
    InGameId(i64),
    /// An IIDX in-game id of a chart that is not a 2dxtra chart
    /// (`chart.data.inGameID`, `chart.data.2dxtraSet` null: Tachi's
    /// `FindIIDXChartOnInGameIDVersion`).
    #[serde(rename = "iidxInGameID")]
    IidxInGameId(i64),
    /// An in-game id whatever the chart's primacy and versions: the first
    /// chart in the seeds' order with this id, playtype and difficulty
    /// (Tachi's `FindChartOnInGameID`, used by the CG jubeat and MYT
    /// converters; the query's version is not asked).
    #[serde(rename = "anyInGameID")]
    AnyInGameId(i64),
    /// A string in-game id (`chart.data.inGameStrID`).
    #[serde(rename = "inGameStrID")]
    InGameStrId(String),
    /// A SDVX in-game id (`chart.data.inGameID`; difficulty may be `ANY_INF`).
    #[serde(rename = "sdvxInGameID")]
    SdvxInGameId(i64),
    /// A DDR song hash (`song.data.ddrSongHash`).
    #[serde(rename = "ddrSongHash")]
    DdrSongHash(String),
    /// A BMS chart md5 or sha256.
    #[serde(rename = "bmsChartHash")]
    BmsChartHash(String),
    /// An ITG chart hash (`chart.data.hashGSv3`).
    #[serde(rename = "itgChartHash")]
    ItgChartHash(String),
    /// A chart hash (md5, sha256, ...) naming a chart of any playtype of the
    /// query's game: the chart found decides the playtype (Tachi's
    /// `FindBMSChartOnHash`, which LR2Hook's md5 is looked up with).
    #[serde(rename = "anyPlaytypeHash")]
    AnyPlaytypeHash(String),
    /// A USC chart sha1.
    #[serde(rename = "uscChartHash")]
    UscChartHash(String),
    /// A pop'n chart sha256.
    #[serde(rename = "popnChartHash")]
    PopnChartHash(String),
}

/// A request to find one chart (and its song) of one GPT.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChartQuery {
    /// The game and playtype the chart must have.
    pub gpt: Gpt,
    /// What names the song or chart.
    pub key: ChartKey,
    /// The difficulty, for keys that name a song.
    pub difficulty: Option<String>,
    /// A version the chart must appear in; `None` asks for the primary chart.
    pub version: Option<String>,
}

/// How a record's lookup is reported when it does not simply find a chart,
/// for formats whose Tachi converter words this itself: a message for no song
/// (or, for a lookup that finds a chart in one step, no chart), one for a song
/// found without the chart (which may name the song found), one for a title
/// several songs share, and a check Tachi makes only once the song is found.
///
/// Boxed: a pending score carries one, and most never need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound(Box<NotFoundWords>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct NotFoundWords {
    song: String,
    chart: Option<(String, Option<String>)>,
    ambiguous: Option<String>,
    /// The message, and whether the chart (not only its song) must be found.
    invalid_once_found: Option<(String, bool)>,
}

impl NotFound {
    /// One message, whatever was not found.
    pub fn new(message: impl Into<String>) -> Self {
        NotFound(Box::new(NotFoundWords {
            song: message.into(),
            chart: None,
            ambiguous: None,
            invalid_once_found: None,
        }))
    }

    /// `song` when no song matched; `chart` when the song was found but not
    /// the chart.
    pub fn song_then_chart(song: impl Into<String>, chart: impl Into<String>) -> Self {
        let mut n = NotFound::new(song);
        n.0.chart = Some((chart.into(), None));
        n
    }

    /// `song` when no song matched; when the song was found but not the
    /// chart, `before`, the found song's title, then `after`.
    pub fn song_then_chart_of(
        song: impl Into<String>,
        before: impl Into<String>,
        after: impl Into<String>,
    ) -> Self {
        let mut n = NotFound::new(song);
        n.0.chart = Some((before.into(), Some(after.into())));
        n
    }

    /// The message when several songs share the title asked for.
    #[must_use]
    pub fn with_ambiguous(mut self, message: impl Into<String>) -> Self {
        self.0.ambiguous = Some(message.into());
        self
    }

    /// A record Tachi checks only after finding its song (a difficulty its
    /// game lacks): when no song matches it is an orphan like any other; when
    /// the song is found, it is invalid with this message.
    #[must_use]
    pub fn invalid_once_found(mut self, message: impl Into<String>) -> Self {
        self.0.invalid_once_found = Some((message.into(), false));
        self
    }

    /// A record Tachi checks only after finding its chart (an API score's
    /// lamp or timestamp): when no chart matches it is an orphan; when the
    /// chart is found, it is invalid with this message.
    #[must_use]
    pub fn invalid_once_chart_found(mut self, message: impl Into<String>) -> Self {
        self.0.invalid_once_found = Some((message.into(), true));
        self
    }

    /// The message when no song matched.
    #[must_use]
    pub fn song_message(&self) -> &str {
        &self.0.song
    }

    /// The check left for after the song (or chart) is found, if any.
    #[must_use]
    pub fn invalid_message(&self) -> Option<&str> {
        self.0.invalid_once_found.as_ref().map(|(m, _)| m.as_str())
    }

    /// The check left for later, when `resolution` found what it waits for.
    #[must_use]
    pub fn invalid_for(&self, resolution: &ChartResolution) -> Option<&str> {
        let (message, chart_only) = self.0.invalid_once_found.as_ref()?;
        match resolution {
            ChartResolution::Found { .. } => Some(message),
            ChartResolution::ChartNotFound { .. } if !chart_only => Some(message),
            _ => None,
        }
    }

    /// The message for `resolution`, when this says one: `None` for a chart
    /// found, and for a shared title when no message was given for it.
    #[must_use]
    pub fn message(&self, resolution: &ChartResolution) -> Option<String> {
        match resolution {
            ChartResolution::Found { .. } => None,
            ChartResolution::SongNotFound => Some(self.0.song.clone()),
            ChartResolution::ChartNotFound { song } => Some(match &self.0.chart {
                None => self.0.song.clone(),
                Some((text, None)) => text.clone(),
                Some((before, Some(after))) => format!("{before}{}{after}", song.title),
            }),
            ChartResolution::AmbiguousTitle => self.0.ambiguous.clone(),
        }
    }
}

impl From<String> for NotFound {
    fn from(message: String) -> Self {
        NotFound::new(message)
    }
}

/// The host's answer to a [`ChartQuery`].
#[derive(Debug, Clone, PartialEq)]
pub enum ChartResolution {
    /// The chart and its song.
    Found {
        /// The chart.
        chart: Arc<ChartDocument>,
        /// The chart's song.
        song: Arc<SongDocument>,
    },
    /// No song matched.
    SongNotFound,
    /// The song exists but has no such chart.
    ChartNotFound {
        /// The song found (for a chart-hash lookup, the song of the chart
        /// the hash names, found on another playtype).
        song: Arc<SongDocument>,
    },
    /// A title matched several songs.
    AmbiguousTitle,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn song(title: &str) -> Arc<SongDocument> {
        Arc::new(
            serde_json::from_value(serde_json::json!({
                "id": 1, "title": title, "artist": "a", "altTitles": [], "searchTerms": [], "data": {}
            }))
            .expect("song"),
        )
    }

    #[test]
    fn not_found_words_each_resolution_as_the_format_says() {
        let missing_chart = ChartResolution::ChartNotFound {
            song: song("Found Title"),
        };
        let one = NotFound::new("gone");
        assert_eq!(
            one.message(&ChartResolution::SongNotFound).as_deref(),
            Some("gone")
        );
        assert_eq!(one.message(&missing_chart).as_deref(), Some("gone"));
        assert_eq!(one.message(&ChartResolution::AmbiguousTitle), None);

        let fixed = NotFound::song_then_chart("no song", "no chart");
        assert_eq!(fixed.message(&missing_chart).as_deref(), Some("no chart"));

        let titled =
            NotFound::song_then_chart_of("no song", "Cannot find chart for ", " (SP HYPER)")
                .with_ambiguous("two songs");
        assert_eq!(
            titled.message(&ChartResolution::SongNotFound).as_deref(),
            Some("no song")
        );
        assert_eq!(
            titled.message(&missing_chart).as_deref(),
            Some("Cannot find chart for Found Title (SP HYPER)")
        );
        assert_eq!(
            titled.message(&ChartResolution::AmbiguousTitle).as_deref(),
            Some("two songs")
        );
        assert_eq!(titled.invalid_message(), None);
        let song_found = titled.clone().invalid_once_found("bad difficulty");
        assert_eq!(song_found.invalid_message(), Some("bad difficulty"));
        assert_eq!(
            song_found.invalid_for(&missing_chart),
            Some("bad difficulty")
        );
        assert_eq!(song_found.invalid_for(&ChartResolution::SongNotFound), None);
        // Checks after the chart: a song without the chart is still an orphan.
        let chart_found = titled.invalid_once_chart_found("bad lamp");
        assert_eq!(chart_found.invalid_for(&missing_chart), None);
        // A chart found needs no words.
        let found = ChartResolution::Found {
            chart: Arc::new(
                serde_json::from_value(serde_json::json!({
                    "chartID": "c", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": true,
                    "difficulty": "HYPER", "playtype": "SP", "versions": [], "data": {}
                }))
                .expect("chart"),
            ),
            song: song("x"),
        };
        assert_eq!(NotFound::new("gone").message(&found), None);
        assert_eq!(chart_found.invalid_for(&found), Some("bad lamp"));
    }
}
