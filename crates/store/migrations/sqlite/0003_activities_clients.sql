-- Activities (with their holders) and the shared client directory.

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    sector TEXT NOT NULL,
    office_id BIGINT NOT NULL REFERENCES offices (id),
    status TEXT NOT NULL,
    -- NULL: the dated contribution rate applies.
    contribution_rate_bp BIGINT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX activities_by_office ON activities (office_id, status);

CREATE TABLE activity_holders (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_holders_by_person ON activity_holders (person_id);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    enterprise_number TEXT UNIQUE,
    vat_number TEXT,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    language TEXT NOT NULL,
    email TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX clients_by_name ON clients (name);
