CREATE TABLE IF NOT EXISTS import_jobs (import_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, doc TEXT NOT NULL, input BLOB NOT NULL, state TEXT NOT NULL, runs INTEGER NOT NULL DEFAULT 0, lock_retries INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, lease_until INTEGER, status INTEGER, message TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS import_jobs_due ON import_jobs (state, due_at);
CREATE TABLE IF NOT EXISTS import_inputs (import_id TEXT PRIMARY KEY, input BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS kai_tokens (user_id INTEGER NOT NULL, service TEXT NOT NULL, access_token TEXT NOT NULL, refresh_token TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (user_id, service));
CREATE TABLE IF NOT EXISTS cg_cards (user_id INTEGER NOT NULL, service TEXT NOT NULL, card_id TEXT NOT NULL, pin TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (user_id, service));
CREATE TABLE IF NOT EXISTS myt_cards (user_id INTEGER PRIMARY KEY, access_code TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS hook_settings (user_id INTEGER NOT NULL, hook TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (user_id, hook));
CREATE TABLE IF NOT EXISTS replays (score_id TEXT PRIMARY KEY, data BLOB NOT NULL, stored_at INTEGER NOT NULL);
