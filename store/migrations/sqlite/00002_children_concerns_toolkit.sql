-- +goose Up
-- The child's record, complete enough to work from.
ALTER TABLE children ADD COLUMN dob_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN first_language TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN interpreter_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN disability TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN learning_disability INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN looked_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN placing_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN open_case INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN allocated_social_worker_id TEXT REFERENCES users (id);
ALTER TABLE children ADD COLUMN lead_professional TEXT NOT NULL DEFAULT '';
-- Phonetic keys of the names, for finding possible matches.
ALTER TABLE children ADD COLUMN given_key TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN family_key TEXT NOT NULL DEFAULT '';
-- Two records found to be one person: the other is kept, read-only.
ALTER TABLE children ADD COLUMN merged_into TEXT REFERENCES children (id);
CREATE INDEX children_dob ON children (date_of_birth);
CREATE INDEX children_family_key ON children (family_key, date_of_birth);

-- Other names: aliases, nicknames, names the child is known by.
CREATE TABLE child_names (
    id         TEXT PRIMARY KEY,
    child_id   TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name_key   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX child_names_child ON child_names (child_id);
CREATE INDEX child_names_key ON child_names (name_key);

-- Where the child has lived and gone to school, over time.
CREATE TABLE child_addresses (
    id         TEXT PRIMARY KEY,
    child_id   TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    address    TEXT NOT NULL,
    postcode   TEXT NOT NULL DEFAULT '',
    from_date  TEXT,
    to_date    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX child_addresses_child ON child_addresses (child_id);
CREATE TABLE child_schools (
    id         TEXT PRIMARY KEY,
    child_id   TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    school     TEXT NOT NULL,
    from_date  TEXT,
    to_date    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX child_schools_child ON child_schools (child_id);

-- The named professionals involved, by agency.
CREATE TABLE child_professionals (
    id         TEXT PRIMARY KEY,
    child_id   TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX child_professionals_child ON child_professionals (child_id);

-- Parents and carers; siblings are child records of their own.
CREATE TABLE family_members (
    id                       TEXT PRIMARY KEY,
    child_id                 TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    name                     TEXT NOT NULL,
    relationship             TEXT NOT NULL,
    parental_responsibility  INTEGER NOT NULL DEFAULT 0,
    lives_with               INTEGER NOT NULL DEFAULT 0,
    notes                    TEXT NOT NULL DEFAULT '',
    created_at               TEXT NOT NULL
);
CREATE INDEX family_members_child ON family_members (child_id);
CREATE TABLE child_siblings (
    child_id    TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    sibling_id  TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (child_id, sibling_id),
    CHECK (child_id <> sibling_id)
);

-- A concern moves through the pathway's steps; each step says who and when.
CREATE TABLE concerns (
    id                TEXT PRIMARY KEY,
    child_id          TEXT NOT NULL REFERENCES children (id),
    raised_by         TEXT NOT NULL REFERENCES users (id),
    agency_id         TEXT NOT NULL REFERENCES agencies (id),
    raised_at         TEXT NOT NULL,
    summary           TEXT NOT NULL,
    disclosure        INTEGER NOT NULL DEFAULT 0,
    disclosure_words  TEXT NOT NULL DEFAULT '',
    immediate_risk    INTEGER NOT NULL DEFAULT 0,
    immediate_action  TEXT NOT NULL DEFAULT '',
    step              TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    assessment_id     TEXT,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX concerns_child ON concerns (child_id, raised_at);
CREATE TABLE concern_steps (
    id          TEXT PRIMARY KEY,
    concern_id  TEXT NOT NULL REFERENCES concerns (id),
    step        TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    at          TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX concern_steps_concern ON concern_steps (concern_id, at);

-- Toolkit definitions loaded by administrators; the built-in one is in the binary.
CREATE TABLE toolkits (
    id          TEXT PRIMARY KEY,
    definition  TEXT NOT NULL,
    loaded_by   TEXT NOT NULL DEFAULT '',
    loaded_at   TEXT NOT NULL
);
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Assessments keep the toolkit version, the answers, the suggestion and
-- the level the practitioner recorded.
CREATE TABLE assessments (
    id                     TEXT PRIMARY KEY,
    child_id               TEXT NOT NULL REFERENCES children (id),
    concern_id             TEXT REFERENCES concerns (id),
    toolkit_id             TEXT NOT NULL,
    assessed_on            TEXT NOT NULL,
    answers                TEXT NOT NULL,
    analysis               TEXT NOT NULL,
    suggested              TEXT NOT NULL,
    suggested_level        TEXT NOT NULL,
    recorded_level         TEXT NOT NULL,
    override_rationale     TEXT NOT NULL DEFAULT '',
    created_by             TEXT NOT NULL REFERENCES users (id),
    agency_id              TEXT NOT NULL REFERENCES agencies (id),
    created_at             TEXT NOT NULL
);
CREATE INDEX assessments_child ON assessments (child_id, assessed_on);

-- Work with a deadline. Clocks (the statutory timescales) make and end them.
CREATE TABLE tasks (
    id             TEXT PRIMARY KEY,
    child_id       TEXT NOT NULL REFERENCES children (id),
    clock          TEXT NOT NULL,
    status         TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    due_at         TEXT NOT NULL,
    profile        TEXT NOT NULL,
    calendar       TEXT NOT NULL DEFAULT '',
    assignee_id    TEXT REFERENCES users (id),
    team_agency_id TEXT REFERENCES agencies (id),
    source         TEXT NOT NULL DEFAULT '',
    source_id      TEXT NOT NULL DEFAULT '',
    done_at        TEXT,
    closed_reason  TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL
);
CREATE INDEX tasks_child ON tasks (child_id, status);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_at);
CREATE INDEX tasks_open_due ON tasks (status, due_at);

-- +goose Down
SELECT 'not reversed';
