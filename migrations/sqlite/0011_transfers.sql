-- Transfers between provinces' teams (issue 15). Kept in step with
-- migrations/postgres/0011_transfers.sql.

-- A proposal to move a case to another province, and how it ended. The codes (reason,
-- decision) are checked by shared::family::transfer, not by CHECK constraints: a list that
-- grows would need the table rebuilt on SQLite.
CREATE TABLE case_transfer (
    case_transfer_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    from_province TEXT NOT NULL REFERENCES location (location_id),
    from_district TEXT NOT NULL,
    to_province TEXT NOT NULL REFERENCES location (location_id),
    to_district TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- The handover note for the receiving team.
    note TEXT,
    proposed_by TEXT NOT NULL REFERENCES app_user (user_id),
    proposed_at TEXT NOT NULL,
    -- NULL while pending; accepted, declined or withdrawn.
    decision TEXT,
    decided_by TEXT REFERENCES app_user (user_id),
    decided_at TEXT,
    -- Why it was declined.
    comment TEXT,
    -- Whom the receiving supervisor gave the case to (NULL: left for the team).
    assigned_to TEXT REFERENCES app_user (user_id)
);
CREATE INDEX case_transfer_family_idx ON case_transfer (family_id, proposed_at);
-- One pending proposal per case, whatever two people submit at the same moment.
CREATE UNIQUE INDEX case_transfer_pending_key ON case_transfer (family_id) WHERE decision IS NULL;
