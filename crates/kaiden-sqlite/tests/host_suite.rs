//! The host suite on a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use kaiden_sqlite::SqliteHost;
use serde_json::Value;

struct Sqlite(SqliteHost);

impl kaiden_host_suite::TestHost for Sqlite {
    type Host = SqliteHost;

    fn open(dir: &Path) -> Self {
        Sqlite(SqliteHost::open(dir.join("kaiden.db")).unwrap())
    }

    fn host(&self) -> &SqliteHost {
        &self.0
    }

    fn load_seeds(&self, dir: &Path) -> Result<(), String> {
        self.0
            .load_seeds(dir)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn ensure_user(&self, id: u64, name: &str) -> Result<(), String> {
        self.0.ensure_user(id, name).map_err(|e| e.to_string())
    }

    fn subscribe_goal(&self, user: u64, goal_id: &str) -> Result<(), String> {
        self.0
            .subscribe_goal(user, goal_id)
            .map_err(|e| e.to_string())
    }

    fn subscribe_quest(&self, user: u64, quest_id: &str) -> Result<(), String> {
        self.0
            .subscribe_quest(user, quest_id)
            .map_err(|e| e.to_string())
    }

    fn documents(&self, table: &str, user: u64) -> Result<Vec<Value>, String> {
        self.0.documents(table, user).map_err(|e| e.to_string())
    }

    fn dump(&self) -> Result<Vec<String>, String> {
        self.0.dump().map_err(|e| e.to_string())
    }

    fn import_timings(&self, import_id: &str) -> Result<Option<Value>, String> {
        self.0.import_timings(import_id).map_err(|e| e.to_string())
    }
}

kaiden_host_suite::host_suite!(Sqlite);
