-- +goose Up
-- One-time links by which a person sets their own first password: sent to
-- their email, never shown to the administrator who made the account. Only
-- the link's hash is kept.
CREATE TABLE password_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_links_user ON password_links (user_id);

-- +goose Down
DROP TABLE password_links;
