-- +goose Up
CREATE TABLE agencies (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX agencies_name ON agencies (lower(name));

CREATE TABLE users (
    id             text PRIMARY KEY,
    email          text NOT NULL UNIQUE,
    name           text NOT NULL,
    agency_id      text NOT NULL REFERENCES agencies (id),
    password_hash  text,
    totp_secret    text,
    mfa_exempt     boolean NOT NULL DEFAULT false,
    disabled       boolean NOT NULL DEFAULT false,
    locked_until   timestamptz,
    totp_last_step bigint NOT NULL DEFAULT 0,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE user_roles (
    user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE recovery_codes (
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  text NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    id_hash       text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stage         text NOT NULL,
    pending_secret text,            -- a TOTP secret being enrolled
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            text PRIMARY KEY,
    token_hash    text NOT NULL UNIQUE,
    user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE signin_failures (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind  text NOT NULL,
    key   text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (kind, key, at);

CREATE TABLE children (
    id             text PRIMARY KEY,
    given_name     text NOT NULL,
    family_name    text NOT NULL,
    date_of_birth  date NOT NULL,
    gender         text NOT NULL,
    version        integer NOT NULL,
    created_at     timestamptz NOT NULL,
    created_by     text NOT NULL REFERENCES users (id),
    updated_at     timestamptz NOT NULL,
    updated_by     text NOT NULL REFERENCES users (id)
);
CREATE INDEX children_family_name ON children (family_name);

CREATE TABLE child_agencies (
    child_id   text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    agency_id  text NOT NULL REFERENCES agencies (id),
    since      timestamptz NOT NULL,
    PRIMARY KEY (child_id, agency_id)
);
CREATE INDEX child_agencies_agency ON child_agencies (agency_id, child_id);

CREATE TABLE audit_log (
    seq        bigint PRIMARY KEY,
    at         timestamptz NOT NULL,
    user_id    text NOT NULL DEFAULT '',
    agency_id  text NOT NULL DEFAULT '',
    ip         text NOT NULL DEFAULT '',
    action     text NOT NULL,
    entity     text NOT NULL DEFAULT '',
    entity_id  text NOT NULL DEFAULT '',
    child_id   text NOT NULL DEFAULT '',
    why        text NOT NULL DEFAULT '',
    detail     text NOT NULL DEFAULT '',
    prev_hash  text NOT NULL,
    hash       text NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, seq);
CREATE INDEX audit_log_child ON audit_log (child_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
    id    integer PRIMARY KEY CHECK (id = 1),
    seq   bigint NOT NULL,
    hash  text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
SELECT 'the first migration is not reversed';
