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
    id       integer PRIMARY KEY CHECK (id = 1),
    version  bigint NOT NULL
);
INSERT INTO auth_epoch (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION auth_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_epoch SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER auth_epoch_users AFTER UPDATE OF email, name, agency_id, totp_secret, mfa_exempt, disabled, version, approval_requested_by OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER auth_epoch_roles AFTER INSERT OR UPDATE OR DELETE ON user_roles
    FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER auth_epoch_agencies AFTER UPDATE OF name, kind ON agencies
    FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER auth_epoch_tokens AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();

-- +goose Down
DROP TRIGGER auth_epoch_users ON users;
DROP TRIGGER auth_epoch_roles ON user_roles;
DROP TRIGGER auth_epoch_agencies ON agencies;
DROP TRIGGER auth_epoch_tokens ON api_tokens;
DROP FUNCTION auth_epoch_bump();
DROP TABLE auth_epoch;
