-- The live side of the front door: who is on duty, the rota, urgent-case alerts with their
-- escalation, "talk to someone now" requests, family links between cases, and staff
-- profiles for assignment suggestions. Names and phone numbers are sealed; everything else
-- is ids, times and codes.
CREATE TABLE staff_profiles (user_id TEXT PRIMARY KEY REFERENCES users(id), on_duty INTEGER NOT NULL DEFAULT 0, duty_since BIGINT, languages TEXT NOT NULL DEFAULT '', regions TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL);
CREATE TABLE shifts (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, time_zone TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL);
CREATE INDEX shifts_time ON shifts(ends_at, starts_at);
CREATE INDEX shifts_user ON shifts(user_id, ends_at);
CREATE TABLE alerts (id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), raised_at BIGINT NOT NULL, deadline_at BIGINT NOT NULL, acknowledged_at BIGINT, acknowledged_by TEXT REFERENCES users(id), escalated_at BIGINT);
CREATE INDEX alerts_open ON alerts(acknowledged_at, deadline_at);
CREATE INDEX alerts_case ON alerts(case_id);
CREATE TABLE support_requests (id TEXT PRIMARY KEY, idempotency_key_hash TEXT NOT NULL UNIQUE, request_hash TEXT NOT NULL, status TEXT NOT NULL, language TEXT NOT NULL, country TEXT NOT NULL, time_zone TEXT NOT NULL, slot_start BIGINT, slot_end BIGINT, details_sealed BYTEA NOT NULL, response TEXT NOT NULL, created_at BIGINT NOT NULL, claimed_by TEXT REFERENCES users(id), claimed_at BIGINT, closed_at BIGINT, outcome TEXT, note_sealed BYTEA, version BIGINT NOT NULL);
CREATE INDEX support_requests_status ON support_requests(status, created_at);
CREATE INDEX support_requests_slot ON support_requests(slot_start);
CREATE TABLE case_links (case_id TEXT NOT NULL REFERENCES cases(id), linked_case_id TEXT NOT NULL REFERENCES cases(id), relationship TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL, PRIMARY KEY (case_id, linked_case_id));
