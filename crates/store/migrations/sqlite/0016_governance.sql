-- Governance (C11): general assemblies and their resolutions, the versioned statutes with
-- their tagged articles, share classes and the numbered share register. Later migrations
-- of the governance issue add attendance, proxies and ballots, subscriptions and
-- resignations, board mandates, and the frozen special reports.
-- reference/governance.md §4 (vote engine), §6 (register), §8 (design notes).

CREATE TABLE general_assemblies (
    id INTEGER PRIMARY KEY,
    -- ordinary | extraordinary
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    -- 'HH:MM', Brussels time.
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    online BOOLEAN NOT NULL,
    -- draft | convened | open | closed
    status TEXT NOT NULL,
    convened_on TEXT,
    -- When holders of 1/10 of the shares asked for it (CSA 6:70 §1): convene within 3 weeks.
    requested_on TEXT,
    closed_at BIGINT,
    -- SHA-256 of the minutes PDF, kept once the assembly is closed (immutable minutes).
    minutes_sha256 TEXT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX general_assemblies_by_date ON general_assemblies (held_on, id);

CREATE TABLE resolutions (
    id INTEGER PRIMARY KEY,
    assembly_id BIGINT NOT NULL REFERENCES general_assemblies (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- ordinary | statutes | object | appointment | allowance | appropriation | accounts | discharge | other
    kind TEXT NOT NULL,
    -- none | half_of_shares   (the quorum counts shares present or represented, uncapped)
    quorum_rule TEXT NOT NULL,
    -- simple | two_thirds | three_quarters | four_fifths   (on effective votes cast)
    majority_rule TEXT NOT NULL,
    -- pending | open | adopted | rejected | withdrawn
    status TEXT NOT NULL,
    opened_at BIGINT,
    closed_at BIGINT,
    -- The tally at closing (JSON): raw and effective votes per holder and in total.
    tally TEXT,
    UNIQUE (assembly_id, position)
);

CREATE TABLE statute_versions (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    effective_from TEXT NOT NULL UNIQUE,
    adopted_on TEXT NOT NULL,
    -- The extraordinary general assembly's resolution that adopted it (none for versions
    -- entered from the archive, before ruche).
    adopted_by_resolution_id BIGINT REFERENCES resolutions (id),
    -- per_person | per_share   (CSA 6:41: per share unless the statutes say otherwise)
    vote_weighting TEXT NOT NULL,
    -- How many proxies one person may hold (CSA 6:80; the statutes may limit it).
    proxies_per_holder BIGINT NOT NULL,
    proxy_must_be_member BOOLEAN NOT NULL,
    -- Resignation only in the first N months of the financial year (CSA 6:120: six).
    resignation_months BIGINT NOT NULL,
    -- Whether a member may resign part of their shares (CSA 6:120: all, unless the statutes
    -- allow otherwise).
    partial_resignation_allowed BOOLEAN NOT NULL,
    dividends_allowed BOOLEAN NOT NULL,
    summary TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE statute_articles (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES statute_versions (id),
    number TEXT NOT NULL,
    position BIGINT NOT NULL,
    heading TEXT NOT NULL,
    text_fr TEXT NOT NULL,
    text_nl TEXT NOT NULL,
    text_en TEXT NOT NULL,
    -- Comma-separated roles: purpose, object, resignation, unpaid_mandate, vote_cap,
    -- voting_rule, allocation, liquidation, designation, majorities, proxies.
    tags TEXT NOT NULL,
    UNIQUE (version_id, number)
);

CREATE TABLE share_classes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    nominal_cents BIGINT NOT NULL,
    votes_per_share BIGINT NOT NULL,
    -- anyone | individuals | legal_persons
    eligible TEXT NOT NULL,
    minimum_holding BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The register's operation numbers: one row, incremented inside the writing transaction
-- (locked on PostgreSQL until it ends), so numbers are gap-free like invoice numbers.
CREATE TABLE share_register_counter (
    id BIGINT PRIMARY KEY,
    last_number BIGINT NOT NULL
);

-- The numbered, append-only register of operations. A holding at a date is the sum of the
-- operations effective on or before it.
CREATE TABLE share_operations (
    id INTEGER PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    -- opening | subscription | pay_up | transfer_in | transfer_out | resignation | exclusion | death
    kind TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons (id),
    class_id BIGINT NOT NULL REFERENCES share_classes (id),
    -- Shares gained (> 0) or given up (< 0).
    shares BIGINT NOT NULL,
    -- Paid-up capital gained (> 0) or given back / transferred (< 0), in cents.
    paid_cents BIGINT NOT NULL,
    effective_on TEXT NOT NULL,
    counterparty_person_id BIGINT REFERENCES persons (id),
    ledger_transaction_id BIGINT REFERENCES ledger_transactions (id),
    note TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX share_operations_by_person ON share_operations (person_id, effective_on);
CREATE INDEX share_operations_by_date ON share_operations (effective_on, person_id, class_id, shares);
