-- Each posting carries its transaction's date (issue 9, docs/benchmarks.md): an account's
-- sums over a period (the contribution of a year, a budget's opening and closing balance,
-- the spending by account) are then read from one index, in date order, without looking up
-- every transaction. The date is written with the posting and never changes (the journal is
-- append-only); reading a transaction back checks that its postings carry its date.
-- The SQLite migration of the same name does the same.
ALTER TABLE ledger_postings ADD COLUMN occurred_on TEXT;
ALTER TABLE ledger_postings DISABLE TRIGGER ledger_postings_append_only;
UPDATE ledger_postings p SET occurred_on = t.occurred_on
    FROM ledger_transactions t WHERE t.id = p.transaction_id;
ALTER TABLE ledger_postings ENABLE TRIGGER ledger_postings_append_only;
ALTER TABLE ledger_postings ALTER COLUMN occurred_on SET NOT NULL;
CREATE INDEX ledger_postings_by_account_date ON ledger_postings (account_id, occurred_on,
    amount_cents);
