-- +goose Up
-- The front door (docs/frontdoor.md): a referral made from a concern or a
-- partner's toolkit names the concern, the referrer's account and agency,
-- and whether there is immediate risk; the queue is the referrals with no
-- decision, immediate risk first, then the oldest.
ALTER TABLE referrals ADD COLUMN concern_id text REFERENCES concerns (id);
ALTER TABLE referrals ADD COLUMN from_agency_id text REFERENCES agencies (id);
ALTER TABLE referrals ADD COLUMN referrer_id text REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN immediate_risk boolean NOT NULL DEFAULT false;
ALTER TABLE referrals ADD COLUMN source text NOT NULL DEFAULT 'recorded';
ALTER TABLE referrals ADD COLUMN decision_reason text NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN decided_by text REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN decision_due_at timestamptz;
ALTER TABLE referrals ADD COLUMN rag text NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN consent text NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN consent_reason text NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN consent_by text REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN consent_approved_by text REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN consent_approved_at timestamptz;
UPDATE referrals SET decision_due_at = (SELECT min(t.due_at) FROM tasks t
    WHERE t.source = 'referral' AND t.source_id = referrals.id AND t.clock = 'referral-decision');
CREATE INDEX referrals_waiting ON referrals (immediate_risk DESC, received_at, id) WHERE decided_at IS NULL;
CREATE INDEX referrals_concern ON referrals (concern_id);

-- Each RAG rating of a referral, with its rationale; the referral keeps the latest.
CREATE TABLE referral_ratings (
    id           text PRIMARY KEY,
    referral_id  text NOT NULL REFERENCES referrals (id),
    rag          text NOT NULL,
    rationale    text NOT NULL,
    rated_by     text NOT NULL REFERENCES users (id),
    rated_at     timestamptz NOT NULL
);
CREATE INDEX referral_ratings_referral ON referral_ratings (referral_id, rated_at);

-- The front door asks a partner agency what it holds about a referred child.
CREATE TABLE info_requests (
    id           text PRIMARY KEY,
    referral_id  text NOT NULL REFERENCES referrals (id),
    child_id     text NOT NULL REFERENCES children (id),
    agency_id    text NOT NULL REFERENCES agencies (id),
    question     text NOT NULL,
    asked_by     text NOT NULL REFERENCES users (id),
    asked_at     timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    answer       text NOT NULL DEFAULT '',
    answered_by  text REFERENCES users (id),
    answered_at  timestamptz,
    chased_at    timestamptz,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX info_requests_referral ON info_requests (referral_id);
CREATE INDEX info_requests_agency ON info_requests (agency_id, answered_at, due_at);

-- A practitioner asks the front door's advice without naming the child.
CREATE TABLE consultations (
    id          text PRIMARY KEY,
    asked_by    text NOT NULL REFERENCES users (id),
    agency_id   text NOT NULL REFERENCES agencies (id),
    asked_at    timestamptz NOT NULL,
    question    text NOT NULL,
    advice      text NOT NULL DEFAULT '',
    advised_by  text REFERENCES users (id),
    advised_at  timestamptz,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consultations_agency ON consultations (agency_id, asked_at);
CREATE INDEX consultations_waiting ON consultations (asked_at) WHERE advised_at IS NULL;

-- Alerts: shown on the pages of whom they are for (a user, the front door,
-- or an agency), and their emails, an outbox written in the transaction of
-- what caused them so that none is lost. A replica claims an email for a
-- while before sending it (claimed_until), so it is sent once however many
-- replicas run; a failure is tried again at next_try_at.
CREATE TABLE alerts (
    id           text PRIMARY KEY,
    kind         text NOT NULL,
    child_id     text REFERENCES children (id),
    referral_id  text REFERENCES referrals (id),
    user_id      text REFERENCES users (id),
    agency_id    text REFERENCES agencies (id),
    front_door   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL
);
CREATE INDEX alerts_user ON alerts (user_id, created_at);
CREATE INDEX alerts_agency ON alerts (agency_id, created_at);
CREATE INDEX alerts_front_door ON alerts (front_door, created_at);
CREATE TABLE alert_emails (
    id             text PRIMARY KEY,
    alert_id       text NOT NULL REFERENCES alerts (id),
    address        text NOT NULL,
    next_try_at    timestamptz NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_by     text NOT NULL DEFAULT '',
    claimed_until  timestamptz,
    sent_at        timestamptz,
    last_error     text NOT NULL DEFAULT ''
);
CREATE INDEX alert_emails_outbox ON alert_emails (next_try_at) WHERE sent_at IS NULL;

-- A deadline an area's local timescales set, where tighter than the
-- statutory one, and the local profile that set it (docs/timescales.md).
ALTER TABLE tasks ADD COLUMN local_profile text NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN local_due_at timestamptz;

-- +goose Down
SELECT 1;
