//! The stores `--db` can name: a SQLite file (the default) or a PostgreSQL
//! database (`postgres://…`). Every command runs on either through [`Store`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kaiden::core::host::{ChartLookup, Host, HostError};
use kaiden::core::seeds::SeedReport;
use kaiden::service::{HookStore, IntegrationStore, ServiceStore};
use kaiden_postgres::PgHost;
use kaiden_sqlite::SqliteHost;
use serde_json::Value;

/// What the commands need of a store beyond the host traits.
pub(crate) trait Store:
    Host + ChartLookup + ServiceStore + HookStore + IntegrationStore + Send + Sync + 'static
{
    /// Opens (creating or migrating) the store `db` names.
    fn open(db: &str) -> Result<Arc<Self>, String>;
    /// Whether opening `db` would create it (a failed import then removes it).
    fn is_fresh(db: &str) -> bool;
    /// Removes a store this command created.
    fn remove_created(db: &str);
    fn load_seeds(&self, dir: &Path) -> Result<SeedReport, String>;
    fn ensure_user(&self, id: u64, name: &str) -> Result<(), HostError>;
    fn add_user(&self, name: &str) -> Result<u64, HostError>;
    fn user_named(&self, name: &str) -> Result<Option<u64>, HostError>;
    fn user_exists(&self, id: u64) -> Result<bool, HostError>;
    fn remove_unused_user(&self, id: u64) -> Result<bool, HostError>;
    fn subscribe_goal(&self, user: u64, id: &str) -> Result<(), HostError>;
    fn subscribe_quest(&self, user: u64, id: &str) -> Result<(), HostError>;
    fn documents(&self, table: &str, user: u64) -> Result<Vec<Value>, HostError>;
    fn create_api_key(&self, user: u64, permissions: &[String]) -> Result<String, HostError>;
    fn api_keys_of(&self, user: u64) -> Result<Vec<Value>, HostError>;
    fn revoke_api_key(&self, key: &str) -> Result<usize, HostError>;
    fn users_with_orphans(&self) -> Result<Vec<u64>, HostError>;
}

/// Whether `--db` names PostgreSQL.
pub(crate) fn is_postgres(db: &str) -> bool {
    kaiden_postgres::is_postgres_url(db)
}

/// The SQLite files of a database: itself, its WAL and shared memory, and
/// its service file's.
fn sqlite_files(db: &str) -> Vec<PathBuf> {
    [
        "",
        "-wal",
        "-shm",
        ".service",
        ".service-wal",
        ".service-shm",
    ]
    .iter()
    .map(|suffix| PathBuf::from(format!("{db}{suffix}")))
    .collect()
}

macro_rules! delegate {
    ($t:ty) => {
        fn ensure_user(&self, id: u64, name: &str) -> Result<(), HostError> {
            <$t>::ensure_user(self, id, name)
        }
        fn add_user(&self, name: &str) -> Result<u64, HostError> {
            <$t>::add_user(self, name)
        }
        fn user_named(&self, name: &str) -> Result<Option<u64>, HostError> {
            <$t>::user_named(self, name)
        }
        fn user_exists(&self, id: u64) -> Result<bool, HostError> {
            <$t>::user_exists(self, id)
        }
        fn remove_unused_user(&self, id: u64) -> Result<bool, HostError> {
            <$t>::remove_unused_user(self, id)
        }
        fn subscribe_goal(&self, user: u64, id: &str) -> Result<(), HostError> {
            <$t>::subscribe_goal(self, user, id)
        }
        fn subscribe_quest(&self, user: u64, id: &str) -> Result<(), HostError> {
            <$t>::subscribe_quest(self, user, id)
        }
        fn documents(&self, table: &str, user: u64) -> Result<Vec<Value>, HostError> {
            <$t>::documents(self, table, user)
        }
        fn create_api_key(&self, user: u64, permissions: &[String]) -> Result<String, HostError> {
            <$t>::create_api_key(self, user, permissions)
        }
        fn api_keys_of(&self, user: u64) -> Result<Vec<Value>, HostError> {
            <$t>::api_keys_of(self, user)
        }
        fn revoke_api_key(&self, key: &str) -> Result<usize, HostError> {
            <$t>::revoke_api_key(self, key)
        }
        fn users_with_orphans(&self) -> Result<Vec<u64>, HostError> {
            <$t>::users_with_orphans(self)
        }
    };
}

impl Store for SqliteHost {
    fn open(db: &str) -> Result<Arc<Self>, String> {
        SqliteHost::open(db)
            .map(Arc::new)
            .map_err(|e| format!("{db}: {e}"))
    }

    fn is_fresh(db: &str) -> bool {
        !Path::new(db).exists()
    }

    fn remove_created(db: &str) {
        for f in sqlite_files(db) {
            let _ = std::fs::remove_file(f);
        }
    }

    fn load_seeds(&self, dir: &Path) -> Result<SeedReport, String> {
        SqliteHost::load_seeds(self, dir).map_err(|e| e.to_string())
    }

    delegate!(SqliteHost);
}

impl Store for PgHost {
    fn open(db: &str) -> Result<Arc<Self>, String> {
        let mut options = kaiden_postgres::PgOptions::new(db);
        if let Ok(schema) = std::env::var("KAIDEN_PG_SCHEMA") {
            options.schema = Some(schema);
        }
        PgHost::open_with(options)
            .map(Arc::new)
            .map_err(|e| format!("{}: {e}", kaiden_postgres::redact_url(db)))
    }

    fn is_fresh(_db: &str) -> bool {
        // A database is never created by a command, only its tables.
        false
    }

    fn remove_created(_db: &str) {}

    fn load_seeds(&self, dir: &Path) -> Result<SeedReport, String> {
        PgHost::load_seeds(self, dir).map_err(|e| e.to_string())
    }

    delegate!(PgHost);
}
