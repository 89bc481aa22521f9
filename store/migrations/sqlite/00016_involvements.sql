-- +goose Up
-- An agency is involved with a child, and so its people see the record,
-- only by an explicit act that is its source, and only while that source
-- lasts: the record made by someone of the agency (record-created), a
-- professional of the agency added to the record (professional), someone of
-- the agency invited to a meeting about the child (invitation), an action of
-- a meeting owned by someone of the agency (action), the child's information
-- shared with it (share), or a decision of children's social care or the
-- coordinator (decision). Before, a row in child_agencies was written as a
-- side effect of any write, and never ended: a CSE coordinator's concern
-- gave their whole agency the child.
CREATE TABLE involvements (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    source      TEXT NOT NULL,
    source_id   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    ended_at    TEXT,
    ended_by    TEXT NOT NULL DEFAULT '',
    end_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX involvements_live ON involvements (agency_id, child_id) WHERE ended_at IS NULL;
CREATE INDEX involvements_child ON involvements (child_id, started_at);
CREATE UNIQUE INDEX involvements_source ON involvements (child_id, agency_id, source, source_id) WHERE ended_at IS NULL;

-- A share names the agency it involved.
ALTER TABLE information_shares ADD COLUMN recipient_agency_id TEXT NOT NULL DEFAULT '';
UPDATE information_shares SET recipient_agency_id = COALESCE((SELECT d.agency_id FROM directory_contacts d
    WHERE d.email = information_shares.recipient_email), '');

-- The involvements held before keep the sources that explain them. One
-- that none explains came from a write by someone who saw the child by
-- role, and ends here; none is added that was not held.
INSERT INTO involvements (id, child_id, agency_id, source, source_id, started_at, started_by)
SELECT 'm-created-' || c.id, c.id, u.agency_id, 'record-created', c.id, c.created_at, c.created_by
FROM children c JOIN users u ON u.id = c.created_by JOIN agencies a ON a.id = u.agency_id
WHERE a.kind <> 'childrens-social-care'
  AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'cse-coordinator')
  AND EXISTS (SELECT 1 FROM child_agencies ca WHERE ca.child_id = c.id AND ca.agency_id = u.agency_id);

INSERT INTO involvements (id, child_id, agency_id, source, source_id, started_at, started_by)
SELECT 'm-professional-' || p.id, p.child_id, p.agency_id, 'professional', p.id, p.created_at, 'system'
FROM child_professionals p
WHERE EXISTS (SELECT 1 FROM child_agencies ca WHERE ca.child_id = p.child_id AND ca.agency_id = p.agency_id);

INSERT INTO involvements (id, child_id, agency_id, source, source_id, started_at, started_by)
SELECT 'm-action-' || ma.id || '-' || mc.child_id, mc.child_id, u.agency_id, 'action', ma.id, COALESCE(m.outcome_at, m.created_at), m.created_by
FROM meeting_actions ma JOIN meetings m ON m.id = ma.meeting_id JOIN meeting_children mc ON mc.meeting_id = ma.meeting_id
JOIN users u ON u.id = ma.owner_id LEFT JOIN tasks t ON t.id = ma.task_id
WHERE COALESCE(t.status, ma.status) = 'open'
  AND EXISTS (SELECT 1 FROM child_agencies ca WHERE ca.child_id = mc.child_id AND ca.agency_id = u.agency_id);

INSERT INTO involvements (id, child_id, agency_id, source, source_id, started_at, started_by)
SELECT 'm-invitation-' || i.id || '-' || mc.child_id, mc.child_id, d.agency_id, 'invitation', i.id, m.created_at, m.created_by
FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id JOIN directory_contacts d ON d.id = i.contact_id
JOIN meeting_children mc ON mc.meeting_id = i.meeting_id
WHERE NOT i.removed AND m.status <> 'cancelled'
  AND EXISTS (SELECT 1 FROM child_agencies ca WHERE ca.child_id = mc.child_id AND ca.agency_id = d.agency_id);

INSERT INTO involvements (id, child_id, agency_id, source, source_id, started_at, started_by)
SELECT 'm-share-' || s.id, s.child_id, s.recipient_agency_id, 'share', s.id, s.shared_at, s.shared_by
FROM information_shares s
WHERE s.recipient_agency_id <> ''
  AND EXISTS (SELECT 1 FROM child_agencies ca WHERE ca.child_id = s.child_id AND ca.agency_id = s.recipient_agency_id);

DROP TABLE child_agencies;

-- +goose Down
SELECT 'not reversed';
