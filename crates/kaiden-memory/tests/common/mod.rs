//! The memory host as the host suite drives it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use kaiden_memory::MemoryHost;
use serde_json::Value;

pub struct Memory(MemoryHost);

impl kaiden_host_suite::TestHost for Memory {
    type Host = MemoryHost;

    fn open(_dir: &Path) -> Self {
        Memory(MemoryHost::new())
    }

    fn host(&self) -> &MemoryHost {
        &self.0
    }

    fn load_seeds(&self, dir: &Path) -> Result<kaiden_core::seeds::SeedReport, String> {
        self.0.load_seeds(dir).map_err(|e| e.to_string())
    }

    fn ensure_user(&self, id: u64, name: &str) -> Result<(), String> {
        self.0.ensure_user(id, name);
        Ok(())
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
        Ok(self.0.dump())
    }

    fn import_timings(&self, import_id: &str) -> Result<Option<Value>, String> {
        Ok(self.0.import_timings(import_id))
    }
}

impl kaiden_host_suite::service::TestServiceHost for Memory {
    fn create_api_key(&self, user: u64, permissions: &[&str]) -> Result<String, String> {
        let p: Vec<String> = permissions.iter().map(|s| (*s).to_owned()).collect();
        self.0.create_api_key(user, &p).map_err(|e| e.to_string())
    }
}
