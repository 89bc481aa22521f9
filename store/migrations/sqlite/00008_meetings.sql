-- +goose Up
-- Meetings: CSE strategy meetings, strategy discussions, conferences, core
-- groups and context conferences; about one or several children.
CREATE TABLE meetings (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    location     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, held, cancelled
    held         INTEGER,
    chair        TEXT NOT NULL DEFAULT '',
    minutes      TEXT NOT NULL DEFAULT '',
    associates   TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL REFERENCES users (id),
    agency_id    TEXT NOT NULL REFERENCES agencies (id),
    created_at   TEXT NOT NULL,
    outcome_at   TEXT
);
CREATE INDEX meetings_kind_start ON meetings (kind, starts_at);
CREATE TABLE meeting_children (
    meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    child_id    TEXT NOT NULL REFERENCES children (id),
    PRIMARY KEY (meeting_id, child_id)
);
CREATE INDEX meeting_children_child ON meeting_children (child_id);
CREATE TABLE meeting_decisions (
    meeting_id       TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    child_id         TEXT NOT NULL REFERENCES children (id),
    level            TEXT NOT NULL,
    rationale        TEXT NOT NULL DEFAULT '',
    recommendations  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (meeting_id, child_id)
);
CREATE TABLE meeting_actions (
    id           TEXT PRIMARY KEY,
    meeting_id   TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    description  TEXT NOT NULL,
    owner_id     TEXT NOT NULL REFERENCES users (id),
    due_date     TEXT NOT NULL,
    task_id      TEXT NOT NULL DEFAULT ''
);

-- +goose Down
SELECT 'not reversed';
