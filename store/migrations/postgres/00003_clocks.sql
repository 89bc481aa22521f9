-- +goose Up
CREATE TABLE referrals (
    id                       text PRIMARY KEY,
    child_id                 text NOT NULL REFERENCES children (id),
    received_at              timestamptz NOT NULL,
    method                   text NOT NULL,
    referrer_name            text NOT NULL,
    referrer_agency          text NOT NULL DEFAULT '',
    decision                 text NOT NULL DEFAULT '',
    decided_at               timestamptz,
    written_confirmation_at  timestamptz,
    feedback_at              timestamptz,
    version                  integer NOT NULL DEFAULT 1,
    created_by               text NOT NULL REFERENCES users (id),
    created_at               timestamptz NOT NULL
);
CREATE INDEX referrals_child ON referrals (child_id, received_at);

-- Social work assessments (the single assessment; under wt2006 the initial
-- and core assessments), not the toolkit.
CREATE TABLE sw_assessments (
    id            text PRIMARY KEY,
    child_id      text NOT NULL REFERENCES children (id),
    kind          text NOT NULL,
    started_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    version       integer NOT NULL DEFAULT 1,
    created_by    text NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX sw_assessments_child ON sw_assessments (child_id);

CREATE TABLE strategy_discussions (
    id            text PRIMARY KEY,
    child_id      text NOT NULL REFERENCES children (id),
    held_at       timestamptz NOT NULL,
    decision      text NOT NULL,
    participants  text NOT NULL DEFAULT '[]',
    notes         text NOT NULL DEFAULT '',
    created_by    text NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX strategy_discussions_child ON strategy_discussions (child_id, held_at);

CREATE TABLE s47_enquiries (
    id                      text PRIMARY KEY,
    child_id                text NOT NULL REFERENCES children (id),
    strategy_discussion_id  text REFERENCES strategy_discussions (id),
    started_at              timestamptz NOT NULL,
    completed_at            timestamptz,
    outcome                 text NOT NULL DEFAULT '',
    created_by              text NOT NULL REFERENCES users (id),
    created_at              timestamptz NOT NULL
);
CREATE INDEX s47_enquiries_child ON s47_enquiries (child_id);

CREATE TABLE conferences (
    id          text PRIMARY KEY,
    child_id    text NOT NULL REFERENCES children (id),
    kind        text NOT NULL,
    held_at     timestamptz NOT NULL,
    outcome     text NOT NULL,
    -- an initial conference with no strategy discussion that decided on
    -- s47 enquiries: allowed, and shown to managers
    flagged     boolean NOT NULL DEFAULT false,
    created_by  text NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX conferences_child ON conferences (child_id, held_at);

CREATE TABLE core_groups (
    id          text PRIMARY KEY,
    child_id    text NOT NULL REFERENCES children (id),
    held_at     timestamptz NOT NULL,
    created_by  text NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL
);

-- Child protection plans, started and ended by conferences.
CREATE TABLE protection_plans (
    id          text PRIMARY KEY,
    child_id    text NOT NULL REFERENCES children (id),
    started_on  date NOT NULL,
    ended_on    date,
    started_by  text NOT NULL,
    ended_by    text NOT NULL DEFAULT ''
);
CREATE INDEX protection_plans_child ON protection_plans (child_id);

-- Days the area is closed beyond the bank holidays, and the published
-- bank-holiday list when an administrator has loaded one.
CREATE TABLE closure_days (
    day         date PRIMARY KEY,
    name        text NOT NULL,
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);
CREATE TABLE bank_holidays (
    region  text NOT NULL,
    day     date NOT NULL,
    name    text NOT NULL,
    PRIMARY KEY (region, day)
);

ALTER TABLE tasks ADD COLUMN completed_late boolean;
CREATE INDEX tasks_team ON tasks (team_agency_id, status, due_at);
CREATE INDEX tasks_done ON tasks (clock, done_at);

-- +goose Down
SELECT 'not reversed';
