-- A note marked internal stays off the case summary printed for the paper file (issue 16).
-- Kept in step with migrations/sqlite/0015_internal_notes.sql.
ALTER TABLE case_note ADD COLUMN internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1));
