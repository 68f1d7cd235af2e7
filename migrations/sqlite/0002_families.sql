-- Families (cases), their members, consent, notes, the timeline, and the search index.
-- Kept in step with migrations/postgres/0002_families.sql.

-- The last case number given per country and year (AF-2026-000123): incremented in the
-- registering transaction, so numbers are unique under concurrent registrations.
CREATE TABLE case_number_counter (
    country TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (country, year)
);

CREATE TABLE family (
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
    returned_from TEXT NOT NULL,
    return_type TEXT NOT NULL CHECK (return_type IN ('voluntary_assisted', 'deported', 'spontaneous')),
    status TEXT NOT NULL CHECK (status IN ('registered', 'assessed', 'in_progress', 'closed')),
    assigned_to TEXT REFERENCES app_user (user_id),
    -- Copied from the head of household for lists (kept in step by every member change).
    head_name_local TEXT,
    head_name_latin TEXT,
    member_count BIGINT NOT NULL,
    registration_consent INTEGER NOT NULL CHECK (registration_consent IN (0, 1)),
    sharing_consent INTEGER NOT NULL CHECK (sharing_consent IN (0, 1)),
    version BIGINT NOT NULL,
    created_by TEXT REFERENCES app_user (user_id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT family_case_number_key UNIQUE (case_number)
);
CREATE INDEX family_province_idx ON family (country, province, updated_at);
CREATE INDEX family_updated_idx ON family (country, updated_at);
CREATE INDEX family_assigned_idx ON family (assigned_to, updated_at);
CREATE INDEX family_status_idx ON family (country, status, updated_at);
CREATE INDEX family_return_date_idx ON family (country, return_date);
CREATE INDEX family_phone_idx ON family (phone_key);
CREATE INDEX family_case_seq_idx ON family (case_seq);

CREATE TABLE member (
    member_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name_local TEXT,
    name_latin TEXT,
    father_name TEXT,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
    birth_date TEXT,
    estimated_age BIGINT,
    -- The day an estimated age was recorded (the age grows from there).
    age_recorded_on TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    relationship TEXT NOT NULL,
    education TEXT NOT NULL,
    occupation TEXT,
    skills TEXT,
    health TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX member_family_idx ON member (family_id, position);
CREATE INDEX member_birth_year_idx ON member (birth_year);

CREATE TABLE member_need (
    member_id TEXT NOT NULL REFERENCES member (member_id) ON DELETE CASCADE,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    need TEXT NOT NULL CHECK (need IN ('unaccompanied_minor', 'female_headed_household', 'older_person',
                                       'disability', 'chronic_illness', 'trafficking_survivor')),
    PRIMARY KEY (member_id, need)
);
CREATE INDEX member_need_family_idx ON member_need (need, family_id);

CREATE TABLE member_document (
    member_id TEXT NOT NULL REFERENCES member (member_id) ON DELETE CASCADE,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    document_type TEXT NOT NULL CHECK (document_type IN ('tazkira', 'national_id', 'passport')),
    -- Normalised: uppercase, Western digits, no separators.
    number TEXT NOT NULL,
    PRIMARY KEY (member_id, document_type)
);
CREATE INDEX member_document_number_idx ON member_document (number);

-- Normalised name words (and Latin skeletons, marked with a leading '~') of every member,
-- for search by prefix and for duplicate candidates. Byte order: prefix searches are ranges.
-- Without a rowid, the family id is read from the index itself.
CREATE TABLE name_token (
    token TEXT NOT NULL,
    member_id TEXT NOT NULL REFERENCES member (member_id) ON DELETE CASCADE,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    PRIMARY KEY (token, member_id)
) WITHOUT ROWID;
CREATE INDEX name_token_member_idx ON name_token (member_id);

CREATE TABLE consent (
    consent_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'sharing')),
    given INTEGER NOT NULL CHECK (given IN (0, 1)),
    given_by TEXT NOT NULL,
    recorded_by TEXT REFERENCES app_user (user_id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX consent_family_idx ON consent (family_id, recorded_at);

CREATE TABLE case_note (
    case_note_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    author_user_id TEXT REFERENCES app_user (user_id),
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX case_note_family_idx ON case_note (family_id, created_at);

-- The timeline: everything that happened to a case. `detail` is JSON (changed fields, …);
-- `version` is the family's version after the event.
CREATE TABLE case_event (
    case_event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    actor_user_id TEXT REFERENCES app_user (user_id),
    kind TEXT NOT NULL,
    detail TEXT,
    version BIGINT
);
CREATE INDEX case_event_family_idx ON case_event (family_id, case_event_id);
