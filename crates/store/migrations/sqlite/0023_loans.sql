-- 0 % member loans (C8; reference/employment.md §6). A loan's outstanding principal is the
-- balance of its ledger account `loan:<id>:receivable`; these tables hold the application,
-- the opinion and decision, the schedule (what is due when), the repayments against each
-- instalment and the arrears reminders already sent.
CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    -- The legal entity whose bank pays a supplier and receives transfers.
    entity_id BIGINT NOT NULL REFERENCES legal_entities (id),
    applicant_person_id BIGINT NOT NULL REFERENCES persons (id),
    applied_by BIGINT REFERENCES accounts (id),
    purpose TEXT NOT NULL,
    principal_cents BIGINT NOT NULL,
    instalments BIGINT NOT NULL,
    justification TEXT NOT NULL,
    -- Codes of the product's criteria, comma-separated: ticked by the member, confirmed
    -- by the advisor.
    criteria TEXT NOT NULL,
    criteria_confirmed TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The structured communication of repayments by transfer (12 digits).
    ogm TEXT NOT NULL,
    params_version TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    opinion_favourable BOOLEAN,
    opinion TEXT,
    opinion_by BIGINT REFERENCES accounts (id),
    opinion_at BIGINT,
    decision_conditions TEXT,
    decision_reason TEXT,
    decided_by BIGINT REFERENCES accounts (id),
    decided_on TEXT,
    disbursed_on TEXT,
    disbursed_to TEXT,
    supplier_name TEXT,
    supplier_iban TEXT,
    first_due_on TEXT,
    reschedule_count BIGINT NOT NULL,
    closed_on TEXT,
    written_off_on TEXT,
    write_off_reason TEXT,
    written_off_cents BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (principal_cents > 0),
    CHECK (instalments > 0)
);
CREATE INDEX loans_by_status ON loans (status, applied_on);
CREATE INDEX loans_by_activity ON loans (activity_id);
CREATE INDEX loans_by_applicant ON loans (applicant_person_id, status);
CREATE INDEX loans_by_disbursed ON loans (disbursed_on);
CREATE UNIQUE INDEX loans_by_ogm ON loans (ogm);

-- The schedule: `schedule_no` 1 at disbursement, +1 at each rescheduling (the open
-- instalments of the old schedule become `superseded`).
CREATE TABLE loan_instalments (
    id INTEGER PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans (id),
    schedule_no BIGINT NOT NULL,
    number BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    principal_cents BIGINT NOT NULL,
    repaid_cents BIGINT NOT NULL,
    -- open | paid | superseded | written-off
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (principal_cents > 0),
    CHECK (repaid_cents >= 0 AND repaid_cents <= principal_cents),
    UNIQUE (loan_id, schedule_no, number)
);
CREATE INDEX loan_instalments_open ON loan_instalments (status, due_on);

-- One row per instalment a repayment paid (one ledger transaction may pay several).
CREATE TABLE loan_repayments (
    id INTEGER PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans (id),
    instalment_id BIGINT NOT NULL REFERENCES loan_instalments (id),
    amount_cents BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    -- budget (automatic, from an incoming payment) | transfer | early
    source TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    transaction_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    CHECK (amount_cents > 0)
);
CREATE INDEX loan_repayments_by_loan ON loan_repayments (loan_id, paid_on);

-- Arrears reminders: once per (instalment, bucket), whatever the number of runs.
CREATE TABLE loan_reminders (
    id INTEGER PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans (id),
    instalment_id BIGINT NOT NULL REFERENCES loan_instalments (id),
    bucket BIGINT NOT NULL,
    days_past_due BIGINT NOT NULL,
    run_on TEXT NOT NULL,
    mail_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (instalment_id, bucket)
);
CREATE INDEX loan_reminders_by_loan ON loan_reminders (loan_id);
