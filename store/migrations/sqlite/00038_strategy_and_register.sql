-- +goose Up
-- The partnership's strategy action plan and its register of policies and
-- procedures (issue 17, docs/strategy.md). An action's latest rating is
-- kept on it, beside the notes that gave each rating; amber and red carry
-- their rationale, here as in the code. A board is a snapshot of every
-- action's rating on the day.
CREATE TABLE strategy_strands (
    id          TEXT PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 99),
    title       TEXT NOT NULL CHECK (title <> ''),
    aim         TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id)
);
CREATE TABLE plan_actions (
    id            TEXT PRIMARY KEY,
    strand_id     TEXT NOT NULL REFERENCES strategy_strands (id),
    reference     TEXT NOT NULL UNIQUE CHECK (reference <> ''),
    description   TEXT NOT NULL CHECK (description <> ''),
    lead_id       TEXT NOT NULL REFERENCES users (id),
    agency        TEXT NOT NULL DEFAULT '',
    due_on        TEXT,
    rag           TEXT NOT NULL DEFAULT '' CHECK (rag IN ('', 'blue', 'green', 'amber', 'red')),
    rationale     TEXT NOT NULL DEFAULT '',
    last_note_on  TEXT,
    version       INTEGER NOT NULL CHECK (version >= 1),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id),
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    CHECK (rag NOT IN ('amber', 'red') OR length(rationale) >= 1)
);
CREATE INDEX plan_actions_strand ON plan_actions (strand_id);
CREATE TABLE plan_progress_notes (
    id               TEXT PRIMARY KEY,
    action_id        TEXT NOT NULL REFERENCES plan_actions (id),
    noted_on         TEXT NOT NULL,
    text             TEXT NOT NULL CHECK (text <> ''),
    rag              TEXT NOT NULL CHECK (rag IN ('blue', 'green', 'amber', 'red')),
    rationale        TEXT NOT NULL DEFAULT '',
    suggested_rag    TEXT NOT NULL DEFAULT '',
    override_reason  TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT NOT NULL,
    recorded_by      TEXT NOT NULL REFERENCES users (id),
    CHECK (rag NOT IN ('amber', 'red') OR length(rationale) >= 1)
);
CREATE INDEX plan_progress_notes_action ON plan_progress_notes (action_id, noted_on);
CREATE TABLE strategy_boards (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL CHECK (title <> ''),
    held_on      TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX strategy_boards_held ON strategy_boards (held_on, recorded_at);
CREATE TABLE strategy_board_ratings (
    board_id   TEXT NOT NULL REFERENCES strategy_boards (id),
    action_id  TEXT NOT NULL REFERENCES plan_actions (id),
    rag        TEXT NOT NULL,
    PRIMARY KEY (board_id, action_id)
);

-- The register: each document once, changed in place (the audit trail
-- keeps who changed what); replaces links, never to itself.
CREATE TABLE policy_documents (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL CHECK (title <> ''),
    scope             TEXT NOT NULL CHECK (scope IN ('internal', 'multi-agency')),
    source            TEXT NOT NULL DEFAULT '',
    issued_on         TEXT NOT NULL,
    document_version  TEXT NOT NULL DEFAULT '',
    overview          TEXT NOT NULL DEFAULT '',
    owner             TEXT NOT NULL CHECK (owner <> ''),
    review_due        TEXT,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'current', 'withdrawn')),
    version           INTEGER NOT NULL CHECK (version >= 1),
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL REFERENCES users (id),
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL REFERENCES users (id)
);
CREATE TABLE policy_document_replaces (
    document_id  TEXT NOT NULL REFERENCES policy_documents (id),
    replaces_id  TEXT NOT NULL REFERENCES policy_documents (id),
    PRIMARY KEY (document_id, replaces_id),
    CHECK (document_id <> replaces_id)
);
CREATE INDEX policy_document_replaces_by ON policy_document_replaces (replaces_id);

-- +goose Down
SELECT 'not reversed';
