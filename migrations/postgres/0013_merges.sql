-- Merging two records of one family, and the pairs the duplicate rules found (issue 15).
-- Kept in step with migrations/sqlite/0013_merges.sql.

-- The record a merged-away case went into. The merged-away record stays, closed and read
-- only; its number finds the survivor. Erasing the survivor erases it too.
ALTER TABLE family ADD COLUMN merged_into TEXT REFERENCES family (family_id) ON DELETE CASCADE;

CREATE TABLE case_merge (
    case_merge_id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    merged_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    merged_by TEXT NOT NULL REFERENCES app_user (user_id),
    merged_at TEXT NOT NULL,
    -- The survivor's last timeline event once merged: an event after it (anything added to
    -- the case since) means the merge can no longer be undone.
    survivor_event_id BIGINT,
    -- What undoing needs (JSON): the survivor's household as it was, where each person of
    -- the two records was, and every row moved. Cleared when either record is anonymised.
    undo TEXT,
    -- The merged-away record as it was (JSON), for its read-only page. Cleared likewise.
    snapshot TEXT,
    undone_by TEXT REFERENCES app_user (user_id),
    undone_at TEXT
);
CREATE INDEX case_merge_survivor_idx ON case_merge (survivor_id, merged_at);
CREATE INDEX case_merge_merged_idx ON case_merge (merged_id, merged_at);

-- Two cases the duplicate rules matched when the second was registered anyway: the
-- supervisors' queue of possible duplicates, until merged or set aside.
CREATE TABLE possible_duplicate (
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    other_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    -- shared::family::MatchReason of the first match.
    reason TEXT NOT NULL,
    found_at TEXT NOT NULL,
    dismissed_by TEXT REFERENCES app_user (user_id),
    dismissed_at TEXT,
    PRIMARY KEY (family_id, other_id)
);
CREATE INDEX possible_duplicate_other_idx ON possible_duplicate (other_id);
