-- +goose Up
-- The children list shows, filters and sorts by each child's latest
-- recorded level (docs/api.md, "Children"). It is kept on the child, in the
-- transaction that records an assessment or merges records, so that a list
-- of 100,000 children filters and sorts by it through an index. Rank orders
-- the levels (0 none, or never assessed; 4 high).
ALTER TABLE children ADD COLUMN latest_level TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN latest_level_on TEXT;
ALTER TABLE children ADD COLUMN latest_level_rank INTEGER NOT NULL DEFAULT 0;
UPDATE children SET
    latest_level = (SELECT a.recorded_level FROM assessments a WHERE a.child_id = children.id
        ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC LIMIT 1),
    latest_level_on = (SELECT max(a.assessed_on) FROM assessments a WHERE a.child_id = children.id)
WHERE EXISTS (SELECT 1 FROM assessments a WHERE a.child_id = children.id);
UPDATE children SET latest_level_rank = CASE latest_level
    WHEN 'vulnerable' THEN 1 WHEN 'emerging' THEN 2 WHEN 'medium' THEN 3 WHEN 'high' THEN 4 ELSE 0 END;

-- Names as match.Normalise makes them ("O'Brien" is "obrien"), for finding
-- a child by a name or its start and for sorting by name, both through an
-- index. SQLite compares text byte by byte, so a prefix is a range (and
-- PostgreSQL's columns are COLLATE "C" to order alike). Lantern fills them
-- in at start-up (RefreshMatchKeys) and on every write.
ALTER TABLE children ADD COLUMN given_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN family_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE child_names ADD COLUMN name_norm TEXT NOT NULL DEFAULT '';

-- The list's indexes leave out records merged into another, as the list
-- does (merged_into IS NULL), so that counting what a filter finds reads
-- the index alone. Each ends in the name order (or id), so that a filter
-- and the default order need no sort.
CREATE INDEX children_list_name ON children (family_norm, given_norm, id) WHERE merged_into IS NULL;
CREATE INDEX children_list_level ON children (latest_level_rank DESC, family_norm, given_norm, id) WHERE merged_into IS NULL;
CREATE INDEX children_list_age ON children (date_of_birth, id) WHERE merged_into IS NULL;
CREATE INDEX children_list_worker ON children (allocated_social_worker_id, family_norm, given_norm, id) WHERE merged_into IS NULL;
CREATE INDEX children_list_looked_after ON children (looked_after, family_norm, given_norm, id) WHERE merged_into IS NULL;
-- Counting every child not merged reads this index alone (SQLite will
-- not count through a partial index).
CREATE INDEX children_merged ON children (merged_into);
CREATE INDEX children_given_norm ON children (given_norm);
CREATE INDEX children_given_key ON children (given_key);
CREATE INDEX child_names_norm ON child_names (name_norm);
-- A child's late tasks, counted for each row shown.
CREATE INDEX tasks_child_due ON tasks (child_id, status, due_at);
-- A child missing now has an episode with no return.
CREATE INDEX missing_episodes_open ON missing_episodes (child_id) WHERE returned_at IS NULL;

-- +goose Down
SELECT 'not reversed';
