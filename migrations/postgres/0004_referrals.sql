-- The service directory, referrals to community organisations, and the email outbox.
-- Kept in step with migrations/sqlite/0004_referrals.sql.

-- Where an organisation receives referrals, and how many days it has to answer one.
ALTER TABLE organisation ADD COLUMN referral_email TEXT;
ALTER TABLE organisation ADD COLUMN response_days BIGINT NOT NULL DEFAULT 5;

-- The service directory: which organisation offers which service category where.
CREATE TABLE service_offer (
    organisation_id TEXT NOT NULL REFERENCES organisation (organisation_id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    province TEXT NOT NULL REFERENCES location (location_id),
    PRIMARY KEY (service, province, organisation_id)
);
CREATE INDEX service_offer_organisation_idx ON service_offer (organisation_id);

CREATE TABLE referral (
    referral_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    plan_item_id TEXT REFERENCES plan_item (plan_item_id),
    organisation_id TEXT NOT NULL REFERENCES organisation (organisation_id),
    service TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'completed', 'cancelled')),
    decline_reason TEXT,
    outcome TEXT,
    sent_by TEXT NOT NULL REFERENCES app_user (user_id),
    sent_at TEXT NOT NULL,
    -- The organisation is expected to answer by then (sent_at + its response days).
    due_at TEXT NOT NULL,
    responded_at TEXT,
    completed_at TEXT,
    cancelled_at TEXT,
    -- Set when the overdue reminder was queued: one reminder per referral.
    reminded_at TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX referral_organisation_idx ON referral (organisation_id, status, sent_at);
CREATE INDEX referral_family_idx ON referral (family_id, sent_at);
CREATE INDEX referral_due_idx ON referral (status, due_at);

-- Services a partner delivered under a referral.
CREATE TABLE referral_service (
    referral_service_id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referral (referral_id) ON DELETE CASCADE,
    delivered_on TEXT NOT NULL,
    description TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user (user_id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX referral_service_referral_idx ON referral_service (referral_id);

-- Every email, written in the transaction of the change that caused it and delivered by a
-- background worker: none is lost to a crash or an SMTP outage.
CREATE TABLE email_outbox (
    email_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- Not tried before this time: the backoff after a failure, or the lease of a delivery
    -- under way (a worker that dies mid-send leaves the email to be tried again then).
    next_attempt_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX email_outbox_due_idx ON email_outbox (sent_at, next_attempt_at);
