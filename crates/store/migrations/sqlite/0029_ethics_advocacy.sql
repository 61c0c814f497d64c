-- The ethics committee and advocacy & permanent education (C13, issue 8 §4–5).
--
-- The ethics committee: its members (persons, with a role and a term), its meetings (the
-- members present), the subjects referred to it (saisines) by a member or a staff member,
-- and its opinions and recommendations — on a referral or on its own initiative — adopted at
-- a meeting, then published (a published opinion is public and never changes; the referrer
-- is told by e-mail, once).
--
-- Advocacy and permanent education: the cooperative's publications, its conferences and
-- debates (with their audience), and the networks and federations it belongs to.
-- Dates as TEXT YYYY-MM-DD (Brussels days), instants as BIGINT Unix microseconds.
-- The other engine's migration of the same name has the same columns.

CREATE TABLE ethics_members (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'secretary')),
    from_on TEXT NOT NULL,
    -- The last day of the term; open while NULL.
    until_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (until_on IS NULL OR until_on >= from_on)
);
CREATE INDEX ethics_members_by_person ON ethics_members (person_id, from_on);

CREATE TABLE ethics_meetings (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL,
    -- Written after the meeting.
    minutes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ethics_meetings_by_day ON ethics_meetings (held_on);

CREATE TABLE ethics_meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES ethics_meetings (id),
    member_id BIGINT NOT NULL REFERENCES ethics_members (id),
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE ethics_referrals (
    id INTEGER PRIMARY KEY,
    -- Who refers the subject (a member or a staff member), and the account they used (told
    -- by e-mail when the committee publishes its opinion).
    person_id BIGINT NOT NULL REFERENCES persons (id),
    submitted_by BIGINT REFERENCES accounts (id),
    subject TEXT NOT NULL,
    question TEXT NOT NULL,
    received_on TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('received', 'under-review', 'opinion-given', 'declined')),
    decline_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'declined') = (decline_reason IS NOT NULL))
);
CREATE INDEX ethics_referrals_by_person ON ethics_referrals (person_id, id);
CREATE INDEX ethics_referrals_by_status ON ethics_referrals (status, id);
CREATE INDEX ethics_referrals_by_day ON ethics_referrals (received_on);

CREATE TABLE ethics_opinions (
    id INTEGER PRIMARY KEY,
    -- NULL: an opinion on the committee's own initiative.
    referral_id BIGINT REFERENCES ethics_referrals (id),
    kind TEXT NOT NULL CHECK (kind IN ('opinion', 'recommendation')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The meeting that adopted it (required before publication).
    meeting_id BIGINT REFERENCES ethics_meetings (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    published_on TEXT,
    published_at BIGINT,
    published_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'published') = (published_on IS NOT NULL)),
    CHECK (status = 'draft' OR meeting_id IS NOT NULL)
);
CREATE INDEX ethics_opinions_by_referral ON ethics_opinions (referral_id);
CREATE INDEX ethics_opinions_by_published ON ethics_opinions (status, published_on);

CREATE TABLE advocacy_publications (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('analysis', 'study', 'article', 'book', 'podcast')),
    published_on TEXT NOT NULL,
    -- The authors' names as printed (staff, members or guests).
    authors TEXT NOT NULL,
    partners TEXT,
    link TEXT,
    language TEXT NOT NULL CHECK (language IN ('fr', 'nl', 'en', 'de')),
    summary TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX advocacy_publications_by_day ON advocacy_publications (published_on);

CREATE TABLE advocacy_events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('conference', 'debate', 'workshop', 'festival-talk')),
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    speakers TEXT NOT NULL,
    partners TEXT,
    -- Counted at the door; unknown while NULL.
    audience BIGINT CHECK (audience IS NULL OR audience >= 0),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX advocacy_events_by_day ON advocacy_events (held_on);

CREATE TABLE advocacy_networks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('federation', 'network', 'platform')),
    since_on TEXT NOT NULL,
    -- The last day of the membership; current while NULL.
    until_on TEXT,
    fee_cents BIGINT CHECK (fee_cents IS NULL OR fee_cents >= 0),
    representative_person_id BIGINT REFERENCES persons (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (until_on IS NULL OR until_on >= since_on)
);
CREATE INDEX advocacy_networks_by_since ON advocacy_networks (since_on);
