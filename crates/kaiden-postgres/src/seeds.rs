//! Loading Tachi's seed folders, in one transaction.

use std::collections::HashMap;
use std::path::Path;

use kaiden_core::Game;
use kaiden_core::documents::{ChartDocument, SongDocument};
use kaiden_core::score::UserId;
use kaiden_core::seeds::{SeedFile, SeedReport, changed_charts, keeps_unlisted};
use kaiden_games::folder::FolderDocument;
use serde_json::Value;
use tokio_postgres::Transaction;

use crate::pool::Conn;
use crate::{PgError, c_transaction, strings};

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, PgError> {
    let seed_err = |message: String| PgError::Seed {
        file: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| seed_err(e.to_string()))?;
    kaiden_core::seeds::parse(&bytes).map_err(seed_err)
}

fn encode<T: serde::Serialize>(file: &str, v: &T) -> Result<String, PgError> {
    serde_json::to_string(v).map_err(|e| PgError::Seed {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

/// Keeps the last row of each key, where it stands (as a replace would).
fn last_of_each<T, K: std::hash::Hash + Eq>(rows: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut last: HashMap<K, usize> = HashMap::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        last.insert(key(r), i);
    }
    rows.into_iter()
        .enumerate()
        .filter(|(i, r)| last.get(&key(r)) == Some(i))
        .map(|(_, r)| r)
        .collect()
}

/// Upserts `(id, game, doc)` rows into a table keyed by its first column.
async fn upsert_docs(
    tx: &Transaction<'_>,
    table: &str,
    id_column: &str,
    rows: Vec<(String, String, String)>,
) -> Result<(), PgError> {
    let rows = last_of_each(rows, |r| r.0.clone());
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let games: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let docs: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    tx.execute(
        &format!(
            "INSERT INTO {table} ({id_column}, game, doc) \
             SELECT i, g, d FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(i, g, d, n) ORDER BY n \
             ON CONFLICT ({id_column}) DO UPDATE SET game = excluded.game, doc = excluded.doc"
        ),
        &[&ids, &games, &docs],
    )
    .await?;
    Ok(())
}

/// The stored songs or charts of `game` (`table` is `songs` or `charts`).
async fn docs_of<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    table: &str,
    game: Game,
) -> Result<Vec<T>, PgError> {
    let order = if table == "songs" { "id" } else { "seq" };
    let docs = strings(
        tx,
        &format!("SELECT doc FROM {table} WHERE game = $1 ORDER BY {order}"),
        &[&game.as_str()],
    )
    .await?;
    docs.iter()
        .map(|d| {
            serde_json::from_str(d).map_err(|e| PgError::Seed {
                file: format!("stored {table} of {game}"),
                message: e.to_string(),
            })
        })
        .collect()
}

/// Loads every seed file in `dir` in one transaction, under the seeds lock.
pub(crate) async fn load(c: &mut Conn, dir: &Path, lock: i64) -> Result<SeedReport, PgError> {
    let mut report = SeedReport::default();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| PgError::Seed {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let tx = c_transaction(c).await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock])
        .await?;
    // The songs and charts of each game the folder names, before the load.
    let mut before: Vec<(Game, Vec<SongDocument>, Vec<ChartDocument>)> = Vec::new();
    for name in &names {
        if let Some(SeedFile::Songs(game) | SeedFile::Charts(game)) = SeedFile::of_name(name) {
            if !before.iter().any(|(g, _, _)| *g == game) {
                before.push((
                    game,
                    docs_of(&tx, "songs", game).await?,
                    docs_of(&tx, "charts", game).await?,
                ));
            }
        }
    }
    for name in &names {
        let path = dir.join(name);
        match SeedFile::of_name(name) {
            Some(SeedFile::Songs(game)) => {
                let songs: Vec<SongDocument> = read_json(&path)?;
                let songs = last_of_each(songs, |s| s.id);
                let ids: Vec<i64> = songs.iter().map(|s| s.id).collect();
                let docs = songs
                    .iter()
                    .map(|s| encode(name, s))
                    .collect::<Result<Vec<_>, _>>()?;
                if !keeps_unlisted(game) {
                    tx.execute("DELETE FROM songs WHERE game = $1", &[&game.as_str()])
                        .await?;
                }
                tx.execute(
                    "INSERT INTO songs (game, id, doc) \
                     SELECT $1, i, d FROM unnest($2::int8[], $3::text[]) WITH ORDINALITY AS t(i, d, n) ORDER BY n \
                     ON CONFLICT (game, id) DO UPDATE SET doc = excluded.doc",
                    &[&game.as_str(), &ids, &docs],
                )
                .await?;
            }
            Some(SeedFile::Charts(game)) => {
                let charts: Vec<ChartDocument> = read_json(&path)?;
                let rows = charts
                    .iter()
                    .map(|c| {
                        Ok((
                            c.chart_id.clone(),
                            game.as_str().to_owned(),
                            encode(name, c)?,
                        ))
                    })
                    .collect::<Result<Vec<_>, PgError>>()?;
                if !keeps_unlisted(game) {
                    tx.execute("DELETE FROM charts WHERE game = $1", &[&game.as_str()])
                        .await?;
                }
                upsert_docs(&tx, "charts", "chart_id", rows).await?;
            }
            _ => {}
        }
    }
    let courses_path = dir.join("bms-course-lookup.json");
    if courses_path.exists() {
        let courses: Vec<kaiden_core::documents::BmsCourse> = read_json(&courses_path)?;
        report.courses = courses.len();
        let courses = last_of_each(courses, |c| c.md5sums.clone());
        let keys: Vec<&str> = courses.iter().map(|c| c.md5sums.as_str()).collect();
        let docs = courses
            .iter()
            .map(|c| encode("bms-course-lookup.json", c))
            .collect::<Result<Vec<_>, _>>()?;
        tx.execute("DELETE FROM bms_courses", &[]).await?;
        tx.execute(
            "INSERT INTO bms_courses (md5sums, doc) SELECT * FROM unnest($1::text[], $2::text[])",
            &[&keys, &docs],
        )
        .await?;
    }
    let folders_path = dir.join("folders.json");
    if folders_path.exists() {
        let folders: Vec<FolderDocument> = read_json(&folders_path)?;
        report.folders = folders.len();
        let rows = folders
            .iter()
            .map(|f| {
                Ok((
                    f.folder_id.clone(),
                    f.game.as_str().to_owned(),
                    encode("folders.json", f)?,
                ))
            })
            .collect::<Result<Vec<_>, PgError>>()?;
        upsert_docs(&tx, "folders", "folder_id", rows).await?;
    }
    for (file, table, id_column, id_field) in [
        ("goals.json", "goals", "goal_id", "goalID"),
        ("quests.json", "quests", "quest_id", "questID"),
    ] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let docs: Vec<Value> = read_json(&path)?;
        let mut rows = Vec::with_capacity(docs.len());
        for d in &docs {
            let (Some(id), Some(game)) = (
                d.get(id_field).and_then(Value::as_str),
                d.get("game").and_then(Value::as_str),
            ) else {
                return Err(PgError::Seed {
                    file: file.into(),
                    message: format!(
                        "a {} lacks {id_field} or game: {d}",
                        &table[..table.len() - 1]
                    ),
                });
            };
            rows.push((id.to_owned(), game.to_owned(), d.to_string()));
        }
        upsert_docs(&tx, table, id_column, rows).await?;
        if table == "goals" {
            report.goals = docs.len();
        } else {
            report.quests = docs.len();
        }
    }
    // Each game's songs and charts as stored now (the counts reported), what
    // the load changed, and whose scores are on it.
    let mut changed: Vec<String> = Vec::new();
    for (game, old_songs, old_charts) in &before {
        let songs: Vec<SongDocument> = docs_of(&tx, "songs", *game).await?;
        let charts: Vec<ChartDocument> = docs_of(&tx, "charts", *game).await?;
        report.games.entry(*game).or_default().0 = songs.len();
        report.games.entry(*game).or_default().1 = charts.len();
        let ids = changed_charts(old_songs, &songs, old_charts, &charts);
        if !ids.is_empty() {
            changed.extend(ids.iter().cloned());
            report.changed_charts.insert(*game, ids);
        }
    }
    if !changed.is_empty() {
        let rows = tx
            .query(
                "SELECT DISTINCT user_id FROM scores WHERE chart_id = ANY($1) ORDER BY user_id",
                &[&changed],
            )
            .await?;
        report.affected_users = rows.iter().map(|r| r.get::<_, i64>(0) as UserId).collect();
    }
    index_goals(&tx).await?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('seeds_generation', '1') \
         ON CONFLICT (key) DO UPDATE SET value = ((meta.value)::bigint + 1)::text",
        &[],
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Rebuilds `goal_charts` (folder goals expanded to the folder's charts) and
/// `quest_goals` from the stored goals, quests, folders and charts.
async fn index_goals(tx: &Transaction<'_>) -> Result<(), PgError> {
    tx.execute("DELETE FROM goal_charts", &[]).await?;
    tx.execute("DELETE FROM quest_goals", &[]).await?;
    let goals = strings(tx, "SELECT doc FROM goals", &[]).await?;
    let mut folder_cache: HashMap<String, Vec<String>> = HashMap::new();
    let mut game_docs: HashMap<String, (Vec<Value>, Vec<Value>)> = HashMap::new();
    let (mut goal_col, mut chart_col) = (Vec::new(), Vec::new());
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
                let ids = folder_charts(tx, &fid, &mut game_docs).await?;
                folder_cache.insert(fid, ids.clone());
                chart_ids = ids;
            }
        }
        for c in chart_ids {
            goal_col.push(id.clone());
            chart_col.push(c);
        }
    }
    tx.execute(
        "INSERT INTO goal_charts (goal_id, chart_id) SELECT * FROM unnest($1::text[], $2::text[]) \
         ON CONFLICT DO NOTHING",
        &[&goal_col, &chart_col],
    )
    .await?;
    let quests = strings(tx, "SELECT doc FROM quests", &[]).await?;
    let (mut quest_col, mut goal_col) = (Vec::new(), Vec::new());
    for doc in quests {
        let q: Value = serde_json::from_str(&doc).unwrap_or_default();
        let id = q.get("questID").and_then(Value::as_str).unwrap_or_default();
        for gid in kaiden_core::documents::quest_goal_ids(&q) {
            quest_col.push(id.to_owned());
            goal_col.push(gid);
        }
    }
    tx.execute(
        "INSERT INTO quest_goals (quest_id, goal_id) SELECT * FROM unnest($1::text[], $2::text[]) \
         ON CONFLICT DO NOTHING",
        &[&quest_col, &goal_col],
    )
    .await?;
    Ok(())
}

async fn folder_charts(
    tx: &Transaction<'_>,
    folder_id: &str,
    game_docs: &mut HashMap<String, (Vec<Value>, Vec<Value>)>,
) -> Result<Vec<String>, PgError> {
    let doc = strings(
        tx,
        "SELECT doc FROM folders WHERE folder_id = $1",
        &[&folder_id],
    )
    .await?
    .pop();
    let Some(folder) = doc.and_then(|d| serde_json::from_str::<FolderDocument>(&d).ok()) else {
        return Ok(Vec::new());
    };
    let game = folder.game.as_str().to_owned();
    if !game_docs.contains_key(&game) {
        let parse_all = |raw: Vec<String>| -> Vec<Value> {
            raw.iter()
                .filter_map(|d| serde_json::from_str(d).ok())
                .collect()
        };
        let charts = strings(
            tx,
            "SELECT doc FROM charts WHERE game = $1 ORDER BY seq",
            &[&game],
        )
        .await?;
        let songs = strings(
            tx,
            "SELECT doc FROM songs WHERE game = $1 ORDER BY id",
            &[&game],
        )
        .await?;
        game_docs.insert(game.clone(), (parse_all(charts), parse_all(songs)));
    }
    let (charts, songs) = &game_docs[&game];
    Ok(folder.chart_ids(charts, songs))
}
