-- +goose Up
-- The front door (docs/frontdoor.md): a referral made from a concern or a
-- partner's toolkit names the concern, the referrer's account and agency,
-- and whether there is immediate risk; the queue is the referrals with no
-- decision, immediate risk first, then the oldest.
ALTER TABLE referrals ADD COLUMN concern_id TEXT REFERENCES concerns (id);
ALTER TABLE referrals ADD COLUMN from_agency_id TEXT REFERENCES agencies (id);
ALTER TABLE referrals ADD COLUMN referrer_id TEXT REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN immediate_risk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN source TEXT NOT NULL DEFAULT 'recorded';
ALTER TABLE referrals ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN decided_by TEXT REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN decision_due_at TEXT;
ALTER TABLE referrals ADD COLUMN rag TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN consent TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN consent_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN consent_by TEXT REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN consent_approved_by TEXT REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN consent_approved_at TEXT;
UPDATE referrals SET decision_due_at = (SELECT min(t.due_at) FROM tasks t
    WHERE t.source = 'referral' AND t.source_id = referrals.id AND t.clock = 'referral-decision');
CREATE INDEX referrals_waiting ON referrals (immediate_risk DESC, received_at, id) WHERE decided_at IS NULL;
CREATE INDEX referrals_concern ON referrals (concern_id);

-- Each RAG rating of a referral, with its rationale; the referral keeps the latest.
CREATE TABLE referral_ratings (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    rag          TEXT NOT NULL,
    rationale    TEXT NOT NULL,
    rated_by     TEXT NOT NULL REFERENCES users (id),
    rated_at     TEXT NOT NULL
);
CREATE INDEX referral_ratings_referral ON referral_ratings (referral_id, rated_at);

-- The front door asks a partner agency what it holds about a referred child.
CREATE TABLE info_requests (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    child_id     TEXT NOT NULL REFERENCES children (id),
    agency_id    TEXT NOT NULL REFERENCES agencies (id),
    question     TEXT NOT NULL,
    asked_by     TEXT NOT NULL REFERENCES users (id),
    asked_at     TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    answered_by  TEXT REFERENCES users (id),
    answered_at  TEXT,
    chased_at    TEXT,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX info_requests_referral ON info_requests (referral_id);
CREATE INDEX info_requests_agency ON info_requests (agency_id, answered_at, due_at);

-- A practitioner asks the front door's advice without naming the child.
CREATE TABLE consultations (
    id          TEXT PRIMARY KEY,
    asked_by    TEXT NOT NULL REFERENCES users (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    asked_at    TEXT NOT NULL,
    question    TEXT NOT NULL,
    advice      TEXT NOT NULL DEFAULT '',
    advised_by  TEXT REFERENCES users (id),
    advised_at  TEXT,
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
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    child_id     TEXT REFERENCES children (id),
    referral_id  TEXT REFERENCES referrals (id),
    user_id      TEXT REFERENCES users (id),
    agency_id    TEXT REFERENCES agencies (id),
    front_door   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE INDEX alerts_user ON alerts (user_id, created_at);
CREATE INDEX alerts_agency ON alerts (agency_id, created_at);
CREATE INDEX alerts_front_door ON alerts (front_door, created_at);
CREATE TABLE alert_emails (
    id             TEXT PRIMARY KEY,
    alert_id       TEXT NOT NULL REFERENCES alerts (id),
    address        TEXT NOT NULL,
    next_try_at    TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_by     TEXT NOT NULL DEFAULT '',
    claimed_until  TEXT,
    sent_at        TEXT,
    last_error     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_emails_outbox ON alert_emails (next_try_at) WHERE sent_at IS NULL;

-- A deadline an area's local timescales set, where tighter than the
-- statutory one, and the local profile that set it (docs/timescales.md).
ALTER TABLE tasks ADD COLUMN local_profile TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN local_due_at TEXT;

-- +goose Down
SELECT 1;
