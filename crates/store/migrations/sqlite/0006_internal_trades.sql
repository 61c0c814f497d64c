-- Internal trades (C2): one activity buys from another, no invoice, no VAT, no contribution.
-- Once accepted, the trade points to the one ledger transaction that moved the budgets.
-- The PostgreSQL migration of the same name has the same columns.

CREATE TABLE internal_trades (
    id INTEGER PRIMARY KEY,
    seller_activity_id BIGINT NOT NULL REFERENCES activities (id),
    buyer_activity_id BIGINT NOT NULL REFERENCES activities (id),
    description TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    status TEXT NOT NULL
        CHECK (status IN ('proposed', 'accepted', 'declined', 'cancelled')),
    proposed_by BIGINT REFERENCES accounts (id),
    proposed_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES accounts (id),
    decided_at BIGINT,
    -- One ledger transaction per accepted trade, and an accepted trade always has one.
    ledger_transaction_id BIGINT UNIQUE REFERENCES ledger_transactions (id),
    CHECK (seller_activity_id <> buyer_activity_id),
    CHECK ((status = 'accepted') = (ledger_transaction_id IS NOT NULL))
);
CREATE INDEX internal_trades_by_seller ON internal_trades (seller_activity_id, id);
CREATE INDEX internal_trades_by_buyer ON internal_trades (buyer_activity_id, id);
