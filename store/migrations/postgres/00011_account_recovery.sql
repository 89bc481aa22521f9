-- +goose Up
-- Who last set a user's password, and who last reset their two factors,
-- until the user next signs in with both: one administrator may not do both
-- (that is taking the account over); a second administrator must.
ALTER TABLE users ADD COLUMN password_set_by TEXT;
ALTER TABLE users ADD COLUMN mfa_reset_by TEXT;

-- +goose Down
SELECT 'not reversed';
