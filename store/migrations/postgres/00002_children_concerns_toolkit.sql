-- +goose Up
-- The child's record, complete enough to work from.
ALTER TABLE children ADD COLUMN dob_estimated boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN ethnicity text NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN first_language text NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN interpreter_needed boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN disability text NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN learning_disability boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN looked_after boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN placing_authority text NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN open_case boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN allocated_social_worker_id text REFERENCES users (id);
ALTER TABLE children ADD COLUMN lead_professional text NOT NULL DEFAULT '';
-- Phonetic keys of the names, for finding possible matches.
ALTER TABLE children ADD COLUMN given_key text NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN family_key text NOT NULL DEFAULT '';
-- Two records found to be one person: the other is kept, read-only.
ALTER TABLE children ADD COLUMN merged_into text REFERENCES children (id);
CREATE INDEX children_dob ON children (date_of_birth);
CREATE INDEX children_family_key ON children (family_key, date_of_birth);

-- Other names: aliases, nicknames, names the child is known by.
CREATE TABLE child_names (
    id         text PRIMARY KEY,
    child_id   text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    name       text NOT NULL,
    kind       text NOT NULL,
    name_key   text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX child_names_child ON child_names (child_id);
CREATE INDEX child_names_key ON child_names (name_key);

-- Where the child has lived and gone to school, over time.
CREATE TABLE child_addresses (
    id         text PRIMARY KEY,
    child_id   text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    address    text NOT NULL,
    postcode   text NOT NULL DEFAULT '',
    from_date  date,
    to_date    date,
    created_at timestamptz NOT NULL
);
CREATE INDEX child_addresses_child ON child_addresses (child_id);
CREATE TABLE child_schools (
    id         text PRIMARY KEY,
    child_id   text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    school     text NOT NULL,
    from_date  date,
    to_date    date,
    created_at timestamptz NOT NULL
);
CREATE INDEX child_schools_child ON child_schools (child_id);

-- The named professionals involved, by agency.
CREATE TABLE child_professionals (
    id         text PRIMARY KEY,
    child_id   text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    agency_id  text NOT NULL REFERENCES agencies (id),
    name       text NOT NULL,
    role       text NOT NULL DEFAULT '',
    email      text NOT NULL DEFAULT '',
    phone      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX child_professionals_child ON child_professionals (child_id);

-- Parents and carers; siblings are child records of their own.
CREATE TABLE family_members (
    id                       text PRIMARY KEY,
    child_id                 text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    name                     text NOT NULL,
    relationship             text NOT NULL,
    parental_responsibility  boolean NOT NULL DEFAULT false,
    lives_with               boolean NOT NULL DEFAULT false,
    notes                    text NOT NULL DEFAULT '',
    created_at               timestamptz NOT NULL
);
CREATE INDEX family_members_child ON family_members (child_id);
CREATE TABLE child_siblings (
    child_id    text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    sibling_id  text NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (child_id, sibling_id),
    CHECK (child_id <> sibling_id)
);

-- A concern moves through the pathway's steps; each step says who and when.
CREATE TABLE concerns (
    id                text PRIMARY KEY,
    child_id          text NOT NULL REFERENCES children (id),
    raised_by         text NOT NULL REFERENCES users (id),
    agency_id         text NOT NULL REFERENCES agencies (id),
    raised_at         timestamptz NOT NULL,
    summary           text NOT NULL,
    disclosure        boolean NOT NULL DEFAULT false,
    disclosure_words  text NOT NULL DEFAULT '',
    immediate_risk    boolean NOT NULL DEFAULT false,
    immediate_action  text NOT NULL DEFAULT '',
    step              text NOT NULL,
    outcome           text NOT NULL DEFAULT '',
    assessment_id     text,
    version           integer NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX concerns_child ON concerns (child_id, raised_at);
CREATE TABLE concern_steps (
    id          text PRIMARY KEY,
    concern_id  text NOT NULL REFERENCES concerns (id),
    step        text NOT NULL,
    user_id     text NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL,
    note        text NOT NULL DEFAULT ''
);
CREATE INDEX concern_steps_concern ON concern_steps (concern_id, at);

-- Toolkit definitions loaded by administrators; the built-in one is in the binary.
CREATE TABLE toolkits (
    id          text PRIMARY KEY,
    definition  text NOT NULL,
    loaded_by   text NOT NULL DEFAULT '',
    loaded_at   timestamptz NOT NULL
);
CREATE TABLE settings (
    key    text PRIMARY KEY,
    value  text NOT NULL
);

-- Assessments keep the toolkit version, the answers, the suggestion and
-- the level the practitioner recorded.
CREATE TABLE assessments (
    id                     text PRIMARY KEY,
    child_id               text NOT NULL REFERENCES children (id),
    concern_id             text REFERENCES concerns (id),
    toolkit_id             text NOT NULL,
    assessed_on            date NOT NULL,
    answers                text NOT NULL,
    analysis               text NOT NULL,
    suggested              text NOT NULL,
    suggested_level        text NOT NULL,
    recorded_level         text NOT NULL,
    override_rationale     text NOT NULL DEFAULT '',
    created_by             text NOT NULL REFERENCES users (id),
    agency_id              text NOT NULL REFERENCES agencies (id),
    created_at             timestamptz NOT NULL
);
CREATE INDEX assessments_child ON assessments (child_id, assessed_on);

-- Work with a deadline. Clocks (the statutory timescales) make and end them.
CREATE TABLE tasks (
    id             text PRIMARY KEY,
    child_id       text NOT NULL REFERENCES children (id),
    clock          text NOT NULL,
    status         text NOT NULL,
    started_at     timestamptz NOT NULL,
    due_date       date NOT NULL,
    due_at         timestamptz NOT NULL,
    profile        text NOT NULL,
    calendar       text NOT NULL DEFAULT '',
    assignee_id    text REFERENCES users (id),
    team_agency_id text REFERENCES agencies (id),
    source         text NOT NULL DEFAULT '',
    source_id      text NOT NULL DEFAULT '',
    done_at        timestamptz,
    closed_reason  text NOT NULL DEFAULT '',
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL
);
CREATE INDEX tasks_child ON tasks (child_id, status);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_at);
CREATE INDEX tasks_open_due ON tasks (status, due_at);

-- +goose Down
SELECT 'not reversed';
