-- Who changed what in the directory, when (console and provider portal edits, verifications,
-- openings confirmations, listing pauses, imports), and which organization each provider
-- account speaks for.
CREATE TABLE directory_changes (
  seq BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  service_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  record_id TEXT NOT NULL,
  action TEXT NOT NULL,
  field TEXT NOT NULL,
  before_value TEXT NOT NULL,
  after_value TEXT NOT NULL
);
CREATE INDEX directory_changes_service ON directory_changes (service_id, seq);

CREATE TABLE provider_organizations (
  user_id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  linked_at BIGINT NOT NULL,
  linked_by TEXT NOT NULL
);
