-- Mails the reminder job sends providers about a listing: the weekly "still taking clients?"
-- check-in, whose one-click link works once (only the hash of its token is stored, so a copy
-- of the database confirms nothing), and licence / profile reminders. The newest row per
-- (kind, user, listing) is how the job knows not to write again before the interval.
CREATE TABLE provider_notices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  token_hash TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX provider_notices_last ON provider_notices (kind, user_id, service_id, created_at);
