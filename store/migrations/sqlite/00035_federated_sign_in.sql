-- +goose Up
-- Single sign-on with OpenID Connect (issue 16, docs/sessions.md). A
-- sign-in begun waits here for the provider's answer, its state (hashed),
-- nonce and PKCE verifier used once; people signed in by their directory
-- are keyed by the issuer, tenant and object id, never by email.
CREATE TABLE oidc_logins (
    state_hash  text PRIMARY KEY,
    nonce       text NOT NULL,
    verifier    text NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX oidc_logins_age ON oidc_logins (created_at);
CREATE TABLE user_identities (
    issuer        text NOT NULL,
    tenant        text NOT NULL,
    subject       text NOT NULL,
    user_id       text NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (issuer, tenant, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- +goose Down
DROP TABLE user_identities;
DROP TABLE oidc_logins;
