-- +goose Up
-- Information sharing (issue 16, docs/information-governance.md). Every
-- disclosure of a child's information, and every decision not to disclose
-- it, is a row of information_shares carrying its lawful basis, purpose,
-- consent and reasons; the database holds the rule as well as the code
-- (SQLite cannot add a constraint to a table, so a trigger holds it).
ALTER TABLE information_shares ADD COLUMN outcome TEXT NOT NULL DEFAULT 'shared';
ALTER TABLE information_shares ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN special_condition TEXT NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN consent TEXT NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN agreement_id TEXT NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN agreement_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE information_shares ADD COLUMN agreement_note TEXT NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN emergency INTEGER NOT NULL DEFAULT 0;
ALTER TABLE information_shares ADD COLUMN supersedes TEXT NOT NULL DEFAULT '';
-- The shares the system made before it kept a basis (minutes, toolkits and
-- partner intelligence forms) were made under the area's procedure: a
-- public task, children's safeguarding as the special category condition.
UPDATE information_shares SET basis = 'public-task', special_condition = 'safeguarding-children', consent = 'not-sought',
    reason = 'Recorded before Lantern kept a lawful basis: sent under the area''s child sexual exploitation procedure';
-- +goose StatementBegin
CREATE TRIGGER information_shares_lawful BEFORE INSERT ON information_shares
WHEN NOT (
    (NEW.outcome = 'shared' AND NEW.purpose <> '' AND NEW.recipient_name <> '' AND NEW.what <> ''
        AND NEW.basis IN ('consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests')
        AND NEW.consent IN ('given', 'refused', 'not-sought')
        AND (NEW.consent = 'given' OR length(NEW.reason) >= 1)
        AND (NEW.basis <> 'consent' OR NEW.consent = 'given')
        AND (NOT NEW.emergency OR (NEW.basis = 'vital-interests' AND length(NEW.reason) >= 1)))
    OR (NEW.outcome = 'not-shared' AND length(NEW.reason) >= 1 AND NEW.recipient_name <> '' AND NEW.what <> '' AND NOT NEW.emergency))
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: information_shares_lawful');
END;
-- +goose StatementEnd
CREATE UNIQUE INDEX information_shares_supersedes ON information_shares (supersedes) WHERE supersedes <> '';
CREATE INDEX information_shares_agency ON information_shares (recipient_agency_id, shared_at);

-- Shares are never edited: a correction supersedes. Only the send's fate
-- (sent_at, send_error) and a merge's move of the child change a row.
-- +goose StatementBegin
CREATE TRIGGER information_shares_fixed BEFORE UPDATE ON information_shares
WHEN NEW.id IS NOT OLD.id OR NEW.outcome IS NOT OLD.outcome OR NEW.meeting_id IS NOT OLD.meeting_id OR NEW.what IS NOT OLD.what
    OR NEW.assessment_id IS NOT OLD.assessment_id OR NEW.recipient_name IS NOT OLD.recipient_name
    OR NEW.recipient_email IS NOT OLD.recipient_email OR NEW.recipient_agency IS NOT OLD.recipient_agency
    OR NEW.recipient_agency_id IS NOT OLD.recipient_agency_id OR NEW.recipient_role IS NOT OLD.recipient_role
    OR NEW.purpose IS NOT OLD.purpose OR NEW.basis IS NOT OLD.basis OR NEW.special_condition IS NOT OLD.special_condition
    OR NEW.consent IS NOT OLD.consent OR NEW.reason IS NOT OLD.reason OR NEW.agreement_id IS NOT OLD.agreement_id
    OR NEW.agreement_version IS NOT OLD.agreement_version OR NEW.agreement_note IS NOT OLD.agreement_note
    OR NEW.emergency IS NOT OLD.emergency OR NEW.supersedes IS NOT OLD.supersedes
    OR NEW.shared_at IS NOT OLD.shared_at OR NEW.shared_by IS NOT OLD.shared_by
BEGIN
    SELECT RAISE(ABORT, 'information shares are never edited: record a correction that supersedes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER information_shares_kept BEFORE DELETE ON information_shares
BEGIN
    SELECT RAISE(ABORT, 'information shares are never deleted');
END;
-- +goose StatementEnd

-- Information-sharing agreements, each version kept.
CREATE TABLE sharing_agreements (
    id                TEXT NOT NULL,
    version           INTEGER NOT NULL,
    title             TEXT NOT NULL CHECK (title <> ''),
    purposes          TEXT NOT NULL CHECK (purposes <> ''),
    data_classes      TEXT NOT NULL CHECK (data_classes <> ''),
    basis             TEXT NOT NULL CHECK (basis IN ('consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests')),
    special_condition TEXT NOT NULL DEFAULT '',
    retention         TEXT NOT NULL CHECK (retention <> ''),
    signatories       TEXT NOT NULL CHECK (signatories <> ''),
    starts_on         TEXT NOT NULL,
    review_on         TEXT NOT NULL,
    ends_on           TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (id, version)
);
CREATE TABLE sharing_agreement_parties (
    agreement_id  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    agency_id     TEXT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (agreement_id, version, agency_id),
    FOREIGN KEY (agreement_id, version) REFERENCES sharing_agreements (id, version)
);

-- Sealed records: while a child's row is here, only those on its
-- allow-list, or who have broken the glass and whose time has not run out,
-- find the child anywhere.
CREATE TABLE child_seals (
    child_id   TEXT PRIMARY KEY REFERENCES children (id),
    reason     TEXT NOT NULL CHECK (length(reason) >= 1),
    review_on  TEXT NOT NULL,
    sealed_by  TEXT NOT NULL REFERENCES users (id),
    sealed_at  TEXT NOT NULL
);
CREATE TABLE seal_access (
    id           TEXT PRIMARY KEY,
    child_id     TEXT NOT NULL REFERENCES children (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('allowed', 'break-glass')),
    reason       TEXT NOT NULL DEFAULT '',
    granted_by   TEXT NOT NULL REFERENCES users (id),
    granted_at   TEXT NOT NULL,
    expires_at   TEXT,
    ended_at     TEXT,
    reviewed_at  TEXT,
    reviewed_by  TEXT REFERENCES users (id),
    review_note  TEXT NOT NULL DEFAULT '',
    CHECK (kind <> 'break-glass' OR (expires_at IS NOT NULL AND length(reason) >= 20))
);
CREATE INDEX seal_access_child ON seal_access (child_id, user_id);
CREATE INDEX seal_access_review ON seal_access (kind, reviewed_at, granted_at);

-- +goose Down
SELECT 'not reversed';
