-- Reintegration assessments and the plan their needs become.
-- Kept in step with migrations/sqlite/0003_assessments.sql.

-- One assessment of a family (or of one member), taken with one version of the instrument.
-- Scores are stored as computed then: a later instrument version never changes them.
CREATE TABLE assessment (
    assessment_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    member_id TEXT REFERENCES member (member_id),
    instrument_version BIGINT NOT NULL,
    assessed_on TEXT NOT NULL,
    -- 0–1; NULL where no question of the dimension was answered.
    economic DOUBLE PRECISION,
    social DOUBLE PRECISION,
    psychosocial DOUBLE PRECISION,
    composite DOUBLE PRECISION,
    -- {"indicator code": "option code", …}
    answers TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES app_user (user_id),
    created_at TEXT NOT NULL
);
CREATE INDEX assessment_family_idx ON assessment (family_id, assessed_on);

-- The reintegration plan: one item per need, proposed from an assessment, then confirmed and
-- followed by the caseworker. Each item carries its own version (edits detect conflicts).
CREATE TABLE plan_item (
    plan_item_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    assessment_id TEXT REFERENCES assessment (assessment_id),
    -- The indicator whose answer revealed the need.
    need TEXT NOT NULL,
    service TEXT NOT NULL,
    action TEXT,
    target_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'planned', 'in_progress', 'done', 'cancelled')),
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES app_user (user_id)
);
CREATE INDEX plan_item_family_idx ON plan_item (family_id, created_at);
