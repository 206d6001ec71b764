-- People who reach out, their intakes, and the cases staff work. Everything a person told
-- us is sealed under their own data key; only what routing and reporting need is plain
-- (country, region, role, requests, attribution), and never a name or contact detail.
CREATE TABLE people (id TEXT PRIMARY KEY, preferred_name_sealed BYTEA NOT NULL, contact_sealed BYTEA NOT NULL, language TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE cases (id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, person_id TEXT NOT NULL REFERENCES people(id), status TEXT NOT NULL, urgent INTEGER NOT NULL DEFAULT 0, assigned_to TEXT REFERENCES users(id), country TEXT NOT NULL, region TEXT NOT NULL, industry_role TEXT NOT NULL, requests TEXT NOT NULL, src TEXT NOT NULL, first_contact_due_at BIGINT NOT NULL, first_contact_at BIGINT, version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX cases_queue ON cases(status, urgent, created_at);
CREATE INDEX cases_assigned ON cases(assigned_to, status);
CREATE TABLE intakes (id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES people(id), case_id TEXT NOT NULL REFERENCES cases(id), idempotency_key_hash TEXT NOT NULL UNIQUE, request_hash TEXT NOT NULL, answers_sealed BYTEA NOT NULL, screenings_sealed BYTEA NOT NULL, response TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE case_events (id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), at BIGINT NOT NULL, actor_id TEXT NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX case_events_case ON case_events(case_id, at);
