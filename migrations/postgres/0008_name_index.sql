-- The name search index (issue 12). Kept in step with migrations/sqlite/0008_name_index.sql.
--
-- Replaces name_token. Every term carries the case's country and province, so a search is
-- a few index ranges inside the caller's scope instead of every match in the country
-- filtered afterwards; terms are in byte order, so that a prefix is a range; terms are words (searched by prefix), Latin skeletons ('~'), keys of
-- Arabic-script words ('=') and loose keys of Latin words ('+'), see shared::names. The keys
-- are computed in Rust, so the table starts empty and the server fills it from the members
-- at its next start (pending_rebuild), before it serves.
DROP TABLE name_token;
CREATE TABLE name_index (
    country TEXT NOT NULL,
    province TEXT NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    member_id TEXT NOT NULL REFERENCES member (member_id) ON DELETE CASCADE,
    family_id TEXT NOT NULL REFERENCES family (family_id) ON DELETE CASCADE,
    PRIMARY KEY (country, province, term, member_id) INCLUDE (family_id)
);
-- A family's terms: for checking the other words of a search, and for moving them with the
-- family to another province.
CREATE INDEX name_index_family_idx ON name_index (family_id, term);
CREATE INDEX name_index_member_idx ON name_index (member_id);

-- Derived data to be rebuilt in Rust after a migration: one row per kind, deleted when done.
CREATE TABLE pending_rebuild (what TEXT PRIMARY KEY);
INSERT INTO pending_rebuild (what) VALUES ('name_index');

-- The needs shown beside each case of a list page are read by family: the existing index
-- leads with the need (for the need filter), which made PostgreSQL read all of it per page.
CREATE INDEX member_need_by_family_idx ON member_need (family_id, need);
