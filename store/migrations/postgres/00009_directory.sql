-- +goose Up
-- The area's directory: agencies' teams, people and shared mailboxes, with
-- their roles in the pathway (front door, diary manager, police exploitation
-- unit and its intelligence mailbox, CSE coordinator, IRO principal
-- manager, chairs). Configured by administrators.
CREATE TABLE directory_contacts (
    id          text PRIMARY KEY,
    agency_id   text NOT NULL REFERENCES agencies (id),
    team        text NOT NULL DEFAULT '',
    name        text NOT NULL,
    email       text NOT NULL,  -- stored lower-cased
    phone       text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX directory_contacts_email ON directory_contacts (email);
CREATE INDEX directory_contacts_agency ON directory_contacts (agency_id);
CREATE TABLE directory_roles (
    contact_id  text NOT NULL REFERENCES directory_contacts (id) ON DELETE CASCADE,
    role        text NOT NULL,
    PRIMARY KEY (contact_id, role)
);
CREATE INDEX directory_roles_role ON directory_roles (role);

-- A meeting's calendar sequence goes up when its time or place changes or it
-- is cancelled, so calendars take the update; version goes up on any change.
ALTER TABLE meetings ADD COLUMN sequence integer NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN assessment_id text NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN young_person text NOT NULL DEFAULT '';  -- '', invited, not-invited
ALTER TABLE meetings ADD COLUMN young_person_reason text NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN carers text NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN carers_reason text NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN cancel_reason text NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN next_meeting_date date;
ALTER TABLE meetings ADD COLUMN next_task_id text NOT NULL DEFAULT '';
ALTER TABLE meeting_actions ADD COLUMN agency_id text NOT NULL DEFAULT '';
-- An action's status is its task's; these hold it for an action with no task
-- (a context conference about no child).
ALTER TABLE meeting_actions ADD COLUMN status text NOT NULL DEFAULT 'open';
ALTER TABLE meeting_actions ADD COLUMN done_at timestamptz;

CREATE TABLE meeting_invitees (
    id             text PRIMARY KEY,
    meeting_id     text NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    contact_id     text NOT NULL DEFAULT '',  -- '' for someone not in the directory
    name           text NOT NULL,
    email          text NOT NULL,             -- lower-cased
    agency         text NOT NULL DEFAULT '',  -- the agency's name as sent
    role           text NOT NULL DEFAULT '',
    attendance     text NOT NULL DEFAULT '',  -- '', attended, apologies, sent-report, absent
    removed        boolean NOT NULL DEFAULT false,
    sent_sequence  integer NOT NULL DEFAULT -1, -- the meeting's sequence last emailed
    sent_at        timestamptz,
    send_error     text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX meeting_invitees_email ON meeting_invitees (meeting_id, email);

-- Each send of a child's information to someone: to whom, what, why, when.
CREATE TABLE information_shares (
    id               text PRIMARY KEY,
    child_id         text NOT NULL REFERENCES children (id),
    meeting_id       text NOT NULL DEFAULT '',
    what             text NOT NULL,   -- minutes, toolkit
    assessment_id    text NOT NULL DEFAULT '',
    recipient_name   text NOT NULL,
    recipient_email  text NOT NULL,
    recipient_agency text NOT NULL DEFAULT '',
    recipient_role   text NOT NULL DEFAULT '',
    purpose          text NOT NULL,
    shared_at        timestamptz NOT NULL,
    shared_by        text NOT NULL REFERENCES users (id),
    sent_at          timestamptz,
    send_error       text NOT NULL DEFAULT ''
);
CREATE INDEX information_shares_child ON information_shares (child_id, shared_at);
CREATE INDEX information_shares_meeting ON information_shares (meeting_id);

-- +goose Down
SELECT 'not reversed';
