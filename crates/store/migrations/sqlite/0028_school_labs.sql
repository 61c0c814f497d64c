-- Cooperative life (C13), part one: the school of cooperation and the labs.
--
-- The school: a yearly programme of workshops (texts in French and Dutch), their sessions
-- in an office or online, with a capacity and an optional waiting list; registrations of
-- members and staff (one row per person and session: cancelling and registering again
-- reuse it), the reminder sent once before the session, and the attendance recorded after.
-- The labs: member-led groups with a model, their members (one or more coordinators),
-- meetings and outputs. The other engine's migration of the same name has the same columns.

CREATE TABLE school_workshops (
    id INTEGER PRIMARY KEY,
    -- The programme's year.
    year BIGINT NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    theme TEXT NOT NULL CHECK (theme IN ('cooperative-culture', 'cooperative-history',
        'payslip', 'general-assembly', 'participation-spaces', 'tools', 'staff-onboarding')),
    audience TEXT NOT NULL CHECK (audience IN ('members', 'staff', 'both')),
    title_fr TEXT NOT NULL,
    title_nl TEXT NOT NULL,
    description_fr TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX school_workshops_by_year ON school_workshops (year, id);

CREATE TABLE school_sessions (
    id INTEGER PRIMARY KEY,
    workshop_id BIGINT NOT NULL REFERENCES school_workshops (id),
    held_on TEXT NOT NULL,
    -- Brussels wall-clock times, HH:MM.
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('fr', 'nl', 'en')),
    -- In an office, or online (a link): exactly one of the two.
    office_id BIGINT REFERENCES offices (id),
    online_url TEXT,
    capacity BIGINT NOT NULL CHECK (capacity >= 1),
    -- Whether those beyond the capacity may queue; without it a full session refuses.
    waiting_list BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'cancelled', 'held')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (end_time > start_time),
    CHECK ((office_id IS NULL AND online_url IS NOT NULL)
        OR (office_id IS NOT NULL AND online_url IS NULL))
);
CREATE INDEX school_sessions_by_day ON school_sessions (held_on, id);
CREATE INDEX school_sessions_by_workshop ON school_sessions (workshop_id, held_on);

CREATE TABLE school_registrations (
    id INTEGER PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES school_sessions (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    status TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
    -- The order of arrival in the session (the waiting list is served in this order).
    queue_no BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    -- Moved from the waiting list to a place (the person was told by e-mail).
    promoted_at BIGINT,
    cancelled_at BIGINT,
    -- The reminder before the session, sent once.
    reminded_on TEXT,
    reminder_mail_id BIGINT,
    attendance TEXT CHECK (attendance IN ('attended', 'absent')),
    updated_at BIGINT NOT NULL,
    CHECK (attendance IS NULL OR status = 'registered')
);
CREATE UNIQUE INDEX school_registrations_once ON school_registrations (session_id, person_id);
CREATE INDEX school_registrations_by_person ON school_registrations (person_id, id);
CREATE INDEX school_registrations_queue ON school_registrations (session_id, status, queue_no);

CREATE TABLE labs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    theme TEXT NOT NULL,
    model TEXT NOT NULL CHECK (model IN ('sector-co-construction', 'practice-exchange',
        'network-creation', 'collective-action', 'peer-support', 'coaching')),
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'paused', 'closed')),
    started_on TEXT,
    ended_on TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (status IN ('proposed', 'closed') OR started_on IS NOT NULL),
    CHECK ((status = 'closed') = (ended_on IS NOT NULL))
);
CREATE INDEX labs_by_status ON labs (status, name);

-- A membership; leaving keeps the row (left_on), joining again makes a new one.
CREATE TABLE lab_members (
    id INTEGER PRIMARY KEY,
    lab_id BIGINT NOT NULL REFERENCES labs (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    coordinator BOOLEAN NOT NULL,
    joined_on TEXT NOT NULL,
    left_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX lab_members_current ON lab_members (lab_id, person_id) WHERE left_on IS NULL;
CREATE INDEX lab_members_by_person ON lab_members (person_id, lab_id);

CREATE TABLE lab_meetings (
    id INTEGER PRIMARY KEY,
    lab_id BIGINT NOT NULL REFERENCES labs (id),
    held_on TEXT NOT NULL,
    -- A place, or online.
    place TEXT,
    online BOOLEAN NOT NULL,
    notes TEXT NOT NULL,
    present_count BIGINT NOT NULL CHECK (present_count >= 0),
    recorded_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    CHECK (online OR place IS NOT NULL)
);
CREATE INDEX lab_meetings_by_lab ON lab_meetings (lab_id, held_on);
CREATE INDEX lab_meetings_by_day ON lab_meetings (held_on);

CREATE TABLE lab_outputs (
    id INTEGER PRIMARY KEY,
    lab_id BIGINT NOT NULL REFERENCES labs (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('note', 'publication', 'event', 'proposal', 'tool')),
    produced_on TEXT NOT NULL,
    link TEXT,
    recorded_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX lab_outputs_by_lab ON lab_outputs (lab_id, produced_on);
CREATE INDEX lab_outputs_by_day ON lab_outputs (produced_on);
