-- +goose Up
-- A form sent after its session ended, kept until its writer signs in
-- again (docs/sessions.md). sealed is AES-256-GCM under a key that only the
-- browser's cookie holds: the database alone cannot read it.
CREATE TABLE held_forms (
    id_hash    text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path       text NOT NULL,
    sealed     text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX held_forms_created ON held_forms (created_at);

-- +goose Down
DROP TABLE held_forms;
