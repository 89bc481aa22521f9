-- +goose Up
-- The partnership's figures read each kind of record by the date that
-- places it in a period (docs/figures.md): these keep a year's data set
-- from reading every year's records.
CREATE INDEX assessments_on ON assessments (assessed_on, child_id);
CREATE INDEX referrals_received ON referrals (received_at);
CREATE INDEX s47_enquiries_started ON s47_enquiries (started_at);
CREATE INDEX conferences_held ON conferences (held_at);
CREATE INDEX protection_plans_started ON protection_plans (started_on);
CREATE INDEX protection_plans_ended ON protection_plans (ended_on);
CREATE INDEX tasks_done_at ON tasks (done_at);
CREATE INDEX intel_links_observed ON intel_links (observed_from);

-- +goose Down
SELECT 'not reversed';
