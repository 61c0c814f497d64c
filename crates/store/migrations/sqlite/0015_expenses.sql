-- Expense claims (C7): a holder of an activity files an expense (with its receipt), a
-- business trip (the kilometre allowance) or a supplier's invoice to pay from the budget; an
-- advisor approves or refuses it with a reason; the claimant may withdraw it while it waits.
-- An approved claim points to its `expense-reimbursed` ledger transaction (the budget pays)
-- and to its payout order (the SEPA transfer). The receipt file is stored outside the
-- database and the web root, named by its SHA-256; the claim keeps its metadata. A mileage
-- claim keeps the rate it used, its period and the rate table's version.
-- The PostgreSQL migration of the same name has the same columns.

CREATE TABLE expense_claims (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    claimant_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('reimbursement', 'mileage', 'supplier')),
    category TEXT NOT NULL CHECK (category IN ('travel', 'mileage', 'equipment', 'supplies',
        'meals', 'training', 'supplier', 'other')),
    status TEXT NOT NULL
        CHECK (status IN ('submitted', 'approved', 'refused', 'withdrawn')),
    description TEXT NOT NULL,
    spent_on TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    -- The trip of a mileage claim; distance_km counts both ways of a round trip.
    trip_from TEXT,
    trip_to TEXT,
    distance_km BIGINT CHECK (distance_km > 0),
    round_trip BOOLEAN NOT NULL,
    mileage_rate TEXT,
    mileage_rate_from TEXT,
    mileage_rate_to TEXT,
    mileage_rates_version TEXT,
    mileage_rate_verified BOOLEAN,
    -- Who is paid: the claimant (from the directory) or the supplier.
    payee_name TEXT NOT NULL,
    payee_iban TEXT NOT NULL,
    payee_bic TEXT,
    payee_street TEXT,
    payee_building_number TEXT,
    payee_postcode TEXT,
    payee_town TEXT NOT NULL,
    payee_country TEXT NOT NULL,
    -- A supplier's invoice reference: free text, or the twelve digits of a structured
    -- communication (payee_remittance_ogm).
    payee_remittance TEXT,
    payee_remittance_ogm BOOLEAN NOT NULL,
    receipt_sha256 TEXT,
    receipt_mime TEXT,
    receipt_size BIGINT,
    receipt_name TEXT,
    submitted_on TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_by BIGINT REFERENCES accounts (id),
    decided_by BIGINT REFERENCES accounts (id),
    decided_at BIGINT,
    refusal_reason TEXT,
    -- The legal entity that pays, set on approval.
    entity_id BIGINT REFERENCES legal_entities (id),
    payout_id BIGINT UNIQUE REFERENCES payouts (id),
    ledger_transaction_id BIGINT UNIQUE REFERENCES ledger_transactions (id),
    updated_at BIGINT NOT NULL,
    CHECK ((kind = 'mileage') = (distance_km IS NOT NULL)),
    CHECK ((kind = 'mileage') = (mileage_rate IS NOT NULL)),
    CHECK ((receipt_sha256 IS NULL) = (receipt_mime IS NULL)),
    CHECK ((receipt_sha256 IS NULL) = (receipt_size IS NULL)),
    CHECK ((receipt_sha256 IS NULL) = (receipt_name IS NULL)),
    -- An approved claim has spent the budget and has its transfer, and only it.
    CHECK ((status = 'approved') = (ledger_transaction_id IS NOT NULL)),
    CHECK ((status = 'approved') = (payout_id IS NOT NULL)),
    CHECK ((status = 'refused') = (refusal_reason IS NOT NULL))
);
CREATE INDEX expense_claims_by_activity ON expense_claims (activity_id, id);
CREATE INDEX expense_claims_by_status ON expense_claims (status, id);
-- The yearly kilometre counter of a person.
CREATE INDEX expense_claims_by_claimant ON expense_claims (claimant_id, kind, spent_on);
