-- Accounts, sessions, API tokens, envelope data keys and the hash-chained audit log.
-- Sealed columns hold XChaCha20-Poly1305 ciphertext; lookups use keyed blind indexes.
CREATE TABLE data_keys (subject_id TEXT PRIMARY KEY, wrapped BYTEA NOT NULL, master_key_id TEXT NOT NULL, version INTEGER NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE users (id TEXT PRIMARY KEY, email_index TEXT NOT NULL UNIQUE, email_sealed BYTEA NOT NULL, name_sealed BYTEA NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL, totp_secret_sealed BYTEA, totp_enrolled INTEGER NOT NULL DEFAULT 0, totp_last_step BIGINT NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0, version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE login_failures (user_id TEXT NOT NULL REFERENCES users(id), at BIGINT NOT NULL);
CREATE INDEX login_failures_user_at ON login_failures(user_id, at);
CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, last_used_at BIGINT, revoked_at BIGINT);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, at BIGINT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, action TEXT NOT NULL, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL, request_id TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, '', '');
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
