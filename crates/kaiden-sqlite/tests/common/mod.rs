//! The SQLite-only tests' environment: the host suite's seeds and files on
//! a real SQLite file.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use kaiden::core::format::ImportInput;
use kaiden::core::{ImportDocument, ImportError, ImportType};
use kaiden::pipeline::{self, ImportRequest, NoProgress, Progress};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::TempDir;
use serde_json::Value;

#[allow(unused_imports)]
pub use kaiden_host_suite::{HOUR, T0, USER, batch, block_on, score, write_seeds};

#[derive(Debug)]
pub struct Env {
    pub dir: TempDir,
    pub host: SqliteHost,
}

/// The host suite's environment (its seeds, [`USER`]) on a real SQLite file.
pub fn env(label: &str, with_gamma: bool) -> Env {
    let e = kaiden_host_suite::env::<Sqlite>(label, with_gamma);
    Env {
        dir: e.dir,
        host: e.host.0,
    }
}

pub fn run(host: &SqliteHost, bytes: &[u8]) -> Result<ImportDocument, ImportError> {
    run_with(host, bytes, &NoProgress)
}

pub fn run_with(
    host: &SqliteHost,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    run_as(host, USER, bytes, progress)
}

/// A BATCH-MANUAL import of `bytes` for `user`.
pub fn run_as(
    host: &SqliteHost,
    user: u64,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportDocument, ImportError> {
    let request = ImportRequest {
        import_type: ImportType::FILE_BATCH_MANUAL,
        user,
        user_intent: false,
        input: ImportInput {
            bytes,
            stream: None,
            filename: None,
            fields: BTreeMap::new(),
            headers: BTreeMap::new(),
        },
        import_id: None,
    };
    block_on(pipeline::import(
        host,
        &kaiden::registry(),
        request,
        progress,
    ))
}

/// A user's stored documents of a table.
pub fn docs(host: &SqliteHost, table: &str) -> Vec<Value> {
    host.documents(table, USER).unwrap()
}

/// The SQLite host as the host suite drives it.
pub struct Sqlite(SqliteHost);

impl kaiden_host_suite::TestHost for Sqlite {
    type Host = SqliteHost;

    fn open(dir: &Path) -> Self {
        Sqlite(SqliteHost::open(dir.join("kaiden.db")).unwrap())
    }

    fn host(&self) -> &SqliteHost {
        &self.0
    }

    fn load_seeds(&self, dir: &Path) -> Result<kaiden_core::seeds::SeedReport, String> {
        self.0.load_seeds(dir).map_err(|e| e.to_string())
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

impl kaiden_host_suite::service::TestServiceHost for Sqlite {
    fn create_api_key(&self, user: u64, permissions: &[&str]) -> Result<String, String> {
        let p: Vec<String> = permissions.iter().map(|s| (*s).to_owned()).collect();
        self.0.create_api_key(user, &p).map_err(|e| e.to_string())
    }
}
