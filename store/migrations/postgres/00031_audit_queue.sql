-- +goose Up
-- Audit entries are appended to this queue by any replica, with no lock
-- that every replica shares (issue 15): the entry is durable when the
-- transaction that wrote it commits. The sequencer (the holder of the
-- lease in audit_sequencer) moves queued entries, in order, onto the hash
-- chain in audit_log and deletes them from here, in one transaction, so an
-- entry is always in exactly one of the two. Nothing updates an entry here.
CREATE TABLE audit_queue (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    user_id    text NOT NULL DEFAULT '',
    agency_id  text NOT NULL DEFAULT '',
    ip         text NOT NULL DEFAULT '',
    action     text NOT NULL,
    entity     text NOT NULL DEFAULT '',
    entity_id  text NOT NULL DEFAULT '',
    child_id   text NOT NULL DEFAULT '',
    why        text NOT NULL DEFAULT '',
    detail     text NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_queue;
