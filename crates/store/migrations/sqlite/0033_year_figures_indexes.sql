-- The year's figures on the reference year (issue 9, docs/benchmarks.md): the invoices'
-- date index also covers the net amount, so that the turnover per office and the year's
-- totals never read the invoices themselves; the ledger's transactions by kind and date,
-- so that the year's write-offs (and their reversals) are found without reading every
-- posting of every client account.
DROP INDEX invoices_by_issue_date;
CREATE INDEX invoices_by_issue_date ON invoices (issue_date, kind, activity_id, client_id,
    tax_exclusive_cents);
CREATE INDEX ledger_transactions_by_kind ON ledger_transactions (kind, occurred_on);
