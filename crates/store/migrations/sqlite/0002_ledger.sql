-- The ledger: a double-entry, append-only journal (DESIGN.md §3). Amounts are BIGINT cents,
-- debit positive, credit negative; dates TEXT 'YYYY-MM-DD'; instants BIGINT Unix
-- microseconds. The PostgreSQL migration of the same name has the same columns.

-- One row per account code (`activity:12:budget`), created on first use.
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE ledger_transactions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    memo TEXT NOT NULL,
    source_type TEXT,
    source_id BIGINT,
    -- A transaction is reversed at most once: one reversal per original.
    reverses_id BIGINT UNIQUE REFERENCES ledger_transactions (id),
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    CHECK ((source_type IS NULL) = (source_id IS NULL))
);
CREATE INDEX ledger_transactions_by_date ON ledger_transactions (occurred_on, id);
CREATE INDEX ledger_transactions_by_source ON ledger_transactions (source_type, source_id);

CREATE TABLE ledger_postings (
    id INTEGER PRIMARY KEY,
    transaction_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
    account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents <> 0),
    UNIQUE (transaction_id, account_id)
);
-- Balances and statements of one account.
CREATE INDEX ledger_postings_by_account ON ledger_postings (account_id, transaction_id);

-- Append-only: what is posted is reversed, never edited nor deleted.
CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
