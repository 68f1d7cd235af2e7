-- Retention and a family's own data (issue 14). Kept in step with
-- migrations/sqlite/0009_retention.sql.

-- When a closed case was anonymised after its retention period (NULL: not anonymised).
ALTER TABLE family ADD COLUMN anonymised_at TEXT;
-- The closed cases still holding personal data, by closure: what the retention worker reads.
CREATE INDEX family_retention_idx ON family (closed_at)
    WHERE status = 'closed' AND anonymised_at IS NULL;

-- A request to erase a family, asked by one supervisor and decided by another. It outlives
-- the family it erased (no foreign key to it): once carried out, only ids, codes and times
-- remain of it, as of the audit trail.
CREATE TABLE erasure_request (
    erasure_request_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('family_request', 'registered_in_error', 'legal_order')),
    note TEXT,
    requested_by TEXT NOT NULL REFERENCES app_user (user_id),
    requested_at TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('approved', 'returned')),
    decided_by TEXT REFERENCES app_user (user_id),
    decided_at TEXT,
    comment TEXT
);
CREATE INDEX erasure_request_family_idx ON erasure_request (family_id, requested_at);
