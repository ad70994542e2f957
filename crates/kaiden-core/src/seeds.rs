//! Tachi's seed folders, as every host reads them: which file holds what, and
//! what a load stored. Reading the files is the host's (this crate does no I/O).

use std::collections::BTreeMap;

use crate::game::Game;

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
