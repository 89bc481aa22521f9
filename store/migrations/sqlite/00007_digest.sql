-- +goose Up
-- The daily reminder digest. Each day's run is claimed by the one replica
-- that inserts its row; each person's email by the one that inserts or takes
-- over theirs, so nobody is sent two on one day, however many replicas run.
CREATE TABLE digest_runs (
    day          TEXT PRIMARY KEY,          -- the local date in London
    started_at   TEXT NOT NULL,
    finished_at  TEXT,                      -- NULL while running (or if the runner died)
    runner       TEXT NOT NULL DEFAULT '',  -- which replica: host and process id
    attempts     INTEGER NOT NULL DEFAULT 1,
    sent         INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE digest_sent (
    user_id     TEXT NOT NULL REFERENCES users (id),
    day         TEXT NOT NULL,
    status      TEXT NOT NULL,              -- claimed, sent or failed
    attempts    INTEGER NOT NULL DEFAULT 1,
    claimed_at  TEXT NOT NULL,
    sent_at     TEXT,
    PRIMARY KEY (user_id, day)
);
CREATE INDEX digest_sent_day ON digest_sent (day, status);

-- +goose Down
DROP TABLE digest_sent;
DROP TABLE digest_runs;
