-- +goose Up
-- Settings of the store as a whole. 'demo' = 'true' marks a demonstration
-- store: everything in it is fictional, made under --demo, and its accounts
-- (whose password is published) sign in only while Lantern runs with --demo,
-- which in turn refuses any store not so marked that holds anything.
CREATE TABLE store_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- +goose Down
DROP TABLE store_settings;
