-- +goose Up
-- Intelligence (docs/intelligence.md): persons of concern, vehicles, phones,
-- places and online accounts, and graded, sourced links between them and
-- children. Who recorded each thing, and from which agency, is kept; a link
-- with no source is refused here as well as in the code.
CREATE TABLE intel_persons (
    id              text PRIMARY KEY,
    sex             text NOT NULL DEFAULT '',
    date_of_birth   date,
    birth_year      integer NOT NULL DEFAULT 0,
    birth_estimated boolean NOT NULL DEFAULT false,
    description     text NOT NULL DEFAULT '',
    merged_into     text REFERENCES intel_persons (id),
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL REFERENCES users (id),
    agency_id       text NOT NULL REFERENCES agencies (id),
    version         integer NOT NULL DEFAULT 1,
    CHECK (sex IN ('', 'male', 'female'))
);
CREATE INDEX intel_persons_merged ON intel_persons (merged_into);

-- Names and street names (kind 'alias'), normalised for search and matching.
CREATE TABLE intel_person_names (
    person_id   text NOT NULL REFERENCES intel_persons (id),
    seq         integer NOT NULL,
    kind        text NOT NULL,
    given       text NOT NULL DEFAULT '',
    family      text NOT NULL DEFAULT '',
    given_norm  text NOT NULL DEFAULT '',
    family_norm text NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, kind, seq),
    CHECK (kind IN ('name', 'alias'))
);
CREATE INDEX intel_person_names_family ON intel_person_names (family_norm, given_norm);
CREATE INDEX intel_person_names_given ON intel_person_names (given_norm);

CREATE TABLE intel_person_addresses (
    person_id text NOT NULL REFERENCES intel_persons (id),
    seq       integer NOT NULL,
    address   text NOT NULL DEFAULT '',
    postcode  text NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, seq)
);
CREATE INDEX intel_person_addresses_postcode ON intel_person_addresses (postcode);

-- Blocking keys for entity resolution: persons sharing a key are compared.
CREATE TABLE intel_person_keys (
    key       text NOT NULL,
    person_id text NOT NULL REFERENCES intel_persons (id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX intel_person_keys_person ON intel_person_keys (person_id);

-- vrm is normalised (AB12CDE); a partial one holds ? for each unknown
-- character. vrm_rev is it reversed, so a pattern known only at its end is
-- found by an index too.
CREATE TABLE intel_vehicles (
    id         text PRIMARY KEY,
    vrm        text NOT NULL UNIQUE,
    vrm_rev    text NOT NULL,
    partial    boolean NOT NULL DEFAULT false,
    colour     text NOT NULL DEFAULT '',
    make       text NOT NULL DEFAULT '',
    model      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    created_by text NOT NULL REFERENCES users (id),
    agency_id  text NOT NULL REFERENCES agencies (id)
);
CREATE INDEX intel_vehicles_vrm ON intel_vehicles (vrm text_pattern_ops);
CREATE INDEX intel_vehicles_rev ON intel_vehicles (vrm_rev text_pattern_ops);
CREATE INDEX intel_vehicles_partial ON intel_vehicles (partial) WHERE partial;

CREATE TABLE intel_phones (
    id         text PRIMARY KEY,
    e164       text NOT NULL UNIQUE,
    fictional  boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL REFERENCES users (id),
    agency_id  text NOT NULL REFERENCES agencies (id)
);

CREATE TABLE intel_places (
    id             text PRIMARY KEY,
    name           text NOT NULL DEFAULT '',
    name_norm      text NOT NULL DEFAULT '',
    address        text NOT NULL DEFAULT '',
    postcode       text NOT NULL DEFAULT '',
    lat            double precision,
    lon            double precision,
    hotspot        boolean NOT NULL DEFAULT false,
    hotspot_reason text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    created_by     text NOT NULL REFERENCES users (id),
    agency_id      text NOT NULL REFERENCES agencies (id),
    CHECK (NOT hotspot OR hotspot_reason <> '')
);
CREATE INDEX intel_places_name ON intel_places (name_norm text_pattern_ops);
CREATE INDEX intel_places_postcode ON intel_places (postcode);

CREATE TABLE intel_accounts (
    id          text PRIMARY KEY,
    platform    text NOT NULL,
    handle      text NOT NULL,
    account_key text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL REFERENCES users (id),
    agency_id   text NOT NULL REFERENCES agencies (id)
);

-- A link: graded in the 3×5×2 model (the police give the final grade), an
-- older 5×5×5 grade kept as written, and always a source.
CREATE TABLE intel_links (
    id             text PRIMARY KEY,
    from_type      text NOT NULL,
    from_id        text NOT NULL,
    to_type        text NOT NULL,
    to_id          text NOT NULL,
    kind           text NOT NULL,
    observed_from  date,
    observed_to    date,
    source         text NOT NULL DEFAULT '',
    source_type    text NOT NULL DEFAULT '',
    source_id      text NOT NULL DEFAULT '',
    how_known      text NOT NULL DEFAULT '',
    grade_source   text NOT NULL DEFAULT '',
    grade_intel    text NOT NULL DEFAULT '',
    grade_handling text NOT NULL DEFAULT '',
    conditions     text NOT NULL DEFAULT '',
    legacy_grade   text NOT NULL DEFAULT '',
    final          boolean NOT NULL DEFAULT false,
    graded_by      text REFERENCES users (id),
    recorded_by    text NOT NULL REFERENCES users (id),
    agency_id      text NOT NULL REFERENCES agencies (id),
    recorded_at    timestamptz NOT NULL,
    withdrawn_at   timestamptz,
    withdrawn_by   text REFERENCES users (id),
    changed_at     timestamptz,
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
    id          text PRIMARY KEY,
    person_a    text NOT NULL REFERENCES intel_persons (id),
    person_b    text NOT NULL REFERENCES intel_persons (id),
    probability double precision NOT NULL,
    reasons     text NOT NULL DEFAULT '',
    found_at    timestamptz NOT NULL,
    answer      text NOT NULL DEFAULT '',
    answered_by text REFERENCES users (id),
    answered_at timestamptz,
    CHECK (person_a < person_b),
    CHECK (answer IN ('', 'same', 'different', 'unsure'))
);
CREATE UNIQUE INDEX intel_person_pairs_pair ON intel_person_pairs (person_a, person_b);
CREATE INDEX intel_person_pairs_open ON intel_person_pairs (answer, probability);

-- Merges: a person found to be another; undoing one ends it.
CREATE TABLE intel_person_merges (
    id        text PRIMARY KEY,
    person_id text NOT NULL REFERENCES intel_persons (id),
    into_id   text NOT NULL REFERENCES intel_persons (id),
    automatic boolean NOT NULL DEFAULT false,
    merged_by text REFERENCES users (id),
    merged_at timestamptz NOT NULL,
    undone_by text REFERENCES users (id),
    undone_at timestamptz
);
CREATE INDEX intel_person_merges_person ON intel_person_merges (person_id);

-- The trained entity-resolution model, newest last.
CREATE TABLE intel_models (
    id         text PRIMARY KEY,
    trained_at timestamptz NOT NULL,
    model      text NOT NULL
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
