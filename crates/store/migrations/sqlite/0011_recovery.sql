-- Debt recovery after the last reminder (dunning.md §7 items 6 and 7): one case per invoice
-- in recovery, and the dated entries of its history, each with its author. A case is open
-- while `closed_on` is NULL (written off and stopped cases are closed; a case whose invoice
-- is paid or credited is read as closed): an invoice has at most one open case.

CREATE TABLE recovery_cases (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    status TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    consultation_deadline TEXT NOT NULL,
    objection TEXT,
    objected_on TEXT,
    closed_on TEXT,
    write_off_transaction_id BIGINT REFERENCES ledger_transactions (id),
    opened_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX recovery_cases_one_open_per_invoice ON recovery_cases (invoice_id)
    WHERE closed_on IS NULL;
CREATE INDEX recovery_cases_by_status ON recovery_cases (status, opened_on);

CREATE TABLE recovery_entries (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES recovery_cases (id),
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    actor_account_id BIGINT REFERENCES accounts (id),
    body TEXT,
    cost_cents BIGINT,
    promised_on TEXT,
    status_after TEXT NOT NULL,
    document_filename TEXT,
    document_content_type TEXT,
    document BLOB,
    created_at BIGINT NOT NULL
);
CREATE INDEX recovery_entries_by_case ON recovery_entries (case_id, id);
CREATE INDEX recovery_entries_by_invoice ON recovery_entries (invoice_id, id);
