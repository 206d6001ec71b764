-- Care profiles: the person's facts a case manager learned after intake (their point, tour,
-- insurance details, budget, aid), which every match of the case starts from. Each save is a
-- new version, sealed under the person's data key; old versions stay whole.
CREATE TABLE care_profiles (case_id TEXT NOT NULL REFERENCES cases(id), version INTEGER NOT NULL, body_sealed BLOB NOT NULL, author_id TEXT NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL, PRIMARY KEY (case_id, version));
