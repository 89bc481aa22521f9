-- +goose Up
-- The area's directory: agencies' teams, people and shared mailboxes, with
-- their roles in the pathway (front door, diary manager, police exploitation
-- unit and its intelligence mailbox, CSE coordinator, IRO principal
-- manager, chairs). Configured by administrators.
CREATE TABLE directory_contacts (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    team        TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,  -- stored lower-cased
    phone       TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX directory_contacts_email ON directory_contacts (email);
CREATE INDEX directory_contacts_agency ON directory_contacts (agency_id);
CREATE TABLE directory_roles (
    contact_id  TEXT NOT NULL REFERENCES directory_contacts (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    PRIMARY KEY (contact_id, role)
);
CREATE INDEX directory_roles_role ON directory_roles (role);

-- A meeting's calendar sequence goes up when its time or place changes or it
-- is cancelled, so calendars take the update; version goes up on any change.
ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN assessment_id TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN young_person TEXT NOT NULL DEFAULT '';  -- '', invited, not-invited
ALTER TABLE meetings ADD COLUMN young_person_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN carers TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN carers_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN next_meeting_date TEXT;
ALTER TABLE meetings ADD COLUMN next_task_id TEXT NOT NULL DEFAULT '';
ALTER TABLE meeting_actions ADD COLUMN agency_id TEXT NOT NULL DEFAULT '';
-- An action's status is its task's; these hold it for an action with no task
-- (a context conference about no child).
ALTER TABLE meeting_actions ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE meeting_actions ADD COLUMN done_at TEXT;

CREATE TABLE meeting_invitees (
    id             TEXT PRIMARY KEY,
    meeting_id     TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    contact_id     TEXT NOT NULL DEFAULT '',  -- '' for someone not in the directory
    name           TEXT NOT NULL,
    email          TEXT NOT NULL,             -- lower-cased
    agency         TEXT NOT NULL DEFAULT '',  -- the agency's name as sent
    role           TEXT NOT NULL DEFAULT '',
    attendance     TEXT NOT NULL DEFAULT '',  -- '', attended, apologies, sent-report, absent
    removed        INTEGER NOT NULL DEFAULT 0,
    sent_sequence  INTEGER NOT NULL DEFAULT -1, -- the meeting's sequence last emailed
    sent_at        TEXT,
    send_error     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX meeting_invitees_email ON meeting_invitees (meeting_id, email);

-- Each send of a child's information to someone: to whom, what, why, when.
CREATE TABLE information_shares (
    id               TEXT PRIMARY KEY,
    child_id         TEXT NOT NULL REFERENCES children (id),
    meeting_id       TEXT NOT NULL DEFAULT '',
    what             TEXT NOT NULL,   -- minutes, toolkit
    assessment_id    TEXT NOT NULL DEFAULT '',
    recipient_name   TEXT NOT NULL,
    recipient_email  TEXT NOT NULL,
    recipient_agency TEXT NOT NULL DEFAULT '',
    recipient_role   TEXT NOT NULL DEFAULT '',
    purpose          TEXT NOT NULL,
    shared_at        TEXT NOT NULL,
    shared_by        TEXT NOT NULL REFERENCES users (id),
    sent_at          TEXT,
    send_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX information_shares_child ON information_shares (child_id, shared_at);
CREATE INDEX information_shares_meeting ON information_shares (meeting_id);

-- +goose Down
SELECT 'not reversed';
