-- +goose Up
-- The verifiable audit log (issue 15, audit/tlog.go): every entry's hash is
-- a leaf of an RFC 6962 Merkle tree. One sequencer at a time (the lease
-- below, taken through the database) integrates entries in order, in
-- batches, storing each node of the tree made (so an inclusion proof is a
-- few indexed reads) and a signed checkpoint of the tree's size and root.
-- A batch is one transaction: a sequencer killed mid-batch leaves nothing,
-- and the next does the same batch again.
CREATE TABLE audit_tree_nodes (
    level  INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);
CREATE TABLE audit_tree (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    size  INTEGER NOT NULL,
    root  TEXT NOT NULL
);
INSERT INTO audit_tree (id, size, root) VALUES (1, 0, '');
CREATE TABLE audit_checkpoints (
    size       INTEGER PRIMARY KEY,
    root       TEXT NOT NULL,
    note       TEXT NOT NULL,
    signed_at  TEXT NOT NULL
);
CREATE TABLE audit_sequencer (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    holder  TEXT NOT NULL,
    until   TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_sequencer;
DROP TABLE audit_checkpoints;
DROP TABLE audit_tree;
DROP TABLE audit_tree_nodes;
