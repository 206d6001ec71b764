-- The mail outbox. A message is enqueued in the same transaction as the change that causes
-- it (a rolled-back change sends nothing) and sent later by the delivery job, which claims
-- due rows with a lease so two nodes never send the same row at once. The recipient, body
-- and attachment are sealed under the data key of subject_id (a person or a staff user);
-- the subject line is plain and never carries personal data; last_error holds engine and
-- SMTP codes only. While a row is sending, next_attempt_at equals lease_until, so the one
-- partial index serves the pick query for new, retried and abandoned rows alike.
CREATE TABLE mail_outbox (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, subject_id TEXT NOT NULL, to_sealed BLOB NOT NULL, subject TEXT NOT NULL, body_sealed BLOB NOT NULL, attachment_sealed BLOB, template TEXT NOT NULL, language TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')), attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, lease_until INTEGER, last_error TEXT NOT NULL DEFAULT '', sent_at INTEGER);
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX mail_outbox_subject ON mail_outbox(subject_id);
