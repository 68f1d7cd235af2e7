-- no-transaction
-- A family that changes (issue 15): members who left or died, several identity documents of
-- more kinds, the return of internally displaced people, and closure as a duplicate or an
-- error. Kept in step with migrations/postgres/0012_family_changes.sql.
--
-- The codes of return types, document types and closure reasons grow, so they are checked by
-- shared (as case_transfer's are), no longer by CHECK constraints. SQLite cannot drop a
-- constraint: the three tables are rebuilt, the way its ALTER TABLE documentation lays out.
-- Foreign keys must be off while `family`, which other tables reference, is replaced (else
-- dropping it would cascade into them), and that pragma has no effect inside a transaction:
-- hence no transaction of sqlx's around this file, and one of its own.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE family_new (
    family_id TEXT PRIMARY KEY,
    case_number TEXT NOT NULL,
    -- The number part of the case number (123 of AF-2026-000123): found without a scan.
    case_seq BIGINT NOT NULL,
    country TEXT NOT NULL CHECK (country IN ('AF', 'IQ')),
    province TEXT NOT NULL REFERENCES location (location_id),
    district TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    phone_international TEXT,
    -- The last nine digits of the phone number: a search by a local number finds it.
    phone_key TEXT,
    return_date TEXT NOT NULL,
    -- A country abroad; for internally displaced people, their own country.
    returned_from TEXT NOT NULL,
    return_type TEXT NOT NULL,
    -- Internally displaced people only: the province/governorate they come back from.
    displaced_from TEXT REFERENCES location (location_id),
    status TEXT NOT NULL CHECK (status IN ('registered', 'assessed', 'in_progress', 'closed')),
    assigned_to TEXT REFERENCES app_user (user_id),
    -- Copied from the head of household for lists (kept in step by every member change).
    head_name_local TEXT,
    head_name_latin TEXT,
    -- The members still living with the family.
    member_count BIGINT NOT NULL,
    registration_consent INTEGER NOT NULL CHECK (registration_consent IN (0, 1)),
    sharing_consent INTEGER NOT NULL CHECK (sharing_consent IN (0, 1)),
    version BIGINT NOT NULL,
    created_by TEXT REFERENCES app_user (user_id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_contact_on TEXT,
    closed_at TEXT,
    anonymised_at TEXT,
    CONSTRAINT family_case_number_key UNIQUE (case_number)
);
INSERT INTO family_new (family_id, case_number, case_seq, country, province, district, address,
        phone, phone_international, phone_key, return_date, returned_from, return_type, status,
        assigned_to, head_name_local, head_name_latin, member_count, registration_consent,
        sharing_consent, version, created_by, created_at, updated_at, last_contact_on, closed_at,
        anonymised_at)
    SELECT family_id, case_number, case_seq, country, province, district, address,
        phone, phone_international, phone_key, return_date, returned_from, return_type, status,
        assigned_to, head_name_local, head_name_latin, member_count, registration_consent,
        sharing_consent, version, created_by, created_at, updated_at, last_contact_on, closed_at,
        anonymised_at
    FROM family;
DROP TABLE family;
ALTER TABLE family_new RENAME TO family;
CREATE INDEX family_province_idx ON family (country, province, updated_at);
CREATE INDEX family_updated_idx ON family (country, updated_at);
CREATE INDEX family_assigned_idx ON family (assigned_to, updated_at);
CREATE INDEX family_status_idx ON family (country, status, updated_at);
CREATE INDEX family_return_date_idx ON family (country, return_date);
CREATE INDEX family_phone_idx ON family (phone_key);
CREATE INDEX family_case_seq_idx ON family (case_seq);
CREATE INDEX family_created_idx ON family (created_at);
CREATE INDEX family_retention_idx ON family (closed_at)
    WHERE status = 'closed' AND anonymised_at IS NULL;

CREATE TABLE case_closure_new (
    case_closure_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    note TEXT,
    requested_by TEXT NOT NULL REFERENCES app_user (user_id),
    requested_at TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('approved', 'returned')),
    decided_by TEXT REFERENCES app_user (user_id),
    decided_at TEXT,
    comment TEXT
);
INSERT INTO case_closure_new (case_closure_id, family_id, reason, note, requested_by,
        requested_at, decision, decided_by, decided_at, comment)
    SELECT case_closure_id, family_id, reason, note, requested_by, requested_at, decision,
        decided_by, decided_at, comment
    FROM case_closure;
DROP TABLE case_closure;
ALTER TABLE case_closure_new RENAME TO case_closure;
CREATE INDEX case_closure_family_idx ON case_closure (family_id, requested_at);

CREATE TABLE member_document_new (
    member_id TEXT NOT NULL REFERENCES member (member_id) ON DELETE CASCADE,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    document_type TEXT NOT NULL,
    -- Normalised: uppercase, Western digits, no separators.
    number TEXT NOT NULL,
    PRIMARY KEY (member_id, document_type)
);
INSERT INTO member_document_new (member_id, family_id, document_type, number)
    SELECT member_id, family_id, document_type, number FROM member_document;
DROP TABLE member_document;
ALTER TABLE member_document_new RENAME TO member_document;
CREATE INDEX member_document_number_idx ON member_document (number);

-- Present, departed or deceased (checked by shared), and the day they left or died.
ALTER TABLE member ADD COLUMN presence TEXT NOT NULL DEFAULT 'present';
ALTER TABLE member ADD COLUMN left_on TEXT;

COMMIT;
PRAGMA foreign_keys = ON;
