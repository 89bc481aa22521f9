-- +goose Up
-- The area's boundary (issue 14): the named areas (wards, neighbourhoods)
-- the hotspot map is drawn on and its places counted by, as GeoJSON in
-- WGS84 longitude and latitude, written by Lantern from the file loaded
-- (lantern.AreaBoundary.GeoJSON). One boundary at a time: loading another
-- replaces it, with a new id, in the audit trail.
CREATE TABLE area_boundary (
    slot          integer PRIMARY KEY,
    id            text NOT NULL UNIQUE,
    name          text NOT NULL,
    name_property text NOT NULL DEFAULT '',
    geojson       text NOT NULL,
    areas         integer NOT NULL,
    vertices      integer NOT NULL,
    loaded_by     text NOT NULL DEFAULT '',
    loaded_at     timestamptz NOT NULL,
    CHECK (slot = 1)
);

-- +goose Down
DROP TABLE area_boundary;
