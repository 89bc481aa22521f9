-- +goose Up
-- Missing or absent episodes, and the return interviews after them.
CREATE TABLE missing_episodes (
    id                          text PRIMARY KEY,
    child_id                    text NOT NULL REFERENCES children (id),
    kind                        text NOT NULL,           -- missing, absent
    missing_from                timestamptz NOT NULL,
    reported_by                 text NOT NULL DEFAULT '',
    reported_at                 timestamptz,
    police_reference            text NOT NULL DEFAULT '',
    returned_at                 timestamptz,
    returned_where              text NOT NULL DEFAULT '',
    returned_with               text NOT NULL DEFAULT '',
    presentation                text NOT NULL DEFAULT '[]', -- injuries, intoxication, new-possessions, well-cared-for
    presentation_notes          text NOT NULL DEFAULT '',
    looked_after                boolean NOT NULL DEFAULT false,
    placement                   text NOT NULL DEFAULT '',
    placing_authority_informed  timestamptz,
    version                     integer NOT NULL DEFAULT 1,
    created_by                  text NOT NULL REFERENCES users (id),
    created_at                  timestamptz NOT NULL
);
CREATE INDEX missing_episodes_child ON missing_episodes (child_id, missing_from);
CREATE INDEX missing_episodes_from ON missing_episodes (missing_from);

CREATE TABLE return_interviews (
    id               text PRIMARY KEY,
    episode_id       text NOT NULL UNIQUE REFERENCES missing_episodes (id),
    child_id         text NOT NULL REFERENCES children (id),
    offered_at       timestamptz,
    held_at          timestamptz,
    held_by          text NOT NULL DEFAULT '',
    -- what the young person said: shown only to those who need it
    child_said       text NOT NULL DEFAULT '',
    follow_up        text NOT NULL DEFAULT '[]', -- new-concern, reassessment, police-intelligence
    not_held_reason  text NOT NULL DEFAULT '',   -- declined, not-reachable
    created_by       text NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL
);

-- +goose Down
SELECT 'not reversed';
