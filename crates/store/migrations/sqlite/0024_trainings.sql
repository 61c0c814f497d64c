-- The training catalogue (C9; reference/invoicing.md §7, anchors.md smart-cfa): trainings
-- described by members in FR/NL/EN, validated by staff, their art. 44 VAT-exemption
-- checklist, the contact requests (leads) of prospective clients and the rate limit of the
-- public contact form, and the training sessions for members and staff.

-- The legal entity that issues the quotes and invoices of exempt trainings (art. 44 §2, 4°
-- VAT Code): at most one is marked.
ALTER TABLE legal_entities ADD COLUMN training_exemption BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE trainings (
    id INTEGER PRIMARY KEY,
    -- The member who gives it, and the activity that sells it.
    trainer_person_id BIGINT NOT NULL REFERENCES persons (id),
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    -- draft | pending | published | cancelled
    status TEXT NOT NULL,
    -- management | accounting | digital | arts | communication | languages | crafts | wellbeing
    topic TEXT NOT NULL,
    -- everyone | freelancers | professionals | non-profits | teachers
    audience TEXT NOT NULL,
    place TEXT NOT NULL,
    -- The languages it is given in: 'fr,nl'.
    languages TEXT NOT NULL,
    duration_hours BIGINT NOT NULL,
    -- For one group, VAT excluded.
    price_cents BIGINT NOT NULL,
    -- Staff validated the art. 44 checklist (cleared when a box changes).
    exemption_validated_by BIGINT REFERENCES accounts (id),
    exemption_validated_at BIGINT,
    -- Why staff sent it back to the draft.
    refusal_reason TEXT,
    submitted_at BIGINT,
    published_at BIGINT,
    cancelled_at BIGINT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX trainings_by_trainer ON trainings (trainer_person_id, status);
CREATE INDEX trainings_by_status ON trainings (status, updated_at);

-- Its description, one row per language.
CREATE TABLE training_texts (
    training_id BIGINT NOT NULL REFERENCES trainings (id),
    -- fr | nl | en
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    goal TEXT NOT NULL,
    methodology TEXT NOT NULL,
    audience_text TEXT NOT NULL,
    prerequisites TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (training_id, language)
);

-- The art. 44 checklist: one row per condition ticked, with who and when.
CREATE TABLE training_exemption_checks (
    training_id BIGINT NOT NULL REFERENCES trainings (id),
    criterion TEXT NOT NULL,
    ticked_by BIGINT REFERENCES accounts (id),
    ticked_at BIGINT NOT NULL,
    PRIMARY KEY (training_id, criterion)
);

-- A prospective client's contact request through the public catalogue.
CREATE TABLE training_leads (
    id INTEGER PRIMARY KEY,
    training_id BIGINT NOT NULL REFERENCES trainings (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    organisation TEXT,
    -- Plain text, markup stripped; never rendered as HTML.
    message TEXT NOT NULL,
    -- The visitor's language.
    language TEXT NOT NULL,
    ip TEXT,
    -- new | quoted | closed
    status TEXT NOT NULL,
    quote_id BIGINT REFERENCES quotes (id),
    mail_id BIGINT REFERENCES mail_outbox (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX training_leads_by_training ON training_leads (training_id, created_at);
CREATE INDEX training_leads_by_quote ON training_leads (quote_id);

-- The public contact form's rate limit, counted like the login attempts (decision 0004).
CREATE TABLE contact_attempts (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE INDEX contact_attempts_by_ip ON contact_attempts (ip, at);
CREATE INDEX contact_attempts_by_email ON contact_attempts (email, at);

-- Training days for members and for staff; a session counts in the year it starts.
CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY,
    -- members | staff
    session_for TEXT NOT NULL,
    title TEXT NOT NULL,
    training_id BIGINT REFERENCES trainings (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    days BIGINT NOT NULL,
    participants BIGINT NOT NULL,
    place TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX training_sessions_by_date ON training_sessions (starts_on, session_for);
