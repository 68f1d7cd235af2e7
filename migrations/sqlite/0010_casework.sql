-- Casework as it really moves (issue 15). Kept in step with
-- migrations/postgres/0010_casework.sql.

-- Statuses that tell the truth: a case is in progress once a plan item is confirmed or a
-- referral sent (the table of shared/src/family/status.rs). Before, only reopening reached
-- in_progress, and reopening put every case there whatever it had been through.
UPDATE family SET status = 'in_progress'
WHERE status IN ('registered', 'assessed')
  AND (EXISTS (SELECT 1 FROM plan_item p WHERE p.family_id = family.family_id
                 AND p.status IN ('planned', 'in_progress', 'done'))
       OR EXISTS (SELECT 1 FROM referral r WHERE r.family_id = family.family_id));
UPDATE family SET status = CASE
        WHEN EXISTS (SELECT 1 FROM assessment a WHERE a.family_id = family.family_id)
        THEN 'assessed' ELSE 'registered' END
WHERE status = 'in_progress'
  AND NOT EXISTS (SELECT 1 FROM plan_item p WHERE p.family_id = family.family_id
                    AND p.status IN ('planned', 'in_progress', 'done'))
  AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.family_id = family.family_id);

-- Reassigning a case left its scheduled follow-ups on the old caseworker's work list: they
-- go to the case's caseworker now.
UPDATE follow_up SET assigned_to = (SELECT f.assigned_to FROM family f
                                    WHERE f.family_id = follow_up.family_id)
WHERE status = 'scheduled';
