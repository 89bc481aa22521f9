-- +goose Up
-- Information sharing (issue 16, docs/information-governance.md). Every
-- disclosure of a child's information, and every decision not to disclose
-- it, is a row of information_shares carrying its lawful basis, purpose,
-- consent and reasons; the database holds the rule as well as the code.
ALTER TABLE information_shares ADD COLUMN outcome text NOT NULL DEFAULT 'shared';
ALTER TABLE information_shares ADD COLUMN basis text NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN special_condition text NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN consent text NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN reason text NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN agreement_id text NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN agreement_version integer NOT NULL DEFAULT 0;
ALTER TABLE information_shares ADD COLUMN agreement_note text NOT NULL DEFAULT '';
ALTER TABLE information_shares ADD COLUMN emergency boolean NOT NULL DEFAULT false;
ALTER TABLE information_shares ADD COLUMN supersedes text NOT NULL DEFAULT '';
-- The shares the system made before it kept a basis (minutes, toolkits and
-- partner intelligence forms) were made under the area's procedure: a
-- public task, children's safeguarding as the special category condition.
UPDATE information_shares SET basis = 'public-task', special_condition = 'safeguarding-children', consent = 'not-sought',
    reason = 'Recorded before Lantern kept a lawful basis: sent under the area''s child sexual exploitation procedure';
ALTER TABLE information_shares ADD CONSTRAINT information_shares_lawful CHECK (
    (outcome = 'shared' AND purpose <> '' AND recipient_name <> '' AND what <> ''
        AND basis IN ('consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests')
        AND consent IN ('given', 'refused', 'not-sought')
        AND (consent = 'given' OR length(reason) >= 1)
        AND (basis <> 'consent' OR consent = 'given')
        AND (NOT emergency OR (basis = 'vital-interests' AND length(reason) >= 1)))
    OR (outcome = 'not-shared' AND length(reason) >= 1 AND recipient_name <> '' AND what <> '' AND NOT emergency));
CREATE UNIQUE INDEX information_shares_supersedes ON information_shares (supersedes) WHERE supersedes <> '';
CREATE INDEX information_shares_agency ON information_shares (recipient_agency_id, shared_at);

-- Shares are never edited: a correction supersedes. Only the send's fate
-- (sent_at, send_error) and a merge's move of the child change a row.
-- +goose StatementBegin
CREATE FUNCTION information_shares_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'information shares are never deleted';
    END IF;
    IF (NEW.id, NEW.outcome, NEW.meeting_id, NEW.what, NEW.assessment_id, NEW.recipient_name, NEW.recipient_email,
        NEW.recipient_agency, NEW.recipient_agency_id, NEW.recipient_role, NEW.purpose, NEW.basis, NEW.special_condition,
        NEW.consent, NEW.reason, NEW.agreement_id, NEW.agreement_version, NEW.agreement_note, NEW.emergency, NEW.supersedes,
        NEW.shared_at, NEW.shared_by)
       IS DISTINCT FROM
       (OLD.id, OLD.outcome, OLD.meeting_id, OLD.what, OLD.assessment_id, OLD.recipient_name, OLD.recipient_email,
        OLD.recipient_agency, OLD.recipient_agency_id, OLD.recipient_role, OLD.purpose, OLD.basis, OLD.special_condition,
        OLD.consent, OLD.reason, OLD.agreement_id, OLD.agreement_version, OLD.agreement_note, OLD.emergency, OLD.supersedes,
        OLD.shared_at, OLD.shared_by) THEN
        RAISE EXCEPTION 'information shares are never edited: record a correction that supersedes';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER information_shares_fixed BEFORE UPDATE OR DELETE ON information_shares
    FOR EACH ROW EXECUTE FUNCTION information_shares_fixed();

-- Information-sharing agreements, each version kept.
CREATE TABLE sharing_agreements (
    id                text NOT NULL,
    version           integer NOT NULL,
    title             text NOT NULL CHECK (title <> ''),
    purposes          text NOT NULL CHECK (purposes <> ''),
    data_classes      text NOT NULL CHECK (data_classes <> ''),
    basis             text NOT NULL CHECK (basis IN ('consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests')),
    special_condition text NOT NULL DEFAULT '',
    retention         text NOT NULL CHECK (retention <> ''),
    signatories       text NOT NULL CHECK (signatories <> ''),
    starts_on         date NOT NULL,
    review_on         date NOT NULL,
    ends_on           date,
    created_at        timestamptz NOT NULL,
    created_by        text NOT NULL REFERENCES users (id),
    PRIMARY KEY (id, version)
);
CREATE TABLE sharing_agreement_parties (
    agreement_id  text NOT NULL,
    version       integer NOT NULL,
    agency_id     text NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (agreement_id, version, agency_id),
    FOREIGN KEY (agreement_id, version) REFERENCES sharing_agreements (id, version)
);

-- Sealed records: while a child's row is here, only those on its
-- allow-list, or who have broken the glass and whose time has not run out,
-- find the child anywhere.
CREATE TABLE child_seals (
    child_id   text PRIMARY KEY REFERENCES children (id),
    reason     text NOT NULL CHECK (length(reason) >= 1),
    review_on  date NOT NULL,
    sealed_by  text NOT NULL REFERENCES users (id),
    sealed_at  timestamptz NOT NULL
);
CREATE TABLE seal_access (
    id           text PRIMARY KEY,
    child_id     text NOT NULL REFERENCES children (id),
    user_id      text NOT NULL REFERENCES users (id),
    kind         text NOT NULL CHECK (kind IN ('allowed', 'break-glass')),
    reason       text NOT NULL DEFAULT '',
    granted_by   text NOT NULL REFERENCES users (id),
    granted_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    ended_at     timestamptz,
    reviewed_at  timestamptz,
    reviewed_by  text REFERENCES users (id),
    review_note  text NOT NULL DEFAULT '',
    CHECK (kind <> 'break-glass' OR (expires_at IS NOT NULL AND length(reason) >= 20))
);
CREATE INDEX seal_access_child ON seal_access (child_id, user_id);
CREATE INDEX seal_access_review ON seal_access (kind, reviewed_at, granted_at);

-- +goose Down
SELECT 'not reversed';
