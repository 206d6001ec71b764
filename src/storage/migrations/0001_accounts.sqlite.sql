-- Accounts, sessions, API tokens, envelope data keys and the hash-chained audit log.
-- Sealed columns hold XChaCha20-Poly1305 ciphertext; lookups use keyed blind indexes.
CREATE TABLE data_keys (subject_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL, master_key_id TEXT NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE users (id TEXT PRIMARY KEY, email_index TEXT NOT NULL UNIQUE, email_sealed BLOB NOT NULL, name_sealed BLOB NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL, totp_secret_sealed BLOB, totp_enrolled INTEGER NOT NULL DEFAULT 0, totp_last_step INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE login_failures (user_id TEXT NOT NULL REFERENCES users(id), at INTEGER NOT NULL);
CREATE INDEX login_failures_user_at ON login_failures(user_id, at);
CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, last_used_at INTEGER, revoked_at INTEGER);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, action TEXT NOT NULL, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL, request_id TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, '', '');
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
