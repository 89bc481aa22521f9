-- +goose Up
-- Checkpoints of the audit log cosigned by a witness another agency runs
-- (C2SP tlog-witness; docs/audit.md): the checkpoint as the log signed
-- it with the witness's cosignature added. The witness keeps its own
-- record of the latest; these are the log's copies, for audit verify.
CREATE TABLE audit_cosignatures (
    witness   text NOT NULL,
    size      bigint NOT NULL,
    cosigned  text NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (witness, size)
);

-- +goose Down
DROP TABLE audit_cosignatures;
