-- +goose Up
-- Passkeys (WebAuthn, issue 16, docs/sessions.md#passkeys): a person's
-- credentials, each its public key and counter (the credential as
-- go-webauthn keeps it, in JSON); a revoked one signs no one in, and its
-- revocation ended its person's sessions. A ceremony begun (registering or
-- signing in) waits on the session that began it, used once.
CREATE TABLE passkeys (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id),
    name          text NOT NULL,
    credential    text NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT,
    revoked_by    text REFERENCES users (id)
);
CREATE INDEX passkeys_user ON passkeys (user_id);
ALTER TABLE sessions ADD COLUMN ceremony text;

-- +goose Down
DROP TABLE passkeys;
