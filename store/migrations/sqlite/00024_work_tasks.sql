-- +goose Up
-- Work tasks (docs/pathway.md#decisions-make-work): a task on the clock
-- 'work' has a kind, saying what it asks; a work task or a meeting's action
-- completed on its page keeps the note of what was done, and by whom.
ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN done_by TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 'not reversed';
