-- What a listing tells the Soundcheck team only: how to reach the provider and notes on their
-- waitlist. Not HSDS records, so never in /hsds or an export; sealed under the listing's own
-- data key (the provider's professional details, but details all the same).
CREATE TABLE directory_private (
  service_id TEXT PRIMARY KEY,
  staff_contact_sealed BLOB NOT NULL,
  waitlist_note_sealed BLOB NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_by_role TEXT NOT NULL
);
