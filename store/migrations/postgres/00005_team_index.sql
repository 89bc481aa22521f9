-- +goose Up
-- The team page counts a team's open tasks by worker and deadline: this
-- index answers it without reading the tasks themselves.
CREATE INDEX tasks_team_load ON tasks (team_agency_id, status, assignee_id, due_at);

-- +goose Down
DROP INDEX tasks_team_load;
