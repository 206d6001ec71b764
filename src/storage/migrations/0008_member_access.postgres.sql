-- Members reach their status page through a single-use link sent by mail. The email is
-- found through a keyed blind index (never stored in the clear); links and sessions are
-- stored as hashes of their tokens, so a copy of the database opens nothing.
ALTER TABLE people ADD COLUMN email_index TEXT;
CREATE INDEX people_email ON people(email_index);
CREATE TABLE member_links (token_hash TEXT PRIMARY KEY, email_index TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT);
CREATE INDEX member_links_email ON member_links(email_index, created_at);
CREATE TABLE member_sessions (id_hash TEXT PRIMARY KEY, email_index TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
