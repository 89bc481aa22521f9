-- +goose Up
-- Audit entries are appended to this queue by any replica, with no lock
-- that every replica shares (issue 15): the entry is durable when the
-- transaction that wrote it commits. The sequencer (the holder of the
-- lease in audit_sequencer) moves queued entries, in order, onto the hash
-- chain in audit_log and deletes them from here, in one transaction, so an
-- entry is always in exactly one of the two. Nothing updates an entry here.
CREATE TABLE audit_queue (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    agency_id  TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    child_id   TEXT NOT NULL DEFAULT '',
    why        TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_queue;
