-- +goose Up
-- The daily reminder digest. Each day's run is claimed by the one replica
-- that inserts its row; each person's email by the one that inserts or takes
-- over theirs, so nobody is sent two on one day, however many replicas run.
CREATE TABLE digest_runs (
    day          date PRIMARY KEY,          -- the local date in London
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,               -- NULL while running (or if the runner died)
    runner       text NOT NULL DEFAULT '',  -- which replica: host and process id
    attempts     integer NOT NULL DEFAULT 1,
    sent         integer NOT NULL DEFAULT 0,
    failed       integer NOT NULL DEFAULT 0
);

CREATE TABLE digest_sent (
    user_id     text NOT NULL REFERENCES users (id),
    day         date NOT NULL,
    status      text NOT NULL,              -- claimed, sent or failed
    attempts    integer NOT NULL DEFAULT 1,
    claimed_at  timestamptz NOT NULL,
    sent_at     timestamptz,
    PRIMARY KEY (user_id, day)
);
CREATE INDEX digest_sent_day ON digest_sent (day, status);

-- +goose Down
DROP TABLE digest_sent;
DROP TABLE digest_runs;
