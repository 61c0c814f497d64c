-- Each posting carries its transaction's date (issue 9, docs/benchmarks.md): an account's
-- sums over a period (the contribution of a year, a budget's opening and closing balance,
-- the spending by account) are then read from one index, in date order, without looking up
-- every transaction. The date is written with the posting and never changes (the journal is
-- append-only); reading a transaction back checks that its postings carry its date.
-- The PostgreSQL migration of the same name does the same.
DROP TRIGGER ledger_postings_no_update;
ALTER TABLE ledger_postings ADD COLUMN occurred_on TEXT NOT NULL DEFAULT '';
UPDATE ledger_postings SET occurred_on =
    (SELECT t.occurred_on FROM ledger_transactions t WHERE t.id = ledger_postings.transaction_id);
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE INDEX ledger_postings_by_account_date ON ledger_postings (account_id, occurred_on,
    amount_cents);
