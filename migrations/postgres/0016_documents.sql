-- Documents on file: scans and photos of a family's papers, kept in the database so that
-- backups and several instances of the server share them (issue 16). Kept in step with
-- migrations/sqlite/0016_documents.sql.
CREATE TABLE document (
    document_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    -- The person it is about; none: the family as a whole.
    member_id TEXT REFERENCES member (member_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- What the caseworker wrote about it (optional).
    title TEXT,
    -- Decided from the content: application/pdf, image/jpeg, image/png or image/webp.
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    -- Images are stored scaled down and without their metadata (location!).
    content BYTEA NOT NULL,
    -- A small JPEG of an image, for the family page.
    thumbnail BYTEA,
    uploaded_by TEXT NOT NULL REFERENCES app_user (user_id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX document_family_idx ON document (family_id, uploaded_at);

-- A document shared with a referral: that referral's organisation may open it while it sees
-- the family.
CREATE TABLE document_share (
    document_id TEXT NOT NULL REFERENCES document (document_id) ON DELETE CASCADE,
    referral_id TEXT NOT NULL REFERENCES referral (referral_id) ON DELETE CASCADE,
    shared_by TEXT NOT NULL REFERENCES app_user (user_id),
    shared_at TEXT NOT NULL,
    PRIMARY KEY (document_id, referral_id)
);
CREATE INDEX document_share_referral_idx ON document_share (referral_id);
