-- Quotes (devis / offertes) and their lines; an accepted quote is the order confirmation
-- (bon de commande / bestelbon). Instants are BIGINT Unix microseconds (UTC), dates TEXT
-- 'YYYY-MM-DD'; the PostgreSQL migration of the same name has the same columns.

-- One row per year: the last quote number given that year (D2026-00042 → 42). Incremented
-- inside the sending transaction, so a rolled-back send leaves no gap.
CREATE TABLE quote_counters (
    year BIGINT PRIMARY KEY,
    last_sequence BIGINT NOT NULL
);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    -- Given when the quote is first sent; a draft has none.
    number TEXT UNIQUE,
    status TEXT NOT NULL,
    -- The draft's date, then the date it was sent.
    issue_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    note TEXT,
    -- The totals of the lines (EN 16931 BT-109, BT-110, BT-112), computed when saving.
    tax_exclusive_cents BIGINT NOT NULL,
    tax_cents BIGINT NOT NULL,
    tax_inclusive_cents BIGINT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    sent_to TEXT,
    -- SHA-256 of the secret of the public link /q/{token}.
    public_token_hash TEXT UNIQUE,
    accepted_at BIGINT,
    accepted_name TEXT,
    accepted_ip TEXT,
    declined_at BIGINT,
    decline_reason TEXT,
    invoiced_at BIGINT
);
CREATE INDEX quotes_by_activity ON quotes (activity_id, status);
CREATE INDEX quotes_by_client ON quotes (client_id);

CREATE TABLE quote_lines (
    id INTEGER PRIMARY KEY,
    quote_id BIGINT NOT NULL REFERENCES quotes (id),
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    -- Exact decimals as text ('1.5'): never a float.
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    vat_category TEXT NOT NULL,
    vat_rate_bp BIGINT NOT NULL,
    net_cents BIGINT NOT NULL,
    UNIQUE (quote_id, position)
);
