-- Employment contracts paid from an activity's budget, the salary guarantee fund's advances,
-- and pay runs (C6, C2; reference/employment.md). Signing a contract reserves its employer
-- cost (ledger `work-reserved`); a pay run turns it into the net salary due and what is owed
-- to the ONSS and the tax administration (`salary-due`), and creates the salary payouts.

-- The gender of the social balance sheet's new-hire counts: f, m, x, or NULL when not stated.
ALTER TABLE persons ADD COLUMN gender TEXT;

CREATE TABLE pay_runs (
    id INTEGER PRIMARY KEY,
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    pay_date TEXT NOT NULL,
    contract_count BIGINT NOT NULL,
    net_total_cents BIGINT NOT NULL,
    employer_cost_total_cents BIGINT NOT NULL,
    payout_batch_id BIGINT REFERENCES payout_batches (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX pay_runs_by_date ON pay_runs (pay_date, id);

CREATE TABLE work_contracts (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    worker_person_id BIGINT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    worker_status TEXT NOT NULL,
    status TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    -- The last day of work: ends_on, or starts_on for an open-ended contract.
    last_day TEXT NOT NULL,
    days BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    function_title TEXT NOT NULL,
    joint_committee TEXT NOT NULL,
    pay_basis TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- The simulation at signing, kept as computed (JSON) with its parameter set.
    gross_cents BIGINT NOT NULL,
    net_cents BIGINT NOT NULL,
    employer_cost_cents BIGINT NOT NULL,
    params_version TEXT NOT NULL,
    simulation TEXT NOT NULL,
    order_quote_id BIGINT REFERENCES quotes (id),
    attestation TEXT,
    attestation_valid_until TEXT,
    -- Work-volume flags for the advisor, comma-separated (overlap, year-over-full-time).
    flags TEXT NOT NULL,
    -- When the salary is due: 7 working days after the last day of work.
    due_on TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    cancelled_on TEXT,
    reserve_transaction_id BIGINT REFERENCES ledger_transactions (id),
    pay_run_id BIGINT REFERENCES pay_runs (id),
    salary_transaction_id BIGINT REFERENCES ledger_transactions (id),
    payout_id BIGINT REFERENCES payouts (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX work_contracts_by_activity ON work_contracts (activity_id, id);
CREATE INDEX work_contracts_by_worker ON work_contracts (worker_person_id, starts_on);
CREATE INDEX work_contracts_due ON work_contracts (status, due_on);
-- Covering the year's volume (hours, FTE, headcount) so that it reads the index alone.
CREATE INDEX work_contracts_by_start ON work_contracts (starts_on, status, kind, activity_id,
    worker_person_id, minutes);
CREATE INDEX work_contracts_by_signing ON work_contracts (signed_on);
CREATE INDEX work_contracts_by_cancelling ON work_contracts (cancelled_on);
CREATE INDEX work_contracts_by_run ON work_contracts (pay_run_id);

-- What the guarantee fund advanced for a contract the budget could not cover, repaid from
-- the client's payment of the order's invoice, or lost when that invoice is written off.
CREATE TABLE guarantee_advances (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL UNIQUE REFERENCES work_contracts (id),
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    quote_id BIGINT NOT NULL REFERENCES quotes (id),
    amount_cents BIGINT NOT NULL,
    repaid_cents BIGINT NOT NULL,
    lost_cents BIGINT NOT NULL,
    -- open, repaid, lost (in part or whole), cancelled (its contract was).
    status TEXT NOT NULL,
    advanced_on TEXT NOT NULL,
    transaction_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX guarantee_advances_open ON guarantee_advances (status, quote_id, id);
CREATE INDEX guarantee_advances_by_activity ON guarantee_advances (activity_id, status);
CREATE INDEX guarantee_advances_by_client ON guarantee_advances (client_id, status);

CREATE TABLE guarantee_repayments (
    id INTEGER PRIMARY KEY,
    advance_id BIGINT NOT NULL REFERENCES guarantee_advances (id),
    invoice_id BIGINT REFERENCES invoices (id),
    -- repaid (from a payment) or lost (the invoice written off).
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    occurred_on TEXT NOT NULL,
    transaction_id BIGINT REFERENCES ledger_transactions (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX guarantee_repayments_by_advance ON guarantee_repayments (advance_id, id);
