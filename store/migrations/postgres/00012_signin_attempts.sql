-- +goose Up
-- A sign-in is counted before its password is hashed, as a failure that a
-- right password takes back (attempt names the rows to take back): a burst
-- of attempts is refused at the limit instead of all being hashed. Account
-- is the account name given, on the rows kept for it (its own, and those
-- for it from one address), so that unlocking it clears them all.
ALTER TABLE signin_failures ADD COLUMN attempt text;
ALTER TABLE signin_failures ADD COLUMN account text;
CREATE INDEX signin_failures_attempt ON signin_failures (attempt);
CREATE INDEX signin_failures_account ON signin_failures (account);

-- +goose Down
SELECT 'not reversed';
