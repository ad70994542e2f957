-- kaiden's PostgreSQL schema, version 2. Documents are kept as their JSON
-- text (`doc TEXT`: jsonb would reorder their keys), beside the columns each
-- lookup needs. `seq` columns keep the order rows were first stored.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS songs (seq BIGSERIAL, game TEXT NOT NULL, id BIGINT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (game, id));
CREATE TABLE IF NOT EXISTS charts (seq BIGSERIAL, chart_id TEXT PRIMARY KEY, game TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS charts_game ON charts (game, seq);
CREATE TABLE IF NOT EXISTS folders (folder_id TEXT PRIMARY KEY, game TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS goals (goal_id TEXT PRIMARY KEY, game TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS goal_charts (goal_id TEXT NOT NULL, chart_id TEXT NOT NULL, PRIMARY KEY (goal_id, chart_id));
CREATE INDEX IF NOT EXISTS goal_charts_chart ON goal_charts (chart_id);
CREATE TABLE IF NOT EXISTS quests (quest_id TEXT PRIMARY KEY, game TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quest_goals (quest_id TEXT NOT NULL, goal_id TEXT NOT NULL, PRIMARY KEY (quest_id, goal_id));
CREATE INDEX IF NOT EXISTS quest_goals_goal ON quest_goals (goal_id);
CREATE TABLE IF NOT EXISTS goal_subs (seq BIGSERIAL, user_id BIGINT NOT NULL, goal_id TEXT NOT NULL, game TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (user_id, goal_id));
CREATE TABLE IF NOT EXISTS quest_subs (seq BIGSERIAL, user_id BIGINT NOT NULL, quest_id TEXT NOT NULL, game TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (user_id, quest_id));
-- Keys are compared as bytes (COLLATE "C": no locale rules for hex ids).
CREATE TABLE IF NOT EXISTS scores (seq BIGSERIAL PRIMARY KEY, score_id TEXT COLLATE "C" NOT NULL UNIQUE, user_id BIGINT NOT NULL, chart_id TEXT COLLATE "C" NOT NULL, doc TEXT NOT NULL);
-- A user's scores in the order stored: an import appends to one place of it.
-- (Version 1 had (user_id, chart_id, seq): a random insert per score.)
CREATE INDEX IF NOT EXISTS scores_user_seq ON scores (user_id, seq);
CREATE TABLE IF NOT EXISTS score_blacklist (user_id BIGINT NOT NULL, score_id TEXT NOT NULL, PRIMARY KEY (user_id, score_id));
CREATE TABLE IF NOT EXISTS orphans (seq BIGSERIAL PRIMARY KEY, orphan_id TEXT NOT NULL UNIQUE, user_id BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS orphans_user ON orphans (user_id, seq);
CREATE TABLE IF NOT EXISTS sessions (seq BIGSERIAL PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, user_id BIGINT NOT NULL, gpt TEXT NOT NULL, time_started BIGINT NOT NULL, time_ended BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions (user_id, gpt, time_started);
CREATE INDEX IF NOT EXISTS sessions_ended ON sessions (user_id, gpt, time_ended);
-- `ratings`: what profile ratings read of a PB, `[songID, isPrimary,
-- calculatedData]` as JSON (every import reads it for every PB of the GPT).
CREATE TABLE IF NOT EXISTS pbs (seq BIGSERIAL, chart_id TEXT COLLATE "C" NOT NULL, user_id BIGINT NOT NULL, gpt TEXT NOT NULL, rank BIGINT, doc TEXT NOT NULL, ratings TEXT, PRIMARY KEY (chart_id, user_id));
ALTER TABLE pbs ADD COLUMN IF NOT EXISTS ratings TEXT;
CREATE INDEX IF NOT EXISTS pbs_user_gpt ON pbs (user_id, gpt);
CREATE TABLE IF NOT EXISTS game_stats (seq BIGSERIAL, user_id BIGINT NOT NULL, gpt TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (user_id, gpt));
CREATE TABLE IF NOT EXISTS imports (seq BIGSERIAL, import_id TEXT PRIMARY KEY, user_id BIGINT NOT NULL, import_type TEXT NOT NULL, user_intent BOOLEAN NOT NULL, time_started BIGINT NOT NULL, time_finished BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS imports_user ON imports (user_id, seq);
CREATE INDEX IF NOT EXISTS imports_newest ON imports (time_finished DESC, seq DESC);
CREATE TABLE IF NOT EXISTS import_timings (import_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL, permissions TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS bms_courses (md5sums TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_charts (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
-- The import queue. `worker` is the claiming process's presence key: a
-- session advisory lock that process holds, released by the server when the
-- process or its connection dies.
CREATE TABLE IF NOT EXISTS import_jobs (import_id TEXT PRIMARY KEY, user_id BIGINT NOT NULL, doc TEXT NOT NULL, input BYTEA NOT NULL, state TEXT NOT NULL, runs INTEGER NOT NULL DEFAULT 0, lock_retries INTEGER NOT NULL DEFAULT 0, due_at BIGINT NOT NULL, lease_until BIGINT, worker BIGINT, status INTEGER, message TEXT, created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS import_jobs_due ON import_jobs (state, due_at, created_at);
CREATE TABLE IF NOT EXISTS kai_tokens (user_id BIGINT NOT NULL, service TEXT NOT NULL, access_token TEXT NOT NULL, refresh_token TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (user_id, service));
CREATE TABLE IF NOT EXISTS cg_cards (user_id BIGINT NOT NULL, service TEXT NOT NULL, card_id TEXT NOT NULL, pin TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (user_id, service));
CREATE TABLE IF NOT EXISTS myt_cards (user_id BIGINT PRIMARY KEY, access_code TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS hook_settings (user_id BIGINT NOT NULL, hook TEXT NOT NULL, cards TEXT, force_static_import BOOLEAN NOT NULL, PRIMARY KEY (user_id, hook));
CREATE TABLE IF NOT EXISTS replays (score_id TEXT PRIMARY KEY, data BYTEA NOT NULL, stored_at BIGINT NOT NULL);
-- Large documents (a session or an import of 10^5 scores lists every
-- scoreID) are compressed with lz4 where the server has it (PostgreSQL 14+
-- built with lz4): pglz took a tenth of a large import.
DO $$ BEGIN
  ALTER TABLE sessions ALTER COLUMN doc SET COMPRESSION lz4;
  ALTER TABLE imports ALTER COLUMN doc SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
