-- +goose Up
-- Missing or absent episodes, and the return interviews after them.
CREATE TABLE missing_episodes (
    id                          TEXT PRIMARY KEY,
    child_id                    TEXT NOT NULL REFERENCES children (id),
    kind                        TEXT NOT NULL,           -- missing, absent
    missing_from                TEXT NOT NULL,
    reported_by                 TEXT NOT NULL DEFAULT '',
    reported_at                 TEXT,
    police_reference            TEXT NOT NULL DEFAULT '',
    returned_at                 TEXT,
    returned_where              TEXT NOT NULL DEFAULT '',
    returned_with               TEXT NOT NULL DEFAULT '',
    presentation                TEXT NOT NULL DEFAULT '[]', -- injuries, intoxication, new-possessions, well-cared-for
    presentation_notes          TEXT NOT NULL DEFAULT '',
    looked_after                INTEGER NOT NULL DEFAULT 0,
    placement                   TEXT NOT NULL DEFAULT '',
    placing_authority_informed  TEXT,
    version                     INTEGER NOT NULL DEFAULT 1,
    created_by                  TEXT NOT NULL REFERENCES users (id),
    created_at                  TEXT NOT NULL
);
CREATE INDEX missing_episodes_child ON missing_episodes (child_id, missing_from);
CREATE INDEX missing_episodes_from ON missing_episodes (missing_from);

CREATE TABLE return_interviews (
    id               TEXT PRIMARY KEY,
    episode_id       TEXT NOT NULL UNIQUE REFERENCES missing_episodes (id),
    child_id         TEXT NOT NULL REFERENCES children (id),
    offered_at       TEXT,
    held_at          TEXT,
    held_by          TEXT NOT NULL DEFAULT '',
    -- what the young person said: shown only to those who need it
    child_said       TEXT NOT NULL DEFAULT '',
    follow_up        TEXT NOT NULL DEFAULT '[]', -- new-concern, reassessment, police-intelligence
    not_held_reason  TEXT NOT NULL DEFAULT '',   -- declined, not-reachable
    created_by       TEXT NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL
);

-- +goose Down
SELECT 'not reversed';
