-- Care plans: each save of a case's plan is a new version, sealed under the person's data
-- key; old versions stay whole. A supervisor's sign-off is recorded on the version it covers.
CREATE TABLE care_plans (case_id TEXT NOT NULL REFERENCES cases(id), version INTEGER NOT NULL, body_sealed BLOB NOT NULL, author_id TEXT NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL, signed_off_by TEXT REFERENCES users(id), signed_off_at INTEGER, PRIMARY KEY (case_id, version));
