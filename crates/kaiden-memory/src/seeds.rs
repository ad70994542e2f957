//! Tachi's seed folders, read into the state.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use kaiden_core::Game;
use kaiden_core::documents::{ChartDocument, SongDocument, goal_targets, quest_goal_ids};
use kaiden_core::seeds::{SeedFile, SeedReport, changed_charts, merged};
use kaiden_games::catalog::Catalog;
use kaiden_games::folder::FolderDocument;
use serde_json::Value;

use crate::MemoryError;
use crate::state::State;

/// A seeds folder as read, before it is stored.
#[derive(Debug, Default)]
pub(crate) struct Read {
    songs: Vec<(Game, Vec<SongDocument>)>,
    charts: Vec<(Game, Vec<ChartDocument>)>,
    folders: Vec<FolderDocument>,
    goals: Vec<Value>,
    quests: Vec<Value>,
    courses: Option<Vec<kaiden_core::documents::BmsCourse>>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, MemoryError> {
    let seed_err = |message: String| MemoryError::Seed {
        file: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| seed_err(e.to_string()))?;
    kaiden_core::seeds::parse(&bytes).map_err(seed_err)
}

/// Reads every seed file of `dir` (nothing is stored if any fails).
pub(crate) fn read_dir(dir: &Path) -> Result<Read, MemoryError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| MemoryError::Seed {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut read = Read::default();
    for name in &names {
        let path = dir.join(name);
        match SeedFile::of_name(name) {
            Some(SeedFile::Songs(game)) => read.songs.push((game, read_json(&path)?)),
            Some(SeedFile::Charts(game)) => read.charts.push((game, read_json(&path)?)),
            Some(SeedFile::Folders) => read.folders = read_json(&path)?,
            Some(SeedFile::Goals) => read.goals = read_json(&path)?,
            Some(SeedFile::Quests) => read.quests = read_json(&path)?,
            Some(SeedFile::BmsCourseLookup) => read.courses = Some(read_json(&path)?),
            _ => {}
        }
    }
    for (what, docs, key) in [
        ("goals", &read.goals, "goalID"),
        ("quests", &read.quests, "questID"),
    ] {
        if let Some(bad) = docs
            .iter()
            .find(|d| d.get(key).and_then(Value::as_str).is_none() || d.get("game").is_none())
        {
            return Err(MemoryError::Seed {
                file: format!("{what}.json"),
                message: format!("a document lacks {key} or game: {bad}"),
            });
        }
    }
    Ok(read)
}

/// Keeps the last of each key, in the order of those last ones (as SQLite's
/// `INSERT OR REPLACE` does).
fn last_of_each<T>(docs: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut seen = HashSet::new();
    let mut out: Vec<T> = docs
        .into_iter()
        .rev()
        .filter(|d| seen.insert(key(d)))
        .collect();
    out.reverse();
    out
}

/// A game's songs and charts as stored.
type SongsAndCharts = (Arc<Vec<SongDocument>>, Arc<Vec<ChartDocument>>);

/// Stores what was read and rebuilds the goal and quest indexes.
pub(crate) fn apply(s: &mut State, read: Read) -> SeedReport {
    let mut report = SeedReport::default();
    let mut touched: Vec<Game> = Vec::new();
    // Each touched game's songs and charts before the load.
    let mut before: HashMap<Game, SongsAndCharts> = HashMap::new();
    let mut remember = |s: &State, game: Game| {
        before.entry(game).or_insert_with(|| {
            (
                s.songs.get(&game).cloned().unwrap_or_default(),
                s.charts.get(&game).cloned().unwrap_or_default(),
            )
        });
    };
    for (game, songs) in read.songs {
        remember(s, game);
        let old = s.songs.get(&game).cloned().unwrap_or_default();
        let mut songs = merged(game, &old, last_of_each(songs, |x| x.id.to_string()), |x| {
            x.id.to_string()
        });
        songs.sort_by_key(|x| x.id);
        report.games.entry(game).or_default().0 = songs.len();
        s.songs.insert(game, Arc::new(songs));
        touched.push(game);
    }
    for (game, charts) in read.charts {
        remember(s, game);
        let old = s.charts.get(&game).cloned().unwrap_or_default();
        let charts = merged(
            game,
            &old,
            last_of_each(charts, |c| c.chart_id.clone()),
            |c| c.chart_id.clone(),
        );
        report.games.entry(game).or_default().1 = charts.len();
        s.charts.insert(game, Arc::new(charts));
        touched.push(game);
    }
    touched.sort_unstable();
    touched.dedup();
    let mut changed: HashSet<String> = HashSet::new();
    for game in touched {
        let songs = s.songs.get(&game).map(|v| v.to_vec()).unwrap_or_default();
        let charts = s.charts.get(&game).map(|v| v.to_vec()).unwrap_or_default();
        if let Some((old_songs, old_charts)) = before.get(&game) {
            let ids = changed_charts(old_songs, &songs, old_charts, &charts);
            if !ids.is_empty() {
                changed.extend(ids.iter().cloned());
                report.changed_charts.insert(game, ids);
            }
        }
        s.catalogs
            .insert(game, Arc::new(Catalog::new(game, songs, charts)));
    }
    if !changed.is_empty() {
        let mut users: Vec<_> = s
            .scores
            .iter()
            .filter(|(_, sc)| changed.contains(sc.chart_id.as_str()))
            .map(|(_, sc)| sc.user_id)
            .collect();
        users.sort_unstable();
        users.dedup();
        report.affected_users = users;
    }
    if let Some(courses) = read.courses {
        report.courses = courses.len();
        s.bms_courses = courses
            .into_iter()
            .map(|c| (c.md5sums.clone(), c))
            .collect();
    }
    report.folders = read.folders.len();
    for f in read.folders {
        s.folders.upsert(f.folder_id.clone(), f);
    }
    report.goals = read.goals.len();
    for g in read.goals {
        let id = g
            .get("goalID")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        s.goals.upsert(id, g);
    }
    report.quests = read.quests.len();
    for q in read.quests {
        let id = q
            .get("questID")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        s.quests.upsert(id, q);
    }
    index(s);
    report
}

/// `goal_charts` (a folder goal: its folder's charts) and `quest_goals`.
fn index(s: &mut State) {
    let mut as_json: HashMap<Game, (Vec<Value>, Vec<Value>)> = HashMap::new();
    let mut folder_charts: HashMap<String, Vec<String>> = HashMap::new();
    let mut goal_charts = HashMap::new();
    for (id, goal) in s.goals.iter() {
        let (mut charts, folder) = goal_targets(goal);
        if let Some(fid) = folder {
            if !folder_charts.contains_key(&fid) {
                let ids = match s.folders.get(&fid) {
                    Some(folder) => {
                        let (charts, songs) = as_json.entry(folder.game).or_insert_with(|| {
                            let json = |v: Option<&Arc<Vec<_>>>| -> Vec<Value> {
                                v.map(|docs| {
                                    docs.iter()
                                        .filter_map(|d| serde_json::to_value(d).ok())
                                        .collect()
                                })
                                .unwrap_or_default()
                            };
                            (
                                json(s.charts.get(&folder.game)),
                                s.songs
                                    .get(&folder.game)
                                    .map(|v| {
                                        v.iter()
                                            .filter_map(|d| serde_json::to_value(d).ok())
                                            .collect()
                                    })
                                    .unwrap_or_default(),
                            )
                        });
                        folder.chart_ids(charts, songs)
                    }
                    None => Vec::new(),
                };
                folder_charts.insert(fid.clone(), ids);
            }
            charts.clone_from(&folder_charts[&fid]);
        }
        charts.sort();
        charts.dedup();
        goal_charts.insert(id.clone(), charts);
    }
    s.goal_charts = goal_charts;
    s.quest_goals = s
        .quests
        .iter()
        .map(|(id, q)| {
            let mut goals = quest_goal_ids(q);
            goals.sort();
            goals.dedup();
            (id.clone(), goals)
        })
        .collect();
}
