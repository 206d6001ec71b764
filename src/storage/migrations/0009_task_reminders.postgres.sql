-- Task reminders: when a task's reminder went out (once per task), so the reminder job on
-- every node reminds each task exactly once.
ALTER TABLE case_tasks ADD COLUMN reminded_at BIGINT;
