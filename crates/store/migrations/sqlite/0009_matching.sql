-- Matching bank movements to invoices (payments.md §4): the history of imported files with
-- their report, what the parsers and the matching learned of each movement, and which
-- payments a movement made, so that a match can be undone.

CREATE TABLE bank_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT,
    status TEXT NOT NULL,
    statements BIGINT NOT NULL,
    read_count BIGINT NOT NULL,
    new_count BIGINT NOT NULL,
    known_count BIGINT NOT NULL,
    matched_count BIGINT NOT NULL,
    unmatched_count BIGINT NOT NULL,
    refusal TEXT,
    report_json TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT REFERENCES accounts (id)
);
CREATE INDEX bank_imports_by_time ON bank_imports (imported_at);

ALTER TABLE bank_statements ADD COLUMN import_id BIGINT REFERENCES bank_imports (id);
ALTER TABLE bank_statements ADD COLUMN statement_date TEXT;
CREATE INDEX bank_statements_by_account ON bank_statements (account_iban, statement_date);

ALTER TABLE bank_movements ADD COLUMN line BIGINT;
ALTER TABLE bank_movements ADD COLUMN invalid_ogm TEXT;
ALTER TABLE bank_movements ADD COLUMN end_to_end_id TEXT;
ALTER TABLE bank_movements ADD COLUMN reversal BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE bank_movements ADD COLUMN note TEXT;
CREATE INDEX bank_movements_by_counterparty ON bank_movements (counterparty_iban);

ALTER TABLE invoice_payments ADD COLUMN applied_cents BIGINT;
ALTER TABLE invoice_payments ADD COLUMN contribution_transaction_id BIGINT;
ALTER TABLE invoice_payments ADD COLUMN bank_movement_id BIGINT REFERENCES bank_movements (id);
ALTER TABLE invoice_payments ADD COLUMN reversed_at BIGINT;
CREATE INDEX invoice_payments_by_movement ON invoice_payments (bank_movement_id);

CREATE INDEX invoices_open_by_total ON invoices (tax_inclusive_cents, status);
