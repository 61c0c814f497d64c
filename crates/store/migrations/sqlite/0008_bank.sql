-- Imported bank statements and their movements (payments.md §4). A movement is known by
-- its account and the bank's own reference: importing a file twice adds nothing.

CREATE TABLE bank_statements (
    id INTEGER PRIMARY KEY,
    format TEXT NOT NULL,
    account_iban TEXT NOT NULL,
    sequence TEXT,
    opening_cents BIGINT,
    closing_cents BIGINT,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT REFERENCES accounts (id)
);

CREATE TABLE bank_movements (
    id INTEGER PRIMARY KEY,
    statement_id BIGINT NOT NULL REFERENCES bank_statements (id),
    account_iban TEXT NOT NULL,
    bank_reference TEXT NOT NULL,
    booked_on TEXT NOT NULL,
    value_date TEXT,
    amount_cents BIGINT NOT NULL,
    counterparty_name TEXT,
    counterparty_iban TEXT,
    ogm TEXT,
    free_text TEXT,
    status TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    created_at BIGINT NOT NULL,
    UNIQUE (account_iban, bank_reference)
);
CREATE INDEX bank_movements_by_status ON bank_movements (status, booked_on);
