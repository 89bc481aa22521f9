-- +goose Up
-- Two records that may be one child, found when the newer was made (or its
-- name or date of birth changed) by a search of every record, whatever the
-- maker could see: the maker is never told of a record they may not see,
-- and children's social care's managers and the CSE coordinator review the
-- pair (docs/duplicates.md). child_a < child_b, so a pair is held once.
-- status: open, dismissed (not the same child, with a reason) or merged.
CREATE TABLE possible_duplicates (
    id          TEXT PRIMARY KEY,
    child_a     TEXT NOT NULL REFERENCES children (id),
    child_b     TEXT NOT NULL REFERENCES children (id),
    score       REAL NOT NULL,
    reasons     TEXT NOT NULL DEFAULT '',
    found_at    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT,
    reason      TEXT NOT NULL DEFAULT '',
    CHECK (child_a < child_b)
);
CREATE UNIQUE INDEX possible_duplicates_pair ON possible_duplicates (child_a, child_b);
CREATE INDEX possible_duplicates_b ON possible_duplicates (child_b);
CREATE INDEX possible_duplicates_status ON possible_duplicates (status, score);

-- +goose Down
DROP TABLE possible_duplicates;
