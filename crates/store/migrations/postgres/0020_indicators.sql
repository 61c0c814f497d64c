-- Indicators (C17): which of the year's figures the cooperative publishes on its public
-- page. The figures themselves are never stored: each is computed from the modules' data
-- for the year asked (crates/store/src/figures.rs). A figure not listed here is unpublished.
-- `figure_key` is the figure's stable key (e.g. `turnover-invoices`); the last change keeps
-- who made it and when (the audit log keeps every change).

CREATE TABLE published_indicators (
    figure_key TEXT PRIMARY KEY,
    published BOOLEAN NOT NULL,
    changed_by BIGINT REFERENCES accounts (id),
    changed_at BIGINT NOT NULL
);

-- The year's figures read issued documents and expense claims by date.
CREATE INDEX invoices_by_issue_date ON invoices (issue_date, kind, activity_id, client_id);
CREATE INDEX expense_claims_by_spent_on ON expense_claims (spent_on, status, kind);
CREATE INDEX recovery_cases_by_opened_on ON recovery_cases (opened_on);
CREATE INDEX recovery_entries_by_kind ON recovery_entries (kind, occurred_on);
