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
    ChartNotFound,
    /// A title matched several songs.
    AmbiguousTitle,
}
