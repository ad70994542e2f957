//! The PostgreSQL host as the host suite drives it: each test gets a fresh
//! schema on the server `KAIDEN_TEST_POSTGRES` names (by default the local
//! `postgres://postgres@127.0.0.1:5432/test`), dropped when it ends. Without
//! a reachable server every case prints SKIPPED with the reason.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kaiden_postgres::{PgHost, PgOptions};
use serde_json::Value;

/// The server the tests use.
pub fn url() -> String {
    std::env::var("KAIDEN_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Runs `sql` on a connection of its own (outside any host).
pub fn admin(sql: &str) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (client, conn) = tokio::time::timeout(
            Duration::from_secs(5),
            tokio_postgres::connect(&url(), tokio_postgres::NoTls),
        )
        .await
        .map_err(|_| format!("{} did not answer within 5 s", url()))?
        .map_err(|e| format!("{}: {e}", url()))?;
        let driver = tokio::spawn(conn);
        let r = client.batch_execute(sql).await.map_err(|e| e.to_string());
        drop(client);
        let _ = driver.await;
        r
    })
}

/// A fresh schema name, unique in this process and among processes.
pub fn fresh_schema() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "kaiden_t_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The PostgreSQL host on a schema of its own, dropped with it.
pub struct Pg {
    pub host: PgHost,
    pub schema: String,
}

impl Pg {
    pub fn fresh() -> Self {
        let schema = fresh_schema();
        let mut options = PgOptions::new(url());
        options.schema = Some(schema.clone());
        let host = PgHost::open_with(options).expect("PostgreSQL host");
        Pg { host, schema }
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = admin(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

impl kaiden_host_suite::TestHost for Pg {
    type Host = PgHost;

    fn open(_dir: &Path) -> Self {
        Pg::fresh()
    }

    fn host(&self) -> &PgHost {
        &self.host
    }

    fn load_seeds(&self, dir: &Path) -> Result<kaiden_core::seeds::SeedReport, String> {
        self.host.load_seeds(dir).map_err(|e| e.to_string())
    }

    fn ensure_user(&self, id: u64, name: &str) -> Result<(), String> {
        self.host.ensure_user(id, name).map_err(|e| e.to_string())
    }

    fn subscribe_goal(&self, user: u64, goal_id: &str) -> Result<(), String> {
        self.host
            .subscribe_goal(user, goal_id)
            .map_err(|e| e.to_string())
    }

    fn subscribe_quest(&self, user: u64, quest_id: &str) -> Result<(), String> {
        self.host
            .subscribe_quest(user, quest_id)
            .map_err(|e| e.to_string())
    }

    fn documents(&self, table: &str, user: u64) -> Result<Vec<Value>, String> {
        self.host.documents(table, user).map_err(|e| e.to_string())
    }

    fn dump(&self) -> Result<Vec<String>, String> {
        self.host.dump().map_err(|e| e.to_string())
    }

    fn import_timings(&self, import_id: &str) -> Result<Option<Value>, String> {
        self.host
            .import_timings(import_id)
            .map_err(|e| e.to_string())
    }

    fn available() -> Result<(), String> {
        static REACHABLE: OnceLock<Result<(), String>> = OnceLock::new();
        REACHABLE
            .get_or_init(|| {
                admin("SELECT 1").map_err(|e| {
                    format!("no PostgreSQL server ({e}); set KAIDEN_TEST_POSTGRES to one")
                })
            })
            .clone()
    }
}

impl kaiden_host_suite::service::TestServiceHost for Pg {
    fn create_api_key(&self, user: u64, permissions: &[&str]) -> Result<String, String> {
        let p: Vec<String> = permissions.iter().map(|s| (*s).to_owned()).collect();
        self.host
            .create_api_key(user, &p)
            .map_err(|e| e.to_string())
    }
}
