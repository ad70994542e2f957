//! Tachi's seed folders, as every host reads them: which file holds what, and
//! what a load stored. Reading the files is the host's (this crate does no I/O).

use std::collections::{BTreeMap, HashMap};

use crate::documents::{ChartDocument, SongDocument};
use crate::game::Game;
use crate::score::UserId;

/// What a seed load stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Songs and charts per game.
    pub games: BTreeMap<Game, (usize, usize)>,
    /// Folders loaded.
    pub folders: usize,
    /// Goals loaded.
    pub goals: usize,
    /// Quests loaded.
    pub quests: usize,
    /// BMS courses loaded (`bms-course-lookup.json`).
    pub courses: usize,
    /// Per game, the charts whose scores need their calculated data and PBs
    /// recalculated: charts the load changed, and charts of songs it changed
    /// ([`changed_charts`]).
    pub changed_charts: BTreeMap<Game, Vec<String>>,
    /// The users with scores on those charts, ascending.
    pub affected_users: Vec<UserId>,
}

/// Whether a load keeps the songs and charts of `game` its files do not name.
/// BMS and PMS do, as Tachi's seed loader does: their charts also come from
/// play (charts created from the scores players send), which the seeds may
/// not hold yet. Every other game's songs and charts are replaced.
#[must_use]
pub fn keeps_unlisted(game: Game) -> bool {
    matches!(game, Game::Bms | Game::Pms)
}

/// The songs or charts a load leaves: `new` (later entries with an id win),
/// then, for a game that [`keeps_unlisted`], the `old` ones `new` does not
/// name, in their order.
pub fn merged<T: Clone>(game: Game, old: &[T], new: Vec<T>, id: impl Fn(&T) -> String) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(new.len());
    let mut at: HashMap<String, usize> = HashMap::with_capacity(new.len());
    for x in new {
        match at.get(&id(&x)) {
            Some(&i) => out[i] = x,
            None => {
                at.insert(id(&x), out.len());
                out.push(x);
            }
        }
    }
    if keeps_unlisted(game) {
        for x in old {
            if !at.contains_key(&id(x)) {
                out.push(x.clone());
            }
        }
    }
    out
}

/// The charts (of the charts after a load) whose scores' calculated data a
/// load may have changed: a chart whose document differs in any way
/// (`isPrimary`, `versions`, level, data), and every chart of a song whose
/// document differs (DDR's flare category is song data). New charts hold no
/// scores and are not listed; removed ones are not either (their scores are
/// left as they are). Sorted, without repeats.
#[must_use]
pub fn changed_charts(
    old_songs: &[SongDocument],
    new_songs: &[SongDocument],
    old_charts: &[ChartDocument],
    new_charts: &[ChartDocument],
) -> Vec<String> {
    let old_song: HashMap<i64, &SongDocument> = old_songs.iter().map(|s| (s.id, s)).collect();
    let changed_songs: std::collections::HashSet<i64> = new_songs
        .iter()
        .filter(|s| old_song.get(&s.id).is_some_and(|o| *o != *s))
        .map(|s| s.id)
        .collect();
    let old_chart: HashMap<&str, &ChartDocument> = old_charts
        .iter()
        .map(|c| (c.chart_id.as_str(), c))
        .collect();
    let mut out: Vec<String> = new_charts
        .iter()
        .filter(|c| match old_chart.get(c.chart_id.as_str()) {
            Some(o) => *o != *c || changed_songs.contains(&c.song_id),
            None => false,
        })
        .map(|c| c.chart_id.clone())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What a file of a seeds folder holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SeedFile {
    /// `songs-<game>.json`: replaces the game's songs.
    Songs(Game),
    /// `charts-<game>.json`: replaces the game's charts.
    Charts(Game),
    /// `folders.json`: added or replaced by folderID.
    Folders,
    /// `goals.json`: added or replaced by goalID.
    Goals,
    /// `quests.json`: added or replaced by questID.
    Quests,
    /// `bms-course-lookup.json`: the BMS courses LR2 clears are matched
    /// against (replaces the stored list).
    BmsCourseLookup,
}

impl SeedFile {
    /// What the file named `name` holds; `None` for any other file (tables,
    /// questlines, ... are not read).
    #[must_use]
    pub fn of_name(name: &str) -> Option<SeedFile> {
        let game = |prefix: &str| -> Option<Game> {
            name.strip_prefix(prefix)?
                .strip_suffix(".json")?
                .parse()
                .ok()
        };
        match name {
            "folders.json" => Some(SeedFile::Folders),
            "goals.json" => Some(SeedFile::Goals),
            "quests.json" => Some(SeedFile::Quests),
            "bms-course-lookup.json" => Some(SeedFile::BmsCourseLookup),
            _ => game("songs-")
                .map(SeedFile::Songs)
                .or_else(|| game("charts-").map(SeedFile::Charts)),
        }
    }
}

/// Reads a seed file's JSON; the error names the line and column (for the
/// host's error, beside the file's name).
pub fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes)
        .map_err(|e| format!("line {} column {}: {e}", e.line(), e.column()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_files_are_known_by_name() {
        assert_eq!(
            SeedFile::of_name("songs-iidx.json"),
            Some(SeedFile::Songs(Game::Iidx))
        );
        assert_eq!(
            SeedFile::of_name("charts-sdvx.json"),
            Some(SeedFile::Charts(Game::Sdvx))
        );
        assert_eq!(SeedFile::of_name("goals.json"), Some(SeedFile::Goals));
        assert_eq!(SeedFile::of_name("charts-nothing.json"), None);
        assert_eq!(SeedFile::of_name("tables.json"), None);
    }
}
