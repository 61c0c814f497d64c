-- Recommendation cycles (C13, issue 8 §3): members write recommendations to the board during
-- a cycle's proposal phase and support them (one support per person, withdrawable);
-- moderators consolidate near-duplicates into one recommendation once every author has
-- consented; the originals are kept (`consolidated_into`, provenance), their authors become
-- co-authors of the result, each supporter of an original is told by e-mail once, and no
-- support is moved. The board follows each recommendation up (`reco_follow_ups`: submitted,
-- accepted, in progress, done, declined with a reason).
-- The other engine's migration of the same name has the same columns.

CREATE TABLE reco_cycles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    theme TEXT NOT NULL,
    -- The day each phase opens (it runs until the next opens); YYYY-MM-DD.
    proposal_from TEXT NOT NULL,
    support_from TEXT NOT NULL,
    consolidation_from TEXT NOT NULL,
    follow_up_from TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    -- Set by the participation staff; NULL: the phase follows the dates.
    phase_override TEXT CHECK (phase_override IN
        ('upcoming', 'proposal', 'support', 'consolidation', 'follow-up', 'closed')),
    -- The near-duplicate threshold of the cycle, in hundredths of the similarity score.
    threshold_percent BIGINT NOT NULL CHECK (threshold_percent BETWEEN 10 AND 95),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (proposal_from <= support_from AND support_from <= consolidation_from
        AND consolidation_from <= follow_up_from AND follow_up_from <= closes_on)
);
CREATE INDEX reco_cycles_by_proposal ON reco_cycles (proposal_from);

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES reco_cycles (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('fr', 'nl', 'en')),
    status TEXT NOT NULL CHECK (status IN ('open', 'consolidated', 'withdrawn', 'submitted',
        'accepted', 'in-progress', 'done', 'declined')),
    -- member: written by its authors | consolidation: the result of a consolidation.
    origin TEXT NOT NULL CHECK (origin IN ('member', 'consolidation')),
    -- The result this one was consolidated into (provenance; the original is kept).
    consolidated_into BIGINT REFERENCES recommendations (id),
    -- The board's reason, required when declined.
    decline_reason TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'consolidated') = (consolidated_into IS NOT NULL)),
    CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
);
CREATE INDEX recommendations_by_cycle ON recommendations (cycle_id, status, id);
CREATE INDEX recommendations_by_created_on ON recommendations (created_on);
CREATE INDEX recommendations_by_into ON recommendations (consolidated_into);

-- Authors: `author` wrote it; `co-author` came with a consolidation.
CREATE TABLE reco_authors (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    role TEXT NOT NULL CHECK (role IN ('author', 'co-author')),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (recommendation_id, person_id)
);
CREATE INDEX reco_authors_by_person ON reco_authors (person_id);

-- One support per person and recommendation; a withdrawn support is deleted (audited).
CREATE TABLE reco_supports (
    id INTEGER PRIMARY KEY,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    supported_on TEXT NOT NULL,
    supported_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX reco_supports_once ON reco_supports (recommendation_id, person_id);
CREATE INDEX reco_supports_by_person ON reco_supports (person_id);
CREATE INDEX reco_supports_by_day ON reco_supports (supported_on);

-- The board's follow-up, one row per step.
CREATE TABLE reco_follow_ups (
    id INTEGER PRIMARY KEY,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL
        CHECK (to_status IN ('submitted', 'accepted', 'in-progress', 'done', 'declined')),
    reason TEXT,
    decided_by BIGINT REFERENCES accounts (id),
    decided_on TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    CHECK (to_status <> 'declined' OR reason IS NOT NULL)
);
CREATE INDEX reco_follow_ups_by_recommendation ON reco_follow_ups (recommendation_id, id);
CREATE INDEX reco_follow_ups_by_day ON reco_follow_ups (decided_on, to_status);

-- A moderator's proposal to consolidate 2+ open recommendations of a cycle into a new one
-- (`into_recommendation_id` NULL) or into one of them, with the merged title and text.
CREATE TABLE reco_consolidations (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES reco_cycles (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'carried-out', 'refused', 'cancelled')),
    into_recommendation_id BIGINT REFERENCES recommendations (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('fr', 'nl', 'en')),
    -- The recommendation that holds the merged text once carried out.
    result_id BIGINT REFERENCES recommendations (id),
    proposed_by BIGINT REFERENCES accounts (id),
    proposed_at BIGINT NOT NULL,
    carried_out_on TEXT,
    carried_out_at BIGINT,
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'carried-out') = (result_id IS NOT NULL))
);
CREATE INDEX reco_consolidations_by_cycle ON reco_consolidations (cycle_id, status);
CREATE INDEX reco_consolidations_by_day ON reco_consolidations (carried_out_on);

CREATE TABLE reco_consolidation_sources (
    consolidation_id BIGINT NOT NULL REFERENCES reco_consolidations (id),
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    PRIMARY KEY (consolidation_id, recommendation_id)
);
CREATE INDEX reco_consolidation_sources_by_recommendation
    ON reco_consolidation_sources (recommendation_id);

-- Each author of every recommendation involved answers once.
CREATE TABLE reco_consents (
    consolidation_id BIGINT NOT NULL REFERENCES reco_consolidations (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    answer TEXT NOT NULL CHECK (answer IN ('pending', 'consented', 'refused')),
    answered_at BIGINT,
    PRIMARY KEY (consolidation_id, person_id)
);
CREATE INDEX reco_consents_by_person ON reco_consents (person_id, answer);

-- The supporters of the originals told of a carried-out consolidation: once each.
CREATE TABLE reco_supporter_notices (
    consolidation_id BIGINT NOT NULL REFERENCES reco_consolidations (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    -- The outbox message (NULL: the person has no account to write to).
    mail_id BIGINT REFERENCES mail_outbox (id),
    notified_at BIGINT NOT NULL,
    PRIMARY KEY (consolidation_id, person_id)
);
