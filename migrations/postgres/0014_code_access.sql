-- Referrals to organisations without accounts, answered at /r with a reference and a code
-- (issue 16). Kept in step with migrations/sqlite/0014_code_access.sql.

-- An organisation without accounts: the slip the family carries names whom to see there.
ALTER TABLE organisation ADD COLUMN without_accounts INTEGER NOT NULL DEFAULT 0 CHECK (without_accounts IN (0, 1));
ALTER TABLE organisation ADD COLUMN contact_person TEXT;
ALTER TABLE organisation ADD COLUMN contact_phone TEXT;
ALTER TABLE organisation ADD COLUMN contact_address TEXT;

-- The account such an organisation's people act through once they have typed a referral's
-- code: it has no password that could ever match, is never listed as staff, and its sessions
-- reach one referral each. One per organisation.
ALTER TABLE app_user ADD COLUMN code_access INTEGER NOT NULL DEFAULT 0 CHECK (code_access IN (0, 1));
CREATE UNIQUE INDEX app_user_code_access_key ON app_user (organisation_id) WHERE code_access = 1;

-- A session opened with a referral's code: that referral alone. Issuing a new code ends it.
ALTER TABLE user_session ADD COLUMN referral_id TEXT REFERENCES referral (referral_id) ON DELETE CASCADE;
CREATE INDEX user_session_referral_idx ON user_session (referral_id);

-- The reference printed on the slip (digits, random, unique) and the code's hash. A new code
-- replaces the hash, so the old one stops working.
CREATE TABLE referral_code (
    referral_id TEXT PRIMARY KEY REFERENCES referral (referral_id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES app_user (user_id),
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CONSTRAINT referral_code_reference_key UNIQUE (reference)
);
