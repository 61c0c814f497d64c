-- SEPA payouts (payments.md §7): payout orders paid from a legal entity's bank account,
-- and the pain.001.001.09 batches that carry them to the bank. An order is pending, then
-- batched (written in a kept file), then paid when the statement shows its end-to-end id;
-- only a pending order is cancelled.

CREATE TABLE payout_batches (
    id INTEGER PRIMARY KEY,
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    execution_date TEXT NOT NULL,
    -- Set in the creating transaction, from the batch's id.
    message_id TEXT UNIQUE,
    transaction_count BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    xml TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES accounts (id)
);
CREATE INDEX payout_batches_by_entity ON payout_batches (entity_id, id);

CREATE TABLE payouts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    beneficiary_name TEXT NOT NULL,
    iban TEXT NOT NULL,
    bic TEXT,
    street TEXT,
    building_number TEXT,
    postcode TEXT,
    town TEXT NOT NULL,
    country TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- Free text, or the twelve digits of a structured communication (remittance_ogm).
    remittance TEXT,
    remittance_ogm BOOLEAN NOT NULL,
    ledger_account TEXT NOT NULL,
    activity_id BIGINT REFERENCES activities (id),
    person_id BIGINT REFERENCES persons (id),
    source_type TEXT,
    source_id BIGINT,
    requested_on TEXT NOT NULL,
    -- Set in the creating transaction, from the order's id: the matching key of the bank
    -- statement's debit.
    end_to_end_id TEXT UNIQUE,
    batch_id BIGINT REFERENCES payout_batches (id),
    paid_on TEXT,
    bank_reference TEXT,
    ledger_transaction_id BIGINT REFERENCES ledger_transactions (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payouts_by_status ON payouts (status, entity_id, requested_on);
CREATE INDEX payouts_by_batch ON payouts (batch_id);
CREATE INDEX payouts_by_source ON payouts (source_type, source_id);
