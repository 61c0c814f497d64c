-- Reminders (dunning, reference/dunning.md §7). The policies and their levels are shipped data
-- (crates/domain/rules/dunning.toml), chosen by the client's kind; only what happened is
-- stored here.
--
-- One row per (invoice, level): the UNIQUE key is the idempotency key of the daily run, so a
-- run repeated, or two runs at the same moment on two instances, send each reminder once.
-- A reminder is a legal record: its data snapshot (amounts, the rates and their period split,
-- the rules versions), content hash, language, PDF and, for an e-mail, the outbox message.
-- `delivery`: 'pending' (recorded, PDF not yet rendered), 'mailed' (in the outbox),
-- 'to_print' (a letter, kept for printing).

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    level BIGINT NOT NULL,
    sent_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    buyer_class TEXT NOT NULL,
    language TEXT NOT NULL,
    open_cents BIGINT NOT NULL,
    fee_cents BIGINT NOT NULL,
    interest_cents BIGINT NOT NULL,
    compensation_cents BIGINT NOT NULL,
    damages_cents BIGINT NOT NULL,
    rate_bp BIGINT,
    policy_version TEXT NOT NULL,
    rates_version TEXT NOT NULL,
    snapshot_json TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    delivery TEXT NOT NULL,
    pdf BLOB,
    mail_id BIGINT REFERENCES mail_outbox (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    UNIQUE (invoice_id, level)
);
CREATE INDEX reminders_by_client ON reminders (client_id, sent_on);
CREATE INDEX reminders_by_sent_on ON reminders (sent_on);
CREATE INDEX reminders_by_delivery ON reminders (delivery, id);

-- A disputed or paused invoice: skipped by the run while the row exists. Unblocking deletes
-- the row; both are in the audit log with the reason.
CREATE TABLE dunning_blocks (
    invoice_id BIGINT PRIMARY KEY REFERENCES invoices (id),
    reason TEXT NOT NULL,
    blocked_by BIGINT REFERENCES accounts (id),
    blocked_at BIGINT NOT NULL
);

-- The run selects its candidates with one indexed query: open invoices past their due date.
CREATE INDEX invoices_open_by_due ON invoices (status, due_date);
