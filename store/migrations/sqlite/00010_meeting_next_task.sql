-- +goose Up
-- A meeting's next-meeting task is found by its source (the meeting), one
-- for each child; the single id kept here held only the last child's.
ALTER TABLE meetings DROP COLUMN next_task_id;

-- +goose Down
SELECT 'not reversed';
