-- +goose Up
-- Disruption and prosecution (docs/intelligence.md#disruption-and-prosecution):
-- warning notices, civil orders, arrests, charges and court outcomes against a
-- person of concern (a closure order against a place), and the children each
-- concerns. A CAWN's children are checked against their records in the code.
CREATE TABLE disruptions (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL DEFAULT '',
    occurred_on TEXT NOT NULL,
    expires_on  TEXT,
    person_id   TEXT REFERENCES intel_persons (id),
    place_id    TEXT REFERENCES intel_places (id),
    offence     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    reference   TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES users (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    recorded_at TEXT NOT NULL,
    CHECK (kind IN ('cawn', 'sexual-risk-order', 'sexual-harm-prevention-order', 'other-civil-order', 'closure-order',
        'arrest', 'charge', 'court-outcome', 'other-disruption')),
    CHECK (person_id IS NOT NULL OR place_id IS NOT NULL),
    CHECK (kind <> 'court-outcome' OR outcome IN ('convicted', 'acquitted', 'discontinued', 'dismissed')),
    CHECK (expires_on IS NULL OR expires_on > occurred_on)
);
CREATE INDEX disruptions_person ON disruptions (person_id);
CREATE INDEX disruptions_occurred ON disruptions (occurred_on);

CREATE TABLE disruption_children (
    disruption_id TEXT NOT NULL REFERENCES disruptions (id),
    child_id      TEXT NOT NULL REFERENCES children (id),
    role          TEXT NOT NULL,
    PRIMARY KEY (disruption_id, child_id),
    CHECK (role IN ('victim', 'witness', 'protected'))
);
CREATE INDEX disruption_children_child ON disruption_children (child_id);

-- The items a partner intelligence form sent to the police (a share of
-- what 'police-form' in information_shares): each a link or an entity, by
-- its id, in the order sent.
CREATE TABLE information_share_items (
    share_id  TEXT NOT NULL REFERENCES information_shares (id),
    seq       INTEGER NOT NULL,
    item_type TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    PRIMARY KEY (share_id, seq)
);

-- +goose Down
DROP TABLE information_share_items;
DROP TABLE disruption_children;
DROP TABLE disruptions;
