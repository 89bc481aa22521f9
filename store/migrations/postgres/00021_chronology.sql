-- +goose Up
-- A section 47 enquiry may be completed later (PATCH), so it carries a
-- version like the other records changed after they are made.
ALTER TABLE s47_enquiries ADD COLUMN version integer NOT NULL DEFAULT 1;
-- Why a child protection plan ended (lantern.PlanEndReason); '' while it runs.
ALTER TABLE protection_plans ADD COLUMN end_reason text NOT NULL DEFAULT '';
UPDATE protection_plans SET end_reason = 'no-longer-at-risk' WHERE ended_on IS NOT NULL AND EXISTS
    (SELECT 1 FROM conferences k WHERE k.id = protection_plans.ended_by AND k.kind = 'review');
UPDATE protection_plans SET end_reason = 'new-plan' WHERE ended_on IS NOT NULL AND end_reason = '';
-- The chronology reads each source by child: these had no index on it.
CREATE INDEX core_groups_child ON core_groups (child_id, held_at);
CREATE INDEX return_interviews_child ON return_interviews (child_id);
CREATE INDEX meeting_decisions_child ON meeting_decisions (child_id);

-- +goose Down
SELECT 'not reversed';
