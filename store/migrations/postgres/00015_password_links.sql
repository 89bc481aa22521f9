-- +goose Up
-- One-time links by which a person sets their own first password: sent to
-- their email, never shown to the administrator who made the account. Only
-- the link's hash is kept.
CREATE TABLE password_links (
    token_hash  text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id),
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_links_user ON password_links (user_id);

-- +goose Down
DROP TABLE password_links;
