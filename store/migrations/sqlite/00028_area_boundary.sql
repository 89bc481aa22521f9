-- +goose Up
-- The area's boundary (issue 14): the named areas (wards, neighbourhoods)
-- the hotspot map is drawn on and its places counted by, as GeoJSON in
-- WGS84 longitude and latitude, written by Lantern from the file loaded
-- (lantern.AreaBoundary.GeoJSON). One boundary at a time: loading another
-- replaces it, with a new id, in the audit trail.
CREATE TABLE area_boundary (
    slot          INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_property TEXT NOT NULL DEFAULT '',
    geojson       TEXT NOT NULL,
    areas         INTEGER NOT NULL,
    vertices      INTEGER NOT NULL,
    loaded_by     TEXT NOT NULL DEFAULT '',
    loaded_at     TEXT NOT NULL,
    CHECK (slot = 1)
);

-- +goose Down
DROP TABLE area_boundary;
