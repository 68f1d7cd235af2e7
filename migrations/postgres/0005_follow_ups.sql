-- Follow-ups, contact attempts, case closure, and the once-a-day digest.
-- Kept in step with migrations/sqlite/0005_follow_ups.sql.

CREATE TABLE follow_up (
    follow_up_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('home_visit', 'phone_call', 'office_visit')),
    due_on TEXT NOT NULL,
    assigned_to TEXT REFERENCES app_user (user_id),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'missed', 'cancelled')),
    notes TEXT,
    missed_reason TEXT,
    -- When it was done (or missed).
    done_on TEXT,
    -- The re-assessment taken at this follow-up, if any.
    assessment_id TEXT REFERENCES assessment (assessment_id),
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX follow_up_assignee_idx ON follow_up (assigned_to, status, due_on);
CREATE INDEX follow_up_family_idx ON follow_up (family_id, due_on);

-- Attempts to reach the family (a missed follow-up records one).
CREATE TABLE contact_attempt (
    contact_attempt_id TEXT PRIMARY KEY,
    follow_up_id TEXT NOT NULL REFERENCES follow_up (follow_up_id) ON DELETE CASCADE,
    attempted_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user (user_id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX contact_attempt_follow_up_idx ON contact_attempt (follow_up_id);

-- The last time someone from the ministry reached the family (a follow-up done); NULL means
-- not since registration. Cases without contact for too long are lost to follow-up.
ALTER TABLE family ADD COLUMN last_contact_on TEXT;

-- Closure requests and the supervisor's decision (NULL while pending).
CREATE TABLE case_closure (
    case_closure_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('reintegrated', 're_migrated', 'moved_away', 'lost_contact',
        'declined_services', 'deceased')),
    note TEXT,
    requested_by TEXT NOT NULL REFERENCES app_user (user_id),
    requested_at TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('approved', 'returned')),
    decided_by TEXT REFERENCES app_user (user_id),
    decided_at TEXT,
    comment TEXT
);
CREATE INDEX case_closure_family_idx ON case_closure (family_id, requested_at);

-- The morning digest already queued for a user on a local date: one a day, across restarts.
CREATE TABLE digest_sent (
    user_id TEXT NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    PRIMARY KEY (user_id, local_date)
);
