-- Case notes: sealed under the person's data key, never edited in place — an edit is a new
-- version beside the old ones, so the record of what was written stays whole.
CREATE TABLE case_notes (id TEXT NOT NULL, version INTEGER NOT NULL, case_id TEXT NOT NULL REFERENCES cases(id), body_sealed BLOB NOT NULL, author_id TEXT NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL, PRIMARY KEY (id, version));
CREATE INDEX case_notes_case ON case_notes(case_id, id, version);
