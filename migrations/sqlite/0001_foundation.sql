-- Foundation: organisations, locations, users and their areas, sessions, sign-in throttling,
-- the audit log and form flashes. Timestamps are UTC text of fixed width (see app/src/server/clock.rs);
-- ids are random UUIDs as text; flags are 0/1 integers (sqlx's Any driver cannot read SQLite
-- booleans). Kept in step with migrations/postgres/0001_foundation.sql.

CREATE TABLE organisation (
    organisation_id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ministry', 'partner', 'programme')),
    country TEXT CHECK (country IN ('AF', 'IQ')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT organisation_code_key UNIQUE (code)
);

CREATE TABLE location (
    location_id TEXT PRIMARY KEY,
    country TEXT NOT NULL CHECK (country IN ('AF', 'IQ')),
    iso_code TEXT,
    name_en TEXT NOT NULL,
    name_local TEXT NOT NULL
);

CREATE TABLE app_user (
    user_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('caseworker', 'supervisor', 'partner', 'programme_manager', 'admin')),
    organisation_id TEXT NOT NULL REFERENCES organisation (organisation_id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    language TEXT NOT NULL DEFAULT 'en',
    -- 'local' (Persian or Arabic-Indic, by language) or 'western'.
    digits TEXT NOT NULL DEFAULT 'local' CHECK (digits IN ('local', 'western')),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT app_user_email_key UNIQUE (email)
);
CREATE INDEX app_user_organisation_idx ON app_user (organisation_id);

CREATE TABLE user_area (
    user_id TEXT NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES location (location_id),
    PRIMARY KEY (user_id, location_id)
);

-- The id is the SHA-256 of the cookie's token: a leaked table does not hand out sessions.
CREATE TABLE user_session (
    session_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client_addr TEXT
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Failed sign-ins per email address as typed (whether or not an account has it), so that the
-- lock reveals nothing about which addresses exist.
CREATE TABLE sign_in_throttle (
    email_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at TEXT NOT NULL,
    locked_until TEXT
);

CREATE TABLE audit_event (
    audit_event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    actor_user_id TEXT REFERENCES app_user (user_id),
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    client_addr TEXT,
    detail TEXT
);
CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, occurred_at);
CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id);

-- What a form post without JavaScript left for the page it returns to: the error and the
-- values typed (never passwords). Read once, and swept after minutes.
CREATE TABLE form_flash (
    flash_id TEXT PRIMARY KEY,
    form TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
