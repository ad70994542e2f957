//! Tachi folders (`folders.json`): a named set of charts, given as a query on
//! chart or song documents. Goals over folders need the folder's charts; this
//! module evaluates the query language the seeds use: fields joined by `¬`,
//! operators spelt `~gte`, `~gt`, `~lte`, `~lt`, `~in`, `~nin`, `~ne`, `~not`,
//! `~elemMatch`, and MongoDB's rule that a scalar matches an array containing it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use kaiden_core::game::{Game, Playtype};

/// A folder as the seeds hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderDocument {
    /// `F` + 64 hex.
    #[serde(rename = "folderID")]
    pub folder_id: String,
    /// The game.
    pub game: Game,
    /// The playtype.
    pub playtype: Playtype,
    /// `charts` (query on charts), `songs` (query on songs) or `static` (chart ids).
    #[serde(rename = "type")]
    pub folder_type: String,
    /// The query, or the chart ids of a static folder.
    pub data: Value,
    /// The title.
    #[serde(default)]
    pub title: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Whether one (non-array) value satisfies a condition.
fn value_matches(value: Option<&Value>, cond: &Value) -> bool {
    match cond {
        Value::Object(ops) if ops.keys().any(|k| k.starts_with('~')) => {
            ops.iter().all(|(op, arg)| op_matches(value, op, arg))
        }
        _ => match value {
            Some(Value::Array(items)) => items.iter().any(|v| v == cond) || value == Some(cond),
            Some(v) => v == cond,
            None => cond.is_null(),
        },
    }
}

fn op_matches(value: Option<&Value>, op: &str, arg: &Value) -> bool {
    // Comparison operators apply to each element of an array field.
    let each = |f: &dyn Fn(&Value) -> bool| match value {
        Some(Value::Array(items)) => items.iter().any(f),
        Some(v) => f(v),
        None => false,
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        "~gte" => each(&|v| matches!(compare(v, arg), Some(Greater | Equal))),
        "~gt" => each(&|v| compare(v, arg) == Some(Greater)),
        "~lte" => each(&|v| matches!(compare(v, arg), Some(Less | Equal))),
        "~lt" => each(&|v| compare(v, arg) == Some(Less)),
        "~in" => arg
            .as_array()
            .is_some_and(|opts| opts.iter().any(|o| value_matches(value, o))),
        "~nin" => !arg
            .as_array()
            .is_some_and(|opts| opts.iter().any(|o| value_matches(value, o))),
        "~ne" => !value_matches(value, arg),
        "~not" => !value_matches(value, arg),
        "~elemMatch" => match (value, arg) {
            (Some(Value::Array(items)), Value::Object(q)) => {
                items.iter().any(|item| query_matches(q, item))
            }
            _ => false,
        },
        // An operator we do not know matches nothing, so a folder never grows
        // by a misunderstanding.
        _ => false,
    }
}

fn lookup<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('¬').try_fold(doc, |v, key| v.get(key))
}

/// Whether `doc` satisfies every field condition of `query`.
#[must_use]
pub fn query_matches(query: &Map<String, Value>, doc: &Value) -> bool {
    query
        .iter()
        .all(|(path, cond)| value_matches(lookup(doc, path), cond))
}

impl FolderDocument {
    /// The chart ids of this folder among `charts` (chart documents as JSON) and
    /// `songs` (song documents as JSON), both of the folder's game.
    #[must_use]
    pub fn chart_ids(&self, charts: &[Value], songs: &[Value]) -> Vec<String> {
        let playtype = self.playtype.as_str();
        let of_playtype = |c: &&Value| c.get("playtype").and_then(Value::as_str) == Some(playtype);
        let id = |c: &Value| c.get("chartID").and_then(Value::as_str).map(str::to_owned);
        match (self.folder_type.as_str(), &self.data) {
            ("charts", Value::Object(q)) => charts
                .iter()
                .filter(of_playtype)
                .filter(|c| query_matches(q, c))
                .filter_map(id)
                .collect(),
            ("songs", Value::Object(q)) => {
                let song_ids: std::collections::HashSet<i64> = songs
                    .iter()
                    .filter(|s| query_matches(q, s))
                    .filter_map(|s| s.get("id").and_then(Value::as_i64))
                    .collect();
                charts
                    .iter()
                    .filter(of_playtype)
                    .filter(|c| {
                        c.get("songID")
                            .and_then(Value::as_i64)
                            .is_some_and(|s| song_ids.contains(&s))
                    })
                    .filter_map(id)
                    .collect()
            }
            ("static", Value::Array(ids)) => ids
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn the_seed_query_forms() {
        let chart = json!({"level": "12", "levelNum": 12.4, "versions": ["27", "28"], "difficulty": "ANOTHER",
            "data": {"inGameID": 7100, "tableFolders": [{"table": "★", "level": "3"}]}});
        assert!(query_matches(
            &q(json!({"level": "12", "versions": "28"})),
            &chart
        ));
        assert!(!query_matches(&q(json!({"versions": "29"})), &chart));
        assert!(query_matches(
            &q(json!({"levelNum": {"~gte": 12, "~lt": 13}})),
            &chart
        ));
        assert!(!query_matches(
            &q(json!({"levelNum": {"~gte": 13}})),
            &chart
        ));
        assert!(query_matches(
            &q(json!({"difficulty": {"~in": ["ANOTHER", "LEGGENDARIA"]}})),
            &chart
        ));
        assert!(!query_matches(
            &q(json!({"data¬inGameID": {"~not": {"~gte": 7000, "~lt": 8000}}})),
            &chart
        ));
        assert!(query_matches(
            &q(json!({"data¬tableFolders": {"~elemMatch": {"table": "★", "level": "3"}}})),
            &chart
        ));
        assert!(!query_matches(
            &q(json!({"data¬tableFolders": {"~elemMatch": {"table": "★", "level": "4"}}})),
            &chart
        ));
        assert!(!query_matches(
            &q(json!({"data¬sglEC": {"~gte": 1}})),
            &chart
        ));
        assert!(!query_matches(
            &q(json!({"level": {"~regex": "1"}})),
            &chart
        ));
    }
}
