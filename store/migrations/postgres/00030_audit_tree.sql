-- +goose Up
-- The verifiable audit log (issue 15, audit/tlog.go): every entry's hash is
-- a leaf of an RFC 6962 Merkle tree. One sequencer at a time (the lease
-- below, taken through the database) integrates entries in order, in
-- batches, storing each node of the tree made (so an inclusion proof is a
-- few indexed reads) and a signed checkpoint of the tree's size and root.
-- A batch is one transaction: a sequencer killed mid-batch leaves nothing,
-- and the next does the same batch again.
CREATE TABLE audit_tree_nodes (
    level  bigint NOT NULL,
    idx    bigint NOT NULL,
    hash   text NOT NULL,
    PRIMARY KEY (level, idx)
);
CREATE TABLE audit_tree (
    id    bigint PRIMARY KEY CHECK (id = 1),
    size  bigint NOT NULL,
    root  text NOT NULL
);
INSERT INTO audit_tree (id, size, root) VALUES (1, 0, '');
CREATE TABLE audit_checkpoints (
    size       bigint PRIMARY KEY,
    root       text NOT NULL,
    note       text NOT NULL,
    signed_at  timestamptz NOT NULL
);
CREATE TABLE audit_sequencer (
    id      bigint PRIMARY KEY CHECK (id = 1),
    holder  text NOT NULL,
    until   timestamptz NOT NULL
);

-- +goose Down
DROP TABLE audit_sequencer;
DROP TABLE audit_checkpoints;
DROP TABLE audit_tree;
DROP TABLE audit_tree_nodes;
