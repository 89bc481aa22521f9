-- +goose Up
-- Figures shared outside the area (issue 17, docs/figures.md#shared-
-- outputs): the period and area counted, the profile that protected them,
-- why and to whom, and exactly what was sent with its SHA-256. area is
-- NULL for every area the store holds.
CREATE TABLE figure_shares (
    id          text PRIMARY KEY,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    area        text,
    profile     text NOT NULL,
    purpose     text NOT NULL,
    recipient   text NOT NULL,
    sha256      text NOT NULL,
    output      BLOB NOT NULL,
    created_by  text NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    CHECK (profile <> 'internal')
);
CREATE INDEX figure_shares_period ON figure_shares (period_from, period_to);

-- +goose Down
SELECT 'not reversed';
