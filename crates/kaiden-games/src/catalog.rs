//! An in-memory song/chart catalogue of one game that answers [`ChartQuery`]s the
//! way Tachi's lookups do. Any host can build one from its songs and charts (the
//! SQLite host caches one per game); resolving a query is a few hash lookups.

use std::collections::HashMap;
use std::sync::Arc;

use kaiden_core::documents::{ChartDocument, OneOrMany, SongDocument};
use kaiden_core::game::{Game, Playtype};
use kaiden_core::query::{ChartKey, ChartQuery, ChartResolution, SDVX_ANY_INF};

/// The SDVX difficulties `ANY_INF` stands for.
const SDVX_INF_DIFFICULTIES: [&str; 5] = ["INF", "GRV", "HVN", "VVD", "XCD"];

/// The songs and charts of one game, indexed for every match type.
#[derive(Debug, Default)]
pub struct Catalog {
    game: Option<Game>,
    songs: Vec<Arc<SongDocument>>,
    song_by_id: HashMap<i64, usize>,
    song_by_title: HashMap<String, Vec<usize>>,
    /// Titles and alt titles as written.
    song_by_exact_title: HashMap<String, Vec<usize>>,
    song_by_ddr_hash: HashMap<String, usize>,
    charts: Vec<Arc<ChartDocument>>,
    charts_by_song: HashMap<(i64, Playtype), Vec<usize>>,
    charts_by_in_game_id: HashMap<(Playtype, i64), Vec<usize>>,
    charts_by_in_game_str_id: HashMap<(Playtype, String), Vec<usize>>,
    charts_by_hash: HashMap<String, Vec<usize>>,
}

/// Case-folds a title the way Tachi's case-insensitive match compares it, reads
/// a non-breaking space as a space (Konami's exports write either), and
/// collapses runs of spaces (the tolerant match).
fn fold(s: &str) -> String {
    let lower = s.to_lowercase().replace('\u{a0}', " ");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a level a source states (`18`, `18.1`) is the chart's: its level
/// as written, its `levelNum` (seeds with decimal levels), or, for a decimal,
/// its integer part (SDVX exports now write decimals the seeds may not have).
#[must_use]
pub fn level_matches(stated: &str, chart: &ChartDocument) -> bool {
    let stated = stated.trim();
    if stated == chart.level {
        return true;
    }
    let Ok(n) = stated.parse::<f64>() else {
        return false;
    };
    #[allow(clippy::float_cmp)]
    if n == chart.level_num {
        return true;
    }
    stated
        .split_once('.')
        .is_some_and(|(int, _)| int == chart.level)
}

impl Catalog {
    /// Indexes the songs and charts of `game`.
    #[must_use]
    pub fn new(game: Game, songs: Vec<SongDocument>, charts: Vec<ChartDocument>) -> Self {
        let mut c = Catalog {
            game: Some(game),
            ..Catalog::default()
        };
        for song in songs {
            let i = c.songs.len();
            c.song_by_id.insert(song.id, i);
            let mut titles: Vec<String> = Vec::with_capacity(1 + song.alt_titles.len());
            titles.push(fold(&song.title));
            titles.extend(song.alt_titles.iter().map(|t| fold(t)));
            titles.sort();
            titles.dedup();
            for t in titles {
                c.song_by_title.entry(t).or_default().push(i);
            }
            let mut exact: Vec<&String> = std::iter::once(&song.title)
                .chain(song.alt_titles.iter())
                .collect();
            exact.sort();
            exact.dedup();
            for t in exact {
                c.song_by_exact_title.entry(t.clone()).or_default().push(i);
            }
            if let Some(h) = song.data_str("ddrSongHash") {
                c.song_by_ddr_hash.insert(h.to_owned(), i);
            }
            c.songs.push(Arc::new(song));
        }
        for chart in charts {
            let i = c.charts.len();
            c.charts_by_song
                .entry((chart.song_id, chart.playtype))
                .or_default()
                .push(i);
            if let Some(ids) = &chart.data.in_game_id {
                for id in ids.iter() {
                    c.charts_by_in_game_id
                        .entry((chart.playtype, *id))
                        .or_default()
                        .push(i);
                }
            }
            if let Some(id) = &chart.data.in_game_str_id {
                c.charts_by_in_game_str_id
                    .entry((chart.playtype, id.clone()))
                    .or_default()
                    .push(i);
            }
            let d = &chart.data;
            let hashes = d
                .hash_md5
                .iter()
                .chain(d.hash_gsv3.iter())
                .chain(d.hash_sha256.iter().flat_map(OneOrMany::iter))
                .chain(d.hash_sha1.iter().flat_map(OneOrMany::iter));
            for h in hashes {
                c.charts_by_hash.entry(h.clone()).or_default().push(i);
            }
            c.charts.push(Arc::new(chart));
        }
        c
    }

    /// The game, if the catalogue was built for one.
    #[must_use]
    pub fn game(&self) -> Option<Game> {
        self.game
    }

    /// How many songs and charts it holds.
    #[must_use]
    pub fn len(&self) -> (usize, usize) {
        (self.songs.len(), self.charts.len())
    }

    /// Whether it holds no charts.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.charts.is_empty()
    }

    /// A song by Tachi id.
    #[must_use]
    pub fn song(&self, id: i64) -> Option<&Arc<SongDocument>> {
        self.song_by_id.get(&id).map(|i| &self.songs[*i])
    }

    /// Every chart, in load order.
    #[must_use]
    pub fn charts(&self) -> &[Arc<ChartDocument>] {
        &self.charts
    }

    /// The charts with these chartIDs, each once, in catalogue order (one pass
    /// over the catalogue; unknown ids are left out). Hosts answer
    /// `ChartLookup::charts_by_id` with it.
    #[must_use]
    pub fn charts_by_id(&self, ids: &[String]) -> Vec<Arc<ChartDocument>> {
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.charts
            .iter()
            .filter(|c| wanted.contains(c.chart_id.as_str()))
            .cloned()
            .collect()
    }

    /// The songs with these ids, in the order asked (unknown ids are left out).
    #[must_use]
    pub fn songs_by_id(&self, ids: &[i64]) -> Vec<Arc<SongDocument>> {
        ids.iter().filter_map(|i| self.song(*i).cloned()).collect()
    }

    /// A chart by chartID (linear; for tests and tools, not the hot path).
    #[must_use]
    pub fn chart(&self, chart_id: &str) -> Option<&Arc<ChartDocument>> {
        self.charts.iter().find(|c| c.chart_id == chart_id)
    }

    /// The answer when `candidates` (charts the key names) hold none of the
    /// playtype, difficulty and version asked: the song of the first.
    fn not_among(&self, candidates: &[usize]) -> ChartResolution {
        candidates
            .first()
            .and_then(|&i| self.song(self.charts[i].song_id))
            .map_or(ChartResolution::SongNotFound, |song| {
                ChartResolution::ChartNotFound {
                    song: Arc::clone(song),
                }
            })
    }

    fn found(&self, chart: usize) -> ChartResolution {
        let chart = Arc::clone(&self.charts[chart]);
        match self.song(chart.song_id) {
            Some(song) => ChartResolution::Found {
                chart,
                song: Arc::clone(song),
            },
            // A chart whose song is missing cannot be imported; it is reported as
            // unknown so the record is kept as an orphan, never lost.
            None => ChartResolution::SongNotFound,
        }
    }

    /// Picks the chart among `candidates` that matches playtype, difficulty and
    /// version (or `isPrimary` when the query names no version).
    fn pick(&self, candidates: &[usize], q: &ChartQuery, need_difficulty: bool) -> Option<usize> {
        let playtype = q.gpt.playtype();
        candidates.iter().copied().find(|&i| {
            let c = &self.charts[i];
            if c.playtype != playtype {
                return false;
            }
            if need_difficulty {
                match q.difficulty.as_deref() {
                    Some(SDVX_ANY_INF)
                        if !SDVX_INF_DIFFICULTIES.contains(&c.difficulty.as_str()) =>
                    {
                        return false;
                    }
                    Some(SDVX_ANY_INF) => {}
                    Some(d) if d != c.difficulty => return false,
                    _ => {}
                }
            }
            match &q.version {
                Some(v) => c.versions.iter().any(|x| x == v),
                None => c.is_primary,
            }
        })
    }

    fn chart_of_song(&self, song: usize, q: &ChartQuery) -> ChartResolution {
        let id = self.songs[song].id;
        let candidates = self
            .charts_by_song
            .get(&(id, q.gpt.playtype()))
            .map_or(&[][..], Vec::as_slice);
        match self.pick(candidates, q, true) {
            Some(i) => self.found(i),
            None => ChartResolution::ChartNotFound {
                song: Arc::clone(&self.songs[song]),
            },
        }
    }

    /// Answers one query.
    #[must_use]
    pub fn resolve(&self, q: &ChartQuery) -> ChartResolution {
        if self.game.is_some_and(|g| g != q.gpt.game()) {
            return ChartResolution::SongNotFound;
        }
        let by_chart = |candidates: Option<&Vec<usize>>, need_difficulty: bool| match candidates {
            None => ChartResolution::SongNotFound,
            Some(c) => match self.pick(c, q, need_difficulty) {
                Some(i) => self.found(i),
                None => self.not_among(c),
            },
        };
        let playtype = q.gpt.playtype();
        match &q.key {
            ChartKey::SongTitle {
                title,
                artist,
                exact_first,
                level,
            } => {
                let keep = |v: Option<&Vec<usize>>| -> Vec<usize> {
                    v.map(|v| {
                        v.iter()
                            .copied()
                            .filter(|&i| {
                                artist
                                    .as_ref()
                                    .is_none_or(|a| fold(a) == fold(&self.songs[i].artist))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
                };
                let exact = keep(self.song_by_exact_title.get(title.as_str()));
                let tolerant = || keep(self.song_by_title.get(&fold(title)));
                let hits = if *exact_first {
                    if exact.is_empty() { tolerant() } else { exact }
                } else {
                    let t = tolerant();
                    if t.len() > 1 && !exact.is_empty() {
                        exact
                    } else {
                        t
                    }
                };
                match hits.as_slice() {
                    [] => ChartResolution::SongNotFound,
                    [one] => self.chart_of_song(*one, q),
                    several => {
                        // The chart asked for tells the songs apart.
                        let found: Vec<ChartResolution> = several
                            .iter()
                            .map(|&i| self.chart_of_song(i, q))
                            .filter(|r| match r {
                                ChartResolution::Found { chart, .. } => {
                                    level.as_deref().is_none_or(|l| level_matches(l, chart))
                                }
                                _ => false,
                            })
                            .collect();
                        match <[ChartResolution; 1]>::try_from(found) {
                            Ok([one]) => one,
                            Err(_) => ChartResolution::AmbiguousTitle,
                        }
                    }
                }
            }
            ChartKey::TachiSongId(id) => match self.song_by_id.get(id) {
                Some(&i) => self.chart_of_song(i, q),
                None => ChartResolution::SongNotFound,
            },
            ChartKey::DdrSongHash(h) => match self.song_by_ddr_hash.get(h) {
                Some(&i) => self.chart_of_song(i, q),
                None => ChartResolution::SongNotFound,
            },
            ChartKey::InGameId(id) | ChartKey::SdvxInGameId(id) => {
                by_chart(self.charts_by_in_game_id.get(&(playtype, *id)), true)
            }
            ChartKey::IidxInGameId(id) => {
                // Tachi's IIDX lookup leaves 2dxtra charts out.
                let plain: Option<Vec<usize>> =
                    self.charts_by_in_game_id.get(&(playtype, *id)).map(|c| {
                        c.iter()
                            .copied()
                            .filter(|&i| {
                                self.charts[i]
                                    .data
                                    .extra
                                    .get("2dxtraSet")
                                    .is_none_or(|v| v.is_null())
                            })
                            .collect()
                    });
                by_chart(plain.as_ref().filter(|c| !c.is_empty()), true)
            }
            ChartKey::AnyInGameId(id) => match self.charts_by_in_game_id.get(&(playtype, *id)) {
                None => ChartResolution::SongNotFound,
                Some(c) => match c.iter().copied().find(|&i| {
                    let chart = &self.charts[i];
                    chart.playtype == playtype
                        && q.difficulty
                            .as_deref()
                            .is_none_or(|d| d == chart.difficulty)
                }) {
                    Some(i) => self.found(i),
                    None => self.not_among(c),
                },
            },
            ChartKey::InGameStrId(id) => by_chart(
                self.charts_by_in_game_str_id.get(&(playtype, id.clone())),
                true,
            ),
            ChartKey::AnyPlaytypeHash(h) => match self.charts_by_hash.get(h.as_str()) {
                Some(c) if !c.is_empty() => self.found(c[0]),
                _ => ChartResolution::SongNotFound,
            },
            ChartKey::BmsChartHash(h)
            | ChartKey::ItgChartHash(h)
            | ChartKey::UscChartHash(h)
            | ChartKey::PopnChartHash(h) => {
                // A hash names one chart whatever its version or primacy.
                match self.charts_by_hash.get(h.as_str()) {
                    None => ChartResolution::SongNotFound,
                    Some(c) => match c
                        .iter()
                        .copied()
                        .find(|&i| self.charts[i].playtype == playtype)
                    {
                        Some(i) => self.found(i),
                        None => self.not_among(c),
                    },
                }
            }
        }
    }
}

/// Answers `queries` with the catalogue `catalog_for` gives for each game
/// (asked once per game); the lookups, which are pure, run on every core.
/// One answer per query, in order.
pub fn resolve_all<E>(
    queries: &[ChartQuery],
    mut catalog_for: impl FnMut(Game) -> Result<Arc<Catalog>, E>,
) -> Result<Vec<ChartResolution>, E> {
    let mut catalogs: Vec<(Game, Arc<Catalog>)> = Vec::new();
    for q in queries {
        let game = q.gpt.game();
        if !catalogs.iter().any(|(g, _)| *g == game) {
            catalogs.push((game, catalog_for(game)?));
        }
    }
    Ok(kaiden_par::map_ref(queries, |q| {
        let game = q.gpt.game();
        catalogs
            .iter()
            .find(|(g, _)| *g == game)
            .map_or(ChartResolution::SongNotFound, |(_, c)| c.resolve(q))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaiden_core::game::Gpt;
    use serde_json::json;

    fn catalog() -> Catalog {
        let songs: Vec<SongDocument> = serde_json::from_value(json!([
            {"id": 1, "title": "5.1.1.", "artist": "dj nagureo", "altTitles": ["five one one"], "searchTerms": [], "data": {}},
            {"id": 2, "title": "Twin", "artist": "A", "altTitles": [], "searchTerms": [], "data": {}},
            {"id": 3, "title": "twin", "artist": "B", "altTitles": [], "searchTerms": [], "data": {}}
        ]))
        .expect("songs");
        let charts: Vec<ChartDocument> = serde_json::from_value(json!([
            {"chartID": "a", "songID": 1, "level": "10", "levelNum": 10, "isPrimary": true, "difficulty": "ANOTHER", "playtype": "SP", "versions": ["27"], "data": {"inGameID": 1000, "notecount": 786}},
            {"chartID": "b", "songID": 1, "level": "10", "levelNum": 10, "isPrimary": false, "difficulty": "ANOTHER", "playtype": "SP", "versions": ["3-cs"], "data": {"inGameID": 1000, "notecount": 700}},
            {"chartID": "c", "songID": 1, "level": "5", "levelNum": 5, "isPrimary": true, "difficulty": "ANOTHER", "playtype": "DP", "versions": ["27"], "data": {"inGameID": [1000, 1001], "notecount": 800}},
            {"chartID": "d", "songID": 2, "level": "5", "levelNum": 5, "isPrimary": true, "difficulty": "HYPER", "playtype": "SP", "versions": ["27"], "data": {"notecount": 500}}
        ]))
        .expect("charts");
        Catalog::new(Game::Iidx, songs, charts)
    }

    fn q(key: ChartKey, difficulty: &str, version: Option<&str>) -> ChartQuery {
        ChartQuery {
            gpt: Gpt::IidxSp,
            key,
            difficulty: Some(difficulty.to_owned()),
            version: version.map(str::to_owned),
        }
    }

    /// The song found when the chart was not.
    fn song_without_chart(r: ChartResolution) -> Option<i64> {
        match r {
            ChartResolution::ChartNotFound { song } => Some(song.id),
            _ => None,
        }
    }

    fn chart_id(r: ChartResolution) -> Option<String> {
        match r {
            ChartResolution::Found { chart, .. } => Some(chart.chart_id.clone()),
            _ => None,
        }
    }

    #[test]
    fn titles_match_case_insensitively_and_by_alt_title() {
        let c = catalog();
        let title = |t: &str| ChartKey::SongTitle {
            title: t.to_owned(),
            artist: None,
            exact_first: false,
            level: None,
        };
        assert_eq!(
            chart_id(c.resolve(&q(title("5.1.1."), "ANOTHER", None))),
            Some("a".into())
        );
        assert_eq!(
            chart_id(c.resolve(&q(title("FIVE ONE ONE"), "ANOTHER", None))),
            Some("a".into())
        );
        // "twin" matches both songs case-insensitively; the one written
        // exactly so is kept, and it has no HYPER.
        assert_eq!(
            song_without_chart(c.resolve(&q(title("twin"), "HYPER", None))),
            Some(3)
        );
        // "TWIN" matches neither exactly; of the two, one has the chart.
        assert_eq!(
            chart_id(c.resolve(&q(title("TWIN"), "HYPER", None))),
            Some("d".into())
        );
        assert_eq!(
            c.resolve(&q(title("TWIN"), "ANOTHER", None)),
            ChartResolution::AmbiguousTitle
        );
        let with_artist = ChartKey::SongTitle {
            title: "twin".into(),
            artist: Some("a".into()),
            exact_first: false,
            level: None,
        };
        assert_eq!(
            chart_id(c.resolve(&q(with_artist, "HYPER", None))),
            Some("d".into())
        );
        assert_eq!(
            c.resolve(&q(title("nope"), "HYPER", None)),
            ChartResolution::SongNotFound
        );
        assert_eq!(
            song_without_chart(c.resolve(&q(title("5.1.1."), "HYPER", None))),
            Some(1)
        );
    }

    #[test]
    fn chart_hashes_name_one_chart() {
        let songs: Vec<SongDocument> = serde_json::from_value(json!([
            {"id": 1, "title": "A", "artist": "x", "altTitles": [], "searchTerms": [], "data": {}}
        ]))
        .expect("songs");
        let charts: Vec<ChartDocument> = serde_json::from_value(json!([
            {"chartID": "k7", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": true, "difficulty": "CHART", "playtype": "7K", "versions": [],
             "data": {"hashMD5": "m1", "hashSHA256": "s1", "notecount": 10}},
            {"chartID": "k14", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": false, "difficulty": "CHART", "playtype": "14K", "versions": [],
             "data": {"hashMD5": "m2", "hashSHA256": "s2", "notecount": 10}}
        ]))
        .expect("charts");
        let c = Catalog::new(Game::Bms, songs, charts);
        let q = |gpt, h: &str| ChartQuery {
            gpt,
            key: ChartKey::BmsChartHash(h.to_owned()),
            difficulty: None,
            version: None,
        };
        assert_eq!(chart_id(c.resolve(&q(Gpt::Bms7K, "m1"))), Some("k7".into()));
        assert_eq!(chart_id(c.resolve(&q(Gpt::Bms7K, "s1"))), Some("k7".into()));
        // A hash names its chart whatever its primacy; the playtype must agree.
        assert_eq!(
            chart_id(c.resolve(&q(Gpt::Bms14K, "s2"))),
            Some("k14".into())
        );
        assert_eq!(
            song_without_chart(c.resolve(&q(Gpt::Bms14K, "m1"))),
            Some(1)
        );
        assert_eq!(
            c.resolve(&q(Gpt::Bms7K, "nope")),
            ChartResolution::SongNotFound
        );
    }

    #[test]
    fn versions_select_non_primary_charts() {
        let c = catalog();
        let key = ChartKey::InGameId(1000);
        assert_eq!(
            chart_id(c.resolve(&q(key.clone(), "ANOTHER", None))),
            Some("a".into())
        );
        assert_eq!(
            chart_id(c.resolve(&q(key.clone(), "ANOTHER", Some("3-cs")))),
            Some("b".into())
        );
        assert_eq!(
            song_without_chart(c.resolve(&q(key, "ANOTHER", Some("31")))),
            Some(1)
        );
        let dp = ChartQuery {
            gpt: Gpt::IidxDp,
            key: ChartKey::InGameId(1001),
            difficulty: Some("ANOTHER".into()),
            version: None,
        };
        assert_eq!(chart_id(c.resolve(&dp)), Some("c".into()));
        let other_game = ChartQuery {
            gpt: Gpt::SdvxSingle,
            key: ChartKey::SdvxInGameId(1000),
            difficulty: Some("ANOTHER".into()),
            version: None,
        };
        assert_eq!(c.resolve(&other_game), ChartResolution::SongNotFound);
    }

    #[test]
    fn any_playtype_hashes_find_the_chart_of_either_playtype() {
        let songs: Vec<SongDocument> = serde_json::from_value(json!([
            {"id": 1, "title": "A", "artist": "x", "altTitles": [], "searchTerms": [], "data": {}}
        ]))
        .expect("songs");
        let charts: Vec<ChartDocument> = serde_json::from_value(json!([
            {"chartID": "k7", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": true, "difficulty": "CHART", "playtype": "7K", "versions": [],
             "data": {"hashMD5": "m1", "notecount": 10}},
            {"chartID": "k14", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": true, "difficulty": "CHART", "playtype": "14K", "versions": [],
             "data": {"hashMD5": "m2", "notecount": 10}}
        ]))
        .expect("charts");
        let c = Catalog::new(Game::Bms, songs, charts);
        let q = |h: &str| ChartQuery {
            gpt: Gpt::Bms7K,
            key: ChartKey::AnyPlaytypeHash(h.to_owned()),
            difficulty: None,
            version: None,
        };
        assert_eq!(chart_id(c.resolve(&q("m1"))), Some("k7".into()));
        // Asked as 7K, a 14K chart's hash still finds it.
        assert_eq!(chart_id(c.resolve(&q("m2"))), Some("k14".into()));
        assert_eq!(c.resolve(&q("nope")), ChartResolution::SongNotFound);
    }

    #[test]
    fn iidx_in_game_ids_leave_2dxtra_charts_out() {
        let songs: Vec<SongDocument> = serde_json::from_value(json!([
            {"id": 1, "title": "A", "artist": "x", "altTitles": [], "searchTerms": [], "data": {}}
        ]))
        .expect("songs");
        let charts: Vec<ChartDocument> = serde_json::from_value(json!([
            {"chartID": "x", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": false, "difficulty": "ANOTHER", "playtype": "SP", "versions": ["27-2dxtra"],
             "data": {"inGameID": 1000, "2dxtraSet": "set", "notecount": 10}},
            {"chartID": "n", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": true, "difficulty": "ANOTHER", "playtype": "SP", "versions": ["27", "27-2dxtra"],
             "data": {"inGameID": 1000, "2dxtraSet": null, "notecount": 10}},
            {"chartID": "only", "songID": 1, "level": "1", "levelNum": 1, "isPrimary": false, "difficulty": "HYPER", "playtype": "SP", "versions": ["27-2dxtra"],
             "data": {"inGameID": 1000, "2dxtraSet": "set", "notecount": 10}}
        ]))
        .expect("charts");
        let c = Catalog::new(Game::Iidx, songs, charts);
        let q = |key: ChartKey, d: &str| ChartQuery {
            gpt: Gpt::IidxSp,
            key,
            difficulty: Some(d.to_owned()),
            version: Some("27-2dxtra".to_owned()),
        };
        // Tachi's IIDX lookup skips the 2dxtra chart listed first...
        assert_eq!(
            chart_id(c.resolve(&q(ChartKey::IidxInGameId(1000), "ANOTHER"))),
            Some("n".into())
        );
        // ...and finds nothing where only a 2dxtra chart matches.
        assert_eq!(
            song_without_chart(c.resolve(&q(ChartKey::IidxInGameId(1000), "HYPER"))),
            Some(1)
        );
        // Tachi's FindChartOnInGameID: the first of the id and difficulty,
        // 2dxtra or not, whatever the version asked.
        assert_eq!(
            chart_id(c.resolve(&q(ChartKey::AnyInGameId(1000), "HYPER"))),
            Some("only".into())
        );
        assert_eq!(
            chart_id(c.resolve(&q(ChartKey::AnyInGameId(1000), "ANOTHER"))),
            Some("x".into())
        );
        assert_eq!(
            song_without_chart(c.resolve(&q(ChartKey::AnyInGameId(1000), "NORMAL"))),
            Some(1)
        );
        assert_eq!(
            c.resolve(&q(ChartKey::AnyInGameId(2000), "HYPER")),
            ChartResolution::SongNotFound
        );
        // The generic lookup (fervidex-static's) takes the first.
        assert_eq!(
            chart_id(c.resolve(&q(ChartKey::InGameId(1000), "ANOTHER"))),
            Some("x".into())
        );
    }

    #[test]
    fn exact_titles_come_first_and_the_chart_tells_namesakes_apart() {
        let songs: Vec<SongDocument> = serde_json::from_value(json!([
            {"id": 1, "title": "Life is beautiful", "artist": "x", "altTitles": [], "searchTerms": [], "data": {}},
            {"id": 2, "title": "Life is Beautiful", "artist": "y", "altTitles": [], "searchTerms": [], "data": {}},
            {"id": 3, "title": "Casino", "artist": "p", "altTitles": [], "searchTerms": [], "data": {}},
            {"id": 4, "title": "Casino", "artist": "q", "altTitles": [], "searchTerms": [], "data": {}},
            {"id": 5, "title": "Wide  Space", "artist": "r", "altTitles": [], "searchTerms": [], "data": {}}
        ]))
        .expect("songs");
        let chart = |id: &str, song: i64, diff: &str, level: &str, num: f64| {
            json!({"chartID": id, "songID": song, "level": level, "levelNum": num, "isPrimary": true,
                   "difficulty": diff, "playtype": "Single", "versions": ["exceed"], "data": {}})
        };
        let charts: Vec<ChartDocument> = serde_json::from_value(json!([
            chart("l1", 1, "EXH", "15", 15.0),
            chart("l2", 2, "EXH", "16", 16.0),
            chart("c3", 3, "EXH", "16", 16.0),
            chart("c4", 4, "EXH", "14", 14.0),
            chart("c4m", 4, "MXM", "17", 17.0),
            chart("c3m", 3, "MXM", "18", 18.0),
            chart("w5", 5, "EXH", "12", 12.0)
        ]))
        .expect("charts");
        let c = Catalog::new(Game::Sdvx, songs, charts);
        let q = |t: &str, diff: &str, level: Option<&str>| ChartQuery {
            gpt: Gpt::SdvxSingle,
            key: ChartKey::SongTitle {
                title: t.to_owned(),
                artist: None,
                exact_first: true,
                level: level.map(str::to_owned),
            },
            difficulty: Some(diff.to_owned()),
            version: None,
        };
        // Two songs differing only by case each resolve to themselves.
        assert_eq!(
            chart_id(c.resolve(&q("Life is beautiful", "EXH", None))),
            Some("l1".into())
        );
        assert_eq!(
            chart_id(c.resolve(&q("Life is Beautiful", "EXH", None))),
            Some("l2".into())
        );
        // A title in neither case: the tolerant match finds both; both have
        // an EXH; the stated level picks one.
        assert_eq!(
            c.resolve(&q("LIFE IS BEAUTIFUL", "EXH", None)),
            ChartResolution::AmbiguousTitle
        );
        assert_eq!(
            chart_id(c.resolve(&q("LIFE IS BEAUTIFUL", "EXH", Some("16")))),
            Some("l2".into())
        );
        // Truly shared titles: the level at the difficulty decides (a
        // decimal level by its integer part); no match, or two, stays ambiguous.
        assert_eq!(
            chart_id(c.resolve(&q("Casino", "EXH", Some("16")))),
            Some("c3".into())
        );
        assert_eq!(
            chart_id(c.resolve(&q("Casino", "EXH", Some("14.2")))),
            Some("c4".into())
        );
        assert_eq!(
            c.resolve(&q("Casino", "EXH", Some("13"))),
            ChartResolution::AmbiguousTitle
        );
        assert_eq!(
            c.resolve(&q("Casino", "EXH", None)),
            ChartResolution::AmbiguousTitle
        );
        assert_eq!(
            c.resolve(&q("Casino", "ADV", Some("5"))),
            ChartResolution::AmbiguousTitle
        );
        // NBSP and runs of spaces are read as one space.
        assert_eq!(
            chart_id(c.resolve(&q("Wide\u{a0}Space", "EXH", None))),
            Some("w5".into())
        );
        assert_eq!(
            chart_id(c.resolve(&q("wide space", "EXH", None))),
            Some("w5".into())
        );
    }

    #[test]
    fn stated_levels_match_written_decimal_and_integer_part() {
        let chart: ChartDocument = serde_json::from_value(json!({
            "chartID": "x", "songID": 1, "level": "18", "levelNum": 18.1, "isPrimary": true,
            "difficulty": "EXH", "playtype": "Single", "versions": [], "data": {}
        }))
        .expect("chart");
        assert!(level_matches("18", &chart));
        assert!(level_matches("18.1", &chart), "levelNum");
        assert!(level_matches("18.4", &chart), "integer part");
        assert!(!level_matches("17.9", &chart));
        assert!(!level_matches("19", &chart));
        assert!(!level_matches("x", &chart));
    }
}
