-- +goose Up
-- The authorisation epoch (issue 15): a number bumped, by triggers, by any
-- change to what an API token's check reads (a token revoked or removed; a
-- user's name, email, agency, roles, two factors, approval, disabling or
-- version; an agency's name or kind). Each replica keeps checked tokens in
-- memory and drops them all when it reads a new epoch (store/tokens.go), so
-- a revoked token or a disabled user stops working on every replica within
-- the poll. Triggers catch every path that writes, the administrator's SQL
-- included.
CREATE TABLE auth_epoch (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO auth_epoch (id, version) VALUES (1, 1);
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_users AFTER UPDATE OF email, name, agency_id, totp_secret, mfa_exempt, disabled, version, approval_requested_by ON users
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_users_gone AFTER DELETE ON users
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_roles_added AFTER INSERT ON user_roles
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_roles_changed AFTER UPDATE ON user_roles
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_roles_gone AFTER DELETE ON user_roles
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_agencies AFTER UPDATE OF name, kind ON agencies
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_tokens AFTER UPDATE ON api_tokens
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auth_epoch_tokens_gone AFTER DELETE ON api_tokens
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER auth_epoch_users;
DROP TRIGGER auth_epoch_users_gone;
DROP TRIGGER auth_epoch_roles_added;
DROP TRIGGER auth_epoch_roles_changed;
DROP TRIGGER auth_epoch_roles_gone;
DROP TRIGGER auth_epoch_agencies;
DROP TRIGGER auth_epoch_tokens;
DROP TRIGGER auth_epoch_tokens_gone;
DROP TABLE auth_epoch;
