-- +goose Up
CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX agencies_name ON agencies (lower(name));

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,      -- stored lower-cased
    name           TEXT NOT NULL,
    agency_id      TEXT NOT NULL REFERENCES agencies (id),
    password_hash  TEXT,                      -- NULL until a password is set
    totp_secret    TEXT,                      -- NULL until two factors are enrolled
    mfa_exempt     INTEGER NOT NULL DEFAULT 0, -- demonstration accounts only
    disabled       INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0, -- a code is accepted once
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- Sessions are kept here, not in a process, so replicas share them. Only a
-- hash of the cookie's value is stored.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stage         TEXT NOT NULL,   -- 'second-factor', 'enrol', 'signed-in'
    pending_secret TEXT,            -- a TOTP secret being enrolled
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins, by account (the e-mail given) and by address, for rate
-- limits that hold across replicas.
CREATE TABLE signin_failures (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL,  -- 'account' or 'address'
    key   TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (kind, key, at);

CREATE TABLE children (
    id             TEXT PRIMARY KEY,
    given_name     TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    date_of_birth  TEXT NOT NULL,
    gender         TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX children_family_name ON children (family_name);

-- The agencies involved with a child: the access rule reads this.
CREATE TABLE child_agencies (
    child_id   TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    since      TEXT NOT NULL,
    PRIMARY KEY (child_id, agency_id)
);
CREATE INDEX child_agencies_agency ON child_agencies (agency_id, child_id);

-- The audit trail: append-only, each entry's hash chained to the one before.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    agency_id  TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    child_id   TEXT NOT NULL DEFAULT '',
    why        TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, seq);
CREATE INDEX audit_log_child ON audit_log (child_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
-- +goose StatementEnd

-- +goose Down
SELECT 'the first migration is not reversed';
