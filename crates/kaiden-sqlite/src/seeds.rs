//! Loading Tachi's seed folders.

use std::collections::HashMap;
use std::path::Path;

use kaiden_core::documents::{ChartDocument, SongDocument};
use kaiden_games::folder::FolderDocument;
use rusqlite::{Connection, params};
use serde_json::Value;

use crate::{SqliteError, generation_of};

use kaiden_core::Game;
use kaiden_core::score::UserId;
pub use kaiden_core::seeds::SeedReport;
use kaiden_core::seeds::{SeedFile, changed_charts, keeps_unlisted};

/// The stored songs or charts of `game` (`table` is `songs` or `charts`).
fn docs_of<T: serde::de::DeserializeOwned>(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    game: Game,
) -> Result<Vec<T>, SqliteError> {
    let order = if table == "songs" { "id" } else { "rowid" };
    let docs: Vec<String> = tx
        .prepare(&format!(
            "SELECT doc FROM {table} WHERE game = ?1 ORDER BY {order}"
        ))?
        .query_map([game.as_str()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    docs.iter()
        .map(|d| {
            serde_json::from_str(d).map_err(|e| SqliteError::Seed {
                file: format!("stored {table} of {game}"),
                message: e.to_string(),
            })
        })
        .collect()
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, SqliteError> {
    let seed_err = |message: String| SqliteError::Seed {
        file: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| seed_err(e.to_string()))?;
    kaiden_core::seeds::parse(&bytes).map_err(seed_err)
}

/// Loads every seed file in `dir` in one transaction.
pub(crate) fn load(conn: &mut Connection, dir: &Path) -> Result<SeedReport, SqliteError> {
    let mut report = SeedReport::default();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| SqliteError::Seed {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let tx = conn.transaction()?;
    // The songs and charts of each game the folder names, before the load.
    let mut before: Vec<(Game, Vec<SongDocument>, Vec<ChartDocument>)> = Vec::new();
    for name in &names {
        if let Some(SeedFile::Songs(game) | SeedFile::Charts(game)) = SeedFile::of_name(name) {
            if !before.iter().any(|(g, _, _)| *g == game) {
                before.push((
                    game,
                    docs_of(&tx, "songs", game)?,
                    docs_of(&tx, "charts", game)?,
                ));
            }
        }
    }
    for name in &names {
        let path = dir.join(name);
        if let Some(SeedFile::Songs(game)) = SeedFile::of_name(name) {
            let songs: Vec<SongDocument> = read_json(&path)?;
            if !keeps_unlisted(game) {
                tx.execute("DELETE FROM songs WHERE game = ?1", [game.as_str()])?;
            }
            let mut st =
                tx.prepare("INSERT OR REPLACE INTO songs (game, id, doc) VALUES (?1, ?2, ?3)")?;
            for s in &songs {
                let doc = serde_json::to_string(s).map_err(|e| SqliteError::Seed {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
                st.execute(params![game.as_str(), s.id, doc])?;
            }
        } else if let Some(SeedFile::Charts(game)) = SeedFile::of_name(name) {
            let charts: Vec<ChartDocument> = read_json(&path)?;
            if !keeps_unlisted(game) {
                tx.execute("DELETE FROM charts WHERE game = ?1", [game.as_str()])?;
            }
            let mut st = tx.prepare(
                "INSERT OR REPLACE INTO charts (chart_id, game, doc) VALUES (?1, ?2, ?3)",
            )?;
            for c in &charts {
                let doc = serde_json::to_string(c).map_err(|e| SqliteError::Seed {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
                st.execute(params![c.chart_id, game.as_str(), doc])?;
            }
        }
    }
    let courses_path = dir.join("bms-course-lookup.json");
    if courses_path.exists() {
        let courses: Vec<kaiden_core::documents::BmsCourse> = read_json(&courses_path)?;
        tx.execute("DELETE FROM bms_courses", [])?;
        let mut st =
            tx.prepare("INSERT OR REPLACE INTO bms_courses (md5sums, doc) VALUES (?1, ?2)")?;
        for c in &courses {
            let doc = serde_json::to_string(c).map_err(|e| SqliteError::Seed {
                file: "bms-course-lookup.json".into(),
                message: e.to_string(),
            })?;
            st.execute(params![c.md5sums, doc])?;
        }
        report.courses = courses.len();
    }
    let folders_path = dir.join("folders.json");
    if folders_path.exists() {
        let folders: Vec<FolderDocument> = read_json(&folders_path)?;
        let mut st = tx
            .prepare("INSERT OR REPLACE INTO folders (folder_id, game, doc) VALUES (?1, ?2, ?3)")?;
        for f in &folders {
            let doc = serde_json::to_string(f).map_err(|e| SqliteError::Seed {
                file: "folders.json".into(),
                message: e.to_string(),
            })?;
            st.execute(params![f.folder_id, f.game.as_str(), doc])?;
        }
        report.folders = folders.len();
    }
    let goals_path = dir.join("goals.json");
    if goals_path.exists() {
        let goals: Vec<Value> = read_json(&goals_path)?;
        let mut st =
            tx.prepare("INSERT OR REPLACE INTO goals (goal_id, game, doc) VALUES (?1, ?2, ?3)")?;
        for g in &goals {
            let (Some(id), Some(game)) = (
                g.get("goalID").and_then(Value::as_str),
                g.get("game").and_then(Value::as_str),
            ) else {
                return Err(SqliteError::Seed {
                    file: "goals.json".into(),
                    message: format!("a goal lacks goalID or game: {g}"),
                });
            };
            st.execute(params![id, game, g.to_string()])?;
        }
        report.goals = goals.len();
    }
    let quests_path = dir.join("quests.json");
    if quests_path.exists() {
        let quests: Vec<Value> = read_json(&quests_path)?;
        let mut st =
            tx.prepare("INSERT OR REPLACE INTO quests (quest_id, game, doc) VALUES (?1, ?2, ?3)")?;
        for q in &quests {
            let (Some(id), Some(game)) = (
                q.get("questID").and_then(Value::as_str),
                q.get("game").and_then(Value::as_str),
            ) else {
                return Err(SqliteError::Seed {
                    file: "quests.json".into(),
                    message: format!("a quest lacks questID or game: {q}"),
                });
            };
            st.execute(params![id, game, q.to_string()])?;
        }
        report.quests = quests.len();
    }
    // Each game's songs and charts as stored now (the counts reported), what
    // the load changed, and whose scores are on it.
    let mut changed: Vec<String> = Vec::new();
    for (game, old_songs, old_charts) in &before {
        let songs: Vec<SongDocument> = docs_of(&tx, "songs", *game)?;
        let charts: Vec<ChartDocument> = docs_of(&tx, "charts", *game)?;
        report.games.entry(*game).or_default().0 = songs.len();
        report.games.entry(*game).or_default().1 = charts.len();
        let ids = changed_charts(old_songs, &songs, old_charts, &charts);
        if !ids.is_empty() {
            changed.extend(ids.iter().cloned());
            report.changed_charts.insert(*game, ids);
        }
    }
    let mut users: Vec<UserId> = Vec::new();
    for chunk in changed.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut st = tx.prepare(&format!(
            "SELECT DISTINCT user_id FROM scores WHERE chart_id IN ({marks})"
        ))?;
        let found = st.query_map(rusqlite::params_from_iter(chunk.iter()), |r| {
            r.get::<_, i64>(0)
        })?;
        for u in found {
            users.push(u? as UserId);
        }
    }
    users.sort_unstable();
    users.dedup();
    report.affected_users = users;
    drop_and_index(&tx)?;
    let next = generation_of(&tx)? + 1;
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeds_generation', ?1)",
        [next.to_string()],
    )?;
    tx.commit()?;
    Ok(report)
}

/// Rebuilds `goal_charts` (folder goals expanded to the folder's charts) and
/// `quest_goals` from the stored goals, quests, folders and charts.
fn drop_and_index(tx: &rusqlite::Transaction<'_>) -> Result<(), SqliteError> {
    tx.execute("DELETE FROM goal_charts", [])?;
    tx.execute("DELETE FROM quest_goals", [])?;
    let goals: Vec<String> = tx
        .prepare("SELECT doc FROM goals")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut folder_cache: HashMap<String, Vec<String>> = HashMap::new();
    let mut game_docs: HashMap<String, (Vec<Value>, Vec<Value>)> = HashMap::new();
    let mut ins =
        tx.prepare("INSERT OR IGNORE INTO goal_charts (goal_id, chart_id) VALUES (?1, ?2)")?;
    for doc in goals {
        let g: Value = serde_json::from_str(&doc).unwrap_or_default();
        let id = g
            .get("goalID")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let (mut chart_ids, folder) = kaiden_core::documents::goal_targets(&g);
        if let Some(fid) = folder {
            if let Some(c) = folder_cache.get(&fid) {
                chart_ids.clone_from(c);
            } else {
                let ids = folder_charts(tx, &fid, &mut game_docs)?;
                folder_cache.insert(fid, ids.clone());
                chart_ids = ids;
            }
        }
        for c in chart_ids {
            ins.execute(params![id, c])?;
        }
    }
    let quests: Vec<String> = tx
        .prepare("SELECT doc FROM quests")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut ins =
        tx.prepare("INSERT OR IGNORE INTO quest_goals (quest_id, goal_id) VALUES (?1, ?2)")?;
    for doc in quests {
        let q: Value = serde_json::from_str(&doc).unwrap_or_default();
        let id = q.get("questID").and_then(Value::as_str).unwrap_or_default();
        for gid in kaiden_core::documents::quest_goal_ids(&q) {
            ins.execute(params![id, gid])?;
        }
    }
    Ok(())
}

fn folder_charts(
    tx: &rusqlite::Transaction<'_>,
    folder_id: &str,
    game_docs: &mut HashMap<String, (Vec<Value>, Vec<Value>)>,
) -> Result<Vec<String>, SqliteError> {
    let doc: Option<String> = tx
        .query_row(
            "SELECT doc FROM folders WHERE folder_id = ?1",
            [folder_id],
            |r| r.get(0),
        )
        .ok();
    let Some(folder) = doc.and_then(|d| serde_json::from_str::<FolderDocument>(&d).ok()) else {
        return Ok(Vec::new());
    };
    let game = folder.game.as_str().to_owned();
    if !game_docs.contains_key(&game) {
        let load = |sql: &str| -> Result<Vec<Value>, SqliteError> {
            let raw: Vec<String> = tx
                .prepare(sql)?
                .query_map([&game], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(raw
                .iter()
                .filter_map(|d| serde_json::from_str(d).ok())
                .collect())
        };
        let charts = load("SELECT doc FROM charts WHERE game = ?1")?;
        let songs = load("SELECT doc FROM songs WHERE game = ?1")?;
        game_docs.insert(game.clone(), (charts, songs));
    }
    let (charts, songs) = &game_docs[&game];
    Ok(folder.chart_ids(charts, songs))
}
