-- Places (C14): the network's sites (the head office: 4,800 m²), their spaces (workspaces,
-- meeting rooms, workshops, studios, storage) with capacity, surface, equipment and prices,
-- the social-economy partners some spaces are let to, and the bookings of the spaces.
-- No double booking: a writer takes the row lock of the space (`UPDATE place_spaces SET
-- updated_at = updated_at`) before it checks for an overlapping booking or letting and
-- inserts (store/places.rs). Intervals are half-open [starts_at, ends_at).
-- The other engine's migration of the same name has the same columns.

CREATE TABLE place_sites (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    surface_m2 BIGINT NOT NULL CHECK (surface_m2 > 0),
    -- owned by the cooperative | rented by it | lent by a member of the network
    kind TEXT NOT NULL CHECK (kind IN ('owned', 'rented', 'network')),
    office_id BIGINT REFERENCES offices (id),
    -- Open to the whole network (its surface counts in the network's shared surface).
    shared_with_network BOOLEAN NOT NULL,
    -- The day the site joined the network (the yearly figures count sites open by then).
    opened_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE place_spaces (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES place_sites (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('workspace', 'meeting-room', 'workshop', 'studio', 'storage')),
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    surface_m2 BIGINT NOT NULL CHECK (surface_m2 > 0),
    equipment TEXT NOT NULL,
    -- Prices in cents, excluding VAT: per hour and per day, for members and for partners.
    member_hour_cents BIGINT NOT NULL CHECK (member_hour_cents >= 0),
    member_day_cents BIGINT NOT NULL CHECK (member_day_cents >= 0),
    partner_hour_cents BIGINT NOT NULL CHECK (partner_hour_cents >= 0),
    partner_day_cents BIGINT NOT NULL CHECK (partner_day_cents >= 0),
    bookable BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (site_id, name)
);
CREATE INDEX place_spaces_by_site ON place_spaces (site_id, id);

CREATE TABLE place_partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- The KBO/BCE number, ten digits without dots.
    enterprise_number TEXT NOT NULL UNIQUE,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE place_lettings (
    id INTEGER PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES place_spaces (id),
    partner_id BIGINT NOT NULL REFERENCES place_partners (id),
    -- Both days included.
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    monthly_rent_cents BIGINT NOT NULL CHECK (monthly_rent_cents >= 0),
    contract_ref TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (starts_on <= ends_on)
);
CREATE INDEX place_lettings_by_space ON place_lettings (space_id, starts_on);
CREATE INDEX place_lettings_by_partner ON place_lettings (partner_id, id);

CREATE TABLE place_bookings (
    id INTEGER PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES place_spaces (id),
    -- [starts_at, ends_at), Unix microseconds; `day` is the Brussels day of both.
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    day TEXT NOT NULL,
    -- member: for oneself | activity: for an activity the member holds | partner: by the
    -- facilities staff for a partner
    booked_for TEXT NOT NULL CHECK (booked_for IN ('member', 'activity', 'partner')),
    person_id BIGINT REFERENCES persons (id),
    activity_id BIGINT REFERENCES activities (id),
    partner_id BIGINT REFERENCES place_partners (id),
    purpose TEXT NOT NULL,
    persons BIGINT NOT NULL CHECK (persons > 0),
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    booked_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    CHECK (starts_at < ends_at),
    CHECK ((booked_for = 'partner') = (partner_id IS NOT NULL)),
    CHECK ((booked_for = 'activity') = (activity_id IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX place_bookings_by_space ON place_bookings (space_id, starts_at);
CREATE INDEX place_bookings_by_person ON place_bookings (person_id, starts_at);
CREATE INDEX place_bookings_by_day ON place_bookings (day);
