-- Contribution transparency (issue 10, C2 / C12): the published categories of the
-- cooperative's spending and the mapping of its `spending:<slug>` ledger accounts to them,
-- versioned by calendar year; and each year's published figures, frozen as JSON with their
-- SHA-256 (like the special report). The spending itself is in the ledger (kind `spending`).

CREATE TABLE transparency_mappings (
    year BIGINT PRIMARY KEY,
    saved_by BIGINT REFERENCES accounts (id),
    saved_at BIGINT NOT NULL
);

CREATE TABLE transparency_categories (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL REFERENCES transparency_mappings (year),
    code TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL,
    UNIQUE (year, code)
);

CREATE TABLE transparency_accounts (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL REFERENCES transparency_mappings (year),
    -- The slug of `spending:<slug>`.
    account TEXT NOT NULL,
    category_code TEXT NOT NULL,
    -- An account is in one category of a year, never two.
    UNIQUE (year, account),
    FOREIGN KEY (year, category_code) REFERENCES transparency_categories (year, code)
);

CREATE TABLE transparency_publications (
    year BIGINT PRIMARY KEY REFERENCES transparency_mappings (year),
    figures_json TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_by BIGINT REFERENCES accounts (id),
    published_at BIGINT NOT NULL
);
