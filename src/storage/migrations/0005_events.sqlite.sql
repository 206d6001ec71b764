-- The event log behind live updates (GET /api/v1/stream). An event is written in the same
-- transaction as the change it announces, so a console never hears of a change that rolled
-- back and never misses one that committed. Sequence numbers come from the one-row
-- event_head, whose row lock makes concurrent writers commit in sequence order: a reader
-- that has seen seq N has seen every event before it. Events carry ids and flags only,
-- never personal data; consoles fetch details through the audited API.
CREATE TABLE event_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO event_head (id, seq) VALUES (1, 0);
CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, audience TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX events_at ON events(at);
