-- +goose Up
-- Intelligence (docs/intelligence.md): persons of concern, vehicles, phones,
-- places and online accounts, and graded, sourced links between them and
-- children. Who recorded each thing, and from which agency, is kept; a link
-- with no source is refused here as well as in the code.
CREATE TABLE intel_persons (
    id              TEXT PRIMARY KEY,
    sex             TEXT NOT NULL DEFAULT '',
    date_of_birth   TEXT,
    birth_year      INTEGER NOT NULL DEFAULT 0,
    birth_estimated INTEGER NOT NULL DEFAULT 0,
    description     TEXT NOT NULL DEFAULT '',
    merged_into     TEXT REFERENCES intel_persons (id),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users (id),
    agency_id       TEXT NOT NULL REFERENCES agencies (id),
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK (sex IN ('', 'male', 'female'))
);
CREATE INDEX intel_persons_merged ON intel_persons (merged_into);

-- Names and street names (kind 'alias'), normalised for search and matching.
CREATE TABLE intel_person_names (
    person_id   TEXT NOT NULL REFERENCES intel_persons (id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    given       TEXT NOT NULL DEFAULT '',
    family      TEXT NOT NULL DEFAULT '',
    given_norm  TEXT NOT NULL DEFAULT '',
    family_norm TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, kind, seq),
    CHECK (kind IN ('name', 'alias'))
);
CREATE INDEX intel_person_names_family ON intel_person_names (family_norm, given_norm);
CREATE INDEX intel_person_names_given ON intel_person_names (given_norm);

CREATE TABLE intel_person_addresses (
    person_id TEXT NOT NULL REFERENCES intel_persons (id),
    seq       INTEGER NOT NULL,
    address   TEXT NOT NULL DEFAULT '',
    postcode  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, seq)
);
CREATE INDEX intel_person_addresses_postcode ON intel_person_addresses (postcode);

-- Blocking keys for entity resolution: persons sharing a key are compared.
CREATE TABLE intel_person_keys (
    key       TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES intel_persons (id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX intel_person_keys_person ON intel_person_keys (person_id);

-- vrm is normalised (AB12CDE); a partial one holds ? for each unknown
-- character. vrm_rev is it reversed, so a pattern known only at its end is
-- found by an index too.
CREATE TABLE intel_vehicles (
    id         TEXT PRIMARY KEY,
    vrm        TEXT NOT NULL UNIQUE,
    vrm_rev    TEXT NOT NULL,
    partial    INTEGER NOT NULL DEFAULT 0,
    colour     TEXT NOT NULL DEFAULT '',
    make       TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    agency_id  TEXT NOT NULL REFERENCES agencies (id)
);
CREATE INDEX intel_vehicles_vrm ON intel_vehicles (vrm);
CREATE INDEX intel_vehicles_rev ON intel_vehicles (vrm_rev);
CREATE INDEX intel_vehicles_partial ON intel_vehicles (partial) WHERE partial = 1;

CREATE TABLE intel_phones (
    id         TEXT PRIMARY KEY,
    e164       TEXT NOT NULL UNIQUE,
    fictional  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    agency_id  TEXT NOT NULL REFERENCES agencies (id)
);

CREATE TABLE intel_places (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL DEFAULT '',
    name_norm      TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    postcode       TEXT NOT NULL DEFAULT '',
    lat            REAL,
    lon            REAL,
    hotspot        INTEGER NOT NULL DEFAULT 0,
    hotspot_reason TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    agency_id      TEXT NOT NULL REFERENCES agencies (id),
    CHECK (hotspot = 0 OR hotspot_reason <> '')
);
CREATE INDEX intel_places_name ON intel_places (name_norm);
CREATE INDEX intel_places_postcode ON intel_places (postcode);

CREATE TABLE intel_accounts (
    id          TEXT PRIMARY KEY,
    platform    TEXT NOT NULL,
    handle      TEXT NOT NULL,
    account_key TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id)
);

-- A link: graded in the 3×5×2 model (the police give the final grade), an
-- older 5×5×5 grade kept as written, and always a source.
CREATE TABLE intel_links (
    id             TEXT PRIMARY KEY,
    from_type      TEXT NOT NULL,
    from_id        TEXT NOT NULL,
    to_type        TEXT NOT NULL,
    to_id          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    observed_from  TEXT,
    observed_to    TEXT,
    source         TEXT NOT NULL DEFAULT '',
    source_type    TEXT NOT NULL DEFAULT '',
    source_id      TEXT NOT NULL DEFAULT '',
    how_known      TEXT NOT NULL DEFAULT '',
    grade_source   TEXT NOT NULL DEFAULT '',
    grade_intel    TEXT NOT NULL DEFAULT '',
    grade_handling TEXT NOT NULL DEFAULT '',
    conditions     TEXT NOT NULL DEFAULT '',
    legacy_grade   TEXT NOT NULL DEFAULT '',
    final          INTEGER NOT NULL DEFAULT 0,
    graded_by      TEXT REFERENCES users (id),
    recorded_by    TEXT NOT NULL REFERENCES users (id),
    agency_id      TEXT NOT NULL REFERENCES agencies (id),
    recorded_at    TEXT NOT NULL,
    withdrawn_at   TEXT,
    withdrawn_by   TEXT REFERENCES users (id),
    changed_at     TEXT,
    CHECK (source <> '' OR source_id <> ''),
    CHECK (grade_handling <> 'C' OR conditions <> ''),
    CHECK (from_type <> to_type OR from_id <> to_id)
);
CREATE INDEX intel_links_from ON intel_links (from_id);
CREATE INDEX intel_links_to ON intel_links (to_id);
CREATE INDEX intel_links_recorded ON intel_links (recorded_at);
CREATE INDEX intel_links_changed ON intel_links (changed_at);

-- The review list of entity resolution: two persons who may be one, with
-- the weights behind the score; the answer (same, different, unsure), who
-- gave it and when, kept to train the next model. person_a < person_b.
CREATE TABLE intel_person_pairs (
    id          TEXT PRIMARY KEY,
    person_a    TEXT NOT NULL REFERENCES intel_persons (id),
    person_b    TEXT NOT NULL REFERENCES intel_persons (id),
    probability REAL NOT NULL,
    reasons     TEXT NOT NULL DEFAULT '',
    found_at    TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    answered_by TEXT REFERENCES users (id),
    answered_at TEXT,
    CHECK (person_a < person_b),
    CHECK (answer IN ('', 'same', 'different', 'unsure'))
);
CREATE UNIQUE INDEX intel_person_pairs_pair ON intel_person_pairs (person_a, person_b);
CREATE INDEX intel_person_pairs_open ON intel_person_pairs (answer, probability);

-- Merges: a person found to be another; undoing one ends it.
CREATE TABLE intel_person_merges (
    id        TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES intel_persons (id),
    into_id   TEXT NOT NULL REFERENCES intel_persons (id),
    automatic INTEGER NOT NULL DEFAULT 0,
    merged_by TEXT REFERENCES users (id),
    merged_at TEXT NOT NULL,
    undone_by TEXT REFERENCES users (id),
    undone_at TEXT
);
CREATE INDEX intel_person_merges_person ON intel_person_merges (person_id);

-- The trained entity-resolution model, newest last.
CREATE TABLE intel_models (
    id         TEXT PRIMARY KEY,
    trained_at TEXT NOT NULL,
    model      TEXT NOT NULL
);

-- +goose Down
DROP TABLE intel_models;
DROP TABLE intel_person_merges;
DROP TABLE intel_person_pairs;
DROP TABLE intel_links;
DROP TABLE intel_accounts;
DROP TABLE intel_places;
DROP TABLE intel_phones;
DROP TABLE intel_vehicles;
DROP TABLE intel_person_keys;
DROP TABLE intel_person_addresses;
DROP TABLE intel_person_names;
DROP TABLE intel_persons;
