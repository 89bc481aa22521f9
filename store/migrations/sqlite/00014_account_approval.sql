-- +goose Up
-- An account waiting for a second administrator's approval before it is
-- used, and the administrator whose change made it wait (who may not
-- approve it): a case role given to an account, or the password of an
-- account with a case role and no second factor set by an administrator.
ALTER TABLE users ADD COLUMN approval_requested_by TEXT;

-- +goose Down
SELECT 'not reversed';
