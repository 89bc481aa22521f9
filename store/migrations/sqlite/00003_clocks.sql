-- +goose Up
CREATE TABLE referrals (
    id                       TEXT PRIMARY KEY,
    child_id                 TEXT NOT NULL REFERENCES children (id),
    received_at              TEXT NOT NULL,
    method                   TEXT NOT NULL,
    referrer_name            TEXT NOT NULL,
    referrer_agency          TEXT NOT NULL DEFAULT '',
    decision                 TEXT NOT NULL DEFAULT '',
    decided_at               TEXT,
    written_confirmation_at  TEXT,
    feedback_at              TEXT,
    version                  INTEGER NOT NULL DEFAULT 1,
    created_by               TEXT NOT NULL REFERENCES users (id),
    created_at               TEXT NOT NULL
);
CREATE INDEX referrals_child ON referrals (child_id, received_at);

-- Social work assessments (the single assessment; under wt2006 the initial
-- and core assessments), not the toolkit.
CREATE TABLE sw_assessments (
    id            TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES children (id),
    kind          TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    completed_at  TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX sw_assessments_child ON sw_assessments (child_id);

CREATE TABLE strategy_discussions (
    id            TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES children (id),
    held_at       TEXT NOT NULL,
    decision      TEXT NOT NULL,
    participants  TEXT NOT NULL DEFAULT '[]',
    notes         TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX strategy_discussions_child ON strategy_discussions (child_id, held_at);

CREATE TABLE s47_enquiries (
    id                      TEXT PRIMARY KEY,
    child_id                TEXT NOT NULL REFERENCES children (id),
    strategy_discussion_id  TEXT REFERENCES strategy_discussions (id),
    started_at              TEXT NOT NULL,
    completed_at            TEXT,
    outcome                 TEXT NOT NULL DEFAULT '',
    created_by              TEXT NOT NULL REFERENCES users (id),
    created_at              TEXT NOT NULL
);
CREATE INDEX s47_enquiries_child ON s47_enquiries (child_id);

CREATE TABLE conferences (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children (id),
    kind        TEXT NOT NULL,
    held_at     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    -- an initial conference with no strategy discussion that decided on
    -- s47 enquiries: allowed, and shown to managers
    flagged     INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX conferences_child ON conferences (child_id, held_at);

CREATE TABLE core_groups (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children (id),
    held_at     TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
);

-- Child protection plans, started and ended by conferences.
CREATE TABLE protection_plans (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children (id),
    started_on  TEXT NOT NULL,
    ended_on    TEXT,
    started_by  TEXT NOT NULL,
    ended_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX protection_plans_child ON protection_plans (child_id);

-- Days the area is closed beyond the bank holidays, and the published
-- bank-holiday list when an administrator has loaded one.
CREATE TABLE closure_days (
    day         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE TABLE bank_holidays (
    region  TEXT NOT NULL,
    day     TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (region, day)
);

ALTER TABLE tasks ADD COLUMN completed_late INTEGER;
CREATE INDEX tasks_team ON tasks (team_agency_id, status, due_at);
CREATE INDEX tasks_done ON tasks (clock, done_at);

-- +goose Down
SELECT 'not reversed';
