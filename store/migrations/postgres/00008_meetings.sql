-- +goose Up
-- Meetings: CSE strategy meetings, strategy discussions, conferences, core
-- groups and context conferences; about one or several children.
CREATE TABLE meetings (
    id           text PRIMARY KEY,
    kind         text NOT NULL,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    location     text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'scheduled', -- scheduled, held, cancelled
    held         boolean,
    chair        text NOT NULL DEFAULT '',
    minutes      text NOT NULL DEFAULT '',
    associates   text NOT NULL DEFAULT '',
    version      integer NOT NULL DEFAULT 1,
    created_by   text NOT NULL REFERENCES users (id),
    agency_id    text NOT NULL REFERENCES agencies (id),
    created_at   timestamptz NOT NULL,
    outcome_at   timestamptz
);
CREATE INDEX meetings_kind_start ON meetings (kind, starts_at);
CREATE TABLE meeting_children (
    meeting_id  text NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    child_id    text NOT NULL REFERENCES children (id),
    PRIMARY KEY (meeting_id, child_id)
);
CREATE INDEX meeting_children_child ON meeting_children (child_id);
CREATE TABLE meeting_decisions (
    meeting_id       text NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    child_id         text NOT NULL REFERENCES children (id),
    level            text NOT NULL,
    rationale        text NOT NULL DEFAULT '',
    recommendations  text NOT NULL DEFAULT '[]',
    PRIMARY KEY (meeting_id, child_id)
);
CREATE TABLE meeting_actions (
    id           text PRIMARY KEY,
    meeting_id   text NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    description  text NOT NULL,
    owner_id     text NOT NULL REFERENCES users (id),
    due_date     date NOT NULL,
    task_id      text NOT NULL DEFAULT ''
);

-- +goose Down
SELECT 'not reversed';
