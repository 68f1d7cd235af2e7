-- The request pipeline and the holes found in review (issue 11). Kept in step with the other
-- backend's 0007_pipeline.sql.

-- Sign-in throttling keyed by account and client address, with an account-wide ceiling:
-- `throttle_key` is `pair:<account hash>:<address>` or `account:<account hash>`, where the
-- account hash is the SHA-256 of the address typed (people type passwords into that field,
-- so what they typed is never stored).
DROP TABLE sign_in_throttle;
CREATE TABLE sign_in_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at TEXT NOT NULL,
    locked_until TEXT
);

-- A password set by an administrator must be changed by its holder at the next sign-in.
ALTER TABLE app_user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));

-- Directory entries are edited with a version, like every other record.
ALTER TABLE organisation ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- One ministry per country: a second one's supervisors would see that whole country.
CREATE UNIQUE INDEX organisation_one_ministry_key ON organisation (country) WHERE kind = 'ministry';

-- When the case was closed: a partner keeps a closed case's referrals' personal data only for
-- a while after it.
ALTER TABLE family ADD COLUMN closed_at TEXT;
UPDATE family SET closed_at = (
    SELECT MAX(c.decided_at) FROM case_closure c
    WHERE c.family_id = family.family_id AND c.decision = 'approved'
) WHERE status = 'closed';
