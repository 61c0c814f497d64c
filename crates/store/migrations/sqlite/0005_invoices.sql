-- Invoices and credit notes, their lines, payments, and the gap-free numbering counters.
-- An issued document is immutable: its data snapshot (JSON), content hash, PDF and UBL are
-- written once (DESIGN.md §5).

CREATE TABLE document_counters (
    entity_id BIGINT NOT NULL,
    series TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_sequence BIGINT NOT NULL,
    last_issue_date TEXT,
    PRIMARY KEY (entity_id, series, year)
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    quote_id BIGINT,
    corrects_invoice_id BIGINT REFERENCES invoices (id),
    status TEXT NOT NULL,
    number TEXT,
    issue_date TEXT,
    due_days BIGINT NOT NULL,
    due_date TEXT,
    language TEXT NOT NULL,
    structured_communication TEXT UNIQUE,
    order_reference TEXT,
    note TEXT,
    tax_exclusive_cents BIGINT NOT NULL,
    tax_cents BIGINT NOT NULL,
    tax_inclusive_cents BIGINT NOT NULL,
    paid_cents BIGINT NOT NULL,
    credited_cents BIGINT NOT NULL,
    snapshot_json TEXT,
    content_hash TEXT,
    pdf BLOB,
    ubl TEXT,
    ledger_transaction_id BIGINT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    issued_at BIGINT,
    UNIQUE (entity_id, number)
);
CREATE INDEX invoices_by_activity ON invoices (activity_id, status);
CREATE INDEX invoices_by_client ON invoices (client_id);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    vat_category TEXT NOT NULL,
    vat_rate_bp BIGINT NOT NULL,
    net_cents BIGINT NOT NULL
);
CREATE INDEX invoice_lines_by_invoice ON invoice_lines (invoice_id, position);

CREATE TABLE invoice_payments (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    amount_cents BIGINT NOT NULL,
    received_on TEXT NOT NULL,
    reference TEXT,
    ledger_transaction_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX invoice_payments_by_invoice ON invoice_payments (invoice_id);
