-- +goose Up
-- The partnership's strategy action plan and its register of policies and
-- procedures (issue 17, docs/strategy.md). An action's latest rating is
-- kept on it, beside the notes that gave each rating; amber and red carry
-- their rationale, here as in the code. A board is a snapshot of every
-- action's rating on the day.
CREATE TABLE strategy_strands (
    id          text PRIMARY KEY,
    number      integer NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 99),
    title       text NOT NULL CHECK (title <> ''),
    aim         text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL REFERENCES users (id)
);
CREATE TABLE plan_actions (
    id            text PRIMARY KEY,
    strand_id     text NOT NULL REFERENCES strategy_strands (id),
    reference     text NOT NULL UNIQUE CHECK (reference <> ''),
    description   text NOT NULL CHECK (description <> ''),
    lead_id       text NOT NULL REFERENCES users (id),
    agency        text NOT NULL DEFAULT '',
    due_on        date,
    rag           text NOT NULL DEFAULT '' CHECK (rag IN ('', 'blue', 'green', 'amber', 'red')),
    rationale     text NOT NULL DEFAULT '',
    last_note_on  date,
    version       integer NOT NULL CHECK (version >= 1),
    created_at    timestamptz NOT NULL,
    created_by    text NOT NULL REFERENCES users (id),
    updated_at    timestamptz NOT NULL,
    updated_by    text NOT NULL REFERENCES users (id),
    CHECK (rag NOT IN ('amber', 'red') OR length(rationale) >= 1)
);
CREATE INDEX plan_actions_strand ON plan_actions (strand_id);
CREATE TABLE plan_progress_notes (
    id               text PRIMARY KEY,
    action_id        text NOT NULL REFERENCES plan_actions (id),
    noted_on         date NOT NULL,
    text             text NOT NULL CHECK (text <> ''),
    rag              text NOT NULL CHECK (rag IN ('blue', 'green', 'amber', 'red')),
    rationale        text NOT NULL DEFAULT '',
    suggested_rag    text NOT NULL DEFAULT '',
    override_reason  text NOT NULL DEFAULT '',
    recorded_at      timestamptz NOT NULL,
    recorded_by      text NOT NULL REFERENCES users (id),
    CHECK (rag NOT IN ('amber', 'red') OR length(rationale) >= 1)
);
CREATE INDEX plan_progress_notes_action ON plan_progress_notes (action_id, noted_on);
CREATE TABLE strategy_boards (
    id           text PRIMARY KEY,
    title        text NOT NULL CHECK (title <> ''),
    held_on      date NOT NULL,
    recorded_at  timestamptz NOT NULL,
    recorded_by  text NOT NULL REFERENCES users (id)
);
CREATE INDEX strategy_boards_held ON strategy_boards (held_on, recorded_at);
CREATE TABLE strategy_board_ratings (
    board_id   text NOT NULL REFERENCES strategy_boards (id),
    action_id  text NOT NULL REFERENCES plan_actions (id),
    rag        text NOT NULL,
    PRIMARY KEY (board_id, action_id)
);

-- The register: each document once, changed in place (the audit trail
-- keeps who changed what); replaces links, never to itself.
CREATE TABLE policy_documents (
    id                text PRIMARY KEY,
    title             text NOT NULL CHECK (title <> ''),
    scope             text NOT NULL CHECK (scope IN ('internal', 'multi-agency')),
    source            text NOT NULL DEFAULT '',
    issued_on         date NOT NULL,
    document_version  text NOT NULL DEFAULT '',
    overview          text NOT NULL DEFAULT '',
    owner             text NOT NULL CHECK (owner <> ''),
    review_due        date,
    status            text NOT NULL CHECK (status IN ('draft', 'current', 'withdrawn')),
    version           integer NOT NULL CHECK (version >= 1),
    created_at        timestamptz NOT NULL,
    created_by        text NOT NULL REFERENCES users (id),
    updated_at        timestamptz NOT NULL,
    updated_by        text NOT NULL REFERENCES users (id)
);
CREATE TABLE policy_document_replaces (
    document_id  text NOT NULL REFERENCES policy_documents (id),
    replaces_id  text NOT NULL REFERENCES policy_documents (id),
    PRIMARY KEY (document_id, replaces_id),
    CHECK (document_id <> replaces_id)
);
CREATE INDEX policy_document_replaces_by ON policy_document_replaces (replaces_id);

-- +goose Down
SELECT 'not reversed';
