-- Tasks on a case (follow-ups with due dates). The title may name the person, so it is
-- sealed under their data key.
CREATE TABLE case_tasks (id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), title_sealed BYTEA NOT NULL, due_at BIGINT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL, done_at BIGINT, done_by TEXT REFERENCES users(id));
CREATE INDEX case_tasks_case ON case_tasks(case_id, status, due_at);
CREATE INDEX case_tasks_due ON case_tasks(status, due_at);
