-- +goose Up
-- The partnership's figures (issue 17, docs/figures.md): whether a child
-- is an unaccompanied asylum-seeking child (a breakdown the data set
-- counts); and the local authority area a child belongs to, for a store
-- that holds several areas (a regional or national hub, or the national
-- benchmark's generated set). '' is the deployment's own area.
ALTER TABLE children ADD COLUMN unaccompanied boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN area_code text NOT NULL DEFAULT '';
CREATE INDEX children_area ON children (area_code, id);
CREATE INDEX concerns_raised ON concerns (raised_at, child_id);

-- +goose Down
SELECT 'not reversed';
