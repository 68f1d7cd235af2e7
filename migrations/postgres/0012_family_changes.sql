-- A family that changes (issue 15): members who left or died, several identity documents of
-- more kinds, the return of internally displaced people, and closure as a duplicate or an
-- error. Kept in step with migrations/sqlite/0012_family_changes.sql.
--
-- The codes of return types, document types and closure reasons grow, so they are checked by
-- shared (as case_transfer's are), no longer by CHECK constraints.
ALTER TABLE family DROP CONSTRAINT family_return_type_check;
ALTER TABLE case_closure DROP CONSTRAINT case_closure_reason_check;
ALTER TABLE member_document DROP CONSTRAINT member_document_document_type_check;

-- Internally displaced people only: the province/governorate they come back from.
ALTER TABLE family ADD COLUMN displaced_from TEXT REFERENCES location (location_id);

-- Present, departed or deceased (checked by shared), and the day they left or died.
ALTER TABLE member ADD COLUMN presence TEXT NOT NULL DEFAULT 'present';
ALTER TABLE member ADD COLUMN left_on TEXT;
