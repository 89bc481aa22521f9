-- +goose Up
-- Data keys for encryption at rest (issue 16, docs/information-governance.md):
-- one active key per class of data, wrapped by the key-encrypting key that
-- lives in a file outside the database (--kek-file); kek_id names which.
-- A retired key still opens what it sealed until lantern keys rotate has
-- moved every value off it; then its wrapped key is erased.
CREATE TABLE data_keys (
    id          text PRIMARY KEY,
    class       text NOT NULL,
    kek_id      text NOT NULL,
    wrapped     text NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);
CREATE UNIQUE INDEX data_keys_active ON data_keys (class) WHERE retired_at IS NULL;

-- +goose Down
DROP TABLE data_keys;
