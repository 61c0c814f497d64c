-- Prevention and diversity (C15): the incident and work-accident register with its
-- follow-up actions, the risk sheets per job and per place with their reviews, the
-- prevention actions (global plan and yearly action plan), the meetings of the committee
-- for prevention and protection at work, the health-surveillance planning and the
-- diversity plan's actions. The register holds health data (the injury): the web layer
-- shows it to the prevention staff and the administrators only, and the audit log never
-- records the injury's text. Dates are Brussels calendar days (YYYY-MM-DD).
-- The other engine's migration of the same name has the same columns.

CREATE TABLE prevention_incidents (
    id INTEGER PRIMARY KEY,
    occurred_on TEXT NOT NULL,
    -- HH:MM, Brussels wall time.
    occurred_time TEXT NOT NULL,
    -- A site (an office) or a place in free text (a client's stage, the road…).
    office_id BIGINT REFERENCES offices (id),
    place TEXT,
    -- The person hurt or concerned; none for a near miss.
    person_id BIGINT REFERENCES persons (id),
    nature TEXT NOT NULL CHECK (nature IN ('near-miss', 'incident', 'work-accident',
        'commuting-accident', 'occupational-disease', 'aggression')),
    severity TEXT NOT NULL
        CHECK (severity IN ('none', 'first-aid', 'lost-time', 'serious', 'fatal')),
    injury TEXT,
    witnesses TEXT,
    measures TEXT,
    days_lost BIGINT NOT NULL CHECK (days_lost >= 0),
    -- The day the accident was declared to the work-accident insurer.
    declared_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closed_on TEXT,
    reported_by BIGINT REFERENCES accounts (id),
    reported_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((office_id IS NOT NULL) OR (place IS NOT NULL)),
    CHECK ((nature <> 'near-miss') OR (days_lost = 0)),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
);
CREATE INDEX prevention_incidents_by_day ON prevention_incidents (occurred_on, id);
CREATE INDEX prevention_incidents_by_status ON prevention_incidents (status, occurred_on);

CREATE TABLE prevention_followups (
    id INTEGER PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES prevention_incidents (id),
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX prevention_followups_by_incident ON prevention_followups (incident_id, id);

CREATE TABLE prevention_risk_sheets (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('job', 'place')),
    job TEXT CHECK (job IN ('trainer', 'performer', 'technician', 'office-worker',
        'warehouse', 'driver', 'other')),
    office_id BIGINT REFERENCES offices (id),
    place TEXT,
    title TEXT NOT NULL,
    hazards TEXT NOT NULL,
    -- 1 (rare / minor) to 4 (almost certain / very serious); the level is their product.
    probability BIGINT NOT NULL CHECK (probability BETWEEN 1 AND 4),
    severity BIGINT NOT NULL CHECK (severity BETWEEN 1 AND 4),
    measures TEXT NOT NULL,
    equipment TEXT,
    -- The last review and the next one (each review is also a row of the reviews table).
    reviewed_on TEXT NOT NULL,
    next_review_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((scope = 'job') = (job IS NOT NULL)),
    CHECK ((scope = 'job') OR (office_id IS NOT NULL) OR (place IS NOT NULL)),
    CHECK (next_review_on > reviewed_on)
);
CREATE INDEX prevention_risk_sheets_by_next_review ON prevention_risk_sheets (next_review_on);

CREATE TABLE prevention_risk_reviews (
    id INTEGER PRIMARY KEY,
    sheet_id BIGINT NOT NULL REFERENCES prevention_risk_sheets (id),
    reviewed_on TEXT NOT NULL,
    next_review_on TEXT NOT NULL,
    reviewed_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX prevention_risk_reviews_by_day ON prevention_risk_reviews (reviewed_on);
CREATE INDEX prevention_risk_reviews_by_sheet ON prevention_risk_reviews (sheet_id, id);

CREATE TABLE prevention_meetings (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    present TEXT NOT NULL,
    agenda TEXT NOT NULL,
    minutes TEXT,
    decisions TEXT,
    recorded_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX prevention_meetings_by_day ON prevention_meetings (held_on);

-- started_on: when it went in progress (or was done at once); ended_on: done or cancelled.
CREATE TABLE prevention_actions (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    origin TEXT NOT NULL
        CHECK (origin IN ('risk-sheet', 'incident', 'committee', 'inspection', 'other')),
    plan TEXT NOT NULL CHECK (plan IN ('global', 'yearly')),
    risk_sheet_id BIGINT REFERENCES prevention_risk_sheets (id),
    incident_id BIGINT REFERENCES prevention_incidents (id),
    meeting_id BIGINT REFERENCES prevention_meetings (id),
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'done', 'cancelled')),
    started_on TEXT,
    ended_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status IN ('done', 'cancelled')) = (ended_on IS NOT NULL))
);
CREATE INDEX prevention_actions_by_status ON prevention_actions (status, due_on);
CREATE INDEX prevention_actions_by_end ON prevention_actions (ended_on);
CREATE INDEX prevention_actions_by_meeting ON prevention_actions (meeting_id);

CREATE TABLE prevention_health_checks (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('pre-employment', 'periodic', 'return-to-work',
        'pregnancy', 'spontaneous')),
    due_on TEXT NOT NULL,
    done_on TEXT,
    -- The external service for prevention and protection at work.
    service TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX prevention_health_checks_by_due ON prevention_health_checks (done_on, due_on);

CREATE TABLE diversity_actions (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    axis TEXT NOT NULL CHECK (axis IN ('recruitment', 'training', 'accessibility', 'gender',
        'age', 'origin', 'disability', 'work-life')),
    owner TEXT NOT NULL,
    target TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'done', 'cancelled')),
    result TEXT,
    started_on TEXT,
    ended_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status IN ('done', 'cancelled')) = (ended_on IS NOT NULL))
);
CREATE INDEX diversity_actions_by_status ON diversity_actions (status, due_on);
