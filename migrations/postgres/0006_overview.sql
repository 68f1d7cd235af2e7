-- The programme overview filters events by their date: registrations by when they were
-- recorded, referrals by when they were sent, follow-ups by when they are due.
CREATE INDEX family_created_idx ON family (created_at);
CREATE INDEX referral_sent_idx ON referral (sent_at);
CREATE INDEX follow_up_due_idx ON follow_up (due_on);
CREATE INDEX assessment_assessed_idx ON assessment (assessed_on);
