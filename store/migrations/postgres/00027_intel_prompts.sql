-- +goose Up
-- The toolkit's prompts from intelligence (issue 14, item 7): when a link
-- ties a child to a person of concern or a hotspot, the assessment form
-- suggests the indicator with the link; what the practitioner decided is
-- kept with the assessment: confirmed (the indicator ticked) or declined
-- with a reason, by whom, when, and which link. A suggestion undecided is
-- not kept, and never ticks itself.
CREATE TABLE assessment_intel_prompts (
    assessment_id text NOT NULL REFERENCES assessments (id),
    indicator     text NOT NULL,
    link_id       text NOT NULL REFERENCES intel_links (id),
    decision      text NOT NULL,
    reason        text NOT NULL DEFAULT '',
    decided_by    text NOT NULL REFERENCES users (id),
    decided_at    timestamptz NOT NULL,
    PRIMARY KEY (assessment_id, indicator, link_id),
    CHECK (decision IN ('confirmed', 'declined')),
    CHECK (decision <> 'declined' OR reason <> '')
);
CREATE INDEX assessment_intel_prompts_link ON assessment_intel_prompts (link_id);

-- +goose Down
DROP TABLE assessment_intel_prompts;
